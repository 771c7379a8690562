"""Any two versions of a text compared: a page per pair, the form, and the same redline as
``policy diff OLD NEW``.

The compare history (four releases: an address corrected, a clause added, one removed, one
moved, the rest renumbered, a word changed) is built once for this module and served on
localhost; the static checks read the same build, the browser tests drive Debian's headless
chromium on it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page

from browser_helpers import shot
from policytools.config import load_project
from policytools.ledger import load_ledger
from policytools.site import Site
from policytools.site_compare import compare_pages
from site_helpers import (
    FIRST,
    FOURTH,
    SECOND,
    THIRD,
    copy_project,
    edit,
    html_pages,
    make_compare_history,
    read,
    release,
    seed,
    served,
    tags,
)

POLICY = Path(sys.executable).parent / "policy"
EN = [FIRST, SECOND, THIRD, FOURTH]  # the English text's versions
NL = [FIRST, SECOND, THIRD]  # the fourth release changed the English only


@pytest.fixture(scope="module")
def compare_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path, str]]:
    """(project, built site, its address): the compare history, served on localhost."""
    root = make_compare_history(tmp_path_factory.mktemp("compare") / "repo")
    out = root.parent / "site"
    with served(root, out) as address:
        yield root, out, address


@pytest.fixture(scope="module")
def base_url(compare_site: tuple[Path, Path, str]) -> str:
    return compare_site[2]


def pairs(versions: list[str]) -> list[tuple[str, str]]:
    return [(a, b) for i, a in enumerate(versions) for b in versions[i + 1:]]


def policy_diff(root: Path, old: str, new: str, locale: str) -> dict[str, Any]:
    """``policy diff OLD NEW --format json`` of one text, run as the installed command."""
    done = subprocess.run([str(POLICY), "diff", old, new, "--locale", locale, "--document",
                           "privacy", "--format", "json", "--root", str(root)],
                          capture_output=True, text=True, check=False)
    assert (done.returncode, done.stderr) == (0, "")
    changes = json.loads(done.stdout)["changes"]
    assert len(changes) == 1
    result: dict[str, Any] = changes[0]
    return result


# --- the pages ------------------------------------------------------------------------------


@pytest.mark.parametrize(("locale", "prefix", "versions"), [("en", "", EN), ("nl", "/nl", NL)])
def test_every_pair_has_a_page_and_the_sitemap_lists_none(
        compare_site: tuple[Path, Path, str], locale: str, prefix: str,
        versions: list[str]) -> None:
    _, out, address = compare_site
    built = {url for url in html_pages(out) if url.startswith(f"{prefix}/privacy/compare/")}
    expected = {f"{prefix}/privacy/compare/{a}..{b}/" for a, b in pairs(versions)}
    assert built == expected | {f"{prefix}/privacy/compare/"}
    for url in built:
        html = read(out, url)
        assert '<meta name="robots" content="noindex">' in html
        assert [t.attrs["href"] for t in tags(html, "link", rel="canonical")] == \
            [f"{address}{prefix}/privacy/"]
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    assert "/privacy/" in sitemap
    assert "compare" not in sitemap


def test_a_pair_page_names_both_versions_and_what_each_release_between_said(
        compare_site: tuple[Path, Path, str]) -> None:
    from site_helpers import article

    text = article(read(compare_site[1], f"/privacy/compare/{SECOND}..{FOURTH}/"))
    assert text.startswith(f"Privacy policy: version {SECOND} compared with version {FOURTH}")
    assert (f"The versions released after version {SECOND}, up to version {FOURTH}: "
            f"Version {THIRD} · Material change · Effective date: 1 December 2026 · Released "
            f"on 20 May 2026 · New clause on automated decisions. Version {FOURTH} · Material "
            "change · Effective date: 15 December 2026 · Released on 25 May 2026 · Children’s "
            "clause withdrawn; clauses reordered.") in text
    assert "1YT" not in text  # the second release's correction is not between them


def test_the_dutch_pair_page_is_in_dutch(compare_site: tuple[Path, Path, str]) -> None:
    html = read(compare_site[1], f"/nl/privacy/compare/{FIRST}..{THIRD}/")
    assert tags(html, "label", **{"for": "compare-privacy-from"})
    assert '<label for="compare-privacy-from">Vergelijk versie</label>' in html
    assert '<label for="compare-privacy-to">met versie</label>' in html
    assert ">Vergelijken</button>" in html
    assert '<span class="redline-status">(toegevoegd)</span>' in html
    assert "§12 → §13 Contact opnemen" in html


@pytest.mark.parametrize(("locale", "versions"), [("en", EN), ("nl", NL)])
def test_every_pair_page_holds_the_redline_policy_diff_prints(
        compare_site: tuple[Path, Path, str], locale: str, versions: list[str]) -> None:
    from site_helpers import plain

    root, out, _ = compare_site
    prefix = "" if locale == "en" else f"/{locale}"
    for old, new in pairs(versions):
        html = read(out, f"{prefix}/privacy/compare/{old}..{new}/")
        changes = policy_diff(root, old, new, locale)
        for clause in changes["clauses"]:
            if clause["status"] == "unchanged":
                anchor = "" if clause["id"] == "preamble" else f'#{clause["id"]}'
                assert f'../../{new}/{anchor}"' in html, (old, new, clause["id"])
                continue
            section = html.split(f'<section class="redline-clause redline-{clause["status"]}" '
                                 f'id="{clause["id"]}">', 1)[1].split("</section>", 1)[0]
            heading = expected_heading(clause, "former" if locale == "en" else "voormalig")
            assert plain(section).startswith(heading), (old, new, clause["id"])


def expected_number(clause: dict[str, Any]) -> str:
    """The heading's number as the redline reading guide promises it."""
    old, new = clause["old_number"], clause["new_number"]
    if clause["renumbered"]:
        return f"§{old} → §{new}"
    if clause["status"] == "removed":
        return f"§{old}"
    return f"§{new or old}"


