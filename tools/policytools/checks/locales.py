"""The locale folders and the site's words: every folder of ``locales/`` is a declared
locale, and every declared locale of a published site has a valid ``site.yml``."""

from __future__ import annotations

from collections.abc import Iterator

from ..config import CONFIG_FILE, LOCALES_DIR, MKDOCS_FILE, Project, has_site, site_languages
from ..errors import ConfigError
from ..model import Document, Finding
from ..rules import finding
from ..site_strings import STRINGS_FILE, problems, read_strings, strings_path, unknown_keys
from ..yamlio import key_line
from .registry import project_check


@project_check("locale-undeclared")
def locales_declared(project: Project) -> Iterator[Finding]:
    """Every folder of ``locales/`` is a declared locale (dot folders are not locales)."""
    folder = project.root / LOCALES_DIR
    if not folder.is_dir():
        return
    where = f"the i18n block of {MKDOCS_FILE}" if site_languages(project.root) is not None \
        else f"locales: of {CONFIG_FILE}"
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or not path.is_dir() or path.name in project.locales:
            continue
        doc = Document(name="", locale="", path=f"{LOCALES_DIR}/{path.name}/")
        yield finding("locale-undeclared", doc, f"{doc.path} is not a declared locale: "
                      f"declare '{path.name}' in {where}, or remove the folder",
                      key=path.name)


@project_check("site-strings-missing", "site-strings-invalid", "site-strings-unknown")
def site_strings_valid(project: Project) -> Iterator[Finding]:
    """Each locale of a published site has a ``site.yml`` with every key the site uses,
    each text with only its own placeholders, and no key the site ignores."""
    if not has_site(project.root):
        return
    for locale in project.locales:
        yield from _strings(project, locale)


def _strings(project: Project, locale: str) -> Iterator[Finding]:
    path = strings_path(project.root, locale)
    doc = Document(name="site", locale=locale, path=project.rel(path))
    source = f"{LOCALES_DIR}/{project.source_locale}/{STRINGS_FILE}"
    if not path.exists():
        yield finding("site-strings-missing", doc, f"{doc.path} does not exist: the site "
                      f"needs its words in this language; copy {source} and translate it",
                      key="missing")
        return
    try:
        data = read_strings(path, doc.path)
    except ConfigError as exc:
        yield finding("site-strings-invalid", doc, f"{doc.path} cannot be read: {exc.message}",
                      line=exc.line, key="unreadable")
        return
    for problem in problems(path, doc.path, data):
        message = problem.message
        if message.startswith("missing key"):
            message += f": add it, translated from {source}"
        yield finding("site-strings-invalid", doc, f"{doc.path}: {message}",
                      line=problem.line or 1, key=message.split(":")[0])
    if isinstance(data, dict):
        for keys in unknown_keys(data):
            name = ".".join(keys)
            yield finding("site-strings-unknown", doc, f"{doc.path}: the site does not use "
                          f"key '{name}': remove it, or correct its name",
                          line=key_line(path, *keys), key=name)
