"""Which source text each translated clause was last confirmed against (``policy confirm``).

``policy/confirmed.yml`` stores, per locale, document and clause, the hash of the source
clause the translation matched, who confirmed it and when (and the reason when it was
confirmed despite open errors), and the source texts themselves once each (by hash), so that
a stale clause can show the translator a redline of what changed in the source. A bare hash
(the form before who and when were kept) still reads, as a confirmation of unknown origin.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from .config import Project
from .diff import units
from .errors import PolicyError, UsageError
from .model import Clause, Document
from .parse import read_document, readable
from .yamlio import (
    dump_checked,
    key_line,
    load_yaml,
    text_scalar,
    unstorable,
    write_atomic,
    yaml11_suspect,
)

CONFIRMED_FILE = "policy/confirmed.yml"
State = Literal["current", "stale", "unconfirmed", "untranslated", "missing"]
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


@dataclass(frozen=True)
class Record:
    """Who confirmed a clause and when (ISO 8601, UTC), why despite open errors, and the
    translated clause confirmed (its hash): a translation edited since is no longer current."""

    by: str
    on: str
    accepted: str | None = None
    translation: str | None = None


@dataclass
class Confirmations:
    path: Path
    confirmed: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    data: Any = None
    # parallel to ``confirmed``; a confirmation of the old form (a bare hash) has none
    records: dict[str, dict[str, dict[str, Record]]] = field(default_factory=dict)

    def hash_for(self, locale: str, document: str, clause: str) -> str | None:
        return self.confirmed.get(locale, {}).get(document, {}).get(clause)

    def record_for(self, locale: str, document: str, clause: str) -> Record | None:
        return self.records.get(locale, {}).get(document, {}).get(clause)


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
    result = Confirmations(path, data=data)
    for loc, docs in (data.get("confirmed") or {}).items():
        for doc, clauses in _mapping(docs, path, str(loc)).items():
            for cid, entry in _mapping(clauses, path, str(loc), str(doc)).items():
                _read_entry(result, path, (str(loc), str(doc), str(cid)), entry)
    # save() writes each text as a block scalar with a final newline the text did not have
    result.texts = {str(k): str(v).removesuffix("\n")
                    for k, v in (data.get("texts") or {}).items()}
    return result


def _mapping(value: Any, path: Path, *keys: str) -> Mapping[Any, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ConfirmError(f"confirmed: {'/'.join(keys)} must be a mapping", CONFIRMED_FILE,
                           key_line(path, "confirmed", *keys))
    return value


def _read_entry(into: Confirmations, path: Path, keys: tuple[str, str, str],
                entry: Any) -> None:
    """One clause's entry: a bare hash (the old form) or {source, by, on, accepted}."""
    locale, document, clause = keys
    if isinstance(entry, str):
        into.confirmed.setdefault(locale, {}).setdefault(document, {})[clause] = entry
        return
    fields = dict(entry) if isinstance(entry, Mapping) else {}
    on = fields.get("on")
    if isinstance(on, dt.datetime):  # written unquoted by hand: YAML read a timestamp
        on = stamp(on)
    by, accepted, translation = fields.get("by"), fields.get("accepted"), \
        fields.get("translation")
    problem = None
    if not isinstance(fields.get("source"), str):
        problem = "needs 'source: <hash>'"
    elif (by is None) != (on is None) or not all(
            v is None or isinstance(v, str) for v in (by, on, accepted, translation)):
        problem = "needs 'by' and 'on' both, as text"
    elif on is not None and not _iso(on):
        problem = f"has 'on: {on}', not an ISO 8601 date and time such as 2026-12-02T09:30:00Z"
    if problem is not None:
        raise ConfirmError(f"the confirmation of {locale}/{document}#{clause} {problem}",
                           CONFIRMED_FILE, key_line(path, "confirmed", *keys))
    into.confirmed.setdefault(locale, {}).setdefault(document, {})[clause] = fields["source"]
    if by is not None and on is not None:
        into.records.setdefault(locale, {}).setdefault(document, {})[clause] = Record(
            by, on, accepted, translation)


