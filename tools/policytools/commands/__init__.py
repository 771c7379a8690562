"""One module per group of CLI verbs, imported only when its verb runs; shared helpers here."""

from __future__ import annotations

import argparse
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from ..errors import UsageError

if TYPE_CHECKING:
    from ..config import Project
    from ..leftovers import Leftover

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT = 0, 1, 2


def find_root(start: Path) -> Path:
    """The nearest folder at or above ``start`` that holds ``locales/``."""
    for folder in (start, *start.parents):
        if (folder / "locales").is_dir():
            return folder
    raise UsageError("no locales/ folder here or above: run in a policy project or pass --root")


def project_root(args: argparse.Namespace) -> Path:
    """The project folder: --root, else the nearest one upwards holding locales/."""
    root: Path = args.root if args.root is not None else find_root(Path.cwd())
    if not (root / "locales").is_dir():
        raise UsageError(f"{root} has no locales/ folder: pass the project folder to --root")
    return root


def open_project(args: argparse.Namespace) -> Project:
    from ..config import load_project  # after the cache, which needs no YAML

    return load_project(project_root(args))


def pick(asked: list[str], known: tuple[str, ...], what: str) -> tuple[str, ...]:
    """The names asked for (repeatable, comma-separated), all of them when none is."""
    wanted = dict.fromkeys(name for item in asked for name in item.split(",") if name)
    for name in wanted:
        if name not in known:
            raise UsageError(f"unknown {what} {name!r}: the project has {', '.join(known)}")
    return tuple(wanted) or known


def wants_colour(out: TextIO, args: argparse.Namespace) -> bool:
    choice = getattr(args, "color", "auto")
    if choice != "auto":
        return bool(choice == "always")
    if os.environ.get("NO_COLOR"):
        return False
    to_file = getattr(args, "output", None) is not None
    return bool(os.environ.get("FORCE_COLOR")) or (not to_file and out.isatty())


def emit(out: TextIO, args: argparse.Namespace, report: str) -> None:
    """Write a report to ``--output`` (atomically) or to standard output."""
    target = getattr(args, "output", None)
    if target is None:
        out.write(report)
        return
    from ..yamlio import write_atomic

    write_atomic(target, report, f"--output {target}", UsageError)


@contextmanager
def writing(project: Project, command: str, out: TextIO) -> Iterator[None]:
    """Hold the project lock, first removing what interrupted commands provably left.

    Everything the block reads from ``policy/`` must be read inside it, after the lock.
    """
    from ..ledger import LedgerError, load_ledger
    from ..leftovers import recover
    from ..lock import project_lock

    with project_lock(project, command):
        try:
            ledger = load_ledger(project)
        except LedgerError:
            ledger = None  # the command reports it if it needs the ledger; keep journals
        tell_removed(project, recover(project, ledger)[0], out)
        yield


def tell_removed(project: Project, removed: list[Leftover], out: TextIO) -> None:
    """One line per leftover that recovery removed, saying whose it was."""
    for item in removed:
        out.write(f"policy recover: removed {project.rel(item.path)}: it {item.why}\n")
