"""The release ledger: round trips, invariants checked on load, and archive integrity."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from conftest import BACKDATE, POLICY, copy_seeds, dated, edit_file
from policytools.cli import main
from policytools.config import load_project
from policytools.ledger import LedgerError, load_ledger, parse_version, sha256

if TYPE_CHECKING:
    from conftest import RunCli

SUMMARIES = ("--summary", "en=First publication.", "--summary", "nl=Eerste publicatie.")
EN = ("--summary", "en=First publication.")  # a later release changing the English only
UPDATES = "We will post any privacy policy changes on this page."


def release_args(version: str, effective: str | None = None,
                 summaries: tuple[str, ...] = SUMMARIES, kind: str = "editorial") -> list[str]:
    return ["release", version, f"--{kind}", "--effective", effective or version[:10],
            *dated(version[:10]), *summaries]


def edit(root: Path, old: str, new: str, locale: str = "en") -> None:
    edit_file(root / "locales" / locale / "privacy.md", old, new)


@pytest.fixture(scope="module")
def history_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds released as 2026-11-23, then with §12 edited as 2026-11-24 (in force 12-01)."""
    root = copy_seeds(tmp_path_factory.mktemp("history") / "repo", "policy.yml", "baseline.yml")
    assert main([*release_args("2026-11-23", kind="material"), "--root", str(root)],
                out=io.StringIO()) == 0
    edit(root, UPDATES, "We will post any privacy policy changes on this page first.")
    assert main([*release_args("2026-11-24", "2026-12-01", EN), "--root", str(root)],
                out=io.StringIO()) == 0
    return root


@pytest.fixture
def history(tmp_path: Path, history_template: Path) -> Path:
    return Path(shutil.copytree(history_template, tmp_path / "repo"))


def ledger_text(root: Path) -> str:
    return (root / "policy/releases.yml").read_text(encoding="utf-8")


# --- round trip -----------------------------------------------------------------------------


def test_editor_comments_order_and_quoting_survive_the_next_release(
        history: Path, run_cli: RunCli) -> None:
    text = ledger_text(history)
    edited = (text
              .replace('  - version: "2026-11-23"\n',
                       '  # The seeds as imported on launch day.\n  - version: "2026-11-23"\n')
              .replace('    effective: "2026-11-23"\n    released: "2026-11-23"\n',
                       "    released: '2026-11-23'\n"
                       '    effective: "2026-11-23"  # agreed with Legal\n')
              .replace('      "en": First publication.\n',
                       "      \"en\": 'First publication: the current English text.'\n", 1)
              .removesuffix("\n") + "  # unchanged since 2018\n")
    assert edited.count("#") == text.count("#") + 3
    (history / "policy/releases.yml").write_text(edited, encoding="utf-8")
    edit(history, "on this page first.", "on this page first and by e-mail.")
    code, _, err = run_cli([*release_args("2026-11-25", "2026-12-01", EN), "--root",
                            str(history)])
    assert (code, err) == (0, "")
    sha_en = sha256((history / "locales/en/privacy.md").read_bytes())
    assert ledger_text(history) == edited + (
        '  - version: "2026-11-25"\n'
        '    effective: "2026-12-01"\n'
        '    released: "2026-11-25"\n'
        "    class: editorial\n"
        "    summary:\n"
        '      "en": First publication.\n'
        f"    backdated: {BACKDATE}\n"
        "    files:\n"
        f"      en/privacy.md: {sha_en}\n")


