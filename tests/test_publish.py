"""``publish`` in policy.yml: a second document published in one locale only forces no copy of
it into the others; check, release, status, diff and confirm leave those locales alone."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from conftest import copy_seeds, dated

if TYPE_CHECKING:
    from conftest import RunCli

COOKIES = """---
title: Cookie policy
---

## 1. Cookies we set {#cookies}

We keep analytics cookies for 13 months and no longer than 400 days, as the ICO advises.

## 2. Contact {#contact}

Write to privacy@westcon.com about cookies.
"""
DECLARED = "documents:\n  - privacy\n"
ONE_LOCALE = "documents:\n  - privacy\n  - cookies\npublish:\n  nl: [privacy]\n"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_seeds(tmp_path_factory.mktemp("publish") / "repo", "policy.yml", "baseline.yml")
    (root / "locales/en/cookies.md").write_text(COOKIES, encoding="utf-8")
    policy = root / "policy/policy.yml"
    policy.write_text(policy.read_text(encoding="utf-8").replace(DECLARED, ONE_LOCALE),
                      encoding="utf-8")
    return root


@pytest.fixture
def root(tmp_path: Path, template: Path) -> Path:
    return Path(shutil.copytree(template, tmp_path / "repo"))


def test_check_expects_no_dutch_copy_and_finds_no_drift_in_one(root: Path,
                                                              run_cli: RunCli) -> None:
    code, out, err = run_cli(["check", "--root", str(root), "--no-cache"])
    assert (code, err) == (0, "")
    assert "cookies" not in out
    # without publish, the Dutch would need a copy of the English
    policy = root / "policy/policy.yml"
    policy.write_text(policy.read_text(encoding="utf-8").replace("publish:\n  nl: [privacy]\n",
                                                                 ""), encoding="utf-8")
    code, out, _ = run_cli(["check", "--root", str(root), "--no-cache"])
    assert code == 1
    assert ("locales/nl/cookies.md: error [document-missing] locales/nl/cookies.md does not "
            "exist: the document 'cookies' is declared but has no nl file") in out


def test_a_file_the_locale_does_not_publish_is_named(root: Path, run_cli: RunCli) -> None:
    (root / "locales/nl/cookies.md").write_text(COOKIES.replace("13", "12"), encoding="utf-8")
    code, out, _ = run_cli(["check", "--root", str(root), "--no-cache", "--color", "never"])
    assert code == 0
    assert [line for line in out.splitlines() if "cookies" in line] == [
        "locales/nl/cookies.md:1: warning [document-undeclared] locales/nl/cookies.md is not "
        "published: add 'cookies' to publish: nl in policy/policy.yml or remove the file"]


def test_release_status_diff_and_confirm_leave_the_dutch_alone(root: Path,
                                                               run_cli: RunCli) -> None:
    code, out, err = run_cli(["release", "2026-11-23", "--material", "--effective",
                              "2026-11-23", *dated("2026-11-23"), "--summary", "en=First.",
                              "--summary", "nl=Eerste.", "--root", str(root)])
    assert (code, err) == (0, "")
    assert "archived 3 changed texts" in out
    assert sorted(p.relative_to(root / "policy/archive/2026-11-23").as_posix()
                  for p in (root / "policy/archive/2026-11-23").rglob("*.md")) == [
        "en/cookies.md", "en/privacy.md", "nl/privacy.md"]
    code, out, _ = run_cli(["status", "--root", str(root), "--format", "json"])
    assert code == 0
    assert '"document": "cookies"' not in out
    code, out, _ = run_cli(["diff", "--root", str(root)])
    assert code == 0
    assert [line for line in out.splitlines() if line and not line.startswith(" ")] == [
        "privacy (en): 2026-11-23 → current", "privacy (nl): 2026-11-23 → current",
        "cookies (en): 2026-11-23 → current"]
    assert run_cli(["confirm", "nl", "cookies", "--root", str(root)]) == (
        2, "", "policy: error: nl does not publish cookies (publish: in policy/policy.yml): "
        "there is nothing to confirm\n")


def test_the_site_publishes_the_english_only_document_in_english_only(
        root: Path, run_cli: RunCli) -> None:
    from site_helpers import REPO, build, read

    shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "site_overrides", root / "site_overrides")
    assert run_cli(["release", "2026-11-23", "--material", "--effective", "2026-11-23",
                    *dated("2026-11-23"), "--summary", "en=First.", "--summary", "nl=Eerste.",
                    "--root", str(root)])[0] == 0
    out = build(root, root / "site", "2026-12-01")
    assert "Cookie policy" in read(out, "/cookies/")
    assert not (out / "nl" / "cookies").exists()
    # the Dutch home names it as not available in Dutch and links the English text only
    dutch = read(out, "/nl/")
    assert set(re.findall(r'href="([^"#]*cookies[^"]*)"', dutch)) == {"../cookies/"}
    assert "Niet beschikbaar in deze taal." in dutch
    assert "cookies" not in (out / "nl" / "updates.xml").read_text(encoding="utf-8")
