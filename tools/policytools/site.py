"""What the published site shows, as data: its pages in Markdown.

Pure: no MkDocs import and no writes. The MkDocs plugin turns these into files. The public
site shows released text only, as of the day it is built for: for each text (locale and
document) the version in force and the one announced, every version at a permanent URL, an
updates page, and a redline of each version against the one it replaced, from the same diff
engine as ``policy diff``. The feed and versions.json are in :mod:`site_feeds`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from .config import Project
from .diff import diff_documents
from .ledger import Ledger, Release, read_archived
from .markup import neutralised
from .model import Document
from .parse import parse_document, read_title, split_lines, title_of
from .plaintext import site_markdown
from .site_pdf import pdf_link
from .site_statement import statement
from .site_strings import STRINGS_FILE as STRINGS_FILE  # the plugin imports it from here
from .site_strings import load_strings


@dataclass(frozen=True)
class Page:
    """A generated page: ``path`` is its Markdown path relative to the locale folder."""

    path: str
    markdown: str
    in_nav: bool = False
    meta: Mapping[str, Any] = field(default_factory=dict)


# The size of each version's PDF by (document, version), for one locale: what the build made.
Pdfs = Mapping[tuple[str, str], int]
NO_PDFS: Pdfs = {}


@dataclass(frozen=True)
class Site:
    """Everything the site needs, read once per build."""

    project: Project
    ledger: Ledger
    today: dt.date
    preview: bool = False
    root_locale: str = ""  # the locale published at the site's root; default: the source

    def strings(self, locale: str) -> dict[str, Any]:
        return load_strings(self.project.root, locale)

    def text(self, locale: str, key: str, **values: str) -> str:
        return str(self.strings(locale)[key]).format(**values)

    def date(self, locale: str, day: dt.date) -> str:
        """A day as the locale's region writes it ('15 January 2027' for en with GB): the
        region declared in policy.yml (``regions:``), else CLDR's likely one."""
        from babel.dates import format_date

        return format_date(day, format="long", locale=self.babel_locale(locale))

    def babel_locale(self, locale: str) -> str:
        """The locale with its region, as Babel names it ('en_GB')."""
        tag = locale.replace("-", "_")
        region = None if "_" in tag else self.project.region(locale)
        return f"{tag}_{region}" if region else tag

    @property
    def releases(self) -> list[Release]:
        """The releases made by the day the site is built for: a site built for an earlier
        day shows what its readers saw then."""
        return [r for r in self.ledger.releases if r.released <= self.today]

    def released(self, locale: str, document: str) -> list[Release]:
        """Every version of one text, oldest first (superseded ones keep their page)."""
        return [r for r in self.ledger.history(locale, document) if r.released <= self.today]

    def superseded(self, release: Release) -> Release | None:
        """The release that replaced ``release`` before or while it was in force, once that
        release has been made (as of the day the site is built for)."""
        by = self.ledger.superseded_by(release.version)
        return by if by is not None and by.released <= self.today else None

    def live(self, locale: str, document: str) -> list[Release]:
        """The versions of one text that are or were meant to take effect: not superseded."""
        return [r for r in self.released(locale, document) if self.superseded(r) is None]

    def last_update(self, locale: str) -> dt.date | None:
        """The day of the latest release that changed a text of this locale."""
        return max((r.released for r in self.releases
                    if any(r.has(locale, d) for d in self.project.documents)), default=None)

    def in_force(self, locale: str, document: str) -> Release | None:
        due = [r for r in self.live(locale, document) if r.effective <= self.today]
        return due[-1] if due else None

    def upcoming(self, locale: str, document: str) -> Release | None:
        later = [r for r in self.live(locale, document) if r.effective > self.today]
        return later[-1] if later else None

    def compared_with(self, release: Release, locale: str, document: str) -> Release | None:
        """The release a redline compares against: the version of the text it replaced."""
        return self.ledger.previous_text(release, locale, document)

    def end_of(self, release: Release, locale: str, document: str) -> dt.date | None:
        """The day a version of a text stopped being in force: the next one's effective date."""
        live = self.live(locale, document)
        after = live[live.index(release) + 1:] if release in live else []
        return after[0].effective if after else None

    def status(self, release: Release, locale: str) -> str:
        """How a release stands for a locale's readers: the words of the updates page."""
        replaced_by = self.superseded(release)
        if replaced_by is not None:
            return self.text(locale, "status_superseded", version=replaced_by.version)
        docs = [d for d in self.project.documents if release.has(locale, d)]
        if any(self.in_force(locale, d) == release for d in docs):
            return self.text(locale, "status_in_force")
        if release.effective > self.today:
            return self.text(locale, "status_announced",
                             date=self.date(locale, release.effective))
        return self.text(locale, "status_replaced")

    def kind(self, release: Release, locale: str) -> str:
        """'Material change' or 'Editorial change', in the locale's words."""
        return self.text(locale, release.kind)

    def prefix(self, locale: str) -> str:
        """Where a locale's pages live below the site's root: '' or 'nl/'."""
        return "" if locale == (self.root_locale or self.project.source_locale) else f"{locale}/"

    def archived_text(self, release: Release, locale: str, document: str) -> str:
        """The released text, checked against the ledger's SHA-256 before it is published."""
        return read_archived(self.project.root, release, locale, document)

    def archived(self, release: Release, locale: str, document: str) -> Document:
        return _parsed(self.archived_text(release, locale, document), document, locale,
                       release.archived(locale, document))


