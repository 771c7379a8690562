"""Facts that must survive translation: extracted per clause, then compared clause by clause.

Table-driven both ways, in the spirit of Translate Toolkit's ``fails(check, "180° turn",
"360 turn")``: what a translation must not change is caught; what a faithful translation
legitimately changes (number formats, month names, quotes, country names) passes.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policytools.addresses import POSTCODE_RE
from policytools.checks import run_checks
from policytools.config import DEFAULT_REFERENCE_WORDS, load_project
from policytools.facts import (
    PHONE_RE,
    ClauseFacts,
    Fact,
    _dates,
    _numbers,
    _skeleton,
    analyse,
    number_value,
    profile,
    term_pattern,
)
from policytools.model import Finding
from policytools.parse import parse_document

TERMS = ("Westcon", "WINT", "WGEO", "ISO 27001", "Information Commissioner’s Office",
         "Merchants House", "Love Lane", "Cirencester", "Gloucestershire")
LOCALES = ("en", "nl")
CLAUSE_LINE = 5  # the heading of the one clause of a mini document
BODY_LINE = 7  # its first body line


def _page(locale: str, body: str) -> str:
    title = "Contact us" if locale == "en" else "Contact met ons opnemen"
    return f"---\ntitle: Privacy\n---\n\n## 1. {title} {{#contact}}\n\n{body}\n"


def _facts(body: str, locale: str = "en") -> ClauseFacts:
    doc = parse_document(_page(locale, body), "privacy", locale, f"locales/{locale}/privacy.md")
    clause = doc.clause("contact")
    assert clause is not None
    return analyse(clause, profile(locale, DEFAULT_REFERENCE_WORDS[locale]), TERMS, LOCALES)


def _pairs(body: str, locale: str = "en") -> set[tuple[str, str]]:
    return {(f.kind, f.value) for f in _facts(body, locale).facts}


def _drift(found: list[Finding]) -> list[Finding]:
    """Findings about drift: whether a clause was confirmed (translation-*) is another story."""
    return [f for f in found if not f.code.startswith("translation-")]


def _check(tmp_path: Path, en: str, nl: str) -> list[Finding]:
    """Run every check on a one-clause English/Dutch mini project written in ``tmp_path``."""
    terms = "".join(f"  - {term}\n" for term in TERMS)
    files = {
        "policy/policy.yml": "source_locale: en\nlocales:\n  'en': English\n  'nl': Dutch\n"
                             f"documents:\n  - privacy\nterms:\n{terms}",
        "locales/en/privacy.md": _page("en", en),
        "locales/nl/privacy.md": _page("nl", nl),
    }
    for rel, text in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return _drift(run_checks(load_project(tmp_path)))


# --- extraction: what a clause holds, normalised -------------------------------------------

EXTRACTED = [
    # e-mail addresses: lower-cased, trailing punctuation dropped
    ("en", "Write to Privacy@Westcon.com.", {("email", "privacy@westcon.com")}),
    ("en", "[Mail us](mailto:privacy@westcon.com)", {("email", "privacy@westcon.com")}),
    # web addresses: host lower-cased, trailing punctuation and slash dropped, path kept
    ("en", "See https://allaboutdnt.com/.", {("url", "allaboutdnt.com")}),
    ("en", "See https://ICO.org.uk/Concerns/, or call.", {("url", "ico.org.uk/Concerns")}),
    ("nl", "Zie www.ico.org.uk/concerns", {("url", "ico.org.uk/concerns")}),
    ("en", "Use [our form](https://westcon.com/privacy-form).",
     {("url", "westcon.com/privacy-form")}),
    # phone numbers: E.164, whatever the spacing or the trunk prefix in brackets
    ("en", "Call +44 1285 123456 today.", {("phone", "+441285123456")}),
    ("nl", "Bel +44 (0)1285 123 456 vandaag.", {("phone", "+441285123456")}),
    # dates: ISO 8601, month names in either language
    ("en", "From 1 December 2026 on.", {("date", "2026-12-01")}),
    ("en", "From December 1, 2026 on.", {("date", "2026-12-01")}),
    ("en", "From 2026-12-01 on.", {("date", "2026-12-01")}),
    ("en", "From 1st December 2026 on.", {("date", "2026-12-01")}),
    ("nl", "Vanaf 1 december 2026.", {("date", "2026-12-01")}),
    ("nl", "Vanaf 01-12-2026.", {("date", "2026-12-01")}),
    ("en", "Since December 2026.", {("date", "2026-12")}),
    ("nl", "Sinds dec. 2026.", {("date", "2026-12")}),
    # numbers in each locale's format
    ("en", "A fee of 1,000.50 pounds.", {("number", "1000.5")}),
    ("nl", "Een vergoeding van 1.000,50 pond.", {("number", "1000.5")}),
    ("en", "Under the age of 13.", {("number", "13")}),
    ("en", "For the 3rd time.", {("number", "3")}),
    ("nl", "Voor de 3e keer.", {("number", "3")}),
    ("nl", "Op de 21ste dag.", {("number", "21")}),
    # a leading zero makes a code: 04411285 is a company number, not 4,411,285
    ("en", "Company number 04411285.", {("code", "04411285")}),
    ("en", "Company number 4411285.", {("number", "4411285")}),
    # protected terms; their digits are not numbers of their own
    ("en", "Accredited to ISO 27001.", {("term", "ISO 27001")}),
    ("nl", "Gecertificeerd volgens de ISO 27001-norm.", {("term", "ISO 27001")}),
    ("nl", "Gecertificeerd volgens ISO 27002.", {("term", "ISO 27002")}),
    ("en", "Complain to the Information Commissioner's Office.",
     {("term", "Information Commissioner’s Office")}),
    ("en", "Westcon International Ltd (“WINT”)", {("term", "Westcon"), ("term", "WINT")}),
    # an address owns its names and digits: no term, number or code facts
    ("en", "Write to Merchants House, Love Lane, Cirencester GL7 1YG, United Kingdom.", set()),
    ("en", "Write to us at:\n\nMerchants House\\\nLove Lane\\\nCirencester GL7 1YG", set()),
    # not facts at all
    ("en", "Transfers to the United Kingdom.", set()),
    ("nl", "Doorgifte naar het Verenigd Koninkrijk.", set()),
    ("nl", "Let op : zie hieronder.", set()),
    ("en", "Within seven working days.", set()),
]


@pytest.mark.parametrize(("locale", "text", "expected"), EXTRACTED)
def test_extracts(locale: str, text: str, expected: set[tuple[str, str]]) -> None:
    assert _pairs(text, locale) == expected


@pytest.mark.parametrize(("locale", "text", "words"), [
    ("en", "within seven working days", {"7"}),
    ("nl", "binnen zeven werkdagen", {"7"}),
    ("en", "under the age of thirteen", {"13"}),
    ("nl", "jonger dan dertien jaar", {"13"}),
    ("en", "for the third time", {"3"}),
    ("nl", "voor de derde keer", {"3"}),
    ("en", "one or more of the purposes", set()),  # 'one' is too ambiguous to count
    ("nl", "een of meer van de doeleinden", set()),  # as is 'een' (also 'a')
    ("en", "within 7 working days", set()),
])
def test_number_words_excuse_digits_but_are_no_facts(locale: str, text: str,
                                                     words: set[str]) -> None:
    found = _facts(text, locale)
    assert set(found.word_numbers) == words
    assert not [f for f in found.facts if f.kind == "number" and f.value in words]


@pytest.mark.parametrize(("token", "locale", "expected"), [
    ("1,000.50", "en", ("number", "1000.5")),
    ("1.000,50", "nl", ("number", "1000.5")),
    ("7", "nl", ("number", "7")),
    ("04411285", "en", ("code", "04411285")),
    ("0", "en", ("number", "0")),
    ("21st", "en", ("number", "21")),
    ("GL7", "en", ("code", "GL7")),
])
def test_number_value(token: str, locale: str, expected: tuple[str, str]) -> None:
    assert number_value(token, locale) == expected


def test_facts_keep_their_lines() -> None:
    found = _facts("First line.\n\n- one item\n- mail privacy@westcon.com\n\nCall +44 1285 123456.")
    lines = {f.kind: f.line for f in found.facts}
    assert lines == {"email": BODY_LINE + 3, "phone": BODY_LINE + 5}


# --- comparison: what a translation must keep ----------------------------------------------

# (en, nl, [(code, line)], one message verbatim)
CAUGHT = [
    pytest.param(
        "Write to privacy@westcon.com.", "Schrijf naar privacy@westcon.nl.",
        [("fact-email", BODY_LINE)],
        "§1 (contact): the Dutch gives the e-mail address privacy@westcon.nl where the English "
        "gives privacy@westcon.com", id="email-changed"),
    pytest.param(
        "Write to privacy@westcon.com.", "Schrijf ons.", [("fact-email", CLAUSE_LINE)],
        "§1 (contact): the English gives the e-mail address privacy@westcon.com, which the "
        "Dutch lacks", id="email-missing"),
    pytest.param(
        "Complain to the regulator.", "Dien een klacht in: https://ico.org.uk/concerns/",
        [("fact-url", BODY_LINE)],
        "§1 (contact): the Dutch gives the web address https://ico.org.uk/concerns/, which the "
        "English does not have", id="url-added"),
    pytest.param(
        "See https://ico.org.uk/concerns/.", "Zie https://ico.org.uk/make-a-complaint/.",
        [("fact-url", BODY_LINE)],
        "§1 (contact): the Dutch gives the web address https://ico.org.uk/make-a-complaint/ "
        "where the English gives https://ico.org.uk/concerns/", id="url-path-changed"),
    pytest.param(
        "Call +44 1285 123456.", "Bel +44 (0)1285 123 457.", [("fact-phone", BODY_LINE)],
        "§1 (contact): the Dutch gives the phone number +44 (0)1285 123 457 where the English "
        "gives +44 1285 123456", id="phone-digit"),
    pytest.param(
        "It applies from 1 December 2026.", "Het geldt vanaf 2 december 2026.",
        [("fact-date", BODY_LINE)],
        "§1 (contact): the Dutch gives the date 2 december 2026 where the English gives "
        "1 December 2026", id="date-day"),
    pytest.param(
        "It applies from December 1, 2026.", "Het geldt vanaf 1 november 2026.",
        [("fact-date", BODY_LINE)], None, id="date-month"),
    pytest.param(
        "A fee of 1,000.50 pounds.", "Een vergoeding van 1.000,05 pond.",
        [("fact-number", BODY_LINE)],
        "§1 (contact): the Dutch gives the number 1.000,05 where the English gives 1,000.50",
        id="number-localised-but-different"),
    pytest.param(
        "We reply within seven days.", "Wij antwoorden binnen 8 dagen.",
        [("fact-number", BODY_LINE)],
        "§1 (contact): the Dutch gives the number 8 where the English gives seven",
        id="number-word-vs-other-digit"),
    pytest.param(
        "We reply within seven days.", "Wij antwoorden binnen acht dagen.",
        [("fact-number", BODY_LINE)],
        "§1 (contact): the Dutch gives the number acht where the English gives seven",
        id="number-words-differ"),
    pytest.param(
        "Data is kept for thirty days and deleted after sixty.",
        "Gegevens worden dertig dagen bewaard en na negentig verwijderd.",
        [("fact-number", BODY_LINE)],
        "§1 (contact): the Dutch gives the number negentig where the English gives sixty",
        id="one-of-two-number-words-differs"),
    pytest.param(
        "Nobody under the age of thirteen.", "Niemand jonger dan 16 jaar.",
        [("fact-number", BODY_LINE)], None, id="thirteen-vs-16"),
    pytest.param(
        "Nobody under the age of 13.", "Niemand jonger dan 16 jaar.",
        [("fact-number", BODY_LINE)],
        "§1 (contact): the Dutch gives the number 16 where the English gives 13",
        id="digits-changed"),
    pytest.param(
        "For the 3rd time.", "Voor de 4e keer.", [("fact-number", BODY_LINE)],
        "§1 (contact): the Dutch gives the number 4e where the English gives 3rd",
        id="ordinal"),
    pytest.param(
        "Company number 04411285.", "Ondernemingsnummer 04411258.",
        [("fact-code", BODY_LINE)],
        "§1 (contact): the Dutch gives the code 04411258 where the English gives 04411285",
        id="company-number"),
    pytest.param(
        "Westcon collects your data.", "Wij verzamelen uw gegevens.",
        [("fact-term", CLAUSE_LINE)],
        "§1 (contact): the English gives the protected term Westcon, which the Dutch lacks",
        id="term-missing"),
    pytest.param(
        "We collect your data.", "Westcon verzamelt uw gegevens.",
        [("fact-term", BODY_LINE)],
        "§1 (contact): the Dutch gives the protected term Westcon, which the English does not "
        "have", id="term-added"),
    # one finding for one drift: the altered term, not a term missing plus a new number
    pytest.param(
        "Accredited to ISO 27001.", "Gecertificeerd volgens ISO 27002.",
        [("fact-term", BODY_LINE)],
        "§1 (contact): the Dutch gives the protected term ISO 27002 where the English gives "
        "ISO 27001", id="term-altered"),
    pytest.param(
        "Complain to the Information Commissioner’s Office.",
        "Dien een klacht in bij de Britse toezichthouder.", [("fact-term", CLAUSE_LINE)],
        None, id="institution-translated-away"),
]


@pytest.mark.parametrize(("en", "nl", "expected", "message"), CAUGHT)
def test_caught(tmp_path: Path, en: str, nl: str, expected: list[tuple[str, int]],
                message: str | None) -> None:
    found = _check(tmp_path, en, nl)
    assert [(f.code, f.line) for f in found] == expected
    assert {f.clause for f in found} == {"contact"}
    assert {f.file for f in found} == {"locales/nl/privacy.md"}
    if message is not None:
        assert found[0].message == message


PASSES = [
    pytest.param("Transfers to the United Kingdom and the United States.",
                 "Doorgifte naar het Verenigd Koninkrijk en de Verenigde Staten.",
                 id="country-names"),
    pytest.param("Our Compliance Officer answers your questions.",
                 "Onze compliancefunctionaris beantwoordt uw vragen.", id="job-title"),
    pytest.param("Westcon International Ltd (“WINT”) is the controller.",
                 "Westcon International Ltd (‘WINT’) is de verwerkingsverantwoordelijke.",
                 id="quotes-curly"),
    pytest.param("Westcon International Ltd (“WINT”) is the controller.",
                 "Westcon International Ltd („WINT”) is de verwerkingsverantwoordelijke.",
                 id="quotes-low"),
    pytest.param("Note: see below.", "Let op : zie hieronder.", id="punctuation-spacing"),
    pytest.param("We reply within seven working days.", "Wij antwoorden binnen 7 werkdagen.",
                 id="words-vs-digits"),
    pytest.param("Nobody under the age of thirteen.", "Niemand jonger dan 13 jaar.",
                 id="thirteen"),
    pytest.param("Nobody under the age of 13.", "Niemand jonger dan dertien jaar.",
                 id="digits-vs-words"),
    pytest.param("For the third time.", "Voor de 3e keer.", id="ordinal-word-vs-digits"),
    pytest.param("We reply within seven working days.", "Wij antwoorden binnen zeven werkdagen.",
                 id="number-words-both"),
    # a number word alone may be another word: 'acht' is also Dutch for 'deems'
    pytest.param("Further terms that Westcon deems necessary apply.",
                 "Verdere bepalingen die Westcon noodzakelijk acht zijn van toepassing.",
                 id="number-word-as-verb"),
    pytest.param("We share it with third parties.", "Wij delen het met derden.",
                 id="ordinal-word-no-fact"),
    pytest.param("For the 3rd time.", "Voor de 3e keer.", id="ordinal-suffixes"),
    pytest.param("It applies from 1 December 2026.", "Het geldt vanaf 1 december 2026.",
                 id="date-month-name"),
    pytest.param("It applies from December 1, 2026.", "Het geldt vanaf 1 december 2026.",
                 id="date-us-order"),
    pytest.param("It applies from 2026-12-01.", "Het geldt vanaf 1 december 2026.",
                 id="date-iso"),
    pytest.param("It applies from 1 December 2026.", "Het geldt vanaf 01-12-2026.",
                 id="date-numeric"),
    pytest.param("It applies since December 2026.", "Het geldt sinds dec. 2026.",
                 id="date-abbreviated-month"),
    pytest.param("A fee of 1,000.50 pounds.", "Een vergoeding van 1.000,50 pond.",
                 id="number-format"),
    pytest.param("Call +44 1285 123456.", "Bel +44 (0)1285 123 456.", id="phone-format"),
    pytest.param("See https://allaboutdnt.com/.", "Zie https://AllAboutDNT.com",
                 id="url-slash-case-punctuation"),
    pytest.param("Write to Privacy@Westcon.com.", "Schrijf naar privacy@westcon.com.",
                 id="email-case"),
    pytest.param("Company number 04411285.", "Ondernemingsnummer 04411285.",
                 id="company-number"),
    pytest.param("Complain to the Information Commissioner’s Office.",
                 "Dien een klacht in bij de Information Commissioner’s Office (de Britse "
                 "toezichthouder).", id="institution-explained"),
    pytest.param("Complain to the Information Commissioner's Office.",
                 "Dien een klacht in bij de Information Commissioner’s Office.",
                 id="apostrophes"),
    pytest.param("Accredited to the ISO 27001 standard.",
                 "Gecertificeerd volgens de ISO 27001-norm.", id="term-in-compound"),
    pytest.param("Write to Merchants House, Love Lane, Cirencester GL7 1YG, United Kingdom.",
                 "Schrijf naar Merchants House, Love Lane, Cirencester GL7 1YG, Verenigd "
                 "Koninkrijk.", id="address-country"),
]


@pytest.mark.parametrize(("en", "nl"), PASSES)
def test_passes(tmp_path: Path, en: str, nl: str) -> None:
    assert _check(tmp_path, en, nl) == []


@pytest.mark.parametrize(("en", "nl", "code"), [
    pytest.param("Write to Merchants House, Love Lane, Cirencester GL7 1YG.",
                 "Schrijf naar Merchants House, Love Lane, Cirencester GL7 1YT.",
                 "address-mismatch", id="inline-postcode"),
    pytest.param("Write to Merchants House, Love Lane, Cirencester GL7 1YG.",
                 "Schrijf naar Merchants House, Liefdelaan, Cirencester GL7 1YG.",
                 "address-mismatch", id="inline-street-term"),
    pytest.param("Write to us at:\n\nMerchants House\\\nLove Lane\\\nCirencester GL7 1YG",
                 "Schrijf ons:\n\nMerchants House\\\nLove Lane\\\nCirencester GL7 1YT",
                 "address-mismatch", id="block-postcode"),
    pytest.param("Accredited to ISO 27001.", "Gecertificeerd volgens ISO 27002.",
                 "fact-term", id="term-digits"),
])
def test_digits_of_a_term_or_address_reported_once(tmp_path: Path, en: str, nl: str,
                                                   code: str) -> None:
    assert [f.code for f in _check(tmp_path, en, nl)] == [code]


def test_company_number_losing_its_leading_zero_is_caught(tmp_path: Path) -> None:
    found = _check(tmp_path, "Company number 04411285.", "Ondernemingsnummer 4411285.")
    assert ("fact-code", "§1 (contact): the English gives the code 04411285, which the Dutch "
            "lacks") in [(f.code, f.message) for f in found]


# The scanning patterns are written for speed (see facts.py and addresses.py); each must find
# exactly what its plain form finds, on any text of the characters that matter to it.
PLAIN_TOKEN = re.compile(r"(?<![\w])[\w/-]*\d[\w/.,-]*")
PLAIN_PHONE = re.compile(r"(?:\+|(?<![\w.,])0)\d[\d\s().-]{6,}\d")
PLAIN_POSTCODE = re.compile(r"\b(?:[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}|[A-Z]{2}\s\d{5}(?:-\d{4})?"
                            r"|[1-9]\d{3}\s?[A-Z]{2})\b")
SCANNED = st.text(alphabet="0123456789٣AGLYNBzé_/-.,+() \n", max_size=60)


@given(SCANNED)
@settings(max_examples=400, deadline=None)
def test_digit_tokens_are_those_of_the_plain_pattern(text: str) -> None:
    found: list[Fact] = []
    _numbers(text, 1, profile("en", ()), found)
    plain = [t.rstrip(".,-/") for t in PLAIN_TOKEN.findall(text)]
    assert [f.text for f in found] == [t for t in plain if t]


@given(SCANNED)
@settings(max_examples=400, deadline=None)
def test_phone_and_postcode_scans_match_their_plain_patterns(text: str) -> None:
    for fast, plain in ((PHONE_RE, PLAIN_PHONE), (POSTCODE_RE, PLAIN_POSTCODE)):
        assert [m.span() for m in fast.finditer(text)] == \
            [m.span() for m in plain.finditer(text)]


@given(st.text(alphabet="AIS(0127 é-", min_size=1, max_size=6), SCANNED)
@settings(max_examples=400, deadline=None)
def test_term_scan_matches_its_plain_pattern(term: str, text: str) -> None:
    plain = re.compile(rf"(?<!\w){_skeleton(term)}(?!\w)")
    assert [m.span() for m in term_pattern(term).finditer(text)] == \
        [m.span() for m in plain.finditer(text)]


@pytest.mark.parametrize("locale", ["en", "nl", "de", "fr", "ja", "vi"])
def test_dates_are_found_with_or_without_a_month_name_shortcut(locale: str) -> None:
    prof = profile(locale, ())
    text = "From 2026-12-01, 1/12/2026 and call +44 20 7946 0958 by 2027."
    found: list[Fact] = []
    _dates(text, 1, prof, found)
    assert [f.value for f in found] == ["2026-12-01", "2026-12-01" if not prof.month_first
                                        else "2026-01-12"]


@pytest.mark.parametrize("locale", ["en", "nl", "de", "fr", "ar", "hi"])
@pytest.mark.parametrize("token", ["0", "7", "90", "2026", "1000000", "04411310"])
def test_plain_integers_read_as_babel_reads_them(token: str, locale: str) -> None:
    from babel.numbers import parse_decimal

    kind, value = number_value(token, locale)
    if token.startswith("0") and len(token) > 1:
        assert (kind, value) == ("code", token)
    else:
        assert (kind, value) == ("number", format(parse_decimal(token, locale).normalize(), "f"))


@pytest.mark.parametrize(("locale", "text", "values"), [
    ("en", "Valid in 2025 and from May 2026, and from 14 Aug. 2027.", ["2026-05", "2027-08-14"]),
    ("en", "Version 3 2026 of June 2, 2026.", ["2026-06-02"]),
    ("nl", "Sinds 2025 en vanaf 1 mei 2026; niet op pagina 12 2027.", ["2026-05-01"]),
    ("vi", "Từ 1 tháng 5 2026.", ["2026-05-01"]),  # month names of two words
])
def test_words_that_are_no_month_hide_no_date(locale: str, text: str,
                                             values: list[str]) -> None:
    found: list[Fact] = []
    _dates(text, 1, profile(locale, ()), found)
    assert sorted(f.value for f in found) == values
