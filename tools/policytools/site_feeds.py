"""The site's machine-readable files: an Atom feed per locale and ``versions.json``.

Pure, like :mod:`site`: both are returned as text for the plugin to write.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any
from xml.etree import ElementTree as ET

from .ledger import Release, text_name
from .plaintext import safe_chars
from .site import Site, version_state
from .site_pdf import pdf_path

ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def atom_feed(site: Site, locale: str, base_url: str, titles: Mapping[str, str],
              site_name: str, pdf: bool = False) -> str:
    """An Atom feed of the updates in one locale; ``base_url`` ends with '/'; with ``pdf``,
    each text's PDF is linked too.

    Built as an element tree, so every text is escaped; characters XML 1.0 forbids become
    U+FFFD (see :mod:`plaintext`), so the feed is always well-formed.
    """
    entries = [r for r in reversed(site.releases)
               if any(r.has(locale, d) for d in site.project.documents)]
    # plain tag names under a literal xmlns: ElementTree would otherwise invent a prefix
    feed = ET.Element("feed", {"xmlns": ATOM, XML_LANG: locale})
    _atom(feed, "id", f"{base_url}updates/")
    _atom(feed, "title", f"{site_name}: {site.text(locale, 'updates')}")
    _atom(feed, "updated", _timestamp(max((_updated(site, r) for r in entries),
                                          default=site.today)))
    _atom(ET.SubElement(feed, "author"), "name", site_name)
    _atom(feed, "link", rel="self", href=f"{base_url}updates.xml")
    _atom(feed, "link", rel="alternate", href=f"{base_url}updates/")
    for release in entries:
        _entry(site, locale, base_url, titles, release, feed, pdf)
    ET.indent(feed)
    return ('<?xml version="1.0" encoding="utf-8"?>\n'
            + ET.tostring(feed, encoding="unicode") + "\n")


def _entry(site: Site, locale: str, base_url: str, titles: Mapping[str, str],
           release: Release, feed: ET.Element, pdf: bool) -> None:
    """One release: its text and redline links, class, status, published and updated."""
    entry = ET.SubElement(feed, "entry")
    _atom(entry, "id", f"{base_url}updates/#v{release.version}")
    # the title changes only when the entry's `updated` does: on a release that supersedes it
    replaced = f" · {site.status(release, locale)}" if site.superseded(release) else ""
    _atom(entry, "title", f"{site.text(locale, 'version')} {release.version} "
                          f"({site.kind(release, locale)}): {site.text(locale, 'effective')} "
                          f"{site.date(locale, release.effective)}{replaced}")
    _atom(entry, "published", _timestamp(release.released))
    _atom(entry, "updated", _timestamp(_updated(site, release)))
    _atom(entry, "category", term=release.kind, label=site.kind(release, locale))
    rel = "alternate"  # the first text; the others and every redline are related
    for doc in site.project.documents:
        if not release.has(locale, doc):
            continue
        title = f"{titles.get(doc, doc)} {release.version}"
        _atom(entry, "link", rel=rel, type="text/html", title=title,
              href=f"{base_url}{doc}/{release.version}/")
        rel = "related"
        if pdf:
            _atom(entry, "link", rel="related", type="application/pdf", title=f"{title} (PDF)",
                  href=f"{base_url}{pdf_path(doc, release.version)}")
        if site.compared_with(release, locale, doc):
            _atom(entry, "link", rel="related", type="text/html",
                  title=site.text(locale, "changes_title", document=titles.get(doc, doc),
                                  version=release.version),
                  href=f"{base_url}{doc}/{release.version}/changes/")
    _atom(entry, "summary", release.summary.get(locale, ""))


def _updated(site: Site, release: Release) -> dt.date:
    """When a release's entry last changed: its release, or the release that superseded it."""
    replaced_by = site.superseded(release)
    return replaced_by.released if replaced_by is not None else release.released


