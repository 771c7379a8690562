"""The published site: real ``mkdocs build --strict`` runs, read back as visitors and feed
readers see them.

Four builds, each once per module and each strict (a warning fails the build): the repository
as it is (by the real command line), a richer history of three releases (in force, archived,
announced) with an unreleased edit, that history in editors' preview, and a site whose Dutch
was added after its first release. A fifth shows that a warning does fail a build.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import pytest
from babel.dates import format_date
from mkdocs.exceptions import Abort

from conftest import LATER_DOCUMENTS
from policytools.config import load_project
from policytools.ledger import Ledger, load_ledger
from policytools.lock import LOCK_FILE
from policytools.parse import parse_document
from site_helpers import (
    EN_ADDRESS_NEW,
    EN_ADDRESS_OLD,
    FIRST,
    NL_ADDRESS_NEW,
    NL_ADDRESS_OLD,
    PDF_LINK,
    REPO,
    SECOND,
    SITE_URL,
    SUMMARIES,
    THIRD,
    TODAY,
    UNRELEASED,
    announce,
    article,
    between,
    build,
    copy_project,
    edit,
    html_pages,
    plain,
    read,
    release,
    resolves,
    seed,
    tags,
    without_pdf,
)

DATA = Path(__file__).resolve().parent / "data"
LOCALES = ("en", "nl")
PREFIX = {"en": "/", "nl": "/nl/"}
VERSION_LINE = {"en": "Version {version} · In force since {date}",
                "nl": "Versie {version} · Van kracht sinds {date}"}
MATERIAL = {"en": "Material change", "nl": "Inhoudelijke wijziging"}
BUILDS = ("repo_site", "history_site", "preview_site", "locale_added_site")
FULL_BUILDS = ("repo_site", "history_site")  # every page in both languages


def repo_ledger() -> Ledger:
    return load_ledger(load_project(REPO))


def repo_today() -> str:
    """The day the repository's latest release takes effect: it is then the one in force."""
    latest = repo_ledger().latest
    assert latest is not None, "the repository has no release: nothing to publish"
    return latest.effective.isoformat()


def long_date(day: str, locale: str) -> str:
    """As the site writes it: policy.yml declares the region of English, GB."""
    tag = "en_GB" if locale == "en" else locale
    return format_date(dt.date.fromisoformat(day), format="long", locale=tag)


# --- builds ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def repo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository as it stands, built by the real ``mkdocs build --strict`` command."""
    root = copy_project(tmp_path_factory.mktemp("repo") / "repo")
    out = root.parent / "site"
    env = {**os.environ, "POLICY_TODAY": repo_today(), "NO_MKDOCS_2_WARNING": "1"}
    env.pop("POLICY_PREVIEW", None)
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(root / "mkdocs.yml"),
         "-d", str(out)], env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture(scope="module")
def preview_site(site_history: Path) -> Path:
    return build(site_history, site_history.parent / "preview", TODAY, preview=True)


@pytest.fixture(scope="module")
def locale_added_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """English released alone, then Dutch added and both released; an English-only page."""
    root = seed(copy_project(tmp_path_factory.mktemp("added") / "repo", with_ledger=False))
    declared = (root / "mkdocs.yml").read_text(encoding="utf-8")
    dutch = "        - locale: nl\n          name: Nederlands\n          build: true\n"
    assert dutch in declared
    (root / "mkdocs.yml").write_text(declared.replace(dutch, ""), encoding="utf-8")
    shutil.rmtree(root / "locales" / "nl")
    release(root, FIRST, "2026-02-01", {"en": SUMMARIES[FIRST]["en"]})
    (root / "mkdocs.yml").write_text(declared, encoding="utf-8")
    shutil.copytree(REPO / "locales" / "nl", root / "locales" / "nl",
                    ignore=shutil.ignore_patterns(*(f"{d}.md" for d in LATER_DOCUMENTS)))
    seed(root)
    edit(root, "en", EN_ADDRESS_OLD, EN_ADDRESS_NEW)
    release(root, SECOND, "2026-04-01", SUMMARIES[SECOND])
    shutil.copytree(DATA / "site-locale-added" / "locales", root / "locales", dirs_exist_ok=True)
    declaration = root / "policy" / "policy.yml"
    text = declaration.read_text(encoding="utf-8")
    assert "documents:\n  - privacy\n" in text
    declaration.write_text(text.replace("  - privacy\n", "  - privacy\n  - cookies\n"),
                           encoding="utf-8")
    return build(root, root.parent / "site", TODAY)


