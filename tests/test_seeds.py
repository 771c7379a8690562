"""The real policies: the current English and the older, drifted Dutch translation.

Without the baseline every known drift is reported, each once and in a lawyer's words; with
the shipped baseline the repository's own ``policy check`` passes.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from policytools.baseline import BASELINE_FILE, load_baseline
from policytools.checks import run_checks
from policytools.cli import main
from policytools.config import load_project
from policytools.model import Finding

REPO = Path(__file__).resolve().parents[1]
NL = "locales/nl/privacy.md"
EN = "locales/en/privacy.md"


@pytest.fixture(autouse=True)
def _no_colour_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Exact text below must not depend on FORCE_COLOR or NO_COLOR set by a CI runner."""
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)


def _copy(root: Path, with_baseline: bool) -> Path:
    shutil.copytree(REPO / "locales", root / "locales")
    (root / "policy").mkdir()
    shutil.copy(REPO / "policy" / "policy.yml", root / "policy" / "policy.yml")
    if with_baseline:
        shutil.copy(REPO / BASELINE_FILE, root / BASELINE_FILE)
    return root


@pytest.fixture(scope="module")
def drift(tmp_path_factory: pytest.TempPathFactory) -> list[Finding]:
    """Every finding of the real policies, with no baseline to accept any."""
    found = run_checks(load_project(_copy(tmp_path_factory.mktemp("seeds"), False)))
    return [f for f in found if not f.code.startswith("translation-")]  # confirmations: apart


def _cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


# (file, line, code, clause, message) — the drift a reviewer of the Dutch must be told about
EXPECTED = [
    (EN, 183, "address-inconsistent", "contact",
     "the English writes the address of Merchants House Wilkinson Road two ways: postcode GL7 "
     "1YG in §1 (about-us) (line 7) but GL7 1YT in §13 (contact)"),
    (NL, 16, "fact-code", "about-us",
     "§1 (about-us): the English gives the code 04411285, which the Dutch lacks"),
    (NL, 16, "fact-term", "about-us",
     "§1 (about-us): the English gives the protected term WGEO, which the Dutch lacks"),
    (NL, 16, "fact-term", "about-us",
     "§1 (about-us): the English gives the protected term WINT, which the Dutch lacks"),
    (NL, 18, "address-mismatch", "about-us",
     "§1 (about-us): the Dutch gives the address as ‘Chandler’s House Wilkinson Road, Love Lane "
     "Industrial Estate, Cirencester, Gloucestershire GL7 1YT, Verenigd Koninkrijk’ where the "
     "English gives ‘Merchants House Wilkinson Road, Love Lane Industrial Estate, Cirencester, "
     "Gloucestershire GL7 1YG, United Kingdom’: postcode GL7 1YT instead of GL7 1YG; "
     "‘Chandler’s House Wilkinson Road’ instead of ‘Merchants House Wilkinson Road’"),
    (NL, 20, "fact-term", "personal-data",
     "§2 (personal-data): the English gives the protected term BlueSky, which the Dutch lacks"),
    (NL, 20, "fact-term", "personal-data",
     "§2 (personal-data): the English gives the protected term PartnerPortal, which the Dutch "
     "lacks"),
    (NL, 20, "fact-term", "personal-data",
     "§2 (personal-data): the English gives the protected term PartnerView, which the Dutch "
     "lacks"),
    (NL, 26, "clause-missing", "data-subjects",
     "§3 (data-subjects) ‘Which data subjects do we process personal data on?’ of the English "
     "is missing in the Dutch: translate it and insert it before §3 (collection) with id "
     "{#data-subjects}"),
    (NL, 26, "number-mismatch", "collection",
     "10 clauses (collection … contact) numbered §3–§12 here but §4–§13 in the English, "
     "because data-subjects is missing: renumber to match the source"),
    (NL, 75, "xref-unlinked", "use",
     "§5 (use) refers to ‘artikel 3’ by number only: write [artikel 3](#collection)"),
    (NL, 85, "fact-term", "disclosure",
     "§6 (disclosure): the Dutch gives the protected term Google Analytics, which the English "
     "does not have"),
    (NL, 97, "address-extra", "rights",
     "§7 (rights): the Dutch gives the address ‘Legal Department, Westcon Group, Inc., 520 White "
     "Plains Road, Tarrytown, NY 10591’, which the English does not have"),
    (NL, 101, "fact-email", "rights",
     "§7 (rights): the Dutch gives the e-mail address legal@westcon.com, which the English does "
     "not have"),
    (NL, 111, "fact-term", "security",
     "§10 (security): the English gives the protected term ISO 27001, which the Dutch lacks"),
    (NL, 123, "address-mismatch", "contact",
     "§12 (contact): the Dutch gives the address as ‘Legal Department, Westcon International "
     "Ltd., 660 White Plains Road, Suite 550, Tarrytown, NY 10591, USA’ where the English gives "
     "‘Compliance Officer, Westcon International, Ltd., Merchants House, Love Lane, Cirencester, "
     "Gloucestershire GL7 1YT, United Kingdom’: a different address"),
    (NL, 127, "fact-email", "contact",
     "§12 (contact): the Dutch gives the e-mail address contractadmin@westcon.com, which the "
     "English does not have"),
    (NL, 129, "fact-url", "contact",
     "§12 (contact): the Dutch gives the web address https://ico.org.uk/concerns/, which the "
     "English does not have"),
]


