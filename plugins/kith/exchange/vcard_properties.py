"""The vCard properties kith exchanges and the front-matter keys they hold, both ways.

The import reads each property of ``PROPERTIES`` from a card the way phones and
address books write it (RFC 6350 and 2426, and what real exports do instead);
the export writes it the way the import reads it, so that an export imported
again matches every person and changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from kith.core.keys import DEPARTMENT, FAMILY_NAME, GIVEN_NAME
from kith.core.model import Contact, MonthDay
from kith.core.names import clean_text
from kith.edit.files import Value
from kith.exchange.vcard_text import (
    Contents,
    Line,
    components,
    escape,
    escape_part,
    text_of,
    unescape,
)

_BDAY = re.compile(r"^(\d{4}|--)-?(\d{2})-?(\d{2})(?:T.*)?$")
_NO_YEAR = ("1604", "0000", "--")
"""Apple writes a birthday without a year as 1604 (``X-APPLE-OMIT-YEAR``); 4.0 as ``--MMDD``."""


@dataclass(frozen=True)
class Property:
    name: str
    parameters: str
    """What the export writes after the name (``;PREF=1``: the one a phone shows first)."""
    read: Callable[[Contents], dict[str, Value]]
    """The front-matter values a card's lines of the property give (an empty value is
    no value: the import drops it)."""
    write: Callable[[Contact], str | list[str] | None]
    """The value the export writes for a person; ``None``: no line; a list: a line each
    (the parameters on the first only)."""


def _uri(value: str) -> str:
    """A URI-like value; Google escapes ``:`` and ``,`` in them (``https\\://``)."""
    return re.sub(r"\\([:,;\\])", r"\1", value).strip()


def _preferred(lines: Sequence[Line]) -> list[Line]:
    """Lines marked preferred (``TYPE=pref`` in 2.1 and 3.0, ``PREF=1`` in 4.0) first."""

    def rank(line: Line) -> int:
        preferred = "pref" in line.params.get("TYPE", ()) or "1" in line.params.get("PREF", ())
        return 0 if preferred else 1

    return sorted(lines, key=rank)


# -- names --------------------------------------------------------------------------------------

_PARTICLES = frozenset(
    [
        "de",
        "da",
        "das",
        "di",
        "do",
        "dos",
        "du",
        "del",
        "della",
        "der",
        "den",
        "des",
        "la",
        "le",
        "van",
        "von",
        "ter",
        "ten",
        "bin",
        "ibn",
        "al",
        "el",
        "y",
        "zu",
    ]
)
"""Words that belong to the family name after them: Emma de Vries, Ludwig van Beethoven."""
_AFFIXES = re.compile(
    r"^(?:dr|mr|mrs|ms|mx|prof|sir|dame|phd|md|jr|sr|esq|mba|ii|iii|iv|v)\.?,?$", re.I
)
"""Titles before a name and letters after it: part of neither given nor family name."""


def guess_parts(name: str) -> tuple[str, str]:
    """``(given, family)`` of a display name, as an address book would file it.

    The family name is the last word with the particles before it (``de Vries``);
    titles and letters (``Dr``, ``PhD``, ``Jr.``) belong to neither part.
    """
    words = [w for w in name.split() if not _AFFIXES.match(w)] or name.split()
    if len(words) < 2:
        return "", " ".join(words)
    start = len(words) - 1
    while start > 1 and words[start - 1].casefold() in _PARTICLES:
        start -= 1
    return " ".join(words[:start]), " ".join(words[start:])


def card_name(contents: Contents) -> str:
    """FN, else the parts of N."""
    name = text_of(contents, "fn")
    if not name and "n" in contents:
        family, given, additional, prefix, suffix = _n_parts(contents)
        name = " ".join(p for p in (prefix, given, additional, family, suffix) if p)
    return " ".join(name.split())


def _n_parts(contents: Contents) -> tuple[str, str, str, str, str]:
    parts = [" ".join(p.replace(",", " ").split()) for p in components(contents["n"][0].value)]
    parts += [""] * 5
    return parts[0], parts[1], parts[2], parts[3], parts[4]


def name_parts(contents: Contents, name: str) -> dict[str, Value]:
    """The card's given and family name, kept where ``guess_parts`` of the name would
    file the person otherwise (so that the export writes them back)."""
    if "n" not in contents:
        return {}
    family, given, additional, _, _ = _n_parts(contents)
    return structured_name(name, " ".join(p for p in (given, additional) if p), family)


def structured_name(name: str, given: str, family: str) -> dict[str, Value]:
    """``given_name``/``family_name`` values for a source's name parts, or none if the
    name's own guess is the same (most names need no keys of their own)."""
    if not family and not given:
        return {}
    if guess_parts(name) == (given, family):
        return {}
    return {GIVEN_NAME: given, FAMILY_NAME: family}


def name_lines(contact: Contact) -> list[str]:
    """FN and N: vCard 4.0 requires FN, and address books sort by N."""
    name = clean_text(contact.name)
    given, family = guess_parts(name)
    kept_given, kept_family = contact.extra.get(GIVEN_NAME), contact.extra.get(FAMILY_NAME)
    if kept_given is not None or kept_family is not None:
        given, family = str(kept_given or ""), str(kept_family or "")
    return [f"FN:{escape(name)}", f"N:{escape_part(family)};{escape_part(given)};;;"]


# -- the properties -----------------------------------------------------------------------------


def emails(contents: Contents) -> list[str]:
    """Every e-mail address of a card, the preferred one first."""
    found = [_uri(line.value) for line in _preferred(contents.get("email", []))]
    return [e.removeprefix("mailto:") for e in found if e.removeprefix("mailto:")]


def _phones(contents: Contents) -> list[str]:
    found = [_uri(line.value).removeprefix("tel:") for line in _preferred(contents.get("tel", []))]
    return [phone for phone in found if phone]


def _read_org(contents: Contents) -> dict[str, Value]:
    lines = contents.get("org", [])
    if not lines:
        return {}
    units = [" ".join(u.split()) for u in components(lines[0].value)]
    values: dict[str, Value] = {}
    if units[0]:
        values["company"] = units[0]
    rest = [u for u in units[1:] if u]
    if rest:
        values[DEPARTMENT] = ", ".join(rest)
    return values


def _write_org(contact: Contact) -> str | None:
    department = contact.extra.get(DEPARTMENT)
    department = str(department) if isinstance(department, str | int | float) else ""
    if not contact.company and not department.strip():
        return None
    org = escape_part(contact.company)
    return org + ";" + escape_part(department) if department.strip() else org


def _read_email(contents: Contents) -> dict[str, Value]:
    """Every address: one as text, several as a list (the preferred first)."""
    found = list(dict.fromkeys(emails(contents)))
    if not found:
        return {}
    return {"email": found[0] if len(found) == 1 else found}


def _write_emails(contact: Contact) -> str | list[str] | None:
    """The addresses, the first preferred (``export`` writes one line each)."""
    found = [clean_text(e) for e in (contact.emails or (contact.email,)) if clean_text(e)]
    return (found[0] if len(found) == 1 else found) if found else None


def _read_tel(contents: Contents) -> dict[str, Value]:
    found = _phones(contents)
    return {"phone": found[0]} if found else {}


def _read_adr(contents: Contents) -> dict[str, Value]:
    """The city, else the region, else the country of the first address."""
    lines = _preferred(contents.get("adr", []))
    if not lines:
        return {}
    parts = [" ".join(p.split()) for p in components(lines[0].value)] + [""] * 7
    locality, region, country = parts[3], parts[4], parts[6]
    return {"location": locality or region or country}


def _is_linkedin(url: str, label: str = "") -> bool:
    return "linkedin.com" in url.lower() or "linkedin" in label


def _urls(contents: Contents) -> list[tuple[str, str]]:
    """``(URL, label)`` of the URL lines, the preferred first; Apple labels them in groups."""
    labels = {
        line.group: unescape(line.value).lower()
        for line in contents.get("x-ablabel", [])
        if line.group
    }
    return [
        (_uri(line.value), labels.get(line.group, ""))
        for line in _preferred(contents.get("url", []))
        if _uri(line.value)
    ]


def _website(contents: Contents) -> str:
    return next((url for url, label in _urls(contents) if not _is_linkedin(url, label)), "")


def _linkedin(contents: Contents) -> str:
    for line in contents.get("x-socialprofile", []):
        url = _uri(line.value)
        if "linkedin" in line.params.get("TYPE", ()) or _is_linkedin(url):
            return url
    return next((url for url, label in _urls(contents) if _is_linkedin(url, label)), "")


def _read_website(contents: Contents) -> dict[str, Value]:
    """The first web address that is not a LinkedIn profile."""
    return {"website": _website(contents)}


def _read_linkedin(contents: Contents) -> dict[str, Value]:
    """The LinkedIn social profile, else the first URL that is one."""
    return {"linkedin": _linkedin(contents)}


def birthday_of(text: str, omit_year: bool = False) -> date | MonthDay | None:
    """BDAY's value: a date, or a month and day when the card gives no year."""
    match = _BDAY.match(text.strip())
    if match is None:
        return None
    year, month, day = match.groups()
    try:
        if omit_year or year in _NO_YEAR:
            return MonthDay(int(month), int(day))
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def _read_bday(contents: Contents) -> dict[str, Value]:
    lines = contents.get("bday", [])
    if not lines:
        return {}
    omit_year = "X-APPLE-OMIT-YEAR" in lines[0].params
    found = birthday_of(unescape(lines[0].value), omit_year)
    if found is None:
        return {}
    return {"birthday": found.isoformat() if isinstance(found, MonthDay) else found}


def _write_bday(contact: Contact) -> str | None:
    if isinstance(contact.birthday, MonthDay):
        return f"--{contact.birthday.month:02d}{contact.birthday.day:02d}"
    return contact.birthday.strftime("%Y%m%d") if contact.birthday else None


def _read_nickname(contents: Contents) -> dict[str, Value]:
    """NICKNAME's names (a comma separates them) as aliases."""
    found: list[str] = []
    for line in contents.get("nickname", []):
        for part in re.split(r"(?<!\\),", line.value):
            name = " ".join(unescape(part).split())
            if name and name not in found:
                found.append(name)
    return {"aliases": found} if found else {}


def _write_nickname(contact: Contact) -> str | None:
    names = [escape(clean_text(a)) for a in contact.aliases if clean_text(a)]
    return ",".join(names) or None


def note_of(contents: Contents) -> str:
    """Every NOTE of the card, as text."""
    return "\n".join(text for line in contents.get("note", []) if (text := unescape(line.value)))


def left_out(contents: Contents) -> tuple[str, ...]:
    """What the card holds that the person's file will not: each with why."""
    missed: list[str] = []
    extra_phones = _phones(contents)[1:]
    if extra_phones:
        missed.append(f"phone {', '.join(extra_phones)} (kith keeps one phone)")
    used = {_website(contents), _linkedin(contents)}
    other_urls = [url for url, _ in _urls(contents) if url not in used]
    if other_urls:
        missed.append(f"web address {', '.join(other_urls)} (kith keeps one web site)")
    for key, what in (
        ("fn", "name"),
        ("n", "name parts"),
        ("org", "organisation"),
        ("title", "title"),
        ("bday", "birthday"),
    ):
        others = [unescape(line.value) for line in contents.get(key, [])[1:]]
        if any(others):
            missed.append(f"{what} {'; '.join(o for o in others if o)} (kith keeps the first)")
    if "n" in contents:  # an honorific or letters N has and the name FN gives does not
        _, _, _, prefix, suffix = _n_parts(contents)
        name = card_name(contents).casefold()
        for what, part in (("prefix", prefix), ("suffix", suffix)):
            if part and part.casefold() not in name:
                missed.append(f"name {what} {part!r} (not in the name the card gives)")
    bday = contents.get("bday", [])
    if bday and _read_bday(contents) == {}:
        missed.append(f"birthday {unescape(bday[0].value)!r} (not a date)")
    return tuple(missed)


def _text_key(key: str, *names: str) -> Callable[[Contents], dict[str, Value]]:
    """Reads ``key`` from the first of the properties ``names`` that has a value."""

    def read(contents: Contents) -> dict[str, Value]:
        return {key: next((t for name in names if (t := text_of(contents, name))), "")}

    return read


def _write_text(value: Callable[[Contact], Any]) -> Callable[[Contact], str | None]:
    return lambda contact: escape(value(contact)) if value(contact) else None


PROPERTIES: tuple[Property, ...] = (
    Property("NICKNAME", "", _read_nickname, _write_nickname),
    Property("ORG", "", _read_org, _write_org),
    Property("TITLE", "", _text_key("role", "title", "role"), _write_text(lambda c: c.role)),
    Property("EMAIL", ";PREF=1", _read_email, lambda c: _write_emails(c)),
    Property("TEL", ";VALUE=text;PREF=1", _read_tel, _write_text(lambda c: c.phone)),
    Property(
        "ADR", "", _read_adr, lambda c: f";;;{escape_part(c.location)};;;" if c.location else None
    ),
    Property("URL", "", _read_website, lambda c: clean_text(c.website) or None),
    Property(
        "X-SOCIALPROFILE",
        ";TYPE=linkedin",
        _read_linkedin,
        lambda c: clean_text(c.linkedin) or None,
    ),
    Property("BDAY", "", _read_bday, _write_bday),
)
"""In the order the export writes them, and the import gives their keys."""
