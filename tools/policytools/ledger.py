"""The release ledger (``policy/releases.yml``) and the frozen archive it vouches for.

The ledger round-trips through ruamel.yaml, so comments, order and quoting that editors
wrote survive every tool write. Its invariants (valid unique ids in order, effective dates
never going back) are checked when it is loaded; the archive's SHA-256 hashes are
recomputed by ``checks.archive.integrity``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from .config import LOCALE_RE, NAME_RE, Project
from .errors import PolicyError
from .files import FileRefused, read_bytes_safely
from .parse import ID_RE
from .yamlio import load_yaml

LEDGER_FILE = "policy/releases.yml"
ARCHIVE_DIR = "policy/archive"
# Matched whole (fullmatch) and ASCII only; at most 999 releases a day keeps the number small.
VERSION_RE = re.compile(r"(?P<date>[0-9]{4}-[0-9]{2}-[0-9]{2})(?:-(?P<n>[2-9]|[1-9][0-9]{1,2}))?")
DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
CURRENT = "current"


Kind = Literal["material", "editorial"]
KINDS: tuple[Kind, ...] = ("material", "editorial")


def text_name(locale: str, document: str) -> str:
    """How the ledger names one text: 'nl/privacy.md'."""
    return f"{locale}/{document}.md"


class LedgerError(PolicyError):
    """``policy/releases.yml`` is malformed or breaks an invariant."""


@dataclass(frozen=True)
class Release:
    version: str
    effective: dt.date
    released: dt.date
    summary: dict[str, str]
    files: dict[str, str]  # "<locale>/<document>.md" → SHA-256 hex digest
    allow_drift: str | None = None
    backdated: str | None = None  # why a release was dated before the day it was made
    line: int | None = None
    kind: Kind = "material"  # the ledger's `class:`
    retroactive: str | None = None  # why it takes effect before the day it was made
    supersedes: str | None = None  # the announced release it corrects, never in force after
    # per translated text ("nl/privacy.md"): the clauses confirmed against this release's source
    confirmed: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # the notice_days policy.yml required when it was released: a later change of the rule
    # does not make an earlier release wrong (None: an entry from before it was recorded)
    notice_days: int | None = None

    def archived(self, locale: str, document: str) -> str:
        return f"{ARCHIVE_DIR}/{self.version}/{locale}/{document}.md"

    def has(self, locale: str, document: str) -> bool:
        """Whether this release adds or changes that text (only those are archived in it)."""
        return text_name(locale, document) in self.files


@dataclass
class Ledger:
    path: Path
    releases: tuple[Release, ...] = ()
    data: Any = None

    @property
    def latest(self) -> Release | None:
        return self.releases[-1] if self.releases else None

    def get(self, version: str) -> Release:
        for release in self.releases:
            if release.version == version:
                return release
        known = ", ".join(r.version for r in self.releases) or "none yet"
        raise LedgerError(f"no release {_shown(version)} (releases: {known})", LEDGER_FILE)

    def upto(self, version: str) -> tuple[Release, ...]:
        """The releases as of ``version``: it and those before, less the ones superseded."""
        self.get(version)
        at = [r.version for r in self.releases].index(version)
        return in_effect(self.releases[:at + 1])

    def built_on(self, release: Release) -> dict[str, Release]:
        """The texts ``release`` found: each text's holder among the releases before it that
        it leaves in effect (not the one it supersedes)."""
        return holders(r for r in self.upto(release.version) if r is not release)

    def next_built_on(self, supersedes: str | None = None) -> dict[str, Release]:
        """The texts a new release finds: each text's holder as of the latest release, or as
        of the release before ``supersedes`` (which the new release takes the place of)."""
        return holders(r for r in in_effect(self.releases) if r.version != supersedes)

    def holder(self, name: str, version: str) -> Release | None:
        """The release whose archive holds text ``name`` ("nl/privacy.md") as of ``version``."""
        found = [r for r in self.upto(version) if name in r.files]
        return found[-1] if found else None

    def texts(self, version: str) -> dict[str, str]:
        """Every text as of ``version``: name → SHA-256 of its released content."""
        return {name: holder.files[name]
                for name in sorted({n for r in self.upto(version) for n in r.files})
                if (holder := self.holder(name, version)) is not None}

    def history(self, locale: str, document: str) -> tuple[Release, ...]:
        """The releases that changed a text, oldest first (superseded ones too)."""
        return tuple(r for r in self.releases if r.has(locale, document))

    def previous_text(self, release: Release, locale: str, document: str) -> Release | None:
        """The release holding the version of a text that ``release`` replaced."""
        earlier = [r for r in self.upto(release.version) if r is not release
                   and r.has(locale, document)]
        return earlier[-1] if earlier else None

    def superseded_by(self, version: str) -> Release | None:
        return next((r for r in self.releases if r.supersedes == version), None)

    def previous(self, version: str) -> Release | None:
        ids = [r.version for r in self.releases]
        at = ids.index(version)
        return self.releases[at - 1] if at else None


def in_effect(releases: Sequence[Release]) -> tuple[Release, ...]:
    """``releases`` less those another of them supersedes."""
    gone = {r.supersedes for r in releases if r.supersedes}
    return tuple(r for r in releases if r.version not in gone)


def holders(releases: Iterable[Release]) -> dict[str, Release]:
    """Each text ("nl/privacy.md") → the last of ``releases`` that archived it."""
    return {name: release for release in releases for name in release.files}


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@lru_cache(maxsize=1024)
def _sha256_of(data: bytes) -> str:
    """Keyed by content: the language passes of one build read each archived file again."""
    return sha256(data)


def read_archived(root: Path, release: Release, locale: str, document: str) -> str:
    """The released text of one file, refused unless it is the file the ledger vouches for."""
    display = release.archived(locale, document)
    data = _read_regular(root / display, display, release.version)
    if _sha256_of(data) != release.files.get(f"{locale}/{document}.md"):
        raise LedgerError(f"does not match its SHA-256 in {LEDGER_FILE} (release "
                          f"{release.version}): released text is never edited; restore it "
                          "from version control", display)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise LedgerError("not UTF-8 text: restore the released file from version control",
                          display, line) from None


def _read_regular(path: Path, display: str, version: str) -> bytes:
    """The bytes of a regular file; a device, FIFO or folder is refused before reading."""
    if not path.exists() and not path.is_symlink():
        raise LedgerError(f"missing: release {version} lists it; restore it from version "
                          "control", display)
    try:
        return read_bytes_safely(path, display)
    except FileRefused as exc:
        raise LedgerError(f"cannot read: {exc.detail}: restore the released file from "
                          "version control", display) from None


def parse_version(text: str) -> tuple[dt.date, int]:
    """'2026-12-01-2' → (date(2026, 12, 1), 2); raises LedgerError with a fix if invalid."""
    match = VERSION_RE.fullmatch(text)
    if not match:
        raise LedgerError(f"invalid version id {_shown(text)}: use the release date "
                          "YYYY-MM-DD, with -2, -3… for a second release on one day")
    try:
        day = dt.date.fromisoformat(match["date"])
    except ValueError:
        raise LedgerError(f"invalid version id '{text}': {match['date']} is no date") from None
    return day, int(match["n"] or 1)


def _shown(text: str) -> str:
    """A value for a message: quoted with escapes, cut short if long."""
    return repr(text if len(text) <= 40 else text[:40] + "…")


def iso_date(text: str) -> dt.date | None:
    """'2026-12-15' → that date; None for anything else (20261215, 2026-W50-1, 2026-02-30)."""
    if not DATE_RE.fullmatch(text):
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _date(value: Any, what: str, line: int | None) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    day = iso_date(value) if isinstance(value, str) else None
    if day is None:
        raise LedgerError(f"{what} {_shown(str(value))} is not a date YYYY-MM-DD", LEDGER_FILE,
                          line)
    return day


def load_ledger(project: Project, roundtrip: bool = False) -> Ledger:
    """Read and validate the ledger; a missing file is an empty ledger.

    ``roundtrip`` keeps comments, order and quoting for a write; a ledger that breaks an
    invariant is read that way again, for the line numbers its error names.
    """
    path = project.root / LEDGER_FILE
    if not path.exists():
        return Ledger(path)
    data = load_yaml(path, LEDGER_FILE, LedgerError, roundtrip=roundtrip)
    if data is None:
        return Ledger(path)
    try:
        return Ledger(path, _releases(data), data)
    except LedgerError:
        if roundtrip:
            raise
        return load_ledger(project, roundtrip=True)


def _releases(data: Any) -> tuple[Release, ...]:
    items = data.get("releases") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise LedgerError("expected a mapping with a list 'releases:'", LEDGER_FILE, 1)
    releases: list[Release] = []
    for item in items:
        line = item.lc.line + 1 if hasattr(item, "lc") else None
        releases.append(_release(item, line))
    _check_order(releases)
    return tuple(releases)


def _release(item: Any, line: int | None) -> Release:
    if not isinstance(item, dict):
        raise LedgerError("a release must be a mapping", LEDGER_FILE, line)
    version = str(item.get("version", ""))
    try:
        parse_version(version)
    except LedgerError as exc:
        raise LedgerError(exc.message, LEDGER_FILE, line) from None
    summary, files = item.get("summary") or {}, item.get("files") or {}
    if not isinstance(summary, dict) or not isinstance(files, dict) or not files:
        raise LedgerError(f"release {version} needs 'summary' and 'files' mappings",
                          LEDGER_FILE, line)
    for locale, text in summary.items():
        if not isinstance(text, str) or not text.strip():
            raise LedgerError(f"release {version}: the summary for {locale} must be text "
                              "(the site publishes it)", LEDGER_FILE, line)
    for name, digest in files.items():
        _text_name(name, version, line)
        if not re.fullmatch(r"[0-9a-f]{64}", str(digest)):
            raise LedgerError(f"release {version}: {name} has no valid SHA-256", LEDGER_FILE,
                              line)
    effective = _date(item.get("effective"), "effective date", line)
    released = _date(item.get("released"), "release date", line)
    kind = item.get("class")
    if kind is None:
        raise LedgerError(f"release {version} has no class: add class: material (it changes "
                          "what the policy means for readers) or class: editorial",
                          LEDGER_FILE, line)
    if kind not in KINDS:
        raise LedgerError(f"release {version}: class must be material or editorial, not "
                          f"{_shown(str(kind))}", LEDGER_FILE, line)
    return Release(
        version=version, effective=effective, released=released,
        summary={str(k): str(v) for k, v in summary.items()},
        files={str(k): str(v) for k, v in files.items()},
        allow_drift=_text(item, "allow_drift", version, line),
        backdated=_text(item, "backdated", version, line), line=line, kind=kind,
        retroactive=_text(item, "retroactive", version, line),
        supersedes=_text(item, "supersedes", version, line),
        confirmed=_confirmed(item.get("confirmed"), version, line),
        notice_days=_days(item.get("notice_days"), version, line))


def _days(value: Any, version: str, line: int | None) -> int | None:
    if value is not None and (type(value) is not int or not 0 <= value <= 3650):
        raise LedgerError(f"release {version}: notice_days must be a whole number of days "
                          "from 0 to 3650", LEDGER_FILE, line)
    return value


def _text(item: Any, key: str, version: str, line: int | None) -> str | None:
    value = item.get(key)
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise LedgerError(f"release {version}: {key} must be text", LEDGER_FILE, line)
    return value


def _text_name(name: Any, version: str, line: int | None) -> str:
    """A text's name as the ledger gives it, refused unless it is '<locale>/<document>.md':
    it becomes a path under the archive, so '../' must never get through."""
    locale, _, document = str(name).partition("/")
    if not (isinstance(name, str) and LOCALE_RE.fullmatch(locale) and document.endswith(".md")
            and NAME_RE.fullmatch(document.removesuffix(".md"))):
        raise LedgerError(f"release {version}: {_shown(str(name))} is no text name "
                          "<locale>/<document>.md", LEDGER_FILE, line)
    return name


def _confirmed(value: Any, version: str, line: int | None) -> dict[str, tuple[str, ...]]:
    """The ``confirmed:`` snapshot: translated text → clause ids."""
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(
            isinstance(ids, list) and all(isinstance(i, str) and ID_RE.fullmatch(i)
                                          for i in ids)
            for ids in value.values()):
        raise LedgerError(f"release {version}: confirmed must map each translated text to a "
                          "list of clause ids", LEDGER_FILE, line)
    return {_text_name(name, version, line): tuple(ids) for name, ids in value.items()}


def _check_order(releases: list[Release]) -> None:
    seen: set[str] = set()
    for before, after in zip([None, *releases], releases, strict=False):
        if after.version in seen:
            raise LedgerError(f"version {after.version} appears twice", LEDGER_FILE,
                              after.line)
        if after.supersedes is not None and (before is None
                                             or after.supersedes != before.version):
            raise LedgerError(f"release {after.version} supersedes {_shown(after.supersedes)}, "
                              "which is not the release just before it", LEDGER_FILE,
                              after.line)
        seen.add(after.version)
        if before is not None and parse_version(after.version) <= parse_version(before.version):
            raise LedgerError(f"release {after.version} is listed after {before.version}: "
                              "keep releases in order", LEDGER_FILE, after.line)
    for at, release in enumerate(releases):
        _check_effective(release, holders(r for r in in_effect(releases[:at + 1])
                                          if r is not release))


def _check_effective(release: Release, found: Mapping[str, Release]) -> None:
    """Each text's versions take effect in order; texts apart may not (a Dutch fix may take
    effect before an English change announced earlier)."""
    for name in sorted(release.files):
        earlier = found.get(name)
        if earlier is not None and release.effective < earlier.effective:
            raise LedgerError(f"release {release.version} takes effect {release.effective}, "
                              f"before the version of {name} it replaces "
                              f"({earlier.version}, effective {earlier.effective})",
                              LEDGER_FILE, release.line)


@dataclass
class Snapshot:
    """The files of one version: the archive of a release, or the working tree."""

    version: str
    files: dict[str, Path] = field(default_factory=dict)

    def path(self, locale: str, document: str) -> Path | None:
        return self.files.get(f"{locale}/{document}.md")


def snapshot(project: Project, ledger: Ledger, version: str) -> Snapshot:
    """The files of ``version`` ('current' for the working tree)."""
    if version == CURRENT:
        return Snapshot(CURRENT, {f"{loc}/{doc}.md": project.doc_path(loc, doc)
                                  for loc in project.locales for doc in project.documents
                                  if project.doc_path(loc, doc).exists()})
    archive = project.root / ARCHIVE_DIR
    return Snapshot(version, {name: archive / holder.version / name
                              for name in ledger.texts(version)
                              if (holder := ledger.holder(name, version)) is not None})

