"""Completeness: paragraphs, sentences and length of a translated clause against its source.

The mini policy is five real clauses of the English policy with a faithful Dutch translation
(Dutch runs some 10-20% longer); each case changes one Dutch clause.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from policytools.checks import run_checks
from policytools.checks.completeness import sentences
from policytools.config import load_project
from policytools.model import Finding

POLICY = "source_locale: en\nlocales:\n  'en': English\n  'nl': Dutch\ndocuments:\n  - privacy\n"

EN: dict[str, tuple[str, list[str]]] = {
    "tracking": ("Tracking", [
        "We may not respond to web browser “do not track” signals. If you would like additional "
        "information about online tracking and various opt-out mechanisms, please see "
        "https://allaboutdnt.com/."]),
    "transfers": ("Cross-border transfers of personal data", [
        "In some cases, personal information that we manage may be transferred, processed and "
        "stored outside of your country of residence, including but not limited to the United "
        "States and the United Kingdom. Therefore, your personal information may be available "
        "to government authorities under lawful orders for disclosure and laws applicable in "
        "such foreign jurisdictions. Countries to which your personal information is "
        "transferred may not have the same data protection laws as the country of residence. "
        "When we transfer your information to other countries, we will protect it as set out "
        "in this global privacy policy."]),
    "security": ("Security of data", [
        "The security of individuals’ personal information is important to Westcon and we are "
        "committed to protecting the information we collect. We have put in place appropriate "
        "technical and organisational measures to protect the information you provide, or we "
        "collect against accidental, unlawful or unauthorised destruction, loss, alteration, "
        "access, disclosure or use.",
        "Such measures include but are not limited to two-factor authentication, mobile device "
        "management, encryption for storage and transfer of data and virus and malware "
        "scanning. We use encryption on our websites where a transfer of personal information "
        "takes place.",
        "We have put in place procedures to deal with any suspected personal data breach and "
        "will notify you and any applicable regulator of a breach where we are legally "
        "required to do so."]),
    "children": ("Collection of personal information from children", [
        "Westcon does not knowingly collect information from or about children and we do not "
        "knowingly market our products and services to children. No one under the age of 13 "
        "should submit any personal information to Westcon, through our website or any other "
        "means."]),
    "updates": ("Updates to our global privacy policy", [
        "Our privacy policy may change from time to time. We will post any privacy policy "
        "changes on this page."]),
}

NL: dict[str, tuple[str, list[str]]] = {
    "tracking": ("Online volgen", [
        "Wij reageren mogelijk niet op ‘do not track’-signalen van webbrowsers. Als u meer "
        "informatie wenst over online tracking en de verschillende mechanismen om u hiervoor "
        "af te melden, raadpleeg dan https://allaboutdnt.com/."]),
    "transfers": ("Grensoverschrijdende doorgifte van persoonsgegevens", [
        "In sommige gevallen kunnen persoonsgegevens die wij beheren worden doorgegeven naar, "
        "verwerkt in en opgeslagen in landen buiten uw land van verblijf, waaronder maar niet "
        "beperkt tot de Verenigde Staten en het Verenigd Koninkrijk. Uw persoonsgegevens "
        "kunnen daardoor toegankelijk zijn voor overheidsinstanties op grond van rechtmatige "
        "bevelen tot verstrekking en de wetgeving die in die buitenlandse rechtsgebieden van "
        "toepassing is. Landen waarnaar uw persoonsgegevens worden doorgegeven, hebben "
        "mogelijk niet dezelfde wetgeving inzake gegevensbescherming als het land van "
        "verblijf. Wanneer wij uw gegevens naar andere landen doorgeven, beschermen wij deze "
        "zoals beschreven in dit wereldwijde privacybeleid."]),
    "security": ("Beveiliging van gegevens", [
        "De beveiliging van de persoonsgegevens van personen is belangrijk voor Westcon en wij "
        "zetten ons in om de gegevens die wij verzamelen te beschermen. Wij hebben passende "
        "technische en organisatorische maatregelen getroffen om de gegevens die u verstrekt of "
        "die wij verzamelen te beschermen tegen onopzettelijke, onrechtmatige of ongeoorloofde "
        "vernietiging, verlies, wijziging, toegang, openbaarmaking of gebruik.",
        "Deze maatregelen omvatten onder meer, maar niet uitsluitend, tweefactorauthenticatie, "
        "beheer van mobiele apparaten, versleuteling voor de opslag en overdracht van gegevens "
        "en scans op virussen en malware. Wij maken op onze websites gebruik van versleuteling "
        "wanneer er persoonsgegevens worden overgedragen.",
        "Wij hebben procedures ingesteld om te reageren op elk vermoedelijk datalek met "
        "betrekking tot persoonsgegevens en wij stellen u en elke betrokken toezichthouder in "
        "kennis van een datalek wanneer wij daartoe wettelijk verplicht zijn."]),
    "children": ("Verzamelen van persoonsgegevens van kinderen", [
        "Westcon verzamelt niet bewust gegevens van of over kinderen en wij richten de "
        "marketing van onze producten en diensten niet bewust op kinderen. Niemand jonger dan "
        "13 jaar mag persoonsgegevens aan Westcon verstrekken, via onze website of op enige "
        "andere wijze."]),
    "updates": ("Wijzigingen in ons wereldwijde privacybeleid", [
        "Ons privacybeleid kan van tijd tot tijd worden gewijzigd. Wij publiceren alle "
        "wijzigingen in het privacybeleid op deze pagina."]),
}


def _doc(clauses: dict[str, tuple[str, list[str]]]) -> str:
    text = "---\ntitle: Privacy\n---\n"
    for number, (cid, (title, paragraphs)) in enumerate(clauses.items(), 1):
        text += f"\n## {number}. {title} {{#{cid}}}\n\n" + "\n\n".join(paragraphs) + "\n"
    return text


def _drift(found: list[Finding]) -> list[Finding]:
    """Findings about drift: whether a clause was confirmed (translation-*) is another story."""
    return [f for f in found if not f.code.startswith("translation-")]


def _check(root: Path, nl: dict[str, tuple[str, list[str]]]) -> list[Finding]:
    for rel, text in (("policy/policy.yml", POLICY), ("locales/en/privacy.md", _doc(EN)),
                      ("locales/nl/privacy.md", _doc(nl))):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return _drift(run_checks(load_project(root)))


def _with(cid: str, *paragraphs: str) -> dict[str, tuple[str, list[str]]]:
    """The faithful Dutch with clause ``cid`` replaced by ``paragraphs``."""
    return {**NL, cid: (NL[cid][0], list(paragraphs))}


def _lengths(cid: str) -> tuple[int, int]:
    return len("\n".join(EN[cid][1])), len("\n".join(NL[cid][1]))


def test_faithful_translation_passes_though_longer(tmp_path: Path) -> None:
    ratios = [b / a for a, b in map(_lengths, EN)]
    assert all(1.0 < r < 1.25 for r in ratios)  # the premise: Dutch runs longer
    assert _check(tmp_path, NL) == []


def test_a_clause_somewhat_longer_than_the_rest_passes(tmp_path: Path) -> None:
    padded = NL["children"][1][0] + " Wij verwijderen dergelijke gegevens zo snel mogelijk."
    assert _check(tmp_path, _with("children", padded)) == []


def test_paragraph_left_out(tmp_path: Path) -> None:
    found = _check(tmp_path, _with("security", *NL["security"][1][:2]))
    assert [(f.code, f.clause, f.line) for f in found] == [
        ("paragraphs-missing", "security", 13)]
    assert found[0].message == ("§3 (security) has 2 paragraphs where the English has 3: a "
                                "paragraph may be left untranslated")
    assert (found[0].source, found[0].translation) == ("3", "2")


@pytest.mark.parametrize(("cid", "paragraphs", "expected"), [
    pytest.param("updates", ["Ons privacybeleid kan van tijd tot tijd worden gewijzigd."],
                 [("sentences-missing", "updates", 27, "paragraph 1 of §5 (updates) has 1 "
                   "sentence where the English has 2, and is shorter than expected: a "
                   "sentence may be left out")], id="second-of-two"),
    pytest.param("security", [
        NL["security"][1][0],
        "Wij maken op onze websites gebruik van versleuteling wanneer er persoonsgegevens "
        "worden overgedragen.",
        NL["security"][1][2]],
                 [("sentences-missing", "security", 17, "paragraph 2 of §3 (security) has 1 "
                   "sentence where the English has 2, and is shorter than expected: a "
                   "sentence may be left out")], id="first-of-two-in-paragraph-2"),
])
def test_sentence_left_out(tmp_path: Path, cid: str, paragraphs: list[str],
                           expected: list[tuple[str, str, int, str]]) -> None:
    found = _check(tmp_path, _with(cid, *paragraphs))
    assert [(f.code, f.clause, f.line, f.message) for f in found] == expected


def test_sentences_joined_into_one_pass(tmp_path: Path) -> None:
    joined = ("Ons privacybeleid kan van tijd tot tijd worden gewijzigd en wij publiceren alle "
              "wijzigingen in het privacybeleid op deze pagina.")
    assert _check(tmp_path, _with("updates", joined)) == []


def test_clause_far_shorter_than_the_median_ratio(tmp_path: Path) -> None:
    summary = ("Uw gegevens kunnen naar het buitenland gaan. Daar gelden andere wetten. "
               "Overheden kunnen ze opvragen. Wij beschermen ze.")
    found = _check(tmp_path, _with("transfers", summary))
    assert [(f.code, f.clause, f.line) for f in found] == [("length-outlier", "transfers", 9)]
    s_len, t_len = len(EN["transfers"][1][0]), len(summary)
    assert found[0].message == (
        f"§2 (transfers) is 5.5 times shorter than the rest of the Dutch suggests ({t_len} "
        f"characters for {s_len} in the English): check that it translates all of its source")
    assert found[0].key == "shorter"


def test_clause_far_longer_than_the_median_ratio(tmp_path: Path) -> None:
    extra = ("Deze alinea staat niet in de Engelse tekst en legt uitgebreid uit hoe wij met "
             "verzoeken van kinderen, ouders en voogden omgaan, welke termijnen daarbij gelden "
             "en hoe u ons kunt bereiken wanneer u denkt dat wij toch gegevens van een kind "
             "hebben ontvangen.")
    found = _check(tmp_path, _with("children", NL["children"][1][0], extra))
    assert [(f.code, f.clause) for f in found] == [("length-outlier", "children")]
    assert " times longer than the rest of the Dutch suggests " in found[0].message


def test_headings_copied_with_one_clause_translated_reports_the_empty_ones(
        tmp_path: Path) -> None:
    # the empty clauses once made the expected length ratio zero: a ZeroDivisionError
    nl = {cid: (title, []) for cid, (title, _) in NL.items()}
    nl["transfers"] = NL["transfers"]
    found = _check(tmp_path, nl)
    assert sorted((f.code, f.clause) for f in found if f.code.startswith("paragraphs")) == [
        ("paragraphs-missing", cid) for cid in sorted(NL) if cid != "transfers"]


@pytest.mark.parametrize(("text", "count"), [
    ("Westcon International Ltd. is the controller. It is registered in England.", 2),
    ("Westcon Group, Inc. Legal Department. Tarrytown.", 2),
    ("We use tools, e.g. Google Analytics. They count visits.", 2),
    ("We use tools, i.e. Google Analytics. They count visits.", 2),
    ("Zie bijv. Google Analytics. Dat telt bezoeken.", 2),
    ("Zie o.a. Google Analytics. Dat telt bezoeken.", 2),
    ("Zie art. 5 AVG. Dat is de wet.", 2),
    ("Zie nr. 5 van de lijst. Dat is alles.", 2),
    ("Our address is in the U.K. and nowhere else.", 1),
    ("One. Two! Three? Four.", 4),
    ("“Quoted.” Then more.", 2),
    ("See https://allaboutdnt.com/. Then stop.", 2),
    ("", 0),
])
def test_sentences(text: str, count: int) -> None:
    assert sentences(text) == count
