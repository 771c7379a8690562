"""``policy release``: what it writes, every refusal (writing nothing), and atomicity."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from conftest import BACKDATE, POLICY, dated, edit_file
from policytools import release as release_module
from policytools.cli import main
from policytools.ledger import sha256
from policytools.lock import LOCK_FILE
from policytools.yamlio import load_yaml

if TYPE_CHECKING:
    from conftest import RunCli

SUMMARIES = ("--summary", "en=First publication.", "--summary", "nl=Eerste publicatie.")
HEADER = (
    "# Release ledger: one entry per release, oldest first, written by `policy release`.\n"
    "# Released files live in policy/archive/<version>/ and are never edited; the\n"
    "# hashes below let `policy verify` prove it. Dates are quoted for MkDocs' YAML 1.1.\n"
    "releases:\n")
UPDATES = "We will post any privacy policy changes on this page."
Tree = dict[str, bytes | None]


def release_args(version: str, *extra: str, released: str | None = None,
                 effective: str | None = None, summaries: tuple[str, ...] = SUMMARIES,
                 kind: str | None = None) -> list[str]:
    """``release VERSION`` dated the day its id names unless told otherwise; material when
    it publishes both texts (a first publication: no notice owed), else editorial."""
    day = released or version[:10]
    kind = kind or ("material" if summaries == SUMMARIES else "editorial")
    return ["release", version, f"--{kind}", "--effective", effective or day, *dated(day),
            *summaries, *extra]


def tree(root: Path) -> Tree:
    """Everything under ``policy/`` but the lock: files with their bytes, folders as None."""
    base = root / "policy"
    return {p.relative_to(base).as_posix(): p.read_bytes() if p.is_file() else None
            for p in sorted(base.rglob("*")) if p != root / LOCK_FILE}


def edit(root: Path, locale: str, old: str, new: str) -> None:
    edit_file(root / "locales" / locale / "privacy.md", old, new)


@pytest.fixture(scope="module")
def released_template(tmp_path_factory: pytest.TempPathFactory, seeded_template: Path) -> Path:
    """The seeds released once as 2026-11-23."""
    root = Path(shutil.copytree(seeded_template, tmp_path_factory.mktemp("released") / "r"))
    assert main([*release_args("2026-11-23"), "--root", str(root)], out=io.StringIO()) == 0
    return root


@pytest.fixture
def released(tmp_path: Path, released_template: Path) -> Path:
    return Path(shutil.copytree(released_template, tmp_path / "repo"))


def released_line(version: str, effective: str, texts: int = 2) -> str:
    return (f"policy release: released {version}, in force from {effective}: archived {texts} "
            f"changed text{'s' * (texts != 1)} in policy/archive/{version}/ and added the entry "
            "to policy/releases.yml\n")


def backdated(released: str) -> str:
    """The ledger line ``dated`` adds for a day before today."""
    return f"    backdated: {BACKDATE}\n" if "--backdate" in dated(released) else ""


def entry(version: str, effective: str, released: str, summary: dict[str, str],
          root: Path, extra: str = "", kind: str = "material") -> str:
    """A ledger entry as `policy release` writes it for the locales of ``summary`` (those
    whose text changes), hashing the current locales/."""
    said = "".join(f'      "{loc}": {text}\n' for loc, text in summary.items())
    files = "".join(f"      {loc}/privacy.md: "
                    f"{sha256((root / 'locales' / loc / 'privacy.md').read_bytes())}\n"
                    for loc in summary)
    return (f'  - version: "{version}"\n'
            f'    effective: "{effective}"\n'
            f'    released: "{released}"\n'
            f"    class: {kind}\n"
            f"    summary:\n{said}"
            f"{backdated(released)}{NOTICE if kind == 'material' else ''}{extra}"
            f"    files:\n{files}")


FIRST = {"en": "First publication.", "nl": "Eerste publicatie."}
NOTICE = "    notice_days: 30\n"  # the repo's policy.yml, recorded in each material entry
# A release after the first, when only the English changed
EN = ("--summary", "en=Clarified §12.")


# --- what a release writes ------------------------------------------------------------------


def test_first_release_freezes_locales_and_writes_the_ledger(seeded: Path,
                                                            run_cli: RunCli) -> None:
    code, out, err = run_cli([*release_args("2026-11-23", effective="2026-12-01"),
                              "--root", str(seeded)])
    assert (code, out, err) == (0, released_line("2026-11-23", "2026-12-01"), "")
    for locale in ("en", "nl"):
        archived = seeded / "policy/archive/2026-11-23" / locale / "privacy.md"
        assert archived.read_bytes() == (seeded / "locales" / locale / "privacy.md").read_bytes()
    assert sorted(p.relative_to(seeded).as_posix() for p in
                  (seeded / "policy/archive").rglob("*") if p.is_file()) == [
        "policy/archive/2026-11-23/en/privacy.md", "policy/archive/2026-11-23/nl/privacy.md"]
    ledger = (seeded / "policy/releases.yml").read_text(encoding="utf-8")
    # the dates are quoted: MkDocs' YAML 1.1 would otherwise read them as dates
    assert ledger == HEADER + entry("2026-11-23", "2026-12-01", "2026-11-23", FIRST, seeded)
    data = load_yaml(seeded / "policy/releases.yml", "releases.yml")
    (item,) = data["releases"]
    assert item["summary"] == {"en": "First publication.", "nl": "Eerste publicatie."}
    for name, digest in item["files"].items():
        assert sha256((seeded / "policy/archive/2026-11-23" / name).read_bytes()) == digest


def test_release_passes_verify_and_check(released: Path, run_cli: RunCli) -> None:
    assert run_cli(["verify", "--root", str(released)]) == (
        0, "policy verify: 1 release, 2 archived files, all intact\n", "")
    code, out, _ = run_cli(["check", "--root", str(released)])
    assert code == 0
    assert "archive-" not in out


def test_second_release_on_one_day_is_dash_two(released: Path, run_cli: RunCli) -> None:
    edit(released, "en", UPDATES, "We will post any privacy policy changes on this page first.")
    code, out, err = run_cli([*release_args("2026-11-23-2", summaries=(
        "--summary", "en=Clarified §12.")), "--root", str(released)])
    assert (code, out, err) == (0, released_line("2026-11-23-2", "2026-11-23", 1), "")
    ledger = (released / "policy/releases.yml").read_text(encoding="utf-8")
    assert ledger.endswith(entry("2026-11-23-2", "2026-11-23", "2026-11-23",
                                 {"en": "Clarified §12."}, released, kind="editorial"))
    assert (released / "policy/archive/2026-11-23-2/en/privacy.md").read_text(
        encoding="utf-8").count("on this page first.") == 1
    # the Dutch did not change: its text of 2026-11-23 stays the one in force
    assert not (released / "policy/archive/2026-11-23-2/nl").exists()
    assert run_cli(["verify", "--root", str(released)])[1] == (
        "policy verify: 2 releases, 3 archived files, all intact\n")


def test_a_summary_for_a_locale_whose_text_does_not_change_is_refused(
        released: Path, run_cli: RunCli) -> None:
    edit(released, "en", UPDATES, "We will post any privacy policy changes on this page first.")
    assert run_cli([*release_args("2026-11-23-2", kind="editorial"), "--root",
                    str(released)]) == (
        2, "", "policy: error: no text of nl changes in this release: drop the summary for nl\n")
    code, _, err = run_cli([*release_args("2026-11-23-2", summaries=()), "--root",
                            str(released)])
    assert (code, err) == (2, "policy: error: no summary for en: pass --summary en=\"…\" for "
                           "every locale whose text changes\n")


def test_without_a_version_the_release_takes_the_next_id_of_its_day(
        seeded: Path, run_cli: RunCli) -> None:
    today = dt.date.today().isoformat()
    argv = ["release", "--effective", today, "--root", str(seeded)]
    assert run_cli([*argv, "--material", *SUMMARIES]) == (0, released_line(today, today), "")
    edit(seeded, "en", UPDATES, "We will post any privacy policy changes on this page first.")
    assert run_cli([*argv, "--editorial", "--summary", "en=Clarified."]) == (
        0, released_line(f"{today}-2", today, 1), "")


def test_summary_file_is_overlaid_by_summary_options(seeded: Path, tmp_path: Path,
                                                     run_cli: RunCli) -> None:
    summary = tmp_path / "summary.yml"
    summary.write_text("en: |\n  First publication.\n  Second line.\nnl: wordt vervangen\n",
                       encoding="utf-8")
    code, _, err = run_cli([*release_args("2026-11-23", "--summary-file", str(summary),
                                          summaries=("--summary", "nl=Eerste publicatie.")),
                            "--root", str(seeded)])
    assert (code, err) == (0, "")
    ledger = (seeded / "policy/releases.yml").read_text(encoding="utf-8")
    assert ('    summary:\n      "en": |-\n        First publication.\n        Second line.\n'
            '      "nl": Eerste publicatie.\n') in ledger


def test_allow_drift_releases_over_new_errors_and_records_the_reason(
        seeded: Path, run_cli: RunCli) -> None:
    edit(seeded, "nl", "ondernemingsnummer 04411310", "ondernemingsnummer 04411319")
    code, out, err = run_cli([*release_args("2026-11-23"), "--allow-drift",
                              "Legal approved the Dutch company number", "--root", str(seeded)])
    assert (code, out, err) == (0, released_line("2026-11-23", "2026-11-23"), "")
    assert (seeded / "policy/releases.yml").read_text(encoding="utf-8") == HEADER + entry(
        "2026-11-23", "2026-11-23", "2026-11-23", FIRST, seeded,
        extra="    allow_drift: Legal approved the Dutch company number\n")


def test_real_subprocess_releases(seeded: Path) -> None:
    assert POLICY is not None, "the policy script is not installed"
    done = subprocess.run([POLICY, *release_args("2026-11-23"), "--root", str(seeded)],
                          capture_output=True, text=True, check=False, timeout=60)
    assert (done.returncode, done.stdout, done.stderr) == (
        0, released_line("2026-11-23", "2026-11-23"), "")
    assert (seeded / "policy/archive/2026-11-23/nl/privacy.md").is_file()


# --- refusals: one line, exit 2, nothing written -------------------------------------------


def _drift(root: Path) -> None:
    edit(root, "nl", "ondernemingsnummer 04411310", "ondernemingsnummer 04411319")


def _no_dutch(root: Path) -> None:
    (root / "locales/nl/privacy.md").unlink()


def _leftover(root: Path) -> None:
    shutil.copytree(root / "locales", root / "policy/archive/2026-11-24")


def _edit_en(root: Path) -> None:
    edit(root, "en", UPDATES, "We will post any privacy policy changes on this page first.")


def _edit_and_leftover(root: Path) -> None:
    _edit_en(root)
    _leftover(root)


DRIFT = ("policy check reports 2 new errors (first: locales/nl/privacy.md:16: [fact-code] §1 "
         "(about-us): the English gives the code 04411310, which the Dutch lacks); fix them, "
         "or release anyway with --allow-drift \"reason\"")
USE_DATE = "use the release date YYYY-MM-DD, with -2, -3… for a second release on one day"

REFUSALS = [
    pytest.param("seeded", None, release_args("2026-13-01", released="2026-11-23"),
                 "invalid version id '2026-13-01': 2026-13-01 is no date", id="month-13"),
    pytest.param("seeded", None, release_args("2026-1-1", released="2026-01-01"),
                 f"invalid version id '2026-1-1': {USE_DATE}", id="short-date"),
    pytest.param("seeded", None, release_args("2026-11-23-1"),
                 f"invalid version id '2026-11-23-1': {USE_DATE}", id="suffix-1"),
    pytest.param("seeded", None, release_args("2026-11-23", released="2026-11-22"),
                 "version 2026-11-23 does not match the release date 2026-11-22: name a release "
                 "after the day it is made", id="not-the-release-date"),
    pytest.param("seeded", None, release_args("2026-11-23-2"),
                 "version 2026-11-23-2 is out of sequence: the next release on 2026-11-23 is "
                 "2026-11-23", id="first-of-the-day-with-suffix"),
    pytest.param("released", _edit_en, release_args("2026-11-23", summaries=EN),
                 "version 2026-11-23 is already released", id="already-released"),
    pytest.param("released", _edit_en, release_args("2026-11-23-3", summaries=EN),
                 "version 2026-11-23-3 is out of sequence: the next release on 2026-11-23 is "
                 "2026-11-23-2", id="skips-dash-two"),
    pytest.param("released", _edit_en, release_args("2026-11-22", summaries=EN),
                 "version 2026-11-22 comes before the latest release 2026-11-23",
                 id="before-the-latest"),
    pytest.param("released", _edit_en,
                 release_args("2026-11-24", effective="2026-11-22", summaries=EN),
                 "effective date 2026-11-22 is before the release date 2026-11-24: if the "
                 "release applies from that day, say why with --retroactive \"reason\"",
                 id="retroactive-without-reason"),
    pytest.param("released", _edit_en,
                 release_args("2026-11-24", "--retroactive", "   ", effective="2026-11-22",
                              summaries=EN),
                 "--retroactive needs a reason: say why, in words", id="retroactive-blank"),
    pytest.param("released", _edit_en,
                 release_args("2026-11-24", "--retroactive", "agreed with the DPA",
                              effective="2026-11-24", summaries=EN),
                 "--retroactive is for a release taking effect before its release date "
                 "(2026-11-24)", id="retroactive-not-needed"),
    pytest.param("released", _edit_en,
                 release_args("2026-11-24", "--retroactive", "agreed with the DPA",
                              effective="2026-11-22", summaries=EN),
                 "effective date 2026-11-22 is before that of en/privacy.md in release "
                 "2026-11-23 (2026-11-23): a text's versions take effect in order",
                 id="effective-goes-back"),
    pytest.param("seeded", None, release_args("2026-11-23", summaries=(
        "--summary", "en=First publication.")),
        "no summary for nl: pass --summary nl=\"…\" for every locale whose text changes",
        id="no-dutch-summary"),
    pytest.param("seeded", None, release_args("2026-11-23", summaries=(
        "--summary", "en=First publication.", "--summary", "nl=  ")),
        "--summary nl is empty: say what changed", id="blank-dutch-summary"),
    pytest.param("seeded", None, release_args("2026-11-23", summaries=(
        *SUMMARIES, "--summary", "de=Erste Veröffentlichung.")),
        "summary for unknown locale 'de'", id="unknown-locale-summary"),
    pytest.param("released", None, release_args("2026-11-24", summaries=EN),
                 "nothing changed since release 2026-11-23", id="nothing-changed"),
    pytest.param("seeded", _drift, release_args("2026-11-23"), DRIFT, id="new-check-errors"),
    pytest.param("seeded", _no_dutch, release_args("2026-11-23"),
                 "locales/nl/privacy.md does not exist: nl publishes privacy (to publish it "
                 "in fewer locales, list them under publish: in policy/policy.yml)",
                 id="missing-document"),
    pytest.param("released", _edit_and_leftover,
                 [*release_args("2026-11-24", summaries=EN), "--allow-drift", "test"],
                 "policy/archive/2026-11-24 already exists: released files are never rewritten "
                 "(remove it only if no release lists it)", id="archive-folder-exists"),
    pytest.param("seeded", None, release_args("2026-11-23", effective="1 December"),
                 "--effective '1 December' is not a date YYYY-MM-DD", id="bad-effective"),
    pytest.param("seeded", None, release_args("2026-11-23", summaries=("--summary", "en")),
                 "--summary 'en' must be LOCALE=TEXT", id="bad-summary-option"),
]


@pytest.mark.parametrize(("base", "prepare", "argv", "message"), REFUSALS)
def test_refusal_is_one_line_and_writes_nothing(
        base: str, prepare: Callable[[Path], None] | None, argv: list[str], message: str,
        request: pytest.FixtureRequest, run_cli: RunCli) -> None:
    root: Path = request.getfixturevalue(base)
    if prepare is not None:
        prepare(root)
    before = tree(root)
    assert run_cli([*argv, "--root", str(root)]) == (2, "", f"policy: error: {message}\n")
    assert tree(root) == before


def test_drift_refusal_names_a_finding_without_line_as_file_only(
        released: Path, run_cli: RunCli) -> None:
    _edit_and_leftover(released)
    code, _, err = run_cli([*release_args("2026-11-24", summaries=EN), "--root", str(released)])
    assert (code, err) == (2, "policy: error: policy check reports 1 new error (first: "
                           "policy/archive/2026-11-24: [archive-unexpected] "
                           "policy/archive/2026-11-24 belongs to no release in "
                           "policy/releases.yml (an interrupted release?): remove it); fix "
                           "them, or release anyway with --allow-drift \"reason\"\n")


# --- atomicity ------------------------------------------------------------------------------


def _fail_after_rename(root: Path, version: str, error: BaseException,
                       monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Make the ledger write fail once the archive folder has been renamed into place."""
    seen: list[Path] = []

    def write_atomic(path: Path, text: str) -> None:
        assert (root / "policy/archive" / version / "en/privacy.md").is_file()
        assert not (root / "policy/archive" / f".staging-{version}").exists()
        seen.append(path)
        raise error

    monkeypatch.setattr(release_module, "write_atomic", write_atomic)
    return seen


