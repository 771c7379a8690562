"""The project declaration: defaults without policy/policy.yml, and errors naming file and line."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from policytools.config import load_project
from policytools.errors import ConfigError

if TYPE_CHECKING:
    from conftest import RunCli, WriteProject

DOC = "---\ntitle: T\n---\n\n## 1. A {#a}\n\nText.\n"


def test_without_policy_yml_the_locales_folder_decides(tmp_path: Path,
                                                       write_project: WriteProject) -> None:
    root = write_project(tmp_path, {
        "locales/en/privacy.md": DOC, "locales/en/cookies.md": DOC, "locales/en/notes.txt": "",
        "locales/nl/privacy.md": DOC, "locales/de/privacy.md": DOC,
        "locales/Not_A_Locale/privacy.md": DOC,
    })
    project = load_project(root)
    assert project.root == root.resolve()
    assert project.source_locale == "en"
    assert project.locales == ("en", "de", "nl")
    assert project.translations == ("de", "nl")
    assert project.documents == ("cookies", "privacy")
    assert project.terms == ()
    assert project.config_file is None
    assert project.locale_name("nl") == "Dutch"
    assert project.words_for("nl")[0] == "artikel"


def test_policy_yml_declares_locales_documents_and_terms(tmp_path: Path,
                                                         write_project: WriteProject) -> None:
    root = write_project(tmp_path, {
        "locales/en/privacy.md": DOC, "locales/en/cookies.md": DOC,
        "locales/fr/privacy.md": DOC,
        "policy/policy.yml": (
            "# comment\n"
            "source_locale: en\n"
            "locales:\n  'nl': Nederlands\n  'en': English\n"
            "documents:\n  - privacy\n"
            "terms:\n  - Westcon\n  - ' WINT '\n"
            "reference_words:\n  nl: [lid]\n"),
    })
    project = load_project(root)
    assert project.locales == ("en", "nl")  # the declaration wins over the folders
    assert project.documents == ("privacy",)
    assert project.terms == ("Westcon", "WINT")
    assert project.locale_name("nl") == "Nederlands"
    assert project.words_for("nl") == ("lid",)
    assert project.words_for("nl-BE") == ("lid",)
    assert project.config_file == "policy/policy.yml"
    assert project.doc_path("nl", "privacy") == root.resolve() / "locales/nl/privacy.md"


@pytest.mark.parametrize("text", [
    "", "# only a comment\n", "locales: [nl, en]\n", "source_locale: 'en'\n",
], ids=["empty", "comment", "locale-list", "quoted"])
def test_partial_policy_yml_falls_back_to_the_defaults(tmp_path: Path, write_project: WriteProject,
                                                       text: str) -> None:
    root = write_project(tmp_path, {"locales/en/privacy.md": DOC, "locales/nl/privacy.md": DOC,
                                    "policy/policy.yml": text})
    project = load_project(root)
    assert (project.source_locale, project.locales, project.documents) == (
        "en", ("en", "nl"), ("privacy",))


def test_a_source_locale_other_than_english(tmp_path: Path, write_project: WriteProject) -> None:
    root = write_project(tmp_path, {"locales/nl/privacy.md": DOC, "locales/en/privacy.md": DOC,
                                    "policy/policy.yml": "source_locale: nl\n"})
    project = load_project(root)
    assert (project.source_locale, project.locales, project.translations) == (
        "nl", ("nl", "en"), ("en",))


BAD = [
    pytest.param("source_locale: en\nlocales: [en, nl\ndocuments: [privacy]\n", 3,
                 "invalid YAML: expected ',' or ']', but got ':'", id="unclosed-flow"),
    pytest.param("locales:\n\t- en\n", 2,
                 "invalid YAML: found character '\\t' that cannot start any token", id="tab"),
    pytest.param("source_locale: en\nsource_locale: nl\n", 2,
                 'invalid YAML: found duplicate key "source_locale" with value "nl" '
                 '(original value: "en")', id="duplicate-key"),
    pytest.param("- en\n- nl\n", 1, "expected a mapping at the top level", id="top-level-list"),
    pytest.param("documents:\n  - privacy\nsource_locale: English\n", 3,
                 "invalid locale code 'English': expected forms 'en' or 'pt-BR'",
                 id="source-locale-code"),
    pytest.param("\nsource_locale: 5\n", 2,
                 "source_locale: expected a non-empty string (quote it: 'no' reads as false)",
                 id="source-locale-number"),
    pytest.param("locales: en\n", 1,
                 "locales: expected a mapping of locale code to name", id="locales-string"),
    pytest.param("locales:\n  en: English\n  Dutch: nl\n", 1,
                 "invalid locale code 'Dutch': expected forms 'en' or 'pt-BR'",
                 id="locale-code"),
    pytest.param("locales:\n  en: English\n  nl: 3\n", 1,
                 "locales: name of 'nl' must be a string", id="locale-name"),
    pytest.param("locales:\n  1: English\n", 1,
                 "locales: locale code 1 must be a quoted string", id="locale-unquoted"),
    pytest.param("terms: []\ndocuments: privacy\n", 2,
                 "documents: expected a list (or mapping) of names like 'privacy'",
                 id="documents-string"),
    pytest.param("documents:\n  - Privacy Policy\n", 1,
                 "documents: expected a list (or mapping) of names like 'privacy'",
                 id="documents-name"),
    pytest.param("documents: []\n", 1,
                 "documents: expected a list (or mapping) of names like 'privacy'",
                 id="documents-empty"),
    pytest.param("terms: Westcon\n", 1, "terms: expected a list of non-empty strings",
                 id="terms-string"),
    pytest.param("terms:\n  - ''\n", 1, "terms: expected a list of non-empty strings",
                 id="terms-blank"),
    pytest.param("reference_words: [artikel]\n", 1,
                 "reference_words: expected a mapping of locale to a list of words",
                 id="reference-words"),
    *(pytest.param(f"documents: [privacy]\nnotice_days: {value}\n", 2,
                   "notice_days: expected a whole number of days from 0 to 3650, like 30 (the "
                   "notice a material change gives)", id=f"notice-days-{name}")
      for name, value in (("negative", "-1"), ("text", "'30'"), ("bool", "true"),
                          ("float", "30.5"), ("huge", "99999999999"))),
    pytest.param("locales: [en, nl]\nprevailing: fr\n", 2,
                 "prevailing: 'fr' is no declared locale: name the locale whose text prevails "
                 "(en, nl), or 'each' when every language version is equally authentic",
                 id="prevailing-unknown"),
    pytest.param("locales: [en, nl]\npublish: [nl]\n", 2,
                 "publish: expected a mapping of locale to the documents it publishes, like "
                 "nl: [privacy]", id="publish-list"),
    pytest.param("locales: [en, nl]\npublish:\n  de: [privacy]\n", 3,
                 "publish: 'de' is no declared locale (the project has en, nl)",
                 id="publish-unknown-locale"),
    pytest.param("locales: [en, nl]\npublish:\n  nl: []\n", 3,
                 "publish: expected the list of documents nl publishes, like nl: [privacy]",
                 id="publish-nothing"),
    pytest.param("locales: [en, nl]\npublish:\n  nl: [cookies]\n", 3,
                 "publish: nl publishes 'cookies', which is no declared document (privacy)",
                 id="publish-unknown-document"),
    pytest.param("locales: [en, nl]\ndocuments: [privacy, cookies]\npublish:\n"
                 "  nl: [privacy]\n  en: [privacy]\n", 5,
                 "publish: the source locale en publishes every document (translations are "
                 "checked against it): drop it from publish", id="publish-source-less"),
    pytest.param("locales: [en, nl]\npublish:\n  nl: [privacy, privacy]\n", 3,
                 "publish: nl lists 'privacy' twice: list it once", id="publish-twice"),
]


def test_notice_prevailing_and_publish(tmp_path: Path, write_project: WriteProject) -> None:
    root = write_project(tmp_path, {
        "locales/en/privacy.md": DOC, "locales/en/cookies.md": DOC,
        "policy/policy.yml": ("locales: [en, nl, de]\ndocuments: [privacy, cookies]\n"
                              "notice_days: 30\nprevailing: each\n"
                              "publish:\n  de: [cookies, privacy]\n  nl: [privacy]\n")})
    project = load_project(root)
    assert (project.notice_days, project.prevailing) == (30, "each")
    assert [project.publishes(loc) for loc in project.locales] == [
        ("privacy", "cookies"), ("privacy", "cookies"), ("privacy",)]


def test_without_the_keys_no_notice_the_source_prevails_and_all_is_published(
        tmp_path: Path, write_project: WriteProject) -> None:
    root = write_project(tmp_path, {"locales/nl/privacy.md": DOC,
                                    "policy/policy.yml": "source_locale: nl\n"})
    project = load_project(root)
    assert (project.notice_days, project.prevailing, project.publishes("nl")) == (
        0, "nl", ("privacy",))


@pytest.mark.parametrize(("text", "line", "message"), BAD)
def test_bad_policy_yml_is_a_config_error_naming_file_and_line(
        tmp_path: Path, write_project: WriteProject, text: str, line: int, message: str) -> None:
    root = write_project(tmp_path, {"locales/en/privacy.md": DOC, "policy/policy.yml": text})
    with pytest.raises(ConfigError) as caught:
        load_project(root)
    assert (caught.value.file, caught.value.line, caught.value.message) == (
        "policy/policy.yml", line, message)


@pytest.mark.parametrize(("text", "line", "message"), BAD[:6] + BAD[10:11])
def test_cli_reports_a_bad_policy_yml_in_one_line(
        tmp_path: Path, write_project: WriteProject, run_cli: RunCli, text: str, line: int,
        message: str) -> None:
    root = write_project(tmp_path, {"locales/en/privacy.md": DOC, "policy/policy.yml": text})
    assert run_cli(["check", "--root", str(root)]) == (
        2, "", f"policy: error: policy/policy.yml:{line}: {message}\n")


def test_policy_yml_that_is_not_utf8(tmp_path: Path, write_project: WriteProject,
                                     run_cli: RunCli) -> None:
    root = write_project(tmp_path, {"locales/en/privacy.md": DOC,
                                    "policy/policy.yml": b"terms:\n  - Caf\xe9\n"})
    assert run_cli(["check", "--root", str(root)]) == (
        2, "", "policy: error: policy/policy.yml:2: not UTF-8 text: save the file as UTF-8\n")


def test_root_must_be_a_folder(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such folder"):
        load_project(tmp_path / "missing")


@pytest.mark.parametrize("locales", [("en", "nl"), ("en", "fr", "de"), ("de", "pt-BR")],
                         ids=lambda x: "+".join(x))
def test_root_works_on_any_folder_of_that_shape(tmp_path: Path, write_project: WriteProject,
                                                run_cli: RunCli,
                                                locales: tuple[str, ...]) -> None:
    files = {f"locales/{loc}/privacy.md": DOC for loc in locales}
    if locales[0] != "en":
        files["policy/policy.yml"] = f"source_locale: {locales[0]}\n"
    root = write_project(tmp_path / "some" / "folder", files)
    code, out, err = run_cli(["check", "--root", str(root)])
    assert (code, err) == (0, "")
    # the only notes: each translation was never confirmed against the source
    notes = len(locales) - 1
    assert out.endswith(f"policy check passed: 0 errors, 0 warnings, {notes} info\n")
    assert out.count("[translation-unconfirmed]") == notes


def test_unknown_locale_is_a_usage_error(tmp_path: Path, write_project: WriteProject,
                                         run_cli: RunCli) -> None:
    root = write_project(tmp_path, {"locales/en/privacy.md": DOC, "locales/nl/privacy.md": DOC})
    assert run_cli(["check", "--root", str(root), "--locale", "xx"]) == (
        2, "", "policy: error: unknown locale 'xx': the project has en, nl\n")


@pytest.mark.parametrize(("files", "source"), [
    ({"locales/nl/privacy.md": DOC}, "en"),
    ({"locales/en/privacy.md": DOC, "policy/policy.yml": "source_locale: de\n"}, "de"),
    ({"locales/en/privacy.txt": DOC}, "en"),
], ids=["no-source-folder", "source-locale-without-files", "no-markdown"])
def test_a_project_without_source_documents_is_an_error_not_a_pass(
        tmp_path: Path, write_project: WriteProject, run_cli: RunCli, files: dict[str, str],
        source: str) -> None:
    root = write_project(tmp_path, files)
    message = (f"locales/{source}/ holds no Markdown document of the source locale: add one, "
               "or set source_locale and documents in policy/policy.yml")
    with pytest.raises(ConfigError) as caught:
        load_project(root)
    assert (caught.value.file, caught.value.message) == (None, message)
    assert run_cli(["check", "--root", str(root)]) == (2, "", f"policy: error: {message}\n")
