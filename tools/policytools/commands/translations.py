"""``policy confirm`` and ``policy status``: the translator's to-do list."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
from pathlib import Path
from typing import TextIO

from ..config import Project
from ..confirmations import (
    CONFIRMED_FILE,
    STATES,
    ConfirmError,
    Record,
    confirm,
    load_confirmations,
    read_existing,
    save,
    stamp,
    status,
    wanted_clauses,
)
from ..errors import UsageError
from ..model import Finding, Severity
from ..yamlio import storable
from . import EXIT_OK, emit, open_project, pick, writing

GIT_TIMEOUT = 10  # seconds: a git that hangs (a lock, a network drive) must not hang confirm
MAX_NAME = 200


def run_confirm(args: argparse.Namespace, out: TextIO) -> int:
    project = open_project(args)
    if args.locale == project.source_locale or args.locale not in project.translations:
        raise UsageError(f"'{args.locale}' is not a translation: the project translates into "
                         f"{', '.join(project.translations) or 'nothing yet'}")
    targets = _targets(project, args.locale, args.targets or list(project.publishes(args.locale)))
    by = _text(args.by, "--by") if args.by is not None else confirmer(project.root)
    reason = _text(args.accept, "--accept") if args.accept is not None else None
    with writing(project, f"policy confirm {args.locale}", out):
        confirmations = load_confirmations(project, roundtrip=True)
        chosen = {}
        for document, clauses in targets.items():
            source = read_existing(project, project.source_locale, document)
            target = read_existing(project, args.locale, document)
            chosen[document] = (source, target, wanted_clauses(source, target, clauses))
        blocking = open_errors(project, args.locale, {d: c[2] for d, c in chosen.items()})
        if blocking and reason is None:
            raise _refusal(args.locale, blocking)
        record = Record(by, stamp(dt.datetime.now(dt.UTC)), reason)
        total = 0
        for document, (source, target, ids) in chosen.items():
            accepted = {f.clause for f in blocking if f.document == document and f.clause}
            total += len(confirm(confirmations, args.locale, source, target, ids, record,
                                 accepted))
        save(confirmations)
    despite = len({(f.document, f.clause) for f in blocking})
    out.write(f"policy confirm: {total} clause{'s' * (total != 1)} of {args.locale} confirmed "
              f"by {by} against the current source in {CONFIRMED_FILE}")
    if despite:
        out.write(f"; {despite} of them despite open errors, accepted: {reason}")
    out.write("\n")
    return EXIT_OK


def _targets(project: Project, locale: str, items: list[str]) -> dict[str, list[str] | None]:
    """DOCUMENT or DOCUMENT#CLAUSE arguments: the clauses asked for per document (None: all)."""
    targets: dict[str, list[str] | None] = {}
    for item in items:
        document, hashed, clause = item.partition("#")
        if not document or (hashed and not clause):
            raise UsageError(f"confirm target {item!r} names no "
                             f"{'document' if not document else 'clause'}: write DOCUMENT "
                             f"or DOCUMENT#CLAUSE, e.g. {project.documents[0]}#"
                             f"{clause or 'contact'}")
        pick([document], project.documents, "document")
        if document not in project.publishes(locale):
            raise UsageError(f"{locale} does not publish {document} (publish: in "
                             "policy/policy.yml): there is nothing to confirm")
        if clause:
            chosen = targets.setdefault(document, [])
            if chosen is not None:
                chosen.append(clause)
        else:
            targets[document] = None
    return targets


def _text(value: str, option: str) -> str:
    """A name or reason as recorded: one line of storable text, not empty, not too long."""
    text = " ".join(storable(value, option, UsageError).split())
    if not text:
        raise UsageError(f"{option} is empty: give a name or a reason")
    if len(text) > MAX_NAME:
        raise UsageError(f"{option} is longer than {MAX_NAME} characters")
    return text


def confirmer(root: Path) -> str:
    """Who confirms, from git: 'user.name <user.email>' as git is configured in ``root``."""
    name = _git_config(root, "user.name")
    if not name:
        raise UsageError("who confirms? git has no user.name here: pass --by NAME "
                         "(e.g. --by \"Jane Doe <jane@example.com>\")")
    email = _git_config(root, "user.email")
    return _text(f"{name} <{email}>" if email else name, "git's user.name")


def _git_config(root: Path, key: str) -> str | None:
    try:
        done = subprocess.run(["git", "config", key], cwd=root, capture_output=True,
                              text=True, timeout=GIT_TIMEOUT, check=False,
                              stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired, UnicodeDecodeError):
        return None  # no git, or one that hangs: refused below, asking for --by
    value = done.stdout.strip()
    return value if done.returncode == 0 and value else None


def open_errors(project: Project, locale: str,
                clauses: dict[str, list[str]]) -> list[Finding]:
    """The error findings, baselined ones included, on the chosen clauses of ``locale``."""
    from ..checks import run_checks

    found = run_checks(project, [locale], list(clauses))
    return [f for f in found if f.severity == Severity.ERROR and f.locale == locale
            and f.clause is not None and f.clause in clauses.get(f.document, ())]


def _refusal(locale: str, blocking: list[Finding]) -> ConfirmError:
    """One line: how many clauses and errors, and the first error as ``policy check`` says it."""
    first = blocking[0]
    clauses = list(dict.fromkeys(f"{f.document}#{f.clause}" for f in blocking))
    count = len(blocking)
    where = f"{first.file}:{first.line}" if first.line else first.file
    return ConfirmError(
        f"refused: {len(clauses)} clause{'s' * (len(clauses) != 1)} of {locale} "
        f"({', '.join(clauses)}) {'has' if len(clauses) == 1 else 'have'} {count} open "
        f"error{'s' * (count != 1)}, baselined ones included; the first: {where}: "
        f"[{first.code}] {first.message}; fix {'it' if count == 1 else 'them'}, or confirm "
        "anyway with --accept REASON (recorded)")


def run_status(args: argparse.Namespace, out: TextIO) -> int:
    project = open_project(args)
    rows = status(project, pick(args.locale, project.translations, "locale"),
                  pick(args.document, project.documents, "document"))
    if args.format == "json":
        emit(out, args, json.dumps({"version": 1, "status": rows}, indent=2) + "\n")
        return EXIT_OK
    head = ("locale", "document", "up to date", "stale", "unconfirmed", "untranslated",
            "missing", "clauses", "last confirmed")
    lines = [head]
    for row in rows:
        total = row["total"] or 1
        cells = [f"{row[s]} ({round(100 * row[s] / total)}%)" for s in STATES]
        last = f"{row['confirmed_on']} by {row['confirmed_by']}" if row["confirmed_on"] \
            else "not recorded" if row["current"] + row["stale"] else "never"
        lines.append((row["locale"], row["document"], *cells, str(row["total"]), last))
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    text = "\n".join("  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True))
                     .rstrip() for line in lines)
    emit(out, args, text + "\n")
    return EXIT_OK
