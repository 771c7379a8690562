"""The project declaration, read once: source locale, locales, documents, protected terms.

``policy/policy.yml`` is the one place these facts live; the CLI and the MkDocs plugin both
call :func:`load_project`. Without a config file the source locale is ``en``, every other
folder of ``locales/`` is a translation, and every Markdown file of the source is a document.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, partial
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .yamlio import key_line, load_yaml, read_text, yaml11_load, yaml11_suspect

CONFIG_FILE = "policy/policy.yml"
MKDOCS_FILE = "mkdocs.yml"
LOCALES_DIR = "locales"
# Matched whole (fullmatch): '$' would let a final newline through
LOCALE_RE = re.compile(r"[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*")
NAME_RE = re.compile(r"[a-z0-9][a-z0-9-]*")
CLAUSE_ID_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")  # as parse.ID_RE: a heading's {#id}
REGION_RE = re.compile(r"[A-Z]{2}|[0-9]{3}")
EACH = "each"  # prevailing: every language version is equally authentic
MAX_NOTICE_DAYS = 3650  # ten years: more is a typo, and dates must stay in the calendar

# Words that introduce a textual reference to a clause ("section 4", "artikel 3").
DEFAULT_REFERENCE_WORDS: dict[str, tuple[str, ...]] = {
    "en": ("section", "sections", "clause", "clauses", "paragraph", "paragraphs"),
    "nl": ("artikel", "artikelen", "sectie", "secties", "paragraaf", "hoofdstuk", "punt"),
    "de": ("Abschnitt", "Abschnitte", "Ziffer", "Punkt"),
    "fr": ("section", "sections", "article", "articles", "paragraphe"),
    "es": ("sección", "secciones", "cláusula", "apartado"),
}


@dataclass(frozen=True)
class Project:
    """Everything the tools need to know about a policy repository."""

    root: Path
    source_locale: str = "en"
    locales: tuple[str, ...] = ("en",)
    locale_names: dict[str, str] = field(default_factory=dict)
    documents: tuple[str, ...] = ()
    terms: tuple[str, ...] = ()
    not_terms: frozenset[str] = frozenset()
    regions: dict[str, str] = field(default_factory=dict)
    reference_words: dict[str, tuple[str, ...]] = field(default_factory=dict)
    config_file: str | None = None
    notice_days: int = 0  # the notice a material change gives: days from release to effect
    prevailing: str = "en"  # the locale whose text prevails, or EACH
    publish: dict[str, tuple[str, ...]] = field(default_factory=dict)  # locale → documents
    # document → {old clause id: new id}: ``policy rename-clause`` remembers each rename here
    renamed: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def translations(self) -> tuple[str, ...]:
        return tuple(loc for loc in self.locales if loc != self.source_locale)

    def publishes(self, locale: str) -> tuple[str, ...]:
        """The documents ``locale`` publishes (``publish`` in policy.yml; default: every one)."""
        return self.publish.get(locale, self.documents)

    def doc_path(self, locale: str, document: str) -> Path:
        return self.root / LOCALES_DIR / locale / f"{document}.md"

    def rel(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    def words_for(self, locale: str) -> tuple[str, ...]:
        base = locale.replace("_", "-").split("-")[0]
        return self.reference_words.get(locale) or self.reference_words.get(base) or \
            DEFAULT_REFERENCE_WORDS.get(base, ())

    def region(self, locale: str) -> str | None:
        """The declared region of a locale (``regions`` in policy.yml), if any."""
        base = locale.replace("_", "-").split("-")[0]
        return self.regions.get(locale) or (None if "-" in locale.replace("_", "-")
                                            else self.regions.get(base))

    def locale_name(self, locale: str) -> str:
        """The locale's name in English, for messages ('the Dutch', 'the English')."""
        if locale in self.locale_names:
            return self.locale_names[locale]
        from babel import Locale, UnknownLocaleError

        try:
            return str(Locale.parse(locale.replace("-", "_")).english_name)
        except (ValueError, UnknownLocaleError):
            return locale


