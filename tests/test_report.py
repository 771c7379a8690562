"""Formatters: compiler-style text, the documented JSON schema, GitHub annotations, SARIF 2.1.0."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from policytools import report
from policytools.baseline import Judged
from policytools.checks import run_checks
from policytools.cli import main
from policytools.config import load_project
from policytools.model import Finding, Severity
from policytools.rules import RULES

SCHEMA = Path(report.__file__).parent / "schemas" / "check-output.schema.json"
# Vendored from the SARIF 2.1.0 standard (OASIS): the suite needs nothing outside the repo.
SARIF_SCHEMA = Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json"
ANSI = re.compile(r"\x1b\[[0-9;]*m")

EN = """\
---
title: Privacy
---

## 1. Contact {#contact}

Write to privacy@westcon.com. We reply within seven working days.

## 2. Complaints {#complaints}

You may complain to the regulator at https://ico.org.uk/concerns/.
"""
NL = """\
---
title: Privacy
---

## 1. Contact {#contact}

Schrijf naar privacy@westcon.nl. Wij antwoorden binnen 7 werkdagen.

## 2. Klachten {#complaints}

U kunt een klacht indienen via https://ico.org.uk/make-a-complaint/. Zie ook artikel 1.
"""
EMAIL = ("locales/nl/privacy.md:7: error [fact-email] §1 (contact): the Dutch gives the e-mail "
         "address privacy@westcon.nl where the English gives privacy@westcon.com")
URL = ("locales/nl/privacy.md:11: error [fact-url] §2 (complaints): the Dutch gives the web "
       "address https://ico.org.uk/make-a-complaint/ where the English gives "
       "https://ico.org.uk/concerns/")
XREF = ("locales/nl/privacy.md:11: warning [xref-unlinked] §2 (complaints) refers to "
        "‘artikel 1’ by number only: write [artikel 1](#contact)")
STALE = ("policy/baseline.yml:11: info [baseline-stale] baseline entry 0123456789abcdef "
         "(fact-email in nl/privacy) no longer occurs: remove it, or run policy check "
         "--write-baseline")
REASON = "The ICO moved its complaint page; Legal to confirm the new one."


@pytest.fixture(autouse=True)
def _no_colour_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Exact text below must not depend on FORCE_COLOR or NO_COLOR set by a CI runner."""
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)


def _write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


def _confirm(root: Path) -> None:
    """Confirm the Dutch against the English, so that only drift findings remain."""
    assert main(["confirm", "--root", str(root), "nl", "--by", "Tester", "--accept",
                 "the drift the tests read"], out=io.StringIO(), err=io.StringIO()) == 0


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A mini project: two errors and a warning; the baseline accepts one error, and has
    an entry (on line 11) that no longer occurs."""
    _write(tmp_path, {
        "policy/policy.yml": "source_locale: en\nlocales:\n  'en': English\n  'nl': Dutch\n"
                             "documents:\n  - privacy\n",
        "locales/en/privacy.md": EN,
        "locales/nl/privacy.md": NL,
    })
    _confirm(tmp_path)
    (url,) = [f for f in run_checks(load_project(tmp_path)) if f.code == "fact-url"]
    _write(tmp_path, {"policy/baseline.yml": f"""\
version: 1
accepted:
  - fingerprint: {url.fingerprint}
    code: fact-url
    document: privacy
    locale: nl
    clause: complaints
    message: 'the Dutch links another ICO page'
    reason: '{REASON}'
  # fixed in the Dutch since
  - fingerprint: 0123456789abcdef
    code: fact-email
    document: privacy
    locale: nl
    clause: contact
    message: 'an old e-mail drift'
    reason: 'Legal accepted it.'
