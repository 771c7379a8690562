"""The ``policy`` command: subcommands, ``main(argv) -> int``, and the single error barrier.

Each verb's module is imported only when that verb runs, so ``policy check`` starts fast and
never imports MkDocs.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from . import __version__
from .errors import PolicyError, UsageError

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT = 0, 1, 2
UNREADABLE = {"file-unreadable", "file-empty"}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="policy", description="Keep a multilingual policy in sync, "
                     "versioned and published.")
    parser.add_argument("--version", action="version", version=f"policy {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of errors")
    verbs = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    check = verbs.add_parser("check", help="check every translation against the source")
    check.add_argument("--root", type=Path, help="project folder (default: the nearest "
                       "folder upwards holding locales/)")
    check.add_argument("--locale", action="append", default=[], metavar="L",
                       help="check only this locale (repeatable; the source is always read)")
    check.add_argument("--document", action="append", default=[], metavar="D",
                       help="check only this document (repeatable)")
    check.add_argument("--format", choices=("text", "json", "github", "sarif"), default="text")
    base = check.add_mutually_exclusive_group()
    base.add_argument("--baseline", type=Path, metavar="FILE",
                      help="accepted findings (default: policy/baseline.yml)")
    base.add_argument("--no-baseline", action="store_true", help="report every finding")
    check.add_argument("--write-baseline", action="store_true",
                       help="record the current findings as accepted, keeping reasons")
    check.add_argument("--strict", action="store_true", help="fail on warnings too")
    check.add_argument("--output", type=Path, metavar="FILE",
                       help="write the report to FILE instead of standard output")
    check.add_argument("-v", "--verbose", action="store_true",
                       help="list accepted findings too (text format)")
    check.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    check.set_defaults(run=_check)

    rules = verbs.add_parser("rules", help="list every finding code with its severity")
    rules.set_defaults(run=_rules)
    return parser


def find_root(start: Path) -> Path:
    """The nearest folder at or above ``start`` that holds ``locales/``."""
    for folder in (start, *start.parents):
        if (folder / "locales").is_dir():
            return folder
    raise UsageError("no locales/ folder here or above: run in a policy project or pass --root")


def _check(args: argparse.Namespace, out: TextIO) -> int:
    from .baseline import BASELINE_FILE, judge, load_baseline, write_baseline
    from .checks import run_checks
    from .config import load_project
    from .model import Severity
    from .report import FORMATTERS, Outcome, text

    root = args.root if args.root is not None else find_root(Path.cwd())
    if not (root / "locales").is_dir():
        raise UsageError(f"{root} has no locales/ folder", str(root))
    project = load_project(root)
    locales = _pick(args.locale, project.locales, "locale")
    documents = _pick(args.document, project.documents, "document")
    findings = run_checks(project, locales, documents)
    path = args.baseline if args.baseline is not None else project.root / BASELINE_FILE
    baseline = None if args.no_baseline else load_baseline(path, project.rel(path.resolve()))
    if args.write_baseline:
        if baseline is None:
            raise UsageError("--write-baseline needs a baseline file: drop --no-baseline")
        count = write_baseline(baseline, findings)
        out.write(f"policy check: wrote {count} accepted findings to {baseline.display}; "
                  "give each new entry a reason\n")
        return EXIT_OK
    judged = judge(findings, baseline, (set(locales), set(documents)))
    outcome = Outcome(judged, Severity.WARNING if args.strict else Severity.ERROR,
                      baseline.display if baseline else None, project.root.as_uri())
    if args.format == "text":
        colour = args.color == "always" or (args.color == "auto" and _wants_colour(out, args))
        report = text(outcome, colour, args.verbose)
    else:
        report = FORMATTERS[args.format](outcome)
    if args.output:
        from .yamlio import write_atomic

        write_atomic(args.output, report)
    else:
        out.write(report)
    if any(f.code in UNREADABLE for f in judged.new):
        return EXIT_BAD_INPUT
    return EXIT_FINDINGS if outcome.failing else EXIT_OK


def _wants_colour(out: TextIO, args: argparse.Namespace) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    return bool(os.environ.get("FORCE_COLOR")) or (args.output is None and out.isatty())


def _pick(asked: list[str], known: tuple[str, ...], what: str) -> tuple[str, ...]:
    wanted = [name for item in asked for name in item.split(",") if name]
    for name in wanted:
        if name not in known:
            raise UsageError(f"unknown {what} '{name}': the project has {', '.join(known)}")
    return tuple(wanted) or known


def _rules(args: argparse.Namespace, out: TextIO) -> int:
    from .rules import RULES

    width = max(len(code) for code in RULES)
    for rule in RULES.values():
        out.write(f"{rule.code:<{width}}  {rule.severity.label:<7}  {rule.summary}\n")
    return EXIT_OK


def main(argv: Sequence[str] | None = None, out: TextIO | None = None,
         err: TextIO | None = None) -> int:
    """Run the command line; every expected failure is one line on stderr and exit code 2."""
    out = out or sys.stdout
    err = err or sys.stderr
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    try:
        args = build_parser().parse_args(argv)
        return int(args.run(args, out))
    except PolicyError as exc:
        if debug:
            raise
        err.write(f"policy: error: {exc}\n")
        if exc.hint:
            err.write(f"policy: tip: {exc.hint}\n")
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        err.write("policy: interrupted\n")
        return 130


def entrypoint() -> None:
    sys.exit(main())
