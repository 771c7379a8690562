"""A Python-Markdown extension: a backslash at the end of a line is a hard line break.

The policy format is CommonMark, in which an address block ends every line but the last with
``\\``; Python-Markdown, which renders the site, only knows two trailing spaces. Code spans and
code blocks keep their backslashes (inline patterns never run inside them), and an escaped
backslash ``\\\\`` at a line end stays a backslash, as in CommonMark.
"""

from __future__ import annotations

from typing import Any

from markdown import Extension, Markdown
from markdown.inlinepatterns import SubstituteTagInlineProcessor

NAME = "policytools.hardbreak"


class HardBreakExtension(Extension):
    """Turns a backslash before a line end into ``<br>``."""

    def extendMarkdown(self, md: Markdown) -> None:
        # last of all, as pymdownx.escapeall does: 'escape' (180) has by then taken '\\\\'
        md.inlinePatterns.register(SubstituteTagInlineProcessor(r"\\\n", "br"),
                                   "policy_hardbreak", 5)


def makeExtension(**kwargs: Any) -> HardBreakExtension:
    """The entry point Python-Markdown calls for ``policytools.hardbreak``."""
    return HardBreakExtension(**kwargs)