def _atom(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> None:
    child = ET.SubElement(parent, tag,
                          {name: safe_chars(value) for name, value in attrs.items()})
    if text is not None:
        child.text = safe_chars(text)


def _timestamp(day: dt.date) -> str:
    return dt.datetime.combine(day, dt.time(), dt.UTC).isoformat()


def versions_json(site: Site, urls: Mapping[str, str], pdf: bool = False) -> str:
    """Machine-readable releases and, per document and locale, each text's history.

    ``urls`` maps each locale to its base URL (ending with '/'); with ``pdf``, each text's
    URLs include its PDF.
    """
    releases = []
    for release in site.releases:
        replaced_by = site.superseded(release)
        releases.append({
            "version": release.version, "effective": release.effective.isoformat(),
            "released": release.released.isoformat(), "class": release.kind,
            "supersedes": release.supersedes,
            "superseded_by": replaced_by.version if replaced_by is not None else None,
            "summary": {loc: safe_chars(text) for loc, text in release.summary.items()},
            "files": {name: {"sha256": digest} for name, digest in sorted(release.files.items())},
            "urls": _release_urls(site, release, urls, pdf),
        })
    current = {loc: {doc: r.version for doc in site.project.documents
                     if (r := site.in_force(loc, doc))} for loc in urls}
    return json.dumps({"version": 2, "generated_for": site.today.isoformat(),
                       "in_force": current, "documents": _histories(site, urls, pdf),
                       "releases": releases}, ensure_ascii=False, indent=2) + "\n"


def _release_urls(site: Site, release: Release, urls: Mapping[str, str], pdf: bool
                  ) -> dict[str, dict[str, dict[str, str]]]:
    links: dict[str, dict[str, dict[str, str]]] = {}
    for name in sorted(release.files):
        locale, _, file = name.partition("/")
        document, base = file.removesuffix(".md"), urls.get(locale)
        if base is not None:
            links.setdefault(locale, {})[document] = _text_urls(site, release, locale,
                                                                document, base, pdf)
    return links


def _text_urls(site: Site, release: Release, locale: str, document: str, base: str,
               pdf: bool) -> dict[str, str]:
    entry = {"text": f"{base}{document}/{release.version}/"}
    if pdf:
        entry["pdf"] = f"{base}{pdf_path(document, release.version)}"
    if site.compared_with(release, locale, document):
        entry["changes"] = f"{base}{document}/{release.version}/changes/"
    return entry


def _histories(site: Site, urls: Mapping[str, str], pdf: bool
               ) -> dict[str, dict[str, list[Any]]]:
    """Per document and locale, every version of the text, oldest first, with its state."""
    out: dict[str, dict[str, list[Any]]] = {}
    for document in site.project.documents:
        for locale, base in urls.items():
            versions = []
            for release in site.released(locale, document):
                state, _ = version_state(site, locale, document, release)
                end = site.end_of(release, locale, document) if state != "superseded" else None
                replaced_by = site.superseded(release)
                previous = site.compared_with(release, locale, document)
                versions.append({
                    "version": release.version, "state": state, "class": release.kind,
                    "effective": release.effective.isoformat(),
                    "until": end.isoformat() if end else None,
                    "released": release.released.isoformat(),
                    "sha256": release.files[text_name(locale, document)],
                    "previous": previous.version if previous else None,
                    "superseded_by": replaced_by.version if replaced_by else None,
                    **_confirmed(site, release, locale, document),
                    **_text_urls(site, release, locale, document, base, pdf)})
            if versions:
                out.setdefault(document, {})[locale] = versions
    return out


def _confirmed(site: Site, release: Release, locale: str, document: str) -> dict[str, Any]:
    """For a translation: the source version it was checked against, the clauses confirmed."""
    source = site.project.source_locale
    if locale == source:
        return {}
    holder = site.ledger.holder(text_name(source, document), release.version)
    return {"source_version": holder.version if holder else None,
            "confirmed": list(release.confirmed.get(text_name(locale, document), ()))}
