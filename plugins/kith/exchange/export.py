"""Contacts as vCard 4.0 (RFC 6350), for phones and address books.

What kith's vCard import reads, this writes: name, company and department,
role, e-mail, phone, location, web site, LinkedIn profile and birthday, so an
export imported again matches every person and changes nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from kith.core.model import Contact
from kith.core.names import clean_text

_NAMESPACE = uuid.UUID("6f1c3b0e-7d0a-4c55-9d1e-6b9f0c2e4a11")


def escape(text: str) -> str:
    """A text value: backslash, comma, semicolon and line breaks escaped (RFC 6350 §3.4)."""
    text = clean_text(text)
    return text.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")


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
    name = clean_text(contact.name)
    given, _, family = name.rpartition(" ")
    lines = [
        "BEGIN:VCARD",
        "VERSION:4.0",
        f"UID:urn:uuid:{uuid.uuid5(_NAMESPACE, contact.src_uri)}",
        f"FN:{escape(name)}",
        f"N:{escape(family)};{escape(given)};;;",
    ]
    department = contact.extra.get("department")
    org = escape(contact.company)
    if isinstance(department, str) and department.strip():
        org += ";" + escape(department)
    if org:
        lines.append(f"ORG:{org}")
    if contact.role:
        lines.append(f"TITLE:{escape(contact.role)}")
    if contact.email:
        lines.append(f"EMAIL;PREF=1:{escape(contact.email)}")
    if contact.phone:
        lines.append(f"TEL;VALUE=text;PREF=1:{escape(contact.phone)}")
    if contact.location:
        lines.append(f"ADR:;;;{escape(contact.location)};;;")
    if contact.website:
        lines.append(f"URL:{clean_text(contact.website)}")
    if contact.linkedin:
        lines.append(f"X-SOCIALPROFILE;TYPE=linkedin:{clean_text(contact.linkedin)}")
    if contact.birthday:
        lines.append(f"BDAY:{contact.birthday.strftime('%Y%m%d')}")
    lines.append("END:VCARD")
    return "".join(fold(line) for line in lines)


def vcards(contacts: Iterable[Contact]) -> str:
    """Every contact as vCard 4.0, in the order given."""
    return "".join(vcard(c) for c in contacts)
