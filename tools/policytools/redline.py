"""Change sets → text | md | html | json: the redline formatters of ``policy diff`` and the site.

HTML escapes every policy text and marks changes with <ins>/<del> plus words for screen
readers, never by colour alone; Markdown escapes every text so none becomes markup; text
colours only on a terminal and otherwise uses the ``[-deleted-]{+inserted+}`` notation of
``git diff --word-diff=plain``. A unit whose marks changed (a link target, emphasis, inline
HTML) shows the redline of its marks under its text, after the word "links and formatting".
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from html import escape
from typing import Any

from .diff import DELETE, EQUAL, INSERT, ChangeSet, ClauseChange, Op, UnitChange
from .plaintext import commonmark, terminal

JSON_VERSION = 2
OP_NAMES = {EQUAL: "equal", INSERT: "insert", DELETE: "delete"}
UNIT_MARK = {"added": "+ ", "removed": "- ", "changed": "~ ", "unchanged": "  "}


# The words of a redline; the site passes each locale's own (locales/<locale>/site.yml).
WORDS: Mapping[str, str] = {
    "changed": "changed", "added": "added", "removed": "removed", "moved": "moved",
    "renumbered": "renumbered", "unchanged": "unchanged", "preamble": "preamble",
    "unchanged_clause": "unchanged clause", "unchanged_clauses":
    "unchanged clauses", "and": "and", "inserted": "inserted: ", "deleted": "deleted: ",
    "markup": "links and formatting", "former": "former"}


def _status(change: ClauseChange, words: Mapping[str, str] = WORDS) -> str:
    """'changed, moved and renumbered': everything that happened to a clause."""
    said = [words[change.status]]
    if change.status == "changed" and change.moved:
        said.append(words["moved"])
    if change.renumbered and change.status != "renumbered":
        said.append(words["renumbered"])
    return said[0] if len(said) == 1 else (", ".join(said[:-1]) + f" {words['and']} "
                                           + said[-1])


def number(change: ClauseChange, words: Mapping[str, str] = WORDS) -> str:
    """The clause's number as a reader must read it: '§9' in both versions, '§9 → §10'
    renumbered, 'former §9' removed; so a plain '§9' always means the new text's §9."""
    old = change.old.number if change.old else ""
    new = change.new.number if change.new else ""
    if change.renumbered and old and new:
        return f"§{old} → §{new}"
    if change.status == "removed" and old:
        return f"{words['former']} §{old}"
    return f"§{new or old}" if new or old else ""


def _heading(change: ClauseChange) -> str:
    clause = change.new or change.old
    assert clause is not None
    if clause.is_preamble:
        return "Preamble"
    label = number(change)
    return f"{label} {clause.title}" if label else clause.title


def _label(change: ClauseChange, words: Mapping[str, str]) -> str:
    """How a list of unchanged clauses names one: '§2', 'preamble' or its id."""
    return f"§{change.number}" if change.number else words["preamble"] \
        if change.id == "preamble" else change.id


def _collapsed(unchanged: Sequence[ClauseChange], words: Mapping[str, str] | None = None,
               renames: bool = False) -> str:
    """'3 unchanged clauses: preamble, §1, §2', in ``words`` when given; with ``renames``,
    a renamed clause says its ids: '§5 (#tracking → #cookies)'."""
    local = {**WORDS, **(words or {})}
    labels = ", ".join(_label(c, local) + (f" (#{c.renamed_from} → #{c.id})" if renames and
                                           c.renamed_from else "") for c in unchanged)
    return f"{_counted(unchanged, local)}: {labels}"


def _counted(unchanged: Sequence[ClauseChange], words: Mapping[str, str]) -> str:
    noun = words["unchanged_clause" if len(unchanged) == 1 else "unchanged_clauses"]
    return f"{len(unchanged)} {noun}"


def _groups(changeset: ChangeSet) -> Iterable[ClauseChange | list[ClauseChange]]:
    """Changed clauses one by one; runs of unchanged clauses as one collapsed list."""
    run: list[ClauseChange] = []
    for change in changeset.clauses:
        if change.status == "unchanged":
            run.append(change)
            continue
        if run:
            yield run
            run = []
        yield change
    if run:
        yield run


def compact(ops: Sequence[Op], context: int = 6) -> str:
    """A one-line redline keeping only ``context`` words around each change."""
    parts = []
    for index, (op, text) in enumerate(ops):
        if op == EQUAL:
            words = text.split(" ")
            keep_head, keep_tail = index > 0, index < len(ops) - 1
            if len(words) > 2 * context + 1:
                # keep the spaces that separate the kept words from the changes
                head = " ".join(words[:context]) + " …" if keep_head else "…"
                tail = " " + " ".join(words[-context:]) if keep_tail else ""
                text = head + tail
            parts.append(text)
        else:
            parts.append(_plain_op(op, text))
    return " ".join("".join(parts).split())


def _plain_op(op: int, text: str) -> str:
    return f"{{+{text}+}}" if op == INSERT else f"[-{text}-]" if op == DELETE else text


