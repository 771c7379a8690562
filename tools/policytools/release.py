"""``policy release``: the one multi-step workflow that writes ``policy/``.

Refusals come first and write nothing. The writes then go: a journal naming the version
and the hash of every file (``leftovers``), archive files into a staging folder, the staging
folder renamed into place, the ledger replaced atomically (the single commit point), the
journal removed. A failure anywhere before the ledger is replaced removes what was written;
a process killed outright leaves files the journal vouches for, which ``policy recover`` (and
the next writing command) removes. The caller holds the project lock (``lock``).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from .config import CONFIG_FILE, Project
from .errors import PolicyError
from .faults import reach
from .files import FileRefused, read_bytes_safely
from .ledger import (
    ARCHIVE_DIR,
    LEDGER_FILE,
    Kind,
    Ledger,
    Release,
    load_ledger,
    parse_version,
    sha256,
)
from .leftovers import STAGING, write_journal
from .model import Finding
from .notice import too_soon
from .yamlio import dump_checked, text_scalar, write_atomic

# per translated text ("nl/privacy.md"): the clauses confirmed against the released source
Confirmed = Mapping[str, tuple[str, ...]]


class ReleaseError(PolicyError):
    """A release was refused; nothing was written."""


@dataclass(frozen=True)
class Request:
    version: str
    effective: dt.date
    released: dt.date
    summary: dict[str, str]
    allow_drift: str | None = None
    backdate: str | None = None
    today: dt.date = field(default_factory=dt.date.today)
    kind: Kind = "material"
    retroactive: str | None = None  # why it takes effect before the day it is made
    supersedes: str | None = None  # the latest release, whose place this one takes


def validate(project: Project, ledger: Ledger,
             request: Request) -> tuple[Release, dict[str, bytes]]:
    """Every refusal, in order; returns the ledger entry and the files to archive when the
    release may go ahead."""
    day, _ = parse_version(request.version)
    if any(r.version == request.version for r in ledger.releases):
        raise ReleaseError(f"version {request.version} is already released")
    _check_released(request)
    if day != request.released:
        raise ReleaseError(f"version {request.version} does not match the release date "
                           f"{request.released}: name a release after the day it is made")
    wanted = next_version(ledger, day)
    if request.version != wanted:
        raise ReleaseError(f"version {request.version} is out of sequence: the next release "
                           f"on {day} is {wanted}")
    latest = ledger.latest
    if latest and parse_version(request.version) < parse_version(latest.version):
        raise ReleaseError(f"version {request.version} comes before the latest release "
                           f"{latest.version}")
    superseded = _superseded(ledger, request.supersedes)
    _check_retroactive(request)
    unknown = sorted(set(request.summary) - set(project.locales))
    if unknown:
        raise ReleaseError(f"summary for unknown locale {', '.join(map(repr, unknown))}")
    found = ledger.next_built_on(request.supersedes)
    files = changed_texts(project, found)
    if superseded and not files:
        raise ReleaseError(f"the texts are those in effect before release {superseded.version}:"
                           " a release that supersedes it changes at least one of them")
    if latest and not files:
        raise ReleaseError(f"nothing changed since release {latest.version}")
    entry = Release(request.version, request.effective, request.released,
                    dict(request.summary), {n: sha256(d) for n, d in files.items()},
                    request.allow_drift, request.backdate, kind=request.kind,
                    retroactive=request.retroactive, supersedes=request.supersedes,
                    notice_days=project.notice_days if request.kind == "material" else None)
    _check_effective(entry, found)
    late = too_soon(entry, found, superseded, project.notice_days)
    if late:
        raise ReleaseError(late)
    _check_summaries(project, request, {name.partition("/")[0] for name in files})
    return entry, files


def changed_texts(project: Project, found: Mapping[str, Release]) -> dict[str, bytes]:
    """The texts of ``locales/`` that differ from the version in ``found`` (the texts in
    effect before the release, ``Ledger.next_built_on``): what a release archives."""
    return {name: data for name, data in _current_files(project).items()
            if name not in found or found[name].files[name] != sha256(data)}


def _superseded(ledger: Ledger, version: str | None) -> Release | None:
    """The release ``--supersedes`` names: only the latest one can be."""
    if version is None:
        return None
    latest = ledger.latest
    if latest is None:
        raise ReleaseError(f"--supersedes {version}: there is no release yet")
    if version != latest.version:
        raise ReleaseError(f"--supersedes {version}: only the latest release, "
                           f"{latest.version}, can be superseded")
    return latest


def _check_retroactive(request: Request) -> None:
    """A release takes effect on or after the day it is made, earlier only with a reason."""
    if request.effective < request.released and not request.retroactive:
        raise ReleaseError(f"effective date {request.effective} is before the release date "
                           f"{request.released}: if the release applies from that day, say "
                           "why with --retroactive \"reason\"")
    if request.retroactive and request.effective >= request.released:
        raise ReleaseError(f"--retroactive is for a release taking effect before its release "
                           f"date ({request.released})")


def _check_effective(entry: Release, found: Mapping[str, Release]) -> None:
    """Each text's versions take effect in order; texts apart may not."""
    for name in sorted(entry.files):
        earlier = found.get(name)
        if earlier is not None and entry.effective < earlier.effective:
            raise ReleaseError(f"effective date {entry.effective} is before that of {name} "
                               f"in release {earlier.version} ({earlier.effective}): a "
                               "text's versions take effect in order")


