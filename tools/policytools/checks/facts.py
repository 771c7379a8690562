"""Facts that a translation must keep: e-mails, web addresses, phones, dates, numbers, terms."""

from __future__ import annotations

from collections.abc import Iterator

from ..facts import ClauseFacts, Fact
from ..model import Clause, Finding
from ..rules import finding
from . import Pair, pair_check

NOUNS = {"email": "e-mail address", "url": "web address", "phone": "phone number",
         "date": "date", "number": "number", "code": "code", "term": "protected term"}


@pair_check
def facts_match(pair: Pair) -> Iterator[Finding]:
    """Every fact of the source clause is in its translation, and no other."""
    for s_clause, t_clause in pair.shared():
        s_facts, t_facts = pair.source.of(s_clause), pair.target.of(t_clause)
        for kind in NOUNS:
            s_vals, t_vals = s_facts.values(kind), t_facts.values(kind)
            if kind == "number":
                missing, extra = _numbers(s_facts, t_facts)
            elif s_vals.keys() == t_vals.keys():
                continue
            else:
                missing = [s_vals[v] for v in s_vals if v not in t_vals]
                extra = [t_vals[v] for v in t_vals if v not in s_vals]
            yield from _report(pair, t_clause, kind, missing, extra)


def _numbers(s_facts: ClauseFacts, t_facts: ClauseFacts) -> tuple[list[Fact], list[Fact]]:
    """Numbers one side has and the other lacks, in digits or in words.

    A number in words excuses the same number in digits on the other side. Numbers in words
    count as facts of their own only where one number replaces another ('seven working
    days' → 'acht werkdagen'): alone, a number word may be another word ('acht' is also
    Dutch for 'deems'), or one that text2num does not read in that language.
    """
    s_vals, t_vals = s_facts.values("number"), t_facts.values("number")
    missing = [s_vals[v] for v in s_vals if v not in t_vals]
    extra = [t_vals[v] for v in t_vals if v not in s_vals and v not in s_facts.word_numbers]
    readable = s_facts.lang is not None and t_facts.lang is not None  # by text2num
    spelled = [f for v, f in s_facts.spelled_numbers.items()
               if v not in s_vals and v not in t_vals] if readable else []
    if not (missing or spelled):
        return missing, extra  # the translation's words, read only when needed, excuse none
    t_words = t_facts.word_numbers
    missing = [f for f in missing if f.value not in t_words]
    if not readable:
        return missing, extra
    spelled = [f for f in spelled if f.value not in t_words]
    if len(missing + spelled) == 1:
        extra_words = [f for v, f in t_facts.spelled_numbers.items()
                       if v not in t_vals and v not in s_vals and v not in s_facts.word_numbers]
        if len(extra + extra_words) == 1:
            return missing + spelled, extra + extra_words
    return missing, extra


def _report(pair: Pair, clause: Clause, kind: str, missing: list[Fact],
            extra: list[Fact]) -> Iterator[Finding]:
    code = "fact-term" if kind == "term" else f"fact-{kind}"
    noun = NOUNS[kind]
    sname, tname = pair.source.name, pair.target.name
    if len(missing) == 1 and len(extra) == 1:
        old, new = missing[0], extra[0]
        yield finding(code, pair.doc, f"{clause.label}: {tname} gives the {noun} {new.text} "
                      f"where {sname} gives {old.text}", clause=clause, line=new.line,
                      source=old.text, translation=new.text, key=f"{old.value}>{new.value}")
        return
    for fact in missing:
        yield finding(code, pair.doc, f"{clause.label}: {sname} gives the {noun} {fact.text}, "
                      f"which {tname} lacks", clause=clause, source=fact.text,
                      key=f"-{fact.value}")
    for fact in extra:
        yield finding(code, pair.doc, f"{clause.label}: {tname} gives the {noun} {fact.text}, "
                      f"which {sname} does not have", clause=clause, line=fact.line,
                      translation=fact.text, key=f"+{fact.value}")
