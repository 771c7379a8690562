"""What a command accepts: whole version ids, exact dates, real summaries and targets, and
values MkDocs reads as we do."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from conftest import POLICY, copy_seeds
from policytools.config import load_project
from policytools.errors import ConfigError
from policytools.ledger import LedgerError, load_ledger, parse_version
from policytools.yamlio import load_yaml

if TYPE_CHECKING:
    from conftest import RunCli, WriteProject

TODAY = dt.date.today()
SUMMARIES = ("--summary", "en=First publication.", "--summary", "nl=Eerste publicatie.")
USE_DATE = "use the release date YYYY-MM-DD, with -2, -3… for a second release on one day"


def day(offset: int) -> str:
    return (TODAY + dt.timedelta(days=offset)).isoformat()


@pytest.fixture
def seeded(tmp_path: Path) -> Path:
    return copy_seeds(tmp_path / "repo", "policy.yml", "baseline.yml")


def release(run_cli: RunCli, root: Path, version: str, *extra: str,
            effective: str | None = None) -> tuple[int, str, str]:
    return run_cli(["release", "--material", version, "--effective", effective or day(0), *extra,
                    *SUMMARIES, "--root", str(root)])


def refused(result: tuple[int, str, str], message: str) -> None:
    assert result == (2, "", f"policy: error: {message}\n")


def untouched(root: Path) -> None:
    """Nothing written under policy/ but the (empty, git-ignored) lock file of the attempt."""
    names = sorted(p.name for p in (root / "policy").iterdir())
    assert [n for n in names if n != ".lock"] == ["baseline.yml", "policy.yml"]
    assert not (root / "policy" / ".lock").exists() or \
        (root / "policy" / ".lock").read_bytes() == b""


# --- version ids ---------------------------------------------------------------------------


@pytest.mark.parametrize(("suffix", "shown"), [
    ("\n", repr(f"{TODAY}\n")),
    ("-" + "9" * 5000, repr(f"{TODAY}-" + "9" * 29 + "…")),
    ("-1000", repr(f"{TODAY}-1000")),
    (" ", repr(f"{TODAY} ")),
], ids=["newline", "thousands-of-digits", "four-digits", "space"])
def test_a_version_id_is_matched_whole(seeded: Path, run_cli: RunCli, suffix: str,
                                       shown: str) -> None:
    refused(release(run_cli, seeded, f"{TODAY}{suffix}"), f"invalid version id {shown}: "
            f"{USE_DATE}")
    untouched(seeded)


def test_a_version_named_with_a_newline_is_refused_in_one_line(seeded: Path,
                                                               run_cli: RunCli) -> None:
    refused(run_cli(["diff", f"{TODAY}\n", "--root", str(seeded)]),
            f"policy/releases.yml: no release '{TODAY}\\n' (releases: none yet)")
    refused(release(run_cli, seeded, day(0), "--summary", "e\nn=Text."),
            "summary for unknown locale 'e\\nn'")


def test_a_version_id_holds_ascii_digits_only() -> None:
    with pytest.raises(LedgerError) as caught:
        parse_version("２０２６-１２-０１")
    assert caught.value.message == f"invalid version id '２０２６-１２-０１': {USE_DATE}"
    assert parse_version("2026-12-01-999") == (dt.date(2026, 12, 1), 999)


def test_a_version_id_with_a_newline_is_refused_by_a_real_process(seeded: Path) -> None:
    assert POLICY
    done = subprocess.run([POLICY, "release", "--material", f"{TODAY}\n", "--effective", day(0),
                           *SUMMARIES, "--root", str(seeded)], capture_output=True,
                          text=True, timeout=60, check=False)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == f"policy: error: invalid version id '{TODAY}\\n': {USE_DATE}\n"
    untouched(seeded)


# --- dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["20261215", "2026-W50-1", "2026-12-15T00:00", "2026-349",
                                  "２０２６-１２-１５", " 2026-12-15"])
def test_dates_are_exactly_yyyy_mm_dd(seeded: Path, run_cli: RunCli, text: str) -> None:
    refused(release(run_cli, seeded, day(0), effective=text),
            f"--effective {text!r} is not a date YYYY-MM-DD")
    refused(release(run_cli, seeded, day(0), "--released", text),
            f"--released {text!r} is not a date YYYY-MM-DD")
    untouched(seeded)


def test_a_ledger_date_is_exactly_yyyy_mm_dd(seeded: Path) -> None:
    (seeded / "policy/releases.yml").write_text(
        "releases:\n  - version: '2026-11-23'\n    effective: '20261215'\n"
        "    released: '2026-11-23'\n    summary: {en: A}\n"
        f"    files: {{en/privacy.md: '{'0' * 64}'}}\n", encoding="utf-8")
    with pytest.raises(LedgerError) as caught:
        load_ledger(load_project(seeded))
    assert str(caught.value) == ("policy/releases.yml:2: effective date '20261215' is not a "
                                 "date YYYY-MM-DD")


@pytest.mark.parametrize("value", ["", "42", "[a]", "''"])
def test_a_ledger_summary_is_non_empty_text(seeded: Path, value: str) -> None:
    (seeded / "policy/releases.yml").write_text(
        "releases:\n  - version: '2026-11-23'\n    effective: '2026-11-23'\n"
        f"    released: '2026-11-23'\n    class: material\n    summary:\n      en: {value}\n"
        f"    files: {{en/privacy.md: '{'0' * 64}'}}\n", encoding="utf-8")
    with pytest.raises(LedgerError) as caught:
        load_ledger(load_project(seeded))
    assert str(caught.value) == ("policy/releases.yml:2: release 2026-11-23: the summary for "
                                 "en must be text (the site publishes it)")


def test_a_release_dated_after_today_is_refused(seeded: Path, run_cli: RunCli) -> None:
    refused(release(run_cli, seeded, day(1), "--released", day(1)),
            f"release date {day(1)} is after today ({TODAY}): release on the day, with "
            "--effective for when it takes effect")
    untouched(seeded)


def test_a_backdated_release_needs_a_reason(seeded: Path, run_cli: RunCli) -> None:
    refused(release(run_cli, seeded, day(-3), "--released", day(-3)),
            f"release date {day(-3)} is before today ({TODAY}): to record a release made "
            "earlier, say why with --backdate \"reason\"")
    refused(release(run_cli, seeded, day(-3), "--released", day(-3), "--backdate", "  "),
            "--backdate needs a reason: say why, in words")
    refused(release(run_cli, seeded, day(0), "--backdate", "signed on paper"),
            f"--backdate is for a release dated before today ({TODAY})")
    untouched(seeded)


def test_a_backdated_release_records_its_reason(seeded: Path, run_cli: RunCli) -> None:
    code, _, err = release(run_cli, seeded, day(-3), "--released", day(-3), "--backdate",
                           "signed on paper on the day", effective=day(-3))
    assert (code, err) == (0, "")
    entry = load_yaml(seeded / "policy/releases.yml", "releases.yml")["releases"][0]
    assert (entry["released"], entry["backdated"]) == (day(-3), "signed on paper on the day")
    assert load_ledger(load_project(seeded)).releases[0].backdated == \
        "signed on paper on the day"


# --- summaries -------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "message"), [
    ("en:\nnl: Eerste.\n", "{file}:1: the summary for en is empty: say what changed"),
    ("en: First.\nnl: 42\n", "{file}:2: the summary for nl must be text, not a number: quote it"),
    ("en: First.\nnl: [a, b]\n", "{file}:2: the summary for nl must be text, not a list: "
     "quote it"),
    ("en: First.\nnl: 2026-12-01\n", "{file}:2: the summary for nl must be text, not a date: "
     "quote it"),
    ("en: '   '\nnl: Eerste.\n", "{file}:1: the summary for en is empty: say what changed"),
    ("1: First.\n", "{file}: 1 is not a locale code: write one like 'en'"),
], ids=["null", "number", "list", "date", "blank", "number-key"])
def test_a_summary_is_non_empty_text(seeded: Path, tmp_path: Path, run_cli: RunCli, text: str,
                                     message: str) -> None:
    path = tmp_path / "summary.yml"
    path.write_text(text, encoding="utf-8")
    refused(run_cli(["release", day(0), "--effective", day(0), "--summary-file", str(path),
                     "--material", "--root", str(seeded)]), message.format(file=path))
    untouched(seeded)


@pytest.mark.parametrize(("option", "message"), [
    ("en=", "--summary en is empty: say what changed"),
    ("=First.", "--summary '=First.' must be LOCALE=TEXT"),
    ("en=\x7f", "--summary en holds the control character U+007F (column 1): remove it"),
])
def test_a_summary_option_is_non_empty_text(seeded: Path, run_cli: RunCli, option: str,
                                            message: str) -> None:
    refused(run_cli(["release", "--material", day(0), "--effective", day(0), "--summary", option,
                     "--summary", "nl=Eerste.", "--root", str(seeded)]), message)
    untouched(seeded)


# --- confirm targets, documents and locales listed twice -------------------------------------


@pytest.mark.parametrize(("target", "message"), [
    ("privacy#", "confirm target 'privacy#' names no clause: write DOCUMENT or "
     "DOCUMENT#CLAUSE, e.g. privacy#contact"),
    ("#contact", "confirm target '#contact' names no document: write DOCUMENT or "
     "DOCUMENT#CLAUSE, e.g. privacy#contact"),
])
def test_a_confirm_target_names_a_document_and_a_clause(seeded: Path, run_cli: RunCli,
                                                        target: str, message: str) -> None:
    refused(run_cli(["confirm", "nl", target, "--root", str(seeded)]), message)
    untouched(seeded)


@pytest.mark.parametrize(("text", "line", "message"), [
    ("documents:\n  - privacy\n  - privacy\n", 3, "documents: 'privacy' is listed twice: "
     "list it once"),
    ("documents: [privacy]\nlocales:\n  - en\n  - nl\n  - nl\n", 5,
     "locales: 'nl' is listed twice: list it once"),
    ("locales: [en, [nl]]\n", 1, "locales: expected a list of quoted locale codes like 'en'"),
], ids=["document", "locale", "locale-list"])
def test_a_name_listed_twice_is_refused(seeded: Path, text: str, line: int,
                                        message: str) -> None:
    (seeded / "policy/policy.yml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_project(seeded)
    assert (caught.value.file, caught.value.line, caught.value.message) == (
        "policy/policy.yml", line, message)


def test_a_filter_named_twice_reports_each_finding_once(seeded: Path, run_cli: RunCli) -> None:
    once = run_cli(["check", "--no-baseline", "--locale", "nl", "--root", str(seeded)])
    twice = run_cli(["check", "--no-baseline", "--locale", "nl,nl", "--locale", "nl",
                     "--document", "privacy,privacy", "--root", str(seeded)])
    assert once[0] == 1 and twice == once


# --- values MkDocs reads with YAML 1.1 -------------------------------------------------------

SITE = """\
site_name: Policy
docs_dir: locales
plugins:
  - i18n:
      languages:
        - locale: en
          default: true
          name: English
        - locale: {code}
          name: Norsk
