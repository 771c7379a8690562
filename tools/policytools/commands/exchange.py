"""``policy export`` and ``policy import``: the work of a translation agency, in XLIFF or PO."""

from __future__ import annotations

import argparse
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from ..catfiles import ExchangeError, Received, read_returned, write_po, write_xliff
from ..config import Project
from ..confirmations import CONFIRMED_FILE, Record, confirm, load_confirmations, save, stamp
from ..errors import UsageError
from ..exchange import DOCUMENT, STATES, Segment, State, added_markup, digest, replace
from ..model import Finding
from ..worklist import Text, read_text, work
from . import EXIT_FINDINGS, EXIT_OK, open_project, writing
from .translations import confirmer, open_errors

SHOWN = 5  # unit ids a summary line names


def _translation(project: Project, locale: str | None, display: str | None = None) -> str:
    if not locale or locale == project.source_locale or locale not in project.translations:
        what = f"'{locale}' is not a translation" if locale else "no target language"
        error = ExchangeError if display else UsageError
        raise error(f"{what}: the project translates into "
                    f"{', '.join(project.translations) or 'nothing yet'}", display)
    return locale


def _only(text: str | None) -> tuple[State, ...]:
    if not text:
        return STATES
    wanted = [name.strip() for name in text.split(",") if name.strip()]
    for name in wanted:
        if name not in STATES:
            raise UsageError(f"--only {name!r}: choose from {', '.join(STATES)}")
    return tuple(s for s in STATES if s in wanted)


def run_export(args: argparse.Namespace, out: TextIO) -> int:
    project = open_project(args)
    locale = _translation(project, args.locale)
    only = _only(args.only)
    confirmations = load_confirmations(project)
    documents = [d for d in project.publishes(locale)
                 if project.doc_path(locale, d).exists()]
    works = [work(project, confirmations, locale, d, only) for d in documents]
    items = [item for w in works for item in w.items]
    source_name = project.locale_name(project.source_locale)
    data = write_xliff(items, documents, project.source_locale, locale, source_name) \
        if args.format == "xliff" else write_po(items, project.source_locale, locale,
                                                 source_name)
    if args.output is None:
        out.write(data.decode())
        return EXIT_OK
    from ..yamlio import write_atomic

    write_atomic(args.output, data, f"--output {args.output}", UsageError)
    counts = ", ".join(f"{n} {s}" for s in only if (n := sum(i.state == s for i in items)))
    out.write(f"policy export: {len(items)} unit{'s' * (len(items) != 1)} of {locale} "
              f"{'(' + counts + ') ' if counts else ''}in {args.output}\n")
    missing = [f"{w.document}#{cid}" for w in works for cid in w.missing]
    if missing:
        out.write(f"policy export: the {project.locale_name(locale)} lacks {len(missing)} "
                  f"clause{'s' * (len(missing) != 1)} ({', '.join(missing)}), not exported: "
                  f"add {'them' if len(missing) != 1 else 'it'} to the translation first\n")
    return EXIT_OK


@dataclass
class Plan:
    """What an import writes: per document, the new text of each unit, and what it skips."""

    changes: dict[str, dict[Segment, str]] = field(default_factory=dict)
    clauses: dict[str, set[str]] = field(default_factory=dict)  # clauses with imported units
    held: dict[str, set[str]] = field(default_factory=dict)  # clauses with skipped units
    notes: list[str] = field(default_factory=list)
    unfinished: list[str] = field(default_factory=list)  # ids of targets marked unfinished
    imported: int = 0


def run_import(args: argparse.Namespace, out: TextIO) -> int:
    project = open_project(args)
    from ..files import read_bytes_safely

    display = str(args.file)
    returned = read_returned(read_bytes_safely(args.file, display), display)
    locale = _translation(project, returned.locale, display)
    by = _who(project, args)  # before anything is written: a refusal writes nothing
    with writing(project, f"policy import {display}", out):
        sources = {d: read_text(project, project.source_locale, d)
                   for d in project.publishes(locale)}
        targets = {d: read_text(project, locale, d) for d in project.publishes(locale)
                   if project.doc_path(locale, d).exists()}
        plan = _plan(project, returned.units, sources, targets, display)
        written = _write(project, targets, plan)
        confirmed, refused = _confirm(project, locale, plan, by)
    _report(out, plan, locale, written, confirmed, by)
    for line in refused:
        out.write(f"{line}\n")
    return EXIT_FINDINGS if plan.notes or plan.unfinished or refused else EXIT_OK


