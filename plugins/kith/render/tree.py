"""The rendered folder: every page of the build as Markdown, and its ``mkdocs.yml``.

``Renderer.render`` is one pass: the build (``kith.build.wiki.build``, as the plugin
runs it) with a serve session's ``Kept``, so that a pass after an edit draws again
only the pages whose inputs changed (the rule of ``kith.serve.incremental``); a page
whose Markdown did not change is not converted again, and a file whose bytes are the
same is not written again, so an engine watching the folder rebuilds what changed.
``watch`` runs a pass whenever a file the build reads changes.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from kith.build.wiki import Output, Wiki, build
from kith.core.config import hosting_warning
from kith.core.errors import KithError, Problem
from kith.pages.followup_pages import feed_uri
from kith.pages.problems import SRC_URI as PROBLEMS_URI
from kith.pages.problems import TITLE as PROBLEMS_TITLE
from kith.pages.problems import problem_page, problems_page
from kith.pages.registry import PAGES
from kith.pages.urls import relative_url
from kith.plugin.addresses import navigation, note_dest, page_dest, person_dest
from kith.plugin.files import ROBOTS
from kith.reading.slugs import file_slug
from kith.render.convert import Converter
from kith.render.project import CONFIG, CSS_URI, DOCS, Project, engine_config, live, open_project
from kith.serve.session import ServeSession

MARKER = ".kith-render"
"""In the rendered folder: kith wrote it, and may replace and remove its files."""
OVERRIDES = "overrides"
NOINDEX = (
    '{% extends "base.html" %}\n'
    "{% block extrahead %}{{ super() }}"
    '<meta name="robots" content="noindex, nofollow">{% endblock %}\n'
)
"""A personal network is no search result: every page says ``noindex``, as the plugin's do."""
_UNSEARCHED = frozenset(spec.src_uri for spec in PAGES if not spec.search)
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*\n", re.DOTALL)


@dataclass(frozen=True)
class Rendered:
    """What one pass did, by path in the rendered folder."""

    written: tuple[str, ...]
    removed: tuple[str, ...]
    unchanged: int
    pages: int
    problems: tuple[Problem, ...]
    hosted: str = ""
    """The hosting warning (``site_url`` set, no encryption), or ``""``."""


def addresses(wiki: Wiki, user_home: bool) -> dict[str, str]:
    """Every page's address, as the plugin gives them (``kith.plugin.addresses``)."""
    urls = {c.src_uri: _url(person_dest(c, True)) for c in wiki.people}
    urls |= {n.src_uri: _url(note_dest(n, True)) for n in wiki.notes}
    urls |= {spec.src_uri: _url(page_dest(spec, True, user_home)) for spec in PAGES}
    if user_home:
        urls["index.md"] = ""
    return urls


def _url(dest: str) -> str:
    return quote(dest.removesuffix("index.html"))  # as MkDocs' ``File.url``


def page_path(url: str) -> str:
    """Where the page at ``url`` is written, so that the engine gives it that address."""
    return f"{DOCS}/{unquote(url)}index.md"


