"""The site's own words, ``locales/<locale>/site.yml``: read and validated once per version.

Every key the site uses must be in every built locale's file (no silent English on a Dutch
page), every value must be text, and a value may hold only the ``{placeholders}`` its key is
given. Errors name the file and the key's line.
"""

from __future__ import annotations

import string
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

from .config import LOCALES_DIR
from .errors import ConfigError
from .yamlio import key_line, load_yaml

STRINGS_FILE = "site.yml"

# Each key the site uses, with the placeholders its text may hold.
PLACEHOLDERS: dict[str, frozenset[str]] = {
    **dict.fromkeys(("home", "home_intro", "languages", "latest_update", "not_available",
                     "updates", "updates_intro", "version",
                     "effective", "all_versions", "read_current", "read_new",
                     "see_changes", "changes", "first_version", "not_in_force",
                     "not_published", "not_found", "not_found_text", "draft", "inserted",
                     "deleted", "status_in_force", "status_replaced", "material", "editorial",
                     "editorial_note", "summary", "equally_authentic", "retroactive",
                     "site_name", "permalink", "feed", "compare_version", "compare_with",
                     "compare_button", "compare_intro", "compare_same", "clause_missing"),
                    frozenset()),
    **dict.fromkeys(("status_superseded", "superseded_before", "corrects", "read_correction"),
                    frozenset({"version"})),
    "superseded_after": frozenset({"version", "start", "end"}),
    "status_announced": frozenset({"date"}),
    **dict.fromkeys(("translation_matches", "translation_pending", "translation_unconfirmed"),
                    frozenset({"language", "date"})),
    **dict.fromkeys(("prevails", "source_clause"), frozenset({"language"})),
    "in_force_since": frozenset({"date"}),
    "released_on": frozenset({"date"}),
    "last_update": frozenset({"date"}),
    "archived": frozenset({"start", "end"}),
    "archived_future": frozenset({"start"}),
    "upcoming": frozenset({"date"}),
    "changes_title": frozenset({"document", "version"}),
    "compared_with": frozenset({"previous"}),
    **dict.fromkeys(("compare_form", "compare_index_title"), frozenset({"document"})),
    "compare_title": frozenset({"document", "old", "new"}),
    **dict.fromkeys(("compare_identical", "compare_releases"), frozenset({"old", "new"})),
    "pdf": frozenset({"size"}),
    "pdf_page": frozenset({"page", "pages"}),
}
# The words of the redline legend, under ``status:``.
STATUS_KEYS = ("changed", "added", "removed", "moved", "renumbered", "unchanged", "preamble",
               "unchanged_clause", "unchanged_clauses", "and", "markup", "former")


def strings_path(root: Path, locale: str) -> Path:
    return root / LOCALES_DIR / locale / STRINGS_FILE


def load_strings(root: Path, locale: str) -> dict[str, Any]:
    """The validated strings of one locale; read again only when the file changes (serve)."""
    path = strings_path(root, locale)
    try:
        info = path.stat()
        stamp = (info.st_mtime_ns, info.st_size, info.st_ino)
    except OSError:
        stamp = (0, 0, 0)
    return _load(path, f"{LOCALES_DIR}/{locale}/{STRINGS_FILE}", stamp)


@cache
def _load(path: Path, display: str, stamp: tuple[int, int, int]) -> dict[str, Any]:
    data = read_strings(path, display)
    problem = next(problems(path, display, data), None)
    if problem is not None:
        raise problem
    assert isinstance(data, dict)  # else problems() named it
    return data


def read_strings(path: Path, display: str) -> Any:
    """The parsed file, unvalidated; a missing or unreadable file is a ConfigError."""
    if not path.is_file():
        raise ConfigError(f"missing: the site's words in this language (copy "
                          f"{LOCALES_DIR}/en/{STRINGS_FILE} and translate it)", display)
    return load_yaml(path, display, ConfigError)


def problems(path: Path, display: str, data: Any) -> Iterator[ConfigError]:
    """Every missing key and bad value of a parsed ``site.yml``, in the file's key order."""
    if not isinstance(data, dict):
        yield ConfigError("expected a mapping of keys to text", display, 1)
        return
    for key, allowed in PLACEHOLDERS.items():
        yield from _check(path, display, data, (key,), allowed)
    status = data.get("status")
    if not isinstance(status, dict):
        if "status" not in data:
            yield ConfigError("missing key 'status'", display)
        else:
            yield _fail(path, display, ("status",), "'status' must be a mapping of the "
                        "redline's words")
        return
    for key in STATUS_KEYS:
        yield from _check(path, display, status, ("status", key), frozenset())


def unknown_keys(data: dict[Any, Any]) -> list[tuple[str, ...]]:
    """The keys of a parsed ``site.yml`` the site never uses, each as its path of keys."""
    status = data.get("status")
    top: list[tuple[str, ...]] = [(str(key),) for key in data
                                  if key not in PLACEHOLDERS and key != "status"]
    if isinstance(status, dict):
        top += [("status", str(key)) for key in status if key not in STATUS_KEYS]
    return top


def _check(path: Path, display: str, data: dict[str, Any], keys: tuple[str, ...],
           allowed: frozenset[str]) -> Iterator[ConfigError]:
    name = ".".join(keys)
    if keys[-1] not in data:
        yield ConfigError(f"missing key '{name}'", display)
        return
    value = data[keys[-1]]
    if not isinstance(value, str):
        yield _fail(path, display, keys, f"'{name}' must be text, not "
                    f"{type(value).__name__ if value is not None else 'empty'} (quote it)")
        return
    try:
        fields = [f for _, f, _, _ in string.Formatter().parse(value) if f is not None]
    except ValueError:
        yield _fail(path, display, keys, f"'{name}' has a stray '{{' or '}}': write {{{{ "
                    "and }} for a literal brace")
        return
    for field in fields:
        if field not in allowed:
            known = ", ".join(f"{{{p}}}" for p in sorted(allowed))
            yield _fail(path, display, keys, f"'{name}' has an unknown placeholder "
                        f"{{{field}}}: " + (f"use {known}" if known else "it takes none "
                                            "(write {{ and }} for a literal brace)"))
            return
    try:
        value.format(**dict.fromkeys(allowed, ""))
    except (ValueError, KeyError, IndexError, AttributeError) as exc:
        yield _fail(path, display, keys, f"'{name}' cannot be filled in: {exc}")


def _fail(path: Path, display: str, keys: tuple[str, ...], message: str) -> ConfigError:
    return ConfigError(message, display, key_line(path, *keys))
