"""A real browser for the tests: Chromium driven by Playwright, and a local web server.

Every page is opened in a fresh browser context that records what a person
would not see but should care about: console messages, failed and external
requests, script errors and dialogs (``alert``).
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from .conftest import REPO

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = REPO / "test-artifacts"
"""Screenshots land here (git-ignored)."""
VIEWPORT = {"width": 1280, "height": 900}
"""Wide enough for Material's navigation tabs."""
PHONE = {"width": 390, "height": 844}
"""A phone held upright (an iPhone 12 to 15): the narrowest screen the site is made for."""
SERIOUS = ("serious", "critical")
"""The axe-core impacts a page must not have."""

needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason=f"no Chromium at {CHROMIUM}: install the 'chromium' package (.ci/run does) "
    "to run the browser tests",
)


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve(site: Path) -> Iterator[str]:
    """Serve ``site`` on 127.0.0.1 on a free port; yields the base URL (ending in ``/``)."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless Chromium (Debian's), closed afterwards."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Visit:
    """A page open in its own browser context, and everything it did."""

    page: Any
    requests: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    loaded: set[str] = field(default_factory=set)
    """URLs that loaded at least once."""
    console: list[tuple[str, str]] = field(default_factory=list)
    """``(type, text)`` of every console message."""
    errors: list[str] = field(default_factory=list)
    """Uncaught script errors."""
    dialogs: list[str] = field(default_factory=list)
    """``alert``/``confirm``/``prompt`` messages: each one is a script that ran."""

    def external(self) -> list[str]:
        """Requests that left 127.0.0.1 (the site must work offline)."""
        return [
            url
            for url in self.requests
            if urlsplit(url).scheme not in ("data", "blob", "about")
            and urlsplit(url).hostname != "127.0.0.1"
        ]

    def broken(self) -> list[str]:
        """Failed requests, except those the page itself cancelled by moving on (instant
        navigation aborts a favicon or a page half-loaded) for a URL that did load."""
        return [
            failure
            for failure in self.failed
            if not (failure.endswith("net::ERR_ABORTED") and failure.split()[0] in self.loaded)
        ]

    def console_errors(self) -> list[str]:
        return [text for kind, text in self.console if kind == "error"]

    def problems(self) -> list[str]:
        """What a clean page must not have: console errors, failed or external requests."""
        return [
            *(f"console error: {text}" for text in self.console_errors()),
            *(f"failed request: {url}" for url in self.broken()),
            *(f"external request: {url}" for url in self.external()),
            *(f"script error: {text}" for text in self.errors),
            *(f"dialog: {text}" for text in self.dialogs),
        ]


@contextmanager
def visit(browser: Any, url: str, color_scheme: str = "light") -> Iterator[Visit]:
    """Open ``url`` in a fresh context and wait until the network is idle."""
    context = browser.new_context(viewport=VIEWPORT, color_scheme=color_scheme)
    page = context.new_page()
    record = Visit(page)

    def on_dialog(dialog: Any) -> None:
        record.dialogs.append(dialog.message)
        dialog.dismiss()

    context.on("request", lambda request: record.requests.append(request.url))

    def on_finished(request: Any) -> None:
        response = request.response()
        if response is not None and response.ok:
            record.loaded.add(request.url)

    context.on("requestfinished", on_finished)
    context.on(
        "requestfailed", lambda request: record.failed.append(f"{request.url} {request.failure}")
    )
    page.on(
        "console",
        lambda message: record.console.append(
            (message.type, f"{message.text} ({message.location.get('url', '')})")
        ),
    )
    page.on("pageerror", lambda error: record.errors.append(str(error)))
    page.on("dialog", on_dialog)
    try:
        page.goto(url, wait_until="networkidle")
        yield record
    finally:
        context.close()


def open_search(page: Any, query: str) -> str:
    """Type ``query`` into Material's search box; the text of the results once they show."""
    page.keyboard.press("/")  # Material's shortcut for the search box
    page.locator("input.md-search__input").press_sequentially(query, delay=20)
    page.locator(".md-search-result__item").first.wait_for(state="visible", timeout=15_000)
    return str(page.locator(".md-search-result").inner_text())


def toggle_palette(page: Any) -> str:
    """Click Material's light/dark switch; the colour scheme now shown (``slate`` is dark)."""
    before = page.evaluate("document.body.dataset.mdColorScheme")
    page.locator("form[data-md-component=palette] label:visible").first.click()
    page.wait_for_function(
        "before => document.body.dataset.mdColorScheme !== before", arg=before, timeout=10_000
    )
    return str(page.evaluate("document.body.dataset.mdColorScheme"))


def box_area(page: Any, selector: str) -> float:
    """Area in CSS pixels of the first element matching ``selector`` (0 if hidden)."""
    locator = page.locator(selector).first
    locator.scroll_into_view_if_needed()
    box = locator.bounding_box()
    return 0.0 if box is None else float(box["width"] * box["height"])


def sideways_overflow(page: Any) -> int:
    """How many CSS pixels the page scrolls sideways (0: it fits the window's width)."""
    return int(page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth"))


def widest_elements(page: Any, count: int = 3) -> list[str]:
    """The elements reaching furthest past the window's right edge, for a failure message."""
    return list(
        page.evaluate(
            """count => [...document.querySelectorAll('body *')]
                .map(e => [e, e.getBoundingClientRect().right])
                .filter(([e, right]) => right > window.innerWidth + 1)
                .sort((a, b) => b[1] - a[1]).slice(0, count)
                .map(([e, right]) => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')}`
                    + ` ends at ${Math.round(right)}px`)""",
            count,
        )
    )


@functools.cache
def axe_script() -> str:
    """axe-core's script, as the axe-playwright-python package ships it (no download)."""
    from axe_playwright_python.base import AXE_SCRIPT

    return str(AXE_SCRIPT)


def axe_violations(page: Any, impacts: tuple[str, ...] = SERIOUS) -> list[str]:
    """axe-core's violations of ``impacts`` on the page open in ``page``, one line each:
    the rule, its impact, and the first elements that break it with axe's reason."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(axe_script())
    violations = page.evaluate(
        "impacts => axe.run(document, {resultTypes: ['violations']})"
        ".then(r => r.violations.filter(v => impacts.includes(v.impact)))",
        list(impacts),
    )
    return [
        f"{v['id']} ({v['impact']}, {len(v['nodes'])} elements): "
        + "; ".join(
            f"{' '.join(node['target'])}: {node.get('failureSummary', '').splitlines()[-1].strip()}"
            for node in v["nodes"][:3]
        )
        for v in violations
    ]
