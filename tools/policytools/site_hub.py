"""The home page: a hub of the company's policies, one entry per document.

Each entry says what a reader needs before reading: the title (linked), the version in force
and since when, a version announced to take effect later, the languages the text exists in
(each a link to it in that language) and the latest update, with its class, summary and
links to the updates page and its redline. Driven by the declared documents and the ledger
alone, so a document added to ``policy.yml`` appears once released. Pure, like :mod:`site`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from babel import Locale, UnknownLocaleError

from .ledger import Release
from .parse import title_of
from .plaintext import html_text, site_markdown

if TYPE_CHECKING:
    from .site import Site


def home(site: Site, locale: str, titles: Mapping[str, str]) -> str:
    """The Markdown of a locale's home page."""
    entries = [_entry(site, locale, doc, titles) for doc in site.project.documents]
    listed = "\n".join(entry for entry in entries if entry)
    feed = (f'<a href="updates.xml" type="application/atom+xml">'
            f"{html_text(site.text(locale, 'feed'))}</a>")
    return (f"# {site_markdown(site.text(locale, 'site_name'))} {{#policies}}\n\n"
            f"{site.text(locale, 'home_intro')}\n\n{listed}\n"
            f"[{site.text(locale, 'all_versions')}](updates.md) · {feed}\n"
            "{.policy-hub-more}\n")


def languages(site: Site, document: str) -> list[str]:
    """The locales a document is published in, as of the day the site is built for."""
    if site.preview:
        return [loc for loc in site.project.locales
                if site.project.doc_path(loc, document).exists()]
    return [loc for loc in site.project.locales if site.released(loc, document)]


def _entry(site: Site, locale: str, document: str, titles: Mapping[str, str]) -> str:
    """One document's entry: empty when it is published in no language."""
    found = languages(site, document)
    if not found:
        return ""
    if locale not in found:
        return _elsewhere(site, locale, document, found)
    title = site_markdown(titles.get(document, document))
    items = [*_facts(site, locale, document),
             f"- **{site.text(locale, 'languages')}:** {_links(site, locale, document, found)}"]
    return _box(f"## [{title}]({document}.md) {{#{document}}}\n\n" + "\n".join(items))


def _box(markdown: str) -> str:
    return f'<div class="policy-hub-entry" markdown="1">\n\n{markdown}\n\n</div>\n'


def _facts(site: Site, locale: str, document: str) -> list[str]:
    """The items on the version in force, the one announced and the latest update."""
    items = []
    current = site.in_force(locale, document)
    if current is not None:
        since = site.text(locale, "in_force_since", date=site.date(locale, current.effective))
        items.append(f"- **{since}:** {site.text(locale, 'version')} {current.version}")
    else:
        items.append(f"- **{site.text(locale, 'not_in_force')}**")
    upcoming = site.upcoming(locale, document)
    if upcoming is not None:
        read = f"[{site.text(locale, 'read_new')}]({document}/{upcoming.version}.md)"
        status = site.text(locale, "status_announced", date=site.date(locale, upcoming.effective))
        items.append(f"- **{status}:** {site.text(locale, 'version')} {upcoming.version} · "
                     f"{site.kind(upcoming, locale)} · {read}")
    latest = _latest(site, locale, document)
    if latest is not None:
        items.append(_latest_item(site, locale, document, latest))
    return items


def _latest(site: Site, locale: str, document: str) -> Release | None:
    """The latest release of this text that a reader can still see take effect or in force."""
    live = site.live(locale, document)
    return live[-1] if live else None


def _latest_item(site: Site, locale: str, document: str, release: Release) -> str:
    summary = site_markdown(release.summary.get(locale, ""))
    links = [f"[{site.text(locale, 'updates')}](updates.md#v{release.version})"]
    if site.compared_with(release, locale, document) is not None:
        target = f"{document}/{release.version}/changes.md"
        links.append(f"[{site.text(locale, 'changes')}]({target})")
    return (f"- **{site.text(locale, 'latest_update')}:** "
            f"{site.date(locale, release.released)} · {site.kind(release, locale)}"
            + (f": {summary}" if summary else "") + " · " + " · ".join(links))


def _elsewhere(site: Site, locale: str, document: str, found: list[str]) -> str:
    """A document not published in this language: its title as published in another, and
    links to every language it is published in."""
    other = found[0]
    title = _title_in(site, other, document)
    return _box(f"## {site_markdown(title)} {{#{document} lang={other}}}\n\n"
                f"{site.text(locale, 'not_available')} **{site.text(locale, 'languages')}:** "
                f"{_links(site, locale, document, found)}")


def _title_in(site: Site, locale: str, document: str) -> str:
    release = site.in_force(locale, document) or site.upcoming(locale, document)
    if release is None:
        return document
    return title_of(site.archived_text(release, locale, document),
                    release.archived(locale, document)) or document


def _links(site: Site, locale: str, document: str, found: list[str]) -> str:
    """A link to the document in each language, named in that language."""
    from .site import page_root

    root = page_root(site, locale, "index.md")
    links = []
    for other in found:
        href = html_text(f"{root}{site.prefix(other)}{document}/")
        current = ' aria-current="true"' if other == locale else ""
        links.append(f'<a href="{href}" hreflang="{other}" lang="{other}"{current}>'
                     f"{html_text(autonym(other))}</a>")
    return " · ".join(links)


def autonym(locale: str) -> str:
    """A language's name in that language, capitalised as a label ('Nederlands', 'Français')."""
    try:
        name = Locale.parse(locale.replace("-", "_")).get_display_name(locale.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return locale
    return (name[:1].upper() + name[1:]) if name else locale


def nav_rank(site: Site, path: str) -> int:
    """Where a page of a locale ('privacy.md') stands in the navigation: the home page, then
    the documents in the order ``policy.yml`` declares them, then the rest (updates)."""
    documents = site.project.documents
    if path == "index.md":
        return 0
    name = path.removesuffix(".md")
    return 1 + (documents.index(name) if name in documents else len(documents))
