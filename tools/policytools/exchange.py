"""What a translation agency works on: the exchange units of a policy text and their state.

A unit is one clause title, paragraph (an address block is one paragraph), list item or table
cell, named ``<document>#<clause>/<part>``: ``title``, ``p2`` (the second paragraph of the
clause), ``l3`` (its third list item, nested ones counted in reading order), ``t1.r0.c2``
(table 1, the header row, cell 2). The same part of the same clause has the same name in
every locale, so a unit's translation is found, and written back, by its name. The
document's own title (front matter) is the unit ``<document>#/title``.

A unit's text is its Markdown inline source (links, emphasis, code spans, inline HTML and the
``\\`` of an address line break as written), so markup travels as text a translator keeps;
``span`` locates it in the file for :func:`replace`. The units come from the same parse as the
``Clause`` blocks (``key`` names the block and its item), which give each unit's plain text.
Pure: no I/O.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import TYPE_CHECKING, Literal

from .diff import units as diff_units
from .markup import named, scan
from .model import PREAMBLE, Clause, Document
from .parse import BLOCK_NAMES, HEADING_RE, LISTS, file_lines
from .syntax import parse_tree

if TYPE_CHECKING:
    from markdown_it_pyrs import Node

Kind = Literal["title", "paragraph", "item", "cell", "document-title"]
DOCUMENT = ""  # the clause of the document's own title (front matter): '<document>#/title'
State = Literal["stale", "untranslated", "unconfirmed"]
STATES: tuple[State, ...] = ("stale", "untranslated", "unconfirmed")
CONTINUATION_RE = re.compile(r"\n[ \t]*")
# An HTML tag or comment, and a link or image target a browser runs or reads as a document.


@dataclass(frozen=True)
class Segment:
    """One unit of a policy file: where it is and what it says (Markdown inline source)."""

    clause: str
    part: str
    kind: Kind
    text: str
    start: int  # byte offsets into the file's text with '\n' line ends
    end: int
    line: int
    indent: str = ""  # written before each continuation line (a list item's lines)
    key: tuple[int, int] = (-1, 0)  # (block index in the clause, item or row) ; -1: title

    @property
    def id(self) -> str:
        return f"{self.clause}/{self.part}"


def digest(text: str) -> str:
    """The SHA-256 of a unit's source text, as an export records it."""
    return hashlib.sha256(text.encode()).hexdigest()


def normalized(text: str) -> str:
    """A policy file's text with '\\n' line ends, as :func:`segments` counts its bytes."""
    return "\n".join(file_lines(text)) + "\n"


def segments(text: str, doc: Document) -> dict[str, list[Segment]]:
    """The units of each clause of ``doc`` (parsed from ``text``), in reading order.

    ``text`` must be :func:`normalized`; clauses with an invalid id have none.
    """
    lines = file_lines(text)
    offset = _body_start(lines)
    body = "\n".join(lines[offset:])
    tree, _ = parse_tree(body)
    if tree is None:
        return {}
    shift = len("\n".join(lines[:offset]).encode()) + 1 if offset else 0
    walker = _Walker(body.encode(), shift, offset, doc)
    for node in tree.children:
        walker.block(node)
    found = {cid: units for cid, units in walker.found.items()
             if (c := doc.clause(cid)) is not None and c.valid_id}
    title = _document_title(lines[:offset], doc.title)
    return {DOCUMENT: [title], **found} if title else found


TITLE_LINE_RE = re.compile(r"^title:[ \t]*")


def _document_title(head: Sequence[str], title: str) -> Segment | None:
    """The front matter's 'title:' value as a unit, when it is one line ('' when none)."""
    at = 0
    for number, line in enumerate(head, 1):
        match = TITLE_LINE_RE.match(line)
        if match and title:
            start = at + len(line[:match.end()].encode())
            return Segment(DOCUMENT, "title", "document-title", title, start,
                           at + len(line.rstrip().encode()), number)
        at += len(line.encode()) + 1
    return None


def _body_start(lines: Sequence[str]) -> int:
    """The first line after the front matter, as ``parse`` finds it."""
    if not lines or lines[0].strip() != "---":
        return 0
    from .parse import FENCE_RE

    end = next((i for i in range(1, len(lines)) if FENCE_RE.match(lines[i])), None)
    return 0 if end is None else end + 1


