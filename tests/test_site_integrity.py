"""Nothing lost, nothing forged on the site: real ``mkdocs build --strict`` runs that must
publish only the archived text the ledger vouches for, and the site's own words.

A damaged archive stops the build with one line naming the file; unreleased titles and stray
Markdown in ``locales/`` never reach a page, the sitemap or the search index; a bad
``site.yml`` is one line naming file and key; every language has its own 404 page.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, PluginError
from playwright.sync_api import Browser

import browser_helpers
from policytools.ledger import sha256
from policytools.mkdocs_plugin import PolicyPlugin, _guarded
from site_helpers import (
    FIRST,
    SUMMARIES,
    TODAY,
    UNRELEASED,
    QuietHandler,
    article,
    between,
    build,
    copy_project,
    make_history,
    plain,
    read,
    release,
    resolves,
    seed,
    served,
    tags,
)

RELEASE = "2026-11-23"  # the repository's one release
ARCHIVED = f"policy/archive/{RELEASE}/nl/privacy.md"
LEAKED = "Unreleased title"  # a working title no release has
SITE_NAME = {"en": "Westcon privacy centre", "nl": "Westcon privacycentrum"}
NOT_FOUND = {"en": ("Page not found", "Home", "Updates"),
             "nl": ("Pagina niet gevonden", "Start", "Versiegeschiedenis")}


def mkdocs_build_cli(root: Path, out: Path) -> subprocess.CompletedProcess[str]:
    """The real command, as CI runs it without make."""
    env = {**os.environ, "POLICY_TODAY": "2026-12-01", "NO_MKDOCS_2_WARNING": "1"}
    env.pop("POLICY_PREVIEW", None)
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(root / "mkdocs.yml"),
         "-d", str(out)], env=env, capture_output=True, text=True, timeout=120, check=False)


def one_error(done: subprocess.CompletedProcess[str]) -> str:
    """The one ERROR line of a failed build, after checking it failed without a traceback."""
    assert done.returncode != 0, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("ERROR")]
    assert len(errors) == 1, done.stderr
    return errors[0].removeprefix("ERROR").lstrip(" -")


def site_words(out: Path) -> str:
    """Everything a build publishes as text: pages, search index, sitemap, feeds, JSON."""
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(out.rglob("*"))
                     if p.is_file() and p.suffix in (".html", ".json", ".xml"))


# --- item 8: the archive is verified before it is published ----------------------------------


def _tamper(path: Path) -> None:
    path.write_bytes(path.read_bytes().replace(b"Westcon", b"Eastcon", 1))


def _remove(path: Path) -> None:
    path.unlink()


def _device(path: Path) -> None:
    path.unlink()
    path.symlink_to("/dev/zero")  # would never end if read


def _fifo(path: Path) -> None:
    path.unlink()
    os.mkfifo(path)  # would block forever if opened for reading without O_NONBLOCK


def _folder(path: Path) -> None:
    path.unlink()
    path.mkdir()


def _loop(path: Path) -> None:
    path.unlink()
    path.symlink_to(path.name)  # unreadable even for root


FIX = "restore it from version control"
REFIX = "restore the released file from version control"
DAMAGE = {
    "tampered": (_tamper, f"does not match its SHA-256 in policy/releases.yml (release "
                          f"{RELEASE}): released text is never edited; {FIX}"),
    "missing": (_remove, f"missing: release {RELEASE} lists it; {FIX}"),
    "device": (_device, f"cannot read: it is a character device, not a regular file: {REFIX}"),
    "fifo": (_fifo, f"cannot read: it is a named pipe (FIFO), not a regular file: {REFIX}"),
    "folder": (_folder, f"cannot read: it is a folder, not a regular file: {REFIX}"),
    "unreadable": (_loop, f"cannot read: Too many levels of symbolic links: {REFIX}"),
}


@pytest.mark.parametrize("damage", DAMAGE)
def test_a_damaged_archive_stops_the_build_with_one_line(tmp_path: Path, damage: str) -> None:
    root = copy_project(tmp_path / "repo")
    harm, message = DAMAGE[damage]
    harm(root / ARCHIVED)
    done = mkdocs_build_cli(root, tmp_path / "site")
    assert one_error(done) == f"policy: {ARCHIVED}: {message}"
    # checked before the first language pass wrote a page, though the damage is in Dutch
    assert not (tmp_path / "site" / "privacy" / "index.html").exists()


def test_archived_text_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    """Even when the ledger's hash was forged to match it."""
    root = copy_project(tmp_path / "repo")
    archived = root / ARCHIVED
    data = archived.read_bytes()
    ledger = root / "policy/releases.yml"
    bad = data.replace(b"Westcon", b"West\xffcon", 1)
    archived.write_bytes(bad)
    text = ledger.read_text(encoding="utf-8")
    ledger.write_text(text.replace(sha256(data), sha256(bad)), encoding="utf-8")
    line = data[:data.index(b"Westcon")].count(b"\n") + 1
    done = mkdocs_build_cli(root, tmp_path / "site")
    assert one_error(done) == (f"policy: {ARCHIVED}:{line}: not UTF-8 text: restore the "
                               "released file from version control")


