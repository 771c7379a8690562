"""Archive integrity: every archived file of a release is there, unchanged, and no other."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..config import Project
from ..files import FileRefused, read_bytes_safely
from ..ledger import ARCHIVE_DIR, Ledger, load_ledger, sha256
from ..model import Document, Finding
from ..rules import finding
from .registry import project_check


@project_check("archive-modified", "archive-missing", "archive-unexpected", "archive-unreadable",
               "release-unfinished", "rename-unfinished", "write-unfinished")
def archive_intact(project: Project) -> Iterator[Finding]:
    """Every file a release archived is there and unchanged, and the archive holds no other."""
    yield from integrity(project, load_ledger(project))


def integrity(project: Project, ledger: Ledger) -> Iterator[Finding]:
    """Recompute every archived file's hash: edited, deleted or added files are errors.

    What an interrupted command left under ``policy/`` is named too (``leftovers``).
    """
    archive = project.root / ARCHIVE_DIR
    for release in ledger.releases:
        for name, digest in release.files.items():
            path = archive / release.version / name
            doc = _stub(project, path, name)
            if not path.exists():
                yield finding("archive-missing", doc, f"{doc.path} of release "
                              f"{release.version} is missing: restore it from version control",
                              key=f"{release.version}/{name}")
                continue
            try:
                data = read_bytes_safely(path, doc.path)
            except FileRefused as exc:
                yield finding("archive-unreadable", doc, f"{doc.path} of release "
                              f"{release.version} cannot be read ({exc.detail}): restore it "
                              "from version control", key=f"{release.version}/{name}")
                continue
            if sha256(data) != digest:
                yield finding("archive-modified", doc, f"{doc.path} was changed after release "
                              f"{release.version}: released text is never edited; restore it "
                              "and make a new release instead", key=f"{release.version}/{name}")
        folder = archive / release.version
        if folder.is_dir():
            for path in sorted(p for p in folder.rglob("*") if not p.is_dir()):
                name = path.relative_to(folder).as_posix()
                if name not in release.files:
                    doc = _stub(project, path, name)
                    yield finding("archive-unexpected", doc, f"{doc.path} is not part of "
                                  f"release {release.version}: remove it",
                                  key=f"{release.version}/{name}")
    from ..leftovers import leftover_findings  # it reads the ledger's names: import late

    yield from leftover_findings(project, ledger)


def _stub(project: Project, path: Path, name: str) -> Document:
    locale, _, document = name.partition("/")
    return Document(name=document.removesuffix(".md") or name, locale=locale if document
                    else "", path=project.rel(path))
