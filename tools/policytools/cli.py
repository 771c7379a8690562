"""The ``policy`` command: subcommands, ``main(argv) -> int``, and the single error barrier.

Each verb's module is imported only when that verb runs, so ``policy check`` starts fast and
never imports MkDocs.
"""

from __future__ import annotations

import argparse
import importlib
import os
import signal
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from . import __version__
from .errors import PolicyError, UsageError

EXIT_BAD_INPUT = 2
EXIT_BROKEN_PIPE = 128 + signal.SIGPIPE
DEBUG_HINT = "rerun with --debug for the traceback"
MAX_DETAIL = 300


# Each verb's help ends with real examples (a test parses every one) and its exit codes.
EXAMPLES: dict[str, tuple[tuple[str, str], ...]] = {
    "check": (("check every translation against the source", "policy check"),
              ("the Dutch translation only, as GitHub annotations, failing on warnings too",
               "policy check --locale nl --format github --strict")),
    "rules": (("every finding code, its severity, check and preconditions", "policy rules"),),
    "release": (("a material change, released today, in force after the notice",
                 "policy release --material --effective 2026-09-01 "
                 "--summary 'en=Retention periods are shorter.' "
                 "--summary 'nl=Bewaartermijnen zijn korter.'"),
                ("a wording fix, recorded on the day it was really made",
                 "policy release --editorial --effective 2026-06-02 --released 2026-06-02 "
                 "--backdate 'entered late' --summary-file summaries.yml")),
    "recover": (("remove what an interrupted release left under policy/", "policy recover"),),
    "verify": (("recompute the archive's hashes", "policy verify"),
               ("another checkout, with tracebacks of errors",
                "policy verify --root ../policy-copy --debug")),
    "record": (("the evidence bundle of one release", "policy record 2026-06-01"),
               ("into a folder, replacing an earlier one",
                "policy record 2026-06-01 --output evidence/ --force")),
    "diff": (("what changed since the latest release", "policy diff"),
             ("the Dutch redline between two releases, as HTML",
              "policy diff 2026-01-15 2026-06-01 --locale nl --format html "
              "--output changes.html")),
    "confirm": (("the Dutch privacy policy matches the current source",
                 "policy confirm nl privacy --by 'Anna de Vries <anna@example.com>'"),
                ("one clause only", "policy confirm nl privacy#retention --by 'Anna de Vries'")),
    "rename-clause": (("give the clause {#tracking} of privacy the id cookies in every locale",
                       "policy rename-clause privacy tracking cookies"),
                      ("in another checkout", "policy rename-clause privacy contact "
                       "contact-us --root ../policy-copy")),
    "status": (("translation progress of every locale", "policy status"),
               ("the Dutch progress as JSON", "policy status --locale nl --format json")),
    "add-locale": (("German: texts, site words and the site's declaration, all to translate",
                    "policy add-locale de"),
                   ("Swiss German, named in the language switcher as given",
                    "policy add-locale de-CH --name 'Deutsch (Schweiz)'")),
    "add-document": (("a cookie policy in English, its Dutch title given",
                      "policy add-document cookies --title 'en=Cookie policy' "
                      "--title nl=Cookiebeleid"),),
    "export": (("everything the Dutch needs, for a CAT tool (Trados, memoQ)",
                "policy export nl --format xliff --output nl.xlf"),
               ("only the stale units, as PO for Weblate or Poedit",
                "policy export nl --only stale --format po --output nl.po")),
    "import": (("write the agency's translations back and confirm them",
                "policy import nl.xlf --by 'Vertaalbureau <pm@agency.example>'"),
               ("a PO file, confirmed as git's user", "policy import nl.po")),
}
BAD_INPUT = "2  bad input, a refused operation or an internal error (--debug shows its traceback)"
EXIT_CODES: dict[str, str] = {
    "check": "0  passed: no errors (and no warnings with --strict)\n"
             "  1  failed: findings the baseline does not accept",
    "verify": "0  every archived file matches the ledger\n  1  the archive differs from it",
    "import": "0  every unit imported, its clauses confirmed\n"
              "  1  units not imported or clauses left unconfirmed: each is named",
    "rename-clause": "0  renamed in every text, recorded in policy/policy.yml",
}


