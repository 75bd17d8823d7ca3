"""The demo site in a real browser: what a person sees, and that it works offline.

Chromium (Debian's ``/usr/bin/chromium``) driven by Playwright opens the built
demo served on 127.0.0.1. The generated pages are whatever the page registry
holds and the navigation links to, so new pages are covered as they land.
Screenshots go to ``test-artifacts/``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from kith.core.model import Contact
from kith.pages.registry import PAGES
from kith.plugin.addresses import page_dest
from kith.reading.load import load

from .browser import ARTIFACTS, box_area, chromium, needs_chromium, open_search, serve, visit
from .browser import toggle_palette as switch_palette

pytestmark = needs_chromium

GENERATED = {spec.key: page_dest(spec, True, False).removesuffix("index.html") for spec in PAGES}
"""Page key → URL relative to the site root (Home is the root)."""
SCREENSHOTS = ("home", "follow-ups", "diversity", "favors", "graph")
CHARTS = {
    "diversity": 'article svg[role="img"]',  # the industry mix, the page's first chart
    "graph": 'article svg[role="img"]',
}
PERSON_SAMPLE = 10


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


@pytest.fixture(scope="module")
def base_url(demo_site: Path) -> Iterator[str]:
    with serve(demo_site) as url:
        yield url


@pytest.fixture(scope="module")
def demo_people(demo_site: Path) -> list[Contact]:
    network = load(demo_site.parent / "people")
    return sorted(network.published, key=lambda c: c.name)


def person_urls(site: Path) -> list[str]:
    """An even sample of the person pages of the built site."""
    urls = sorted(f"people/{p.parent.name}/" for p in (site / "people").glob("*/index.html"))
    step = max(1, len(urls) // PERSON_SAMPLE)
    return urls[::step]


def test_navigation_links_every_generated_page(browser: Any, base_url: str) -> None:
    """Every generated page is a tab, or a link in the section a tab opens."""
    nav: set[str] = set()
    with visit(browser, base_url) as home:
        tabs = home.page.evaluate(
            "[...document.querySelectorAll('.md-tabs__link')].map(a => a.href)"
        )
    for tab in tabs:
        with visit(browser, tab.split("#")[0]) as opened:
            nav.update(
                opened.page.evaluate(
                    "[...document.querySelectorAll('.md-tabs__link, "
                    "nav.md-nav--primary a.md-nav__link')].map(a => a.href.split('#')[0])"
                )
            )
    missing = sorted(key for key, url in GENERATED.items() if base_url + url not in nav)
    assert not missing, f"pages in no navigation link: {missing}"


def test_every_generated_page_loads_cleanly(browser: Any, base_url: str) -> None:
    problems: dict[str, list[str]] = {}
    for key, url in GENERATED.items():
        with visit(browser, base_url + url) as page:
            found = page.problems()
            if not page.page.locator("article h1").first.is_visible():
                found.append("no visible h1 in the article")
            if found:
                problems[key] = found
    assert not problems, problems


def test_sampled_person_pages_load_cleanly(browser: Any, base_url: str, demo_site: Path) -> None:
    urls = person_urls(demo_site)
    assert len(urls) >= 5, urls
    problems: dict[str, list[str]] = {}
    for url in urls:
        with visit(browser, base_url + url) as page:
            found = page.problems()
            if page.page.locator(".kith-card").count() != 1:
                found.append("no header card")
            if found:
                problems[url] = found
    assert not problems, problems


def test_clicking_through_the_tabs_reaches_every_generated_page(
    browser: Any, base_url: str
) -> None:
    """With instant navigation, as a person clicks: a tab, then (in a section) the page's
    link in the sidebar, opens the page and its title."""
    sections = {spec.key: spec.section for spec in PAGES}
    with visit(browser, base_url) as home:
        page = home.page
        for key, url in GENERATED.items():
            tabs = page.evaluate(
                "[...document.querySelectorAll('.md-tabs__link')].map(a => a.href)"
            )
            titles = page.evaluate(
                "[...document.querySelectorAll('.md-tabs__link')].map(a => a.textContent.trim())"
            )
            if sections[key]:
                assert sections[key] in titles, f"no tab for the {sections[key]} section"
                page.locator(".md-tabs__link").nth(titles.index(sections[key])).click()
                page.wait_for_load_state()
                link = page.locator(f'nav.md-nav--primary a.md-nav__link[href$="{url}"]').first
                link.click()
            else:
                assert base_url + url in tabs, f"no tab for {key}"
                page.locator(".md-tabs__link").nth(tabs.index(base_url + url)).click()
            page.wait_for_url(base_url + url)
            assert page.locator("article h1").first.is_visible(), key
        assert home.problems() == []


def test_no_request_leaves_the_machine(browser: Any, base_url: str, demo_site: Path) -> None:
    """Every request of every generated page and sampled person page goes to 127.0.0.1."""
    seen: list[str] = []
    external: list[str] = []
    for url in [*GENERATED.values(), *person_urls(demo_site)]:
        with visit(browser, base_url + url) as page:
            seen.extend(page.requests)
            external.extend(page.external())
    assert external == []
    # The record is real: the theme's script, style and the search index were fetched.
    assert any(u.endswith(".js") for u in seen)
    assert any(u.endswith(".css") for u in seen)
    assert any(u.endswith("search_index.json") for u in seen)


def test_search_finds_a_person_by_name(
    browser: Any, base_url: str, demo_people: list[Contact]
) -> None:
    person = demo_people[len(demo_people) // 2]
    with visit(browser, base_url) as home:
        results = open_search(home.page, person.name)
        assert person.name in results
        assert home.problems() == []


def test_search_finds_a_person_by_company(
    browser: Any, base_url: str, demo_people: list[Contact]
) -> None:
    companies = Counter(c.company for c in demo_people if c.company)
    person = next(c for c in demo_people if c.company and companies[c.company] == 1)
    with visit(browser, base_url) as home:
        results = open_search(home.page, person.company)
        assert person.name in results, f"searching {person.company!r}"
        assert home.problems() == []


@pytest.mark.parametrize("key", sorted(CHARTS))
def test_chart_is_visible_in_light_and_dark(browser: Any, base_url: str, key: str) -> None:
    if key not in GENERATED:
        pytest.skip(f"there is no {key} page yet")
    selector = CHARTS[key]
    with visit(browser, base_url + GENERATED[key]) as light:
        page = light.page
        assert page.evaluate("document.body.dataset.mdColorScheme") == "default"
        assert box_area(page, selector) > 10_000
        assert switch_palette(page) == "slate"
        assert box_area(page, selector) > 10_000
        assert light.problems() == []
    # A reader whose system is dark gets the dark palette straight away.
    with visit(browser, base_url + GENERATED[key], color_scheme="dark") as dark:
        assert dark.page.evaluate("document.body.dataset.mdColorScheme") == "slate"
        assert box_area(dark.page, selector) > 10_000


@pytest.mark.parametrize("key", SCREENSHOTS)
def test_screenshot(browser: Any, base_url: str, key: str) -> None:
    """Saves ``test-artifacts/<page>-light.png`` and ``-dark.png`` for a person to look at."""
    if key not in GENERATED:
        pytest.skip(f"there is no {key} page yet")
    ARTIFACTS.mkdir(exist_ok=True)
    for scheme in ("light", "dark"):
        target = ARTIFACTS / f"{key}-{scheme}.png"
        target.unlink(missing_ok=True)
        with visit(browser, base_url + GENERATED[key], color_scheme=scheme) as page:
            page.page.screenshot(path=str(target), full_page=True)
        assert target.stat().st_size > 10_000, target
