"""Where MkDocs writes kith's pages and how its navigation lists them."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from kith.core.model import Contact, Note
from kith.pages.registry import HOME, PAGES, PageSpec
from kith.reading.slugs import slugify

Opaque = Callable[[str], str]
"""A page's source path → an address that says nothing of it (the encrypted build)."""


def person_dest(contact: Contact, directory_urls: bool, opaque: Opaque | None = None) -> str:
    """Where a person's page is written: ``people/<slug>/index.html``."""
    slug = opaque(contact.src_uri) if opaque else contact.slug
    return f"people/{slug}/index.html" if directory_urls else f"people/{slug}.html"


def note_dest(note: Note, directory_urls: bool, opaque: Opaque | None = None) -> str:
    """Where a journal note's page is written: ``journal/<slug>/index.html``."""
    slug = slugify(note.src_uri.removeprefix("journal/").removesuffix(".md")) or "note"
    slug = opaque(note.src_uri) if opaque else slug
    return f"journal/{slug}/index.html" if directory_urls else f"journal/{slug}.html"


def page_dest(spec: PageSpec, directory_urls: bool, user_home: bool) -> str:
    """Where a generated page is written; Home is the site root unless the user has one."""
    key = "dashboard" if spec is HOME and user_home else spec.key
    if spec is HOME and not user_home:
        return "index.html"
    return f"{key}/index.html" if directory_urls else f"{key}.html"


def nav_title(spec: PageSpec, user_home: bool) -> str:
    """A generated page's title in kith's navigation: Home is the Dashboard beside the
    user's own home page."""
    return "Dashboard" if spec is HOME and user_home else spec.title


def navigation(home: str | None) -> list[Any]:
    """The generated pages, grouped: every page of the site renders the navigation.
    ``home``: the user's own home page (``index.md`` or ``README.md``), if any."""
    user_home = home is not None
    nav: list[Any] = [{"Welcome": home}] if user_home else []
    sections: dict[str, list[Any]] = {}
    for spec in PAGES:
        title = nav_title(spec, user_home)
        if not spec.section:
            nav.append({title: spec.src_uri})
            continue
        if spec.section not in sections:
            sections[spec.section] = []
            nav.append({spec.section: sections[spec.section]})
        sections[spec.section].append({title: spec.src_uri})
    return nav


def relative_src(target: str, here: str) -> str:
    """A link MkDocs turns into the page's address; quoted, as a file may be named
    ``What? 100% Sure.md``."""
    if "/" not in here:  # a page at the top of the folder, as most person pages are
        return quote(target)
    return quote(os.path.relpath(target, os.path.dirname(here) or ".").replace(os.sep, "/"))
