"""Nothing injectable: a text holding raw HTML or a script link is refused by policy check
(markup-html, markup-link), and a text released anyway puts no element or script on a page."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from playwright.sync_api import Page

from conftest import REPO, RunCli, release_argv
from policytools.markup import neutralised, scan
from site_helpers import (
    FIRST,
    SECOND,
    SUMMARIES,
    between,
    build,
    copy_project,
    release,
    seed,
    served,
)

POLICY = Path(sys.executable).with_name("policy")
ALLOWED = ("<abbr>, <b>, <br>, <em>, <i>, <mark>, <s>, <small>, <strong>, <sub>, <sup>, <u> "
           "without attributes may stand in a text)")
SCHEMES = "(only http, https, mailto, tel links and links within the site are published)"
# Every vector on a line of its own, in the last clause (§12 contact in Dutch)
VECTORS = {
    "<script>window.pwned = true</script>": ("html", "<script>"),
    '<img src=x onerror="window.pwned = true">': ("html",
                                                  '<img src=x onerror="window.pwned = true">'),
    '<iframe src="https://example.com/"></iframe>': ("html", '<iframe src="https://example.com/">'),
    '<a href="javascript:window.pwned = true">a</a>': ("html",
                                                      '<a href="javascript:window.pwned = true">'),
    "[klik](javascript:window.pwned=true)": ("link", "javascript:window.pwned=true"),
    "[hoofd](JaVaScRiPt:window.pwned=true)": ("link", "JaVaScRiPt:window.pwned=true"),
    "[tab](java&#x09;script:window.pwned=true)": ("link", "java&#x09;script:window.pwned=true"),
    "[spatie](\tjavascript:window.pwned=true)": ("link", "javascript:window.pwned=true"),
    "[procent](%6aavascript:window.pwned=true)": ("link", "%6aavascript:window.pwned=true"),
    "![x](data:text/html,pwned)": ("link", "data:text/html,pwned"),
    "<javascript:window.pwned=true>": ("link", "javascript:window.pwned=true"),
    "<style>body { display: none }</style>": ("html", "<style>"),
    '<b onclick="window.pwned = true">vet</b>': ("html", '<b onclick="window.pwned = true">'),
    "<!-- verborgen tekst -->": ("html", "<!-- verborgen tekst -->"),
    "[ref]: javascript:window.pwned=true": ("link", "javascript:window.pwned=true"),
    'alinea\n{: onmouseover="window.pwned = true" }': ("html",
                                                     '{: onmouseover="window.pwned = true" }'),
}


def with_vectors(root: Path, locale: str) -> Path:
    """The working text of ``locale`` with every vector appended, each its own paragraph."""
    path = root / "locales" / locale / "privacy.md"
    text = path.read_text(encoding="utf-8").rstrip("\n")
    path.write_text(text + "\n\n" + "\n\n".join(VECTORS) + "\n", encoding="utf-8")
    return path


def expected(kind: str, quote: str, where: str) -> str:
    if kind == "link":
        return f"{where} links to ‘{quote}’: use an https link {SCHEMES}"
    return f"{where} holds raw HTML ‘{quote}’: write it as Markdown (only {ALLOWED}"


def messages(out: str, *codes: str) -> list[str]:
    return [line.split("] ", 1)[1] for line in out.splitlines()
            if any(f"[{code}]" in line for code in codes)]


def test_every_vector_is_refused_with_its_message(seeded: Path, run_cli: RunCli) -> None:
    path = with_vectors(seeded, "nl")
    code, out, _ = run_cli(["check", "--root", str(seeded)])
    assert code == 1
    found = messages(out, "markup-html", "markup-link")
    closing = [expected("html", tag, "§12 (contact)") for tag in
               ("</script>", "</iframe>", "</a>", "</style>")]
    assert sorted(found) == sorted([expected(kind, quote, "§12 (contact)")
                                    for kind, quote in VECTORS.values()] + closing)
    first = path.read_text(encoding="utf-8").splitlines().index(next(iter(VECTORS))) + 1
    assert f"locales/nl/privacy.md:{first}: error [markup-html] §12 (contact) holds raw HTML " \
           "‘<script>’" in out


def test_the_source_is_held_to_it_too_by_the_installed_command(seeded: Path) -> None:
    path = seeded / "locales" / "en" / "privacy.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("## 1. ", "Intro <script>x()</script>\n\n## 1. ", 1),
                    encoding="utf-8")
    done = subprocess.run([str(POLICY), "check", "--root", str(seeded)], capture_output=True,
                          text=True, check=False)
    assert done.returncode == 1, done.stderr
    assert sorted(messages(done.stdout, "markup-html")) == sorted(
        expected("html", tag, "the preamble") for tag in ("<script>", "</script>"))


def test_allowed_tags_code_and_safe_links_pass() -> None:
    text = ("(a) Data<br>(b) More<br/>, m<sup>2</sup>, H<sub>2</sub>O, <abbr>GDPR</abbr>, "
            "<b>b</b> <i>i</i> <em>e</em> <strong>s</strong> <u>u</u> <s>s</s> <small>k</small> "
            "<mark>m</mark>; [web](https://example.com), <privacy@example.com>, "
            "[mail](mailto:a@example.com), [phone](tel:+31201234567), [clause](#contact), "
            "[other](cookies.md#use), <https://example.com>, ![logo](logo.png)\n")
    assert list(scan(text)) == []
    assert neutralised(text) == text


@pytest.mark.parametrize("path", sorted([*REPO.glob("locales/*/*.md"),
                                         *REPO.glob("tests/data/faithful/**/*.md")]),
                         ids=lambda p: str(p.relative_to(REPO)))
def test_real_texts_are_clean(path: Path) -> None:
    assert list(scan(path.read_text(encoding="utf-8"))) == []


def test_code_is_no_hiding_place() -> None:
    """The site's Python-Markdown knows no fenced code: a fence is no code block there."""
    text = "`<script>x()</script>`\n\n```\n<iframe src=x></iframe>\n```\n"
    assert [m.quote for m in scan(text)] == ["<script>", "</script>", "<iframe src=x>",
                                             "</iframe>"]