def load_project(root: Path) -> Project:
    """Read ``policy/policy.yml`` under ``root`` (if any) and fill in the defaults."""
    root = root.resolve()
    if not root.is_dir():
        raise ConfigError("no such folder", str(root))
    locales_dir = root / LOCALES_DIR
    cfg_path = root / CONFIG_FILE
    data: Any = load_yaml(cfg_path, CONFIG_FILE, ConfigError) if cfg_path.exists() else None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError("expected a mapping at the top level", CONFIG_FILE, 1)
    reader = _Reader(data, cfg_path)
    source = reader.string("source_locale", "en")
    _check_locale(source, lambda: reader.line("source_locale"))
    names = reader.locales()
    site = site_languages(root)
    if names is not None and site is not None:
        raise ConfigError("locales are declared twice, here and in the i18n block of "
                          f"{MKDOCS_FILE}: keep one declaration", CONFIG_FILE,
                          reader.line("locales"))
    if names is None and site is not None:
        names = dict.fromkeys(site, "")  # messages name locales in English (Babel)
    if names is None:
        found = sorted(p.name for p in locales_dir.iterdir() if p.is_dir()) \
            if locales_dir.is_dir() else []
        names = {code: "" for code in found if LOCALE_RE.fullmatch(code)}
    if source not in names:
        names = {source: "", **names}
    locales = (source, *sorted(code for code in names if code != source))
    documents = reader.names("documents")
    if documents is None:
        documents = tuple(sorted(p.stem for p in (locales_dir / source).glob("*.md")))
    if not documents:  # checking nothing must not pass as checking everything
        raise ConfigError(f"{LOCALES_DIR}/{source}/ holds no Markdown document of the source "
                          f"locale: add one, or set source_locale and documents in {CONFIG_FILE}")
    return Project(
        root=root,
        source_locale=source,
        locales=locales,
        locale_names={code: name for code, name in names.items() if name},
        documents=documents,
        terms=reader.terms(),
        not_terms=frozenset(reader.strings("not_terms")),
        regions=reader.regions(),
        reference_words=reader.reference_words(),
        config_file=CONFIG_FILE if cfg_path.exists() else None,
        notice_days=reader.notice_days(),
        prevailing=reader.prevailing(source, locales),
        publish=reader.publish(source, locales, documents),
        renamed=reader.renamed(documents),
    )


def site_languages(root: Path) -> list[str] | None:
    """The locales of the i18n plugin block of ``mkdocs.yml``, read without MkDocs."""
    site = _read_mkdocs(root)
    if site is None:
        return None
    data, text = site
    for plugin in _plugins(data):
        if isinstance(plugin, dict) and isinstance(plugin.get("i18n"), dict):
            languages = plugin["i18n"].get("languages") or []
            codes = [lang.get("locale") for lang in languages if isinstance(lang, dict)]
            _check_site_locales(codes, text)
            return [str(code) for code in codes]
    return None


def has_site(root: Path) -> bool:
    """True when ``mkdocs.yml`` publishes the policy: its plugins include ``policy``."""
    site = _read_mkdocs(root)
    return site is not None and any(
        plugin == "policy" or (isinstance(plugin, dict) and "policy" in plugin)
        for plugin in _plugins(site[0]))


def _read_mkdocs(root: Path) -> tuple[Any, str] | None:
    """The parsed ``mkdocs.yml`` and its text, or None without one."""
    path = root / MKDOCS_FILE
    if not path.exists():
        return None
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    yaml = YAML(typ="safe")
    yaml.Constructor = _tolerant()
    try:
        text = read_text(path, MKDOCS_FILE, ConfigError)
        return yaml.load(text), text
    except YAMLError as exc:
        raise ConfigError(f"cannot read: {exc}", MKDOCS_FILE) from None


@cache
def _tolerant() -> Any:
    """A safe constructor reading tags only MkDocs resolves (!ENV, !!python/name:…) as None.

    A subclass: adding the tags to ruamel's own class would make every other loader of the
    process, round-trip ones included, drop them too (and a rewrite of mkdocs.yml lose them).
    """
    from ruamel.yaml.constructor import SafeConstructor

    class Tolerant(SafeConstructor):
        pass

    Tolerant.add_multi_constructor("", lambda *_: None)
    return Tolerant


def _plugins(data: Any) -> list[Any]:
    """The plugin entries, of either form MkDocs accepts: a list, or a mapping of names."""
    plugins = data.get("plugins") if isinstance(data, dict) else None
    if isinstance(plugins, dict):
        return [{name: options} for name, options in plugins.items()]
    return plugins if isinstance(plugins, list) else []


def _check_site_locales(codes: list[Any], text: str) -> None:
    """Each code valid, listed once, and read alike by MkDocs (YAML 1.1) and by us (1.2)."""
    seen: set[str] = set()
    for code in codes:
        if not isinstance(code, str):
            raise ConfigError(f"locale {code!r} is not a locale code: quote it, e.g. 'en'",
                              MKDOCS_FILE, _site_line(text, code))
        _check_locale(code, partial(_site_line, text, code), MKDOCS_FILE)
        if code in seen:
            raise ConfigError(f"locale {code!r} is listed twice in the i18n languages: list "
                              "it once", MKDOCS_FILE, _site_line(text, code, second=True))
        seen.add(code)
    if any(yaml11_suspect(code) for code in codes):
        old = yaml11_load(text, MKDOCS_FILE, ConfigError)
        plugins = (old or {}).get("plugins") or [] if isinstance(old, dict) else []
        read = [lang.get("locale") for plugin in plugins if isinstance(plugin, dict)
                and isinstance(plugin.get("i18n"), dict)
                for lang in plugin["i18n"].get("languages") or [] if isinstance(lang, dict)]
        for code, other in zip(codes, read, strict=False):
            if other != code:
                raise ConfigError(f"locale {code} reads as {other!r} in MkDocs (YAML 1.1): "
                                  f"quote it, locale: '{code}'", MKDOCS_FILE,
                                  _site_line(text, code))


