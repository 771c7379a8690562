"""Every verb's --help: exit 0, examples the real parser accepts, and the exit codes.

The examples are parsed, not run: help that drifts from the options fails here.
"""

from __future__ import annotations

import argparse
import shlex
import subprocess

import pytest

from conftest import POLICY
from policytools.cli import EXAMPLES, build_parser, main


def _verbs() -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in build_parser()._actions
                  if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


VERBS = sorted(_verbs())


def _examples(help_text: str) -> list[str]:
    """The command lines under 'examples:' in a help text."""
    section = help_text.split("\nexamples:\n", 1)[1].split("\n\n", 1)[0]
    return [line.strip() for line in section.splitlines() if line.strip().startswith("policy")]


def test_every_verb_has_examples() -> None:
    assert sorted(EXAMPLES) == VERBS


@pytest.mark.parametrize("verb", VERBS)
def _help(verb: str, capsys: pytest.CaptureFixture[str]) -> str:
    """``policy VERB --help`` in-process (argparse prints help to sys.stdout)."""
    assert main([verb, "--help"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    return out


@pytest.mark.parametrize("verb", VERBS)
def test_help_shows_examples_the_parser_accepts(verb: str,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    out = _help(verb, capsys)
    assert out.startswith(f"usage: policy {verb} ")
    examples = _examples(out)
    assert examples == [command for _, command in EXAMPLES[verb]]
    for example in examples:
        argv = shlex.split(example)
        assert argv[:2] == ["policy", verb]
        args = build_parser().parse_args(argv[1:])  # a UsageError if it drifted
        assert args.command == verb


@pytest.mark.parametrize("verb", VERBS)
def test_help_ends_with_the_exit_codes(verb: str, capsys: pytest.CaptureFixture[str]) -> None:
    out = _help(verb, capsys)
    codes = out.split("\nexit codes:\n", 1)[1].splitlines()
    assert [line.split()[0] for line in codes] == (
        ["0", "1", "2"] if verb in ("check", "verify", "import") else ["0", "2"])
    assert codes[-1] == ("  2  bad input, a refused operation or an internal error (--debug "
                         "shows its traceback)")


def test_an_example_that_drifted_is_caught() -> None:
    """The guard above is real: an option the parser does not know is refused."""
    from policytools.errors import UsageError

    with pytest.raises(UsageError, match="unrecognized arguments: --strictly"):
        build_parser().parse_args(["check", "--strictly"])


@pytest.mark.parametrize("option", ["--root", "--debug"])
def test_root_and_debug_are_accepted_by_every_verb(option: str) -> None:
    for verb, parser in _verbs().items():
        assert option in parser._option_string_actions, verb


@pytest.mark.parametrize(("option", "verbs"), [
    ("--format", {"check", "diff", "status", "export"}),
    ("--output", {"check", "diff", "status", "record", "export"}),
    ("--locale", {"check", "diff", "status"}),
    ("--document", {"check", "diff", "status"}),
])
def test_shared_options_have_one_name_and_meaning(option: str, verbs: set[str]) -> None:
    having = {verb for verb, parser in _verbs().items()
              if option in parser._option_string_actions}
    assert having == verbs
    dests = {_verbs()[verb]._option_string_actions[option].dest for verb in verbs}
    assert dests == {option.removeprefix("--")}


def test_help_as_a_real_process() -> None:
    assert POLICY is not None
    done = subprocess.run([POLICY, "release", "--help"], capture_output=True, text=True,
                          timeout=60, check=False)
    assert (done.returncode, done.stderr) == (0, "")
    assert "\nexamples:\n  # a material change, released today, in force after the notice\n" \
           "  policy release --material --effective 2026-09-01 --summary 'en=Retention " \
           "periods are shorter.' --summary 'nl=Bewaartermijnen zijn korter.'\n" in done.stdout
