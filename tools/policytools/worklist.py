"""Which units of a translation need work, and why: the list ``policy export`` writes.

The state of a unit is what ``policy status`` and ``policy check`` decide for its clause:
``stale`` and ``unconfirmed`` from ``confirmations.state``, ``untranslated`` from the
untranslated check's verdict (a unit that is a copy of its source, or one the verdict names).
A copy, or a unit the translation lacks, is exported with an empty target. Pure: it reads
the project's files, and writes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .config import Project
from .confirmations import Confirmations, state, translation_edited
from .errors import PolicyError
from .exchange import DOCUMENT, Item, Segment, State, normalized, plain, previous, segments
from .files import read_bytes_safely
from .model import Clause, Document
from .parse import parse_document, readable

if TYPE_CHECKING:
    from .checks.untranslated import Judge


@dataclass(frozen=True)
class Text:
    """One policy file: its normalized text, the parsed document and its units per clause."""

    doc: Document
    text: str
    units: dict[str, list[Segment]]
    crlf: bool = False

    def unit(self, clause: str, part: str) -> Segment | None:
        return next((s for s in self.units.get(clause, ()) if s.part == part), None)


def read_text(project: Project, locale: str, document: str) -> Text:
    """The file of ``document`` in ``locale``, parsed and cut into units; an error when it
    cannot be read."""
    path = project.doc_path(locale, document)
    display = project.rel(path)
    raw = read_bytes_safely(path, display)
    try:
        decoded = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PolicyError("not UTF-8 text: save the file as UTF-8", display,
                          raw.count(b"\n", 0, exc.start) + 1) from None
    text = normalized(decoded)
    doc = readable(parse_document(text, document, locale, display))
    return Text(doc, text, segments(text, doc), "\r\n" in decoded)


@dataclass
class Work:
    """The units of one document that need work, and the clauses the translation lacks."""

    document: str
    items: list[Item] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def work(project: Project, confirmations: Confirmations, locale: str, document: str,
         only: Iterable[State]) -> Work:
    """The units of ``document`` in ``locale`` whose state is one of ``only``."""
    from .checks.registry import Pair, View
    from .checks.runner import load_view
    from .checks.untranslated import Judge

    wanted = set(only)
    source = read_text(project, project.source_locale, document)  # an error if unreadable
    target = read_text(project, locale, document)
    source_view = load_view(project, project.source_locale, document)
    target_view = load_view(project, locale, document)
    assert isinstance(source_view, View) and isinstance(target_view, View)
    judge = Judge(Pair(source_view, target_view))
    found = Work(document)
    title, mine = source.unit(DOCUMENT, "title"), target.unit(DOCUMENT, "title")
    if title and "untranslated" in wanted and (mine is None or mine.text == title.text):
        # no check judges the front matter: a title is untranslated while it is the source's
        found.items.append(Item(document, title, "", "untranslated", None, source.doc.path))
    for clause in source.doc.clauses:
        other = target.doc.clause(clause.id)
        if other is None:
            found.missing.append(clause.id)
            continue
        found.items += [item for item in _clause_items(
            document, clause, other, source, target, confirmations, judge, locale)
            if item.state in wanted]
    return found


def _clause_items(document: str, clause: Clause, other: Clause, source: Text, target: Text,
                  confirmations: Confirmations, judge: Judge, locale: str) -> list[Item]:
    """The units of one clause that need work, with their state."""
    now = state(confirmations, clause, other, locale, document)
    verdict = judge.verdict(clause, other)
    flagged = {u.text for u in verdict.units} if verdict else set()
    before = _changed(confirmations, clause, other, locale, document) if now == "stale" \
        else {}
    items = []
    for unit in source.units.get(clause.id, []):
        mine = target.unit(clause.id, unit.part)
        copy = mine is None or mine.text == unit.text
        kind: State
        if verdict is not None and (copy or (mine and plain(other, mine) in flagged)):
            kind = "untranslated"
        elif now == "unconfirmed" or (now == "stale" and (not before or unit.key in before)):
            kind = now  # of a stale clause, only the units whose source changed, if known
        else:
            continue
        current = "" if mine is None or (copy and verdict) else mine.text
        items.append(Item(document, unit, current, kind,
                          before.get(unit.key) if kind == "stale" else None, source.doc.path))
    return items


def _changed(confirmations: Confirmations, clause: Clause, other: Clause, locale: str,
             document: str) -> dict[tuple[int, int], str]:
    """The source text as confirmed of each unit of a stale clause whose text changed since;
    none when that is not known, or when the translation is what changed."""
    if translation_edited(confirmations, other, locale, document, clause.id):
        return {}
    old = confirmations.texts.get(confirmations.hash_for(locale, document, clause.id) or "")
    return previous(old, clause) if old else {}
