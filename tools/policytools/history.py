"""The text of each version, from the archive or locales/, and the changes between two."""

from __future__ import annotations

from .config import Project
from .diff import ChangeSet, diff_documents
from .ledger import Ledger, snapshot
from .model import Document
from .parse import read_document, readable


def _document(project: Project, ledger: Ledger, version: str, locale: str,
              name: str) -> Document:
    path = snapshot(project, ledger, version).path(locale, name)
    if path is None or not path.exists():
        return Document(name=name, locale=locale, path=f"{version}:{locale}/{name}.md")
    return readable(read_document(path, name, locale, project.rel(path)))


def changesets(project: Project, ledger: Ledger, old: str, new: str,
               locales: tuple[str, ...], documents: tuple[str, ...]) -> list[ChangeSet]:
    """The clause-aligned change sets between two versions, per locale and document."""
    return [diff_documents(_document(project, ledger, old, loc, doc),
                           _document(project, ledger, new, loc, doc), old, new,
                           project.renamed.get(doc))
            for doc in documents for loc in locales if doc in project.publishes(loc)]
