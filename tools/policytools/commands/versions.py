"""``policy release``, ``policy verify`` and ``policy diff``."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import TextIO

from ..checks.archive import integrity
from ..errors import UsageError
from ..history import changesets
from ..ledger import CURRENT, LEDGER_FILE, load_ledger
from ..model import Finding, Severity
from . import EXIT_FINDINGS, EXIT_OK, emit, open_project, pick, wants_colour


def parse_date(text: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"{option} '{text}' is not a date YYYY-MM-DD") from None


def summaries(args: argparse.Namespace) -> dict[str, str]:
    """--summary-file (a YAML mapping locale: text) overlaid with each --summary L=TEXT."""
    found: dict[str, str] = {}
    if args.summary_file is not None:
        from ..yamlio import load_yaml

        data = load_yaml(args.summary_file, str(args.summary_file))
        if not isinstance(data, dict):
            raise UsageError("expected a mapping of locale to summary text",
                             str(args.summary_file), 1)
        found.update({str(k): str(v).strip() for k, v in data.items()})
    for item in args.summary:
        locale, sep, text = item.partition("=")
        if not sep or not locale:
            raise UsageError(f"--summary '{item}' must be LOCALE=TEXT")
        found[locale.strip()] = text.strip()
    return found


def release(args: argparse.Namespace, out: TextIO) -> int:
    from ..baseline import judged_findings
    from ..release import Request
    from ..release import release as make_release
    from .check import baseline_for

    project = open_project(args)
    released = parse_date(args.released, "--released") if args.released else dt.date.today()
    request = Request(args.version, parse_date(args.effective, "--effective"), released,
                      summaries(args), args.allow_drift)
    def failing() -> list[Finding]:
        _, judged = judged_findings(project, baseline_for(project, args))
        return [f for f in judged.new if f.severity >= Severity.ERROR]

    entry = make_release(project, request, failing)
    out.write(f"policy release: released {entry.version}, in force from {entry.effective}: "
              f"archived {len(entry.files)} files in policy/archive/{entry.version}/ and "
              f"added the entry to {LEDGER_FILE}\n")
    return EXIT_OK


def verify(args: argparse.Namespace, out: TextIO) -> int:
    from ..baseline import judge
    from ..report import Outcome, text

    project = open_project(args)
    ledger = load_ledger(project)
    findings = sorted(integrity(project, ledger), key=lambda f: f.sort_key)
    if not findings:
        files = sum(len(r.files) for r in ledger.releases)
        n = len(ledger.releases)
        out.write(f"policy verify: {n} release{'s' * (n != 1)}, {files} archived files, "
                  "all intact\n")
        return EXIT_OK
    outcome = Outcome(judge(findings, None), Severity.ERROR, None, project.root.as_uri())
    out.write(text(outcome, wants_colour(out, args)).replace("policy check", "policy verify"))
    return EXIT_FINDINGS


def diff(args: argparse.Namespace, out: TextIO) -> int:
    from ..redline import FORMATS, as_text

    project = open_project(args)
    ledger = load_ledger(project)
    old = args.old
    if old is None:
        if ledger.latest is None:
            raise UsageError(f"no release in {LEDGER_FILE} yet: name two versions, or make a "
                             "first release with policy release")
        old = ledger.latest.version
    new = args.new or CURRENT
    for version in (old, new):
        if version != CURRENT:
            ledger.get(version)
    sets = changesets(project, ledger, old, new, pick(args.locale, project.locales, "locale"),
                      pick(args.document, project.documents, "document"))
    if args.format == "text":
        emit(out, args, as_text(sets, wants_colour(out, args)))
    else:
        emit(out, args, FORMATS[args.format](sets))
    return EXIT_OK
