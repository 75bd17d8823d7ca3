"""Names as kith compares them, and file names made from people's names: safe on every
system, inside the folder, unique.

A name from an import is data: it may hold slashes, ``..``, control or
right-to-left override characters, or differ from another only by case. The
file name made from it can do none of that harm.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from kith.core.errors import KithError

MAX_STEM_BYTES = 120
"""File systems allow 255 bytes; leave room for `` 2.md`` and for tools that add suffixes."""

# Characters Windows forbids, plus those that break Obsidian's wikilinks to the file.
_FORBIDDEN = re.compile(r'[\\/:*?"<>|#^\[\]{}%]')
_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$", re.IGNORECASE)


def fold(name: str) -> str:
    """What two names (of people, companies, industries) must share to match: case,
    runs of spaces and Unicode's two spellings of an accent (``é`` as one character or
    as ``e`` and a combining accent, as macOS writes file names) aside."""
    folded = " ".join(name.casefold().split())
    return folded if folded.isascii() else unicodedata.normalize("NFC", folded)


_TYPED_LETTERS = str.maketrans(
    {"ı": "i", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "ħ": "h", "ŀ": "l", "ŧ": "t",
     "æ": "ae", "œ": "oe", "þ": "th", "'": "", "’": "", "ʼ": "", "-": " ", "‐": " "}
)  # fmt: skip
"""Letters a keyboard may lack, as people type them instead (Turkish ``ı`` as ``i``,
``ø`` as ``o``); apostrophes dropped and hyphens as spaces (``obrien``, ``jean paul``)."""


def fold_typed(name: str) -> str:
    """``fold``, and accents and the letters of ``_TYPED_LETTERS`` aside: what a name
    typed on a keyboard without them must share with the name as written (``zoe``
    finds ``Zoë``, ``yildiz`` finds ``Yıldız``). For finding people, not for links."""
    folded = fold(name)
    if folded.isascii() and not any(ch in folded for ch in "'-"):
        return folded
    decomposed = unicodedata.normalize("NFKD", folded)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.translate(_TYPED_LETTERS).split())


def clean_text(text: str) -> str:
    """NFC text on one line: control, format (bidi, zero-width) and separator characters gone."""
    text = unicodedata.normalize("NFC", text)
    kept = []
    for ch in text:
        category = unicodedata.category(ch)
        if category in ("Zl", "Zp") or ch in "\t\n\r\v\f":
            kept.append(" ")
        elif category[0] != "C":
            kept.append(ch)
    return " ".join("".join(kept).split())


def safe_stem(name: str) -> str:
    """A file stem for ``name``: no separators, no leading dots, not a reserved device name."""
    stem = _FORBIDDEN.sub(" ", clean_text(name))
    stem = " ".join(stem.split()).strip(". ")
    if _RESERVED.match(stem):
        stem = f"{stem} (person)"
    encoded = stem.encode("utf-8")
    if len(encoded) > MAX_STEM_BYTES:
        stem = encoded[:MAX_STEM_BYTES].decode("utf-8", "ignore").rstrip(". ")
    return stem or "Unnamed"


def taken_stems(folder: Path) -> set[str]:
    """Case-folded stems of every Markdown file under ``folder``: wikilinks find files by stem."""
    if not folder.is_dir():
        return set()
    return {path.stem.casefold() for path in folder.rglob("*.md")}


def unique_file_name(name: str, taken: Iterable[str]) -> str:
    """``<stem>.md`` for ``name``, numbered (``Jane Doe 2.md``) past stems in ``taken``.

    ``taken`` holds case-folded stems; the caller adds the result to it.
    """
    used = set(taken)
    base = safe_stem(name)
    stem, number = base, 2
    while stem.casefold() in used:
        stem, number = f"{base} {number}", number + 1
    return stem + ".md"


def inside(folder: Path, file_name: str) -> Path:
    """``folder / file_name``, refusing anything that would land outside ``folder``."""
    root = folder.resolve()
    target = (root / file_name).resolve()
    if target.parent != root or "/" in file_name or "\\" in file_name:
        raise KithError(f"refusing to write {file_name!r}: it is not a plain file name in {folder}")
    return target
