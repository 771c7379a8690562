"""Addresses: the same in source and translation, and written one way within a document."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import combinations

from ..addresses import Address, differences, pair_up, same_place
from ..model import Clause, Finding
from ..rules import finding
from .registry import Pair, View, document_check, pair_check

# Past this many differences, listing them says less than "a different address".
MAX_LISTED = 3


@pair_check("address-mismatch", "address-missing", "address-extra")
def addresses_match(pair: Pair) -> Iterator[Finding]:
    """Each address of a source clause is in its translation, part for part."""
    sname, tname = pair.source.name, pair.target.name
    for s_clause, t_clause in pair.shared():
        s_addr = list(pair.source.of(s_clause).addresses)
        t_addr = list(pair.target.of(t_clause).addresses)
        pairs, missing, extra = pair_up(s_addr, t_addr)
        for src, tgt in pairs:
            said = differences(src, tgt)
            if not said:
                continue
            detail = "a different address" if len(said) > MAX_LISTED else "; ".join(said)
            yield finding(
                "address-mismatch", pair.doc, f"{t_clause.label}: {tname} gives the address as "
                f"‘{tgt.text}’ where {sname} gives ‘{src.text}’: {detail}", clause=t_clause,
                line=tgt.line, source=src.text, translation=tgt.text, key=_key(src, tgt))
        for src in missing:
            yield finding("address-missing", pair.doc, f"{t_clause.label}: {sname} gives the "
                          f"address ‘{src.text}’, which {tname} lacks", clause=t_clause,
                          source=src.text, key=_key(src, None))
        for tgt in extra:
            yield finding("address-extra", pair.doc, f"{t_clause.label}: {tname} gives the "
                          f"address ‘{tgt.text}’, which {sname} does not have",
                          clause=t_clause, line=tgt.line, translation=tgt.text,
                          key=_key(None, tgt))


def _key(src: Address | None, tgt: Address | None) -> str:
    def one(a: Address | None) -> str:
        return "" if a is None else f"{'|'.join(sorted(a.words))}@{a.postcode}"
    return f"{one(src)}>{one(tgt)}"


def inconsistencies(view: View) -> Iterator[tuple[Clause, Address, Clause, Address]]:
    """Pairs of addresses in one document that name one place with different postcodes."""
    found = [(c, a) for c in view.doc.clauses for a in view.of(c).addresses if a.postcode]
    for (c1, a1), (c2, a2) in combinations(found, 2):
        if a1.postcode != a2.postcode and same_place(a1, a2):
            yield c1, a1, c2, a2


@document_check("address-inconsistent")
def addresses_consistent(view: View) -> Iterator[Finding]:
    """One document does not write the same address with two postcodes."""
    if view.source is not None:
        # A translation's addresses are held to its source by addresses_match, which names
        # the one that drifted; an inconsistency the source has is reported there, once.
        return
    for c1, a1, c2, a2 in inconsistencies(view):
        place = a1.parts[0] if a1.parts else a1.text
        yield finding(
            "address-inconsistent", view.doc, f"{view.name} writes the address of {place} "
            f"two ways: postcode {a1.postcode} in {c1.label} (line {a1.postcode_line or a1.line})"
            f" but {a2.postcode} in {c2.label}", clause=c2, line=a2.postcode_line or a2.line,
            source=a1.text, translation=a2.text,
            key=f"{c1.id}:{a1.postcode}>{c2.id}:{a2.postcode}")

