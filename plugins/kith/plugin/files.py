"""kith's pages among MkDocs' files: person and journal pages, generated pages, assets.

Which pages exist and what they say comes from ``kith.build.Wiki``; this module
places them where MkDocs expects them (output paths, navigation, the order MkDocs
draws them in) and drops what must not be published.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from kith.analyses.site import Site
from kith.build.wiki import Inputs, Wiki
from kith.core.config import Settings
from kith.core.directory import is_contact_file
from kith.core.grammar import WikiTarget
from kith.core.packing import TOC, pack, pack_data
from kith.pages.followup_pages import feed_uri
from kith.pages.links import Resolved, WikiLinkExtension, media_kind
from kith.pages.page_markdown import unstash
from kith.pages.problems import SRC_URI as PROBLEMS_URI
from kith.pages.problems import TITLE as PROBLEMS_TITLE
from kith.pages.problems import problem_page, problems_page, with_problems
from kith.pages.registry import PAGES
from kith.pages.sanitize import sanitize
from kith.pages.urls import Links
from kith.plugin.addresses import (
    Opaque,
    nav_title,
    navigation,
    note_dest,
    page_dest,
    person_dest,
    relative_src,
)
from kith.plugin.converter import Converter
from kith.plugin.page import HELD, KithPage, Source
from kith.reading.slugs import file_slug
from kith.serve.session import Drawn, Kept

CSS_URI = "assets/kith.css"


def inputs(
    files: Files, config: MkDocsConfig, settings: Settings, templates: Path, journal: Path,
    journal_shown: str,
) -> Inputs:  # fmt: skip
    """What the build reads, from MkDocs' files and configuration."""
    return Inputs(
        contact_files=[
            (f.src_uri, f.abs_src_path)
            for f in files.documentation_pages()
            if f.abs_src_path and f.generated_by is None and is_contact_file(f.src_uri)
        ],
        settings=settings,
        templates=templates,
        journal=journal,
        journal_shown=journal_shown,
        git_root=git_root(config),
        git_folders=git_folders(config, journal),
    )


def git_root(config: MkDocsConfig) -> Path:
    """Where git runs: the project, or the docs folder's parent when it lies outside."""
    project = Path(config.config_file_path or ".").parent.resolve()
    docs = Path(config.docs_dir).resolve()
    return project if docs.is_relative_to(project) else docs.parent


def git_folders(config: MkDocsConfig, journal: Path) -> list[str]:
    """The folders whose history kith reads (people, journal), relative to ``git_root``."""
    root = git_root(config)
    folders = [Path(config.docs_dir).resolve().relative_to(root).as_posix()]
    if journal.is_dir() and journal.is_relative_to(root):
        folders.append(journal.relative_to(root).as_posix())
    return folders


