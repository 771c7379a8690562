"""Fuzzing: generated policies through check, diff and a site build; no traceback, ever.

A seeded generator mutates the real seed policies (headings dropped, duplicated, renumbered;
clauses translated or emptied; Markdown that once crashed the tools inserted anywhere) and
runs each pair through ``policy check`` and the diff engine in-process, a handful through the
installed ``policy`` script, and one through a real ``mkdocs build``. Every run must end in
exit code 0, 1 or 2 with no internal error. The inputs that crashed the tools before are kept
in ``tests/data/fuzz/`` and checked one by one.
"""

from __future__ import annotations

import io
import json
import random
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import DATA, POLICY, REPO, seed_declaration
from policytools.cli import main
from policytools.diff import diff_documents
from policytools.parse import parse_document
from policytools.redline import FORMATS, as_text, html_fragment

SEED_EN = (REPO / "locales/en/privacy.md").read_text(encoding="utf-8")
SEED_NL = (REPO / "locales/nl/privacy.md").read_text(encoding="utf-8")
HEADING = re.compile(r"(?m)^(#{2,3}) (\d+(?:\.\d+)*)\.? (.*)$")
CASES = 240  # documents through check and diff in-process
EXIT_CODES = {0, 1, 2}

SEPARATORS = ["\u2028", "\u2029", "\x85", "\x0c", "\x0b", "\x1c"]  # no line ends
Construct = Callable[[random.Random], str]
LIGHT: list[Construct] = [
    lambda r: "line one\nline two\n---",  # a setext heading: once an AssertionError
    lambda r: r.choice(["See [`policy.yml.", "[x` y", "![`", "| a |\n|---|\n| [` |"]),  # panic
    lambda r: "| Purpose | Basis |\n|---|---|\n| Orders | Contract |\n| [x](#nowhere) | |",
    lambda r: "| a |\n|---|---|\n| b | c | d |",
    lambda r: r.choice(["<div>\n<script>alert(1)</script>\n</div>", "<b>unclosed", "<!--",
                        "<br><br/>", "&#0; &#x110000; &amp &lt;"]),
    lambda r: "".join(chr(r.randrange(0, 32)) for _ in range(12)),  # control characters
    lambda r: f"One{r.choice(SEPARATORS)}## 9. Not a clause {{#fake}}",
    lambda r: "```\nan unclosed fence",
    lambda r: "## 99. Extra {#extra}\n\nMore text.",
    lambda r: "## 1. Duplicate {#about-us}",
    lambda r: "### 1.1 Orphan {#orphan}",
    lambda r: r.choice(["# Title", "#### Deep", "## No id", "## Bad {#Bad_ID}", "## {#}"]),
    lambda r: "[ref]: https://example.com\n\n[ref] and [missing][nope]",
    lambda r: "See [section 4](#collection) and [section 99](#nowhere) and section 3.",
    lambda r: "Call +44 20 7946 0958 or mail privacy@example.com by 31 December 2026, "
              "fee 1.000,50 EUR, company 04411285.",
    lambda r: "Address line\\\nSecond line\\\nGL7 1YG\\\nUnited Kingdom",
    lambda r: "\\",
    lambda r: "\ufeff",
    lambda r: "\r\n\r",
]
# Nesting and sizes past what the tools read (and a huge line)
HEAVY: list[Construct] = [
    lambda r: ">" * r.choice([3, 49, 60, 10_000]) + " quoted",  # once a RecursionError
    lambda r: "- " * r.choice([3, 49, 60, 10_000]) + "listed",
    lambda r: "".join(" " * (2 * i) + "- item\n" for i in range(r.choice([5, 40, 120]))),
    lambda r: "*a " * (n := r.choice([5, 400, 2_500])) + "x" + " a*" * n,
    lambda r: "[" * r.choice([10, 5_000]) + "x" + "]" * r.randrange(10),
    lambda r: "word " * r.choice([1_000, 100_000]),  # a huge line
]
CONSTRUCTS = LIGHT + HEAVY

# What the published site is built from in the site test: all but what the checker refuses
# (MkDocs' own Markdown recurses per level: the site's business) and links to no anchor (a
# warning, so a strict build stops, cleanly).
SITE_CONSTRUCTS = [c for c in LIGHT if "#nowhere" not in c(random.Random(0))]


