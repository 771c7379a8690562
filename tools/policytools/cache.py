"""The findings cache: a re-run where nothing changed answers without checking again.

Like ruff's cache, an entry is keyed by the contents of every file the check reads (all of
``locales/`` and ``policy/``, and ``mkdocs.yml``), the tool's version and code, and the
options that choose what is checked and against which baseline. An entry holds the judged
findings, so a warm run loads no YAML, Babel or Markdown parser. It lives in
``.policy_cache/`` at the project root (ignored by git, tagged as a cache directory); a
cache that cannot be read or written is no cache, never an error.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from . import __version__
from .baseline import Judged
from .model import Finding, Severity

CACHE_DIR = ".policy_cache"
INPUTS = ("locales", "policy", "mkdocs.yml")  # everything a check may read, under the root
# Libraries whose upgrade may change what a check finds: their code is part of the key.
LIBRARIES = ("babel", "phonenumbers", "text_to_num", "markdown_it_pyrs", "py3langid")
TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# policy's findings cache\n"


def cached(root: Path, options: list[str], compute: Callable[[], tuple[Judged, str | None]],
           extra: tuple[Path, ...] = ()) -> tuple[Judged, str | None]:
    """The judged findings and the baseline's display name, from the cache when every
    input is as it was; else ``compute()``d and stored if no input changed meanwhile.

    ``options`` choose what is checked; ``extra`` are inputs outside the project (a
    baseline given with --baseline).
    """
    root = root.resolve()
    folder = root / CACHE_DIR
    entry = folder / f"{_digest(options)[:32]}.json"
    key = inputs_key(root, options, extra)
    hit = _load(entry, key)
    if hit is not None:
        return hit
    judged, display = compute()
    if inputs_key(root, options, extra) == key:  # else a file changed during the run
        _store(folder, entry, key, judged, display)
    return judged, display


def inputs_key(root: Path, options: list[str], extra: tuple[Path, ...] = ()) -> str:
    """The digest of every input's path and contents, the tool's code and the options."""
    digest = hashlib.blake2b(digest_size=32)
    for part in (__version__, sys.version, *options):
        digest.update(part.encode() + b"\0")
    for path in _code_files():
        _update_stat(digest, path)
    for path in (*_input_files(root), *extra):
        digest.update(os.fsencode(path) + b"\0")
        _update_contents(digest, path)
    return digest.hexdigest()


def _code_files() -> Iterator[Path]:
    """This package's modules and the libraries' entry points: their size and mtime."""
    from importlib.util import find_spec

    package = Path(__file__).parent
    yield from sorted(package.rglob("*.py"))
    for name in LIBRARIES:
        spec = find_spec(name)
        if spec is not None and spec.origin is not None:
            yield Path(spec.origin)


def _input_files(root: Path) -> Iterator[Path]:
    """Every file under the inputs, in a stable order. Linked folders are followed (a
    locale may be one), each real folder once, so a link cycle cannot loop."""
    seen: set[str] = set()
    for name in INPUTS:
        top = root / name
        if not top.is_dir():
            yield top
            continue
        for folder, dirs, files in os.walk(top, followlinks=True):
            real = os.path.realpath(folder)
            if real in seen:
                dirs.clear()
                continue
            seen.add(real)
            dirs.sort()
            yield from (Path(folder) / file for file in sorted(files))


def _update_stat(digest: Any, path: Path) -> None:
    try:
        info = path.stat()
    except OSError:
        digest.update(b"?\0")
        return
    digest.update(f"{info.st_size}:{info.st_mtime_ns}\0".encode())


def _update_contents(digest: Any, path: Path) -> None:
    """A regular file's bytes; of anything else (a device, a fifo) only its kind, unread."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            digest.update(f"special:{stat.S_IFMT(info.st_mode)}\0".encode())
            return
        with path.open("rb") as file:
            while chunk := file.read(1 << 20):
                digest.update(chunk)
        digest.update(f"\0{info.st_size}\0".encode())
    except OSError as exc:
        digest.update(f"unreadable:{exc.errno}\0".encode())


def _digest(parts: list[str]) -> str:
    return hashlib.blake2b("\0".join(parts).encode(), digest_size=32).hexdigest()


def _load(entry: Path, key: str) -> tuple[Judged, str | None] | None:
    try:
        data = json.loads(entry.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("key") != key:
            return None
        judged = Judged([_finding(f) for f in data["new"]],
                        [(_finding(f), str(reason)) for f, reason in data["accepted"]],
                        [_finding(f) for f in data["stale"]])
        display = data["baseline"]
        return judged, None if display is None else str(display)
    except (OSError, ValueError, KeyError, TypeError):
        return None  # no entry, or one another version wrote or a crash cut short


def _store(folder: Path, entry: Path, key: str, judged: Judged, display: str | None) -> None:
    data = {"key": key, "baseline": display, "new": [_plain(f) for f in judged.new],
            "accepted": [[_plain(f), reason] for f, reason in judged.accepted],
            "stale": [_plain(f) for f in judged.stale]}
    from .errors import PolicyError
    from .yamlio import write_atomic

    try:
        tag(folder)
        write_atomic(entry, json.dumps(data, ensure_ascii=False, separators=(",", ":")))
    except (OSError, PolicyError):
        return  # a read-only checkout or a full disk: the next run checks again


def tag(folder: Path) -> None:
    """Make ``folder`` a cache folder: ignored by git, tagged for backup tools."""
    from .yamlio import write_atomic

    if not (folder / "CACHEDIR.TAG").is_file():
        folder.mkdir(parents=True, exist_ok=True)
        write_atomic(folder / ".gitignore", "# Written by policy: a cache.\n*\n")
        write_atomic(folder / "CACHEDIR.TAG", TAG)


def _plain(finding: Finding) -> dict[str, Any]:
    return {"code": finding.code, "severity": int(finding.severity), "message": finding.message,
            "document": finding.document, "locale": finding.locale, "file": finding.file,
            "line": finding.line, "clause": finding.clause, "source": finding.source,
            "translation": finding.translation, "key": finding.key, "column": finding.column}


def _finding(data: dict[str, Any]) -> Finding:
    return Finding(**{**data, "severity": Severity(data["severity"])})
