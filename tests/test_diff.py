"""``policy diff`` between real histories of the seeds, and the word/unit diff underneath."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import POLICY, REPO, copy_seeds, dated
from policytools.cli import main
from policytools.confirmations import clause_hash
from policytools.diff import DELETE, EQUAL, INSERT, Unit, _compare, diff_units, word_diff
from policytools.model import Clause
from policytools.parse import parse_document

if TYPE_CHECKING:
    from conftest import RunCli

HEADING = re.compile(r"^## \d+\. ", re.MULTILINE)
EN_IDS = ["about-us", "personal-data", "data-subjects", "collection", "tracking", "use",
          "disclosure", "rights", "children", "transfers", "security", "updates", "contact"]
ADDRESS = "both companies is: Merchants House Wilkinson Road"


SUMMARIES = {"en": "en=Release.", "nl": "nl=Uitgave."}


def release_args(version: str, *locales: str) -> list[str]:
    """``release VERSION`` with a summary for each locale whose text changes (default: en);
    editorial, so it may take effect the day it is made."""
    return ["release", version, "--editorial", "--effective", version, *dated(version),
            *(arg for locale in locales or ("en",) for arg in ("--summary", SUMMARIES[locale])),
            "--allow-drift", "the seeds predate the checks"]


@pytest.fixture(scope="module")
def released_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real seeds (no baseline) released once as 2026-11-23."""
    root = copy_seeds(tmp_path_factory.mktemp("released") / "repo", "policy.yml")
    assert main([*release_args("2026-11-23", "en", "nl"), "--root", str(root)],
                out=io.StringIO()) == 0
    return root


@pytest.fixture
def history(tmp_path: Path, released_template: Path) -> Path:
    return Path(shutil.copytree(released_template, tmp_path / "repo"))


def en_text(root: Path) -> str:
    return (root / "locales/en/privacy.md").read_text(encoding="utf-8")


def write_en(root: Path, text: str) -> None:
    (root / "locales/en/privacy.md").write_text(text, encoding="utf-8", newline="\n")


def replace_en(root: Path, old: str, new: str) -> None:
    text = en_text(root)
    assert text.count(old) == 1, old
    write_en(root, text.replace(old, new))


def renumber(text: str) -> str:
    """Number the level-2 headings 1, 2, 3… again, as an editor would after a move."""
    numbers = iter(range(1, 100))
    return HEADING.sub(lambda _: f"## {next(numbers)}. ", text)


def clause_text(text: str, cid: str) -> str:
    """The heading and body of clause ``cid``, up to the next level-2 heading."""
    match = re.search(rf"^## [^\n]*\{{#{cid}\}}\n.*?(?=^## |\Z)", text, re.MULTILINE | re.DOTALL)
    assert match is not None, cid
    return match.group(0)


def move_clause(text: str, cid: str, before: str) -> str:
    block = clause_text(text, cid)
    text = text.replace(block, "")
    target = clause_text(text, before)
    return renumber(text.replace(target, block + target))


def diff_json(run_cli: RunCli, root: Path, *argv: str) -> dict[str, Any]:
    code, out, err = run_cli(["diff", "--root", str(root), "--locale", "en", "--format",
                              "json", *argv])
    assert (code, err) == (0, "")
    (changes,) = json.loads(out)["changes"]
    result: dict[str, Any] = changes
    return result


def statuses(changes: dict[str, Any]) -> dict[str, str]:
    return {c["id"]: c["status"] for c in changes["clauses"]}


def diff_text(run_cli: RunCli, root: Path, *argv: str) -> str:
    code, out, err = run_cli(["diff", "--root", str(root), *argv])
    assert (code, err) == (0, "")
    return out


# --- what a change becomes ------------------------------------------------------------------


