"""``policy export`` and ``policy import``: units for a translation agency, there and back."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from translate.storage import po, xliff

from conftest import POLICY, TESTS
from policytools.lock import LOCK_FILE
from policytools.yamlio import load_yaml

if TYPE_CHECKING:
    from conftest import RunCli, WriteProject

BY = "Vertaalbureau <pm@agency.example>"
NS = "{urn:oasis:names:tc:xliff:document:1.2}"
UPDATES_EN = "We will post any privacy policy changes on this page."
UPDATES_NL_NEW = ("Ons privacybeleid kan van tijd tot tijd wijzigen. Wij zullen wijzigingen in "
                  "het privacybeleid eerst op deze pagina publiceren.")
SECURITY_NL = {
    "privacy#security/title": "Beveiliging van gegevens",
    "privacy#security/p1": (
        "De beveiliging van persoonsgegevens is belangrijk voor Westcon en wij zetten ons in "
        "om de gegevens die wij verzamelen te beschermen. Wij hebben passende technische en "
        "organisatorische maatregelen getroffen om de gegevens die u verstrekt of die wij "
        "verzamelen te beschermen tegen onbedoelde, onrechtmatige of ongeoorloofde "
        "vernietiging, verlies, wijziging, toegang, openbaarmaking of gebruik."),
    "privacy#security/p2": (
        "Deze maatregelen omvatten onder meer authenticatie met twee factoren, beheer van "
        "mobiele apparaten, versleuteling bij opslag en overdracht van gegevens en scans op "
        "virussen en malware. Wij gebruiken versleuteling op onze websites waar "
        "persoonsgegevens worden overgedragen. Ons dienstenbedrijf is gecertificeerd volgens "
        "de norm ISO 27001."),
    "privacy#security/p3": (
        "Wij hebben procedures ingesteld om elk vermoeden van een inbreuk op persoonsgegevens "
        "af te handelen en stellen u en elke bevoegde toezichthouder van een inbreuk op de "
        "hoogte wanneer wij daartoe wettelijk verplicht zijn."),
}
POLICY_YML = "source_locale: en\ndocuments: [privacy]\n"
MKDOCS = ("site_name: t\nplugins:\n  - i18n:\n      languages:\n        - locale: en\n"
          "          default: true\n        - locale: nl\n")
MARKUP_EN = """---
title: Privacy
---

## 1. About us {#about-us}

