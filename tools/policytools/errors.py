"""Typed errors, caught once at the CLI edge and printed as one line naming file and line."""

from __future__ import annotations


class PolicyError(Exception):
    """Bad input or a refused operation; ``str()`` is the one-line message for the user."""

    def __init__(self, message: str, file: str | None = None, line: int | None = None,
                 hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.hint = hint

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = f"{self.file}:{self.line}: " if self.line else f"{self.file}: "
        return f"{where}{self.message}"


class ConfigError(PolicyError):
    """``policy/policy.yml`` or the project layout is wrong."""


class BaselineError(PolicyError):
    """``policy/baseline.yml`` cannot be read."""


class UsageError(PolicyError):
    """The command line asks for something that does not exist."""
