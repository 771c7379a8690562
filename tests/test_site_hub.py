"""The home page as a hub of the company's policies, and the company's name and colour.

Real ``mkdocs build --strict`` runs of a history of two documents: the privacy policy (in
force, archived, announced; English and Dutch) and a cookie policy published in English only.
The company (``extra.company`` in mkdocs.yml) is checked as the build and a reader meet it:
one-line errors naming mkdocs.yml, and colours that keep text readable (WCAG AA).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from policytools.brand import LIGHT_BACKGROUND, WHITE, Brand, contrast, read_brand
from policytools.errors import ConfigError
from site_helpers import (
    COOKIES,
    SECOND,
    THIRD,
    TODAY,
    article,
    between,
    build,
    copy_project,
    make_two_documents,
    plain,
    read,
    resolves,
    tags,
)

HOME = {
    "/": "Westcon privacy centre¶ Our privacy and cookie policies in every language and every "
         "version, with what changed when. "
         "Privacy policy¶ In force since 1 April 2026: Version 2026-03-05 "
         "Announced, takes effect 1 December 2026: Version 2026-05-20 · Material change · "
         "Read the new text "
         "Latest update: 20 May 2026 · Material change: New clause on automated decisions. · "
         "Updates · Changes "
         "Languages: English · Nederlands "
         "Cookie policy¶ In force since 25 May 2026: Version 2026-05-25 "
         "Latest update: 25 May 2026 · Editorial change: First publication of the cookie "
         "policy. · Updates "
         "Languages: English "
         "All versions and changes · Updates feed (Atom)",
    "/nl/": "Westcon privacycentrum¶ Ons privacy- en cookiebeleid in elke taal en elke versie, "
            "met wat er wanneer veranderde. "
            "Wereldwijd privacybeleid¶ Van kracht sinds 1 april 2026: Versie 2026-03-05 "
            "Aangekondigd, van kracht vanaf 1 december 2026: Versie 2026-05-20 · Inhoudelijke "
            "wijziging · Lees de nieuwe tekst "
            "Laatste wijziging: 20 mei 2026 · Inhoudelijke wijziging: Nieuw artikel over "
            "geautomatiseerde besluiten. · Versiegeschiedenis · Wijzigingen "
            "Talen: English · Nederlands "
            "Cookie policy¶ Niet beschikbaar in deze taal. Talen: English "
            "Alle versies en wijzigingen · Feed met nieuwe versies (Atom)",
}
# Each link of the home page, in order: (text, href)
LINKS = {
    "/": [("Privacy policy", "privacy/"), ("Read the new text", f"privacy/{THIRD}/"),
          ("Updates", f"updates/#v{THIRD}"), ("Changes", f"privacy/{THIRD}/changes/"),
          ("English", "privacy/"), ("Nederlands", "nl/privacy/"),
          ("Cookie policy", "cookies/"), ("Updates", f"updates/#v{COOKIES}"),
          ("English", "cookies/"),
          ("All versions and changes", "updates/"), ("Updates feed (Atom)", "updates.xml")],
    "/nl/": [("Wereldwijd privacybeleid", "privacy/"),
             ("Lees de nieuwe tekst", f"privacy/{THIRD}/"),
             ("Versiegeschiedenis", f"updates/#v{THIRD}"),
             ("Wijzigingen", f"privacy/{THIRD}/changes/"),
             ("English", "../privacy/"), ("Nederlands", "../nl/privacy/"),
             ("English", "../cookies/"),
             ("Alle versies en wijzigingen", "updates/"),
             ("Feed met nieuwe versies (Atom)", "updates.xml")],
}


@pytest.fixture(scope="module")
def two_documents(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_two_documents(tmp_path_factory.mktemp("hub") / "repo")
    return build(root, root.parent / "site", TODAY)


def content(html: str) -> str:
    return between(html, '<article class="md-content__inner md-typeset">', "</article>")


def link_list(html: str) -> list[tuple[str, str]]:
    """Each link of the HTML, in order, as (its text, its href), permalinks left out."""
    found = re.findall(r"<a ([^>]*)>(.*?)</a>", html, re.S)
    out = []
    for attrs, text in found:
        href = re.search(r'href="([^"]*)"', attrs)
        if href is not None and "headerlink" not in attrs:
            out.append((plain(text), href[1]))
    return out


@pytest.mark.parametrize("url", ["/", "/nl/"])
def test_the_home_page_lists_each_document_with_its_versions_languages_and_latest_update(
        two_documents: Path, url: str) -> None:
    html = read(two_documents, url)
    assert article(html) == HOME[url]
    assert link_list(content(html)) == LINKS[url]
    for _, href in LINKS[url]:
        assert resolves(two_documents, url, href.partition("#")[0]), href


@pytest.mark.parametrize("url", ["/", "/nl/"])
def test_the_language_links_name_each_language_in_itself(two_documents: Path,
                                                        url: str) -> None:
    html = content(read(two_documents, url))
    links = {(t.attrs["lang"], t.attrs["hreflang"], t.attrs.get("aria-current"))
             for t in tags(html, "a") if "lang" in t.attrs}
    here = url.strip("/") or "en"
    assert links == {("en", "en", "true" if here == "en" else None),
                     ("nl", "nl", "true" if here == "nl" else None)}


def test_a_document_not_published_in_a_language_says_so_in_its_own_title(
        two_documents: Path) -> None:
    html = content(read(two_documents, "/nl/"))
    assert '<h2 id="cookies" lang="en">Cookie policy' in html
    assert not (two_documents / "nl" / "cookies").exists()


def test_the_cookie_policy_has_no_redline_link_as_its_first_version(two_documents: Path) -> None:
    html = content(read(two_documents, "/"))
    cookies = html[html.index('id="cookies"'):]
    assert "changes/" not in cookies.partition("</div>")[0]
    assert COOKIES in cookies
    assert SECOND not in cookies


def primary_nav(html: str) -> list[str]:
    """The labels of the top level of the site's navigation, in order."""
    nav = between(html, '<nav class="md-nav md-nav--primary"', "</nav>")
    items = re.findall(r'<li class="md-nav__item[^"]*">\s*<a [^>]*>\s*<span class="md-ellipsis">'
                       r"\s*(.*?)\s*</span>", nav, re.S)
    return [plain(item) for item in items]