def test_identical_texts_say_so(tmp_path: Path) -> None:
    root = seed(copy_project(tmp_path / "repo", with_ledger=False))
    release(root, "2026-01-10", "2026-01-10", {"en": "First.", "nl": "Eerste."})
    edit(root, "en", "GL7 1YG, United Kingdom", "GL7 1YT, United Kingdom")
    release(root, "2026-02-10", "2026-02-10", {"en": "Typo."})
    edit(root, "en", "GL7 1YT, United Kingdom", "GL7 1YG, United Kingdom")
    release(root, "2026-03-10", "2026-03-10", {"en": "Typo undone."})
    project = load_project(root)
    site = Site(project, load_ledger(project), dt.date(2026, 4, 1))
    made = {page.path: page.markdown for page in compare_pages(site, "en", {})}
    assert set(made) == {"privacy/compare.md", "privacy/compare/2026-01-10..2026-02-10.md",
                         "privacy/compare/2026-01-10..2026-03-10.md",
                         "privacy/compare/2026-02-10..2026-03-10.md"}
    same = made["privacy/compare/2026-01-10..2026-03-10.md"]
    assert "The texts of version 2026-01-10 and version 2026-03-10 are identical." in same
    assert "policy-redline" not in same
    assert "identical" not in made["privacy/compare/2026-01-10..2026-02-10.md"]
    assert compare_pages(site, "nl", {}) == []  # one Dutch version: nothing to compare


# --- in the browser -------------------------------------------------------------------------


