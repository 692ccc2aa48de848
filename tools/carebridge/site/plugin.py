"""MkDocs plugin ``carebridge``: protocols and catalogs in, one site per language out.

Material recommends one build per language (one ``lang`` per document, one search index per
build). The first language is the main build; after it, ``on_post_build`` builds each other
language into ``site/<prefix>/`` with that language's theme and search settings.
"""

from __future__ import annotations

import html
import logging
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import babel
import jieba
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.utils import get_relative_url

from .. import report
from ..fsio import content_key
from ..source.edition import LoadedEdition, load_editions
from ..source.library import SITE_DOMAIN, Loaded, Project, load_library, only_pattern_problem, select
from ..source.schema import enum_labels, load_schema
from . import editions as edition_sites
from . import output, policy
from .config import CareBridgeConfig, LanguageConfig
from .configcheck import build_refusals
from .direct import Prepared, direct_for, make_pages
from .docspages import page_problems
from .drugs import DoseLink, drugs_page
from .edition_view import MARK_START, NAME_MARK, SITE_NAME_MARK, VERSION_MARK, EditionView, NoEdition
from .editions import edition_view, editions_page, reference_labels
from .incremental import (
    PAGE_BLIND_OPTIONS,
    CatalogCache,
    PageFiles,
    handover,
    keep_parsed,
    page_store,
    restore_parsed,
    shared_key,
)
from .keptrender import wrap
from .languages import alternates
from .navlinks import NavLinks, add_theme_dir
from .pagecache import Kept, hold, thaw
from .pages import Entry, home, nav_titles, site_nav, status_page
from .protocolpages import Shared, href
from .protocolstore import ProtocolStore
from .rawhtml import RawHtml
from .schemadoc import SCHEMA_URL, schema_page
from .search import seed_jieba
from .searchsite import jieba_user_dict, material_skips, quicken_material_search, site_search, worker_url
from .siblings import Siblings, plan
from .static import add_static, offline_search
from .templating import THEME_BYTECODE, environment
from .translations import Translations, retain
from .words import Labels, Words, translate_palette

log = logging.getLogger("mkdocs.plugins.carebridge")
jieba.setLogLevel(logging.WARNING)  # its start-up chatter is not a build message


