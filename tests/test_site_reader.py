"""The reader's site as search engines, readers of other languages and keyboard users meet it.

Real ``mkdocs build --strict`` runs of the richer history (second release in force, first
archived, third announced), read back from the built files.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin
from urllib.request import urlopen
from xml.etree import ElementTree as ET

import pytest
from playwright.sync_api import Page
from ruamel.yaml import YAML

from browser_helpers import shot
from policytools.model import Clause
from policytools.parse import parse_document
from site_helpers import (
    FIRST,
    REPO,
    SECOND,
    SITE_URL,
    THIRD,
    TODAY,
    article,
    between,
    build,
    html_pages,
    make_history,
    plain,
    resolves,
    served,
    serving,
    tags,
)

LOCALES = ("en", "nl")
PREFIX = {"en": "", "nl": "nl/"}
ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


def robots(html: str) -> list[str]:
    return [t.attrs.get("content", "") for t in tags(html, "meta")
            if t.attrs.get("name") == "robots"]


def canonical(html: str) -> list[str]:
    return [t.attrs.get("href", "") for t in tags(html, "link", rel="canonical")]


# --- search engines --------------------------------------------------------------------------


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("path", [f"privacy/{FIRST}/", f"privacy/{THIRD}/",
                                  f"privacy/{SECOND}/changes/", f"privacy/{THIRD}/changes/"])
def test_archived_announced_and_redline_pages_are_noindex_with_the_text_in_force_canonical(
        history_site: Path, locale: str, path: str) -> None:
    html = html_pages(history_site)["/" + PREFIX[locale] + path]
    assert robots(html) == ["noindex"]
    assert canonical(html) == [f"{SITE_URL}{PREFIX[locale]}privacy/"]


@pytest.mark.parametrize("locale", LOCALES)
def test_the_version_in_force_is_indexable_but_names_the_policy_page_canonical(
        history_site: Path, locale: str) -> None:
    html = html_pages(history_site)[f"/{PREFIX[locale]}privacy/{SECOND}/"]
    assert robots(html) == []
    assert canonical(html) == [f"{SITE_URL}{PREFIX[locale]}privacy/"]


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("path", ["", "privacy/", "updates/"])
def test_current_pages_are_indexable_and_their_own_canonical(
        history_site: Path, locale: str, path: str) -> None:
    html = html_pages(history_site)[f"/{PREFIX[locale]}{path}"]
    assert robots(html) == []
    assert canonical(html) == [f"{SITE_URL}{PREFIX[locale]}{path}"]


def test_sitemap_lists_current_pages_with_their_alternates(history_site: Path) -> None:
    root = ET.parse(history_site / "sitemap.xml").getroot()
    listed = {}
    for url in root.iterfind("s:url", SITEMAP):
        loc = url.findtext("s:loc", namespaces=SITEMAP)
        assert loc is not None
        listed[loc] = {link.get("hreflang"): link.get("href")
                       for link in url.iterfind("x:link[@rel='alternate']", SITEMAP)}
    paths = ("", "privacy/", "updates/")
    assert set(listed) == {f"{SITE_URL}{PREFIX[loc]}{p}" for loc in LOCALES for p in paths}
    for path in paths:
        alternates = {loc: f"{SITE_URL}{PREFIX[loc]}{path}" for loc in LOCALES}
        for loc in LOCALES:
            assert listed[alternates[loc]] == {**alternates, "x-default": alternates["en"]}


def test_no_page_in_the_sitemap_is_noindex_or_canonical_elsewhere(history_site: Path) -> None:
    root = ET.parse(history_site / "sitemap.xml").getroot()
    pages = html_pages(history_site)
    for loc in root.iterfind("s:url/s:loc", SITEMAP):
        assert loc.text is not None
        html = pages["/" + loc.text.removeprefix(SITE_URL)]
        assert robots(html) == []
        assert canonical(html) == [loc.text]


# --- every word in the reader's language -----------------------------------------------------

ATTRIBUTES = ("title", "aria-label", "alt", "placeholder", "content", "value", "label")


def english_words() -> set[str]:
    """Every literal piece of the English site strings (placeholders cut out), the site's
    name and the permalink's title included."""
    data = YAML(typ="safe").load((REPO / "locales" / "en" / "site.yml").read_text("utf-8"))
    values = [v for k, v in data.items() if k != "status"] + list(data["status"].values())
    pieces = {p.strip(" :.") for v in values for p in re.split(r"\{[a-z_]+\}", v)}
    return {p for p in pieces if len(p) >= 3}


