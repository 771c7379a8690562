"""The MkDocs plugin: a thin adapter that publishes what ``site`` describes.

static-i18n builds every language in a pass of its own; this plugin does only the current
language's work in each pass. Its generated pages are created after i18n's ``on_files``
(priority -110) and given the attributes i18n reads (locale, alternates), and appended to
its per-language file list so that the sitemap and the language switcher know them.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import os
from collections.abc import Callable
from copy import deepcopy
from dataclasses import replace
from pathlib import Path
from typing import Any, ParamSpec, TypeVar
from urllib.parse import urlsplit

import jinja2
import jinja2.bccache
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, TableOfContents
from mkdocs.utils.templates import TemplateContext

from . import hardbreak
from .brand import Brand, read_brand
from .config import CONFIG_FILE, load_project
from .errors import PolicyError
from .ledger import Release, load_ledger
from .plaintext import html_text
from .site import NO_PDFS, STRINGS_FILE, Pdfs, Site, page_paths, pages, policy_markdown
from .site import titles as published_titles
from .site_feeds import atom_feed, versions_json
from .site_html import clause_numbers
from .site_hub import nav_rank
from .yamlio import key_line

log = logging.getLogger("mkdocs.plugins.policy")  # under "mkdocs": --strict counts warnings
NOT_FOUND = "404.html"
CONTENT_ID = "__content"  # where the skip link lands; no clause id starts with '_'
P = ParamSpec("P")
R = TypeVar("R")


def _guarded(handler: Callable[P, R]) -> Callable[P, R]:
    """One clear PluginError line for a PolicyError or a bug, instead of a traceback."""

    @functools.wraps(handler)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return handler(*args, **kwargs)
        except PluginError:
            raise
        except PolicyError as exc:
            raise PluginError(f"policy: {exc}") from None
        except Exception as exc:
            log.debug("policy: %s failed", handler.__name__, exc_info=True)
            raise PluginError(f"policy: unexpected {type(exc).__name__} in "
                              f"{handler.__name__}: {exc} (a bug; `mkdocs build --verbose` "
                              "shows the traceback)") from None

    return run


def _skip_to_content(page: Page) -> None:
    """Material's skip link leads to the first entry of the table of contents: the first
    clause, past the notices and the version line. One level-1 entry holding the rest makes
    it lead to the top of the content (``CONTENT_ID``, in main.html); Material's table of
    contents shows that entry's children, as it did the page's own level-1 heading's."""
    items = list(page.toc)
    top = AnchorLink(page.title or "", CONTENT_ID, 1)
    top.children = items[0].children if items and items[0].level == 1 else items
    page.toc = TableOfContents([top])


class PolicyConfig(Config):
    enabled = c.Type(bool, default=True)
    """Turn the plugin off (``enabled: false``) to build the Markdown as it stands."""
    preview = c.Type(bool, default=False)
    """Show unreleased edits with a DRAFT banner; also set by POLICY_PREVIEW=1."""
    today = c.Optional(c.Type(str))
    """The day the site is built for (ISO date); also POLICY_TODAY. Default: today."""
    pdf = c.Type(bool, default=True)
    """A PDF of every version in every language, linked beside its effective date."""


class _MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates shared by the language passes, each of which has its own Jinja
    environment: measured here, it cut template compiles from 685 to 58 (see notes)."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


class _PrintRenderer:
    """Markdown to HTML as the site renders it, without the clause permalinks: for PDFs."""

    def __init__(self, config: MkDocsConfig) -> None:
        self.names: list[Any] = list(config.markdown_extensions)
        self.configs = deepcopy(dict(config.mdx_configs))
        self.configs["toc"] = {**self.configs.get("toc", {}), "permalink": False}
        # part of the cache's key: an extension given as an object counts by its class
        self.extensions = repr(([e if isinstance(e, str) else type(e).__qualname__
                                 for e in self.names], sorted(self.configs.items())))
        self.renderer: Any = None

    def __call__(self, text: str) -> str:
        import markdown as python_markdown

        if self.renderer is None:  # only when a PDF is rendered, not found in the cache
            self.renderer = python_markdown.Markdown(extensions=self.names,
                                                     extension_configs=self.configs)
        return str(self.renderer.reset().convert(text))