We are *Example Ltd*: see [our terms](https://example.com/terms) and `ID-42`.

- Write to **privacy@example.com** for [your rights](#contact).
- A second item.

| Purpose | Basis |
|---|---|
| Marketing | *Consent* |

## 2. Contact {#contact}

Compliance Officer\\
Example House\\
London SW1A 1AA
"""
MARKUP_NL = MARKUP_EN.replace("title: Privacy", "title: Privacy NL")
MARKUP_NL_DONE = """---
title: Privacy NL
---

## 1. Over ons {#about-us}

Wij zijn *Example Ltd*: zie [onze voorwaarden](https://example.com/terms) en `ID-42`.

- Schrijf naar **privacy@example.com** voor [uw rechten](#contact).
- Een tweede punt.

| Doel | Grondslag |
|---|---|
| Marketing | *Toestemming* |

## 2. Contact {#contact}

Compliance Officer\\
Example House\\
London SW1A 1AA
"""
DUTCH = {
    "privacy#about-us/title": "Over ons",
    "privacy#about-us/p1": "Wij zijn *Example Ltd*: zie [onze voorwaarden]"
                           "(https://example.com/terms) en `ID-42`.",
    "privacy#about-us/l1": "Schrijf naar **privacy@example.com** voor [uw rechten](#contact).",
    "privacy#about-us/l2": "Een tweede punt.",
    "privacy#about-us/t1.r0.c1": "Doel",
    "privacy#about-us/t1.r0.c2": "Grondslag",
    "privacy#about-us/t1.r1.c1": "Marketing",
    "privacy#about-us/t1.r1.c2": "*Toestemming*",
    "privacy#contact/title": "Contact",
    "privacy#contact/p1": "Compliance Officer\\\nExample House\\\nLondon SW1A 1AA",
}


pytestmark = pytest.mark.usefixtures("git_user")


@pytest.fixture
def markup(tmp_path: Path, write_project: WriteProject) -> Path:
    """A small project whose Dutch is still the English text, with every kind of markup."""
    return write_project(tmp_path / "markup", {
        "policy/policy.yml": POLICY_YML, "mkdocs.yml": MKDOCS,
        "locales/en/privacy.md": MARKUP_EN, "locales/nl/privacy.md": MARKUP_NL})


def xliff_units(path: Path) -> dict[str, Any]:
    store: Any = xliff.xlifffile.parsestring(path.read_bytes())
    return {u.xmlelement.get("id"): u for u in store.units}


def fill_xliff(path: Path, targets: dict[str, str], state: str = "translated") -> None:
    """Set targets and states as a CAT tool does, through the Translate Toolkit."""
    store: Any = xliff.xlifffile.parsestring(path.read_bytes())
    for unit in store.units:
        text = targets.get(unit.xmlelement.get("id"))
        if text is not None:
            unit.settarget(text)
            unit.xmlelement.find(f"{NS}target").set("state", state)
    path.write_bytes(bytes(store))


def fill_po(path: Path, targets: dict[str, str]) -> None:
    store: Any = po.pofile(io.BytesIO(path.read_bytes()))
    for unit in store.units:
        text = targets.get(unit.getcontext())
        if text is not None:
            unit.target = text
            unit.markfuzzy(False)
    path.write_bytes(bytes(store))


def stale_updates(run_cli: RunCli, root: Path) -> None:
    """The Dutch updates clause confirmed, then the English edited: it is stale."""
    assert run_cli(["confirm", "nl", "privacy#updates", "--by", "Earlier", "--root",
                    str(root)])[0] == 0
    path = root / "locales/en/privacy.md"
    path.write_text(path.read_text(encoding="utf-8").replace(
        UPDATES_EN, "We will post any privacy policy changes on this page first."),
        encoding="utf-8", newline="\n")


def test_a_stale_clause_goes_out_as_xliff_with_what_changed_and_comes_back_confirmed(
        seeded: Path, tmp_path: Path, run_cli: RunCli) -> None:
    stale_updates(run_cli, seeded)
    out = tmp_path / "nl.xlf"
    assert run_cli(["export", "nl", "--only", "stale", "--output", str(out), "--root",
                    str(seeded)]) == (0, (
        f"policy export: 1 unit of nl (1 stale) in {out}\n"
        "policy export: the Dutch lacks 1 clause (privacy#data-subjects), not exported: add "
        "it to the translation first\n"), "")
    units = xliff_units(out)
    assert list(units) == ["privacy#updates/p1"]  # the title did not change
    p1 = units["privacy#updates/p1"]
    assert p1.source.endswith("changes on this page first.")
    assert p1.target.startswith("Ons privacybeleid")
    assert p1.xmlelement.get("resname") == "privacy#updates/p1"
    assert p1.xmlelement.find(f"{NS}target").get("state") == "needs-review-translation"
    (alt,) = p1.getalttrans()
    assert alt.source == f"Our privacy policy may change from time to time. {UPDATES_EN}"
    assert "state: stale" in p1.getnotes()
    fill_xliff(out, {"privacy#updates/p1": UPDATES_NL_NEW})
    assert run_cli(["import", str(out), "--by", BY, "--root", str(seeded)]) == (0, (
        "policy import: 1 unit of nl imported into 1 file (locales/nl/privacy.md); 1 clause "
        f"confirmed by {BY} in policy/confirmed.yml\n"), "")
    text = (seeded / "locales/nl/privacy.md").read_text(encoding="utf-8")
    assert f"\n{UPDATES_NL_NEW}\n" in text
    report = run_cli(["check", "--root", str(seeded)])[1]
    assert "translation-stale" not in report
    entry = load_yaml(seeded / "policy/confirmed.yml", "c")["confirmed"]["nl"]["privacy"]
    assert entry["updates"]["by"] == BY


def test_an_unconfirmed_clause_goes_out_as_po_and_comes_back_complete(
        seeded: Path, tmp_path: Path, run_cli: RunCli) -> None:
    out = tmp_path / "nl.po"
    code, said, _ = run_cli(["export", "nl", "--format", "po", "--output", str(out),
                             "--root", str(seeded)])
    assert (code, said.splitlines()[0]) == (
        0, f"policy export: 147 units of nl (147 unconfirmed) in {out}")
    store: Any = po.pofile(io.BytesIO(out.read_bytes()))
    assert store.parseheader()["Language"] == "nl"
    security = next(u for u in store.units if u.getcontext() == "privacy#security/p2")
    assert security.isfuzzy()
    assert security.target == ""  # the Dutch has one paragraph where the English has three
    assert security.getlocations() == ["locales/en/privacy.md:166"]
    assert "source-sha256: " in security.getnotes()
    before = run_cli(["check", "--no-baseline", "--root", str(seeded)])[1]
    assert "§10 (security)" in before
    fill_po(out, SECURITY_NL)
    code, said, err = run_cli(["import", str(out), "--root", str(seeded)])
    assert (code, err) == (1, "")
    assert said.splitlines()[-1] == (
        "policy import: 4 units of nl imported into 1 file (locales/nl/privacy.md); 1 clause "
        "confirmed by Test Translator <translator@example.com> in policy/confirmed.yml")
    assert "policy import: 143 units not imported, their targets empty or marked unfinished " \
           "(new, needs-…, fuzzy): privacy#about-us/title, " in said
    text = (seeded / "locales/nl/privacy.md").read_text(encoding="utf-8")
    assert "## 10. Beveiliging van gegevens {#security}\n\n" + "\n\n".join(
        SECURITY_NL[f"privacy#security/p{n}"] for n in (1, 2, 3)) + "\n\n## 11." in text
    after = run_cli(["check", "--no-baseline", "--root", str(seeded)])[1]
    assert "§10 (security)" not in after
    confirmed = load_yaml(seeded / "policy/confirmed.yml", "c")["confirmed"]["nl"]["privacy"]
    assert list(confirmed) == ["security"]


def xliff_schema() -> Any:
    """The official XLIFF 1.2 strict schema (OASIS), its import of xml.xsd read locally."""
    from lxml import etree

    schemas = TESTS / "schemas"
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    text = (schemas / "xliff-core-1.2-strict.xsd").read_bytes().replace(
        b'schemaLocation="http://www.w3.org/2001/xml.xsd"', b'schemaLocation="xml.xsd"')
    return etree.XMLSchema(etree.fromstring(text, parser,
                                            base_url=str(schemas / "xliff-core-1.2-strict.xsd")))


def test_the_xliff_is_valid_against_the_official_schema(seeded: Path, tmp_path: Path,
                                                        run_cli: RunCli) -> None:
    from lxml import etree

    schema = xliff_schema()
    stale_updates(run_cli, seeded)
    out = tmp_path / "nl.xlf"
    run_cli(["export", "nl", "--output", str(out), "--root", str(seeded)])
    tree = etree.parse(str(out))
    assert tree.find(f".//{NS}alt-trans") is not None  # the stale units' previous source
    assert schema.validate(tree), schema.error_log
    shutil.copy(seeded / "locales/en/privacy.md", seeded / "locales/nl/privacy.md")
    run_cli(["export", "nl", "--output", str(out), "--root", str(seeded)])
    assert schema.validate(etree.parse(str(out))), schema.error_log
    broken = out.read_text(encoding="utf-8").replace('state="new"', 'state="done"', 1)
    assert not schema.validate(etree.fromstring(broken.encode()))  # the schema is no rubber stamp


def test_a_copy_of_the_english_is_all_untranslated_with_empty_targets(
        seeded: Path, tmp_path: Path, run_cli: RunCli) -> None:
    shutil.copy(seeded / "locales/en/privacy.md", seeded / "locales/nl/privacy.md")
    out = tmp_path / "nl.xlf"
    assert run_cli(["export", "nl", "--output", str(out), "--root", str(seeded)]) == (
        0, f"policy export: 150 units of nl (150 untranslated) in {out}\n", "")
    units = xliff_units(out)
    assert units["privacy#/title"].source == "Privacy policy"  # the front matter's title
    assert all(u.target == "" for u in units.values())
    assert {u.xmlelement.find(f"{NS}target").get("state") for u in units.values()} == {"new"}


def test_markup_travels_as_markdown_and_imports_exactly(markup: Path, tmp_path: Path,
                                                        run_cli: RunCli) -> None:
    out = tmp_path / "nl.xlf"
    assert run_cli(["export", "nl", "--output", str(out), "--root", str(markup)])[0] == 0
    units = xliff_units(out)
    assert list(units) == list(DUTCH)
    assert units["privacy#contact/p1"].source == \
        "Compliance Officer\\\nExample House\\\nLondon SW1A 1AA"
    assert units["privacy#about-us/p1"].source == \
        "We are *Example Ltd*: see [our terms](https://example.com/terms) and `ID-42`."
    fill_xliff(out, DUTCH, state="final")
    code, said, err = run_cli(["import", str(out), "--by", BY, "--root", str(markup)])
    assert (code, err) == (0, ""), said
    assert (markup / "locales/nl/privacy.md").read_text(encoding="utf-8") == MARKUP_NL_DONE
    assert said == ("policy import: 10 units of nl imported into 1 file (locales/nl/privacy.md);"
                    f" 2 clauses confirmed by {BY} in policy/confirmed.yml\n")


def test_a_target_that_drops_a_link_is_imported_but_its_clause_not_confirmed(
        markup: Path, tmp_path: Path, run_cli: RunCli) -> None:
    out = tmp_path / "nl.xlf"
    run_cli(["export", "nl", "--output", str(out), "--root", str(markup)])
    fill_xliff(out, {**DUTCH, "privacy#about-us/p1": "Wij zijn *Example Ltd*: zie onze "
                     "voorwaarden en `ID-42`."})
    code, said, err = run_cli(["import", str(out), "--by", BY, "--root", str(markup)])
    assert (code, err) == (1, "")
    lines = said.splitlines()
    assert lines[0] == ("policy import: 10 units of nl imported into 1 file "
                        f"(locales/nl/privacy.md); 1 clause confirmed by {BY} in "
                        "policy/confirmed.yml")
    assert lines[1:] == [
        "policy import: privacy#about-us imported but not confirmed: 1 open error, the first: "
        "locales/nl/privacy.md:5: [fact-url] §1 (about-us): the English gives the web address "
        "https://example.com/terms, which the Dutch lacks"]


def cat_tool_copy(path: Path) -> None:
    """What a CAT tool sends back: units reordered, states changed, notes and alt-trans
    added, attributes of its own, CRLF line ends and a byte order mark."""
    from lxml import etree

    tree = etree.fromstring(path.read_bytes())
    body = tree.find(f"{NS}file/{NS}body")
    units = list(body)
    for unit in units:
        body.remove(unit)
    for number, unit in enumerate(reversed(units)):
        target = unit.find(f"{NS}target")
        target.text = DUTCH[unit.get("id")]
        target.set("state", ("translated", "final", "signed-off")[number % 3])
        unit.set("{http://www.sdl.com/Sdl/Xliff/1.0}conf", "Translated")
        unit.set("translate", "yes")
        note = etree.SubElement(unit, f"{NS}note", {"from": "reviewer"})
        note.text = "Checked against the glossary."
        alt = etree.SubElement(unit, f"{NS}alt-trans", {"match-quality": "75"})
        etree.SubElement(alt, f"{NS}source").text = "Something else"
        etree.SubElement(alt, f"{NS}target").text = "Iets anders"
        body.append(unit)
    text = etree.tostring(tree, encoding="unicode", xml_declaration=False)
    data = '<?xml version="1.0" encoding="utf-8"?>\n' + text
    path.write_bytes(b"\xef\xbb\xbf" + data.replace("\n", "\r\n").encode())


def test_a_file_as_a_cat_tool_returns_it_imports(markup: Path, tmp_path: Path,
                                                 run_cli: RunCli) -> None:
    out = tmp_path / "nl.xlf"
    run_cli(["export", "nl", "--output", str(out), "--root", str(markup)])
    cat_tool_copy(out)
    assert out.read_bytes().startswith(b"\xef\xbb\xbf<?xml")
    code, said, err = run_cli(["import", str(out), "--by", BY, "--root", str(markup)])
    assert (code, err) == (0, ""), said
    assert (markup / "locales/nl/privacy.md").read_text(encoding="utf-8") == MARKUP_NL_DONE


def test_a_unit_whose_english_changed_since_export_is_refused_and_the_rest_imported(
        markup: Path, tmp_path: Path, run_cli: RunCli) -> None:
    out = tmp_path / "nl.xlf"
    run_cli(["export", "nl", "--output", str(out), "--root", str(markup)])
    fill_xliff(out, DUTCH)
    line = next(n for n, text in enumerate(out.read_text(encoding="utf-8").splitlines(), 1)
                if 'id="privacy#about-us/l2"' in text)
    english = markup / "locales/en/privacy.md"
    english.write_text(MARKUP_EN.replace("A second item.", "A second, longer item."),
                       encoding="utf-8")
    code, said, err = run_cli(["import", str(out), "--by", BY, "--root", str(markup)])
    assert (code, err) == (1, "")
    assert said.splitlines()[:2] == [
        f"{out}:{line}: unit privacy#about-us/l2: the English text changed since export; "
        "export again",
        "policy import: 9 units of nl imported into 1 file (locales/nl/privacy.md); 1 clause "
        f"confirmed by {BY} in policy/confirmed.yml"]
    text = (markup / "locales/nl/privacy.md").read_text(encoding="utf-8")
    assert "- A second item.\n" in text and "## 1. Over ons {#about-us}" in text


def test_unfinished_targets_are_not_imported(markup: Path, tmp_path: Path,
                                             run_cli: RunCli) -> None:
    out = tmp_path / "nl.xlf"
    run_cli(["export", "nl", "--output", str(out), "--root", str(markup)])
    fill_xliff(out, {"privacy#about-us/title": "Over ons"}, state="needs-review-translation")
    before = (markup / "locales/nl/privacy.md").read_bytes()
    assert run_cli(["import", str(out), "--by", BY, "--root", str(markup)]) == (1, (
        "policy import: 10 units not imported, their targets empty or marked unfinished (new, "
        "needs-…, fuzzy): privacy#about-us/title, privacy#about-us/p1, privacy#about-us/l1, "
        "privacy#about-us/l2, privacy#about-us/t1.r0.c1, …\n"
        "policy import: 0 units of nl imported into 0 files\n"), "")
    assert (markup / "locales/nl/privacy.md").read_bytes() == before
    assert not (markup / "policy/confirmed.yml").exists()


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2"><file original="privacy"
source-language="en" target-language="nl" datatype="plaintext"><body>
<trans-unit id="privacy#about-us/title"><source>About us</source><target>&lol3;</target>
</trans-unit></body></file></xliff>
"""
EXTERNAL = BILLION_LAUGHS.replace(
    BILLION_LAUGHS[BILLION_LAUGHS.index("<!DOCTYPE"):BILLION_LAUGHS.index("]>") + 3],
    '<!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n').replace("&lol3;",
                                                                            "&secret;")


@pytest.mark.parametrize(("name", "content", "message"), [
    ("entities.xlf", BILLION_LAUGHS, "{f}:2: a DOCTYPE or entity declaration is refused: an "
     "exchange file needs none"),
    ("external.xlf", EXTERNAL, "{f}:2: a DOCTYPE or entity declaration is refused: an "
     "exchange file needs none"),
    ("broken.xlf", '<?xml version="1.0"?>\n<xliff version="1.2">\n<file>\n</xliff>\n',
     "{f}:4: not well-formed XML: Opening and ending tag mismatch: file line 3 and xliff"),
    ("broken.po", 'msgid ""\nmsgstr ""\n"Language: nl\\n"\n\nmsgctxt "privacy#about-us/title"\n'
     'msgid "About us\nmsgstr "Over ons"\n', "{f}:6: not a PO file: end-of-line within string"),
    ("prose.po", "Dear translator, please see attached.\n",
     "{f}:1: not a PO file: syntax error"),
    ("xliff2.xlf", '<?xml version="1.0"?>\n<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" '
     'version="2.0"><file id="f"/></xliff>\n',
     "{f}:1: not an XLIFF 1.2 file: save it as XLIFF 1.2, as policy export wrote it"),
    ("control.po", 'msgid ""\nmsgstr ""\n"Language: nl\\n"\n\nmsgctxt "privacy#about-us/title"'
     '\nmsgid "About us"\nmsgstr "Over\x0bons"\n',
     "{f}:7: the control character U+000B (column 13) is refused: no policy text may hold it"),
    ("unknown.po", 'msgid ""\nmsgstr ""\n"Language: nl\\n"\n\nmsgctxt "privacy#nowhere/p1"\n'
     'msgid "About us"\nmsgstr "Over ons"\n',
     "{f}:5: unit privacy#nowhere/p1 is not in locales/en/privacy.md: was this file exported "
     "from this project?"),
    ("other-doc.po", 'msgid ""\nmsgstr ""\n"Language: nl\\n"\n\nmsgctxt "cookies#x/p1"\n'
     'msgid "About us"\nmsgstr "Over ons"\n',
     "{f}:5: unknown unit 'cookies#x/p1': expected <document>#<clause>/<part> of a document "
     "of this project (privacy)"),
    ("german.po", 'msgid ""\nmsgstr ""\n"Language: de\\n"\n\nmsgctxt "privacy#about-us/title"\n'
     'msgid "About us"\nmsgstr "Über uns"\n',
     "{f}: 'de' is not a translation: the project translates into nl"),
    ("english.po", 'msgid ""\nmsgstr ""\n"Language: en\\n"\n',
     "{f}: 'en' is not a translation: the project translates into nl"),
])
def test_bad_files_are_refused_in_one_line_writing_nothing(
        markup: Path, tmp_path: Path, run_cli: RunCli, name: str, content: str,
        message: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8", newline="\n")
    before = files(markup)
    assert run_cli(["import", str(path), "--by", BY, "--root", str(markup)]) == (
        2, "", f"policy: error: {message.format(f=path)}\n")
    assert files(markup) == before


def files(root: Path) -> dict[Path, bytes]:
    """Every file of the project but the lock (empty whenever no command holds it)."""
    return {p: p.read_bytes() for p in root.rglob("*") if p.is_file() and p.name != ".lock"}


def test_the_toolkit_parser_reads_no_external_entity() -> None:
    """It expands internal entities, though (libxml2 caps how far): hence the refusal of
    every DOCTYPE before the file is parsed at all."""
    store: Any = xliff.xlifffile.parsestring(EXTERNAL.encode())
    assert "root:" not in (store.units[0].target or "")


def test_a_50_mb_file_is_refused_unread(markup: Path, tmp_path: Path, run_cli: RunCli) -> None:
    path = tmp_path / "huge.xlf"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    assert run_cli(["import", str(path), "--root", str(markup)]) == (
        2, "", f"policy: error: {path}: cannot read: it holds 50.0 MB, more than the 10 MB the "
        "tools read\n")


def test_a_target_that_breaks_the_structure_writes_nothing(markup: Path, tmp_path: Path,
                                                           run_cli: RunCli) -> None:
    out = tmp_path / "nl.xlf"
    run_cli(["export", "nl", "--output", str(out), "--root", str(markup)])
    fill_xliff(out, {**DUTCH, "privacy#about-us/l2": "Een punt.\n\n## 9. Kop {#kop}"})
    before = (markup / "locales/nl/privacy.md").read_bytes()
    assert run_cli(["import", str(out), "--by", BY, "--root", str(markup)]) == (
        2, "", "policy: error: locales/nl/privacy.md:10: unit privacy#about-us/l2: its target "
        "does not read back as the same unit (a blank line, a heading or a list marker in "
        "it?); nothing was written\n")
    assert (markup / "locales/nl/privacy.md").read_bytes() == before


@pytest.mark.parametrize(("argv", "message"), [
    (["export", "en"], "'en' is not a translation: the project translates into nl"),
    (["export", "nl", "--only", "fresh"],
     "--only 'fresh': choose from stale, untranslated, unconfirmed"),
])
def test_export_usage_errors(markup: Path, run_cli: RunCli, argv: list[str],
                             message: str) -> None:
    assert run_cli([*argv, "--root", str(markup)]) == (2, "", f"policy: error: {message}\n")


def test_import_waits_for_the_lock_then_refuses(markup: Path, tmp_path: Path,
                                                run_cli: RunCli) -> None:
    assert POLICY is not None
    out = tmp_path / "nl.xlf"
    run_cli(["export", "nl", "--output", str(out), "--root", str(markup)])
    fill_xliff(out, DUTCH)
    go = tmp_path / "go"
    env = {**os.environ, "POLICY_PAUSE_AT": "locked", "POLICY_PAUSE_UNTIL": str(go)}
    holder = subprocess.Popen([POLICY, "confirm", "nl", "--by", "Holder", "--accept", "lock",
                               "--root", str(markup)], env=env, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while not Path(f"{go}.paused").exists():
            assert time.monotonic() < deadline
            time.sleep(0.02)
        before = (markup / "locales/nl/privacy.md").read_bytes()
        done = subprocess.run([POLICY, "import", str(out), "--by", BY, "--root", str(markup)],
                              env={**os.environ, "POLICY_LOCK_TIMEOUT": "0.3"}, text=True,
                              capture_output=True, check=False, timeout=60)
        assert (done.returncode, done.stdout, done.stderr) == (2, "", (
            f"policy: error: {LOCK_FILE}: policy/ is locked by another command (process "
            f"{holder.pid}: policy confirm nl); waited 0.3 s: try again once it has "
            "finished\n"))
        assert (markup / "locales/nl/privacy.md").read_bytes() == before
    finally:
        go.touch()
        holder.communicate(timeout=60)
    done = subprocess.run([POLICY, "import", str(out), "--by", BY, "--root", str(markup)],
                          text=True, capture_output=True, check=False, timeout=60)
    assert (done.returncode, done.stderr) == (0, "")
    assert (markup / "locales/nl/privacy.md").read_text(encoding="utf-8") == MARKUP_NL_DONE


def test_po_keeps_markup_and_the_previous_source_as_msgmerge_does(
        seeded: Path, run_cli: RunCli) -> None:
    stale_updates(run_cli, seeded)
    code, text, _ = run_cli(["export", "nl", "--only", "stale", "--format", "po", "--root",
                             str(seeded)])
    assert code == 0
    assert re.search(r'#\| msgid ""\n#\| "Our privacy policy may change from time to time\. '
                     r'We will post any privacy "\n#\| "policy changes on this page\."\n'
                     r'msgctxt "privacy#updates/p1"\n', text)


def test_a_translation_with_windows_line_ends_keeps_them(markup: Path, tmp_path: Path,
                                                         run_cli: RunCli) -> None:
    dutch = markup / "locales/nl/privacy.md"
    dutch.write_bytes(MARKUP_NL.replace("\n", "\r\n").encode())
    out = tmp_path / "nl.po"
    run_cli(["export", "nl", "--format", "po", "--output", str(out), "--root", str(markup)])
    fill_po(out, DUTCH)
    code, said, err = run_cli(["import", str(out), "--by", BY, "--root", str(markup)])
    assert (code, err) == (0, ""), said
    assert dutch.read_bytes() == MARKUP_NL_DONE.replace("\n", "\r\n").encode()


@pytest.mark.parametrize("locale", ["en", "nl"])
def test_units_are_the_paragraphs_and_items_the_checks_read(seeds_root: Path,
                                                            locale: str) -> None:
    from policytools.exchange import normalized, plain, segments
    from policytools.parse import parse_document

    text = normalized((seeds_root / f"locales/{locale}/privacy.md").read_text(encoding="utf-8"))
    doc = parse_document(text, "privacy", locale, "x")
    found = segments(text, doc)
    assert list(found) == ["", *(c.id for c in doc.clauses)]
    assert [(u.id, u.text) for u in found[""]] == [("/title", doc.title)]
    for clause_id, units in list(found.items())[1:]:
        clause = doc.clause(clause_id)
        assert clause is not None
        for unit in units:
            if unit.kind in ("paragraph", "item") and not re.search(r"[*_`\[<]", unit.text):
                assert plain(clause, unit) == unit.text.replace("\\\n", "\n").strip(), unit.id


def test_a_translation_edited_since_its_confirmation_goes_out_whole(
        seeded: Path, tmp_path: Path, run_cli: RunCli) -> None:
    assert run_cli(["confirm", "nl", "privacy#updates", "--by", "Earlier", "--root",
                    str(seeded)])[0] == 0
    dutch = seeded / "locales/nl/privacy.md"
    dutch.write_text(dutch.read_text(encoding="utf-8").replace(
        "op deze pagina publiceren.", "hier publiceren."), encoding="utf-8", newline="\n")
    out = tmp_path / "nl.xlf"
    run_cli(["export", "nl", "--only", "stale", "--output", str(out), "--root", str(seeded)])
    units = xliff_units(out)
    assert list(units) == ["privacy#updates/title", "privacy#updates/p1"]
    assert units["privacy#updates/p1"].target.endswith("hier publiceren.")
    assert all(u.getalttrans() == [] for u in units.values())  # the English did not change


@pytest.mark.parametrize(("target", "added"), [
    ("Een tweede punt.<script>alert(1)</script>", "<script>"),
    ("Een <img src=x onerror=alert(1)> punt.", "<img>"),
    ("Een [punt](javascript:alert(1)).", "javascript:"),
    ("Een [punt]( DATA:text/html,x).", "DATA:"),
    ("Een [punt](java&#x09;script:alert(1)).", "java&#x09;script:"),  # as policy check judges
    ("Een punt.<!-- verborgen -->", "<!-- verborgen -->"),
])
def test_a_target_adding_html_or_a_script_link_is_refused(
        markup: Path, tmp_path: Path, run_cli: RunCli, target: str, added: str) -> None:
    out = tmp_path / "nl.xlf"
    run_cli(["export", "nl", "--output", str(out), "--root", str(markup)])
    fill_xliff(out, {**DUTCH, "privacy#about-us/l2": target})
    line = next(n for n, text in enumerate(out.read_text(encoding="utf-8").splitlines(), 1)
                if 'id="privacy#about-us/l2"' in text)
    code, said, err = run_cli(["import", str(out), "--by", BY, "--root", str(markup)])
    assert (code, err) == (1, "")
    assert said.splitlines()[0] == (
        f"{out}:{line}: unit privacy#about-us/l2: not imported: the target adds {added}, which "
        "its source does not have: remove it")
    text = (markup / "locales/nl/privacy.md").read_text(encoding="utf-8")
    assert "- A second item.\n" in text and "alert" not in text


def test_the_document_title_goes_out_while_it_is_the_english_and_comes_back_quoted(
        markup: Path, tmp_path: Path, run_cli: RunCli) -> None:
    dutch = markup / "locales/nl/privacy.md"
    dutch.write_text(MARKUP_EN, encoding="utf-8")
    out = tmp_path / "nl.po"
    run_cli(["export", "nl", "--format", "po", "--output", str(out), "--root", str(markup)])
    title = 'Privacy: "beleid" #1'
    fill_po(out, {**DUTCH, "privacy#/title": title})
    code, said, err = run_cli(["import", str(out), "--by", BY, "--root", str(markup)])
    assert (code, err) == (0, ""), said
    assert dutch.read_text(encoding="utf-8") == MARKUP_NL_DONE.replace(
        "title: Privacy NL", 'title: "Privacy: \\"beleid\\" #1"')
    from policytools.parse import read_title

    assert read_title(dutch, "nl") == title


def test_without_a_name_for_the_confirmation_nothing_is_written(
        markup: Path, tmp_path: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "nl.xlf"
    run_cli(["export", "nl", "--output", str(out), "--root", str(markup)])
    fill_xliff(out, DUTCH)
    empty = tmp_path / "empty-gitconfig"
    empty.write_text("", encoding="utf-8")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(empty))
    before = files(markup)
    assert run_cli(["import", str(out), "--root", str(markup)]) == (
        2, "", "policy: error: who confirms? git has no user.name here: pass --by NAME (e.g. "
        "--by \"Jane Doe <jane@example.com>\")\n")
    assert files(markup) == before