class _Visible(HTMLParser):
    """The text a reader sees or hears: text outside script and style, and attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self.hidden += 1
        self.parts += [v for k, v in attrs if k in ATTRIBUTES and v]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def visible(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def dutch_clauses(site_history: Path) -> list[Clause]:
    """Every clause of every Dutch text the history archived."""
    return [c for path in sorted((site_history / "policy" / "archive").glob("*/nl/privacy.md"))
            for c in parse_document(path.read_text("utf-8"), "privacy", "nl", path.name).clauses]


def without(text: str, phrases: set[str]) -> str:
    for phrase in sorted(phrases, key=len, reverse=True):
        text = text.replace(phrase, " ")
    return text


def test_no_dutch_page_or_feed_holds_an_english_site_string(site_history: Path,
                                                             history_site: Path) -> None:
    words = english_words()
    assert {"Westcon privacy centre", "Link to this clause", "Updates", "Last updated"} <= words
    # the Dutch policy's own headings may borrow a word ("Updates in onze … verklaring")
    titles = {c.title for c in dutch_clauses(site_history)}
    texts = {url: without(visible(html), titles) for url, html in html_pages(history_site).items()
             if url.startswith("/nl/")}
    assert "/nl/privacy/" in texts and "/nl/404.html" in texts
    root = ET.parse(history_site / "nl" / "updates.xml").getroot()
    texts["/nl/updates.xml"] = " ".join(root.itertext()) + " ".join(
        v for e in root.iter() for k, v in e.attrib.items() if k in ("title", "label"))
    found = [(url, word) for url, text in texts.items() for word in sorted(words)
             if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text)]
    assert found == []


@pytest.mark.parametrize(("locale", "name", "permalink"), [
    ("en", "Westcon privacy centre", "Link to this clause"),
    ("nl", "Westcon privacycentrum", "Link naar dit artikel")])
def test_site_name_and_permalink_title_are_in_the_pages_language(
        history_site: Path, locale: str, name: str, permalink: str) -> None:
    html = html_pages(history_site)[f"/{PREFIX[locale]}privacy/"]
    assert re.search(rf"<title>[^<]* - {name}</title>", html)
    assert [t.attrs["aria-label"] for t in tags(html, "a", class_="md-logo")] == [name, name]
    assert plain(between(html, '<span class="md-ellipsis">', "</span>")) == name
    links = tags(html, "a", class_="headerlink")
    assert links and {t.attrs["title"] for t in links} == {permalink}
    feed = ET.parse(history_site / PREFIX[locale] / "updates.xml").getroot()
    assert feed.findtext(f"{{{ATOM}}}author/{{{ATOM}}}name") == name


def test_the_updates_page_and_a_redline_have_different_dutch_words(history_site: Path) -> None:
    html = html_pages(history_site)["/nl/updates/"]
    assert plain(between(between(html, "<h1", "</h1>"), ">", "<")) == "Versiegeschiedenis"
    assert plain(between(html, "<title>", "</title>")).startswith("Versiegeschiedenis - ")
    redlines = [t for t in tags(html, "a") if t.attrs.get("href", "").endswith("/changes/")]
    assert redlines
    assert article(html).count("· Wijzigingen") == len(redlines)
    assert article(html).count("Wijzigingen") == len(redlines)


@pytest.mark.parametrize("locale", LOCALES)
def test_the_switcher_marks_the_current_language(history_site: Path, locale: str) -> None:
    html = html_pages(history_site)[f"/{PREFIX[locale]}privacy/"]
    links = tags(html, "a", class_="md-select__link")
    assert {t.attrs["hreflang"]: t.attrs.get("aria-current") for t in links} == \
        {lang: ("true" if lang == locale else None) for lang in LOCALES}
    assert all(t.attrs["lang"] == t.attrs["hreflang"] for t in links)


@pytest.mark.parametrize(("locale", "text"), [
    ("en", f"Version {SECOND} · In force since 1 April 2026"),
    ("nl", f"Versie {SECOND} · Van kracht sinds 1 april 2026")])
def test_dates_are_written_as_the_locales_region_writes_them(
        history_site: Path, locale: str, text: str) -> None:
    assert text in article(html_pages(history_site)[f"/{PREFIX[locale]}privacy/"])


def test_a_region_declared_in_policy_yml_sets_the_date_format(tmp_path: Path) -> None:
    root = make_history(tmp_path / "repo")
    declaration = root / "policy" / "policy.yml"
    text = declaration.read_text(encoding="utf-8")
    assert "regions:\n  en: GB\n" in text
    declaration.write_text(text.replace("regions:\n  en: GB\n", "regions:\n  en: US\n"),
                           encoding="utf-8")
    out = build(root, tmp_path / "site", TODAY)
    assert f"Version {SECOND} · In force since April 1, 2026" in \
        article(html_pages(out)["/privacy/"])


# --- keyboard: the skip link -----------------------------------------------------------------


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = make_history(tmp_path_factory.mktemp("reader-served") / "repo")
    with served(root, root.parent / "site") as address:
        yield address


@pytest.mark.parametrize(("url", "stops"), [
    ("/privacy/", ["Read the new text"]),  # the notice of the announced version
    (f"/nl/privacy/{FIRST}/", ["Lees de huidige versie"]),  # the archived version's notice
    (f"/privacy/{SECOND}/changes/", [f"Version {FIRST}"])])  # the intro: a title has no ¶
def test_the_skip_link_lands_before_the_notices_and_the_version_line(
        page: Page, base_url: str, url: str, stops: list[str]) -> None:
    page.goto(f"{base_url}{url}")
    page.keyboard.press("Tab")
    skip = page.locator("a.md-skip")
    assert skip.evaluate("e => e === document.activeElement")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{url}#__content")
    for stop in stops:
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent.trim()") == stop
    title = page.locator("article h1").bounding_box()
    target = page.locator("#__content").bounding_box()
    assert title is not None and target is not None and target["y"] <= title["y"]
    shot(page, f"reader-skip-{url.strip('/').replace('/', '-')}")


# --- favicon and footer ----------------------------------------------------------------------


def test_favicon_ico_is_served_at_the_root_and_linked_by_every_page(history_site: Path) -> None:
    with serving(history_site) as address, urlopen(f"{address}/favicon.ico") as response:
        assert response.status == 200
        icon = response.read()
    count = struct.unpack("<HHH", icon[:6])
    assert count[:2] == (0, 1) and count[2] >= 1  # an icon resource, at least one image
    for url, html in html_pages(history_site).items():
        hrefs = [t.attrs["href"] for t in tags(html, "link", rel="icon")]
        assert len(hrefs) == 1, url
        assert urljoin(SITE_URL + url.lstrip("/"), hrefs[0]) == f"{SITE_URL}favicon.ico", url


@pytest.mark.parametrize(("locale", "words"), [
    ("en", ("All versions and changes", "Updates feed (Atom)", "Last updated 20 May 2026")),
    ("nl", ("Alle versies en wijzigingen", "Feed met nieuwe versies (Atom)",
            "Laatst bijgewerkt op 20 mei 2026"))])
def test_every_page_has_the_footer_in_its_language(history_site: Path, locale: str,
                                                   words: tuple[str, str, str]) -> None:
    pages = {url: html for url, html in html_pages(history_site).items()
             if url.startswith("/nl/") == (locale == "nl")}
    assert f"/{PREFIX[locale]}404.html" in pages and f"/{PREFIX[locale]}privacy/" in pages
    for url, html in pages.items():
        footer = between(html, '<p class="policy-footer">', "</p>")
        assert plain(footer) == " · ".join(words), url
        hrefs = [t.attrs["href"] for t in tags(footer, "a")]
        assert hrefs == [f"/{PREFIX[locale]}updates/", f"/{PREFIX[locale]}updates.xml"], url
        assert all(resolves(history_site, url, href) for href in hrefs), url
