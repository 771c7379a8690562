"""What a policy text may not put on a page: raw HTML and links that run script.

One place decides what is unsafe: the check (``checks.markup``) refuses it, an import
(``exchange.added_markup``) refuses a unit that adds it, and the site neutralises it in any
text published anyway (released with ``--allow-drift``, or archived before this rule).

The site renders with Python-Markdown, which passes raw HTML through and keeps any link
target, while markdown-it (the parser of ``parse``) reads a script link as plain text and
knows fenced code the site's Python-Markdown does not (no fenced_code extension), and the two
nest indented code in lists differently. So no parser's tree decides: the raw text is scanned
as the most willing reader would take it, code spans and code blocks included (a policy has
no reason to show HTML as code), and link targets are judged as a browser reads them
(entities and percent-escapes decoded, tabs and newlines dropped, scheme in any case).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from urllib.parse import unquote

from .model import Markup, MarkupKind

# Inline tags that change only how text looks, never what a page does; with no attribute
# they cannot carry a script, a style or a link. <br> breaks lines in table cells.
ALLOWED_TAGS = frozenset({"br", "sup", "sub", "abbr", "b", "i", "em", "strong", "u", "s",
                          "small", "mark"})
SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})

# Possessive quantifiers (*+): no input makes a match backtrack over what it read.
# An autolink '<scheme:…>' first, so it is not read as a tag named after its scheme.
_RAW = re.compile(
    r"(?P<autolink><(?P<auto>[A-Za-z][A-Za-z0-9+.-]{1,31}:[^<>\s]*)>)"
    r"|(?P<mail><[^<>\s!@]++@[^@<>\s]++>)"
    r"|(?P<comment><!--.*?(?:-->|\Z))"
    r"|(?P<decl><[!?][^>]*>?)"
    r"|(?P<tag><\s*+(?:/\s*+)?(?P<name>[A-Za-z][A-Za-z0-9:-]*+)"
    r"(?P<attrs>(?:[^<>\"']|\"[^\"]*+\"|'[^']*+')*+)>)"
    r"|(?P<link>\]\(\s*+<?(?P<url>(?:[^()\s<>]|\([^()]*+\))*+))"
    r"|(?P<refdef>^[ ]{0,3}\[[^\]\n]+\]:[ \t]*<?(?P<ref>\S*?)>?(?=\s|\Z))"
    r"|(?P<attrlist>(?<!\\)\{:?[^{}\n=]*+=[^{}\n]*+\})",
    re.S | re.M)
_TAG_NAME = re.compile(r"<\s*/?\s*([A-Za-z][A-Za-z0-9:-]*)")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]")
_SCHEME = re.compile(r"([a-z][a-z0-9+.-]*):")


def unsafe_link(target: str) -> bool:
    """True if a browser would follow ``target`` to another scheme than http, https, mailto
    or tel ('JaVaScRiPt:', 'java&#x09;script:', '%6aavascript:'); relative links are safe."""
    seen = _INVISIBLE.sub("", unquote(html.unescape(target))).lower()
    scheme = _SCHEME.match(seen)
    return scheme is not None and scheme[1] not in SAFE_SCHEMES


def scan(text: str) -> Iterator[Markup]:
    """Each raw HTML element, comment or attribute list and each unsafe link of ``text``."""
    for m in _RAW.finditer(text):
        kind = _judge(m)
        if kind is not None:
            quote = text[m.start():m.end()]
            yield Markup(text.count("\n", 0, m.start()) + 1, kind, quote, m.start(), m.end())


def named(item: Markup) -> str:
    """How a message names unsafe markup: '<img>' for a tag, 'javascript:' for a link (its
    scheme as written), the text itself for a comment or attribute list."""
    if item.kind == "link":
        target = target_of(item)
        return target[:target.index(":") + 1] if ":" in target else target
    tag = _TAG_NAME.match(item.quote)
    return f"<{tag[1].lower()}>" if tag else item.quote


def target_of(item: Markup) -> str:
    """The target of an unsafe link as written: 'javascript:x' of '](javascript:x',
    '[ref]: javascript:x' or '<javascript:x>'."""
    quote = " ".join(item.quote.split())
    if quote.startswith("]("):
        quote = quote[2:]
    elif quote.startswith("["):
        quote = quote.partition("]:")[2]
    return quote.strip().removeprefix("<").removesuffix(">").strip()


def neutralised(text: str) -> str:
    """``text`` with its unsafe markup written as text: '<' as '&lt;', a link's '](' as
    ']\\(', so Python-Markdown shows it instead of making an element or link; lines kept."""
    out: list[str] = []
    done = 0
    for item in scan(text):
        out.append(text[done:item.start])
        out.append(_escaped(item.quote))
        done = item.end
    out.append(text[done:])
    return "".join(out)


def _escaped(quote: str) -> str:
    if quote.startswith("<"):
        return "&lt;" + quote[1:]
    if quote.startswith("]"):
        return "]\\" + quote[1:]
    if quote.startswith("{"):
        return "\\" + quote
    indent = len(quote) - len(quote.lstrip(" "))
    return quote[:indent] + "\\" + quote[indent:]


def _judge(m: re.Match[str]) -> MarkupKind | None:
    if m["mail"]:
        return None
    if m["autolink"]:
        return "link" if unsafe_link(m["auto"]) else None
    if m["link"]:
        return "link" if unsafe_link(m["url"]) else None
    if m["refdef"]:
        return "link" if unsafe_link(m["ref"]) else None
    if m["tag"]:
        attrs = m["attrs"].strip()
        allowed = m["name"].lower() in ALLOWED_TAGS and attrs in ("", "/")
        return None if allowed else "html"
    return "html"