@pytest.mark.parametrize("base", ["seeded", "released"])
def test_failed_ledger_write_leaves_ledger_and_archive_as_they_were(
        base: str, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch,
        run_cli: RunCli) -> None:
    root: Path = request.getfixturevalue(base)
    _edit_en(root)
    before = tree(root)
    seen = _fail_after_rename(root, "2026-11-24", OSError(28, "No space left on device"),
                              monkeypatch)
    given = SUMMARIES if base == "seeded" else EN  # a first release publishes both
    assert run_cli([*release_args("2026-11-24", summaries=given), "--root", str(root)]) == (
        2, "", "policy: error: No space left on device (rerun with --debug for the "
        "traceback)\n")
    assert seen == [root / "policy/releases.yml"]
    assert tree(root) == before


def test_interrupted_release_is_rolled_back(released: Path, monkeypatch: pytest.MonkeyPatch,
                                            run_cli: RunCli) -> None:
    _edit_en(released)
    before = tree(released)
    _fail_after_rename(released, "2026-11-24", KeyboardInterrupt(), monkeypatch)
    assert run_cli([*release_args("2026-11-24", summaries=EN), "--root", str(released)]) == (
        130, "", "policy: interrupted\n")
    assert tree(released) == before


def test_failure_while_staging_removes_the_staging_folder(
        released: Path, monkeypatch: pytest.MonkeyPatch, run_cli: RunCli) -> None:
    _edit_en(released)
    before = tree(released)

    def rename(self: Path, target: Path) -> Path:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "rename", rename)
    assert run_cli([*release_args("2026-11-24", summaries=EN), "--root", str(released)]) == (
        2, "", "policy: error: Permission denied (rerun with --debug for the traceback)\n")
    assert tree(released) == before


