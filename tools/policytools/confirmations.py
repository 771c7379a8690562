"""Which source text each translated clause was last confirmed against (``policy confirm``).

``policy/confirmed.yml`` stores, per locale, document and clause, the hash of the source
clause the translation matched, and the source texts themselves once each (by hash), so
that a stale clause can show the translator a redline of what changed in the source.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from .config import Project
from .diff import units
from .errors import PolicyError, UsageError
from .model import Clause, Document
from .parse import read_document, readable
from .yamlio import load_yaml, text_scalar, unstorable, write_yaml

CONFIRMED_FILE = "policy/confirmed.yml"
State = Literal["current", "stale", "unconfirmed", "missing"]
HEADER = (
    "What source text each translated clause was last confirmed against, written by\n"
    "`policy confirm LOCALE [DOCUMENT[#CLAUSE]…]`. A clause whose source changed since\n"
    "is stale: `policy check` shows the translator what changed. Review it like code.")


class ConfirmError(PolicyError):
    """``policy/confirmed.yml`` is malformed or a confirm target does not exist."""


def canonical(clause: Clause) -> str:
    """The clause as compared for staleness, as ``policy diff`` compares it: title, then one
    line per unit, each followed by its marks (links with targets, emphasis, inline HTML)."""
    return _canonical(clause, marks=True)


def _canonical(clause: Clause, marks: bool) -> str:
    """``marks=False``: the form before marks were compared, link targets after the units;
    confirmations recorded in it still hold, so upgrading makes no clause stale."""
    lines = [clause.title]
    for unit in units(clause):
        if unit.kind == "head" and not marks:
            continue  # table heads were not compared then
        prefix = {"item": "  " * unit.depth + "- ", "row": "| ", "head": "|| "}.get(unit.kind,
                                                                                   "")
        lines.append(prefix + unit.text.replace("\n", " / "))
        if marks:
            lines += [f"  ↳ {mark}" for mark in unit.marks.split("\n") if mark]
    if not marks:
        lines += [f"→ {link.target}" for block in clause.blocks for link in block.links]
    return "\n".join(lines)


def clause_hash(clause: Clause) -> str:
    return _digest(canonical(clause))


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@dataclass
class Confirmations:
    path: Path
    confirmed: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    data: Any = None

    def hash_for(self, locale: str, document: str, clause: str) -> str | None:
        return self.confirmed.get(locale, {}).get(document, {}).get(clause)


def load_confirmations(project: Project, roundtrip: bool = False) -> Confirmations:
    """Read the file; ``roundtrip`` keeps its comments for a later :func:`save`."""
    path = project.root / CONFIRMED_FILE
    if not path.exists():
        return Confirmations(path)
    data = load_yaml(path, CONFIRMED_FILE, ConfirmError, roundtrip=roundtrip)
    if data is None:
        return Confirmations(path)
    if not isinstance(data, dict) or not isinstance(data.get("confirmed", {}), dict):
        raise ConfirmError("expected mappings 'texts:' and 'confirmed:'", CONFIRMED_FILE, 1)
    confirmed = {str(loc): {str(doc): {str(c): str(h) for c, h in (clauses or {}).items()}
                            for doc, clauses in (docs or {}).items()}
                 for loc, docs in (data.get("confirmed") or {}).items()}
    # save() writes each text as a block scalar with a final newline the text did not have
    texts = {str(k): str(v).removesuffix("\n") for k, v in (data.get("texts") or {}).items()}
    return Confirmations(path, confirmed, texts, data)


def state(confirmations: Confirmations, source: Clause, target: Clause | None,
          locale: str, document: str) -> State:
    if target is None:
        return "missing"
    seen = confirmations.hash_for(locale, document, source.id)
    if seen is None:
        return "unconfirmed"
    current = seen in (clause_hash(source), _digest(_canonical(source, marks=False)))
    return "current" if current else "stale"


def confirm(confirmations: Confirmations, locale: str, source: Document, target: Document,
            clause_ids: Iterable[str] | None) -> list[str]:
    """Record that ``target``'s clauses match the current ``source``; returns the ids."""
    wanted = list(clause_ids) if clause_ids is not None else [
        c.id for c in source.clauses if target.clause(c.id)]
    for cid in wanted:
        clause = source.clause(cid)
        if clause is None or target.clause(cid) is None:
            where = source.path if clause is None else target.path
            raise ConfirmError(f"no clause '{cid}' in {where}")
        text = canonical(clause)
        found = next(unstorable(text), None)
        if found is not None:
            line = next((f.line for f in source.issues if f.code == "text-control-character"
                         and (f.line or 0) >= clause.line), clause.line)
            raise ConfirmError(f"clause '{cid}' holds the {found[0]}: remove it from the "
                               "source, then confirm", source.path, line)
        digest = clause_hash(clause)
        confirmations.texts[digest] = text
        confirmations.confirmed.setdefault(locale, {}).setdefault(source.name, {})[cid] = digest
    return wanted


