"""Faithful translations of the current English pass; each drift put into them is caught.

The fixture ``tests/data/faithful`` holds the current English policy and careful Dutch, German
and French translations of it. Any finding on them is a false positive of the checker, to be
fixed there.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import seed_declaration
from policytools.checks import run_checks
from policytools.config import load_project
from policytools.model import Finding, Severity

REPO = Path(__file__).resolve().parents[1]
FAITHFUL = Path(__file__).resolve().parent / "data" / "faithful"
NL = "locales/nl/privacy.md"
TRANSLATIONS = ("nl", "de", "fr")


def _project(root: Path) -> Path:
    """A copy of the faithful policies with the real project declaration (its terms)."""
    for locale in ("en", *TRANSLATIONS):
        source = FAITHFUL / "locales" / locale / "privacy.md"
        if not source.is_file():
            pytest.skip(f"the faithful fixture {source.relative_to(REPO)} does not exist yet")
        (root / "locales" / locale).mkdir(parents=True)
        shutil.copy(source, root / "locales" / locale / "privacy.md")
    (root / "policy").mkdir()
    seed_declaration(root / "policy" / "policy.yml")
    return root


def _describe(found: list[Finding]) -> list[str]:
    return [f"{f.file}:{f.line}: {f.severity.label} [{f.code}] {f.message}" for f in found]


def test_the_source_passes(tmp_path: Path) -> None:
    found = run_checks(load_project(_project(tmp_path)))
    assert _describe([f for f in found if f.locale == "en"]) == []


@pytest.mark.parametrize("locale", TRANSLATIONS)
def test_faithful_translation_passes(tmp_path: Path, locale: str) -> None:
    found = [f for f in run_checks(load_project(_project(tmp_path))) if f.locale == locale]
    assert _describe([f for f in found if f.severity >= Severity.WARNING]) == []
    # the one note, that no clause was ever confirmed, shows the locale was checked at all
    assert [f.code for f in found] == ["translation-unconfirmed"]


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
    _assert_caught(tmp_path, NL, old, new, (code, NL, clause, line), message)


def _assert_caught(tmp_path: Path, name: str, old: str, new: str,
                   where: tuple[str, str, str, int], message: str | None) -> None:
    """Put one drift into a copy of the translation ``name``: exactly one finding, there."""
    root = _project(tmp_path)
    text = (root / name).read_text(encoding="utf-8")
    assert text.count(old) == 1
    (root / name).write_text(text.replace(old, new), encoding="utf-8")
    found = [f for f in run_checks(load_project(root)) if f.severity >= Severity.WARNING]
    assert [(f.code, f.file, f.clause, f.line) for f in found] == [where]
    if message is not None:
        assert found[0].message == message


# (locale, old text, new text, code, clause, line, message)
MUTATIONS_DE_FR = [
    pytest.param(
        "de", "innerhalb von sieben Werktagen", "innerhalb von acht Werktagen",
        "fact-number", "contact", 186,
        "§13 (contact): the German gives the number acht where the English gives seven",
        id="de-seven-working-days-in-words"),
    pytest.param(
        "fr", "sept jours ouvrables", "huit jours ouvrables", "fact-number", "contact", 186,
        "§13 (contact): the French gives the number huit where the English gives seven",
        id="fr-seven-working-days-in-words"),
    pytest.param(
        "de", "unter 13 Jahren", "unter 16 Jahren", "fact-number", "children", 156,
        "§9 (children): the German gives the number 16 where the English gives 13",
        id="de-age"),
    pytest.param(
        "de", "Gesellschaftsnummer 04411285", "Gesellschaftsnummer 04411258", "fact-code",
        "about-us", 7,
        "§1 (about-us): the German gives the code 04411258 where the English gives 04411285",
        id="de-company-number"),
    pytest.param(
        "de", "Gloucestershire GL7 1YG\\", "Gloucestershire GL7 1YT\\", "address-mismatch",
        "contact", 178,
        "§13 (contact): the German gives the address as ‘Compliance-Beauftragter, Westcon "
        "International, Ltd., Merchants House, Love Lane, Cirencester, Gloucestershire GL7 1YT, "
        "Vereinigtes Königreich’ where the English gives ‘Compliance Officer, Westcon "
        "International, Ltd., Merchants House, Love Lane, Cirencester, Gloucestershire GL7 1YG, "
        "United Kingdom’: postcode GL7 1YT instead of GL7 1YG", id="de-postcode-contact"),
    pytest.param(
        "fr", "GL7 1YG, Royaume-Uni.", "GL7 1YG, Irlande.", "address-mismatch", "about-us", 7,
        "§1 (about-us): the French gives the address as ‘Merchants House Wilkinson Road, Love "
        "Lane Industrial Estate, Cirencester, Gloucestershire GL7 1YG, Irlande’ where the "
        "English gives ‘Merchants House Wilkinson Road, Love Lane Industrial Estate, "
        "Cirencester, Gloucestershire GL7 1YG, United Kingdom’: country Irlande instead of "
        "United Kingdom", id="fr-country-about-us"),
    pytest.param(
        "de", " Weitere Informationen finden Sie in unserer Cookie-Richtlinie.", "",
        "sentences-missing", "collection", 62,
        "paragraph 6 of §4 (collection) has 1 sentence where the English has 2, and is shorter "
        "than expected: a sentence may be left out", id="de-sentence-dropped"),
    pytest.param(
        "fr", " Nous publierons toute modification de la politique de confidentialité sur "
        "cette page.", "", "sentences-missing", "updates", 172, None,
        id="fr-sentence-dropped-short-clause"),
    pytest.param(
        "fr", "- résoudre des problèmes techniques\u00a0; et\n", "", "list-items", "use", 72,
        None, id="fr-list-item-dropped"),
    pytest.param(
        "fr", "la norme ISO 27001", "la norme ISO 27002", "fact-term", "security", 166,
        "§11 (security): the French gives the protected term ISO 27002 where the English "
        "gives ISO 27001", id="fr-term-altered"),
    pytest.param(
        "fr", "https://allaboutdnt.com/", "https://allaboutdnt.org/", "fact-url", "tracking", 66,
        "§5 (tracking): the French gives the web address https://allaboutdnt.org/ where the "
        "English gives https://allaboutdnt.com/", id="fr-url"),
]


@pytest.mark.parametrize(("locale", "old", "new", "code", "clause", "line", "message"),
                         MUTATIONS_DE_FR)
def test_drift_put_into_the_german_and_french_is_caught(
        tmp_path: Path, locale: str, old: str, new: str, code: str, clause: str, line: int,
        message: str | None) -> None:
    name = f"locales/{locale}/privacy.md"
    _assert_caught(tmp_path, name, old, new, (code, name, clause, line), message)