def _report(out: TextIO, plan: Plan, locale: str, written: list[str], confirmed: list[str],
            by: str) -> None:
    """The refused units, the unfinished ones, then what was imported and confirmed."""
    for note in plan.notes:
        out.write(f"{note}\n")
    if plan.unfinished:
        count, shown = len(plan.unfinished), ", ".join(plan.unfinished[:SHOWN])
        out.write(f"policy import: {count} unit{'s' * (count != 1)} not imported, "
                  f"{'their targets' if count != 1 else 'its target'} empty or marked unfinished "
                  f"(new, needs-…, fuzzy): {shown}{', …' if count > SHOWN else ''}\n")
    out.write(f"policy import: {plan.imported} unit{'s' * (plan.imported != 1)} of {locale} "
              f"imported into {len(written)} file{'s' * (len(written) != 1)}"
              f"{' (' + ', '.join(written) + ')' if written else ''}")
    if confirmed:
        out.write(f"; {len(confirmed)} clause{'s' * (len(confirmed) != 1)} confirmed by "
                  f"{by} in {CONFIRMED_FILE}")
    out.write("\n")


def _who(project: Project, args: argparse.Namespace) -> str:
    from .translations import _text

    return _text(args.by, "--by") if args.by is not None else confirmer(project.root)


def _plan(project: Project, units: tuple[Received, ...], sources: dict[str, Text],
          targets: dict[str, Text], display: str) -> Plan:
    """Check every unit of the file; refuse the file for one that names nothing here."""
    source_name = f"the {project.locale_name(project.source_locale)}"
    plan = Plan()
    for unit in units:
        where = f"{display}:{unit.line}" if unit.line else display
        document, clause, part = _parse_id(unit, sources, display)
        segment = sources[document].unit(clause, part)
        target = targets.get(document)
        spot = target.unit(clause, part) if target else None
        if segment is None:
            raise ExchangeError(f"unit {unit.id} is not in "
                                f"{sources[document].doc.path}: was this file exported from "
                                "this project?", display, unit.line)
        if not unit.done:
            plan.unfinished.append(unit.id)
        elif unit.hash != digest(segment.text):
            plan.notes.append(f"{where}: unit {unit.id}: {source_name} text changed since "
                              "export; export again")
        else:
            if spot is None and target is not None and segment.kind == "paragraph":
                spot = _after(target, clause, int(part[1:]))
            new = unit.target.replace("\r\n", "\n").strip()
            problem = _misfit(segment, spot, new)
            if problem is None and spot is not None:
                if new != spot.text:
                    plan.changes.setdefault(document, {})[spot] = new
                if clause != DOCUMENT:  # the document's title is in no clause's confirmation
                    plan.clauses.setdefault(document, set()).add(clause)
                plan.imported += 1
                continue
            plan.notes.append(f"{where}: unit {unit.id}: not imported: {problem}")
        plan.held.setdefault(document, set()).add(clause)
    return plan


def _misfit(segment: Segment, spot: Segment | None, new: str) -> str | None:
    """Why a finished target cannot be written where its unit is, if it cannot."""
    if spot is None:
        return "the translation has no such part: make its clause's structure match the source"
    if segment.kind in ("cell", "title") and "\n" in new:
        return f"a {'table cell' if segment.kind == 'cell' else 'title'} holds one line only"
    added = added_markup(segment.text, new)
    if added is not None:
        return f"the target adds {added}, which its source does not have: remove it"
    return None