def save(confirmations: Confirmations) -> None:
    """Write the file back, keeping comments, dropping texts no confirmation uses."""
    from ruamel.yaml.comments import CommentedMap

    data = confirmations.data if isinstance(confirmations.data, CommentedMap) else None
    if data is None:
        data = CommentedMap()
        data.yaml_set_start_comment(HEADER)
    used = {h for docs in confirmations.confirmed.values() for clauses in docs.values()
            for h in clauses.values()}
    confirmed = data.get("confirmed") if isinstance(data.get("confirmed"), CommentedMap) \
        else CommentedMap()
    for locale in sorted(confirmations.confirmed):
        docs = confirmed.setdefault(locale, CommentedMap())
        for document, clauses in sorted(confirmations.confirmed[locale].items()):
            entries = docs.setdefault(document, CommentedMap())
            for cid, digest in clauses.items():
                entries[cid] = digest
    data["confirmed"] = confirmed
    texts = CommentedMap()
    for digest in sorted(used):
        texts[digest] = text_scalar(confirmations.texts.get(digest, "") + "\n")
    data["texts"] = texts
    write_yaml(confirmations.path, data, CONFIRMED_FILE, ConfirmError)


STATES = ("current", "stale", "unconfirmed", "missing")


def read_existing(project: Project, locale: str, document: str) -> Document:
    """The parsed document; an error when its file does not exist or cannot be read."""
    path = project.doc_path(locale, document)
    if not path.exists():
        raise UsageError(f"{project.rel(path)} does not exist")
    return readable(read_document(path, document, locale, project.rel(path)))


def status(project: Project, locales: tuple[str, ...],
           documents: tuple[str, ...]) -> list[dict[str, Any]]:
    """The progress table: per locale and document, how many clauses are in each state."""
    confirmations = load_confirmations(project)
    rows = []
    for locale in locales:
        for document in (d for d in documents if d in project.publishes(locale)):
            source = read_existing(project, project.source_locale, document)
            exists = project.doc_path(locale, document).exists()
            target = read_existing(project, locale, document) if exists else None
            clauses = {c.id: state(confirmations, c, target.clause(c.id) if target else None,
                                   locale, document) for c in source.clauses}
            counts = {name: sum(1 for s in clauses.values() if s == name) for name in STATES}
            total = len(clauses)
            rows.append({"locale": locale, "document": document, "total": total, **counts,
                         "percent_current": round(100 * counts["current"] / total) if total
                         else 100, "clauses": clauses})
    return rows


def snapshot(project: Project, confirmations: Confirmations) -> dict[str, tuple[str, ...]]:
    """Per translated text ("nl/privacy.md"), the sorted ids of its clauses confirmed against
    the current source clause: what a release records as confirmed."""
    found: dict[str, tuple[str, ...]] = {}
    for locale in project.translations:
        for document in project.publishes(locale):
            if not project.doc_path(locale, document).exists():
                continue
            source = read_existing(project, project.source_locale, document)
            target = read_existing(project, locale, document)
            found[f"{locale}/{document}.md"] = tuple(sorted(
                c.id for c in source.clauses
                if state(confirmations, c, target.clause(c.id), locale, document) == "current"))
    return found