def test_leftover_of_a_killed_release_is_reported_by_verify_and_check(
        released: Path, run_cli: RunCli) -> None:
    # A hard kill between the rename and the ledger write leaves a folder no release lists.
    _leftover(released)
    line = ("policy/archive/2026-11-24: error [archive-unexpected] policy/archive/2026-11-24 "
            "belongs to no release in policy/releases.yml (an interrupted release?): remove it")
    code, out, err = run_cli(["verify", "--root", str(released), "--color", "never"])
    assert (code, err) == (1, "")
    assert f"{line}\n" in out
    assert out.endswith("policy verify failed: 1 error, 0 warnings, 0 info\n")
    code, out, _ = run_cli(["check", "--root", str(released), "--color", "never"])
    assert code == 1
    assert f"{line}\n" in out


def test_staging_leftover_of_a_killed_release_is_reported_then_replaced(
        released: Path, run_cli: RunCli) -> None:
    staging = released / "policy/archive/.staging-2026-11-24"
    (staging / "de").mkdir(parents=True)
    (staging / "de/privacy.md").write_text("half written", encoding="utf-8")
    code, out, _ = run_cli(["verify", "--root", str(released), "--color", "never"])
    assert code == 1
    assert ("policy/archive/.staging-2026-11-24: error [release-unfinished] "
            "policy/archive/.staging-2026-11-24 is the staging folder of release 2026-11-24, "
            "which was interrupted: run policy recover\n") in out
    _edit_en(released)
    code, out, err = run_cli([*release_args("2026-11-24", summaries=EN), "--root", str(released)])
    assert (code, err) == (0, "")
    assert out.startswith("policy recover: removed policy/archive/.staging-2026-11-24: it is "
                          "the staging folder of release 2026-11-24, which was interrupted\n"
                          "policy release: released 2026-11-24")
    # the release starts from an empty staging folder: nothing of the killed one survives
    assert not staging.exists()
    assert run_cli(["verify", "--root", str(released)]) == (
        0, "policy verify: 2 releases, 3 archived files, all intact\n", "")
