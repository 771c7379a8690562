"""The README's walk-throughs run as shown, on any day, in a temporary copy of the repository.

Every ``console`` block is a session: each ``$ command`` runs in bash in the copy, in order,
and must print what the README shows after it and exit as shown (``(exit N)``, else 0). A
shown line ending in `` …`` is the start of the real line; a line that is only ``…`` stands
for any number of lines. Dates the README prints for "today" and relative days are written
as they would be on the day the README was written; they are mapped to the real ones.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"
BLOCK_RE = re.compile(r"^```console\n(.*?)^```", re.M | re.S)
# The README is written as on this day; relative dates in it are counted from it.
WRITTEN_ON = dt.date(2026, 12, 2)


@dataclass(frozen=True)
class Step:
    command: str
    expected: tuple[str, ...]
    exit_code: int
    line: int


def steps(text: str) -> list[Step]:
    """The commands of every console block with the output and exit code shown for each."""
    found: list[Step] = []
    for block in BLOCK_RE.finditer(text):
        first = text.count("\n", 0, block.start(1)) + 1
        lines = block.group(1).splitlines()
        i = 0
        while i < len(lines):
            if not lines[i].startswith("$ "):
                raise AssertionError(f"README.md:{first + i}: output before any command")
            start, command = i, lines[i][2:]
            while command.endswith("\\"):  # bash reads the continuation as the README shows
                i += 1
                command += "\n" + lines[i]
            i += 1
            shown: list[str] = []
            while i < len(lines) and not lines[i].startswith("$ "):
                shown.append(lines[i])
                i += 1
            while shown and not shown[-1]:
                shown.pop()
            code = 0
            if shown and (m := re.fullmatch(r"\(exit (\d+)\)", shown[-1])):
                code, shown = int(m[1]), shown[:-1]
            while shown and not shown[-1]:
                shown.pop()
            found.append(Step(command, tuple(shown), code, first + start))
    return found


def matches(shown: tuple[str, ...], actual: list[str]) -> bool:
    """Whether ``actual`` output lines fit the README's ``shown`` lines (with … elisions)."""
    if not shown:
        return not actual
    head, rest = shown[0], shown[1:]
    if head == "…":
        return any(matches(rest, actual[k:]) for k in range(len(actual) + 1))
    if not actual:
        return False
    line = actual[0]
    fits = line.startswith(head[:-2]) if head.endswith(" …") else line == head
    return fits and matches(rest, actual[1:])


def real_dates(text: str, today: dt.date) -> str:
    """The README's dates of its writing day and the days after it, moved to ``today``."""
    def move(m: re.Match[str]) -> str:
        day = dt.date.fromisoformat(m[0])
        if day < WRITTEN_ON:
            return m[0]  # a date of the shipped history stays what it is
        return (today + (day - WRITTEN_ON)).isoformat()

    return re.sub(r"\b\d{4}-\d{2}-\d{2}\b", move, text)


@pytest.fixture
def repo_copy(tmp_path: Path) -> Path:
    """The tracked files of the repository, with the test run's virtualenv on PATH."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True,
                            check=True).stdout.decode().split("\0")
    root = tmp_path / "repo"
    for name in filter(None, listed):
        source = REPO / name
        if source.is_file():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, root / name)
    (root / ".venv").symlink_to(Path(sys.executable).parents[1])
    return root


def test_readme_has_walkthroughs() -> None:
    commands = [s.command for s in steps(README.read_text(encoding="utf-8"))]
    assert any(c.startswith("policy release") for c in commands)
    assert any(c.startswith("policy check") for c in commands)


def test_every_console_block_runs_as_shown(repo_copy: Path) -> None:
    env = {**os.environ, "PATH": f"{repo_copy / '.venv' / 'bin'}{os.pathsep}"
           f"{os.environ.get('PATH', '')}", "NO_COLOR": "1", "NO_MKDOCS_2_WARNING": "1"}
    env.pop("FORCE_COLOR", None)
    today = dt.date.today()
    for step in steps(README.read_text(encoding="utf-8")):
        run = subprocess.run(["bash", "-c", step.command], cwd=repo_copy, env=env,
                             capture_output=True, text=True, timeout=120)
        actual = (run.stdout + run.stderr).splitlines()
        while actual and not actual[-1]:
            actual.pop()
        shown = tuple(real_dates(line, today) for line in step.expected)
        assert (run.returncode, matches(shown, actual)) == (step.exit_code, True), (
            f"README.md:{step.line}: $ {step.command}\nexit {run.returncode}, printed:\n"
            + "\n".join(actual))
