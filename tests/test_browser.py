"""The published site in a real browser: Debian's headless chromium driven by Playwright.

The richer release history is built once for this module and served on localhost. Each test
opens pages as a reader does (the ``page`` fixture of ``conftest``, which fails the test on any
console error, page error or failed request), saves a screenshot of every step to
``tests/artifacts/``. axe-core checks accessibility.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from browser_helpers import shot
from site_helpers import FIRST, SECOND, make_history, served

SERIOUS = ("serious", "critical")


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The history site (second release in force, third announced) on a localhost port.

    It is built for the address it is served at, as the real site is: absolute links
    (hreflang, canonical) then lead where a reader's browser would follow them.
    """
    root = make_history(tmp_path_factory.mktemp("browser") / "repo")
    with served(root, root.parent / "site") as address:
        yield address


def path_of(page: Page, base_url: str) -> str:
    return page.url.removeprefix(base_url).partition("#")[0]


def test_language_switch_keeps_the_clause_anchor(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/nl/privacy/")
    shot(page, "01-nl-policy")
    heading = page.locator("h2#collection")
    heading.hover()
    heading.locator("a.headerlink").click()
    page.wait_for_url(re.compile(r"#collection$"))
    assert path_of(page, base_url) == "/nl/privacy/"
    shot(page, "02-nl-clause-permalink")
    page.locator(".md-header .md-select > button").hover()
    english = page.locator('a.md-select__link[hreflang="en"]')
    english.wait_for(state="visible")
    assert (english.get_attribute("href") or "").endswith("#collection")  # set by policy.js
    english.click()
    page.wait_for_url(re.compile(r"/privacy/#collection$"))
    assert path_of(page, base_url) == "/privacy/"
    assert page.evaluate("location.hash") == "#collection"
    assert page.locator("h2#collection").is_visible()
    shot(page, "03-en-same-clause")
    hreflang = page.locator("link[rel=alternate][hreflang]")  # restored once Material started
    assert [hreflang.nth(i).get_attribute("hreflang") for i in range(hreflang.count())] == \
        ["en", "nl", "x-default"]


def test_updates_lead_to_a_redline_with_visible_marks(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/nl/updates/")
    shot(page, "04-nl-updates")
    changes = page.locator(f'article a[href$="{SECOND}/changes/"]')
    assert changes.inner_text() == "Wijzigingen"
    changes.click()
    page.wait_for_url(f"**/nl/privacy/{SECOND}/changes/")
    deleted, inserted = page.locator(".policy-redline del"), page.locator(".policy-redline ins")
    assert deleted.count() == inserted.count() == 1
    assert deleted.is_visible()
    assert inserted.is_visible()
    assert "line-through" in deleted.evaluate("e => getComputedStyle(e).textDecorationLine")
    assert "underline" in inserted.evaluate("e => getComputedStyle(e).textDecorationLine")
    assert deleted.text_content() == "[verwijderd: Chandler’s]"
    assert inserted.text_content() == "[toegevoegd: Merchants]"
    deleted.scroll_into_view_if_needed()
    shot(page, "05-nl-redline")


def test_an_archived_version_says_so(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/privacy/{FIRST}/")
    banner = "Archived version, in force from 1 February 2026 to 1 April 2026."
    assert page.locator(".policy-announce").inner_text() == banner
    assert page.locator(".policy-announce").is_visible()
    box = page.locator("article .policy-archived")
    assert box.is_visible()
    shot(page, "06-en-archived")
    box.get_by_role("link", name="Read the current version").click()
    page.wait_for_url(f"{base_url}/privacy/")
    assert page.locator(".policy-announce").count() == 0
    assert "Version 2026-03-05 · In force since 1 April 2026" in \
        page.locator(".policy-meta").inner_text()


def test_print_shows_the_text_without_the_site_chrome(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/privacy/")
    assert page.locator(".md-header").is_visible()
    page.emulate_media(media="print")
    shot(page, "07-en-print")
    for chrome in (".md-header", ".md-sidebar--primary", ".md-sidebar--secondary",
                   ".md-footer"):
        assert page.locator(chrome).first.is_hidden(), f"{chrome} is printed"
    meta = page.locator(".policy-meta")
    assert meta.is_visible()
    assert meta.inner_text().startswith("Version 2026-03-05 · In force since 1 April 2026")
    assert page.locator("h2#about-us").is_visible()


def report(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:5]:
            lines.append(f"    {node['target']}: {node.get('failureSummary', '')}")
            lines.append(f"      {node['html'][:160]}")
    return "\n".join(lines)


@pytest.mark.parametrize("url", ["/privacy/", "/nl/privacy/", "/updates/", "/nl/updates/",
                                 f"/privacy/{SECOND}/changes/", f"/nl/privacy/{SECOND}/changes/",
                                 f"/privacy/{FIRST}/"])
def test_no_serious_accessibility_violations(page: Page, base_url: str, url: str) -> None:
    page.goto(f"{base_url}{url}")
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in SERIOUS]
    assert serious == [], f"axe-core on {url}:\n{report(serious)}"