def test_loaded_ledger_answers_questions_about_its_releases(history: Path) -> None:
    ledger = load_ledger(load_project(history))
    assert [r.version for r in ledger.releases] == ["2026-11-23", "2026-11-24"]
    assert ledger.latest is not None
    assert ledger.latest.version == "2026-11-24"
    assert ledger.previous("2026-11-24").version == "2026-11-23"  # type: ignore[union-attr]
    assert ledger.previous("2026-11-23") is None
    # the second release changed the English only: the Dutch is still that of the first
    assert [r.version for r in ledger.history("en", "privacy")] == ["2026-11-23", "2026-11-24"]
    assert [r.version for r in ledger.history("nl", "privacy")] == ["2026-11-23"]
    assert ledger.holder("nl/privacy.md", "2026-11-24") is ledger.releases[0]
    assert sorted(ledger.texts("2026-11-24")) == ["en/privacy.md", "nl/privacy.md"]
    assert not (history / "policy/archive/2026-11-24/nl").exists()
    assert ledger.get("2026-11-24").archived("nl", "privacy") == (
        "policy/archive/2026-11-24/nl/privacy.md")
    with pytest.raises(LedgerError) as caught:
        ledger.get("2026-01-01")
    assert str(caught.value) == ("policy/releases.yml: no release '2026-01-01' (releases: "
                                 "2026-11-23, 2026-11-24)")


@pytest.mark.parametrize(("text", "expected"), [
    ("2026-12-01", (dt.date(2026, 12, 1), 1)),
    ("2026-12-01-2", (dt.date(2026, 12, 1), 2)),
    ("2026-12-01-10", (dt.date(2026, 12, 1), 10)),
])
def test_parse_version_accepts(text: str, expected: tuple[dt.date, int]) -> None:
    assert parse_version(text) == expected


@pytest.mark.parametrize("text", ["2026-12-1", "2026-12-01-1", "2026-12-01-0", "2026-12-01-02",
                                  "v2026-12-01", "2026-12-01 ", "2026-02-30", ""])
def test_parse_version_rejects(text: str) -> None:
    with pytest.raises(LedgerError, match=f"^invalid version id '{text}': "):
        parse_version(text)


def test_no_ledger_is_an_empty_one(tmp_path: Path, run_cli: RunCli) -> None:
    copy_seeds(tmp_path)
    assert run_cli(["verify", "--root", str(tmp_path)]) == (
        0, "policy verify: 0 releases, 0 archived files, all intact\n", "")


# --- archive integrity ----------------------------------------------------------------------

ARCHIVE = "policy/archive"


def _modify(root: Path) -> None:
    with (root / ARCHIVE / "2026-11-23/en/privacy.md").open("a", encoding="utf-8") as handle:
        handle.write("\nOne more sentence.\n")


def _delete(root: Path) -> None:
    (root / ARCHIVE / "2026-11-24/en/privacy.md").unlink()


def _add(root: Path) -> None:
    (root / ARCHIVE / "2026-11-24/de").mkdir()
    (root / ARCHIVE / "2026-11-24/de/privacy.md").write_text("Datenschutz\n", encoding="utf-8")


def _unlisted(root: Path) -> None:
    shutil.copytree(root / ARCHIVE / "2026-11-24", root / ARCHIVE / "2026-11-25")


INTEGRITY = [
    pytest.param(_modify, "policy/archive/2026-11-23/en/privacy.md: error [archive-modified] "
                 "policy/archive/2026-11-23/en/privacy.md was changed after release 2026-11-23: "
                 "released text is never edited; restore it and make a new release instead",
                 id="modified"),
    pytest.param(_delete, "policy/archive/2026-11-24/en/privacy.md: error [archive-missing] "
                 "policy/archive/2026-11-24/en/privacy.md of release 2026-11-24 is missing: "
                 "restore it from version control", id="missing"),
    pytest.param(_add, "policy/archive/2026-11-24/de/privacy.md: error [archive-unexpected] "
                 "policy/archive/2026-11-24/de/privacy.md is not part of release 2026-11-24: "
                 "remove it", id="unexpected-file"),
    pytest.param(_unlisted, "policy/archive/2026-11-25: error [archive-unexpected] "
                 "policy/archive/2026-11-25 belongs to no release in policy/releases.yml (an "
                 "interrupted release?): remove it", id="unexpected-folder"),
]


