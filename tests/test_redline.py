"""The redline formatters of ``policy diff``: text, Markdown, HTML and the JSON schema."""

from __future__ import annotations

import io
import json
import re
import shutil
from collections.abc import Iterator
from html import escape as html_escape
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import jsonschema
import pytest

from conftest import copy_seeds, dated
from policytools import redline
from policytools.cli import main
from policytools.diff import DELETE, EQUAL, INSERT

if TYPE_CHECKING:
    from conftest import RunCli

SCHEMA = Path(redline.__file__).parent / "schemas" / "diff-output.schema.json"
ADDRESS = "both companies is: Merchants House Wilkinson Road"
UPDATES = "Our privacy policy may change from time to time."
TRACKING = "please see https://allaboutdnt.com/.\n"
SCRIPT = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def edited_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds released as 2026-11-23, then edited in every way a redline shows."""
    root = copy_seeds(tmp_path_factory.mktemp("edited") / "repo", "policy.yml")
    assert main(["release", "2026-11-23", "--material", "--effective", "2026-11-23",
                 *dated("2026-11-23"), "--summary", "en=Release.", "--summary", "nl=Uitgave.",
                 "--allow-drift", "the seeds predate the checks", "--root", str(root)],
                out=io.StringIO()) == 0
    en = root / "locales/en/privacy.md"
    text = en.read_text(encoding="utf-8")
    for old, new in [
        (ADDRESS, ADDRESS.replace("Merchants", "Guild")),
        (UPDATES, UPDATES.replace("time.", f"time `{SCRIPT}`.")),
        (TRACKING, f"{TRACKING}\n{SCRIPT}\n"),
        ("## 12. Updates to our global privacy policy", "## 12. Updates to this policy"),
        ("- Right to withdraw consent.\n", "- Right to withdraw consent; and\n- Right to "
         "complain to the regulator.\n"),
        ("| You subscribe to our publications | (a) Business contact information<br>(b) "
         "Identity data | (a) Consent |\n", ""),
    ]:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    en.write_text(text, encoding="utf-8", newline="\n")
    nl = root / "locales/nl/privacy.md"
    nl.write_text(nl.read_text(encoding="utf-8").replace("zeer serieus", "serieus"),
                  encoding="utf-8", newline="\n")
    return root


@pytest.fixture
def edited(tmp_path: Path, edited_template: Path) -> Path:
    return Path(shutil.copytree(edited_template, tmp_path / "repo"))


def diff(run_cli: RunCli, root: Path, *argv: str) -> str:
    code, out, err = run_cli(["diff", "--root", str(root), *argv])
    assert (code, err) == (0, "")
    return out


# --- text -----------------------------------------------------------------------------------


def test_text_has_no_colour_codes_when_not_a_terminal(edited: Path, run_cli: RunCli,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    out = diff(run_cli, edited, "--locale", "en")
    assert "\x1b" not in out
    assert "is: [-Merchants-]{+Guild+} House" in out
    assert ("  §5 Tracking {#tracking}: changed\n"
            f"    + {{+{SCRIPT}+}}\n") in out


def test_text_colours_on_request(edited: Path, run_cli: RunCli,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    # a space between the struck and the underlined word: never "MerchantsGuild" on screen
    expected = "is: \x1b[31;9mMerchants\x1b[0m \x1b[32;4mGuild\x1b[0m House"
    assert expected in diff(run_cli, edited, "--color", "always")
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert expected in diff(run_cli, edited)
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b" not in diff(run_cli, edited)


def test_output_file_gets_the_report(edited: Path, tmp_path: Path, run_cli: RunCli) -> None:
    target = tmp_path / "redline.md"
    assert run_cli(["diff", "--root", str(edited), "--format", "md", "--output",
                    str(target)]) == (0, "", "")
    assert target.read_text(encoding="utf-8") == diff(run_cli, edited, "--format", "md")


# --- Markdown -------------------------------------------------------------------------------


def test_markdown_marks_changes_with_ins_and_del(edited: Path, run_cli: RunCli) -> None:
    out = diff(run_cli, edited, "--format", "md", "--locale", "en")
    assert out.startswith("## privacy \\(en\\): 2026\\-11\\-23 → current\n\n")
    assert "is: <del>Merchants</del> <ins>Guild</ins> House" in out
    assert ("### §12 Updates to this policy \\(changed\\)\n\n"
            "Title: Updates to <del>our global privacy</del> <ins>this</ins> policy\n\n"
            "Our privacy policy may change from time to time<ins> &lt;script&gt;alert\\(1\\)"
            "&lt;/script&gt;</ins>\\. We will post any privacy policy changes on this page\\.\n\n"
            "links and formatting: <ins>\\`&lt;script&gt;alert\\(1\\)&lt;/script&gt;\\`</ins>"
            ) in out
    assert ("- Right to withdraw consent<del>\\.</del> <ins>; and</ins>\n\n"
            "- <ins>Right to complain to the regulator\\.</ins>\n") in out
    assert "*3 unchanged clauses: §2, §3, §4*\n" in out
    assert "*1 unchanged clause: §7*\n" in out
    assert "<script>" not in out


HOSTILE_TITLE = "</title><script>x()</script> *Updates* [go](javascript:x()) `code` ~~gone~~ {#id}"


def test_markdown_shows_titles_and_text_as_written(edited: Path, run_cli: RunCli) -> None:
    from markdown_it_pyrs import MarkdownIt

    path = edited / "locales/en/privacy.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("## 12. Updates to this policy {#updates}",
                                 f"## 12. {HOSTILE_TITLE} {{#updates}}"), encoding="utf-8")
    out = diff(run_cli, edited, "--format", "md", "--locale", "en")
    rendered = MarkdownIt("commonmark").enable("strikethrough").enable("table").render(out)
    heading = next(line for line in rendered.splitlines() if line.startswith("<h3>§12 "))
    assert heading == f"<h3>§12 {html_escape(HOSTILE_TITLE)} (changed)</h3>"
    tags = parsed(rendered)
    assert (tags.errors, tags.open) == ([], [])
    assert {"script", "a", "code", "s", "h1"}.isdisjoint(tags.seen), tags.seen
    collapsed = [line for line in out.splitlines() if re.match(r"\*\d+ unchanged clauses?: ", line)]
    assert tags.seen.count("em") == len(collapsed)  # nothing of the title is emphasis


# --- HTML -----------------------------------------------------------------------------------


class Tags(HTMLParser):
    """Records start and end tags and checks that the expected ones nest properly."""

    CHECKED: ClassVar[set[str]] = {"html", "head", "body", "div", "section", "h2", "h3", "p",
                                   "ul", "li", "ins", "del", "span", "style", "title"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.seen: list[str] = []
        self.errors: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.seen.append(tag)
        if tag in self.CHECKED:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.CHECKED:
            return
        if not self.open or self.open[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.open[-1:] or 'nothing'}")
            return
        self.open.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parsed(html: str) -> Tags:
    tags = Tags()
    tags.feed(html)
    tags.close()
    return tags


def test_html_is_well_formed_escaped_and_readable_without_colour(edited: Path,
                                                                 run_cli: RunCli) -> None:
    html = diff(run_cli, edited, "--format", "html")
    assert html.startswith('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">')
    tags = parsed(html)
    assert (tags.errors, tags.open) == ([], [])
    assert "script" not in tags.seen
    # the text of two units, and the code span of one of them as its marks
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 3
    text = "".join(tags.text)
    assert text.count(SCRIPT) == 3  # what a reader sees: the text, never a script
    assert ('is: <del><span class="sr-only">[deleted: </span>Merchants<span class="sr-only">]'
            '</span></del> <ins><span class="sr-only">[inserted: </span>Guild<span '
            'class="sr-only">]</span></ins> House') in html
    assert ("is: [deleted: Merchants] [inserted: Guild] House") in text
    assert ('<h3>§12 Updates to <del><span class="sr-only">[deleted: </span>our global privacy'
            '<span class="sr-only">]</span></del> <ins><span class="sr-only">[inserted: '
            '</span>this<span class="sr-only">]</span></ins> policy <span class='
            '"redline-status">(changed)</span></h3>') in html
    assert '<li class="redline-added"><ins>' in html
    assert '<p class="redline-collapsed">3 unchanged clauses: §2, §3, §4</p>' in html


def test_html_fragment_escapes_titles_and_ids() -> None:
    from policytools.diff import diff_documents
    from policytools.model import Block, Clause, Document

    def doc(title: str) -> Document:
        clause = Clause("a", "1", title, 2, 5, (Block("paragraph", 7, "x"),))
        return Document("privacy", "en", "p.md", clauses=(clause,))

    fragment = redline.html_fragment(diff_documents(doc("Old <b>"), doc("New <b>"), "o", "n"))
    tags = parsed(fragment)
    assert (tags.errors, tags.open) == ([], [])
    assert "b" not in tags.seen
    text = "".join(tags.text)
    assert "§1 [deleted: Old] [inserted: New] <b> (changed)" in text


# --- JSON -----------------------------------------------------------------------------------


def schema() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SCHEMA.read_text(encoding="utf-8"))
    return data


def _properties(node: Any, path: str = "#") -> Iterator[tuple[str, Any]]:
    """Every field the schema declares, with its path."""
    if isinstance(node, dict):
        for name, value in node.get("properties", {}).items():
            yield f"{path}/properties/{name}", value
        for key, value in node.items():
            yield from _properties(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _properties(value, f"{path}/{index}")


def test_schema_is_valid_and_describes_every_field() -> None:
    data = schema()
    jsonschema.Draft202012Validator.check_schema(data)
    assert data["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    undescribed = [path for path, field in _properties(data)
                   if "description" not in field and "$ref" not in field]
    assert undescribed == []
    for name, definition in data["$defs"].items():
        assert "description" in definition, name


def test_json_output_validates_against_the_schema(edited: Path, run_cli: RunCli) -> None:
    data = json.loads(diff(run_cli, edited, "--format", "json"))
    jsonschema.Draft202012Validator(schema()).validate(data)
    en, nl = data["changes"]
    assert (en["locale"], nl["locale"]) == ("en", "nl")
    assert en["counts"] == {"changed": 5, "unchanged": 8}
    assert nl["clauses"][0]["id"] == "preamble"
    assert nl["clauses"][0]["old_number"] is None
    kinds = {u["kind"] for c in en["clauses"] for u in c["units"]}
    assert kinds == {"paragraph", "item", "row", "head", "address", "other"}


def test_schema_rejects_what_the_output_never_holds(edited: Path, run_cli: RunCli) -> None:
    data = json.loads(diff(run_cli, edited, "--format", "json", "--locale", "en"))
    clause = data["changes"][0]["clauses"][0]
    clause["units"][0]["ops"][0] = ["replace", "x"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema())


# --- compact: the one-line redline of translation-stale -------------------------------------

LONG = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen "


@pytest.mark.parametrize(("ops", "line"), [
    (((EQUAL, "is: "), (DELETE, "Merchants"), (INSERT, "Guild"), (EQUAL, " House")),
     "is: [-Merchants-]{+Guild+} House"),
    # the spaces around a change survive the trimming of long equal runs
    (((EQUAL, LONG), (DELETE, "Merchants"), (INSERT, "Guild"), (EQUAL, " " + LONG)),
     "… ten eleven twelve thirteen fourteen [-Merchants-]{+Guild+} one two three four five …"),
    (((EQUAL, "a\nb "), (INSERT, "c")), "a b {+c+}"),
    (((DELETE, "gone"),), "[-gone-]"),
])
def test_compact_keeps_words_around_each_change(ops: tuple[tuple[int, str], ...],
                                                line: str) -> None:
    assert redline.compact(ops) == line


# --- a redline a reader can follow ----------------------------------------------------------


@pytest.mark.parametrize(("ops", "html_text", "md"), [
    # struck and underlined words that touch get a space: never "sevenfive"
    (((EQUAL, "within "), (DELETE, "seven"), (INSERT, "five"), (EQUAL, " days")),
     "within [deleted: seven] [inserted: five] days",
     "within <del>seven</del> <ins>five</ins> days"),
    (((INSERT, "new"), (DELETE, "old")), "[inserted: new] [deleted: old]",
     "<ins>new</ins> <del>old</del>"),
    # a change that brings its own space gets no second one
    (((DELETE, "seven "), (INSERT, "five "), (EQUAL, "days")),
     "[deleted: seven ][inserted: five ]days", "<del>seven </del><ins>five </ins>days"),
    (((EQUAL, "a"), (INSERT, "b"), (EQUAL, "c")), "a[inserted: b]c", "a<ins>b</ins>c"),
])
def test_deleted_and_inserted_words_never_run_together(
        ops: tuple[tuple[int, str], ...], html_text: str, md: str) -> None:
    from policytools.diff import UnitChange

    unit = UnitChange("paragraph", "changed", ops)
    html = "".join(redline._html_units([unit], redline.WORDS))
    assert "".join(parsed(html).text) == html_text
    assert redline._md_ops(ops) == md


def _numbered(*clauses: tuple[str, str, str]) -> Any:
    from policytools.model import Block, Clause, Document

    return Document("privacy", "en", "p.md", clauses=tuple(
        Clause(cid, number, title, 2, 5, (Block("paragraph", 7, text),))
        for cid, number, title, text in ((c[0], c[1], c[0].title(), c[2]) for c in clauses)))


def test_a_removed_clause_and_its_successor_never_share_a_number() -> None:
    from policytools.diff import diff_documents

    old = _numbered(("a", "1", "A text."), ("b", "2", "B text."), ("c", "3", "C text."))
    new = _numbered(("a", "1", "A text."), ("c", "2", "C text."), ("d", "3", "D text."))
    changes = diff_documents(old, new, "v1", "v2")
    text = redline.as_text([changes])
    assert text == ("privacy (en): v1 → v2\n"
                    "  1 unchanged clause: §1\n"
                    "  former §2 B {#b}: removed\n"
                    "    - [-B text.-]\n"
                    "  §3 → §2 C {#c}: renumbered\n"
                    "  §3 D {#d}: added\n"
                    "    + {+D text.+}\n")
    html = redline.html_fragment(changes, {"former": "voormalig"}, level=2, link="../v2/")
    tags = parsed(html)
    assert (tags.errors, tags.open) == ([], [])
    assert tags.seen.count("h2") == 3
    assert "h3" not in tags.seen
    assert '<p class="redline-collapsed">1 unchanged clause: <a href="../v2/#a">§1</a></p>' in html
    assert '<h2>voormalig §2 B <span class="redline-status">(removed)</span></h2>' in html
    assert '<h2>§3 → §2 C <span class="redline-status">(renumbered)</span></h2>' in html
    # a clause only renumbered: its heading, not its unchanged text again
    assert "C text." not in html
    markdown = redline.as_markdown([changes])
    assert "### former §2 B \\(removed\\)\n" in markdown
    assert "### §3 → §2 C \\(renumbered\\)\n" in markdown


def test_unchanged_text_of_a_changed_clause_is_plain_not_the_collapsed_list() -> None:
    from policytools.diff import diff_documents
    from policytools.model import Block, Clause, Document

    def doc(second: str) -> Document:
        blocks = (Block("paragraph", 7, "Same."), Block("paragraph", 9, second))
        return Document("privacy", "en", "p.md", clauses=(Clause("a", "1", "A", 2, 5, blocks),))

    html = redline.html_fragment(diff_documents(doc("Old."), doc("New."), "v1", "v2"))
    assert '<p class="redline-unchanged">Same.</p>' in html
    assert "redline-collapsed" not in html
    assert ".redline-collapsed{" in redline.HTML_STYLE
    assert ".redline-unchanged" not in redline.HTML_STYLE
    css = (Path(redline.__file__).parents[2] / "site_overrides/assets/policy.css").read_text(
        encoding="utf-8")
    assert ".policy-redline .redline-collapsed { font-style: italic; }" in css
    assert ".redline-unchanged" not in css