@cache
def _parsed(text: str, document: str, locale: str, display: str) -> Document:
    return parse_document(text, document, locale, display)


def body(text: str) -> str:
    """A policy file without its front matter."""
    if text.startswith("---"):
        end = text.find("\n---", 3)
        if end != -1:
            return text[text.index("\n", end + 1) + 1:] if "\n" in text[end + 1:] else ""
    return text


def safe(text: str) -> str:
    """A policy file with any raw HTML or script link of its body written as text: a text
    released over its findings (``--allow-drift``), or before the markup rule, puts no
    element or script on a page. Only the page changes; the archived file stays as released."""
    rest = body(text)
    return text[:len(text) - len(rest)] + neutralised(rest)


def _front(meta: Mapping[str, Any]) -> str:
    return "---\n" + json.dumps(dict(meta), ensure_ascii=False) + "\n---\n\n"


def version_path(document: str, version: str) -> str:
    return f"{document}/{version}.md"


def changes_path(document: str, version: str) -> str:
    return f"{document}/{version}/changes.md"


def page_root(site: Site, locale: str, path: str) -> str:
    """From a generated page (or a document's page, 'privacy.md') to the site's root."""
    stem = path.removesuffix(".md")
    depth = (0 if stem == "index" else stem.count("/") + 1) + site.prefix(locale).count("/")
    return "../" * depth


def policy_markdown(site: Site, locale: str, document: str, working: str,
                    pdfs: Pdfs = NO_PDFS) -> str:
    """The Markdown of the page in force: released text (the working text in preview)."""
    if site.preview:
        working = aliased(site, safe(working), locale, document, f"{locale}/{document}.md")
        return _banner(site.text(locale, "draft"), "policy-draft") + body(working)
    release = site.in_force(locale, document)
    upcoming = site.upcoming(locale, document)
    notice = _upcoming(site, locale, document, upcoming, "") if upcoming else ""
    if release is None:
        return _banner(site.text(locale, "not_in_force"), "policy-notice") + notice
    head = _meta_line(site, locale, document, release, "", _pdf(site, locale, document, release,
                                                                "", pdfs)) + \
        _corrects(site, locale, document, release, "") + \
        statement(site, locale, document, release, page_root(site, locale, f"{document}.md"))
    return notice + head + body(_released(site, release, locale, document))


