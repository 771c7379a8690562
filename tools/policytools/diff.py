"""Document × Document → clause-aligned change set with word-level redlines.

Clauses align by id, never by line. Inside a clause, units (paragraphs, list items, table
heads and rows, address blocks) align by content — their text and their marks (link targets, images,
emphasis, inline HTML: see ``Block.marks``), so a link that leads elsewhere is a change even
where no word changed — and an added list item shows as an added item; a changed unit gets a
word-level redline of its text and of its marks from diff-match-patch run on word tokens with
semantic clean-up, so "Chandler’s House" → "Merchants House" reads as one replacement of
whole words rather than character soup.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cache
from typing import TYPE_CHECKING, Literal

from .model import Block, Clause, Document

if TYPE_CHECKING:
    from diff_match_patch import diff_match_patch

EQUAL, INSERT, DELETE = 0, 1, -1
Op = tuple[int, str]
ClauseStatus = Literal["unchanged", "changed", "added", "removed", "moved", "renumbered"]
UnitStatus = Literal["unchanged", "changed", "added", "removed"]
TOKEN_RE = re.compile(r"\w+|\s+|[^\w\s]")
# Skip the surrogate range when mapping tokens to single characters.
_SURROGATES = range(0xD800, 0xE000)


@dataclass(frozen=True, slots=True)
class Unit:
    """One comparable piece of a clause body: its plain text and its marks."""

    kind: str
    text: str
    depth: int = 0
    marks: str = ""


@dataclass(frozen=True, slots=True)
class UnitChange:
    """``ops`` redlines the text, ``marks`` the marks (one per line, as Markdown)."""

    kind: str
    status: UnitStatus
    ops: tuple[Op, ...]
    depth: int = 0
    marks: tuple[Op, ...] = ()

    @property
    def marks_changed(self) -> bool:
        return any(op != EQUAL for op, _ in self.marks)

    @property
    def old(self) -> str:
        return "".join(text for op, text in self.ops if op != INSERT)

    @property
    def new(self) -> str:
        return "".join(text for op, text in self.ops if op != DELETE)


@dataclass(frozen=True)
class ClauseChange:
    id: str
    status: ClauseStatus
    old: Clause | None
    new: Clause | None
    title: tuple[Op, ...]
    units: tuple[UnitChange, ...]
    moved: bool = False
    renumbered: bool = False
    renamed_from: str | None = None  # the clause's id in the old version, when renamed

    @property
    def number(self) -> str | None:
        clause = self.new or self.old
        return clause.number if clause else None


@dataclass(frozen=True)
class ChangeSet:
    document: str
    locale: str
    old_version: str
    new_version: str
    clauses: tuple[ClauseChange, ...]

    @property
    def changed(self) -> bool:
        return any(c.status != "unchanged" for c in self.clauses)

    def counts(self) -> dict[str, int]:
        result: dict[str, int] = {}
        for clause in self.clauses:
            result[clause.status] = result.get(clause.status, 0) + 1
        return result


@cache
def _dmp() -> diff_match_patch:
    from diff_match_patch import diff_match_patch

    dmp = diff_match_patch()
    dmp.Diff_Timeout = 0  # exact and deterministic: clause texts are small
    return dmp


def word_diff(old: str, new: str) -> tuple[Op, ...]:
    """Word-granular diff: ops whose EQUAL+DELETE texts give ``old`` and EQUAL+INSERT ``new``."""
    if old == new:
        return ((EQUAL, old),) if old else ()
    table: list[str] = [""]
    index: dict[str, str] = {}

    def encode(text: str) -> str:
        out = []
        for token in TOKEN_RE.findall(text):
            char = index.get(token)
            if char is None:
                code = len(table)
                if code >= _SURROGATES.start:
                    code += len(_SURROGATES)
                char = chr(code)
                index[token] = char
                table.append(token)
            out.append(char)
        return "".join(out)

    a, b = encode(old), encode(new)
    dmp = _dmp()
    diffs = dmp.diff_main(a, b, False)
    # Clean up while one character is one token: on decoded text the clean-up would shift
    # and split edits inside words ("[-a Merchant-]{+x Mercer+}s").
    dmp.diff_cleanupSemantic(diffs)
    decoded = [(op, "".join(table[_slot(ch)] for ch in text)) for op, text in diffs]
    return tuple((op, text) for op, text in decoded if text)


def _slot(char: str) -> int:
    code = ord(char)
    return code - len(_SURROGATES) if code >= _SURROGATES.stop else code


def units(clause: Clause) -> tuple[Unit, ...]:
    """The comparable units of a clause body, in reading order."""
    return tuple(unit for block in clause.blocks for unit in _block_units(block))


def _block_units(block: Block) -> Iterator[Unit]:
    if block.kind == "list":
        depths = block.depths or (0,) * len(block.items)
        marks = block.marks or ("",) * len(block.items)
        yield from (Unit("item", item, depth, mark)
                    for item, depth, mark in zip(block.items, depths, marks, strict=True))
    elif block.kind == "table":
        marked = block.marks or ("",) * (len(block.items) + 1)
        if block.head.strip(" |"):  # a header row a reader sees
            yield Unit("head", block.head, marks=marked[0])
        yield from (Unit("row", row, marks=mark)
                    for row, mark in zip(block.items, marked[1:], strict=True))
    else:
        yield Unit(block.kind, block.text, marks=block.marks[0] if block.marks else "")


def diff_units(old: Sequence[Unit], new: Sequence[Unit]) -> tuple[UnitChange, ...]:
    """Align units by content; pair replaced runs one to one, the rest are added/removed."""
    result: list[UnitChange] = []
    matcher = SequenceMatcher(a=[(u.kind, u.text, u.marks) for u in old],
                              b=[(u.kind, u.text, u.marks) for u in new], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            result += [_one(u, "unchanged", EQUAL) for u in new[j1:j2]]
            continue
        pairs = min(i2 - i1, j2 - j1) if tag == "replace" else 0
        for k in range(pairs):
            a, b = old[i1 + k], new[j1 + k]
            if a.kind != b.kind:  # a paragraph that became a list item is no edit of either
                result += [_one(a, "removed", DELETE), _one(b, "added", INSERT)]
                continue
            result.append(UnitChange(b.kind, "changed", word_diff(a.text, b.text), b.depth,
                                     word_diff(a.marks, b.marks)))
        result += [_one(u, "removed", DELETE) for u in old[i1 + pairs:i2]]
        result += [_one(u, "added", INSERT) for u in new[j1 + pairs:j2]]
    return tuple(result)


def _one(unit: Unit, status: UnitStatus, op: int) -> UnitChange:
    """A unit that is only on one side, or the same on both."""
    return UnitChange(unit.kind, status, _whole(op, unit.text), unit.depth,
                      _whole(op, unit.marks))


def _whole(op: int, text: str) -> tuple[Op, ...]:
    """A whole unit as one op; none for an empty unit (an empty list item), as in word_diff."""
    return ((op, text),) if text else ()


def diff_documents(old: Document, new: Document, old_version: str,
                   new_version: str, renamed: Mapping[str, str] | None = None) -> ChangeSet:
    """Compare two versions of one document in one locale, clause by clause.

    ``renamed`` (old id → new id, from ``renamed:`` in policy.yml) pairs a clause of ``old``
    with its renamed self in ``new``: a rename is no removal and addition.
    """
    was = _renames(old, new, renamed or {})
    old_ids = [c.id for c in old.clauses if c.valid_id]
    new_ids = [c.id for c in new.clauses if c.valid_id]
    common_old = [i for i in (_now(old_id, was) for old_id in old_ids) if new.clause(i)]
    common_new = [i for i in new_ids if old.clause(was.get(i, i))]
    in_place = {x for m in SequenceMatcher(a=common_old, b=common_new, autojunk=False)
                .get_matching_blocks() for x in common_old[m.a:m.a + m.size]}
    changes: list[ClauseChange] = []
    for cid in new_ids:
        after, before = new.by_id[cid], old.clause(was.get(cid, cid))
        if before is None:
            changes.append(ClauseChange(cid, "added", None, after,
                                        ((INSERT, after.title),) if after.title else (),
                                        diff_units((), units(after))))
            continue
        changes.append(_compare(before, after, cid not in in_place, _retarget(was, new.name)))
    for position, cid in enumerate(old_ids):
        if new.clause(_now(cid, was)) is None:
            before = old.by_id[cid]
            removed = ClauseChange(cid, "removed", before, None,
                                   ((DELETE, before.title),) if before.title else (),
                                   diff_units(units(before), ()))
            changes.insert(_removed_slot(changes, old_ids[:position], was), removed)
    return ChangeSet(new.name, new.locale, old_version, new_version, tuple(changes))


def _renames(old: Document, new: Document, renamed: Mapping[str, str]) -> dict[str, str]:
    """New id → old id, for each rename this pair of versions spans: the old id only in
    ``old``, the new id only in ``new``."""
    return {after: before for before, after in renamed.items()
            if old.clause(before) and not new.clause(before)
            and new.clause(after) and not old.clause(after)}


def _now(old_id: str, was: Mapping[str, str]) -> str:
    """The id a clause of the old version has in the new one."""
    return next((after for after, before in was.items() if before == old_id), old_id)


def _removed_slot(changes: list[ClauseChange], earlier: list[str],
                  was: Mapping[str, str]) -> int:
    """Show a removed clause right after the clause that preceded it in the old version."""
    for index in range(len(changes) - 1, -1, -1):
        if was.get(changes[index].id, changes[index].id) in earlier:
            return index + 1
    return 0


def _retarget(was: Mapping[str, str], document: str) -> Callable[[Unit], Unit]:
    """A unit of the old version with its links to a renamed clause of ``document`` made
    links to the new id: links the rename rewrote are no change of what a reader follows."""
    now = {before: after for after, before in was.items()}
    link = re.compile(rf"\]\((?P<path>(?:[^\s()#]*/)?(?:{re.escape(document)}\.md)?)"
                      r"#(?P<id>[a-z0-9-]+)(?=[\s)])")

    def retarget(unit: Unit) -> Unit:
        if not now or "#" not in unit.marks:
            return unit
        marks = link.sub(lambda m: f"]({m['path']}#{now.get(m['id'], m['id'])}", unit.marks)
        return Unit(unit.kind, unit.text, unit.depth, marks)
    return retarget


def _compare(before: Clause, after: Clause, moved: bool,
             retarget: Callable[[Unit], Unit] | None = None) -> ClauseChange:
    old_units = units(before) if retarget is None else tuple(map(retarget, units(before)))
    body = diff_units(old_units, units(after))
    title = word_diff(before.title, after.title)
    edited = any(u.status != "unchanged" for u in body) or before.title != after.title
    renumbered = before.number != after.number
    status: ClauseStatus = ("changed" if edited else "moved" if moved else
                            "renumbered" if renumbered else "unchanged")
    return ClauseChange(after.id, status, before, after, title, body, moved, renumbered,
                        before.id if before.id != after.id else None)
