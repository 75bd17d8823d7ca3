"""What the search index reads of a person page, and what the theme draws of it."""

from __future__ import annotations

import re

from kith.plugin.page import KithPage, search_text
from kith.serve.session import Drawn

_SEARCH_ATTRIBUTE = re.compile(r'\s?data-search-\w+="[^"]+"')


def show_to_search(page: KithPage, drawn: Drawn | None) -> None:
    """Before the search plugin indexes the page: its words and headings without the
    card's and timeline's layout, worked out once per drawn page."""
    content = page.content
    if not content:
        return
    if drawn is not None and drawn.content is content:
        if drawn.search is None:
            drawn.search = search_text(content)
        page.show(drawn.search)
    else:
        page.show(search_text(content))


def show_to_theme(page: KithPage) -> None:
    """After the search plugin: the page as drawn, without the marks meant for search."""
    page.show(None)
    content = page.content
    if content and "data-search-" in content:
        page.content = _SEARCH_ATTRIBUTE.sub("", content)