def _after(target: Text, clause: str, number: int) -> Segment | None:
    """Where a paragraph the translation lacks goes: after its nearest earlier paragraph
    (a new, empty segment there), else nowhere."""
    earlier = [s for s in target.units.get(clause, ()) if s.kind == "paragraph"
               and int(s.part[1:]) < number]
    if not earlier:
        return None
    at = earlier[-1].end
    return Segment(clause, f"p{number}", "paragraph", "", at, at, earlier[-1].line)


def _parse_id(unit: Received, sources: dict[str, Text], display: str) -> tuple[str, str, str]:
    document, _, rest = unit.id.partition("#")
    clause, _, part = rest.partition("/")
    if document not in sources or not part or (clause == DOCUMENT and part != "title"):
        raise ExchangeError(f"unknown unit {unit.id!r}: expected <document>#<clause>/<part> "
                            f"of a document of this project ({', '.join(sources)})", display,
                            unit.line)
    return document, clause, part


def _write(project: Project, targets: dict[str, Text], plan: Plan) -> list[str]:
    """Write every changed file, or none: each new text must read back unit by unit."""
    from ..exchange import normalized, segments
    from ..parse import parse_document
    from ..yamlio import write_atomic

    staged: dict[str, tuple[Path, str, str]] = {}
    for document, changes in plan.changes.items():
        target = targets[document]
        text = replace(target.text, changes)
        doc = parse_document(text, document, target.doc.locale, target.doc.path)
        again = segments(normalized(text), doc)
        for segment, new in changes.items():
            found = next((s for s in again.get(segment.clause, ()) if s.part == segment.part),
                         None)
            if found is None or found.text != new:
                raise ExchangeError(f"unit {document}#{segment.id}: its target does not read "
                                    "back as the same unit (a blank line, a heading or a list "
                                    f"marker in it?); nothing was written", target.doc.path,
                                    segment.line)
        old = target.text.replace("\n", "\r\n") if target.crlf else target.text
        staged[document] = (project.doc_path(target.doc.locale, document),
                            text.replace("\n", "\r\n") if target.crlf else text, old)
    done: list[tuple[Path, str, str]] = []
    try:
        for path, text, old in staged.values():
            write_atomic(path, text, project.rel(path), ExchangeError)
            done.append((path, text, old))
    except BaseException:
        for path, _, old in done:  # all or nothing: put back what was written
            write_atomic(path, old, project.rel(path), ExchangeError)
        raise
    return [project.rel(path) for path, _, _ in staged.values()]


def _confirm(project: Project, locale: str, plan: Plan, by: str) -> tuple[list[str], list[str]]:
    """Confirm each clause whose units were all imported and that has no open error."""
    from ..confirmations import read_existing

    wanted = {d: sorted(c - plan.held.get(d, set())) for d, c in plan.clauses.items()}
    wanted = {d: c for d, c in wanted.items() if c}
    if not wanted:
        return [], []
    blocking = open_errors(project, locale, wanted)
    refused = _refusals(blocking)
    confirmations = load_confirmations(project, roundtrip=True)
    record = Record(by, stamp(dt.datetime.now(dt.UTC)))
    confirmed: list[str] = []
    for document, clauses in wanted.items():
        ok = [c for c in clauses if (document, c) not in {(f.document, f.clause)
                                                          for f in blocking}]
        if not ok:
            continue
        source = read_existing(project, project.source_locale, document)
        target = read_existing(project, locale, document)
        confirmed += [f"{document}#{c}" for c in confirm(confirmations, locale, source, target,
                                                          ok, record)]
    if confirmed:
        save(confirmations)
    return confirmed, refused


def _refusals(blocking: list[Finding]) -> list[str]:
    """One line per clause left unconfirmed, naming its first open error."""
    lines: dict[tuple[str, str | None], str] = {}
    for f in blocking:
        key = (f.document, f.clause)
        if key not in lines:
            count = sum(1 for g in blocking if (g.document, g.clause) == key)
            where = f"{f.file}:{f.line}" if f.line else f.file
            lines[key] = (f"policy import: {f.document}#{f.clause} imported but not confirmed: "
                          f"{count} open error{'s' * (count != 1)}, the first: {where}: "
                          f"[{f.code}] {f.message}")
    return list(lines.values())

