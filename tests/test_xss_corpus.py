"""The sanitizer judged by published XSS corpora, in Chromium: nothing runs, leaves or moves.

``tests/thirdparty/xss/`` holds the payloads of DOMPurify's test suite and of
OWASP's XSS filter evasion cheat sheet (``SOURCES.md`` says which commit, under
which licence, and what was left out). Every vector goes

- through the sanitizer alone, each in a document of its own (an ``<iframe
  srcdoc>``, all of them in one page), and
- into a built site wherever a person or an import can put text: a person
  page's notes, a wikilink's label, a log line (shown again on Home, Follow-ups
  and Favors), and the ``company`` and ``how_met`` values.

In Chromium, no dialog may open (``alert``, ``confirm``, ``prompt``, ``print``),
no page or frame may move elsewhere, no request may leave 127.0.0.1 but an
image an ``<img>`` names, and the live DOM may hold no ``on*`` attribute, no
``javascript:``/``vbscript:``/``data:`` URL (raster images excepted) and no
script, frame, plug-in, style sheet or ``<base>`` that the vectors brought. The
same harness given the raw vectors catches them: it can fail.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from kith.pages.sanitize import sanitize
from playwright.sync_api import Error as PlaywrightError

from .browser import chromium, needs_chromium, serve
from .conftest import REPO, build, write_project

CORPUS = REPO / "tests" / "thirdparty" / "xss"


@dataclass(frozen=True)
class Vector:
    source: str
    """The corpus file's name, without ``.json``."""
    index: int
    """Its place in the whole corpus (all files, in name order)."""
    title: str
    payload: str

    @property
    def marker(self) -> str:
        """A word written next to the vector, to find where it landed."""
        return f"kithvector{self.index}x"

    @property
    def line(self) -> str:
        """The vector on one line, for a log entry or a wikilink label."""
        return re.sub(r"[\r\n]+", " ", self.payload)


def _corpus() -> list[Vector]:
    vectors: list[Vector] = []
    for path in sorted(CORPUS.glob("*.json")):
        for entry in json.loads(path.read_text(encoding="utf-8")):
            vectors.append(
                Vector(path.stem, len(vectors), entry.get("title", ""), entry["payload"])
            )
    return vectors


VECTORS = _corpus()