def _headings(text: str) -> list[re.Match[str]]:
    return list(HEADING.finditer(text))


def _drop_heading(text: str, r: random.Random) -> str:
    found = _headings(text)
    if not found:
        return text
    m = r.choice(found)
    return text[:m.start()] + text[m.end():]


def _duplicate_heading(text: str, r: random.Random) -> str:
    found = _headings(text)
    if not found:
        return text
    m = r.choice(found)
    return text[:m.end()] + "\n\n" + m.group(0) + text[m.end():]


def _renumber(text: str, r: random.Random) -> str:
    found = _headings(text)
    if not found:
        return text
    m = r.choice(found)
    return text[:m.start(2)] + str(r.randrange(0, 30)) + text[m.end(2):]


def _translate_clause(text: str, r: random.Random) -> str:
    """Replace the body of one clause with other words (or nothing)."""
    found = _headings(text)
    if len(found) < 2:
        return text
    i = r.randrange(len(found) - 1)
    words = r.choice(["", "Dit is een vertaling.", "Ceci est une traduction. " * 20])
    return text[:found[i].end()] + f"\n\n{words}\n\n" + text[found[i + 1].start():]


def _headings_only(text: str, r: random.Random) -> str:
    """The headings copied, one clause translated: once a ZeroDivisionError."""
    found = _headings(text)
    keep = r.randrange(len(found)) if found else -1
    parts = [text[:found[0].start()] if found else text]
    for i, m in enumerate(found):
        parts.append(m.group(0) + ("\n\nDe enige vertaalde clausule.\n\n" if i == keep
                                   else "\n\n"))
    return "".join(parts)


def _insert(text: str, r: random.Random) -> str:
    lines = text.split("\n")
    at = r.randrange(len(lines) + 1)
    return "\n".join([*lines[:at], "", r.choice(CONSTRUCTS)(r), "", *lines[at:]])


def _truncate(text: str, r: random.Random) -> str:
    return text[:r.randrange(len(text) + 1)]


def _swap_clauses(text: str, r: random.Random) -> str:
    found = _headings(text)
    if len(found) < 3:
        return text
    i = r.randrange(len(found) - 2)
    a, b, c = found[i].start(), found[i + 1].start(), found[i + 2].start()
    return text[:a] + text[b:c] + text[a:b] + text[c:]


def _break_front_matter(text: str, r: random.Random) -> str:
    return r.choice([text.replace("---\n", "", 1), "---\ntitle: [unclosed\n" + text,
                     "---\n*alias: &a [*a]\n---\n" + text, text.replace("title:", "titel:")])


MUTATIONS = [_drop_heading, _duplicate_heading, _renumber, _translate_clause, _headings_only,
             _insert, _insert, _insert, _truncate, _swap_clauses, _break_front_matter]


def mutate(text: str, r: random.Random) -> str:
    for _ in range(r.choice([0, 1, 1, 2, 3])):
        text = r.choice(MUTATIONS)(text, r)
    return text


def generated(case: int) -> tuple[str, str]:
    """The English and Dutch of fuzz case ``case``: the same every run."""
    r = random.Random(case)
    return mutate(SEED_EN, r), mutate(SEED_NL, r)


def project(root: Path, en: str, nl: str) -> Path:
    for rel, text in (("locales/en/privacy.md", en), ("locales/nl/privacy.md", nl)):
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="")
    (root / "policy").mkdir(exist_ok=True)
    seed_declaration(root / "policy/policy.yml")
    return root


