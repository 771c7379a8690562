"""What the site renders from text it does not control: summaries, titles, address lines.

A release history whose summaries and titles hold markup, HTML, script and characters XML
forbids is built by a real strict ``mkdocs build`` and read back as HTML, as XML by a parser,
and in Debian's headless chromium: every such text shows as written and adds no element,
heading, anchor or script. Address blocks (lines ending in ``\\``) render line by line.
"""

from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import feedparser
import markdown
import pytest
from playwright.sync_api import Page

from browser_helpers import shot
from policytools.hardbreak import NAME as HARDBREAK
from policytools.parse import parse_document
from policytools.plaintext import REPLACEMENT, commonmark, safe_chars, site_markdown
from site_helpers import (
    FIRST,
    SECOND,
    article,
    between,
    build,
    copy_project,
    edit,
    plain,
    read,
    release,
    seed,
    serving,
    set_site_url,
    tags,
)

ATOM = "{http://www.w3.org/2005/Atom}"
SITE_EXTENSIONS = ["attr_list", "md_in_html", "tables", "toc", HARDBREAK]
# Built for a day on which the second release is in force.
DAY = "2026-05-01"
PREFIX = {"en": "/", "nl": "/nl/"}
# Everything a summary could smuggle in: elements, handlers, a script link, a heading taking
# the first version's anchor, emphasis, attribute lists, entities and quotes.
SCRIPTED = ('<script>window.pwned = "script"</script> <img src="x" onerror="window.pwned = '
            "'img'\"> [read me](javascript:window.pwned='link') *emphasis* {: #stolen .evil } "
            "&amp; 'single' \"double\" a < b > c")
STEALER = f"# Heading {{#v{FIRST}}}\n\n- item\n\n    code {{: #stolen }}"
CONTROLS = "Tab\there, bell \x07, escape \x1b, vertical \x0b, lone \ud800, not \uffff."
TITLE = "</title><script>window.pwned = 'title'</script> \"Privacy\" 'policy' < & >"
SUMMARIES = {FIRST: {"en": SCRIPTED, "nl": SCRIPTED}, SECOND: {"en": STEALER, "nl": STEALER}}
ADDRESS_LINES = {"en": 7, "nl": 5}
# Links whose target the second release changes, not a word of their text.
EN_LINK = "[allaboutdnt.com](https://allaboutdnt.com/)"
NL_LINK = '<a href="https://allaboutdnt.com/">allaboutdnt.com</a>'


def _yaml_quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two releases of the seeds: hostile summaries and front-matter titles; the second release
    of English has a summary with characters XML forbids, written into the ledger by hand."""
    root = seed(copy_project(tmp_path_factory.mktemp("hostile") / "repo", with_ledger=False))
    for locale in PREFIX:
        path = root / "locales" / locale / "privacy.md"
        text = path.read_text(encoding="utf-8")
        title = next(line for line in text.splitlines() if line.startswith("title:"))
        path.write_text(text.replace(title, f"title: {_yaml_quoted(TITLE)}", 1),
                        encoding="utf-8")
    edit(root, "en", "please see https://allaboutdnt.com/.", f"please see {EN_LINK}.")
    edit(root, "nl", "ophttps://allaboutdnt.com/", f"op {NL_LINK}")
    release(root, FIRST, "2026-02-01", SUMMARIES[FIRST])
    edit(root, "en", "within seven working days", "within five working days")
    edit(root, "nl", "binnen 7 werkdagen", "binnen 5 werkdagen")
    edit(root, "en", EN_LINK, EN_LINK.replace("allaboutdnt.com/", "evil.example/"))
    edit(root, "nl", NL_LINK, NL_LINK.replace("allaboutdnt.com/", "evil.example/"))
    release(root, SECOND, "2026-04-01", SUMMARIES[SECOND])
    return root


@pytest.fixture(scope="module")
def hostile_site(hostile: Path) -> Path:
    return build(hostile, hostile.parent / "site", DAY)


def _with_controls(root: Path, out: Path) -> Path:
    """``root``'s ledger with the controls summary in English, built into ``out``."""
    ledger = root / "policy" / "releases.yml"
    text = ledger.read_text(encoding="utf-8")
    escaped = json.dumps(CONTROLS)  # a YAML double-quoted scalar with \\u escapes
    lines = text.splitlines(keepends=True)
    index = max(i for i, line in enumerate(lines) if line.lstrip().startswith('"en":'))
    indent = lines[index][:len(lines[index]) - len(lines[index].lstrip())]
    lines[index] = f'{indent}"en": {escaped}\n'
    ledger.write_text("".join(lines), encoding="utf-8")
    return build(root, out, DAY)