def _check_summaries(project: Project, request: Request, changed: set[str]) -> None:
    """A summary for every locale whose texts change, and for no other: readers of a
    locale are told of changes to their texts only."""
    missing = [loc for loc in project.locales if loc in changed
               and not request.summary.get(loc, "").strip()]
    if missing:
        raise ReleaseError(f"no summary for {', '.join(missing)}: pass --summary "
                           f"{missing[0]}=\"…\" for every locale whose text changes")
    idle = [loc for loc in project.locales if loc in request.summary and loc not in changed]
    if idle:
        raise ReleaseError(f"no text of {', '.join(idle)} changes in this release: drop the "
                           f"summary for {idle[0]}")


def next_version(ledger: Ledger, day: dt.date) -> str:
    """The id the next release made on ``day`` takes: the date, then -2, -3…"""
    same_day = [parse_version(r.version)[1] for r in ledger.releases
                if parse_version(r.version)[0] == day]
    number = max(same_day, default=0) + 1
    return day.isoformat() + (f"-{number}" if number > 1 else "")


def _check_released(request: Request) -> None:
    """A release is never dated later than today, and earlier only with a recorded reason."""
    if request.released > request.today:
        raise ReleaseError(f"release date {request.released} is after today "
                           f"({request.today}): release on the day, with --effective for "
                           "when it takes effect")
    if request.released < request.today and not request.backdate:
        raise ReleaseError(f"release date {request.released} is before today "
                           f"({request.today}): to record a release made earlier, say why "
                           "with --backdate \"reason\"")
    if request.released == request.today and request.backdate:
        raise ReleaseError(f"--backdate is for a release dated before today ({request.today})")


def _current_files(project: Project) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for locale in project.locales:
        for document in project.publishes(locale):
            path = project.doc_path(locale, document)
            if not path.exists():
                raise ReleaseError(f"{project.rel(path)} does not exist: {locale} publishes "
                                   f"{document} (to publish it in fewer locales, list them "
                                   f"under publish: in {CONFIG_FILE})")
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


def release(project: Project, request: Request, failing: Callable[[], list[Finding]],
            confirmed: Callable[[], Confirmed] = dict) -> Release:
    """Freeze ``locales/`` into the archive and append the ledger entry, or refuse.

    ``failing`` runs ``policy check`` (the new errors) and ``confirmed`` reads which
    translated clauses are confirmed against the source (``confirmations.snapshot``); both
    are called after the refusals that read no text, so a mistyped version or an unreadable
    file is refused at once, as such.
    """
    ledger = load_ledger(project, roundtrip=True)
    if not request.version:
        request = replace(request, version=next_version(ledger, request.released))
    entry, files = validate(project, ledger, request)
    refuse_drift(failing(), request.allow_drift)
    entry = replace(entry, confirmed=dict(confirmed()))
    archive = project.root / ARCHIVE_DIR
    final = archive / request.version
    if final.exists():
        raise ReleaseError(f"{project.rel(final)} already exists: released files are never "
                           "rewritten (remove it only if no release lists it)")
    text = dump_checked(_append(ledger, entry), LEDGER_FILE, ReleaseError)
    staging = archive / f"{STAGING}{request.version}"
    created = not archive.exists()
    journal = write_journal(project, request.version, entry.files)
    try:
        _sync(journal.parent)  # the journal is on disk before the archive is touched
        reach("journal")
        _archive(files, staging, final)
        write_atomic(project.root / LEDGER_FILE, text)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(final, ignore_errors=True)
        if created:
            shutil.rmtree(archive, ignore_errors=True)
        journal.unlink(missing_ok=True)
        raise
    _sync(journal.parent)  # committed: the new ledger's name is on disk
    reach("ledger")
    journal.unlink()
    return entry


def _archive(files: dict[str, bytes], staging: Path, final: Path) -> None:
    """Write the files into ``staging``, on disk, then rename it to ``final`` in one step."""
    for name, data in files.items():
        target = staging / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        _sync(target)
        reach("staging")
    for folder in sorted({(staging / name).parent for name in files}, reverse=True):
        _sync(folder)
    _sync(staging)
    staging.rename(final)
    _sync(final.parent)
    reach("archive")


def _sync(path: Path) -> None:
    """Flush a file or a folder's entries to disk, so a power loss cannot reorder the steps."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _append(ledger: Ledger, entry: Release) -> object:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString as Quoted

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
    item["class"] = entry.kind
    summary = CommentedMap()
    for locale, text in entry.summary.items():
        summary[Quoted(locale)] = text_scalar(text)
    item["summary"] = summary
    for key, value in (("retroactive", entry.retroactive), ("supersedes", entry.supersedes),
                       ("backdated", entry.backdated)):
        if value:
            item[key] = Quoted(value) if key == "supersedes" else value
    if entry.notice_days is not None:
        item["notice_days"] = entry.notice_days
    if entry.allow_drift:
        item["allow_drift"] = entry.allow_drift
    files = CommentedMap()
    for name in sorted(entry.files):
        files[name] = entry.files[name]
    item["files"] = files
    confirmed = CommentedMap()
    for name in sorted(entry.confirmed):
        if entry.confirmed[name]:  # none confirmed: the ledger's 'nothing', no key
            confirmed[name] = CommentedSeq(sorted(entry.confirmed[name]))
    if confirmed:
        item["confirmed"] = confirmed
    data["releases"].append(item)
    return data
