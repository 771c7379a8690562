"""The registry of checks: what a check is given, and the lists the runner runs.

A check is a pure function registered with :func:`document_check` (one locale's document),
:func:`pair_check` (a translation and its source) or :func:`project_check` (the project),
naming the finding codes it raises. Each yields findings built with ``rules.finding``: a
code's severity, summary and preconditions are declared once, in ``rules``, where each code
names its check back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import TypeVar

from ..config import Project
from ..confirmations import Confirmations
from ..facts import WORD_RE, ClauseFacts
from ..model import Clause, Document, Finding


@dataclass
class View:
    """A parsed document with the facts of each clause, computed once and shared."""

    doc: Document
    project: Project
    facts: dict[str, ClauseFacts] = field(default_factory=dict)
    source: View | None = None  # the source locale's view, for a translation

    @property
    def name(self) -> str:
        """'the Dutch' — how messages name this side."""
        return f"the {self.project.locale_name(self.doc.locale)}"

    def of(self, clause: Clause) -> ClauseFacts:
        return self.facts[clause.id]

    @cached_property
    def names(self) -> frozenset[str]:
        """Every name of the document inferred from its shape ('PartnerView', 'WINT')."""
        return frozenset(f.value for facts in self.facts.values() for f in facts.listed("name"))

    @cached_property
    def words(self) -> frozenset[str]:
        """The words the document writes in small letters: 'NOT' is one of them in capitals."""
        return frozenset(word for clause in self.doc.clauses for block in clause.blocks
                         for word in WORD_RE.findall(block.text) if word.islower())

    @cached_property
    def complete(self) -> bool:
        """False when a heading could not be read, so clause alignment would mislead."""
        return self.doc.readable and all(c.valid_id for c in self.doc.clauses)


@dataclass
class Pair:
    source: View
    target: View
    confirmations: Confirmations | None = None

    @property
    def doc(self) -> Document:
        return self.target.doc

    def shared(self) -> Iterator[tuple[Clause, Clause]]:
        """Clauses present on both sides, in the translation's order."""
        for clause in self.target.doc.clauses:
            other = self.source.doc.clause(clause.id) if clause.valid_id else None
            if other is not None:
                yield other, clause


DocumentCheck = Callable[[View], Iterable[Finding]]
PairCheck = Callable[[Pair], Iterable[Finding]]
ProjectCheck = Callable[[Project], Iterable[Finding]]
DOCUMENT_CHECKS: list[DocumentCheck] = []
PAIR_CHECKS: list[PairCheck] = []
PROJECT_CHECKS: list[ProjectCheck] = []
# 'module.function' of each registered check → the finding codes it raises; each of those
# codes names the check back in ``rules.RULES``.
CODES: dict[str, tuple[str, ...]] = {}
F = TypeVar("F", DocumentCheck, PairCheck, ProjectCheck)


def document_check(*codes: str) -> Callable[[DocumentCheck], DocumentCheck]:
    """Register a check of one locale's document that raises ``codes``."""
    return _registrar(DOCUMENT_CHECKS, codes)


def pair_check(*codes: str) -> Callable[[PairCheck], PairCheck]:
    """Register a check of a translation against its source that raises ``codes``."""
    return _registrar(PAIR_CHECKS, codes)


def project_check(*codes: str) -> Callable[[ProjectCheck], ProjectCheck]:
    """Register a check of the project as a whole that raises ``codes``."""
    return _registrar(PROJECT_CHECKS, codes)


def check_name(func: Callable[..., object]) -> str:
    """'facts.facts_match': how ``rules.Rule.check`` names a check."""
    return f"{func.__module__.rpartition('.')[2]}.{func.__name__}"


def _registrar(checks: list[F], codes: tuple[str, ...]) -> Callable[[F], F]:
    def register(func: F) -> F:
        checks.append(func)
        CODES[check_name(func)] = codes
        return func
    return register
