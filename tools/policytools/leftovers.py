"""What an interrupted write leaves under ``policy/``, named and removed where provably safe.

``policy release`` writes in this order: a journal ``policy/.release-<v>.pending`` (the
version and the hash of every file it will archive), the staging folder
``policy/archive/.staging-<v>/``, its rename to ``policy/archive/<v>/``, the ledger replace
(the single commit point), then the journal's removal. A process killed at any step leaves
files this module recognises: a journal whose version is not in the ledger never committed,
so its staging folder and its archive folder (if every file in it is one the journal lists,
with the same hash) are its own; a journal whose version is in the ledger is all that is
left of a finished release. Staging folders and the ``.<name>.<random>.tmp`` files of
:func:`yamlio.write_atomic` belong to no finished write at all once the project lock is held.
Anything else (an archive folder no journal vouches for) is never removed automatically.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from .config import Project
from .ledger import ARCHIVE_DIR, LEDGER_FILE, VERSION_RE, Ledger, sha256
from .model import Document, Finding
from .rules import finding
from .yamlio import write_atomic

POLICY_DIR = "policy"
STAGING = ".staging-"
JOURNAL = re.compile(r"^\.release-(?P<version>.+)\.pending$")
TEMP = re.compile(r"^\.(?P<target>.+)\.[a-z0-9_]{8}\.tmp$")  # tempfile.mkstemp's names
RECOVER = "run policy recover"
RENAME_JOURNAL = ".rename-clause.pending"  # rename.JOURNAL_FILE, without importing rename


@dataclass(frozen=True)
class Leftover:
    path: Path
    code: str
    why: str
    fix: str
    removable: bool  # provably left by an interrupted command: policy recover removes it
    finish: Callable[[], None] | None = None  # what recovery completes before removing it


def journal_path(project: Project, version: str) -> Path:
    return project.root / POLICY_DIR / f".release-{version}.pending"


def write_journal(project: Project, version: str, files: dict[str, str]) -> Path:
    """Record, before the archive is touched, what release ``version`` is about to write."""
    path = journal_path(project, version)
    write_atomic(path, json.dumps({"version": version, "files": files}, indent=2,
                                  sort_keys=True) + "\n")
    return path


def _journal(path: Path, version: str) -> dict[str, str] | None:
    """The files a journal lists, None if it is not one ``policy release`` wrote."""
    if not VERSION_RE.match(version):
        return None  # a name like '.release-...pending' must not point outside the archive
    try:
        data = json.loads(path.read_bytes()) if path.is_file() else None
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("version") != version:
        return None
    files = data.get("files")
    if not isinstance(files, dict) or not all(isinstance(v, str) for v in files.values()):
        return None
    return {str(name): digest for name, digest in files.items()}


def _ours(folder: Path, files: dict[str, str]) -> bool:
    """Whether every file in ``folder`` is one the journal lists, with the listed hash."""
    for path in folder.rglob("*"):
        name = path.relative_to(folder).as_posix()
        if path.is_symlink() or (not path.is_dir() and (
                not path.is_file() or sha256(path.read_bytes()) != files.get(name))):
            return False
    return True


def scan(project: Project, ledger: Ledger | None) -> list[Leftover]:
    """Everything under ``policy/`` that an interrupted command may have left.

    Without a ledger (it cannot be read) journals and archive folders are not judged.
    """
    policy = project.root / POLICY_DIR
    archive = project.root / ARCHIVE_DIR
    found: list[Leftover] = []
    if policy.is_dir():
        for path in sorted(policy.iterdir()):
            temp = TEMP.match(path.name)
            if temp and path.is_file() and not path.is_symlink():
                found.append(Leftover(path, "write-unfinished", "was left by an interrupted "
                                      f"write of {POLICY_DIR}/{temp['target']}", RECOVER,
                                      True))
            if path.name == RENAME_JOURNAL:
                found.append(_judge_rename(project, path))
            journal = JOURNAL.match(path.name)
            if journal and ledger is not None:
                found += _judge_journal(project, ledger, path, journal["version"])
    judged = {item.path for item in found}  # archive folders a journal already accounts for
    if archive.is_dir():
        for path in sorted(archive.iterdir()):
            if path.name.startswith(STAGING):
                version = path.name.removeprefix(STAGING)
                found.append(Leftover(path, "release-unfinished", "is the staging folder of "
                                      f"release {version}, which was interrupted", RECOVER,
                                      True))
            elif ledger is not None and path not in judged and \
                    path.name not in {r.version for r in ledger.releases}:
                found.append(Leftover(path, "archive-unexpected", f"belongs to no release "
                                      f"in {LEDGER_FILE} (an interrupted release?)",
                                      "remove it", False))
    return found


def _judge_journal(project: Project, ledger: Ledger, path: Path,
                   version: str) -> list[Leftover]:
    if any(r.version == version for r in ledger.releases):
        return [Leftover(path, "release-unfinished", f"is the journal of release {version}, "
                         "which was committed: only the journal was left", RECOVER, True)]
    files = _journal(path, version)
    again = f"{RECOVER}, then release again"
    uncommitted = f"release {version}, which was interrupted before it was committed"
    if files is None:
        return [Leftover(path, "release-unfinished", "is not a journal policy release "
                         "wrote", "remove it by hand", False)]
    folder = project.root / ARCHIVE_DIR / version
    if not folder.exists():
        return [Leftover(path, "release-unfinished", f"is the journal of {uncommitted}",
                         again, True)]
    if folder.is_dir() and not folder.is_symlink() and _ours(folder, files):
        return [Leftover(folder, "release-unfinished", f"was written by {uncommitted}",
                         again, True),
                Leftover(path, "release-unfinished", f"is the journal of {uncommitted}",
                         again, True)]
    rel = project.rel(folder)
    return [Leftover(folder, "archive-unexpected", f"belongs to no release in {LEDGER_FILE} "
                     f"and holds files the journal of the interrupted release {version} does "
                     "not list", "remove it by hand if no release should list it", False),
            Leftover(path, "release-unfinished", f"is the journal of {uncommitted}; it is "
                     f"kept while {rel} is in the way", f"resolve {rel}, then {RECOVER}",
                     False)]


def _judge_rename(project: Project, path: Path) -> Leftover:
    """An interrupted ``policy rename-clause``: decided once its journal was written, so
    recovery finishes it, unless a file it names was edited since."""
    from .rename import edited_since, finish, read_journal

    journal = read_journal(path)
    if journal is None:
        return Leftover(path, "rename-unfinished", "is not a journal policy rename-clause "
                        "wrote whole", "remove it by hand", False)
    interrupted = f"is the journal of `{journal.command}`, interrupted before it wrote every file"
    edited = next(edited_since(project, journal), None)
    if edited is not None:
        return Leftover(path, "rename-unfinished", f"{interrupted}, and {edited} was edited "
                        "since", f"finish the rename by hand, then remove {RENAME_JOURNAL}",
                        False)
    return Leftover(path, "rename-unfinished", f"{interrupted} (recovery writes the rest)",
                    RECOVER, True,
                    partial(finish, project, path, journal))


def leftover_findings(project: Project, ledger: Ledger) -> Iterator[Finding]:
    """One finding per leftover, for ``policy check`` and ``policy verify``."""
    for item in scan(project, ledger):
        rel = project.rel(item.path)
        doc = Document(name=item.path.name, locale="", path=rel)
        yield finding(item.code, doc, f"{rel} {item.why}: {item.fix}", key=item.path.name)


def recover(project: Project, ledger: Ledger | None) -> tuple[list[Leftover], list[Leftover]]:
    """Remove every leftover provably left by an interrupted command (hold the lock).

    Returns what was removed and what was kept. Archive folders go before the journals that
    vouch for them, so a recovery that is itself interrupted can be run again.
    """
    found = scan(project, ledger)
    removable = sorted((item for item in found if item.removable),
                       key=lambda item: (item.path.suffix == ".pending", item.path))
    for item in removable:
        if item.finish is not None:
            item.finish()
        elif item.path.is_dir() and not item.path.is_symlink():
            shutil.rmtree(item.path)
        else:
            item.path.unlink(missing_ok=True)
    return removable, [item for item in found if not item.removable]
