"""A release killed at each of its steps: what it leaves is named, recovered, and retried.

The kill is real: ``policy release`` runs as a subprocess with ``POLICY_FAULT_AT=<step>``,
which sends it SIGKILL at that step (no ``finally``, no rollback: a power loss as far as the
files can tell). What follows runs in-process for speed.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from conftest import POLICY, release_argv

if TYPE_CHECKING:
    from conftest import RunCli

V = "2026-11-24"
INTACT = "policy verify: 2 releases, 3 archived files, all intact\n"
RANDOM = re.compile(r"\.[a-z0-9_]{8}\.tmp\b")  # the random part of a temporary file's name
UNCOMMITTED = f"release {V}, which was interrupted before it was committed"
AGAIN = "run policy recover, then release again"
JOURNAL = f"policy/.release-{V}.pending"
ARCHIVE = f"policy/archive/{V}"
STAGING = f"policy/archive/.staging-{V}"

# step → (the findings of `policy verify`, the lines of `policy recover`), random parts as *
STEPS = {
    f"replace .release-{V}.pending": (
        [f"policy/..release-{V}.pending.*.tmp: warning [write-unfinished] "
         f"policy/..release-{V}.pending.*.tmp was left by an interrupted write of "
         f"policy/.release-{V}.pending: run policy recover"],
        [f"policy recover: removed policy/..release-{V}.pending.*.tmp: it was left by an "
         f"interrupted write of policy/.release-{V}.pending"]),
    "journal": (
        [f"{JOURNAL}: error [release-unfinished] {JOURNAL} is the journal of {UNCOMMITTED}: "
         f"{AGAIN}"],
        [f"policy recover: removed {JOURNAL}: it is the journal of {UNCOMMITTED}"]),
    "staging": (
        [f"{JOURNAL}: error [release-unfinished] {JOURNAL} is the journal of {UNCOMMITTED}: "
         f"{AGAIN}",
         f"{STAGING}: error [release-unfinished] {STAGING} is the staging folder of release "
         f"{V}, which was interrupted: run policy recover"],
        [f"policy recover: removed {STAGING}: it is the staging folder of release {V}, which "
         "was interrupted",
         f"policy recover: removed {JOURNAL}: it is the journal of {UNCOMMITTED}"]),
    "archive": (
        [f"{JOURNAL}: error [release-unfinished] {JOURNAL} is the journal of {UNCOMMITTED}: "
         f"{AGAIN}",
         f"{ARCHIVE}: error [release-unfinished] {ARCHIVE} was written by {UNCOMMITTED}: "
         f"{AGAIN}"],
        [f"policy recover: removed {ARCHIVE}: it was written by {UNCOMMITTED}",
         f"policy recover: removed {JOURNAL}: it is the journal of {UNCOMMITTED}"]),
    "replace releases.yml": (
        [f"{JOURNAL}: error [release-unfinished] {JOURNAL} is the journal of {UNCOMMITTED}: "
         f"{AGAIN}",
         "policy/.releases.yml.*.tmp: warning [write-unfinished] policy/.releases.yml.*.tmp "
         "was left by an interrupted write of policy/releases.yml: run policy recover",
         f"{ARCHIVE}: error [release-unfinished] {ARCHIVE} was written by {UNCOMMITTED}: "
         f"{AGAIN}"],
        ["policy recover: removed policy/.releases.yml.*.tmp: it was left by an interrupted "
         "write of policy/releases.yml",
         f"policy recover: removed {ARCHIVE}: it was written by {UNCOMMITTED}",
         f"policy recover: removed {JOURNAL}: it is the journal of {UNCOMMITTED}"]),
    "ledger": (
        [f"{JOURNAL}: error [release-unfinished] {JOURNAL} is the journal of release {V}, "
         "which was committed: only the journal was left: run policy recover"],
        [f"policy recover: removed {JOURNAL}: it is the journal of release {V}, which was "
         "committed: only the journal was left"]),
}


@pytest.fixture
def project(tmp_path: Path, ready_template: Path) -> Path:
    return Path(shutil.copytree(ready_template, tmp_path / "repo"))


def kill_release_at(root: Path, step: str) -> None:
    """Run `policy release` as a real process and let it die by SIGKILL at ``step``."""
    assert POLICY is not None, "the policy script is not installed"
    done = subprocess.run([POLICY, *release_argv(V), "--root", str(root)], capture_output=True,
                          text=True, env={**os.environ, "POLICY_FAULT_AT": step}, timeout=60,
                          check=False)
    assert (done.returncode, done.stdout) == (-signal.SIGKILL, "")


def lines(text: str) -> list[str]:
    return [RANDOM.sub(".*.tmp", line) for line in text.splitlines() if line]


def verify_findings(run_cli: RunCli, root: Path) -> list[str]:
    code, out, err = run_cli(["verify", "--root", str(root), "--color", "never"])
    assert (code, err) == (1, "")
    return lines(out)[:-1]


@pytest.mark.parametrize("step", list(STEPS))
def test_killed_release_is_named_then_recovered_by_one_command(
        step: str, project: Path, run_cli: RunCli) -> None:
    findings, removed = STEPS[step]
    kill_release_at(project, step)
    assert verify_findings(run_cli, project) == findings
    code, out, _ = run_cli(["check", "--root", str(project), "--color", "never"])
    assert code == (1 if any(" error " in f for f in findings) else 0)
    assert all(f in lines(out) for f in findings)
    code, out, err = run_cli(["recover", "--root", str(project)])
    assert (code, lines(out), err) == (0, removed, "")
    assert run_cli(["recover", "--root", str(project)]) == (
        0, "policy recover: nothing to recover\n", "")
    committed = step == "ledger"
    code, out, err = run_cli([*release_argv(V), "--root", str(project)])
    assert (code, err) == ((2, f"policy: error: version {V} is already released\n")
                           if committed else (0, ""))
    assert run_cli(["verify", "--root", str(project)]) == (0, INTACT, "")
    assert sorted(p.name for p in (project / "policy").iterdir()) == [
        ".lock", "archive", "baseline.yml", "policy.yml", "releases.yml"]


@pytest.mark.parametrize("step", ["replace releases.yml", "ledger"])
def test_the_next_release_recovers_by_itself(step: str, project: Path,
                                             run_cli: RunCli) -> None:
    kill_release_at(project, step)
    code, out, err = run_cli([*release_argv(V), "--root", str(project)])
    if step == "ledger":
        assert (code, lines(out), err) == (
            2, STEPS[step][1], f"policy: error: version {V} is already released\n")
    else:
        assert (code, lines(out)[:-1], err) == (0, STEPS[step][1], "")
        assert out.endswith(f"policy release: released {V}, in force from {V}: archived 1 "
                            f"changed text in policy/archive/{V}/ and added the entry to "
                            "policy/releases.yml\n")
    assert run_cli(["verify", "--root", str(project)]) == (0, INTACT, "")


def test_a_killed_confirm_leaves_a_temporary_file_the_next_confirm_removes(
        project: Path, run_cli: RunCli) -> None:
    assert POLICY is not None, "the policy script is not installed"
    done = subprocess.run([POLICY, "confirm", "nl", "--by", "Tester", "--accept", "a test",
                           "--root", str(project)], check=False,
                          env={**os.environ, "POLICY_FAULT_AT": "replace confirmed.yml"},
                          capture_output=True, timeout=60)
    assert done.returncode == -signal.SIGKILL
    assert not (project / "policy/confirmed.yml").exists()
    code, out, _ = run_cli(["confirm", "nl", "privacy#updates", "--by", "Tester", "--root",
                            str(project)])
    assert (code, lines(out)) == (0, [
        "policy recover: removed policy/.confirmed.yml.*.tmp: it was left by an interrupted "
        "write of policy/confirmed.yml",
        "policy confirm: 1 clause of nl confirmed by Tester against the current source in "
        "policy/confirmed.yml"])


def _foreign_file(root: Path) -> None:
    """An archive folder for the interrupted version holding a file the release never wrote."""
    (root / ARCHIVE / "en").mkdir(parents=True)
    (root / ARCHIVE / "en/privacy.md").write_text("edited by hand\n", encoding="utf-8")


def _no_journal(root: Path) -> None:
    (root / JOURNAL).unlink()


@pytest.mark.parametrize(("step", "tamper", "message"), [
    pytest.param("archive", _no_journal,
                 f"{ARCHIVE}: belongs to no release in policy/releases.yml (an interrupted "
                 "release?): policy recover removes only what it can prove an interrupted "
                 "command left; remove it", id="archive-without-journal"),
    pytest.param("journal", _foreign_file,
                 f"{ARCHIVE}: belongs to no release in policy/releases.yml and holds files the "
                 f"journal of the interrupted release {V} does not list: policy recover "
                 "removes only what it can prove an interrupted command left; remove it by "
                 "hand if no release should list it (and 1 more: see policy verify)",
                 id="archive-not-the-journals"),
])
def test_recover_never_removes_what_it_cannot_prove(step: str, tamper: object, message: str,
                                                   project: Path, run_cli: RunCli) -> None:
    kill_release_at(project, step)
    assert callable(tamper)
    tamper(project)
    before = sorted(p.relative_to(project).as_posix() for p in project.rglob("*"))
    assert run_cli(["recover", "--root", str(project)]) == (2, "", f"policy: error: {message}\n")
    assert sorted(p.relative_to(project).as_posix() for p in project.rglob("*")) == before
    code, _, err = run_cli([*release_argv(V), "--allow-drift", "x", "--root", str(project)])
    assert (code, err) == (2, f"policy: error: {ARCHIVE} already exists: released files are "
                           "never rewritten (remove it only if no release lists it)\n")
    shutil.rmtree(project / ARCHIVE)
    code, _, err = run_cli([*release_argv(V), "--root", str(project)])
    assert (code, err) == (0, "")
    assert run_cli(["verify", "--root", str(project)]) == (0, INTACT, "")


def test_odd_leftovers_are_named_never_followed_and_only_staging_is_removed(
        project: Path, run_cli: RunCli) -> None:
    policy = project / "policy"
    (policy / f".release-{V}.pending").mkdir()  # a folder where a journal would be
    (policy / ".release-...pending").write_text('{"version": "...", "files": {}}\n',
                                                encoding="utf-8")
    (policy / "archive/.staging-2026-11-30").write_text("a file, not a folder\n",
                                                        encoding="utf-8")
    (policy / "archive/2026-11-29").symlink_to("/dev")
    (policy / ".baseline.yml.abcd1234.tmp").symlink_to("/dev/zero")  # no temp file of ours
    findings = verify_findings(run_cli, project)
    assert findings == [
        "policy/.release-...pending: error [release-unfinished] policy/.release-...pending is "
        "not a journal policy release wrote: remove it by hand",
        f"{JOURNAL}: error [release-unfinished] {JOURNAL} is not a journal policy release "
        "wrote: remove it by hand",
        "policy/archive/.staging-2026-11-30: error [release-unfinished] "
        "policy/archive/.staging-2026-11-30 is the staging folder of release 2026-11-30, "
        "which was interrupted: run policy recover",
        "policy/archive/2026-11-29: error [archive-unexpected] policy/archive/2026-11-29 "
        "belongs to no release in policy/releases.yml (an interrupted release?): remove it"]
    code, out, err = run_cli(["recover", "--root", str(project)])
    assert (code, out, err) == (
        2, "policy recover: removed policy/archive/.staging-2026-11-30: it is the staging "
        "folder of release 2026-11-30, which was interrupted\n",
        "policy: error: policy/.release-...pending: is not a journal policy release wrote: "
        "policy recover removes only what it can prove an interrupted command left; remove it "
        "by hand (and 2 more: see policy verify)\n")
    assert (policy / "archive/2026-11-29").is_symlink()
    assert (policy / ".baseline.yml.abcd1234.tmp").is_symlink()


def test_a_journal_policy_release_did_not_write_vouches_for_nothing(
        project: Path, run_cli: RunCli) -> None:
    kill_release_at(project, "archive")
    (project / JOURNAL).write_text("not a journal\n", encoding="utf-8")
    assert verify_findings(run_cli, project) == [
        f"{JOURNAL}: error [release-unfinished] {JOURNAL} is not a journal policy release "
        "wrote: remove it by hand",
        f"{ARCHIVE}: error [archive-unexpected] {ARCHIVE} belongs to no release in "
        "policy/releases.yml (an interrupted release?): remove it"]
    assert run_cli(["recover", "--root", str(project)])[0] == 2
    assert (project / ARCHIVE).is_dir()
