"""A faithful Dutch translation of the current English passes; each drift put into it is caught.

The fixture ``tests/data/faithful`` holds the current English policy and a careful Dutch
translation of it. Any finding on it is a false positive of the checker, to be fixed there.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from policytools.checks import run_checks
from policytools.config import load_project
from policytools.model import Finding, Severity

REPO = Path(__file__).resolve().parents[1]
FAITHFUL = Path(__file__).resolve().parent / "data" / "faithful"
NL = "locales/nl/privacy.md"


def _project(root: Path) -> Path:
    """A copy of the faithful policies with the real project declaration (its terms)."""
    for locale in ("en", "nl"):
        source = FAITHFUL / "locales" / locale / "privacy.md"
        if not source.is_file():
            pytest.skip(f"the faithful fixture {source.relative_to(REPO)} does not exist yet")
        (root / "locales" / locale).mkdir(parents=True)
        shutil.copy(source, root / "locales" / locale / "privacy.md")
    (root / "policy").mkdir()
    shutil.copy(REPO / "policy" / "policy.yml", root / "policy" / "policy.yml")
    return root


def _describe(found: list[Finding]) -> list[str]:
    return [f"{f.file}:{f.line}: {f.severity.label} [{f.code}] {f.message}" for f in found]


def test_faithful_translation_passes(tmp_path: Path) -> None:
    found = run_checks(load_project(_project(tmp_path)))
    assert _describe([f for f in found if f.locale == "en"]) == []
    assert _describe([f for f in found if f.locale == "nl"
                      and f.severity >= Severity.WARNING]) == []


# (old Dutch text, new Dutch text, code, clause, line, message or None)
MUTATIONS = [
    pytest.param(
        " Raadpleeg ons cookiebeleid voor meer informatie.", "",
        "sentences-missing", "collection", 62,
        "paragraph 6 of §4 (collection) has 1 sentence where the English has 2, and is shorter "
        "than expected: a sentence may be left out", id="sentence-dropped"),
    pytest.param(
        " Wij publiceren alle wijzigingen in het privacybeleid op deze pagina.", "",
        "sentences-missing", "updates", 172, None, id="sentence-dropped-short-clause"),
    pytest.param(
        "Persoonsgegevens die wij hebben verwijderd naar aanleiding van een verzoek om de "
        "gegevens te wissen, of omdat wij hebben besloten de gegevens te verwijderen omdat ze "
        "niet langer nodig zijn, kunnen tot de volgende verwijderingscyclus in "
        "back-upsystemen bewaard blijven.\n\n", "",
        "paragraphs-missing", "rights", 128,
        "§8 (rights) has 7 paragraphs where the English has 8: a paragraph may be left "
        "untranslated", id="paragraph-dropped"),
    pytest.param(
        "Gloucestershire GL7 1YG\\", "Gloucestershire GL7 1YT\\",
        "address-mismatch", "contact", 178,
        "§13 (contact): the Dutch gives the address as ‘Compliancefunctionaris, Westcon "
        "International, Ltd., Merchants House, Love Lane, Cirencester, Gloucestershire GL7 1YT, "
        "Verenigd Koninkrijk’ where the English gives ‘Compliance Officer, Westcon "
        "International, Ltd., Merchants House, Love Lane, Cirencester, Gloucestershire GL7 1YG, "
        "United Kingdom’: postcode GL7 1YT instead of GL7 1YG", id="postcode-contact"),
    pytest.param(
        "Gloucestershire GL7 1YG, Verenigd", "Gloucestershire GL7 1YT, Verenigd",
        "address-mismatch", "about-us", 7, None, id="postcode-about-us"),
    pytest.param(
        "Love Lane\\", "Liefdelaan\\", "address-mismatch", "contact", 178, None,
        id="street-translated"),
    pytest.param(
        "7 werkdagen", "8 werkdagen", "fact-number", "contact", 186,
        "§13 (contact): the Dutch gives the number 8 where the English gives seven",
        id="seven-working-days"),
    pytest.param(
        "7 werkdagen", "acht werkdagen", "fact-number", "contact", 186,
        "§13 (contact): the Dutch gives the number acht where the English gives seven",
        id="seven-working-days-in-words"),
    pytest.param(
        "jonger dan 13 jaar", "jonger dan 16 jaar", "fact-number", "children", 156,
        "§9 (children): the Dutch gives the number 16 where the English gives 13",
        id="age"),
    pytest.param(
        "- juist zijn en actueel worden gehouden;\n", "", "list-items", "personal-data", 17,
        "the list of §2 (personal-data) has 5 items where the English has 6",
        id="list-item-dropped"),
    pytest.param(
        "| U geeft ons feedback | (a) Zakelijke contactgegevens<br>(b) Identiteitsgegevens<br>"
        "(c) Profielgegevens | (a) Gerechtvaardigd belang |\n", "",
        "table-rows", "use", 93,
        "the table of §6 (use) has 18 rows where the English has 19", id="table-row-dropped"),
    pytest.param(
        "ondernemingsnummer 04411285", "ondernemingsnummer 04411258", "fact-code", "about-us",
        7, "§1 (about-us): the Dutch gives the code 04411258 where the English gives 04411285",
        id="company-number"),
    pytest.param(
        " volgens de norm ISO 27001", "", "fact-term", "security", 162,
        "§11 (security): the English gives the protected term ISO 27001, which the Dutch lacks",
        id="term-dropped"),
    pytest.param(
        "norm ISO 27001", "norm ISO 27002", "fact-term", "security", 166,
        "§11 (security): the Dutch gives the protected term ISO 27002 where the English gives "
        "ISO 27001", id="term-altered"),
    pytest.param(
        "https://allaboutdnt.com/", "https://allaboutdnt.org/", "fact-url", "tracking", 66,
        "§5 (tracking): the Dutch gives the web address https://allaboutdnt.org/ where the "
        "English gives https://allaboutdnt.com/", id="url"),
]


@pytest.mark.parametrize(("old", "new", "code", "clause", "line", "message"), MUTATIONS)
def test_drift_put_into_the_faithful_translation_is_caught(
        tmp_path: Path, old: str, new: str, code: str, clause: str, line: int,
        message: str | None) -> None:
    root = _project(tmp_path)
    path = root / NL
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    found = [f for f in run_checks(load_project(root)) if f.severity >= Severity.WARNING]
    assert [(f.code, f.file, f.clause, f.line) for f in found] == [(code, NL, clause, line)]
    if message is not None:
        assert found[0].message == message
