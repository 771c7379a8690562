"""Structured Markdown → :class:`Document`: clauses by anchor id, numbers, bodies, 1-based lines.

The format (a contract; see README): YAML front matter with ``title``; text before the first
clause heading is the preamble; ``## <n>. <title> {#<id>}`` starts a clause and
``### <n>.<m> <title> {#<id>}`` a sub-clause. Problems become findings on the document, so
one bad heading never hides the rest of the file.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .files import FileRefused, read_bytes_safely
from .markup import scan
from .model import PREAMBLE, Block, BlockKind, Clause, Document, Finding, Link
from .rules import finding
from .syntax import parse_tree

if TYPE_CHECKING:
    from markdown_it_pyrs import Node

HEADING_RE = re.compile(r"^(?:(?P<number>\d+(?:\.\d+)*)\.?\s+)?(?P<title>.*?)\s*"
                        r"(?:\{#(?P<id>[^}]*)\})?\s*$")
ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LINE_END_RE = re.compile(r"\r\n|\r|\n")
_LINE_RE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
FENCE_RE = re.compile(r"^(?:---|\.\.\.)[ \t]*$")
LISTS = ("bullet_list", "ordered_list")
BREAKS = {"softbreak": " ", "hardbreak": "\n"}
BR_RE = re.compile(r"<br\s*/?>", re.I)
# Inline nodes whose markup a reader sees or follows beyond their text (see Block.marks).
MARKED = frozenset({"link", "autolink", "image", "em", "strong", "code_inline"})
BLOCK_NAMES = frozenset({"paragraph", "blockquote", "code_block", "fence", "html_block", "hr",
                         "heading", "lheading", "table", *LISTS})


def read_document(path: Path, name: str, locale: str, display: str) -> Document:
    """Read and parse one file; an unreadable file gives a document holding that finding."""
    stub = Document(name=name, locale=locale, path=display, readable=False)
    try:
        data = read_bytes_safely(path, display)
    except FileRefused as exc:
        return _unreadable(stub, f"cannot read {display}: {exc.detail}", None)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return _unreadable(stub, f"{display} is not UTF-8 text (byte {data[exc.start]:#04x}); "
                                 "save it as UTF-8", line)
    return parse_document(text, name, locale, display)


def readable(doc: Document) -> Document:
    """``doc``, or the error its file is unreadable for: a command must not act on no text."""
    from .errors import PolicyError

    issue = next((f for f in doc.issues if f.code == "file-unreadable"), None)
    if issue is not None:
        raise PolicyError(issue.message, issue.file, issue.line)
    return doc


def _unreadable(stub: Document, message: str, line: int | None) -> Document:
    issue = finding("file-unreadable", stub, message, line=line, key="unreadable")
    return Document(name=stub.name, locale=stub.locale, path=stub.path, issues=(issue,),
                    readable=False)


def read_title(path: Path, display: str) -> str:
    """The front matter title of a policy file, without parsing its body ('' if none)."""
    try:
        text = read_bytes_safely(path, display).decode("utf-8-sig")
    except (FileRefused, UnicodeDecodeError):
        return ""
    return title_of(text, display)


def title_of(text: str, display: str) -> str:
    """The front matter title of a policy text, without parsing its body ('' if none)."""
    return _front_matter(file_lines(text), Document(name="", locale="", path=display))[0]


def parse_document(text: str, name: str, locale: str, display: str) -> Document:
    """Parse the text of ``locales/<locale>/<name>.md``."""
    doc = Document(name=name, locale=locale, path=display)
    if not text.strip():
        issue = finding("file-empty", doc, f"{display} is empty: it needs front matter "
                        "with a title and the policy's clauses", line=1, key="empty")
        return Document(name=name, locale=locale, path=display, issues=(issue,),
                        readable=False)
    lines = file_lines(text)
    title, offset, issues = _front_matter(lines, doc)
    issues += _control_characters(text, doc)
    body = "\n".join(lines[offset:])
    tree, problem = parse_tree(body)
    if problem is not None:
        issues.append(finding(problem.code, doc, problem.message, key=problem.code,
                              line=problem.line + offset if problem.line else None))
    if tree is None:
        return Document(name=name, locale=locale, path=display, issues=tuple(issues),
                        readable=False)
    builder = _Builder(doc, _Lines(body, offset), issues)
    builder.walk(tree.children)
    unsafe = tuple(replace(m, line=m.line + offset) for m in scan(body))
    if title:  # the page's title and the navigation show it
        title_line = next((n for n, line in enumerate(lines[:offset], 1)
                           if line.startswith("title:")), 1)
        unsafe = tuple(replace(m, line=title_line) for m in scan(title)) + unsafe
    return Document(name=name, locale=locale, path=display, title=title,
                    clauses=tuple(builder.finish()), issues=tuple(builder.issues),
                    end_line=len(lines) + 1, markup=unsafe)


def file_lines(text: str) -> list[str]:
    """The lines of a file as editors and MkDocs count them: split at line ends only.

    ``str.splitlines`` also splits at U+2028, U+2029, form feeds and other characters that
    neither an editor nor Markdown treats as a new line, which would shift every line number
    after one and make a heading of text the published page shows as part of a paragraph.
    """
    lines = LINE_END_RE.split(text) if "\r" in text else text.split("\n")
    return lines[:-1] if lines[-1] == "" else lines


def split_lines(text: str) -> list[str]:
    """The lines of ``text`` with their endings, counted as clause lines count them."""
    return _LINE_RE.findall(text)


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
    return title.strip(), end + 1, _title_as_mkdocs_reads(lines[1:end], title, doc)


def _title_as_mkdocs_reads(lines: Sequence[str], title: str, doc: Document) -> list[Finding]:
    """A title MkDocs' YAML 1.1 reads otherwise ('title: no' is false there) is a finding."""
    from .errors import PolicyError
    from .yamlio import yaml11_load, yaml11_suspect

    if not yaml11_suspect(title):
        return []
    try:
        data = yaml11_load("\n".join(lines), doc.path)
    except PolicyError:
        data = None
    read = data.get("title") if isinstance(data, dict) else None
    if read == title:
        return []
    line = next((n for n, text in enumerate(lines, 2) if text.startswith("title:")), 1)
    return [finding("front-matter-title", doc, f"the title {title} reads as {read!r} in "
                    f"MkDocs (YAML 1.1): quote it, title: \"{title}\"", line=line,
                    key="yaml11")]


