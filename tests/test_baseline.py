"""The baseline: accepted findings survive edits, new drift fails, stale entries are named."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from policytools.baseline import BASELINE_FILE, judge, load_baseline, write_baseline
from policytools.checks import run_checks
from policytools.cli import main
from policytools.config import load_project
from policytools.model import Finding

POLICY = "source_locale: en\nlocales:\n  'en': English\n  'nl': Dutch\ndocuments:\n  - privacy\n"
EN = """\
---
title: Privacy
---

## 1. About us {#about-us}

Westcon International Ltd is the data controller.

## 2. Contact {#contact}

Write to privacy@westcon.com.

## 3. Complaints {#complaints}

We reply within seven working days.
"""
NL = """\
---
title: Privacy
---

## 1. Over ons {#about-us}

Westcon International Ltd is de verwerkingsverantwoordelijke.

## 2. Contact {#contact}

Schrijf naar legal@westcon.com.

## 3. Klachten {#complaints}

Wij antwoorden binnen 8 werkdagen.
"""
EMAIL_MSG = ("§2 (contact): the Dutch gives the e-mail address legal@westcon.com where the "
             "English gives privacy@westcon.com")
NUMBER_MSG = "§3 (complaints): the Dutch gives the number 8 where the English gives seven"


@pytest.fixture(autouse=True)
def _no_colour_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Exact text below must not depend on FORCE_COLOR or NO_COLOR set by a CI runner."""
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)


def _write(root: Path, rel: str, text: str) -> None:
    (root / rel).parent.mkdir(parents=True, exist_ok=True)
    (root / rel).write_text(text, encoding="utf-8")


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A project whose Dutch has two drifts: an e-mail address (§2) and a number (§3)."""
    for rel, text in (("policy/policy.yml", POLICY), ("locales/en/privacy.md", EN),
                      ("locales/nl/privacy.md", NL)):
        _write(tmp_path, rel, text)
    _confirm(tmp_path)
    return tmp_path


def _confirm(root: Path) -> None:
    """Confirm the whole Dutch as it stands, so that only drift findings remain."""
    assert main(["confirm", "--root", str(root), "nl", "--by", "Tester", "--accept",
                 "the drift the tests read"], out=io.StringIO(), err=io.StringIO()) == 0


def _cli(root: Path, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["check", "--root", str(root), *argv], out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def _findings(root: Path) -> list[Finding]:
    """Drift findings: whether a clause was confirmed (translation-*) is another story."""
    return [f for f in run_checks(load_project(root)) if not f.code.startswith("translation-")]


def _baseline(root: Path) -> str:
    return (root / BASELINE_FILE).read_text(encoding="utf-8")


def _edit(root: Path, rel: str, old: str, new: str) -> None:
    """Edit a file; a translation edited is confirmed again, as its translator would."""
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    if rel.startswith("locales/nl/"):
        _confirm(root)


def _give_reasons(root: Path) -> None:
    _edit(root, BASELINE_FILE, "reason: ''", "reason: 'Legal still uses the old mailbox.'")
    _edit(root, BASELINE_FILE, "reason: ''", "reason: 'Awaiting the Dutch service team.'")


def test_write_baseline_records_every_finding(root: Path) -> None:
    code, out, err = _cli(root, "--write-baseline")
    assert (code, err) == (0, "")
    assert out == ("policy check: wrote 2 accepted findings to policy/baseline.yml; give each "
                   "new entry a reason\n")
    email, number = _findings(root)
    assert _baseline(root) == f"""\
# Findings of `policy check` accepted for now. CI fails only on findings not listed here.
# Each entry needs a `reason` for the editors who read it later. Refresh the list with
# `policy check --write-baseline`: reasons and comments of entries that still occur are kept.
version: 1
accepted:
  - fingerprint: {email.fingerprint}
    code: fact-email
    document: privacy
    locale: nl
    clause: contact
    message: '{EMAIL_MSG}'
    reason: ''
  - fingerprint: {number.fingerprint}
    code: fact-number
    document: privacy
    locale: nl
    clause: complaints
    message: '{NUMBER_MSG}'
    reason: ''