def test_edited_address_is_a_changed_clause_with_whole_words_replaced(
        history: Path, run_cli: RunCli) -> None:
    paragraph = next(line for line in en_text(history).splitlines() if ADDRESS in line)
    replace_en(history, ADDRESS, ADDRESS.replace("Merchants", "Guild"))
    changes = diff_json(run_cli, history)
    assert statuses(changes) == {cid: "changed" if cid == "about-us" else "unchanged"
                                 for cid in EN_IDS}
    assert changes["counts"] == {"changed": 1, "unchanged": 12}
    (unit,) = changes["clauses"][0]["units"]
    head, tail = paragraph.split("Merchants")
    assert unit == {"kind": "paragraph", "status": "changed", "depth": 0, "ops": [
        ["equal", head], ["delete", "Merchants"], ["insert", "Guild"], ["equal", tail]],
        "marks": []}
    assert diff_text(run_cli, history) == (
        "privacy (en): 2026-11-23 → current\n"
        "  §1 Information about us {#about-us}: changed\n"
        f"    ~ {head}[-Merchants-]{{+Guild+}}{tail}\n"
        "  12 unchanged clauses: §2, §3, §4, §5, §6, §7, §8, §9, §10, §11, §12, §13\n"
        "\n"
        "privacy (nl): 2026-11-23 → current\n"
        "  13 unchanged clauses: preamble, §1, §2, §3, §4, §5, §6, §7, §8, §9, §10, §11, §12\n")


def test_clause_inserted_near_the_top_renumbers_the_rest(history: Path,
                                                         run_cli: RunCli) -> None:
    text = en_text(history)
    personal = clause_text(text, "personal-data")
    write_en(history, renumber(text.replace(
        personal, "## 2. Who we are {#who}\n\nWe are Westcon.\n\n" + personal)))
    changes = diff_json(run_cli, history)
    assert statuses(changes) == {"about-us": "unchanged", "who": "added"} | dict.fromkeys(
        EN_IDS[1:], "renumbered")
    contact = changes["clauses"][-1]
    assert (contact["old_number"], contact["new_number"], contact["moved"]) == ("13", "14", False)
    assert all(u["status"] == "unchanged" for u in contact["units"])
    out = diff_text(run_cli, history, "--locale", "en")
    assert ("  1 unchanged clause: §1\n"
            "  §2 Who we are {#who}: added\n"
            "    + {+We are Westcon.+}\n"
            "  §2 → §3 What is personal data? {#personal-data}: renumbered\n") in out
    assert "  §13 → §14 How to contact us {#contact}: renumbered\n" in out


def test_moved_clause_is_moved_not_changed(history: Path, run_cli: RunCli) -> None:
    write_en(history, move_clause(en_text(history), "updates", before="personal-data"))
    changes = diff_json(run_cli, history)
    assert statuses(changes) == {"about-us": "unchanged", "updates": "moved",
                                 "contact": "unchanged"} | dict.fromkeys(EN_IDS[1:11], "renumbered")
    updates = changes["clauses"][1]
    assert (updates["id"], updates["moved"], updates["renumbered"]) == ("updates", True, True)
    out = diff_text(run_cli, history, "--locale", "en")
    assert "  §12 → §2 Updates to our global privacy policy {#updates}: moved and renumbered\n" \
        in out
    assert out.endswith("  1 unchanged clause: §13\n")


def test_moved_and_edited_clause_says_both(history: Path, run_cli: RunCli) -> None:
    text = move_clause(en_text(history), "updates", before="personal-data")
    write_en(history, text.replace("changes on this page.", "changes on this page first."))
    out = diff_text(run_cli, history, "--locale", "en")
    assert ("  §12 → §2 Updates to our global privacy policy {#updates}: changed, moved and "
            "renumbered\n"
            "    ~ Our privacy policy may change from time to time. We will post any privacy "
            "policy changes on this page{+ first+}.\n") in out


def test_removed_clause_is_removed_in_its_old_place(history: Path, run_cli: RunCli) -> None:
    text = en_text(history)
    write_en(history, renumber(text.replace(clause_text(text, "children"), "")))
    changes = diff_json(run_cli, history)
    assert [c["id"] for c in changes["clauses"]] == EN_IDS
    assert statuses(changes) == dict.fromkeys(EN_IDS[:8], "unchanged") | {
        "children": "removed"} | dict.fromkeys(EN_IDS[9:], "renumbered")
    children = changes["clauses"][8]
    assert (children["old_number"], children["new_number"]) == ("9", None)
    assert children["title"] == [["delete", "Collection of personal information from children"]]
    out = diff_text(run_cli, history, "--locale", "en")
    assert ("  8 unchanged clauses: §1, §2, §3, §4, §5, §6, §7, §8\n"
            "  former §9 Collection of personal information from children {#children}: removed\n"
            "    - [-Westcon does not knowingly collect information from or about children and "
            "we do not knowingly market our products and services to children. No one under "
            "the age of 13 should submit any personal information to Westcon, through our "
            "website or any other means.-]\n"
            "  §10 → §9 Cross-border transfers of personal data {#transfers}: renumbered\n"
            ) in out