@pytest.fixture(params=BUILDS)
def any_site(request: pytest.FixtureRequest) -> Path:
    return Path(request.getfixturevalue(request.param))


@pytest.fixture(params=FULL_BUILDS)
def full_site(request: pytest.FixtureRequest) -> Path:
    return Path(request.getfixturevalue(request.param))


def ledger_of(out: Path) -> Ledger:
    """The ledger a build was made from: every build's project sits next to it in 'repo/'."""
    return load_ledger(load_project(out.parent / "repo"))


def pages_of(out: Path) -> dict[str, str]:
    """The pages of a build that stand for a Markdown page (not the 404 of each language)."""
    return {url: html for url, html in html_pages(out).items()
            if not url.endswith("/404.html")}


# --- (a) the repository as it is -------------------------------------------------------------


def test_repository_pages_are_at_their_addresses(repo_site: Path) -> None:
    ledger = repo_ledger()
    documents = load_project(REPO).documents
    assert documents == ("privacy", "cookies")
    for url in ("/", "/nl/", "/updates/", "/nl/updates/",
                *(f"{PREFIX[loc]}{doc}/" for doc in documents for loc in LOCALES),
                *(f"{PREFIX[loc]}{doc}/{r.version}/" for doc in documents for loc in LOCALES
                  for r in ledger.history(loc, doc))):
        read(repo_site, url)
    for name in ("updates.xml", "nl/updates.xml", "versions.json", "sitemap.xml"):
        assert (repo_site / name).is_file(), name
    assert not (repo_site / "en").exists(), "the default language lives at the root only"


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("name", ["privacy", "cookies"])
def test_repository_policy_page_shows_the_released_text(repo_site: Path, locale: str,
                                                        name: str) -> None:
    latest = repo_ledger().history(locale, name)[-1]
    archived = (REPO / latest.archived(locale, name)).read_text(encoding="utf-8")
    document = parse_document(archived, name, locale, latest.archived(locale, name))
    html = read(repo_site, f"{PREFIX[locale]}{name}/")
    line = VERSION_LINE[locale].format(version=latest.version,
                                       date=long_date(latest.effective.isoformat(), locale))
    assert line in article(html)
    headings = {t.attrs["id"] for t in tags(html, "h2") if "id" in t.attrs}
    for clause in document.clauses:
        if not clause.is_preamble:
            assert clause.id in headings, f"clause {clause.id} of {latest.version} is missing"
            assert f"{clause.number}. {clause.title}" in article(html)


def test_site_strings_are_never_published(any_site: Path) -> None:
    assert not list(any_site.rglob("site.yml"))
    for path in any_site.rglob("*"):
        if path.suffix in (".html", ".json", ".xml"):
            assert "home_intro" not in path.read_text(encoding="utf-8"), path


def test_the_project_lock_is_never_published(site_history: Path, history_site: Path) -> None:
    assert (site_history / LOCK_FILE).is_file()  # the releases that made the history took it
    assert not [p for p in history_site.rglob("*") if p.name.startswith(".")]