def redline_in(page: Page) -> dict[str, dict[str, Any]]:
    """What the page's redline shows per clause: status, heading, inserted and deleted text
    (without the words for screen readers), in reading order."""
    data: list[dict[str, Any]] = page.evaluate("""() => {
      const words = (root, tag) => Array.from(root.querySelectorAll(tag)).map(node => {
        const copy = node.cloneNode(true);
        copy.querySelectorAll('.sr-only').forEach(s => s.remove());
        return copy.textContent;
      });
      const out = [];
      for (const node of document.querySelectorAll('.policy-redline > *')) {
        if (node.matches('p.redline-collapsed')) {
          for (const a of node.querySelectorAll('a')) {
            out.push({id: a.hash.slice(1), status: 'unchanged', heading: a.textContent,
                      ins: [], del: []});
          }
          continue;
        }
        const status = Array.from(node.classList).find(c => c.startsWith('redline-')
                                                       && c !== 'redline-clause');
        const heading = node.querySelector('h2').cloneNode(true);
        heading.querySelectorAll('.redline-status, .sr-only').forEach(s => s.remove());
        out.push({id: node.id, status: status.slice(8), heading: heading.textContent.trim(),
                  ins: words(node, 'ins'), del: words(node, 'del')});
      }
      return out;
    }""")
    return {clause["id"]: clause for clause in data}


def ops_of(clause: dict[str, Any], kind: str) -> list[str]:
    """The inserted or deleted texts of a clause in ``policy diff --format json``, in the
    order a redline shows them (the title's only when the clause is changed)."""
    runs = [clause["title"]] if clause["status"] == "changed" else []
    for unit in clause["units"]:
        runs.append(unit["ops"])
        if any(op != "equal" for op, _ in unit["marks"]):
            runs.append(unit["marks"])
    return [text for ops in runs for op, text in ops if op == kind]


def test_the_form_leads_to_the_redline_policy_diff_prints(
        page: Page, base_url: str, compare_site: tuple[Path, Path, str]) -> None:
    page.goto(f"{base_url}/privacy/{THIRD}/")
    form = page.get_by_role("form", name="Privacy policy: compare two versions")
    # the version page offers it against the one before
    assert form.get_by_label("Compare version").input_value() == SECOND
    assert form.get_by_label("with version").input_value() == THIRD
    form.get_by_label("Compare version").select_option(FOURTH)  # newer first: put in order
    form.get_by_label("with version").select_option(FIRST)
    shot(page, "compare-01-form")
    form.get_by_role("button", name="Compare").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base_url}/privacy/compare/{FIRST}..{FOURTH}/")
    shot(page, "compare-02-redline")
    shown = redline_in(page)
    expected = policy_diff(compare_site[0], FIRST, FOURTH, "en")
    assert list(shown) == [c["id"] for c in expected["clauses"]]
    assert {c["status"] for c in expected["clauses"]} >= {
        "changed", "added", "removed", "moved", "renumbered", "unchanged"}
    for clause in expected["clauses"]:
        seen = shown[clause["id"]]
        assert seen["status"] == clause["status"], clause["id"]
        assert seen["heading"].startswith(expected_heading(clause)), (seen, clause["id"])
        assert seen["ins"] == ops_of(clause, "insert"), clause["id"]
        assert seen["del"] == ops_of(clause, "delete"), clause["id"]
    headings = [shown[c]["heading"] for c in ("children", "rights")]
    assert headings == ["former §9 Collection of personal information from children",
                        "§8 → §9 Rights regarding the processing of personal data"]


def expected_heading(clause: dict[str, Any], former: str = "former") -> str:
    number = expected_number(clause)
    return f"{former} {number}" if clause["status"] == "removed" else number