def test_added_list_item_and_removed_table_row_are_units(history: Path,
                                                        run_cli: RunCli) -> None:
    replace_en(history, "- Right to withdraw consent.\n",
               "- Right to withdraw consent; and\n- Right to complain to the regulator.\n")
    replace_en(history, "| You subscribe to our publications | (a) Business contact "
               "information<br>(b) Identity data | (a) Consent |\n", "")
    changes = diff_json(run_cli, history)
    assert statuses(changes) == dict.fromkeys(EN_IDS, "unchanged") | {
        "use": "changed", "rights": "changed"}
    use = next(c for c in changes["clauses"] if c["id"] == "use")
    assert [u for u in use["units"] if u["status"] != "unchanged"] == [
        {"kind": "row", "status": "removed", "depth": 0, "ops": [[
            "delete", "You subscribe to our publications | (a) Business contact information; "
            "(b) Identity data | (a) Consent"]], "marks": []}]
    rights = next(c for c in changes["clauses"] if c["id"] == "rights")
    assert [u for u in rights["units"] if u["status"] != "unchanged"] == [
        {"kind": "item", "status": "changed", "depth": 0, "ops": [
            ["equal", "Right to withdraw consent"], ["delete", "."], ["insert", "; and"]],
         "marks": []},
        {"kind": "item", "status": "added", "depth": 0, "ops": [
            ["insert", "Right to complain to the regulator."]], "marks": []}]
    assert diff_text(run_cli, history, "--locale", "en") == (
        "privacy (en): 2026-11-23 → current\n"
        "  5 unchanged clauses: §1, §2, §3, §4, §5\n"
        "  §6 How we use personal information collected {#use}: changed\n"
        "    - | [-You subscribe to our publications | (a) Business contact information; (b) "
        "Identity data | (a) Consent-]\n"
        "  1 unchanged clause: §7\n"
        "  §8 Rights regarding the processing of personal data {#rights}: changed\n"
        "    ~ • Right to withdraw consent[-.-]{+; and+}\n"
        "    + • {+Right to complain to the regulator.+}\n"
        "  5 unchanged clauses: §9, §10, §11, §12, §13\n")


def test_changed_title_and_address_lines(history: Path, run_cli: RunCli) -> None:
    replace_en(history, "## 12. Updates to our global privacy policy",
               "## 12. Updates to this privacy policy")
    replace_en(history, "Ltd.\\\nMerchants House\\\n", "Ltd.\\\nGuild House\\\n")
    out = diff_text(run_cli, history, "--locale", "en")
    assert out.endswith(
        "  §12 Updates to this privacy policy {#updates}: changed\n"
        "    title: Updates to [-our global-]{+this+} privacy policy\n"
        "  §13 How to contact us {#contact}: changed\n"
        "    ~ Compliance Officer\n"
        "      Westcon International, Ltd.\n"
        "      [-Merchants-]{+Guild+} House\n"
        "      Love Lane\n"
        "      Cirencester\n"
        "      Gloucestershire GL7 1YT\n"
        "      United Kingdom\n")


# --- which versions ---------------------------------------------------------------------------


def test_versions_default_to_latest_release_and_current(history: Path,
                                                        run_cli: RunCli) -> None:
    replace_en(history, ADDRESS, ADDRESS.replace("Merchants", "Guild"))
    assert run_cli([*release_args("2026-11-24"), "--root", str(history)])[0] == 0
    assert statuses(diff_json(run_cli, history)) == dict.fromkeys(EN_IDS, "unchanged")
    assert diff_json(run_cli, history)["old"] == "2026-11-24"
    forward = diff_json(run_cli, history, "2026-11-23")
    assert (forward["old"], forward["new"]) == ("2026-11-23", "current")
    assert diff_json(run_cli, history, "2026-11-23", "2026-11-24")["clauses"] == (
        forward["clauses"])
    back = diff_json(run_cli, history, "2026-11-24", "2026-11-23")
    assert back["clauses"][0]["units"][0]["ops"][1:3] == [["delete", "Guild"],
                                                          ["insert", "Merchants"]]
    # the release changed the English only: the Dutch of 2026-11-24 is that of 2026-11-23
    assert diff_text(run_cli, history, "2026-11-23", "2026-11-24", "--locale", "nl") == (
        "privacy (nl): 2026-11-23 → 2026-11-24\n"
        "  13 unchanged clauses: preamble, §1, §2, §3, §4, §5, §6, §7, §8, §9, §10, §11, §12\n")


