"""The ``policy`` command: exit codes, formats, filters, and the one-line error barrier."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from conftest import POLICY
from policytools import __version__
from policytools.cli import main
from policytools.errors import UsageError
from policytools.rules import RULES

if TYPE_CHECKING:
    from conftest import RunCli, Scenario, WriteProject

DOC = "---\ntitle: T\n---\n\n## 1. A {#a}\n\nText.\n"
PASSED = "policy check passed: 0 errors, 0 warnings, 0 info\n"
# What a fresh project without policy/confirmed.yml says: the one note that nl was never
# confirmed against the source.
UNCONFIRMED = ("locales/nl/privacy.md:5: info [translation-unconfirmed] 1 clause of the Dutch "
               "never confirmed against the English (a): once they match, run policy confirm "
               "nl privacy\n\npolicy check passed: 0 errors, 0 warnings, 1 info\n")


def test_repo_as_shipped_passes_thanks_to_the_baseline(seeds_root: Path,
                                                       run_cli: RunCli) -> None:
    code, out, err = run_cli(["check", "--root", str(seeds_root)])
    assert (code, err) == (0, "")
    # the Dutch was never confirmed against the current English: an info note, not drift
    assert out.startswith("locales/nl/privacy.md:16: info [translation-unconfirmed] 12 clauses")
    assert out.splitlines()[-1].startswith("policy check passed: 0 errors, 0 warnings, 1 info; ")
    assert out.endswith(" findings accepted by policy/baseline.yml\n")


def test_repo_without_baseline_fails_with_compiler_style_lines(seeds_root: Path,
                                                               run_cli: RunCli) -> None:
    code, out, err = run_cli(["check", "--root", str(seeds_root), "--no-baseline"])
    assert (code, err) == (1, "")
    assert (
        "locales/nl/privacy.md:26: error [clause-missing] §3 (data-subjects) ‘Which data "
        "subjects do we process personal data on?’ of the English is missing in the Dutch: "
        "translate it and insert it before §3 (collection) with id {#data-subjects}\n") in out
    assert ("locales/nl/privacy.md:75: warning [xref-unlinked] §5 (use) refers to ‘artikel 3’ "
            "by number only: write [artikel 3](#collection)\n") in out
    assert out.splitlines()[-1].startswith("policy check failed: ")


def test_ok_scenario_has_no_finding_of_any_severity(scenario: Scenario,
                                                    run_cli: RunCli) -> None:
    root = scenario("ok")
    assert run_cli(["check", "--root", str(root), "--no-baseline", "--strict"]) == (
        0, PASSED, "")
    code, out, _ = run_cli(["check", "--root", str(root), "--format", "json"])
    assert (code, json.loads(out)["findings"]) == (0, [])


def warning_only(tmp_path: Path, write_project: WriteProject) -> Path:
    return write_project(tmp_path, {"locales/en/privacy.md": (
        "---\ntitle: T\n---\n\n## 1. A {#a}\n\nSee section 2.\n\n## 2. B {#b}\n\nText.\n")})


def test_a_warning_passes_unless_strict(tmp_path: Path, write_project: WriteProject,
                                        run_cli: RunCli) -> None:
    root = warning_only(tmp_path, write_project)
    line = ("locales/en/privacy.md:7: warning [xref-unlinked] §1 (a) refers to ‘section 2’ by "
            "number only: write [section 2](#b)\n")
    assert run_cli(["check", "--root", str(root)]) == (
        0, f"{line}\npolicy check passed: 0 errors, 1 warning, 0 info\n", "")
    assert run_cli(["check", "--root", str(root), "--strict"]) == (
        1, f"{line}\npolicy check failed: 0 errors, 1 warning, 0 info\n", "")


@pytest.mark.parametrize(("argv", "env", "painted"), [
    (["--color", "always"], {}, True),
    (["--color", "never"], {"FORCE_COLOR": "1"}, False),
    ([], {}, False),
    ([], {"FORCE_COLOR": "1"}, True),
    ([], {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),
], ids=["always", "never", "auto-not-a-terminal", "auto-forced", "auto-no-color-wins"])
def test_colour_only_when_asked_or_on_a_terminal(
        tmp_path: Path, write_project: WriteProject, run_cli: RunCli,
        monkeypatch: pytest.MonkeyPatch, argv: list[str], env: dict[str, str],
        painted: bool) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    root = warning_only(tmp_path, write_project)
    code, out, _ = run_cli(["check", "--root", str(root), *argv])
    assert code == 0
    assert ("\x1b[33mwarning\x1b[0m" in out) is painted
    assert ("\x1b[" in out) is painted


@pytest.mark.parametrize(("files", "line"), [
    pytest.param({"locales/nl/privacy.md": b"---\ntitle: T\n---\n\n## 1. A {#a}\n\nCaf\xe9\n"},
                 "locales/nl/privacy.md:7: error [file-unreadable] locales/nl/privacy.md is "
                 "not UTF-8 text (byte 0xe9); save it as UTF-8", id="not-utf8"),
    pytest.param({"locales/nl/privacy.md": ""},
                 "locales/nl/privacy.md:1: error [file-empty] locales/nl/privacy.md is empty: "
                 "it needs front matter with a title and the policy's clauses", id="empty"),
    pytest.param({"locales/en/privacy.md": b"\xff\xfe-\x00-\x00-\x00"},
                 "locales/en/privacy.md:1: error [file-unreadable] locales/en/privacy.md is "
                 "not UTF-8 text (byte 0xff); save it as UTF-8", id="source-utf16"),
])
def test_unreadable_input_exits_2_with_the_finding(tmp_path: Path, write_project: WriteProject,
                                                   run_cli: RunCli, files: dict[str, bytes],
                                                   line: str) -> None:
    root = write_project(tmp_path, {"locales/en/privacy.md": DOC, "locales/nl/privacy.md": DOC,
                                    **files})
    code, out, err = run_cli(["check", "--root", str(root)])
    assert (code, err) == (2, "")
    assert out.splitlines()[0] == line


@pytest.mark.parametrize(("argv", "message"), [
    ([], "the following arguments are required: command"),
    (["lint"], "argument command: invalid choice: 'lint' (choose from 'check', 'rules', "
               "'release', 'recover', 'verify', 'record', 'diff', 'confirm', 'rename-clause', "
               "'status', 'add-locale', 'add-document', 'export', 'import')"),
    (["check", "--format", "xml"],
     "argument --format: invalid choice: 'xml' (choose from 'text', 'json', 'github', 'sarif')"),
    (["check", "--wat"], "unrecognized arguments: --wat"),
    (["check", "--no-baseline", "--baseline", "b.yml"],
     "argument --baseline: not allowed with argument --no-baseline"),
    (["check", "--document", "cookies"], "unknown document 'cookies': the project has privacy"),
    (["check", "--locale", "nl,xx"], "unknown locale 'xx': the project has en, nl"),
    (["check", "--write-baseline", "--no-baseline"],
     "--write-baseline needs a baseline file: drop --no-baseline"),
], ids=["no-command", "unknown-command", "unknown-format", "unknown-option",
        "baseline-and-no-baseline", "unknown-document", "unknown-locale", "write-no-baseline"])
def test_usage_errors_are_one_line_and_exit_2(tmp_path: Path, write_project: WriteProject,
                                              run_cli: RunCli, argv: list[str],
                                              message: str) -> None:
    root = write_project(tmp_path, {"locales/en/privacy.md": DOC, "locales/nl/privacy.md": DOC})
    if argv[:1] == ["check"]:
        argv = [*argv, "--root", str(root)]
    assert run_cli(argv) == (2, "", f"policy: error: {message}\n")


def test_root_without_locales_is_a_usage_error(tmp_path: Path, run_cli: RunCli) -> None:
    assert run_cli(["check", "--root", str(tmp_path)]) == (
        2, "", f"policy: error: {tmp_path} has no locales/ folder: pass the project folder "
               "to --root\n")


def test_root_defaults_to_the_nearest_folder_holding_locales(
        tmp_path: Path, write_project: WriteProject, run_cli: RunCli,
        monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_project(tmp_path, {"locales/en/privacy.md": DOC, "locales/nl/privacy.md": DOC})
    monkeypatch.chdir(root / "locales" / "nl")
    assert run_cli(["check"]) == (0, UNCONFIRMED, "")


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="has no locales/ folder"):
        main(["--debug", "check", "--root", str(tmp_path)])


INTERNAL = ("policy: error: internal error: {} (rerun with --debug for the traceback)\n")


@pytest.mark.parametrize(("raised", "line"), [
    (ZeroDivisionError("division by zero"), "ZeroDivisionError: division by zero"),
    (RecursionError("maximum recursion depth exceeded"),
     "RecursionError: maximum recursion depth exceeded"),
    (MemoryError(), "MemoryError"),
    (AssertionError("two\nlines"), "AssertionError: two lines"),
    (ValueError("x" * 10_000), "ValueError: " + "x" * 299 + "…"),
], ids=["zero-division", "recursion", "memory", "multi-line", "long"])
def test_an_unexpected_exception_is_one_line_and_exit_2_never_1(
        scenario: Scenario, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch,
        raised: BaseException, line: str) -> None:
    def boom(*_: object) -> None:
        raise raised

    monkeypatch.setattr("policytools.parse.parse_document", boom)
    root = scenario("ok")
    assert run_cli(["check", "--root", str(root)]) == (2, "", INTERNAL.format(line))
    with pytest.raises(type(raised)):
        main(["check", "--root", str(root), "--debug"])


def test_a_rust_panic_is_an_internal_error_not_a_crash(
        scenario: Scenario, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    from policytools.syntax import markdown

    # the markdown-it.rs bug, with the parser's guard taken away
    monkeypatch.setattr("policytools.parse.parse_tree",
                        lambda body: (markdown().tree("[`"), None))
    code, out, err = run_cli(["check", "--root", str(scenario("ok"))])
    assert (code, out) == (2, "")
    assert err == INTERNAL.format("PanicException: index out of bounds: the len is 0 but the "
                                  "index is 1")


def test_an_internal_error_in_a_real_process_is_one_line_and_exit_2(
        scenario: Scenario, tmp_path: Path) -> None:
    # the installed script, with a bug planted at start-up: no hook in the code under test
    plant = tmp_path / "plant"
    plant.mkdir()
    (plant / "sitecustomize.py").write_text(
        "import policytools.parse\n"
        "def boom(*args):\n"
        "    return 1 / 0\n"
        "policytools.parse.parse_document = boom\n", encoding="utf-8")
    root = scenario("ok")
    env = {**os.environ, "PYTHONPATH": str(plant)}
    assert POLICY is not None
    done = subprocess.run([POLICY, "check", "--root", str(root)], capture_output=True,
                          text=True, env=env, check=False)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == INTERNAL.format("ZeroDivisionError: division by zero")
    debug = subprocess.run([POLICY, "check", "--root", str(root), "--debug"],
                           capture_output=True, text=True, env=env, check=False)
    assert debug.returncode == 2
    assert "Traceback (most recent call last)" in debug.stderr
    assert debug.stderr.rstrip().endswith("ZeroDivisionError: division by zero")


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"policy {__version__}\n"


def test_json_format_parses_and_keeps_accepted_findings(seeds_root: Path,
                                                        run_cli: RunCli) -> None:
    code, out, err = run_cli(["check", "--root", str(seeds_root), "--format", "json"])
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data["version"] == 1
    assert data["summary"]["failed"] is False
    assert data["summary"]["errors"] == 0
    new = [f for f in data["findings"] if f["baseline"] == "new"]
    assert [(f["code"], f["severity"]) for f in new] == [("translation-unconfirmed", "info")]
    assert data["summary"]["accepted"] == len(data["findings"]) - 1 > 0
    missing = next(f for f in data["findings"] if f["code"] == "clause-missing")
    assert (missing["file"], missing["line"], missing["clause"], missing["locale"]) == (
        "locales/nl/privacy.md", 26, "data-subjects", "nl")


@pytest.mark.parametrize(("argv", "locales"), [
    (["--locale", "nl", "--document", "privacy"], {"nl"}),
    (["--locale", "en"], {"en"}),
    ([], {"en", "nl"}),
], ids=["nl-privacy", "en", "all"])
def test_locale_and_document_filter(seeds_root: Path, run_cli: RunCli, argv: list[str],
                                    locales: set[str]) -> None:
    code, out, _ = run_cli(["check", "--root", str(seeds_root), "--no-baseline",
                            "--format", "json", *argv])
    findings = json.loads(out)["findings"]
    assert code == 1
    assert {f["locale"] for f in findings} == locales
    assert {f["document"] for f in findings} == {"privacy"}


def test_filtered_run_keeps_the_baseline_entries_of_other_locales(seeds_root: Path,
                                                                  run_cli: RunCli) -> None:
    code, out, _ = run_cli(["check", "--root", str(seeds_root), "--locale", "nl",
                            "--document", "privacy"])
    assert code == 0
    assert "no longer occur" not in out


def test_output_file_gets_the_report(scenario: Scenario, run_cli: RunCli,
                                     tmp_path: Path) -> None:
    root = scenario("missing-clause")
    report = tmp_path / "out" / "report.json"
    assert run_cli(["check", "--root", str(root), "--format", "json", "--output",
                    str(report)]) == (1, "", "")
    codes = [f["code"] for f in json.loads(report.read_text(encoding="utf-8"))["findings"]]
    assert codes == ["clause-missing", "number-mismatch"]


def test_rules_lists_every_code(run_cli: RunCli) -> None:
    code, out, err = run_cli(["rules"])
    assert (code, err) == (0, "")
    lines = [line for line in out.splitlines() if not line.startswith(" ")]
    assert [line.split()[0] for line in lines] == list(RULES)
    assert [line.split()[1] for line in lines] == [r.severity.label for r in RULES.values()]
    assert [line.split()[2] for line in lines] == [r.check for r in RULES.values()]
    assert lines[0].endswith("  The file cannot be read: not a regular file, over 10 MB, not "
                             "UTF-8, or nested too deep.")
    assert "xref-unlinked" in out and "numbering-sequence" in out
    identifier = out.splitlines().index(next(line for line in lines
                                              if line.startswith("fact-identifier ")))
    assert out.splitlines()[identifier + 1].split("only when: ")[1] == (
        "source and translation are read; the clause exists in both; outside addresses, "
        "protected terms, web and e-mail addresses and clause references; not a declared "
        "term, nor listed in not_terms; a word in capitals that the document also writes in "
        "small letters is emphasis; an abbreviation that languages translate (GDPR, EEA, UK…) "
        "may be missing or replaced")


# --- as a real process ------------------------------------------------------------------------

def test_policy_script_runs_check(seeds_root: Path, scenario: Scenario) -> None:
    assert POLICY is not None, "the policy script is not installed"
    shipped = subprocess.run([POLICY, "check", "--root", str(seeds_root)], capture_output=True,
                             text=True, encoding="utf-8", check=False)
    assert (shipped.returncode, shipped.stderr) == (0, "")
    assert shipped.stdout.splitlines()[-1].startswith("policy check passed: ")
    failing = subprocess.run([POLICY, "check"], cwd=scenario("missing-clause"),
                             capture_output=True, text=True, encoding="utf-8", check=False)
    assert (failing.returncode, failing.stderr) == (1, "")
    assert failing.stdout.splitlines()[0].startswith(
        "locales/nl/privacy.md:5: error [clause-missing] §1 (about-us)")


def test_policy_script_usage_error_has_no_traceback(tmp_path: Path) -> None:
    assert POLICY is not None, "the policy script is not installed"
    done = subprocess.run([POLICY, "check", "--root", str(tmp_path)], capture_output=True,
                          text=True, encoding="utf-8", check=False)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (f"policy: error: {tmp_path} has no locales/ folder: pass the "
                           "project folder to --root\n")


def test_policy_script_stops_quietly_when_the_reader_leaves(seeds_root: Path) -> None:
    assert POLICY is not None, "the policy script is not installed"
    proc = subprocess.Popen([POLICY, "check", "--root", str(seeds_root), "--no-baseline"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # like `policy check | head -0`
    err = proc.stderr.read().decode()
    proc.stderr.close()
    assert (proc.wait(timeout=60), err) == (141, "")


def test_check_never_imports_mkdocs(seeds_root: Path) -> None:
    code = (
        "import io, sys\n"
        "from policytools.cli import main\n"
        f"status = main(['check', '--root', {str(seeds_root)!r}], out=io.StringIO())\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in\n"
        "               ('mkdocs', 'material', 'mkdocs_static_i18n', 'jinja2'))\n"
        "print(status, heavy)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=False)
    assert (done.returncode, done.stdout, done.stderr) == (0, "0 []\n", "")
