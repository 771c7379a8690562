"""Cross-references: links reach an existing clause, name its number, match the source."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from ..model import Clause, Finding, Link
from ..rules import finding
from .registry import Pair, View, document_check, pair_check


def _links(clause: Clause) -> Iterator[Link]:
    for block in clause.blocks:
        yield from block.links


def clause_anchor(target: str, document: str) -> tuple[str, str] | None:
    """('privacy', 'collection') for '#collection' or 'privacy.md#collection'; else None."""
    path, hash_, anchor = target.partition("#")
    if not hash_ or "://" in path or path.startswith("mailto:"):
        return None
    name = path.rsplit("/", 1)[-1].removesuffix(".md") if path else document
    return name or document, anchor


@document_check("xref-broken", "xref-number", "xref-unlinked")
def links_resolve(view: View) -> Iterator[Finding]:
    """Every link to a clause anchor reaches a clause, and its text names that clause's number."""
    doc = view.doc
    for clause in doc.clauses:
        for link in _links(clause):
            found = clause_anchor(link.target, doc.name)
            if found is None or found[0] != doc.name:
                continue
            target = doc.clause(found[1])
            if target is None:
                yield finding("xref-broken", doc, f"the link ‘{link.text}’ in {clause.label} "
                              f"points at #{found[1]}, which is no clause of {doc.path}",
                              clause=clause, line=link.line, translation=link.target,
                              key=link.target)
        for ref in view.of(clause).refs:
            if ref.target is None:
                suggestion = doc.by_number.get(ref.number)
                hint = (f": write [{ref.text}](#{suggestion.id})" if suggestion else
                        f", and no clause is numbered {ref.number}")
                yield finding("xref-unlinked", doc, f"{clause.label} refers to ‘{ref.text}’ "
                              f"by number only{hint}", clause=clause, line=ref.line,
                              translation=ref.text, key=ref.text)
                continue
            found = clause_anchor(ref.target, doc.name)
            target = doc.clause(found[1]) if found and found[0] == doc.name else None
            if target is not None and target.number != ref.number:
                yield finding("xref-number", doc, f"{clause.label} says ‘{ref.text}’ but links "
                              f"to {target.label}: write {target.number}", clause=clause,
                              line=ref.line, source=target.number, translation=ref.number,
                              key=f"{ref.text}>{ref.target}")


@pair_check("xref-mismatch")
def links_match(pair: Pair) -> Iterator[Finding]:
    """A translated clause links to the same clauses as its source clause."""
    for s_clause, t_clause in pair.shared():
        s_targets = Counter(a for a in (clause_anchor(x.target, pair.doc.name) for x in
                                        _links(s_clause)) if a)
        t_targets = Counter(a for a in (clause_anchor(x.target, pair.doc.name) for x in
                                        _links(t_clause)) if a)
        if s_targets == t_targets:
            continue
        s_text = _targets(s_targets, pair.doc.name)
        t_text = _targets(t_targets, pair.doc.name)
        yield finding("xref-mismatch", pair.doc, f"{t_clause.label} links to {t_text} where "
                      f"{pair.source.name} links to {s_text}", clause=t_clause,
                      source=s_text, translation=t_text, key=f"{s_text}>{t_text}")


def _targets(targets: Counter[tuple[str, str]], document: str) -> str:
    """'#use, cookies.md#use': anchors of this document bare, of another with its file."""
    return ", ".join(sorted(f"{'' if name == document else f'{name}.md'}#{anchor}"
                            for name, anchor in targets.elements())) or "nothing"
