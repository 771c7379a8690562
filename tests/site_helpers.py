"""Shared by the site and browser tests: project copies, release histories, real builds.

Every build goes into a temporary folder, never into the repository; the project files are
copied next to it so the plugin reads the copy's ``policy/`` and ``locales/``.
"""

from __future__ import annotations

import io
import re
import shutil
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from html import unescape
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from ruamel.yaml import YAML

from conftest import LATER_DOCUMENTS, dated, seed_declaration
from policytools.cli import main
from policytools.config import load_project
from policytools.ledger import load_ledger
from policytools.parse import parse_document

REPO = Path(__file__).resolve().parents[1]
SITE_FILES = ("mkdocs.yml", "locales", "site_overrides")
SITE_URL = "https://privacy.example.com/"

# The richer history: built for a day on which the second release is in force and the
# third is announced.
TODAY = "2026-06-01"
FIRST, SECOND, THIRD = "2026-01-10", "2026-03-05", "2026-05-20"
EN_ADDRESS_OLD = "Cirencester, Gloucestershire GL7 1YG, United Kingdom"
EN_ADDRESS_NEW = "Cirencester, Gloucestershire GL7 1YT, United Kingdom"
NL_ADDRESS_OLD = "Ons kantoor is gevestigd te Chandler’s House Wilkinson Road"
NL_ADDRESS_NEW = "Ons kantoor is gevestigd te Merchants House Wilkinson Road"
EN_NEW_CLAUSE = ("## 13. Automated decisions {#automated-decisions}\n\n"
                 "We make no decisions about you based solely on automated processing.\n\n"
                 "## 14. How to contact us {#contact}")
NL_NEW_CLAUSE = ("## 12. Geautomatiseerde besluiten {#automated-decisions}\n\n"
                 "Wij nemen geen besluiten over u die uitsluitend op geautomatiseerde "
                 "verwerking berusten.\n\n## 13. Contact opnemen {#contact}")
UNRELEASED = "This sentence is an unreleased edit made after the last release."
SUMMARIES = {
    FIRST: {"en": "First publication.", "nl": "Eerste publicatie."},
    SECOND: {"en": "Corrected postcode of our registered office.",
             "nl": "Adres van ons kantoor gecorrigeerd."},
    THIRD: {"en": "New clause on automated decisions.",
            "nl": "Nieuw artikel over geautomatiseerde besluiten."},
}


def copy_project(root: Path, with_ledger: bool = True) -> Path:
    """The repository's site sources in ``root``: as they are, ledger and archive included;
    else the seeds alone (``conftest.copy_seeds``), nothing released."""
    skip = () if with_ledger else tuple(f"{name}.md" for name in LATER_DOCUMENTS)
    for name in SITE_FILES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, root / name, ignore=shutil.ignore_patterns(*skip))
        else:
            root.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, root / name)
    if with_ledger:
        shutil.copytree(REPO / "policy", root / "policy")
    else:
        seed_declaration(root / "policy" / "policy.yml")
        shutil.copy2(REPO / "policy" / "baseline.yml", root / "policy" / "baseline.yml")
    return root


def set_site_url(root: Path, url: str) -> None:
    """Build the copy in ``root`` for another address than the real site's."""
    path = root / "mkdocs.yml"
    text = path.read_text(encoding="utf-8")
    assert f"site_url: {SITE_URL}\n" in text
    path.write_text(text.replace(f"site_url: {SITE_URL}\n", f"site_url: {url}\n"),
                    encoding="utf-8")


def edit(root: Path, locale: str, old: str, new: str) -> None:
    """Replace the one occurrence of ``old`` in the working text of ``locale``."""
    path = root / "locales" / locale / "privacy.md"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8", newline="\n")


def release(root: Path, version: str, effective: str, summaries: Mapping[str, str],
            kind: str = "editorial", *extra: str) -> None:
    """``policy release`` through the real CLI, released on the day the version names
    (editorial unless told: the notice a material change needs is test_release's)."""
    err = io.StringIO()
    given = [arg for locale, text in summaries.items() for arg in ("--summary", f"{locale}={text}")]
    code = main(["release", version, f"--{kind}", "--effective", effective, *dated(version), *given,
                 "--allow-drift", "seed drift", *extra, "--root", str(root)], out=io.StringIO(),
                err=err)
    assert code == 0, err.getvalue()