def test_the_intact_archive_builds(tmp_path: Path) -> None:
    """The control for the damage above: the same copy, undamaged, builds."""
    done = mkdocs_build_cli(copy_project(tmp_path / "repo"), tmp_path / "site")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "site" / "nl" / "privacy" / "index.html").is_file()


# --- item 9: unreleased text never reaches the site -------------------------------------------


@pytest.fixture(scope="module")
def edited(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The history (second release in force, third announced) with unreleased titles, a stray
    Markdown file in each locale, raw HTML and a read-me, and a declared document that was
    never released."""
    root = make_history(tmp_path_factory.mktemp("edited") / "repo")
    for locale in ("en", "nl"):
        path = root / "locales" / locale / "privacy.md"
        text = path.read_text(encoding="utf-8")
        title = text.splitlines()[1]
        assert title.startswith("title: ")
        path.write_text(text.replace(title, f"title: {LEAKED}", 1), encoding="utf-8")
    (root / "locales/en/notes.md").write_text(f"# Notes\n\n{UNRELEASED}\n", encoding="utf-8")
    (root / "locales/nl/notes.md").write_text(f"# Notities\n\n{UNRELEASED}\n",
                                              encoding="utf-8")
    (root / "locales/en/notes.html").write_text(f"<p>{UNRELEASED}</p>\n", encoding="utf-8")
    (root / "locales/README.md").write_text(f"# Read me\n\n{UNRELEASED}\n", encoding="utf-8")
    (root / "locales/en/cookies.md").write_text(
        f"---\ntitle: Cookie policy\n---\n\n## 1. Cookies {{#cookies}}\n\n{UNRELEASED}\n",
        encoding="utf-8")
    declaration = root / "policy/policy.yml"
    text = declaration.read_text(encoding="utf-8")
    declaration.write_text(text.replace("  - privacy\n", "  - privacy\n  - cookies\n"),
                           encoding="utf-8")
    return root


def build_lenient(root: Path, out: Path) -> Path:
    """``mkdocs build`` without --strict (mkdocs.yml asks for strict: overridden here)."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv("POLICY_TODAY", TODAY)
        env.delenv("POLICY_PREVIEW", raising=False)
        env.setenv("NO_MKDOCS_2_WARNING", "1")
        mkdocs_build(load_config(str(root / "mkdocs.yml"), site_dir=str(out), strict=False))
    return out


@pytest.fixture(scope="module")
def edited_site(edited: Path) -> Path:
    return build_lenient(edited, edited.parent / "site")


def test_a_stray_markdown_file_fails_a_strict_build_by_name(
        edited: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with pytest.raises(Abort, match=r"Aborted with \d warnings in strict mode!"):
        build(edited, tmp_path / "site", TODAY)
    warnings = sorted(r.getMessage() for r in caplog.records if r.levelname == "WARNING")
    assert warnings == [
        f"policy: locales/{name} is none of the documents (privacy, cookies): not published; "
        "declare it in policy/policy.yml or move it out of locales/"
        for name in ("README.md", "en/notes.html", "en/notes.md", "nl/notes.md")]


def test_stray_files_are_not_published_anywhere(edited_site: Path) -> None:
    assert not list(edited_site.rglob("notes*"))
    assert not list(edited_site.rglob("README*"))
    sitemap = (edited_site / "sitemap.xml").read_text(encoding="utf-8")
    assert "/privacy/" in sitemap
    assert "notes" not in sitemap
    index = json.loads((edited_site / "search/search_index.json").read_text(encoding="utf-8"))
    assert not [doc["location"] for doc in index["docs"] if "notes" in doc["location"]]


def test_no_unreleased_word_is_published(edited: Path, edited_site: Path) -> None:
    words = site_words(edited_site)
    assert LEAKED not in words
    assert UNRELEASED not in words
    assert "Cookie policy" not in words


def links(html: str, class_: str | None = None) -> dict[str, str]:
    """The text of each link of a page by its target (of the class given, if any)."""
    found = re.findall(r'<a href="([^"]*)"([^>]*)>(.*?)</a>', html, re.S)
    return {href: plain(text) for href, attrs, text in found
            if class_ is None or re.search(rf'class="[^"]*\b{class_}\b', attrs)}


@pytest.mark.parametrize(("prefix", "title"), [
    ("/", "Privacy policy"), ("/nl/", "Wereldwijd privacybeleid")])
def test_titles_come_from_the_release_in_force(edited_site: Path, prefix: str,
                                               title: str) -> None:
    html = read(edited_site, f"{prefix}privacy/")
    name = SITE_NAME[prefix.strip("/") or "en"]
    assert re.findall(r"<title>(.*?)</title>", html) == [f"{title} - {name}"]
    assert re.findall(r"<h1[^>]*>(.*?)</h1>", html) == [title]
    assert links(html, "md-nav__link")["./"] == title
    home = between(read(edited_site, prefix), '<article class="md-content__inner md-typeset">',
                   "</article>")
    assert f'<a href="privacy/">{title}</a>' in home
    index = json.loads((edited_site / "search/search_index.json").read_text(encoding="utf-8"))
    found = {d["title"] for d in index["docs"] if d["location"] == f"{prefix}privacy/"[1:]}
    assert found == {title}


def test_a_document_never_released_shows_the_notice_not_the_working_text(
        edited_site: Path) -> None:
    html = read(edited_site, "/cookies/")
    assert "<title>Not published yet - Westcon privacy centre</title>" in html
    assert article(html).startswith("Not published yet This policy is not in force yet.")
    assert "cookies" not in article(read(edited_site, "/"))  # not on the home page
    assert not (edited_site / "nl" / "cookies").exists()


def test_a_document_only_announced_shows_the_announced_title(tmp_path: Path) -> None:
    """Released for a day still to come: the notice, and the title of the released text."""
    root = seed(copy_project(tmp_path / "repo", with_ledger=False))
    release(root, FIRST, "2027-01-01", SUMMARIES[FIRST])
    path = root / "locales/nl/privacy.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("title: Wereldwijd privacybeleid", f"title: {LEAKED}", 1),
                    encoding="utf-8")
    out = build(root, tmp_path / "site", TODAY)
    html = read(out, "/nl/privacy/")
    assert re.findall(r"<h1[^>]*>(.*?)</h1>", html) == ["Wereldwijd privacybeleid"]
    assert article(html).startswith("Wereldwijd privacybeleid Dit beleid is nog niet van "
                                    "kracht. Dit beleid wijzigt op 1 januari 2027.")
    assert LEAKED not in site_words(out)


def test_preview_shows_the_working_titles(edited: Path, tmp_path: Path) -> None:
    """The control: the editors' preview does show what the public site must not."""
    out = build(edited, tmp_path / "preview", TODAY, preview=True)
    assert f"<title>{LEAKED} - Westcon privacy centre</title>" in read(out, "/privacy/")
    assert (out / "notes" / "index.html").is_file()


# --- items 14/15: site.yml is checked once, errors name file and key ------------------------


def _without(text: str, line: str) -> str:
    assert text.count(f"\n{line}\n") == 1, line
    return text.replace(f"\n{line}\n", "\n")


def _swap(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


BRACES = "(write {{ and }} for a literal brace)"
STRINGS = {
    "missing key": ("nl", lambda t: _without(t, "version: Versie"), None,
                    "missing key 'version'"),
    "missing nested key": ("nl", lambda t: _without(t, "  moved: verplaatst"), None,
                           "missing key 'status.moved'"),
    "number": ("en", lambda t: _swap(t, "home: Home", "home: 12"), "home:",
               "'home' must be text, not int (quote it)"),
    "empty": ("nl", lambda t: _swap(t, "version: Versie", "version:"), "version:",
              "'version' must be text, not empty (quote it)"),
    "unknown placeholder": ("nl", lambda t: _swap(t, "op {date}.", "op {datum}."), "upcoming:",
                            "'upcoming' has an unknown placeholder {datum}: use {date}"),
    "attribute": ("nl", lambda t: _swap(t, "tot {end}", "tot {end.year}"), "archived:",
                  "'archived' has an unknown placeholder {end.year}: use {end}, {start}"),
    "placeholder where none": ("en", lambda t: _swap(t, "home: Home", 'home: "Home {}"'),
                               "home:", f"'home' has an unknown placeholder {{}}: it takes "
                               f"none {BRACES}"),
    "stray brace": ("nl", lambda t: _swap(t, "home: Start", 'home: "Start {"'), "home:",
                    "'home' has a stray '{' or '}': write {{ and }} for a literal brace"),
    "status not a mapping": ("nl", lambda t: _swap(t, "status:\n", "status: none\nwords:\n"),
                             "status:", "'status' must be a mapping of the redline's words"),
    "not a mapping": ("nl", lambda t: "- Start\n- Versie\n", "- Start",
                      "expected a mapping of keys to text"),
}


@pytest.mark.parametrize("case", STRINGS)
def test_a_bad_site_yml_is_one_line_naming_file_and_key(
        tmp_path: Path, caplog: pytest.LogCaptureFixture, case: str) -> None:
    locale, change, key, message = STRINGS[case]
    root = copy_project(tmp_path / "repo")
    path = root / "locales" / locale / "site.yml"
    text = change(path.read_text(encoding="utf-8"))
    path.write_text(text, encoding="utf-8")
    where = f"locales/{locale}/site.yml"
    if key is not None:
        line = next(n for n, row in enumerate(text.splitlines(), 1) if row.startswith(key))
        where += f":{line}"
    with pytest.raises(Abort, match="Aborted with a BuildError!"):
        build(root, tmp_path / "site", "2026-12-01")
    errors = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert errors == [f"policy: {where}: {message}"]
    assert not (tmp_path / "site" / "index.html").exists()  # refused before the first page


def test_a_missing_site_yml_is_named(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "repo")
    (root / "locales/nl/site.yml").unlink()
    done = mkdocs_build_cli(root, tmp_path / "site")
    assert one_error(done) == ("policy: locales/nl/site.yml: missing: the site's words in this "
                               "language (copy locales/en/site.yml and translate it)")


def test_a_missing_key_stops_the_real_command(tmp_path: Path) -> None:
    """Before, the Dutch site fell back to English words, or crashed with a KeyError."""
    root = copy_project(tmp_path / "repo")
    path = root / "locales/nl/site.yml"
    path.write_text(_without(path.read_text(encoding="utf-8"), "version: Versie"),
                    encoding="utf-8")
    done = mkdocs_build_cli(root, tmp_path / "site")
    assert one_error(done) == "policy: locales/nl/site.yml: missing key 'version'"


def test_every_event_of_the_plugin_is_behind_the_error_barrier() -> None:
    events = [name for name in vars(PolicyPlugin) if name.startswith("on_")]
    assert {"on_config", "on_files", "on_page_markdown", "on_post_build"} <= set(events)
    assert [name for name in events if not hasattr(getattr(PolicyPlugin, name),
                                                   "__wrapped__")] == []
    assert getattr(PolicyPlugin.on_files, "mkdocs_priority", None) == -110


def test_the_barrier_turns_a_bug_into_one_plugin_error_line() -> None:
    @_guarded
    def on_files(names: dict[str, str]) -> str:
        return names["version"]

    with pytest.raises(PluginError) as caught:
        on_files({})
    assert str(caught.value) == ("policy: unexpected KeyError in on_files: 'version' (a bug; "
                                 "`mkdocs build --verbose` shows the traceback)")
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


# --- item 13: a 404 page per language -----------------------------------------------------


@pytest.mark.parametrize(("locale", "url"), [("en", "/404.html"), ("nl", "/nl/404.html")])
def test_each_language_has_its_own_404(edited_site: Path, locale: str, url: str) -> None:
    html = read(edited_site, url)
    heading, home, updates = NOT_FOUND[locale]
    assert f'<html lang="{locale}"' in html
    assert re.findall(r"<h1[^>]*>(.*?)</h1>", html) == [heading]
    assert re.findall(r"<title>(.*?)</title>", html) == [f"{heading} - {SITE_NAME[locale]}"]
    prefix = "/" if locale == "en" else "/nl/"
    content = between(html, '<article class="md-content__inner md-typeset">', "</article>")
    assert links(content) == {prefix: home, f"{prefix}updates/": updates}
    switch = {t.attrs["hreflang"]: t.attrs["href"]
              for t in tags(html, "a", class_="md-select__link")}
    assert switch == {"en": "/", "nl": "/nl/"}  # not the alternates of another page
    for name, attr in (("a", "href"), ("link", "href"), ("script", "src"), ("img", "src")):
        for tag in tags(html, name):
            href = tag.attrs.get(attr, "")
            # served for any missing address, at any depth: only absolute links work there
            assert not href or href.startswith(("/", "#", "http", "data:")), (url, href)
            if href.startswith("/"):
                assert resolves(edited_site, "/deep/missing/page/", href), (url, href)
    nav = links(html, "md-nav__link")
    assert all(href.startswith(prefix) for href in nav), nav


class HostLikeHandler(QuietHandler):
    """Serves each language's 404 page for a missing address under it, as the site's host is
    configured to (nginx: ``error_page 404 /nl/404.html`` in ``location /nl/``)."""

    def send_error(self, code: int, message: str | None = None,
                   explain: str | None = None) -> None:
        root = Path(self.directory)
        page = root / "nl/404.html" if self.path.startswith("/nl/") else root / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@pytest.fixture(scope="module")
def host(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = make_history(tmp_path_factory.mktemp("host") / "repo")
    with served(root, root.parent / "site", HostLikeHandler) as address:
        yield address


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    with browser_helpers.chromium() as launched:
        yield launched


@pytest.mark.parametrize(("missing", "locale"), [
    ("/nl/privacy/1999-01-01/", "nl"), ("/nl/geen/pagina/hier", "nl"),
    ("/privacy/1999-01-01/", "en"), ("/404.html", "en"), ("/nl/404.html", "nl")])
def test_a_reader_who_hits_a_missing_page_finds_the_way_in_their_language(
        chromium: Browser, host: str, missing: str, locale: str) -> None:
    heading, home, updates = NOT_FOUND[locale]
    prefix = "/" if locale == "en" else "/nl/"
    context = chromium.new_context(locale="nl-NL" if locale == "nl" else "en-GB")
    context.set_default_timeout(5000)
    page = context.new_page()
    trouble = browser_helpers.Trouble(host)
    trouble.watch(page)
    try:
        response = page.goto(f"{host}{missing}", wait_until="networkidle")
        assert response is not None
        if not missing.endswith("404.html"):
            assert response.status == 404
        assert page.locator("html").get_attribute("lang") == locale
        assert page.locator("article h1").inner_text() == heading
        assert page.title() == f"{heading} - {SITE_NAME[locale]}"
        # the theme's stylesheet applied, though the page is served deep under another path
        assert page.evaluate("getComputedStyle(document.querySelector('.md-header'))"
                             ".position") == "sticky"
        page.locator("article").get_by_role("link", name=updates).click()
        page.wait_for_url(f"{host}{prefix}updates/", wait_until="networkidle")
        assert page.locator("article h1").first.inner_text().startswith(updates)
        page.go_back(wait_until="networkidle")
        page.locator("article").get_by_role("link", name=home).click()
        page.wait_for_url(f"{host}{prefix}", wait_until="networkidle")
    finally:
        context.close()
    # only the page itself was missing (met twice: on arrival and back): its stylesheets and
    # scripts were all found
    said = (f"HTTP 404: {host}{missing}",
            f"status of 404 (Not Found) ({{'url': '{host}{missing}'")
    expected = [t for t in trouble.found if t.startswith(said[0]) or said[1] in t]
    assert len(expected) == (0 if missing.endswith("404.html") else 4)
    assert [t for t in trouble.found if t not in expected] == []
