"""``policy rename-clause``: change a clause id in every locale, keeping readers' links."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from ..config import CONFIG_FILE, Project
from ..model import Document
from ..parse import parse_document
from ..rename import (
    Rename,
    carry_baseline,
    carry_confirmations,
    config_text,
    refuse_ids,
    refuse_taken,
    renamed_text,
    verify,
    write_all,
)
from ..yamlio import read_text
from . import EXIT_OK, open_project, pick, writing


@dataclass(frozen=True)
class _Text:
    """One locale's working text of the document: its file, text and parsed clauses."""

    path: Path
    text: str
    doc: Document


def run(args: argparse.Namespace, out: TextIO) -> int:
    project = open_project(args)
    pick([args.document], project.documents, "document")
    rename = Rename(args.document, args.old, args.new)
    with writing(project, rename.command, out):
        project = open_project(args)  # renamed: in policy.yml as it is, under the lock
        texts = _texts(project, rename.document)
        refuse_ids(project, rename, texts[project.source_locale].doc)
        for text in texts.values():
            refuse_taken(rename, text.doc)
        files: dict[Path, tuple[str, str]] = {}
        parsed: dict[str, tuple[Document, Document]] = {}
        links = 0
        for locale, text in texts.items():
            new_text, count = renamed_text(text.text, text.doc, rename)
            after = parse_document(new_text, rename.document, locale, text.doc.path)
            verify(text.doc, after, rename)
            links += count
            parsed[locale] = (text.doc, after)
            if new_text != text.text:
                files[text.path] = (text.text, new_text)
        changed = [project.rel(path) for path in files]
        files[project.root / CONFIG_FILE] = config_text(project, rename)
        confirmed = carry_confirmations(project, rename, parsed)
        if confirmed is not None:
            files[project.root / "policy" / "confirmed.yml"] = confirmed
        baseline = carry_baseline(project, rename)
        if baseline is not None:
            files[project.root / "policy" / "baseline.yml"] = baseline[:2]
        write_all(project, rename, files)
    out.write(_done(rename, changed, links, confirmed is not None,
                    baseline[2] if baseline else 0))
    return EXIT_OK


def _texts(project: Project, document: str) -> dict[str, _Text]:
    """Each locale's working text of the document (the source's always), parsed."""
    found = {}
    for locale in project.locales:
        path = project.doc_path(locale, document)
        if path.exists() or locale == project.source_locale:
            rel = project.rel(path)
            text = read_text(path, rel)
            found[locale] = _Text(path, text, parse_document(text, document, locale, rel))
    return found


def _done(rename: Rename, changed: list[str], links: int, confirmed: bool,
          baseline: int) -> str:
    entries = f"{baseline} baseline entr{'y' if baseline == 1 else 'ies'}"
    carried = [what for what, done in (("its confirmations", confirmed), (entries, baseline))
               if done]
    return (f"policy rename-clause: renamed {rename.document}#{rename.old} to #{rename.new} in "
            f"{', '.join(changed)} ({links} cross-reference{'s' * (links != 1)} rewritten)"
            + (f"; carried over {' and '.join(carried)}" if carried else "")
            + f"; recorded in {CONFIG_FILE}, so the site keeps #{rename.old} as an anchor of "
            "the clause\n")
