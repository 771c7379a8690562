"""The drift classes that sets, a term registry and a default region used to miss.

Each class both ways, in Dutch, German and French: the drifted sentence is caught, the
faithful one passes. Facts are compared as multisets; names that translators keep
(PartnerView, WINT) are inferred from their shape; number words are compared with number
words; phone numbers and numeric dates are read in the locale's declared region.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import seed_declaration
from policytools import facts
from policytools.checks import run_checks
from policytools.config import load_project
from policytools.errors import ConfigError
from policytools.facts import Fact, _names
from policytools.model import Finding

TITLES = {"en": "Contact us", "nl": "Contact", "de": "Kontakt", "fr": "Contact"}
HEADING = 5
BODY = 7


def _page(locale: str, body: str) -> str:
    return f"---\ntitle: Privacy\n---\n\n## 1. {TITLES[locale]} {{#contact}}\n\n{body}\n"


def _check(root: Path, en: str, locale: str, text: str, config: str = "") -> list[Finding]:
    """Every drift finding of a one-clause project: English and one translation."""
    files = {
        "policy/policy.yml": f"source_locale: en\nlocales:\n  'en': English\n  '{locale}': "
                             f"Translation\ndocuments:\n  - privacy\n{config}",
        "locales/en/privacy.md": _page("en", en),
        f"locales/{locale}/privacy.md": _page(locale, text),
    }
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    return [f for f in run_checks(load_project(root)) if not f.code.startswith("translation-")]


def _codes(found: list[Finding]) -> list[tuple[str, int | None]]:
    return [(f.code, f.line) for f in found]


TERMS = "terms:\n  - WINT\n  - WGEO\n"
GB = "regions:\n  en: GB\n"

# --- facts compared as multisets ----------------------------------------------------------

COMPANIES = ("WINT is registered under company number 04411285 and WGEO under company number "
             "04411310; WINT is the controller and 04411285 its number.")
MULTISET = [
    # (locale, faithful, drifted: one occurrence swapped for a value the clause also holds)
    ("nl", "WINT is geregistreerd onder ondernemingsnummer 04411285 en WGEO onder "
           "ondernemingsnummer 04411310; WINT is de verwerkingsverantwoordelijke en 04411285 "
           "haar nummer.",
     "WINT is geregistreerd onder ondernemingsnummer 04411285 en WGEO onder "
     "ondernemingsnummer 04411310; WINT is de verwerkingsverantwoordelijke en 04411310 haar "
     "nummer."),
    ("de", "WINT ist unter der Handelsregisternummer 04411285 eingetragen und WGEO unter der "
           "Nummer 04411310; WINT ist der Verantwortliche und 04411285 seine Nummer.",
     "WINT ist unter der Handelsregisternummer 04411285 eingetragen und WGEO unter der "
     "Nummer 04411310; WINT ist der Verantwortliche und 04411310 seine Nummer."),
    ("fr", "WINT est immatriculée sous le numéro 04411285 et WGEO sous le numéro 04411310 ; "
           "WINT est le responsable du traitement et 04411285 son numéro.",
     "WINT est immatriculée sous le numéro 04411285 et WGEO sous le numéro 04411310 ; "
     "WINT est le responsable du traitement et 04411310 son numéro."),
]


@pytest.mark.parametrize(("locale", "faithful", "drifted"), MULTISET)
def test_a_value_swapped_for_another_the_clause_holds(tmp_path: Path, locale: str,
                                                      faithful: str, drifted: str) -> None:
    assert _check(tmp_path / "ok", COMPANIES, locale, faithful, TERMS) == []
    found = _check(tmp_path / "drift", COMPANIES, locale, drifted, TERMS)
    assert _codes(found) == [("fact-code", BODY)]
    assert found[0].message == (
        "§1 (contact): the Translation gives the code 04411310 where the English gives "
        "04411285 for the second time (the English gives 04411285 twice, the Translation "
        "once)")


@pytest.mark.parametrize(("locale", "faithful"), [(loc, ok) for loc, ok, _ in MULTISET])
@pytest.mark.parametrize("config", [TERMS, ""], ids=["declared", "inferred"])
def test_an_abbreviation_swapped_for_the_other(tmp_path: Path, locale: str, faithful: str,
                                               config: str) -> None:
    """WINT twice and WGEO once becomes once and twice: a term, or an inferred name."""
    second = faithful.rindex("WINT")
    drifted = faithful[:second] + "WGEO" + faithful[second + 4:]
    found = _check(tmp_path, COMPANIES, locale, drifted, config)
    code = "fact-term" if config else "fact-identifier"
    noun = "protected term" if config else "name"
    assert _codes(found) == [(code, BODY)]
    assert found[0].message == (
        f"§1 (contact): the Translation gives the {noun} WGEO where the English gives WINT "
        "for the second time (the English gives WINT twice, the Translation once)")


def test_a_value_given_fewer_times_alone_is_no_drift(tmp_path: Path) -> None:
    """A translation may say 'that number' for the second 04411285: nothing replaces it."""
    nl = ("WINT is geregistreerd onder ondernemingsnummer 04411285 en WGEO onder "
          "ondernemingsnummer 04411310; WINT is de verwerkingsverantwoordelijke onder dat "
          "nummer.")
    assert _check(tmp_path, COMPANIES, "nl", nl, TERMS) == []


def test_every_occurrence_of_a_value_replaced_is_one_finding(tmp_path: Path) -> None:
    en = "We keep it 36 months; after 36 months we delete it."
    nl = "Wij bewaren het 37 maanden; na 37 maanden verwijderen wij het."
    found = _check(tmp_path, en, "nl", nl)
    assert [(f.code, f.message) for f in found] == [(
        "fact-number", "§1 (contact): the Translation gives the number 37 where the English "
        "gives 36")]


# --- names inferred without a registry ----------------------------------------------------

PRODUCTS = "Partners sign in to PartnerView and BlueSky; WINT runs both."
NAMES = [
    # (locale, faithful, drifted, finding's message tail)
    ("nl", "Partners melden zich aan bij PartnerView en BlueSky; WINT beheert beide.",
     "Partners melden zich aan bij PartnerVue en BlueSky; WINT beheert beide.",
     "the Translation gives the name PartnerVue where the English gives PartnerView"),
    ("de", "Partner melden sich bei PartnerView und BlueSky an; WINT betreibt beide.",
     "Partner melden sich bei PartnerView an; WINT betreibt beide.",
     "the English gives the name BlueSky, which the Translation lacks"),
    ("fr", "Les partenaires se connectent à PartnerView et à BlueSky ; WINT gère les deux.",
     "Les partenaires se connectent à PartnerView et à BlueStar ; WINT gère les deux.",
     "the Translation gives the name BlueStar where the English gives BlueSky"),
]


@pytest.mark.parametrize(("locale", "faithful", "drifted", "message"), NAMES)
def test_a_name_changed_or_dropped_without_terms(tmp_path: Path, locale: str, faithful: str,
                                                 drifted: str, message: str) -> None:
    assert _check(tmp_path / "ok", PRODUCTS, locale, faithful) == []
    found = _check(tmp_path / "drift", PRODUCTS, locale, drifted)
    assert [(f.code, f.severity.label) for f in found] == [("fact-identifier", "warning")]
    assert found[0].message == f"§1 (contact): {message}"


REGIONS_NAMED = "Affiliates trade in EMEA and APAC."
REGION_DRIFT = [
    ("nl", "Gelieerde ondernemingen zijn actief in EMEA en APAC.",
     "Gelieerde ondernemingen zijn actief in EMEA en LATAM.",
     "the Translation gives the name LATAM where the English gives APAC"),
    ("de", "Verbundene Unternehmen sind in EMEA und im asiatisch-pazifischen Raum tätig.",
     "Verbundene Unternehmen sind in EMEA und AMER tätig.",
     "the Translation gives the name AMER where the English gives APAC"),
    ("fr", "Les sociétés affiliées opèrent en EMEA et en APAC.",
     "Les sociétés affiliées opèrent en EMEA et en LATAM.",
     "the Translation gives the name LATAM where the English gives APAC"),
]


@pytest.mark.parametrize(("locale", "faithful", "drifted", "message"), REGION_DRIFT)
def test_a_business_region_is_not_another(tmp_path: Path, locale: str,
                                                       faithful: str, drifted: str,
                                                       message: str) -> None:
    assert _check(tmp_path / "ok", REGIONS_NAMED, locale, faithful) == []
    found = _check(tmp_path / "drift", REGIONS_NAMED, locale, drifted)
    assert [(f.code, f.message) for f in found] == [
        ("fact-identifier", f"§1 (contact): {message}")]


SOURCE_WORDS = ("Under the GDPR, data may leave the UK and the EEA for the USA in "
                "January, and in DECEMBER AND JANUARY we archive it.")
TRANSLATED_WORDS = [
    ("nl", "Onder de AVG mogen gegevens het VK en de EER verlaten naar de VS in januari, en "
           "in DECEMBER EN JANUARI archiveren wij ze."),
    ("de", "Nach der DSGVO dürfen Daten das VK und den EWR im Januar in die USA verlassen, "
           "und im DEZEMBER UND JANUAR archivieren wir sie."),
    ("fr", "Selon le RGPD, les données peuvent quitter le RU et l’EEE vers les EUA en "
           "janvier, et en DÉCEMBRE ET JANVIER nous les archivons."),
]


@pytest.mark.parametrize(("locale", "text"), TRANSLATED_WORDS)
def test_abbreviations_countries_and_months_may_be_translated(tmp_path: Path, locale: str,
                                                              text: str) -> None:
    assert _check(tmp_path, SOURCE_WORDS, locale, text) == []


@pytest.mark.parametrize(("locale", "text"), [
    ("nl", "Wij verkopen uw gegevens NIET en verhuren ze niet; niet alle partners zijn Britse."),
    ("de", "Wir verkaufen Ihre Daten NICHT und vermieten sie nicht; nicht alle Partner sind "
           "britisch."),
    ("fr", "Nous ne vendons PAS vos données et ne les louons pas ; tous les partenaires ne "
           "sont pas britanniques."),
])
def test_a_word_in_capitals_for_emphasis_is_no_name(tmp_path: Path, locale: str,
                                                    text: str) -> None:
    en = "We do NOT sell your data and do not rent it; not all partners are British."
    assert _check(tmp_path, en, locale, text) == []


def test_an_abbreviation_kept_elsewhere_and_dropped_here_is_caught(tmp_path: Path) -> None:
    en = "WINT is the controller.\n\n## 2. Replies {#replies}\n\nWINT answers within a month."
    nl = ("WINT is de verwerkingsverantwoordelijke.\n\n## 2. Antwoorden {#replies}\n\n"
          "Wij antwoorden binnen een maand.")
    found = _check(tmp_path, en, "nl", nl)
    assert [(f.code, f.message) for f in found] == [(
        "fact-identifier", "§2 (replies): the English gives the name WINT, which the "
        "Translation lacks")]


PLAIN_HINT = re.compile(r"[a-z][A-Z]|[A-Z][A-Z]")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="aZBy WINTxPv-1é/", max_size=24))
def test_the_name_scan_finds_what_the_plain_pattern_finds(text: str) -> None:
    """The scan starts at a capital (fast); the plain form tries every letter."""
    monkeypatched: list[Fact] = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(facts, "NAME_HINT_RE", PLAIN_HINT)
        _names(text, 1, monkeypatched)
    found: list[Fact] = []
    _names(text, 1, found)
    assert found == monkeypatched


def test_the_registry_confirms_or_excludes_an_inferred_name(tmp_path: Path) -> None:
    nl = "Partners melden zich aan bij PartnerVue en BlueSky; WINT beheert beide."
    declared = _check(tmp_path / "terms", PRODUCTS, "nl", nl, "terms:\n  - PartnerView\n")
    assert [(f.code, f.severity.label) for f in declared] == [("fact-term", "error")]
    excluded = _check(tmp_path / "not", PRODUCTS, "nl", nl, "not_terms:\n  - PartnerView\n")
    assert excluded == []


def test_not_terms_must_be_a_list_of_strings(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not_terms: expected a list of non-empty strings"):
        _check(tmp_path, PRODUCTS, "nl", PRODUCTS, "not_terms: PartnerView\n")


# --- number words against number words -----------------------------------------------------

WEEKS = "We keep it for seven years and reply within seven days."
NUMBER_WORDS = [
    ("nl", "Wij bewaren het zeven jaar en antwoorden binnen zeven dagen.",
     "Wij bewaren het zeven jaar en antwoorden binnen acht dagen.", "acht"),
    ("de", "Wir bewahren sie sieben Jahre auf und antworten innerhalb von sieben Tagen.",
     "Wir bewahren sie sieben Jahre auf und antworten innerhalb von acht Tagen.", "acht"),
    ("fr", "Nous les conservons sept ans et répondons sous sept jours.",
     "Nous les conservons sept ans et répondons sous huit jours.", "huit"),
]


@pytest.mark.parametrize(("locale", "faithful", "drifted", "word"), NUMBER_WORDS)
def test_number_words_against_number_words(tmp_path: Path, locale: str, faithful: str,
                                           drifted: str, word: str) -> None:
    assert _check(tmp_path / "ok", WEEKS, locale, faithful) == []
    found = _check(tmp_path / "drift", WEEKS, locale, drifted)
    assert [(f.code, f.message) for f in found] == [(
        "fact-number", f"§1 (contact): the Translation gives the number {word} where the "
        "English gives seven for the second time (the English gives seven twice, the "
        "Translation once)")]


@pytest.mark.parametrize(("locale", "text"), [
    ("nl", "Wij antwoorden binnen acht dagen."),
    ("de", "Wir antworten innerhalb von acht Tagen."),
    ("fr", "Nous répondons sous huit jours."),
])
def test_one_number_word_for_another(tmp_path: Path, locale: str, text: str) -> None:
    found = _check(tmp_path, "We reply within seven days.", locale, text)
    assert [f.code for f in found] == ["fact-number"]


# --- regions ---------------------------------------------------------------------------------

REGIONS = [
    # (locale, source, faithful, drifted, code)
    ("nl", "It applies from 03/04/2026.", "Het geldt vanaf 03-04-2026.",
     "Het geldt vanaf 04-03-2026.", "fact-date"),
    ("de", "It applies from 03/04/2026.", "Sie gilt ab dem 03.04.2026.",
     "Sie gilt ab dem 04.03.2026.", "fact-date"),
    ("fr", "It applies from 03/04/2026.", "Elle s’applique à partir du 03/04/2026.",
     "Elle s’applique à partir du 3 mars 2026.", "fact-date"),
    ("nl", "Call us on 01285 771400.", "Bel ons op 01285 771400.", "Bel ons op 01285 771401.",
     "fact-phone"),
    ("de", "Call us on 01285 771400.", "Rufen Sie uns unter +44 1285 771400 an.",
     "Rufen Sie uns unter +44 1285 771401 an.", "fact-phone"),
    ("fr", "Call us on 01285 771400.", "Appelez-nous au 01285 771400.",
     "Appelez-nous au 01285 771410.", "fact-phone"),
]


@pytest.mark.parametrize(("locale", "en", "faithful", "drifted", "code"), REGIONS)
def test_the_declared_region_reads_dates_and_phones(tmp_path: Path, locale: str, en: str,
                                                    faithful: str, drifted: str,
                                                    code: str) -> None:
    assert _check(tmp_path / "ok", en, locale, faithful, GB) == []
    assert _codes(_check(tmp_path / "drift", en, locale, drifted, GB)) == [(code, BODY)]


def test_a_locale_code_with_a_region_reads_like_a_declared_one(tmp_path: Path) -> None:
    files = {
        "policy/policy.yml": "source_locale: en-GB\ndocuments:\n  - privacy\n",
        "locales/en-GB/privacy.md": _page("en", "It applies from 03/04/2026."),
        "locales/nl/privacy.md": _page("nl", "Het geldt vanaf 3 april 2026."),
    }
    for rel, content in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(content, encoding="utf-8")
    found = run_checks(load_project(tmp_path))
    assert [f.code for f in found if not f.code.startswith("translation-")] == []


def test_without_a_region_english_reads_month_first(tmp_path: Path) -> None:
    """CLDR's likely region for en is US: 03/04/2026 is 4 March, not 3 April."""
    found = _check(tmp_path, "It applies from 03/04/2026.", "nl", "Het geldt vanaf 3 april 2026.")
    assert _codes(found) == [("fact-date", BODY)]