def _iso(text: str) -> bool:
    try:
        dt.datetime.fromisoformat(text)
    except ValueError:
        return False
    return True


def stamp(moment: dt.datetime) -> str:
    """``moment`` in UTC, ISO 8601 to the second: '2026-12-02T09:30:00Z'."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def state(confirmations: Confirmations, source: Clause, target: Clause | None,
          locale: str, document: str) -> State:
    if target is None:
        return "missing"
    seen = confirmations.hash_for(locale, document, source.id)
    if seen is None:
        return "unconfirmed"
    current = seen in (clause_hash(source), _digest(_canonical(source, marks=False)))
    return "current" if current and not translation_edited(
        confirmations, target, locale, document, source.id) else "stale"


def translation_edited(confirmations: Confirmations, target: Clause, locale: str,
                       document: str, clause: str) -> bool:
    """Whether the translated clause differs from the one confirmed (when that is on record:
    confirmations of the old forms are not)."""
    record = confirmations.record_for(locale, document, clause)
    return bool(record and record.translation and record.translation != clause_hash(target))


def wanted_clauses(source: Document, target: Document,
                   clause_ids: Iterable[str] | None) -> list[str]:
    """The clause ids a confirm names (all those both sides have, when it names none); an
    error for one either side lacks, or whose source text the file could not store."""
    wanted = list(clause_ids) if clause_ids is not None else [
        c.id for c in source.clauses if target.clause(c.id)]
    for cid in wanted:
        clause = source.clause(cid)
        if clause is None or target.clause(cid) is None:
            where = source.path if clause is None else target.path
            raise ConfirmError(f"no clause '{cid}' in {where}")
        found = next(unstorable(canonical(clause)), None)
        if found is not None:
            line = next((f.line for f in source.issues if f.code == "text-control-character"
                         and (f.line or 0) >= clause.line), clause.line)
            raise ConfirmError(f"clause '{cid}' holds the {found[0]}: remove it from the "
                               "source, then confirm", source.path, line)
    return wanted


def confirm(confirmations: Confirmations, locale: str, source: Document, target: Document,
            clause_ids: Iterable[str] | None, record: Record,
            accepted: Iterable[str] = ()) -> list[str]:
    """Record that ``target``'s clauses match the current ``source``, by whom and when;
    the ``accepted`` clauses also get ``record.accepted``. Returns the ids."""
    wanted = wanted_clauses(source, target, clause_ids)
    despite = set(accepted)
    for cid in wanted:
        clause = source.clause(cid)
        assert clause is not None  # wanted_clauses refuses an unknown one
        text = canonical(clause)
        digest = clause_hash(clause)
        confirmations.texts[digest] = text
        confirmations.confirmed.setdefault(locale, {}).setdefault(source.name, {})[cid] = digest
        translated = target.clause(cid)
        assert translated is not None  # wanted_clauses refuses a clause the target lacks
        confirmations.records.setdefault(locale, {}).setdefault(source.name, {})[cid] = Record(
            record.by, record.on, record.accepted if cid in despite else None,
            clause_hash(translated))
    return wanted


def save(confirmations: Confirmations) -> None:
    """Write the file back, keeping comments, dropping texts no confirmation uses."""
    write_atomic(confirmations.path, dumped(confirmations), CONFIRMED_FILE, ConfirmError)


def dumped(confirmations: Confirmations) -> str:
    """The file's new text (read back and checked), keeping comments."""
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
                _put(entries, cid, digest, confirmations.record_for(locale, document, cid))
    data["confirmed"] = confirmed
    texts = CommentedMap()
    for digest in sorted(used):
        texts[digest] = text_scalar(confirmations.texts.get(digest, "") + "\n")
    data["texts"] = texts
    return dump_checked(data, CONFIRMED_FILE, ConfirmError)


