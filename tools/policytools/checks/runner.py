"""The runner: which documents to check, in one process or a pool of forked workers.

It loads each document once as a :class:`View`, runs every registered check on it and on
each translation paired with its source, and returns the findings sorted by file and line.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator

from ..config import Project
from ..confirmations import Confirmations, load_confirmations
from ..facts import analyse, profile
from ..model import Document, Finding
from ..parse import read_document
from ..rules import finding
from .registry import DOCUMENT_CHECKS, PAIR_CHECKS, PROJECT_CHECKS, Pair, View


def load_view(project: Project, locale: str, document: str) -> View | Document:
    """The parsed, analysed document, or a bare Document when the file does not exist."""
    path = project.doc_path(locale, document)
    display = project.rel(path)
    if not path.exists():
        return Document(name=document, locale=locale, path=display, readable=False)
    doc = read_document(path, document, locale, display)
    source = project.source_locale
    source_region = profile(source, project.words_for(source),
                            project.region(source)).region if locale != source else None
    prof = profile(locale, project.words_for(locale), project.region(locale), source_region)
    # Country names are read in the text's own language, the source's and English.
    countries = (source, locale)
    facts = {c.id: analyse(c, prof, project.terms, countries) for c in doc.clauses}
    return View(doc, project, facts)


def run_checks(project: Project, locales: Iterable[str] | None = None,
               documents: Iterable[str] | None = None) -> list[Finding]:
    """Every finding for the chosen locales and documents, sorted by file and line."""
    _register()
    wanted = set(locales) if locales is not None else set(project.locales)
    names = list(documents if documents is not None else project.documents)
    findings: list[Finding] = list(_undeclared(project, wanted))
    for check in PROJECT_CHECKS:
        findings += check(project)
    confirmations = load_confirmations(project)
    targets = [loc for loc in project.translations if loc in wanted]
    with_source = project.source_locale in wanted
    files = len(names) * (len(targets) + 1)
    workers = min(os.cpu_count() or 1, files // (PARALLEL_FROM // 2))
    if files < PARALLEL_FROM or workers < 2 or not _can_fork():
        for name in names:
            findings += check_document(project, confirmations, name, targets, with_source)
    else:
        findings += _in_workers(project, confirmations, names, targets, with_source, workers)
    return sorted(findings, key=lambda f: f.sort_key)


def check_document(project: Project, confirmations: Confirmations | None, name: str,
                   targets: Iterable[str], with_source: bool,
                   source: View | Document | None = None) -> list[Finding]:
    """The findings of one document: its source on its own if asked, then each translation.

    ``source`` is the source locale's view of the document when already loaded.
    """
    _register()
    if source is None:
        source = load_view(project, project.source_locale, name)
    findings = _single(source) if with_source else []
    for locale in (loc for loc in targets if name in project.publishes(loc)):
        target = load_view(project, locale, name)
        if isinstance(target, View) and isinstance(source, View):
            target.source = source
        findings += _single(target)
        if isinstance(source, View) and isinstance(target, View) and target.doc.readable \
                and source.doc.readable:
            pair = Pair(source, target, confirmations)
            for check in PAIR_CHECKS:
                findings += check(pair)
    return findings


# Below this many files, starting worker processes costs more than it saves.
PARALLEL_FROM = 12
# In each worker: the project and confirmations, and each document's source once loaded.
_shared: tuple[Project, Confirmations | None] | None = None
_sources: dict[str, View | Document] = {}


def _in_workers(project: Project, confirmations: Confirmations | None, names: list[str],
                targets: list[str], with_source: bool, workers: int) -> list[Finding]:
    """Check documents on every core; each worker sends back findings only.

    A task is one translation with all its documents, largest first, so the workers finish
    together: a worker loads a locale's data (Babel) once, and parses each source document
    once for all its tasks. Only findings cross between processes, since pickling parsed
    documents costs more than parsing them.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    import phonenumbers  # noqa: F401

    from ..addresses import country_names
    from ..facts import term_patterns
    from ..syntax import markdown

    # Loaded once here, modules and the source locale's data are inherited by every worker.
    source = project.source_locale
    country_names((source, source))
    profile(source, project.words_for(source), project.region(source))
    term_patterns(project.terms)
    markdown()
    _register()

    def size(locale: str) -> int:
        paths = (project.doc_path(locale, name) for name in names)
        return sum(path.stat().st_size for path in paths if path.exists())

    ordered = sorted(targets, key=size, reverse=True)
    tasks = [(names, [locale], with_source and i == 0) for i, locale in enumerate(ordered)]
    tasks = tasks or [(names, [], with_source)]
    context = multiprocessing.get_context("fork")  # workers inherit imports: fast to start
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_share,
                             initargs=(project, confirmations)) as pool:
        return [f for found in pool.map(_task, tasks) for f in found]


def _can_fork() -> bool:
    import multiprocessing  # only here: importing it costs a small project 10 ms

    return "fork" in multiprocessing.get_all_start_methods()


def _register() -> None:
    """Import the check modules, which register their checks."""
    from . import (  # noqa: F401
        addresses,
        archive,
        completeness,
        facts,
        ledger,
        locales,
        markup,
        stale,
        structure,
        untranslated,
        xrefs,
    )


def _share(project: Project, confirmations: Confirmations | None) -> None:
    global _shared
    _shared = (project, confirmations)


def _task(task: tuple[list[str], list[str], bool]) -> list[Finding]:
    assert _shared is not None
    project, confirmations = _shared
    names, targets, with_source = task
    found: list[Finding] = []
    for name in names:
        if name not in _sources:
            _sources[name] = load_view(project, project.source_locale, name)
        found += check_document(project, confirmations, name, targets, with_source,
                                _sources[name])
    return found


def _single(view: View | Document) -> list[Finding]:
    if isinstance(view, Document):
        return [finding("document-missing", view, f"{view.path} does not exist: the document "
                        f"'{view.name}' is declared but has no {view.locale} file", line=None,
                        key="missing")]
    found = list(view.doc.issues)
    if view.doc.readable:
        for check in DOCUMENT_CHECKS:
            found += check(view)
    return found


def _undeclared(project: Project, wanted: set[str]) -> Iterator[Finding]:
    declared = set(project.documents)
    for locale in project.locales:
        folder = project.root / "locales" / locale
        if locale not in wanted or not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.md")):
            doc = Document(name=path.stem, locale=locale, path=project.rel(path))
            if path.stem not in declared:
                yield finding("document-undeclared", doc, f"{doc.path} is not a declared "
                              f"document: add '{path.stem}' to documents in policy/policy.yml "
                              "or remove the file", line=1, key="undeclared")
            elif path.stem not in project.publishes(locale):
                yield finding("document-undeclared", doc, f"{doc.path} is not published: "
                              f"add '{path.stem}' to publish: {locale} in policy/policy.yml "
                              "or remove the file", line=1, key="unpublished")
