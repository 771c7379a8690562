"""Structured Markdown → :class:`Document`: clauses by anchor id, numbers, bodies, 1-based lines.

The format (a contract; see README): YAML front matter with ``title``; text before the first
clause heading is the preamble; ``## <n>. <title> {#<id>}`` starts a clause and
``### <n>.<m> <title> {#<id>}`` a sub-clause. Problems become findings on the document, so
one bad heading never hides the rest of the file.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .model import PREAMBLE, Block, BlockKind, Clause, Document, Finding, Link
from .rules import finding

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

HEADING_RE = re.compile(r"^(?:(?P<number>\d+(?:\.\d+)*)\.?\s+)?(?P<title>.*?)\s*"
                        r"(?:\{#(?P<id>[^}]*)\})?\s*$")
ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FENCE_RE = re.compile(r"^(?:---|\.\.\.)[ \t]*$")
LEVELS = {"h2": 2, "h3": 3}


@cache
def _markdown() -> MarkdownIt:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table")


def read_document(path: Path, name: str, locale: str, display: str) -> Document:
    """Read and parse one file; an unreadable file gives a document holding that finding."""
    stub = Document(name=name, locale=locale, path=display, readable=False)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return _unreadable(stub, f"cannot read {display}: {exc.strerror}", None)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return _unreadable(stub, f"{display} is not UTF-8 text (byte {data[exc.start]:#04x}); "
                                 "save it as UTF-8", line)
    return parse_document(text, name, locale, display)


def _unreadable(stub: Document, message: str, line: int | None) -> Document:
    issue = finding("file-unreadable", stub, message, line=line, key="unreadable")
    return Document(name=stub.name, locale=stub.locale, path=stub.path, issues=(issue,),
                    readable=False)


def read_title(path: Path, display: str) -> str:
    """The front matter title of a policy file, without parsing its body ('' if none)."""
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return ""
    return _front_matter(lines, Document(name="", locale="", path=display))[0]


def parse_document(text: str, name: str, locale: str, display: str) -> Document:
    """Parse the text of ``locales/<locale>/<name>.md``."""
    doc = Document(name=name, locale=locale, path=display)
    if not text.strip():
        issue = finding("file-empty", doc, f"{display} is empty: it needs front matter "
                        "with a title and the policy's clauses", line=1, key="empty")
        return Document(name=name, locale=locale, path=display, issues=(issue,),
                        readable=False)
    lines = text.splitlines()
    title, offset, issues = _front_matter(lines, doc)
    body = "\n".join(lines[offset:])
    builder = _Builder(doc, offset, issues)
    builder.walk(_markdown().parse(body))
    return Document(name=name, locale=locale, path=display, title=title,
                    clauses=tuple(builder.finish()), issues=tuple(builder.issues),
                    end_line=len(lines) + 1)


def _front_matter(lines: Sequence[str], doc: Document) -> tuple[str, int, list[Finding]]:
    if not lines or lines[0].strip() != "---":
        return "", 0, [finding("front-matter-invalid", doc, f"{doc.path} has no front matter: "
                               "start the file with '---', 'title: …', '---'", line=1,
                               key="missing")]
    end = next((i for i in range(1, len(lines)) if FENCE_RE.match(lines[i])), None)
    if end is None:
        return "", 0, [finding("front-matter-invalid", doc, "the front matter opened on line 1 "
                               "is never closed with '---'", line=1, key="unclosed")]
    from .errors import PolicyError
    from .yamlio import parse_yaml

    try:
        data: Any = parse_yaml("\n".join(lines[1:end]), doc.path, line_offset=1)
    except PolicyError as exc:
        message = exc.message.replace("invalid YAML:", "invalid YAML in the front matter:")
        return "", end + 1, [finding("front-matter-invalid", doc, message, line=exc.line or 1,
                                     key="yaml")]
    title = data.get("title") if isinstance(data, dict) else None
    if not isinstance(title, str) or not title.strip():
        return "", end + 1, [finding("front-matter-title", doc, "the front matter has no "
                                     "'title: …'", line=1, key="title")]
    return title.strip(), end + 1, []


@dataclass
class _Open:
    """A clause being collected while walking the token stream."""

    id: str
    number: str | None
    title: str
    level: int
    line: int
    parent: str | None
    valid_id: bool = True
    blocks: list[Block] = field(default_factory=list)

    def close(self) -> Clause:
        return Clause(id=self.id, number=self.number, title=self.title, level=self.level,
                      line=self.line, blocks=tuple(self.blocks), parent=self.parent,
                      valid_id=self.valid_id)


class _Builder:
    def __init__(self, doc: Document, offset: int, issues: list[Finding]) -> None:
        self.doc = doc
        self.offset = offset
        self.issues = issues
        self.clauses: list[_Open] = []
        self.preamble = _Open(PREAMBLE, None, "", 0, 0, None)
        self.seen: dict[str, int] = {}
        self.last_top: str | None = None

    def line(self, token: Token) -> int:
        return (token.map[0] if token.map else 0) + 1 + self.offset

    @property
    def current(self) -> _Open:
        return self.clauses[-1] if self.clauses else self.preamble

    def add(self, block: Block) -> None:
        if not self.current.blocks and self.current is self.preamble:
            self.preamble.line = block.line
        self.current.blocks.append(block)

    def finish(self) -> list[Clause]:
        opened = ([self.preamble] if self.preamble.blocks else []) + self.clauses
        return [c.close() for c in opened]

    def walk(self, tokens: list[Token]) -> None:
        i = 0
        while i < len(tokens):
            token = tokens[i]
            end = _matching_close(tokens, i)
            if token.type == "heading_open":
                self.heading(token, tokens[i + 1])
            elif token.type == "paragraph_open":
                self.add(_paragraph(tokens[i + 1], self.line(token)))
            elif token.type in ("bullet_list_open", "ordered_list_open"):
                self.add(_list(tokens[i:end + 1], self.line(token)))
            elif token.type == "table_open":
                self.add(_table(tokens[i:end + 1], self.line(token)))
            elif token.nesting >= 0:
                text = "".join(t.content for t in tokens[i:end + 1]).strip()
                if text:
                    self.add(Block("other", self.line(token), text))
            i = end + 1

    def heading(self, token: Token, inline: Token) -> None:
        line = self.line(token)
        raw = inline.content.strip()
        level = LEVELS.get(token.tag)
        if level is None:
            self.issues.append(finding(
                "heading-level", self.doc, f"'{token.markup} {raw}' is not a clause heading: "
                "use '## ' for a clause, '### ' for a sub-clause", line=line, key=raw))
            self.add(Block("other", line, raw))
            return
        match = HEADING_RE.match(raw)
        assert match is not None  # the pattern accepts any line
        number, title, cid = match["number"], match["title"], match["id"]
        valid = True
        if cid is None:
            valid = False
            cid = f"line-{line}"
            self.issues.append(finding(
                "heading-malformed", self.doc, f"heading '{raw}' has no clause id: end it "
                f"with {{#{_suggest_id(title)}}}, the same id in every locale",
                line=line, key=raw))
        elif not ID_RE.match(cid):
            valid = False
            self.issues.append(finding(
                "clause-id-invalid", self.doc, f"clause id '{cid}' must be lowercase ASCII "
                f"letters, digits and single hyphens, e.g. {{#{_suggest_id(cid or title)}}}",
                line=line, key=cid))
        elif cid in self.seen or cid == PREAMBLE:
            valid = False
            first = self.seen.get(cid)
            where = f"line {first}" if first else "the implicit preamble"
            self.issues.append(finding(
                "clause-id-duplicate", self.doc, f"clause id '{cid}' is already used on {where}: "
                "every clause needs its own id", line=line, key=cid))
            cid = f"{cid}@{line}"
        else:
            self.seen[cid] = line
        if number is None:
            self.issues.append(finding(
                "heading-malformed", self.doc, f"heading '{raw}' has no number: write "
                f"'{'## <number>.' if level == 2 else '### <number>.<sub>'} {title}'",
                line=line, key=f"number:{cid}"))
        parent = self.last_top if level == 3 else None
        self.clauses.append(_Open(cid, number, title, level, line, parent, valid))
        if level == 2:
            self.last_top = cid


def _suggest_id(title: str) -> str:
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_title.lower())
    return "-".join(words[:4]) or "clause-id"


def _matching_close(tokens: list[Token], start: int) -> int:
    token = tokens[start]
    if token.nesting != 1:
        return start
    depth = 0
    for j in range(start, len(tokens)):
        depth += tokens[j].nesting
        if depth == 0:
            return j
    return len(tokens) - 1


def _inline(token: Token, line: int) -> tuple[str, tuple[Link, ...]]:
    """Plain text of an inline token (hard breaks and <br> as newlines) and its links."""
    parts: list[str] = []
    links: list[Link] = []
    target: str | None = None
    start = 0
    row = line
    for child in token.children or ():
        kind = child.type
        if kind in ("text", "code_inline"):
            parts.append(child.content)
        elif kind == "softbreak":
            parts.append(" ")
            row += 1
        elif kind == "hardbreak":
            parts.append("\n")
            row += 1
        elif kind == "html_inline" and re.match(r"<br\s*/?>", child.content, re.I):
            parts.append("\n")
        elif kind == "link_open":
            target = str(child.attrs.get("href", ""))
            start = len("".join(parts))
        elif kind == "link_close" and target is not None:
            links.append(Link(target, "".join(parts)[start:], row))
            target = None
        elif kind == "image":
            parts.append(child.content)
    return "".join(parts).strip(), tuple(links)


def _paragraph(inline: Token, line: int) -> Block:
    text, links = _inline(inline, line)
    kind: BlockKind = "address" if "\n" in text else "paragraph"
    items = tuple(part.strip() for part in text.split("\n")) if kind == "address" else ()
    return Block(kind, line, text, items, links)


def _list(tokens: list[Token], line: int) -> Block:
    items: list[str] = []
    depths: list[int] = []
    links: list[Link] = []
    open_items: list[int] = []
    depth = -1
    first = tokens[0].map[0] if tokens[0].map else 0
    for token in tokens:
        if token.type in ("bullet_list_open", "ordered_list_open"):
            depth += 1
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
        elif token.type == "list_item_open":
            open_items.append(len(items))
            items.append("")
            depths.append(depth)
        elif token.type == "list_item_close":
            open_items.pop()
        elif token.type == "inline" and open_items:
            row = line + (token.map[0] - first if token.map else 0)
            text, found = _inline(token, row)
            index = open_items[-1]
            items[index] = f"{items[index]} {text}".strip()
            links.extend(found)
    return Block("list", line, "\n".join(items), tuple(items), tuple(links), tuple(depths))


def _table(tokens: list[Token], line: int) -> Block:
    rows: list[str] = []
    links: list[Link] = []
    cells: list[str] = []
    in_body = False
    first = tokens[0].map[0] if tokens[0].map else 0
    for token in tokens:
        if token.type == "tbody_open":
            in_body = True
        elif token.type == "tr_open":
            cells = []
        elif token.type == "inline" and in_body:
            text, found = _inline(token, line + (token.map[0] - first if token.map else 0))
            cells.append(text.replace("\n", "; "))
            links.extend(found)
        elif token.type == "tr_close" and in_body:
            rows.append(" | ".join(cells))
    return Block("table", line, "\n".join(rows), tuple(rows), tuple(links))