def seed(root: Path) -> Path:
    """The seeds as the repository first released them (archived, so they never change)."""
    first = load_ledger(load_project(REPO)).releases[0]
    for name in first.files:
        locale, _, document = name.partition("/")
        shutil.copy2(REPO / first.archived(locale, document.removesuffix(".md")),
                     root / "locales" / name)
    return root


def make_history(root: Path) -> Path:
    """Three releases of the seeds (in force, archived, upcoming) and an unreleased edit."""
    seed(copy_project(root, with_ledger=False))
    release(root, FIRST, "2026-02-01", SUMMARIES[FIRST], "material")
    edit(root, "en", EN_ADDRESS_OLD, EN_ADDRESS_NEW)
    edit(root, "nl", NL_ADDRESS_OLD, NL_ADDRESS_NEW)
    release(root, SECOND, "2026-04-01", SUMMARIES[SECOND])
    edit(root, "en", "## 13. How to contact us {#contact}", EN_NEW_CLAUSE)
    edit(root, "nl", "## 12. Contact opnemen {#contact}", NL_NEW_CLAUSE)
    release(root, THIRD, "2026-12-01", SUMMARIES[THIRD], "material")
    edit(root, "en", "## 2. What is personal data? {#personal-data}\n",
         f"## 2. What is personal data? {{#personal-data}}\n\n{UNRELEASED}\n")
    return root


# The compare history: make_history and a fourth release, so that two versions apart differ
# in every way a redline shows.
FOURTH = "2026-05-25"
EN_TRACKING_OLD = "We may not respond to web browser “do not track” signals."
EN_TRACKING_NEW = "We do not respond to web browser “do not track” signals."
_NUMBERED = re.compile(r"^## \d+\. ", re.MULTILINE)


def clause_block(text: str, cid: str) -> str:
    """The heading and body of clause ``cid``, up to the next level-2 heading."""
    match = re.search(rf"^## [^\n]*\{{#{cid}\}}\n.*?(?=^## |\Z)", text, re.MULTILINE | re.DOTALL)
    assert match is not None, cid
    return match.group(0)


def make_compare_history(root: Path) -> Path:
    """``make_history``, then a fourth English release (announced after the third): the
    unreleased edit, §9 children removed, §12 updates moved before §2, a word of §5 changed,
    every clause numbered again."""
    make_history(root)
    path = root / "locales" / "en" / "privacy.md"
    text = path.read_text(encoding="utf-8").replace(clause_block(path.read_text(
        encoding="utf-8"), "children"), "")
    updates = clause_block(text, "updates")
    text = text.replace(updates, "")
    target = clause_block(text, "personal-data")
    text = text.replace(target, updates + target)
    assert text.count(EN_TRACKING_OLD) == 1
    text = text.replace(EN_TRACKING_OLD, EN_TRACKING_NEW)
    numbers = iter(range(1, 100))
    path.write_text(_NUMBERED.sub(lambda _: f"## {next(numbers)}. ", text), encoding="utf-8",
                    newline="\n")
    release(root, FOURTH, "2026-12-15", {"en": "Children’s clause withdrawn; clauses reordered."},
            "material")
    return root


# --- ledger fields the release command does not write yet -----------------------------------
# Until `policy release --editorial/--supersedes` and the confirmed snapshot land, the legal
# history sets these fields on the entry `policy release` wrote; switch to the flags here.


def amend(root: Path, version: str, **fields: Any) -> None:
    """Set ``fields`` on an entry: the ``confirmed:`` snapshots a history needs, without a
    translator confirming the seeds' drifted Dutch clause by clause."""
    path = root / "policy" / "releases.yml"
    yaml = YAML()
    yaml.preserve_quotes, yaml.width = True, 4096
    data = yaml.load(path.read_text(encoding="utf-8"))
    entry = next(e for e in data["releases"] if e["version"] == version)
    for key, value in fields.items():
        entry[key] = value
    with path.open("w", encoding="utf-8") as stream:
        yaml.dump(data, stream)


def source_clauses(root: Path, version: str) -> list[str]:
    """The clause ids of the English text a release archived."""
    name = f"policy/archive/{version}/en/privacy.md"
    text = (root / name).read_text(encoding="utf-8")
    return [c.id for c in parse_document(text, "privacy", "en", name).clauses]