@pytest.mark.parametrize(("url", "labels"), [
    ("/404.html", ["Home", "Privacy policy", "Cookie policy", "Updates"]),
    ("/nl/404.html", ["Start", "Wereldwijd privacybeleid", "Versiegeschiedenis"])])
def test_the_navigation_follows_the_declared_order_of_the_documents(
        two_documents: Path, url: str, labels: list[str]) -> None:
    assert primary_nav(read(two_documents, url)) == labels
    html = read(two_documents, "/privacy/")
    assert [t.attrs["href"] for t in tags(html, "link") if t.attrs.get("rel") in
            ("prev", "next")] == ["..", "../cookies/"]


# --- the company: name and colour -------------------------------------------------------------


def lines_of(*keys: str | int) -> int | None:
    return {("extra", "company"): 31, ("extra", "company", "colour"): 33,
            ("extra", "company", "name"): 32, ("extra", "company", "color"): 33}.get(keys)


@pytest.mark.parametrize(("value", "message"), [
    ({"name": "Westcon", "colour": "#12345"},
     "mkdocs.yml:33: extra.company.colour '#12345' is not a colour: write a hex value such as "
     '"#005a8c"'),
    ({"name": "Westcon", "colour": "navy"},
     "mkdocs.yml:33: extra.company.colour 'navy' is not a colour: write a hex value such as "
     '"#005a8c"'),
    ({"name": "Westcon", "colour": 123456},
     "mkdocs.yml:33: extra.company.colour '123456' is not a colour: write a hex value such as "
     '"#005a8c"'),
    ({"name": "Westcon", "colour": None},
     'mkdocs.yml:33: extra.company.colour is empty: quote the hex value, colour: "#005a8c" '
     "(YAML reads an unquoted # as the start of a comment)"),
    ({"name": "Westcon", "color": "#005a8c"},
     "mkdocs.yml:33: extra.company has an unknown key 'color': its keys are name and colour"),
    ({"colour": "#005a8c"},
     "mkdocs.yml:32: extra.company.name must be the company's name as text"),
    ({"name": "  ", "colour": "#005a8c"},
     "mkdocs.yml:32: extra.company.name must be the company's name as text"),
    ("Westcon",
     "mkdocs.yml:31: extra.company must be a mapping: name: <the company's name> and colour: "
     '<a hex value such as "#005a8c">'),
])
def test_a_bad_company_is_one_line_naming_mkdocs_yml(value: object, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        read_brand(value, lines_of)
    assert str(caught.value) == message


@pytest.mark.parametrize(("value", "initials", "colour"), [
    ({"name": "Westcon", "colour": "#005a8c"}, "W", (0, 90, 140)),
    ({"name": "Acme  Data Ltd", "colour": "#FC0"}, "AD", (255, 204, 0)),
    ({"name": "Westcon-Comstor"}, "WC", None),
])
def test_a_company_is_read_with_its_initials_and_colour(
        value: dict[str, str], initials: str, colour: tuple[int, int, int] | None) -> None:
    brand = read_brand(value, lines_of)
    assert brand is not None
    assert (brand.initials, brand.colour) == (initials, colour)


def variables(css: str) -> dict[str, str]:
    return dict(re.findall(r"(--[a-z-]+):([^;]+);", css))


def rgb(value: str) -> tuple[int, int, int]:
    return int(value[1:3], 16), int(value[3:5], 16), int(value[5:7], 16)


@pytest.mark.parametrize("colour", ["#005a8c", "#ffcc00", "#7fb8e6", "#00ff00", "#767676",
                                    "#000000", "#ffffff", "#e60000"])
def test_text_on_the_colour_and_links_in_it_read_at_aa(colour: str) -> None:
    brand = read_brand({"name": "Westcon", "colour": colour}, lines_of)
    assert brand is not None
    found = variables(brand.css())
    header, text = rgb(found["--md-primary-fg-color"]), rgb(found["--md-primary-bg-color"])
    assert found["--md-primary-fg-color"] == colour
    assert contrast(header, text) >= 4.5
    link = rgb(found["--md-typeset-a-color"])
    assert contrast(link, WHITE) >= 4.5
    assert contrast(link, LIGHT_BACKGROUND) >= 4.5
    assert found["--md-accent-fg-color"] == found["--md-typeset-a-color"]


def test_a_light_colour_gets_black_text_and_darker_links() -> None:
    found = variables(Brand("Acme", (255, 204, 0)).css())
    assert found["--md-primary-bg-color"] == "#000000"
    assert found["--md-typeset-a-color"] != "#ffcc00"
    dark = variables(Brand("Acme", (0, 90, 140)).css())
    assert (dark["--md-primary-bg-color"], dark["--md-typeset-a-color"]) == ("#ffffff", "#005a8c")


def test_the_built_site_wears_the_company_colour_and_monogram(two_documents: Path) -> None:
    for url in ("/", "/nl/privacy/", f"/privacy/{THIRD}/changes/", "/404.html"):
        html = read(two_documents, url)
        style = re.findall(r"<style>(.*?)</style>", html, re.S)
        assert [variables(s).get("--md-primary-fg-color") for s in style
                if "--md-primary" in s] == ["#005a8c"], url
        logo = between(html, 'class="md-header__button md-logo"', "</a>")
        assert plain(logo.partition(">")[2]) == "W", url
        assert '<span class="policy-logo" aria-hidden="true">W</span>' in logo
        assert "<svg" not in logo  # no generic icon


def mkdocs_build(root: Path, out: Path) -> subprocess.CompletedProcess[str]:
    """The real command, as CI runs it."""
    env = {**os.environ, "POLICY_TODAY": TODAY, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("POLICY_PREVIEW", None)
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(root / "mkdocs.yml"),
         "-d", str(out)], env=env, capture_output=True, text=True, timeout=120, check=False)


