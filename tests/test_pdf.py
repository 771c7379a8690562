"""The PDF of every version: real builds, the text read back with pypdf, links followed."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
import unicodedata
from collections.abc import Iterator
from html import unescape
from http.server import SimpleHTTPRequestHandler
from pathlib import Path
from urllib.parse import urljoin

import pytest
from pypdf import PdfReader

from policytools.site_pdf import print_content
from site_helpers import (
    FIRST,
    SECOND,
    SITE_URL,
    THIRD,
    TODAY,
    between,
    build,
    edit,
    plain,
    read,
    release,
    resolves,
    served,
    tags,
)

PREFIX = {"en": "", "nl": "nl/"}
PDF_WORD = {"en": "PDF", "nl": "pdf-bestand"}  # the link to a PDF says it in each language
WORDS = {  # the locales' site.yml, as a reader sees them
    "en": {"site": "Westcon privacy centre", "title": "Privacy policy", "version": "Version",
           "page": "Page {} of {}", "effective": "Effective date: {}",
           "released": "Released on {}"},
    "nl": {"site": "Westcon privacycentrum", "title": "Wereldwijd privacybeleid",
           "version": "Versie", "page": "Pagina {} van {}", "effective": "Ingangsdatum: {}",
           "released": "Gepubliceerd op {}"},
}
DATES = {  # effective and released, as each locale writes them
    ("en", FIRST): ("1 February 2026", "10 January 2026"),
    ("en", SECOND): ("1 April 2026", "5 March 2026"),
    ("nl", FIRST): ("1 februari 2026", "10 januari 2026"),
    ("nl", SECOND): ("1 april 2026", "5 maart 2026"),
}
A4 = (595.28, 841.89)  # points


def pdf_file(out: Path, locale: str, version: str) -> Path:
    return out / f"{PREFIX[locale]}privacy/{version}.pdf"


def page_texts(path: Path) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(path).pages]


def squeeze(text: str) -> str:
    """Text compared without whitespace (lines break elsewhere on paper) or ligatures."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def body_of_pdf(path: Path, locale: str, version: str) -> str:
    """The PDF's text without its running header and footer, each checked on every page."""
    words = WORDS[locale]
    pages = page_texts(path)
    kept = []
    for number, text in enumerate(pages, 1):
        for margin in (words["site"], f"{words['title']} · {words['version']} {version}",
                       words["page"].format(number, len(pages))):
            assert margin in text, f"page {number} of {path.name} lacks {margin!r}"
            head, _, tail = text.rpartition(margin)  # the margin boxes come last
            text = head + tail
        kept.append(text)
    return "\n".join(kept)


def page_tail(html: str, url: str) -> str:
    """The page's article after its heading and its version line or banner, as the PDF
    prints it: link addresses (absolute) after the links' text, no clause permalinks."""
    content = between(html, '<article class="md-content__inner md-typeset">', "</article>")
    content = re.sub(r"<h1>.*?</h1>", "", content, count=1, flags=re.S)
    content = re.sub(r'<p class="policy-meta">.*?</p>|<div class="policy-archived".*?</div>',
                     "", content, count=1, flags=re.S)
    content = re.sub(r'<a class="headerlink"[^>]*>¶</a>', "", content)
    # the form that compares two versions is for the screen (the print style hides it too)
    content = re.sub(r'<form class="policy-compare".*?</form>', "", content, flags=re.S)

    def address(match: re.Match[str]) -> str:
        href, text = unescape(match[1]), match[2]
        absolute = urljoin(SITE_URL.rstrip("/") + url, href)
        shown = unescape(text) in (absolute, absolute.removeprefix("mailto:"))
        return text if href.startswith("#") or shown else f"{text} ({absolute})"

    return plain(re.sub(r'<a href="([^"]*)"[^>]*>([^<]*)</a>', address, content))


# --- every version in every locale, linked -------------------------------------------------


