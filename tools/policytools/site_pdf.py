"""Each released text as a printable document: the HTML that becomes its PDF, and its link.

Pure, like :mod:`site`: strings in, strings out. Everything in the document is frozen with
the release (its title, version, dates, translation statement and text), so the same release
always gives the same HTML, and :mod:`pdf` the same bytes. The page's words (its running
footer "Page 3 of 7", the size "PDF, 85 kB") come from the locale's ``site.yml``.
"""

from __future__ import annotations

import re
import string
from html import unescape
from typing import TYPE_CHECKING

from .plaintext import html_text, safe_chars, site_markdown
from .site_statement import statement

if TYPE_CHECKING:
    from .ledger import Release
    from .site import Site

# The address of a link is printed after it (print style), unless the link shows it already.
_LINK = re.compile(r'<a\b[^>]*?\shref="([^"]*)"[^>]*>([^<]*)</a>')
_CSS = """\
@page {
  size: A4; margin: 22mm 20mm 24mm;
  @top-center { content: SITE_NAME; font-size: 8pt; color: #444; }
  @bottom-left { content: string(title) " · " string(version); font-size: 8pt; color: #444; }
  @bottom-right { content: PAGE_COUNTER; font-size: 8pt; color: #444; }
}
html { font-family: "DejaVu Sans", "Liberation Sans", sans-serif; font-size: 10pt;
       line-height: 1.45; color: #000; }
body { margin: 0; }
h1 { string-set: title content(); font-size: 18pt; margin: 4mm 0 2mm; }
.policy-pdf-version { string-set: version content(); }
.policy-pdf-meta { margin: 0 0 6mm; }
h2 { font-size: 13pt; margin: 6mm 0 2mm; break-after: avoid; }
h3 { font-size: 11pt; margin: 4mm 0 2mm; break-after: avoid; }
p, li { orphans: 3; widows: 3; }
table { border-collapse: collapse; width: 100%; margin: 2mm 0 4mm; }
th, td { border: 0.5pt solid #777; padding: 1.5mm 2mm; text-align: left; vertical-align: top; }
tr { break-inside: avoid; }
a { color: inherit; text-decoration: underline; overflow-wrap: anywhere; }
.policy-translation { border-left: 1.5pt solid #444; padding: 1mm 4mm; margin: 0 0 6mm; }
.policy-corrects { font-weight: bold; }
img, script, style, iframe, object, embed, video, audio { display: none; }
"""


def pdf_path(document: str, version: str) -> str:
    """Where the PDF of a version lives, beside its page: ``privacy/2026-01-10.pdf``."""
    return f"{document}/{version}.pdf"


def pdf_link(site: Site, locale: str, document: str, version: str, size: int, up: str) -> str:
    """The Markdown link to a version's PDF with its size in the locale's words."""
    label = site.text(locale, "pdf", size=file_size(site, locale, size))
    return f'[{site_markdown(label)}]({up}{pdf_path(document, version)})' \
           '{: .policy-pdf type="application/pdf" }'


def file_size(site: Site, locale: str, size: int) -> str:
    """'85 kB', '1.2 MB' (decimal units), as the locale writes them."""
    from babel.units import format_unit

    tag = site.babel_locale(locale)
    if size < 1_000_000:
        return format_unit(max(1, round(size / 1000)), "digital-kilobyte", length="short",
                           locale=tag)
    return format_unit(round(size / 1_000_000, 1), "digital-megabyte", length="short",
                       locale=tag)


def print_markdown(site: Site, locale: str, document: str, release: Release, root: str) -> str:
    """The Markdown of the PDF's content after its head: the statement and the text.

    ``root`` leads to the site's root: its address, so that links work on paper too.
    """
    from .site import body, safe

    return statement(site, locale, document, release, root) + \
        body(safe(site.archived_text(release, locale, document)))


def print_document(site: Site, locale: str, document: str, release: Release,
                   content: str, title: str) -> str:
    """The whole HTML document of a version's PDF around ``content`` (from
    :func:`print_content`); ``title`` is the document's published title, for a text that
    has none of its own."""
    title = site.archived(release, locale, document).title or title
    site_name = site.text(locale, "site_name")
    css = _CSS.replace("PAGE_COUNTER", _page_counter(str(site.strings(locale)["pdf_page"]))) \
        .replace("SITE_NAME", css_string(safe_chars(site_name)))
    day = release.released.isoformat()
    return (f'<!DOCTYPE html>\n<html lang="{html_text(locale)}">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{html_text(title)} ({html_text(release.version)})</title>\n"
            f'<meta name="author" content="{html_text(site_name)}">\n'
            f'<meta name="dcterms.created" content="{day}">\n'
            f'<meta name="dcterms.modified" content="{day}">\n'
            f"<style>\n{css}</style>\n</head>\n<body>\n<h1>{html_text(title)}</h1>\n"
            f"{_meta(site, locale, release)}{_corrects(site, locale, document, release)}"
            f"{content}\n</body>\n</html>\n")


def print_content(html: str) -> str:
    """The rendered statement and text, ready for paper: link addresses shown, and each
    control character as U+FFFD (one garbles the PDF's text after it)."""
    return _hrefs(safe_chars(html))


def _meta(site: Site, locale: str, release: Release) -> str:
    """'Version V · Effective date: D · Released on R': what never changes about it."""
    released = site.text(locale, "released_on", date=site.date(locale, release.released))
    return (f'<p class="policy-pdf-meta"><span class="policy-pdf-version">'
            f'{html_text(site.text(locale, "version"))} {html_text(release.version)}</span> · '
            f'{html_text(site.text(locale, "effective"))}: '
            f"{html_text(site.date(locale, release.effective))} · {html_text(released)}</p>\n")


def _corrects(site: Site, locale: str, document: str, release: Release) -> str:
    """'Corrects version V.', as the version's page says it."""
    from .site import corrected

    old = corrected(site, locale, document, release)
    if old is None:
        return ""
    text = site.text(locale, "corrects", version=old.version)
    return f'<p class="policy-corrects">{html_text(text)}</p>\n'


def _page_counter(template: str) -> str:
    """'Page {page} of {pages}' as CSS content: quoted text and the page counters."""
    parts = []
    for literal, name, _, _ in string.Formatter().parse(template):
        if literal:
            parts.append(css_string(literal))
        if name is not None:
            parts.append("counter(page)" if name == "page" else "counter(pages)")
    return " ".join(parts) or '""'


def css_string(text: str) -> str:
    """``text`` as a CSS string: every character but letters, digits and spaces escaped."""
    return '"' + "".join(ch if ch.isascii() and (ch.isalnum() or ch == " ")
                         else f"\\{ord(ch):x} " for ch in text) + '"'


def _hrefs(html: str) -> str:
    """After each link whose text is not its address, the address (in parentheses)."""

    def mark(match: re.Match[str]) -> str:
        href, text = match.groups()
        address, shown = unescape(href), unescape(text).strip()
        if address.startswith("#") or shown in (address, address.removeprefix("mailto:")):
            return match.group(0)
        return f'{match.group(0)}<span class="policy-pdf-href"> ({href})</span>'

    return _LINK.sub(mark, html)