def test_a_bad_colour_stops_the_real_build_with_one_line(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "repo")
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert '    colour: "#005a8c"\n' in text
    config.write_text(text.replace('    colour: "#005a8c"\n', "    colour: #005a8c\n"),
                      encoding="utf-8")
    line = config.read_text(encoding="utf-8").splitlines().index("    colour: #005a8c") + 1
    done = mkdocs_build(root, tmp_path / "site")
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    errors = [e.removeprefix("ERROR").lstrip(" -") for e in done.stderr.splitlines()
              if e.startswith("ERROR")]
    assert errors == [f'policy: mkdocs.yml:{line}: extra.company.colour is empty: quote the '
                      'hex value, colour: "#005a8c" (YAML reads an unquoted # as the start of '
                      "a comment)"]
    assert not (tmp_path / "site" / "index.html").exists()


def test_a_light_colour_is_built_with_black_header_text(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "repo")
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace('"#005a8c"', '"#ffcc00"'),
                      encoding="utf-8")
    html = read(build(root, tmp_path / "site", "2026-11-23"), "/")
    found = variables("".join(re.findall(r"<style>(.*?)</style>", html, re.S)))
    assert (found["--md-primary-fg-color"], found["--md-primary-bg-color"]) == \
        ("#ffcc00", "#000000")
    assert contrast(rgb(found["--md-typeset-a-color"]), WHITE) >= 4.5
