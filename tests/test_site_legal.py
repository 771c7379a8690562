"""What the published site tells a reader and a regulator, read from strict builds "on" days.

One history (``make_legal_history``): both texts released and the Dutch confirmed; an English
editorial fix that leaves one Dutch clause pending; a Dutch editorial fix; both texts announced
with a new clause, then that release superseded by a correction with the same effective date.
Built for three days: before the Dutch fix takes effect (A), after the correction was made (B),
and after the correction took effect (C). Every page is asserted in English and Dutch.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import feedparser
import pytest
from playwright.sync_api import Page

from policytools.config import load_project
from policytools.ledger import KINDS, load_ledger
from policytools.site import Site, policy_markdown, version_state
from policytools.site_strings import PLACEHOLDERS, load_strings
from site_helpers import (
    EN_ADDRESS_NEW,
    EN_ADDRESS_OLD,
    L1,
    L2,
    L3,
    L4,
    L5,
    NL_ADDRESS_NEW,
    NL_ADDRESS_OLD,
    REPO,
    SITE_URL,
    amend,
    announce,
    article,
    between,
    build,
    copy_project,
    edit,
    make_legal_history,
    plain,
    read,
    release,
    resolves,
    seed,
    served,
    tags,
    without_pdf,
)

DAY_A, DAY_B, DAY_C = "2026-04-10", "2026-06-15", "2026-12-05"
TITLES = {"en": f"Version {L4} (Material change): Effective date 1 December 2026 · "
                f"Superseded by version {L5}",
          "nl": f"Versie {L4} (Inhoudelijke wijziging): Ingangsdatum 1 december 2026 · "
                f"Vervangen door versie {L5}"}
PREFIX = {"en": "/", "nl": "/nl/"}


@pytest.fixture(scope="module")
def legal(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_legal_history(tmp_path_factory.mktemp("legal") / "repo")


@pytest.fixture(scope="module")
def day_a(legal: Path) -> Path:
    return build(legal, legal.parent / "a", DAY_A)


@pytest.fixture(scope="module")
def day_b(legal: Path) -> Path:
    return build(legal, legal.parent / "b", DAY_B)


@pytest.fixture(scope="module")
def day_c(legal: Path) -> Path:
    return build(legal, legal.parent / "c", DAY_C)


def box(html: str, cls: str) -> str:
    """The text of the first ``<div class="cls" role="note">`` of a page."""
    return without_pdf(plain(between(html, f'<div class="{cls}" role="note">', "</div>")))


def headings(html: str) -> list[str]:
    """The release anchors of an updates page, top to bottom."""
    return re.findall(r'<h2 id="v([0-9-]+)"', html)


def statuses(html: str) -> list[str]:
    return [plain(p) for p in re.findall(r'<p class="policy-status">(.*?)</p>', html, re.S)]


def feed_of(out: Path, locale: str) -> feedparser.FeedParserDict:
    data = (out / PREFIX[locale].lstrip("/") / "updates.xml").read_bytes()
    ET.fromstring(data)  # well-formed
    feed = feedparser.parse(data)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


# --- each text its own versions ---------------------------------------------------------------


@pytest.mark.parametrize(("locale", "line"), [
    ("en", f"Version {L2} · In force since 10 March 2026 · All versions and changes"),
    ("nl", f"Versie {L1} · Van kracht sinds 5 januari 2026 · Alle versies en wijzigingen")])
def test_a_page_shows_the_version_of_its_own_text(day_a: Path, locale: str, line: str) -> None:
    html = read(day_a, f"{PREFIX[locale]}privacy/")
    assert without_pdf(plain(between(html, '<p class="policy-meta">', "</p>"))) == line


def test_only_the_dutch_reader_is_told_of_the_dutch_fix(day_a: Path) -> None:
    dutch = read(day_a, "/nl/privacy/")
    assert box(dutch, "policy-notice policy-upcoming") == (
        "Dit beleid wijzigt op 20 april 2026. Redactionele wijziging. Lees de nieuwe tekst · "
        "Bekijk wat er verandert")
    hrefs = [t.attrs["href"] for t in tags(between(dutch, "policy-upcoming", "</div>"), "a")]
    assert hrefs == [f"{L3}/", f"{L3}/changes/"]
    assert "policy-upcoming" not in read(day_a, "/privacy/")


@pytest.mark.parametrize(("locale", "versions", "expected"), [
    ("en", [L2, L1], ["In force · Editorial change", "No longer in force · Material change"]),
    ("nl", [L3, L1], ["Aangekondigd, van kracht vanaf 20 april 2026 · Redactionele wijziging",
                      "Van kracht · Inhoudelijke wijziging"])])
def test_updates_and_feed_list_only_releases_that_changed_a_text_of_the_locale(
        day_a: Path, locale: str, versions: list[str], expected: list[str]) -> None:
    html = read(day_a, f"{PREFIX[locale]}updates/")
    assert headings(html) == versions
    assert statuses(html) == expected
    feed = feed_of(day_a, locale)
    base = SITE_URL + PREFIX[locale].lstrip("/")
    assert [e.id for e in feed.entries] == [f"{base}updates/#v{v}" for v in versions]
    assert [e.tags[0].term for e in feed.entries] == ["editorial", "material"]


@pytest.mark.parametrize(("locale", "line"), [
    ("en", "Effective date: 5 January 2026 · Released on 10 January 2026 · Takes effect "
           "retroactively, before the day it was released."),
    ("nl", "Ingangsdatum: 5 januari 2026 · Gepubliceerd op 10 januari 2026 · Met terugwerkende "
           "kracht: gaat in vóór de dag van publicatie.")])
def test_a_retroactive_release_says_so(day_a: Path, locale: str, line: str) -> None:
    html = read(day_a, f"{PREFIX[locale]}updates/")
    assert line in plain(between(html, f'id="v{L1}"', "</article>"))
    assert line.split(" · ")[-1] not in plain(between(html, "<h1", f'id="v{L1}"'))


@pytest.mark.parametrize(("url", "expected"), [
    (f"/privacy/{L2}/changes/",
     ["In force · Editorial change. An editorial change corrects wording or presentation only: "
      "what the policy means does not change.",
      "Effective date: 10 March 2026 · Released on 5 March 2026",
      "Summary: Postcode typo fixed."]),
    (f"/nl/privacy/{L3}/changes/",
     ["Aangekondigd, van kracht vanaf 20 april 2026 · Redactionele wijziging. Een redactionele "
      "wijziging verbetert alleen formulering of opmaak: de betekenis van het beleid verandert "
      "niet.", "Ingangsdatum: 20 april 2026 · Gepubliceerd op 2 april 2026",
      "Samenvatting: Tikfout in het adres verbeterd."])])
def test_a_redline_states_class_dates_and_summary(day_a: Path, url: str,
                                                  expected: list[str]) -> None:
    html = read(day_a, url)
    paragraphs = [plain(p) for p in re.findall(r"<p\b[^>]*>(.*?)</p>", between(
        html, '<article class="md-content__inner md-typeset">', "</article>"), re.S)]
    assert paragraphs[1:4] == expected


# --- what a translation says it is -----------------------------------------------------------


def test_a_fully_confirmed_translation_says_which_english_it_matches(day_a: Path) -> None:
    html = read(day_a, "/nl/privacy/")
    assert box(html, "policy-translation") == (
        "Deze vertaling komt overeen met de tekst in het Engels van 5 januari 2026. "
        "Bij verschillen gaat de tekst in het Engels voor.")
    link = tags(between(html, 'class="policy-translation"', "</div>"), "a")[0].attrs["href"]
    assert link == f"../../privacy/{L1}/"
    assert resolves(day_a, "/nl/privacy/", link)


def test_a_partly_confirmed_translation_links_each_pending_clause_to_the_english(
        day_b: Path) -> None:
    html = read(day_b, "/nl/privacy/")
    assert box(html, "policy-translation") == (
        "Deze vertaling komt overeen met de tekst in het Engels van 10 maart 2026, behalve in "
        "deze artikelen, waarvan de vertaling nog niet is bevestigd: 12. Contact opnemen: lees "
        "de tekst in het Engels Bij verschillen gaat de tekst in het Engels voor.")
    pending = tags(html, "a", class_="policy-source-clause")
    assert [a.attrs["href"] for a in pending] == [f"../../privacy/{L2}/#contact"]
    target = read(day_b, f"/privacy/{L2}/")
    assert tags(target, "h2", id="contact")


def test_an_unconfirmed_translation_says_so(day_b: Path) -> None:
    html = read(day_b, f"/nl/privacy/{L4}/")
    assert box(html, "policy-translation") == (
        "Deze vertaling is niet getoetst aan de tekst in het Engels van 1 december 2026: zij "
        "kan daarvan afwijken. Bij verschillen gaat de tekst in het Engels voor.")


def test_the_source_language_carries_no_translation_statement(day_b: Path) -> None:
    for url in ("/privacy/", f"/privacy/{L1}/", f"/privacy/{L5}/"):
        assert "policy-translation" not in read(day_b, url), url


def test_each_language_authentic(legal: Path, tmp_path: Path) -> None:
    root = Path(shutil.copytree(legal, tmp_path / "each"))
    declaration = root / "policy/policy.yml"
    declaration.write_text(declaration.read_text(encoding="utf-8").replace(
        "prevailing: en", "prevailing: each"), encoding="utf-8")
    project = load_project(root)
    site = Site(project, load_ledger(project), dt.date.fromisoformat(DAY_C))
    assert "Alle taalversies zijn gelijkelijk authentiek." in policy_markdown(
        site, "nl", "privacy", "")
    assert "Each language version is equally authentic." in policy_markdown(
        site, "en", "privacy", "")


# --- a superseded announcement ----------------------------------------------------------------


@pytest.mark.parametrize(("locale", "banner", "link"), [
    ("en", f"Superseded by version {L5} before it took effect: this version was never in "
           "force.", f"Read version {L5}"),
    ("nl", f"Vervangen door versie {L5} voordat deze inging: deze versie is nooit van kracht "
           "geweest.", f"Lees versie {L5}")])
def test_a_superseded_version_says_so(day_b: Path, locale: str, banner: str,
                                      link: str) -> None:
    html = read(day_b, f"{PREFIX[locale]}privacy/{L4}/")
    assert announce(html) == banner
    assert box(html, "policy-archived") == f"{banner} {link}"
    assert tags(between(html, 'class="policy-archived"', "</div>"), "a")[0].attrs["href"] == \
        f"../{L5}/"


@pytest.mark.parametrize(("locale", "banner"), [
    ("en", f"Superseded by version {L5}: in force from 1 June 2026 until it was superseded on "
           "10 June 2026."),
    ("nl", f"Vervangen door versie {L5}: van kracht van 1 juni 2026 tot de vervanging op "
           "10 juni 2026.")])
def test_a_version_superseded_in_force_says_when_it_was_in_force(legal: Path, locale: str,
                                                                 banner: str) -> None:
    project = load_project(legal)
    ledger = load_ledger(project)
    early = dt.date(2026, 6, 1)  # L4 in force before L5 replaced it
    ledger = replace(ledger, releases=tuple(replace(r, effective=early) if r.version == L4 else r
                                            for r in ledger.releases))
    site = Site(project, ledger, dt.date.fromisoformat(DAY_B))
    assert version_state(site, locale, "privacy", ledger.get(L4)) == ("superseded", banner)
    assert site.in_force(locale, "privacy") != ledger.get(L4)


@pytest.mark.parametrize(("locale", "notice", "status"), [
    ("en", "This policy changes on 1 December 2026. Material change.",
     ["Announced, takes effect 1 December 2026 · Material change",
      f"Superseded by version {L5} · Material change"]),
    ("nl", "Dit beleid wijzigt op 1 december 2026. Inhoudelijke wijziging.",
     ["Aangekondigd, van kracht vanaf 1 december 2026 · Inhoudelijke wijziging",
      f"Vervangen door versie {L5} · Inhoudelijke wijziging"])])
def test_the_correction_is_announced_instead(day_b: Path, locale: str, notice: str,
                                             status: list[str]) -> None:
    page = read(day_b, f"{PREFIX[locale]}privacy/")
    assert box(page, "policy-notice policy-upcoming").startswith(notice)
    assert tags(between(page, "policy-upcoming", "</div>"), "a")[0].attrs["href"] == f"{L5}/"
    updates = read(day_b, f"{PREFIX[locale]}updates/")
    assert headings(updates)[:2] == [L5, L4]
    assert statuses(updates)[:2] == status
    entries = feed_of(day_b, locale).entries
    assert [(e.published_parsed[:3], e.updated_parsed[:3]) for e in entries[:2]] == [
        ((2026, 6, 10), (2026, 6, 10)), ((2026, 5, 20), (2026, 6, 10))]
    assert entries[1].title == TITLES[locale]
    base = SITE_URL + PREFIX[locale].lstrip("/")
    assert [(link.rel, link.href) for link in entries[0].links] == [
        ("alternate", f"{base}privacy/{L5}/"), ("related", f"{base}privacy/{L5}.pdf"),
        ("related", f"{base}privacy/{L5}/changes/")]


@pytest.mark.parametrize(("locale", "line", "corrects"), [
    ("en", f"Version {L5} · In force since 1 December 2026", f"Corrects version {L4}."),
    ("nl", f"Versie {L5} · Van kracht sinds 1 december 2026", f"Corrigeert versie {L4}.")])
def test_the_correction_in_force(day_c: Path, locale: str, line: str, corrects: str) -> None:
    html = read(day_c, f"{PREFIX[locale]}privacy/")
    text = article(html)
    assert line in text
    assert corrects in text
    link = tags(between(html, '<p class="policy-corrects">', "</p>"), "a")[0].attrs["href"]
    assert link == f"{L4}/"
    assert resolves(day_c, f"{PREFIX[locale]}privacy/", link)


def test_the_superseded_release_never_ends_another(day_c: Path) -> None:
    assert announce(read(day_c, f"/privacy/{L2}/")) == \
        "Archived version, in force from 10 March 2026 to 1 December 2026."
    assert announce(read(day_c, f"/nl/privacy/{L3}/")) == \
        "Gearchiveerde versie, van kracht van 20 april 2026 tot 1 december 2026."
    assert box(read(day_c, "/nl/privacy/"), "policy-translation") == (
        "Deze vertaling komt overeen met de tekst in het Engels van 1 december 2026. "
        "Bij verschillen gaat de tekst in het Engels voor.")


def test_versions_json_gives_each_text_its_history(day_b: Path) -> None:
    data = json.loads((day_b / "versions.json").read_text(encoding="utf-8"))
    assert data["version"] == 2
    history = data["documents"]["privacy"]
    assert [(v["version"], v["state"], v["class"]) for v in history["en"]] == [
        (L1, "archived", "material"), (L2, "current", "editorial"),
        (L4, "superseded", "material"), (L5, "upcoming", "material")]
    assert [(v["version"], v["state"], v["until"]) for v in history["nl"]] == [
        (L1, "archived", "2026-04-20"), (L3, "current", "2026-12-01"),
        (L4, "superseded", None), (L5, "upcoming", None)]
    assert history["nl"][2]["superseded_by"] == L5
    assert [(v["source_version"], len(v["confirmed"])) for v in history["nl"]] == [
        (L1, 13), (L2, 12), (L4, 0), (L5, 14)]
    assert "confirmed" not in history["en"][0]
    assert history["nl"][3]["previous"] == L3  # the correction compares with the text in force
    for versions in history.values():
        for version in versions:
            for key in ("text", "changes"):
                if key in version:
                    assert resolves(day_b, "/", version[key]), version[key]
    assert data["in_force"] == {"en": {"privacy": L2}, "nl": {"privacy": L3}}


def test_a_correction_names_the_superseded_release_only_where_it_was_published(
        tmp_path: Path) -> None:
    """An English-only announcement superseded by a Dutch-only release: the Dutch updates page
    has no heading of the first to link to, the English version page no correction to read."""
    root = seed(copy_project(tmp_path / "repo", with_ledger=False))
    release(root, L1, "2026-02-01", {"en": "First publication.", "nl": "Eerste publicatie."})
    edit(root, "en", EN_ADDRESS_OLD, EN_ADDRESS_NEW)
    release(root, L4, "2026-12-01", {"en": "Postcode corrected."})
    edit(root, "nl", NL_ADDRESS_OLD, NL_ADDRESS_NEW)
    release(root, L5, "2026-12-01", {"nl": "Adres gecorrigeerd."})
    amend(root, L5, supersedes=L4)
    out = build(root, tmp_path / "site", DAY_B)  # strict: a link to a missing anchor fails
    assert headings(read(out, "/nl/updates/")) == [L5, L1]
    assert "Corrigeert" not in article(read(out, "/nl/updates/"))
    assert box(read(out, f"/privacy/{L4}/"), "policy-archived") == (
        f"Superseded by version {L5} before it took effect: this version was never in force. "
        "Read the current version")


# --- the site's words -------------------------------------------------------------------------


def test_every_word_the_site_uses_is_declared_and_in_dutch() -> None:
    code = "".join((REPO / "tools" / "policytools" / name).read_text(encoding="utf-8")
                   for name in ("site.py", "site_statement.py"))
    used = set(re.findall(r"\.text\(locale, [\"'](\w+)[\"']", code)) | set(KINDS)
    assert {"translation_pending", "superseded_before", "status_announced"} <= used
    assert used - set(PLACEHOLDERS) == set()
    english, dutch = load_strings(REPO, "en"), load_strings(REPO, "nl")
    new = ("material", "editorial", "status_in_force", "status_announced", "status_replaced",
           "status_superseded", "superseded_before", "superseded_after", "corrects",
           "translation_matches", "translation_pending", "translation_unconfirmed",
           "source_clause", "prevails", "equally_authentic", "retroactive", "editorial_note")
    assert [key for key in new if english[key] == dutch[key]] == []


# --- in a browser ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def base_url(legal: Path) -> Iterator[str]:
    with served(legal, legal.parent / "served", today=DAY_B) as address:
        yield address


def test_a_reader_follows_a_pending_clause_to_the_english(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/nl/privacy/")
    statement = page.locator("article .policy-translation")
    assert statement.is_visible()
    assert "nog niet is bevestigd" in statement.inner_text()
    statement.get_by_role("link", name="lees de tekst in het Engels").click()
    page.wait_for_url(f"{base_url}/privacy/{L2}/#contact")
    assert page.locator("h2#contact").is_visible()
    assert page.locator(".policy-meta").inner_text().startswith(
        f"Version {L2} · In force since 10 March 2026")
