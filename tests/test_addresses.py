"""Addresses: found, compared part for part, reported in a lawyer's words, consistent per file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from policytools.addresses import (
    Address,
    block_address,
    country_names,
    differences,
    inline_addresses,
    pair_up,
    same_place,
)
from policytools.checks import run_checks
from policytools.config import load_project
from policytools.model import Finding

REPO = Path(__file__).resolve().parents[1]
COUNTRIES = country_names(("en", "nl"))
POLICY = """\
source_locale: en
locales:
  'en': English
  'nl': Dutch
documents:
  - privacy
terms:
  - Westcon
  - Merchants House
  - Love Lane
  - Cirencester
"""


def _doc(*clauses: tuple[str, str, str]) -> str:
    """A document from (id, title, body) clauses; the first heading is on line 5."""
    text = "---\ntitle: Privacy\n---\n"
    for number, (cid, title, body) in enumerate(clauses, 1):
        text += f"\n## {number}. {title} {{#{cid}}}\n\n{body}\n"
    return text


def _drift(found: list[Finding]) -> list[Finding]:
    """Findings about drift: whether a clause was confirmed (translation-*) is another story."""
    return [f for f in found if not f.code.startswith("translation-")]


def _check(root: Path, en: str, nl: str) -> list[Finding]:
    for rel, text in (("policy/policy.yml", POLICY), ("locales/en/privacy.md", en),
                      ("locales/nl/privacy.md", nl)):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return _drift(run_checks(load_project(root)))


# --- the real English and Dutch policies ----------------------------------------------------

@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> list[Finding]:
    """Every finding of the real policies, without the baseline."""
    root = tmp_path_factory.mktemp("real")
    shutil.copytree(REPO / "locales", root / "locales")
    (root / "policy").mkdir()
    shutil.copy(REPO / "policy" / "policy.yml", root / "policy" / "policy.yml")
    return _drift(run_checks(load_project(root)))


def _one(found: list[Finding], code: str, locale: str, clause: str) -> Finding:
    matches = [f for f in found if (f.code, f.locale, f.clause) == (code, locale, clause)]
    assert len(matches) == 1, matches
    return matches[0]


def test_real_about_us_names_building_and_postcode(real: list[Finding]) -> None:
    item = _one(real, "address-mismatch", "nl", "about-us")
    assert (item.file, item.line) == ("locales/nl/privacy.md", 18)
    assert item.message == (
        "§1 (about-us): the Dutch gives the address as ‘Chandler’s House Wilkinson Road, Love "
        "Lane Industrial Estate, Cirencester, Gloucestershire GL7 1YT, Verenigd Koninkrijk’ "
        "where the English gives ‘Merchants House Wilkinson Road, Love Lane Industrial Estate, "
        "Cirencester, Gloucestershire GL7 1YG, United Kingdom’: postcode GL7 1YT instead of "
        "GL7 1YG; ‘Chandler’s House Wilkinson Road’ instead of ‘Merchants House Wilkinson "
        "Road’")


def test_real_contact_gives_the_tarrytown_address(real: list[Finding]) -> None:
    item = _one(real, "address-mismatch", "nl", "contact")
    assert item.line == 123
    assert item.message == (
        "§12 (contact): the Dutch gives the address as ‘Legal Department, Westcon International "
        "Ltd., 660 White Plains Road, Suite 550, Tarrytown, NY 10591, USA’ where the English "
        "gives ‘Compliance Officer, Westcon International, Ltd., Merchants House, Love Lane, "
        "Cirencester, Gloucestershire GL7 1YT, United Kingdom’: a different address")
    email = _one(real, "fact-email", "nl", "contact")
    assert (email.line, email.translation) == (127, "contractadmin@westcon.com")
    assert email.message == ("§12 (contact): the Dutch gives the e-mail address "
                             "contractadmin@westcon.com, which the English does not have")


def test_real_rights_has_an_extra_address_and_mailbox(real: list[Finding]) -> None:
    extra = _one(real, "address-extra", "nl", "rights")
    assert extra.line == 97
    assert extra.message == (
        "§7 (rights): the Dutch gives the address ‘Legal Department, Westcon Group, Inc., 520 "
        "White Plains Road, Tarrytown, NY 10591’, which the English does not have")
    email = _one(real, "fact-email", "nl", "rights")
    assert (email.line, email.translation) == (101, "legal@westcon.com")


def test_real_english_is_inconsistent_once(real: list[Finding]) -> None:
    item = _one(real, "address-inconsistent", "en", "contact")
    assert (item.file, item.line) == ("locales/en/privacy.md", 183)  # 'Gloucestershire GL7 1YT'
    assert item.message == (
        "the English writes the address of Merchants House Wilkinson Road two ways: postcode "
        "GL7 1YG in §1 (about-us) (line 7) but GL7 1YT in §13 (contact)")
    assert [f for f in real if f.code == "address-inconsistent" and f.locale == "nl"] == []


def test_real_address_digits_are_not_facts_too(real: list[Finding]) -> None:
    """The postcodes, house numbers and street names belong to the address findings."""
    facts = [f for f in real if f.code in ("fact-code", "fact-number", "fact-term")
             and f.clause in ("about-us", "rights", "contact")]
    assert sorted((f.clause, f.source or f.translation) for f in facts) == [
        ("about-us", "04411285"), ("about-us", "WGEO"), ("about-us", "WINT")]


# --- mini projects ----------------------------------------------------------------------------

BLOCK_EN = "Write to us at:\n\nMerchants House\\\nLove Lane\\\nCirencester"


@pytest.mark.parametrize(("nl_body", "expected"), [
    pytest.param("Schrijf ons op:\n\nMerchants House\\\nLiefdelaan\\\nCirencester",
                 [("address-mismatch", 9, "§1 (contact): the Dutch gives the address as "
                   "‘Merchants House, Liefdelaan, Cirencester’ where the English gives "
                   "‘Merchants House, Love Lane, Cirencester’: ‘Liefdelaan’ instead of "
                   "‘Love Lane’")], id="street-translated"),
    pytest.param("Schrijf ons op:\n\nMerchant House\\\nLove Lane\\\nCirencester",
                 [("address-mismatch", 9, "§1 (contact): the Dutch gives the address as "
                   "‘Merchant House, Love Lane, Cirencester’ where the English gives "
                   "‘Merchants House, Love Lane, Cirencester’: ‘Merchant House’ instead of "
                   "‘Merchants House’")], id="building-misspelt"),
    pytest.param("Schrijf ons op:\n\nMerchants House\\\nCirencester",
                 [("address-mismatch", 9, "§1 (contact): the Dutch gives the address as "
                   "‘Merchants House, Cirencester’ where the English gives ‘Merchants House, "
                   "Love Lane, Cirencester’: lacks ‘Love Lane’")], id="line-dropped"),
    pytest.param("Schrijf ons.",
                 [("address-missing", 5, "§1 (contact): the English gives the address "
                   "‘Merchants House, Love Lane, Cirencester’, which the Dutch lacks"),
                  ("paragraphs-missing", 5, "§1 (contact) has 1 paragraph where the English "
                   "has 2: a paragraph may be left untranslated")],
                 id="address-dropped"),
    pytest.param("Schrijf ons op:\n\nMerchants House\\\nLove Lane\\\nCirencester", [],
                 id="faithful"),
])
def test_block_address_compared_part_for_part(tmp_path: Path, nl_body: str,
                                              expected: list[tuple[str, int, str]]) -> None:
    found = _check(tmp_path, _doc(("contact", "Contact", BLOCK_EN)),
                   _doc(("contact", "Contact", nl_body)))
    assert [(f.code, f.line, f.message) for f in found] == expected


@pytest.mark.parametrize(("en_body", "nl_body"), [
    pytest.param(
        "Write to:\n\nCompliance Officer\\\nWestcon International, Ltd.\\\nMerchants House\\\n"
        "Love Lane\\\nCirencester GL7 1YG\\\nUnited Kingdom",
        "Schrijf naar:\n\nCompliancefunctionaris\\\nWestcon International, Ltd.\\\n"
        "Merchants House\\\nLove Lane\\\nCirencester GL7 1YG\\\nVerenigd Koninkrijk",
        id="addressee-and-country-translated"),
    pytest.param(
        "Our office: Merchants House, Love Lane, Cirencester GL7 1YG, United Kingdom.",
        "Ons kantoor: Merchants House, Love Lane, Cirencester GL7 1YG, Verenigd Koninkrijk.",
        id="inline-country-translated"),
    pytest.param(
        "Write to:\n\nMerchants House\\\nLove Lane\\\nCirencester GL7 1YG\\\n"
        "privacy@westcon.com",
        "Schrijf naar:\n\nMerchants House\\\nLove Lane\\\nCirencester GL7 1YG\\\n"
        "privacy@westcon.com", id="mailbox-line"),
])
def test_translated_address_words_pass(tmp_path: Path, en_body: str, nl_body: str) -> None:
    assert _check(tmp_path, _doc(("contact", "Contact", en_body)),
                  _doc(("contact", "Contact", nl_body))) == []


# --- consistency inside one locale ------------------------------------------------------------

ABOUT_EN = "Our office: Merchants House, Love Lane, Cirencester GL7 1YG, United Kingdom."
ABOUT_NL = "Ons kantoor: Merchants House, Love Lane, Cirencester GL7 1YG, Verenigd Koninkrijk."


def _contact(postcode: str, country: str) -> str:
    return (f"Write to:\n\nMerchants House\\\nLove Lane\\\nCirencester\\\n"
            f"Gloucestershire {postcode}\\\n{country}")


def test_inconsistent_source_reported_once_at_the_postcode_line(tmp_path: Path) -> None:
    en = _doc(("about-us", "About us", ABOUT_EN),
              ("contact", "Contact", _contact("GL7 1YT", "United Kingdom")))
    nl = _doc(("about-us", "Over ons", ABOUT_NL),
              ("contact", "Contact", _contact("GL7 1YT", "Verenigd Koninkrijk")))
    found = _check(tmp_path, en, nl)
    assert [(f.code, f.file, f.line, f.clause) for f in found] == [
        ("address-inconsistent", "locales/en/privacy.md", 16, "contact")]
    assert found[0].message == (
        "the English writes the address of Merchants House two ways: postcode GL7 1YG in "
        "§1 (about-us) (line 7) but GL7 1YT in §2 (contact)")


def test_translation_drifting_from_a_consistent_source_is_one_mismatch(tmp_path: Path) -> None:
    en = _doc(("about-us", "About us", ABOUT_EN),
              ("contact", "Contact", _contact("GL7 1YG", "United Kingdom")))
    nl = _doc(("about-us", "Over ons", ABOUT_NL),
              ("contact", "Contact", _contact("GL7 1YT", "Verenigd Koninkrijk")))
    found = _check(tmp_path, en, nl)
    assert [(f.code, f.locale, f.line) for f in found] == [("address-mismatch", "nl", 13)]
    assert found[0].message.endswith(": postcode GL7 1YT instead of GL7 1YG")


def test_two_real_addresses_are_no_inconsistency(tmp_path: Path) -> None:
    tarrytown = ("Or write to:\n\nLegal Department\\\nWestcon Group, Inc.\\\n"
                 "520 White Plains Road\\\nTarrytown, NY 10591")
    en = _doc(("about-us", "About us", ABOUT_EN), ("contact", "Contact", tarrytown))
    nl = _doc(("about-us", "Over ons", ABOUT_NL),
              ("contact", "Contact", tarrytown.replace("Or write to", "Of schrijf naar")))
    assert _check(tmp_path, en, nl) == []


# --- the address model ------------------------------------------------------------------------

def test_block_address_parts() -> None:
    address = block_address(
        ["Compliance Officer", "Westcon International, Ltd.", "Merchants House", "Love Lane",
         "Gloucestershire GL7 1YT", "United Kingdom", "privacy@westcon.com"], 40, COUNTRIES)
    assert address.parts == ("Westcon International, Ltd.", "Merchants House", "Love Lane",
                             "Gloucestershire")
    assert (address.postcode, address.country, address.country_text) == (
        "GL7 1YT", "GB", "United Kingdom")
    assert (address.line, address.postcode_line) == (40, 44)
    assert address.text == ("Compliance Officer, Westcon International, Ltd., Merchants House, "
                            "Love Lane, Gloucestershire GL7 1YT, United Kingdom")


@pytest.mark.parametrize(("text", "expected"), [
    ("Our office is at Merchants House Wilkinson Road, Love Lane Industrial Estate, "
     "Cirencester, Gloucestershire GL7 1YG, United Kingdom. We also…",
     [("GL7 1YG", "GB", "Merchants House Wilkinson Road, Love Lane Industrial Estate, "
       "Cirencester, Gloucestershire GL7 1YG, United Kingdom")]),
    ("Write to 520 White Plains Road, Tarrytown, NY 10591.",
     [("NY 10591", None, "520 White Plains Road, Tarrytown, NY 10591")]),
    ("Stuur het naar Herengracht 1, 1015 BA Amsterdam.",
     [("1015 BA", None, "Herengracht 1, 1015 BA")]),
    ("The postcode GL7 1YG alone is no address.", []),
    ("We have 1234 AB testers.", []),
])
def test_inline_addresses(text: str, expected: list[tuple[str, str | None, str]]) -> None:
    found = inline_addresses(text, 3, COUNTRIES)
    assert [(a.postcode, a.country, a.text) for a in found] == expected


def _inline(text: str) -> Address:
    (address,) = inline_addresses(text, 1, COUNTRIES)
    return address


@pytest.mark.parametrize(("source", "other", "said"), [
    ("Merchants House, Love Lane, Cirencester GL7 1YG, United Kingdom",
     "Merchants House, Love Lane, Cirencester GL7 1YG, Verenigd Koninkrijk", []),
    ("Merchants House, Love Lane, Cirencester GL7 1YG", "Merchants House, Love Lane, "
     "Cirencester GL7 1YT", ["postcode GL7 1YT instead of GL7 1YG"]),
    ("Merchants House, Love Lane, Cirencester GL7 1YG", "Chandler’s House, Love Lane, "
     "Cirencester GL7 1YG", ["‘Chandler’s House’ instead of ‘Merchants House’"]),
    ("Merchants House, Love Lane, Cirencester GL7 1YG", "Merchants House, Love Lane, "
     "Extra Park, Cirencester GL7 1YG", ["adds ‘Extra Park’"]),
    ("Merchants House, Love Lane, Cirencester GL7 1YG, United Kingdom",
     "Merchants House, Love Lane, Cirencester GL7 1YG, Nederland",
     ["country Nederland instead of United Kingdom"]),
    ("Merchants House, Love Lane, Cirencester GL7 1YG", "Merchants House, Love Lane, "
     "Cirencester GL7 1YG", []),
])
def test_differences(source: str, other: str, said: list[str]) -> None:
    assert differences(_inline(source), _inline(other)) == said


@pytest.mark.parametrize(("a", "b", "same"), [
    ("Merchants House Wilkinson Road, Love Lane Industrial Estate, Cirencester GL7 1YG",
     "Merchants House, Love Lane, Cirencester, Gloucestershire GL7 1YT", True),
    ("Merchants House, Love Lane, Cirencester GL7 1YG",
     "660 White Plains Road, Suite 550, Tarrytown, NY 10591", False),
])
def test_same_place(a: str, b: str, same: bool) -> None:
    assert same_place(_inline(a), _inline(b)) is same


def test_pair_up_by_likeness_when_counts_differ() -> None:
    cirencester = _inline("Merchants House, Love Lane, Cirencester GL7 1YG")
    tarrytown = _inline("520 White Plains Road, Tarrytown, NY 10591")
    pairs, missing, extra = pair_up([cirencester], [tarrytown, cirencester])
    assert (pairs, missing, extra) == ([(cirencester, cirencester)], [], [tarrytown])
