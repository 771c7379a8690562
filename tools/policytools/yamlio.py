"""YAML the tools read and write, round-tripped by ruamel.yaml, and atomic file writes.

Data files hold no anchors or aliases (an alias bomb of a kilobyte expands to gigabytes), and
no character YAML cannot store and give back: :func:`storable` refuses them at input and
:func:`dump_checked` reads every text written back before a file is replaced.
"""

from __future__ import annotations

import importlib
import io
import os
import re
import stat
import tempfile
import unicodedata
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

from .errors import PolicyError
from .faults import reach


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


# Control characters (C0 but tab and line feed, DEL, C1), a carriage return outside a line
# ending, lone surrogates (undecodable bytes of a command line), the noncharacters U+FFFE and
# U+FFFF and the line and paragraph separators: YAML refuses them or reads them back as
# something else, and a browser shows none of them.
UNSTORABLE_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff"
                           "\u2028\u2029]|\r(?!\n)")


def unstorable(text: str) -> Iterator[tuple[str, int, int]]:
    """Each character no data file may hold: ('control character U+000B', line, column)."""
    for match in UNSTORABLE_RE.finditer(text):
        at, char = match.start(), match.group()
        kind = "control character" if unicodedata.category(char) == "Cc" else "character"
        yield (f"{kind} U+{ord(char):04X}", text.count("\n", 0, at) + 1,
               at - text.rfind("\n", 0, at))


def storable(text: str, what: str, error: type[PolicyError] = PolicyError,
             file: str | None = None, line: int | None = None) -> str:
    """``text`` with Windows line endings made plain, or an error naming what it holds."""
    text = text.replace("\r\n", "\n")
    found = next(unstorable(text), None)
    if found is not None:
        char, row, column = found
        place = f"line {row}, column {column}" if "\n" in text else f"column {column}"
        raise error(f"{what} holds the {char} ({place}): remove it", file, line)
    return text


def _refuse_aliases(text: str, display: str, error: type[PolicyError],
                    line_offset: int) -> None:
    """Refuse anchors and aliases, reading only the events (fast, nothing is expanded)."""
    if "&" not in text and "*" not in text:
        return
    from ruamel.yaml.error import YAMLError

    try:
        for event in _safe().parse(text):
            anchor = getattr(event, "anchor", None)
            if anchor is not None:
                raise error(f"YAML anchors and aliases ('&{anchor}', '*{anchor}') are not "
                            "allowed here: write each value out", display,
                            event.start_mark.line + 1 + line_offset)
    except YAMLError:
        return  # invalid YAML: the load reports it with its line


def parse_yaml(text: str, display: str, error: type[PolicyError] = PolicyError,
               line_offset: int = 0, roundtrip: bool = False) -> Any:
    """Parse YAML text holding no anchors or aliases; errors name ``display`` and the line."""
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    _refuse_aliases(text, display, error, line_offset)
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


def yaml11_suspect(value: object) -> bool:
    """Whether the string ``value``, written unquoted, is no string in YAML 1.1 ('no', '1:20')."""
    if not isinstance(value, str):
        return False
    from ruamel.yaml.nodes import ScalarNode

    return bool(_resolver11().resolve(ScalarNode, value, (True, False)) != STR_TAG)


STR_TAG = "tag:yaml.org,2002:str"


@cache
def _resolver11() -> Any:
    from ruamel.yaml.resolver import VersionedResolver

    return VersionedResolver(version=(1, 1))


def yaml11_load(text: str, display: str, error: type[PolicyError] = PolicyError) -> Any:
    """``text`` as MkDocs reads it: PyYAML's YAML 1.1, tags only MkDocs knows read as None."""
    yaml: Any = importlib.import_module("yaml")  # PyYAML, installed with MkDocs

    class Loader(yaml.SafeLoader):  # type: ignore[misc]
        pass

    Loader.add_multi_constructor("", lambda *_: None)
    try:
        return yaml.load(text, Loader=Loader)
    except yaml.YAMLError as exc:
        raise error(f"invalid YAML for MkDocs: {exc}", display) from None


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


def text_scalar(text: str) -> Any:
    """``text`` as editors read it best: a literal block where it has lines and reads back
    as written (a line of only a tab does not), else double-quoted, which always does."""
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString

    if "\n" not in text:
        return text
    literal = LiteralScalarString(text)
    try:
        fits = _safe().load(dump_yaml({"t": literal})) == {"t": text}
    except Exception:  # ruamel fails on some texts it writes: then quote
        fits = False
    return literal if fits else DoubleQuotedScalarString(text)


def dump_checked(data: Any, display: str, error: type[PolicyError] = PolicyError) -> str:
    """``data`` as YAML text, refused unless reading the text back gives ``data`` again."""
    text = dump_yaml(data)
    try:
        again = _safe().load(text)
    except Exception:  # any failure to read back is the refusal below
        again = None
    if again != data:
        raise error("refused to write: the YAML would not read back as written (a character "
                    "YAML cannot store?); the file was left as it was", display)
    return text


def write_yaml(path: Path, data: Any, display: str,
               error: type[PolicyError] = PolicyError) -> None:
    """Replace the YAML file ``path`` atomically, once its text reads back as ``data``."""
    write_atomic(path, dump_checked(data, display, error), display, error)


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


def write_atomic(path: Path, text: str | bytes, display: str | None = None,
                 error: type[PolicyError] = PolicyError) -> None:
    """Write ``text`` (or bytes) so that readers see the old file or the new one, never half.

    The file keeps its mode; a new file gets the mode the umask allows (mkstemp's is 0600).
    A folder, a device or a failing disk is an error naming ``display``; nothing is left.
    """
    where = display or str(path)
    try:
        mode = _mode(path, where, error)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise error(f"cannot write: {exc.strerror or exc}", where) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8") if isinstance(text, str) else text)
            handle.flush()
            os.fchmod(handle.fileno(), mode)
            os.fsync(handle.fileno())
        reach(f"replace {path.name}")
        Path(tmp).replace(path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise error(f"cannot write: {exc.strerror or exc}", where) from None
        raise


def _mode(path: Path, where: str, error: type[PolicyError]) -> int:
    """The mode to give ``path``: its own, or what the umask allows a new file."""
    try:
        info = path.stat()
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
    if not stat.S_ISREG(info.st_mode):
        # renaming over a folder fails, and over a device (/dev/null) would replace it
        kind = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file"
        raise error(f"cannot write: it is {kind}", where)
    return stat.S_IMODE(info.st_mode)