class CareBridgePlugin(policy.PolicyHooks, BasePlugin[CareBridgeConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        # State lives for one build; on_config fills it again on every (re)build of a serve.
        self.library: list[Loaded] = []
        self.siblings = Siblings()
        self.editions: list[LoadedEdition] = []
        self.marks: dict[str, str] = {}  # in an edition's site: each banner mark and the HTML it stands for
        self.env = environment()
        self.raw_html = RawHtml()
        self.generated: set[str] = set()
        # A serve's dirty rebuilds (on_startup says so) reuse what did not change; see incremental.
        self.serving = False
        self.store = ProtocolStore()  # protocol pages made, or kept between builds or rebuilds
        self.kept_render = Kept(None)  # and the theme's output for them (keptrender)
        self.settled: dict[str, Any] = {}  # a serve's pages as this site shows them (editions.SitePages.memo)
        self.page_files: PageFiles | None = None
        self.catalog_cache = CatalogCache()

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve" and dirty
        if self.serving and self.page_files is None:
            self.page_files = PageFiles(Path(tempfile.mkdtemp(prefix="carebridge-serve-")))

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        """A plain `mkdocs serve` watches the docs only: watch every input of the site too."""
        watched = {os.path.abspath(path) for path in config.watch}
        p = self.project
        for path in (p.protocols_dir, p.locales_dir, p.root / "editions", p.schema_path):
            if path.exists() and os.path.abspath(path) not in watched:
                server.watch(str(path))
        return server

    def on_shutdown(self) -> None:
        self.siblings.stop()
        if self.page_files is not None:
            shutil.rmtree(self.page_files.folder, ignore_errors=True)

    @event_priority(50)  # before Material's search, which starts jieba's shared tokenizer in its on_config
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        thaw()  # what the last site built here held (pagecache.hold) is the collector's again
        quicken_material_search(config.plugins.events["page_context"])
        root = Path(config.config_file_path).resolve().parent
        self.project = Project.at(root, self.config.protocols_dir, self.config.locales_dir, self.config.schema)
        languages = self.config.languages or [LanguageConfig()]
        if not self.config.languages:
            languages[0].load_dict({"locale": "en", "name": "English"})
        self.languages = languages
        wanted = self.config.build_language or languages[0].locale
        matches = [lang for lang in languages if lang.locale == wanted]
        if not matches:
            raise PluginError(f"carebridge: build_language '{wanted}' is not in languages")
        self.current = matches[0]
        self.is_main = self.current is languages[0]
        if str(self.current.locale).startswith("zh"):
            # Material's search (on the Chinese pages it indexes) and ours (search.Tokenizer) cut
            # Chinese: one read of jieba's dictionary. Another language's site reads it only if its
            # own index is made (its Chinese titles), not when the index is kept: a second saved.
            seed_jieba(jieba.dt)
        if self.is_main:  # MkDocs empties the site folder first: never let it be one of the project's own
            problems = output.check_site_dir(Path(config.site_dir), self.project.root,
                                             output.configured_sources(self.project, config), "mkdocs.yml: site_dir")
            if problems:
                raise PluginError("carebridge: " + report.as_text(problems))
        for refusal in build_refusals(Path(config.config_file_path), config.site_name):  # as the commands do
            raise PluginError(f"carebridge: {refusal}")
        if self._whole_build:  # what the last build parsed
            restore_parsed(self.project)
        # And what the process was handed after MkDocs made this plugin (its instances live on
        # from one configuration to the next in a process: site.ready loads one before the handover).
        self.catalog_cache.adopt()
        loaded, problems = load_library(self.project, self._only_files() if self.config.only else None)
        if any(p.severity.value == "error" for p in problems):
            raise PluginError("carebridge: the protocols have problems:\n" + report.as_text(problems))
        self.library = loaded
        wanted_editions = [self.config.edition] if self.config.edition else list(self.config.editions)
        editions, found = load_editions(self.project, loaded, wanted_editions,
                                                          complete=not self.config.only) if wanted_editions else ([], [])
        if any(p.severity.value == "error" for p in found):
            raise PluginError("carebridge: the editions have problems:\n" + report.as_text(found))
        self.editions = editions
        previous = getattr(self, "translations", None)
        self.translations = Translations(self.project, self.current.locale, self.catalog_cache)
        retain(loaded)
        domains = [SITE_DOMAIN, *(item.protocol.id for item in loaded), *(item.edition.domain for item in editions)]
        for lang in languages[1:]:
            self.translations.load(lang.locale, domains)
        self.marks = {}
        if self.config.edition:  # the hospital's name in the page's language (English until translated)
            name = self._edition_view(editions[0]).name().value
            config.site_name = edition_sites.edition_site_name(config.site_name)
            self.marks = {VERSION_MARK: html.escape(editions[0].edition.version), NAME_MARK: html.escape(name),
                          SITE_NAME_MARK: edition_sites.site_name_text(name)}
        if self.is_main and not self.config.nested:
            if not self.serving:  # a serve's workers keep their own verdicts from one rebuild to the next
                self.translations.precheck([lang.locale for lang in languages[1:]])
            self._start_siblings(config)
        if self.serving:
            # A serve keeps pages by protocol, not by what they read of an edition: which one it is counts.
            settings = (self._page_options(), self.config.edition, config.use_directory_urls, self.current.locale)
            shared = shared_key(self.project, {item.protocol.id for item in loaded},
                                Path(config.theme.custom_dir or self.project.root / "overrides"),
                                Path(config.config_file_path), repr(settings))
            kept = self.store.reuse.refresh(shared, {item.protocol.id: self._protocol_key(item) for item in loaded})
            if previous is not None:
                self.translations.localized_before = previous.localized_before
                self.translations.keep_only(kept)
        if self.config.offline:  # pages open from disk only by real file names
            config.use_directory_urls = False
            offline_search(config)
        add_theme_dir(config.theme)
        custom_dir = config.theme.custom_dir
        self.env = environment(Path(custom_dir) if custom_dir else self.project.root / "overrides")
        config.extra["alternate"] = alternates(self.languages, self.current)
        config.extra["carebridge_lang"] = self.current.lang
        config.markdown_extensions.append(self.raw_html)  # type: ignore[arg-type]
        self.generated = set()
        if not self.serving:
            hold()  # the parse, the catalogs and the verdicts stay until the site is written
        return config

    @property
    def _whole_build(self) -> bool:
        """The main process of a plain build: it starts from the last build's parse and keeps its own."""
        return self.is_main and not self.config.nested and not self.serving

    def _edition_view(self, item: LoadedEdition) -> EditionView:
        locale = None if self.is_main else self.current.locale
        return edition_view(item, self.translations.catalogs.get((self.current.locale, item.edition.domain)) if locale
                            else None, self.current.lang, self.translations.check(locale) if locale else None)

    def _only_files(self) -> list[Path]:
        refused = [only_pattern_problem(pattern) for pattern in self.config.only]
        if any(refused):
            raise PluginError("carebridge: only: " + "; ".join(f"{m} ({h})" for m, h in filter(None, refused)))
        files, unmatched = select(self.project.protocols_dir, self.config.only)
        if unmatched:
            raise PluginError(f"carebridge: --only {', '.join(map(repr, unmatched))} matches no protocol under "
                              f"{self.project.rel(self.project.protocols_dir)}/")
        return files

    def _page_options(self) -> list[tuple[str, Any]]:
        """The plugin's options as kept pages are keyed by: all but those no page reads. ``nested``
        only says who starts the other languages, ``previous_site`` and ``shared_site`` which sites
        search files are linked from, and the list of editions makes the base site's editions page,
        kept by its content (``PAGE_BLIND_OPTIONS``): so an edition built with the base site and the
        same edition built alone (``build --edition``) share their pages. Which edition it is counts only
        through what its pages read of it (``protocolstore``): a page that reads nothing a second hospital
        answers otherwise is that hospital's page too, and the base site's (``NoEdition``)."""
        return sorted([(name, value) for name, value in self.config.items()
                       if name not in ("nested", "previous_site", "shared_site", "edition", *PAGE_BLIND_OPTIONS)],
                      key=str)

    def _protocol_key(self, item: Loaded) -> tuple[bytes | None, ...]:
        # The digests the library and catalogs were just read with: no file is read twice.
        return (item.digest or content_key(self.project.root / item.protocol.file),
                *(self.catalog_cache.digest(self.project.catalog_path(lang.locale, item.protocol.id))
                  for lang in self.languages[1:]))

    # --- pages ---------------------------------------------------------------------------------
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        locale = None if self.is_main else self.current.locale
        words = Words(self.translations.catalogs.get((self.current.locale, SITE_DOMAIN)) if locale else None, self.current.lang,
                      self.translations.check(locale) if locale else None)
        self.words = words
        # The language this build compares with English: its own, or (on the English build) the first other.
        other = self.current if not self.is_main else (self.languages[1] if len(self.languages) > 1 else None)
        env = self.env
        enums = enum_labels(load_schema(self.project.schema_path))
        labels = Labels(words.tr, enums)
        references = reference_labels(words)
        views = [self._edition_view(e) for e in self.editions]
        edition = views[0] if self.config.edition else None
        here = edition or NoEdition()
        jurisdiction = edition.edition.jurisdiction if edition else self.current.jurisdiction
        site_pages = edition_sites.site_pages(edition, words, env, self.settled if self.serving else None)
        entries: list[Entry] = []
        statuses: list[Entry] = []  # the translation-status page's rows
        nav_groups: dict[str, list[Any]] = {}
        self.search_pages = []
        doses: list[DoseLink] = []
        direct = direct_for(config)
        prepared: dict[str, Prepared] = {}
        shared = Shared(locale, other, words, env, enums, labels, jurisdiction, here, references, self.translations,
                        self.current, self.languages, self.config.strict_review, config.use_directory_urls)
        if not self.serving:  # a serve keeps its pages in memory (``incremental.Reuse``)
            self.store.open(page_store(self.project, {item.protocol.id for item in self.library},
                                       Path(config.theme.custom_dir or self.project.root / "overrides"),
                                       Path(config.config_file_path), (self._page_options(), config.use_directory_urls,
                                                                       config.site_url, self.current.locale,
                                                                       self.current.lang)))
        for item in self.library:
            key = (item.protocol.id, self._protocol_key(item), direct.signature, log.getEffectiveLevel())
            made_both = self.store.pages(item, key, shared, direct, self.words, serving=self.serving,
                                         side_by_side=not self.config.edition)
            if not self.serving:
                hold()  # and so do its pages (a serve keeps its own from one rebuild to the next)
            made, (compare, compared) = made_both
            shown, converted = site_pages.pages(made.pages + compare, {**made.converted, **compared},
                                                item.protocol.id, made_both)
            for path, content in shown:
                self._add(files, config, path, content)
            prepared.update(converted)
            self.search_pages.append(made.search)
            doses += made.doses
            # Titles in the navigation spare a dirty rebuild from reading every page for them.
            nav_groups.setdefault(item.protocol.specialty, []).append(
                {html.escape(made.entry.title): made.entry.src} if self.page_files else made.entry.src)
            entries.append(made.entry)
            statuses.append(made.status or made.entry)
        if views and not edition:
            self._add(files, config, "editions.md", editions_page(views, self.current.prefix, config.use_directory_urls,
                                                                  words, env))
        self._add(files, config, "index.md", home(entries, words, lambda to: href(config.use_directory_urls, "index.md", to), env,
                                                  edition=edition))
        self._add(files, config, "drugs.md", drugs_page(doses, words, self.current.locale.startswith("zh"), env))
        if other is not None:
            # Counts come from the translation; titles and the language's name are in the page's language.
            language = babel.Locale.parse(other.locale).get_display_name(
                babel.Locale.parse(self.current.locale if locale else "en")) or other.name
            self._add(files, config, "translation-status.md",
                      status_page(statuses, words, language,
                                  lambda to: href(config.use_directory_urls, "translation-status.md", to), env))
        self._add(files, config, "schema.md",
                  schema_page(load_schema(self.project.schema_path),
                              get_relative_url(SCHEMA_URL, File("schema.md", "", "", config.use_directory_urls).url),
                              self.current.lang, env))
        add_static(files, config, self.project.schema_path, offline=self.config.offline)
        translate_palette(config.theme.get("palette"), words.tr)
        config.nav = site_nav(nav_groups, words.tr, enums, lambda src: files.get_file_from_path(src) is not None)
        make_pages(files, config, sorted(self.generated), nav_titles(config.nav), direct, prepared)  # see direct.py
        for msgid, reasons in sorted(words.blocked.items()):
            log.warning("%s: site word %r: translation not published: %s",
                        self.project.rel(self.project.catalog_path(self.current.locale, SITE_DOMAIN)), msgid,
                        "; ".join(reasons))
        return files

    def _add(self, files: Files, config: MkDocsConfig, path: str, content: str) -> None:
        existing = files.get_file_from_path(path)
        if existing is not None:
            files.remove(existing)
        files.append(self.page_files.file(config, path, content) if self.page_files is not None
                     else File.generated(config, path, content=content))
        self.generated.add(path)

    # --- Content-Security-Policy (the hooks are policy.PolicyHooks') ------------------------------
    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        env.bytecode_cache = THEME_BYTECODE  # a process building several sites compiles Material's templates once
        env.filters["cb_search_worker"] = worker_url  # overrides/main.html points Material at our worker
        env.globals["cb_nav_link"] = NavLinks()  # theme/partials/nav-item.html: one build's links
        if not self.serving:  # Material's page template, too, renders each page once per input
            self.kept_render = Kept(self.store.kept.folder, self.store.kept.shared)
            wrap(env, self.kept_render)
            hold()  # the pages, converted and in the navigation, live until written; a render's garbage does not
        self.start_policies(env)
        return env

    def on_post_page(self, output: str, *, page: Any, config: MkDocsConfig) -> str:
        # The document's language is the configured BCP 47 tag (zh-Hans), not the theme's
        # translation name (zh): screen readers, fonts and hreflang then agree.
        theme_lang = f'<html lang="{config.theme["language"]}"'
        wanted = f'<html lang="{self.current.lang}"'
        if theme_lang != wanted:
            output = output.replace(theme_lang, wanted, 1)
        output = self._marked(output, page.file.src_uri)
        self.check_policy(output, page.file.src_uri)
        return output

    def on_post_template(self, output_content: str, *, template_name: str, config: Any) -> str:
        return super().on_post_template(self._marked(output_content, template_name), template_name=template_name,
                                        config=config)

    def _marked(self, output: str, name: str) -> str:
        """``output`` with the edition's version and name put in: kept out of every kept page."""
        for mark, text in self.marks.items():
            output = output.replace(mark, text)
        if MARK_START in output:  # a theme that cut or changed a mark: the page would show it
            log.warning("%s: an edition mark is left in the page (a theme filter changed it)", name)
        return output

    # --- the other languages ---------------------------------------------------------------------
    def _start_siblings(self, config: MkDocsConfig) -> None:
        """The other languages, and each edition in each language, build in other processes while
        this one builds, starting from the library and catalogs this build has just read."""
        builds = plan(config, self.config, self.languages, [item.edition.id for item in self.editions],
                      lambda locale: jieba_user_dict(self.project, locale))
        for _, (name, _, target) in builds:
            log.info("carebridge: building %s into %s", name, target)
        self.siblings.start(config.config_file_path, builds, Path(config.site_dir), serving=self.serving,
                            handover=lambda: handover(self.catalog_cache.read_before,
                                                      self.project if self._whole_build else None))

    def on_build_error(self, *, error: Exception) -> None:
        self.siblings.cancel()

    def on_page_markdown(self, markdown: str, *, page: Any, config: MkDocsConfig, files: Files) -> str:
        self.raw_html.active = page.file.src_uri in self.generated  # our pages' HTML is stashed, not re-parsed
        for problem in [] if self.raw_html.active else page_problems(markdown):  # a hand-written page (docspages)
            log.warning("%s: %s, which the site may not serve", page.file.src_uri, problem)
        if material_skips(page.file.src_uri):  # CareBridge indexes these itself, or they are no answer
            page.meta["search"] = {**(page.meta.get("search") or {}), "exclude": True}
        return markdown

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        self._build_search(Path(config.site_dir))
        if self._whole_build:
            keep_parsed(self.project, self.catalog_cache.read_before)
        if self.store.kept.folder is not None:
            log.info("carebridge: %s; theme pages: %d reused, %d made", self.store.counts(), self.kept_render.hits,
                     self.kept_render.made)
        failed = []
        for name, ok, messages in self.siblings.finish():
            for level, text in messages:
                log.log(level, "[%s] %s", name, text)
            if not ok:
                failed.append(name)
        if failed:
            raise PluginError(f"carebridge: the {', '.join(failed)} build failed (see the messages above)")
        if self.is_main and not self.config.nested:
            self.store.kept.prune()

    def _build_search(self, site_dir: Path) -> None:
        # A serve's rebuild checks the synonyms again only when they (or other shared inputs) changed.
        check = not self.config.only and (not self.serving or self.store.reuse.fresh)
        linked = [Path(site) for site in (self.config.previous_site, self.config.shared_site) if site]
        for message in site_search(self.project, self.current.locale, self.search_pages, site_dir,
                                   check_synonyms=check, kept=self.store.kept, linked=linked):
            log.warning("%s", message)