def check_in_process(root: Path, *options: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["check", "--root", str(root), "--no-baseline", *options], out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_generated_policies_through_check_and_diff_end_in_0_1_or_2(tmp_path: Path) -> None:
    formats = ["text", "json", "github", "sarif"]
    seed_en = parse_document(SEED_EN, "privacy", "en", "locales/en/privacy.md")
    for case in range(CASES):
        en, nl = generated(case)
        root = project(tmp_path / "project", en, nl)
        code, _, err = check_in_process(root, "--format", formats[case % len(formats)])
        assert code in EXIT_CODES and "internal error" not in err, (case, code, err)
        new = parse_document(en, "privacy", "en", "locales/en/privacy.md")
        changes = [diff_documents(seed_en, new, "2026-11-23", "current")]
        as_text(changes)
        html_fragment(changes[0])
        for render in FORMATS.values():
            render(changes)


def test_generated_policies_through_the_installed_script(tmp_path: Path) -> None:
    assert POLICY is not None, "the policy script is not installed"
    for case in range(0, CASES, CASES // 6):
        root = project(tmp_path / f"case-{case}", *generated(case))
        for verb in (["check", "--no-baseline"], ["status"]):
            done = subprocess.run([POLICY, *verb, "--root", str(root)], capture_output=True,
                                  text=True, check=False, timeout=120)
            assert done.returncode in EXIT_CODES, (case, verb, done.stderr)
            assert "Traceback" not in done.stderr + done.stdout, (case, verb)
            assert "internal error" not in done.stderr, (case, verb, done.stderr)
            assert len(done.stderr.splitlines()) <= 1, (case, verb, done.stderr)


REGRESSIONS = sorted((DATA / "fuzz").glob("*.md"))
# What each Dutch text that once crashed a tool now gives against the English seed: the exit
# code, a finding and, where it matters, the text on the line that finding must name.
EXPECTED: dict[str, tuple[int, str, str | None]] = {
    "headings-only": (1, "paragraphs-missing", None),  # was a ZeroDivisionError
    "setext": (1, "heading-level", "Eerste regel"),  # was an AssertionError
    "unclosed-backtick": (1, "markup-unparsed", "Zie [`policy.yml"),  # was a Rust panic
    "deep-quotes": (2, "file-unreadable", ">>>>"),  # was a RecursionError
    "deep-list": (2, "file-unreadable", "- - - -"),  # was a RecursionError
    "line-separator": (1, "heading-malformed", "## 99."),  # was one line off
}


def test_every_kept_crash_has_its_expectation() -> None:
    assert sorted(p.stem for p in REGRESSIONS) == sorted(EXPECTED)


@pytest.mark.parametrize("path", REGRESSIONS, ids=[p.stem for p in REGRESSIONS])
def test_inputs_that_once_crashed_now_give_findings(tmp_path: Path, path: Path) -> None:
    code, wanted, marker = EXPECTED[path.stem]
    nl = path.read_bytes().decode("utf-8")
    root = project(tmp_path, SEED_EN, nl)
    out_code, out, err = check_in_process(root, "--format", "json", "--locale", "nl")
    assert (out_code, err) == (code, "")
    lines = [f["line"] for f in json.loads(out)["findings"] if f["code"] == wanted]
    assert lines
    if marker is not None:  # lines as editors count them: at line feeds only
        assert 1 + nl[:nl.index(marker)].count("\n") in lines


def test_a_site_built_from_generated_releases_has_every_page(tmp_path: Path) -> None:
    from site_helpers import build, copy_project, read, release, seed

    root = seed(copy_project(tmp_path / "repo", with_ledger=False))
    release(root, "2026-01-10", "2026-02-01", {"en": "First.", "nl": "Eerste."})
    r = random.Random(2026)
    for locale, text in (("en", SEED_EN), ("nl", SEED_NL)):
        for construct in SITE_CONSTRUCTS:
            lines = text.split("\n")
            at = r.randrange(len(lines) + 1)
            text = "\n".join([*lines[:at], "", construct(r), "", *lines[at:]])
        (root / "locales" / locale / "privacy.md").write_text(text, encoding="utf-8",
                                                              newline="")
    release(root, "2026-03-05", "2026-04-01", {"en": "Fuzzed.", "nl": "Gefuzzd."})
    out = build(root, tmp_path / "site", "2026-06-01")
    for url in ("/privacy/", "/nl/privacy/", "/privacy/2026-03-05/changes/",
                "/nl/privacy/2026-03-05/changes/", "/privacy/2026-01-10/"):
        assert "<h1" in read(out, url) or "<h2" in read(out, url), url
    assert "<script>alert(1)</script>" not in read(out, "/privacy/2026-03-05/changes/")
