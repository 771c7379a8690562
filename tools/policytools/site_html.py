"""A page's rendered content, marked for the reader: the number of each clause heading.

A clause heading's number ("4.2") is put in a span of its own so that the stylesheet can hang
it in the margin, as legal texts set their numbers. Pure.
"""

from __future__ import annotations

import re

_CLAUSE_NUMBER = re.compile(r"(<h[23]\b[^>]*>)([0-9]+(?:\.[0-9]+)*\.?)[ \t]+")


def clause_numbers(html: str) -> str:
    """``html`` with each clause heading's leading number in a ``policy-clause-number`` span."""
    return _CLAUSE_NUMBER.sub(r'\1<span class="policy-clause-number">\2</span> ', html)
