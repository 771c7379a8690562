"""The project lock: every command that writes under ``policy/`` holds it for its whole
read-validate-write sequence, so two commands at once never lose each other's writes.

The lock is ``policy/.lock``, an OS file lock (``flock`` through the ``filelock`` library):
the kernel releases it when its holder exits, however it dies, so a crash never leaves the
project locked. The holder writes its process id and command into the file, for the message
a waiting command gives when it stops waiting.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from .config import Project
from .errors import PolicyError
from .faults import reach

LOCK_FILE = "policy/.lock"
TIMEOUT_ENV = "POLICY_LOCK_TIMEOUT"
DEFAULT_TIMEOUT = 10.0  # seconds: longer than a release of a large project takes


class LockError(PolicyError):
    """Another command holds the project lock, or the lock cannot be taken at all."""


def timeout() -> float:
    """How long a writing command waits for the lock: ``POLICY_LOCK_TIMEOUT`` or 10 s."""
    text = os.environ.get(TIMEOUT_ENV, "")
    try:
        return max(0.0, float(text)) if text else DEFAULT_TIMEOUT
    except ValueError:
        raise LockError(f"{TIMEOUT_ENV}='{text}' is not a number of seconds") from None


@contextmanager
def project_lock(project: Project, command: str) -> Iterator[None]:
    """Hold the project lock while the block runs; refuse after a bounded wait."""
    from filelock import FileLock, Timeout

    path = project.root / LOCK_FILE
    wait = timeout()

    def note_holder(fd: int) -> None:
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()} {command}\n".encode(), 0)

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # preserve_lock_file: waiters share one inode, and the file's text is ours to write
        lock = FileLock(path, timeout=wait, preserve_lock_file=True, on_acquired=note_holder)
        lock.acquire()
    except Timeout:
        raise LockError(f"policy/ is locked by another command{_holder(path)}; waited "
                        f"{wait:g} s: try again once it has finished", LOCK_FILE) from None
    except OSError as exc:
        raise LockError(f"cannot take the lock: {exc.strerror}", LOCK_FILE) from None
    try:
        reach("locked")
        yield
    finally:
        with suppress(OSError):
            os.truncate(path, 0)  # a holder that has finished is named nowhere
        lock.release()


def _holder(path: Path) -> str:
    """' (process 123: policy release …)' from the lock file, '' if it names nobody alive."""
    try:
        with path.open("rb") as handle:
            pid_text, _, command = handle.read(512).decode().strip().partition(" ")
        pid = int(pid_text)
        os.kill(pid, 0)
    except PermissionError:
        pass  # alive, run by another account
    except (OSError, ValueError, UnicodeDecodeError):
        return ""
    return f" (process {pid}: {command})"
