"""Where MkDocs writes kith's pages: output paths, under either URL style."""

from __future__ import annotations

from kith.core.model import Contact, Note
from kith.pages.registry import HOME, PageSpec
from kith.reading.load import slugify


def person_dest(contact: Contact, directory_urls: bool) -> str:
    """Where a person's page is written: ``people/<slug>/index.html``."""
    return f"people/{contact.slug}/index.html" if directory_urls else f"people/{contact.slug}.html"


def note_dest(note: Note, directory_urls: bool) -> str:
    """Where a journal note's page is written: ``journal/<slug>/index.html``."""
    slug = slugify(note.src_uri.removeprefix("journal/").removesuffix(".md")) or "note"
    return f"journal/{slug}/index.html" if directory_urls else f"journal/{slug}.html"


def page_dest(spec: PageSpec, directory_urls: bool, user_home: bool) -> str:
    """Where a generated page is written; Home is the site root unless the user has one."""
    key = "dashboard" if spec is HOME and user_home else spec.key
    if spec is HOME and not user_home:
        return "index.html"
    return f"{key}/index.html" if directory_urls else f"{key}.html"
