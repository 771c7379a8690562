"""Markdown → syntax tree, guarded: the Rust parser never sees what would crash it.

markdown-it-pyrs (markdown-it.rs compiled for Python) is fast, but it recurses once per level
of nesting and frees its tree the same way, so tens of thousands of nested block quotes, lists
or emphasis markers overflow the stack and kill the process. It also panics on a '[' before an
unmatched '`' (markdown-it.rs 0.6, ``code_pair.rs``), which surfaces in Python as
``pyo3_runtime.PanicException``, a ``BaseException``. Nesting is bounded before the parser
runs, and a panic is caught here and the text parsed again without code spans.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it_pyrs import MarkdownIt, Node

# Block quotes and list markers opening one line: no policy nests anywhere near this deep, and
# MkDocs' own Markdown recurses per level too.
MAX_NESTING = 50
# Emphasis, link and image openers in one paragraph: each can open one level of nesting, and
# the parser's emphasis pass grows with their square.
MAX_INLINE = 2000
_CONTAINER = r"[ \t]*(?:>|(?:[-+*]|\d{1,9}[.)])(?=[ \t]|$))"
# A marker on every level of one line, or a marker indented past that many nested lists
_TOO_DEEP = re.compile(rf"^(?:(?:{_CONTAINER}){{{MAX_NESTING + 1}}}|[ \t]{{{2 * MAX_NESTING},}}"
                       r"(?:>|(?:[-+*]|\d{1,9}[.)])(?=[ \t]|$)))", re.M)
# '_' inside a word opens nothing, so cookie names and e-mail addresses do not count
_OPENERS = re.compile(r"[*\[]|(?<![^\W_])_|_(?![^\W_])")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
COMMONMARK = ["blockquote", "code", "fence", "heading", "hr", "lheading", "list", "paragraph",
              "reference", "autolink", "emphasis", "entity", "escape", "image", "link",
              "newline", "html_block", "html_inline", "table"]
_INLINE_BLOCKS = frozenset({"paragraph", "heading", "lheading", "tcell", "thead"})


@dataclass(frozen=True)
class Problem:
    """What the guard met: a finding ``code`` on a 1-based ``line`` of the parsed text."""

    code: str
    line: int | None
    message: str


@cache
def markdown() -> MarkdownIt:
    # markdown-it-pyrs: markdown-it's CommonMark parser compiled from Rust, by the author of
    # markdown-it-py; the same syntax tree about ten times faster, with byte offsets.
    from markdown_it_pyrs import MarkdownIt

    return MarkdownIt("commonmark").enable("table")


@cache
def _without_code_spans() -> MarkdownIt:
    from markdown_it_pyrs import MarkdownIt

    return MarkdownIt("zero").enable_many(COMMONMARK)  # type: ignore[arg-type]


def parse_tree(body: str) -> tuple[Node | None, Problem | None]:
    """The syntax tree of ``body`` and the problem met, if any; no tree if it is refused."""
    refusal = too_deep(body)
    if refusal is not None:
        return None, refusal
    try:
        return _tree(markdown(), body), None
    except BaseException as exc:
        if not _is_panic(exc):
            raise
    try:
        tree = _tree(_without_code_spans(), body)
    except BaseException as exc:
        if not _is_panic(exc):
            raise
        return None, Problem("file-unreadable", None, "the Markdown parser fails on this "
                             f"file ({' '.join(str(exc).split())}): simplify its markup")
    return tree, Problem("markup-unparsed", _panic_line(tree, body), "the Markdown parser "
                         "fails on this paragraph (a '[' before an unmatched '`'), so the file "
                         "was checked with its backticks read as text: close the code span or "
                         "write \\` instead")


def too_deep(body: str) -> Problem | None:
    """Nesting past the limits, on the first line that shows it."""
    deep = _TOO_DEEP.search(body)
    if deep is not None:
        line = body.count("\n", 0, deep.start()) + 1
        return Problem("file-unreadable", line, "block quotes or lists nested more than "
                       f"{MAX_NESTING} levels deep, deeper than the tools read: flatten them")
    if body.count("*") + body.count("[") + body.count("_") <= MAX_INLINE:
        return None  # the quick upper bound: most documents stop here
    start = 0
    for blank in [*_BLANK_LINE.finditer(body), None]:
        end = blank.start() if blank else len(body)
        count = len(_OPENERS.findall(body, start, end))
        if count > MAX_INLINE:
            line = body.count("\n", 0, start) + 1
            return Problem("file-unreadable", line, f"a paragraph with {count} emphasis, "
                           "link or image markers ('*', '_', '['), more than the "
                           f"{MAX_INLINE} the tools read: split it")
        start = blank.end() if blank else end
    return None


def _is_panic(exc: BaseException) -> bool:
    # pyo3_runtime is created by the extension at run time: it cannot be imported by name
    return type(exc).__name__ == "PanicException"


def _tree(parser: MarkdownIt, body: str) -> Node:
    with _quiet_stderr():
        return parser.tree(body)


@contextmanager
def _quiet_stderr() -> Iterator[None]:
    """Keep the Rust panic hook's message and backtrace off standard error during a parse.

    A panic is caught and reported as a finding; the hook writes to file descriptor 2 first.
    """
    try:
        if sys.stderr is not None:
            sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):  # no standard error to protect
        yield
        return
    try:
        os.dup2(_devnull(), 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


@cache
def _devnull() -> int:
    return os.open(os.devnull, os.O_WRONLY | getattr(os, "O_CLOEXEC", 0))


def _panic_line(tree: Node, body: str) -> int | None:
    """The line of the first paragraph that makes the full parser panic on its own."""
    data = body.encode()
    for node in tree.walk():
        if node.name not in _INLINE_BLOCKS or not node.srcmap:
            continue
        start, end = node.srcmap
        source = data[start:end]
        if b"`" not in source or b"[" not in source:
            continue
        try:
            _tree(markdown(), source.decode())
        except BaseException as exc:
            if not _is_panic(exc):
                raise
            return data.count(b"\n", 0, start) + 1
    return None