def test_neutralised_keeps_lines_and_escapes_each_vector() -> None:
    text = "\n\n".join(VECTORS) + "\n"
    done = neutralised(text)
    assert done.count("\n") == text.count("\n")
    assert list(scan(done)) == []
    assert "&lt;script>" in done and "[klik]\\(javascript:" in done and "\\[ref]:" in done


class _Article(HTMLParser):
    """Every start tag with its attributes, and the text, of an HTML fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def unsafe_project(root: Path) -> Path:
    """The seeds released, then released again (with --allow-drift) holding every vector in
    both languages: in force, as a version, and in the redlines of the change."""
    seed(copy_project(root, with_ledger=False))
    release(root, FIRST, "2026-02-01", SUMMARIES[FIRST], "material")
    with_vectors(root, "en")
    with_vectors(root, "nl")
    release(root, SECOND, "2026-04-01", SUMMARIES[SECOND])
    return root


@pytest.fixture(scope="module")
def unsafe_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = unsafe_project(tmp_path_factory.mktemp("markup") / "repo")
    return build(root, root.parent / "site", "2026-06-01")


PAGES = [f"{prefix}privacy/{page}index.html" for prefix in ("", "nl/") for page in
         ("", f"{SECOND}/", f"{SECOND}/changes/", f"compare/{FIRST}..{SECOND}/")]


@pytest.mark.parametrize("page", PAGES)
def test_a_released_unsafe_text_puts_nothing_on_the_page(unsafe_site: Path, page: str) -> None:
    html = (unsafe_site / page).read_text(encoding="utf-8")
    parsed = _Article()
    parsed.feed(between(html, '<article class="md-content__inner md-typeset">', "</article>"))
    names = {tag for tag, _ in parsed.tags}
    assert not names & {"script", "iframe", "img", "style", "object", "embed"}
    for tag, attrs in parsed.tags:
        assert not [a for a in attrs if a.startswith("on")], (tag, attrs)
        for name in ("href", "src", "action", "formaction"):
            value = re.sub(r"\s", "", attrs.get(name, "")).lower()
            assert not value.startswith(("javascript:", "data:", "vbscript:")), (tag, attrs)
    shown = "".join(parsed.text)
    assert "<script>window.pwned = true</script>" in shown
    assert "<!-- verborgen tekst -->" in shown
    if "compare" not in page and "changes" not in page:  # a redline shows what a reader sees
        assert "[klik](javascript:window.pwned=true)" in shown


def test_the_archive_still_verifies_and_search_holds_no_element(unsafe_site: Path) -> None:
    root = unsafe_site.parent / "repo"
    done = subprocess.run([str(POLICY), "verify", "--root", str(root)], capture_output=True,
                          text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "<script>" in (root / "policy" / "archive" / SECOND / "nl" / "privacy.md").read_text(
        encoding="utf-8")
    index = json.loads((unsafe_site / "search" / "search_index.json").read_text("utf-8"))
    for doc in index["docs"]:
        assert "<script" not in doc["text"] and "<img" not in doc["text"], doc["location"]


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = unsafe_project(tmp_path_factory.mktemp("markup-browser") / "repo")
    with served(root, root.parent / "site") as address:
        yield address


@pytest.mark.parametrize("path", ["/privacy/", "/nl/privacy/"])
def test_no_script_runs_in_a_browser(page: Page, base_url: str, path: str) -> None:
    page.goto(f"{base_url}{path}")
    for link in page.locator("article a").all():
        link.hover()
    page.locator("article").hover()
    assert page.evaluate("typeof window.pwned") == "undefined"
    assert page.locator("article script, article iframe, article img, article style").count() == 0


def test_the_title_is_held_to_it_too(seeded: Path, run_cli: RunCli) -> None:
    path = seeded / "locales" / "nl" / "privacy.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("title: Wereldwijd privacybeleid",
                                 'title: "Beleid <img src=x onerror=alert(1)>"'), encoding="utf-8")
    code, out, _ = run_cli(["check", "--root", str(seeded)])
    assert code == 1
    assert "locales/nl/privacy.md:2: error [markup-html] the title holds raw HTML " \
           "‘<img src=x onerror=alert(1)>’: write it as Markdown" in out


def test_release_refuses_a_text_with_markup(seeded: Path) -> None:
    with_vectors(seeded, "nl")
    argv = [str(POLICY), *release_argv(FIRST, "en", "nl"), "--root", str(seeded)]
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    assert done.returncode == 2, done.stdout
    assert "new errors (first: locales/nl/privacy.md:131: [markup-html] §12 (contact) " \
           "holds raw HTML" in done.stderr
    assert not (seeded / "policy" / "archive" / FIRST).exists()


def test_a_preview_of_an_unsafe_working_text_puts_nothing_on_the_page(tmp_path: Path) -> None:
    root = seed(copy_project(tmp_path / "repo", with_ledger=False))
    with_vectors(root, "nl")
    out = build(root, tmp_path / "site", "2026-06-01", preview=True)
    parsed = _Article()
    parsed.feed(between((out / "nl" / "privacy" / "index.html").read_text(encoding="utf-8"),
                        '<article class="md-content__inner md-typeset">', "</article>"))
    assert not {tag for tag, _ in parsed.tags} & {"script", "iframe", "img", "style"}
    assert not [attrs for _, attrs in parsed.tags if any(a.startswith("on") for a in attrs)]
    assert "<script>window.pwned = true</script>" in "".join(parsed.text)


@pytest.mark.parametrize("prefix", ["", "nl/"])
def test_the_pdf_of_an_unsafe_text_shows_the_markup_as_text_and_links_no_script(
        unsafe_site: Path, prefix: str) -> None:
    from pypdf import PdfReader

    data = (unsafe_site / f"{prefix}privacy/{SECOND}.pdf").read_bytes()
    reader = PdfReader(io.BytesIO(data))
    shown = " ".join(page.extract_text() or "" for page in reader.pages)
    assert "<script>window.pwned = true</script>" in " ".join(shown.split())
    uris = [str(annotation.get_object().get("/A", {}).get("/URI", ""))
            for page in reader.pages for annotation in page.get("/Annots", []) or []]
    assert not [u for u in uris
                         if re.sub(r"\s", "", u).lower().startswith(("javascript:", "data:"))]
    assert b"/JavaScript" not in data and b"/JS " not in data
