"""What the tools write reads back; what they read holds no aliases; writes keep modes."""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import POLICY, copy_seeds
from policytools.config import load_project
from policytools.confirmations import Confirmations, load_confirmations, save
from policytools.errors import PolicyError
from policytools.yamlio import dump_checked, load_yaml, storable, write_atomic, write_yaml

if TYPE_CHECKING:
    from conftest import RunCli

# Every code point class that trips YAML up: controls, separators, surrogates, quotes, spaces
TRICKY = st.text(alphabet=st.one_of(
    st.characters(codec="utf-8"), st.characters(categories=["Cc", "Zl", "Zp", "Cs", "Zs"]),
    st.sampled_from("\x0b\x01\x7f\x85\r\n\t\ufeff\ufffe\uffff\u2028 #:-|>'\"&*!%@`{}[]")))


def _literal(text: str) -> Any:
    """A text as the ledger writes a summary: a block scalar when it spans lines."""
    from ruamel.yaml.scalarstring import LiteralScalarString

    return LiteralScalarString(text) if "\n" in text else text


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=TRICKY)
def test_any_text_is_refused_or_reads_back_exactly(tmp_path: Path, text: str) -> None:
    path = tmp_path / "data.yml"
    try:
        value = storable(text, "the text")
    except PolicyError as exc:
        assert exc.message.startswith("the text holds the ")
        assert " U+" in exc.message and exc.message.endswith("): remove it")
        return
    write_yaml(path, {"summary": _literal(value), "plain": value}, "data.yml")
    assert load_yaml(path, "data.yml") == {"summary": value, "plain": value}


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=TRICKY)
def test_any_confirmed_text_reads_back_exactly(tmp_path: Path, text: str) -> None:
    (tmp_path / "locales/en").mkdir(parents=True, exist_ok=True)
    (tmp_path / "locales/en/privacy.md").write_text("---\ntitle: T\n---\n", encoding="utf-8")
    try:
        value = storable(text, "the text")
    except PolicyError:
        return
    path = tmp_path / "policy/confirmed.yml"
    save(Confirmations(path, {"nl": {"privacy": {"contact": "0" * 16}}}, {"0" * 16: value}))
    again = load_confirmations(load_project(tmp_path))
    assert again.texts == {"0" * 16: value}


@pytest.mark.parametrize(("text", "message"), [
    ("Line\x0bbreak", "the text holds the control character U+000B (column 5): remove it"),
    ("a\nb\x7f", "the text holds the control character U+007F (line 2, column 2): remove it"),
    ("\x01", "the text holds the control character U+0001 (column 1): remove it"),
    ("a\rb", "the text holds the control character U+000D (column 2): remove it"),
    ("a\u2028b", "the text holds the character U+2028 (column 2): remove it"),
    ("a\udcff", "the text holds the character U+DCFF (column 2): remove it"),
    ("a\uffff", "the text holds the character U+FFFF (column 2): remove it"),
], ids=["vertical-tab", "delete", "start-of-heading", "lone-cr", "line-separator",
        "undecodable-byte", "noncharacter"])
def test_storable_names_the_character_and_where(text: str, message: str) -> None:
    with pytest.raises(PolicyError) as caught:
        storable(text, "the text")
    assert caught.value.message == message


def test_storable_keeps_tabs_and_makes_windows_line_ends_plain() -> None:
    assert storable("a\tb\r\nc\n", "the text") == "a\tb\nc\n"


def test_a_text_that_would_not_read_back_is_never_written(tmp_path: Path) -> None:
    from ruamel.yaml.scalarstring import LiteralScalarString

    path = tmp_path / "releases.yml"
    path.write_text("releases: []\n", encoding="utf-8")
    with pytest.raises(PolicyError) as caught:
        write_yaml(path, {"summary": LiteralScalarString("a\nb\x01c")}, "releases.yml")
    assert str(caught.value) == ("releases.yml: refused to write: the YAML would not read back "
                                 "as written (a character YAML cannot store?); the file was "
                                 "left as it was")
    assert path.read_text(encoding="utf-8") == "releases: []\n"
    assert list(tmp_path.iterdir()) == [path]
    assert dump_checked({"a": "b"}, "x") == "a: b\n"


# --- control characters at the command line and in locales/ ---------------------------------


