"""The baseline: findings accepted for now, each with a reason, so CI fails only on new drift.

An entry matches a finding by fingerprint (code, document, locale, clause and the compared
detail; never a line number), so it survives line moves and unrelated edits.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .config import Project
from .errors import BaselineError
from .model import Finding, Severity
from .rules import RULES
from .yamlio import item_lines, load_yaml, write_yaml

BASELINE_FILE = "policy/baseline.yml"
HEADER = """\
# Findings of `policy check` accepted for now. CI fails only on findings not listed here.
# Each entry needs a `reason` for the editors who read it later. Refresh the list with
# `policy check --write-baseline`: reasons and comments of entries that still occur are kept.
"""
FIELDS = ("fingerprint", "code", "document", "locale", "clause", "message", "reason")


@dataclass(frozen=True)
class Entry:
    fingerprint: str
    code: str
    document: str
    locale: str
    clause: str | None
    message: str
    reason: str
    index: int = 0


@dataclass
class Baseline:
    path: Path
    display: str
    entries: list[Entry] = field(default_factory=list)
    data: Any = None

    def reason(self, fingerprint: str) -> str | None:
        return next((e.reason for e in self.entries if e.fingerprint == fingerprint), None)


def load_baseline(path: Path, display: str) -> Baseline:
    """Read a baseline; a missing file is an empty baseline."""
    if not path.exists():
        return Baseline(path, display)
    data = load_yaml(path, display, BaselineError)
    if data is None:
        return Baseline(path, display)
    accepted = data.get("accepted") if isinstance(data, dict) else None
    if not isinstance(accepted, list):
        raise BaselineError("expected a mapping with a list 'accepted:'", display, 1)
    entries = []
    for index, item in enumerate(accepted):
        if not isinstance(item, dict) or not isinstance(item.get("fingerprint"), str):
            lines = item_lines(path, "accepted")
            raise BaselineError(f"entry {index + 1} has no fingerprint", display,
                                lines[index] if index < len(lines) else None)
        entries.append(Entry(
            fingerprint=item["fingerprint"], code=str(item.get("code", "")),
            document=str(item.get("document", "")), locale=str(item.get("locale", "")),
            clause=item.get("clause"), message=str(item.get("message", "")),
            reason=str(item.get("reason") or ""), index=index))
    return Baseline(path, display, entries, data)


@dataclass
class Judged:
    """Findings split into new and accepted, plus baseline entries that no longer occur."""

    new: list[Finding]
    accepted: list[tuple[Finding, str]]
    stale: list[Finding]

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.new if f.severity == severity)


def judge(findings: Iterable[Finding], baseline: Baseline | None,
          scope: tuple[set[str], set[str]] | None = None) -> Judged:
    """Match findings against the baseline; ``scope`` (locales, documents) limits staleness."""
    known = {e.fingerprint: e for e in baseline.entries} if baseline else {}
    new, accepted, seen = [], [], set()
    for item in findings:
        entry = known.get(item.fingerprint)
        if entry is None:
            new.append(item)
        else:
            accepted.append((item, entry.reason))
            seen.add(item.fingerprint)
    stale = []
    if baseline:
        lines: list[int] | None = None
        for entry in baseline.entries:
            unreasoned = entry.fingerprint in seen and not entry.reason.strip()
            in_scope = scope is None or (entry.locale in scope[0] and entry.document in scope[1])
            gone = entry.fingerprint not in seen and in_scope
            if (unreasoned or gone) and lines is None:
                lines = item_lines(baseline.path, "accepted")  # parsed only when needed
            line = lines[entry.index] if lines and entry.index < len(lines) else None
            if unreasoned:
                new.append(Finding(  # a finding of its own, not a stale entry
                    code="baseline-reason", severity=RULES["baseline-reason"].severity,
                    message=f"baseline entry {entry.fingerprint} ({entry.code} in "
                    f"{entry.locale}/{entry.document}) has no reason: say why it is accepted",
                    document=entry.document, locale=entry.locale, file=baseline.display,
                    line=line, clause=entry.clause, key=entry.fingerprint))
            if gone:
                stale.append(Finding(
                    code="baseline-stale", severity=RULES["baseline-stale"].severity,
                    message=f"baseline entry {entry.fingerprint} ({entry.code} in "
                    f"{entry.locale}/{entry.document}) no longer occurs: remove it, or run "
                    "policy check --write-baseline", document=entry.document,
                    locale=entry.locale, file=baseline.display, line=line,
                    clause=entry.clause, key=entry.fingerprint))
    return Judged(new, accepted, stale)


def judged_findings(project: Project, baseline: Baseline | None,
                    locales: tuple[str, ...] | None = None,
                    documents: tuple[str, ...] | None = None) -> tuple[list[Finding], Judged]:
    """Every finding of the chosen locales and documents, and how the baseline judges them."""
    from .checks import run_checks

    locales = locales or project.locales
    documents = documents or project.documents
    findings = run_checks(project, locales, documents)
    return findings, judge(findings, baseline, (set(locales), set(documents)))


def write_baseline(baseline: Baseline, findings: Iterable[Finding],
                   scope: tuple[set[str], set[str]] | None = None) -> int:
    """Record ``findings`` as accepted, keeping the reasons and comments of kept entries.

    Entries outside ``scope`` (locales, documents: what this run checked) are kept as they
    are, so ``--locale nl --write-baseline`` never drops the other locales' entries.
    """
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    data = load_yaml(baseline.path, baseline.display, BaselineError, roundtrip=True) \
        if baseline.path.exists() else None
    data = data if isinstance(data, CommentedMap) else None
    old: dict[str, Any] = {}
    above: dict[str, list[str]] = {}
    below: list[str] = []
    if data is not None:
        old = {item["fingerprint"]: item for item in data.get("accepted") or []
               if isinstance(item, dict)}
        above, below = _detach_comments(data)
    else:
        data = CommentedMap()
        data.yaml_set_start_comment("\n".join(ln[2:] for ln in HEADER.splitlines()))
    data["version"] = data.get("version", 1)
    ordered: list[tuple[str, str, Any]] = [
        (str(e["locale"]), str(e["document"]), e) for e in old.values()
        if scope is not None and e.get("locale") and e.get("document")
        and not (e["locale"] in scope[0] and e["document"] in scope[1])]
    for item in sorted(findings, key=lambda f: (f.locale, f.document, f.file, f.line or 0)):
        if item.severity == Severity.INFO:
            continue  # an info finding never fails a run: there is nothing to accept
        entry = old.get(item.fingerprint)
        if entry is None:
            entry = CommentedMap()
            for key, value in (("fingerprint", item.fingerprint), ("code", item.code),
                               ("document", item.document), ("locale", item.locale),
                               ("clause", item.clause), ("message", item.message),
                               ("reason", "")):
                entry[key] = value
        ordered.append((item.locale, item.document, entry))
    accepted = CommentedSeq()
    for _, _, entry in sorted(ordered, key=lambda t: t[:2]):
        accepted.append(entry)
    for index, entry in enumerate(accepted):
        if above.get(entry["fingerprint"]):
            accepted.ca.items[index] = [None, _tokens(above[entry["fingerprint"]]), None, None]
    if below and accepted:
        _hang(accepted[-1], below)
    data["accepted"] = accepted
    write_yaml(baseline.path, data, baseline.display, BaselineError)
    return len(accepted)


def _detach_comments(data: Any) -> tuple[dict[str, list[str]], list[str]]:
    """Comment lines above each old entry (by fingerprint) and below the last one.

    ruamel.yaml hangs a comment on what precedes it (the 'accepted:' key, or the previous
    entry's last value), so an entry that moves or goes would take the wrong comment along.
    """
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    entries = data.get("accepted")
    if not isinstance(entries, CommentedSeq):
        return {}, []
    first = entries.ca.comment[1] if entries.ca.comment and len(entries.ca.comment) > 1 else None
    blocks = ["".join(token.value for token in first or ())]
    entries.ca.comment = None
    if data.ca.items.get("accepted") and len(data.ca.items["accepted"]) > 3:
        data.ca.items["accepted"][3] = None
    for item in entries:
        slot: list[Any] = item.ca.items.get(list(item)[-1], []) if isinstance(
            item, CommentedMap) and item else []
        token = slot[2] if len(slot) > 2 else None
        if token is None:
            blocks.append("")
            continue
        eol, _, rest = token.value.partition("\n")
        blocks.append(rest)
        if eol.strip():
            token.value = eol + "\n"
        else:
            slot[2] = None
    lines = [_comment_lines(block) for block in blocks]
    above = {item["fingerprint"]: text for item, text in zip(entries, lines, strict=False)
             if text and isinstance(item, dict) and isinstance(item.get("fingerprint"), str)}
    return above, lines[-1] if entries else []


def _comment_lines(block: str) -> list[str]:
    return [ln.strip().removeprefix("#").removeprefix(" ") for ln in block.splitlines()]


def _comment(line: str) -> str:
    return f"# {line}\n" if line else "\n"


def _tokens(lines: list[str]) -> list[Any]:
    """Comment lines as ruamel.yaml writes them above a sequence entry."""
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.tokens import CommentToken

    return [CommentToken(_comment(ln), CommentMark(2)) for ln in lines]


def _hang(entry: Any, lines: list[str]) -> None:
    """Put comment lines below ``entry``, after its last value."""
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.tokens import CommentToken

    text = "".join(map(_comment, lines))
    slot = entry.ca.items.setdefault(list(entry)[-1], [None, None, None, None])
    if slot[2] is not None:
        slot[2].value = slot[2].value.rstrip("\n") + "\n" + text
    else:
        slot[2] = CommentToken("\n" + text, CommentMark(0), None)
