"""Cross-references: links reach a clause, name its number, match the source; text refs link."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from policytools.checks import run_checks
from policytools.config import load_project
from policytools.model import Finding

if TYPE_CHECKING:
    from conftest import WriteProject

OK = Path(__file__).parent / "data" / "ok" / "locales"
EN = (OK / "en" / "privacy.md").read_text(encoding="utf-8")
NL = (OK / "nl" / "privacy.md").read_text(encoding="utf-8")
LINK_NL = "[artikel 3](#use)"  # on line 21 of the Dutch, in §2.1 (cookies), heading on line 19
CODES = {"xref-broken", "xref-mismatch", "xref-number", "xref-unlinked"}


def check(tmp_path: Path, write_project: WriteProject, nl: str = NL,
          en: str = EN) -> list[Finding]:
    root = write_project(tmp_path, {"locales/en/privacy.md": en, "locales/nl/privacy.md": nl})
    return [f for f in run_checks(load_project(root)) if f.code in CODES]


CAUGHT = [
    pytest.param(
        "[section 9](#nowhere)", "xref-broken", 21,
        "the link ‘section 9’ in §2.1 (cookies) points at #nowhere, which is no clause of "
        "locales/nl/privacy.md", id="broken"),
    pytest.param(
        "[artikel 3](privacy.md#nowhere)", "xref-broken", 21,
        "the link ‘artikel 3’ in §2.1 (cookies) points at #nowhere, which is no clause of "
        "locales/nl/privacy.md", id="broken-with-file-name"),
    pytest.param(
        "[artikel 4](#contact)", "xref-mismatch", 19,
        "§2.1 (cookies) links to #contact where the English links to #use", id="mismatch"),
    pytest.param(
        "[artikel 3](cookies.md#use)", "xref-mismatch", 19,
        "§2.1 (cookies) links to cookies.md#use where the English links to #use",
        id="mismatch-other-document"),
    pytest.param(
        "[artikel 3](#use) en [artikel 3](#use)", "xref-mismatch", 19,
        "§2.1 (cookies) links to #use, #use where the English links to #use",
        id="mismatch-link-added"),
    pytest.param(
        "[artikel 4](#use)", "xref-number", 21,
        "§2.1 (cookies) says ‘artikel 4’ but links to §3 (use): write 3", id="number"),
    pytest.param(
        "artikel 3 en [dit artikel](#use)", "xref-unlinked", 21,
        "§2.1 (cookies) refers to ‘artikel 3’ by number only: write [artikel 3](#use)",
        id="unlinked"),
    pytest.param(
        "[artikel 3](#use) en artikel 7", "xref-unlinked", 21,
        "§2.1 (cookies) refers to ‘artikel 7’ by number only, and no clause is numbered 7",
        id="unlinked-to-no-clause"),
]


@pytest.mark.parametrize(("link", "code", "line", "message"), CAUGHT)
def test_cross_reference_drift_is_caught(tmp_path: Path, write_project: WriteProject,
                                         link: str, code: str, line: int,
                                         message: str) -> None:
    found = [f for f in check(tmp_path, write_project, NL.replace(LINK_NL, link))
             if f.code == code]
    assert [(f.file, f.line, f.clause, f.message) for f in found] == [
        ("locales/nl/privacy.md", line, "cookies", message)]


def test_a_broken_link_in_a_table_row_names_the_row_line(tmp_path: Path,
                                                         write_project: WriteProject) -> None:
    row = "| Onze nieuwsbrief sturen | Toestemming |"
    nl = NL.replace(row, "| Onze [nieuwsbrief](#news) sturen | Toestemming |")
    found = [f for f in check(tmp_path, write_project, nl) if f.code == "xref-broken"]
    assert [(f.line, f.clause, f.message) for f in found] == [
        (28, "use", "the link ‘nieuwsbrief’ in §3 (use) points at #news, which is no clause of "
                    "locales/nl/privacy.md")]


def test_the_source_is_checked_for_broken_links_too(tmp_path: Path,
                                                    write_project: WriteProject) -> None:
    en = EN.replace("[section 3](#use)", "[section 3](#usage)")
    found = check(tmp_path, write_project, en=en)
    assert [(f.code, f.file, f.line) for f in found] == [
        ("xref-broken", "locales/en/privacy.md", 21),
        ("xref-mismatch", "locales/nl/privacy.md", 19),
    ]


PASSES = [
    pytest.param(NL, id="faithful"),
    pytest.param(NL.replace(LINK_NL, "[dit artikel](#use)"), id="link-text-without-number"),
    pytest.param(NL.replace(LINK_NL, "[artikel 3](privacy.md#use)"), id="same-file-by-name"),
    pytest.param(NL.replace(LINK_NL, "[Artikel 3](#use)"), id="capitalised-word"),
    pytest.param(NL.replace("Schrijf ons op:", "Schrijf ons op (https://example.com/#contact):"),
                 id="web-address-with-fragment-is-no-clause-link"),
]


@pytest.mark.parametrize("nl", PASSES)
def test_correct_cross_references_pass(tmp_path: Path, write_project: WriteProject,
                                       nl: str) -> None:
    assert check(tmp_path, write_project, nl) == []


def test_seed_unlinked_article_reference(seeds_root: Path) -> None:
    found = [f for f in run_checks(load_project(seeds_root)) if f.code in CODES]
    assert [(f.code, f.file, f.line, f.clause) for f in found] == [
        ("xref-unlinked", "locales/nl/privacy.md", 75, "use")]
    assert found[0].message == ("§5 (use) refers to ‘artikel 3’ by number only: write "
                                "[artikel 3](#collection)")


def test_linking_the_seed_reference_as_suggested_clears_it(
        tmp_path: Path, write_project: WriteProject, seeds_root: Path) -> None:
    nl = (seeds_root / "locales/nl/privacy.md").read_text(encoding="utf-8")
    assert nl.count("artikel 3") == 1
    en = (seeds_root / "locales/en/privacy.md").read_text(encoding="utf-8")
    found = check(tmp_path, write_project, nl.replace("artikel 3", "[artikel 3](#collection)"),
                  en)
    assert [f.code for f in found if f.code != "xref-mismatch"] == []


def test_a_matching_numbered_link_gives_nothing(tmp_path: Path,
                                                write_project: WriteProject) -> None:
    front = "---\ntitle: T\n---\n\n"
    body = "## 1. A {{#a}}\n\nSee [{word} 3](#collection).\n\n## 2. B {{#b}}\n\nx\n\n" \
           "## 3. C {{#collection}}\n\ny\n"
    found = check(tmp_path, write_project, front + body.format(word="artikel"),
                  front + body.format(word="section"))
    assert found == []
