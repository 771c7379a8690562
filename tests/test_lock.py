"""The project lock: real ``policy`` processes at once never lose a ledger entry, an archive
file or a confirmation; a command kept waiting too long refuses in one line."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from conftest import POLICY, REPO, release_argv
from policytools.ledger import ARCHIVE_DIR, LEDGER_FILE, sha256
from policytools.lock import LOCK_FILE
from policytools.yamlio import load_yaml

if TYPE_CHECKING:
    from conftest import RunCli

INTACT_ONE = "policy verify: 2 releases, 3 archived files, all intact\n"
RELEASE_ROUNDS = 6  # per pair of versions; without the lock the first round fails
CONFIRM_ROUNDS = 12
# Who confirms, and why despite the seeds' open errors (confirm refuses clauses with any).
AS = ("--by", "Lock Tester", "--accept", "testing the lock")
CLAUSES = ["about-us", "personal-data", "collection", "tracking", "use", "disclosure",
           "rights", "children", "transfers", "security", "updates", "contact"]


def start(root: Path, *argv: str, **env: str) -> subprocess.Popen[str]:
    assert POLICY is not None, "the policy script is not installed"
    return subprocess.Popen([POLICY, *argv, "--root", str(root)], text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, **env})


def finish(proc: subprocess.Popen[str]) -> tuple[int, str, str]:
    out, err = proc.communicate(timeout=60)
    return proc.returncode, out, err


def wait_for(path: Path) -> None:
    deadline = time.monotonic() + 30
    while not path.exists():
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.02)


WRITERS = [["confirm", "nl"], ["check", "--write-baseline"], ["recover"],
           release_argv("2026-11-24")]


def test_every_writer_waits_then_refuses_naming_the_holder(
        tmp_path: Path, ready_template: Path, run_cli: RunCli,
        monkeypatch: pytest.MonkeyPatch) -> None:
    root = Path(shutil.copytree(ready_template, tmp_path / "repo"))
    go = tmp_path / "go"
    holder = start(root, *release_argv("2026-11-24"), POLICY_PAUSE_AT="locked",
                   POLICY_PAUSE_UNTIL=str(go))
    wait_for(Path(f"{go}.paused"))
    before = {p: p.read_bytes() for p in (root / "policy").rglob("*") if p.is_file()}
    monkeypatch.setenv("POLICY_LOCK_TIMEOUT", "0.3")
    for argv in WRITERS:
        assert run_cli([*argv, "--root", str(root)]) == (2, "", (
            f"policy: error: {LOCK_FILE}: policy/ is locked by another command (process "
            f"{holder.pid}: policy release 2026-11-24); waited 0.3 s: try again once it has "
            "finished\n")), argv
    assert {p: p.read_bytes() for p in (root / "policy").rglob("*") if p.is_file()} == before
    monkeypatch.delenv("POLICY_LOCK_TIMEOUT")
    waiting = start(root, "confirm", "nl", *AS)  # the default wait: 10 s
    time.sleep(0.5)
    assert waiting.poll() is None
    go.touch()
    code, out, err = finish(holder)
    assert (code, err) == (0, "")
    assert out.startswith("policy release: released 2026-11-24")
    assert finish(waiting) == (0, "policy confirm: 12 clauses of nl confirmed by Lock Tester "
                               "against the current source in policy/confirmed.yml; 8 of them "
                               "despite open errors, accepted: testing the lock\n", "")
    assert run_cli(["verify", "--root", str(root)]) == (0, INTACT_ONE, "")


def test_a_killed_holder_leaves_no_lock(tmp_path: Path, ready_template: Path,
                                       run_cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    # The kernel releases a dead process's lock: only its note is left, and the next
    # command takes the lock at once and clears the note when it is done.
    root = Path(shutil.copytree(ready_template, tmp_path / "repo"))
    killed = start(root, "confirm", "nl", *AS, POLICY_FAULT_AT="locked")
    assert finish(killed) == (-signal.SIGKILL, "", "")
    assert (root / LOCK_FILE).read_text(encoding="utf-8") == f"{killed.pid} policy confirm nl\n"
    monkeypatch.setenv("POLICY_LOCK_TIMEOUT", "0")
    assert run_cli(["confirm", "nl", "privacy#contact", *AS, "--root", str(root)])[0] == 0
    assert (root / LOCK_FILE).read_text(encoding="utf-8") == ""


def test_a_holder_that_left_no_note_is_not_named(tmp_path: Path, ready_template: Path,
                                                 run_cli: RunCli,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from filelock import FileLock

    root = Path(shutil.copytree(ready_template, tmp_path / "repo"))
    monkeypatch.setenv("POLICY_LOCK_TIMEOUT", "0.2")
    with FileLock(root / LOCK_FILE, preserve_lock_file=True):  # another program's lock
        assert run_cli(["confirm", "nl", "--root", str(root)]) == (
            2, "", f"policy: error: {LOCK_FILE}: policy/ is locked by another command; waited "
            "0.2 s: try again once it has finished\n")
    assert not (root / "policy/confirmed.yml").exists()


def test_a_bad_timeout_is_a_usage_error(tmp_path: Path, ready_template: Path, run_cli: RunCli,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    root = Path(shutil.copytree(ready_template, tmp_path / "repo"))
    monkeypatch.setenv("POLICY_LOCK_TIMEOUT", "soon")
    assert run_cli(["confirm", "nl", "--root", str(root)]) == (
        2, "", "policy: error: POLICY_LOCK_TIMEOUT='soon' is not a number of seconds\n")
    assert not (root / "policy/confirmed.yml").exists()


@pytest.mark.parametrize("versions", [("2026-11-24", "2026-11-25"), ("2026-11-24",) * 2],
                         ids=["different-versions", "same-version"])
def test_concurrent_releases_never_lose_an_entry_or_an_archive(
        versions: tuple[str, str], tmp_path: Path, ready_template: Path, run_cli: RunCli) -> None:
    # The same text released twice at once: exactly one may win; the other, after waiting,
    # sees the winner's entry and refuses. Without the lock both won and one entry was lost.
    losers = {f"policy: error: version {versions[1]} is already released\n",
              "policy: error: nothing changed since release 2026-11-24\n",
              "policy: error: version 2026-11-24 comes before the latest release 2026-11-25\n"}
    for round_ in range(RELEASE_ROUNDS):
        root = Path(shutil.copytree(ready_template, tmp_path / f"r{round_}"))
        results = [finish(proc) for proc in [start(root, *release_argv(v)) for v in versions]]
        won = [v for v, (code, _, _) in zip(versions, results, strict=True) if code == 0]
        assert len(won) == 1, results
        assert [err for code, _, err in results if code] in ([e] for e in losers), results
        ledger = load_yaml(root / LEDGER_FILE, LEDGER_FILE)
        assert [r["version"] for r in ledger["releases"]] == ["2026-11-23", *won]
        archived = root / ARCHIVE_DIR / won[0]
        # only the English changed since 2026-11-23: only it is archived again
        assert {k: sha256((archived / k).read_bytes()) for k in ("en/privacy.md",)} == \
            ledger["releases"][-1]["files"]
        assert run_cli(["verify", "--root", str(root)]) == (0, INTACT_ONE, "")


def test_concurrent_confirms_never_lose_a_confirmation(tmp_path: Path,
                                                       ready_template: Path) -> None:
    root = Path(shutil.copytree(ready_template, tmp_path / "repo"))
    confirmed = root / "policy/confirmed.yml"
    for round_ in range(CONFIRM_ROUNDS):
        confirmed.unlink(missing_ok=True)
        chosen = [CLAUSES[(round_ + i) % len(CLAUSES)] for i in (0, 4, 8)]
        procs = [start(root, "confirm", "nl", f"privacy#{clause}", *AS) for clause in chosen]
        assert [finish(proc)[0] for proc in procs] == [0, 0, 0]
        data = load_yaml(confirmed, "confirmed.yml")
        assert sorted(data["confirmed"]["nl"]["privacy"]) == sorted(chosen), round_


def test_the_lock_is_no_finding_and_is_ignored_by_git(tmp_path: Path, ready_template: Path,
                                                      run_cli: RunCli) -> None:
    root = Path(shutil.copytree(ready_template, tmp_path / "repo"))
    assert (root / LOCK_FILE).is_file()  # the first release took it
    assert run_cli(["verify", "--root", str(root)]) == (
        0, "policy verify: 1 release, 2 archived files, all intact\n", "")
    shutil.copy(REPO / ".gitignore", root / ".gitignore")
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    leftovers = [LOCK_FILE, "policy/.release-2026-11-24.pending",
                 "policy/.releases.yml.abcd1234.tmp", "policy/archive/.staging-2026-11-24/x"]
    kept = ["policy/releases.yml", "policy/archive/2026-11-23/en/privacy.md"]
    done = subprocess.run(["git", "check-ignore", "--no-index", *leftovers, *kept], cwd=root,
                          capture_output=True, text=True, check=False)
    assert done.stdout.splitlines() == leftovers


def test_a_lock_file_that_is_a_symlink_is_never_followed(tmp_path: Path,
                                                         ready_template: Path,
                                                         run_cli: RunCli) -> None:
    root = Path(shutil.copytree(ready_template, tmp_path / "repo"))
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n", encoding="utf-8")
    (root / LOCK_FILE).unlink()
    (root / LOCK_FILE).symlink_to(victim)
    assert run_cli(["confirm", "nl", "--root", str(root)]) == (
        2, "", f"policy: error: {LOCK_FILE}: cannot take the lock: Too many levels of symbolic "
        "links\n")
    assert victim.read_text(encoding="utf-8") == "keep me\n"
    assert not (root / "policy/confirmed.yml").exists()
