"""``policy add-locale`` and ``policy add-document``: a language or a document in one command.

Both refuse before writing anything, hold the project lock, write each file atomically and
declare last (``mkdocs.yml``, ``policy/policy.yml``), so a command killed mid-way leaves
either nothing declared or files ``policy check`` names (``locale-undeclared``,
``document-undeclared``); the refusal of a rerun says how to clear them.
"""

from __future__ import annotations

import argparse
import difflib
import importlib.util
import shutil
from pathlib import Path
from typing import Any, TextIO

from ..config import CONFIG_FILE, LOCALES_DIR, MKDOCS_FILE, Project, has_site, site_languages
from ..errors import ConfigError, UsageError
from ..faults import reach
from ..scaffold import (
    check_name,
    check_tag,
    check_title,
    lent_words,
    new_document,
    own_name,
    site_strings,
    theme_language,
)
from ..site_strings import STRINGS_FILE, load_strings
from ..yamlio import (
    dump_checked,
    parse_yaml,
    read_text,
    write_atomic,
    yaml11_load,
    yaml11_suspect,
)
from . import EXIT_OK, open_project, writing

LANGUAGES = "partials/languages"  # Material's words per language, one template each
STAGING = ".add-locale-"  # locales/.add-locale-<code>: a dot folder no tool reads as a locale


def add_locale(args: argparse.Namespace, out: TextIO) -> int:
    code = check_tag(args.locale)
    name = check_title(args.name, "--name") if args.name is not None else own_name(code)
    project = open_project(args)
    with writing(project, f"policy add-locale {code}", out):
        project = open_project(args)  # as it is now that no other command writes
        _refuse_declared(project, code)
        theme = _theme(project, code)
        texts = {doc: _source_text(project, doc) for doc in project.documents}
        files = {f"{doc}.md": text for doc, text in texts.items()}
        if has_site(project.root):
            files[STRINGS_FILE] = _strings_text(project, code, name)
        registered = _registered(project, code, name)
        lent = _lend_words(project, code, theme) if theme is not None else None
        _write_folder(project, code, files)
        reach("locale files")
        write_atomic(project.root / MKDOCS_FILE, registered, MKDOCS_FILE, ConfigError)
    source = project.locale_name(project.source_locale)
    out.write(f"policy add-locale: added {code} ({name}): {LOCALES_DIR}/{code}/ holds "
              f"{', '.join(files)}, each still in {source}, and {MKDOCS_FILE} declares it; "
              "translate them, then run policy check to see what is left\n")
    if lent is not None:
        out.write(f"policy add-locale: {lent} lends {code} Material's words for {theme} "
                  f"(search, navigation): Material has none for {code}\n")
    return EXIT_OK


def _refuse_declared(project: Project, code: str) -> None:
    declared = site_languages(project.root)
    if declared is None:
        raise UsageError(f"{MKDOCS_FILE} has no i18n plugin block with languages: the project "
                         "declares its locales there; add the block first")
    if code.lower() in (loc.lower() for loc in declared):
        raise UsageError(f"locale '{code}' is already declared in the i18n block of "
                         f"{MKDOCS_FILE}")
    folders = project.root / LOCALES_DIR
    taken = next((p for p in folders.iterdir() if p.name.lower() == code.lower()), None)
    if taken is not None:
        raise UsageError(f"{LOCALES_DIR}/{taken.name}/ already exists but '{code}' is not "
                         f"declared in {MKDOCS_FILE} (an interrupted policy add-locale "
                         "leaves it so): remove the folder and run again, or declare it")


def _theme(project: Project, code: str) -> str | None:
    """The Material language whose words ``code`` borrows, or None when Material has its own.

    Material for MkDocs has words for 'de' and 'pt-BR' but not for 'de-CH': a regional
    locale borrows its language's, and a language Material has no words for is refused."""
    spec = importlib.util.find_spec("material")
    if spec is None or not spec.submodule_search_locations:
        return None  # no Material here: nothing to check against
    folder = Path(next(iter(spec.submodule_search_locations))) / "templates" / LANGUAGES
    language = theme_language(code, (p.stem for p in folder.glob("*.html")))
    if language is None:
        raise UsageError(f"Material for MkDocs has no words for '{code}' (search, navigation, "
                         "the language switcher): the site cannot be built in it")
    if language == code:
        return None
    if _custom_dir(project) is None:
        raise UsageError(f"Material for MkDocs has no words for '{code}', and {MKDOCS_FILE} "
                         f"sets no theme custom_dir to lend it those of '{language}': set one")
    return language