# The DOM as the browser built it, page and frames alike. ``scope`` is where
# elements the vectors may not bring are looked for (the theme has its own scripts).
DOM_CHECK = """(scope) => {
  const URL_ATTRIBUTES = new Set(['href', 'src', 'action', 'formaction', 'data', 'poster',
    'background', 'cite', 'codebase', 'longdesc', 'lowsrc', 'dynsrc', 'ping', 'manifest',
    'srcset', 'values', 'from', 'to', 'by']);
  const FOREIGN = new Set(['script', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet',
    'base', 'meta', 'link', 'style', 'form', 'portal', 'animate', 'set', 'animatemotion',
    'animatetransform']);
  const INERT = new Set(['application/json', 'application/ld+json']);
  const bad = [], named = [];
  const documents = [document];
  for (const frame of document.querySelectorAll('iframe[data-vector]')) {
    if (frame.contentDocument) documents.push(frame.contentDocument);
  }
  for (const doc of documents) {
    const where = doc === document ? 'page'
      : 'vectors ' + doc.defaultView.frameElement.dataset.vector;
    for (const el of doc.querySelectorAll('*')) {
      for (const name of el.getAttributeNames()) {
        const lower = name.toLowerCase(), value = el.getAttribute(name) || '';
        if (lower.startsWith('on')) bad.push(`${where}: <${el.localName} ${name}>`);
        const local = lower.split(':').pop();
        if (!URL_ATTRIBUTES.has(local)) continue;
        for (const part of value.split(local === 'values' ? ';' : /(?!)/)) {
          // as a browser reads a URL: C0 controls and spaces around, tabs and newlines within
          const url = part.replace(/^[\\x00-\\x20]+|[\\x00-\\x20]+$/g, '')
            .replace(/[\\t\\n\\r]/g, '').toLowerCase();
          if (/^(javascript|vbscript|livescript):/.test(url) || (url.startsWith('data:')
              && !/^data:image\\/(png|jpe?g|gif|webp|avif|bmp)[;,]/.test(url))) {
            bad.push(`${where}: <${el.localName} ${name}="${part.slice(0, 60)}">`);
          }
        }
        if (local === 'src' || local === 'background' || local === 'poster') {
          try { named.push(new URL(value.trim(), doc.baseURI).href); } catch (e) {}
        }
      }
    }
    const root = doc === document ? document.querySelector(scope) : doc;
    for (const el of root ? root.querySelectorAll('*') : []) {
      const type = (el.getAttribute('type') || '').trim().toLowerCase();
      // The theme's own scripts, when markup the browser did not close takes them in.
      const theme = el.localName === 'script' && (el.id === '__config'
        || (el.src.startsWith(location.origin + '/') && el.src.includes('/assets/javascripts/'))
        || (el.textContent || '').startsWith('var target=document.getElementById(location.hash'));
      if (FOREIGN.has(el.localName) && !theme && !(el.localName === 'script'
          && INERT.has(type) && !el.hasAttribute('src'))) {
        bad.push(`${where}: <${el.localName}> brought in`);
      }
    }
    if (doc.baseURI !== (doc === document ? document.URL : document.baseURI)) {
      bad.push(`${where}: base URL ${doc.baseURI}`);  // a <base> moved every link
    }
  }
  const reached = [];
  for (const doc of documents) {
    for (const end of doc.querySelectorAll('kith-end')) reached.push(Number(end.dataset.vector));
  }
  return [bad, named, window.__kithCalls || [], reached];
}"""
# ``print`` and ``open`` show no dialog Playwright sees: each call is recorded instead.
TRAPS = """(() => {
  for (const name of ['print', 'open']) {
    window[name] = (...args) => {
      (window.top.__kithCalls = window.top.__kithCalls || []).push(name);
      return null;
    };
  }
})();"""


@dataclass
class Visit:
    """What one page did in the browser, beyond drawing itself."""

    url: str
    dialogs: list[str] = field(default_factory=list)
    navigations: list[str] = field(default_factory=list)
    outside: list[tuple[str, str]] = field(default_factory=list)
    """``(resource type, URL)`` of every request for another host, all refused."""
    popups: int = 0
    found: list[str] = field(default_factory=list)
    """What the DOM check found, and the calls the traps recorded."""
    named: set[str] = field(default_factory=set)
    """Image URLs the page's elements name (the only requests out allowed)."""
    reached: set[int] = field(default_factory=set)
    """The vectors whose ``END`` the browser read as an element."""

    def problems(self) -> list[str]:
        requests = [
            f"request out: {kind} {url}"
            for kind, url in self.outside
            if not (kind == "image" and url in self.named)
        ]
        return [
            *(f"dialog: {text}" for text in self.dialogs),
            *(f"navigated to {url}" for url in self.navigations),
            *requests,
            *(["a window opened"] if self.popups else []),
            *self.found,
        ]


