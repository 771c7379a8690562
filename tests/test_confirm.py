"""``policy confirm`` and ``policy status``, and the stale-translation check they feed."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from conftest import DATA, POLICY
from policytools.yamlio import load_yaml

if TYPE_CHECKING:
    from conftest import RunCli

CONFIRMED = "policy/confirmed.yml"
NL_IDS = ["about-us", "personal-data", "collection", "tracking", "use", "disclosure", "rights",
          "children", "transfers", "security", "updates", "contact"]
HEAD = ("locale  document  up to date  stale   unconfirmed  untranslated  missing  clauses  "
        "last confirmed\n")
TRANSLATOR = "Test Translator <translator@example.com>"
ACCEPT = ["--accept", "Known drift, fixed in the next release"]
ACCEPTED = "; 8 of them despite open errors, accepted: Known drift, fixed in the next release"
STAMP = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"
PASSED = "policy check passed: 0 errors, 0 warnings, 0 info; 36 findings accepted by "
UPDATES = "We will post any privacy policy changes on this page."
UPDATES_STALE = (
    "locales/nl/privacy.md:115: warning [translation-stale] §11 (updates): the English changed "
    "since the Dutch was confirmed: … privacy policy changes on this page{+ first+}.; update "
    "the translation, then run policy confirm nl privacy#updates\n")


pytestmark = pytest.mark.usefixtures("git_user")


def edit_en(root: Path, old: str, new: str) -> None:
    path = root / "locales/en/privacy.md"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8", newline="\n")


def confirmed_line(count: int, tail: str = "", by: str = TRANSLATOR) -> str:
    return (f"policy confirm: {count} clause{'s' * (count != 1)} of nl confirmed by {by} "
            f"against the current source in policy/confirmed.yml{tail}\n")


def status_text(run_cli: RunCli, root: Path) -> str:
    """``policy status`` with the time of the last confirmation as '<stamp>'."""
    code, out, err = run_cli(["status", "--root", str(root)])
    assert (code, err) == (0, "")
    return re.sub(STAMP, "<stamp>", out)


def status_json(run_cli: RunCli, root: Path) -> dict[str, Any]:
    code, out, err = run_cli(["status", "--root", str(root), "--format", "json"])
    assert (code, err) == (0, "")
    data: dict[str, Any] = json.loads(out)
    return data


# --- confirm and status ---------------------------------------------------------------------


def test_confirm_whole_document_makes_every_shared_clause_current(seeded: Path,
                                                                  run_cli: RunCli) -> None:
    assert run_cli(["confirm", "nl", *ACCEPT, "--root", str(seeded)]) == (
        0, confirmed_line(12, ACCEPTED), "")
    assert status_text(run_cli, seeded) == HEAD + (
        f"nl      privacy   12 (92%)    0 (0%)  0 (0%)       0 (0%)        1 (8%)   13       "
        f"<stamp> by {TRANSLATOR}\n")
    (row,) = status_json(run_cli, seeded)["status"]
    assert {k: v for k, v in row.items() if k != "clauses"} == {
        "locale": "nl", "document": "privacy", "total": 13, "current": 12, "stale": 0,
        "unconfirmed": 0, "untranslated": 0, "missing": 1, "percent_current": 92,
        "confirmed_by": TRANSLATOR, "confirmed_on": row["confirmed_on"]}
    assert row["clauses"] == dict.fromkeys(NL_IDS, "current") | {"data-subjects": "missing"}
    code, out, _ = run_cli(["check", "--root", str(seeded), "--strict"])
    assert code == 0
    assert out.startswith(PASSED)


def test_confirm_one_clause_leaves_the_rest_unconfirmed(seeded: Path, run_cli: RunCli) -> None:
    assert run_cli(["confirm", "nl", "privacy#about-us", *ACCEPT, "--root", str(seeded)]) == (
        0, confirmed_line(1, ACCEPTED.replace("8 of them", "1 of them")), "")
    assert status_text(run_cli, seeded) == HEAD + (
        f"nl      privacy   1 (8%)      0 (0%)  11 (85%)     0 (0%)        1 (8%)   13       "
        f"<stamp> by {TRANSLATOR}\n")
    row = status_json(run_cli, seeded)["status"][0]
    assert (row["current"], row["unconfirmed"], row["percent_current"]) == (1, 11, 8)
    assert row["clauses"]["about-us"] == "current"
    assert row["clauses"]["personal-data"] == "unconfirmed"
    code, out, _ = run_cli(["check", "--root", str(seeded), "--color", "never"])
    assert code == 0
    # never-confirmed clauses share one cause and one fix: one info finding per document
    assert out.count("[translation-unconfirmed]") == 1
    assert ("locales/nl/privacy.md:20: info [translation-unconfirmed] 11 clauses of the Dutch "
            "never confirmed against the English (personal-data, collection, tracking, use, "
            "disclosure, rights, children, transfers, security, updates, contact): once they "
            "match, run policy confirm nl privacy\n") in out


def test_nothing_confirmed_is_one_info_finding(seeded: Path, run_cli: RunCli) -> None:
    code, out, _ = run_cli(["check", "--root", str(seeded), "--color", "never"])
    assert code == 0
    assert (f"locales/nl/privacy.md:16: info [translation-unconfirmed] 12 clauses of the Dutch "
            f"never confirmed against the English ({', '.join(NL_IDS)}): once they match, run "
            "policy confirm nl privacy\n") in out
    assert out.count("[translation-") == 1


# --- staleness ------------------------------------------------------------------------------


def test_edited_source_makes_that_clause_stale_until_confirmed_again(
        seeded: Path, run_cli: RunCli) -> None:
    run_cli(["confirm", "nl", *ACCEPT, "--root", str(seeded)])
    edit_en(seeded, UPDATES, "We will post any privacy policy changes on this page first.")
    code, out, err = run_cli(["check", "--root", str(seeded), "--color", "never"])
    assert (code, err) == (0, "")  # a warning: the translation may still be right
    assert out == UPDATES_STALE + (
        "\npolicy check passed: 0 errors, 1 warning, 0 info; 36 findings accepted by "
        "policy/baseline.yml\n")
    assert run_cli(["check", "--root", str(seeded), "--strict"])[0] == 1
    row = status_json(run_cli, seeded)["status"][0]
    assert row["clauses"] == (dict.fromkeys(NL_IDS, "current")
                              | {"updates": "stale", "data-subjects": "missing"})
    assert status_text(run_cli, seeded) == HEAD + (
        f"nl      privacy   11 (85%)    1 (8%)  0 (0%)       0 (0%)        1 (8%)   13       "
        f"<stamp> by {TRANSLATOR}\n")
    assert run_cli(["confirm", "nl", "privacy#updates", "--root", str(seeded)]) == (
        0, confirmed_line(1), "")
    code, out, _ = run_cli(["check", "--root", str(seeded), "--strict"])
    assert (code, out.startswith(PASSED)) == (0, True)


def test_stale_message_shows_a_word_level_redline(seeded: Path, run_cli: RunCli) -> None:
    run_cli(["confirm", "nl", *ACCEPT, "--root", str(seeded)])
    edit_en(seeded, "both companies is: Merchants House", "both companies is: Guild House")
    out = run_cli(["check", "--root", str(seeded), "--color", "never"])[1]
    assert ("locales/nl/privacy.md:16: warning [translation-stale] §1 (about-us): the English "
            "changed since the Dutch was confirmed: … address for both companies is: "
            "[-Merchants-]{+Guild+} House Wilkinson Road, Love Lane …; update the translation, "
            "then run policy confirm nl privacy#about-us\n") in out
    assert out.count("[translation-stale]") == 1


def test_stale_without_the_confirmed_text_on_record(seeded: Path, run_cli: RunCli) -> None:
    run_cli(["confirm", "nl", "privacy#updates", "--root", str(seeded)])
    path = seeded / CONFIRMED
    text = path.read_text(encoding="utf-8")
    path.write_text(text[:text.index("texts:")], encoding="utf-8")
    edit_en(seeded, UPDATES, "We will post any privacy policy changes on this page first.")
    assert ("§11 (updates): the English changed since the Dutch was confirmed: the confirmed "
            "text is not on record; update the translation, then run policy confirm nl "
            "privacy#updates\n") in run_cli(["check", "--root", str(seeded)])[1]


# --- policy/confirmed.yml -------------------------------------------------------------------


def test_rewrite_keeps_comments_and_drops_unused_texts(seeded: Path, run_cli: RunCli) -> None:
    run_cli(["confirm", "nl", *ACCEPT, "--root", str(seeded)])
    path = seeded / CONFIRMED
    first = load_yaml(path, CONFIRMED)
    old_hash = first["confirmed"]["nl"]["privacy"]["about-us"]["source"]
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# What source text each translated clause was last confirmed "
                           "against, written by\n")
    text = text.replace("  nl:\n", "  # Checked by the Dutch translator, 2026-11-23.\n  nl:\n")
    text = text.replace(f"source: {old_hash}\n", f"source: {old_hash}  # the address\n")
    path.write_text(text, encoding="utf-8")

    edit_en(seeded, "both companies is: Merchants House", "both companies is: Guild House")
    assert run_cli(["confirm", "nl", "privacy#about-us", "--by", "Second Reader",
                    *ACCEPT, "--root", str(seeded)])[0] == 0
    after = path.read_text(encoding="utf-8")
    assert "  # Checked by the Dutch translator, 2026-11-23.\n  nl:\n" in after
    data = load_yaml(path, CONFIRMED)
    entry = data["confirmed"]["nl"]["privacy"]["about-us"]
    new_hash = entry["source"]
    assert new_hash != old_hash
    assert (entry["by"], entry["accepted"]) == ("Second Reader", ACCEPT[1])
    assert f"      about-us:\n        source: {new_hash}  # the address\n        by: Second " \
        "Reader\n" in after
    used = {e["source"] for e in data["confirmed"]["nl"]["privacy"].values()}
    assert set(data["texts"]) == used
    assert old_hash not in after
    assert "Guild House" in data["texts"][new_hash]
    unchanged = {k: v for k, v in first["texts"].items() if k != old_hash}
    assert {k: v for k, v in data["texts"].items() if k != new_hash} == unchanged


@pytest.mark.parametrize(("argv", "message"), [
    (["en"], "'en' is not a translation: the project translates into nl"),
    (["de"], "'de' is not a translation: the project translates into nl"),
    (["nl", "terms"], "unknown document 'terms': the project has privacy"),
    (["nl", "privacy#about-us", "privacy#nope"], "no clause 'nope' in locales/en/privacy.md"),
    (["nl", "privacy#data-subjects"], "no clause 'data-subjects' in locales/nl/privacy.md"),
])
def test_confirm_refusal_writes_nothing(argv: list[str], message: str, seeded: Path,
                                        run_cli: RunCli) -> None:
    assert run_cli(["confirm", *argv, "--root", str(seeded)]) == (
        2, "", f"policy: error: {message}\n")
    assert not (seeded / CONFIRMED).exists()


def test_status_of_an_unknown_locale(seeded: Path, run_cli: RunCli) -> None:
    assert run_cli(["status", "--locale", "en", "--root", str(seeded)]) == (
        2, "", "policy: error: unknown locale 'en': the project has nl\n")


def test_confirm_and_status_as_real_subprocesses(seeded: Path) -> None:
    assert POLICY is not None, "the policy script is not installed"

    def policy(*argv: str) -> tuple[int, str, str]:
        done = subprocess.run([POLICY, *argv, "--root", str(seeded)], capture_output=True,
                              text=True, check=False, timeout=60)
        return done.returncode, done.stdout, done.stderr

    assert policy("confirm", "nl", "privacy#updates") == (0, confirmed_line(1), "")
    code, out, err = policy("status")
    assert (code, err) == (0, "")
    assert re.sub(STAMP, "<stamp>", out) == HEAD + (
        f"nl      privacy   1 (8%)      0 (0%)  11 (85%)     0 (0%)        1 (8%)   13       "
        f"<stamp> by {TRANSLATOR}\n")


# --- what counts as a change: marks -----------------------------------------------------------

TRACKING = "please see https://allaboutdnt.com/."
LINKED = "please see [allaboutdnt.com](https://allaboutdnt.com/)."


def test_a_link_target_change_makes_the_translation_stale(seeded: Path, run_cli: RunCli) -> None:
    edit_en(seeded, TRACKING, LINKED)
    assert run_cli(["confirm", "nl", *ACCEPT, "--root", str(seeded)])[0] == 0
    edit_en(seeded, "(https://allaboutdnt.com/)", "(https://evil.example/)")
    (row,) = status_json(run_cli, seeded)["status"]
    assert row["clauses"] == dict.fromkeys(NL_IDS, "current") | {
        "data-subjects": "missing", "tracking": "stale"}
    code, out, _ = run_cli(["check", "--root", str(seeded)])
    assert code == 1  # the facts check finds the new address too
    assert out.splitlines()[:2] == [
        "locales/nl/privacy.md:50: warning [translation-stale] §4 (tracking): the English "
        "changed since the Dutch was confirmed: … please see allaboutdnt.com. ↳ "
        "[allaboutdnt.com](https://[-allaboutdnt.com-]{+evil.example+}/); update the "
        "translation, then run policy confirm nl privacy#tracking",
        "locales/nl/privacy.md:52: error [fact-url] §4 (tracking): the Dutch gives the web "
        "address https://allaboutdnt.com/ where the English gives https://evil.example/"]


def test_confirmations_recorded_before_marks_were_compared_still_hold(seeded: Path,
                                                                     run_cli: RunCli) -> None:
    """A confirmed.yml written when only link targets were compared (by the code of 5fa5f62,
    after LINKED was put into the English): upgrading makes no clause stale."""
    edit_en(seeded, TRACKING, LINKED)
    shutil.copy2(DATA / "confirmed-before-marks" / CONFIRMED, seeded / CONFIRMED)
    everything = dict.fromkeys(NL_IDS, "current") | {"data-subjects": "missing"}
    assert status_json(run_cli, seeded)["status"][0]["clauses"] == everything
    edit_en(seeded, "(https://allaboutdnt.com/)", "(https://evil.example/)")
    assert status_json(run_cli, seeded)["status"][0]["clauses"] == everything | {
        "tracking": "stale"}


def test_options_may_come_before_the_targets(seeded: Path, run_cli: RunCli) -> None:
    code, out, err = run_cli(["confirm", "nl", "--by", "Jane Doe", "privacy#updates",
                              "--root", str(seeded)])
    assert (code, err) == (0, "")
    assert out.startswith("policy confirm: 1 clause of nl confirmed by Jane Doe against")
    code, out, err = run_cli(["confirm", "nl", "--by", "Jane Doe", "privacy#updates", "--wat",
                              "--root", str(seeded)])
    assert code == 2 and err.endswith("unrecognized arguments: --wat\n")