@pytest.fixture(scope="module")
def controls_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = seed(copy_project(tmp_path_factory.mktemp("controls") / "repo", with_ledger=False))
    release(root, FIRST, "2026-02-01", {"en": "First.", "nl": "Eerste."})
    edit(root, "en", "within seven working days", "within five working days")
    release(root, SECOND, "2026-04-01", {"en": "Second."})  # the Dutch text is unchanged
    return _with_controls(root, root.parent / "site")


# --- the escaping itself, on the renderers the site and the redlines use --------------------


def _one_text_paragraph(rendered: str) -> str:
    """The text of a rendered paragraph that holds nothing but text."""
    inner = rendered.strip().removeprefix("<p>").removesuffix("</p>")
    assert "<" not in inner and ">" not in inner, rendered
    return html.unescape(inner)


NASTY = [SCRIPTED, STEALER, TITLE, CONTROLS, "1. not a list", "+ not an item", "> no quote",
         "Title\n=====", "back\\slash \\* \\", "`code` ~~struck~~ | pipe |", "a_b_c __d__",
         "<https://autolink.example>", "&copy; &#169; &#x41;", "[ref]: https://x.example",
         "![image](x.png)", "line  \nbreak", "    indented", "**strong**{.x}"]


@pytest.mark.parametrize("text", NASTY)
def test_plain_text_renders_as_written_in_python_markdown(text: str) -> None:
    rendered = markdown.markdown(site_markdown(text), extensions=SITE_EXTENSIONS)
    assert _one_text_paragraph(rendered) == " ".join(safe_chars(text).split())


@pytest.mark.parametrize("text", NASTY)
def test_plain_text_renders_as_written_in_commonmark(text: str) -> None:
    from markdown_it_pyrs import MarkdownIt

    one_line = re.sub(r" *\n *", " ", text).strip()  # line starts are the caller's to make
    rendered = MarkdownIt("commonmark").enable("strikethrough").enable("table").render(
        commonmark(one_line))
    assert " ".join(_one_text_paragraph(rendered).split()) == \
        " ".join(safe_chars(one_line).split())


def test_characters_xml_forbids_become_replacement_characters() -> None:
    assert safe_chars(CONTROLS) == (f"Tab\there, bell {REPLACEMENT}, escape {REPLACEMENT}, "
                                    f"vertical {REPLACEMENT}, lone {REPLACEMENT}, "
                                    f"not {REPLACEMENT}.")
    assert safe_chars("é € 😀 \n\r\t") == "é € 😀 \n\r\t"


# --- summaries in a real build ---------------------------------------------------------------


def _injected(fragment: str) -> list[str]:
    """Elements, handlers and script links in an HTML fragment that plain text never makes."""
    found = [f"<{t.name}>" for name in ("script", "img", "iframe", "style", "object")
             for t in tags(fragment, name)]
    found += re.findall(r"<[^>]*\son\w+\s*=", fragment)
    found += [f"<a href={t.attrs['href']}>" for t in tags(fragment, "a")
              if t.attrs.get("href", "").strip().lower().startswith("javascript:")]
    return found


def _ids(fragment: str) -> list[str]:
    return re.findall(r'\sid="([^"]*)"', fragment)


@pytest.mark.parametrize("locale", PREFIX)
def test_summaries_show_as_written_on_the_updates_page(hostile_site: Path, locale: str) -> None:
    page = read(hostile_site, f"{PREFIX[locale]}updates/")
    content = between(page, '<article class="md-content__inner md-typeset">', "</article>")
    assert _injected(content) == []
    text = article(page)
    assert " ".join(SCRIPTED.split()) in text
    assert " ".join(STEALER.split()) in text
    ids = _ids(content)
    assert len(ids) == len(set(ids)), f"an anchor is taken twice: {ids}"
    assert "stolen" not in ids
    assert [t.attrs["id"] for t in tags(content, "h2")] == [f"v{SECOND}", f"v{FIRST}"]
    assert len(tags(content, "h1")) == 1
    assert tags(content, "pre") == tags(content, "em") == []
    assert len(tags(content, "li")) == 2  # a link to each release, no list from a summary


@pytest.mark.parametrize("locale", PREFIX)
def test_summaries_show_as_written_on_the_redline(hostile_site: Path, locale: str) -> None:
    page = read(hostile_site, f"{PREFIX[locale]}privacy/{SECOND}/changes/")
    content = between(page, '<article class="md-content__inner md-typeset">', "</article>")
    assert _injected(content) == []
    assert " ".join(STEALER.split()) in article(page)
    assert "stolen" not in _ids(content)
    assert len(tags(content, "h1")) == 1
    assert tags(content, "pre") == []


