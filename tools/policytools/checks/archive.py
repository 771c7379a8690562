"""Archive integrity: every archived file of a release is there, unchanged, and no other."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..config import Project
from ..ledger import ARCHIVE_DIR, LEDGER_FILE, Ledger, load_ledger, sha256
from ..model import Document, Finding
from ..rules import finding
from .registry import project_check


@project_check("archive-modified", "archive-missing", "archive-unexpected")
def archive_intact(project: Project) -> Iterator[Finding]:
    """Every file a release archived is there and unchanged, and the archive holds no other."""
    yield from integrity(project, load_ledger(project))


def integrity(project: Project, ledger: Ledger) -> Iterator[Finding]:
    """Recompute every archived file's hash: edited, deleted or added files are errors."""
    archive = project.root / ARCHIVE_DIR
    listed = {r.version for r in ledger.releases}
    for release in ledger.releases:
        for name, digest in release.files.items():
            path = archive / release.version / name
            doc = _stub(project, path, name)
            if not path.is_file():
                yield finding("archive-missing", doc, f"{doc.path} of release "
                              f"{release.version} is missing: restore it from version control",
                              key=f"{release.version}/{name}")
            elif sha256(path.read_bytes()) != digest:
                yield finding("archive-modified", doc, f"{doc.path} was changed after release "
                              f"{release.version}: released text is never edited; restore it "
                              "and make a new release instead", key=f"{release.version}/{name}")
        folder = archive / release.version
        if folder.is_dir():
            for path in sorted(p for p in folder.rglob("*") if p.is_file()):
                name = path.relative_to(folder).as_posix()
                if name not in release.files:
                    doc = _stub(project, path, name)
                    yield finding("archive-unexpected", doc, f"{doc.path} is not part of "
                                  f"release {release.version}: remove it",
                                  key=f"{release.version}/{name}")
    if archive.is_dir():
        for folder in sorted(p for p in archive.iterdir() if p.name not in listed):
            doc = _stub(project, folder, folder.name)
            yield finding("archive-unexpected", doc, f"{doc.path} belongs to no release in "
                          f"{LEDGER_FILE} (an interrupted release?): remove it",
                          key=folder.name)


def _stub(project: Project, path: Path, name: str) -> Document:
    locale, _, document = name.partition("/")
    return Document(name=document.removesuffix(".md") or name, locale=locale if document
                    else "", path=project.rel(path))