def test_release_refuses_a_summary_with_a_control_character(tmp_path: Path,
                                                            run_cli: RunCli) -> None:
    root = copy_seeds(tmp_path / "repo", "policy.yml", "baseline.yml")
    code, out, err = run_cli(["release", _today(), "--material", "--effective", _today(),
                              "--summary", "en=First line\nsecond\x0bline",
                              "--summary", "nl=Eerste.", "--root", str(root)])
    assert (code, out, err) == (2, "", "policy: error: --summary en holds the control "
                                "character U+000B (line 2, column 7): remove it\n")
    assert not (root / "policy/releases.yml").exists()


def test_confirm_refuses_a_clause_it_could_not_store(tmp_path: Path, run_cli: RunCli) -> None:
    root = copy_seeds(tmp_path / "repo", "policy.yml")
    source = root / "locales/en/privacy.md"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("Personal data is", "Personal\x01 data is", 1),
                      encoding="utf-8")
    code, out, err = run_cli(["confirm", "nl", "--root", str(root)])
    assert (code, out) == (2, "")
    assert err == ("policy: error: locales/en/privacy.md:11: clause 'personal-data' holds the "
                   "control character U+0001: remove it from the source, then confirm\n")
    assert not (root / "policy/confirmed.yml").exists()
    code, out, _ = run_cli(["check", "--root", str(root), "--no-baseline"])
    assert ("locales/en/privacy.md:11: error [text-control-character] the control character "
            "U+0001 (column 9) shows as nothing or as a box: remove it (Word pastes U+000B for "
            "a line break)\n") in out


def _today() -> str:
    import datetime as dt

    return dt.date.today().isoformat()


# --- anchors and aliases -------------------------------------------------------------------

BOMB = "\n".join([
    'a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]',
    *(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)),
    "releases: *a9"]) + "\n"


@pytest.mark.parametrize("command", [["verify"], ["check"], ["diff"]])
def test_an_alias_bomb_is_refused_at_once_by_a_real_process(tmp_path: Path,
                                                            command: list[str]) -> None:
    root = copy_seeds(tmp_path / "repo", "policy.yml")
    (root / "policy/releases.yml").write_text(BOMB, encoding="utf-8")
    assert POLICY
    done = subprocess.run([POLICY, *command, "--root", str(root)], capture_output=True,
                          text=True, timeout=20, check=False)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == ("policy: error: policy/releases.yml:1: YAML anchors and aliases "
                           "('&a0', '*a0') are not allowed here: write each value out\n")


@pytest.mark.parametrize(("name", "text", "line"), [
    ("policy/policy.yml", "documents: &d [privacy]\nterms: *d\n", 1),
    ("policy/confirmed.yml", "texts: {}\nconfirmed:\n  nl: &x {}\n  de: *x\n", 3),
    ("policy/baseline.yml", "version: 1\naccepted: &a []\nother: *a\n", 2),
])
def test_no_data_file_may_hold_an_alias(tmp_path: Path, run_cli: RunCli, name: str,
                                        text: str, line: int) -> None:
    root = copy_seeds(tmp_path / "repo", "policy.yml")
    (root / name).write_text(text, encoding="utf-8")
    code, _, err = run_cli(["check", "--root", str(root)])
    anchor = text.split("&")[1][0]
    assert (code, err) == (2, f"policy: error: {name}:{line}: YAML anchors and aliases "
                              f"('&{anchor}', '*{anchor}') are not allowed here: write each "
                              "value out\n")


def test_front_matter_may_hold_no_alias(tmp_path: Path, run_cli: RunCli) -> None:
    root = copy_seeds(tmp_path / "repo", "policy.yml")
    path = root / "locales/nl/privacy.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("---\n", "---\nx: &t Titel\n", 1), encoding="utf-8")
    code, out, _ = run_cli(["check", "--root", str(root), "--no-baseline"])
    assert code == 1
    assert ("locales/nl/privacy.md:2: error [front-matter-invalid] YAML anchors and aliases "
            "('&t', '*t') are not allowed here: write each value out\n") in out


def test_a_summary_file_may_hold_no_alias(tmp_path: Path, run_cli: RunCli) -> None:
    root = copy_seeds(tmp_path / "repo", "policy.yml", "baseline.yml")
    summary = tmp_path / "summary.yml"
    summary.write_text("en: &s Same text.\nnl: *s\n", encoding="utf-8")
    code, _, err = run_cli(["release", _today(), "--material", "--effective", _today(),
                            "--summary-file", str(summary), "--root", str(root)])
    assert (code, err) == (2, f"policy: error: {summary}:1: YAML anchors and aliases ('&s', "
                              "'*s') are not allowed here: write each value out\n")


