"""Clause anchors in a real browser: old ids after a rename, and a clause the other language
lacks (issues #11 and #12).

The history of ``site_helpers.make_history`` gets a fourth release in which the English and
Dutch clause ``{#tracking}`` is renamed ``{#cookies}`` (``policy rename-clause``); the site is
built for a day on which that release is in force. The seeds' Dutch has no clause
``{#data-subjects}``, which the English has; ``{#contact}`` is §14 in English and §13 in Dutch.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from browser_helpers import shot
from conftest import POLICY
from site_helpers import SECOND, edit, make_history, release, served

RENAMED = "2026-07-01"  # released after the history's third release, in force from …
IN_FORCE = "2026-12-15"
TODAY = "2027-01-10"
EN_MISSING = ("The clause you were sent to is not in the English version of this page. You are "
              "at the top of the page.")
NL_MISSING = ("Het artikel waarnaar u werd verwezen, staat niet in de Nederlandse versie van "
              "deze pagina. U bent bovenaan de pagina.")


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = make_history(tmp_path_factory.mktemp("anchors") / "repo")
    edit(root, "en", "## 6. How we use personal information collected {#use}\n",
         "## 6. How we use personal information collected {#use}\n\n"
         "Tracking is described in [section 5](#tracking).\n")
    done = subprocess.run([str(POLICY), "rename-clause", "privacy", "tracking", "cookies",
                           "--root", str(root)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    release(root, RENAMED, IN_FORCE, {"en": "Clause ids renamed.", "nl": "Ankers hernoemd."})
    with served(root, root.parent / "site", today=TODAY) as address:
        yield address


def target(page: Page) -> str | None:
    """The id of the element ``:target`` matches, if any."""
    found = page.evaluate("(document.querySelector(':target') || {}).id || null")
    return str(found) if found else None


def in_viewport(page: Page, selector: str) -> bool:
    return bool(page.evaluate("""(selector) => {
        const box = document.querySelector(selector).getBoundingClientRect();
        return box.top >= 0 && box.bottom <= window.innerHeight;
    }""", selector))


def test_an_old_clause_id_lands_on_the_renamed_clause(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/privacy/#tracking")
    shot(page, "anchors-01-old-id-in-force")
    assert target(page) == "tracking"
    assert page.evaluate("document.getElementById('tracking').nextElementSibling.id") == "cookies"
    assert in_viewport(page, "h2#cookies")
    assert page.evaluate("window.scrollY") > 0
    assert page.locator(".policy-missing").is_hidden()


def test_an_old_clause_id_works_in_dutch_and_the_link_was_rewritten(page: Page,
                                                                     base_url: str) -> None:
    page.goto(f"{base_url}/nl/privacy/#tracking")
    assert target(page) == "tracking"
    assert in_viewport(page, "h2#cookies")
    page.goto(f"{base_url}/privacy/")
    link = page.get_by_role("link", name="section 5")
    assert link.get_attribute("href") == "#cookies"
    link.click()
    assert target(page) == "cookies"


def test_a_version_before_the_rename_keeps_its_own_id(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/privacy/{SECOND}/#tracking")
    assert target(page) == "tracking"
    assert page.evaluate("document.getElementById('tracking').tagName") == "H2"
    assert page.locator("#cookies").count() == 0
    assert in_viewport(page, "h2#tracking")


def switch_to_dutch(page: Page, clause: str) -> None:
    """From the English clause ``clause``, the language switcher's Dutch link."""
    page.goto(f"{base_url_of(page)}/privacy/#{clause}")
    page.locator(".md-header .md-select > button").hover()
    dutch = page.locator('a.md-select__link[hreflang="nl"]')
    dutch.wait_for(state="visible")
    assert (dutch.get_attribute("href") or "").endswith(f"#{clause}")
    dutch.click()
    page.wait_for_url(re.compile(rf"/nl/privacy/#{clause}$"))


def base_url_of(page: Page) -> str:
    return re.sub(r"^(https?://[^/]+).*$", r"\1", page.url) if page.url.startswith("http") \
        else ""


def test_switching_to_a_language_that_lacks_the_clause_says_so(page: Page,
                                                                base_url: str) -> None:
    page.goto(f"{base_url}/")
    switch_to_dutch(page, "data-subjects")
    notice = page.locator(".policy-missing")
    notice.wait_for(state="visible")
    shot(page, "anchors-02-clause-missing-in-dutch")
    assert notice.inner_text() == NL_MISSING
    assert notice.get_attribute("role") == "status"
    assert page.evaluate("document.activeElement.classList.contains('policy-missing')")
    # at the top of the article: right after the skip link's target, before the text
    assert page.evaluate("document.querySelector('article > .policy-missing')"
                         ".previousElementSibling.id") == "__content"
    assert in_viewport(page, ".policy-missing")
    violations = Axe().run(page).response["violations"]
    assert [v["id"] for v in violations if v["impact"] in ("serious", "critical")] == []
    page.evaluate("location.hash = '#contact'")  # a clause the Dutch has: the notice goes
    notice.wait_for(state="hidden")


def test_a_clause_under_another_number_switches_without_notice(page: Page,
                                                               base_url: str) -> None:
    page.goto(f"{base_url}/privacy/")
    assert page.locator("h2#contact").inner_text().startswith("14.")
    switch_to_dutch(page, "contact")
    assert target(page) == "contact"
    assert page.locator("h2#contact").inner_text().startswith("13.")
    assert in_viewport(page, "h2#contact")
    assert page.locator(".policy-missing").is_hidden()
    assert page.locator(".policy-missing").inner_text() == ""


def test_an_english_page_lacking_a_clause_says_so_in_english(page: Page,
                                                             base_url: str) -> None:
    notice = page.locator(".policy-missing")
    for hash_ in ("#no-such-clause", "#%zz"):  # a malformed escape throws no page error
        page.goto(f"{base_url}/privacy/{hash_}")
        notice.wait_for(state="visible")
        assert notice.inner_text() == EN_MISSING
    page.goto(f"{base_url}/privacy/")
    assert notice.is_hidden()
