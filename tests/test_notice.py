"""Release classes and dates: the notice a material change gives, retroactive effect, an
announced release superseded, per-text effective order, and the ledger check of each rule."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from conftest import POLICY, dated, edit_file
from policytools.config import load_project
from policytools.ledger import load_ledger, sha256

if TYPE_CHECKING:
    from conftest import RunCli, Scenario

R0, V, LATER = "2026-01-05", "2026-02-02", "2026-02-09"
EN_OLD = "Example Trading Ltd runs this website"
EN_NEW = "Example Trading Ltd operates this website"
NL_OLD = "Schrijf ons op:"
NL_NEW = "Schrijf ons op dit adres:"
SUMMARY = {"en": "en=What changed.", "nl": "nl=Wat er verandert."}


def release(run_cli: RunCli, root: Path, version: str, kind: str, effective: str,
            *extra: str, locales: tuple[str, ...] = ("en",)) -> tuple[int, str, str]:
    summaries = [arg for loc in locales for arg in ("--summary", SUMMARY[loc])]
    return run_cli(["release", version, f"--{kind}", "--effective", effective,
                    *dated(version), *summaries, *extra, "--root", str(root)])


def edit(root: Path, locale: str, old: str, new: str) -> None:
    edit_file(root / "locales" / locale / "privacy.md", old, new)


@pytest.fixture
def first(scenario: Scenario, run_cli: RunCli) -> Path:
    """The ok scenario with 30 days' notice, first published as R0 (no notice owed)."""
    root = scenario("ok")
    with (root / "policy/policy.yml").open("a", encoding="utf-8") as handle:
        handle.write("notice_days: 30\n")
    assert release(run_cli, root, R0, "material", R0, locales=("en", "nl")) == (
        0, f"policy release: released {R0}, in force from {R0}: archived 2 changed texts in "
        f"policy/archive/{R0}/ and added the entry to policy/releases.yml\n", "")
    return root


def entry(root: Path, version: str) -> dict[str, object]:
    release_ = load_ledger(load_project(root)).get(version)
    return {"class": release_.kind, "effective": str(release_.effective),
            "retroactive": release_.retroactive, "supersedes": release_.supersedes,
            "files": sorted(release_.files)}


def refused(result: tuple[int, str, str], message: str) -> None:
    assert result == (2, "", f"policy: error: {message}\n")


# --- class and notice ------------------------------------------------------------------------

NOTICE = "a material change needs 30 days' notice: the earliest effective date is 2026-03-04"
RETRO = ("effective date 2026-01-20 is before the release date 2026-02-02: if the release "
         "applies from that day, say why with --retroactive \"reason\"")
DATES = [
    ("material", "2026-02-10", (), NOTICE),
    ("material", "2026-03-03", (), NOTICE),
    ("material", "2026-03-04", (), None),
    ("editorial", V, (), None),
    ("editorial", "2026-01-20", (), RETRO),
    ("editorial", "2026-01-20", ("--retroactive", "the DPA's order applies from then"), None),
    ("material", "2026-01-20", ("--retroactive", "the DPA's order applies from then"), NOTICE),
]


@pytest.mark.parametrize(("kind", "effective", "extra", "message"), DATES)
def test_a_material_change_gives_notice_and_an_earlier_date_needs_a_reason(
        first: Path, run_cli: RunCli, kind: str, effective: str, extra: tuple[str, ...],
        message: str | None) -> None:
    edit(first, "en", EN_OLD, EN_NEW)
    ledger = (first / "policy/releases.yml").read_bytes()
    result = release(run_cli, first, V, kind, effective, *extra)
    if message is not None:
        refused(result, message)
        assert (first / "policy/releases.yml").read_bytes() == ledger
        assert not (first / "policy/archive" / V).exists()
        return
    assert result[0] == 0, result
    assert entry(first, V) == {"class": kind, "effective": effective,
                               "retroactive": extra[1] if extra else None, "supersedes": None,
                               "files": ["en/privacy.md"]}
    code, out, _ = run_cli(["check", "--root", str(first)])
    assert (code, "[ledger-" in out) == (0, False)


def test_the_ledger_records_the_class_and_the_reason(first: Path, run_cli: RunCli) -> None:
    edit(first, "en", EN_OLD, EN_NEW)
    assert release(run_cli, first, V, "editorial", "2026-01-20", "--retroactive",
                   "the DPA's order applies from then")[0] == 0
    text = (first / "policy/releases.yml").read_text(encoding="utf-8")
    assert text.endswith(
        f'  - version: "{V}"\n'
        '    effective: "2026-01-20"\n'
        f'    released: "{V}"\n'
        "    class: editorial\n"
        "    summary:\n"
        '      "en": What changed.\n'
        "    retroactive: the DPA's order applies from then\n"
        "    backdated: recorded by the tests\n"
        "    files:\n"
        f"      en/privacy.md: {sha256((first / 'locales/en/privacy.md').read_bytes())}\n"
        "    confirmed:\n"
        "      nl/privacy.md:\n"  # the English about-us changed: its Dutch is not confirmed
        "        - collection\n"
        "        - contact\n"
        "        - cookies\n"
        "        - use\n")