def test_filters_pick_locales_and_documents(history: Path, run_cli: RunCli) -> None:
    out = diff_text(run_cli, history, "--locale", "nl", "--document", "privacy")
    assert out == ("privacy (nl): 2026-11-23 → current\n"
                   "  13 unchanged clauses: preamble, §1, §2, §3, §4, §5, §6, §7, §8, §9, §10, "
                   "§11, §12\n")
    assert run_cli(["diff", "--root", str(history), "--locale", "de"]) == (
        2, "", "policy: error: unknown locale 'de': the project has en, nl\n")


def test_diff_without_any_release_is_one_line(tmp_path: Path, run_cli: RunCli) -> None:
    copy_seeds(tmp_path)
    assert run_cli(["diff", "--root", str(tmp_path)]) == (
        2, "", "policy: error: no release in policy/releases.yml yet: name two versions, or "
        "make a first release with policy release\n")


def test_unknown_release_is_one_line(history: Path, run_cli: RunCli) -> None:
    assert run_cli(["diff", "2026-01-01", "--root", str(history)]) == (
        2, "", "policy: error: policy/releases.yml: no release '2026-01-01' (releases: "
        "2026-11-23)\n")


def test_diff_as_a_real_subprocess(history: Path) -> None:
    assert POLICY is not None, "the policy script is not installed"
    replace_en(history, ADDRESS, ADDRESS.replace("Merchants", "Guild"))
    done = subprocess.run([POLICY, "diff", "--root", str(history), "--locale", "en"],
                          capture_output=True, text=True, check=False, timeout=60)
    assert (done.returncode, done.stderr) == (0, "")
    assert "is: [-Merchants-]{+Guild+} House Wilkinson Road" in done.stdout
    assert "\x1b[" not in done.stdout


# --- what a reader sees or follows: marks ------------------------------------------------------

TRACKING_LINE = "please see https://allaboutdnt.com/."
LINK = "[allaboutdnt.com](https://allaboutdnt.com/)"
EVIL = "[allaboutdnt.com](https://evil.example/)"
# (old, new): the tracking clause's sentence as written before and after an edit.
SEEN_CHANGES = [
    (LINK, EVIL),  # the target changes, not a word
    ('[allaboutdnt.com](https://allaboutdnt.com/ "DNT")',
     '[allaboutdnt.com](https://allaboutdnt.com/ "Ads")'),
    ("https://allaboutdnt.com/", '<span hidden>https://allaboutdnt.com/</span>'),  # HTML added
    ('<abbr title="Do Not Track">https://allaboutdnt.com/</abbr>',
     '<abbr title="Do Track">https://allaboutdnt.com/</abbr>'),  # HTML changed
    ("<b>https://allaboutdnt.com/</b>", "https://allaboutdnt.com/"),  # HTML removed
    ("![DNT](dnt.png) https://allaboutdnt.com/", "![DNT](evil.png) https://allaboutdnt.com/"),
    ("https://allaboutdnt.com/", "*https://allaboutdnt.com/*"),  # emphasis added
    ("*allaboutdnt.com*", "[allaboutdnt.com](https://evil.example/)"),  # emphasis → link
    ("**allaboutdnt.com**", "*allaboutdnt.com*"),
    ("allaboutdnt.com", "`allaboutdnt.com`"),
    ("<https://allaboutdnt.com/>", "https://allaboutdnt.com/"),  # no longer a link
]
TABLE_HEAD = "| Purpose/activity | Type of data | Typical lawful basis for processing |"


def test_a_changed_table_head_changes_the_clause() -> None:
    text = (REPO / "locales/en/privacy.md").read_text(encoding="utf-8")
    assert text.count(TABLE_HEAD) == 1
    before, after = (parse_document(t, "privacy", "en", "privacy.md").clause("use")
                     for t in (text, text.replace("Typical lawful basis", "Basis")))
    assert before is not None and after is not None
    change = _compare(before, after, moved=False)
    assert change.status == "changed"
    assert [(u.kind, u.ops) for u in change.units if u.status != "unchanged"] == [
        ("head", ((EQUAL, "Purpose/activity | Type of data | "),
                  (DELETE, "Typical lawful basis"), (INSERT, "Basis"),
                  (EQUAL, " for processing")))]
    assert clause_hash(before) != clause_hash(after)


