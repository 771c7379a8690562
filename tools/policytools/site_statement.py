"""What a published translation says it is: the statement on each of its pages.

Read from the ``confirmed:`` snapshot of the release that holds the translation's text: every
clause confirmed against the source text of that release, some pending (each linked to the
source's clause), or none recorded. Pure, like :mod:`site`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from babel import Locale

from .config import EACH
from .ledger import Release, text_name
from .model import Clause
from .plaintext import html_text, site_markdown

if TYPE_CHECKING:
    from .site import Site



def language(locale: str, of: str) -> str:
    """The name of the language ``of`` in the words of ``locale`` ('Engels')."""
    name = Locale.parse(of.replace("-", "_")).get_display_name(locale.replace("-", "_"))
    return name or of


def statement(site: Site, locale: str, document: str, release: Release, root: str) -> str:
    """The Markdown statement for the text of a locale's document that ``release`` holds.

    ``root`` leads from the page to the site's root ('../../'). A page in the source
    language says only which text prevails, and only when it is not its own.
    """
    source = site.project.source_locale
    if locale == source:
        rule = site.project.prevailing
        return _box(_prevails(site, locale)) if rule != source else ""
    holder = site.ledger.holder(text_name(source, document), release.version)
    if holder is None:
        return _box(_prevails(site, locale))
    name = language(locale, source)
    href = f"{root}{site.prefix(source)}{document}/{holder.version}/"
    date = f'<a href="{html_text(href)}">{html_text(site.date(locale, holder.effective))}</a>'
    confirmed = set(release.confirmed.get(text_name(locale, document), ()))
    clauses = [c for c in site.archived(holder, source, document).clauses if c.valid_id]
    pending = [c for c in clauses if c.id not in confirmed]
    if not confirmed:
        head = site.text(locale, "translation_unconfirmed", language=name, date=date)
    elif not pending:
        head = site.text(locale, "translation_matches", language=name, date=date)
    else:
        head = site.text(locale, "translation_pending", language=name, date=date) + "\n\n" + \
            _pending(site, locale, document, release, pending, href, name)
    return _box(f"{head}\n\n{_prevails(site, locale)}")


def _pending(site: Site, locale: str, document: str, release: Release,
             pending: list[Clause], href: str, name: str) -> str:
    """One item per pending clause: its translated heading, a link to the source's clause."""
    translated = site.archived(release, locale, document)
    link = html_text(site.text(locale, "source_clause", language=name))
    items = []
    for source in pending:
        clause = translated.clause(source.id) or source
        if clause.is_preamble:
            label, anchor = str(site.strings(locale)["status"]["preamble"]), ""
        else:
            label = f"{clause.number}. {clause.title}" if clause.number else clause.title
            anchor = f"#{source.id}"
        items.append(f'- {site_markdown(label)}: <a class="policy-source-clause" '
                     f'href="{html_text(href + anchor)}">{link}</a>')
    return "\n".join(items)


def _prevails(site: Site, locale: str) -> str:
    rule = site.project.prevailing
    if rule == EACH:
        return site.text(locale, "equally_authentic")
    return site.text(locale, "prevails", language=language(locale, rule))


def _box(text: str) -> str:
    return f'<div class="policy-translation" role="note" markdown>\n{text}\n</div>\n\n'
