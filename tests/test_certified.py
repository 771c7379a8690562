"""Certified, not just confirmed: ``policy confirm`` refuses clauses with open errors or
untranslated text unless ``--accept REASON``, records who and when, reads the old file form,
and ``confirmations.snapshot`` gives what a release records."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from conftest import DATA, POLICY, edit_file, seed_declaration
from policytools.config import load_project
from policytools.confirmations import Record, clause_hash, load_confirmations, snapshot
from policytools.parse import read_document
from policytools.yamlio import load_yaml

if TYPE_CHECKING:
    from conftest import RunCli

CONFIRMED = "policy/confirmed.yml"
TRANSLATOR = "Test Translator <translator@example.com>"
REASON = "Known drift, fixed in the next release"
ABOUT_US_REFUSED = (
    "policy: error: refused: 1 clause of nl (privacy#about-us) has 4 open errors, baselined "
    "ones included; the first: locales/nl/privacy.md:16: [fact-code] §1 (about-us): the "
    "English gives the code 04411285, which the Dutch lacks; fix them, or confirm anyway with "
    "--accept REASON (recorded)\n")
NO_USER = ("policy: error: who confirms? git has no user.name here: pass --by NAME (e.g. --by "
           "\"Jane Doe <jane@example.com>\")\n")
# The Dutch clauses of the seeds without an error finding.
CLEAN = ["tracking", "children", "transfers", "updates"]


def git_config(path: Path, body: str, monkeypatch: pytest.MonkeyPatch) -> None:
    path.write_text(body, encoding="utf-8")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(path))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")


pytestmark = pytest.mark.usefixtures("git_user")


def confirmed(count: int, by: str = TRANSLATOR, tail: str = "") -> str:
    return (f"policy confirm: {count} clause{'s' * (count != 1)} of nl confirmed by {by} "
            f"against the current source in {CONFIRMED}{tail}\n")


def entries(root: Path) -> dict[str, object]:
    data = load_yaml(root / CONFIRMED, CONFIRMED)
    found: dict[str, object] = data["confirmed"]["nl"]["privacy"]
    return found


# --- refusals -------------------------------------------------------------------------------


@pytest.mark.parametrize(("targets", "message"), [
    (["privacy#about-us"], ABOUT_US_REFUSED),
    (["privacy#updates", "privacy#contact"], (
        "policy: error: refused: 1 clause of nl (privacy#contact) has 3 open errors, baselined "
        "ones included; the first: locales/nl/privacy.md:123: [address-mismatch] §12 "
        "(contact): the Dutch gives the address as ‘Legal Department, Westcon International "
        "Ltd., 660 White Plains Road, Suite 550, Tarrytown, NY 10591, USA’ where the English "
        "gives ‘Compliance Officer, Westcon International, Ltd., Merchants House, Love Lane, "
        "Cirencester, Gloucestershire GL7 1YT, United Kingdom’: a different address; fix "
        "them, or confirm anyway with --accept REASON (recorded)\n")),
    ([], (
        "policy: error: refused: 8 clauses of nl (privacy#about-us, privacy#personal-data, "
        "privacy#collection, privacy#use, privacy#disclosure, privacy#rights, "
        "privacy#security, privacy#contact) have 23 open errors, baselined ones included; the "
        "first: locales/nl/privacy.md:16: [fact-code] §1 (about-us): the English gives the "
        "code 04411285, which the Dutch lacks; fix them, or confirm anyway with --accept "
        "REASON (recorded)\n")),
])
def test_a_clause_with_open_errors_is_refused_even_when_baselined(
        seeded: Path, run_cli: RunCli, targets: list[str], message: str) -> None:
    # every error of the seeds is accepted by the baseline: check passes, confirm does not
    assert run_cli(["check", "--root", str(seeded)])[0] == 0
    assert run_cli(["confirm", "nl", *targets, "--root", str(seeded)]) == (2, "", message)
    assert not (seeded / CONFIRMED).exists()


def test_accept_confirms_anyway_and_records_the_reason_where_it_was_needed(
        seeded: Path, run_cli: RunCli) -> None:
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    assert run_cli(["confirm", "nl", "privacy#about-us", "privacy#updates", "--accept", REASON,
                    "--root", str(seeded)]) == (0, confirmed(2, tail=f"; 1 of them despite "
                                                               f"open errors, accepted: "
                                                               f"{REASON}"), "")
    after = dt.datetime.now(dt.UTC)
    found = entries(seeded)
    about, updates = found["about-us"], found["updates"]
    assert isinstance(about, dict)
    assert isinstance(updates, dict)
    assert (about["by"], about["accepted"]) == (TRANSLATOR, REASON)
    assert "accepted" not in updates
    on = dt.datetime.fromisoformat(about["on"])
    assert about["on"].endswith("Z")
    assert before <= on <= after
    text = (seeded / CONFIRMED).read_text(encoding="utf-8")
    assert f'        by: {TRANSLATOR}\n        "on": "{about["on"]}"\n' in text
    # confirmed again once clean, the acceptance goes
    assert run_cli(["confirm", "nl", "privacy#updates", "--root", str(seeded)])[0] == 0
    assert run_cli(["confirm", "nl", "privacy#about-us", "--root", str(seeded)])[0] == 2


def test_untranslated_text_is_refused_unless_accepted(tmp_path: Path, run_cli: RunCli) -> None:
    root = tmp_path / "faithful"
    shutil.copytree(DATA / "faithful" / "locales", root / "locales")
    (root / "policy").mkdir()
    seed_declaration(root / "policy" / "policy.yml")
    english = "Our privacy policy may change from time to time. We will post any privacy " \
              "policy changes on this page."
    dutch = (root / "locales/nl/privacy.md").read_text(encoding="utf-8").split("\n")[171]
    edit_file(root / "locales/nl/privacy.md", dutch, english)
    assert run_cli(["confirm", "nl", "privacy#updates", "--root", str(root)]) == (2, "", (
        "policy: error: refused: 1 clause of nl (privacy#updates) has 1 open error, baselined "
        "ones included; the first: locales/nl/privacy.md:172: [translation-untranslated] §12 "
        "(updates): a paragraph or list item of the Dutch is the English text, untranslated, "
        "from line 172 (‘Our privacy policy may change from time to time. We will…’): "
        "translate it, then run policy confirm nl privacy#updates; fix it, or confirm anyway "
        "with --accept REASON (recorded)\n"))
    assert run_cli(["confirm", "nl", "privacy#security", "--root", str(root)]) == (
        0, confirmed(1), "")
    assert run_cli(["confirm", "nl", "privacy#updates", "--accept", "English on purpose",
                    "--root", str(root)]) == (0, confirmed(1, tail="; 1 of them despite open "
                                                   "errors, accepted: English on purpose"), "")
    # confirmed or not, the status never calls untranslated text up to date
    code, out, _ = run_cli(["status", "--root", str(root), "--locale", "nl",
                            "--format", "json"])
    assert code == 0
    assert '"updates": "untranslated"' in out
    assert '"security": "current"' in out
    assert '"untranslated": 1' in out


# --- who ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("config", "by"), [
    ("[user]\n\tname = Ann Smit\n\temail = ann@example.nl\n", "Ann Smit <ann@example.nl>"),
    ("[user]\n\tname = Ann Smit\n", "Ann Smit"),
])
def test_who_comes_from_git(seeded: Path, run_cli: RunCli, tmp_path: Path, config: str,
                            by: str, monkeypatch: pytest.MonkeyPatch) -> None:
    git_config(tmp_path / "gitconfig", config, monkeypatch)
    assert run_cli(["confirm", "nl", "privacy#updates", "--root", str(seeded)]) == (
        0, confirmed(1, by), "")
    updates = entries(seeded)["updates"]
    assert isinstance(updates, dict)
    assert updates["by"] == by


@pytest.mark.parametrize("setup", ["no user", "no git"])
def test_without_a_git_user_confirm_asks_for_by(seeded: Path, run_cli: RunCli, tmp_path: Path,
                                                setup: str,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    if setup == "no user":
        git_config(tmp_path / "gitconfig", "[core]\n\tquotepath = off\n", monkeypatch)
    else:
        monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert run_cli(["confirm", "nl", "privacy#updates", "--root", str(seeded)]) == (
        2, "", NO_USER)
    assert not (seeded / CONFIRMED).exists()
    assert run_cli(["confirm", "nl", "privacy#updates", "--by", "Ann Smit", "--root",
                    str(seeded)]) == (0, confirmed(1, "Ann Smit"), "")


@pytest.mark.parametrize(("argv", "message"), [
    (["--by", "  "], "--by is empty: give a name or a reason"),
    (["--by", "Ann\x0bSmit"], "--by holds the control character U+000B (column 4): remove it"),
    (["--accept", ""], "--accept is empty: give a name or a reason"),
    (["--by", "x" * 201], "--by is longer than 200 characters"),
])
def test_bad_names_and_reasons_are_refused(seeded: Path, run_cli: RunCli, argv: list[str],
                                           message: str) -> None:
    assert run_cli(["confirm", "nl", "privacy#updates", *argv, "--root", str(seeded)]) == (
        2, "", f"policy: error: {message}\n")
    assert not (seeded / CONFIRMED).exists()


def test_confirm_records_who_and_when_as_a_real_subprocess(seeded: Path) -> None:
    assert POLICY is not None
    env = {**os.environ, "PATH": os.environ.get("PATH", "")}
    done = subprocess.run([POLICY, "confirm", "nl", "privacy#about-us", "--root", str(seeded)],
                          capture_output=True, text=True, check=False, timeout=120, env=env)
    assert (done.returncode, done.stdout, done.stderr) == (2, "", ABOUT_US_REFUSED)
    done = subprocess.run([POLICY, "confirm", "nl", "privacy#updates", "--by", "Ann Smit",
                           "--root", str(seeded)], capture_output=True, text=True, check=False,
                          timeout=120, env=env)
    assert (done.returncode, done.stdout, done.stderr) == (0, confirmed(1, "Ann Smit"), "")


# --- the file -------------------------------------------------------------------------------


def test_the_old_form_reads_and_is_rewritten_on_the_next_confirm(seeded: Path,
                                                                 run_cli: RunCli) -> None:
    old = DATA / "confirmed-before-marks" / CONFIRMED
    shutil.copy2(old, seeded / CONFIRMED)
    hashes = load_yaml(old, CONFIRMED)["confirmed"]["nl"]["privacy"]
    loaded = load_confirmations(load_project(seeded))
    assert loaded.confirmed["nl"]["privacy"] == hashes
    assert loaded.records == {}
    assert run_cli(["status", "--root", str(seeded)])[1].splitlines()[1].endswith(
        "not recorded")
    assert run_cli(["confirm", "nl", "privacy#updates", "--root", str(seeded)])[0] == 0
    found = entries(seeded)
    assert found["tracking"] == {"source": hashes["tracking"]}  # who and when: unknown
    updates = found["updates"]
    assert isinstance(updates, dict)
    assert (updates["source"], updates["by"]) == (hashes["updates"], TRANSLATOR)
    again = load_confirmations(load_project(seeded))
    assert again.confirmed["nl"]["privacy"] == hashes
    assert again.records["nl"]["privacy"] == {"updates": Record(
        TRANSLATOR, updates["on"], translation=updates["translation"])}
    nl = read_document(seeded / "locales/nl/privacy.md", "privacy", "nl", "nl")
    assert updates["translation"] == clause_hash(nl.clause("updates"))  # type: ignore[arg-type]


def test_a_translation_edited_since_it_was_confirmed_is_stale_until_confirmed_again(
        seeded: Path, run_cli: RunCli) -> None:
    assert run_cli(["confirm", "nl", "privacy#updates", "--root", str(seeded)])[0] == 0
    assert "updates" not in run_cli(["check", "--root", str(seeded), "--no-cache"])[1]
    edit_file(seeded / "locales/nl/privacy.md", "op deze pagina publiceren.",
              "op deze pagina publiceren en per e-mail melden.")
    code, out, _ = run_cli(["check", "--root", str(seeded), "--no-cache", "--strict"])
    assert code == 1
    assert ("warning [translation-stale] §11 (updates): the Dutch changed since it was "
            "confirmed: once it matches the English again, run policy confirm nl "
            "privacy#updates\n") in out
    assert run_cli(["status", "--root", str(seeded), "--format", "json"])[1].count(
        '"updates": "stale"') == 1
    assert run_cli(["confirm", "nl", "privacy#updates", "--root", str(seeded)])[0] == 0
    assert "updates" not in run_cli(["check", "--root", str(seeded), "--no-cache"])[1]


@pytest.mark.parametrize(("entry", "problem", "line"), [
    ("[1, 2]", "needs 'source: <hash>'", 4),
    ("{source: 5cc176f535d21130, by: Ann}", "needs 'by' and 'on' both, as text", 4),
    ("{source: 5cc176f535d21130, by: Ann, on: 'yesterday'}",
     "has 'on: yesterday', not an ISO 8601 date and time such as 2026-12-02T09:30:00Z", 4),
    ("{source: 5cc176f535d21130, by: [Ann], on: '2026-12-02T09:30:00Z'}",
     "needs 'by' and 'on' both, as text", 4),
])
def test_a_malformed_entry_is_an_error_naming_file_and_line(
        seeded: Path, run_cli: RunCli, entry: str, problem: str, line: int) -> None:
    (seeded / CONFIRMED).write_text(f"confirmed:\n  nl:\n    privacy:\n      about-us: {entry}\n",
                                    encoding="utf-8")
    message = (f"policy: error: {CONFIRMED}:{line}: the confirmation of nl/privacy#about-us "
               f"{problem}\n")
    assert run_cli(["status", "--root", str(seeded)]) == (2, "", message)
    assert run_cli(["confirm", "nl", "privacy#updates", "--root", str(seeded)]) == (
        2, "", message)


@pytest.mark.parametrize(("by", "written"), [("yes", 'by: "yes"'), ("Ann", "by: Ann"),
                                             ("on", 'by: "on"')])
def test_names_yaml_1_1_reads_as_another_type_are_quoted(seeded: Path, run_cli: RunCli, by: str,
                                                       written: str) -> None:
    assert run_cli(["confirm", "nl", "privacy#updates", "--by", by, "--accept", "no",
                    "--root", str(seeded)])[0] == 0
    assert f"        {written}\n" in (seeded / CONFIRMED).read_text(encoding="utf-8")
    updates = entries(seeded)["updates"]
    assert isinstance(updates, dict)
    assert updates["by"] == by


def test_a_time_written_unquoted_by_hand_still_reads(seeded: Path) -> None:
    (seeded / CONFIRMED).write_text(
        "confirmed:\n  nl:\n    privacy:\n      about-us:\n        source: 5cc176f535d21130\n"
        "        by: Ann\n        on: 2026-12-02T09:30:00Z\n", encoding="utf-8")
    loaded = load_confirmations(load_project(seeded))
    assert loaded.records["nl"]["privacy"]["about-us"] == Record("Ann", "2026-12-02T09:30:00Z")


# --- status and the release snapshot ----------------------------------------------------------


def test_status_shows_who_confirmed_last_and_when(seeded: Path, run_cli: RunCli) -> None:
    code, out, _ = run_cli(["status", "--root", str(seeded)])
    assert (code, out.splitlines()[1]) == (
        0, "nl      privacy   0 (0%)      0 (0%)  12 (92%)     0 (0%)        1 (8%)   13       "
        "never")
    run_cli(["confirm", "nl", "privacy#updates", "--by", "First", "--root", str(seeded)])
    run_cli(["confirm", "nl", "privacy#children", "--by", "Second", "--root", str(seeded)])
    code, out, _ = run_cli(["status", "--root", str(seeded), "--format", "json"])
    children = entries(seeded)["children"]
    assert isinstance(children, dict)
    assert f'"confirmed_by": "Second",\n      "confirmed_on": "{children["on"]}"' in out


def test_snapshot_lists_the_clauses_confirmed_against_the_current_source(
        seeded: Path, run_cli: RunCli) -> None:
    project = load_project(seeded)
    assert snapshot(project, load_confirmations(project)) == {"nl/privacy.md": ()}
    for clause in CLEAN:
        run_cli(["confirm", "nl", f"privacy#{clause}", "--root", str(seeded)])
    run_cli(["confirm", "nl", "privacy#contact", "--accept", REASON, "--root", str(seeded)])
    assert snapshot(project, load_confirmations(project)) == {
        "nl/privacy.md": ("children", "contact", "tracking", "transfers", "updates")}
    edit_file(seeded / "locales/en/privacy.md",
              "We will post any privacy policy changes on this page.",
              "We will post any privacy policy changes on this page first.")
    assert snapshot(project, load_confirmations(project)) == {
        "nl/privacy.md": ("children", "contact", "tracking", "transfers")}