"""})
    return tmp_path


def _cli(*argv: str, out: io.StringIO | None = None) -> tuple[int, str, str]:
    out = out if out is not None else io.StringIO()
    err = io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


# --- text ------------------------------------------------------------------------------------

def test_text_is_compiler_style_grouped_by_file(project: Path) -> None:
    code, out, err = _cli("check", "--root", str(project))
    assert (code, err) == (1, "")
    assert out == "\n".join([
        EMAIL, XREF, "", STALE, "",
        "policy check failed: 1 error, 1 warning, 0 info; 1 finding accepted by "
        "policy/baseline.yml; 1 baseline entry no longer occurs", ""])


def test_text_verbose_shows_accepted_findings_with_their_reason(project: Path) -> None:
    _, out, _ = _cli("check", "--root", str(project), "--verbose")
    assert f"{URL} (accepted: {REASON})" in out.splitlines()


def test_text_without_baseline(project: Path) -> None:
    code, out, _ = _cli("check", "--root", str(project), "--no-baseline")
    assert code == 1
    assert out == f"{EMAIL}\n{URL}\n{XREF}\n\npolicy check failed: 2 errors, 1 warning, 0 info\n"


def test_text_of_a_clean_run_is_the_summary_alone(tmp_path: Path) -> None:
    _write(tmp_path, {"locales/en/privacy.md": EN, "locales/nl/privacy.md": EN})
    _confirm(tmp_path)
    assert _cli("check", "--root", str(tmp_path)) == (
        0, "policy check passed: 0 errors, 0 warnings, 0 info\n", "")


def test_text_finding_without_line_names_the_file_alone() -> None:
    missing = Finding("document-missing", Severity.ERROR, "locales/nl/privacy.md does not "
                      "exist", "privacy", "nl", "locales/nl/privacy.md")
    outcome = report.Outcome(Judged([missing], [], []), Severity.ERROR, None, "file:///p")
    assert report.text(outcome).splitlines()[0] == (
        "locales/nl/privacy.md: error [document-missing] locales/nl/privacy.md does not exist")


@pytest.mark.parametrize(("argv", "env", "out", "coloured"), [
    pytest.param([], {}, io.StringIO, False, id="auto-not-a-tty"),
    pytest.param([], {}, _Tty, True, id="auto-tty"),
    pytest.param([], {"NO_COLOR": "1"}, _Tty, False, id="auto-tty-NO_COLOR"),
    pytest.param([], {"FORCE_COLOR": "1"}, io.StringIO, True, id="auto-FORCE_COLOR"),
    pytest.param([], {"FORCE_COLOR": "1", "NO_COLOR": "1"}, io.StringIO, False,
                 id="NO_COLOR-wins-over-FORCE_COLOR"),
    pytest.param(["--color", "always"], {"NO_COLOR": "1"}, io.StringIO, True,
                 id="always"),
    pytest.param(["--color", "never"], {"FORCE_COLOR": "1"}, _Tty, False, id="never"),
])
def test_colour(project: Path, monkeypatch: pytest.MonkeyPatch, argv: list[str],
                env: dict[str, str], out: type[io.StringIO], coloured: bool) -> None:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    _, text, _ = _cli("check", "--root", str(project), *argv, out=out())
    assert bool(ANSI.search(text)) is coloured
    plain = ANSI.sub("", text)
    assert EMAIL in plain.splitlines()
    if coloured:
        assert "\x1b[31merror\x1b[0m \x1b[2m[fact-email]\x1b[0m §1 (contact)" in text
        assert "policy check \x1b[31;1mfailed\x1b[0m: " in text


def test_colour_goes_nowhere_near_a_report_file(project: Path) -> None:
    target = project / "report.txt"
    code, out, _ = _cli("check", "--root", str(project), "--output", str(target), out=_Tty())
    assert (code, out) == (1, "")
    assert not ANSI.search(target.read_text(encoding="utf-8"))


# --- JSON ------------------------------------------------------------------------------------

def _schema() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SCHEMA.read_text(encoding="utf-8"))
    return data


def _json(project: Path, *argv: str) -> dict[str, Any]:
    _, out, err = _cli("check", "--root", str(project), "--format", "json", *argv)
    assert err == ""
    data: dict[str, Any] = json.loads(out)
    jsonschema.Draft202012Validator(_schema()).validate(data)
    return data


def test_json_schema_is_valid_draft_2020_12() -> None:
    schema = _schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def _properties(node: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(node, dict):
        for name, sub in node.get("properties", {}).items():
            yield f"{path}/{name}", sub
        for key, sub in node.items():
            yield from _properties(sub, f"{path}/{key}")
    elif isinstance(node, list):
        for sub in node:
            yield from _properties(sub, path)


def test_json_schema_documents_every_field() -> None:
    schema = _schema()
    fields = [(path, sub) for path, sub in _properties(schema) if "/allOf" not in path]
    assert len(fields) > 20
    undocumented = [path for path, sub in fields if not sub.get("description")]
    assert undocumented == []
    assert schema["$defs"]["finding"]["description"]


def test_json_with_baseline(project: Path) -> None:
    data = _json(project)
    assert data["version"] == 1
    assert data["tool"]["name"] == "policy"
    assert data["summary"] == {"errors": 1, "warnings": 1, "info": 0, "accepted": 1,
                               "stale_baseline_entries": 1, "failed": True}
    states = [(f["code"], f["baseline"], f["reason"]) for f in data["findings"]]
    assert states == [("fact-email", "new", None), ("fact-url", "accepted", REASON),
                      ("xref-unlinked", "new", None), ("baseline-stale", "stale", None)]
    email = data["findings"][0]
    assert email == {
        "code": "fact-email", "severity": "error", "document": "privacy", "locale": "nl",
        "clause": "contact", "file": "locales/nl/privacy.md", "line": 7,
        "message": "§1 (contact): the Dutch gives the e-mail address privacy@westcon.nl where "
                   "the English gives privacy@westcon.com",
        "source": "privacy@westcon.com", "translation": "privacy@westcon.nl",
        "fingerprint": email["fingerprint"], "baseline": "new", "reason": None}
    assert re.fullmatch(r"[0-9a-f]{16}", email["fingerprint"])
    stale = data["findings"][-1]
    assert (stale["file"], stale["line"], stale["severity"]) == ("policy/baseline.yml", 11, "info")


def test_json_without_baseline_and_of_the_real_repo(project: Path) -> None:
    data = _json(project, "--no-baseline")
    assert {f["baseline"] for f in data["findings"]} == {"new"}
    assert data["summary"]["accepted"] == 0
    real = _json(Path(__file__).resolve().parents[1])
    assert real["summary"]["failed"] is False
    assert {f["baseline"] for f in real["findings"] if f["severity"] != "info"} == {"accepted"}


def test_json_schema_rejects_what_the_tool_must_never_write(project: Path) -> None:
    data = _json(project)
    validator = jsonschema.Draft202012Validator(_schema())
    broken = json.loads(json.dumps(data))
    broken["findings"][0]["baseline"] = "ignored"
    assert not validator.is_valid(broken)
    broken = json.loads(json.dumps(data))
    broken["findings"][0]["extra"] = 1
    assert not validator.is_valid(broken)
    broken = json.loads(json.dumps(data))
    broken["findings"][0]["reason"] = "new findings have no reason"
    assert not validator.is_valid(broken)


# --- GitHub workflow commands -----------------------------------------------------------------

def _outcome(*findings: Finding, accepted: tuple[Finding, ...] = ()) -> report.Outcome:
    judged = Judged(list(findings), [(f, "ok") for f in accepted], [])
    return report.Outcome(judged, Severity.ERROR, "policy/baseline.yml", "file:///repo")


def _finding(code: str, message: str, file: str = "locales/nl/privacy.md",
             line: int | None = 7) -> Finding:
    return Finding(code, RULES[code].severity, message, "privacy", "nl", file, line, "contact")


def test_github_annotations_escape_data_and_properties() -> None:
    tricky = _finding("fact-url", "50% off\r\nnext: a, b", file="locales/nl/a,b:c%.md", line=3)
    lines = report.github(_outcome(tricky)).splitlines()
    assert lines[0] == ("::error file=locales/nl/a%2Cb%3Ac%25.md,line=3,title=policy fact-url"
                        "::50%25 off%0D%0Anext: a, b")


def test_github_annotations_per_severity_and_summary(project: Path) -> None:
    code, out, _ = _cli("check", "--root", str(project), "--format", "github")
    assert code == 1
    assert out.splitlines() == [
        "::error file=locales/nl/privacy.md,line=7,title=policy fact-email::§1 (contact): the "
        "Dutch gives the e-mail address privacy@westcon.nl where the English gives "
        "privacy@westcon.com",
        "::warning file=locales/nl/privacy.md,line=11,title=policy xref-unlinked::§2 "
        "(complaints) refers to ‘artikel 1’ by number only: write [artikel 1](#contact)",
        "::notice file=policy/baseline.yml,line=11,title=policy baseline-stale::baseline entry "
        "0123456789abcdef (fact-email in nl/privacy) no longer occurs: remove it, or run policy "
        "check --write-baseline",
        "policy check failed: 1 error, 1 warning, 0 info; 1 finding accepted by "
        "policy/baseline.yml; 1 baseline entry no longer occurs"]


def test_github_annotation_without_line() -> None:
    missing = _finding("document-missing", "gone", line=None)
    assert report.github(_outcome(missing)).splitlines()[0] == (
        "::error file=locales/nl/privacy.md,title=policy document-missing::gone")


# --- SARIF -----------------------------------------------------------------------------------

def _sarif(project: Path, *argv: str) -> dict[str, Any]:
    _, out, err = _cli("check", "--root", str(project), "--format", "sarif", *argv)
    assert err == ""
    log: dict[str, Any] = json.loads(out)
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.validators.validator_for(schema)(schema)
    errors = [f"{'/'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(log)]
    assert errors == []
    return log


def test_sarif_validates_and_marks_baseline_state(project: Path) -> None:
    log = _sarif(project)
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == list(RULES)
    assert rules[list(RULES).index("fact-email")]["properties"] == {
        "check": "facts.facts_match",
        "preconditions": ["source and translation are read", "the clause exists in both"]}
    by_rule = {r["ruleId"]: r for r in run["results"]}
    assert set(by_rule) == {"fact-email", "fact-url", "xref-unlinked", "baseline-stale"}
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    email, url = by_rule["fact-email"], by_rule["fact-url"]
    assert (email["baselineState"], email["level"]) == ("new", "error")
    assert "suppressions" not in email
    assert email["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "locales/nl/privacy.md", "uriBaseId": "SRCROOT"},
        "region": {"startLine": 7}}
    assert email["properties"] == {"document": "privacy", "locale": "nl", "clause": "contact",
                                   "source": "privacy@westcon.com",
                                   "translation": "privacy@westcon.nl"}
    assert url["baselineState"] == "unchanged"
    assert url["suppressions"] == [{"kind": "external", "status": "accepted",
                                    "justification": REASON}]
    assert by_rule["xref-unlinked"]["level"] == "warning"
    assert by_rule["baseline-stale"]["level"] == "note"
    assert run["originalUriBaseIds"]["SRCROOT"]["uri"] == project.resolve().as_uri() + "/"


def test_sarif_fingerprints_match_json(project: Path) -> None:
    log = _sarif(project, "--no-baseline")
    sarif = {r["partialFingerprints"]["policyFinding/v1"] for r in log["runs"][0]["results"]}
    data = _json(project, "--no-baseline")
    assert sarif == {f["fingerprint"] for f in data["findings"]}
    assert {r["baselineState"] for r in log["runs"][0]["results"]} == {"new"}


def test_sarif_of_the_real_repo_suppresses_every_accepted_finding() -> None:
    log = _sarif(Path(__file__).resolve().parents[1])
    results = [r for r in log["runs"][0]["results"] if r["level"] != "note"]
    assert results
    assert {r["baselineState"] for r in results} == {"unchanged"}
    assert all(r["suppressions"][0]["justification"] for r in results)


def test_text_from_the_files_reaches_a_terminal_shown_never_obeyed(tmp_path: Path,
                                                                   ready_template: Path) -> None:
    """An escape sequence, a bell and a right-to-left override in a translation are printed
    as <U+…> by check and diff: they can neither recolour nor retitle the reader's terminal."""
    import shutil
    import subprocess

    from conftest import POLICY

    root = Path(shutil.copytree(ready_template, tmp_path / "repo"))
    path = root / "locales/nl/privacy.md"
    hostile = "West\x1b]0;pwned\x07con \u202eLTD"
    path.write_text(path.read_text(encoding="utf-8").replace("Westcon", hostile, 1),
                    encoding="utf-8")
    for verb in ("check", "diff"):
        run = subprocess.run([str(POLICY), verb, "--root", str(root)], capture_output=True,
                             text=True, check=False)
        assert run.returncode == 1 if verb == "check" else run.returncode == 0, run.stderr
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]", run.stdout), verb
    assert "West<U+001B>]0;pwned<U+0007>con <U+202E>LTD" in run.stdout