def _put(entries: Any, cid: str, digest: str, record: Record | None) -> None:
    """Write a clause's entry; one written before is updated in place, keeping comments."""
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    entry = entries.get(cid)
    if not isinstance(entry, CommentedMap):
        entry = entries[cid] = CommentedMap()
    entry["source"] = digest
    if record is None:  # the old form: who and when are unknown
        return
    entry["by"] = _plain(record.by)
    # quoted: unquoted, YAML reads a timestamp, and YAML 1.1 reads the key 'on' as true
    entry[DoubleQuotedScalarString("on")] = DoubleQuotedScalarString(record.on)
    if record.accepted is not None:
        entry["accepted"] = _plain(record.accepted)
    else:
        entry.pop("accepted", None)
    if record.translation is not None:
        entry["translation"] = record.translation


def _plain(text: str) -> Any:
    """``text``, quoted where a YAML 1.1 reader (PyYAML) would read another type ('yes')."""
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    return DoubleQuotedScalarString(text) if yaml11_suspect(text) else text


STATES = ("current", "stale", "unconfirmed", "untranslated", "missing")


def read_existing(project: Project, locale: str, document: str) -> Document:
    """The parsed document; an error when its file does not exist or cannot be read."""
    path = project.doc_path(locale, document)
    if not path.exists():
        raise UsageError(f"{project.rel(path)} does not exist")
    return readable(read_document(path, document, locale, project.rel(path)))


def status(project: Project, locales: tuple[str, ...],
           documents: tuple[str, ...]) -> list[dict[str, Any]]:
    """The progress table: per locale and document, how many clauses are in each state, and
    who confirmed last and when."""
    from .checks.registry import Pair, View
    from .checks.runner import load_view
    from .checks.untranslated import Judge

    confirmations = load_confirmations(project)
    rows = []
    for document in documents:
        read_existing(project, project.source_locale, document)  # an error when unreadable
        source = load_view(project, project.source_locale, document)
        assert isinstance(source, View)
        for locale in (loc for loc in locales if document in project.publishes(loc)):
            target = load_view(project, locale, document) if project.doc_path(
                locale, document).exists() else None
            if target is not None:
                read_existing(project, locale, document)
            judge = Judge(Pair(source, target)) if isinstance(target, View) else None
            clauses: dict[str, State] = {}
            for clause in source.doc.clauses:
                other = target.doc.clause(clause.id) if isinstance(target, View) else None
                clauses[clause.id] = state(confirmations, clause, other, locale, document)
                if judge is not None and other is not None and \
                        judge.verdict(clause, other) is not None:
                    clauses[clause.id] = "untranslated"
            rows.append(_row(confirmations, locale, document, clauses))
    return sorted(rows, key=lambda r: (locales.index(r["locale"]),
                                      documents.index(r["document"])))


def _row(confirmations: Confirmations, locale: str, document: str,
         clauses: dict[str, State]) -> dict[str, Any]:
    counts = {name: sum(1 for s in clauses.values() if s == name) for name in STATES}
    total = len(clauses)
    records = [r for cid in clauses if (r := confirmations.record_for(locale, document, cid))]
    last = max(records, key=lambda r: dt.datetime.fromisoformat(r.on), default=None)
    return {"locale": locale, "document": document, "total": total, **counts,
            "percent_current": round(100 * counts["current"] / total) if total else 100,
            "confirmed_by": last.by if last else None, "confirmed_on": last.on if last else None,
            "clauses": clauses}


def snapshot(project: Project, confirmations: Confirmations) -> dict[str, tuple[str, ...]]:
    """Per translated text in ``locales/`` ('nl/privacy.md'), the sorted ids of the clauses
    whose confirmation matches the current source clause: what a release records."""
    found: dict[str, tuple[str, ...]] = {}
    for document in project.documents:
        path = project.doc_path(project.source_locale, document)
        if not path.exists():
            continue
        source = readable(read_document(path, document, project.source_locale,
                                        project.rel(path)))
        for locale in project.translations:
            if document not in project.publishes(locale) or \
                    not project.doc_path(locale, document).exists():
                continue
            target = read_existing(project, locale, document)
            found[f"{locale}/{document}.md"] = tuple(sorted(
                c.id for c in source.clauses
                if state(confirmations, c, target.clause(c.id), locale, document) == "current"))
    return found
