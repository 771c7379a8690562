"""``policy recover``: remove what an interrupted command provably left under ``policy/``."""

from __future__ import annotations

import argparse
from typing import TextIO

from ..errors import PolicyError
from ..ledger import load_ledger
from ..leftovers import recover as remove_leftovers
from ..lock import project_lock
from . import EXIT_OK, open_project, tell_removed


class RecoverError(PolicyError):
    """Something under ``policy/`` looks left behind, but is not provably so: kept."""


def run(args: argparse.Namespace, out: TextIO) -> int:
    project = open_project(args)
    with project_lock(project, "policy recover"):
        removed, kept = remove_leftovers(project, load_ledger(project))
    tell_removed(project, removed, out)
    if kept:
        first = kept[0]
        more = f" (and {len(kept) - 1} more: see policy verify)" if len(kept) > 1 else ""
        raise RecoverError(f"{first.why}: policy recover removes only what it can prove an "
                           f"interrupted command left; {first.fix}{more}",
                           project.rel(first.path))
    if not removed:
        out.write("policy recover: nothing to recover\n")
    return EXIT_OK
