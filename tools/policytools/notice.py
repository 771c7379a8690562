"""When a release may take effect: the notice a material change gives its readers.

Pure rules shared by ``policy release``, which refuses a release that breaks them, and by
``policy check``, which reports a ledger entry edited by hand that does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from .ledger import Release


def days(count: int) -> str:
    """'30 days'' or '1 day's', as a notice is written."""
    return f"{count} day's" if count == 1 else f"{count} days'"


def too_soon(release: Release, found: Mapping[str, Release], superseded: Release | None,
             notice_days: int) -> str | None:
    """Why ``release`` takes effect before the notice it owes has run, or None.

    ``found`` holds the texts it replaces (``Ledger.built_on``): a text published for the
    first time replaces none and needs no notice. An editorial correction of a material
    change announced earlier keeps that change's date, for which readers were given notice.
    """
    if release.kind == "editorial":
        if superseded is not None and superseded.kind == "material" and \
                release.effective < superseded.effective:
            return (f"an editorial correction of the material change {superseded.version} "
                    f"takes effect when that change would, {superseded.effective}, or later")
        return None
    if not any(name in found for name in release.files):
        return None
    earliest = release.released + dt.timedelta(days=notice_days)
    if release.effective < earliest:
        return (f"a material change needs {days(notice_days)} notice: the earliest effective "
                f"date is {earliest}")
    return None
