"""Structure: the translation has the source's clauses, in order, nested alike, same counts."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from policytools.checks import run_checks
from policytools.config import load_project
from policytools.model import Finding

if TYPE_CHECKING:
    from conftest import Scenario, WriteProject

OK = Path(__file__).parent / "data" / "ok" / "locales"
EN = (OK / "en" / "privacy.md").read_text(encoding="utf-8")
NL = (OK / "nl" / "privacy.md").read_text(encoding="utf-8")
CODES = {"clause-missing", "clause-extra", "clause-order", "clause-nesting", "preamble-missing",
         "preamble-extra", "list-items", "table-rows"}

ABOUT_NL = ("## 1. Over ons {#about-us}\n\nExample Trading Ltd beheert deze website en is "
            "verantwoordelijk voor uw persoonsgegevens.\n\n")
COOKIES_NL = ("### 2.1 Cookies {#cookies}\n\nWij gebruiken cookies alleen voor de doelen "
              "genoemd in [artikel 3](#use).\n\n")
USE_NL = NL[NL.index("## 3. Hoe"):NL.index("## 4. Contact")]
TABLE_NL = USE_NL[USE_NL.index("| Doel"):]


def edit(text: str, *changes: tuple[str, str]) -> str:
    """Apply each (old, new) replacement; every ``old`` must occur, so a stale edit fails."""
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new)
    return text


def check(tmp_path: Path, write_project: WriteProject, nl: str = NL, en: str = EN,
          codes: set[str] = CODES) -> list[Finding]:
    root = write_project(tmp_path, {"locales/en/privacy.md": en, "locales/nl/privacy.md": nl})
    return [f for f in run_checks(load_project(root)) if f.code in codes]


def test_the_faithful_pair_has_the_same_structure(tmp_path: Path,
                                                  write_project: WriteProject) -> None:
    assert check(tmp_path, write_project) == []


CAUGHT = [
    pytest.param(
        EN, edit(NL, (COOKIES_NL, "")),
        [("clause-missing", "cookies", 19)],
        "§2.1 (cookies) ‘Cookies’ of the English is missing in the Dutch: translate it and "
        "insert it before §3 (use) with id {#cookies}", id="missing-sub-clause"),
    pytest.param(
        EN, NL.removesuffix(NL[NL.index("## 4. Contact"):]).rstrip() + "\n",
        [("clause-missing", "contact", 30)],
        "§4 (contact) ‘Contact’ of the English is missing in the Dutch: translate it and "
        "insert it at the end with id {#contact}", id="missing-last-clause"),
    pytest.param(
        EN, NL + "\n## 5. Extra {#extra}\n\nMeer tekst.\n",
        [("clause-extra", "extra", 39)],
        "§5 (extra) ‘Extra’ is not in the English: remove it, or give it the id of the source "
        "clause it translates", id="extra-clause"),
    pytest.param(
        EN, edit(NL, (USE_NL, ""), ("## 2. Gegevens", USE_NL.replace("## 3.", "## 2.") +
                                    "## 3. Gegevens"), ("### 2.1", "### 3.1"),
                 ("[artikel 3]", "[artikel 2]")),
        [("clause-order", "use", 9)],
        "§2 (use) stands elsewhere than in the English, where it comes after §2.1 (cookies): "
        "move it", id="order-names-the-moved-clause-only"),
    pytest.param(
        EN, edit(NL, (ABOUT_NL, ""), ("## 4. Contact", ABOUT_NL.replace("## 1.", "## 4.") +
                                      "## 5. Contact")),
        [("clause-order", "about-us", 27)],
        "§4 (about-us) stands elsewhere than in the English, where it comes first: move it",
        id="order-first-clause-moved-last"),
    pytest.param(
        EN, edit(NL, ("### 2.1 Cookies", "## 3. Cookies"), ("## 3. Hoe", "## 4. Hoe"),
                 ("## 4. Contact", "## 5. Contact"), ("[artikel 3]", "[artikel 4]")),
        [("clause-nesting", "cookies", 19)],
        "§3 (cookies) is nested under no clause but under collection in the English",
        id="sub-clause-made-a-clause"),
    pytest.param(
        EN, edit(NL, ("## 4. Contact", "### 3.1 Contact")),
        [("clause-nesting", "contact", 31)],
        "§3.1 (contact) is nested under use but under no clause in the English",
        id="clause-made-a-sub-clause"),
    pytest.param(
        EN, edit(NL, ("---\n\n## 1.", "---\n\nEen inleiding.\n\n## 1.")),
        [("preamble-extra", "preamble", 5)],
        "the Dutch has a preamble that the English does not have: remove it or add it to the "
        "source", id="preamble-only-in-translation"),
    pytest.param(
        edit(EN, ("---\n\n## 1.", "---\n\nAn introduction.\n\n## 1.")), NL,
        [("preamble-missing", "preamble", 5)],
        "the English has a preamble before the first clause and the Dutch has none: translate "
        "it", id="preamble-only-in-source"),
    pytest.param(
        EN, edit(NL, ("- uw afleveradres.\n", "")),
        [("list-items", "collection", 13)],
        "the list of §2 (collection) has 4 items where the English has 5",
        id="list-item-dropped"),
    pytest.param(
        EN, edit(NL, ("  - om uw vragen te beantwoorden;\n", "")),
        [("list-items", "collection", 13)],
        "the list of §2 (collection) has 4 items where the English has 5",
        id="nested-list-item-dropped"),
    pytest.param(
        EN, edit(NL, ("- uw naam;\n", "- uw naam;\n- uw geboortedatum;\n")),
        [("list-items", "collection", 13)],
        "the list of §2 (collection) has 6 items where the English has 5",
        id="list-item-added"),
    pytest.param(
        EN, edit(NL, ("Schrijf ons op:\n", "Schrijf ons op:\n\n- per post;\n- per e-mail.\n")),
        [("list-items", "contact", 35)],
        "§4 (contact) has 1 list of 2 items where the English has no list",
        id="list-added"),
    pytest.param(
        EN, edit(NL, ("| Onze boekhouding bijhouden | Wettelijke verplichting |\n", "")),
        [("table-rows", "use", 25)],
        "the table of §3 (use) has 2 rows where the English has 3", id="table-row-dropped"),
    pytest.param(
        EN, edit(NL, (TABLE_NL, "Zie de tabel in de Engelse tekst.\n\n")),
        [("table-rows", "use", 23)],
        "§3 (use) has no table where the English has 1 table of 3 rows", id="table-dropped"),
]


@pytest.mark.parametrize(("en", "nl", "expected", "message"), CAUGHT)
def test_structural_drift_is_caught(tmp_path: Path, write_project: WriteProject, en: str,
                                    nl: str, expected: list[tuple[str, str, int]],
                                    message: str) -> None:
    found = check(tmp_path, write_project, nl, en)
    assert [(f.code, f.clause, f.line) for f in found] == expected
    assert found[0].message == message
    assert (found[0].file, found[0].locale, found[0].document) == (
        "locales/nl/privacy.md", "nl", "privacy")


PASSES = [
    pytest.param(edit(NL, ("- uw naam;", "* uw naam;"), ("- uw e-mailadres", "* uw e-mailadres"),
                      ("- uw afleveradres", "* uw afleveradres")), id="other-bullet-marker"),
    pytest.param(edit(NL, ("- uw naam;", "1. uw naam;"), ("- uw e-mailadres", "2. uw e-mailadres"),
                      ("  - om", "   - om"), ("- uw afleveradres", "3. uw afleveradres")),
                 id="ordered-list"),
    pytest.param(edit(NL, ("Wij verzamelen de volgende gegevens:",
                           "Wij verzamelen de volgende gegevens over u,\nonze klant:")),
                 id="reworded-paragraph"),
    pytest.param(edit(NL, ("| Doel | Rechtsgrond |\n|---|---|", "Doel | Rechtsgrond\n--- | ---")),
                 id="table-without-outer-pipes"),
    pytest.param(edit(NL, ("## 4. Contact {#contact}", "## 4. Contact opnemen {#contact}")),
                 id="retitled-clause"),
]


@pytest.mark.parametrize("nl", PASSES)
def test_faithful_variations_pass(tmp_path: Path, write_project: WriteProject, nl: str) -> None:
    assert check(tmp_path, write_project, nl) == []


def test_no_alignment_findings_when_a_translated_heading_is_unreadable(
        tmp_path: Path, write_project: WriteProject) -> None:
    nl = edit(NL, ("## 1. Over ons {#about-us}", "## 1. Over ons"))
    found = check(tmp_path, write_project, nl, codes=CODES | {"heading-malformed"})
    assert [(f.code, f.line) for f in found] == [("heading-malformed", 5)]


def test_seed_structure_findings(seeds_root: Path) -> None:
    found = [f for f in run_checks(load_project(seeds_root)) if f.code in CODES]
    assert [(f.code, f.clause, f.line) for f in found] == [
        ("preamble-extra", "preamble", 5),
        ("list-items", "personal-data", 20),
        ("clause-missing", "data-subjects", 26),
        ("list-items", "collection", 32),
        ("list-items", "collection", 42),
        ("table-rows", "use", 54),
        ("list-items", "use", 58),
        ("list-items", "disclosure", 81),
        ("list-items", "rights", 89),
    ]
    missing = found[2]
    assert missing.file == "locales/nl/privacy.md"
    assert missing.message == (
        "§3 (data-subjects) ‘Which data subjects do we process personal data on?’ of the English "
        "is missing in the Dutch: translate it and insert it before §3 (collection) with id "
        "{#data-subjects}")
    assert [f.message for f in found if f.clause == "use"] == [
        "§5 (use) has no table where the English has 1 table of 19 rows",
        "list 1 of §5 (use) has 10 items where the English has 12",
    ]


def test_missing_clause_scenario(scenario: Scenario) -> None:
    root = scenario("missing-clause")
    found = [f for f in run_checks(load_project(root)) if f.code in CODES]
    assert [(f.code, f.clause, f.file, f.line) for f in found] == [
        ("clause-missing", "about-us", "locales/nl/privacy.md", 5)]
    assert found[0].message == (
        "§1 (about-us) ‘About us’ of the English is missing in the Dutch: translate it and "
        "insert it before §1 (collection) with id {#about-us}")
