"""Parsing: clauses by anchor id, numbers, bodies and 1-based lines; problems become findings."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from policytools.checks import run_checks
from policytools.config import load_project
from policytools.model import Block, Clause, Document, Link
from policytools.parse import parse_document, read_document
from policytools.yamlio import UNSTORABLE_RE

if TYPE_CHECKING:
    from conftest import Scenario

FRONT = "---\ntitle: Privacy policy\n---\n\n"  # four lines: the body starts on line 5

SAMPLE = FRONT + """\
Some words before the first clause.

## 1. About us {#about-us}

We run [this site](#contact) and
are reached as set out in [section 2](#collection).

### 1.1 Our group {#group}

Group text.

## 2. Data we collect {#collection}

- your name;
- your address, which we use:
  - to deliver; and
  - to invoice;
- your e-mail address.

| Purpose | Basis |
|---|---|
| Orders | Contract |
| News [letter](#group) | Consent |

Example Ltd\\
1 High Street\\
London
"""


def parse(text: str, locale: str = "en") -> Document:
    return parse_document(text, "privacy", locale, f"locales/{locale}/privacy.md")


def ids(doc: Document) -> list[str]:
    return [c.id for c in doc.clauses]


def test_headings_give_ids_numbers_titles_levels_lines_and_parents() -> None:
    doc = parse(SAMPLE)
    assert doc.title == "Privacy policy"
    assert doc.issues == ()
    assert [(c.id, c.number, c.title, c.level, c.line, c.parent) for c in doc.clauses] == [
        ("preamble", None, "", 0, 5, None),
        ("about-us", "1", "About us", 2, 7, None),
        ("group", "1.1", "Our group", 3, 12, "about-us"),
        ("collection", "2", "Data we collect", 2, 16, None),
    ]
    assert doc.clause("group") is not None
    assert [c.label for c in doc.clauses] == [
        "the preamble", "§1 (about-us)", "§1.1 (group)", "§2 (collection)"]


def test_preamble_is_the_text_before_the_first_clause() -> None:
    preamble = parse(SAMPLE).clauses[0]
    assert preamble.is_preamble
    assert preamble.blocks == (Block("paragraph", 5, "Some words before the first clause."),)


def test_no_text_before_the_first_clause_gives_no_preamble() -> None:
    doc = parse(FRONT + "## 1. About us {#about-us}\n\nText.\n")
    assert ids(doc) == ["about-us"]


def test_paragraph_links_carry_their_own_line() -> None:
    about = parse(SAMPLE).by_id["about-us"]
    (para,) = about.blocks
    assert para.kind == "paragraph"
    assert para.text == ("We run this site and are reached as set out in section 2.")
    assert para.links == (Link("#contact", "this site", 9),
                          Link("#collection", "section 2", 10))


def test_lists_count_nested_items_in_reading_order() -> None:
    (lst,) = parse(SAMPLE).by_id["collection"].blocks_of("list")
    assert lst.line == 18
    assert lst.items == ("your name;", "your address, which we use:", "to deliver; and",
                         "to invoice;", "your e-mail address.")
    assert lst.depths == (0, 0, 1, 1, 0)


def test_table_rows_are_the_body_rows_and_links_keep_the_row_line() -> None:
    (table,) = parse(SAMPLE).by_id["collection"].blocks_of("table")
    assert table.line == 24
    assert table.items == ("Orders | Contract", "News letter | Consent")
    assert table.links == (Link("#group", "letter", 27),)


def test_inline_markup_reads_as_the_reader_sees_it() -> None:
    body = ("## 1. A {#a}\n\nWe *process* `data` &amp; ![the logo](logo.png) per "
            "**[section 2](#b)**, see <https://acme.example/x>.\n")
    (block,) = parse(FRONT + body).clauses[0].blocks
    assert block.text == "We process data & the logo per section 2, see https://acme.example/x."
    assert block.links == (Link("#b", "section 2", 7), Link("https://acme.example/x",
                                                            "https://acme.example/x", 7))


def test_lines_count_characters_not_bytes() -> None:
    # The parser reports byte offsets; lines must not drift after multi-byte characters.
    body = ("Één “geciteerde” zin — één 😀.\nNog één regel.\n\n"
            "## 1. Über uns {#a}\n\nZweite „Zeile“ mit ümlaut\nund [Abschnitt 2](#b).\n\n"
            "## 2. Daten {#b}\n\nText.\n")
    doc = parse(FRONT + body, "de")
    assert [(c.id, c.line) for c in doc.clauses] == [("preamble", 5), ("a", 8), ("b", 13)]
    assert doc.by_id["a"].blocks[0].links == (Link("#b", "Abschnitt 2", 11),)


def test_loose_list_items_keep_their_second_paragraph() -> None:
    body = "## 1. A {#a}\n\n- one\n\n  more of one\n- two\n  - two.one\n\n  after\n"
    (block,) = parse(FRONT + body).clauses[0].blocks
    assert block.items == ("one more of one", "two after", "two.one")
    assert block.depths == (0, 0, 1)


def test_quotes_code_and_html_keep_their_text_as_other_blocks() -> None:
    body = ("## 1. A {#a}\n\n> Quoted 12\n> lines.\n\n    code 13\n\n```\nfence 14\n```\n\n"
            "<div>\nhtml 15\n</div>\n\n***\n")
    blocks = parse(FRONT + body).clauses[0].blocks
    assert [(b.kind, b.line, b.text) for b in blocks] == [
        ("other", 7, "Quoted 12 lines."), ("other", 10, "code 13"), ("other", 12, "fence 14"),
        ("other", 16, "<div>\nhtml 15\n</div>")]


@pytest.mark.parametrize("text", [
    "Example Ltd\\\n1 High Street\\\nLondon",
    "Example Ltd  \n1 High Street  \nLondon",
    "Example Ltd<br>1 High Street<br/>London",
], ids=["backslash", "two-spaces", "br"])
def test_hard_line_breaks_make_an_address_block(text: str) -> None:
    (block,) = parse(FRONT + "## 1. Contact {#contact}\n\n" + text + "\n").clauses[0].blocks
    assert block.kind == "address"
    assert block.line == 7
    assert block.items == ("Example Ltd", "1 High Street", "London")


def test_a_paragraph_with_soft_breaks_is_no_address() -> None:
    (block,) = parse(FRONT + "## 1. A {#a}\n\nOne line\nand the next.\n").clauses[0].blocks
    assert (block.kind, block.text, block.items) == ("paragraph", "One line and the next.", ())


@pytest.mark.parametrize("front", [
    "---\ntitle: Privacy policy\n---\n",
    "---\ntitle: Privacy policy\nsummary: >\n  Two\n  lines.\nupdated: 2024-05-01\n---\n",
    "---\ntitle: Privacy policy\n...\n",
], ids=["three-lines", "seven-lines", "yaml-end-marker"])
def test_line_numbers_count_the_front_matter(front: str) -> None:
    doc = parse(front + "\n## 1. About us {#about-us}\n\nText.\n")
    offset = front.count("\n")
    assert doc.issues == ()
    assert doc.clauses[0].line == offset + 2
    assert doc.clauses[0].blocks[0].line == offset + 4


@pytest.mark.parametrize("data", [
    b"\xef\xbb\xbf---\ntitle: T\n---\n\n## 1. A {#a}\n\nText.\n",
    b"---\r\ntitle: T\r\n---\r\n\r\n## 1. A {#a}\r\n\r\nText.\r\n",
], ids=["utf-8-bom", "crlf"])
def test_bom_and_crlf_do_not_shift_lines(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "privacy.md"
    path.write_bytes(data)
    doc = read_document(path, "privacy", "en", "locales/en/privacy.md")
    assert doc.issues == ()
    assert (doc.title, doc.clauses[0].line, doc.clauses[0].blocks[0].line) == ("T", 5, 7)


# --- the seeds -------------------------------------------------------------------------------

EN_IDS = ["about-us", "personal-data", "data-subjects", "collection", "tracking", "use",
          "disclosure", "rights", "children", "transfers", "security", "updates", "contact"]


def seed(root: Path, locale: str) -> Document:
    path = root / "locales" / locale / "privacy.md"
    return read_document(path, "privacy", locale, f"locales/{locale}/privacy.md")


def test_english_seed_has_thirteen_numbered_clauses(seeds_root: Path) -> None:
    doc = seed(seeds_root, "en")
    assert doc.issues == ()
    assert doc.title == "Privacy policy"
    assert ids(doc) == EN_IDS
    assert [c.number for c in doc.clauses] == [str(n) for n in range(1, 14)]
    assert (doc.by_id["about-us"].line, doc.by_id["data-subjects"].line) == (5, 24)


def test_dutch_seed_has_a_preamble_and_twelve_clauses_without_data_subjects(
        seeds_root: Path) -> None:
    doc = seed(seeds_root, "nl")
    assert doc.issues == ()
    assert doc.title == "Wereldwijd privacybeleid"
    assert ids(doc) == ["preamble"] + [i for i in EN_IDS if i != "data-subjects"]
    assert [c.number for c in doc.numbered()] == [str(n) for n in range(1, 13)]
    assert (doc.by_id["preamble"].line, doc.by_id["collection"].line) == (5, 26)


def test_english_seed_lawful_basis_table_has_nineteen_rows(seeds_root: Path) -> None:
    (table,) = seed(seeds_root, "en").by_id["use"].blocks_of("table")
    assert (table.line, len(table.items)) == (93, 19)
    assert table.items[0].split(" | ")[0] == "PRE-SALES / GENERAL QUERIES"
    assert table.items[-1].startswith("You create an account on one of our websites | ")


def test_dutch_seed_nested_list_items_are_counted(seeds_root: Path) -> None:
    lists = seed(seeds_root, "nl").by_id["collection"].blocks_of("list")
    assert [(b.line, len(b.items)) for b in lists] == [(32, 5), (42, 3)]
    assert lists[1].depths == (0, 1, 1)


def test_dutch_seed_address_block_lines(seeds_root: Path) -> None:
    (address,) = seed(seeds_root, "nl").by_id["rights"].blocks_of("address")
    assert address.line == 97
    assert address.items == ("Legal Department", "Westcon Group, Inc.", "520 White Plains Road",
                             "Tarrytown, NY 10591", "legal@westcon.com")


# --- problems become findings with file and line, never a traceback ---------------------------

ERRORS = [
    pytest.param(
        FRONT + "## 1. About us\n\nText.\n", "heading-malformed", 5,
        "heading '1. About us' has no clause id: end it with {#about-us}, the same id in "
        "every locale", id="heading-without-id"),
    pytest.param(
        FRONT + "## About us {#about-us}\n\nText.\n", "heading-malformed", 5,
        "heading 'About us {#about-us}' has no number: write '## <number>. About us'",
        id="heading-without-number"),
    pytest.param(
        FRONT + "## 1. A {#a}\n\nText.\n\n### Our group {#group}\n\nText.\n",
        "heading-malformed", 9,
        "heading 'Our group {#group}' has no number: write '### <number>.<sub> Our group'",
        id="sub-clause-without-number"),
    pytest.param(
        FRONT + "## 1. About us {#About_us}\n\nText.\n", "clause-id-invalid", 5,
        "clause id 'About_us' must be lowercase ASCII letters, digits and single hyphens, "
        "e.g. {#about-us}", id="id-uppercase-underscore"),
    pytest.param(
        FRONT + "## 1. Über uns {#über}\n\nText.\n", "clause-id-invalid", 5,
        "clause id 'über' must be lowercase ASCII letters, digits and single hyphens, "
        "e.g. {#uber}", id="id-not-ascii"),
    pytest.param(
        FRONT + "## 1. A {#a}\n\nText.\n\n## 2. B {#a}\n\nMore.\n", "clause-id-duplicate", 9,
        "clause id 'a' is already used on line 5: every clause needs its own id",
        id="duplicate-id"),
    pytest.param(
        FRONT + "## 1. A {#preamble}\n\nText.\n", "clause-id-duplicate", 5,
        "clause id 'preamble' is already used on the implicit preamble: every clause needs "
        "its own id", id="reserved-preamble-id"),
    pytest.param(
        "---\ntitle: T\nsummary: [a, b\nupdated: 2024-05-01\n---\n\n## 1. A {#a}\n\nText.\n",
        "front-matter-invalid", 4,
        "invalid YAML in the front matter: expected ',' or ']', but got ':'",
        id="broken-yaml"),
    pytest.param(
        "---\ntitle: T\n  bad: indent\n---\n\n## 1. A {#a}\n\nText.\n",
        "front-matter-invalid", 3,
        "invalid YAML in the front matter: mapping values are not allowed here",
        id="bad-indent"),
    pytest.param(
        "---\ntitle: T\n\n## 1. A {#a}\n\nText.\n", "front-matter-invalid", 1,
        "the front matter opened on line 1 is never closed with '---'", id="unclosed"),
    pytest.param(
        "## 1. A {#a}\n\nText.\n", "front-matter-invalid", 1,
        "locales/en/privacy.md has no front matter: start the file with '---', 'title: …', "
        "'---'", id="no-front-matter"),
    pytest.param(
        "---\nsummary: x\n---\n\n## 1. A {#a}\n\nText.\n", "front-matter-title", 1,
        "the front matter has no 'title: …'", id="no-title"),
    pytest.param(
        "---\ntitle: '  '\n---\n\n## 1. A {#a}\n\nText.\n", "front-matter-title", 1,
        "the front matter has no 'title: …'", id="blank-title"),
    pytest.param(
        "---\n- title\n---\n\n## 1. A {#a}\n\nText.\n", "front-matter-title", 1,
        "the front matter has no 'title: …'", id="front-matter-not-a-mapping"),
    pytest.param(
        FRONT + "## 1. A {#a}\n\n#### 1.0.1 Deep\n\nText.\n", "heading-level", 7,
        "'#### 1.0.1 Deep' is not a clause heading: use '## ' for a clause, '### ' for a "
        "sub-clause", id="h4"),
    pytest.param(
        FRONT + "# Privacy policy\n\n## 1. A {#a}\n\nText.\n", "heading-level", 5,
        "'# Privacy policy' is not a clause heading: use '## ' for a clause, '### ' for a "
        "sub-clause", id="h1"),
    pytest.param(
        "", "file-empty", 1,
        "locales/en/privacy.md is empty: it needs front matter with a title and the policy's "
        "clauses", id="empty"),
    pytest.param(
        " \n\n\t\n", "file-empty", 1,
        "locales/en/privacy.md is empty: it needs front matter with a title and the policy's "
        "clauses", id="blank"),
]


@pytest.mark.parametrize(("text", "code", "line", "message"), ERRORS)
def test_problems_are_findings_with_file_and_line(text: str, code: str, line: int,
                                                   message: str) -> None:
    doc = parse(text)
    assert [(f.code, f.file, f.line, f.message) for f in doc.issues] == [
        (code, "locales/en/privacy.md", line, message)]
    assert doc.issues[0].locale == "en"
    assert doc.issues[0].document == "privacy"


@pytest.mark.parametrize("text", [
    FRONT + "## 1. About us {#about-us}\n\nText.\n",
    FRONT + "## 1 About us {#about-us}\n\nText.\n",
    FRONT + "##   1.   About us   {#about-us}  \n\nText.\n",
    FRONT + "## 10. About us {#about-us-2}\n\nText.\n",
], ids=["canonical", "no-dot", "extra-spaces", "digits-in-id"])
def test_well_formed_headings_pass(text: str) -> None:
    doc = parse(text)
    assert doc.issues == ()
    assert doc.clauses[0].title == "About us"
    assert doc.clauses[0].valid_id


def test_a_bad_heading_does_not_hide_the_rest_of_the_file() -> None:
    doc = parse(FRONT + "## 1. A\n\nx\n\n## 2. B {#B}\n\ny\n\n## 3. C {#c}\n\nz\n"
                "\n## 4. D {#c}\n\nw\n")
    assert [f.code for f in doc.issues] == [
        "heading-malformed", "clause-id-invalid", "clause-id-duplicate"]
    assert [(c.id, c.valid_id) for c in doc.clauses] == [
        ("line-5", False), ("B", False), ("c", True), ("c@17", False)]
    assert list(doc.by_id) == ["c"]


def test_bad_front_matter_scenario_is_one_finding(scenario: Scenario) -> None:
    found = run_checks(load_project(scenario("bad-front-matter")))
    assert [(f.code, f.file, f.line, f.message) for f in found] == [
        ("front-matter-invalid", "locales/nl/privacy.md", 4,
         "invalid YAML in the front matter: expected ',' or ']', but got ':'")]


def test_a_broken_front_matter_still_parses_the_clauses() -> None:
    doc = parse("---\ntitle: [T\n---\n\n## 1. A {#a}\n\nText.\n")
    assert [f.code for f in doc.issues] == ["front-matter-invalid"]
    assert [(c.id, c.line) for c in doc.clauses] == [("a", 5)]


@pytest.mark.parametrize(("data", "line", "byte"), [
    (b"\xff\xfe---\ntitle: T\n", 1, "0xff"),
    (b"---\ntitle: T\n---\n\n## 1. A {#a}\n\nCaf\xe9 au lait.\n", 7, "0xe9"),
], ids=["first-line", "line-7"])
def test_a_file_that_is_not_utf8_is_unreadable(tmp_path: Path, data: bytes, line: int,
                                                byte: str) -> None:
    path = tmp_path / "privacy.md"
    path.write_bytes(data)
    doc = read_document(path, "privacy", "nl", "locales/nl/privacy.md")
    assert not doc.readable
    assert doc.clauses == ()
    assert [(f.code, f.file, f.line, f.message) for f in doc.issues] == [
        ("file-unreadable", "locales/nl/privacy.md", line,
         f"locales/nl/privacy.md is not UTF-8 text (byte {byte}); save it as UTF-8")]


def test_an_empty_file_is_not_readable_as_a_policy() -> None:
    doc = parse("")
    assert not doc.readable
    assert doc.clauses == ()


def test_clause_text_joins_its_blocks() -> None:
    clause = Clause("a", "1", "A", 2, 5, (Block("paragraph", 7, "One."),
                                         Block("list", 9, "x\ny", ("x", "y"))))
    assert clause.text == "One.\nx\ny"


@pytest.mark.parametrize("marker", ["---", "==="])
def test_text_underlined_as_a_setext_heading_is_a_finding_not_a_clause(marker: str) -> None:
    doc = parse(FRONT + f"## 1. A {{#a}}\n\nline one\nline two\n{marker}\n\n## 2. B {{#b}}\n\n"
                "Text.\n")
    assert [(f.code, f.line, f.message) for f in doc.issues] == [
        ("heading-level", 7, f"'line one line two' is underlined with '{marker[0]}', which "
         "makes it a heading, not a clause: put a blank line before the underline for a rule, "
         "or write '## <number>. <title> {#<id>}' for a clause")]
    assert [(c.id, c.line, c.text) for c in doc.clauses] == [
        ("a", 5, "line one line two"), ("b", 11, "Text.")]


# What str.splitlines() takes for a line end, and neither editors nor Markdown do.
NOT_LINE_ENDS = ["\u2028", "\u2029", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85"]


@pytest.mark.parametrize("char", NOT_LINE_ENDS, ids=[f"U+{ord(c):04X}" for c in NOT_LINE_ENDS])
def test_a_finding_after_a_line_separator_names_the_right_line(char: str) -> None:
    doc = parse(FRONT + f"## 1. A {{#a}}\n\nOne{char}two.\n\n## 2. B\n\nText.\n")
    control = [("text-control-character", 7)] if UNSTORABLE_RE.match(char) else []
    assert [(f.code, f.line) for f in doc.issues] == [*control, ("heading-malformed", 9)]
    assert [(c.id, c.line) for c in doc.clauses] == [("a", 5), ("line-9", 9)]
    assert doc.clauses[0].text == f"One{char}two."


@pytest.mark.parametrize("char", NOT_LINE_ENDS, ids=[f"U+{ord(c):04X}" for c in NOT_LINE_ENDS])
def test_a_heading_after_a_line_separator_is_text_to_the_checker_as_on_the_site(
        char: str) -> None:
    import markdown as python_markdown  # what MkDocs renders the published pages with

    from policytools.site import body

    text = FRONT + f"## 1. A {{#a}}\n\nOne.{char}## 2. B {{#b}}\n"
    doc = parse(text)
    assert [c.id for c in doc.clauses] == ["a"]
    assert doc.clauses[0].text == f"One.{char}## 2. B {{#b}}"
    assert python_markdown.markdown(body(text)).count("<h2") == 1


def test_windows_and_old_mac_line_ends_still_count_as_lines() -> None:
    doc = parse(FRONT.replace("\n", "\r\n") + "## 1. A {#a}\r\rText.\r\n\r\n## 2. B\r\n")
    assert [(f.code, f.line) for f in doc.issues] == [("heading-malformed", 9)]
    assert [(c.id, c.line, c.text) for c in doc.clauses] == [
        ("a", 5, "Text."), ("line-9", 9, "")]