@pytest.mark.parametrize("locale", ["en", "nl"])
@pytest.mark.parametrize("version", [FIRST, SECOND, THIRD])
def test_each_version_has_its_pdf_linked_from_its_page(history_site: Path, locale: str,
                                                       version: str) -> None:
    path = pdf_file(history_site, locale, version)
    assert path.read_bytes().startswith(b"%PDF-")
    url = f"/{PREFIX[locale]}privacy/{version}/"
    links = tags(read(history_site, url), "a", class_="policy-pdf")
    assert len(links) == 1
    assert links[0].attrs["type"] == "application/pdf"
    assert urljoin(url, links[0].attrs["href"]) == f"/{PREFIX[locale]}privacy/{version}.pdf"
    assert resolves(history_site, url, links[0].attrs["href"])


@pytest.mark.parametrize("locale", ["en", "nl"])
def test_the_text_in_force_and_the_updates_page_link_each_pdf_with_its_size(
        history_site: Path, locale: str) -> None:
    in_force = f"/{PREFIX[locale]}privacy/"
    html = read(history_site, in_force)
    meta = between(html, '<p class="policy-meta">', "</p>")
    (link,) = tags(meta, "a", class_="policy-pdf")
    assert resolves(history_site, in_force, link.attrs["href"])
    assert urljoin(in_force, link.attrs["href"]).endswith(f"/privacy/{SECOND}.pdf")
    size = pdf_file(history_site, locale, SECOND).stat().st_size
    assert f"{PDF_WORD[locale]}, {round(size / 1000)} kB</a>" in meta
    updates = f"/{PREFIX[locale]}updates/"
    found = {urljoin(updates, t.attrs["href"]) for t in
             tags(read(history_site, updates), "a", class_="policy-pdf")}
    assert found == {f"/{PREFIX[locale]}privacy/{v}.pdf" for v in (FIRST, SECOND, THIRD)}


# --- what a PDF holds ----------------------------------------------------------------------


@pytest.mark.parametrize("locale", ["en", "nl"])
@pytest.mark.parametrize("version", [FIRST, SECOND])  # archived, in force
def test_the_pdf_has_the_text_of_the_page(history_site: Path, locale: str,
                                          version: str) -> None:
    path = pdf_file(history_site, locale, version)
    words = WORDS[locale]
    effective, released = DATES[(locale, version)]
    head = (f"{words['title']}\n{words['version']} {version} · "
            f"{words['effective'].format(effective)} · {words['released'].format(released)}")
    url = f"/{PREFIX[locale]}privacy/{version}/"
    html = read(history_site, url)
    expected = head + page_tail(html, url)
    printed = squeeze(body_of_pdf(path, locale, version)).replace("•", "")  # list markers
    wanted = squeeze(expected).replace("•", "")
    for row in {squeeze(plain(r)) for r in re.findall(r"<thead>(.*?)</thead>", html, re.S)}:
        # a table that runs onto the next page repeats its head there
        assert printed.count(row) > wanted.count(row) > 0
        printed, wanted = printed.replace(row, ""), wanted.replace(row, "")
    assert printed == wanted
    if locale == "nl":  # the translation statement, its link's address printed
        assert "Deze vertaling is niet getoetst aan de tekst in het Engels" in expected
        assert f"({SITE_URL}privacy/{version}/)" in expected


def test_the_pdf_is_a4_with_its_title_and_the_release_date(history_site: Path) -> None:
    reader = PdfReader(pdf_file(history_site, "nl", FIRST))
    assert len(reader.pages) > 1
    for page in reader.pages:
        assert (round(float(page.mediabox.width), 2), round(float(page.mediabox.height), 2)) \
            == A4
    assert reader.metadata is not None
    assert reader.metadata.title == f"Wereldwijd privacybeleid ({FIRST})"
    assert reader.metadata.author == "Westcon privacycentrum"
    assert reader.metadata["/CreationDate"] == "D:20260110"  # the release, not the clock