@contextmanager
def opened(context: Any, url: str | None = None, content: str = "") -> Iterator[Visit]:
    """``url`` (or ``content``, set as a page) in a new page of ``context``, every request
    watched."""
    page = context.new_page()
    record = Visit(url or "about:blank")

    def on_dialog(dialog: Any) -> None:
        record.dialogs.append(f"{dialog.type} {dialog.message}")
        with suppress(PlaywrightError):  # another frame's dialog took its place
            dialog.dismiss()

    def on_request(route: Any) -> None:
        request = route.request
        if urlsplit(request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            record.outside.append((request.resource_type, request.url))
            route.abort()

    def on_navigated(frame: Any) -> None:
        if frame.url.split("#")[0] not in (record.url, "about:blank", "about:srcdoc"):
            record.navigations.append(frame.url)

    def on_popup(_: Any) -> None:
        record.popups += 1

    page.on("dialog", on_dialog)
    page.on("framenavigated", on_navigated)
    page.on("popup", on_popup)
    page.route("**/*", on_request)
    try:
        if url is not None:
            page.goto(url, wait_until="load")
        else:
            page.set_content(content, wait_until="load")
        page.wait_for_timeout(300)  # load, error, focus, toggle and animation events fire
        found, named, calls, reached = page.evaluate(DOM_CHECK, "article")
        record.found += [*found, *(f"{call}() called" for call in calls)]
        record.named, record.reached = set(named), set(reached)
        if page.url.split("#")[0] != record.url:
            record.navigations.append(page.url)
        yield record
    finally:
        page.close()


END = '<kith-end data-vector="{}"></kith-end>'
"""Written after each vector: where it is missing, the vector swallowed what followed."""
GROUP = 8
"""Vectors per document: a document each costs 40 ms apiece."""


def frames_page(fragments: list[tuple[int, str]], group: int, sandbox: bool) -> str:
    """One page of ``<iframe srcdoc>``, each a document of its own for ``group`` fragments,
    each fragment followed by its ``END``."""
    # A raw vector may move the page itself; a sandbox without top navigation stops that.
    attributes = ' sandbox="allow-scripts allow-modals allow-same-origin"' if sandbox else ""
    frames = []
    for start in range(0, len(fragments), group):
        batch = fragments[start : start + group]
        body = "".join(fragment + END.format(index) for index, fragment in batch)
        label = ",".join(str(index) for index, _ in batch)
        source = html.escape(f"<!doctype html><body>{body}</body>", quote=True)
        frames.append(f'<iframe data-vector="{label}"{attributes} srcdoc="{source}"></iframe>')
    return f"<!doctype html><style>iframe{{width:160px;height:40px}}</style>{''.join(frames)}"


def judged(context: Any, fragments: list[tuple[int, str]], sandbox: bool = False) -> list[Visit]:
    """The fragments in the browser, ``GROUP`` to a document; then those that swallowed
    what followed them (an unclosed ``<textarea>``), and what they swallowed, one each."""
    with opened(context, content=frames_page(fragments, GROUP, sandbox)) as batched:
        pass
    swallowed = [(index, f) for index, f in fragments if index not in batched.reached]
    if not swallowed:
        return [batched]
    with opened(context, content=frames_page(swallowed, 1, sandbox)) as alone:
        pass
    return [batched, alone]


# Without a browser -------------------------------------------------------------------


def test_the_corpus_is_what_its_sources_say() -> None:
    sources = (CORPUS / "SOURCES.md").read_text(encoding="utf-8")
    counts: dict[str, int] = {}
    for vector in VECTORS:
        counts[vector.source] = counts.get(vector.source, 0) + 1
    for source, count in counts.items():
        assert f"`{source}.json`" in sources and f"{count} payloads" in sources, source
    assert len(VECTORS) >= 300


@pytest.mark.parametrize("vector", VECTORS, ids=lambda v: f"{v.source}-{v.index}")
def test_every_vector_is_sanitized_once_and_for_all(vector: Vector) -> None:
    """No vector makes the sanitizer fail (a traceback is a page that never builds), and
    cleaning what it returned changes nothing."""
    cleaned = sanitize(vector.payload)
    assert sanitize(cleaned) == cleaned


# The sanitizer alone, in the browser ---------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """A browser context (one for all pages: a new one costs half a second), its
    ``print`` and ``open`` trapped."""
    with chromium() as launched:
        context = launched.new_context()
        context.add_init_script(TRAPS)
        try:
            yield context
        finally:
            context.close()


@needs_chromium
def test_no_sanitized_vector_runs_leaves_or_moves(browser: Any) -> None:
    visits = judged(browser, [(v.index, sanitize(v.payload)) for v in VECTORS])
    assert [problem for visit in visits for problem in visit.problems()] == []


@needs_chromium
def test_the_raw_vectors_are_caught(browser: Any) -> None:
    """The harness can fail: unsanitized, a third of the corpus opens dialogs, leaves
    handlers in the DOM and asks other hosts for scripts."""
    visits = judged(browser, [(v.index, v.payload) for v in VECTORS[::3]], sandbox=True)
    assert len([d for visit in visits for d in visit.dialogs]) >= 5
    assert len([f for visit in visits for f in visit.found]) >= 50
    assert any(kind == "script" for visit in visits for kind, _ in visit.outside)


# In a built site -------------------------------------------------------------------------


SITE_VECTORS = VECTORS
"""Every vector: ``<![`` with no keyword, on which Python's ``html.parser`` raises (in
MkDocs' own scan of raw HTML for ids, too), builds a page (``plugin/converter.py``)."""
NOTE_PAGES = 4
"""Person pages holding the vectors in their notes, as HTML and as wikilink labels."""


def _chunks() -> list[list[Vector]]:
    size = -(-len(SITE_VECTORS) // NOTE_PAGES)
    return [SITE_VECTORS[start : start + size] for start in range(0, len(SITE_VECTORS), size)]


def corpus_people() -> dict[str, str]:
    """The corpus as people: ``Notes k`` write it in their notes, as HTML and as the labels
    of wikilinks; ``Field i`` has vector i as company, how they met, an open promise and a
    recent call."""
    people: dict[str, str] = {}
    for number, chunk in enumerate(_chunks()):
        notes = "".join(f"{END.format(v.index)}\n\n{v.payload}\n\n" for v in chunk)
        labels = "".join(f"[[Field {v.index}|{v.line}]]\n\n" for v in chunk)
        people[f"Notes {number}.md"] = f"# Notes {number}\n\n{notes}## Labels\n\n{labels}"
    for v in SITE_VECTORS:
        value = json.dumps(v.line)  # JSON is YAML: escapes included
        people[f"Field {v.index}.md"] = (
            f"---\ncompany: {value}\nhow_met: {value}\ntier: core\nmet: 2025-01-01\n---\n"
            f"# Field {v.index}\n\n## Log\n\n"
            f"- [ ] 2026-01-02 gave: {END.format(v.index)} {v.line}\n"
            f"- 2026-11-{1 + v.index % 20:02d} call: {END.format(v.index)} {v.line}\n"
        )
    return people


@pytest.fixture(scope="module")
def corpus_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The corpus built into a site (without --strict: a vector's ``[[`` links nowhere)."""
    root = write_project(tmp_path_factory.mktemp("xss"), corpus_people())
    return build(root, strict=False)


@pytest.fixture(scope="module")
def base_url(corpus_site: Path) -> Iterator[str]:
    with serve(corpus_site) as url:
        yield url


GENERATED = ["", "follow-ups/", "favors/", "people/", "companies/", "diversity/"]
"""Home and the generated pages that show log lines, companies or how people met."""
FIELD_SAMPLE = 3
"""Person pages of ``Field i`` opened (each shows one vector in its card and its log)."""


def corpus_pages() -> list[str]:
    notes = [f"people/notes-{n}/" for n in range(NOTE_PAGES)]
    fields = [
        f"people/field-{v.index}/" for v in SITE_VECTORS[:: len(SITE_VECTORS) // FIELD_SAMPLE]
    ]
    return [*GENERATED, *notes, *fields]


@needs_chromium
def test_no_vector_runs_leaves_or_moves_on_the_site(browser: Any, base_url: str) -> None:
    problems: dict[str, list[str]] = {}
    reached: set[int] = set()
    for url in corpus_pages():
        with opened(browser, base_url + url) as page:
            if page.problems():
                problems[url] = page.problems()
            reached |= page.reached
    assert problems == {}
    # Every vector was read by the browser: none hid the ones after it.
    assert reached == {v.index for v in SITE_VECTORS}
    assert len(SITE_VECTORS) >= len(VECTORS) - 1