def _control_characters(text: str, doc: Document) -> list[Finding]:
    """One finding per line holding a character no reader sees and no data file can store."""
    from .yamlio import unstorable

    issues: list[Finding] = []
    # line ends (a lone '\r' too) are no characters of the text: count lines as editors do
    for char, line, column in unstorable("\n".join(file_lines(text))):
        if not issues or issues[-1].line != line:
            issues.append(finding(
                "text-control-character", doc, f"the {char} (column {column}) shows as "
                "nothing or as a box: remove it (Word pastes U+000B for a line break)",
                line=line, key=f"{char}:{len(issues)}"))
    return issues


@dataclass
class _Open:
    """A clause being collected while walking the syntax tree."""

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


class _Lines:
    """1-based file lines of the parser's byte offsets into the body."""

    def __init__(self, body: str, offset: int) -> None:
        self.body = body.encode()
        self.offset = offset
        self.starts = [0] + [m.end() for m in re.finditer(b"\n", self.body)]

    def of(self, node: Node) -> int:
        return bisect_right(self.starts, node.srcmap[0] if node.srcmap else 0) + self.offset

    def source(self, nodes: Sequence[Node]) -> str:
        """The Markdown source of a run of sibling nodes, as written."""
        spans = [n.srcmap for n in nodes if n.srcmap]
        return self.body[spans[0][0]:spans[-1][1]].decode() if spans else ""


