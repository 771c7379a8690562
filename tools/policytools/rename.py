"""Renaming a clause id: every file a rename rewrites, planned in memory, then written under
a journal so that a rename killed between two files is finished, never left half done.

A rename rewrites each locale's working text of the document (the heading's ``{#old}`` and
every cross-reference to ``#old``), records ``old: new`` under ``renamed:`` in
``policy/policy.yml`` (the site keeps the old id as an anchor, ``policy diff`` pairs the
clause across the rename), and carries the clause's confirmations and baseline entries over.
Released files are never touched: older versions keep the old id.

The journal ``policy/.rename-clause.pending`` holds every file's new text and the SHA-256 of
its text before and after. It is written (atomically) before the first file is replaced: from
then on the rename is decided, and :func:`finish` (run by ``policy recover`` and by the next
writing command) writes what a killed rename did not, then removes the journal.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from .config import CLAUSE_ID_RE, CONFIG_FILE, Project
from .errors import PolicyError
from .faults import reach
from .ledger import sha256
from .model import PREAMBLE, Document
from .parse import split_lines
from .yamlio import read_text, write_atomic

JOURNAL_FILE = "policy/.rename-clause.pending"
# A reference link's definition: '[label]: #id' or '[label]: <#id> "title"'
DEFINITION_RE = re.compile(r" {0,3}\[[^\]]+\]:[ \t]*<?(?P<target>[^\s>]+)>?(?:[ \t]|\r?\n|\r|$)")


class RenameError(PolicyError):
    """A rename refused: an unknown clause, an id in use, a link it cannot rewrite."""


@dataclass(frozen=True)
class Rename:
    """One clause id of one document, renamed."""

    document: str
    old: str
    new: str

    @property
    def command(self) -> str:
        return f"policy rename-clause {self.document} {self.old} {self.new}"


def refuse_ids(project: Project, rename: Rename, source: Document) -> None:
    """Refuse an invalid or taken new id, or an old one the source does not have."""
    if rename.old == rename.new:
        raise RenameError(f"the old and the new id are both '{rename.old}': nothing to rename")
    if not CLAUSE_ID_RE.fullmatch(rename.new):
        raise RenameError(f"'{rename.new}' is not a clause id: use lowercase ASCII letters, "
                          "digits and hyphens, e.g. cookies")
    clause = source.clause(rename.old)
    if rename.old == PREAMBLE or clause is None or not clause.valid_id:
        raise RenameError(f"{source.path} (the source) has no clause {{#{rename.old}}}: name one "
                          f"of its clause ids, e.g. {_example(source)}")
    if rename.new == PREAMBLE:
        raise RenameError("'preamble' names the text before the first clause: choose another id")
    aliases = project.renamed.get(rename.document, {})
    if rename.new in aliases:
        raise RenameError(f"#{rename.new} is kept as the old anchor of #{aliases[rename.new]} "
                          f"(renamed: in {CONFIG_FILE}): readers' links to it lead there; choose "
                          "another id")


def _example(source: Document) -> str:
    return next((c.id for c in source.clauses if c.valid_id and not c.is_preamble), "contact")


def refuse_taken(rename: Rename, doc: Document) -> None:
    """Refuse a new id that a text already gives a clause."""
    taken = doc.clause(rename.new)
    if taken is not None:
        raise RenameError(f"{{#{rename.new}}} is already a clause of {doc.path} ({taken.label}): "
                          "choose another id", doc.path, taken.line)


def renamed_text(text: str, doc: Document, rename: Rename) -> tuple[str, int]:
    """``text`` with the clause's heading id and every link to it renamed (inline links and
    the definitions of reference links); and how many links were rewritten. Refused where
    a link cannot be found as written."""
    from .checks.xrefs import clause_anchor

    lines = split_lines(text)
    clause = doc.clause(rename.old)
    if clause is not None:
        lines[clause.line - 1] = _heading(lines[clause.line - 1], rename, doc, clause.line)
    links = [link for c in doc.clauses for b in c.blocks for link in b.links
             if clause_anchor(link.target, doc.name) == (doc.name, rename.old)]
    defined = _definitions(lines, {link.target for link in links}, rename)
    for link in links:
        lines[link.line - 1], found = re.subn(
            rf"(\]\(\s*<?){re.escape(link.target)}(?=[\s)>])",
            partial(_keep_prefix, _retargeted(link.target, rename)), lines[link.line - 1],
            count=1)
        if not found and link.target not in defined:
            raise RenameError(f"cannot rewrite the link ‘{link.text}’ to {link.target} (written "
                              f"over several lines?): point it at #{rename.new} by hand after "
                              "the rename, or write it on one line first", doc.path, link.line)
    return "".join(lines), len(links)


def _retargeted(target: str, rename: Rename) -> str:
    return target[:target.rindex("#")] + f"#{rename.new}"


def _definitions(lines: list[str], targets: set[str], rename: Rename) -> set[str]:
    """Rewrite the reference definitions ('[t]: #tracking') of ``targets``; those found."""
    found = set()
    for index, line in enumerate(lines):
        match = DEFINITION_RE.match(line)
        if match and match["target"] in targets:
            lines[index] = line[:match.start("target")] + \
                _retargeted(match["target"], rename) + line[match.end("target"):]
            found.add(match["target"])
    return found


def _keep_prefix(target: str, match: re.Match[str]) -> str:
    return match[1] + target


def _heading(line: str, rename: Rename, doc: Document, number: int) -> str:
    changed, found = re.subn(rf"(\{{[^}}]*#){re.escape(rename.old)}(?=[\s}}])",
                             lambda m: m[1] + rename.new, line, count=1)
    if not found:
        raise RenameError(f"cannot find {{#{rename.old}}} on the clause's heading line",
                          doc.path, number)
    return changed


def verify(before: Document, after: Document, rename: Rename) -> None:
    """The rewritten text parses to the same clauses, the one renamed, and no link left."""
    ids = [rename.new if c.id == rename.old else c.id for c in before.clauses]
    if [c.id for c in after.clauses] != ids or any(
            link.target.endswith(f"#{rename.old}")
            for c in after.clauses for b in c.blocks for link in b.links):
        raise RenameError("refused: the renamed text would not parse as the same clauses with "
                          "one id changed; rename it by hand", before.path)


# --- the journal -------------------------------------------------------------------------------


def write_all(project: Project, rename: Rename, files: Mapping[Path, tuple[str, str]]) -> None:
    """Write every file (path → (text before, text after)): the journal first, then each file,
    then the journal's removal."""
    journal = project.root / JOURNAL_FILE
    entries = {project.rel(path): {"before": sha256(old.encode()), "after": sha256(new.encode()),
                                   "text": new} for path, (old, new) in files.items()}
    write_atomic(journal, json.dumps({"command": rename.command, "files": entries},
                                     ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                 JOURNAL_FILE, RenameError)
    reach("rename journal written")
    for path, (_, new) in files.items():
        write_atomic(path, new, project.rel(path), RenameError)
        reach(f"renamed {project.rel(path)}")
    journal.unlink()


@dataclass(frozen=True)
class Journal:
    """A rename's journal as read back: its command and, per file, its hashes and new text."""

    command: str
    files: dict[str, dict[str, str]]


def read_journal(path: Path) -> Journal | None:
    """The journal at ``path``; None if it is not one :func:`write_all` wrote whole."""
    try:
        data = json.loads(path.read_bytes()) if path.is_file() else None
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("command"), str):
        return None
    files = data.get("files")
    if not isinstance(files, dict) or not all(_entry(name, entry) for name, entry in
                                              files.items()):
        return None
    return Journal(data["command"], files)