def _site_line(text: str, code: object, second: bool = False) -> int | None:
    """The line of a 'locale:' entry in mkdocs.yml, for an error message."""
    pattern = re.compile(rf"^\s*(?:-\s+)?locale:\s*[\"']?{re.escape(str(code))}[\"']?\s*(?:#.*)?$")
    lines = [n for n, line in enumerate(text.splitlines(), 1) if pattern.match(line)]
    return lines[1 if second and len(lines) > 1 else 0] if lines else None


def _check_locale(code: str, line: Callable[[], int | None], file: str = CONFIG_FILE) -> None:
    """``line`` is called only for the error: finding a key's line costs a full parse."""
    if not LOCALE_RE.fullmatch(code):
        raise ConfigError(f"invalid locale code {code!r}: expected forms 'en' or 'pt-BR'",
                          file, line())


def _once(items: list[Any], key: str, path: Path, file: str = CONFIG_FILE) -> None:
    """Refuse a name listed twice: every finding about it would be reported twice."""
    seen: set[Any] = set()
    for index, item in enumerate(items):
        if item in seen:
            raise ConfigError(f"{key}: {item!r} is listed twice: list it once", file,
                              key_line(path, key, index))
        seen.add(item)


class _Reader:
    """Typed access to the config mapping; every error names the key's line."""

    def __init__(self, data: Any, path: Path) -> None:
        self.data = data
        self.path = path

    def line(self, key: str) -> int | None:
        return key_line(self.path, key) if key in self.data else None

    def fail(self, key: str, message: str) -> ConfigError:
        return ConfigError(f"{key}: {message}", CONFIG_FILE, self.line(key))

    def string(self, key: str, default: str) -> str:
        value = self.data.get(key, default)
        if not isinstance(value, str) or not value:
            raise self.fail(key, "expected a non-empty string (quote it: 'no' reads as false)")
        return value

    def locales(self) -> dict[str, str] | None:
        value = self.data.get("locales")
        if value is None:
            return None
        if isinstance(value, list):
            if not all(isinstance(code, str) for code in value):
                raise self.fail("locales", "expected a list of quoted locale codes like 'en'")
            _once(value, "locales", self.path)
            value = dict.fromkeys(value, "")
        if not isinstance(value, dict):
            raise self.fail("locales", "expected a mapping of locale code to name")
        for code, name in value.items():
            if not isinstance(code, str):
                raise self.fail("locales", f"locale code {code!r} must be a quoted string")
            _check_locale(code, lambda: self.line("locales"))
            if name is not None and not isinstance(name, str):
                raise self.fail("locales", f"name of {code!r} must be a string")
        return {str(code): str(name or "") for code, name in value.items()}

    def names(self, key: str) -> tuple[str, ...] | None:
        value = self.data.get(key)
        if value is None:
            return None
        items = list(value) if isinstance(value, dict | list) else None
        if not items or not all(isinstance(v, str) and NAME_RE.fullmatch(v) for v in items):
            raise self.fail(key, "expected a list (or mapping) of names like 'privacy'")
        _once(items, key, self.path)
        return tuple(items)

    def terms(self) -> tuple[str, ...]:
        return self.strings("terms")

    def strings(self, key: str) -> tuple[str, ...]:
        value = self.data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(t, str) and t.strip()
                                                  for t in value):
            raise self.fail(key, "expected a list of non-empty strings")
        return tuple(t.strip() for t in value)

    def regions(self) -> dict[str, str]:
        value = self.data.get("regions", {})
        if not isinstance(value, dict):
            raise self.fail("regions", "expected a mapping of locale to region, like en: GB")
        for code, region in value.items():
            if not isinstance(code, str) or not LOCALE_RE.fullmatch(code):
                raise self.fail("regions", f"invalid locale code {code!r}: expected forms "
                                "'en' or 'pt-BR'")
            if not isinstance(region, str) or not REGION_RE.fullmatch(region):
                raise self.fail("regions", f"region of {code!r} must be a region code like "
                                "'GB' or 'US'")
        return {str(k): str(v) for k, v in value.items()}

    def reference_words(self) -> dict[str, tuple[str, ...]]:
        value = self.data.get("reference_words", {})
        if not isinstance(value, dict) or not all(
            isinstance(words, list) and all(isinstance(w, str) for w in words)
            for words in value.values()
        ):
            raise self.fail("reference_words", "expected a mapping of locale to a list of words")
        return {str(k): tuple(v) for k, v in value.items()}

    def notice_days(self) -> int:
        value = self.data.get("notice_days", 0)
        if isinstance(value, bool) or not isinstance(value, int) or \
                not 0 <= value <= MAX_NOTICE_DAYS:
            raise self.fail("notice_days", f"expected a whole number of days from 0 to "
                            f"{MAX_NOTICE_DAYS}, like 30 (the notice a material change gives)")
        return value

    def prevailing(self, source: str, locales: tuple[str, ...]) -> str:
        value = self.data.get("prevailing", source)
        if value != EACH and value not in locales:
            raise self.fail("prevailing", f"{_quoted(value)} is no declared locale: name the "
                            f"locale whose text prevails ({', '.join(locales)}), or '{EACH}' "
                            "when every language version is equally authentic")
        return str(value)

    def publish(self, source: str, locales: tuple[str, ...],
                documents: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
        value = self.data.get("publish", {})
        if not isinstance(value, dict):
            raise self.fail("publish", "expected a mapping of locale to the documents it "
                            "publishes, like nl: [privacy]")
        found: dict[str, tuple[str, ...]] = {}
        for locale, names in value.items():
            found[locale] = self._published(locale, names, locales, documents)
            if locale == source and set(found[locale]) != set(documents):
                raise self._fail_at(locale, f"the source locale {source} publishes every "
                                    "document (translations are checked against it): drop it "
                                    "from publish")
        return found

    def _published(self, locale: Any, names: Any, locales: tuple[str, ...],
                   documents: tuple[str, ...]) -> tuple[str, ...]:
        if locale not in locales:
            raise self._fail_at(locale, f"{_quoted(locale)} is no declared locale (the project "
                                f"has {', '.join(locales)})")
        if not isinstance(names, list) or not names:
            raise self._fail_at(locale, f"expected the list of documents {locale} publishes, "
                                f"like {locale}: [{documents[0]}]")
        for name in names:
            if name not in documents:
                raise self._fail_at(locale, f"{locale} publishes {_quoted(name)}, which is no "
                                    f"declared document ({', '.join(documents)})")
        twice = next((name for i, name in enumerate(names) if name in names[:i]), None)
        if twice is not None:
            raise self._fail_at(locale, f"{locale} lists {twice!r} twice: list it once")
        return tuple(doc for doc in documents if doc in names)

    def renamed(self, documents: tuple[str, ...]) -> dict[str, dict[str, str]]:
        value = self.data.get("renamed", {})
        if not isinstance(value, dict):
            raise self.fail("renamed", "expected a mapping of document to its renamed clause "
                            "ids, like privacy: {tracking: cookies}")
        found: dict[str, dict[str, str]] = {}
        for document, ids in value.items():
            found[str(document)] = self._renames(document, ids, documents)
        return found

    def _renames(self, document: Any, ids: Any, documents: tuple[str, ...]) -> dict[str, str]:
        """One document's renames: old id → new id, both valid, no chain (a → b, b → c)."""
        def fail(message: str) -> ConfigError:
            line = key_line(self.path, "renamed", document) if isinstance(document, str) \
                else None
            return ConfigError(f"renamed: {message}", CONFIG_FILE, line or self.line("renamed"))

        if document not in documents:
            raise fail(f"{_quoted(document)} is no declared document ({', '.join(documents)})")
        if not isinstance(ids, dict) or not ids:
            raise fail(f"expected the renamed clause ids of {document}, old: new, like "
                       f"{document}: {{tracking: cookies}}")
        for old, new in ids.items():
            if not all(isinstance(v, str) and CLAUSE_ID_RE.fullmatch(v) for v in (old, new)):
                raise fail(f"{document}: {_quoted(old)}: {_quoted(new)} is not a rename of one "
                           "clause id (lowercase letters, digits, hyphens) to another")
            if old == new or new in ids:
                raise fail(f"{document}: {old}: {new} renames "
                           + ("a clause to itself" if old == new else
                              f"to an id renamed again: write {old}: {ids[new]}"))
        return {str(old): str(new) for old, new in ids.items()}

    def _fail_at(self, locale: Any, message: str) -> ConfigError:
        """An error about one locale's entry of ``publish``, naming that entry's line."""
        line = key_line(self.path, "publish", locale) if isinstance(locale, str) else None
        return ConfigError(f"publish: {message}", CONFIG_FILE, line or self.line("publish"))


def _quoted(value: Any) -> str:
    return repr(value) if isinstance(value, str) else str(value)
