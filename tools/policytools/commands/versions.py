"""``policy release``, ``policy verify`` and ``policy diff``."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import TextIO

from ..checks.archive import integrity
from ..errors import UsageError
from ..history import changesets
from ..ledger import CURRENT, LEDGER_FILE, Kind, load_ledger
from ..model import Finding, Severity
from . import EXIT_FINDINGS, EXIT_OK, emit, open_project, pick, wants_colour, writing


def parse_date(text: str, option: str) -> dt.date:
    """Exactly YYYY-MM-DD: Python also takes 20261215 and 2026-W50-1, which read as typos."""
    from ..ledger import iso_date

    day = iso_date(text)
    if day is None:
        raise UsageError(f"{option} {text!r} is not a date YYYY-MM-DD")
    return day


def reason(text: str | None, option: str) -> str | None:
    """The reason given to ``option``: text the ledger can hold, not blank."""
    if text is None:
        return None
    from ..yamlio import storable

    text = storable(text, option, UsageError).strip()
    if not text:
        raise UsageError(f"{option} needs a reason: say why, in words")
    return text


def summaries(args: argparse.Namespace) -> dict[str, str]:
    """--summary-file (a YAML mapping locale: text) overlaid with each --summary L=TEXT."""
    found: dict[str, str] = {}
    if args.summary_file is not None:
        found.update(_summary_file(args.summary_file))
    for item in args.summary:
        locale, sep, text = item.partition("=")
        if not sep or not locale.strip():
            raise UsageError(f"--summary {item!r} must be LOCALE=TEXT")
        found[locale.strip()] = _summary(text, f"--summary {locale.strip()}")
    return found


def _summary_file(path: Path) -> dict[str, str]:
    from ..yamlio import key_line, load_yaml

    display = str(path)
    data = load_yaml(path, display, UsageError)
    if not isinstance(data, dict):
        raise UsageError("expected a mapping of locale to summary text", display, 1)
    found = {}
    for locale, text in data.items():
        if not isinstance(locale, str):
            raise UsageError(f"{locale!r} is not a locale code: write one like 'en'", display)
        try:
            if text is not None and not isinstance(text, str):
                raise UsageError(f"the summary for {locale} must be text, not {_kind(text)}: "
                                 "quote it")
            found[locale] = _summary(text or "", f"the summary for {locale}")
        except UsageError as exc:  # the line costs a second parse: only for the error
            raise UsageError(exc.message, display, key_line(path, locale)) from None
    return found


def _summary(text: str, what: str) -> str:
    from ..yamlio import storable

    text = storable(text, what, UsageError).strip()
    if not text:
        raise UsageError(f"{what} is empty: say what changed")
    return text


def _kind(value: object) -> str:
    return {"bool": "true/false", "int": "a number", "float": "a number", "list": "a list",
            "dict": "a mapping", "date": "a date"}.get(type(value).__name__, "another value")


def release(args: argparse.Namespace, out: TextIO) -> int:
    from ..baseline import judged_findings
    from ..confirmations import load_confirmations, snapshot
    from ..release import Request
    from ..release import release as make_release
    from .check import baseline_for

    kind = _kind_of_change(args)
    project = open_project(args)
    released = parse_date(args.released, "--released") if args.released else dt.date.today()
    request = Request(args.version, parse_date(args.effective, "--effective"), released,
                      summaries(args), reason(args.allow_drift, "--allow-drift"),
                      reason(args.backdate, "--backdate"), kind=kind,
                      retroactive=reason(args.retroactive, "--retroactive"),
                      supersedes=_version(args.supersedes, "--supersedes"))

    def failing() -> list[Finding]:
        _, judged = judged_findings(project, baseline_for(project, args))
        return [f for f in judged.new if f.severity >= Severity.ERROR]

    def confirmed() -> dict[str, tuple[str, ...]]:
        return snapshot(project, load_confirmations(project))

    with writing(project, f"policy release {request.version or released}", out):
        entry = make_release(project, request, failing, confirmed)
    out.write(f"policy release: released {entry.version}, in force from {entry.effective}: "
              f"archived {len(entry.files)} changed text{'s' * (len(entry.files) != 1)} in "
              f"policy/archive/{entry.version}/ and "
              f"added the entry to {LEDGER_FILE}\n")
    return EXIT_OK


def _kind_of_change(args: argparse.Namespace) -> Kind:
    """--material or --editorial: exactly one, since notice depends on it."""
    if args.material and args.editorial:
        raise UsageError("--material and --editorial exclude each other: a release is one "
                         "or the other")
    if not (args.material or args.editorial):
        raise UsageError("say what kind of change this release is: --material (it changes "
                         "what the policy means for readers; it needs notice) or --editorial "
                         "(wording, layout, corrections that change no meaning)")
    return "material" if args.material else "editorial"


def _version(text: str | None, option: str) -> str | None:
    """A release id given to ``option``, checked before it is shown in any message."""
    if text is None:
        return None
    from ..ledger import LedgerError, parse_version

    try:
        parse_version(text)
    except LedgerError as exc:
        raise UsageError(f"{option}: {exc.message}") from None
    return text


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
