"""Links of a page: site addresses as seen from the page being drawn, and contact info
as links only when they are ones to follow."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from kith.core.model import Contact


@lru_cache(maxsize=256)  # a page asks for its own base over and over, then is done
def _base_parts(base: str) -> tuple[str, ...]:
    base = base.removeprefix("./")
    base_dir = base if base.endswith("/") or not base else posixpath.dirname(base) + "/"
    return tuple(part for part in base_dir.split("/") if part)


def relative_url(target: str, base: str) -> str:
    """``target`` as seen from the page at ``base`` (both site-relative, like ``people/x/``).

    Called for every link of every generated table, so it avoids ``posixpath.relpath``.
    """
    target = target.removeprefix("./")
    base_parts = _base_parts(base)
    if not base_parts or not target.startswith(base_parts[0] + "/"):
        return ("../" * len(base_parts) + target) or "./"  # no common folder: the usual case
    target_parts = target.split("/")
    common = 0
    for mine, theirs in zip(base_parts, target_parts, strict=False):
        if mine != theirs:
            break
        common += 1
    up = "../" * (len(base_parts) - common)
    rest = "/".join(target_parts[common:])
    return (up + rest) or "./"


def safe_url(value: str, kind: str = "web") -> str:
    """A link target for contact info, or ``""`` when it is not one we would follow.

    ``javascript:`` and other schemes in data never become links.
    """
    value = value.strip()
    if not value:
        return ""
    if kind == "email":
        return "mailto:" + value if re.fullmatch(r"[^@\s<>\"']+@[^@\s<>\"']+", value) else ""
    if kind == "phone":
        digits = re.sub(r"[^\d+]", "", value)
        return "tel:" + digits if len(digits) >= 3 else ""
    if "://" not in value and re.match(r"^[\w.-]+\.[a-z]{2,}(/|$)", value, re.I):
        value = "https://" + value
    return value if urlsplit(value).scheme in ("http", "https") else ""


@dataclass(frozen=True)
class Links:
    """Turns contacts and pages into URLs relative to the page being drawn."""

    urls: Mapping[str, str]
    """``src_uri`` → site-relative URL, for contacts and generated pages alike."""
    here: str
    """URL of the page being drawn."""

    def person(self, contact: Contact) -> str:
        return relative_url(self.urls[contact.src_uri], self.here)

    def page(self, key: str) -> str:
        return relative_url(self.urls[f"kith/{key}.md"], self.here)

    def source(self, src_uri: str) -> str:
        """Any page by its source path (a contact or a journal note)."""
        return relative_url(self.urls[src_uri], self.here)

    def file(self, uri: str) -> str:
        """A file kith writes at a fixed place in the site (``follow-ups.ics``)."""
        return relative_url(uri, self.here)