def test_the_ledger_records_which_clauses_are_confirmed(first: Path, run_cli: RunCli) -> None:
    # the source's contact clause changes: the Dutch one is no longer confirmed against it
    edit_file(first / "locales/en/privacy.md", "Write to us at:", "Write to us here:")
    assert release(run_cli, first, V, "editorial", V)[0] == 0
    ledger = load_ledger(load_project(first))
    assert ledger.get(R0).confirmed == {
        "nl/privacy.md": ("about-us", "collection", "contact", "cookies", "use")}
    assert ledger.get(V).confirmed == {
        "nl/privacy.md": ("about-us", "collection", "cookies", "use")}


@pytest.mark.parametrize(("flags", "message"), [
    ((), "say what kind of change this release is: --material (it changes what the policy "
         "means for readers; it needs notice) or --editorial (wording, layout, corrections "
         "that change no meaning)"),
    (("--material", "--editorial"), "--material and --editorial exclude each other: a release "
                                    "is one or the other"),
])
def test_the_class_is_required_and_single(first: Path, run_cli: RunCli, flags: tuple[str, ...],
                                          message: str) -> None:
    edit(first, "en", EN_OLD, EN_NEW)
    refused(run_cli(["release", V, *flags, "--effective", "2026-03-04", *dated(V),
                     "--summary", SUMMARY["en"], "--root", str(first)]), message)


def test_a_locale_added_later_is_published_without_notice(first: Path,
                                                          run_cli: RunCli) -> None:
    nl = (first / "locales/nl/privacy.md").read_text(encoding="utf-8")
    (first / "locales/de").mkdir()
    (first / "locales/de/privacy.md").write_text(nl, encoding="utf-8")
    policy = first / "policy/policy.yml"
    policy.write_text(policy.read_text(encoding="utf-8").replace(
        "  'nl': Dutch\n", "  'nl': Dutch\n  'de': German\n"), encoding="utf-8")
    code, out, err = run_cli(["release", V, "--material", "--effective", V, *dated(V),
                              "--summary", "de=Erste Veröffentlichung.", "--allow-drift",
                              "a Dutch stand-in for the test", "--root", str(first)])
    assert (code, err) == (0, "")
    assert "archived 1 changed text in" in out
    assert entry(first, V)["files"] == ["de/privacy.md"]
    # and once published, the German text's next material change owes notice
    edit(first, "de", NL_OLD, NL_NEW)
    refused(run_cli(["release", LATER, "--material", "--effective", LATER, *dated(LATER),
                     "--summary", "de=Zweite.", "--allow-drift", "stand-in",
                     "--root", str(first)]),
            "a material change needs 30 days' notice: the earliest effective date is "
            "2026-03-11")


# --- per-text effective order ----------------------------------------------------------------


def test_a_dutch_fix_may_take_effect_before_an_announced_english_change(
        first: Path, run_cli: RunCli) -> None:
    edit(first, "en", EN_OLD, EN_NEW)
    assert release(run_cli, first, V, "material", "2026-03-10")[0] == 0
    edit(first, "nl", NL_OLD, NL_NEW)
    assert release(run_cli, first, LATER, "editorial", LATER, locales=("nl",))[0] == 0
    assert run_cli(["verify", "--root", str(first)])[0] == 0
    code, out, _ = run_cli(["check", "--root", str(first)])
    assert (code, "[ledger-" in out) == (0, False)


def test_a_text_never_takes_effect_before_its_announced_version(first: Path,
                                                                run_cli: RunCli) -> None:
    edit(first, "en", EN_OLD, EN_NEW)
    assert release(run_cli, first, V, "material", "2026-03-10")[0] == 0
    edit(first, "en", EN_NEW, EN_NEW + " alone")
    refused(release(run_cli, first, LATER, "editorial", LATER),
            f"effective date {LATER} is before that of en/privacy.md in release {V} "
            "(2026-03-10): a text's versions take effect in order")


# --- superseding an announced release ---------------------------------------------------------


def _announced(root: Path, run_cli: RunCli) -> None:
    edit(root, "en", EN_OLD, EN_NEW)
    assert release(run_cli, root, V, "material", "2026-03-10")[0] == 0


def _typo(root: Path) -> None:
    edit(root, "en", EN_NEW, EN_NEW.replace("operates", "operates (and runs)"))