def epilog(verb: str) -> str:
    """The examples and exit codes closing ``policy <verb> --help``."""
    examples = "\n".join(f"  # {what}\n  {command}" for what, command in EXAMPLES[verb])
    codes = EXIT_CODES.get(verb, "0  done")
    return f"examples:\n{examples}\n\nexit codes:\n  {codes}\n  {BAD_INPUT}"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message)


def _common(default: object) -> _Parser:
    """--root and --debug, accepted before and after the verb."""
    common = _Parser(add_help=False)
    common.add_argument("--root", type=Path, default=default, help="project folder "
                        "(default: the nearest folder upwards holding locales/)")
    common.add_argument("--debug", action="store_true", default=default,
                        help="show tracebacks of errors")
    return common


def _output(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--output", type=Path, metavar="FILE",
                        help="write the report to FILE instead of standard output")
    parser.add_argument("--color", choices=("auto", "always", "never"), default="auto")


def _filters(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--locale", action="append", default=[], metavar="L",
                        help="only this locale (repeatable or comma-separated)")
    parser.add_argument("--document", action="append", default=[], metavar="D",
                        help="only this document (repeatable or comma-separated)")


def _verb(verbs: argparse._SubParsersAction[_Parser], common: _Parser, name: str,
          help: str) -> _Parser:
    """A verb's parser: its help, examples and exit codes, and --root and --debug."""
    return verbs.add_parser(name, parents=[common], help=help, description=help,
                            epilog=epilog(name),
                            formatter_class=argparse.RawDescriptionHelpFormatter)