def aliased(site: Site, text: str, locale: str, document: str, display: str) -> str:
    """``text`` with each renamed clause's old id (``renamed:`` in policy.yml) as an anchor
    right before its heading: readers' links to the old id still reach it. A text that still
    has the old id (a version before the rename) needs none."""
    renamed = site.project.renamed.get(document)
    if not renamed:
        return text
    doc = _parsed(text, document, locale, display)
    lines = split_lines(text)
    for old, new in sorted(renamed.items(), key=lambda item: -_line(doc, item[1])):
        clause = doc.clause(new)
        if clause is not None and doc.clause(old) is None:
            lines.insert(clause.line - 1, f'\n<div id="{old}" class="policy-alias"></div>\n\n')
    return "".join(lines)


def _released(site: Site, release: Release, locale: str, document: str) -> str:
    """A released text as published: with the old ids of its renamed clauses."""
    return aliased(site, safe(site.archived_text(release, locale, document)), locale, document,
                   release.archived(locale, document))


def _line(doc: Document, cid: str) -> int:
    clause = doc.clause(cid)
    return clause.line if clause else 0


def _banner(text: str, cls: str) -> str:
    return f'<div class="{cls}" role="note" markdown>\n{text}\n</div>\n\n'


def _meta_line(site: Site, locale: str, document: str, release: Release, up: str,
               pdf: str) -> str:
    return (f"{site.text(locale, 'version')} {release.version} · "
            f"{site.text(locale, 'in_force_since', date=site.date(locale, release.effective))}"
            f"{pdf} · [{site.text(locale, 'all_versions')}]({up}updates.md)\n"
            "{.policy-meta}\n\n")


def _pdf(site: Site, locale: str, document: str, release: Release, up: str,
         pdfs: Pdfs) -> str:
    """' · [PDF, 85 kB](…)' when the build made the version's PDF, else ''."""
    size = pdfs.get((document, release.version))
    return "" if size is None else \
        " · " + pdf_link(site, locale, document, release.version, size, up)


def corrected(site: Site, locale: str, document: str, release: Release) -> Release | None:
    """The version of this text that ``release`` replaced as a correction, if any."""
    if release.supersedes is None:
        return None
    old = site.ledger.get(release.supersedes)
    return old if old.has(locale, document) and site.superseded(old) is not None else None


def _corrects(site: Site, locale: str, document: str, release: Release, up: str) -> str:
    """'Corrects version V': on a text whose release replaced an announced version of it."""
    old = corrected(site, locale, document, release)
    if old is None:
        return ""
    text = site.text(locale, "corrects", version=old.version)
    return f"[{text}]({up}{version_path(document, old.version)})\n{{.policy-corrects}}\n\n"


def _upcoming(site: Site, locale: str, document: str, release: Release, up: str) -> str:
    target = changes_path(document, release.version)
    changes = f"[{site.text(locale, 'see_changes')}]({up}{target})" \
        if site.compared_with(release, locale, document) else ""
    links = f"[{site.text(locale, 'read_new')}]({up}{version_path(document, release.version)})"
    text = site.text(locale, "upcoming", date=site.date(locale, release.effective))
    return _banner(f"**{text}** {site.kind(release, locale)}. {links}" +
                   (f" · {changes}" if changes else ""), "policy-notice policy-upcoming")


def titles(site: Site, locale: str) -> dict[str, str]:
    """Each document's title as published: from the released text in force, else from the
    one announced, else the site's "not published yet"; the working text's only in preview."""
    out = {}
    for document in site.project.documents:
        release = site.in_force(locale, document) or site.upcoming(locale, document)
        title = ""
        if site.preview:
            path = site.project.doc_path(locale, document)
            title = read_title(path, site.project.rel(path))
        elif release is not None:
            title = title_of(site.archived_text(release, locale, document),
                             release.archived(locale, document))
        out[document] = title or site.text(locale, "not_published")
    return out


