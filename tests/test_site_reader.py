"""The reader's site as search engines, readers of other languages and keyboard users meet it.

Real ``mkdocs build --strict`` runs of the richer history (second release in force, first
archived, third announced), read back from the built files.
"""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from site_helpers import (
    FIRST,
    SECOND,
    SITE_URL,
    THIRD,
    TODAY,
    build,
    html_pages,
    make_history,
    tags,
)

LOCALES = ("en", "nl")
PREFIX = {"en": "", "nl": "nl/"}
SITEMAP = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


@pytest.fixture(scope="module")
def history_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_history(tmp_path_factory.mktemp("reader") / "repo")
    return build(root, root.parent / "site", TODAY)


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
            assert listed[alternates[loc]] == alternates


def test_no_page_in_the_sitemap_is_noindex_or_canonical_elsewhere(history_site: Path) -> None:
    root = ET.parse(history_site / "sitemap.xml").getroot()
    pages = html_pages(history_site)
    for loc in root.iterfind("s:url/s:loc", SITEMAP):
        assert loc.text is not None
        html = pages["/" + loc.text.removeprefix(SITE_URL)]
        assert robots(html) == []
        assert canonical(html) == [loc.text]
