"""Reading files safely: regular files of at most 10 MB; anything else is one clear refusal."""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import POLICY, copy_repo, copy_seeds
from policytools.files import MAX_BYTES, FileRefused, read_bytes_safely

NL = "locales/nl/privacy.md"
ARCHIVED = "policy/archive/2026-11-23/nl/privacy.md"
FIFO = "it is a named pipe (FIFO), not a regular file"
DEVICE = "it is a character device, not a regular file"
FOLDER = "it is a folder, not a regular file"
LARGE = "it holds 50.0 MB, more than the 10 MB the tools read"


def _fifo(path: Path) -> None:
    path.unlink(missing_ok=True)
    os.mkfifo(path)


def _zero(path: Path) -> None:
    path.unlink(missing_ok=True)
    path.symlink_to("/dev/zero")


def _folder(path: Path) -> None:
    path.unlink(missing_ok=True)
    path.mkdir()


def _large(path: Path) -> None:
    with path.open("r+b") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: 50 MB on paper, nothing on disk


Damage = Callable[[Path], None]
DAMAGES: list[tuple[Damage, str]] = [(_fifo, FIFO), (_zero, DEVICE), (_folder, FOLDER),
                                     (_large, LARGE)]
IDS = ["fifo", "dev-zero", "folder", "50-mb"]


def policy(*argv: str) -> subprocess.CompletedProcess[str]:
    """The installed script; a timeout, since a FIFO read without care blocks for ever."""
    assert POLICY is not None, "the policy script is not installed"
    return subprocess.run([POLICY, *argv], capture_output=True, text=True, check=False,
                          timeout=60)


def test_a_regular_file_up_to_the_limit_is_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "big.md"
    with path.open("wb") as handle:
        handle.truncate(MAX_BYTES)
    assert len(read_bytes_safely(path, "big.md")) == MAX_BYTES
    path.write_bytes(b"text")
    assert read_bytes_safely(path, "big.md") == b"text"


@pytest.mark.parametrize(("make", "detail"), [
    (lambda p: p.mkdir(), FOLDER),
    (lambda p: p.symlink_to(p.parent / "nowhere"), "No such file or directory"),
    (lambda p: p.open("wb").truncate(MAX_BYTES + 1),
     "it holds 10.0 MB, more than the 10 MB the tools read"),
], ids=["folder", "dangling-symlink", "one-byte-over"])
def test_what_is_not_a_regular_file_of_a_sane_size_is_refused(
        tmp_path: Path, make: Callable[[Path], object], detail: str) -> None:
    path = tmp_path / "privacy.md"
    make(path)
    with pytest.raises(FileRefused) as caught:
        read_bytes_safely(path, NL)
    assert (caught.value.detail, str(caught.value)) == (detail, f"{NL}: cannot read: {detail}")


def test_a_socket_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "privacy.md"
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(path))
        with pytest.raises(FileRefused, match=r"it is a socket, not a regular file$"):
            read_bytes_safely(path, NL)


@pytest.mark.parametrize(("damage", "detail"), DAMAGES, ids=IDS)
def test_check_refuses_a_translation_that_is_no_regular_file_at_once(
        tmp_path: Path, damage: Damage, detail: str) -> None:
    root = copy_seeds(tmp_path, "policy.yml")
    damage(root / NL)
    done = policy("check", "--root", str(root), "--color", "never")
    assert (done.returncode, done.stderr) == (2, "")
    assert f"{NL}: error [file-unreadable] cannot read {NL}: {detail}\n" in done.stdout
    assert "Traceback" not in done.stdout


@pytest.mark.parametrize(("damage", "detail"), DAMAGES, ids=IDS)
def test_a_yaml_file_that_is_no_regular_file_is_one_line_and_exit_2(
        tmp_path: Path, damage: Damage, detail: str) -> None:
    root = copy_seeds(tmp_path, "policy.yml")
    damage(root / "policy" / "policy.yml")
    done = policy("check", "--root", str(root))
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == f"policy: error: policy/policy.yml: cannot read: {detail}\n"


@pytest.mark.parametrize(("damage", "detail"), DAMAGES, ids=IDS)
def test_an_archived_file_that_cannot_be_read_is_a_finding_of_verify_and_check(
        tmp_path: Path, damage: Damage, detail: str) -> None:
    root = copy_repo(tmp_path)
    damage(root / ARCHIVED)
    line = (f"{ARCHIVED}: error [archive-unreadable] {ARCHIVED} of release 2026-11-23 cannot "
            f"be read ({detail}): restore it from version control\n")
    done = policy("verify", "--root", str(root), "--color", "never")
    assert (done.returncode, done.stderr) == (1, "")
    assert done.stdout.startswith(line)
    done = policy("check", "--root", str(root), "--color", "never")
    assert (done.returncode, done.stderr) == (1, "")
    assert line in done.stdout


def test_release_refuses_a_translation_that_is_no_regular_file(tmp_path: Path) -> None:
    root = copy_seeds(tmp_path, "policy.yml")
    _fifo(root / NL)
    done = policy("release", "--root", str(root), "--effective", dt.date.today().isoformat(),
                  "--summary", "en=E", "--summary", "nl=N", "--allow-drift", "test", "--material")
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == f"policy: error: {NL}: cannot read: {FIFO}\n"
    assert not (root / "policy" / "releases.yml").exists()


def _released(tmp_path: Path) -> Path:
    return copy_repo(tmp_path)


def test_diff_refuses_an_archived_file_it_cannot_read_rather_than_show_it_removed(
        tmp_path: Path) -> None:
    root = _released(tmp_path)
    _fifo(root / ARCHIVED)
    done = policy("diff", "--root", str(root))
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == f"policy: error: {ARCHIVED}: cannot read {ARCHIVED}: {FIFO}\n"


def test_diff_and_confirm_refuse_a_translation_nested_too_deep_naming_the_line(
        tmp_path: Path) -> None:
    root = _released(tmp_path)
    path = root / NL
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "\n" + ">" * 10_000 + " diep\n", encoding="utf-8")
    line = text.count("\n") + 2
    confirmed = (root / "policy" / "confirmed.yml").read_bytes()
    expected = (f"policy: error: {NL}:{line}: block quotes or lists nested more than 50 levels "
                "deep, deeper than the tools read: flatten them\n")
    for argv in (["diff"], ["confirm", "nl"], ["status"]):
        done = policy(*argv, "--root", str(root))
        assert (done.returncode, done.stdout, done.stderr) == (2, "", expected), argv
    assert (root / "policy" / "confirmed.yml").read_bytes() == confirmed
