"""The MkDocs plugin: a thin adapter that publishes what ``site`` describes.

static-i18n builds every language in a pass of its own; this plugin does only the current
language's work in each pass. Its generated pages are created after i18n's ``on_files``
(priority -110) and given the attributes i18n reads (locale, alternates), and appended to
its per-language file list so that the sitemap and the language switcher know them.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

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
from mkdocs.utils.templates import TemplateContext

from . import hardbreak
from .config import load_project
from .errors import PolicyError
from .ledger import load_ledger
from .parse import read_title
from .plaintext import html_text
from .site import STRINGS_FILE, Site, atom_feed, page_paths, pages, policy_markdown, versions_json


class PolicyConfig(Config):
    enabled = c.Type(bool, default=True)
    """Turn the plugin off (``enabled: false``) to build the Markdown as it stands."""
    preview = c.Type(bool, default=False)
    """Show unreleased edits with a DRAFT banner; also set by POLICY_PREVIEW=1."""
    today = c.Optional(c.Type(str))
    """The day the site is built for (ISO date); also POLICY_TODAY. Default: today."""


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


class PolicyPlugin(BasePlugin[PolicyConfig]):
    site: Site | None = None
    default_language: str = "en"
    bytecode = _MemoryBytecodeCache()

    def on_env(self, env: jinja2.Environment, /, *, config: MkDocsConfig,
               files: Files) -> jinja2.Environment | None:
        env.bytecode_cache = self.bytecode
        return env

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return config
        root = Path(config.config_file_path).parent
        preview = self.config.preview or os.environ.get("POLICY_PREVIEW", "") not in ("", "0")
        today = os.environ.get("POLICY_TODAY") or self.config.today
        try:
            project = load_project(root)
            day = dt.date.fromisoformat(today) if today else dt.date.today()
            self.site = Site(project, load_ledger(project), day, preview)
        except PolicyError as exc:
            raise PluginError(f"policy: {exc}") from None
        except ValueError:
            raise PluginError(f"policy: POLICY_TODAY '{today}' is not a date YYYY-MM-DD") \
                from None
        if hardbreak.NAME not in config.markdown_extensions:
            config.markdown_extensions.append(hardbreak.NAME)  # address lines end with '\'
        policy_dir = str(root / "policy")
        if policy_dir not in config.watch:
            config.watch.append(policy_dir)  # serve reloads on releases and confirmations
        return config

    def _languages(self, config: MkDocsConfig) -> tuple[str, str, list[str]]:
        """(current language of this pass, default language, every built language)."""
        i18n: Any = config.plugins.get("i18n")
        assert self.site is not None
        if i18n is None:
            locale = self.site.project.source_locale
            return locale, locale, [locale]
        return i18n.current_language, i18n.default_language, list(i18n.build_languages)

    @event_priority(-110)
    def on_files(self, files: Files, config: MkDocsConfig) -> Files | None:
        if self.site is None:
            return files
        for file in list(files):
            if file.src_uri.endswith(f"/{STRINGS_FILE}"):
                files.remove(file)  # site strings are read by the plugin, never published
        current, default, languages = self._languages(config)
        self.default_language = default
        titles = self._titles(current)
        # a release made before a locale was added has no page in it: no alternate there
        present = {lang: page_paths(self.site, lang) for lang in languages}
        made = []
        for page in pages(self.site, current, titles):
            having = [lang for lang in languages if lang == current or page.path in present[lang]]
            made.append(self._generated(config, page.path, page.markdown, page.in_nav, current,
                                        default, having))
        for file in made:
            if files.get_file_from_path(file.src_uri) is None:
                files.append(file)
        i18n: Any = config.plugins.get("i18n")
        if i18n is not None:
            i18n.i18n_files_per_language.setdefault(current, []).extend(made)
        return files

    def _titles(self, locale: str) -> dict[str, str]:
        assert self.site is not None
        project = self.site.project
        titles = {}
        for document in project.documents:
            path = project.doc_path(locale, document)
            if path.exists():
                titles[document] = read_title(path, str(path))
        return titles

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

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig,
                         files: Files) -> str | None:
        if self.site is None:
            return markdown
        current, _, _ = self._languages(config)
        name = page.file.src_uri.removeprefix(f"{current}/").removesuffix(".md")
        if page.file.src_uri.startswith(f"{current}/") and name in self.site.project.documents:
            markdown = policy_markdown(self.site, current, name, markdown)
        elif self.site.preview:
            markdown = f'<div class="policy-draft" role="note" markdown>\n' \
                       f"{self.site.text(current, 'draft')}\n</div>\n\n{markdown}"
        return markdown

    def on_page_content(self, html: str, /, *, page: Page, config: MkDocsConfig,
                        files: Files) -> str | None:
        # Material writes page titles into <title>, the header and the nav as HTML, as it
        # gets them from headings; a front-matter title is plain text: escape it once here
        title = page.meta.get("title")
        if self.site is not None and isinstance(title, str):
            page.meta["title"] = html_text(title)
        return html

    def on_page_context(self, context: TemplateContext, /, *, page: Page,
                        config: MkDocsConfig, nav: Navigation) -> TemplateContext | None:
        if self.site is None:
            return context
        current, default, _ = self._languages(config)
        banner = page.meta.get("policy_banner") or ""
        if self.site.preview:
            banner = self.site.text(current, "draft")
        extra: dict[str, Any] = context  # type: ignore[assignment]  # our own keys
        extra["policy_banner"] = banner
        extra["policy_hreflang"] = self._hreflang(page, config, default)
        extra["policy_feed"] = ("" if current == default else f"{current}/") + "updates.xml"
        return context

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
            atom_feed(self.site, current, site_url + prefix, titles, config.site_name),
            encoding="utf-8")
        if current == default:
            urls = {lang: site_url + ("" if lang == default else f"{lang}/")
                    for lang in languages}
            (Path(config.site_dir) / "versions.json").write_text(
                versions_json(self.site, urls), encoding="utf-8")