def test_every_page_declares_absolute_hreflang_alternates(any_site: Path) -> None:
    for url, html in pages_of(any_site).items():
        links = {t.attrs["hreflang"]: t.attrs["href"] for t in tags(html, "link", rel="alternate")
                 if "hreflang" in t.attrs}
        assert links.get("x-default") == links.get("en"), url
        assert SITE_URL + url.lstrip("/") in links.values(), \
            f"{url}: its own address is no alternate"
        for lang, href in links.items():
            assert href.startswith(SITE_URL) and "/./" not in href, f"{url}: {lang} {href}"
            assert resolves(any_site, url, href), f"{url}: {lang} alternate {href} is not built"


def test_pages_of_full_builds_have_both_languages_and_x_default(full_site: Path) -> None:
    for url, html in pages_of(full_site).items():
        links = {t.attrs["hreflang"]: t.attrs["href"] for t in tags(html, "link", rel="alternate")
                 if "hreflang" in t.attrs}
        assert set(links) == {"en", "nl", "x-default"}, url
        assert links["nl"] == links["en"].replace(SITE_URL, SITE_URL + "nl/", 1), url


def test_sitemap_lists_every_page_that_is_its_own_canonical(any_site: Path) -> None:
    tree = ET.parse(any_site / "sitemap.xml")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    listed = {e.text for e in tree.getroot().iterfind("s:url/s:loc", ns)}
    listed |= {e.get("href") for e in tree.getroot().iterfind("s:url/x:link", ns)}
    own = {SITE_URL + url.lstrip("/") for url, html in pages_of(any_site).items()
           if [t.attrs["href"] for t in tags(html, "link", rel="canonical")] ==
           [SITE_URL + url.lstrip("/")]}
    assert listed == own
    assert {SITE_URL, SITE_URL + "privacy/", SITE_URL + "nl/privacy/"} <= listed


def pdfs(site: Path) -> bool:
    """Whether the build published PDFs (a preview makes none)."""
    return any(site.rglob("*.pdf"))


@pytest.mark.parametrize("locale", LOCALES)
def test_atom_feeds_have_one_entry_per_release(any_site: Path, locale: str) -> None:
    documents = load_project(any_site.parent / "repo").documents
    releases = [r for r in reversed(ledger_of(any_site).releases)
                if any(r.has(locale, d) for d in documents)]
    first = {r.version: next(d for d in documents if r.has(locale, d)) for r in releases}
    base = SITE_URL + PREFIX[locale].lstrip("/")
    data = (any_site / PREFIX[locale].lstrip("/") / "updates.xml").read_bytes()
    assert ET.fromstring(data).tag == "{http://www.w3.org/2005/Atom}feed"  # well-formed XML
    feed = feedparser.parse(data)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.feed.language == locale
    assert feed.feed.link == f"{base}updates/"
    assert [e.id for e in feed.entries] == [f"{base}updates/#v{r.version}" for r in releases]
    assert [e.link for e in feed.entries] == \
        [f"{base}{first[r.version]}/{r.version}/" for r in releases]
    assert [e.published_parsed[:3] for e in feed.entries] == \
        [r.released.timetuple()[:3] for r in releases]
    assert [e.tags[0].term for e in feed.entries] == [r.kind for r in releases]
    assert [e.summary for e in feed.entries] == [r.summary[locale] for r in releases]
    assert [[link.href for link in e.links if link.type == "application/pdf"]
            for e in feed.entries] == [[f"{base}{d}/{r.version}.pdf" for d in documents
                                        if r.has(locale, d) and pdfs(any_site)]
                                       for r in releases]
    updates = read(any_site, f"{PREFIX[locale]}updates/")
    for entry in feed.entries:
        assert f'id="{entry.id.partition("#")[2]}"' in updates, entry.id
        for link in entry.links:
            assert resolves(any_site, "/", link.href), link.href


def test_every_page_links_the_feed_of_its_language(any_site: Path) -> None:
    for url, html in pages_of(any_site).items():
        feed = tags(html, "link", rel="alternate", type="application/atom+xml")
        assert len(feed) == 1, url
        href = feed[0].attrs["href"]
        expected = "nl/updates.xml" if url.startswith("/nl/") else "updates.xml"
        assert resolves(any_site, url, href), f"{url}: {href}"
        assert (any_site / url.lstrip("/")).joinpath(href).resolve() == \
            (any_site / expected).resolve(), url