def pages(site: Site, locale: str, titles: Mapping[str, str], pdfs: Pdfs = NO_PDFS
          ) -> list[Page]:
    """The generated pages of one locale: home, updates, every version and its redline, and
    every two versions of a text compared; ``pdfs`` are the versions' PDFs, linked beside
    their effective dates."""
    from .site_compare import compare_pages
    from .site_hub import home as hub

    home = {"title": site.text(locale, "home")}
    out = [Page("index.md", _front(home) + hub(site, locale, titles), in_nav=True, meta=home),
           Page("updates.md", _updates(site, locale, titles, pdfs), in_nav=True,
                meta={"title": site.text(locale, "updates")})]
    for document in site.project.documents:
        for release in site.released(locale, document):
            out.append(_version_page(site, locale, document, release, titles, pdfs))
            previous = site.compared_with(release, locale, document)
            if previous is not None:
                out.append(_changes_page(site, locale, document, release, previous, titles))
    return out + compare_pages(site, locale, titles)


def page_paths(site: Site, locale: str) -> set[str]:
    """The paths :func:`pages` generates for a locale, without rendering any of them."""
    from .site_compare import compare_paths

    paths = {"index.md", "updates.md"}
    for document in site.project.documents:
        for release in site.released(locale, document):
            paths.add(version_path(document, release.version))
            if site.compared_with(release, locale, document):
                paths.add(changes_path(document, release.version))
    return paths | compare_paths(site, locale)


def _updates(site: Site, locale: str, titles: Mapping[str, str], pdfs: Pdfs) -> str:
    from .site_compare import latest_form

    lines = [f"# {site.text(locale, 'updates')}\n", f"{site.text(locale, 'updates_intro')}\n",
             *(latest_form(site, locale, doc, "updates.md", titles.get(doc, doc))
               for doc in site.project.documents)]
    for release in reversed(site.releases):
        docs = [d for d in site.project.documents if release.has(locale, d)]
        if not docs:
            continue
        lines.append(f"## {site.text(locale, 'version')} {release.version} "
                     f"{{#v{release.version}}}\n")
        lines.append(f"**{site.status(release, locale)}** · {site.kind(release, locale)}\n"
                     "{.policy-status}\n")
        lines.append(_dates(site, locale, release) + "\n")
        if (old := _corrected(site, locale, release)) is not None:
            lines.append(f"[{site.text(locale, 'corrects', version=old.version)}]"
                         f"(#v{old.version})\n")
        lines.append(f"{site_markdown(release.summary.get(locale, ''))}\n")
        for doc in docs:
            target = version_path(doc, release.version)
            links = [f"[{site_markdown(titles.get(doc, doc))} {release.version}]({target})"]
            if site.compared_with(release, locale, doc):
                links.append(f"[{site.text(locale, 'changes')}]"
                             f"({changes_path(doc, release.version)})")
            else:
                links.append(site.text(locale, "first_version"))
            lines.append("- " + " · ".join(links) + _pdf(site, locale, doc, release, "", pdfs))
        lines.append("")
    return "\n".join(lines) + "\n"


def _corrected(site: Site, locale: str, release: Release) -> Release | None:
    """The release ``release`` replaced, if that one changed a text of this locale."""
    if release.supersedes is None:
        return None
    old = site.ledger.get(release.supersedes)
    here = any(old.has(locale, d) for d in site.project.documents)
    return old if here and site.superseded(old) is not None else None


def _dates(site: Site, locale: str, release: Release) -> str:
    """'Effective date: … · Released on …', in the locale's words and date format; a
    release that takes effect before the day it was made says so."""
    effective = site.date(locale, release.effective)
    late = f" · **{site.text(locale, 'retroactive')}**" if release.retroactive else ""
    return (f"**{site.text(locale, 'effective')}:** {effective} · "
            f"{site.text(locale, 'released_on', date=site.date(locale, release.released))}"
            + late)


