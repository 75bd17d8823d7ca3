"""Text held compressed between builds and between drawing a page and writing it.

At 10,000 people the HTML of the person pages is some 45 MB, and a serve
session holds the last build's while the next one runs. Raw deflate against a
dictionary (the first page of a kind: the others share its markup) brings a
person page to about 500 bytes. The dictionary a serve session packs with is
kept by the session, so what one build packed the next unpacks, or keeps as it is.
"""

from __future__ import annotations

import pickle
import zlib
from typing import Any

WINDOW = -13
"""Raw deflate with an 8 KiB window: a page and the markup it shares with the first
one fit, and the packer sets up in less time than the default 32 KiB one."""

Zdicts = dict[str | bool, bytes]
"""What texts are packed against, by kind: a page (generated or not: ``True``,
``False``) or ``DATA``."""
DATA = "data"
TOC = "toc"
"""A page's table of contents (MkDocs' objects, some 800 bytes a person page)."""


def pack(text: str, zdicts: Zdicts, kind: str | bool) -> bytes:
    """``text`` compressed; the first text of its ``kind`` becomes the dictionary."""
    return _deflate(text.encode("utf-8", "surrogatepass"), zdicts, kind)


def unpack(packed: bytes, zdict: bytes) -> str:
    return _inflate(packed, zdict).decode("utf-8", "surrogatepass")


def pack_data(value: Any, zdicts: Zdicts | None = None, kind: str = DATA) -> bytes:
    """Plain data (dicts, lists, strings, as a search index's entries) compressed, against
    the first data of its ``kind`` packed with ``zdicts`` when given."""
    data = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
    return zlib.compress(data, 1) if zdicts is None else _deflate(data, zdicts, kind)


def unpack_data(packed: bytes, zdicts: Zdicts | None = None, kind: str = DATA) -> Any:
    """What ``pack_data`` packed (only ever what this process packed itself)."""
    data = zlib.decompress(packed) if zdicts is None else _inflate(packed, zdicts[kind])
    return pickle.loads(data)


def _deflate(data: bytes, zdicts: Zdicts, kind: str | bool) -> bytes:
    zdict = zdicts.setdefault(kind, data[-(1 << -WINDOW) :])
    packer = zlib.compressobj(1, zlib.DEFLATED, WINDOW, zdict=zdict)
    return packer.compress(data) + packer.flush()


def _inflate(packed: bytes, zdict: bytes) -> bytes:
    unpacker = zlib.decompressobj(WINDOW, zdict=zdict)
    return unpacker.decompress(packed) + unpacker.flush()
