"""Completeness: a sentence left out of a translation is drift too, even with no fact in it.

Lengths are compared with what the rest of the same translation suggests (the median ratio of
translated to source length over the document), so a language that runs longer than English
is not flagged for it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from statistics import median

from ..model import Block, Clause, Finding
from ..rules import finding
from .registry import Pair, pair_check

SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]*\s+(?=[\"“‘„(]*[A-Z0-9À-Ý])")
ABBREVIATION = re.compile(r"(?:\b[A-Za-z]\.){2,}$|\b(?:Ltd|Inc|Co|No|Nr|St|Mr|Ms|Dr|etc|bijv|"
                          r"nr|art|vs|ca|resp|incl|excl)\.$")
MIN_CHARS = 150  # shorter clauses vary too much to judge by length
OUTLIER = 1.6  # a clause this many times shorter or longer than expected is flagged
SHORT_PARAGRAPH = 0.8  # a paragraph with a sentence fewer must also be this much shorter


@cache  # a source paragraph is counted once for all its translations
def sentences(text: str) -> int:
    """How many sentences ``text`` holds; abbreviations such as 'Ltd.' end none."""
    count, start = 1, 0
    for m in SENTENCE_END.finditer(text):
        # an abbreviation ends right where the sentence seems to: look only there
        if not ABBREVIATION.search(text, max(start, m.start() - 12), m.start()):
            count += 1
        start = m.end()
    return count if text.strip() else 0


def _paragraphs(clause: Clause) -> tuple[Block, ...]:
    return clause.blocks_of("paragraph", "address")


def _length(clause: Clause) -> int:
    return sum(len(b.text) for b in clause.blocks)


@pair_check("paragraphs-missing", "sentences-missing", "length-outlier")
def complete(pair: Pair) -> Iterator[Finding]:
    """Translated clauses have their source's paragraphs, sentences and a plausible length."""
    shared = [(s, t) for s, t in pair.shared() if not s.is_preamble]
    # an untranslated (empty) clause says nothing of how long the language runs
    ratios = [_length(t) / _length(s) for s, t in shared
              if _length(s) >= MIN_CHARS and _length(t)]
    expected = median(ratios) if ratios else 1.0
    sname, tname = pair.source.name, pair.target.name
    for s_clause, t_clause in shared:
        s_par, t_par = _paragraphs(s_clause), _paragraphs(t_clause)
        if len(t_par) < len(s_par):
            yield finding("paragraphs-missing", pair.doc, f"{t_clause.label} has "
                          f"{len(t_par)} paragraph{'s' * (len(t_par) != 1)} where {sname} has "
                          f"{len(s_par)}: a paragraph may be left untranslated", clause=t_clause,
                          source=str(len(s_par)), translation=str(len(t_par)),
                          key=f"{len(s_par)}>{len(t_par)}")
        elif len(t_par) == len(s_par):
            yield from _sentences(pair, t_clause, s_par, t_par, expected)
        s_len, t_len = _length(s_clause), _length(t_clause)
        if s_len < MIN_CHARS or not t_len:
            continue
        ratio = t_len / s_len / expected
        if ratio < 1 / OUTLIER or ratio > OUTLIER:
            word = "shorter" if ratio < 1 else "longer"
            yield finding("length-outlier", pair.doc, f"{t_clause.label} is {_times(ratio)} "
                          f"{word} than the rest of {tname} suggests ({t_len} characters for "
                          f"{s_len} in {sname}): check that it translates all of its source",
                          clause=t_clause, source=str(s_len), translation=str(t_len),
                          key=word)


def _times(ratio: float) -> str:
    factor = ratio if ratio >= 1 else 1 / ratio
    return f"{factor:.1f} times"


def _sentences(pair: Pair, clause: Clause, s_par: tuple[Block, ...], t_par: tuple[Block, ...],
               expected: float) -> Iterator[Finding]:
    for index, (s_block, t_block) in enumerate(zip(s_par, t_par, strict=True)):
        if s_block.kind == "address":
            continue
        if len(t_block.text) >= SHORT_PARAGRAPH * expected * len(s_block.text):
            continue  # a paragraph as long as expected has lost no sentence: skip counting
        s_n, t_n = sentences(s_block.text), sentences(t_block.text)
        if t_n < s_n:
            yield finding("sentences-missing", pair.doc, f"paragraph {index + 1} of "
                          f"{clause.label} has {t_n} sentence{'s' * (t_n != 1)} where "
                          f"{pair.source.name} has {s_n}, and is shorter than expected: a "
                          "sentence may be left out", clause=clause, line=t_block.line,
                          source=str(s_n), translation=str(t_n), key=f"{index}:{s_n}>{t_n}")