def test_versions_json_lists_releases_hashes_and_urls(any_site: Path) -> None:
    ledger = ledger_of(any_site)
    data = json.loads((any_site / "versions.json").read_text(encoding="utf-8"))
    assert [r["version"] for r in data["releases"]] == [r.version for r in ledger.releases]
    for entry, release_ in zip(data["releases"], ledger.releases, strict=True):
        assert entry["effective"] == release_.effective.isoformat()
        assert {name: f["sha256"] for name, f in entry["files"].items()} == release_.files
        assert entry["summary"] == release_.summary
        assert set(entry["urls"]) == {name.partition("/")[0] for name in release_.files}
        for locale, documents in entry["urls"].items():
            assert set(documents) == {name.partition("/")[2].removesuffix(".md")
                                      for name in release_.files if name.startswith(locale)}
            for name, urls in documents.items():
                assert urls["text"] == f"{SITE_URL}{PREFIX[locale].lstrip('/')}{name}/" \
                                       f"{release_.version}/"
                assert urls.get("pdf") == (f"{SITE_URL}{PREFIX[locale].lstrip('/')}{name}/"
                                           f"{release_.version}.pdf" if pdfs(any_site) else None)
                before = ledger.previous_text(release_, locale, name)
                assert ("changes" in urls) == (before is not None)
                for url in urls.values():
                    assert resolves(any_site, "/", url), url


# --- (b) a richer history -------------------------------------------------------------------


@pytest.mark.parametrize(("locale", "line"), [
    ("en", "Version 2026-03-05 · In force since 1 April 2026"),
    ("nl", "Versie 2026-03-05 · Van kracht sinds 1 april 2026")])
def test_the_page_in_force_shows_the_second_release(history_site: Path, locale: str,
                                                    line: str) -> None:
    text = article(read(history_site, f"{PREFIX[locale]}privacy/"))
    assert line in text
    new, old = (EN_ADDRESS_NEW, EN_ADDRESS_OLD) if locale == "en" else (NL_ADDRESS_NEW,
                                                                        NL_ADDRESS_OLD)
    assert new in text
    assert old not in text
    assert "automated-decisions" not in read(history_site, f"{PREFIX[locale]}privacy/")


@pytest.mark.parametrize(("locale", "notice", "read_new", "see_changes"), [
    ("en", "This policy changes on 1 December 2026.", "Read the new text", "See what changes"),
    ("nl", "Dit beleid wijzigt op 1 december 2026.", "Lees de nieuwe tekst",
     "Bekijk wat er verandert")])
def test_the_upcoming_release_is_announced(history_site: Path, locale: str, notice: str,
                                           read_new: str, see_changes: str) -> None:
    url = f"{PREFIX[locale]}privacy/"
    html = read(history_site, url)
    box = between(html, '<div class="policy-notice policy-upcoming" role="note">', "</div>")
    assert plain(box) == f"{notice} {MATERIAL[locale]}. {read_new} · {see_changes}"
    links = {plain(between(box, f'href="{t.attrs["href"]}">', "</a>")): t.attrs["href"]
             for t in tags(box, "a")}
    assert links == {read_new: f"{THIRD}/", see_changes: f"{THIRD}/changes/"}
    for href in links.values():
        assert resolves(history_site, url, href)


@pytest.mark.parametrize(("url", "banner", "current"), [
    (f"/privacy/{FIRST}/", "Archived version, in force from 1 February 2026 to 1 April 2026.",
     "Read the current version"),
    (f"/nl/privacy/{FIRST}/",
     "Gearchiveerde versie, van kracht van 1 februari 2026 tot 1 april 2026.",
     "Lees de huidige versie"),
    (f"/privacy/{THIRD}/", "Announced version, in force from 1 December 2026.",
     "Read the current version"),
    (f"/nl/privacy/{THIRD}/", "Aangekondigde versie, van kracht vanaf 1 december 2026.",
     "Lees de huidige versie")])
