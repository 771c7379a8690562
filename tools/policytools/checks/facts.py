"""Facts that a translation must keep: e-mails, web addresses, phones, dates, numbers, terms."""

from __future__ import annotations

from collections.abc import Iterator

from ..facts import Fact
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
            if s_vals.keys() == t_vals.keys():
                continue
            missing = [v for v in s_vals if v not in t_vals]
            extra = [v for v in t_vals if v not in s_vals]
            if kind == "number":
                missing = [v for v in missing if v not in t_facts.word_numbers]
                extra = [v for v in extra if v not in s_facts.word_numbers]
            yield from _report(pair, t_clause, kind, [s_vals[v] for v in missing],
                               [t_vals[v] for v in extra])


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