def test_the_form_works_without_javascript(browser: Browser, base_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    context.set_default_timeout(5000)
    try:
        tab = context.new_page()
        tab.goto(f"{base_url}/updates/")
        form = tab.get_by_role("form", name="Privacy policy: compare two versions")
        assert form.get_by_label("Compare version").input_value() == THIRD
        assert form.get_by_label("with version").input_value() == FOURTH
        form.get_by_label("Compare version").select_option(SECOND)
        form.get_by_role("button", name="Compare").click()
        tab.wait_for_url(f"{base_url}/privacy/compare/?from={SECOND}&to={FOURTH}")
        shot(tab, "compare-03-no-script-list")
        assert tab.locator("h1").inner_text() == "Privacy policy: compare two versions"
        assert tab.get_by_text("Choose two different versions to compare.").is_hidden()
        tab.get_by_role("link", name=f"{SECOND} → {FOURTH}").click()
        tab.wait_for_url(f"{base_url}/privacy/compare/{SECOND}..{FOURTH}/")
    finally:
        context.close()


def test_the_list_says_when_one_version_is_chosen_twice(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/privacy/compare/?from={SECOND}&to={SECOND}")
    alert = page.get_by_role("alert")
    assert alert.inner_text() == "Choose two different versions to compare."
    assert alert.is_visible()
    page.goto(f"{base_url}/privacy/compare/?from={FOURTH}&to={SECOND}")
    page.wait_for_url(f"{base_url}/privacy/compare/{SECOND}..{FOURTH}/")


def test_the_dutch_form_is_labelled_in_dutch(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/nl/updates/")
    form = page.get_by_role("form", name="Privacybeleid: twee versies vergelijken")
    form.get_by_label("Vergelijk versie").select_option(FIRST)
    form.get_by_role("button", name="Vergelijken").click()
    page.wait_for_url(f"{base_url}/nl/privacy/compare/{FIRST}..{THIRD}/")


@pytest.mark.parametrize("url", [f"/privacy/compare/{FIRST}..{FOURTH}/", "/privacy/compare/",
                                 f"/nl/privacy/compare/{FIRST}..{THIRD}/",
                                 f"/privacy/{FOURTH}/changes/", f"/privacy/{THIRD}/changes/",
                                 f"/privacy/{THIRD}/", "/updates/"])
def test_no_accessibility_violations_at_all(page: Page, base_url: str, url: str) -> None:
    from test_browser import report

    page.goto(f"{base_url}{url}")
    violations = Axe().run(page).response["violations"]
    assert violations == [], f"axe-core on {url}:\n{report(violations)}"



# --- the redline a reader follows -----------------------------------------------------------


def test_unchanged_clauses_link_to_themselves_in_the_new_version(
        compare_site: tuple[Path, Path, str]) -> None:
    from urllib.parse import urljoin

    out = compare_site[1]
    for url in (f"/privacy/{FOURTH}/changes/", f"/privacy/compare/{FIRST}..{FOURTH}/",
                f"/nl/privacy/{THIRD}/changes/"):
        html = read(out, url)
        collapsed = [p.split("</p>", 1)[0] for p in html.split('<p class="redline-collapsed">')[1:]]
        links = re.findall(r'<a href="([^"]*)">([^<]*)</a>', "".join(collapsed))
        assert links, url
        for href, label in links:
            target = urljoin(url, href)
            path, _, anchor = target.partition("#")
            assert path.endswith((f"/{FOURTH}/", f"/{THIRD}/")), target
            if anchor:
                assert f'id="{anchor}"' in read(out, path), target
            else:  # the preamble has no anchor: its link leads to the top of the text
                assert label == "preambule", target


def test_a_redline_reads_plainly_and_states_its_release(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/privacy/{FOURTH}/changes/")
    shot(page, "compare-04-changes")
    facts = page.locator("article").inner_text()
    assert "Announced, takes effect 15 December 2026 · Material change." in facts
    assert "Effective date: 15 December 2026 · Released on 25 May 2026" in facts
    assert "Summary: Children’s clause withdrawn; clauses reordered." in facts
    # unchanged paragraphs of a changed clause read as the text does, not in italics
    same = page.locator("#personal-data p.redline-unchanged").first
    assert same.is_visible()
    assert same.evaluate("e => getComputedStyle(e).fontStyle") == "normal"
    # a clause only renumbered shows its heading, not its unchanged text again
    assert page.locator("#contact p, #contact li").count() == 0
    assert page.locator("#contact h2").inner_text() == "§14 → §13 How to contact us (renumbered)"
    # the struck and the underlined word are apart, for the eye and in the text
    tracking = page.locator("#tracking p").text_content() or ""
    assert "We [deleted: may] [inserted: do] not respond" in tracking
    heading_levels = page.evaluate(
        "() => Array.from(document.querySelectorAll('article h1, article h2, article h3'))"
        ".map(h => h.tagName)")
    assert heading_levels[0] == "H1"
    assert set(heading_levels[1:]) == {"H2"}