def test_versions_not_in_force_carry_a_banner(history_site: Path, url: str, banner: str,
                                              current: str) -> None:
    html = read(history_site, url)
    assert announce(html) == banner  # on top of the page…
    box = between(html, '<div class="policy-archived" role="note">', "</div>")
    assert PDF_LINK.search(plain(box))  # tests/test_pdf.py
    assert without_pdf(plain(box)) == f"{banner} {current}"  # …and in it, for deep links
    link = tags(box, "a")[0].attrs["href"]
    assert resolves(history_site, url, link)
    assert (history_site / url.lstrip("/") / link).resolve() == \
        (history_site / url.lstrip("/")).parent.resolve()


@pytest.mark.parametrize("locale", LOCALES)
def test_the_version_in_force_has_its_own_address_without_banner(history_site: Path,
                                                                locale: str) -> None:
    html = read(history_site, f"{PREFIX[locale]}privacy/{SECOND}/")
    assert announce(html) == ""
    assert 'class="policy-archived"' not in html
    assert VERSION_LINE[locale].format(version=SECOND, date=long_date("2026-04-01", locale)) \
        in article(html)


@pytest.mark.parametrize(("locale", "expected"), [
    ("en", ["Every version of our policies, newest first, with what changed.",
            f"Version {THIRD}", "Announced, takes effect 1 December 2026 · Material change",
            "Effective date: 1 December 2026 · Released on 20 May 2026",
            SUMMARIES[THIRD]["en"], f"Privacy policy {THIRD} · Changes",
            f"Version {SECOND}", "In force · Editorial change",
            "Effective date: 1 April 2026 · Released on 5 March 2026",
            SUMMARIES[SECOND]["en"], f"Privacy policy {SECOND} · Changes",
            f"Version {FIRST}", "No longer in force · Material change",
            "Effective date: 1 February 2026 · Released on 10 January 2026",
            SUMMARIES[FIRST]["en"], f"Privacy policy {FIRST} · First version"]),
    ("nl", ["Alle versies van ons beleid, nieuwste eerst, met wat er veranderde.",
            f"Versie {THIRD}", "Aangekondigd, van kracht vanaf 1 december 2026 · "
            "Inhoudelijke wijziging",
            "Ingangsdatum: 1 december 2026 · Gepubliceerd op 20 mei 2026",
            SUMMARIES[THIRD]["nl"], f"Wereldwijd privacybeleid {THIRD} · Wijzigingen",
            f"Versie {SECOND}", "Van kracht · Redactionele wijziging",
            "Ingangsdatum: 1 april 2026 · Gepubliceerd op 5 maart 2026",
            SUMMARIES[SECOND]["nl"], f"Wereldwijd privacybeleid {SECOND} · Wijzigingen",
            f"Versie {FIRST}", "Niet meer van kracht · Inhoudelijke wijziging",
            "Ingangsdatum: 1 februari 2026 · Gepubliceerd op 10 januari 2026",
            SUMMARIES[FIRST]["nl"], f"Wereldwijd privacybeleid {FIRST} · Eerste versie"])])
def test_the_updates_page_lists_releases_newest_first(history_site: Path, locale: str,
                                                      expected: list[str]) -> None:
    url = f"{PREFIX[locale]}updates/"
    listing = between(read(history_site, url), "</h1>", "</article>")
    blocks = re.findall(r"<(?:h2|p|li)\b[^>]*>(.*?)</(?:h2|p|li)>", listing, re.S)
    texts = [plain(b).removesuffix("¶") for b in blocks]
    assert len([t for t in texts if PDF_LINK.search(t)]) == 3  # one per version
    assert [without_pdf(t) for t in texts] == expected
    targets = [t.attrs["href"] for t in tags(listing, "a") if "class" not in t.attrs]
    assert targets == [f"../privacy/{THIRD}/", f"../privacy/{THIRD}/changes/",
                       f"../privacy/{SECOND}/", f"../privacy/{SECOND}/changes/",
                       f"../privacy/{FIRST}/"]
    for href in targets:
        assert resolves(history_site, url, href), href