@dataclass
class Renderer:
    """The rendered folder of one project, kept in step pass after pass."""

    root: Path
    out: Path
    session: ServeSession = field(default_factory=ServeSession)
    _converted: dict[str, tuple[Any, str, frozenset[str]]] = field(default_factory=dict)
    _digests: dict[str, bytes] | None = None
    """What the last pass wrote, by path; ``None`` before the first."""

    def render(self, today: date) -> Rendered:
        """One pass: build, convert what changed, write what differs."""
        project = open_project(self.root, today)
        self._claim(project)
        kept = self.session.begin(repr(sorted(project.options.items(), key=str)))
        try:
            files, problems, pages = self._draw(project, kept)
            rendered = self._write(files, problems, pages)
        except BaseException:
            self.session.fail()
            raise
        self.session.finish()
        site_url = str(live(project.config.get("site_url")) or "")
        return Rendered(
            **{**rendered.__dict__, "hosted": hosting_warning(project.settings, site_url)}
        )

    def _claim(self, project: Project) -> None:
        """The folder must be kith's to write: never the project's own files."""
        out, root = self.out.resolve(), project.root.resolve()
        for folder in (root, project.docs.resolve(), project.journal, project.templates):
            if (
                out == folder
                or folder.is_relative_to(out)
                or out.is_relative_to(project.docs.resolve())
            ):
                raise KithError(
                    f"{self.out}: kith render would write over the project's own files — "
                    "choose a folder of its own (--out rendered)"
                )
        if out.is_dir() and any(out.iterdir()) and not (out / MARKER).exists():
            raise KithError(
                f"{self.out}: the folder is not empty and kith render did not write it — "
                "choose a new or empty folder (--out)"
            )

    def _draw(
        self, project: Project, kept: Any
    ) -> tuple[dict[str, bytes], tuple[Problem, ...], int]:
        home = project.home()
        placed: dict[str, Any] = {}

        def place(wiki: Wiki) -> Mapping[str, str]:
            urls = addresses(wiki, home is not None)
            placed["wiki"], placed["urls"] = wiki, urls
            return urls

        other = project.other_files()
        site_url = str(live(project.config.get("site_url")) or "")
        output = build(project.inputs(), place, kept, site_url=site_url, other_files=other)
        wiki: Wiki = placed["wiki"]
        urls: dict[str, str] = dict(placed["urls"])
        sources: dict[str, tuple[str, tuple[str, ...]]] = dict(output.pages)
        home_text = home.read_text(encoding="utf-8", errors="replace") if home else None
        if home_text is not None:
            sources["index.md"] = (home_text, ())
        nav_extra = self._problem_pages(wiki, urls, sources)
        converter = Converter(project.config, wiki.site, urls, other)
        version = (
            sorted(urls.items()),
            [(c.src_uri, c.name, tuple(c.aliases)) for c in wiki.people],
            sorted(c.name for c in wiki.site.network.contacts if not c.publish),
        )
        files: dict[str, bytes] = {}
        used: set[str] = set()
        for src_uri, (markdown, blocks) in sources.items():
            contact = wiki.site.by_src_uri.get(src_uri)
            problems = wiki.report.of(contact.path) if contact is not None else ()
            key = (version, markdown, blocks, problems)
            last = self._converted.get(src_uri)
            if last is None or last[0] != key:
                body, search = _front_matter(markdown)
                converter.used = set()
                text = converter.page(
                    src_uri, body, blocks, problems, search and src_uri not in _UNSEARCHED
                )
                last = (key, text, frozenset(converter.used))
                self._converted[src_uri] = last
            used |= last[2]
            files[page_path(urls[src_uri])] = last[1].encode("utf-8")
        for gone in set(self._converted) - set(sources):
            del self._converted[gone]
        files |= self._assets(project, output, wiki, home_text, used, other)
        files[CONFIG] = engine_config(project, _nav(project, urls, nav_extra), OVERRIDES).encode()
        files[f"{OVERRIDES}/main.html"] = NOINDEX.encode()
        return files, output.problems, len(sources)

    def _problem_pages(
        self, wiki: Wiki, urls: dict[str, str], sources: dict[str, tuple[str, tuple[str, ...]]]
    ) -> list[Any]:
        """As the plugin shows them: a page for each unreadable person file the site
        may name, and the Problems page while there are problems."""
        report = wiki.report
        if not report.count:
            return []
        taken = set(urls.values())
        for src_uri, (title, problems) in wiki.unreadable_people().items():
            url = f"people/{file_slug(src_uri)}/"
            if url not in taken:
                urls[src_uri], sources[src_uri] = url, (problem_page(title, problems), ())
        urls[PROBLEMS_URI] = "problems/"
        people_dir = wiki.inputs.settings.people_dir + "/"
        shown = {}
        for path in report.shown:
            target = urls.get(path.removeprefix(people_dir), urls.get(path))
            if target is not None:
                shown[path] = relative_url(target, urls[PROBLEMS_URI])
        sources[PROBLEMS_URI] = (problems_page(report, shown), ())
        return [{PROBLEMS_TITLE: PROBLEMS_URI}]

    def _assets(
        self, project: Project, output: Output, wiki: Wiki, home_text: str | None,
        used: set[str], other: list[str],
    ) -> dict[str, bytes]:  # fmt: skip
        """The style sheet, the feed, robots.txt, and the people folder's files a page
        links or embeds (no other: a file nobody links stays unpublished, as with the
        plugin)."""
        files = {
            f"{DOCS}/{CSS_URI}": output.css.encode("utf-8"),
            f"{DOCS}/{feed_uri(project.settings)}": output.feed,
            f"{DOCS}/robots.txt": ROBOTS.encode(),
        }
        wanted = wiki.referenced(home_text)
        config = project.config
        extra = {
            str(e)
            for e in [*(config.get("extra_css") or []), *(config.get("extra_javascript") or [])]
        }
        for src_uri in other:
            name = src_uri.rsplit("/", 1)[-1].casefold()
            if src_uri in used or name in wanted or src_uri in extra:
                files[f"{DOCS}/{src_uri}"] = (project.docs / src_uri).read_bytes()
        return files

    def _write(
        self, files: Mapping[str, bytes], problems: tuple[Problem, ...], pages: int
    ) -> Rendered:
        out = self.out
        if self._digests is None:  # the first pass: what is on disk from an earlier run
            previous: dict[str, bytes | None] = dict.fromkeys(_written_files(out))
        else:
            previous = dict(self._digests)
        out.mkdir(parents=True, exist_ok=True)
        (out / MARKER).write_text("Written by kith render; its files are replaced.\n")
        written, digests = [], {}
        for path, data in sorted(files.items()):
            digest = hashlib.sha256(data).digest()
            digests[path] = digest
            target = out / path
            if previous.get(path) == digest:
                continue
            if path in previous and previous[path] is None and _same(target, data):
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_name(f".{target.name}.kith-tmp")
            temporary.write_bytes(data)
            os.replace(temporary, target)
            written.append(path)
        removed = sorted(set(previous) - set(files))
        for path in removed:
            (out / path).unlink(missing_ok=True)
        self._digests = digests
        unchanged = len(files) - len(written)
        return Rendered(tuple(written), tuple(removed), unchanged, pages, problems)


