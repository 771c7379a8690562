"""Markup: a text puts no raw HTML on its page and links to no script (see ``markup``)."""

from __future__ import annotations

from collections.abc import Iterator

from ..markup import ALLOWED_TAGS, SAFE_SCHEMES, target_of
from ..model import Clause, Document, Finding, Markup
from ..rules import finding
from .registry import View, document_check

_TAGS = ", ".join(f"<{tag}>" for tag in sorted(ALLOWED_TAGS))
_SCHEMES = ", ".join(sorted(SAFE_SCHEMES))


@document_check("markup-html", "markup-link")
def markup_safe(view: View) -> Iterator[Finding]:
    """No raw HTML but plain inline tags, and no link to a scheme that runs or embeds."""
    doc = view.doc
    for item in doc.markup:
        clause = _clause_at(doc, item.line)
        where = clause.label if clause else "the title"  # only front matter precedes them
        code, message = _said(item, where)
        yield finding(code, doc, message, clause=clause, line=item.line,
                      translation=item.quote, key=item.quote)


def _said(item: Markup, where: str) -> tuple[str, str]:
    if item.kind == "link":
        return "markup-link", (f"{where} links to ‘{target_of(item)}’: use an https link (only "
                               f"{_SCHEMES} links and links within the site are published)")
    quote = " ".join(item.quote.split())
    return "markup-html", (f"{where} holds raw HTML ‘{quote}’: write it as Markdown (only "
                           f"{_TAGS} without attributes may stand in a text)")


def _clause_at(doc: Document, line: int) -> Clause | None:
    found = None
    for clause in doc.clauses:
        if clause.line <= line:
            found = clause
    return found
