"""``policy check`` and ``policy rules``."""

from __future__ import annotations

import argparse
from typing import TextIO

from ..baseline import (
    BASELINE_FILE,
    Baseline,
    Judged,
    judged_findings,
    load_baseline,
    write_baseline,
)
from ..config import Project
from ..errors import UsageError
from ..model import Severity
from ..report import FORMATTERS, Outcome, text
from . import (
    EXIT_BAD_INPUT,
    EXIT_FINDINGS,
    EXIT_OK,
    emit,
    open_project,
    pick,
    project_root,
    wants_colour,
    writing,
)

UNREADABLE = {"file-unreadable", "file-empty"}


def baseline_for(project: Project, args: argparse.Namespace) -> Baseline | None:
    if getattr(args, "no_baseline", False):
        return None
    chosen = getattr(args, "baseline", None)
    path = chosen if chosen is not None else project.root / BASELINE_FILE
    return load_baseline(path, project.rel(path.resolve()))


def run(args: argparse.Namespace, out: TextIO) -> int:
    if args.write_baseline:
        return _write_baseline(args, out)
    root = project_root(args)
    if args.no_cache:
        judged, display = _judged(args)
    else:
        from ..cache import cached

        chosen = args.baseline.resolve() if args.baseline is not None else None
        options = [f"locale={','.join(args.locale)}", f"document={','.join(args.document)}",
                   f"baseline={'none' if args.no_baseline else chosen or 'default'}"]
        judged, display = cached(root, options, lambda: _judged(args),
                                 (chosen,) if chosen else ())
    outcome = Outcome(judged, Severity.WARNING if args.strict else Severity.ERROR, display,
                      root.resolve().as_uri())
    if args.format == "text":
        report = text(outcome, wants_colour(out, args), args.verbose)
    else:
        report = FORMATTERS[args.format](outcome)
    emit(out, args, report)
    if any(f.code in UNREADABLE for f in judged.new):
        return EXIT_BAD_INPUT
    return EXIT_FINDINGS if outcome.failing else EXIT_OK


def _judged(args: argparse.Namespace) -> tuple[Judged, str | None]:
    project = open_project(args)
    locales = pick(args.locale, project.locales, "locale")
    documents = pick(args.document, project.documents, "document")
    baseline = baseline_for(project, args)
    _, judged = judged_findings(project, baseline, locales, documents)
    return judged, baseline.display if baseline else None


def _write_baseline(args: argparse.Namespace, out: TextIO) -> int:
    project = open_project(args)
    locales = pick(args.locale, project.locales, "locale")
    documents = pick(args.document, project.documents, "document")
    with writing(project, "policy check --write-baseline", out):
        baseline = baseline_for(project, args)
        if baseline is None:
            raise UsageError("--write-baseline needs a baseline file: drop --no-baseline")
        findings, _ = judged_findings(project, baseline, locales, documents)
        count = write_baseline(baseline, findings, (set(locales), set(documents)))
    out.write(f"policy check: wrote {count} accepted findings to {baseline.display}; "
              "give each new entry a reason\n")
    return EXIT_OK


def rules(args: argparse.Namespace, out: TextIO) -> int:
    from ..rules import RULES

    width = max(len(code) for code in RULES)
    check = max(len(rule.check) for rule in RULES.values())
    for rule in RULES.values():
        out.write(f"{rule.code:<{width}}  {rule.severity.label:<7}  {rule.check:<{check}}  "
                  f"{rule.summary}\n")
        if rule.preconditions:
            out.write(f"{'':<{width}}  only when: {'; '.join(rule.preconditions)}\n")
    return EXIT_OK