def place(
    files: Files, config: MkDocsConfig, wiki: Wiki, converter: Converter, user_nav: bool,
    opaque: Opaque | None = None,
) -> Files:  # fmt: skip
    """MkDocs' files with kith's pages in place, drawn as far as they can be before
    MkDocs renders them (generated pages, feed, style sheet); person and journal pages
    are drawn when MkDocs reads them."""
    for page_file in files.documentation_pages():  # Markdown kith does not read: _draft.md
        if page_file.generated_by is None and not is_contact_file(
            page_file.src_uri, include_index=True
        ):
            files.remove(page_file)  # MkDocs would publish it as it is: publish: false unseen
    published = {c.src_uri: c for c in wiki.people}
    by_uri = files.src_uris  # MkDocs' own look-up makes a path object of each name
    directory_urls = config.use_directory_urls
    for src_uri, _ in wiki.inputs.contact_files:
        file = by_uri.get(src_uri)
        if file is None:  # pragma: no cover - it came from this collection
            continue
        contact = published.get(src_uri)
        if contact is None:  # private, or unreadable: its raw YAML must not become a page
            files.remove(file)
            continue
        file.dest_uri = person_dest(contact, directory_urls, opaque)
        file.inclusion = InclusionLevel.NOT_IN_NAV
        KithPage(file, config, converter, is_person=True)
    for note in wiki.notes:
        path = wiki.inputs.journal / note.src_uri.removeprefix("journal/")
        file = File.generated(config, note.src_uri, abs_src_path=str(path))
        file.dest_uri = note_dest(note, config.use_directory_urls, opaque)
        file.inclusion = InclusionLevel.NOT_IN_NAV
        files.append(file)
        KithPage(file, config, converter)
    # The user's own home page: MkDocs makes the top README.md one when there is no
    # index.md (then kith's Home is the Dashboard, as beside an index.md).
    index = files.get_file_from_path("index.md") or files.get_file_from_path("README.md")
    user_home = index is not None
    generated: list[File] = []
    for spec in PAGES:
        file = File.generated(config, spec.src_uri, content="")
        file.dest_uri = page_dest(spec, config.use_directory_urls, user_home)
        generated.append(file)
        files.append(file)
        if not user_nav:  # kith's navigation: the page bears its title there
            KithPage(file, config, converter, nav_title(spec, user_home))
    urls = {f.src_uri: f.url for f in files.documentation_pages()}
    other = [f.src_uri for f in files if not f.is_documentation_page() and f.generated_by is None]
    wiki.plan(urls, markdown_settings(config), other)
    pages = wiki.generated_pages(urls)
    for file in generated:
        file.content_string = pages[file.src_uri]
    home_text = (
        Path(index.abs_src_path).read_text(encoding="utf-8", errors="replace")
        if index is not None and index.abs_src_path
        else None
    )
    _drop_unreferenced(files, config, wiki, home_text)
    files.append(File.generated(config, CSS_URI, content=wiki.css()))
    feed = feed_uri(wiki.inputs.settings)
    files.append(File.generated(config, feed, content=wiki.feed(config.site_url or "", urls)))
    files.append(File.generated(config, ROBOTS_URI, content=ROBOTS))
    wiki.network_pages_drawn()
    if not user_nav:
        config.nav = navigation(index.src_uri if index is not None else None)
    # MkDocs reads and renders pages in this order, and writes none before all are:
    # the network pages first, so that their HTML (the biggest of the site) is
    # packed at once rather than waiting, as Markdown and blocks, for 10,000 people.
    first = set(generated)
    return Files([*generated, *(f for f in files if f not in first)])


def markdown_settings(config: MkDocsConfig) -> object:
    """What besides kith shapes a page's HTML: the Markdown extensions and their options,
    and how links are validated (``absolute_links: relative_to_docs`` rewrites them)."""
    return (
        [e for e in config.markdown_extensions if not isinstance(e, WikiLinkExtension)],
        config.mdx_configs,
        repr(config.validation.links),
    )


def attachments(files: Files) -> dict[str, File]:
    """Obsidian finds an attachment by its path or, when unique enough, its name alone."""
    return {
        name.casefold(): f
        for f in files
        if not f.is_documentation_page() and f.generated_by is None
        for name in (f.src_uri.rsplit("/", 1)[-1], f.src_uri)
    }


def show_problems(
    files: Files, config: MkDocsConfig, wiki: Wiki, user_nav: bool, opaque: Opaque | None = None
) -> None:
    """The build's problems where a person browsing sees them: a page at the address of
    each person whose file could not be read (``wiki.unreadable_people``: none that may
    be private), and the Problems page while there are any."""
    report = wiki.report
    if not report.count:
        return
    taken = {f.dest_uri for f in files}
    for src_uri, (title, problems) in wiki.unreadable_people().items():
        slug = opaque(src_uri) if opaque else file_slug(src_uri)
        dest = f"people/{slug}/index.html" if config.use_directory_urls else f"people/{slug}.html"
        if dest in taken:  # another file's person has the address: the list names it
            continue
        file = File.generated(config, src_uri, content=problem_page(title, problems))
        file.dest_uri = dest
        file.inclusion = InclusionLevel.NOT_IN_NAV
        files.append(file)
    page = File.generated(config, PROBLEMS_URI, content="")
    people_dir = wiki.inputs.settings.people_dir + "/"
    urls: dict[str, str] = {}
    for path in report.shown:
        target = files.get_file_from_path(
            path.removeprefix(people_dir)
        ) or files.get_file_from_path(path)
        if target is not None and target.is_documentation_page():
            urls[path] = get_relative_url(target.url, page.url)
    page.content_string = problems_page(report, urls)
    files.append(page)
    if not user_nav and isinstance(config.nav, list):
        config.nav.append({PROBLEMS_TITLE: PROBLEMS_URI})