class _Walker:
    """Collects the segments of each clause while walking the top-level blocks."""

    def __init__(self, body: bytes, shift: int, offset: int, doc: Document) -> None:
        self.body, self.shift, self.offset = body, shift, offset
        self.starts = [0] + [m.end() for m in re.finditer(b"\n", body)]
        self.clauses = [c for c in doc.clauses if not c.is_preamble]
        self.found: dict[str, list[Segment]] = {}
        self.counts: dict[tuple[str, str], int] = {}
        self.blocks: dict[str, int] = {}

    def line(self, byte: int) -> int:
        from bisect import bisect_right

        return bisect_right(self.starts, byte) + self.offset

    def clause_at(self, line: int) -> str:
        owner = PREAMBLE
        for clause in self.clauses:
            if clause.line > line:
                break
            owner = clause.id
        return owner

    def add(self, clause: str, kind: Kind, part: str, span: tuple[int, int],
            key: tuple[int, int], indent: str = "") -> None:
        start, end = span
        raw = self.body[start:end].decode()
        text = CONTINUATION_RE.sub("\n", raw)
        if not text.strip():
            return  # an empty table cell or list item: nothing to translate
        self.found.setdefault(clause, []).append(Segment(
            clause, part, kind, text, start + self.shift, end + self.shift, self.line(start),
            indent, key))

    def number(self, clause: str, prefix: str) -> int:
        self.counts[(clause, prefix)] = self.counts.get((clause, prefix), 0) + 1
        return self.counts[(clause, prefix)]

    def block(self, node: Node) -> None:
        start = node.srcmap[0] if node.srcmap else 0
        line = self.line(start)
        cid = self.clause_at(line)
        if node.name == "heading":
            self.heading(node, cid)
            return
        index = self._count_block(cid, node)
        if node.name == "paragraph":
            span = _span(node.children)
            if span:
                self.add(cid, "paragraph", f"p{self.number(cid, 'p')}", span, (index, 0))
        elif node.name in LISTS:
            self.items(node, cid, index)
        elif node.name == "table":
            self.table(node, cid, index)

    def _count_block(self, cid: str, node: Node) -> int:
        """The index of the block in its clause's ``blocks``, as ``parse`` builds them."""
        if node.name not in ("paragraph", "table", "lheading", *LISTS) and not _has_text(node):
            return -2  # parse keeps no block for it (a rule)
        index = self.blocks.get(cid, 0)
        self.blocks[cid] = index + 1
        return index

    def heading(self, node: Node, cid: str) -> None:
        level = node.meta.get("level")
        span = _span(node.children)
        if level not in (2, 3) or span is None:
            self._count_block(cid, node)  # parse keeps it as text of the clause
            return
        raw = self.body[span[0]:span[1]].decode()
        match = HEADING_RE.match(raw.strip())
        if match is None or not match["title"]:
            return
        lead = len(raw) - len(raw.lstrip())
        start = span[0] + len(raw[:lead + match.start("title")].encode())
        end = start + len(match["title"].encode())
        self.add(cid, "title", "title", (start, end), (-1, 0))

    def items(self, node: Node, cid: str, index: int) -> None:
        """Each list item's first run of text, nested items after their parent's."""
        item = 0
        todo: list[Node] = list(reversed(node.children))
        while todo:
            current = todo.pop()
            run, nested = _item_run(current)
            span = _span(run)
            if span:
                indent = " " * (span[0] - self.body.rfind(b"\n", 0, span[0]) - 1)
                self.add(cid, "item", f"l{self.number(cid, 'l')}", span, (index, item),
                         indent)
            item += 1
            for sub in reversed(nested):
                todo.extend(reversed(sub.children))

    def table(self, node: Node, cid: str, index: int) -> None:
        table = self.number(cid, "t")
        row = 0
        for part in node.children:
            for tr in part.children:
                for col, cell in enumerate(tr.children, 1):
                    span = _span(cell.children)
                    if span:
                        self.add(cid, "cell", f"t{table}.r{row}.c{col}", span, (index, row))
                row += 1


def _has_text(node: Node) -> bool:
    return bool(node.children) or bool(str(node.meta.get("content", "")).strip())


def _span(nodes: Sequence[Node]) -> tuple[int, int] | None:
    spans = [n.srcmap for n in nodes if n.srcmap]
    return (spans[0][0], spans[-1][1]) if spans else None