"""
DOC = "---\ntitle: {title}\n---\n\n## 1. A {{#a}}\n\nText.\n"


@pytest.mark.parametrize(("code", "read"), [("no", False), ("on", True)])
def test_a_site_locale_mkdocs_reads_otherwise_is_refused(
        tmp_path: Path, write_project: WriteProject, code: str, read: bool) -> None:
    import yaml

    root = write_project(tmp_path, {"mkdocs.yml": SITE.format(code=code),
                                    "locales/en/privacy.md": DOC.format(title="T")})
    with pytest.raises(ConfigError) as caught:
        load_project(root)
    assert str(caught.value) == (f"mkdocs.yml:9: locale {code} reads as {read} in MkDocs "
                                 f"(YAML 1.1): quote it, locale: '{code}'")
    languages = yaml.safe_load(SITE.format(code=code))["plugins"][0]["i18n"]["languages"]
    assert languages[1]["locale"] is read  # what MkDocs' own parser makes of it


def test_a_quoted_site_locale_is_read_alike(tmp_path: Path, write_project: WriteProject) -> None:
    root = write_project(tmp_path, {"mkdocs.yml": SITE.format(code="'no'"),
                                    "locales/en/privacy.md": DOC.format(title="T")})
    assert load_project(root).locales == ("en", "no")


def test_a_site_locale_listed_twice_is_refused(tmp_path: Path,
                                               write_project: WriteProject) -> None:
    root = write_project(tmp_path, {"mkdocs.yml": SITE.format(code="en"),
                                    "locales/en/privacy.md": DOC.format(title="T")})
    with pytest.raises(ConfigError) as caught:
        load_project(root)
    assert str(caught.value) == ("mkdocs.yml:9: locale 'en' is listed twice in the i18n "
                                 "languages: list it once")


@pytest.mark.parametrize(("title", "message"), [
    ("no", "the title no reads as False in MkDocs (YAML 1.1): quote it, title: \"no\""),
    ("1:20", "the title 1:20 reads as 80 in MkDocs (YAML 1.1): quote it, title: \"1:20\""),
    ("'no'", None),
    ("Privacy, no exceptions", None),
])
def test_a_title_mkdocs_reads_otherwise_is_a_finding(
        tmp_path: Path, write_project: WriteProject, run_cli: RunCli, title: str,
        message: str | None) -> None:
    root = write_project(tmp_path, {"locales/en/privacy.md": DOC.format(title=title)})
    code, out, _ = run_cli(["check", "--root", str(root)])
    if message is None:
        assert (code, out.splitlines()[-1]) == (0, "policy check passed: 0 errors, "
                                                   "0 warnings, 0 info")
    else:
        assert (code, out.splitlines()[0]) == (
            1, f"locales/en/privacy.md:2: error [front-matter-title] {message}")