@pytest.mark.parametrize(("config", "message"), [
    ("regions: GB\n", "regions: expected a mapping of locale to region, like en: GB"),
    ("regions:\n  en: Britain\n", "regions: region of 'en' must be a region code like 'GB' or "
                                  "'US'"),
    ("regions:\n  English: GB\n", "regions: invalid locale code 'English': expected forms "
                                  "'en' or 'pt-BR'"),
])
def test_regions_are_validated(tmp_path: Path, config: str, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        _check(tmp_path, "x", "nl", "x", config)
    assert str(caught.value) == f"policy/policy.yml:7: {message}"


# --- the faithful translations and the real seeds, with no term registry ---------------------

TESTS = Path(__file__).resolve().parent


@pytest.mark.parametrize("locale", ["nl", "de", "fr"])
def test_a_faithful_translation_raises_nothing_without_terms(tmp_path: Path,
                                                             locale: str) -> None:
    """Inferred names and counted facts raise no false alarm on a careful translation."""
    faithful = TESTS / "data" / "faithful" / "locales"
    if not (faithful / locale / "privacy.md").is_file():
        pytest.skip(f"no faithful {locale} translation in tests/data/faithful yet")
    for code in ("en", locale):
        folder = tmp_path / "locales" / code
        folder.mkdir(parents=True)
        (folder / "privacy.md").write_bytes((faithful / code / "privacy.md").read_bytes())
    (tmp_path / "policy").mkdir()
    (tmp_path / "policy" / "policy.yml").write_text(
        f"source_locale: en\ndocuments:\n  - privacy\n{GB}", encoding="utf-8")
    found = run_checks(load_project(tmp_path))
    assert [(f.line, f.code, f.message) for f in found
            if f.severity.label != "info"] == []


def test_which_occurrence_was_swapped_in_the_faithful_dutch(tmp_path: Path) -> None:
    """The real declaration: WINT is a protected term; its second mention becomes WGEO."""
    for code in ("en", "nl"):
        folder = tmp_path / "locales" / code
        folder.mkdir(parents=True)
        (folder / "privacy.md").write_bytes(
            (TESTS / "data" / "faithful" / "locales" / code / "privacy.md").read_bytes())
    (tmp_path / "policy").mkdir()
    seed_declaration(tmp_path / "policy" / "policy.yml")
    path = tmp_path / "locales" / "nl" / "privacy.md"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "WINT is in Engeland", "WGEO is in Engeland"), encoding="utf-8")
    found = [f for f in run_checks(load_project(tmp_path)) if f.severity.label != "info"]
    assert [(f.code, f.line, f.message) for f in found] == [(
        "fact-term", 7, "§1 (about-us): the Dutch gives the protected term WGEO where the "
        "English gives WINT for the second time (the English gives WINT twice, the Dutch "
        "once)")]


def test_the_seeds_without_terms_name_what_the_dutch_lacks(tmp_path: Path) -> None:
    """The old Dutch seed lacks the companies' abbreviations of §1, the product names of §2
    and ISO 27001 in §10 (it names SSL): real drift, each a term in the real policy.yml."""
    for code in ("en", "nl"):
        folder = tmp_path / "locales" / code
        folder.mkdir(parents=True)
        (folder / "privacy.md").write_bytes(
            (TESTS.parent / "locales" / code / "privacy.md").read_bytes())
    (tmp_path / "policy").mkdir()
    (tmp_path / "policy" / "policy.yml").write_text(
        f"source_locale: en\ndocuments:\n  - privacy\n{GB}", encoding="utf-8")
    found = [f for f in run_checks(load_project(tmp_path)) if f.code == "fact-identifier"]
    lacks = "§{}: the English gives the name {}, which the Dutch lacks"
    assert [f.message for f in found] == [
        lacks.format("1 (about-us)", "WGEO"), lacks.format("1 (about-us)", "WINT"),
        *(lacks.format("2 (personal-data)", name)
          for name in ("BlueSky", "PartnerPortal", "PartnerView")),
        "§10 (security): the Dutch gives the name SSL where the English gives ISO"]
