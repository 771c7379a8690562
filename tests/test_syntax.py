"""The guard around the Rust Markdown parser: no panic, no stack overflow, no hang reaches us."""

from __future__ import annotations

import pytest

from policytools.model import Document
from policytools.parse import parse_document
from policytools.syntax import MAX_INLINE, MAX_NESTING, parse_tree

FRONT = "---\ntitle: Privacy policy\n---\n\n"  # four lines: the body starts on line 5
UNPARSED = ("the Markdown parser fails on this paragraph (a '[' before an unmatched '`'), so "
            "the file was checked with its backticks read as text: close the code span or "
            "write \\` instead")
TOO_DEEP = (f"block quotes or lists nested more than {MAX_NESTING} levels deep, deeper than the "
            "tools read: flatten them")


def parse(text: str) -> Document:
    return parse_document(text, "privacy", "nl", "locales/nl/privacy.md")


def findings(doc: Document) -> list[tuple[str, int | None, str]]:
    return [(f.code, f.line, f.message) for f in doc.issues]


@pytest.mark.parametrize(("paragraph", "line"), [
    ("See [`policy.yml.", 9), ("Our [x` y", 9), ("![`", 9), ("[`a` and [`b", 9),
    ("| a |\n|---|\n| [` |", 11)],
    ids=["bracket-backtick", "bracket-x", "image", "second-span", "table-cell"])
def test_the_parser_panic_is_a_warning_on_its_line_and_the_rest_is_read(
        paragraph: str, line: int, capfd: pytest.CaptureFixture[str]) -> None:
    doc = parse(FRONT + "## 1. A {#a}\n\nFirst `code` here.\n\n" + paragraph +
                "\n\n## 2. B {#b}\n\nText.\n")
    assert findings(doc) == [("markup-unparsed", line, UNPARSED)]
    assert [c.id for c in doc.clauses] == ["a", "b"]
    assert doc.clauses[1].text == "Text."
    # the Rust panic hook writes its message and backtrace to file descriptor 2: kept off
    assert capfd.readouterr() == ("", "")


def test_a_closed_code_span_after_a_bracket_is_no_panic() -> None:
    doc = parse(FRONT + "## 1. A {#a}\n\nSee [`policy.yml`](#a).\n")
    assert findings(doc) == []
    assert doc.clauses[0].text == "See policy.yml."


@pytest.mark.parametrize(("nested", "line"), [
    (">" * 10_000 + " deep\n", 7),
    ("- " * 10_000 + "deep\n", 7),
    ("1. " * 10_000 + "deep\n", 7),
    ("> - " * 5_000 + "deep\n", 7),
    ("Text.\n\n" + "".join(" " * (2 * i) + "- item\n" for i in range(200)), 9 + 50),
    (">" * 10_000_000, 7),
], ids=["quotes", "bullets", "numbers", "mixed", "indented", "ten-million"])
def test_nesting_deeper_than_the_tools_read_is_a_finding_naming_the_line(
        nested: str, line: int) -> None:
    doc = parse(FRONT + "## 1. A {#a}\n\n" + nested)
    assert findings(doc) == [("file-unreadable", line, TOO_DEEP)]
    assert not doc.readable


def test_nesting_within_the_limit_is_read_whole() -> None:
    doc = parse(FRONT + "## 1. A {#a}\n\n" + ">" * MAX_NESTING + " deep\n\n" +
                "".join(" " * (2 * i) + f"- item {i}\n" for i in range(MAX_NESTING - 1)))
    assert findings(doc) == []
    clause = doc.clauses[0]
    assert clause.blocks[0].text == "deep"
    assert clause.blocks[1].items == tuple(f"item {i}" for i in range(MAX_NESTING - 1))
    assert clause.blocks[1].depths == tuple(range(MAX_NESTING - 1))


@pytest.mark.parametrize("paragraph", [
    "*" * 2_001 + "x" + "*" * 2_001,
    "*a " * 2_001 + "x" + " a*" * 2_001,
    "![a " * 2_001 + "x" + "](u)" * 2_001,
    "[" * 1_000_000 + "x",
], ids=["emphasis-run", "emphasis-words", "images", "brackets"])
def test_a_paragraph_with_more_inline_markers_than_the_tools_read_is_a_finding(
        paragraph: str) -> None:
    doc = parse(FRONT + "## 1. A {#a}\n\nFine.\n\n" + paragraph + "\n")
    [(code, line, message)] = findings(doc)
    assert (code, line) == ("file-unreadable", 9)
    assert message.startswith("a paragraph with ")
    assert message.endswith(f" emphasis, link or image markers ('*', '_', '['), more than the "
                            f"{MAX_INLINE} the tools read: split it")


def test_underscores_inside_words_and_many_short_paragraphs_are_no_markers() -> None:
    cookies = "| cookie | use |\n|---|---|\n" + "".join(
        f"| ga_{i}_id | a [link](#a) *here* |\n" for i in range(600))
    doc = parse(FRONT + "## 1. A {#a}\n\n" + cookies + "\n" + "A *b* [c](#a).\n\n" * 2_000)
    assert findings(doc) == []
    assert len(doc.clauses[0].blocks) == 2_001


def test_emphasis_nested_hundreds_deep_is_read_without_recursion() -> None:
    tree, problem = parse_tree("*a " * 999 + "x" + " a*" * 999)
    assert problem is None and tree is not None
    doc = parse(FRONT + "## 1. A {#a}\n\n" + "*a " * 999 + "x" + " a*" * 999 + "\n")
    assert findings(doc) == []
    assert doc.clauses[0].text == "a " * 999 + "x" + " a" * 999
