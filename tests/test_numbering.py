"""Numbering: each locale runs 1, 2, 3… with n.1, n.2… under n; each clause keeps its number."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from policytools.checks import run_checks
from policytools.config import load_project
from policytools.model import Finding

if TYPE_CHECKING:
    from conftest import Scenario, WriteProject

FRONT = "---\ntitle: T\n---\n\n"  # four lines: the first heading is on line 5


def clauses(*headings: str) -> str:
    """A document whose clauses start every four lines: 5, 9, 13, 17…"""
    return FRONT + "".join(f"{h}\n\nText.\n\n" for h in headings)


def findings(root: Path, code: str) -> list[Finding]:
    return [f for f in run_checks(load_project(root)) if f.code == code]


SEQUENCE_CAUGHT = [
    pytest.param(("## 1. A {#a}", "## 3. B {#b}", "## 4. C {#c}"), "b", 9,
                 "§3 (b) skips 2: expected 2", id="skip"),
    pytest.param(("## 1. A {#a}", "## 2. B {#b}", "## 2. C {#c}", "## 3. D {#d}"), "c", 13,
                 "§2 (c) repeats the number before it: expected 3", id="repeat"),
    pytest.param(("## 1. A {#a}", "## 2. B {#b}", "## 3. C {#c}", "## 1. D {#d}"), "d", 17,
                 "§1 (d) comes after §3: expected 4", id="goes-back"),
    pytest.param(("## 0. A {#a}", "## 1. B {#b}"), "a", 5,
                 "§0 (a) is the first clause: expected 1", id="starts-at-zero"),
    pytest.param(("## 2. A {#a}", "## 3. B {#b}"), "a", 5,
                 "§2 (a) skips 1: expected 1", id="starts-at-two"),
    pytest.param(("## 1. A {#a}", "## 2. B {#b}", "### 1.1 B1 {#b1}"), "b1", 13,
                 "§1.1 (b1) is under §2 but numbered 1.1: number it 2.1",
                 id="sub-clause-not-under-its-parent"),
    pytest.param(("## 1. A {#a}", "### 1.1 A1 {#a1}", "### 1.3 A2 {#a2}"), "a2", 13,
                 "§1.3 (a2) skips 1.2: expected 1.2", id="sub-clause-skip"),
    pytest.param(("## 1. A {#a}", "### 1.0 A0 {#a0}"), "a0", 9,
                 "§1.0 (a0) is the first sub-clause of §1: expected 1.1",
                 id="sub-clause-starts-at-zero"),
    pytest.param(("## 1. A {#a}", "### 1.1.1 A1 {#a1}"), "a1", 9,
                 "§1.1.1 (a1) is under §1 but numbered 1.1.1: number it 1.1",
                 id="sub-clause-too-deep"),
    pytest.param(("## 1. A {#a}", "## 1.1 B {#b}"), "b", 9,
                 "§1.1 (b) is a top-level clause (##) with a sub-clause number: number it 2",
                 id="clause-with-sub-clause-number"),
    pytest.param(("## A {#a}", "## 0. B {#b}"), "b", 9,
                 "§0 (b) comes after a clause without a number: expected 2",
                 id="goes-back-after-unnumbered-clause"),
    pytest.param(("## 1. A {#a}", "### A1 {#a1}", "### 1.0 A2 {#a2}"), "a2", 13,
                 "§1.0 (a2) comes after §1: expected 1.2",
                 id="sub-clause-goes-back-after-unnumbered-one"),
    pytest.param(("### 1.1 A1 {#a1}", "## 1. A {#a}"), "a1", 5,
                 "§1.1 (a1) is a sub-clause (###) before the first clause (##): make it a "
                 "clause or move it under one", id="sub-clause-before-any-clause"),
]


@pytest.mark.parametrize(("headings", "clause", "line", "message"), SEQUENCE_CAUGHT)
def test_numbering_sequence_is_caught_once(tmp_path: Path, write_project: WriteProject,
                                           headings: tuple[str, ...], clause: str, line: int,
                                           message: str) -> None:
    root = write_project(tmp_path, {"locales/en/privacy.md": clauses(*headings)})
    found = findings(root, "numbering-sequence")
    assert [(f.file, f.line, f.clause, f.message) for f in found] == [
        ("locales/en/privacy.md", line, clause, message)]


SEQUENCE_PASSES = [
    pytest.param(("## 1. A {#a}", "### 1.1 A1 {#a1}", "### 1.2 A2 {#a2}", "## 2. B {#b}",
                  "### 2.1 B1 {#b1}", "## 3. C {#c}"), id="clauses-and-sub-clauses"),
    pytest.param(("## 1 A {#a}", "## 2 B {#b}"), id="numbers-without-dot"),
    pytest.param(tuple(f"## {n}. C{n} {{#c{n}}}" for n in range(1, 13)), id="two-digits"),
    pytest.param(("## A {#a}", "## 2. B {#b}"), id="unnumbered-heading-holds-its-place"),
    pytest.param(("## A {#a}", "### 1.1 A1 {#a1}", "## 2. B {#b}"),
                 id="sub-clause-of-unnumbered-clause"),
]


@pytest.mark.parametrize("headings", SEQUENCE_PASSES)
def test_numbering_sequence_passes(tmp_path: Path, write_project: WriteProject,
                                   headings: tuple[str, ...]) -> None:
    root = write_project(tmp_path, {"locales/en/privacy.md": clauses(*headings)})
    assert findings(root, "numbering-sequence") == []


def test_translation_sequence_is_checked_too(tmp_path: Path,
                                             write_project: WriteProject) -> None:
    root = write_project(tmp_path, {
        "locales/en/privacy.md": clauses("## 1. A {#a}", "## 2. B {#b}"),
        "locales/nl/privacy.md": clauses("## 1. A {#a}", "## 1. B {#b}"),
    })
    found = findings(root, "numbering-sequence")
    assert [(f.file, f.line, f.message) for f in found] == [
        ("locales/nl/privacy.md", 9, "§1 (b) repeats the number before it: expected 2")]


# --- across locales --------------------------------------------------------------------------

def test_seeds_give_one_number_mismatch_for_the_whole_shifted_run(seeds_root: Path) -> None:
    found = findings(seeds_root, "number-mismatch")
    assert [(f.file, f.line, f.clause, f.source, f.translation) for f in found] == [
        ("locales/nl/privacy.md", 26, "collection", "§4–§13", "§3–§12")]
    assert found[0].message == (
        "10 clauses (collection … contact) numbered §3–§12 here but §4–§13 in the English, "
        "because data-subjects is missing: renumber to match the source")


def test_a_shifted_run_with_sub_clauses_is_one_finding(scenario: Scenario) -> None:
    found = findings(scenario("missing-clause"), "number-mismatch")
    assert [(f.line, f.clause) for f in found] == [(5, "collection")]
    assert found[0].message == (
        "4 clauses (collection … contact) numbered §1–§3 here but §2–§4 in the English, "
        "because about-us is missing: renumber to match the source")


def test_a_single_renumbered_clause_is_one_finding(scenario: Scenario) -> None:
    found = findings(scenario("renumbered"), "number-mismatch")
    assert [(f.file, f.line, f.clause) for f in found] == [
        ("locales/nl/privacy.md", 31, "contact")]
    assert found[0].message == ("clause (contact) numbered §5 here but §4 in the English: "
                                "renumber to match the source")


def test_two_different_shifts_are_two_findings(tmp_path: Path,
                                               write_project: WriteProject) -> None:
    root = write_project(tmp_path, {
        "locales/en/privacy.md": clauses("## 1. A {#a}", "## 2. B {#b}", "### 2.1 B1 {#b1}",
                                         "## 3. C {#c}", "## 4. D {#d}"),
        "locales/nl/privacy.md": clauses("## 1. A {#a}", "## 3. B {#b}", "### 3.1 B1 {#b1}",
                                         "## 4. C {#c}", "## 6. D {#d}"),
    })
    found = findings(root, "number-mismatch")
    assert [(f.line, f.message) for f in found] == [
        (9, "3 clauses (b … c) numbered §3–§4 here but §2–§3 in the English: renumber to "
            "match the source"),
        (21, "clause (d) numbered §6 here but §4 in the English: renumber to match the source"),
    ]


def test_identical_numbering_gives_no_mismatch(scenario: Scenario) -> None:
    root = scenario("ok")
    assert findings(root, "number-mismatch") == []
    assert findings(root, "numbering-sequence") == []