@pytest.mark.parametrize(("damage", "line"), INTEGRITY)
def test_damaged_archive_fails_verify_and_check(damage: object, line: str, history: Path,
                                                run_cli: RunCli) -> None:
    assert callable(damage)
    damage(history)
    code, out, err = run_cli(["verify", "--root", str(history), "--color", "never"])
    assert (code, err) == (1, "")
    assert f"{line}\n" in out
    assert out.endswith("policy verify failed: 1 error, 0 warnings, 0 info\n")
    code, out, err = run_cli(["check", "--root", str(history), "--color", "never"])
    assert (code, err) == (1, "")
    assert f"{line}\n" in out
    assert "policy check failed: 1 error, " in out


def test_intact_archive_passes_verify_as_a_real_subprocess(history: Path) -> None:
    assert POLICY is not None, "the policy script is not installed"
    done = subprocess.run([POLICY, "verify", "--root", str(history)], capture_output=True,
                          text=True, check=False, timeout=60)
    assert (done.returncode, done.stdout, done.stderr) == (
        0, "policy verify: 2 releases, 3 archived files, all intact\n", "")


# --- invariants broken by hand: exit 2, one line naming the ledger and the line -----------

SECOND = '  - version: "2026-11-24"'
BROKEN = {
    "duplicate": (SECOND, '  - version: "2026-11-23"', "version 2026-11-23 appears twice"),
    "effective-back": ('effective: "2026-12-01"', 'effective: "2026-11-20"',
                       "release 2026-11-24 takes effect 2026-11-20, before the version of "
                       "en/privacy.md it replaces (2026-11-23, effective 2026-11-23)"),
    "out-of-order": (SECOND, '  - version: "2026-11-22"',
                     "release 2026-11-22 is listed after 2026-11-23: keep releases in order"),
    "bad-sha": ("en/privacy.md: ", "en/privacy.md: F",
                "release 2026-11-24: en/privacy.md has no valid SHA-256"),
    # a text's name becomes a path under the archive: '../' must never get through
    "path-escape": ("en/privacy.md: ", "en/../../../etc/passwd.md: ",
                    "release 2026-11-24: 'en/../../../etc/passwd.md' is no text name "
                    "<locale>/<document>.md"),
    "bad-version": (SECOND, '  - version: "2026-11-24-1"',
                    "invalid version id '2026-11-24-1': use the release date YYYY-MM-DD, with "
                    "-2, -3… for a second release on one day"),
    "bad-date": ('released: "2026-11-24"', 'released: "yesterday"',
                 "release date 'yesterday' is not a date YYYY-MM-DD"),
    "bad-class": ("class: editorial", "class: major",
                  "release 2026-11-24: class must be material or editorial, not 'major'"),
    "no-class": ("    class: editorial\n", "",
                 "release 2026-11-24 has no class: add class: material (it changes what the "
                 "policy means for readers) or class: editorial"),
}


@pytest.mark.parametrize("case", list(BROKEN))
@pytest.mark.parametrize("verb", [["verify"], ["check"], ["diff", "--format", "json"],
                                  release_args("2026-11-30")],
                         ids=["verify", "check", "diff", "release"])
def test_broken_ledger_is_one_line_naming_file_and_line(case: str, verb: list[str],
                                                        history: Path, run_cli: RunCli) -> None:
    old, new, message = BROKEN[case]
    text = ledger_text(history)
    # the last occurrence: the second release's
    at = text.rindex(old)
    text = text[:at] + new + text[at + len(old):]
    (history / "policy/releases.yml").write_text(text, encoding="utf-8")
    # the error names the line where the second release starts
    line = [n for n, item in enumerate(text.splitlines(), 1) if item.startswith("  - ")][1]
    assert run_cli([*verb, "--root", str(history)]) == (
        2, "", f"policy: error: policy/releases.yml:{line}: {message}\n")


def test_ledger_without_a_releases_list(history: Path, run_cli: RunCli) -> None:
    (history / "policy/releases.yml").write_text("releases: {}\n", encoding="utf-8")
    assert run_cli(["verify", "--root", str(history)]) == (
        2, "", "policy: error: policy/releases.yml:1: expected a mapping with a list "
        "'releases:'\n")
