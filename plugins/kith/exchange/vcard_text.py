"""A card's lines as text: one unfolded line, and the escapes and parts of its value
(RFC 6350 §3.3-3.4, as vCard 2.1 and 3.0 write them too)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from kith.core.names import clean_text


@dataclass(frozen=True, slots=True)
class Line:
    """One property line of a card, unfolded and split."""

    name: str
    """Upper case: ``EMAIL``."""
    group: str
    """Lower case: Apple's ``item1`` of ``item1.URL``; empty without one."""
    params: Mapping[str, tuple[str, ...]]
    """Upper-case names, lower-case values; 2.1's bare parameters are ``TYPE`` values."""
    value: str
    """As written (escapes kept), quoted-printable decoded."""
    number: int
    """Its line in the file."""


Contents = Mapping[str, Sequence[Line]]
"""A card: lower-case property name → its lines, in order."""

_ESCAPED = re.compile(r"\\(.)", re.S)


def unescape(text: str) -> str:
    """A text value as meant: ``\\n`` a line break, any other ``\\x`` the ``x`` itself.

    Commas a writer left unescaped stay commas: a single-text value (``FN``,
    ``TITLE``, ``NOTE``) is one text whatever a strict reading would split off.
    """
    return _ESCAPED.sub(lambda m: "\n" if m.group(1) in "nN" else m.group(1), text).strip()


def components(value: str) -> list[str]:
    """The parts of a structured value (``N``, ``ORG``, ``ADR``): split at unescaped ``;``."""
    parts, current, escaped = [], [], False
    for ch in value:
        if escaped:
            current.append("\\" + ch)
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == ";":
            parts.append(unescape("".join(current)))
            current = []
        else:
            current.append(ch)
    parts.append(unescape("".join(current) + ("\\" if escaped else "")))
    return parts


def escape(text: str) -> str:
    """A single text value for 4.0: backslash, comma and line breaks escaped (RFC 6350 §3.3;
    a ``;`` needs none outside a structured value)."""
    return clean_text(text).replace("\\", "\\\\").replace(",", "\\,")


def escape_part(text: str) -> str:
    """One part of a structured value: ``;`` escaped as well."""
    return escape(text).replace(";", "\\;")


def text_of(contents: Contents, key: str) -> str:
    """The first line's value of a property, as text."""
    lines = contents.get(key, [])
    return unescape(lines[0].value) if lines else ""