"""


def test_accepted_findings_pass(root: Path) -> None:
    assert _cli(root)[0] == 1
    _cli(root, "--write-baseline")
    _give_reasons(root)
    assert _cli(root) == (0, "policy check passed: 0 errors, 0 warnings, 0 info; 2 findings "
                             "accepted by policy/baseline.yml\n", "")
    assert _cli(root, "--no-baseline")[0] == 1


def test_entry_without_reason_warns(root: Path) -> None:
    _cli(root, "--write-baseline")
    _edit(root, BASELINE_FILE, "reason: ''", "reason: 'Legal still uses the old mailbox.'")
    code, out, _ = _cli(root)
    fingerprint = _findings(root)[1].fingerprint
    assert code == 0  # a warning: the accepted drift still passes
    assert out.splitlines() == [
        f"policy/baseline.yml:13: warning [baseline-reason] baseline entry {fingerprint} "
        "(fact-number in nl/privacy) has no reason: say why it is accepted",
        "",
        "policy check passed: 0 errors, 1 warning, 0 info; 2 findings accepted by "
        "policy/baseline.yml"]
    assert _cli(root, "--strict")[0] == 1


INSERTED_EN = """\
## 1. About us {#about-us}

Westcon International Ltd is the data controller.

This paragraph was added later.

And so was this one.
"""
INSERTED_NL = """\
## 1. Over ons {#about-us}

Westcon International Ltd is de verwerkingsverantwoordelijke.

Deze alinea is later toegevoegd.