def _front_matter(markdown: str) -> tuple[str, bool]:
    """A page's Markdown without its front matter, and whether search may index it."""
    match = _FRONT_MATTER.match(markdown)
    if match is None:
        return markdown, True
    excluded = re.search(r"^search:\s*\n\s+exclude:\s*true\s*$", match.group(1) or "", re.M)
    return markdown[match.end() :], excluded is None


def _same(path: Path, data: bytes) -> bool:
    try:
        return path.read_bytes() == data
    except OSError:
        return False


def _written_files(out: Path) -> list[str]:
    """The files an earlier ``kith render`` left in ``out`` (never the engine's ``site``)."""
    if not (out / MARKER).exists():
        return []
    found = [CONFIG] if (out / CONFIG).exists() else []
    for folder in (DOCS, OVERRIDES):
        found += [p.relative_to(out).as_posix() for p in (out / folder).rglob("*") if p.is_file()]
    return found


def _nav(project: Project, urls: Mapping[str, str], extra: list[Any]) -> list[Any]:
    """The navigation: kith's (the plugin's), or the user's with kith's pages at their
    rendered paths."""
    paths = {src_uri: page_path(url).removeprefix(f"{DOCS}/") for src_uri, url in urls.items()}
    user = project.config.get("nav")
    nav = (
        user
        if isinstance(user, list)
        else navigation("index.md" if project.home() is not None else None) + extra
    )
    return [_moved(entry, paths) for entry in nav]


def _moved(entry: Any, paths: Mapping[str, str]) -> Any:
    if isinstance(entry, str):
        return paths.get(entry, entry)
    if isinstance(entry, list):
        return [_moved(item, paths) for item in entry]
    if isinstance(entry, Mapping):
        return {key: _moved(value, paths) for key, value in entry.items()}
    return entry


Stop = Callable[[], bool]


def watched(renderer: Renderer) -> dict[str, tuple[int, int]]:
    """What a pass reads, by path: size and modification time of ``mkdocs.yml``, the
    people folder, the journal, the templates and git's HEAD and branches."""
    root = renderer.root
    config = root / CONFIG
    seen: dict[str, tuple[int, int]] = {}
    folders: list[Path] = []
    try:
        project = open_project(root, date(2000, 1, 1))  # the folders, not the day
        folders = [project.docs, project.journal, project.templates]
    except KithError:  # the next pass says what is wrong
        folders = []
    paths: Iterable[Path] = [config, root / ".git" / "HEAD", root / ".git" / "packed-refs"]
    for folder in [*folders, root / ".git" / "refs" / "heads"]:
        if folder.is_dir():
            paths = [*paths, *(p for p in folder.rglob("*") if p.is_file())]
    for path in paths:
        try:
            stat = path.stat()
        except OSError:
            continue
        seen[str(path)] = (stat.st_size, stat.st_mtime_ns)
    return seen


def watch(
    renderer: Renderer,
    today: Callable[[], date],
    report: Callable[[Rendered | KithError], None],
    wait: Callable[[], None],
    stop: Stop = lambda: False,
) -> None:
    """Render, then render again whenever a file the build reads changes, or the day
    does; ``wait`` sleeps between looks. A pass that fails is reported and the folder
    stays as the last good pass left it."""
    seen: dict[str, tuple[int, int]] | None = None
    day: date | None = None
    while not stop():
        now, current = today(), watched(renderer)
        if current != seen or now != day:
            seen, day = current, now
            try:
                report(renderer.render(now))
            except KithError as err:
                report(err)
        wait()
