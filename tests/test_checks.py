"""Running the checks: a large project checked on every core gives what one process gives."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import REPO
from policytools.checks import run_checks
from policytools.checks import runner as checks
from policytools.config import load_project
from policytools.confirmations import load_confirmations

# Eleven Dutch copies of the seed (one with a drifted age) and two documents: 24 files.
LOCALES = ("nl", "de", "fr", "es", "it", "pt", "da", "sv", "pl", "cs", "fi")


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("large")
    for locale in ("en", *LOCALES):
        folder = root / "locales" / locale
        folder.mkdir(parents=True)
        text = (REPO / "locales" / ("en" if locale == "en" else "nl") / "privacy.md").read_text(
            encoding="utf-8")
        if locale == "de":
            text = text.replace("jonger dan 13 jaar", "jonger dan 16 jaar")
        (folder / "privacy.md").write_text(text, encoding="utf-8")
        shutil.copy(folder / "privacy.md", folder / "cookies.md")
    (root / "locales" / "fi" / "cookies.md").unlink()  # a missing and an unreadable file
    (root / "locales" / "cs" / "cookies.md").write_bytes(b"---\ntitle: x\n---\n\xff\n")
    (root / "policy").mkdir()
    (root / "policy" / "policy.yml").write_text(
        "documents:\n  - privacy\n  - cookies\n", encoding="utf-8")
    return root


def test_workers_find_what_one_process_finds(large: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    project = load_project(large)
    assert len(project.locales) * len(project.documents) >= checks.PARALLEL_FROM
    # Two workers even on a one-core machine, where run_checks would use one process.
    in_workers = checks._in_workers(project, load_confirmations(project),
                                    list(project.documents), list(project.translations),
                                    True, workers=2)
    monkeypatch.setattr(checks, "PARALLEL_FROM", 10_000)
    in_one = run_checks(project)
    assert sorted(in_workers, key=lambda f: f.sort_key) == in_one
    missing = {(f.locale, f.document) for f in in_one if f.code == "clause-missing"}
    assert missing == {(loc, doc) for loc in LOCALES for doc in ("privacy", "cookies")} - {
        ("fi", "cookies"), ("cs", "cookies")}  # every readable translation lacks a clause
    assert {(f.code, f.locale) for f in in_one if f.document == "cookies" and f.code in (
        "document-missing", "file-unreadable")} == {("document-missing", "fi"),
                                                    ("file-unreadable", "cs")}
    drift = [f for f in in_one if f.code == "fact-number" and "16" in f.message]
    assert {(f.locale, f.document) for f in drift} == {("de", "privacy"), ("de", "cookies")}


def test_only_the_chosen_locales_and_documents(large: Path) -> None:
    project = load_project(large)
    found = run_checks(project, locales=["en", "de", "fr"], documents=["cookies"])
    assert {f.locale for f in found} <= {"en", "de", "fr"}
    assert {f.document for f in found} == {"cookies"}
    assert any(f.locale == "en" for f in found)  # the source is checked on its own too