ROBOTS_URI = "robots.txt"
ROBOTS = (
    "# A personal network: no search engine may index or follow any page.\n"
    "User-agent: *\nDisallow: /\n"
)
_NOINDEX = '<meta name="robots" content="noindex, nofollow">'


def post_page(output: str, page: Page | None, config: MkDocsConfig) -> str:
    """A page as written: every one says ``noindex`` (and ``robots.txt`` disallows all),
    whatever the mode: a personal network is no search result."""
    head = output.find("<head>")
    if head < 0 or _NOINDEX in output:
        return output
    head += len("<head>")
    return output[:head] + _NOINDEX + output[head:]


def other_files(files: Files) -> list[str]:
    """The files that are not pages: what a link may name besides people."""
    return [f.src_uri for f in files if not f.is_documentation_page()]


def _drop_unreferenced(
    files: Files, config: MkDocsConfig, wiki: Wiki, home_text: str | None
) -> None:
    """Publish a file of the people folder only if a page links or embeds it."""
    candidates = [
        file
        for file in files
        if file.generated_by is None
        and file.src_dir == config.docs_dir  # theme assets come from elsewhere
        and not file.is_documentation_page()
    ]
    if not candidates:  # nothing to keep or drop: no need to read every note
        return
    wanted = wiki.referenced(home_text)
    keep = {*config.extra_css, *(str(js) for js in config.extra_javascript)}
    for file in candidates:
        name = file.src_uri.rsplit("/", 1)[-1].casefold()
        if file.src_uri not in keep and name not in wanted:
            files.remove(file)


def kept_page(kept: Kept | None, wiki: Wiki | None, src_uri: str) -> Drawn | None:
    """The last build's drawing of a person page, when this build may reuse it."""
    if kept is None or wiki is None or not wiki.reusable(src_uri):
        return None
    return kept.drawn.get(src_uri)


def keep_drawn(kept: Kept, page: KithPage, content: str) -> Drawn | None:
    """Under serve: the drawn person page, for the next rebuild to reuse."""
    anchors = page.links_to_anchors or {}
    if any(file is not page.file for file in anchors):  # they name this build's files
        kept.drawn.pop(page.file.src_uri, None)
        return None
    assert page.markdown is not None
    zdicts = kept.zdicts
    packed = pack(content, zdicts, page.generated)
    drawn = kept.drawn[page.file.src_uri] = Drawn(
        page.markdown, packed, zdicts[page.generated], pack_data(page.toc, zdicts, TOC),
        page._title_from_render,
        page.present_anchor_ids, dict(anchors[page.file]) if page.file in anchors else None,
    )  # fmt: skip
    return drawn


def resolve_link(
    site: Site, attachments: Mapping[str, File], here: File, target: WikiTarget
) -> Resolved:
    """Where ``[[target]]`` on the page of ``here`` goes: a person, plain text for a
    private one, an attachment, or nowhere (drawn as unresolved)."""
    contact = site.directory.resolve(target.target)
    if contact is not None:
        return Resolved(href=relative_src(contact.src_uri, here.src_uri), text=contact.name)
    if site.is_private(target.target):
        return Resolved(private=True)
    file = attachments.get(target.target.casefold())
    if file is None:
        return Resolved()
    media = media_kind(file.src_uri) if target.embed else ""
    if media in ("audio", "video"):  # MkDocs rewrites the addresses of links and images only
        return Resolved(href=file.url_relative_to(here), text=target.target, media=media)
    return Resolved(href=relative_src(file.src_uri, here.src_uri), text=target.target, media=media)


