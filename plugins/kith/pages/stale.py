"""Stale contact info: records whose details nobody has checked for a long time.

``checked`` says when the contact info was last verified. When it is missing,
the last commit that changed a contact field (``keys.CONTACT_INFO``) counts
instead: whoever typed in the new email address had just checked it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from kith.analyses.site import Site
from kith.core.model import Contact

HOME_LIMIT = 10
"""How many stale records Home lists."""


@dataclass(frozen=True)
class StaleRecord:
    contact: Contact
    checked: date | None
    """When the info was last checked; ``None`` if never."""
    from_git: bool
    """``checked`` is the date a commit last changed a contact field."""
    age: int | None
    """Days since ``checked``."""


def last_checked(contact: Contact, changed_in_git: date | None) -> tuple[date | None, bool]:
    """The ``checked`` date, else the date git last saw a contact field change."""
    if contact.checked is not None:
        return contact.checked, False
    return changed_in_git, changed_in_git is not None


def stale_records(
    contacts: Iterable[Contact],
    changed_in_git: Mapping[str, date | None],
    today: date,
    stale_after: int,
) -> tuple[StaleRecord, ...]:
    """Contacts checked more than ``stale_after`` days ago or never, stalest first.

    Never checked comes first (by name), then the oldest check. Archived people
    are left out: nobody keeps their details current. ``stale_after`` 0 turns the
    list off.
    """
    if stale_after <= 0:
        return ()
    found: list[StaleRecord] = []
    for contact in contacts:
        if contact.archived:
            continue
        checked, from_git = last_checked(contact, changed_in_git.get(contact.src_uri))
        age = (today - checked).days if checked is not None else None
        if age is None or age > stale_after:
            found.append(StaleRecord(contact, checked, from_git, age))

    def stalest(record: StaleRecord) -> tuple[int, date, str]:
        return (record.checked is not None, record.checked or date.min, record.contact.name)

    return tuple(sorted(found, key=stalest))


def home_stale(site: Site) -> Mapping[str, Any]:
    """``stale`` (the stalest records) and ``stale_count`` for ``home-stale.md``."""
    changed = {
        contact.src_uri: site.history.of(contact.src_uri).contact_info_changed
        for contact in site.people
    }
    records = stale_records(site.people, changed, site.settings.today, site.settings.stale_after)
    return {"stale": records[:HOME_LIMIT], "stale_count": len(records)}


def person_info_checked(site: Site, contact: Contact) -> Mapping[str, Any]:
    """``info_changed_in_git`` for the person card, shown when ``checked`` is missing."""
    return {"info_changed_in_git": site.history.of(contact.src_uri).contact_info_changed}
