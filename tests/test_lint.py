"""The code stays ruff-clean and passes mypy --strict (the settings in pyproject.toml)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("command", [
    [sys.executable, "-m", "ruff", "check", "tools", "tests", "bench"],
    [sys.executable, "-m", "mypy"],
], ids=["ruff", "mypy"])
def test_clean(command: list[str]) -> None:
    assert shutil.which(command[0])
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
