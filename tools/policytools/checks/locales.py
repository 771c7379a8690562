"""The locale folders and the site's words: every folder of ``locales/`` is a declared
locale, and every declared locale of a published site has a valid ``site.yml``, translated."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..config import CONFIG_FILE, LOCALES_DIR, MKDOCS_FILE, Project, has_site, site_languages
from ..errors import ConfigError
from ..model import Document, Finding
from ..rules import finding
from ..site_strings import (
    PLACEHOLDERS,
    STATUS_KEYS,
    STRINGS_FILE,
    problems,
    read_strings,
    strings_path,
    unknown_keys,
)
from ..yamlio import key_line
from .registry import project_check

QUOTE = 60  # characters of a value a message quotes


@project_check("locale-undeclared")
def locales_declared(project: Project) -> Iterator[Finding]:
    """Every folder of ``locales/`` is a declared locale (dot folders are not locales)."""
    folder = project.root / LOCALES_DIR
    if not folder.is_dir():
        return
    where = f"the i18n block of {MKDOCS_FILE}" if site_languages(project.root) is not None \
        else f"locales: of {CONFIG_FILE}"
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or not path.is_dir() or path.name in project.locales:
            continue
        doc = Document(name="", locale="", path=f"{LOCALES_DIR}/{path.name}/")
        yield finding("locale-undeclared", doc, f"{doc.path} is not a declared locale: "
                      f"declare '{path.name}' in {where}, or remove the folder",
                      key=path.name)


@project_check("site-strings-missing", "site-strings-invalid", "site-strings-unknown")
def site_strings_valid(project: Project) -> Iterator[Finding]:
    """Each locale of a published site has a ``site.yml`` with every key the site uses,
    each text with only its own placeholders, and no key the site ignores."""
    if not has_site(project.root):
        return
    for locale in project.locales:
        yield from _strings(project, locale)


def _strings(project: Project, locale: str) -> Iterator[Finding]:
    path = strings_path(project.root, locale)
    doc = Document(name="site", locale=locale, path=project.rel(path))
    source = f"{LOCALES_DIR}/{project.source_locale}/{STRINGS_FILE}"
    if not path.exists():
        yield finding("site-strings-missing", doc, f"{doc.path} does not exist: the site "
                      f"needs its words in this language; copy {source} and translate it",
                      key="missing")
        return
    try:
        data = read_strings(path, doc.path)
    except ConfigError as exc:
        yield finding("site-strings-invalid", doc, f"{doc.path} cannot be read: {exc.message}",
                      line=exc.line, key="unreadable")
        return
    for problem in problems(path, doc.path, data):
        message = problem.message
        if message.startswith("missing key"):
            message += f": add it, translated from {source}"
        yield finding("site-strings-invalid", doc, f"{doc.path}: {message}",
                      line=problem.line or 1, key=message.split(":")[0])
    if isinstance(data, dict):
        for keys in unknown_keys(data):
            name = ".".join(keys)
            yield finding("site-strings-unknown", doc, f"{doc.path}: the site does not use "
                          f"key '{name}': remove it, or correct its name",
                          line=key_line(path, *keys), key=name)


@project_check("site-strings-untranslated")
def site_strings_translated(project: Project) -> Iterator[Finding]:
    """No text of a translation's ``site.yml`` is still the source's: its pages would show
    the source's words."""
    if not has_site(project.root):
        return
    source = _readable(strings_path(project.root, project.source_locale), project)
    if source is None:
        return
    for locale in project.translations:
        path = strings_path(project.root, locale)
        data = _readable(path, project)
        if data is None:
            continue
        same = [keys for keys in _text_keys(data) if _value(data, keys) is not None
                and _value(data, keys) == _value(source, keys)]
        if same:
            yield from _untranslated(project, locale, path, data, same)


def _readable(path: Path, project: Project) -> dict[str, Any] | None:
    """The parsed ``site.yml``, or None where site_strings_valid reports why it is not."""
    try:
        data = read_strings(path, project.rel(path)) if path.exists() else None
    except ConfigError:
        return None
    return data if isinstance(data, dict) else None


def _text_keys(data: dict[str, Any]) -> Iterator[tuple[str, ...]]:
    yield from ((key,) for key in PLACEHOLDERS)
    if isinstance(data.get("status"), dict):
        yield from (("status", key) for key in STATUS_KEYS)


def _value(data: dict[str, Any], keys: tuple[str, ...]) -> str | None:
    """The text at ``keys`` if it holds a letter ('¶' is no word of a language)."""
    node: Any = data
    for key in keys[:-1]:
        node = node.get(key) if isinstance(node.get(key), dict) else {}
    value = node.get(keys[-1])
    return value if isinstance(value, str) and any(c.isalpha() for c in value) else None


def _untranslated(project: Project, locale: str, path: Path, data: dict[str, Any],
                  same: list[tuple[str, ...]]) -> Iterator[Finding]:
    doc = Document(name="site", locale=locale, path=project.rel(path))
    lines = _key_lines(path, same)
    source, target = (project.locale_name(loc) for loc in (project.source_locale, locale))
    for keys in same:
        name = ".".join(keys)
        yield finding("site-strings-untranslated", doc, f"{doc.path}: '{name}' is still the "
                      f"{source} text ‘{_short(str(_value(data, keys)))}’: translate it (if "
                      f"the {target} writes it alike, accept this finding in the baseline "
                      "with that reason)", line=lines.get(keys), key=name)


def _key_lines(path: Path, wanted: list[tuple[str, ...]]) -> dict[tuple[str, ...], int]:
    """The line of each key in ``wanted``, from one round-trip parse (a courtesy)."""
    from ..yamlio import parse_yaml, read_text

    try:
        data = parse_yaml(read_text(path, str(path)), str(path), roundtrip=True)
        found = {}
        for keys in wanted:
            node = data
            for key in keys[:-1]:
                node = node[key]
            found[keys] = int(node.lc.key(keys[-1])[0]) + 1
        return found
    except Exception:  # lines are a courtesy: never let finding them fail the check
        return {}


def _short(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= QUOTE else line[:QUOTE - 1].rstrip() + "…"