@pytest.mark.parametrize(("locale", "deleted", "inserted"), [
    ("en", "[deleted: 1YG]", "[inserted: 1YT]"),
    ("nl", "[verwijderd: Chandler’s]", "[toegevoegd: Merchants]")])
def test_the_redline_marks_the_address_change(history_site: Path, locale: str, deleted: str,
                                              inserted: str) -> None:
    html = read(history_site, f"{PREFIX[locale]}privacy/{SECOND}/changes/")
    assert [plain(d) for d in re.findall(r"<del>(.*?)</del>", html)] == [deleted]
    assert [plain(i) for i in re.findall(r"<ins>(.*?)</ins>", html)] == [inserted]
    words = re.findall(r'<span class="sr-only">(.*?)</span>', html)
    assert words == [deleted.split(" ")[0] + " ", "]", inserted.split(" ")[0] + " ", "]"]
    assert re.search(r'<section class="redline-clause redline-changed" id="about-us">', html)


def test_the_redline_of_an_inserted_clause(history_site: Path) -> None:
    html = read(history_site, f"/privacy/{THIRD}/changes/")
    clause = between(html, 'id="automated-decisions">', "</section>")
    assert plain(clause) == ("§13 Automated decisions (added) [inserted: We make no decisions "
                             "about you based solely on automated processing.]")


def test_unreleased_edits_are_not_published(site_history: Path, history_site: Path) -> None:
    assert UNRELEASED in (site_history / "locales/en/privacy.md").read_text(encoding="utf-8")
    for path in history_site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".xml"):
            assert UNRELEASED not in path.read_text(encoding="utf-8"), path
    assert "DRAFT" not in (history_site / "privacy/index.html").read_text(encoding="utf-8")


def test_preview_shows_the_working_text_marked_draft(preview_site: Path) -> None:
    assert UNRELEASED in article(read(preview_site, "/privacy/"))
    draft = {"en": "DRAFT: unreleased text, not in force. Editors' preview only.",
             "nl": "CONCEPT (DRAFT): niet-gepubliceerde tekst, niet van kracht. "
                   "Alleen voor redacteuren."}
    for url, html in pages_of(preview_site).items():
        locale = "nl" if url.startswith("/nl/") else "en"
        assert announce(html) == draft[locale], url
        assert draft[locale] in article(html), url


def test_strict_builds_fail_on_a_warning(site_history: Path, tmp_path: Path,
                                         caplog: pytest.LogCaptureFixture) -> None:
    """The control for every build above: a link to no clause is a warning, and fatal."""
    root = Path(shutil.copytree(site_history, tmp_path / "repo"))
    edit(root, "en", f"{UNRELEASED}\n", f"{UNRELEASED} See [the rules](#no-such-clause).\n")
    with pytest.raises(Abort, match="Aborted with 1 warnings in strict mode!"):
        build(root, tmp_path / "site", TODAY, preview=True)
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert len(warnings) == 1
    assert "'#no-such-clause'" in warnings[0]


def test_language_switcher_never_leads_to_a_missing_page(any_site: Path) -> None:
    for url, html in html_pages(any_site).items():
        links = tags(html, "a", class_="md-select__link")
        assert {t.attrs["hreflang"] for t in links} == set(LOCALES), url
        for link in links:
            assert resolves(any_site, url, link.attrs["href"]), \
                f"{url}: the {link.attrs['hreflang']} switch leads to {link.attrs['href']}"


@pytest.mark.parametrize(("url", "languages"), [
    (f"/privacy/{FIRST}/", {"en", "x-default"}),
    (f"/privacy/{SECOND}/changes/", {"en", "x-default"}),
    (f"/privacy/{SECOND}/", {"en", "nl", "x-default"}),
    ("/cookies/", {"en", "x-default"})])
