"""policy check on the locale folders and the site's words (locales/<locale>/site.yml).

A folder of locales/ that is not a declared locale, a declared locale of the site without
site.yml, and a site.yml with a missing key, a bad value or a key the site does not use are
findings, with the same words the MkDocs plugin stops on (``site_strings`` is their one source).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import POLICY, REPO, copy_seeds, edit_file
from policytools.checks.runner import run_checks
from policytools.config import load_project
from policytools.model import Finding
from test_site_integrity import STRINGS

CODES = ("locale-undeclared", "site-strings-missing", "site-strings-invalid",
         "site-strings-unknown")
RunCli = Callable[[list[str]], tuple[int, str, str]]


def _site(root: Path) -> Path:
    """The seeds with the repo's real mkdocs.yml: en and nl declared, the policy plugin on."""
    copy_seeds(root, "policy.yml", "baseline.yml")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    return root


def _found(root: Path) -> list[str]:
    """'file:line: code: message' of every finding of the codes under test."""
    return [_show(f) for f in run_checks(load_project(root)) if f.code in CODES]


def _show(f: Finding) -> str:
    return f"{f.file}:{f.line}: {f.code}: {f.message}"


def _line(path: Path, start: str) -> int:
    return next(n for n, row in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                if row.startswith(start))


def test_the_seeds_with_the_real_site_are_clean(tmp_path: Path) -> None:
    assert _found(_site(tmp_path)) == []


# --- locale-undeclared ----------------------------------------------------------------------


def test_a_folder_not_declared_in_mkdocs_yml_is_an_error(tmp_path: Path) -> None:
    root = _site(tmp_path)
    shutil.copytree(root / "locales/nl", root / "locales/de")
    for hidden in (".policy_cache", ".git", ".obsidian"):  # tools' folders are not locales
        (root / "locales" / hidden).mkdir()
    (root / "locales/notes.txt").write_text("a file is not a locale\n", encoding="utf-8")
    assert _found(root) == [
        "locales/de/:None: locale-undeclared: locales/de/ is not a declared locale: declare "
        "'de' in the i18n block of mkdocs.yml, or remove the folder"]


def test_a_folder_not_declared_in_policy_yml_names_policy_yml(tmp_path: Path) -> None:
    root = copy_seeds(tmp_path, "policy.yml")
    with (root / "policy/policy.yml").open("a", encoding="utf-8") as file:
        file.write("locales:\n  en: English\n  nl: Dutch\n")
    (root / "locales/fr").mkdir()
    assert _found(root) == [
        "locales/fr/:None: locale-undeclared: locales/fr/ is not a declared locale: declare "
        "'fr' in locales: of policy/policy.yml, or remove the folder"]


def test_without_a_declaration_every_locale_folder_is_one(tmp_path: Path) -> None:
    root = copy_seeds(tmp_path, "policy.yml")
    shutil.copytree(root / "locales/nl", root / "locales/de")
    assert _found(root) == []


# --- site-strings-missing -------------------------------------------------------------------


def test_a_declared_locale_of_the_site_without_site_yml_is_an_error(tmp_path: Path) -> None:
    root = _site(tmp_path)
    (root / "locales/nl/site.yml").unlink()
    assert _found(root) == [
        "locales/nl/site.yml:None: site-strings-missing: locales/nl/site.yml does not exist: "
        "the site needs its words in this language; copy locales/en/site.yml and translate it"]


@pytest.mark.parametrize("mkdocs", [None, "site_name: x\nplugins:\n  - search\n"])
def test_without_a_policy_site_site_yml_is_not_needed(tmp_path: Path, mkdocs: str | None) -> None:
    root = copy_seeds(tmp_path, "policy.yml")
    for locale in ("en", "nl"):
        (root / "locales" / locale / "site.yml").unlink()
    if mkdocs is not None:
        (root / "mkdocs.yml").write_text(mkdocs, encoding="utf-8")
    assert _found(root) == []


def test_the_plugins_as_a_mapping_publish_the_policy_too(tmp_path: Path) -> None:
    root = copy_seeds(tmp_path, "policy.yml")
    (root / "locales/nl/site.yml").unlink()
    (root / "mkdocs.yml").write_text("site_name: x\nplugins:\n  search: {}\n  policy: {}\n",
                                     encoding="utf-8")
    assert [f.split(": ")[1] for f in _found(root)] == ["site-strings-missing"]


# --- site-strings-invalid: the plugin's own cases, as findings ------------------------------


@pytest.mark.parametrize("case", STRINGS)
def test_a_bad_site_yml_is_a_finding_naming_file_key_and_line(tmp_path: Path, case: str) -> None:
    locale, change, key, message = STRINGS[case]
    root = _site(tmp_path)
    path = root / "locales" / locale / "site.yml"
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
    line = _line(path, key) if key is not None else 1
    if message.startswith("missing key"):
        message += ": add it, translated from locales/en/site.yml"
    assert [f for f in _found(root) if "site-strings-invalid" in f] == [
        f"locales/{locale}/site.yml:{line}: site-strings-invalid: locales/{locale}/site.yml: "
        f"{message}"]