def _entry(name: Any, entry: Any) -> bool:
    return isinstance(name, str) and not name.startswith("/") and ".." not in name.split("/") \
        and isinstance(entry, dict) and all(isinstance(entry.get(k), str)
                                            for k in ("before", "after", "text")) \
        and sha256(entry["text"].encode()) == entry["after"]


def edited_since(project: Project, journal: Journal) -> Iterator[str]:
    """The files a journal names that hold neither their text before nor after the rename."""
    for name, entry in journal.files.items():
        path = project.root / name
        try:
            digest = sha256(read_text(path, name).encode()) if path.exists() else ""
        except PolicyError:
            digest = ""
        if digest not in (entry["before"], entry["after"]):
            yield name


def finish(project: Project, path: Path, journal: Journal) -> None:
    """Write each file the interrupted rename had not written yet, then drop the journal."""
    for name, entry in journal.files.items():
        target = project.root / name
        if sha256(read_text(target, name).encode()) != entry["after"]:
            write_atomic(target, entry["text"], name, RenameError)
    path.unlink()


# --- what the rename carries over ------------------------------------------------------------


RENAMED_COMMENT = (
    "Clause ids renamed with `policy rename-clause DOC OLD NEW`, per document: old id: new id.\n"
    "Released versions keep the old id; the site keeps it as an anchor of the renamed clause,\n"
    "so readers' links to it still work, and `policy diff` pairs the clause across the rename.")


def config_text(project: Project, rename: Rename) -> tuple[str, str]:
    """``policy/policy.yml`` before and after recording the rename (comments kept); an
    earlier rename to the old id now leads to the new one."""
    from ruamel.yaml.comments import CommentedMap

    from .errors import ConfigError
    from .yamlio import dump_checked, parse_yaml

    path = project.root / CONFIG_FILE
    before = read_text(path, CONFIG_FILE, ConfigError) if path.exists() else ""
    data = parse_yaml(before, CONFIG_FILE, ConfigError, roundtrip=True) if before else None
    if not isinstance(data, CommentedMap):
        data = CommentedMap()
    if not isinstance(data.get("renamed"), CommentedMap):
        data["renamed"] = CommentedMap()
        data.yaml_set_comment_before_after_key("renamed", before="\n" + RENAMED_COMMENT)
    ids = data["renamed"].setdefault(rename.document, CommentedMap())
    for key, value in ids.items():
        if value == rename.old:
            ids[key] = _quoted(rename.new)
    ids[_quoted(rename.old)] = _quoted(rename.new)
    return before, dump_checked(data, CONFIG_FILE, ConfigError)