def test_a_data_file_linked_to_a_device_is_refused_by_a_real_process(tmp_path: Path) -> None:
    root = copy_seeds(tmp_path / "repo", "policy.yml")
    (root / "policy/releases.yml").symlink_to("/dev/zero")
    assert POLICY
    # a regression reads /dev/zero forever: cap the child's memory, not the shared machine's
    done = subprocess.run([POLICY, "verify", "--root", str(root)], capture_output=True,
                          text=True, timeout=20, check=False, preexec_fn=_memory_cap)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == ("policy: error: policy/releases.yml: cannot read: it is a character "
                           "device, not a regular file\n")


def _memory_cap() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))


# --- modes and --output ----------------------------------------------------------------------


def test_a_rewritten_file_keeps_its_mode(tmp_path: Path) -> None:
    path = tmp_path / "releases.yml"
    path.write_text("old\n", encoding="utf-8")
    path.chmod(0o640)
    write_atomic(path, "new\n")
    assert (path.read_text(encoding="utf-8"), stat.S_IMODE(path.stat().st_mode)) == ("new\n",
                                                                                     0o640)


def test_a_new_file_gets_the_mode_the_umask_allows(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        write_atomic(tmp_path / "new.yml", "new\n")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.yml").stat().st_mode) == 0o640


def test_a_release_keeps_the_ledger_mode(tmp_path: Path, run_cli: RunCli) -> None:
    root = copy_seeds(tmp_path / "repo", "policy.yml", "baseline.yml")
    ledger = root / "policy/releases.yml"
    ledger.write_text("releases: []\n", encoding="utf-8")
    ledger.chmod(0o644)
    code, _, err = run_cli(["release", _today(), "--material", "--effective", _today(),
                            "--summary", "en=A.", "--summary", "nl=B.", "--root", str(root)])
    assert (code, err) == (0, "")
    assert stat.S_IMODE(ledger.stat().st_mode) == 0o644


# Devices only behind a link or as a FIFO in tmp_path: a regression must never be able to
# replace the real /dev/null (the test runs as root here).
@pytest.mark.parametrize(("target", "message"), [
    ("{tmp}", "--output {tmp}: cannot write: it is a folder"),
    ("{tmp}/null", "--output {tmp}/null: cannot write: it is not a regular file"),
    ("{tmp}/fifo", "--output {tmp}/fifo: cannot write: it is not a regular file"),
    ("/proc/self/status", "--output /proc/self/status: cannot write: No such file or directory"),
    ("{tmp}/file.txt/report.txt", "--output {tmp}/file.txt/report.txt: cannot write: Not a "
     "directory"),
], ids=["folder", "device", "fifo", "proc", "below-a-file"])
def test_output_that_cannot_be_written_is_one_line(tmp_path: Path, target: str,
                                                   message: str) -> None:
    root = copy_seeds(tmp_path / "repo", "policy.yml", "baseline.yml")
    (tmp_path / "file.txt").write_text("kept\n", encoding="utf-8")
    (tmp_path / "null").symlink_to("/dev/null")
    os.mkfifo(tmp_path / "fifo")
    before = sorted(p.name for p in tmp_path.iterdir())
    assert POLICY
    done = subprocess.run([POLICY, "check", "--root", str(root), "--output",
                           target.format(tmp=tmp_path)], capture_output=True, text=True,
                          timeout=60, check=False)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == f"policy: error: {message.format(tmp=tmp_path)}\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert (tmp_path / "file.txt").read_text(encoding="utf-8") == "kept\n"
    assert (tmp_path / "null").is_symlink() and (tmp_path / "fifo").is_fifo()


def test_output_creates_missing_folders(tmp_path: Path, run_cli: RunCli) -> None:
    root = copy_seeds(tmp_path / "repo", "policy.yml", "baseline.yml")
    target = tmp_path / "reports/2026/check.txt"
    code, out, err = run_cli(["check", "--root", str(root), "--output", str(target)])
    assert (code, out, err) == (0, "", "")
    assert "\npolicy check passed: 0 errors" in target.read_text(encoding="utf-8")