def build_parser() -> argparse.ArgumentParser:
    # A verb's own defaults would overwrite options given before the verb: suppress them.
    common = _common(argparse.SUPPRESS)
    parser = _Parser(prog="policy", parents=[_common(None)], description="Keep a multilingual "
                     "policy in sync, versioned and published.")
    parser.add_argument("--version", action="version", version=f"policy {__version__}")
    verbs = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    check = _verb(verbs, common, "check",
                  help="check every translation against the source")
    _filters(check)
    check.add_argument("--format", choices=("text", "json", "github", "sarif"), default="text")
    base = check.add_mutually_exclusive_group()
    base.add_argument("--baseline", type=Path, metavar="FILE",
                      help="accepted findings (default: policy/baseline.yml)")
    base.add_argument("--no-baseline", action="store_true", help="report every finding")
    check.add_argument("--write-baseline", action="store_true",
                       help="record the current findings as accepted, keeping reasons")
    check.add_argument("--strict", action="store_true", help="fail on warnings too")
    check.add_argument("-v", "--verbose", action="store_true",
                       help="list accepted findings too (text format)")
    check.add_argument("--no-cache", action="store_true", help="check again even where "
                       "nothing changed since the last run (.policy_cache/)")
    _output(check)
    check.set_defaults(run="check:run")

    _verb(verbs, common, "rules", help="list every finding code with its "
          "severity").set_defaults(run="check:rules")

    release = _verb(verbs, common, "release", help="freeze locales/ into the "
                    "archive as a new version")
    release.add_argument("version", nargs="?", default="", help="the release date YYYY-MM-DD "
                         "(-2, -3… for a second release on one day; default: the next id of "
                         "the release date)")
    release.add_argument("--effective", required=True, metavar="DATE",
                         help="when the release takes effect (may lie in the future)")
    release.add_argument("--summary", action="append", default=[], metavar="LOCALE=TEXT",
                         help="what changed, once per published locale")
    release.add_argument("--summary-file", type=Path, metavar="FILE",
                         help="a YAML mapping of locale to summary")
    release.add_argument("--released", metavar="DATE", help="the release date (default: "
                         "today; never later than today)")
    release.add_argument("--backdate", metavar="REASON", help="allow a --released date "
                         "before today; the reason goes into the ledger")
    release.add_argument("--allow-drift", metavar="REASON", help="release despite new "
                         "check errors; the reason goes into the ledger")
    release.add_argument("--material", action="store_true", help="the release changes what "
                         "the policy means for readers: it needs notice_days' notice")
    release.add_argument("--editorial", action="store_true", help="the release changes "
                         "wording only (one of --material and --editorial is required)")
    release.add_argument("--retroactive", metavar="REASON", help="allow an effective date "
                         "before the release date; the reason goes into the ledger")
    release.add_argument("--supersedes", metavar="VERSION", help="take the place of the "
                         "latest release (an announced one being corrected): it never takes "
                         "effect")
    release.set_defaults(run="versions:release")

    _verb(verbs, common, "recover", help="remove what an interrupted release "
          "or write provably left under policy/").set_defaults(run="recover:run")

    verify = _verb(verbs, common, "verify", help="recompute the archive's "
                   "hashes against the ledger")
    verify.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    verify.set_defaults(run="versions:verify")

    record = _verb(verbs, common, "record", help="export one release as an "
                   "evidence bundle: texts, ledger entry, redlines, SHA-256")
    record.add_argument("version", help="the release to record")
    record.add_argument("--output", type=Path, metavar="PATH", help="a .zip, else a folder "
                        "(default: policy-record-VERSION.zip in the current folder)")
    record.add_argument("--force", action="store_true", help="replace an earlier record")
    record.set_defaults(run="record:run")

    diff = _verb(verbs, common, "diff", help="clause-aligned redline between "
                 "two versions")
    diff.add_argument("old", nargs="?", help="a release id or 'current' (default: the "
                      "latest release)")
    diff.add_argument("new", nargs="?", help="a release id or 'current' (default: current)")
    _filters(diff)
    diff.add_argument("--format", choices=("text", "md", "html", "json"), default="text")
    _output(diff)
    diff.set_defaults(run="versions:diff")

    confirm = _verb(verbs, common, "confirm", help="record that a translation "
                    "matches the current source")
    confirm.add_argument("locale", help="the translation's locale, as in --locale of check")
    confirm.add_argument("targets", nargs="*", metavar="DOCUMENT[#CLAUSE]",
                         help="what matches (default: every document the locale publishes)")
    confirm.add_argument("--by", metavar="NAME", help="who confirms (default: git's "
                         "user.name <user.email>)")
    confirm.add_argument("--accept", metavar="REASON", help="confirm clauses with open "
                         "errors or untranslated text too; the reason is recorded")
    confirm.set_defaults(run="translations:run_confirm")

    rename = _verb(verbs, common, "rename-clause", help="change a clause id in every "
                   "locale, keeping the old one as the site's anchor")
    rename.add_argument("document", metavar="DOCUMENT", help="the document, as in --document "
                        "of check")
    rename.add_argument("old", metavar="OLD", help="the clause id to rename (the source's "
                        "{#id})")
    rename.add_argument("new", metavar="NEW", help="its new id: lowercase ASCII letters, "
                        "digits, hyphens")
    rename.set_defaults(run="rename:run")

    status = _verb(verbs, common, "status", help="translation progress per "
                   "locale and document")
    _filters(status)
    status.add_argument("--format", choices=("text", "json"), default="text")
    _output(status)
    status.set_defaults(run="translations:run_status")

    add_locale = _verb(verbs, common, "add-locale", help="add a language: its texts and "
                       "site words copied from the source, to translate, and its declaration")
    add_locale.add_argument("locale", help="a BCP 47 tag the site serves: 'de', 'de-CH', "
                            "'pt-BR'")
    add_locale.add_argument("--name", metavar="NAME", help="the language's name in the "
                            "language switcher (default: its name in itself, from CLDR)")
    add_locale.set_defaults(run="scaffold:add_locale")

    add_document = _verb(verbs, common, "add-document", help="add a document: declared, "
                         "with a first clause to write and a file in every locale")
    add_document.add_argument("name", help="the file name without .md: lowercase letters, "
                              "digits, hyphens")
    add_document.add_argument("--title", action="append", default=[], metavar="LOCALE=TITLE",
                              help="the title in a locale (the source's is required; "
                              "another locale without one gets the source's, to translate)")
    add_document.set_defaults(run="scaffold:add_document")
    export = _verb(verbs, common, "export", help="write the units of a translation that "
                   "need work as XLIFF 1.2 or PO, for a translation agency")
    export.add_argument("locale", help="the translation's locale")
    export.add_argument("--only", metavar="STATES", help="comma-separated: stale, "
                        "untranslated, unconfirmed (default: all three)")
    export.add_argument("--format", choices=("xliff", "po"), default="xliff")
    export.add_argument("--output", type=Path, metavar="FILE",
                        help="write to FILE instead of standard output")
    export.set_defaults(run="exchange:run_export")

    imported = _verb(verbs, common, "import", help="write an agency's XLIFF or PO back "
                     "into locales/ and confirm what it translated")
    imported.add_argument("file", type=Path, metavar="FILE", help="the returned .xlf or .po")
    imported.add_argument("--by", metavar="NAME", help="who confirms (default: git's "
                          "user.name <user.email>)")
    imported.set_defaults(run="exchange:run_import")
    return parser