En deze ook.
"""


def test_fingerprints_survive_line_moves_and_unrelated_edits(root: Path) -> None:
    before = _findings(root)
    _cli(root, "--write-baseline")
    _give_reasons(root)
    _edit(root, "locales/en/privacy.md", EN[EN.index("## 1."):EN.index("## 2.")],
          INSERTED_EN + "\n")
    _edit(root, "locales/nl/privacy.md", NL[NL.index("## 1."):NL.index("## 2.")],
          INSERTED_NL + "\n")
    _edit(root, "locales/nl/privacy.md", "de verwerkingsverantwoordelijke",
          "de voor de verwerking verantwoordelijke")
    after = _findings(root)
    assert [f.line for f in after] == [f.line + 4 for f in before]
    assert [f.fingerprint for f in after] == [f.fingerprint for f in before]
    assert _cli(root)[0] == 0


def test_new_drift_fails_while_old_drift_stays_accepted(root: Path) -> None:
    _cli(root, "--write-baseline")
    _give_reasons(root)
    _edit(root, "locales/nl/privacy.md", "is de verwerkingsverantwoordelijke",
          "is sinds 2019 de verwerkingsverantwoordelijke")
    code, out, _ = _cli(root)
    assert code == 1
    assert out.splitlines() == [
        "locales/nl/privacy.md:7: error [fact-number] §1 (about-us): the Dutch gives the number "
        "2019, which the English does not have",
        "",
        "policy check failed: 1 error, 0 warnings, 0 info; 2 findings accepted by "
        "policy/baseline.yml"]


def test_changed_drift_is_new_drift(root: Path) -> None:
    _cli(root, "--write-baseline")
    _give_reasons(root)
    _edit(root, "locales/nl/privacy.md", "binnen 8 werkdagen", "binnen 9 werkdagen")
    code, out, _ = _cli(root)
    assert code == 1
    assert "[fact-number] §3 (complaints): the Dutch gives the number 9 where the English " \
           "gives seven" in out
    assert "1 baseline entry no longer occurs" in out


def test_entries_that_no_longer_occur_are_stale(root: Path) -> None:
    _cli(root, "--write-baseline")
    _give_reasons(root)
    fixed = _findings(root)[0].fingerprint
    _edit(root, "locales/nl/privacy.md", "legal@westcon.com", "privacy@westcon.com")
    code, out, _ = _cli(root)
    assert code == 0  # info: a stale entry does not fail the run
    assert out.splitlines() == [
        f"policy/baseline.yml:6: info [baseline-stale] baseline entry {fixed} (fact-email in "
        "nl/privacy) no longer occurs: remove it, or run policy check --write-baseline",
        "",
        "policy check passed: 0 errors, 0 warnings, 0 info; 1 finding accepted by "
        "policy/baseline.yml; 1 baseline entry no longer occurs"]


def test_entries_outside_the_checked_locales_are_not_stale(root: Path) -> None:
    _cli(root, "--write-baseline")
    _give_reasons(root)
    assert _cli(root, "--locale", "en") == (0, "policy check passed: 0 errors, 0 warnings, "
                                               "0 info\n", "")


def test_rewrite_for_some_locales_keeps_the_others_entries(root: Path) -> None:
    _write(root, "locales/de/privacy.md", NL.replace("legal@", "recht@"))
    _edit(root, "policy/policy.yml", "  'nl': Dutch\n", "  'nl': Dutch\n  'de': German\n")
    _cli(root, "--write-baseline")
    _edit(root, BASELINE_FILE, "reason: ''", "reason: 'German mailbox moves in March.'")
    _edit(root, BASELINE_FILE, "reason: ''", "reason: 'German service team.'")
    _give_reasons(root)
    before = _baseline(root)
    assert "recht@westcon.com" in before and "legal@westcon.com" in before
    _edit(root, "locales/nl/privacy.md", "8 werkdagen", "7 werkdagen")
    assert _cli(root, "--locale", "nl", "--write-baseline")[0] == 0
    after = _baseline(root)
    assert "German mailbox moves in March." in after  # the de entries stay, reasons and all
    # the e-mail address, the number, and the 'German' itself, which is Dutch text
    assert after.count("locale: de") == before.count("locale: de") == 3
    assert after.count("locale: nl") == 1  # the fixed nl number is gone
    assert _cli(root)[0] == 0


def test_rewrite_keeps_reasons_and_comments_of_entries_that_still_occur(root: Path) -> None:
    email, number = _findings(root)
    kept = f"""\
  # the mailbox moves in June
  - fingerprint: {email.fingerprint}  # asked on 2024-05-01
    code: fact-email
    document: privacy
    locale: nl
    clause: contact
    message: 'an edited message is kept as written'
    reason: 'Legal still uses the old mailbox.'  # per e-mail of 3 May
  # the Dutch service team decides

  - fingerprint: {number.fingerprint}
    code: fact-number
    document: privacy
    locale: nl
    clause: complaints
    message: '{NUMBER_MSG}'
    reason: 'Awaiting the Dutch service team.'
# end of the list
"""
    _write(root, BASELINE_FILE, f"""\
# Accepted drift of the Dutch, reviewed by Legal.
version: 1
accepted:
  # this one was fixed
  - fingerprint: 0123456789abcdef
    code: fact-term
    document: privacy
    locale: nl
    clause: about-us
    message: 'gone'
    reason: 'Fixed since.'
{kept}""")
    _edit(root, "locales/nl/privacy.md", "is de verwerkingsverantwoordelijke",
          "is sinds 2019 de verwerkingsverantwoordelijke")
    assert _cli(root, "--write-baseline")[0] == 0
    added = next(f for f in _findings(root) if f.clause == "about-us")
    assert _baseline(root) == f"""\
# Accepted drift of the Dutch, reviewed by Legal.
version: 1
accepted:
  - fingerprint: {added.fingerprint}
    code: fact-number
    document: privacy
    locale: nl
    clause: about-us
    message: '§1 (about-us): the Dutch gives the number 2019, which the English does not have'
    reason: ''
{kept}"""


def test_rewrite_drops_the_comment_of_a_dropped_entry(root: Path) -> None:
    email, number = _findings(root)
    _write(root, BASELINE_FILE, f"""\
version: 1
accepted:
  # mailbox: ask Legal
  - fingerprint: {email.fingerprint}
    reason: 'Legal still uses the old mailbox.'
  # service team: ask Jan
  - fingerprint: {number.fingerprint}
    reason: 'Awaiting the Dutch service team.'
