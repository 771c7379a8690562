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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .config import Project
from .errors import PolicyError
from .yamlio import load_yaml

LEDGER_FILE = "policy/releases.yml"
ARCHIVE_DIR = "policy/archive"
VERSION_RE = re.compile(r"^(?P<date>\d{4}-\d{2}-\d{2})(?:-(?P<n>[2-9]|[1-9]\d+))?$")
CURRENT = "current"


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
    line: int | None = None

    def archived(self, locale: str, document: str) -> str:
        return f"{ARCHIVE_DIR}/{self.version}/{locale}/{document}.md"

    def has(self, locale: str, document: str) -> bool:
        return f"{locale}/{document}.md" in self.files


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
        raise LedgerError(f"no release '{version}' (releases: {known})", LEDGER_FILE)

    def previous(self, version: str) -> Release | None:
        ids = [r.version for r in self.releases]
        at = ids.index(version)
        return self.releases[at - 1] if at else None


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def parse_version(text: str) -> tuple[dt.date, int]:
    """'2026-12-01-2' → (date(2026, 12, 1), 2); raises LedgerError with a fix if invalid."""
    match = VERSION_RE.match(text)
    if not match:
        raise LedgerError(f"invalid version id '{text}': use the release date YYYY-MM-DD, "
                          "with -2, -3… for a second release on one day")
    try:
        day = dt.date.fromisoformat(match["date"])
    except ValueError:
        raise LedgerError(f"invalid version id '{text}': {match['date']} is no date") from None
    return day, int(match["n"] or 1)


def _date(value: Any, what: str, line: int | None) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise LedgerError(f"{what} '{value}' is not a date YYYY-MM-DD", LEDGER_FILE,
                          line) from None


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
    for name, digest in files.items():
        if not re.fullmatch(r"[0-9a-f]{64}", str(digest)):
            raise LedgerError(f"release {version}: {name} has no valid SHA-256", LEDGER_FILE,
                              line)
    return Release(
        version=version,
        effective=_date(item.get("effective"), "effective date", line),
        released=_date(item.get("released"), "release date", line),
        summary={str(k): str(v) for k, v in summary.items()},
        files={str(k): str(v) for k, v in files.items()},
        allow_drift=item.get("allow_drift"), line=line)


def _check_order(releases: list[Release]) -> None:
    seen: set[str] = set()
    for before, after in zip([None, *releases], releases, strict=False):
        if after.version in seen:
            raise LedgerError(f"version {after.version} appears twice", LEDGER_FILE,
                              after.line)
        seen.add(after.version)
        if before is None:
            continue
        if parse_version(after.version) <= parse_version(before.version):
            raise LedgerError(f"release {after.version} is listed after {before.version}: "
                              "keep releases in order", LEDGER_FILE, after.line)
        if after.effective < before.effective:
            raise LedgerError(f"release {after.version} takes effect {after.effective}, before "
                              f"{before.version} ({before.effective})", LEDGER_FILE, after.line)


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
    release = ledger.get(version)
    base = project.root / ARCHIVE_DIR / version
    return Snapshot(version, {name: base / name for name in release.files})