def _custom_dir(project: Project) -> Path | None:
    """The theme's ``custom_dir`` of ``mkdocs.yml``, where templates override Material's."""
    data = yaml11_load(read_text(project.root / MKDOCS_FILE, MKDOCS_FILE, ConfigError),
                       MKDOCS_FILE, ConfigError)
    theme = data.get("theme") if isinstance(data, dict) else None
    folder = theme.get("custom_dir") if isinstance(theme, dict) else None
    return project.root / folder if isinstance(folder, str) and folder else None


def _lend_words(project: Project, code: str, language: str) -> str | None:
    """Write the template giving ``code`` the Material words of ``language`` (its page
    language stays ``code``); None when the project already has one."""
    folder = _custom_dir(project)
    assert folder is not None  # _theme refused a project without one
    path = folder / LANGUAGES / f"{code}.html"
    if path.exists():
        return None
    write_atomic(path, lent_words(code, language), project.rel(path), ConfigError)
    return project.rel(path)


def _source_text(project: Project, document: str) -> str:
    path = project.doc_path(project.source_locale, document)
    return read_text(path, project.rel(path), ConfigError)


def _strings_text(project: Project, code: str, name: str) -> str:
    load_strings(project.root, project.source_locale)  # valid, else refused naming the key
    path = project.root / LOCALES_DIR / project.source_locale / STRINGS_FILE
    source = parse_yaml(read_text(path, project.rel(path), ConfigError), project.rel(path),
                        ConfigError, roundtrip=True)  # keeps the source's quoting
    data = site_strings(source, code, name, project.locale_name(project.source_locale))
    return dump_checked(data, f"{LOCALES_DIR}/{code}/{STRINGS_FILE}", ConfigError)


def _write_folder(project: Project, code: str, files: dict[str, str]) -> None:
    """Write the locale's files into a staging folder, then rename it into place."""
    folders = project.root / LOCALES_DIR
    staging = folders / f"{STAGING}{code}"
    shutil.rmtree(staging, ignore_errors=True)  # a killed run's, ours: we hold the lock
    for name, text in files.items():
        write_atomic(staging / name, text, f"{LOCALES_DIR}/{code}/{name}", ConfigError)
        reach("staging")
    staging.rename(folders / code)


def _registered(project: Project, code: str, name: str) -> str:
    """``mkdocs.yml`` with the locale appended to the i18n languages, all else unchanged."""
    from ruamel.yaml.comments import CommentedMap

    text = read_text(project.root / MKDOCS_FILE, MKDOCS_FILE, ConfigError)
    data = parse_yaml(text, MKDOCS_FILE, ConfigError, roundtrip=True)
    languages = _languages(data)
    entry = CommentedMap()
    entry["locale"] = _safe11(code)
    entry["name"] = _safe11(name)
    entry["build"] = True
    languages.append(entry)
    new = _only_added(text, _dump(data), MKDOCS_FILE)
    read = _languages(yaml11_load(new, MKDOCS_FILE, ConfigError))
    if [lang.get("locale") for lang in read][-1:] != [code]:
        raise ConfigError(f"refused to write: MkDocs would not read '{code}' back from the "
                          "i18n languages; the file was left as it was", MKDOCS_FILE)
    return new


def _languages(data: Any) -> Any:
    plugins = data.get("plugins") if isinstance(data, dict) else None
    entries = [{k: v} for k, v in plugins.items()] if isinstance(plugins, dict) else plugins
    for plugin in entries or []:
        if isinstance(plugin, dict) and isinstance(plugin.get("i18n"), dict) and \
                isinstance(plugin["i18n"].get("languages"), list):
            return plugin["i18n"]["languages"]
    raise ConfigError("has no i18n plugin block with a list of languages", MKDOCS_FILE)


def _safe11(value: str) -> Any:
    """``value`` quoted when MkDocs' YAML 1.1 would read it as something else ('no')."""
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    return DoubleQuotedScalarString(value) if yaml11_suspect(value) else value


