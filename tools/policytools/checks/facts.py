"""Facts that a translation must keep: e-mails, web addresses, phones, dates, numbers, terms.

Facts are compared as multisets per clause: a value put in place of another that the clause
also holds ('04411285' twice and '04411310' once, then once and twice) is a replacement,
named with the occurrence it replaces. A value given fewer times and nothing in its place is
no finding: a translation may say 'it' for a repeated name or number.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher

from ..facts import REGION_ABBREVIATIONS, ClauseFacts, Fact, translated
from ..model import Clause, Finding
from ..rules import finding
from .registry import Pair, View, pair_check

NOUNS = {"email": "e-mail address", "url": "web address", "phone": "phone number",
         "date": "date", "number": "number", "code": "code", "term": "protected term",
         "name": "name"}
CODES = {"term": "fact-term", "name": "fact-identifier"}
ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
            "ninth", "tenth")
TIMES = {1: "once", 2: "twice"}
SIMILAR = 0.6  # difflib ratio above which a name reads as an altered name: BlueSky, BlueStar
SIMILAR_FROM = 4  # letters; shorter names ('UK', 'VK') are too alike to tell apart


@dataclass(frozen=True)
class Swap:
    """A value the translation gives in place of one the source gives."""

    old: Fact
    new: Fact
    nth: int  # which occurrence of the old value in the source clause it replaces
    total: int  # how often the source gives the old value
    kept: int  # how often the translation still gives it


@dataclass(frozen=True)
class Diff:
    """What a translation's facts of one kind lack and add, or one put in place of another."""

    missing: list[Fact]
    extra: list[Fact]
    swap: Swap | None = None


@pair_check("fact-email", "fact-url", "fact-phone", "fact-date", "fact-number", "fact-code",
            "fact-term", "fact-identifier")
def facts_match(pair: Pair) -> Iterator[Finding]:
    """Every fact of the source clause is in its translation, as often, and no other."""
    for s_clause, t_clause in pair.shared():
        s_facts, t_facts = pair.source.of(s_clause), pair.target.of(t_clause)
        for kind in NOUNS:
            if kind != "number" and s_facts.sequence(kind) == t_facts.sequence(kind):
                continue  # the common case: the same values in the same order
            if kind == "number":
                diff = _numbers(s_facts, t_facts)
            elif kind == "name":
                diff = _names(pair, s_facts, t_facts)
            else:
                diff = _compare(s_facts.listed(kind), t_facts.listed(kind))
            if diff is not None:
                yield from _report(pair, t_clause, kind, diff)


def _compare(s_list: Iterable[Fact], t_list: Iterable[Fact], *,
             s_excuse: frozenset[str] = frozenset(), t_excuse: frozenset[str] = frozenset(),
             reported: set[str] | None = None) -> Diff | None:
    """Compare occurrences; ``*_excuse`` values on one side excuse them on the other, and
    only ``reported`` values (default: all) are findings of their own."""
    s_list, t_list = list(s_list), list(t_list)
    s_count, t_count = Counter(f.value for f in s_list), Counter(f.value for f in t_list)
    if s_count == t_count:
        return None
    fewer = Counter({v: n for v, n in (s_count - t_count).items() if v not in t_excuse})
    more = Counter({v: n for v, n in (t_count - s_count).items() if v not in s_excuse})
    if fewer.total() == 1 and more.total() == 1:
        return Diff([], [], _swap(s_list, t_list, next(iter(fewer)), next(iter(more))))
    s_last, t_last = {f.value: f for f in s_list}, {f.value: f for f in t_list}
    missing = [s_last[v] for v in fewer if v not in t_count
               and (reported is None or v in reported)]
    extra = [t_last[v] for v in more if v not in s_count
             and (reported is None or v in reported)]
    if len(missing) == 1 and len(extra) == 1:  # one value for another, wherever it stood
        return Diff([], [], Swap(missing[0], extra[0], 1, s_count[missing[0].value], 0))
    return Diff(missing, extra) if missing or extra else None


def _swap(s_list: list[Fact], t_list: list[Fact], old: str, new: str) -> Swap:
    """The occurrence of ``old`` that ``new`` stands in for: the first place where, among
    the occurrences of the two values in order, the source has ``old`` and the translation
    ``new`` (else the first ``old`` and the last ``new``)."""
    s_sub = [f for f in s_list if f.value in (old, new)]
    t_sub = [f for f in t_list if f.value in (old, new)]
    at = next(((i, i) for i, (s, t) in enumerate(zip(s_sub, t_sub, strict=False))
               if s.value == old and t.value == new),
              ([f.value for f in s_sub].index(old),
               len(t_sub) - 1 - [f.value for f in t_sub][::-1].index(new)))
    i, j = at
    old_vals = [f.value for f in s_sub]
    return Swap(s_sub[i], t_sub[j], old_vals[:i + 1].count(old), old_vals.count(old),
                sum(1 for f in t_list if f.value == old))


