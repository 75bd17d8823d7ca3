"""Search without accents: "kruger" finds Krüger, "wisniewski" finds Wiśniewski, and
"Krüger" typed as written still finds Krüger, in the built site's search box; the
results show the names as written."""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from kith.plugin.search import FOLDED, fold_docs, folded, folded_words

from .browser import Visit, chromium, needs_chromium, serve, visit
from .conftest import build, write_project

SEPARATOR = re.compile(r"[\s\-]+")  # Material's for English


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("Krüger", "kruger"),
        ("Wiśniewski", "wisniewski"),
        ("García", "garcia"),
        ("Łukasz", "lukasz"),
        ("Søren", "soren"),
        ("Straße", "strasse"),
        ("Æbelø", "aebelo"),
        ("Œuvre", "oeuvre"),
        ("Đorđe", "dorde"),
        ("Yıldız", "yildiz"),
        ("İstanbul", "istanbul"),
        ("Nguyễn", "nguyen"),
        ("Kru\u0308ger", "kruger"),  # typed with a combining mark
        ("ﬁne", "fine"),  # a ligature
    ],
)
def test_a_word_without_its_accents(word: str, expected: str) -> None:
    assert folded(word) == expected


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("Anna Krüger", ["kruger"]),
        ("<p>Met Łukasz (García), then Søren’s friend.</p>", ["lukasz", "garcia", "soren"]),
        ("Krüger/Wiśniewski", ["kruger/wisniewski", "kruger", "wisniewski"]),
        ("Anna Krüger and Krüger, again", ["kruger"]),
        ("Anna Kru\u0308ger", ["kruger"]),  # decomposed: u and a combining diaeresis
        ("Jean-Hervé", ["herve"]),  # the separator splits at the hyphen, as the browser does
        ("<p>Plain “quoted” words — 10€</p>", []),  # no accented letter
        ("Ελένη Дмитрий 日本", []),  # would lose letters, not accents
    ],
)
def test_the_words_of_a_text_that_fold(html: str, expected: list[str]) -> None:
    assert folded_words(html, SEPARATOR) == expected


def test_folded_words_get_fields_of_their_own_weighted_as_their_source() -> None:
    docs: list[dict[str, Any]] = [
        {"location": "people/anna-kruger/", "title": "Anna Krüger", "text": "<p>From Zürich.</p>"},
        {"location": "people/bob/", "title": "Bob", "text": "<p>Plain.</p>"},
    ]
    config: dict[str, Any] = {
        "separator": r"[\s\-]+",
        "fields": {"title": {"boost": 1000.0}, "text": {"boost": 1.0}, "tags": {"boost": 1e6}},
    }
    assert fold_docs(docs, config)
    assert docs == [
        {
            "location": "people/anna-kruger/",
            "title": "Anna Krüger",  # shown in the results as written
            "text": "<p>From Zürich.</p>",
            FOLDED["title"]: "kruger",
            FOLDED["text"]: "zurich",
        },
        {"location": "people/bob/", "title": "Bob", "text": "<p>Plain.</p>"},
    ]
    assert config["fields"][FOLDED["title"]] == {"boost": 1000.0}
    assert config["fields"][FOLDED["text"]] == {"boost": 1.0}


def test_an_index_without_accents_is_left_as_it_is() -> None:
    docs: list[dict[str, Any]] = [{"location": "a/", "title": "Bob — the “one”", "text": ""}]
    config: dict[str, Any] = {"fields": {"title": {"boost": 1000.0}}}
    assert not fold_docs(docs, config)
    assert docs == [{"location": "a/", "title": "Bob — the “one”", "text": ""}]
    assert config == {"fields": {"title": {"boost": 1000.0}}}


NAMES = [
    "Anna Krüger",
    "Tomasz Wiśniewski",
    "Lucía García",
    "Łukasz Nowak",
    "Søren Ørsted",
    "Greta Straße",
]
PEOPLE = {
    **{
        f"{name}.md": f"---\nname: {name}\ncompany: Acme\n---\n\nMet at a meetup.\n"
        for name in NAMES
    },
    # Mentions Anna in a note: found by "kruger" too, but after Anna herself.
    "Hannah Vogel.md": "---\nname: Hannah Vogel\n---\n\nIntroduced me to Anna Krüger.\n",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(write_project(tmp_path_factory.mktemp("accents"), PEOPLE))


def test_the_built_index_holds_the_names_as_written_and_folded(site: Path) -> None:
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    by_title = {doc["title"]: doc for doc in index["docs"]}
    assert by_title["Anna Krüger"][FOLDED["title"]] == "kruger"
    assert by_title["Greta Straße"][FOLDED["title"]] == "strasse"
    assert by_title["Hannah Vogel"][FOLDED["text"]] == "kruger"
    fields = index["config"]["fields"]
    assert fields[FOLDED["title"]] == fields["title"]


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    with serve(site) as url:
        yield url


@pytest.fixture(scope="module")
def home(site: Path) -> Iterator[Visit]:
    """Home, open in Chromium for the whole module: each test types a new query."""
    with serve(site) as url, chromium() as browser, visit(browser, url) as opened:
        yield opened


def search_for(page: Any, query: str, expected: str) -> list[str]:
    """Type ``query`` into Material's search box in place of what it held; the titles
    of the results once the first is ``expected`` (or after 10 s)."""
    box = page.locator("input.md-search__input")
    if not box.is_visible():
        page.keyboard.press("/")  # Material's shortcut for the search box
    box.fill("")
    box.press_sequentially(query, delay=20)
    titles = ".md-search-result__item h1"
    from playwright.sync_api import TimeoutError as Timeout

    with contextlib.suppress(Timeout):  # the test's assertion says what showed instead
        page.wait_for_function(
            "([selector, name]) => document.querySelector(selector)?.innerText === name",
            arg=[titles, expected],
            timeout=10_000,
        )
    return list(page.locator(titles).all_inner_texts())


@needs_chromium
@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("kruger", "Anna Krüger"),  # before Hannah, whose note mentions her
        ("Krüger", "Anna Krüger"),
        ("wisniewski", "Tomasz Wiśniewski"),
        ("wisn", "Tomasz Wiśniewski"),  # as you type
        ("Wiśniewski", "Tomasz Wiśniewski"),
        ("garcia", "Lucía García"),
        ("lukasz", "Łukasz Nowak"),
        ("Łukasz", "Łukasz Nowak"),
        ("soren orsted", "Søren Ørsted"),
        ("strasse", "Greta Straße"),
    ],
)
def test_the_search_box_finds_a_name_typed_with_or_without_accents(
    home: Visit, query: str, name: str
) -> None:
    titles = search_for(home.page, query, name)
    assert titles[:1] == [name], f"searching {query!r}: {titles}"
    if query == "kruger":  # a note's words are found without accents too
        assert "Hannah Vogel" in titles
    results = str(home.page.locator(".md-search-result").inner_text()).lower()
    for word in query.lower().split():  # the results show the names as written
        if word.isascii():
            assert word not in results, f"searching {query!r}: {results}"
    assert home.problems() == []
