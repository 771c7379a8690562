"""Formatters: judged findings → text, JSON, GitHub workflow commands or SARIF 2.1.0.

The only module that turns findings into output; each formatter returns a string.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from . import __version__
from .baseline import Judged
from .model import Finding, Severity
from .plaintext import terminal
from .rules import RULES

JSON_SCHEMA_VERSION = 1
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
COLOURS = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.INFO: "36"}


@dataclass
class Outcome:
    """What one ``policy check`` run found and how it judges it."""

    judged: Judged
    fail_at: Severity
    baseline: str | None
    root: str

    @property
    def failing(self) -> list[Finding]:
        return [f for f in self.judged.new if f.severity >= self.fail_at]

    @property
    def shown(self) -> list[Finding]:
        return sorted(self.judged.new + self.judged.stale, key=lambda f: f.sort_key)


def _paint(text: str, code: str, colour: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if colour else text


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def text(outcome: Outcome, colour: bool = False, verbose: bool = False) -> str:
    """Compiler-style lines grouped by file, then a summary line."""
    lines: list[str] = []
    shown = outcome.shown
    if verbose:
        shown = sorted(shown + [f for f, _ in outcome.judged.accepted], key=lambda f: f.sort_key)
    accepted = {f.fingerprint: reason for f, reason in outcome.judged.accepted}
    for _file, group in groupby(shown, key=lambda f: f.file):
        if lines:
            lines.append("")
        for item in group:
            where = terminal(f"{item.file}:{item.line}" if item.line else item.file)
            label = _paint(item.severity.label, COLOURS[item.severity], colour)
            code = _paint(f"[{item.code}]", "2", colour)
            note = ""
            if item.fingerprint in accepted and item.code != "baseline-stale":
                reason = terminal(accepted[item.fingerprint] or "no reason given")
                note = _paint(f" (accepted: {reason})", "2", colour)
            lines.append(f"{where}: {label} {code} {terminal(item.message)}{note}")
    lines.append(("\n" if lines else "") + summary(outcome, colour))
    return "\n".join(lines) + "\n"


def summary(outcome: Outcome, colour: bool = False) -> str:
    judged = outcome.judged
    counts = (f"{_plural(judged.count(Severity.ERROR), 'error')}, "
              f"{_plural(judged.count(Severity.WARNING), 'warning')}, "
              f"{judged.count(Severity.INFO)} info")
    parts = [counts]
    if judged.accepted:
        parts.append(f"{_plural(len(judged.accepted), 'finding')} accepted by "
                     f"{outcome.baseline}")
    if judged.stale:
        stale = len(judged.stale)
        verb = "entry no longer occurs" if stale == 1 else "entries no longer occur"
        parts.append(f"{stale} baseline {verb}")
    verdict = "failed" if outcome.failing else "passed"
    tint = "31;1" if outcome.failing else "32;1"
    return f"policy check {_paint(verdict, tint, colour)}: {'; '.join(parts)}"


def _entry(item: Finding, state: str, reason: str | None) -> dict[str, Any]:
    return {
        "code": item.code, "severity": item.severity.label, "document": item.document,
        "locale": item.locale, "clause": item.clause, "file": item.file, "line": item.line,
        "message": item.message, "source": item.source, "translation": item.translation,
        "fingerprint": item.fingerprint, "baseline": state, "reason": reason,
    }


def as_json(outcome: Outcome) -> str:
    """The stable JSON schema documented in ``schemas/check-output.schema.json``."""
    judged = outcome.judged
    findings = [_entry(f, "new", None) for f in judged.new]
    findings += [_entry(f, "accepted", r) for f, r in judged.accepted]
    findings += [_entry(f, "stale", None) for f in judged.stale]
    findings.sort(key=lambda e: (e["file"], e["line"] or 0, e["code"], e["message"]))
    data = {
        "version": JSON_SCHEMA_VERSION,
        "tool": {"name": "policy", "version": __version__},
        "summary": {
            "errors": judged.count(Severity.ERROR),
            "warnings": judged.count(Severity.WARNING),
            "info": judged.count(Severity.INFO),
            "accepted": len(judged.accepted),
            "stale_baseline_entries": len(judged.stale),
            "failed": bool(outcome.failing),
        },
        "findings": findings,
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def github(outcome: Outcome) -> str:
    """GitHub Actions workflow commands: one annotation per new finding."""
    kinds = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
    lines = []
    for item in outcome.shown:
        props = [f"file={_escape_property(item.file)}"]
        if item.line:
            props.append(f"line={item.line}")
        props.append(f"title={_escape_property(f'policy {item.code}')}")
        lines.append(f"::{kinds[item.severity]} {','.join(props)}::{_escape_data(item.message)}")
    lines.append(summary(outcome))
    return "\n".join(lines) + "\n"


def sarif(outcome: Outcome) -> str:
    """SARIF 2.1.0 for code-scanning uploads; accepted findings carry a suppression."""
    codes = list(RULES)
    rules = [{
        "id": rule.code,
        "shortDescription": {"text": rule.summary},
        "defaultConfiguration": {"level": SARIF_LEVEL[rule.severity]},
        "properties": {"check": rule.check, "preconditions": list(rule.preconditions)},
    } for rule in RULES.values()]
    results = [_sarif_result(f, codes, "new", None) for f in outcome.judged.new]
    results += [_sarif_result(f, codes, "unchanged", r) for f, r in outcome.judged.accepted]
    results += [_sarif_result(f, codes, "new", None) for f in outcome.judged.stale]
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "policy", "version": __version__, "rules": rules}},
            "originalUriBaseIds": {"SRCROOT": {"uri": outcome.root.rstrip("/") + "/"}},
            "invocations": [{"executionSuccessful": True}],
            "results": results,
        }],
    }
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"


def _sarif_result(item: Finding, codes: list[str], state: str,
                  reason: str | None) -> dict[str, Any]:
    location: dict[str, Any] = {"artifactLocation": {"uri": item.file, "uriBaseId": "SRCROOT"}}
    if item.line:
        location["region"] = {"startLine": item.line}
    result: dict[str, Any] = {
        "ruleId": item.code,
        "ruleIndex": codes.index(item.code),
        "level": SARIF_LEVEL[item.severity],
        "message": {"text": item.message},
        "locations": [{"physicalLocation": location}],
        "partialFingerprints": {"policyFinding/v1": item.fingerprint},
        "baselineState": state,
        "properties": {k: v for k, v in (
            ("document", item.document), ("locale", item.locale), ("clause", item.clause),
            ("source", item.source), ("translation", item.translation)) if v is not None},
    }
    if reason is not None:
        result["suppressions"] = [{"kind": "external", "status": "accepted",
                                   "justification": reason or "accepted in the baseline"}]
    return result


FORMATTERS: dict[str, Callable[[Outcome], str]] = {
    "json": as_json, "github": github, "sarif": sarif,
}
