"""``policy confirm`` and ``policy status``: the translator's to-do list."""

from __future__ import annotations

import argparse
import json
from typing import TextIO

from ..confirmations import (
    CONFIRMED_FILE,
    STATES,
    confirm,
    load_confirmations,
    read_existing,
    save,
    status,
)
from ..errors import UsageError
from . import EXIT_OK, emit, open_project, pick, writing


def run_confirm(args: argparse.Namespace, out: TextIO) -> int:
    project = open_project(args)
    if args.locale == project.source_locale or args.locale not in project.translations:
        raise UsageError(f"'{args.locale}' is not a translation: the project translates into "
                         f"{', '.join(project.translations) or 'nothing yet'}")
    targets: dict[str, list[str] | None] = {}
    for item in args.targets or project.publishes(args.locale):
        document, hashed, clause = item.partition("#")
        if not document or (hashed and not clause):
            raise UsageError(f"confirm target {item!r} names no "
                             f"{'document' if not document else 'clause'}: write DOCUMENT "
                             f"or DOCUMENT#CLAUSE, e.g. {project.documents[0]}#"
                             f"{clause or 'contact'}")
        pick([document], project.documents, "document")
        if document not in project.publishes(args.locale):
            raise UsageError(f"{args.locale} does not publish {document} (publish: in "
                             "policy/policy.yml): there is nothing to confirm")
        if clause:
            chosen = targets.setdefault(document, [])
            if chosen is not None:
                chosen.append(clause)
        else:
            targets[document] = None
    with writing(project, f"policy confirm {args.locale}", out):
        confirmations = load_confirmations(project, roundtrip=True)
        total = 0
        for document, clauses in targets.items():
            source = read_existing(project, project.source_locale, document)
            target = read_existing(project, args.locale, document)
            total += len(confirm(confirmations, args.locale, source, target, clauses))
        save(confirmations)
    out.write(f"policy confirm: {total} clause{'s' * (total != 1)} of {args.locale} confirmed "
              f"against the current source in {CONFIRMED_FILE}\n")
    return EXIT_OK


def run_status(args: argparse.Namespace, out: TextIO) -> int:
    project = open_project(args)
    rows = status(project, pick(args.locale, project.translations, "locale"),
                  pick(args.document, project.documents, "document"))
    if args.format == "json":
        emit(out, args, json.dumps({"version": 1, "status": rows}, indent=2) + "\n")
        return EXIT_OK
    head = ("locale", "document", "up to date", "stale", "unconfirmed", "missing", "clauses")
    lines = [head]
    for row in rows:
        total = row["total"] or 1
        cells = [f"{row[s]} ({round(100 * row[s] / total)}%)" for s in STATES]
        lines.append((row["locale"], row["document"], *cells, str(row["total"])))
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    text = "\n".join("  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True))
                     .rstrip() for line in lines)
    emit(out, args, text + "\n")
    return EXIT_OK