def _revert_en_change_nl(root: Path) -> None:
    edit(root, "en", EN_NEW, EN_OLD)
    edit(root, "nl", NL_OLD, NL_NEW)


def _revert(root: Path) -> None:
    edit(root, "en", EN_NEW, EN_OLD)


SUPERSEDE = [
    pytest.param(_typo, "editorial", "2026-03-10", (V,), None, ["en/privacy.md"],
                 id="editorial-correction-keeps-the-date"),
    pytest.param(_typo, "editorial", "2026-03-01", (V,),
                 f"an editorial correction of the material change {V} takes effect when that "
                 "change would, 2026-03-10, or later", None, id="editorial-correction-earlier"),
    pytest.param(_typo, "material", "2026-03-10", (V,),
                 "a material change needs 30 days' notice: the earliest effective date is "
                 "2026-03-11", None, id="material-correction-gives-notice-again"),
    pytest.param(_typo, "material", "2026-03-11", (V,), None, ["en/privacy.md"],
                 id="material-correction"),
    pytest.param(_revert_en_change_nl, "editorial", "2026-03-10", (V, "nl"), None,
                 ["nl/privacy.md"], id="revert"),
    pytest.param(_revert_en_change_nl, "editorial", "2026-03-10", (V, "en", "nl"),
                 "no text of en changes in this release: drop the summary for en", None,
                 id="revert-with-an-english-summary"),
    pytest.param(_revert, "editorial", "2026-03-10", (V,),
                 f"the texts are those in effect before release {V}: a release that "
                 "supersedes it changes at least one of them", None, id="revert-everything"),
    pytest.param(_typo, "editorial", "2026-03-10", (R0,),
                 f"--supersedes {R0}: only the latest release, {V}, can be superseded", None,
                 id="not-the-latest"),
    pytest.param(_typo, "editorial", "2026-03-10", ("2026-02-30",),
                 "--supersedes: invalid version id '2026-02-30': 2026-02-30 is no date", None,
                 id="no-version"),
]


@pytest.mark.parametrize(("change", "kind", "effective", "given", "message", "files"),
                         SUPERSEDE)
def test_an_announced_release_is_superseded(
        first: Path, run_cli: RunCli, change: Callable[[Path], None], kind: str,
        effective: str, given: tuple[str, ...], message: str | None,
        files: list[str] | None) -> None:
    _announced(first, run_cli)
    change(first)
    locales = given[1:] or ("en",)
    result = release(run_cli, first, LATER, kind, effective, "--supersedes", given[0],
                     locales=locales)
    if message is not None:
        refused(result, message)
        assert [r.version for r in load_ledger(load_project(first)).releases] == [R0, V]
        return
    assert result[0] == 0, result
    assert entry(first, LATER) == {"class": kind, "effective": effective, "retroactive": None,
                                   "supersedes": V, "files": files}
    ledger = load_ledger(load_project(first))
    assert ledger.superseded_by(V) is ledger.get(LATER)
    # every text as of the correction: the announced release is gone from it
    for name in ("en/privacy.md", "nl/privacy.md"):
        assert ledger.texts(LATER)[name] == sha256((first / "locales" / name).read_bytes())
    if files == ["nl/privacy.md"]:  # the English is R0's again
        assert ledger.holder("en/privacy.md", LATER) is ledger.get(R0)
    code, out, _ = run_cli(["check", "--root", str(first)])
    assert (code, "[ledger-" in out) == (0, False)


def test_nothing_to_supersede(scenario: Scenario, run_cli: RunCli) -> None:
    root = scenario("ok")
    refused(release(run_cli, root, R0, "material", R0, "--supersedes", "2026-01-01",
                    locales=("en", "nl")),
            "--supersedes 2026-01-01: there is no release yet")


# --- the ledger edited by hand: policy check reports what release would refuse ------------

def _ledger_edit(root: Path, old: str, new: str) -> int:
    """Replace the last ``old`` in the ledger; the line of the last entry."""
    path = root / "policy/releases.yml"
    text = path.read_text(encoding="utf-8")
    at = text.rindex(old)
    text = text[:at] + new + text[at + len(old):]
    path.write_text(text, encoding="utf-8")
    return [n for n, line in enumerate(text.splitlines(), 1) if line.startswith("  - ")][-1]