# The legal history: each text with its own versions, an editorial change in each language,
# partial and full confirmations, and an announced release superseded by a correction.
L1, L2, L3, L4, L5 = "2026-01-10", "2026-03-05", "2026-04-02", "2026-05-20", "2026-06-10"
EN_CORRECTED = "solely on automated processing, profiling included."
NL_CORRECTED = "uitsluitend op geautomatiseerde verwerking berusten, profilering inbegrepen."


def make_legal_history(root: Path) -> Path:
    """Five releases: both texts (retroactive, confirmed), an English editorial fix (Dutch
    confirmed but for one clause), a Dutch editorial fix, both texts announced, corrected."""
    seed(copy_project(root, with_ledger=False))
    release(root, L1, "2026-01-05", {"en": "First publication.", "nl": "Eerste publicatie."},
            "material", "--retroactive", "applied since the merger")
    amend(root, L1, confirmed={"nl/privacy.md": source_clauses(root, L1)})
    edit(root, "en", EN_ADDRESS_OLD, EN_ADDRESS_NEW)
    release(root, L2, "2026-03-10", {"en": "Postcode typo fixed."})
    pending = [c for c in source_clauses(root, L2) if c != "contact"]
    amend(root, L2, confirmed={"nl/privacy.md": pending})
    edit(root, "nl", NL_ADDRESS_OLD, NL_ADDRESS_NEW)
    release(root, L3, "2026-04-20", {"nl": "Tikfout in het adres verbeterd."})
    amend(root, L3, confirmed={"nl/privacy.md": pending})
    edit(root, "en", "## 13. How to contact us {#contact}", EN_NEW_CLAUSE)
    edit(root, "nl", "## 12. Contact opnemen {#contact}", NL_NEW_CLAUSE)
    release(root, L4, "2026-12-01", {"en": "New clause on automated decisions.",
                                     "nl": "Nieuw artikel over geautomatiseerde besluiten."},
            "material")
    amend(root, L4, confirmed={"nl/privacy.md": []})
    edit(root, "en", "solely on automated processing.", EN_CORRECTED)
    edit(root, "nl", "uitsluitend op geautomatiseerde verwerking berusten.", NL_CORRECTED)
    release(root, L5, "2026-12-01", {"en": "The new clause covers profiling too.",
                                     "nl": "Het nieuwe artikel geldt ook voor profilering."},
            "material", "--supersedes", L4)
    amend(root, L5, confirmed={"nl/privacy.md": source_clauses(root, L5)})
    return root


def build(root: Path, out: Path, today: str, preview: bool = False) -> Path:
    """``mkdocs build --strict`` of ``root`` into ``out``, in-process, for the day ``today``."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv("POLICY_TODAY", today)
        if preview:
            env.setenv("POLICY_PREVIEW", "1")
        else:
            env.delenv("POLICY_PREVIEW", raising=False)
        env.setenv("NO_MKDOCS_2_WARNING", "1")
        env.setenv("SOURCE_DATE_EPOCH", "1767225600")  # reproducible sitemap dates
        cfg = load_config(str(root / "mkdocs.yml"), site_dir=str(out), strict=True)
        mkdocs_build(cfg)  # strict: any warning aborts the build
    return out


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Keep the test output free of one access-log line per request."""