@pytest.mark.parametrize("locale", PREFIX)
def test_the_latest_summary_shows_as_written_on_the_home_page(hostile_site: Path,
                                                              locale: str) -> None:
    page = read(hostile_site, PREFIX[locale])
    content = between(page, '<article class="md-content__inner md-typeset">', "</article>")
    assert _injected(content) == []
    assert " ".join(STEALER.split()) in article(page)
    assert "stolen" not in _ids(content)
    assert len(tags(content, "h1")) == 1
    assert tags(content, "pre") == tags(content, "em") == []


@pytest.mark.parametrize("locale", PREFIX)
def test_feeds_hold_the_summaries_as_text(hostile_site: Path, locale: str) -> None:
    data = (hostile_site / PREFIX[locale].lstrip("/") / "updates.xml").read_bytes()
    root = ET.fromstring(data)
    summaries = [e.findtext(f"{ATOM}summary") for e in root.iter(f"{ATOM}entry")]
    assert summaries == [STEALER, SCRIPTED]
    feed = feedparser.parse(data)
    assert not feed.bozo, feed.get("bozo_exception")


def test_characters_xml_forbids_never_reach_the_feed(controls_site: Path) -> None:
    data = (controls_site / "updates.xml").read_bytes()
    root = ET.fromstring(data)  # an ill-formed feed raises here
    assert [e.findtext(f"{ATOM}summary") for e in root.iter(f"{ATOM}entry")] == \
        [safe_chars(CONTROLS), "First."]
    assert not feedparser.parse(data).bozo
    dutch = ET.fromstring((controls_site / "nl" / "updates.xml").read_bytes())
    # the second release changed no Dutch text: the Dutch feed does not speak of it
    assert [e.findtext(f"{ATOM}summary") for e in dutch.iter(f"{ATOM}entry")] == ["Eerste."]
    updates = article(read(controls_site, "/updates/"))
    assert " ".join(safe_chars(CONTROLS).split()) in updates
    versions = json.loads((controls_site / "versions.json").read_text(encoding="utf-8"))
    assert versions["releases"][1]["summary"]["en"] == safe_chars(CONTROLS)


# --- titles in a real build ------------------------------------------------------------------


def _title_element(page: str) -> str:
    """The text of <title>, as a browser reads it (ends at the first '</title>')."""
    return html.unescape(between(page, "<title>", "</title>"))


@pytest.mark.parametrize("url", ["/privacy/", "/nl/privacy/", f"/privacy/{FIRST}/",
                                 f"/nl/privacy/{SECOND}/", f"/privacy/{SECOND}/changes/",
                                 f"/nl/privacy/{SECOND}/changes/"])
def test_titles_are_escaped_in_head_nav_and_headings(hostile_site: Path, url: str) -> None:
    page = read(hostile_site, url)
    title = _title_element(page)
    assert TITLE in title, title
    assert title.endswith(" - Westcon privacycentrum" if url.startswith("/nl/")
                          else " - Westcon privacy centre")
    assert page.count("<title>") == page.count("</title>") == 1
    assert "<script>window.pwned" not in page
    header = between(page, 'data-md-component="header-topic">', "</div>")
    assert TITLE in plain(header), url
    assert TITLE in plain(between(page, "md-nav--primary", "</nav>")), url
    for heading in tags(page, "h1"):
        assert heading.attrs.get("id", "") not in ("stolen", f"v{FIRST}"), url


@pytest.mark.parametrize("locale", PREFIX)
def test_titles_are_escaped_in_links_to_the_document(hostile_site: Path, locale: str) -> None:
    for url in (PREFIX[locale], f"{PREFIX[locale]}updates/"):
        page = read(hostile_site, url)
        content = between(page, '<article class="md-content__inner md-typeset">', "</article>")
        assert _injected(content) == [], url
        assert TITLE in article(page), url


@pytest.mark.parametrize(("locale", "clause", "mark"), [
    ("en", "tracking", "[allaboutdnt.com](https://"),
    ("nl", "tracking", '<a href="https://')])
def test_the_public_redline_shows_a_changed_link_target(hostile_site: Path, locale: str,
                                                        clause: str, mark: str) -> None:
    page = read(hostile_site, f"{PREFIX[locale]}privacy/{SECOND}/changes/")
    section = between(page, f'<section class="redline-clause redline-changed" id="{clause}">',
                      "</section>")
    markup = between(section, '<span class="redline-markup">', "</code></span>")
    words = {"en": ("links and formatting", "deleted", "inserted"),
             "nl": ("links en opmaak", "verwijderd", "toegevoegd")}[locale]
    assert markup.startswith(f"{words[0]}: <code>{html.escape(mark)}<del>"), markup
    assert (f'<del><span class="sr-only">[{words[1]}: </span>allaboutdnt.com<span '
            f'class="sr-only">]</span></del><ins><span class="sr-only">[{words[2]}: </span>'
            'evil.example<span class="sr-only">]</span></ins>/') in markup