def test_every_problem_of_a_file_is_reported_at_once(tmp_path: Path) -> None:
    root = _site(tmp_path)
    path = root / "locales/nl/site.yml"
    edit_file(path, "home: Start", "home: 12")
    edit_file(path, "version: Versie\n", "")
    edit_file(path, "op {date}.", "op {datum}.")
    assert _found(root) == [
        "locales/nl/site.yml:1: site-strings-invalid: locales/nl/site.yml: missing key "
        "'version': add it, translated from locales/en/site.yml",
        f"locales/nl/site.yml:{_line(path, 'home:')}: site-strings-invalid: locales/nl/site.yml: "
        "'home' must be text, not int (quote it)",
        f"locales/nl/site.yml:{_line(path, 'upcoming:')}: site-strings-invalid: "
        "locales/nl/site.yml: 'upcoming' has an unknown placeholder {datum}: use {date}"]


@pytest.mark.parametrize(("content", "message"), [
    (b"home: [unclosed\n", "locales/nl/site.yml:2: site-strings-invalid: locales/nl/site.yml "
     "cannot be read: invalid YAML: expected ',' or ']', but got '<stream end>'"),
    (b"home: \xff\n", "locales/nl/site.yml:1: site-strings-invalid: locales/nl/site.yml "
     "cannot be read: not UTF-8 text: save the file as UTF-8"),
])
def test_an_unreadable_site_yml_is_a_finding_not_a_crash(tmp_path: Path, content: bytes,
                                                         message: str, run_cli: RunCli) -> None:
    root = _site(tmp_path)
    (root / "locales/nl/site.yml").write_bytes(content)
    found = [f for f in _found(root) if "site-strings-invalid" in f]
    assert found == [message]
    code, out, err = run_cli(["check", "--root", str(root), "--no-cache"])
    assert (code, err) == (1, "")
    assert "error [site-strings-invalid] locales/nl/site.yml cannot be read: " in out


# --- site-strings-unknown -------------------------------------------------------------------


def test_a_key_the_site_does_not_use_is_a_warning(tmp_path: Path) -> None:
    root = _site(tmp_path)
    path = root / "locales/nl/site.yml"
    edit_file(path, "home: Start\n", "home: Start\nhome_title: Welkom\n")
    edit_file(path, "  moved: verplaatst\n", "  moved: verplaatst\n  moves: verplaatst\n")
    assert _found(root) == [
        f"locales/nl/site.yml:{_line(path, 'home_title:')}: site-strings-unknown: "
        "locales/nl/site.yml: the site does not use key 'home_title': remove it, or correct "
        "its name",
        f"locales/nl/site.yml:{_line(path, '  moves:')}: site-strings-unknown: "
        "locales/nl/site.yml: the site does not use key 'status.moves': remove it, or correct "
        "its name"]


def test_every_word_of_the_redline_legend_is_required(tmp_path: Path) -> None:
    """Before, a site.yml without status.markup passed, and a redline of changed links
    crashed the build with a KeyError."""
    root = _site(tmp_path)
    edit_file(root / "locales/nl/site.yml", '  markup: "links en opmaak"\n', "")
    assert _found(root) == [
        "locales/nl/site.yml:1: site-strings-invalid: locales/nl/site.yml: missing key "
        "'status.markup': add it, translated from locales/en/site.yml"]


# --- the cache and the real command ---------------------------------------------------------


def test_editing_site_yml_or_mkdocs_yml_invalidates_a_cached_check(tmp_path: Path,
                                                                   run_cli: RunCli) -> None:
    root = _site(tmp_path)
    argv = ["check", "--root", str(root)]
    assert run_cli(argv)[0] == 0
    assert run_cli(argv)[0] == 0  # answered from .policy_cache/
    assert (root / ".policy_cache").is_dir()
    path = root / "locales/nl/site.yml"
    edit_file(path, "version: Versie\n", "")
    code, out, _ = run_cli(argv)
    assert code == 1
    assert "locales/nl/site.yml:1: error [site-strings-invalid] locales/nl/site.yml: missing " \
           "key 'version': add it, translated from locales/en/site.yml" in out
    path.unlink()
    (root / "mkdocs.yml").write_text("site_name: x\nplugins:\n  - search\n  - i18n:\n"
                                     "      languages:\n        - locale: en\n"
                                     "        - locale: nl\n", encoding="utf-8")
    assert run_cli(argv)[0] == 0  # no policy site: no site.yml needed


def test_the_real_command_reports_an_undeclared_locale(tmp_path: Path) -> None:
    root = _site(tmp_path)
    (root / "locales/de").mkdir()
    (root / "locales/de/privacy.md").write_text("---\ntitle: x\n---\n", encoding="utf-8")
    assert POLICY is not None
    done = subprocess.run([POLICY, "check", "--root", str(root)], capture_output=True,
                          text=True, timeout=120, check=False,
                          env={**os.environ, "NO_COLOR": "1"})
    assert (done.returncode, done.stderr) == (1, "")
    assert "locales/de/: error [locale-undeclared] locales/de/ is not a declared locale: " \
           "declare 'de' in the i18n block of mkdocs.yml, or remove the folder" in done.stdout