def _dump(data: Any) -> str:
    from ..yamlio import dump_yaml

    return dump_yaml(data)


def _only_added(old: str, new: str, display: str) -> str:
    """``new`` if it is ``old`` with lines added only: comments, order and every other byte
    kept; else a refusal, since the round trip would have rewritten the file."""
    lines = old.splitlines(keepends=True)
    matcher = difflib.SequenceMatcher(a=lines, b=new.splitlines(keepends=True), autojunk=False)
    if any(op not in ("equal", "insert") for op, *_ in matcher.get_opcodes()):
        raise ConfigError("refused to write: adding the entry would rewrite other lines of "
                          "the file (its indentation?); add it by hand", display)
    return new


def add_document(args: argparse.Namespace, out: TextIO) -> int:
    project = open_project(args)
    with writing(project, f"policy add-document {args.name}", out):
        project = open_project(args)
        name = check_name(args.name, project.documents, project.locales)
        locales = [loc for loc in project.locales if loc not in project.publish]
        titles = _titles(args.title, project, locales)
        paths = {loc: project.doc_path(loc, name) for loc in locales}
        for path in paths.values():
            if path.exists() or path.is_symlink():
                raise UsageError(f"{project.rel(path)} already exists but '{name}' is not "
                                 f"declared in {CONFIG_FILE} (an interrupted policy "
                                 "add-document leaves files so): remove it and run again")
        declared = _declared(project, name)
        source = titles[project.source_locale]
        for loc in sorted(paths, key=lambda loc: loc == project.source_locale):
            write_atomic(paths[loc], new_document(titles.get(loc, source)),
                         project.rel(paths[loc]), ConfigError)
            reach("document file")
        write_atomic(project.root / CONFIG_FILE, declared, CONFIG_FILE, ConfigError)
    written = ", ".join(project.rel(paths[loc]) for loc in locales)
    out.write(f"policy add-document: declared {name} in {CONFIG_FILE} and wrote {written}: "
              f"write its clauses in {project.locale_name(project.source_locale)}, then "
              "translate them; policy check lists what is left\n")
    untitled = [loc for loc in locales if loc not in titles]
    if untitled:
        out.write(f"policy add-document: {', '.join(untitled)} "
                  f"{'has' if len(untitled) == 1 else 'have'} the "
                  f"{project.locale_name(project.source_locale)} title "
                  f"‘{source}’: translate it in the front matter\n")
    return EXIT_OK


def _titles(items: list[str], project: Project, locales: list[str]) -> dict[str, str]:
    """--title LOCALE=TITLE, once per locale, for locales that publish the new document."""
    titles: dict[str, str] = {}
    for item in items:
        locale, sep, title = item.partition("=")
        locale = locale.strip()
        if not sep or not locale:
            raise UsageError(f"--title {item!r} must be LOCALE=TITLE")
        if locale not in project.locales:
            raise UsageError(f"--title {locale}: unknown locale '{locale}': the project has "
                             f"{', '.join(project.locales)}")
        if locale not in locales:
            raise UsageError(f"--title {locale}: {locale} publishes only the documents listed "
                             f"under publish: in {CONFIG_FILE}: add the new one there first")
        if locale in titles:
            raise UsageError(f"--title {locale} is given twice: give it once")
        titles[locale] = check_title(title, f"--title {locale}")
    if project.source_locale not in titles:
        raise UsageError(f"the source's title is required: --title {project.source_locale}="
                         "TITLE")
    return titles


def _declared(project: Project, name: str) -> str:
    """``policy/policy.yml`` with ``name`` appended to ``documents:``, all else unchanged."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    path = project.root / CONFIG_FILE
    text = read_text(path, CONFIG_FILE, ConfigError) if path.exists() else ""
    data = parse_yaml(text, CONFIG_FILE, ConfigError, roundtrip=True) if text.strip() else None
    if data is None:
        data = CommentedMap()
    documents = data.get("documents")
    if documents is None:
        data["documents"] = CommentedSeq([*project.documents, name])
    elif isinstance(documents, list):
        documents.append(name)
    else:
        raise ConfigError("documents: is a mapping: add the document to it by hand",
                          CONFIG_FILE)
    return _only_added(text, dump_checked(data, CONFIG_FILE, ConfigError), CONFIG_FILE)
