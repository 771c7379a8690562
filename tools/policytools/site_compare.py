"""Any two versions of a text compared: static pages at permanent URLs, and the form.

For every pair of versions of one text (a document in a locale), older → newer, a page at
``<document>/compare/<old>..<new>/`` holds the clause-aligned redline that ``policy diff OLD
NEW --locale L --document D`` prints: the same diff of the same archived texts. The pages are
made when the site is built, so the site stays static and works without JavaScript:
``<document>/compare/`` lists every pair, and the "Compare version [A] with [B]" form leads
there by a plain GET, or (with policy.js) straight to the pair's page. Pure: no writes.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Any

from .diff import diff_documents
from .ledger import Release
from .plaintext import site_markdown
from .redline import html_fragment
from .site import Page, Site, _dates, _front, _indexing


def compare_path(document: str, old: str, new: str) -> str:
    return f"{document}/compare/{old}..{new}.md"


def compare_index(document: str) -> str:
    return f"{document}/compare.md"


def pairs(site: Site, locale: str, document: str) -> list[tuple[Release, Release]]:
    """Every two versions of one text, older first."""
    versions = site.released(locale, document)
    return [(a, b) for i, a in enumerate(versions) for b in versions[i + 1:]]


def compare_paths(site: Site, locale: str) -> set[str]:
    """The paths :func:`compare_pages` generates for a locale, without rendering any."""
    paths: set[str] = set()
    for document in site.project.documents:
        found = pairs(site, locale, document)
        paths.update(compare_path(document, a.version, b.version) for a, b in found)
        if found:
            paths.add(compare_index(document))
    return paths


def compare_pages(site: Site, locale: str, titles: Mapping[str, str]) -> list[Page]:
    """The list of pairs of each text with two versions or more, and a page per pair."""
    out = []
    for document in site.project.documents:
        found = pairs(site, locale, document)
        if found:
            out.append(_index_page(site, locale, document, found, titles))
        out += [_pair_page(site, locale, document, a, b, titles) for a, b in found]
    return out


def redline_words(site: Site, locale: str) -> dict[str, str]:
    """The words of a redline in the locale's language (``site.yml``)."""
    strings = site.strings(locale)
    return {**strings["status"], "inserted": strings["inserted"],
            "deleted": strings["deleted"]}


def _up(path: str) -> str:
    """From the URL of the page made of ``path`` to its locale's root."""
    stem = path.removesuffix(".md")
    return "" if stem == "index" else "../" * (stem.count("/") + 1)


def form(site: Site, locale: str, document: str, path: str, old: str, new: str,
         title: str) -> str:
    """The 'Compare version [A] with version [B]' form, ``old`` and ``new`` chosen, for the
    page made of ``path``; empty for a text with one version."""
    versions = [r.version for r in site.released(locale, document)]
    if len(versions) < 2:
        return ""
    action = f"{_up(path)}{document}/compare/"
    field = escape(f"compare-{document}")

    def select(name: str, chosen: str) -> str:
        options = "".join(f'<option value="{escape(v)}"{" selected" * (v == chosen)}>'
                          f"{escape(v)}</option>" for v in versions)
        return f'<select id="{field}-{name}" name="{name}">{options}</select>'

    label = site.text(locale, "compare_form", document=title)
    return (f'<form class="policy-compare" method="get" action="{escape(action)}" '
            f'aria-label="{escape(label)}">\n'
            f'<label for="{field}-from">{escape(site.text(locale, "compare_version"))}</label>'
            f" {select('from', old)}\n"
            f'<label for="{field}-to">{escape(site.text(locale, "compare_with"))}</label>'
            f" {select('to', new)}\n"
            f'<button type="submit" class="md-button">'
            f"{escape(site.text(locale, 'compare_button'))}</button>\n</form>\n\n")


def version_form(site: Site, locale: str, document: str, release: Release, path: str,
                 title: str) -> str:
    """The form on a version's page: it against the version before (the first: the next)."""
    versions = site.released(locale, document)
    at = versions.index(release)
    pair = versions[at - 1:at + 1] if at else versions[:2]
    if len(pair) < 2:
        return ""
    return form(site, locale, document, path, pair[0].version, pair[1].version, title)


def latest_form(site: Site, locale: str, document: str, path: str, title: str) -> str:
    """The form with the latest two versions of a text chosen (the updates page's)."""
    versions = site.released(locale, document)
    if len(versions) < 2:
        return ""
    return form(site, locale, document, path, versions[-2].version, versions[-1].version, title)


def _meta(title: str, document: str) -> dict[str, Any]:
    return {"title": title, "search": {"exclude": True}, **_indexing(document, noindex=True)}


def _index_page(site: Site, locale: str, document: str,
                found: list[tuple[Release, Release]], titles: Mapping[str, str]) -> Page:
    """Every pair as a link: where the form leads without JavaScript."""
    path = compare_index(document)
    name = titles.get(document, document)
    title = site.text(locale, "compare_index_title", document=name)
    older, newer = found[-1]
    links = "\n".join(f"- [{a.version} → {b.version}](compare/{a.version}..{b.version}.md)"
                      for a, b in reversed(found))
    same = site.text(locale, "compare_same")
    markdown = (f"# {site_markdown(title)}\n\n{site.text(locale, 'compare_intro')}\n\n"
                f"{form(site, locale, document, path, older.version, newer.version, name)}"
                f'<p class="policy-compare-same" role="alert" hidden>{escape(same)}</p>\n\n'
                f"{links}\n")
    meta = _meta(title, document)
    return Page(path, _front(meta) + markdown, meta=meta)


def _pair_page(site: Site, locale: str, document: str, old: Release, new: Release,
               titles: Mapping[str, str]) -> Page:
    """The redline of ``old`` → ``new``, what the releases between said, and the form."""
    path = compare_path(document, old.version, new.version)
    before = site.archived(old, locale, document)
    after = site.archived(new, locale, document)
    changes = diff_documents(before, after, old.version, new.version,
                             site.project.renamed.get(document))
    name = after.title or titles.get(document, document)
    title = site.text(locale, "compare_title", document=name, old=old.version,
                      new=new.version)
    version = site.text(locale, "version")
    if changes.changed:
        redline = html_fragment(changes, redline_words(site, locale), level=2,
                                link=f"../../{new.version}/")
    else:
        redline = site.text(locale, "compare_identical", old=old.version, new=new.version)
    markdown = (f"# {site_markdown(title)}\n\n"
                f"[{version} {old.version}](../{old.version}.md) → "
                f"[{version} {new.version}](../{new.version}.md). "
                f"{site.text(locale, 'compare_intro')}\n\n"
                f"{form(site, locale, document, path, old.version, new.version, name)}"
                f"{_between(site, locale, document, old, new)}{redline}\n")
    meta = _meta(title, document)
    return Page(path, _front(meta) + markdown, meta=meta)


def _between(site: Site, locale: str, document: str, old: Release, new: Release) -> str:
    """The versions after ``old`` up to ``new``: class, dates and summary of each."""
    versions = site.released(locale, document)
    later = versions[versions.index(old) + 1:versions.index(new) + 1]
    items = [f"- [{site.text(locale, 'version')} {r.version}](../{r.version}.md) · "
             f"{site.kind(r, locale)} · {_dates(site, locale, r)}"
             + (f" · {site_markdown(r.summary[locale])}" if r.summary.get(locale) else "")
             for r in later]
    heading = site.text(locale, "compare_releases", old=old.version, new=new.version)
    return f"{heading}\n\n" + "\n".join(items) + "\n\n"
