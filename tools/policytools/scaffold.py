"""What ``policy add-locale`` and ``policy add-document`` write, as data: pure, no writes.

A new locale's texts are the source's working texts, so ``policy check`` reports each clause
as untranslated until a translator has translated it; its ``site.yml`` holds every key the
site uses, the source's words marked for translation but where CLDR (Babel) knows the word.
Locale codes are refused unless they are valid BCP 47 tags that mkdocs-static-i18n serves,
Babel knows and Material for MkDocs has words for (its own, or those of its language).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from .errors import UsageError
from .site_strings import PLACEHOLDERS, STATUS_KEYS

# mkdocs-static-i18n's locale option (config.RE_LOCALE, hyphen form): a two-letter language,
# then an optional script and an optional region in capitals
I18N_RE = re.compile(r"[a-z]{2}(?:-[A-Z][a-z]{3})?(?:-[A-Z]{2})?")
MAX_TITLE = 200
MAX_NAME = 64
TRANSLATE = "translate"  # the comment on each value still in the source's words
# Paths of the site that a document's pages would take over (index, updates, feeds…)
RESERVED = frozenset({"index", "updates", "versions", "sitemap", "search", "assets", "404",
                      "favicon", "site"})
FIRST_CLAUSE = ("## 1. Introduction {#introduction}\n\n"
                "Replace this paragraph with the text of the first clause, then add the "
                "clauses that follow, each under its own numbered heading with an id.\n")


def check_tag(code: str) -> str:
    """``code`` if it is a locale the site can serve, else a UsageError naming it."""
    import langcodes

    if "_" in code or not langcodes.tag_is_valid(code):
        hint = _hint(code)
        raise UsageError(f"'{code}' is not a valid BCP 47 language tag"
                         + (f": write '{hint}'" if hint else " (like 'de', 'de-CH', 'pt-BR')"))
    if not I18N_RE.fullmatch(code):
        hint = _hint(code)
        fix = f"write '{hint}'" if hint and I18N_RE.fullmatch(hint) else \
            "it takes a two-letter language, then an optional script and region, like " \
            "'de', 'de-CH' or 'pt-BR'"
        raise UsageError(f"'{code}' is a language tag the site's i18n plugin "
                         f"(mkdocs-static-i18n) cannot serve: {fix}")
    from babel import Locale, UnknownLocaleError

    try:
        Locale.parse(code, sep="-")
    except (ValueError, UnknownLocaleError):
        raise UsageError(f"'{code}' is a language tag CLDR (Babel) has no data for: the site "
                         "could not write its dates") from None
    return code


def _hint(code: str) -> str | None:
    """The standard form of a tag written another way ('de-ch' → 'de-CH'), if any."""
    import langcodes

    try:
        standard = str(langcodes.standardize_tag(code.replace("_", "-")))
    except ValueError:
        return None
    return standard if standard != code else None


def theme_language(code: str, available: Iterable[str]) -> str | None:
    """The Material language of ``code``: itself, its language, or None when Material has
    no words for either (``available``: the names of its ``partials/languages``)."""
    known = set(available)
    base = code.split("-")[0]
    return next((tag for tag in (code, base) if tag in known), None)


def own_name(code: str) -> str:
    """The language's name in itself, as CLDR writes it ('Deutsch', 'Deutsch (Schweiz)')."""
    from babel import Locale

    return str(Locale.parse(code, sep="-").display_name)


def cldr_and(code: str) -> str | None:
    """The word joining the last two items of a list ('und'), if CLDR writes one."""
    from babel import Locale

    pattern = str(Locale.parse(code, sep="-").list_patterns["standard"]["end"])
    word = pattern.replace("{0}", "").replace("{1}", "").strip()
    return word if word and all(part.isalpha() for part in word.split()) else None


def site_strings(source: Mapping[str, Any], code: str, name: str,
                 source_name: str) -> Any:
    """A ``site.yml`` for ``code``: every key the site uses in the source's order, the
    source's words marked ``# translate``, CLDR's where it has them."""
    from ruamel.yaml.comments import CommentedMap

    data = CommentedMap()
    data.yaml_set_start_comment(
        f"Words of the generated site pages in {name}, made by `policy add-locale` from the "
        f"{source_name} site.yml.\nEach value marked '{TRANSLATE}' is still {source_name}: "
        "translate it and remove the mark; `policy check`\nreports each value equal to the "
        f"{source_name} (site-strings-untranslated) until it is translated.")
    keys = [key for key in source if key in PLACEHOLDERS] + \
        [key for key in PLACEHOLDERS if key not in source]
    for key in keys:
        data[key] = source.get(key, "")
        data.yaml_add_eol_comment(TRANSLATE, key)
    status = CommentedMap()
    status_words = source.get("status")
    given: Mapping[str, Any] = status_words if isinstance(status_words, Mapping) else {}
    joined = cldr_and(code)
    for key in STATUS_KEYS:
        if key == "and" and joined is not None:
            status[key] = joined
            status.yaml_add_eol_comment("from CLDR (Babel)", key)
            continue
        status[key] = given.get(key, "")
        status.yaml_add_eol_comment(TRANSLATE, key)
    data["status"] = status
    return data


def check_name(name: str, documents: Iterable[str], locales: Iterable[str]) -> str:
    """A new document's name: a safe file stem, no declared document, no page of the site."""
    from .config import NAME_RE

    if not NAME_RE.fullmatch(name) or len(name) > MAX_NAME:
        raise UsageError(f"document name {name!r} is not a safe file name: use lowercase "
                         f"letters, digits and hyphens (at most {MAX_NAME}), like 'cookies'")
    if name in documents:
        raise UsageError(f"document '{name}' is already declared in policy/policy.yml")
    if name in RESERVED or name in locales:
        raise UsageError(f"document name '{name}' is taken by the site (its page would "
                         "replace the site's own): choose another")
    return name


def check_title(title: str, what: str) -> str:
    """A title as the site shows it: one line of text without control characters."""
    from .yamlio import storable

    text = storable(title, what, UsageError)
    if "\n" in text or "\r" in text:
        raise UsageError(f"{what} holds a line break: a title is one line")
    text = text.strip()
    if not text:
        raise UsageError(f"{what} is empty: give the document's title")
    if len(text) > MAX_TITLE:
        raise UsageError(f"{what} is longer than {MAX_TITLE} characters")
    return text


def front_matter(title: str) -> str:
    """YAML front matter holding ``title``, quoted where YAML needs it."""
    from .yamlio import dump_checked

    return f"---\n{dump_checked({'title': title}, 'title', UsageError)}---\n"


def new_document(title: str) -> str:
    """A new document of the source locale: its title and a first clause to fill in."""
    return f"{front_matter(title)}\n{FIRST_CLAUSE}"



def lent_words(code: str, language: str) -> str:
    """A Material language template for ``code`` lending it the words of ``language``;
    pages still declare ``code`` as their language (``<html lang>``)."""
    return (f"{{#- Material's words for {code}: those of {language}, with the page language "
            f"{code}. Written by policy add-locale. -#}}\n"
            f'{{% import "partials/languages/{language}.html" as lent %}}\n'
            f'{{% macro t(key) %}}{{{{ "{code}" if key == "language" else lent.t(key) }}}}'
            "{% endmacro %}\n")
