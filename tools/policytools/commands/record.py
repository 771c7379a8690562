"""``policy record VERSION``: one release as an evidence bundle, a zip or a folder.

Everything is read and checked before anything is written: a text whose bytes no longer match
the ledger's SHA-256 refuses the record. The output appears whole or not at all: a zip is
written to a temporary file renamed into place, a folder into a staging folder renamed into
place. Nothing is written under ``policy/``, so no project lock is taken.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
from pathlib import Path
from typing import TextIO

from ..errors import UsageError
from ..faults import reach
from ..ledger import LEDGER_FILE, Ledger, Release, load_ledger, read_archived, sha256
from ..record import SUMS, Sources, Text, bundle, folder_name, ledger_entry, text_parts, zip_bytes
from ..release import _sync as sync  # the one folder fsync of every writer
from ..yamlio import read_text, write_atomic
from . import EXIT_OK, open_project


def run(args: argparse.Namespace, out: TextIO) -> int:
    project = open_project(args)
    ledger = load_ledger(project)
    release = ledger.get(args.version)
    target, display = _target(args, release.version)
    _check_target(project.root, target, display, release.version, args.force)
    at = ledger.releases.index(release)
    sources = Sources(
        release, tuple(r.version for r in ledger.releases[:at]),
        ledger_entry(read_text(ledger.path, LEDGER_FILE), at),
        tuple(_text(project.root, ledger, name, release) for name in ledger.texts(
            release.version)),
        _previous(project.root, ledger, release), project.source_locale)
    files = bundle(sources)
    if _is_zip(target):
        data = zip_bytes(files, folder_name(release.version), release.released)
        write_atomic(target, data, display, UsageError)
    else:
        _write_folder(target, files, display)
    n = len(files)
    out.write(f"policy record: recorded release {release.version} in {display} ({n} files); "
              f"check it with: sha256sum -c {SUMS}\n")
    return EXIT_OK


def _read(root: Path, holder: Release, name: str) -> Text:
    """A released text, refused unless it is the one the ledger vouches for."""
    locale, document = text_parts(name)
    text = read_archived(root, holder, locale, document)
    data = text.encode()
    if sha256(data) != holder.files[name]:  # read_archived drops a byte-order mark
        data = b"\xef\xbb\xbf" + data
    return Text(name, holder, data)


def _text(root: Path, ledger: Ledger, name: str, release: Release) -> Text:
    holder = ledger.holder(name, release.version)
    assert holder is not None  # ledger.texts names only texts some release holds
    return _read(root, holder, name)


def _previous(root: Path, ledger: Ledger, release: Release) -> dict[str, Text]:
    """Per text the release changed: the version it replaced, where there was one."""
    found = {}
    for name in sorted(release.files):
        locale, document = text_parts(name)
        before = ledger.previous_text(release, locale, document)
        if before is not None:
            found[name] = _read(root, before, name)
    return found


# --- where the record goes ------------------------------------------------------------------


def _target(args: argparse.Namespace, version: str) -> tuple[Path, str]:
    """The output path and how messages name it: --output, else a zip in this folder."""
    if args.output is None:
        name = f"{folder_name(version)}.zip"
        return Path.cwd() / name, name
    return Path.cwd() / args.output, str(args.output)


def _is_zip(target: Path) -> bool:
    return target.suffix.lower() == ".zip"


def _check_target(root: Path, target: Path, display: str, version: str, force: bool) -> None:
    """Refuse an output that cannot or must not be written, before anything is read."""
    parent = target.parent.resolve()
    if not parent.is_dir():
        raise UsageError(f"the folder {Path(display).parent} does not exist: create it first, "
                         "or choose another --output", display)
    policy = (root / "policy").resolve()
    if parent == policy or policy in parent.parents:
        raise UsageError("is inside policy/, which only policy release writes: record "
                         "elsewhere", display)
    if not os.path.lexists(target):
        return
    earlier = _is_record(target)
    if target.is_dir() and not earlier:
        inside = Path(display) / f"{folder_name(version)}.zip"
        raise UsageError(f"is a folder: name the record to write inside it, as in --output "
                         f"{inside}", display)
    if not force:
        raise UsageError("already exists: choose another --output, or pass --force to "
                         "replace it", display)
    if not (target.is_file() if _is_zip(target) else earlier):
        raise UsageError("--force replaces a zip with a zip and a record folder with a record "
                         "folder, nothing else", display)


def _is_record(folder: Path) -> bool:
    """Whether ``folder`` holds exactly the files its SHA256SUMS lists, and that file."""
    if folder.is_symlink() or not folder.is_dir() or not (folder / SUMS).is_file():
        return False
    from ..files import FileRefused, read_bytes_safely

    try:
        lines = read_bytes_safely(folder / SUMS, SUMS).decode().splitlines()
    except (FileRefused, UnicodeDecodeError):
        return False
    listed = {line.partition("  ")[2] for line in lines} | {SUMS}
    found = {p.relative_to(folder).as_posix() for p in folder.rglob("*")
             if p.is_symlink() or not p.is_dir()}
    return found == listed


def _write_folder(target: Path, files: dict[str, bytes], display: str) -> None:
    """Write ``files`` into a staging folder beside ``target``, then rename it into place.

    An earlier record (``--force``) is renamed aside first and removed once the new one is in
    place; a process killed between the two renames leaves both, named ``.<name>.*.tmp``.
    """
    try:
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp",
                                        dir=target.parent))
    except OSError as exc:
        raise UsageError(f"cannot write: {exc.strerror or exc}", display) from None
    old = None
    try:
        staging.chmod(0o777 & ~_umask())
        for path, data in files.items():
            _write_file(staging / path, data)
            reach("record staging")
        for folder in sorted({(staging / path).parent for path in files}, reverse=True):
            sync(folder)
        if os.path.lexists(target):
            old = target.rename(target.with_name(f"{staging.name}.old"))
        staging.rename(target)
        sync(target.parent)
    except BaseException as exc:
        shutil.rmtree(staging, ignore_errors=True)
        if old is not None and not os.path.lexists(target):
            old.rename(target)
        if isinstance(exc, OSError):
            raise UsageError(f"cannot write: {exc.strerror or exc}", display) from None
        raise
    if old is not None:
        shutil.rmtree(old)


def _write_file(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("xb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask
