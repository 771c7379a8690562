"""Shared fixtures: mini repos in ``tmp_path``, the real repo, and the CLI run in-process."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import sys
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from policytools.cli import main

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

TESTS = Path(__file__).resolve().parent
DATA = TESTS / "data"
REPO = TESTS.parent
# The console script installed beside the interpreter running the tests: `make test` runs
# .venv/bin/python without .venv/bin on PATH.
POLICY = shutil.which("policy", path=str(Path(sys.executable).parent)) or shutil.which("policy")

BACKDATE = "recorded by the tests"


def dated(day: str) -> list[str]:
    """``--released DAY``, with the ``--backdate`` a day before today needs."""
    late = day < dt.date.today().isoformat()
    return ["--released", day, *(("--backdate", BACKDATE) if late else ())]


WriteProject = Callable[[Path, Mapping[str, str | bytes]], Path]
RunCli = Callable[[list[str]], tuple[int, str, str]]
Scenario = Callable[[str], Path]


def _write_project(root: Path, files: Mapping[str, str | bytes]) -> Path:
    """Write ``files`` (paths relative to ``root``; text as UTF-8, bytes as is) and return root."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="\n")
    return root


# The seeds most tests drive are the privacy policy's: the cookie policy, added later, has
# its own tests (test_scaffold.py), so the others keep the counts and messages of one text.
LATER_DOCUMENTS = ("cookies",)


def seed_declaration(path: Path) -> Path:
    """The repo's ``policy/policy.yml`` at ``path``, declaring the seeds' documents only."""
    text = (REPO / "policy" / "policy.yml").read_text(encoding="utf-8")
    for name in LATER_DOCUMENTS:
        assert text.count(f"\n  - {name}\n") == 1, name
        text = text.replace(f"\n  - {name}\n", "\n")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def copy_seeds(root: Path, *policy_files: str) -> Path:
    """A project at ``root`` holding the repo's real seeds (locales/ but the documents added
    later) and the named policy/ files (policy.yml declaring the seeds' documents only)."""
    shutil.copytree(REPO / "locales", root / "locales",
                    ignore=shutil.ignore_patterns(*(f"{name}.md" for name in LATER_DOCUMENTS)))
    (root / "policy").mkdir(parents=True, exist_ok=True)
    for name in policy_files:
        if name == "policy.yml":
            seed_declaration(root / "policy" / name)
        else:
            shutil.copy2(REPO / "policy" / name, root / "policy" / name)
    return root


def copy_repo(root: Path) -> Path:
    """The repo's locales/ and policy/ as they are: every document, released."""
    shutil.copytree(REPO / "locales", root / "locales")
    shutil.copytree(REPO / "policy", root / "policy")
    return root


def edit_file(path: Path, old: str, new: str) -> None:
    """Replace the one occurrence of ``old`` in a text file (failing if it is not once)."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8", newline="\n")


def _run_cli(argv: list[str]) -> tuple[int, str, str]:
    """``policy <argv>`` in-process: exit code, standard output, standard error."""
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


SUMMARY_ARGS = {"en": ("--summary", "en=Replies first."),
                "nl": ("--summary", "nl=Eerst antwoorden.")}


def release_argv(version: str, *locales: str, kind: str = "editorial") -> list[str]:
    """``release VERSION``, effective and released the day it names, with a summary for each
    of ``locales`` (the locales whose text changes; default: the English). Editorial unless
    told: a material change needs notice (notice_days in the repo's policy.yml)."""
    return ["release", version, f"--{kind}", "--effective", version, *dated(version),
            *(arg for locale in locales or ("en",) for arg in SUMMARY_ARGS[locale])]


@pytest.fixture(scope="session", autouse=True)
def pdf_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One PDF cache for every site build of the session (POLICY_PDF_CACHE, which builds in
    subprocesses inherit): a version is rendered once, not again by every test that builds
    the same history. tests/test_pdf.py renders into caches of its own."""
    folder = tmp_path_factory.mktemp("pdf-cache")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("POLICY_PDF_CACHE", str(folder))
        yield folder


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real seeds with policy.yml and the baseline (so check passes), nothing released or
    confirmed. Read only: tests take a copy, ``seeded``."""
    return copy_seeds(tmp_path_factory.mktemp("seeded") / "repo", "policy.yml", "baseline.yml")


@pytest.fixture
def seeded(tmp_path: Path, seeded_template: Path) -> Path:
    return Path(shutil.copytree(seeded_template, tmp_path / "repo"))


@pytest.fixture(scope="session")
def site_history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``site_helpers.make_history``: three releases (in force, archived, announced) and an
    unreleased edit. Read only: the site tests share it."""
    from site_helpers import make_history

    return make_history(tmp_path_factory.mktemp("site-history") / "repo")


@pytest.fixture(scope="session")
def history_site(site_history: Path) -> Path:
    """``site_history`` built with ``mkdocs build --strict`` for ``site_helpers.TODAY``."""
    from site_helpers import TODAY, build

    return build(site_history, site_history.parent / "site", TODAY)


@pytest.fixture(scope="session")
def ready_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds released once as 2026-11-23, then the English edited: ready to release.

    Read only: copy it into the test's own ``tmp_path``.
    """
    root = copy_seeds(tmp_path_factory.mktemp("ready") / "repo", "policy.yml", "baseline.yml")
    assert main([*release_argv("2026-11-23", "en", "nl", kind="material"), "--root", str(root)],
                out=io.StringIO()) == 0
    edit_file(root / "locales/en/privacy.md",
              "We will post any privacy policy changes on this page.",
              "We will post any privacy policy changes on this page first.")
    return root


@pytest.fixture
def git_user(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git configuration of its own (the machine's is not the tests'): who confirms when
    no --by is given."""
    config = tmp_path_factory.mktemp("git") / "gitconfig"
    config.write_text("[user]\n\tname = Test Translator\n\temail = translator@example.com\n",
                      encoding="utf-8")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    return config


@pytest.fixture
def write_project() -> WriteProject:
    """``write_project(tmp_path, {"locales/en/privacy.md": "…"}) -> root``."""
    return _write_project


@pytest.fixture
def run_cli() -> RunCli:
    """``run_cli(["check", "--root", str(root)]) -> (code, stdout, stderr)``."""
    return _run_cli


@pytest.fixture
def seeds_root() -> Path:
    """The real repository: the shipped locales and policy/ (read only)."""
    return REPO


@pytest.fixture
def scenario(tmp_path: Path) -> Scenario:
    """``scenario("ok") -> root``: a copy of ``tests/data/<name>/`` in ``tmp_path``."""

    def copy(name: str) -> Path:
        return Path(shutil.copytree(DATA / name, tmp_path / name))

    return copy


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's headless chromium, once per module of browser tests."""
    from browser_helpers import chromium

    with chromium() as launched:
        yield launched


@pytest.fixture
def page(browser: Browser, base_url: str, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A fresh page on the module's ``base_url``; the test fails on any console error, page
    error or failed request."""
    from browser_helpers import watched_page

    with watched_page(browser, base_url, request.node.name) as tab:
        yield tab
