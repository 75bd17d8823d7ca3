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

Zdicts = dict[bool, bytes]
"""What pages are packed against, by kind (a generated page or not)."""


def pack(text: str, zdicts: Zdicts, kind: bool) -> bytes:
    """``text`` compressed; the first text of its ``kind`` becomes the dictionary."""
    data = text.encode("utf-8", "surrogatepass")
    zdict = zdicts.setdefault(kind, data[-(1 << -WINDOW) :])
    packer = zlib.compressobj(1, zlib.DEFLATED, WINDOW, zdict=zdict)
    return packer.compress(data) + packer.flush()


def unpack(packed: bytes, zdict: bytes) -> str:
    unpacker = zlib.decompressobj(WINDOW, zdict=zdict)
    return (unpacker.decompress(packed) + unpacker.flush()).decode("utf-8", "surrogatepass")


def pack_data(value: Any) -> bytes:
    """Plain data (dicts, lists, strings, as a search index's entries) compressed."""
    return zlib.compress(pickle.dumps(value, pickle.HIGHEST_PROTOCOL), 1)


def unpack_data(packed: bytes) -> Any:
    """What ``pack_data`` packed (only ever what this process packed itself)."""
    return pickle.loads(zlib.decompress(packed))
