"""Test-only fault points: the crash and concurrency tests stop a real process at a named step.

``POLICY_FAULT_AT=<step>`` kills the process with SIGKILL when it reaches ``step`` (a power
loss, as far as the files can tell). ``POLICY_PAUSE_AT=<step>`` with
``POLICY_PAUSE_UNTIL=<file>`` creates ``<file>.paused`` at ``step`` and waits until ``<file>``
exists. Unset (always, outside the tests), each point costs one dictionary look-up.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

PAUSE_LIMIT = 60.0  # seconds: a forgotten test never leaves a process behind for long


def reach(step: str) -> None:
    """Die or pause here if a test asked for it; otherwise do nothing."""
    if os.environ.get("POLICY_FAULT_AT") == step:
        os.kill(os.getpid(), signal.SIGKILL)
    if os.environ.get("POLICY_PAUSE_AT") == step:
        until = Path(os.environ["POLICY_PAUSE_UNTIL"])
        Path(f"{until}.paused").touch()
        deadline = time.monotonic() + PAUSE_LIMIT
        while not until.exists() and time.monotonic() < deadline:
            time.sleep(0.02)
