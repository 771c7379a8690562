"""Reading the files the tools are given, safely: regular files of a sane size only.

Every reader of a policy file, an archived file or a YAML file goes through
:func:`read_bytes_safely`, so a symlink to ``/dev/zero``, a FIFO, a directory or a 50 MB file
is one clear refusal naming the file, never a hang or a memory blow-up.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .errors import PolicyError

MAX_BYTES = 10 * 1024 * 1024  # 10 MB: a policy is tens of kilobytes; anything this big is not one
_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe (FIFO)"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISSOCK, "a socket"))


class FileRefused(PolicyError):
    """A file that cannot be read, or that the tools refuse to read; ``detail`` says why."""

    def __init__(self, detail: str, file: str) -> None:
        super().__init__(f"cannot read: {detail}", file)
        self.detail = detail


def read_bytes_safely(path: Path, display: str) -> bytes:
    """The bytes of the regular file at ``path`` (symlinks followed), at most ``MAX_BYTES``.

    Raises :class:`FileRefused` naming ``display`` for anything else. The file is opened
    without blocking (a FIFO with no writer would wait forever) and checked before reading.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise FileRefused(_kind(path) or str(exc.strerror), display) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise FileRefused(_describe(info.st_mode), display)
        if info.st_size > MAX_BYTES:
            raise FileRefused(_too_large(info.st_size), display)
        data = _read_at_most(fd, MAX_BYTES + 1)  # it may have grown since fstat
    except OSError as exc:
        raise FileRefused(str(exc.strerror), display) from None
    finally:
        os.close(fd)
    if len(data) > MAX_BYTES:
        raise FileRefused(_too_large(len(data)), display)
    return data


def _read_at_most(fd: int, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while size < limit:
        chunk = os.read(fd, limit - size)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def _kind(path: Path) -> str | None:
    """Why a file that cannot be opened is not a regular file, if that is why."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return None
    return None if stat.S_ISREG(mode) else _describe(mode)


def _describe(mode: int) -> str:
    kind = next((name for test, name in _KINDS if test(mode)), "not a file")
    return f"it is {kind}, not a regular file"


def _too_large(size: int) -> str:
    return (f"it holds {size / 1024 / 1024:.1f} MB, more than the "
            f"{MAX_BYTES // 1024 // 1024} MB the tools read")