@contextmanager
def serving(directory: Path, handler: type[SimpleHTTPRequestHandler] = QuietHandler
            ) -> Iterator[str]:
    """``directory`` served on a localhost port: yields its address ('http://127.0.0.1:N')."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@contextmanager
def served(root: Path, out: Path, handler: type[SimpleHTTPRequestHandler] = QuietHandler,
           today: str = TODAY) -> Iterator[str]:
    """The project in ``root`` built into ``out`` for a localhost port and served there.

    It is built for the address it is served at, as the real site is: absolute links
    (hreflang, canonical) then lead where a reader's browser would follow them.
    """
    out.mkdir()
    with serving(out, handler) as address:
        set_site_url(root, f"{address}/")
        build(root, out, today)
        yield address


# --- reading the output --------------------------------------------------------------------


@dataclass(frozen=True)
class Tag:
    name: str
    attrs: dict[str, str]


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[Tag] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(Tag(tag, {k: v or "" for k, v in attrs}))


def tags(html: str, name: str, **match: str) -> list[Tag]:
    """Start tags called ``name`` whose attributes include ``match`` (class_ for class)."""
    parser = _Tags()
    parser.feed(html)
    wanted = {k.rstrip("_"): v for k, v in match.items()}
    return [t for t in parser.tags if t.name == name and
            all(v in t.attrs.get(k, "").split() if k == "class" else t.attrs.get(k) == v
                for k, v in wanted.items())]


def read(out: Path, url: str) -> str:
    """The HTML served at a site path such as '/nl/privacy/'."""
    rel = url.lstrip("/")
    path = out / rel if rel.endswith(".html") else out / rel / "index.html"
    assert path.is_file(), f"{url} was not built ({path} is missing)"
    return path.read_text(encoding="utf-8")


def html_pages(out: Path) -> dict[str, str]:
    """Every HTML page of a build, by its site path ('/nl/privacy/')."""
    pages = {}
    for path in sorted(out.rglob("*.html")):
        rel = path.relative_to(out).as_posix()
        url = "/" + (rel.removesuffix("index.html") if rel.endswith("index.html") else rel)
        pages[url] = path.read_text(encoding="utf-8")
    return pages


def resolves(out: Path, page_url: str, href: str) -> bool:
    """Whether a link on ``page_url`` leads to a file of the build (a local one, at least)."""
    target = urlsplit(urljoin(SITE_URL.rstrip("/") + page_url, href))
    if f"{target.scheme}://{target.netloc}/" != SITE_URL:
        return False
    path = out / target.path.lstrip("/")
    return (path / "index.html").is_file() if target.path.endswith("/") else path.is_file()


BLOCK_TAG = re.compile(r"</?(?:p|h[1-6]|li|ul|ol|div|section|article|aside|header|footer|nav|"
                       r"table|tr|td|th|br)\b[^>]*>")


def plain(html: str) -> str:
    """The text of an HTML fragment as a reader sees it: no tags, entities decoded."""
    spaced = BLOCK_TAG.sub(" ", html)
    return " ".join(unescape(re.sub(r"<[^>]+>", "", spaced)).split())


# beside each effective date, in the words of locales/<locale>/site.yml: tests/test_pdf.py
PDF_LINK = re.compile(r" · (?:PDF|pdf-bestand), \d+ kB")


def without_pdf(text: str) -> str:
    """A page's text without its links to PDFs, which test_pdf.py checks."""
    return PDF_LINK.sub("", text)


def between(html: str, start: str, end: str) -> str:
    """The HTML from the first ``start`` to the next ``end`` (both excluded)."""
    assert start in html, f"{start!r} not in the page"
    head = html.index(start) + len(start)
    return html[head:html.index(end, head)]


def article(html: str) -> str:
    """The text of a page's main content."""
    return plain(between(html, '<article class="md-content__inner md-typeset">', "</article>"))


def announce(html: str) -> str:
    """The text of Material's announcement bar (our banner), '' when empty."""
    return plain(between(html, 'data-md-component="announce">', "</div>\n"))


# --- a second document ----------------------------------------------------------------------
COOKIES = "2026-05-25"  # the cookie policy's first release, in force on TODAY
COOKIES_TEXT = """---
title: Cookie policy
---

## 1. What cookies are {#what}

Cookies are small files a website stores in your browser.

## 2. Cookies we use {#ours}

We use only the cookies this site needs to work (see [clause 1](#what)). Questions go to
[the regulator](https://ico.org.uk/make-a-complaint/) or <https://ico.org.uk/>.
"""


def make_two_documents(root: Path) -> Path:
    """``make_history`` and a cookie policy, published in English only (``publish:``) and
    released after the privacy policy's announced version; no unreleased edit."""
    make_history(root)
    shutil.copy2(root / "policy" / "archive" / THIRD / "en" / "privacy.md",
                 root / "locales" / "en" / "privacy.md")
    (root / "locales" / "en" / "cookies.md").write_text(COOKIES_TEXT, encoding="utf-8")
    declaration = root / "policy" / "policy.yml"
    text = declaration.read_text(encoding="utf-8")
    assert "documents:\n  - privacy\n" in text
    declaration.write_text(text.replace("  - privacy\n", "  - privacy\n  - cookies\n") +
                           "publish:\n  nl: [privacy]\n", encoding="utf-8")
    release(root, COOKIES, COOKIES, {"en": "First publication of the cookie policy."})
    return root