def _item_run(item: Node) -> tuple[list[Node], list[Node]]:
    """A list item's first run of inline nodes (a loose item's first paragraph) and its
    nested lists."""
    run: list[Node] = []
    nested: list[Node] = []
    for child in item.children:
        if child.name in LISTS:
            nested.append(child)
        elif child.name == "paragraph":
            run = run or list(child.children)
        elif not nested and child.name not in BLOCK_NAMES:
            run.append(child)
    return run, nested


def plain(clause: Clause, segment: Segment) -> str | None:
    """The plain text of a paragraph or list item unit, as the checks read it."""
    block_index, item = segment.key
    if block_index < 0 or block_index >= len(clause.blocks):
        return None
    block = clause.blocks[block_index]
    if segment.kind == "paragraph" and block.kind in ("paragraph", "address"):
        return block.text
    if segment.kind == "item" and block.kind == "list" and item < len(block.items):
        return block.items[item]
    return None


def previous(old_canonical: str, clause: Clause) -> dict[tuple[int, int], str]:
    """Per unit key, the text it had in ``old_canonical`` (a confirmed source clause, as
    ``confirmations.canonical`` writes it) where that differs from ``clause``'s now."""
    from .confirmations import canonical

    old, new = _canonical_units(old_canonical), _canonical_units(canonical(clause))
    keys = [(-1, 0), *_unit_keys(clause)]
    found: dict[tuple[int, int], str] = {}
    if len(keys) != len(new):
        return found  # the canonical form changed shape: no previous texts
    if old and new and old[0] != new[0]:
        found[(-1, 0)] = old[0]
    matcher = SequenceMatcher(a=old[1:], b=new[1:], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "replace":
            for k in range(min(i2 - i1, j2 - j1)):
                found[keys[1 + j1 + k]] = old[1 + i1 + k]
        elif tag == "insert":
            for j in range(j1, j2):
                found[keys[1 + j]] = ""
    return found


def _canonical_units(text: str) -> list[str]:
    """The title and the unit lines of a canonical clause text, prefixes removed."""
    lines = [line for line in text.split("\n") if not line.startswith("  ↳ ")]
    if not lines:
        return []
    units = [re.sub(r"^(?:\|\| |\| |[ ]*- )", "", line) for line in lines[1:]]
    return [lines[0], *units]


def _unit_keys(clause: Clause) -> Iterator[tuple[int, int]]:
    """The key of each unit ``diff.units`` gives, in its order (a table row gives its row)."""
    for index, block in enumerate(clause.blocks):
        count = len(diff_units(Clause(clause.id, None, "", 0, 0, (block,))))
        if block.kind == "table":
            has_head = block.head.strip(" |") != ""
            rows = range(0 if has_head else 1, len(block.items) + 1)
            yield from ((index, row) for row in rows)
        elif block.kind == "list":
            yield from ((index, item) for item in range(count))
        else:
            yield (index, 0)


@dataclass(frozen=True)
class Item:
    """A unit to export: the source segment, the translation now, its state, the source
    text when last confirmed (stale units) and the source file."""

    document: str
    source: Segment
    target: str
    state: State
    previous: str | None = None
    source_path: str = ""

    @property
    def id(self) -> str:
        return f"{self.document}#{self.source.id}"


def replace(text: str, changes: Mapping[Segment, str]) -> str:
    """``text`` (normalized) with each segment's source replaced by its new Markdown text;
    a continuation line gets the segment's indent (a list item's lines stay in the item), and
    an empty segment (a paragraph the translation lacked) becomes a paragraph of its own."""
    data = text.encode()
    out: list[bytes] = []
    at = 0
    for segment in sorted(changes, key=lambda s: (s.start, s.end, s.part)):
        new = changes[segment].replace("\n", "\n" + segment.indent)
        if segment.kind == "document-title":  # YAML: a double-quoted scalar is always read back
            new = json.dumps(new, ensure_ascii=False)
        elif segment.start == segment.end:  # a paragraph the translation lacked
            new = "\n\n" + new
        out += [data[at:segment.start], new.encode()]
        at = segment.end
    out.append(data[at:])
    return b"".join(out).decode()


def added_markup(source: str, target: str) -> str | None:
    """Raw HTML, or a script or data link, that a translated unit adds to its source (as
    ``markup`` judges it, like policy check): an import refuses it."""
    had = Counter(named(item) for item in scan(source))
    for item in scan(target):
        name = named(item)
        if not had[name]:
            return name
        had[name] -= 1
    return None