@pytest.mark.parametrize(("html", "printed"), [
    ('<a class="policy-source-clause" href="https://example.org/privacy/v/#contact">read the '
     "English text</a>", "read the English text (https://example.org/privacy/v/#contact)"),
    ('<a href="https://ico.org.uk/concerns/" title="ICO">here</a>',
     "here (https://ico.org.uk/concerns/)"),
    ('<a href="https://ico.org.uk/">https://ico.org.uk/</a>', "https://ico.org.uk/"),
    ('<a href="mailto:dpo@example.com">dpo@example.com</a>', "dpo@example.com"),
    ('<a href="#contact">section 13</a>', "section 13")])
def test_a_link_prints_its_address_unless_it_shows_it(html: str, printed: str) -> None:
    assert plain(print_content(f"<p>{html}</p>")) == printed


# --- frozen, reproducible, cached -----------------------------------------------------------


def pdfs_of(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*.pdf"))}


def test_a_version_always_gives_the_same_bytes_and_is_rendered_once(
        site_history: Path, history_site: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("POLICY_PDF_CACHE", str(cache))
    first = build(site_history, tmp_path / "a", TODAY)
    assert len(pdfs_of(first)) == 6
    assert pdfs_of(first) == pdfs_of(history_site)  # rendered again here: the same bytes
    kept = {p.name: p.stat().st_mtime_ns for p in cache.glob("*.pdf")}
    assert len(kept) == 6
    again = build(site_history, tmp_path / "b", "2026-12-15")  # a later day: 3rd in force
    assert pdfs_of(again) == pdfs_of(first)  # an archived version's PDF never changes
    assert {p.name: p.stat().st_mtime_ns for p in cache.glob("*.pdf")} == kept


def test_a_new_release_renders_only_its_own_pdfs(site_history: Path, history_site: Path,
                                                 tmp_path: Path, pdf_cache: Path) -> None:
    root = Path(shutil.copytree(site_history, tmp_path / "repo"))
    before = set(pdf_cache.glob("*.pdf"))  # history_site's, in the session's cache
    release(root, "2026-06-01", "2026-12-02", {"en": "An unreleased edit, released."})
    out = build(root, tmp_path / "b", TODAY)
    assert len(set(pdf_cache.glob("*.pdf")) - before) == 1
    assert "This sentence is an unreleased edit" in "".join(
        page_texts(pdf_file(out, "en", "2026-06-01")))


def test_without_the_cache_folder_the_pdfs_are_still_published(
        site_history: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would be\n", encoding="utf-8")
    monkeypatch.setenv("POLICY_PDF_CACHE", str(blocker / "pdf"))
    out = build(site_history, tmp_path / "site", TODAY)
    assert pdf_file(out, "nl", THIRD).read_bytes().startswith(b"%PDF-")


# --- nothing fetched, nothing run -----------------------------------------------------------


class Counting(SimpleHTTPRequestHandler):
    """A local server that counts what it is asked for."""

    asked: list[str] = []  # noqa: RUF012  # shared by the handler instances of one test

    def do_GET(self) -> None:
        Counting.asked.append(self.path)
        self.send_error(404)

    def log_message(self, format: str, *args: object) -> None:
        """No access log on the test's output."""


@pytest.fixture
def hostile(site_history: Path, tmp_path: Path) -> Iterator[tuple[Path, list[str]]]:
    """A release whose English text asks for an image and style sheets from a local
    server, runs a script, and whose title holds markup and a control character."""
    from site_helpers import serving

    root = Path(shutil.copytree(site_history, tmp_path / "repo"))
    Counting.asked = []
    with serving(tmp_path, Counting) as address:
        edit(root, "en", "## 2. What is personal data? {#personal-data}\n",
             f'<img src="{address}/image.png" alt="">\n'
             f'<link rel="stylesheet" href="{address}/style.css">\n'
             f'<style>@import url("{address}/import.css"); p {{ background: '
             f'url("{address}/background.png"); }}</style>\n'
             '<script>document.write("SCRIPT RAN")</script>\n\n'
             "A paragraph with two controls: \x01 and \x0b.\n\n"
             "## 2. What is personal data? {#personal-data}\n")
        path = root / "locales/en/privacy.md"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("title: Privacy policy", "title: 'Privacy <script>"
                                     "alert(1)</script> policy'", 1), encoding="utf-8")
        release(root, "2026-06-01", "2026-12-02", {"en": "Hostile."})
        yield root, Counting.asked


def test_a_pdf_fetches_nothing_and_runs_nothing(hostile: tuple[Path, list[str]],
                                                tmp_path: Path) -> None:
    root, asked = hostile  # the server's port is in the text: the PDF is rendered here
    out = build(root, tmp_path / "site", TODAY)
    data = pdf_file(out, "en", "2026-06-01").read_bytes()
    assert asked == []
    text = "".join(page_texts(pdf_file(out, "en", "2026-06-01")))
    assert "Privacy <script>alert(1)</script> policy\nVersion 2026-06-01" in text  # as written
    # a control character would garble the text after it: each is shown as U+FFFD
    assert "A paragraph with two controls: \ufffd and \ufffd." in text
    # the script is text (site.safe writes raw HTML as text), never run: its words once only
    assert 'document.write("SCRIPT RAN")</script>' in text and text.count("SCRIPT RAN") == 1
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", text)
    assert b"/JavaScript" not in data and b"/JS " not in data


# --- failures -------------------------------------------------------------------------------


def test_a_pdf_that_cannot_be_rendered_stops_the_build_with_one_line(
        site_history: Path, tmp_path: Path, pdf_cache: Path) -> None:
    root = Path(shutil.copytree(site_history, tmp_path / "repo"))
    deep = 600  # bold nested deeper than WeasyPrint's layout recursion goes (<b> is allowed)
    edit(root, "en", "## 2. What is personal data? {#personal-data}\n",
         "<b>" * deep + "deep" + "</b>" * deep +
         "\n\n## 2. What is personal data? {#personal-data}\n")
    release(root, "2026-06-01", "2026-12-02", {"en": "Deep."})
    run = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(root / "mkdocs.yml"),
         "-d", str(tmp_path / "site")], capture_output=True, text=True,
        env={"POLICY_TODAY": TODAY, "NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin",
             "POLICY_PDF_CACHE": str(pdf_cache)}, check=False)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    errors = [line for line in run.stderr.splitlines() if line.startswith("ERROR")]
    assert len(errors) == 1, run.stderr
    assert errors[0].startswith(  # Python's own words end it ('… in comparison')
        "ERROR   -  policy: policy/archive/2026-06-01/en/privacy.md: cannot render its PDF: "
        "RecursionError: maximum recursion depth exceeded"), run.stderr


