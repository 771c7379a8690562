"""The parsed policy and what the tools say about it: plain, frozen data with no I/O."""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

PREAMBLE = "preamble"


class Severity(enum.IntEnum):
    """How much a finding matters; ordered so that comparisons read naturally."""

    INFO = 0
    WARNING = 1
    ERROR = 2

    @property
    def label(self) -> str:
        return self.name.lower()


BlockKind = Literal["paragraph", "address", "list", "table", "other"]
MarkupKind = Literal["html", "link"]


@dataclass(frozen=True)
class Markup:
    """Unsafe markup in a text (see ``markup``): its 1-based ``line``, what it is, the text
    as written, and its character offsets into the scanned text."""

    line: int
    kind: MarkupKind
    quote: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Link:
    """A Markdown link: its target as written and the text a reader sees."""

    target: str
    text: str
    line: int


@dataclass(frozen=True, slots=True)
class Block:
    """One block of a clause body.

    ``items`` holds the list items (nested ones included, in reading order) of a list,
    the body rows of a table, or the lines of an address block; ``text`` is the plain
    text a reader sees, with one line per item, row or address line; ``head`` the header
    row of a table. ``marks`` holds what the plain text leaves out but a reader sees or
    follows — links with their targets, images, emphasis, code spans, inline HTML tags —
    written as Markdown, one per line: per item of a list, for the head and then per row of
    a table, else one for the block ('' for none); empty when no unit has any.
    """

    kind: BlockKind
    line: int
    text: str
    items: tuple[str, ...] = ()
    links: tuple[Link, ...] = ()
    depths: tuple[int, ...] = ()
    marks: tuple[str, ...] = ()
    head: str = ""


@dataclass(frozen=True, slots=True)
class Clause:
    """A numbered clause (or the implicit preamble) identified by its anchor id."""

    id: str
    number: str | None
    title: str
    level: int
    line: int
    blocks: tuple[Block, ...] = ()
    parent: str | None = None
    valid_id: bool = True

    @property
    def is_preamble(self) -> bool:
        return self.id == PREAMBLE

    @property
    def label(self) -> str:
        """How a lawyer names the clause: '§4 (collection)' or 'the preamble'."""
        if self.is_preamble:
            return "the preamble"
        return f"§{self.number} ({self.id})" if self.number else f"({self.id})"

    def blocks_of(self, *kinds: BlockKind) -> tuple[Block, ...]:
        return tuple(b for b in self.blocks if b.kind in kinds)

    @property
    def text(self) -> str:
        return "\n".join(b.text for b in self.blocks)


@dataclass(frozen=True)
class Document:
    """One policy document in one locale, as parsed from ``locales/<locale>/<name>.md``."""

    name: str
    locale: str
    path: str
    title: str = ""
    clauses: tuple[Clause, ...] = ()
    issues: tuple[Finding, ...] = ()
    readable: bool = True
    end_line: int = 1
    markup: tuple[Markup, ...] = ()  # raw HTML and script links, for ``checks.markup``

    @cached_property
    def by_id(self) -> dict[str, Clause]:
        return {c.id: c for c in self.clauses if c.valid_id}

    def clause(self, clause_id: str) -> Clause | None:
        return self.by_id.get(clause_id)

    @cached_property
    def by_number(self) -> dict[str, Clause]:
        return {c.number: c for c in self.clauses if c.number}

    def numbered(self) -> Iterator[Clause]:
        return (c for c in self.clauses if not c.is_preamble)


@dataclass(frozen=True)
class Finding:
    """One thing a check found: data, printed only by the formatters in ``report``.

    ``source`` and ``translation`` say what each side has where the check compares;
    ``key`` is the stable detail that, with code, document, locale and clause, makes
    the fingerprint: it never holds a line number, so a finding survives line moves.
    """

    code: str
    severity: Severity
    message: str
    document: str
    locale: str
    file: str
    line: int | None = None
    clause: str | None = None
    source: str | None = None
    translation: str | None = None
    key: str = ""
    column: int | None = field(default=None, compare=False)

    @property
    def fingerprint(self) -> str:
        parts = (self.code, self.document, self.locale, self.clause or "", self.key)
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]

    @property
    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.file, self.line or 0, -self.severity, self.code, self.message)