# --- address blocks ---------------------------------------------------------------------------


def test_a_backslash_at_a_line_end_is_a_line_break_but_not_in_code() -> None:
    def render(text: str) -> str:
        return markdown.markdown(text, extensions=SITE_EXTENSIONS)

    assert render("Compliance Officer\\\nMerchants House\\\nUnited Kingdom") == \
        "<p>Compliance Officer<br />\nMerchants House<br />\nUnited Kingdom</p>"
    assert render("a `C:\\` b\\\nc") == "<p>a <code>C:\\</code> b<br />\nc</p>"
    assert render("a `x\\\ny` b") == "<p>a <code>x\\\ny</code> b</p>"
    assert render("    code\\\n    more") == "<pre><code>code\\\nmore\n</code></pre>"
    assert render("```\nfenced\\\n```") == "<p><code>fenced\\</code></p>"
    assert render("escaped\\\\\nbackslash") == "<p>escaped\\\nbackslash</p>"
    assert render("last line\\") == "<p>last line\\</p>"


def _address(locale: str, root: Path) -> list[str]:
    """The lines of the source's address block in the contact clause."""
    path = root / "locales" / locale / "privacy.md"
    document = parse_document(path.read_text(encoding="utf-8"), "privacy", locale, str(path))
    contact = document.clause("contact")
    assert contact is not None
    return list(next(b for b in contact.blocks if b.kind == "address").items)


@pytest.mark.parametrize("locale", PREFIX)
def test_address_blocks_render_one_line_per_line(hostile: Path, hostile_site: Path,
                                                 locale: str) -> None:
    lines = _address(locale, hostile)
    assert len(lines) == ADDRESS_LINES[locale]
    for url in (f"{PREFIX[locale]}privacy/", f"{PREFIX[locale]}privacy/{FIRST}/"):
        page = read(hostile_site, url)
        shown = [[html.unescape(line).strip() for line in paragraph.split("<br />")]
                 for paragraph in re.findall(r"<p>(.*?)</p>", page, re.S)]
        assert lines in shown, url
        assert not [p for p in shown if p[0] == lines[0] and p[-1].endswith("\\")], url


# --- in the browser ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def base_url(hostile: Path) -> Iterator[str]:
    """The hostile history, built for and served on a localhost port: the ``page`` fixture
    of the browser tests (which fails a test on any console error or failed request) opens it."""
    out = hostile.parent / "served"
    out.mkdir()
    with serving(out) as address:
        set_site_url(hostile, f"{address}/")
        build(hostile, out, DAY)
        yield address


@pytest.mark.parametrize("url", ["/updates/", "/nl/updates/", "/privacy/", "/nl/privacy/",
                                 f"/privacy/{FIRST}/", f"/nl/privacy/{SECOND}/changes/"])
def test_no_summary_or_title_runs_a_script(page: Page, base_url: str, url: str) -> None:
    page.goto(f"{base_url}{url}", wait_until="networkidle")
    assert page.evaluate("typeof window.pwned") == "undefined"
    content = page.locator("article")
    assert content.locator("script, img, #stolen, a[href^='javascript']").count() == 0
    if url.endswith("/updates/"):
        assert SCRIPTED in content.inner_text()
        assert page.locator(f"h2#v{FIRST}").count() == 1
    else:
        assert page.title().startswith(TITLE)
        assert page.title().endswith(" - Westcon privacycentrum" if url.startswith("/nl/")
                                     else " - Westcon privacy centre")
        assert TITLE in (page.locator("[data-md-component=header-topic]").text_content() or "")
    if url.endswith("/changes/"):
        marks = page.locator("#tracking .redline-markup")
        marks.scroll_into_view_if_needed()
        assert marks.locator("del").is_visible()
        assert marks.locator("ins").text_content() == "[toegevoegd: evil.example]"
    shot(page, "render-" + url.strip("/").replace("/", "-"))


@pytest.mark.parametrize("locale", PREFIX)
def test_the_contact_address_renders_line_by_line(page: Page, base_url: str, hostile: Path,
                                                  locale: str) -> None:
    lines = _address(locale, hostile)
    page.goto(f"{base_url}{PREFIX[locale]}privacy/")
    block = page.locator("article p", has_text=lines[0]).filter(has_text=lines[-1])
    assert block.count() == 1
    block.scroll_into_view_if_needed()
    shot(page, f"render-{locale}-address")
    assert block.locator("br").count() == len(lines) - 1
    assert block.inner_text().split("\n") == lines
    line_boxes = block.evaluate("""p => {
        const range = document.createRange();
        range.selectNodeContents(p);
        return new Set([...range.getClientRects()].filter(r => r.width > 0)
                       .map(r => Math.round(r.top))).size;
    }""")
    assert line_boxes == ADDRESS_LINES[locale]
