"""The site as a reader of a company's policies meets it, in Debian's headless chromium.

A history of two documents (``site_helpers.make_two_documents``) served on localhost. Every
page type (home, the text in force, an archived version, a redline, updates, 404) in English
and Dutch: axe-core finds no violation of any impact with the search open and showing
results, at a phone's width and a desktop's; printed, a page is the text alone with the
address of each link after it, and its PDF says so; and each is photographed at 390x844 and
1280x800 into ``tests/artifacts/reader-<type>-<language>-<mobile|desktop>.png`` for review.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page
from pypdf import PdfReader

from browser_helpers import ARTIFACTS, shot
from site_helpers import FIRST, SECOND, make_two_documents, served

PAGES = {"home": "", "in-force": "privacy/", "archived": f"privacy/{FIRST}/",
         "redline": f"privacy/{SECOND}/changes/", "compare": f"privacy/compare/{FIRST}..{SECOND}/",
         "pairs": "privacy/compare/", "updates": "updates/", "404": "404.html"}
PREFIX = {"en": "/", "nl": "/nl/"}
WORD = {"en": "data", "nl": "gegevens"}  # a word with results in each language's index
VIEWPORTS = {"mobile": (390, 844), "desktop": (1280, 800)}


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = make_two_documents(tmp_path_factory.mktemp("reader") / "repo")
    with served(root, root.parent / "site") as address:
        yield address


def open_search(page: Page, word: str, phone: bool) -> None:
    """Open the search as a reader does (the field, or the magnifier on a phone), once the
    index is loaded, type ``word`` and wait for its results."""
    page.wait_for_function(
        "() => { const c = JSON.parse(document.getElementById('__config').textContent);"
        " const m = document.querySelector('.md-search-result__meta');"
        " return m && m.textContent.trim() === c.translations['search.result.placeholder']; }")
    field = page.locator(".md-search__input")
    if phone:
        page.locator('label.md-header__button[for="__search"]').click()
    else:
        field.click()
    field.press_sequentially(word)
    page.locator(".md-search-result__item").first.wait_for()
    # the search fades in: colours mid-transition are not the ones a reader is left with
    page.wait_for_function("() => document.getAnimations().every(a => a.playState !== 'running')")


def report(violations: list[dict[str, object]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']}")
        for node in v["nodes"][:5]:  # type: ignore[attr-defined]
            lines.append(f"    {node['target']}: {node.get('failureSummary', '')}")
    return "\n".join(lines)


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("locale", PREFIX)
@pytest.mark.parametrize("kind", PAGES)
def test_no_accessibility_violation_with_the_search_open(
        page: Page, base_url: str, kind: str, locale: str, viewport: str) -> None:
    width, height = VIEWPORTS[viewport]
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{base_url}{PREFIX[locale]}{PAGES[kind]}")
    open_search(page, WORD[locale], phone=viewport == "mobile")
    assert page.locator(".md-search-result mark").count() > 0
    violations = Axe().run(page).response["violations"]
    assert violations == [], f"axe-core on {kind} ({locale}, {viewport}):\n{report(violations)}"


@pytest.mark.parametrize("locale", PREFIX)
@pytest.mark.parametrize("kind", PAGES)
def test_every_page_type_is_photographed_on_a_phone_and_a_desktop(
        page: Page, base_url: str, kind: str, locale: str) -> None:
    for name, (width, height) in VIEWPORTS.items():
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"{base_url}{PREFIX[locale]}{PAGES[kind]}")
        # nothing wider than the screen: no sideways scrolling on a phone
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        shot(page, f"reader-{kind}-{locale}-{name}")
        assert (ARTIFACTS / f"reader-{kind}-{locale}-{name}.png").stat().st_size > 0


def test_the_text_keeps_a_readable_measure_and_hangs_clause_numbers(
        page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/privacy/")
    article = page.locator("article.md-content__inner")
    per_line = page.evaluate(
        "() => { const a = document.querySelector('article.md-content__inner');"
        " const s = getComputedStyle(a); const c = document.createElement('canvas')"
        ".getContext('2d'); c.font = s.fontSize + ' ' + s.fontFamily;"
        " return a.clientWidth / c.measureText('0').width; }")
    assert 60 <= per_line <= 75, per_line
    assert article.locator("h2#collection .policy-clause-number").inner_text() == "4."
    number = article.locator("h2#collection .policy-clause-number").bounding_box()
    heading = article.locator("h2#collection").bounding_box()
    assert number is not None and heading is not None
    assert number["x"] == heading["x"]  # the number hangs at the margin, the title indented
    assert page.locator("button.md-clipboard, .md-content__button").count() == 0


# --- print -------------------------------------------------------------------------------------


def after(page: Page, selector: str) -> list[str]:
    """The computed ``::after`` content of each element ``selector`` finds."""
    return page.eval_on_selector_all(
        selector, "els => els.map(e => getComputedStyle(e, '::after').content)")


@pytest.mark.parametrize("locale", PREFIX)
def test_print_shows_the_text_alone_with_each_link_address(
        page: Page, base_url: str, locale: str) -> None:
    prefix = PREFIX[locale]
    page.goto(f"{base_url}{prefix}privacy/")
    page.emulate_media(media="print")
    for chrome in (".md-header", ".md-sidebar--primary", ".md-sidebar--secondary",
                   ".md-footer", ".md-search", ".md-top", ".md-skip"):
        assert page.locator(chrome).first.is_hidden(), f"{chrome} is printed"
    assert page.locator("h2#collection a.headerlink").is_hidden()  # no ¶ on paper
    meta = page.locator(".policy-meta a:not(.policy-pdf)")
    assert after(page, ".policy-meta a") == [f'" ({base_url}{prefix}privacy/{SECOND}.pdf)"',
                                             f'" ({base_url}{prefix}updates/)"']
    assert meta.get_attribute("href") == "../updates/"  # relative in the page, absolute on paper
    page.goto(f"{base_url}{prefix}privacy/{SECOND}/")  # a version page: it has the form
    page.emulate_media(media="print")
    form = page.locator("form.policy-compare")
    assert form.count() == 1 and form.first.is_hidden()  # nothing to fill in on paper
    breaks = page.eval_on_selector_all(
        "article h2", "els => els.map(e => getComputedStyle(e).breakAfter)")
    assert set(breaks) == {"avoid"}


def test_print_gives_no_address_where_the_link_says_it_or_stays_in_the_page(
        page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/cookies/")
    page.emulate_media(media="print")
    text = "article p:not(.policy-meta) a"
    links = page.locator(text)
    assert [links.nth(i).inner_text() for i in range(links.count())] == \
        ["clause 1", "the regulator", "https://ico.org.uk/"]
    assert after(page, text) == ["none", '" (https://ico.org.uk/make-a-complaint/)"', "none"]
    page.emulate_media(media="screen")
    assert set(after(page, text)) == {"none"}


def test_print_of_a_translation_gives_the_address_of_the_source_text(
        page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/nl/privacy/")
    page.emulate_media(media="print")
    source = page.locator(".policy-translation a").first
    href = source.get_attribute("href") or ""
    assert href.startswith("../../privacy/")
    assert after(page, ".policy-translation a")[0] == \
        f'" ({base_url}/privacy/{href.removeprefix("../../privacy/")})"'


def test_the_printed_pdf_holds_the_text_and_link_addresses_not_the_site_chrome(
        page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/")
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4", print_background=True)
    (ARTIFACTS / "reader-home-en-print.pdf").write_bytes(pdf)
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "In force since 1 April 2026: Version 2026-03-05" in text
    assert f"Nederlands ({base_url}/nl/privacy/)" in text
    assert f"Updates feed (Atom) ({base_url}/updates.xml)" in text
    assert "Table of contents" not in text  # the sidebar
    assert "Search" not in text  # the header's search field
    assert "Last updated" not in text  # the footer
    assert not re.search(r"¶", text)
    assert Path(ARTIFACTS / "reader-home-en-print.pdf").stat().st_size == len(pdf)