def _numbers(s_facts: ClauseFacts, t_facts: ClauseFacts) -> Diff | None:
    """Numbers compared in digits and in words, as often on each side.

    A number in words ('seven') and the same in digits are one number; an ordinal word
    ('third') excuses the same number in digits. Numbers in words are findings of their own
    only where one number replaces another ('seven working days' → 'acht werkdagen'):
    alone, a number word may be another word ('acht' is also Dutch for 'deems'). The
    translation's words are read only where its digits do not account for the source.
    """
    readable = s_facts.lang is not None and t_facts.lang is not None  # by text2num
    s_words = s_facts.cardinal_words if readable else ()
    if not s_words and s_facts.sequence("number") == t_facts.sequence("number"):
        return None  # the same digits, and no words in the source to account for
    s_digits, t_digits = s_facts.listed("number"), t_facts.listed("number")
    s_all = _by_line(s_digits, s_words)
    short = Counter(f.value for f in s_all) - Counter(f.value for f in t_digits)
    t_all = _by_line(t_digits, t_facts.cardinal_words if readable and short else ())
    s_excuse = s_facts.word_numbers - {f.value for f in s_all}
    t_excuse = (t_facts.word_numbers if short else frozenset()) - {f.value for f in t_all}
    return _compare(s_all, t_all, s_excuse=s_excuse, t_excuse=t_excuse,
                    reported={f.value for f in (*s_digits, *t_digits)})


def _by_line(digits: tuple[Fact, ...], words: tuple[Fact, ...]) -> list[Fact]:
    return sorted((*digits, *words), key=lambda f: f.line)


def _names(pair: Pair, s_facts: ClauseFacts, t_facts: ClauseFacts) -> Diff | None:
    """Names inferred from their shape ('PartnerView', 'WINT'), which translators keep.

    A name missing or replaced is a finding, unless it is an abbreviation that languages
    write their own way ('GDPR' → 'AVG', 'UK' → 'VK', 'APAC' → 'Asie-Pacifique'; see
    ``facts.translated``) and what stands in its place is no other name of the source, no
    name that looks like it, and no other business region ('APAC' → 'LATAM').
    Names that a translation adds are not: it may name what the source calls 'we'. A word
    in capitals that the document also writes in small letters is emphasis ('we do NOT').
    """
    excluded = pair.source.project.not_terms
    s_list = [f for f in s_facts.listed("name") if f.value not in excluded
              and not _emphasis(f.value, pair.source)]
    t_list = [f for f in t_facts.listed("name") if f.value not in excluded
              and not _emphasis(f.value, pair.target)]
    diff = _compare(s_list, t_list)
    if diff is None:
        return None
    swap = diff.swap
    if swap is not None:
        old, new = swap.old.value, swap.new.value
        if new in pair.source.names or _alike(old, new) or not translated(old) or \
                {old, new} <= REGION_ABBREVIATIONS:
            return diff
        return None
    missing = [f for f in diff.missing if not translated(f.value)]
    return Diff(missing, []) if missing else None


def _emphasis(name: str, view: View) -> bool:
    return name.isupper() and name.lower() in view.words


def _alike(old: str, new: str) -> bool:
    """'BlueSky' and 'BlueStar' look alike; 'OECD' and 'OCDE', one abbreviation's letters
    in another language's order, are a translation."""
    if min(len(old), len(new)) < SIMILAR_FROM or sorted(old) == sorted(new):
        return False
    return SequenceMatcher(None, old.lower(), new.lower()).ratio() >= SIMILAR


def _report(pair: Pair, clause: Clause, kind: str, diff: Diff) -> Iterator[Finding]:
    code = CODES.get(kind, f"fact-{kind}")
    noun = NOUNS[kind]
    sname, tname = pair.source.name, pair.target.name
    if diff.swap is not None:
        old, new, nth, total, kept = (diff.swap.old, diff.swap.new, diff.swap.nth,
                                      diff.swap.total, diff.swap.kept)
        message = f"{clause.label}: {tname} gives the {noun} {new.text} where {sname} gives " \
                  f"{old.text}"
        key = f"{old.value}>{new.value}"
        if kept:
            message += f" for the {_ordinal(nth)} time ({sname} gives {old.text} " \
                       f"{_times(total)}, {tname} {_times(kept)})"
            key += f"#{nth}"
        yield finding(code, pair.doc, message, clause=clause, line=new.line,
                      source=old.text, translation=new.text, key=key)
        return
    for fact in diff.missing:
        yield finding(code, pair.doc, f"{clause.label}: {sname} gives the {noun} {fact.text}, "
                      f"which {tname} lacks", clause=clause, source=fact.text,
                      key=f"-{fact.value}")
    for fact in diff.extra:
        yield finding(code, pair.doc, f"{clause.label}: {tname} gives the {noun} {fact.text}, "
                      f"which {sname} does not have", clause=clause, line=fact.line,
                      translation=fact.text, key=f"+{fact.value}")


def _ordinal(n: int) -> str:
    return ORDINALS[n - 1] if n <= len(ORDINALS) else f"{n}th"


def _times(n: int) -> str:
    return TIMES.get(n, f"{n} times")