def _dispatch(args: argparse.Namespace, out: TextIO) -> int:
    module, _, name = str(args.run).partition(":")
    command = getattr(importlib.import_module(f".commands.{module}", __package__), name)
    return int(command(args, out))


def _parse(parser: argparse.ArgumentParser, argv: Sequence[str] | None) -> argparse.Namespace:
    """The arguments, options allowed before a command's targets too (``policy confirm nl
    --by NAME privacy#contact``): argparse leaves targets after an option over, and they
    join the command's list of targets."""
    args, extra = parser.parse_known_args(argv)
    targets = getattr(args, "targets", None)
    if extra and isinstance(targets, list) and not any(e.startswith("-") for e in extra):
        targets.extend(extra)
    elif extra:
        unknown = [e for e in extra if e.startswith("-")] if isinstance(targets, list) else extra
        parser.error(f"unrecognized arguments: {' '.join(unknown)}")
    return args


def main(argv: Sequence[str] | None = None, out: TextIO | None = None,
         err: TextIO | None = None) -> int:
    """Run the command line; every failure is one line on stderr and exit code 2.

    Exit code 1 means findings only: an unexpected exception (a bug) is exit code 2 too,
    with ``--debug`` showing its traceback.
    """
    out = out or sys.stdout
    err = err or sys.stderr
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    try:
        args = _parse(build_parser(), argv)
        return _dispatch(args, out)
    except PolicyError as exc:
        if debug:
            raise
        err.write(f"policy: error: {exc}\n")
        if exc.hint:
            err.write(f"policy: tip: {exc.hint}\n")
        return EXIT_BAD_INPUT
    except SystemExit as exc:  # --help and --version
        return int(exc.code or 0)
    except KeyboardInterrupt:
        err.write("policy: interrupted\n")
        return 130
    except BrokenPipeError:
        if debug:
            raise
        return EXIT_BROKEN_PIPE  # the reader left early (`policy check | head`): no message
    except OSError as exc:  # a full disk, a file taken away mid-way: not a bug, not drift
        if debug:
            raise
        where = f"{exc.filename}: " if exc.filename else ""
        err.write(f"policy: error: {where}{exc.strerror or exc} ({DEBUG_HINT})\n")
        return EXIT_BAD_INPUT
    except BaseException as exc:  # a bug, a Rust panic, MemoryError: never exit 1 (drift)
        if debug or isinstance(exc, GeneratorExit):
            raise
        err.write(f"policy: error: {internal_error(exc)}\n")
        return EXIT_BAD_INPUT


def internal_error(exc: BaseException) -> str:
    """The one line an unexpected exception prints, with the way to its traceback."""
    detail = " ".join(str(exc).split())
    if len(detail) > MAX_DETAIL:  # one readable line, whatever the exception carries
        detail = detail[:MAX_DETAIL - 1] + "…"
    name = type(exc).__name__
    return f"internal error: {name}{': ' + detail if detail else ''} ({DEBUG_HINT})"


def entrypoint() -> None:
    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:
        # the reader left early (`policy check | head`): stop quietly, as a shell tool does;
        # standard output is pointed at devnull so the flush at exit cannot fail again
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = EXIT_BROKEN_PIPE
    except (SystemExit, KeyboardInterrupt):
        raise
    except BaseException:  # re-raised by --debug: show it, but exit 1 still means drift only
        traceback.print_exc()
        code = EXIT_BAD_INPUT
    sys.exit(code)