def test_pages_in_one_language_have_no_alternates_in_the_other(
        locale_added_site: Path, url: str, languages: set[str]) -> None:
    html = read(locale_added_site, url)
    links = {t.attrs["hreflang"] for t in tags(html, "link", rel="alternate")
             if "hreflang" in t.attrs}
    assert links == languages
    dutch = [t.attrs["href"] for t in tags(html, "a", class_="md-select__link", hreflang="nl")]
    if "nl" not in languages:
        assert dutch == ["/nl/"]  # the Dutch home, not a missing page
        assert not (locale_added_site / "nl" / url.lstrip("/")).exists()


def test_a_locale_added_later_has_no_redline_before_its_first_release(
        locale_added_site: Path) -> None:
    data = json.loads((locale_added_site / "versions.json").read_text(encoding="utf-8"))
    first, second = data["releases"]
    assert set(first["urls"]) == {"en"}
    assert set(second["urls"]["nl"]["privacy"]) == {"text", "pdf"}
    assert set(second["urls"]["en"]["privacy"]) == {"text", "pdf", "changes"}
    updates = article(read(locale_added_site, "/nl/updates/"))
    assert f"Wereldwijd privacybeleid {SECOND} · Eerste versie" in updates
    assert FIRST not in updates


# --- (c) offline, (d) print ----------------------------------------------------------------

RESOURCE = re.compile(r"""(?:@import\s+(?:url\()?|url\()\s*['"]?(https?://[^'")\s]+)""")


def test_the_site_needs_no_other_server(any_site: Path) -> None:
    outside = []
    for url, html in html_pages(any_site).items():
        for name, attr in (("link", "href"), ("script", "src"), ("img", "src"),
                           ("iframe", "src"), ("source", "src")):
            for tag in tags(html, name):
                href = tag.attrs.get(attr, "")
                if re.match(r"(?i)https?:", href) and not href.startswith(SITE_URL):
                    outside.append((url, name, href))
        outside += [(url, "style", u) for u in RESOURCE.findall(html)]
    for css in any_site.rglob("*.css"):
        outside += [(css.name, "css", u) for u in RESOURCE.findall(css.read_text("utf-8"))]
    assert outside == []


def print_rules(css: str) -> str:
    """The body of the stylesheet's ``@media print`` block."""
    start = css.index("{", css.index("@media print")) + 1
    depth, at = 1, start
    while depth:
        depth += {"{": 1, "}": -1}.get(css[at], 0)
        at += 1
    return css[start:at - 1]


def test_print_stylesheet_hides_the_site_chrome(repo_site: Path) -> None:
    html = read(repo_site, "/privacy/")
    sheets = [t.attrs["href"] for t in tags(html, "link", rel="stylesheet")]
    assert "../assets/policy.css" in sheets
    rules = print_rules((repo_site / "assets/policy.css").read_text(encoding="utf-8"))
    hidden = re.search(r"([^{}]*)\{\s*display:\s*none\s*!important;?\s*\}", rules)
    assert hidden is not None
    selectors = {s.strip() for s in hidden[1].split(",")}
    assert {".md-header", ".md-tabs", ".md-sidebar", ".md-footer"} <= selectors
    assert re.search(r"\.policy-meta\s*\{[^}]*display:\s*block", rules)


def test_serve_reloads_on_policy_and_theme_changes(seeds_root: Path) -> None:
    """`mkdocs serve` watches docs_dir (locales/) itself; policy/ and site_overrides/ too."""
    from mkdocs.config import load_config

    config = load_config(str(seeds_root / "mkdocs.yml"))
    config.plugins.on_config(config)
    watched = {Path(p).resolve() for p in config.watch}
    assert Path(config.docs_dir).resolve() == seeds_root / "locales"
    assert {seeds_root / "policy", seeds_root / "site_overrides"} <= watched