class _Builder:
    def __init__(self, doc: Document, lines: _Lines, issues: list[Finding]) -> None:
        self.doc = doc
        self.lines = lines
        self.issues = issues
        self.clauses: list[_Open] = []
        self.preamble = _Open(PREAMBLE, None, "", 0, 0, None)
        self.seen: dict[str, int] = {}
        self.last_top: str | None = None

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

    def walk(self, nodes: Sequence[Node]) -> None:
        for node in nodes:
            kind, line = node.name, self.lines.of(node)
            if kind == "lheading":
                self.setext(node, line)
            elif kind == "heading":
                self.heading(node, line)
            elif kind == "paragraph":
                self.add(_paragraph(node, line, self.lines))
            elif kind in LISTS:
                self.add(_list(node, line, self.lines))
            elif kind == "table":
                self.add(_table(node, line, self.lines))
            else:
                text, marks = _other_text(node, self.lines)
                if text:
                    self.add(Block("other", line, text, marks=_marks([marks])))

    def setext(self, node: Node, line: int) -> None:
        """Text underlined with '---' or '===': a heading to Markdown, never a clause."""
        text = " ".join(self.lines.source(node.children).split())
        self.issues.append(finding(
            "heading-level", self.doc, f"'{text}' is underlined with "
            f"'{node.meta.get('marker', '-')}', which makes it a heading, not a clause: put a "
            "blank line before the underline for a rule, or write '## <number>. <title> "
            "{#<id>}' for a clause", line=line, key=text))
        self.add(Block("other", line, text))

    def heading(self, node: Node, line: int) -> None:
        raw = self.lines.source(node.children).strip()
        level = node.meta.get("level")
        if level not in (2, 3):
            self.issues.append(finding(
                "heading-level", self.doc, f"'{'#' * (level or 1)} {raw}' is not a clause "
                "heading: use '## ' for a clause, '### ' for a sub-clause", line=line, key=raw))
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


def _inline(nodes: Sequence[Node], lines: _Lines) -> tuple[str, tuple[Link, ...], str]:
    """Plain text of inline nodes (hard breaks and <br> as newlines), their links, and their
    marks (see :class:`Block`)."""
    if len(nodes) == 1 and nodes[0].name == "text":  # most paragraphs and items: quick
        return str(nodes[0].meta["content"]).strip(), (), ""
    parts: list[str] = []
    links: list[Link] = []
    marks: list[str] = []
    # a loop, not recursion: emphasis and images nest as deep as the text says
    todo: list[Node | tuple[Node, int, int]] = list(reversed(nodes))
    while todo:
        node = todo.pop()
        if isinstance(node, tuple):  # the end of a node with children: its text came since
            done, start, slot = node
            text = "".join(parts[start:])
            if done.name in ("link", "autolink"):
                links.append(Link(str(done.meta.get("url", "")), text, lines.of(done)))
            marks[slot] = _mark(done.name, " ".join(text.split()), done.meta)
            continue
        kind = node.name
        if kind in BREAKS:
            parts.append(BREAKS[kind])
        elif kind == "html_inline":
            content = str(node.meta.get("content", ""))
            if BR_RE.match(content):
                parts.append("\n")
            else:
                marks.append(" ".join(content.split()))
        elif not node.children:
            parts.append(node.meta.get("content", ""))
        else:
            marks.append("")  # the node's mark precedes those of its children
            todo.append((node, len(parts), len(marks) - 1))
            todo.extend(reversed(node.children))
    return "".join(parts).strip(), tuple(links), "\n".join(m for m in marks if m)


def _marks(per_unit: list[str]) -> tuple[str, ...]:
    """Block.marks: one per unit, or none at all when no unit has any."""
    return tuple(per_unit) if any(per_unit) else ()


def _mark(kind: str, text: str, meta: Mapping[str, Any]) -> str:
    """A marked node as Markdown: '[text](target "title")', '*text*'; '' for the others."""
    if kind not in MARKED:
        return ""
    title = f' "{meta["title"]}"' if meta.get("title") else ""
    target = f"({meta.get('url', '')}{title})"
    return {"link": f"[{text}]{target}", "autolink": f"[{text}]{target}",
            "image": f"![{text}]{target}", "em": f"*{text}*", "strong": f"**{text}**",
            "code_inline": f"`{text}`"}[kind]


