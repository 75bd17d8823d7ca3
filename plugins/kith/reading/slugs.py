"""The slugs of person pages: one per file, made from its name, unique in the network."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import replace

from kith.core.model import Contact


def file_slug(src_uri: str) -> str:
    """The slug a file's person page has when no other file's takes it first."""
    return slugify(file_stem(src_uri)) or "person"


def with_slugs(contacts: Iterable[Contact], bases: dict[str, str]) -> list[Contact]:
    """Each contact with a unique page slug made from its file name (sorted by file); a
    contact made again only when its slug is not already the right one.

    Published people take their slugs first: a private namesake must not push a public
    person's address to ``-2``, which would tell that someone of that name exists.
    """
    ordered = sorted(contacts, key=lambda c: c.src_uri)
    first = sorted(ordered, key=lambda c: (not c.publish, c.src_uri))
    slugs = dict(
        zip(
            (c.src_uri for c in first),
            _unique_slugs((c.src_uri for c in first), bases),
            strict=True,
        )
    )
    return [c if c.slug == slugs[c.src_uri] else replace(c, slug=slugs[c.src_uri]) for c in ordered]


def first_slugs(src_uris: list[str], bases: dict[str, str]) -> list[str]:
    """The slug of each file (in the given order) if every one of them makes a contact."""
    order = sorted(range(len(src_uris)), key=src_uris.__getitem__)
    slugs = [""] * len(src_uris)
    for index, slug in zip(order, _unique_slugs((src_uris[i] for i in order), bases), strict=True):
        slugs[index] = slug
    return slugs


def _unique_slugs(src_uris: Iterable[str], bases: dict[str, str]) -> Iterator[str]:
    """Slugs of files taken in order: the file name's slug, else the first free ``-2``, ``-3``...

    ``bases`` keeps each file name's slug, so that it is made once per load.
    """
    used: set[str] = set()
    tried: dict[str, int] = {}  # base → next number to try: the lower ones are all taken
    for src_uri in src_uris:
        base = bases.get(src_uri)
        if base is None:
            base = bases[src_uri] = slugify(file_stem(src_uri)) or "person"
        slug, number = base, tried.get(base, 2)
        while slug in used:
            slug, number = f"{base}-{number}", number + 1
        tried[base] = number
        used.add(slug)
        yield slug


_NOT_WORD = re.compile(r"[^\w]+")


def slugify(text: str) -> str:
    """Lower-case words joined by ``-``; accents dropped, other scripts kept."""
    if text.isascii():  # nothing to decompose, no accent to drop
        plain = text
    else:
        decomposed = unicodedata.normalize("NFKD", text)
        plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NOT_WORD.sub("-", plain.lower()).strip("-_")


def file_stem(src_uri: str) -> str:
    return src_uri.rsplit("/", 1)[-1].removesuffix(".md")
