"""``policy release``: the one multi-step workflow that writes ``policy/``.

Refusals come first and write nothing. The writes then go: archive files into a staging
folder, the staging folder renamed into place, the ledger replaced atomically. A failure
anywhere before the ledger is replaced removes what was written, so an interrupted release
leaves the ledger and archive as they were.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from dataclasses import dataclass

from .config import Project
from .errors import PolicyError
from .files import FileRefused, read_bytes_safely
from .ledger import ARCHIVE_DIR, LEDGER_FILE, Ledger, Release, load_ledger, parse_version, sha256
from .model import Finding
from .yamlio import dump_yaml, write_atomic


class ReleaseError(PolicyError):
    """A release was refused; nothing was written."""


@dataclass(frozen=True)
class Request:
    version: str
    effective: dt.date
    released: dt.date
    summary: dict[str, str]
    allow_drift: str | None = None


def validate(project: Project, ledger: Ledger, request: Request) -> dict[str, bytes]:
    """Every refusal, in order; returns the files to archive when the release may go ahead."""
    day, number = parse_version(request.version)
    if any(r.version == request.version for r in ledger.releases):
        raise ReleaseError(f"version {request.version} is already released")
    if day != request.released:
        raise ReleaseError(f"version {request.version} does not match the release date "
                           f"{request.released}: name a release after the day it is made")
    same_day = [parse_version(r.version)[1] for r in ledger.releases
                if parse_version(r.version)[0] == day]
    expected = max(same_day, default=0) + 1
    if number != expected:
        wanted = day.isoformat() + (f"-{expected}" if expected > 1 else "")
        raise ReleaseError(f"version {request.version} is out of sequence: the next release "
                           f"on {day} is {wanted}")
    latest = ledger.latest
    if latest and parse_version(request.version) < parse_version(latest.version):
        raise ReleaseError(f"version {request.version} comes before the latest release "
                           f"{latest.version}")
    if latest and request.effective < latest.effective:
        raise ReleaseError(f"effective date {request.effective} is before that of release "
                           f"{latest.version} ({latest.effective})")
    missing = [loc for loc in project.locales if not request.summary.get(loc, "").strip()]
    if missing:
        raise ReleaseError(f"no summary for {', '.join(missing)}: pass --summary "
                           f"{missing[0]}=\"…\" for every published locale")
    unknown = sorted(set(request.summary) - set(project.locales))
    if unknown:
        raise ReleaseError(f"summary for unknown locale {', '.join(unknown)}")
    files = _current_files(project)
    if latest and {name: sha256(data) for name, data in files.items()} == latest.files:
        raise ReleaseError(f"nothing changed since release {latest.version}")
    return files


def _current_files(project: Project) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for locale in project.locales:
        for document in project.documents:
            path = project.doc_path(locale, document)
            if not path.exists():
                raise ReleaseError(f"{project.rel(path)} does not exist: every published "
                                   "locale needs every document")
            try:
                files[f"{locale}/{document}.md"] = read_bytes_safely(path, project.rel(path))
            except FileRefused as exc:
                raise ReleaseError(exc.message, exc.file) from None
    return files


def refuse_drift(failing: list[Finding], allow_drift: str | None) -> None:
    """Refuse a release over new check errors unless the editor gives a reason."""
    if failing and not allow_drift:
        first = failing[0]
        where = f"{first.file}:{first.line}" if first.line else first.file
        raise ReleaseError(
            f"policy check reports {len(failing)} new error{'s' * (len(failing) != 1)} "
            f"(first: {where}: [{first.code}] {first.message}); fix them, "
            "or release anyway with --allow-drift \"reason\"")


def release(project: Project, request: Request,
            failing: Callable[[], list[Finding]]) -> Release:
    """Freeze ``locales/`` into the archive and append the ledger entry, or refuse.

    ``failing`` runs ``policy check`` (the new errors); it is called after the cheap
    refusals, so a mistyped version is refused at once.
    """
    ledger = load_ledger(project, roundtrip=True)
    files = validate(project, ledger, request)
    refuse_drift(failing(), request.allow_drift)
    archive = project.root / ARCHIVE_DIR
    final = archive / request.version
    if final.exists():
        raise ReleaseError(f"{project.rel(final)} already exists: released files are never "
                           "rewritten (remove it only if no release lists it)")
    entry = Release(request.version, request.effective, request.released,
                    dict(request.summary), {n: sha256(d) for n, d in files.items()},
                    request.allow_drift)
    text = dump_yaml(_append(ledger, entry))
    staging = archive / f".staging-{request.version}"
    created = not archive.exists()
    try:
        shutil.rmtree(staging, ignore_errors=True)  # left by a release killed mid-way
        for name, data in files.items():
            target = staging / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        staging.rename(final)
        write_atomic(project.root / LEDGER_FILE, text)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(final, ignore_errors=True)
        if created:
            shutil.rmtree(archive, ignore_errors=True)
        raise
    return entry


def _append(ledger: Ledger, entry: Release) -> object:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString as Quoted
    from ruamel.yaml.scalarstring import LiteralScalarString

    data = ledger.data  # never replace a loaded ledger: that would drop its releases
    if data is None:
        data = CommentedMap()
        data.yaml_set_start_comment(
            "Release ledger: one entry per release, oldest first, written by `policy release`.\n"
            "Released files live in policy/archive/<version>/ and are never edited; the\n"
            "hashes below let `policy verify` prove it. Dates are quoted for MkDocs' YAML 1.1.")
        data["releases"] = CommentedSeq()
    item = CommentedMap()
    item["version"] = Quoted(entry.version)
    item["effective"] = Quoted(entry.effective.isoformat())
    item["released"] = Quoted(entry.released.isoformat())
    summary = CommentedMap()
    for locale, text in entry.summary.items():
        summary[Quoted(locale)] = LiteralScalarString(text) if "\n" in text else text
    item["summary"] = summary
    if entry.allow_drift:
        item["allow_drift"] = entry.allow_drift
    files = CommentedMap()
    for name in sorted(entry.files):
        files[name] = entry.files[name]
    item["files"] = files
    data["releases"].append(item)
    return data