@pytest.mark.parametrize(("file", "line", "code", "clause", "message"), EXPECTED,
                         ids=[f"{e[2]}:{e[3]}:{e[1]}" for e in EXPECTED])
def test_real_drift_is_reported(drift: list[Finding], file: str, line: int, code: str,
                                clause: str, message: str) -> None:
    found = [(f.file, f.line, f.code, f.clause, f.message) for f in drift]
    assert (file, line, code, clause, message) in found


def test_each_root_cause_is_reported_once(drift: list[Finding]) -> None:
    counts = Counter(f.code for f in drift)
    assert counts["clause-missing"] == 1
    assert counts["number-mismatch"] == 1  # the shift from collection on, not ten findings
    assert counts["address-inconsistent"] == 1  # the Dutch repeats no English inconsistency
    assert counts["address-mismatch"] == 2
    assert counts["xref-unlinked"] == 1
    # the digits of the addresses (postcodes, house numbers) are no facts of their own
    assert not [f for f in drift if f.code in ("fact-code", "fact-number")
                and f.clause in ("rights", "contact")]
    assert Counter(f.locale for f in drift)["en"] == 1


def test_english_source_has_no_translation_findings(drift: list[Finding]) -> None:
    assert [(f.code, f.line) for f in drift if f.locale == "en"] == [
        ("address-inconsistent", 183)]


def test_every_finding_of_the_real_drift_is_in_the_baseline(drift: list[Finding]) -> None:
    baseline = load_baseline(REPO / BASELINE_FILE, BASELINE_FILE)
    accepted = {e.fingerprint for e in baseline.entries}
    assert [f.message for f in drift if f.fingerprint not in accepted] == []


def test_every_baseline_entry_gives_a_reason() -> None:
    baseline = load_baseline(REPO / BASELINE_FILE, BASELINE_FILE)
    assert baseline.entries
    assert [e.fingerprint for e in baseline.entries if not e.reason.strip()] == []


def test_repo_check_passes_with_its_baseline() -> None:
    code, out, err = _cli("check", "--root", str(REPO))
    assert (code, err) == (0, "")
    assert out.splitlines()[-1].startswith("policy check passed: 0 errors, 0 warnings, ")
    assert "accepted by policy/baseline.yml" in out
    assert "no longer occur" not in out
    assert _cli("check", "--root", str(REPO), "--strict")[0] == 0


def test_repo_check_fails_without_its_baseline() -> None:
    code, out, _ = _cli("check", "--root", str(REPO), "--no-baseline")
    assert code == 1
    assert out.splitlines()[-1].startswith("policy check failed: ")


def test_repo_check_as_a_real_process() -> None:
    done = subprocess.run(
        [sys.executable, "-c", "from policytools.cli import entrypoint; entrypoint()", "check"],
        cwd=REPO / "locales" / "nl", capture_output=True, text=True, timeout=60, check=False)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.splitlines()[-1].startswith("policy check passed: 0 errors, 0 warnings, ")


def test_rewriting_the_shipped_baseline_changes_nothing(tmp_path: Path) -> None:
    root = _copy(tmp_path, True)
    before = (root / BASELINE_FILE).read_bytes()
    assert _cli("check", "--root", str(root), "--write-baseline")[0] == 0
    assert (root / BASELINE_FILE).read_bytes() == before