SAME_TO_A_READER = [
    ("*allaboutdnt.com*", "_allaboutdnt.com_"),
    (LINK, "[allaboutdnt.com][dnt]\n\n[dnt]: https://allaboutdnt.com/"),
    ("https://allaboutdnt.com/ &amp; more", "https://allaboutdnt.com/ & more"),
    ("please\nsee", "please see"),
]


def _tracking(sentence: str) -> Clause:
    text = (REPO / "locales/en/privacy.md").read_text(encoding="utf-8")
    assert text.count(TRACKING_LINE) == 1
    document = parse_document(text.replace(TRACKING_LINE, f"please see {sentence}"),
                              "privacy", "en", "privacy.md")
    clause = document.clause("tracking")
    assert clause is not None
    return clause


@pytest.mark.parametrize(("old", "new"), SEEN_CHANGES)
def test_a_change_a_reader_sees_or_follows_changes_the_clause(old: str, new: str) -> None:
    before, after = _tracking(old), _tracking(new)
    change = _compare(before, after, moved=False)
    assert change.status == "changed"
    (unit,) = [u for u in change.units if u.status != "unchanged"]
    assert unit.marks_changed
    assert clause_hash(before) != clause_hash(after)  # a confirmed translation goes stale


@pytest.mark.parametrize(("old", "new"), SAME_TO_A_READER)
def test_markup_written_another_way_is_no_change(old: str, new: str) -> None:
    before, after = _tracking(old), _tracking(new)
    assert _compare(before, after, moved=False).status == "unchanged"
    assert clause_hash(before) == clause_hash(after)


def test_a_link_target_change_shows_in_every_format(history: Path, run_cli: RunCli) -> None:
    replace_en(history, TRACKING_LINE, f"please see {LINK}.")
    assert main([*release_args("2026-11-24"), "--root", str(history)], out=io.StringIO()) == 0
    replace_en(history, LINK, EVIL)
    changes = diff_json(run_cli, history)
    assert statuses(changes) == {cid: "changed" if cid == "tracking" else "unchanged"
                                 for cid in EN_IDS}
    (unit,) = [u for c in changes["clauses"] for u in c["units"] if u["status"] != "unchanged"]
    assert unit["ops"] == [["equal", unit["ops"][0][1]]]  # not a word changed
    assert unit["marks"] == [["equal", "[allaboutdnt.com](https://"],
                             ["delete", "allaboutdnt.com"], ["insert", "evil.example"],
                             ["equal", "/)"]]
    text = diff_text(run_cli, history, "--locale", "en")
    assert ("      links and formatting: [allaboutdnt.com](https://[-allaboutdnt.com-]"
            "{+evil.example+}/)\n") in text
    assert "4 unchanged clauses: §1, §2, §3, §4\n  §5 Tracking {#tracking}: changed\n" in text
    md = diff_text(run_cli, history, "--locale", "en", "--format", "md")
    assert ("links and formatting: \\[allaboutdnt\\.com\\]\\(https://<del>allaboutdnt\\.com"
            "</del><ins>evil\\.example</ins>/\\)\n") in md
    html = diff_text(run_cli, history, "--locale", "en", "--format", "html")
    assert '<span class="redline-markup">links and formatting: <code>[allaboutdnt.com](https://' \
        '<del><span class="sr-only">[deleted: </span>allaboutdnt' in html


# --- word_diff and diff_units -----------------------------------------------------------------


