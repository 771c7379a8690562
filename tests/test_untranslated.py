"""translation-untranslated: the source's text left in a translation, or another language.

Planted in copies of the faithful Dutch, German and French (which, like the seeds, raise
nothing), and tried on what must pass: short or mixed text, a clause that is only an address,
an e-mail address or names.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DATA, POLICY, REPO, WriteProject
from policytools.checks import run_checks
from policytools.checks.untranslated import LANGUAGES, language
from policytools.config import load_project
from policytools.model import Finding

CODE = "translation-untranslated"


def faithful(root: Path) -> Path:
    """The faithful translations with the real project declaration (its terms)."""
    shutil.copytree(DATA / "faithful" / "locales", root / "locales")
    (root / "policy").mkdir()
    shutil.copy(REPO / "policy" / "policy.yml", root / "policy" / "policy.yml")
    return root


def paragraph(root: Path, locale: str, clause: str, index: int = 0) -> str:
    """The ``index``-th paragraph (not a list item) of a clause of a locale's text."""
    lines = (root / "locales" / locale / "privacy.md").read_text(encoding="utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if line.endswith(f"{{#{clause}}}"))
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")),
               len(lines))
    found = [line for line in lines[start + 1:end] if line and not line.startswith(
        ("- ", "  ", "|", "#"))]
    return found[index]


def plant(root: Path, locale: str, clause: str, text: str, index: int = 0) -> int:
    """Put ``text`` in place of a paragraph; the line it stands on."""
    path = root / "locales" / locale / "privacy.md"
    old = paragraph(root, locale, clause, index)
    body = path.read_text(encoding="utf-8")
    assert body.count(old) == 1
    path.write_text(body.replace(old, text), encoding="utf-8")
    return body[:body.index(old)].count("\n") + 1


def untranslated(root: Path) -> list[Finding]:
    return [f for f in run_checks(load_project(root)) if f.code == CODE]


# (locale, clause, what to put there: (locale and clause of the paragraph to copy, or a text),
#  the language the message names, or 'same')
CAUGHT = [
    pytest.param("nl", "updates", ("en", "updates"), "same", id="nl-the-source-paragraph"),
    pytest.param("de", "security", ("en", "security"), "same", id="de-the-source-paragraph"),
    pytest.param("fr", "children", ("en", "children"), "same", id="fr-the-source-paragraph"),
    pytest.param("nl", "updates", ("en", "security"), "English", id="nl-another-english"),
    pytest.param("de", "updates", ("en", "security"), "English", id="de-another-english"),
    pytest.param("fr", "updates", ("en", "security"), "English", id="fr-another-english"),
    pytest.param("nl", "security", ("de", "security"), "German", id="nl-german-pasted"),
    pytest.param("de", "transfers", ("fr", "transfers"), "French", id="de-french-pasted"),
]


@pytest.mark.parametrize(("locale", "clause", "copied", "reads_as"), CAUGHT)
def test_untranslated_text_is_caught(tmp_path: Path, locale: str, clause: str,
                                     copied: tuple[str, str], reads_as: str) -> None:
    root = faithful(tmp_path)
    line = plant(root, locale, clause, paragraph(root, *copied))
    (found,) = untranslated(root)
    assert (found.locale, found.clause, found.line, found.severity.label) == (
        locale, clause, line, "error")
    name = {"nl": "Dutch", "de": "German", "fr": "French"}[locale]
    how = "is the English text, untranslated" if reads_as == "same" else \
        f"reads as {reads_as}, not {name}"
    assert f": a paragraph or list item of the {name} {how}, from line {line} (‘" in \
        found.message


def test_the_source_with_a_number_changed_is_still_the_source(tmp_path: Path) -> None:
    root = faithful(tmp_path)
    line = plant(root, "fr", "children", paragraph(root, "en", "children").replace("16", "18"))
    assert [f.message for f in untranslated(root)] == [
        f"§9 (children): a paragraph or list item of the French is the English text, "
        f"untranslated, from line {line} (‘Westcon does not knowingly collect information "
        "from or…’): translate it, then run policy confirm fr privacy#children"]


def test_the_source_with_a_word_changed_is_still_the_source(tmp_path: Path) -> None:
    root = faithful(tmp_path)
    english = paragraph(root, "en", "security")
    assert english.count(" important ") == 1
    line = plant(root, "de", "security", english.replace(" important ", " wichtig "))
    (found,) = untranslated(root)
    assert (found.line, found.key.partition(":")[0]) == (line, "same")
    assert "of the German is the English text, untranslated" in found.message


def test_the_message_names_the_language_and_counts_the_units(tmp_path: Path) -> None:
    root = faithful(tmp_path)
    line = plant(root, "de", "updates", paragraph(root, "en", "security"))
    english = paragraph(root, "en", "children")
    plant(root, "de", "personal-data", english, 1)
    assert sorted(f.message for f in untranslated(root)) == [
        f"§12 (updates): a paragraph or list item of the German reads as English, not German, "
        f"from line {line} (‘The security of individuals’ personal information is…’)"
        ": translate it, then run policy confirm de privacy#updates",
        "§2 (personal-data): a paragraph or list item of the German reads as English, not "
        "German, from line 13 (‘Westcon does not knowingly collect information from "
        "or…’): translate it, then run policy confirm de privacy#personal-data"]


def test_a_whole_clause_left_in_english_is_one_finding(tmp_path: Path) -> None:
    root = faithful(tmp_path)
    path = root / "locales/nl/privacy.md"
    dutch, english = (paragraph(root, loc, "personal-data", i) for loc in ("nl", "en")
                      for i in (0,))
    text = path.read_text(encoding="utf-8").replace(dutch, english)
    source = (root / "locales/en/privacy.md").read_text(encoding="utf-8").split("\n")
    for old, new in zip(paragraph_lines(path, "personal-data"), [
            line for line in source if line.startswith("- ")][:6], strict=False):
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    (found,) = untranslated(root)
    # the first paragraph and three items: the other items are too short to judge
    assert found.message.startswith("§2 (personal-data): 4 paragraphs or list items of the "
                                    "Dutch are the English text, untranslated, from line 11")


def test_a_clause_of_short_items_all_left_in_english_is_caught(tmp_path: Path,
                                                               write_project: WriteProject) -> None:
    items = "- your name;\n- your e-mail address;\n- your job title;\n- your employer.\n"
    root = write_project(tmp_path, {
        "locales/en/privacy.md": f"---\ntitle: P\n---\n\n## 1. Data {{#data}}\n\n{items}",
        "locales/nl/privacy.md": f"---\ntitle: P\n---\n\n## 1. Gegevens {{#data}}\n\n{items}",
        "policy/policy.yml": "source_locale: en\ndocuments: [privacy]\n"})
    assert [f.message for f in untranslated(root)] == [
        "§1 (data): 4 paragraphs or list items of the Dutch are the English text, "
        "untranslated, from line 7 (‘your name;’): translate it, then run policy confirm nl "
        "privacy#data"]


def paragraph_lines(path: Path, clause: str) -> list[str]:
    lines = path.read_text(encoding="utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if line.endswith(f"{{#{clause}}}"))
    end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith("## "))
    return [line for line in lines[start:end] if line.startswith("- ")]


def test_faithful_translations_and_the_seeds_raise_nothing(tmp_path: Path) -> None:
    assert untranslated(faithful(tmp_path)) == []
    assert untranslated(REPO) == []


SHORT = {
    "an address only": ("Compliance Officer\\\nMerchants House\\\nCirencester GL7 1YG\\\n"
                        "United Kingdom", None),
    "an e-mail address only": ("privacy-officer@westcon.example.com", None),
    "a web address only": ("https://www.westcon.example.com/privacy/contact-form", None),
    "names only": ("Westcon International, PartnerView, BlueSky, PartnerPortal.", None),
    "a short sentence": ("We use Google Analytics cookies.", None),
    "a table of facts": ("| Purpose | Basis |\n|---|---|\n| Marketing and sales outreach "
                         "to customers | Legitimate interests of the company |", None),
    "mixed Dutch and English": (
        "Ons privacybeleid kan van tijd tot tijd worden gewijzigd en wij publiceren elke "
        "wijziging op deze pagina, zodat u altijd weet waar u aan toe bent. See our policy "
        "changes here.", "Ons beleid kan wijzigen; wij publiceren elke wijziging op deze "
        "pagina, zodat u weet waar u aan toe bent."),
}


@pytest.mark.parametrize("name", SHORT)
def test_facts_names_short_and_mixed_text_pass(tmp_path: Path, write_project: WriteProject,
                                               name: str) -> None:
    english, dutch = SHORT[name]
    root = write_project(tmp_path, {
        "locales/en/privacy.md": f"---\ntitle: P\n---\n\n## 1. A {{#a}}\n\n{english}\n\n"
                                 "## 2. B {#b}\n\nWe keep your personal data safe and we "
                                 "never sell it to anyone.\n",
        "locales/nl/privacy.md": f"---\ntitle: P\n---\n\n## 1. A {{#a}}\n\n{dutch or english}"
                                 "\n\n## 2. B {#b}\n\nWij bewaren uw persoonsgegevens veilig "
                                 "en verkopen ze nooit aan iemand.\n",
        "policy/policy.yml": "source_locale: en\ndocuments: [privacy]\nterms: [Westcon "
                             "International, PartnerView, BlueSky, PartnerPortal, Google "
                             "Analytics, Merchants House, Cirencester]\n"})
    assert untranslated(root) == []


def test_the_language_model_is_loaded_only_for_text_that_looks_foreign(tmp_path: Path) -> None:
    root = faithful(tmp_path)
    probe = ("import sys\nfrom policytools.checks import run_checks\n"
             "from policytools.config import load_project\n"
             f"run_checks(load_project(__import__('pathlib').Path({str(root)!r})))\n"
             "print('py3langid' in sys.modules)\n")

    def loaded() -> str:
        return subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                              check=True, timeout=120).stdout

    assert loaded() == "False\n"
    plant(root, "nl", "security", paragraph(root, "de", "security"))
    assert loaded() == "True\n"


def test_check_reports_it_as_a_real_subprocess(tmp_path: Path) -> None:
    assert POLICY is not None
    root = faithful(tmp_path)
    line = plant(root, "nl", "updates", paragraph(root, "en", "updates"))
    done = subprocess.run([POLICY, "check", "--root", str(root), "--no-cache", "--color",
                           "never"], capture_output=True, text=True, check=False, timeout=120)
    assert (done.returncode, done.stderr) == (1, "")
    assert (f"locales/nl/privacy.md:{line}: error [translation-untranslated] §12 (updates): a "
            "paragraph or list item of the Dutch is the English text, untranslated, from line "
            f"{line} (‘Our privacy policy may change from time to time. We will…’): "
            "translate it, then run policy confirm nl privacy#updates\n") in done.stdout


def test_languages_are_those_of_the_model() -> None:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    model = LanguageIdentifier.from_model_file(MODEL_FILE)
    assert set(model.labels) == LANGUAGES


@pytest.mark.parametrize(("locale", "expected"), [("nl", "nl"), ("pt-BR", "pt"),
                                                  ("zh_Hant", "zh"), ("nb", "no")])
def test_a_locale_names_its_language(locale: str, expected: str) -> None:
    assert language(locale) == expected


def test_an_upgrade_of_the_language_model_invalidates_the_findings_cache() -> None:
    from policytools.cache import _code_files

    assert any(path.parent.name == "py3langid" for path in _code_files())