""")
    _edit(root, "locales/nl/privacy.md", "legal@westcon.com", "privacy@westcon.com")
    _cli(root, "--write-baseline")
    assert _baseline(root) == f"""\
version: 1
accepted:
  # service team: ask Jan
  - fingerprint: {number.fingerprint}
    reason: 'Awaiting the Dutch service team.'
"""


def test_rewrite_is_stable(root: Path) -> None:
    _cli(root, "--write-baseline")
    first = _baseline(root)
    _cli(root, "--write-baseline")
    assert _baseline(root) == first


def test_baseline_elsewhere(root: Path) -> None:
    _cli(root, "--write-baseline")
    _give_reasons(root)
    moved = root / "ci" / "accepted.yml"
    moved.parent.mkdir()
    (root / BASELINE_FILE).rename(moved)
    assert _cli(root)[0] == 1
    code, out, _ = _cli(root, "--baseline", str(moved))
    assert (code, out) == (0, "policy check passed: 0 errors, 0 warnings, 0 info; 2 findings "
                              "accepted by ci/accepted.yml\n")


@pytest.mark.parametrize(("text", "error"), [
    pytest.param("version: 1\naccepted:\n  - fingerprint: abc\n    code: [unclosed\n",
                 "policy/baseline.yml:5: invalid YAML: expected ',' or ']', but got "
                 "'<stream end>'", id="yaml"),
    pytest.param("version: 1\naccepted:\n\t- fingerprint: abc\n",
                 "policy/baseline.yml:3: invalid YAML: found character '\\t' that cannot start "
                 "any token", id="tab"),
    pytest.param("version: 1\naccepted: 3\n",
                 "policy/baseline.yml:1: expected a mapping with a list 'accepted:'",
                 id="not-a-list"),
    pytest.param("- a\n- b\n", "policy/baseline.yml:1: expected a mapping with a list "
                 "'accepted:'", id="top-level-list"),
    pytest.param("version: 1\naccepted:\n  - fingerprint: 0123456789abcdef\n    reason: ok\n"
                 "  - code: fact-email\n    reason: ok\n",
                 "policy/baseline.yml:5: entry 2 has no fingerprint", id="no-fingerprint"),
    pytest.param("version: 1\naccepted:\n  - just a line\n",
                 "policy/baseline.yml:3: entry 1 has no fingerprint", id="not-a-mapping"),
])
def test_corrupt_baseline_is_bad_input(root: Path, text: str, error: str) -> None:
    _write(root, BASELINE_FILE, text)
    code, out, err = _cli(root)
    assert (code, out) == (2, "")
    assert err == f"policy: error: {error}\n"
    assert _cli(root, "--no-baseline")[0] == 1  # the escape hatch still works


def test_empty_or_missing_baseline_accepts_nothing(root: Path) -> None:
    assert load_baseline(root / BASELINE_FILE, BASELINE_FILE).entries == []
    _write(root, BASELINE_FILE, "")
    assert load_baseline(root / BASELINE_FILE, BASELINE_FILE).entries == []
    assert _cli(root)[0] == 1


def test_judge_splits_new_accepted_and_stale(root: Path) -> None:
    findings = _findings(root)
    baseline = load_baseline(root / BASELINE_FILE, BASELINE_FILE)
    write_baseline(baseline, findings[:1])
    baseline = load_baseline(root / BASELINE_FILE, BASELINE_FILE)
    judged = judge(findings, baseline)
    reasonless = next(f for f in judged.new if f.code == "baseline-reason")
    assert judged.new == [findings[1], reasonless]
    assert [f for f, _ in judged.accepted] == findings[:1]
    assert judged.stale == []
    later = judge(findings[1:], baseline, ({"nl"}, {"privacy"}))
    assert [f.code for f in later.stale] == ["baseline-stale"]
    assert judge(findings[1:], baseline, ({"en"}, {"privacy"})).stale == []