def _version_page(site: Site, locale: str, document: str, release: Release,
                  titles: Mapping[str, str], pdfs: Pdfs) -> Page:
    from .site_compare import version_form

    path = version_path(document, release.version)
    state, text = version_state(site, locale, document, release)
    pdf = _pdf(site, locale, document, release, "../", pdfs)
    if state == "current":
        banner = _meta_line(site, locale, document, release, "../", pdf)
    else:
        replaced_by = site.superseded(release)
        link = f"[{site.text(locale, 'read_current')}](../{document}.md)"
        if replaced_by is not None and replaced_by.has(locale, document):
            link = f"[{site.text(locale, 'read_correction', version=replaced_by.version)}]" \
                   f"({replaced_by.version}.md)"
        banner = _banner(f"{text} {link}{pdf}", "policy-archived")
    archived = site.archived(release, locale, document)
    name = archived.title or titles.get(document, document)
    meta = {"title": f"{name} ({release.version})",
            "search": {"exclude": True}, "policy_state": state, "policy_banner": text,
            **_indexing(document, noindex=state != "current")}
    markdown = banner + _corrects(site, locale, document, release, "../") + \
        statement(site, locale, document, release, page_root(site, locale, path)) + \
        version_form(site, locale, document, release, path, name) + \
        body(_released(site, release, locale, document))
    return Page(path, _front(meta) + markdown, meta=meta)


def _indexing(document: str, noindex: bool) -> dict[str, Any]:
    """What search engines are told: a version or redline page names the text in force as
    canonical (and stays out of the sitemap); one no longer or not yet in force, and every
    redline, is not to be indexed at all."""
    return {"policy_canonical": f"{document}.md", **({"policy_noindex": True} if noindex else {})}


def version_state(site: Site, locale: str, document: str, release: Release
                  ) -> tuple[str, str]:
    """A version page's state (current, upcoming, archived, superseded) and its banner."""
    start = site.date(locale, release.effective)
    replaced_by = site.superseded(release)
    if replaced_by is not None:
        if release.effective > replaced_by.released:
            return "superseded", site.text(locale, "superseded_before",
                                           version=replaced_by.version)
        return "superseded", site.text(locale, "superseded_after", version=replaced_by.version,
                                       start=start, end=site.date(locale, replaced_by.released))
    current = site.in_force(locale, document)
    if current is not None and current.version == release.version:
        return "current", ""
    if release.effective > site.today:
        return "upcoming", site.text(locale, "archived_future", start=start)
    end = site.end_of(release, locale, document)
    return "archived", site.text(locale, "archived", start=start,
                                 end=site.date(locale, end) if end else start)


def _changes_page(site: Site, locale: str, document: str, release: Release,
                  previous: Release, titles: Mapping[str, str]) -> Page:
    from .redline import html_fragment
    from .site_compare import redline_words

    old = site.archived(previous, locale, document)
    new = site.archived(release, locale, document)
    changes = diff_documents(old, new, previous.version, release.version,
                             site.project.renamed.get(document))
    title = site.text(locale, "changes_title", document=new.title or titles.get(document, ""),
                      version=release.version)
    intro = site.text(locale, "compared_with", previous=previous.version)
    meta = {"title": title, "search": {"exclude": True}, **_indexing(document, noindex=True)}
    markdown = (f"# {site_markdown(title)}\n\n{intro} [{site.text(locale, 'version')} "
                f"{previous.version}](../{previous.version}.md) → [{site.text(locale, 'version')} "
                f"{release.version}](../{release.version}.md)\n\n"
                f"{_facts(site, locale, release)}"
                f"{html_fragment(changes, redline_words(site, locale), level=2, link='../')}\n")
    return Page(changes_path(document, release.version), _front(meta) + markdown, meta=meta)


def _facts(site: Site, locale: str, release: Release) -> str:
    """What a redline's reader must know first: status, class, dates and the summary."""
    kind = site.kind(release, locale)
    note = f" {site.text(locale, 'editorial_note')}" if release.kind == "editorial" else ""
    summary = site_markdown(release.summary.get(locale, ""))
    return (f"**{site.status(release, locale)}** · {kind}.{note}\n{{.policy-status}}\n\n"
            f"{_dates(site, locale, release)}\n\n"
            + (f"**{site.text(locale, 'summary')}:** {summary}\n\n" if summary else ""))