HAND_EDITS = [
    pytest.param("material", "2026-03-10", 'effective: "2026-03-10"', 'effective: "2026-02-10"',
                 ["error [ledger-notice] release 2026-02-02: a material change needs 30 days' "
                  "notice: the earliest effective date is 2026-03-04"], id="notice"),
    pytest.param("editorial", V, f'effective: "{V}"', 'effective: "2026-01-20"',
                 ["error [ledger-retroactive] release 2026-02-02 takes effect 2026-01-20, "
                  "before its release date 2026-02-02, and gives no reason: add retroactive: "
                  "\"reason\" to the entry"], id="retroactive-without-reason"),
    pytest.param("editorial", V, "    backdated:", "    retroactive: because\n    backdated:",
                 ["error [ledger-retroactive] release 2026-02-02 gives a retroactive reason but "
                  "takes effect on or after its release date 2026-02-02: remove it"],
                 id="reason-without-retroactive"),
    pytest.param("editorial", V, "class: editorial", "class: material",
                 ["error [ledger-notice] release 2026-02-02: a material change needs 30 days' "
                  "notice: the earliest effective date is 2026-03-04"], id="class-changed"),
]


@pytest.mark.parametrize(("kind", "effective", "old", "new", "found"), HAND_EDITS)
def test_a_hand_edited_entry_breaking_a_rule_is_reported(
        first: Path, run_cli: RunCli, kind: str, effective: str, old: str, new: str,
        found: list[str]) -> None:
    edit(first, "en", EN_OLD, EN_NEW)
    assert release(run_cli, first, V, kind, effective)[0] == 0
    line = _ledger_edit(first, old, new)
    code, out, err = run_cli(["check", "--root", str(first), "--color", "never"])
    assert (code, err) == (1, "")
    assert [x.partition(": ")[2] for x in out.splitlines() if "[ledger-" in x] == found
    assert all(x.startswith(f"policy/releases.yml:{line}: ") for x in out.splitlines()
               if "[ledger-" in x)


def test_the_superseded_release_must_be_the_one_before(first: Path, run_cli: RunCli) -> None:
    _announced(first, run_cli)
    _typo(first)
    assert release(run_cli, first, LATER, "editorial", "2026-03-10", "--supersedes", V)[0] == 0
    line = _ledger_edit(first, f'supersedes: "{V}"', f'supersedes: "{R0}"')
    refused(run_cli(["verify", "--root", str(first)]),
            f"policy/releases.yml:{line}: release {LATER} supersedes '{R0}', which is not the "
            "release just before it")


# --- one real process per new flag --------------------------------------------------------


def _policy(*argv: str) -> subprocess.CompletedProcess[str]:
    assert POLICY is not None, "the policy script is not installed"
    return subprocess.run([POLICY, *argv], capture_output=True, text=True, check=False,
                          timeout=120)


def test_new_flags_in_real_processes(first: Path) -> None:
    edit(first, "en", EN_OLD, EN_NEW)
    done = _policy("release", V, "--material", "--effective", "2026-02-03", *dated(V),
                   "--summary", SUMMARY["en"], "--root", str(first))
    assert (done.returncode, done.stdout, done.stderr) == (2, "", f"policy: error: {NOTICE}\n")
    done = _policy("release", V, "--editorial", "--effective", "2026-01-20", "--retroactive",
                   "ordered", *dated(V), "--summary", SUMMARY["en"], "--root", str(first))
    assert (done.returncode, done.stderr) == (0, "")
    _typo(first)
    done = _policy("release", LATER, "--material", "--supersedes", V, "--effective",
                   "2026-03-11", *dated(LATER), "--summary", SUMMARY["en"], "--root", str(first))
    assert (done.returncode, done.stderr) == (0, "")
    assert entry(first, LATER)["supersedes"] == V
    assert entry(first, V)["retroactive"] == "ordered"


def test_a_release_is_measured_by_the_notice_of_its_day(first: Path, run_cli: RunCli) -> None:
    """A longer notice_days later does not make a release made under the shorter one wrong;
    an entry written before notice was recorded is measured by today's rule."""
    edit(first, "en", EN_OLD, EN_NEW)
    assert release(run_cli, first, V, "material", "2026-03-04")[0] == 0
    ledger = (first / "policy/releases.yml").read_text(encoding="utf-8")
    assert "    class: material\n" in ledger and "    notice_days: 30\n" in ledger
    assert load_ledger(load_project(first)).get(V).notice_days == 30
    assert load_ledger(load_project(first)).get(R0).notice_days == 30
    policy_yml = first / "policy/policy.yml"
    policy_yml.write_text(policy_yml.read_text(encoding="utf-8").replace(
        "notice_days: 30\n", "notice_days: 60\n"), encoding="utf-8")
    code, out, _ = run_cli(["check", "--root", str(first)])
    assert (code, "[ledger-notice]" in out) == (0, False), out
    _ledger_edit(first, "    notice_days: 30\n", "")
    code, out, _ = run_cli(["check", "--root", str(first), "--color", "never"])
    assert code == 1
    assert "error [ledger-notice] release 2026-02-02: a material change needs 60 days' notice" \
        in out
