"""The ledger's rules for each entry, which ``policy release`` enforces and a hand edit can
break: the notice a material change gives, and a reason for taking effect retroactively."""

from __future__ import annotations

from collections.abc import Iterator

from ..config import Project
from ..ledger import LEDGER_FILE, Ledger, Release, load_ledger
from ..model import Document, Finding
from ..notice import too_soon
from ..rules import finding
from ..yamlio import item_lines
from .registry import project_check

LEDGER = Document(name="releases", locale="", path=LEDGER_FILE)


@project_check("ledger-notice", "ledger-retroactive")
def entries_keep_the_rules(project: Project) -> Iterator[Finding]:
    """Every release gives the notice it owes, and takes effect before its release date only
    with a reason."""
    ledger = load_ledger(project)
    broken = [(release, code, message) for release in ledger.releases
              for code, message in _broken(ledger, release, project.notice_days)]
    if broken:  # the lines cost a second, round-trip parse: only for findings
        lines = dict(zip([r.version for r in ledger.releases],
                         item_lines(ledger.path, "releases"), strict=False))
        for release, code, message in broken:
            yield finding(code, LEDGER, message, line=release.line or lines.get(release.version),
                          key=release.version)


def _broken(ledger: Ledger, release: Release, notice_days: int) -> Iterator[tuple[str, str]]:
    """What is wrong with ``release``, measured by the notice it recorded (else today's)."""
    yield from _retroactive(release)
    superseded = ledger.get(release.supersedes) if release.supersedes else None
    owed = notice_days if release.notice_days is None else release.notice_days
    late = too_soon(release, ledger.built_on(release), superseded, owed)
    if late:
        yield "ledger-notice", f"release {release.version}: {late}"


def _retroactive(release: Release) -> Iterator[tuple[str, str]]:
    if release.effective < release.released and not release.retroactive:
        yield "ledger-retroactive", (
            f"release {release.version} takes effect {release.effective}, before its release "
            f"date {release.released}, and gives no reason: add retroactive: \"reason\" to "
            "the entry")
    if release.retroactive and release.effective >= release.released:
        yield "ledger-retroactive", (
            f"release {release.version} gives a retroactive reason but takes effect on or "
            f"after its release date {release.released}: remove it")