@contextmanager
def collector_paused() -> Iterator[None]:
    """The loaded network lives as long as the build: the cycle collector need not scan
    it again and again (at 10,000 people, that was a third of a rebuild). Frozen until
    the build ends (``gc.unfreeze`` in the plugin)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


class Collector:
    """Under serve, the last build's pages, navigation and search index are garbage once
    MkDocs lets go of the build, but in cycles, which only the cycle collector frees; a
    rebuild that freezes the new network (``collector_paused``) before they are freed
    holds two builds at once. They are collected while the person reads the reloaded
    page, a moment after the build, or when the next build starts, if it starts sooner
    (at 10,000 people a collection takes about half a second)."""

    DELAY = 1.0

    def __init__(self) -> None:
        self._timer: threading.Timer | None = None
        self._lock = threading.Lock()
        self._owed = False

    def after_build(self) -> None:
        self._owed = True
        self._timer = threading.Timer(self.DELAY, self._collect)
        self._timer.daemon = True
        self._timer.start()

    def before_build(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self._collect()  # waits for a collection under way, else does it now if owed

    def _collect(self) -> None:
        with self._lock:
            if self._owed:
                gc.collect()
                self._owed = False


def page_source(
    page: KithPage, wiki: Wiki, kept: Kept | None, urls: Mapping[str, str]
) -> str | None:
    """The Markdown of one of kith's person or journal pages (generated pages have
    theirs already): the last build's when it may be reused, else drawn now."""
    src_uri = page.file.src_uri
    if src_uri in wiki.site.by_src_uri:
        drawn = kept_page(kept, wiki, src_uri)
        if drawn is not None:
            page.reused = drawn
            return drawn.markdown
        drawer, links = wiki.drawer, Links(urls, urls[src_uri])
        page.plain = lambda text: drawer.plain_html(text, links)
        contact = wiki.site.by_src_uri[src_uri]
        page.source = Source(contact.path, contact.body, contact.body_line)
        return wiki.person_page(src_uri, urls)
    note = wiki.notes_by_src_uri.get(src_uri)
    if note is None:
        return None
    page.source = Source(note.path, note.body, note.body_line)
    return wiki.note_page(note, urls)


def page_content(html: str, page: Page, wiki: Wiki | None, kept: Kept | None) -> str:
    """A page's HTML as the site shows it. Notes may hold pasted HTML: no page of the
    site runs code from the data. kith's own blocks are built from escaped values and
    go back in afterwards."""
    if isinstance(page, KithPage):
        page.source = None  # rendered: messages about its notes are said; the text can go
    if isinstance(page, KithPage) and page.reused is not None:
        content = html  # the last build's, unpacked (``Converter.render``)
    else:
        blocks = wiki.blocks(page.file.src_uri) if wiki is not None else []
        assembled = isinstance(page, KithPage) and page.assembled  # nothing to sanitize
        content = unstash(html if assembled else sanitize(html), blocks)
        if kept is not None and isinstance(page, KithPage) and page.is_person:
            drawn = keep_drawn(kept, page, content)
            if drawn is not None:  # packed once, for the page and the session alike
                page.hold(drawn.packed, drawn.zdict, content)
    if wiki is not None and isinstance(page, KithPage) and page.is_person:
        # The page's problems come with every build, reused page or not: they may come
        # from other files (a link to someone deleted).
        contact = wiki.site.by_src_uri.get(page.file.src_uri)
        problems = wiki.report.of(contact.path) if contact is not None else ()
        if problems:
            content = with_problems(page.unheld() if content is HELD else content, problems)
    return content
