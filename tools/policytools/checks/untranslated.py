"""Untranslated text: a translated clause that still holds the source's words, or another
language than its locale's.

Running text only (paragraphs and list items): addresses, tables, e-mail and web addresses,
numbers, protected terms and inferred names are masked first, so a clause that is only an
address or an e-mail address, or a name, is never untranslated. A unit is judged only on
enough letters (:data:`MIN_LETTERS`): a unit equal to a unit of its source clause (a word in
ten may differ) is untranslated, and so is a clause whose units are all its source's, short
ones included. Whether a unit is in the locale's language is decided by py3langid, restricted
to the project's languages and with a clear margin, but only for a unit that looks foreign
(most of its words are the source clause's, or few are found elsewhere in the translation):
loading the model costs more than checking a whole project, so a faithful translation never
loads it.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from ..facts import EMAIL_RE, URL_RE, WORD_RE
from ..model import Clause, Document, Finding
from ..rules import finding
from .registry import Pair, View, pair_check

MIN_LETTERS = 40  # shorter text ('Cookies', a name and a title) is never judged
# A unit looks foreign, and py3langid decides, when at least this share of its words are
# words of its source clause, or fewer than this share occur elsewhere in the translation.
SOURCE_SHARE = 0.5
OWN_SHARE = 0.5
# py3langid must give another language at least this probability, and the locale's language
# at most the other, for a unit to be called foreign: mixed text is never flagged.
CONFIDENT = 0.95
MAX_OWN = 0.02
NEARLY = 0.9  # share of words a unit shares with a source unit to count as its copy
QUOTE = 60  # characters of the unit a message quotes
# Web and e-mail addresses: facts, never words of a language (words hold no digits anyway).
FACT_RE = re.compile(f"{URL_RE.pattern}|{EMAIL_RE.pattern}", re.I)
FACT_HINTS = ("@", "://", "www.", "WWW.")  # without one of them, a text holds neither


@dataclass(frozen=True)
class Unit:
    """A paragraph or list item of a clause, as compared: facts and names masked."""

    line: int
    text: str  # as written, for the message
    words: tuple[str, ...]  # lowercased words left once facts and names are masked
    letters: int


@dataclass(frozen=True)
class Verdict:
    """Why a clause is untranslated: 'same' (the source's text) or the language it reads as."""

    reason: str
    units: tuple[Unit, ...]


def units(clause: Clause, masked: frozenset[str]) -> list[Unit]:
    """The clause's running text: paragraphs and list items, with facts and the ``masked``
    words (names) left out."""
    found = []
    for block in clause.blocks:
        if block.kind == "paragraph":
            parts = [(block.line, block.text)]
        elif block.kind == "list":
            parts = [(block.line + i, item) for i, item in enumerate(block.items)]
        else:
            continue  # addresses, tables and other blocks are facts, not running text
        for line, text in parts:
            plain = FACT_RE.sub(" ", text) if any(h in text for h in FACT_HINTS) else text
            words = tuple(w.lower() for w in WORD_RE.findall(plain) if w not in masked)
            found.append(Unit(line, text, words, sum(map(len, words))))
    return found


def source_units(view: View, clause: Clause) -> list[Unit]:
    """A source clause's units, computed once for all its translations."""
    doc = view.doc
    held = _SOURCES.get(id(doc))
    if held is None or held[0] is not doc:
        if len(_SOURCES) >= KEEP_SOURCES:
            _SOURCES.pop(next(iter(_SOURCES)))
        held = _SOURCES[id(doc)] = (doc, {}, _masked_words(view))
    if clause.id not in held[1]:
        held[1][clause.id] = units(clause, held[2])
    return held[1][clause.id]


# id of a source document → (the document, which keeps its id from being reused, its units
# per clause, its masked words); a few documents, since a run checks one source at a time
_SOURCES: dict[int, tuple[Document, dict[str, list[Unit]], frozenset[str]]] = {}
KEEP_SOURCES = 8


def _masked_words(view: View) -> frozenset[str]:
    """Words never judged: those of protected terms and of names inferred from their shape."""
    terms = (word for term in view.project.terms for word in WORD_RE.findall(term))
    return frozenset((*terms, *view.names))


class Judge:
    """What the check needs of one pair, computed once: masked words, the translation's
    words per clause, and the languages py3langid may choose from."""

    def __init__(self, pair: Pair) -> None:
        self.pair = pair
        project = pair.source.project
        self.languages = tuple(sorted({language(loc) for loc in project.locales} & LANGUAGES))
        self.own = language(pair.target.doc.locale)
        masked = _masked_words(pair.target)
        self.units = {c.id: units(c, masked) for c in pair.target.doc.clauses}
        self.clause_words = {cid: frozenset(w for u in found for w in u.words)
                             for cid, found in self.units.items()}
        self.counts = Counter(w for words in self.clause_words.values() for w in words)

    def verdict(self, source: Clause, target: Clause) -> Verdict | None:
        """Whether ``target`` is untranslated, and why."""
        s_units = source_units(self.pair.source, source)
        t_units = self.units.get(target.id, [])
        if [u.words for u in t_units] == [u.words for u in s_units] and \
                sum(u.letters for u in t_units) >= MIN_LETTERS:
            return Verdict("same", tuple(u for u in t_units if u.words))  # short units too
        judged = [u for u in t_units if u.letters >= MIN_LETTERS]
        same = tuple(u for u in judged if any(_copied(u, s) for s in s_units))
        if same:
            return Verdict("same", same)
        if self.own not in self.languages:
            return None  # a language py3langid does not know: only copies are found
        s_words = frozenset(w for u in s_units for w in u.words)
        foreign: dict[str, list[Unit]] = {}
        for unit in judged:
            if self._looks_foreign(unit, s_words, target.id):
                other = identify(unit.text, self.own, self.languages)
                if other is not None:
                    foreign.setdefault(other, []).append(unit)
        if not foreign:
            return None
        other, flagged = max(foreign.items(), key=lambda kv: len(kv[1]))
        return Verdict(other, tuple(flagged))

    def _looks_foreign(self, unit: Unit, source_words: frozenset[str], clause: str) -> bool:
        """Most words are the source clause's, or few occur in the translation's other
        clauses: only then is the model asked."""
        mine = self.clause_words[clause]
        total = len(unit.words)
        from_source = sum(1 for w in unit.words if w in source_words)
        elsewhere = sum(1 for w in unit.words if self.counts[w] > (w in mine))
        return from_source >= SOURCE_SHARE * total or elsewhere < OWN_SHARE * total


def _copied(unit: Unit, source: Unit) -> bool:
    """``unit`` is ``source`` with at most a word in ten changed: the source's text, edited
    a little ('section 4' made 'artikel 4'), is still untranslated, and needs no model."""
    if unit.words == source.words:
        return True
    longer = max(len(unit.words), len(source.words))
    if min(len(unit.words), len(source.words)) < NEARLY * longer:
        return False
    shared = (Counter(unit.words) & Counter(source.words)).total()
    return shared >= NEARLY * longer


def identify(text: str, own: str, languages: tuple[str, ...]) -> str | None:
    """The other language ``text`` clearly reads as, or None (its own, or not clear)."""
    ranked = dict(_identifier(languages).rank(text))
    best = max(ranked, key=ranked.__getitem__)
    if best != own and ranked[best] >= CONFIDENT and ranked.get(own, 0.0) <= MAX_OWN:
        return str(best)
    return None


@cache
def _identifier(languages: tuple[str, ...]) -> Any:
    """py3langid's model restricted to ``languages``: loaded only when a unit needs it."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(languages))
    return identifier


def language(locale: str) -> str:
    """The language py3langid names for a locale: 'pt' for 'pt-BR', 'no' for 'nb'."""
    code = re.split(r"[-_]", locale, maxsplit=1)[0].lower()
    return ALIASES.get(code, code)


@pair_check("translation-untranslated")
def translated(pair: Pair) -> Iterator[Finding]:
    """Each translated clause's running text is translated, into the locale's language."""
    judge = Judge(pair)
    sname, tname = pair.source.name, pair.target.name
    project, locale, document = pair.source.project, pair.doc.locale, pair.doc.name
    for s_clause, t_clause in pair.shared():
        found = judge.verdict(s_clause, t_clause)
        if found is None:
            continue
        first, count = found.units[0], len(found.units)
        what = f"{count} paragraphs or list items" if count > 1 else "a paragraph or list item"
        if found.reason == "same":
            how = f"{what} of {tname} {'are' if count > 1 else 'is'} {sname} text, untranslated"
        else:
            how = (f"{what} of {tname} {'read' if count > 1 else 'reads'} as "
                   f"{project.locale_name(found.reason)}, not "
                   f"{project.locale_name(locale)}")
        digest = hashlib.sha256("\n".join(u.text for u in found.units).encode()).hexdigest()
        yield finding("translation-untranslated", pair.doc, f"{t_clause.label}: {how}, from "
                      f"line {first.line} (‘{_quote(first.text)}’): translate it, then run "
                      f"policy confirm {locale} {document}#{s_clause.id}", clause=t_clause,
                      line=first.line, translation=first.text,
                      key=f"{found.reason}:{digest[:12]}")


def _quote(text: str) -> str:
    line = " ".join(text.split())
    if len(line) <= QUOTE:
        return line
    cut = line.rfind(" ", 0, QUOTE)  # at a word's end: a cut word reads as another word
    return line[:cut if cut > 0 else QUOTE].rstrip(" ,;:") + "…"


# The languages of py3langid's model, so that the model is never loaded to learn whether a
# locale's language is one of them (a test holds this in step with the model).
_MODEL_LANGUAGES = (
    "ace af am an ar ary arz as az ba bcl be bg bn br bs ca crh cs cy da de dz el en eo es et "
    "eu ext fa fi fo fr fuv fy ga gcf gcr gd gl gom grc gu gug guw ha hbo he hi hr ht hu hy id "
    "ig is it ja jv ka kab kik kk km kn ko ku ky la lb lg lij ln lo lt ltg lv mg mk ml mn mr ms "
    "mt my ne nl nn no nso oc om or pa pcm pl ps pt qu ro ru rw sa sdh se si sk sl sn so sq sr "
    "st sv sw ta te tg th tk tl tr tt ug uk ur uz uzs vec vi vo wa wuu xh yo yue zh zu "
    "zxx")
LANGUAGES = frozenset(_MODEL_LANGUAGES.split())
ALIASES = {"nb": "no"}  # Norwegian Bokmål: the model knows it as Norwegian
