"""The baseline: findings accepted for now, each with a reason, so CI fails only on new drift.

An entry matches a finding by fingerprint (code, document, locale, clause and the compared
detail; never a line number), so it survives line moves and unrelated edits.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import BaselineError
from .model import Finding, Severity
from .rules import RULES
from .yamlio import dump_yaml, load_yaml, write_atomic

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
    line: int | None = None


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
        line = item.lc.line + 1 if hasattr(item, "lc") else None
        if not isinstance(item, dict) or not isinstance(item.get("fingerprint"), str):
            raise BaselineError(f"entry {index + 1} has no fingerprint", display, line)
        entries.append(Entry(
            fingerprint=item["fingerprint"], code=str(item.get("code", "")),
            document=str(item.get("document", "")), locale=str(item.get("locale", "")),
            clause=item.get("clause"), message=str(item.get("message", "")),
            reason=str(item.get("reason") or ""), line=line))
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
        for entry in baseline.entries:
            if entry.fingerprint in seen and not entry.reason.strip():
                stale.append(Finding(
                    code="baseline-reason", severity=RULES["baseline-reason"].severity,
                    message=f"baseline entry {entry.fingerprint} ({entry.code} in "
                    f"{entry.locale}/{entry.document}) has no reason: say why it is accepted",
                    document=entry.document, locale=entry.locale, file=baseline.display,
                    line=entry.line, clause=entry.clause, key=entry.fingerprint))
            in_scope = scope is None or (entry.locale in scope[0] and entry.document in scope[1])
            if entry.fingerprint not in seen and in_scope:
                stale.append(Finding(
                    code="baseline-stale", severity=RULES["baseline-stale"].severity,
                    message=f"baseline entry {entry.fingerprint} ({entry.code} in "
                    f"{entry.locale}/{entry.document}) no longer occurs: remove it, or run "
                    "policy check --write-baseline", document=entry.document,
                    locale=entry.locale, file=baseline.display, line=entry.line,
                    clause=entry.clause, key=entry.fingerprint))
    return Judged(new, accepted, stale)


def write_baseline(baseline: Baseline, findings: Iterable[Finding]) -> int:
    """Record ``findings`` as accepted, keeping the reasons and comments of kept entries."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    data = baseline.data if isinstance(baseline.data, CommentedMap) else None
    old: dict[str, Any] = {}
    if data is not None:
        old = {item["fingerprint"]: item for item in data.get("accepted") or []
               if isinstance(item, dict)}
    else:
        data = CommentedMap()
        data.yaml_set_start_comment("\n".join(ln[2:] for ln in HEADER.splitlines()))
    data["version"] = data.get("version", 1)
    accepted = CommentedSeq()
    for item in sorted(findings, key=lambda f: (f.locale, f.document, f.file, f.line or 0)):
        entry = old.get(item.fingerprint)
        if entry is None:
            entry = CommentedMap()
            for key, value in (("fingerprint", item.fingerprint), ("code", item.code),
                               ("document", item.document), ("locale", item.locale),
                               ("clause", item.clause), ("message", item.message),
                               ("reason", "")):
                entry[key] = value
        accepted.append(entry)
    data["accepted"] = accepted
    write_atomic(baseline.path, dump_yaml(data))
    return len(accepted)