def _paragraph(node: Node, line: int, lines: _Lines) -> Block:
    text, links, marks = _inline(node.children, lines)
    kind: BlockKind = "address" if "\n" in text else "paragraph"
    items = tuple(part.strip() for part in text.split("\n")) if kind == "address" else ()
    return Block(kind, line, text, items, links, marks=_marks([marks]))


def _list(node: Node, line: int, lines: _Lines) -> Block:
    """Every item, nested ones after their parent's first text, with their depths."""
    items: list[str] = []
    depths: list[int] = []
    links: list[Link] = []
    marks: list[str] = []
    # A stack of open lists (index -1: yields items) and open items (index: yields parts);
    # a loop, not recursion, since lists nest as deep as the text says.
    stack: list[tuple[Iterator[Any], int, int]] = [(iter(node.children), -1, 0)]
    while stack:
        parts, index, depth = stack[-1]
        part = next(parts, None)
        if part is None:
            stack.pop()
        elif index < 0:
            items.append("")
            depths.append(depth)
            marks.append("")
            stack.append((_item_parts(part), len(items) - 1, depth))
        elif isinstance(part, list):
            text, found, marked = _inline(part, lines)
            items[index] = f"{items[index]} {text}".strip()
            marks[index] = f"{marks[index]}\n{marked}".strip("\n")
            links.extend(found)
        else:
            stack.append((iter(part.children), -1, depth + 1))
    return Block("list", line, "\n".join(items), tuple(items), tuple(links), tuple(depths),
                 _marks(marks))


def _item_parts(node: Node) -> Iterator[list[Node] | Node]:
    """A list item's runs of inline nodes (a tight item has no paragraph) and nested lists."""
    run: list[Node] = []
    stack = [iter(node.children)]  # blocks inside blocks (a quote in an item), as a loop
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
        elif child.name not in BLOCK_NAMES:
            run.append(child)
            continue
        if run:
            yield run
            run = []
        if child is None:
            continue
        if child.name in LISTS:
            yield child
        elif child.name == "paragraph":
            yield list(child.children)
        else:
            stack.append(iter(child.children))


def _table(node: Node, line: int, lines: _Lines) -> Block:
    """Body rows as items, the header row as ``head``; marks: the head's, then each row's."""
    head, head_marks = "", ""
    rows: list[str] = []
    links: list[Link] = []
    marks: list[str] = []
    for part in node.children:
        for row in part.children:
            text, found, marked = _row(row, lines)
            links.extend(found)
            if part.name == "thead":
                head, head_marks = text, marked
            else:
                rows.append(text)
                marks.append(marked)
    return Block("table", line, "\n".join(rows), tuple(rows), tuple(links),
                 marks=_marks([head_marks, *marks]), head=head)


def _row(row: Node, lines: _Lines) -> tuple[str, list[Link], str]:
    """A table row: its cells joined by ' | ' (line breaks as '; '), links and marks."""
    cells: list[str] = []
    links: list[Link] = []
    marks: list[str] = []
    for cell in row.children:
        text, found, marked = _inline(cell.children, lines)
        cells.append(text.replace("\n", "; "))
        links.extend(found)
        marks.append(marked)
    return " | ".join(cells), links, "\n".join(m for m in marks if m)


def _other_text(node: Node, lines: _Lines) -> tuple[str, str]:
    """What a reader sees of any other block (a quote, code, raw HTML; a rule has none) and
    its marks (raw HTML and code are their own text)."""
    texts: list[str] = []
    marks: list[str] = []
    todo = [node]  # quotes nest as deep as the text says: a loop, not recursion
    while todo:
        block = todo.pop()
        if "content" in block.meta:
            texts.append(str(block.meta["content"]).strip())
        elif block.name == "paragraph":
            text, _, marked = _inline(block.children, lines)
            texts.append(text)
            marks.append(marked)
        else:
            todo.extend(reversed(block.children))
    return "\n".join(t for t in texts if t), "\n".join(m for m in marks if m)
