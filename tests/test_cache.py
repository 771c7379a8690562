"""The findings cache: a warm re-run answers from it, and any changed input invalidates it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import POLICY, RunCli, copy_seeds, edit_file
from policytools import cache
from policytools.baseline import Judged
from policytools.cache import CACHE_DIR, cached

NL = "locales/nl/privacy.md"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return copy_seeds(tmp_path / "repo", "policy.yml", "baseline.yml")


def _entries(root: Path) -> list[Path]:
    return sorted((root / CACHE_DIR).glob("*.json"))


def test_a_warm_run_gives_what_a_cold_run_gives(root: Path, run_cli: RunCli) -> None:
    cold = run_cli(["check", "--root", str(root), "--format", "json"])
    assert len(_entries(root)) == 1
    assert run_cli(["check", "--root", str(root), "--format", "json"]) == cold
    assert run_cli(["check", "--root", str(root), "--format", "json", "--no-cache"]) == cold
    assert (root / CACHE_DIR / ".gitignore").read_text(encoding="utf-8").endswith("*\n")
    assert (root / CACHE_DIR / "CACHEDIR.TAG").read_text(encoding="utf-8").startswith(
        "Signature: 8a477f597d28d172789f06886806bc55")


@pytest.mark.parametrize(("rel", "old", "new", "expect"), [
    pytest.param(NL, "jonger dan 13 jaar", "jonger dan 16 jaar", "[fact-number]",
                 id="translation"),
    pytest.param("locales/en/privacy.md", "under the age of 13", "under the age of 12",
                 "[fact-number]", id="source"),
    pytest.param("policy/policy.yml", "  - WGEO\n", "", "1 baseline entry no longer occurs",
                 id="terms"),
    pytest.param("policy/baseline.yml", "  - fingerprint: 37831bbbe89e7a34",
                 "  - fingerprint: ffffffffffffffff", "[address-inconsistent]", id="baseline"),
])
def test_any_changed_input_is_checked_again(root: Path, run_cli: RunCli, rel: str, old: str,
                                            new: str, expect: str) -> None:
    code, out, _ = run_cli(["check", "--root", str(root)])
    assert (code, expect in out) == (0, False)
    edit_file(root / rel, old, new)
    code, out, _ = run_cli(["check", "--root", str(root)])
    assert expect in out
    assert run_cli(["check", "--root", str(root), "--no-cache"])[1] == out


def test_a_new_file_and_a_removed_one_are_inputs(root: Path, run_cli: RunCli) -> None:
    run_cli(["check", "--root", str(root)])
    (root / "locales" / "nl" / "cookies.md").write_text("---\ntitle: x\n---\n", encoding="utf-8")
    assert "[document-undeclared]" in run_cli(["check", "--root", str(root)])[1]
    (root / "locales" / "nl" / "cookies.md").unlink()
    assert "[document-undeclared]" not in run_cli(["check", "--root", str(root)])[1]


def test_options_have_entries_of_their_own(root: Path, run_cli: RunCli) -> None:
    everything = run_cli(["check", "--root", str(root), "--no-baseline"])
    english = run_cli(["check", "--root", str(root), "--no-baseline", "--locale", "en"])
    assert everything != english
    assert len(_entries(root)) == 2
    assert run_cli(["check", "--root", str(root), "--no-baseline"]) == everything


def _judged(calls: list[int]) -> tuple[Judged, str | None]:
    calls.append(1)
    return Judged([], [], []), "policy/baseline.yml"


def test_another_version_of_the_tool_checks_again(root: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    cached(root, ["x"], lambda: _judged(calls))
    cached(root, ["x"], lambda: _judged(calls))
    assert calls == [1]
    monkeypatch.setattr(cache, "__version__", "99.0")
    cached(root, ["x"], lambda: _judged(calls))
    assert calls == [1, 1]


def test_a_file_changed_during_the_run_is_not_cached(root: Path) -> None:
    calls: list[int] = []

    def edit_meanwhile() -> tuple[Judged, str | None]:
        edit_file(root / NL, "jonger dan 13 jaar", "jonger dan 16 jaar")
        return _judged(calls)

    cached(root, ["x"], edit_meanwhile)
    assert _entries(root) == []
    cached(root, ["x"], lambda: _judged(calls))
    cached(root, ["x"], lambda: _judged(calls))
    assert calls == [1, 1]


@pytest.mark.parametrize("content", [b"", b"{", b"\xff\xfe", b'{"key": 1}', b"[]",
                                     b'{"key": "k", "new": [{"code": 1}]}'])
def test_a_damaged_entry_is_no_entry(root: Path, run_cli: RunCli, content: bytes) -> None:
    cold = run_cli(["check", "--root", str(root)])
    [entry] = _entries(root)
    entry.write_bytes(content)
    assert run_cli(["check", "--root", str(root)]) == cold
    assert json.loads(entry.read_text(encoding="utf-8"))["key"]  # rewritten


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_project_is_checked_without_a_cache(root: Path, run_cli: RunCli) -> None:
    root.chmod(0o555)
    try:
        assert run_cli(["check", "--root", str(root)])[0] == 0
    finally:
        root.chmod(0o755)
    assert not (root / CACHE_DIR).exists()


def test_a_cache_path_that_is_a_file_is_no_error(root: Path, run_cli: RunCli) -> None:
    (root / CACHE_DIR).write_text("not a folder", encoding="utf-8")
    cold = run_cli(["check", "--root", str(root)])
    assert cold[0] == 0
    assert run_cli(["check", "--root", str(root)]) == cold


def test_devices_and_link_cycles_are_not_read(root: Path) -> None:
    (root / "locales" / "nl" / "zero").symlink_to("/dev/zero")
    (root / "locales" / "nl" / "loop").symlink_to(root / "locales")
    key = cache.inputs_key(root, [])
    assert key == cache.inputs_key(root, [])


def test_a_warm_run_loads_no_checker(root: Path) -> None:
    """As a real process: the second run answers from the cache without Babel or YAML."""
    assert POLICY is not None
    probe = ("import sys; from policytools.cli import main; code = main(['check', '--root', "
             f"{str(root)!r}]); print(code, 'babel' in sys.modules, 'ruamel' in sys.modules, "
             "file=sys.stderr)")
    for expected in ("0 True True", "0 False False"):
        done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                              check=False)
        assert done.stderr.strip() == expected
    real = subprocess.run([POLICY, "check", "--root", str(root)], capture_output=True,
                          text=True, check=False)
    assert (real.returncode, real.stdout) == (0, done.stdout)


def test_two_runs_at_once_leave_one_valid_entry(root: Path) -> None:
    assert POLICY is not None
    runs = [subprocess.Popen([POLICY, "check", "--root", str(root), "--format", "json"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(3)]
    outputs = [(*run.communicate(), run.returncode) for run in runs]
    assert len({out for out, _, _ in outputs}) == 1
    assert {(err, code) for _, err, code in outputs} == {(b"", 0)}
    [entry] = _entries(root)
    assert json.loads(entry.read_text(encoding="utf-8"))["key"] == cache.inputs_key(
        root.resolve(), ["locale=", "document=", "baseline=default"])
    warm = subprocess.run([POLICY, "check", "--root", str(root), "--format", "json"],
                          capture_output=True, check=False)
    assert warm.stdout == outputs[0][0]
