"""Stale translations: the source clause changed since the translation was confirmed."""

from __future__ import annotations

from collections.abc import Iterator

from ..confirmations import canonical, state, translation_edited
from ..diff import word_diff
from ..model import Finding
from ..redline import compact
from ..rules import finding
from .registry import Pair, pair_check


@pair_check("translation-stale", "translation-unconfirmed")
def up_to_date(pair: Pair) -> Iterator[Finding]:
    """Each translated clause was confirmed against the source text it now has."""
    confirmations = pair.confirmations
    if confirmations is None:
        return
    locale, document = pair.doc.locale, pair.doc.name
    sname, tname = pair.source.name, pair.target.name
    unconfirmed = []
    for s_clause, t_clause in pair.shared():
        now = state(confirmations, s_clause, t_clause, locale, document)
        if now == "unconfirmed":
            unconfirmed.append(t_clause)
        elif now == "stale" and translation_edited(confirmations, t_clause, locale, document,
                                                   s_clause.id):
            record = confirmations.record_for(locale, document, s_clause.id)
            yield finding("translation-stale", pair.doc, f"{t_clause.label}: {tname} changed "
                          f"since it was confirmed: once it matches {sname} again, run policy "
                          f"confirm {locale} {document}#{s_clause.id}", clause=t_clause,
                          key=f"{s_clause.id}:edited:{record.translation if record else ''}")
        elif now == "stale":
            seen = confirmations.hash_for(locale, document, s_clause.id) or ""
            before = confirmations.texts.get(seen)
            change = compact(word_diff(before, canonical(s_clause))) if before else \
                "the confirmed text is not on record"
            yield finding("translation-stale", pair.doc, f"{t_clause.label}: {sname} changed "
                          f"since {tname} was confirmed: {change}; update the translation, "
                          f"then run policy confirm {locale} {document}#{s_clause.id}",
                          clause=t_clause, source=change, key=f"{s_clause.id}:{seen}")
    if unconfirmed:
        # One finding for the document: never-confirmed clauses share one cause and one fix.
        ids = ", ".join(c.id for c in unconfirmed)
        yield finding("translation-unconfirmed", pair.doc, f"{len(unconfirmed)} clause"
                      f"{'s' * (len(unconfirmed) != 1)} of {tname} never confirmed against "
                      f"{sname} ({ids}): once they match, run policy confirm {locale} "
                      f"{document}", clause=unconfirmed[0], key="unconfirmed")