def test_pdfs_can_be_turned_off(site_history: Path, tmp_path: Path) -> None:
    root = Path(shutil.copytree(site_history, tmp_path / "repo"))
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert text.count("\n  - policy\n\n") == 1
    config.write_text(text.replace("\n  - policy\n\n", "\n  - policy:\n      pdf: false\n\n"),
                      encoding="utf-8")
    out = build(root, tmp_path / "site", TODAY)
    assert list(out.rglob("*.pdf")) == []
    assert "policy-pdf" not in read(out, "/privacy/")


# --- in a browser ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def base_url(site_history: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = Path(shutil.copytree(site_history, tmp_path_factory.mktemp("pdf-served") / "repo"))
    with served(root, root.parent / "site") as address:
        yield address


@pytest.mark.parametrize("locale", ["en", "nl"])
def test_the_pdf_link_on_the_page_serves_a_pdf(page: object, base_url: str,
                                               locale: str) -> None:
    from playwright.sync_api import Page

    assert isinstance(page, Page)
    page.goto(f"{base_url}/{PREFIX[locale]}privacy/")
    link = page.locator(".policy-meta a.policy-pdf")
    assert link.count() == 1
    href = link.get_attribute("href")
    assert href is not None
    response = page.request.get(urljoin(page.url, href))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    body = response.body()
    assert body.startswith(b"%PDF-")
    assert link.inner_text() == f"{PDF_WORD[locale]}, {round(len(body) / 1000)} kB"
    assert WORDS[locale]["title"] in "".join(
        p.extract_text() or "" for p in PdfReader(io.BytesIO(body)).pages)
