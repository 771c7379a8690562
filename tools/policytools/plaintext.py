"""Plain text (summaries, titles) made safe where the site and the redlines put it.

Whatever a summary or title holds — ``<script>``, ``[x](javascript:…)``, ``# Heading {#id}``,
``*emphasis*`` — is shown as written and never becomes an element, a heading or an anchor.
"""

from __future__ import annotations

import re
from html import escape

# What XML 1.0 forbids (C0 controls but tab and line ends, lone surrogates, U+FFFE and U+FFFF)
# and the C1 controls: ill-formed in a feed, invisible on a page. Each becomes U+FFFD, so a
# reader sees that a character was there rather than a silently shorter text.
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
REPLACEMENT = "\ufffd"
# Punctuation that starts markup and that a backslash escapes: in Python-Markdown with the
# site's extensions (its ESCAPED_CHARS plus the tables extension's '|'), and in CommonMark,
# where GitHub's '~' strikes through.
# What a terminal acts on instead of showing: C0 and C1 controls (ESC starts a sequence that
# can recolour, retitle or rewrite the screen) and the bidirectional overrides and isolates
# that make a line read otherwise than it is stored.
_TERMINAL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_SITE_MARKUP = re.compile(r"([\\`*_{}\[\]()#+\-.!|>])")
_COMMONMARK_MARKUP = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~])")


def safe_chars(text: str) -> str:
    """``text`` with every character XML 1.0 forbids (and C1 controls) replaced by U+FFFD."""
    return _UNSAFE.sub(REPLACEMENT, text)


def terminal(text: str) -> str:
    """``text`` for a terminal: each control character shown as ``<U+001B>``, never obeyed."""
    return _TERMINAL.sub(lambda m: f"<U+{ord(m.group()):04X}>", text)


def site_markdown(text: str) -> str:
    """Plain text as Python-Markdown inline text: one line, no markup, no raw HTML."""
    # one line: a line break could start a block (a setext heading, an indented code block)
    line = " ".join(safe_chars(text).split())
    return _SITE_MARKUP.sub(r"\\\1", escape(line, quote=False))


def commonmark(text: str) -> str:
    """Plain text as CommonMark (GitHub) inline text; spaces and line breaks are kept."""
    return _COMMONMARK_MARKUP.sub(r"\\\1", escape(safe_chars(text), quote=False))


def html_text(text: str) -> str:
    """Plain text for an HTML text node or attribute value."""
    return escape(safe_chars(text), quote=True)


