"""``policy add-locale`` and ``policy add-document``, run as real processes on repo copies.

A new locale holds the source's working texts and words, which ``policy check`` reports as
untranslated (so ``policy release`` refuses them) until a translator has translated them;
once translated, the new locale builds with a real ``mkdocs build --strict``. A new document
is declared last, so a process killed mid-way leaves files ``policy check`` names.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from conftest import DATA, POLICY, REPO
from policytools.site_strings import PLACEHOLDERS, STATUS_KEYS
from site_helpers import build, copy_project, read

SCAFFOLD_DE = DATA / "scaffold-de"
DOCUMENTS = ("privacy", "cookies")  # the repository's documents
I18N_NL = "        - locale: nl\n          name: Nederlands\n          build: true\n"
GERMAN = "        - locale: de\n          name: Deutsch\n          build: true\n"
TODAY = dt.date.today().isoformat()


def policy(root: Path, *argv: str, **env: str) -> subprocess.CompletedProcess[str]:
    """The installed ``policy`` command on the project in ``root``."""
    assert POLICY is not None
    environ = {**os.environ, "NO_COLOR": "1", **env}
    return subprocess.run([POLICY, *argv, "--root", str(root)], capture_output=True, text=True,
                          timeout=120, check=False, env=environ)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The repository's site sources, ledger and archive included."""
    return copy_project(tmp_path / "repo")


def tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` with its bytes (the lock file aside: it is never removed)."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and p.name != ".lock"}


def findings(root: Path) -> list[dict[str, object]]:
    done = policy(root, "check", "--format", "json", "--no-cache")
    found: list[dict[str, object]] = json.loads(done.stdout)["findings"]
    return found


# --- add-locale -------------------------------------------------------------------------------


def test_add_locale_copies_the_source_texts_and_declares_the_locale_last(repo: Path) -> None:
    before = (repo / "mkdocs.yml").read_text(encoding="utf-8")
    done = policy(repo, "add-locale", "de")
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == ("policy add-locale: added de (Deutsch): locales/de/ holds "
                           "privacy.md, cookies.md, site.yml, each still in English, and "
                           "mkdocs.yml declares it; translate them, then run policy check to "
                           "see what is left\n")
    for document in DOCUMENTS:
        assert (repo / f"locales/de/{document}.md").read_bytes() == \
            (repo / f"locales/en/{document}.md").read_bytes()
    assert (repo / "mkdocs.yml").read_text(encoding="utf-8") == \
        before.replace(I18N_NL, I18N_NL + GERMAN)
    assert not [p.name for p in (repo / "locales").iterdir() if p.name.startswith(".")]


def test_site_strings_hold_every_key_in_the_source_words_but_cldrs(repo: Path) -> None:
    assert policy(repo, "add-locale", "de").returncode == 0
    text = (repo / "locales/de/site.yml").read_text(encoding="utf-8")
    german = YAML(typ="safe").load(text)
    english = YAML(typ="safe").load((repo / "locales/en/site.yml").read_text(encoding="utf-8"))
    assert set(german) == {*PLACEHOLDERS, "status"}
    assert set(german["status"]) == set(STATUS_KEYS)
    assert german["status"]["and"] == "und"  # CLDR's word, not an invented one
    assert {k: v for k, v in german["status"].items() if k != "and"} == \
        {k: v for k, v in english["status"].items() if k != "and"}
    assert {k: v for k, v in german.items() if k != "status"} == \
        {k: v for k, v in english.items() if k != "status"}
    assert text.count("# translate\n") == len(PLACEHOLDERS) + len(STATUS_KEYS) - 1
    assert "  and: und # from CLDR (Babel)\n" in text


def test_check_reports_every_scaffolded_clause_and_word_and_release_refuses(
        repo: Path) -> None:
    assert policy(repo, "add-locale", "de").returncode == 0
    found = [f for f in findings(repo) if f["locale"] == "de" and f["severity"] == "error"]
    untranslated = {(f["document"], f["clause"]) for f in found
                    if f["code"] == "translation-untranslated"}
    from policytools.parse import parse_document

    every = set()
    for document in DOCUMENTS:
        path = repo / f"locales/en/{document}.md"
        doc = parse_document(path.read_text(encoding="utf-8"), document, "en", str(path))
        every |= {(document, c.id) for c in doc.clauses}
    assert untranslated == every
    words = [f for f in found if f["code"] == "site-strings-untranslated"]
    assert len(words) == len(PLACEHOLDERS) + len(STATUS_KEYS) - 1
    assert words[1]["message"] == (
        "locales/de/site.yml: 'home' is still the English text ‘Home’: translate it (if the "
        "German writes it alike, accept this finding in the baseline with that reason)")
    assert words[1]["line"] == 5
    # and the English 'section 7' and 'section 3' of copied clauses, numbers to the German (its
    # reference words are 'Abschnitt'…): the copy is untranslated there anyway
    assert {f["code"] for f in found} == {"translation-untranslated",
                                          "site-strings-untranslated", "fact-number"}
    assert [f["message"] for f in found if f["code"] == "fact-number"] == [
        "§1 (about): the German gives the number 7, which the English does not have",
        "§4 (usage-information): the German gives the number 3, which the English does not "
        "have"]
    done = policy(repo, "release", "--material", "--effective", TODAY,
                  "--summary", "de=Erste Veröffentlichung.")
    assert done.returncode == 2
    assert done.stderr.startswith(f"policy: error: policy check reports {len(found)} new "
                                  "errors (first: locales/de/cookies.md:7: [fact-number] §1 "
                                  "(about): the German gives the number 7, which the English "
                                  "does not have); fix them")
    assert done.stderr.endswith("; fix them, or release anyway with --allow-drift "
                                "\"reason\"\n")


def test_translated_german_builds_with_its_own_words(repo: Path) -> None:
    assert policy(repo, "add-locale", "de").returncode == 0
    german = repo / "locales/de"
    shutil.copy(SCAFFOLD_DE / "site.yml", german / "site.yml")
    shutil.copy(SCAFFOLD_DE / "cookies.md", german / "cookies.md")
    faithful = (DATA / "faithful/locales/de/privacy.md").read_text(encoding="utf-8")
    # the faithful fixture predates the corrected postcode of the English contact clause
    (german / "privacy.md").write_text(faithful.replace("Gloucestershire GL7 1YG\\\n",
                                                        "Gloucestershire GL7 1YT\\\n"),
                                       encoding="utf-8")
    check = policy(repo, "check", "--no-cache")
    assert (check.returncode, check.stdout.count("locales/de/")) == (0, 2), check.stdout
    assert " error [" not in check.stdout
    confirmed = policy(repo, "confirm", "de", "--by", "Anna Schmidt")
    assert confirmed.returncode == 0, confirmed.stderr
    done = policy(repo, "release", "--material", "--effective", TODAY,
                  "--summary", "de=Erste Veröffentlichung auf Deutsch.")
    assert done.returncode == 0, done.stderr
    out = build(repo, repo.parent / "site", TODAY)
    page = read(out, "/de/cookies/")
    assert '<html lang="de"' in page
    assert "<title>Cookie-Richtlinie - Westcon Datenschutzcenter</title>" in page
    assert "So erreichen Sie uns" in page
    assert "Erste Veröffentlichung auf Deutsch." in read(out, "/de/updates/")
    assert "Westcon privacy centre" not in read(out, "/de/privacy/")


def test_a_regional_locale_gets_its_languages_theme_words_and_builds(repo: Path) -> None:
    done = policy(repo, "add-locale", "de-CH")
    assert done.returncode == 0, done.stderr
    assert "added de-CH (Deutsch (Schweiz))" in done.stdout
    assert done.stdout.endswith(
        "policy add-locale: site_overrides/partials/languages/de-CH.html lends de-CH Material's "
        "words for de (search, navigation): Material has none for de-CH\n")
    assert "        - locale: de-CH\n          name: Deutsch (Schweiz)\n          build: true\n" \
           "  - policy\n" in (repo / "mkdocs.yml").read_text(encoding="utf-8")
    done = policy(repo, "add-locale", "pt-BR", "--name", "Português (Brasil)")
    assert done.returncode == 0, done.stderr
    assert "        - locale: pt-BR\n          name: Português (Brasil)\n          build: " \
           "true\n  - policy\n" in (repo / "mkdocs.yml").read_text(encoding="utf-8")
    out = build(repo, repo.parent / "site", TODAY)
    swiss = read(out, "/de-CH/privacy/")
    assert '<html lang="de-CH"' in swiss
    assert 'placeholder="Suche"' in swiss  # Material's German words
    assert '<html lang="pt"' in read(out, "/pt-BR/privacy/")  # as Material's pt-BR says


@pytest.mark.parametrize(("code", "message"), [
    ("de_CH", "'de_CH' is not a valid BCP 47 language tag: write 'de-CH'"),
    ("xx", "'xx' is not a valid BCP 47 language tag (like 'de', 'de-CH', 'pt-BR')"),
    ("<script>", "'<script>' is not a valid BCP 47 language tag (like 'de', 'de-CH', "
                 "'pt-BR')"),
    ("de-ch", "'de-ch' is a language tag the site's i18n plugin (mkdocs-static-i18n) cannot "
              "serve: write 'de-CH'"),
    ("DE", "'DE' is a language tag the site's i18n plugin (mkdocs-static-i18n) cannot serve: "
           "write 'de'"),
    ("es-419", "'es-419' is a language tag the site's i18n plugin (mkdocs-static-i18n) cannot "
               "serve: it takes a two-letter language, then an optional script and region, "
               "like 'de', 'de-CH' or 'pt-BR'"),
    ("ga", "Material for MkDocs has no words for 'ga' (search, navigation, the language "
           "switcher): the site cannot be built in it"),
    ("nl", "locale 'nl' is already declared in the i18n block of mkdocs.yml"),
    ("en", "locale 'en' is already declared in the i18n block of mkdocs.yml"),
])
def test_add_locale_refuses_a_code_it_cannot_serve(repo: Path, code: str,
                                                   message: str) -> None:
    before = tree(repo)
    done = policy(repo, "add-locale", code)
    assert (done.returncode, done.stdout, done.stderr) == (2, "", f"policy: error: {message}\n")
    assert tree(repo) == before


def test_add_locale_refuses_a_name_with_a_control_character(repo: Path) -> None:
    done = policy(repo, "add-locale", "de", "--name", "Deutsch\x0b")
    assert (done.returncode, done.stderr) == (
        2, "policy: error: --name holds the control character U+000B (column 8): remove it\n")


def test_add_locale_keeps_mkdocs_tags_and_comments_byte_for_byte(repo: Path) -> None:
    path = repo / "mkdocs.yml"
    tagged = path.read_text(encoding="utf-8").replace(
        "markdown_extensions:\n",
        "markdown_extensions:\n  - pymdownx.emoji:   # emoji, as Material documents it\n"
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
        "      emoji_generator: !!python/name:material.extensions.emoji.to_svg\n")
    path.write_text(tagged, encoding="utf-8")
    assert policy(repo, "add-locale", "de").returncode == 0
    assert path.read_text(encoding="utf-8") == tagged.replace(I18N_NL, I18N_NL + GERMAN)


def test_add_locale_refuses_to_reformat_mkdocs_yml(repo: Path) -> None:
    path = repo / "mkdocs.yml"
    text = path.read_text(encoding="utf-8").replace("  - search\n", "  -   search\n")
    path.write_text(text, encoding="utf-8")
    before = tree(repo)
    done = policy(repo, "add-locale", "de")
    assert (done.returncode, done.stderr) == (
        2, "policy: error: mkdocs.yml: refused to write: adding the entry would rewrite other "
           "lines of the file (its indentation?); add it by hand\n")
    assert tree(repo) == before


def test_a_kill_before_mkdocs_yml_leaves_a_folder_check_names(repo: Path) -> None:
    before = (repo / "mkdocs.yml").read_bytes()
    done = policy(repo, "add-locale", "de", POLICY_FAULT_AT="locale files")
    assert done.returncode == -signal.SIGKILL
    assert (repo / "mkdocs.yml").read_bytes() == before
    assert [p.name for p in repo.rglob("*.tmp")] == []
    check = policy(repo, "check", "--no-cache")
    assert check.returncode == 1
    assert "locales/de/: error [locale-undeclared] locales/de/ is not a declared locale: " \
           "declare 'de' in the i18n block of mkdocs.yml, or remove the folder\n" in check.stdout
    again = policy(repo, "add-locale", "de")
    assert (again.returncode, again.stderr) == (
        2, "policy: error: locales/de/ already exists but 'de' is not declared in mkdocs.yml "
           "(an interrupted policy add-locale leaves it so): remove the folder and run again, "
           "or declare it\n")
    shutil.rmtree(repo / "locales/de")
    assert policy(repo, "add-locale", "de").returncode == 0


def test_a_kill_while_staging_leaves_nothing_declared_and_a_rerun_works(repo: Path) -> None:
    before = tree(repo)
    done = policy(repo, "add-locale", "de", POLICY_FAULT_AT="staging")
    assert done.returncode == -signal.SIGKILL
    left = {name for name in tree(repo) if name not in before}
    assert left == {"locales/.add-locale-de/privacy.md"}
    assert policy(repo, "check", "--no-cache").returncode == 0
    again = policy(repo, "add-locale", "de")
    assert again.returncode == 0, again.stderr
    assert not (repo / "locales/.add-locale-de").exists()


# --- add-document ----------------------------------------------------------------------------


def test_add_document_declares_it_and_writes_every_locale(repo: Path) -> None:
    config = (repo / "policy/policy.yml").read_text(encoding="utf-8")
    done = policy(repo, "add-document", "terms", "--title", "en=Terms of use")
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == (
        "policy add-document: declared terms in policy/policy.yml and wrote "
        "locales/en/terms.md, locales/nl/terms.md: write its clauses in English, then "
        "translate them; policy check lists what is left\n"
        "policy add-document: nl has the English title ‘Terms of use’: translate it in the "
        "front matter\n")
    assert (repo / "policy/policy.yml").read_text(encoding="utf-8") == config.replace(
        "  - cookies\n", "  - cookies\n  - terms\n")
    skeleton = ("---\ntitle: Terms of use\n---\n\n## 1. Introduction {#introduction}\n\n"
                "Replace this paragraph with the text of the first clause, then add the "
                "clauses that follow, each under its own numbered heading with an id.\n")
    assert (repo / "locales/en/terms.md").read_text(encoding="utf-8") == skeleton
    assert (repo / "locales/nl/terms.md").read_text(encoding="utf-8") == skeleton
    found = [f for f in findings(repo) if f["document"] == "terms"]
    assert [(f["locale"], f["code"], f["clause"]) for f in found] == [
        ("nl", "translation-unconfirmed", "introduction"),
        ("nl", "translation-untranslated", "introduction")]


def test_a_released_new_document_is_on_the_site_with_no_other_edit(repo: Path) -> None:
    done = policy(repo, "add-document", "terms", "--title", "en=Terms of use",
                  "--title", "nl=Gebruiksvoorwaarden")
    assert done.returncode == 0, done.stderr
    (repo / "locales/en/terms.md").write_text(
        "---\ntitle: Terms of use\n---\n\n## 1. Use of our websites {#use}\n\n"
        "You may use our websites only for lawful purposes and in line with these terms.\n",
        encoding="utf-8")
    (repo / "locales/nl/terms.md").write_text(
        "---\ntitle: Gebruiksvoorwaarden\n---\n\n## 1. Gebruik van onze websites {#use}\n\n"
        "U mag onze websites alleen gebruiken voor wettige doeleinden en in overeenstemming "
        "met deze voorwaarden.\n", encoding="utf-8")
    assert policy(repo, "confirm", "nl", "terms", "--by", "Anna de Vries").returncode == 0
    done = policy(repo, "release", "--material", "--effective", TODAY,
                  "--summary", "en=First publication of our terms of use.",
                  "--summary", "nl=Eerste publicatie van onze gebruiksvoorwaarden.")
    assert done.returncode == 0, done.stderr
    out = build(repo, repo.parent / "site", TODAY)
    assert "<title>Terms of use - Westcon privacy centre</title>" in read(out, "/terms/")
    assert "<title>Gebruiksvoorwaarden - Westcon privacycentrum</title>" in \
        read(out, "/nl/terms/")
    assert "First publication of our terms of use." in read(out, "/updates/")
    assert "Eerste publicatie van onze gebruiksvoorwaarden." in \
        (out / "nl/updates.xml").read_text(encoding="utf-8")
    assert 'href="terms/"' in read(out, "/")
    assert 'href="terms/"' in read(out, "/nl/")
    versions = json.loads((out / "versions.json").read_text(encoding="utf-8"))
    assert "terms" in json.dumps(versions)


@pytest.mark.parametrize(("argv", "message"), [
    (["Cookies", "--title", "en=x"], "document name 'Cookies' is not a safe file name: use "
     "lowercase letters, digits and hyphens (at most 64), like 'cookies'"),
    (["../x", "--title", "en=x"], "document name '../x' is not a safe file name: use "
     "lowercase letters, digits and hyphens (at most 64), like 'cookies'"),
    (["cookies", "--title", "en=x"], "document 'cookies' is already declared in "
     "policy/policy.yml"),
    (["updates", "--title", "en=x"], "document name 'updates' is taken by the site (its page "
     "would replace the site's own): choose another"),
    (["nl", "--title", "en=x"], "document name 'nl' is taken by the site (its page would "
     "replace the site's own): choose another"),
    (["terms"], "the source's title is required: --title en=TITLE"),
    (["terms", "--title", "en=x", "--title", "fr=y"], "--title fr: unknown locale 'fr': the "
     "project has en, nl"),
    (["terms", "--title", "en=x", "--title", "en=y"], "--title en is given twice: give it "
     "once"),
    (["terms", "--title", "en"], "--title 'en' must be LOCALE=TITLE"),
    (["terms", "--title", "en=  "], "--title en is empty: give the document's title"),
    (["terms", "--title", "en=Terms\x0bof use"], "--title en holds the control character "
     "U+000B (column 6): remove it"),
    (["terms", "--title", "en=Terms\u2028of use"], "--title en holds the character U+2028 "
     "(column 6): remove it"),
])
def test_add_document_refuses_bad_input(repo: Path, argv: list[str], message: str) -> None:
    before = tree(repo)
    done = policy(repo, "add-document", *argv)
    assert (done.returncode, done.stdout, done.stderr) == (2, "", f"policy: error: {message}\n")
    assert tree(repo) == before


def test_a_title_with_markup_is_written_as_text(repo: Path) -> None:
    title = "<script>alert(1)</script>: terms"
    assert policy(repo, "add-document", "terms", "--title", f"en={title}").returncode == 0
    text = (repo / "locales/en/terms.md").read_text(encoding="utf-8")
    assert text.startswith("---\ntitle: '<script>alert(1)</script>: terms'\n---\n")


def test_a_kill_before_policy_yml_leaves_files_check_names(repo: Path) -> None:
    config = (repo / "policy/policy.yml").read_bytes()
    done = policy(repo, "add-document", "terms", "--title", "en=Terms of use",
                  POLICY_FAULT_AT="replace policy.yml")
    assert done.returncode == -signal.SIGKILL
    assert (repo / "policy/policy.yml").read_bytes() == config
    check = policy(repo, "check", "--no-cache")
    assert "warning [document-undeclared]" in check.stdout
    assert "locales/en/terms.md" in check.stdout
    again = policy(repo, "add-document", "terms", "--title", "en=Terms of use")
    assert (again.returncode, again.stderr) == (
        2, "policy: error: locales/en/terms.md already exists but 'terms' is not declared in "
           "policy/policy.yml (an interrupted policy add-document leaves files so): remove it "
           "and run again\n")
    for locale in ("en", "nl"):
        (repo / f"locales/{locale}/terms.md").unlink()
    assert policy(repo, "add-document", "terms", "--title", "en=Terms of use").returncode == 0


def test_the_repository_publishes_the_cookie_policy_in_both_languages() -> None:
    """The shipped cookie policy: released, its Dutch confirmed, and clean."""
    from policytools.checks import run_checks
    from policytools.config import load_project
    from policytools.ledger import load_ledger

    project = load_project(REPO)
    assert "cookies" in project.documents
    ledger = load_ledger(project)
    assert ledger.history("en", "cookies") and ledger.history("nl", "cookies")
    found = [f for f in run_checks(project) if f.document == "cookies"]
    assert found == []


@pytest.mark.parametrize(("english", "dutch", "flagged"), [
    ("Home", "Home", True),  # the English word, untranslated
    ("Home", "Start", False),  # translated
    ("¶", "¶", False),  # no letter: no word of any language
])
def test_site_words_equal_to_the_source_are_untranslated(repo: Path, english: str, dutch: str,
                                                         flagged: bool) -> None:
    for locale, old, new in (("en", "home: Home\n", english), ("nl", "home: Start\n", dutch)):
        path = repo / f"locales/{locale}/site.yml"
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1
        path.write_text(text.replace(old, f"home: {new}\n"), encoding="utf-8")
    found = [f for f in findings(repo) if f["code"] == "site-strings-untranslated"]
    assert [(f["file"], f["line"], f["message"]) for f in found] == ([(
        "locales/nl/site.yml", 3, "locales/nl/site.yml: 'home' is still the English text "
        "‘Home’: translate it (if the Dutch writes it alike, accept this finding in the "
        "baseline with that reason)")] if flagged else [])


def test_lent_words_already_there_are_kept(repo: Path) -> None:
    path = repo / "site_overrides/partials/languages/de-CH.html"
    path.parent.mkdir(parents=True)
    path.write_text("{% import \"partials/languages/de.html\" as lent %}\n"
                    "{% macro t(key) %}{{ lent.t(key) }}{% endmacro %}\n", encoding="utf-8")
    before = path.read_bytes()
    done = policy(repo, "add-locale", "de-CH")
    assert done.returncode == 0, done.stderr
    assert "lends" not in done.stdout
    assert path.read_bytes() == before


def test_a_regional_locale_needs_a_custom_dir_to_borrow_words(repo: Path) -> None:
    path = repo / "mkdocs.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  custom_dir: site_overrides\n", ""), encoding="utf-8")
    done = policy(repo, "add-locale", "de-CH")
    assert (done.returncode, done.stderr) == (
        2, "policy: error: Material for MkDocs has no words for 'de-CH', and mkdocs.yml sets "
           "no theme custom_dir to lend it those of 'de': set one\n")
    assert not (repo / "locales/de-CH").exists()


def test_two_commands_at_once_add_the_locale_once(repo: Path, tmp_path: Path) -> None:
    """The second command waits for the project lock, then finds the locale declared."""
    assert POLICY is not None
    go = tmp_path / "go"
    holder = subprocess.Popen([POLICY, "add-locale", "de", "--root", str(repo)], text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              env={**os.environ, "POLICY_PAUSE_AT": "locked",
                                   "POLICY_PAUSE_UNTIL": str(go)})
    paused = Path(f"{go}.paused")
    deadline = time.monotonic() + 30
    while not paused.exists():
        assert time.monotonic() < deadline, "the first command never took the lock"
        time.sleep(0.02)
    busy = policy(repo, "add-locale", "de", POLICY_LOCK_TIMEOUT="0.3")
    assert (busy.returncode, busy.stderr) == (
        2, f"policy: error: policy/.lock: policy/ is locked by another command (process "
           f"{holder.pid}: policy add-locale de); waited 0.3 s: try again once it has "
           "finished\n")
    go.touch()
    out, err = holder.communicate(timeout=60)
    assert (holder.returncode, err) == (0, ""), err
    assert out.startswith("policy add-locale: added de (Deutsch)")
    again = policy(repo, "add-document", "terms", "--title", "en=Terms of use")
    assert again.returncode == 0, again.stderr
    assert (repo / "locales/de/terms.md").is_file()  # the new locale publishes it too
    twice = policy(repo, "add-locale", "de")
    assert (twice.returncode, twice.stderr) == (
        2, "policy: error: locale 'de' is already declared in the i18n block of mkdocs.yml\n")