def _quoted(name: str) -> Any:
    """An id as YAML keeps it a string: '2024' and 'no' quoted."""
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    from .yamlio import yaml11_suspect

    return DoubleQuotedScalarString(name) if yaml11_suspect(name) else name


def carry_confirmations(project: Project, rename: Rename,
                        texts: Mapping[str, tuple[Document, Document]]) -> tuple[str, str] | None:
    """``policy/confirmed.yml`` before and after: the clause's entries under its new id, and
    every confirmation that was current (of the source and of the translation) still current
    where the rename rewrote a link; None when there is nothing to carry."""
    from .confirmations import (
        CONFIRMED_FILE,
        ConfirmError,
        Record,
        canonical,
        clause_hash,
        dumped,
        load_confirmations,
    )

    path = project.root / CONFIRMED_FILE
    if not path.exists():
        return None
    before = read_text(path, CONFIRMED_FILE, ConfirmError)
    confirmations = load_confirmations(project, roundtrip=True)
    old_source, new_source = texts[project.source_locale]
    changed = False
    for locale, docs in confirmations.confirmed.items():
        clauses = docs.get(rename.document)
        if not clauses:
            continue
        records = confirmations.records.get(locale, {}).get(rename.document, {})
        raw = confirmations.data["confirmed"][locale][rename.document]
        if rename.old in clauses:
            # an entry under the new id is of a clause no text has any more: the renamed one wins
            raw.pop(rename.new, None)
            records.pop(rename.new, None)
            clauses[rename.new] = clauses.pop(rename.old)
            if rename.old in records:
                records[rename.new] = records.pop(rename.old)
            raw.insert(list(raw).index(rename.old), rename.new, raw.pop(rename.old))
            changed = True
        target = texts.get(locale)
        for cid, digest in clauses.items():
            was = old_source.clause(rename.old if cid == rename.new else cid)
            now = new_source.clause(cid)
            if was is None or now is None or digest != clause_hash(was):
                continue  # stale or unknown stays so
            clauses[cid] = clause_hash(now)
            confirmations.texts[clauses[cid]] = canonical(now)
            changed = changed or clauses[cid] != digest
            record = records.get(cid)
            was_t = target[0].clause(rename.old if cid == rename.new else cid) if target else None
            now_t = target[1].clause(cid) if target else None
            if record and record.translation and was_t and now_t and \
                    record.translation == clause_hash(was_t):
                records[cid] = Record(record.by, record.on, record.accepted, clause_hash(now_t))
    return (before, dumped(confirmations)) if changed else None


def carry_baseline(project: Project, rename: Rename) -> tuple[str, str, int] | None:
    """``policy/baseline.yml`` before and after: each accepted finding about the clause (or a
    link to it) under the fingerprint it has once renamed; and how many; None if none."""
    from dataclasses import replace

    from .baseline import BASELINE_FILE
    from .checks import run_checks
    from .errors import BaselineError
    from .yamlio import dump_checked, parse_yaml

    path = project.root / BASELINE_FILE
    if not path.exists():
        return None
    before = read_text(path, BASELINE_FILE, BaselineError)
    data = parse_yaml(before, BASELINE_FILE, BaselineError, roundtrip=True)
    accepted = data.get("accepted") if isinstance(data, dict) else None
    if not isinstance(accepted, list):
        return None
    found = {f.fingerprint: f for f in run_checks(project, project.locales, (rename.document,))}
    old = re.escape(rename.old)
    in_key = re.compile(rf"(?<![a-z0-9-]){old}(?![a-z0-9-])")  # keys: 'a:GL7 1YG>contact:…'
    # messages: '§13 (contact)', '#contact', '(collection … contact)'; never a quoted word
    in_message = re.compile(rf"(?<=[(#]){old}(?![a-z0-9-])|(?<![a-z0-9-]){old}(?=\))")
    count = 0
    for entry in accepted:
        item = found.get(str(entry.get("fingerprint"))) if isinstance(entry, dict) else None
        if item is None or item.document != rename.document or not (
                item.clause == rename.old or in_key.search(item.key)):
            continue
        moved = replace(item, clause=rename.new if item.clause == rename.old else item.clause,
                        key=in_key.sub(rename.new, item.key))
        entry["fingerprint"] = moved.fingerprint
        if entry.get("clause") == rename.old:
            entry["clause"] = rename.new
        if isinstance(entry.get("message"), str):
            entry["message"] = in_message.sub(rename.new, entry["message"])
        count += 1
    if not count:
        return None
    return before, dump_checked(data, BASELINE_FILE, BaselineError), count