def spaced(ops: Iterable[Op], render: Callable[[int, str], str], gap: str = " ") -> str:
    """The rendered ops, with ``gap`` between a deletion and an insertion that touch with
    no space of their own: struck 'seven' and underlined 'five' never read 'sevenfive',
    neither on screen nor as extracted text nor to a screen reader. Marks (links, code)
    get no gap: a space inside a URL would misstate it."""
    out: list[str] = []
    last: Op | None = None
    for op, text in ops:
        if last is not None and EQUAL != last[0] != op != EQUAL and \
                not last[1][-1:].isspace() and not text[:1].isspace():
            out.append(gap)
        out.append(render(op, text))
        last = (op, text)
    return "".join(out)


def _text_ops(ops: Iterable[Op], colour: bool, gap: str = " ") -> str:
    ops = [(op, terminal(text)) for op, text in ops]
    if not colour:  # the [-…-]{+…+} markers keep the words apart
        return "".join(_plain_op(op, text) for op, text in ops)
    tint = {INSERT: "\x1b[32;4m", DELETE: "\x1b[31;9m"}
    return spaced(ops, lambda op, text: f"{tint[op]}{text}\x1b[0m" if op in tint else text,
                  gap)


def _shown(change: ClauseChange) -> Iterable[UnitChange]:
    """The units a redline shows: the changed ones, or all of an added or removed clause."""
    whole = change.status in ("added", "removed")
    return (u for u in change.units if whole or u.status != "unchanged")


def as_text(changesets: Iterable[ChangeSet], colour: bool = False) -> str:
    out: list[str] = []
    for cs in changesets:
        out.append(terminal(f"{cs.document} ({cs.locale}): {cs.old_version} → "
                            f"{cs.new_version}"))
        for group in _groups(cs):
            if isinstance(group, list):
                out.append(f"  {terminal(_collapsed(group, renames=True))}")
                continue
            was = f" (renamed from #{group.renamed_from})" if group.renamed_from else ""
            out.append("  " + terminal(f"{_heading(group)} {{#{group.id}}}: {_status(group)}"
                                       f"{was}"))
            if group.status == "changed" and any(op != EQUAL for op, _ in group.title):
                out.append(f"    title: {_text_ops(group.title, colour)}")
            for unit in _shown(group):
                body = _text_ops(unit.ops, colour).replace("\n", "\n      ")
                out.append(f"    {UNIT_MARK[unit.status]}{_unit_label(unit)}{body}")
                if unit.marks_changed:
                    marks = _text_ops(unit.marks, colour, "").replace("\n", "\n        ")
                    out.append(f"      {WORDS['markup']}: {marks}")
        out.append("")
    return "\n".join(out)


def _unit_label(unit: UnitChange) -> str:
    return {"item": "• ", "row": "| ", "head": "|| "}.get(unit.kind, "")


def _html_ops(ops: Iterable[Op], words: Mapping[str, str] = WORDS, gap: str = " ") -> str:
    def one(op: int, text: str) -> str:
        if op == EQUAL:
            return escape(text)
        tag, said = ("ins", words["inserted"]) if op == INSERT else ("del", words["deleted"])
        return (f'<{tag}><span class="sr-only">[{escape(said)}</span>{escape(text)}'
                f'<span class="sr-only">]</span></{tag}>')

    return spaced(ops, one, gap).replace("\n", "<br>\n")


def html_fragment(changeset: ChangeSet, words: Mapping[str, str] | None = None,
                  level: int = 3, link: str | None = None) -> str:
    """The redline of one document as HTML (escaped text, <ins>/<del>), in ``words``, its
    clauses headed at ``level``; with ``link`` (the new version's page), each unchanged
    clause links to itself there."""
    local = {**WORDS, **(words or {})}
    out = [f'<div class="policy-redline" data-document="{escape(changeset.document)}" '
           f'data-locale="{escape(changeset.locale)}">']
    for group in _groups(changeset):
        if isinstance(group, list):
            out.append(_html_collapsed(group, local, link))
            continue
        clause = group.new or group.old
        assert clause is not None
        title = _html_ops(group.title, local) if group.status == "changed" else \
            escape(clause.title)
        label = number(group, local)
        out.append(f'<section class="redline-clause redline-{group.status}" '
                   f'id="{escape(group.id)}">')
        out.append(f'<h{level}>{escape(label + " " if label else "")}{title} '
                   f'<span class="redline-status">({escape(_status(group, local))})</span>'
                   f"</h{level}>")
        # a clause only moved or renumbered reads as before: its heading says all
        if group.status not in ("moved", "renumbered"):
            out.extend(_html_units(group.units, local))
        out.append("</section>")
    out.append("</div>")
    return "\n".join(out)


def _html_collapsed(unchanged: Sequence[ClauseChange], words: Mapping[str, str],
                    link: str | None) -> str:
    """'3 unchanged clauses: §1, §2, §3', each a link to the clause when ``link`` is given."""
    if link is None:
        return f'<p class="redline-collapsed">{escape(_collapsed(unchanged, words))}</p>'
    labels = ", ".join(f'<a href="{escape(_clause_href(c, link))}">{escape(_label(c, words))}</a>'
                       for c in unchanged)
    return f'<p class="redline-collapsed">{escape(_counted(unchanged, words))}: {labels}</p>'


