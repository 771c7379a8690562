"""YAML the tools read and write, round-tripped by ruamel.yaml, and atomic file writes."""

from __future__ import annotations

import io
import os
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

from .errors import PolicyError


@cache
def _safe() -> Any:
    """One C-backed safe loader for every read (building one is not free)."""
    from ruamel.yaml import YAML

    return YAML(typ="safe", pure=False)


def _yaml() -> Any:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def load_yaml(path: Path, display: str, error: type[PolicyError] = PolicyError,
              roundtrip: bool = False) -> Any:
    """Load a YAML file: fast (C, plain dicts) to read, ``roundtrip`` before a write.

    Round-trip data keeps comments, order and quoting for a later ``dump_yaml`` and knows
    the line of every key (``.lc``); it is several times slower to load.
    """
    return parse_yaml(read_text(path, display, error), display, error, roundtrip=roundtrip)


def parse_yaml(text: str, display: str, error: type[PolicyError] = PolicyError,
               line_offset: int = 0, roundtrip: bool = False) -> Any:
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    if not roundtrip:
        try:
            return _safe().load(text)
        except YAMLError:
            pass  # parse again below, in pure Python, for its clearer message and line
    try:
        return _yaml().load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 + line_offset if mark else None
        problem = exc.problem or exc.context or "invalid YAML"
        raise error(f"invalid YAML: {problem}", display, line) from None
    except YAMLError as exc:
        raise error(f"invalid YAML: {exc}", display) from None


def key_line(path: Path, *keys: str | int) -> int | None:
    """The 1-based line of a nested key or index, for an error message (round-trip parse)."""
    try:
        node = _yaml().load(read_text(path, str(path)))
        for key in keys[:-1]:
            node = node[key]
        return int(node.lc.key(keys[-1])[0] if isinstance(keys[-1], str) else
                   node.lc.item(keys[-1])[0]) + 1
    except Exception:  # the line is a courtesy: never let finding it fail the error
        return None


def item_lines(path: Path, key: str) -> list[int]:
    """The 1-based line of each item of the top-level sequence ``key`` (round-trip parse)."""
    try:
        seq = _yaml().load(read_text(path, str(path)))[key]
        return [int(seq.lc.item(i)[0]) + 1 for i in range(len(seq))]
    except Exception:  # lines are a courtesy: never let finding them fail the caller
        return []


def dump_yaml(data: Any) -> str:
    buf = io.StringIO()
    _yaml().dump(data, buf)
    return buf.getvalue()


def read_text(path: Path, display: str, error: type[PolicyError] = PolicyError) -> str:
    """The UTF-8 text of a regular file of at most 10 MB, or ``error`` naming file and line."""
    from .files import FileRefused, read_bytes_safely

    try:
        data = read_bytes_safely(path, display)
    except FileRefused as exc:
        raise error(exc.message, display) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise error("not UTF-8 text: save the file as UTF-8", display, line) from None


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` so that readers see the old file or the new one, never half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
