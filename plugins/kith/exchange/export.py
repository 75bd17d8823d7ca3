"""Contacts as vCard 4.0 (RFC 6350), for phones and address books: the properties
kith's vCard import reads (``vcard_properties.PROPERTIES``), one card per person.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from kith.core.model import Contact
from kith.exchange.vcard_properties import PROPERTIES, name_lines

_NAMESPACE = uuid.UUID("6f1c3b0e-7d0a-4c55-9d1e-6b9f0c2e4a11")


def fold(line: str) -> str:
    """Lines longer than 75 octets folded with CRLF + space, never inside a character."""
    out: list[str] = []
    current, size, limit = "", 0, 75
    for ch in line:
        width = len(ch.encode("utf-8"))
        if size + width > limit:
            out.append(current)
            current, size, limit = "", 0, 74  # the leading space counts
        current += ch
        size += width
    out.append(current)
    return "\r\n ".join(out) + "\r\n"


def vcard(contact: Contact) -> str:
    """One contact as a vCard 4.0."""
    lines = [
        "BEGIN:VCARD",
        "VERSION:4.0",
        f"UID:urn:uuid:{uuid.uuid5(_NAMESPACE, contact.src_uri)}",
        *name_lines(contact),
    ]
    for prop in PROPERTIES:
        value = prop.write(contact)
        if isinstance(value, list):
            lines += [
                f"{prop.name}{prop.parameters if n == 0 else ''}:{v}" for n, v in enumerate(value)
            ]
        elif value is not None:
            lines.append(f"{prop.name}{prop.parameters}:{value}")
    lines.append("END:VCARD")
    return "".join(fold(line) for line in lines)


def vcards(contacts: Iterable[Contact]) -> str:
    """Every contact as vCard 4.0, in the order given."""
    return "".join(vcard(c) for c in contacts)