def _clause_href(change: ClauseChange, link: str) -> str:
    """The clause on the page at ``link``; the preamble, which has no anchor, is its top."""
    clause = change.new or change.old
    return link if clause is None or clause.is_preamble else f"{link}#{change.id}"


def _html_units(units: Sequence[UnitChange], words: Mapping[str, str]) -> Iterable[str]:
    in_list = False
    for unit in units:
        cls = f'class="redline-{unit.status}"'
        if unit.kind == "item":
            if not in_list:
                yield "<ul>"
                in_list = True
            yield f"<li {cls}>{_html_ops(unit.ops, words)}{_html_marks(unit, words)}</li>"
            continue
        if in_list:
            yield "</ul>"
            in_list = False
        yield f"<p {cls}>{_html_ops(unit.ops, words)}{_html_marks(unit, words)}</p>"
    if in_list:
        yield "</ul>"


def _html_marks(unit: UnitChange, words: Mapping[str, str]) -> str:
    """The redline of a unit's marks, on a line of its own inside the unit; '' if unchanged."""
    if not unit.marks_changed:
        return ""
    return (f'<br>\n<span class="redline-markup">{escape(words["markup"])}: '
            f"<code>{_html_ops(unit.marks, words, '')}</code></span>")


HTML_STYLE = """
body{font:16px/1.5 system-ui,sans-serif;max-width:50rem;margin:2rem auto;padding:0 1rem}
ins{background:#dafbe1;text-decoration:underline}del{background:#ffebe9}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
.redline-collapsed{color:#555;font-style:italic}.redline-status{font-weight:normal}
.redline-markup{font-size:.9em}
"""


def as_html(changesets: Iterable[ChangeSet]) -> str:
    body = "\n".join(
        f"<h2>{escape(cs.document)} ({escape(cs.locale)}): {escape(cs.old_version)} → "
        f"{escape(cs.new_version)}</h2>\n{html_fragment(cs)}" for cs in changesets)
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f"<title>Policy redline</title><style>{HTML_STYLE}</style></head>"
            f"<body>\n{body}\n</body></html>\n")


def as_markdown(changesets: Iterable[ChangeSet]) -> str:
    """GitHub-flavoured Markdown; every policy text is escaped, so none of it becomes markup."""
    out = []
    for cs in changesets:
        out.append(f"## {commonmark(f'{cs.document} ({cs.locale}): {cs.old_version} → ')}"
                   f"{commonmark(cs.new_version)}\n")
        for group in _groups(cs):
            if isinstance(group, list):
                out.append(f"*{commonmark(_collapsed(group))}*\n")
                continue
            out.append(f"### {commonmark(f'{_heading(group)} ({_status(group)})')}\n")
            if group.status == "changed" and any(op != EQUAL for op, _ in group.title):
                out.append(f"Title: {_md_ops(group.title)}\n")
            for unit in _shown(group):
                bullet = "- " if unit.kind == "item" else ""
                out.append(f"{bullet}{_md_ops(unit.ops)}\n")
                if unit.marks_changed:
                    out.append(f"{'  ' if bullet else ''}{WORDS['markup']}: "
                               f"{_md_ops(unit.marks, '')}\n")
    return "\n".join(out)


def _md_ops(ops: Iterable[Op], gap: str = " ") -> str:
    def one(op: int, text: str) -> str:
        safe = commonmark(text)
        return f"<ins>{safe}</ins>" if op == INSERT else f"<del>{safe}</del>" \
            if op == DELETE else safe
    return spaced(ops, one, gap).replace("\n", "  \n")


def _ops_json(ops: Iterable[Op]) -> list[list[str]]:
    return [[OP_NAMES[op], text] for op, text in ops]


def as_json(changesets: Iterable[ChangeSet]) -> str:
    """The documented schema in ``schemas/diff-output.schema.json``."""
    data: dict[str, Any] = {"version": JSON_VERSION, "changes": []}
    for cs in changesets:
        data["changes"].append({
            "document": cs.document, "locale": cs.locale, "old": cs.old_version,
            "new": cs.new_version, "counts": cs.counts(),
            "clauses": [{
                "id": c.id, "status": c.status, "moved": c.moved, "renumbered": c.renumbered,
                "renamed_from": c.renamed_from,
                "old_number": c.old.number if c.old else None,
                "new_number": c.new.number if c.new else None,
                "title": _ops_json(c.title),
                "units": [{"kind": u.kind, "status": u.status, "depth": u.depth,
                           "ops": _ops_json(u.ops), "marks": _ops_json(u.marks)}
                          for u in c.units],
            } for c in cs.clauses],
        })
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


FORMATS: dict[str, Callable[[Iterable[ChangeSet]], str]] = {
    "md": as_markdown, "html": as_html, "json": as_json,
}
