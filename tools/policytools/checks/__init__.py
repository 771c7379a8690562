"""The checks: each locale on its own, and each translation against the source, by clause id.

``registry`` holds what a check is given and the registered checks, one module per family
of checks registers them (structure, facts, addresses, xrefs, completeness, stale, archive,
ledger, locales), and ``runner`` runs them, in one process or in forked workers.
"""

from __future__ import annotations

from .runner import run_checks

__all__ = ["run_checks"]
