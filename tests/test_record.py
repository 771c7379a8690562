"""``policy record``: one release as an evidence bundle (zip or folder), checked and repeatable."""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from conftest import POLICY, copy_seeds, edit_file, release_argv
from policytools.cli import main
from policytools.yamlio import parse_yaml

if TYPE_CHECKING:
    from conftest import RunCli

EN_UPDATES = "We will post any privacy policy changes on this page."
NL_UPDATES = "Wij zullen wijzigingen in het privacybeleid op deze pagina publiceren."
FIRST, SECOND, THIRD = "2026-11-23", "2026-11-24", "2026-11-25"
BOTH = {"README.txt", "SHA256SUMS", "confirmed.yml", "release.yml", "texts/en/privacy.md",
        "texts/nl/privacy.md"}


def _release(root: Path, version: str, *locales: str, drift: bool = False) -> None:
    extra = ("--allow-drift", "the test adds facts to the English only") if drift else ()
    assert main([*release_argv(version, *locales), *extra, "--root", str(root)],
                out=io.StringIO()) == 0


@pytest.fixture(scope="module")
def history_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds released as 2026-11-23; both texts edited as 2026-11-24; the English alone
    edited again as 2026-11-25."""
    root = copy_seeds(tmp_path_factory.mktemp("record") / "repo", "policy.yml", "baseline.yml")
    _release(root, FIRST, "en", "nl")
    edit_file(root / "locales/en/privacy.md", EN_UPDATES, EN_UPDATES[:-1] + " first.")
    edit_file(root / "locales/nl/privacy.md", NL_UPDATES, NL_UPDATES[:-1] + " eerst.")
    _release(root, SECOND, "en", "nl")
    edit_file(root / "locales/en/privacy.md", " first.", " first, in advance.")
    _release(root, THIRD, "en")
    return root


@pytest.fixture
def history(tmp_path: Path, history_template: Path) -> Path:
    return Path(shutil.copytree(history_template, tmp_path / "repo"))


def record(root: Path, version: str, output: Path, *extra: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["record", version, "--output", str(output), "--root", str(root), *extra],
                out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def folder_files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def zip_files(path: Path, version: str) -> dict[str, bytes]:
    prefix = f"policy-record-{version}/"
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        assert all(name.startswith(prefix) for name in names)
        return {name.removeprefix(prefix): archive.read(name) for name in names}


def sha256sum_check(folder: Path) -> str:
    """The real ``sha256sum -c SHA256SUMS`` run in ``folder``; fails the test unless all OK."""
    done = subprocess.run(["sha256sum", "--strict", "-c", "SHA256SUMS"], cwd=folder,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def ledger_item(root: Path, version: str) -> dict[str, object]:
    data = parse_yaml((root / "policy/releases.yml").read_text(encoding="utf-8"), "ledger")
    item: dict[str, object] = next(r for r in data["releases"] if r["version"] == version)
    return item


# --- what a record holds --------------------------------------------------------------------


def test_zip_and_folder_hold_the_same_files_and_sha256sum_checks_them(
        history: Path, tmp_path: Path) -> None:
    code, out, err = record(history, SECOND, tmp_path / "record.zip")
    assert (code, err) == (0, "")
    assert out == (f"policy record: recorded release {SECOND} in {tmp_path / 'record.zip'} "
                   "(10 files); check it with: sha256sum -c SHA256SUMS\n")
    assert record(history, SECOND, tmp_path / "folder")[0] == 0
    in_folder = folder_files(tmp_path / "folder")
    assert zip_files(tmp_path / "record.zip", SECOND) == in_folder
    assert set(in_folder) == BOTH | {"redlines/en/privacy.html", "redlines/en/privacy.md",
                                     "redlines/nl/privacy.html", "redlines/nl/privacy.md"}
    said = sha256sum_check(tmp_path / "folder")
    assert said.splitlines() == [f"{name}: OK" for name in sorted(in_folder)
                                 if name != "SHA256SUMS"]
    with zipfile.ZipFile(tmp_path / "record.zip") as archive:
        archive.extractall(tmp_path / "unzipped")
    sha256sum_check(tmp_path / "unzipped" / f"policy-record-{SECOND}")


def test_texts_are_the_archived_bytes_of_the_version_with_the_ledger_hashes(
        history: Path, tmp_path: Path) -> None:
    assert record(history, THIRD, tmp_path / "r")[0] == 0
    files = folder_files(tmp_path / "r")
    archive = history / "policy/archive"
    # the English changed in this release; the Dutch is the one 2026-11-24 archived
    assert files["texts/en/privacy.md"] == (archive / THIRD / "en/privacy.md").read_bytes()
    assert files["texts/nl/privacy.md"] == (archive / SECOND / "nl/privacy.md").read_bytes()
    third, second = ledger_item(history, THIRD), ledger_item(history, SECOND)
    assert hashlib.sha256(files["texts/en/privacy.md"]).hexdigest() == \
        third["files"]["en/privacy.md"]  # type: ignore[index]
    assert hashlib.sha256(files["texts/nl/privacy.md"]).hexdigest() == \
        second["files"]["nl/privacy.md"]  # type: ignore[index]
    # only the text this release changed has a redline
    assert {n for n in files if n.startswith("redlines/")} == {"redlines/en/privacy.html",
                                                              "redlines/en/privacy.md"}


def test_release_yml_is_the_ledger_entry_unchanged_with_its_place(history: Path,
                                                                  tmp_path: Path) -> None:
    assert record(history, THIRD, tmp_path / "r")[0] == 0
    text = (tmp_path / "r/release.yml").read_text(encoding="utf-8")
    data = parse_yaml(text, "release.yml")
    assert data == {"version": THIRD, "position": 3, "follows": [FIRST, SECOND],
                    "entry": [ledger_item(history, THIRD)]}
    block = text.partition("entry:\n")[2]
    assert block.startswith(f'  - version: "{THIRD}"\n')
    assert block in (history / "policy/releases.yml").read_text(encoding="utf-8")
    assert record(history, FIRST, tmp_path / "first")[0] == 0
    first = parse_yaml((tmp_path / "first/release.yml").read_text(encoding="utf-8"), "r")
    assert (first["position"], first["follows"]) == (1, [])


def test_an_entry_in_flow_style_is_written_out_from_its_data(history: Path,
                                                             tmp_path: Path) -> None:
    ledger = history / "policy/releases.yml"
    data = parse_yaml(ledger.read_text(encoding="utf-8"), "ledger")
    flow = "releases: [" + ", ".join(_flow(item) for item in data["releases"]) + "]\n"
    ledger.write_text(flow, encoding="utf-8")
    assert record(history, SECOND, tmp_path / "r")[0] == 0
    written = parse_yaml((tmp_path / "r/release.yml").read_text(encoding="utf-8"), "r")
    assert written["entry"] == [data["releases"][1]]


def _flow(item: dict[str, object]) -> str:
    import json

    return json.dumps(item)


def test_confirmed_yml_says_none_recorded_or_lists_the_snapshot(history: Path,
                                                               tmp_path: Path) -> None:
    assert record(history, THIRD, tmp_path / "none")[0] == 0
    none = (tmp_path / "none/confirmed.yml").read_text(encoding="utf-8")
    assert "confirmed: {}  # none recorded" in none
    assert parse_yaml(none, "c") == {"version": THIRD, "confirmed": {}}
    readme = (tmp_path / "none/README.txt").read_text(encoding="utf-8")
    assert "  none recorded: the ledger entry confirms no clause of a translation\n" in readme
    with (history / "policy/releases.yml").open("a", encoding="utf-8") as ledger:
        ledger.write("    confirmed:\n      nl/privacy.md:\n        - contact\n"
                     "        - about-us\n")
    assert record(history, THIRD, tmp_path / "some")[0] == 0
    some = parse_yaml((tmp_path / "some/confirmed.yml").read_text(encoding="utf-8"), "c")
    assert some == {"version": THIRD, "confirmed": {"nl/privacy.md": ["about-us", "contact"]}}
    readme = (tmp_path / "some/README.txt").read_text(encoding="utf-8")
    assert ("  nl/privacy.md: 2 of 13 clauses confirmed; not confirmed: personal-data, "
            "data-subjects,\n                 collection, tracking,") in readme


def test_readme_gives_dates_class_summaries_and_how_to_check(history: Path,
                                                            tmp_path: Path) -> None:
    assert record(history, SECOND, tmp_path / "r")[0] == 0
    readme = (tmp_path / "r/README.txt").read_text(encoding="utf-8")
    assert readme.startswith(f"Record of release {SECOND}\n============================\n")
    assert (f"  Version:       {SECOND} (the 2nd release of policy/releases.yml, after "
            f"{FIRST})\n  Class:         editorial change\n  Released:      {SECOND}\n"
            f"  Takes effect:  {SECOND}\n  Backdated:     recorded by the tests\n") in readme
    assert "  en:  Replies first.\n  nl:  Eerst antwoorden.\n" in readme
    assert "    sha256sum -c SHA256SUMS\n" in readme
    assert ("  redlines/nl/privacy.html   what this release changed in nl/privacy.md, since "
            f"release\n                             {FIRST} (opens in any browser, offline)\n"
            ) in readme
    assert record(history, FIRST, tmp_path / "first")[0] == 0
    first = (tmp_path / "first/README.txt").read_text(encoding="utf-8")
    assert ("  texts/nl/privacy.md   the text of version 2026-11-23 (first published by "
            "this release)\n") in first
    assert ("  No redline for en/privacy.md, nl/privacy.md: this release first published "
            "them, so there\n  is no earlier version to compare with.\n") in first


def test_redline_html_is_a_standalone_page_that_loads_nothing(history: Path,
                                                              tmp_path: Path) -> None:
    edit_file(history / "locales/en/privacy.md", " first, in advance.",
              " first, <script>alert(1)</script> [x](https://example.com/a.png).")
    _release(history, "2026-11-26", "en", drift=True)
    assert record(history, "2026-11-26", tmp_path / "r")[0] == 0
    html = (tmp_path / "r/redlines/en/privacy.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=")
    assert ("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
            "style-src 'unsafe-inline'\">") in html
    assert "<style>" in html and html.endswith("</body>\n</html>\n")
    assert "<script" not in html and "&lt;script&gt;" in html
    assert not re.search(r"\s(?:src|href)\s*=", html)
    assert "<title>Redline of en/privacy.md: version 2026-11-25 → 2026-11-26</title>" in html
    markdown = (tmp_path / "r/redlines/en/privacy.md").read_text(encoding="utf-8")
    assert markdown.startswith("# Redline of en/privacy\\.md: version 2026\\-11\\-25 → ")
    assert "<ins>" in markdown and "<script" not in markdown


def test_a_control_character_in_a_summary_is_written_out_in_the_readme(
        history: Path, tmp_path: Path) -> None:
    ledger = history / "policy/releases.yml"
    edit_file(ledger, '"en": Replies first.\n    backdated', '"en": "Replies\\e[2J first."\n'
              "    backdated")
    assert record(history, THIRD, tmp_path / "r")[0] == 0
    readme = (tmp_path / "r/README.txt").read_text(encoding="utf-8")
    assert "  en:  Replies<U+001B>[2J first.\n" in readme
    assert "\x1b" not in readme


def test_a_text_with_a_byte_order_mark_is_recorded_byte_for_byte(history: Path,
                                                                 tmp_path: Path) -> None:
    path = history / "locales/en/privacy.md"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    _release(history, "2026-11-26", "en")
    assert record(history, "2026-11-26", tmp_path / "r")[0] == 0
    data = (tmp_path / "r/texts/en/privacy.md").read_bytes()
    assert data == (history / "policy/archive/2026-11-26/en/privacy.md").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    sha256sum_check(tmp_path / "r")


def test_a_superseding_release_is_recorded_against_the_version_it_did_not_let_take_effect(
        history: Path, tmp_path: Path) -> None:
    edit_file(history / "policy/releases.yml", f'    released: "{THIRD}"\n',
              f'    released: "{THIRD}"\n    supersedes: "{SECOND}"\n')
    assert record(history, THIRD, tmp_path / "r")[0] == 0
    files = folder_files(tmp_path / "r")
    archive = history / "policy/archive"
    # 2026-11-24 never takes effect: the Dutch in force is the first one, and the English
    # redline compares with the first English
    assert files["texts/nl/privacy.md"] == (archive / FIRST / "nl/privacy.md").read_bytes()
    assert f"<title>Redline of en/privacy.md: version {FIRST} → {THIRD}</title>" in \
        files["redlines/en/privacy.html"].decode()
    readme = files["README.txt"].decode()
    assert (f"  Supersedes:    {SECOND} (an announced release it corrects, never in force from "
            "then on)\n") in readme
    assert f"(unchanged since release {FIRST})" in " ".join(readme.split())


def test_the_shipped_release_is_recorded_from_the_real_repository(
        seeds_root: Path, tmp_path: Path) -> None:
    assert record(seeds_root, "2026-11-23", tmp_path / "r")[0] == 0
    files = folder_files(tmp_path / "r")
    for name in ("en/privacy.md", "nl/privacy.md"):
        shipped = seeds_root / "policy/archive/2026-11-23" / name
        assert files[f"texts/{name}"] == shipped.read_bytes()
    assert not any(name.startswith("redlines/") for name in files)
    sha256sum_check(tmp_path / "r")


# --- the same release, the same bytes -------------------------------------------------------


def test_two_records_of_a_release_are_identical_even_after_a_later_release(
        history: Path, tmp_path: Path) -> None:
    assert record(history, SECOND, tmp_path / "one.zip")[0] == 0
    assert record(history, SECOND, tmp_path / "two.zip")[0] == 0
    first = (tmp_path / "one.zip").read_bytes()
    assert (tmp_path / "two.zip").read_bytes() == first
    edit_file(history / "locales/en/privacy.md", " first, in advance.", " at once.")
    _release(history, "2026-11-26", "en")
    assert record(history, SECOND, tmp_path / "three.zip")[0] == 0
    assert (tmp_path / "three.zip").read_bytes() == first


def test_zip_entries_are_sorted_stored_and_stamped_with_the_release_date(
        history: Path, tmp_path: Path) -> None:
    assert record(history, SECOND, tmp_path / "r.zip")[0] == 0
    with zipfile.ZipFile(tmp_path / "r.zip") as archive:
        infos = archive.infolist()
    names = [info.filename for info in infos]
    assert names == sorted(names)
    assert {(info.date_time, info.external_attr >> 16, info.compress_type, info.create_system)
            for info in infos} == {((2026, 11, 24, 0, 0, 0), 0o100644, zipfile.ZIP_STORED, 3)}


# --- refusals ---------------------------------------------------------------------------------


def test_a_tampered_archive_refuses_the_record_with_one_line(
        history: Path, tmp_path: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    tampered = history / f"policy/archive/{FIRST}/nl/privacy.md"
    tampered.write_bytes(tampered.read_bytes().replace(b"Westcon", b"Eastcon", 1))
    monkeypatch.chdir(tmp_path)
    code, out, err = run_cli(["record", SECOND, "--root", str(history)])
    assert (code, out) == (2, "")
    assert err == (f"policy: error: policy/archive/{FIRST}/nl/privacy.md: does not match its "
                   f"SHA-256 in policy/releases.yml (release {FIRST}): released text is never "
                   "edited; restore it from version control\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["repo"]


def test_an_unknown_version_is_refused_naming_the_known_ones(history: Path, tmp_path: Path,
                                                             run_cli: RunCli) -> None:
    code, out, err = record(history, "2026-12-01", tmp_path / "r.zip")
    assert (code, out) == (2, "")
    assert err == ("policy: error: policy/releases.yml: no release '2026-12-01' (releases: "
                   f"{FIRST}, {SECOND}, {THIRD})\n")
    assert not (tmp_path / "r.zip").exists()


def test_a_ledger_naming_a_path_outside_the_archive_is_refused(history: Path,
                                                               tmp_path: Path) -> None:
    ledger = history / "policy/releases.yml"
    digest = "a" * 64
    edit_file(ledger, "    files:\n      en/privacy.md: 3", "    files:\n      "
              f"../../../secret.md: {digest}\n      en/privacy.md: 3")
    code, _, err = record(history, FIRST, tmp_path / "r.zip")
    assert code == 2
    assert err == (f"policy: error: policy/releases.yml:5: release {FIRST}: "
                   "'../../../secret.md' is no text name <locale>/<document>.md\n")


@pytest.mark.parametrize(("output", "force", "message"), [
    ("missing/r.zip", False, "missing/r.zip: the folder missing does not exist: create it "
     "first, or choose another --output"),
    ("existing.zip", False, "existing.zip: already exists: choose another --output, or pass "
     "--force to replace it"),
    ("folder", False, "folder: is a folder: name the record to write inside it, as in "
     f"--output folder/policy-record-{SECOND}.zip"),
    ("folder", True, "folder: is a folder: name the record to write inside it, as in "
     f"--output folder/policy-record-{SECOND}.zip"),
    ("existing.txt", True, "existing.txt: --force replaces a zip with a zip and a record "
     "folder with a record folder, nothing else"),
    ("folder.zip", True, "folder.zip: is a folder: name the record to write inside it, as in "
     f"--output folder.zip/policy-record-{SECOND}.zip"),
    ("repo/policy/r.zip", False, "repo/policy/r.zip: is inside policy/, which only policy "
     "release writes: record elsewhere"),
])
def test_an_output_that_cannot_be_written_is_refused_with_one_line(
        history: Path, tmp_path: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch,
        output: str, force: bool, message: str) -> None:
    (tmp_path / "existing.zip").write_bytes(b"kept")
    (tmp_path / "existing.txt").write_bytes(b"kept")
    (tmp_path / "folder").mkdir()
    (tmp_path / "folder" / "notes.txt").write_bytes(b"kept")
    (tmp_path / "folder.zip").mkdir()
    before = folder_files(tmp_path)
    monkeypatch.chdir(tmp_path)
    code, out, err = run_cli(["record", SECOND, "--output", output, "--root", str(history),
                              *(("--force",) if force else ())])
    assert (code, out, err) == (2, "", f"policy: error: {message}\n")
    assert folder_files(tmp_path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["existing.txt", "existing.zip",
                                                          "folder", "folder.zip", "repo"]


def test_force_replaces_an_earlier_record_of_the_same_kind(history: Path,
                                                          tmp_path: Path) -> None:
    (tmp_path / "r.zip").write_bytes(b"an older export")
    assert record(history, SECOND, tmp_path / "r.zip", "--force")[0] == 0
    assert zip_files(tmp_path / "r.zip", SECOND)["release.yml"].startswith(b"# Release")
    assert record(history, FIRST, tmp_path / "r")[0] == 0
    assert record(history, SECOND, tmp_path / "r", "--force")[0] == 0
    assert folder_files(tmp_path / "r") == zip_files(tmp_path / "r.zip", SECOND)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r", "r.zip", "repo"]
    (tmp_path / "r/extra.txt").write_bytes(b"not of the record")
    code, _, err = record(history, SECOND, tmp_path / "r", "--force")
    assert code == 2
    assert err.endswith(": is a folder: name the record to write inside it, as in --output "
                        f"{tmp_path / 'r'}/policy-record-{SECOND}.zip\n")
    assert (tmp_path / "r/extra.txt").exists()


# --- real processes ---------------------------------------------------------------------------


def test_real_subprocess_writes_the_default_zip_in_the_current_folder(
        history: Path, tmp_path: Path) -> None:
    assert POLICY is not None
    work = tmp_path / "work"
    work.mkdir()
    done = subprocess.run([POLICY, "record", SECOND, "--root", str(history)], cwd=work,
                          capture_output=True, text=True, timeout=120, check=False)
    name = f"policy-record-{SECOND}.zip"
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == (f"policy record: recorded release {SECOND} in {name} (10 files); "
                           "check it with: sha256sum -c SHA256SUMS\n")
    assert [p.name for p in work.iterdir()] == [name]
    with zipfile.ZipFile(work / name) as archive:
        archive.extractall(work / "out")
    sha256sum_check(work / "out" / f"policy-record-{SECOND}")


def test_a_killed_record_leaves_no_output(history: Path, tmp_path: Path) -> None:
    assert POLICY is not None
    done = subprocess.run([POLICY, "record", SECOND, "--output", str(tmp_path / "r"), "--root",
                           str(history)], capture_output=True, text=True, timeout=120,
                          check=False, env={**os.environ, "POLICY_FAULT_AT": "record staging"})
    assert done.returncode == -9
    assert not (tmp_path / "r").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".r.")] != []