@pytest.mark.parametrize(("old", "new", "ops"), [
    ("The Merchants House", "The Guild House",
     ((EQUAL, "The "), (DELETE, "Merchants"), (INSERT, "Guild"), (EQUAL, " House"))),
    # the clean-up once split words: "[-a Merchant-]{+x Mercer+}s House …"
    ("a Merchants House b c d e f", "x Mercers House b c d e g",
     ((DELETE, "a Merchants"), (INSERT, "x Mercers"), (EQUAL, " House b c d e "),
      (DELETE, "f"), (INSERT, "g"))),
    ("we send alpha beta now", "we send beta gamma now",
     ((EQUAL, "we send "), (DELETE, "alpha beta"), (INSERT, "beta gamma"), (EQUAL, " now"))),
    ("foo bar baz", "foo barx baz qux bar",
     ((EQUAL, "foo "), (DELETE, "bar"), (INSERT, "barx"), (EQUAL, " baz"),
      (INSERT, " qux bar"))),
    ("abcd", "cdxy", ((DELETE, "abcd"), (INSERT, "cdxy"))),
    ("same", "same", ((EQUAL, "same"),)),
    ("", "", ()),
    ("", "new", ((INSERT, "new"),)),
    ("Café, 12 €", "Café, 13 €", ((EQUAL, "Café, "), (DELETE, "12"), (INSERT, "13"),
                                 (EQUAL, " €"))),
])
def test_word_diff_replaces_whole_words(old: str, new: str,
                                        ops: tuple[tuple[int, str], ...]) -> None:
    assert word_diff(old, new) == ops


def test_unit_changing_kind_is_removed_and_added() -> None:
    old = (Unit("paragraph", "Keep."), Unit("paragraph", "Consent."))
    new = (Unit("paragraph", "Keep."), Unit("item", "Consent;", 1))
    assert [(u.kind, u.status, u.ops, u.depth) for u in diff_units(old, new)] == [
        ("paragraph", "unchanged", ((EQUAL, "Keep."),), 0),
        ("paragraph", "removed", ((DELETE, "Consent."),), 0),
        ("item", "added", ((INSERT, "Consent;"),), 1)]


def test_replaced_units_of_one_kind_pair_up_and_the_rest_is_added() -> None:
    old = (Unit("item", "a b"), Unit("item", "c d"))
    new = (Unit("item", "a x"), Unit("item", "c y"), Unit("item", "e"))
    assert [(u.status, u.old, u.new) for u in diff_units(old, new)] == [
        ("changed", "a b", "a x"), ("changed", "c d", "c y"), ("added", "", "e")]


WORDS = ["the", "data", "Daten", "gegevens", "privé", "ÉÉN", "日本", "Ωμέγα", "a", "b", "12"]
PIECES = [*WORDS, " ", "  ", "\n", "\n\n", ",", ".", "’", "(", ")", "-", "\t", "!"]
texts = st.one_of(
    st.lists(st.sampled_from(PIECES), max_size=30).map("".join),
    st.text(alphabet=st.sampled_from(list("ab cd,.;:!?-’“”\n\téßДж日\u00a0")), max_size=40),
)


def _boundaries_inside_words(text: str, pieces: list[str]) -> list[int]:
    """Offsets where one piece ends and the next begins in the middle of a word."""
    cuts, at = [], 0
    for piece in pieces[:-1]:
        at += len(piece)
        if text[at - 1].isalnum() and text[at].isalnum():
            cuts.append(at)
    return cuts


@settings(max_examples=200, deadline=None, database=None)
@given(old=texts, new=texts)
def test_word_diff_reconstructs_both_sides(old: str, new: str) -> None:
    ops = word_diff(old, new)
    old_side = [text for op, text in ops if op != INSERT]
    new_side = [text for op, text in ops if op != DELETE]
    assert "".join(old_side) == old
    assert "".join(new_side) == new
    assert all(text for _, text in ops)
    # whole words: no edit starts or ends inside a word of either side
    assert _boundaries_inside_words(old, old_side) == []
    assert _boundaries_inside_words(new, new_side) == []


units = st.lists(st.builds(Unit, kind=st.sampled_from(["paragraph", "item", "row"]),
                           text=st.sampled_from(["a", "b c", "c", "d e f", "Dé", ""]),
                           depth=st.integers(0, 2)), max_size=8)


@settings(max_examples=200, deadline=None, database=None)
@given(old=units, new=units)
def test_diff_units_reconstructs_both_sides(old: list[Unit], new: list[Unit]) -> None:
    changes = diff_units(old, new)
    assert [(c.kind, c.old) for c in changes if c.status != "added"] == [
        (u.kind, u.text) for u in old]
    assert [(c.kind, c.new, c.depth) for c in changes if c.status != "removed"] == [
        (u.kind, u.text, u.depth) for u in new]
    for change in changes:
        expected = {"unchanged": {EQUAL}, "added": {INSERT}, "removed": {DELETE}}.get(
            change.status, {EQUAL, INSERT, DELETE})
        assert {op for op, _ in change.ops} <= expected
