"""The vCard properties kith exchanges and the front-matter keys they hold, both ways.

The import reads each property of ``PROPERTIES`` from a card the way Apple Contacts
and Google Contacts write it; the export writes it the way the import reads it, so
that an export imported again matches every person and changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from kith.core.keys import DEPARTMENT
from kith.core.model import Contact
from kith.core.names import clean_text
from kith.edit.files import Value

Contents = Mapping[str, Sequence[Any]]
"""A card as ``vobject`` reads it: lower-case property name → its lines."""

_BDAY = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})(?:T.*)?$")
_NO_YEAR = ("1604", "0000")
"""Apple writes a birthday without a year as 1604 (``X-APPLE-OMIT-YEAR``)."""


@dataclass(frozen=True)
class Property:
    name: str
    parameters: str
    """What the export writes after the name (``;PREF=1``: the one a phone shows first)."""
    read: Callable[[Contents], dict[str, Value]]
    """The front-matter values a card's lines of the property give (an empty value is
    no value: the import drops it)."""
    write: Callable[[Contact], str | None]
    """The value the export writes for a person; ``None``: no line."""


def escape(text: str) -> str:
    """A text value: backslash, comma, semicolon and line breaks escaped (RFC 6350 §3.4)."""
    text = clean_text(text)
    return text.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")


def text_of(contents: Contents, key: str) -> str:
    """The first line's value of a property, as text (a list's items joined by spaces)."""
    lines = contents.get(key, [])
    value = lines[0].value if lines else ""
    if isinstance(value, list):
        value = " ".join(str(v) for v in value)
    return str(value).strip()


def _plain(value: object) -> str:
    """A URI-like value; Google escapes ``:`` and ``,`` in them (``https\\://``)."""
    return re.sub(r"\\([:,;\\])", r"\1", str(value)).strip()


def _preferred(lines: Sequence[Any]) -> list[Any]:
    """Lines marked preferred (``TYPE=pref`` in 3.0, ``PREF=1`` in 4.0) first."""

    def rank(line: Any) -> int:
        params = {k.upper(): [str(v).lower() for v in vs] for k, vs in line.params.items()}
        preferred = "pref" in params.get("TYPE", []) or "1" in params.get("PREF", [])
        return 0 if preferred else 1

    return sorted(lines, key=rank)


def card_name(contents: Contents) -> str:
    """FN, else the parts of N."""
    name = text_of(contents, "fn")
    if not name and "n" in contents:
        n = contents["n"][0].value
        name = " ".join(str(p) for p in (n.prefix, n.given, n.additional, n.family) if p)
    return name


def name_lines(name: str) -> list[str]:
    """FN and N for ``name``: vCard 4.0 requires FN, and address books sort by N."""
    given, _, family = name.rpartition(" ")
    return [f"FN:{escape(name)}", f"N:{escape(family)};{escape(given)};;;"]


def emails(contents: Contents) -> list[str]:
    """Every e-mail address of a card, the preferred one first."""
    found = [_plain(line.value) for line in _preferred(contents.get("email", []))]
    return [e.removeprefix("mailto:") for e in found if e]


def _read_org(contents: Contents) -> dict[str, Value]:
    org = contents.get("org", [None])[0]
    if org is None:
        return {}
    units = [u.strip() for u in (org.value if isinstance(org.value, list) else [org.value])]
    units = [u for u in units if u]
    values: dict[str, Value] = {}
    if units:
        values["company"] = units[0]
    if len(units) > 1:
        values[DEPARTMENT] = ", ".join(units[1:])
    return values


def _write_org(contact: Contact) -> str | None:
    department = contact.extra.get(DEPARTMENT)
    org = escape(contact.company)
    if isinstance(department, str) and department.strip():
        org += ";" + escape(department)
    return org or None


def _read_email(contents: Contents) -> dict[str, Value]:
    found = emails(contents)
    return {"email": found[0]} if found else {}


def _read_tel(contents: Contents) -> dict[str, Value]:
    phones = [
        _plain(line.value).removeprefix("tel:") for line in _preferred(contents.get("tel", []))
    ]
    return {"phone": phones[0]} if phones and phones[0] else {}


def _read_adr(contents: Contents) -> dict[str, Value]:
    if "adr" not in contents:
        return {}
    address = contents["adr"][0].value
    return {"location": str(getattr(address, "city", "") or "").strip()}


def _is_linkedin(url: str, label: str = "") -> bool:
    return "linkedin.com" in url.lower() or "linkedin" in label


def _urls(contents: Contents) -> list[tuple[str, str]]:
    """``(URL, label)`` of the URL lines, the preferred first; Apple labels them in groups."""
    labels = {
        line.group.lower(): str(line.value).lower()
        for line in contents.get("x-ablabel", [])
        if line.group
    }
    return [
        (_plain(line.value), labels.get((line.group or "").lower(), ""))
        for line in _preferred(contents.get("url", []))
    ]


def _read_website(contents: Contents) -> dict[str, Value]:
    """The first web address that is not a LinkedIn profile."""
    found = (url for url, label in _urls(contents) if not _is_linkedin(url, label))
    return {"website": next(found, "")}


def _read_linkedin(contents: Contents) -> dict[str, Value]:
    """The LinkedIn social profile, else the first URL that is one."""
    for line in contents.get("x-socialprofile", []):
        types = [str(t).lower() for t in line.params.get("TYPE", [])]
        url = _plain(line.value)
        if "linkedin" in types or _is_linkedin(url):
            return {"linkedin": url}
    found = (url for url, label in _urls(contents) if _is_linkedin(url, label))
    return {"linkedin": next(found, "")}


def _read_bday(contents: Contents) -> dict[str, Value]:
    """BDAY as a date; none without a year (kith's ``birthday`` is a full date)."""
    lines = contents.get("bday", [])
    if not lines:
        return {}
    match = _BDAY.match(str(lines[0].value).strip())
    omit_year = any(k.upper() == "X-APPLE-OMIT-YEAR" for k in lines[0].params)
    if match is None or omit_year or match.group(1) in _NO_YEAR:
        return {}
    try:
        return {"birthday": date(int(match.group(1)), int(match.group(2)), int(match.group(3)))}
    except ValueError:
        return {}


def _text_key(key: str, *names: str) -> Callable[[Contents], dict[str, Value]]:
    """Reads ``key`` from the first of the properties ``names`` that has a value."""

    def read(contents: Contents) -> dict[str, Value]:
        return {key: next((t for name in names if (t := text_of(contents, name))), "")}

    return read


PROPERTIES: tuple[Property, ...] = (
    Property("ORG", "", _read_org, _write_org),
    Property(
        "TITLE",
        "",
        _text_key("role", "title", "role"),
        lambda c: escape(c.role) if c.role else None,
    ),
    Property("EMAIL", ";PREF=1", _read_email, lambda c: escape(c.email) if c.email else None),
    Property(
        "TEL", ";VALUE=text;PREF=1", _read_tel, lambda c: escape(c.phone) if c.phone else None
    ),
    Property("ADR", "", _read_adr, lambda c: f";;;{escape(c.location)};;;" if c.location else None),
    Property("URL", "", _read_website, lambda c: clean_text(c.website) if c.website else None),
    Property(
        "X-SOCIALPROFILE",
        ";TYPE=linkedin",
        _read_linkedin,
        lambda c: clean_text(c.linkedin) if c.linkedin else None,
    ),
    Property(
        "BDAY", "", _read_bday, lambda c: c.birthday.strftime("%Y%m%d") if c.birthday else None
    ),
)
"""In the order the export writes them, and the import gives their keys."""