class PolicyPlugin(BasePlugin[PolicyConfig]):
    site: Site | None = None
    default_language: str = "en"
    bytecode = _MemoryBytecodeCache()
    not_found_page: str = ""  # the default language's 404, kept at the site's root
    files: Files | None = None  # the current language pass's files
    brand: Brand | None = None  # extra.company of mkdocs.yml
    pdfs: Pdfs = NO_PDFS  # the current language pass's PDFs: their sizes

    @_guarded
    def on_env(self, env: jinja2.Environment, /, *, config: MkDocsConfig,
               files: Files) -> jinja2.Environment | None:
        env.bytecode_cache = self.bytecode
        # without a company, the monogram is the site name's first letter, not a book icon
        brand = self.brand or Brand(" ".join((config.site_name or "").split()[:1]))
        env.globals["policy_brand"] = {"initials": brand.initials, "css": brand.css()}
        return env

    @_guarded
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return config
        root = Path(config.config_file_path).parent
        preview = self.config.preview or os.environ.get("POLICY_PREVIEW", "") not in ("", "0")
        today = os.environ.get("POLICY_TODAY") or self.config.today
        try:
            day = dt.date.fromisoformat(today) if today else dt.date.today()
        except ValueError:
            raise PluginError(f"policy: POLICY_TODAY '{today}' is not a date YYYY-MM-DD") \
                from None
        project = load_project(root)
        self.brand = read_brand(config.extra.get("company"),
                                functools.partial(key_line, Path(config.config_file_path)))
        self.site = Site(project, load_ledger(project), day, preview)
        i18n: Any = config.plugins.get("i18n")
        if not getattr(i18n, "building", False):  # once per build, not again per language
            self._check(i18n.build_languages if i18n is not None else [project.source_locale])
        if hardbreak.NAME not in config.markdown_extensions:
            config.markdown_extensions.append(hardbreak.NAME)  # address lines end with '\'
        policy_dir = str(root / "policy")
        if policy_dir not in config.watch:
            config.watch.append(policy_dir)  # serve reloads on releases and confirmations
        return config

    def _check(self, languages: list[str]) -> None:
        """Every site.yml and every archived file to publish, before anything is written."""
        assert self.site is not None
        for language in languages:
            self.site.strings(language)
            for document in self.site.project.documents:
                for release in self.site.released(language, document):
                    self.site.archived_text(release, language, document)

    def _languages(self, config: MkDocsConfig) -> tuple[str, str, list[str]]:
        """(current language of this pass, default language, every built language)."""
        i18n: Any = config.plugins.get("i18n")
        assert self.site is not None
        if i18n is None:
            locale = self.site.project.source_locale
            return locale, locale, [locale]
        return i18n.current_language, i18n.default_language, list(i18n.build_languages)

    @event_priority(-110)
    @_guarded
    def on_files(self, files: Files, config: MkDocsConfig) -> Files | None:
        if self.site is None:
            return files
        current, default, languages = self._languages(config)
        if self.site.root_locale != default:  # links between languages need the root's
            self.site = replace(self.site, root_locale=default)
        self._drop_unpublished(files, config, current)
        self._localise(config, current)
        i18n: Any = config.plugins.get("i18n")
        self.default_language = default
        titles = self._titles(current)
        self.pdfs = NO_PDFS
        if self._with_pdfs():
            self.pdfs = self._pdfs(config, files, current, titles)
        # a release made before a locale was added has no page in it: no alternate there
        present = {lang: page_paths(self.site, lang) for lang in languages}
        made = []
        for page in pages(self.site, current, titles, self.pdfs):
            having = [lang for lang in languages if lang == current or page.path in present[lang]]
            made.append(self._generated(config, page.path, page.markdown, page.in_nav, current,
                                        default, having))
        for file in made:
            if files.get_file_from_path(file.src_uri) is None:
                files.append(file)
        if i18n is not None:
            i18n.i18n_files_per_language.setdefault(current, []).extend(made)
        self.files = files
        return files

    def _with_pdfs(self) -> bool:
        """Whether the build publishes PDFs: unless turned off, or a preview (of drafts)."""
        return self.config.pdf and self.site is not None and not self.site.preview

    def _pdfs(self, config: MkDocsConfig, files: Files, current: str,
              titles: dict[str, str]) -> dict[tuple[str, str], int]:
        """Every version of every document of this language as a PDF file of the build."""
        assert self.site is not None
        to_html = _PrintRenderer(config)
        sizes = {}
        for document in self.site.project.documents:
            for release in self.site.released(current, document):
                file, size = self._pdf(config, current, document, release, titles[document],
                                       to_html)
                files.append(file)
                sizes[(document, release.version)] = size
        return sizes

    def _pdf(self, config: MkDocsConfig, current: str, document: str, release: Release,
             title: str, to_html: _PrintRenderer) -> tuple[File, int]:
        """The PDF of one version (from the cache when it was made before) and its size."""
        from .pdf import cache_folder, render
        from .site_pdf import pdf_path, print_content, print_document, print_markdown

        assert self.site is not None
        path = self.site.prefix(current) + pdf_path(document, release.version)
        site_url = (config.site_url or "").rstrip("/")
        # links lead to the site: its address, else their way from where the PDF is
        root = f"{site_url}/" if site_url else "../" * path.count("/")
        markdown = print_markdown(self.site, current, document, release, root)
        # NUL cannot come from the text (plaintext.safe_chars): it marks where the text goes
        frame = print_document(self.site, current, document, release, "\0", title)
        source = release.archived(current, document)
        made = render(f"{frame}\0{to_html.extensions}\0{markdown}",
                      lambda: frame.replace("\0", print_content(to_html(markdown)), 1),
                      f"{site_url or 'file://'}/{path}", cache_folder(self.site.project.root),
                      source)
        for url in made.refused:
            log.info("policy: the PDF of %s leaves out %s: a PDF fetches nothing", source, url)
        src_uri = f"{current}/{pdf_path(document, release.version)}"
        file = File.generated(config, src_uri, abs_src_path=str(made.path)) \
            if made.path is not None else \
            File.generated(config, src_uri, content=made.data or b"")
        file.dest_uri = path
        return file, made.size

    def _localise(self, config: MkDocsConfig, current: str) -> None:
        """The site's name (header, <title>, logo, feed) and the clause permalink's title
        in this pass's language, from its site.yml."""
        assert self.site is not None
        config.site_name = self.site.text(current, "site_name")
        if "toc" in config.mdx_configs:  # read again for every page the pass renders
            config.mdx_configs["toc"]["permalink_title"] = self.site.text(current, "permalink")

    def _drop_unpublished(self, files: Files, config: MkDocsConfig, current: str) -> None:
        """Out of the build, the sitemap and the search index; a warning names each stray."""
        assert self.site is not None
        unpublished = [file for file in files if self._unpublished(file, config)]
        for file in unpublished:
            files.remove(file)
            if not file.src_uri.endswith(f"/{STRINGS_FILE}"):
                folder = Path(config.docs_dir).name
                log.warning("policy: %s/%s is none of the documents (%s): not published; "
                            "declare it in %s or move it out of %s/", folder, file.src_uri,
                            ", ".join(self.site.project.documents), CONFIG_FILE, folder)
        i18n: Any = config.plugins.get("i18n")
        if i18n is not None and unpublished:  # its sitemap lists what this list holds
            i18n.i18n_files_per_language[current] = [
                f for f in i18n.i18n_files_per_language.get(current, []) if f not in unpublished]

    def _unpublished(self, file: File, config: MkDocsConfig) -> bool:
        """Site strings, and outside preview any file of docs_dir that is no document."""
        assert self.site is not None
        if file.src_uri.endswith(f"/{STRINGS_FILE}"):
            return True  # read by the plugin, never published
        if self.site.preview or file.generated_by or file.inclusion.is_excluded() or \
                file.abs_src_path is None or \
                not Path(file.abs_src_path).is_relative_to(config.docs_dir):
            return False
        locale, _, name = file.src_uri.partition("/")
        return locale not in self.site.project.locales or \
            name.removesuffix(".md") not in self.site.project.documents or \
            not name.endswith(".md")

    def _titles(self, locale: str) -> dict[str, str]:
        assert self.site is not None
        return published_titles(self.site, locale)

    @staticmethod
    def _dest(path: str, locale: str, default: str) -> str:
        prefix = "" if locale == default else f"{locale}/"
        stem = path.removesuffix(".md")
        return f"{prefix}index.html" if stem == "index" else f"{prefix}{stem}/index.html"

    def _generated(self, config: MkDocsConfig, path: str, content: str, in_nav: bool,
                   locale: str, default: str, languages: list[str]) -> File:
        inclusion = InclusionLevel.INCLUDED if in_nav else InclusionLevel.NOT_IN_NAV
        file = self._file(config, path, locale, default, content, inclusion)
        alternates = {lang: file if lang == locale else
                      self._file(config, path, lang, default, "", inclusion)
                      for lang in languages}
        for item in alternates.values():
            item.alternates = alternates  # type: ignore[attr-defined]
        return file

    def _file(self, config: MkDocsConfig, path: str, locale: str, default: str, content: str,
              inclusion: InclusionLevel) -> File:
        file = File.generated(config, f"{locale}/{path}", content=content, inclusion=inclusion)
        file.dest_uri = self._dest(path, locale, default)  # before anything reads url
        extra: Any = file
        extra.locale = extra.localization = extra.locale_alternate_of = locale
        extra.norm_src_uri = path
        return file

    @event_priority(-110)  # after i18n's, which builds each language's navigation anew
    @_guarded
    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig,
               files: Files) -> Navigation | None:
        """Home, the documents in their declared order, then updates (MkDocs sorts by file
        name); a ``nav:`` written in mkdocs.yml is left as its editor ordered it."""
        if self.site is None or config.nav:
            return nav
        current, _, _ = self._languages(config)
        site = self.site

        def rank(item: Any) -> int:
            file = getattr(item, "file", None)
            return nav_rank(site, file.src_uri.removeprefix(f"{current}/")) if file else 0

        nav.items.sort(key=rank)
        nav.pages.sort(key=rank)
        ends = [None, *nav.pages, None]
        for before, page, after in zip(ends[:-2], nav.pages, ends[2:], strict=True):
            page.previous_page, page.next_page = before, after
        return nav

    @_guarded
    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig,
                         files: Files) -> str | None:
        if self.site is None:
            return markdown
        current, _, _ = self._languages(config)
        name = page.file.src_uri.removeprefix(f"{current}/").removesuffix(".md")
        if page.file.src_uri.startswith(f"{current}/") and name in self.site.project.documents:
            markdown = policy_markdown(self.site, current, name, markdown, self.pdfs)
            if not self.site.preview:  # the working file's front matter is unreleased too
                page.meta = {"title": self._titles(current)[name]}
        elif self.site.preview:
            markdown = f'<div class="policy-draft" role="note" markdown>\n' \
                       f"{self.site.text(current, 'draft')}\n</div>\n\n{markdown}"
        return markdown

    @_guarded
    def on_page_content(self, html: str, /, *, page: Page, config: MkDocsConfig,
                        files: Files) -> str | None:
        # Material writes page titles into <title>, the header and the nav as HTML, as it
        # gets them from headings; a front-matter title is plain text: escape it once here
        title = page.meta.get("title")
        if self.site is None:
            return html
        if isinstance(title, str):
            page.meta["title"] = html_text(title)
        return clause_numbers(html)

    @event_priority(-50)  # after the search plugin has read the table of contents
    @_guarded
    def on_page_context(self, context: TemplateContext, /, *, page: Page,
                        config: MkDocsConfig, nav: Navigation) -> TemplateContext | None:
        if self.site is None:
            return context
        _skip_to_content(page)
        current, default, _ = self._languages(config)
        banner = page.meta.get("policy_banner") or ""
        if self.site.preview:
            banner = self.site.text(current, "draft")
        extra: dict[str, Any] = context  # type: ignore[assignment]  # our own keys
        extra["policy_banner"] = banner
        extra["policy_hreflang"] = self._hreflang(page, config, default)
        extra["policy_feed"] = ("" if current == default else f"{current}/") + "updates.xml"
        extra["policy_footer"] = self._footer(config, current, default)
        extra["policy_clause_missing"] = self.site.text(current, "clause_missing")
        self._canonical(page, config, current)
        return context

    def _footer(self, config: MkDocsConfig, current: str, default: str) -> dict[str, str]:
        """The footer's links (absolute paths: the 404 is served at any depth) and the day
        of the last update, in the pass's language."""
        assert self.site is not None
        prefix = "" if current == default else f"{current}/"
        home = urlsplit(config.site_url or "/").path.rstrip("/") + "/" + prefix
        index = "" if config.use_directory_urls else "index.html"
        day = self.site.last_update(current)
        return {"updates_href": f"{home}updates/{index}",
                "updates": self.site.text(current, "all_versions"),
                "feed_href": f"{home}updates.xml", "feed": self.site.text(current, "feed"),
                "updated": self.site.text(current, "last_update",
                                          date=self.site.date(current, day)) if day else ""}

    def _canonical(self, page: Page, config: MkDocsConfig, current: str) -> None:
        """A version or redline page names the text in force as its canonical page."""
        target = page.meta.get("policy_canonical")
        text = self.files.get_file_from_path(f"{current}/{target}") \
            if isinstance(target, str) and self.files is not None else None
        if text is not None and config.site_url:
            page.canonical_url = config.site_url.rstrip("/") + "/" + text.url

    @staticmethod
    def _hreflang(page: Page, config: MkDocsConfig, default: str) -> list[tuple[str, str]]:
        """Absolute alternate URLs of this page per language, plus x-default."""
        base = (config.site_url or "/").rstrip("/") + "/"
        alternates: dict[str, File] = getattr(page.file, "alternates", {}) or {}
        # the home page's url is "./", which must not end up in the middle of an address
        links = [(lang, base + alt.url.removeprefix("./"))
                 for lang, alt in sorted(alternates.items())]
        if default in alternates:
            links.append(("x-default", base + alternates[default].url.removeprefix("./")))
        return links

    @_guarded
    def on_template_context(self, context: TemplateContext, /, *, template_name: str,
                            config: MkDocsConfig) -> TemplateContext | None:
        if self.site is None or template_name != NOT_FOUND:
            return context
        current, default, _ = self._languages(config)
        i18n: Any = config.plugins.get("i18n")
        if getattr(i18n, "extra_alternate", None):
            # i18n sets the switcher's links per page as an attribute, which shadows the key
            # Jinja would read: left alone, the 404 links to the last page built before it
            extra: Any = config.extra
            extra["alternate"] = deepcopy(i18n.extra_alternate)
            extra.alternate = deepcopy(i18n.extra_alternate)
        prefix = "" if current == default else f"{current}/"
        home = urlsplit(config.site_url or "/").path.rstrip("/") + "/" + prefix
        index = "" if config.use_directory_urls else "index.html"
        ours: dict[str, Any] = context  # type: ignore[assignment]  # our own keys
        ours["policy_not_found"] = {
            "title": self.site.text(current, "not_found"),
            "text": self.site.text(current, "not_found_text"),
            "links": [(home + index, self.site.text(current, "home")),
                      (f"{home}updates/{index}", self.site.text(current, "updates"))]}
        ours["policy_feed"] = f"{prefix}updates.xml"
        ours["policy_footer"] = self._footer(config, current, default)
        return context

    @_guarded
    def on_post_template(self, output_content: str, /, *, template_name: str,
                         config: MkDocsConfig) -> str | None:
        """Each language's 404 in its own folder; the default language's at the root."""
        if self.site is None or template_name != NOT_FOUND:
            return output_content
        current, default, _ = self._languages(config)
        if current == default:
            self.not_found_page = output_content
            return output_content
        target = Path(config.site_dir) / current / NOT_FOUND
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(output_content, encoding="utf-8")
        return self.not_found_page  # mkdocs writes the root 404 again: keep it the default's

    @_guarded
    def on_post_build(self, config: MkDocsConfig) -> None:
        if self.site is None:
            return
        current, default, languages = self._languages(config)
        site_url = (config.site_url or "/").rstrip("/") + "/"
        prefix = "" if current == default else f"{current}/"
        out = Path(config.site_dir) / prefix
        out.mkdir(parents=True, exist_ok=True)
        titles = self._titles(current)
        (out / "updates.xml").write_text(
            atom_feed(self.site, current, site_url + prefix, titles,
                      self.site.text(current, "site_name"), self._with_pdfs()),
            encoding="utf-8")
        if current == default:
            urls = {lang: site_url + ("" if lang == default else f"{lang}/")
                    for lang in languages}
            (Path(config.site_dir) / "versions.json").write_text(
                versions_json(self.site, urls, self._with_pdfs()), encoding="utf-8")
