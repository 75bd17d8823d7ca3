"""The rules every import follows: find the person, never overwrite, never duplicate.

A record matches an existing person by LinkedIn URL, then by e-mail, then by
exact name (case, spacing and accents' spelling aside) — not when the two
disagree on who they are (different LinkedIn URLs, e-mail addresses or phone
numbers): two people are never merged, a namesake gets a file of their own.
A new person gets a new file; a known one gets only the keys that are absent
or empty, and every key left alone because it already held something else is
reported, as is whatever a record holds that no file will. Nothing is written
until ``write``; running the same import twice changes nothing the second time.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from urllib.parse import unquote, urlsplit

from kith.core.config import UNSORTED
from kith.core.keys import IMPORT_ORDER, PAST_COMPANIES, READ
from kith.core.model import Contact, Network
from kith.core.names import clean_text, fold, inside, safe_stem, taken_stems, unique_file_name
from kith.edit.files import EditError, Snapshot, Value, read_snapshot, write_atomic
from kith.edit.markup import markdown_inline, markdown_paragraphs
from kith.edit.yaml_edit import set_keys, yaml_value
from kith.exchange.records import Action, Kept, Outcome, Record, Skip
from kith.reading.load import loads

NEW_ONLY = ("name", "tier", "how_met")
"""Keys written into new files only: for a person you already know, they are yours."""


@dataclass
class _Pending:
    snapshot: Snapshot | None
    text: str
    display: str


@dataclass
class _Known:
    linkedin: str = ""
    emails: set[str] = field(default_factory=set)
    phones: set[str] = field(default_factory=set)


def normal_phone(phone: str) -> str:
    """A phone number's digits, the last ten (``+49 170 1234567`` and ``0170 1234567`` agree)."""
    return "".join(ch for ch in phone if ch.isdigit())[-10:]


def normal_linkedin(url: str) -> str:
    """A LinkedIn profile URL reduced to what identifies it: ``linkedin.com/in/jane-doe``."""
    url = unquote(url.strip()).casefold()
    if not url:
        return ""
    parts = urlsplit(url if "://" in url else "https://" + url)
    host = parts.netloc.rsplit("@", 1)[-1]
    if host.endswith("linkedin.com"):
        host = "linkedin.com"
    return host + parts.path.rstrip("/")


class Import:
    """One import run into a people folder: ``add`` each record, then ``write`` (or not)."""

    def __init__(
        self,
        folder: Path,
        display_prefix: str,
        network: Network,
        update: Collection[str] = (),
    ) -> None:
        self.folder = folder.resolve()
        self.display_prefix = display_prefix
        self.update = frozenset(update)
        """Keys a known person's value gives way to the record's for (a job change found
        by a re-import: ``company``, ``role``); the old company joins ``past_companies``."""
        self.outcomes: list[Outcome] = []
        self._pending: dict[Path, _Pending] = {}
        self._known: dict[Path, _Known] = {}
        self._by_linkedin: dict[str, Path] = {}
        self._by_email: dict[str, Path] = {}
        self._by_name: dict[str, list[Path]] = {}
        self._contacts: dict[Path, Contact] = {}
        self._readable: set[str] = set()
        """Case-folded stems of the files that are people (readable, in the network)."""
        self._taken = taken_stems(self.folder)
        self._failed: set[str] = set()
        """Files ``write`` could not write (shown as the outcomes show them)."""
        for contact in network.contacts:
            path = self.folder / contact.src_uri
            self._contacts[path] = contact
            emails = contact.emails or (contact.email,)
            self._index(path, contact.name, contact.linkedin, emails, contact.phone)

    def _index(
        self, path: Path, name: str, linkedin: object, emails: Iterable[object], phone: object
    ) -> None:
        known = self._known.setdefault(path, _Known())
        self._readable.add(path.stem.casefold())
        if isinstance(linkedin, str) and normal_linkedin(linkedin):
            known.linkedin = normal_linkedin(linkedin)
            self._by_linkedin.setdefault(known.linkedin, path)
        for email in emails:
            if isinstance(email, str) and email.strip():
                known.emails.add(email.strip().casefold())
                self._by_email.setdefault(email.strip().casefold(), path)
        if isinstance(phone, str) and normal_phone(phone):
            known.phones.add(normal_phone(phone))
        if name and path not in self._by_name.get(fold(name), []):
            self._by_name.setdefault(fold(name), []).append(path)

    def skip(self, skip: Skip) -> Outcome:
        return self._record(Outcome("skipped", skip.position, reason=skip.reason))

    def add(self, record: Record) -> Outcome:
        """Plan what the record does to the folder; returns (and keeps) the outcome."""
        name = clean_text(record.name)
        if not name:
            return self._record(Outcome("skipped", record.position, reason="no name"))
        values = {k: _clean(v) for k, v in record.values.items() if not _blank(v)}
        values["name"] = name
        emails = [e.strip() for e in record.emails if e.strip()]
        phone = str(values.get("phone", ""))
        try:
            match, apart = self._match(name, str(values.get("linkedin", "")), emails, phone)
        except _Ambiguous as err:
            return self._record(Outcome("skipped", record.position, name, reason=str(err)))
        notices = [f"left out {item}" for item in record.left_out]
        if apart:
            notices.append(
                f"kept apart from {', '.join(self._display(p) for p in apart)}: same name, "
                "but a different e-mail, phone or LinkedIn profile"
            )
        try:
            if match is None:
                outcome = self._create(name, record, values)
            else:
                outcome = self._update(match, name, record.position, values, emails)
                notices += self._note_left_out(match, record.note)
        except EditError as err:
            return self._record(Outcome("skipped", record.position, name, reason=str(err)))
        return self._record(replace(outcome, notices=(*outcome.notices, *notices)))

    def _note_left_out(self, path: Path, note: str) -> list[str]:
        """A known person's file keeps its own notes: the record's note is reported."""
        text = " ".join(note.split())
        if not text:
            return []
        contact = self._contacts.get(path)
        if contact is not None and text in " ".join(contact.body.split()):
            return []
        shown = text if len(text) <= 60 else text[:57] + "..."
        return [f"left out note {shown!r} (a known person's notes are yours: add it by hand)"]

    def _record(self, outcome: Outcome) -> Outcome:
        self.outcomes.append(outcome)
        return outcome

    def _match(
        self, name: str, linkedin: str, emails: list[str], phone: str
    ) -> tuple[Path | None, list[Path]]:
        """The person the record is, if any, and the namesakes it is not."""
        key = normal_linkedin(linkedin)
        if key and key in self._by_linkedin:
            return self._by_linkedin[key], []
        for email in emails:
            if email.casefold() in self._by_email:
                return self._by_email[email.casefold()], []
        mails = {e.casefold() for e in emails}
        digits = normal_phone(phone)
        namesakes = self._by_name.get(fold(name), [])
        candidates = [p for p in namesakes if not self._differs(p, key, mails, digits)]
        if len(candidates) > 1:
            listed = ", ".join(self._display(p) for p in candidates)
            raise _Ambiguous(
                f"{len(candidates)} people are named {name!r} ({listed}); "
                "add the LinkedIn URL or e-mail to the right one"
            )
        apart = [p for p in namesakes if p not in candidates]
        return (candidates[0] if candidates else None), apart

    def _differs(self, path: Path, linkedin: str, emails: set[str], phone: str) -> bool:
        """Whether a namesake is someone else: both have a LinkedIn profile, e-mail
        addresses or a phone, and theirs differ (a shared e-mail matched earlier)."""
        known = self._known[path]
        return bool(
            (linkedin and known.linkedin and known.linkedin != linkedin)
            or (emails and known.emails and not emails & known.emails)
            or (phone and known.phones and phone not in known.phones)
        )

    def _display(self, path: Path) -> str:
        return self.display_prefix + path.relative_to(self.folder).as_posix()

    def _create(self, name: str, record: Record, values: dict[str, Value]) -> Outcome:
        values.setdefault("tier", UNSORTED)
        stem = safe_stem(name)
        if stem.casefold() in self._taken and stem.casefold() not in self._readable:
            reason = (
                f"a file named {stem!r} exists in {self.display_prefix or 'the folder'} but "
                "cannot be read; run kith check, fix it, and import again"
            )
            return Outcome("skipped", record.position, name, reason=reason)
        file_name = unique_file_name(name, self._taken)
        path = inside(self.folder, file_name)
        display = self._display(path)
        text = new_file_text(name, values, record.note)
        _, problems = loads(text, file_name, display)
        if problems:
            return Outcome("skipped", record.position, name, reason=str(problems[0]))
        self._taken.add(path.stem.casefold())
        self._pending[path] = _Pending(None, text, display)
        self._index(
            path,
            name,
            values.get("linkedin"),
            [*record.emails, values.get("email")],
            values.get("phone"),
        )
        return Outcome("created", record.position, name, display, tuple(values))

    def _update(
        self, path: Path, name: str, position: str, values: dict[str, Value], emails: list[str]
    ) -> Outcome:
        offered = {k: v for k, v in values.items() if k not in NEW_ONLY}
        pending = self._pending.get(path)
        held = _held(self._contacts.get(path), offered) if pending is None else None
        if held is not None:  # every key already has a value: no need to open the file
            kept = _kept(held, offered)
            if not any(k.key in self.update for k in kept):
                return Outcome("unchanged", position, name, self._display(path), (), kept)
        if pending is None:
            snapshot = read_snapshot(path)
            pending = _Pending(snapshot, snapshot.text, self._display(path))
        edit = set_keys(pending.text, offered, pending.display)
        kept = _kept(edit.kept, offered)
        text, changed = edit.text, list(edit.changed)
        news: list[str] = []
        moved = {k.key: k for k in kept if k.key in self.update}
        if moved:  # a job change: the record's value wins, the old company is kept as past
            newer: dict[str, Value] = {k: offered[k] for k in moved}
            if "company" in moved:
                past = _past_companies(text, pending.display)
                if moved["company"].value not in past:
                    newer[PAST_COMPANIES] = [*past, moved["company"].value]
            text = set_keys(text, newer, pending.display, overwrite=True).text
            changed += [k for k in newer if k not in changed]
            news = [f"changed {k.key} {k.value!r} → {k.offered!r}" for k in moved.values()]
            kept = tuple(k for k in kept if k.key not in moved)
        if changed:
            pending.text = text
            self._pending[path] = pending
            self._index(path, name, values.get("linkedin"), [*emails, values.get("email")], None)
        action: Action = "updated" if changed else "unchanged"
        return Outcome(
            action,
            position,
            name,
            pending.display,
            tuple(changed),
            tuple(kept),
            notices=tuple(news),
        )

    def write(self) -> list[str]:
        """Write every planned file; returns one message per file that could not be written
        (its outcomes count as ``not written`` from then on)."""
        failures: list[str] = []
        for path, pending in self._pending.items():
            try:
                write_atomic(path, pending.text, pending.snapshot)
            except (EditError, OSError) as err:
                failures.append(f"{pending.display}: {_reason(err)}")
                self._failed.add(pending.display)
        if self._failed:
            self.outcomes = [
                replace(o, action="not written")
                if o.path in self._failed and o.action in ("created", "updated")
                else o
                for o in self.outcomes
            ]
        return failures

    @property
    def counts(self) -> dict[Action, int]:
        counts: dict[Action, int] = {"created": 0, "updated": 0, "unchanged": 0, "skipped": 0}
        for outcome in self.outcomes:
            counts[outcome.action] = counts.get(outcome.action, 0) + 1
        return counts


def _reason(err: Exception) -> str:
    """Why a write failed, without the temporary file's name the OS error may carry."""
    if isinstance(err, OSError) and err.strerror:
        return err.strerror
    return str(err)


class _Ambiguous(Exception):
    pass


def _held(contact: Contact | None, offered: Mapping[str, Value]) -> dict[str, object] | None:
    """The contact's values of the offered keys, or ``None`` if any is empty or unknown."""
    if contact is None:
        return None
    held: dict[str, object] = {}
    for key in offered:
        known = READ.get(key)
        value = getattr(contact, known.field) if known else contact.extra.get(key)
        if key == "email" and len(contact.emails) > 1:
            value = contact.emails  # all of them: an export of several is no news
        if value is None or value == "" or value == ():
            return None
        held[key] = value
    return held


def _kept(held: Mapping[str, object], offered: Mapping[str, Value]) -> tuple[Kept, ...]:
    """The keys whose value differs from the offered one (an equal value is no news)."""
    return tuple(
        Kept(key, _shown(value), _shown(offered[key]))
        for key, value in held.items()
        if _comparable(key, value) != _comparable(key, offered[key])
    )


def _past_companies(text: str, where: str) -> list[str]:
    """The ``past_companies`` a file lists (one text value counts too)."""
    contact, _ = loads(text, "x.md", where)
    value = contact.extra.get(PAST_COMPANIES) if contact is not None else None
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value] if isinstance(value, tuple) else []


def new_file_text(name: str, values: Mapping[str, Value], note: str = "") -> str:
    """A new contact file: the values as front matter, the name as title, the note, a log."""
    order = {key: index for index, key in enumerate(IMPORT_ORDER)}
    keys = sorted(values, key=lambda k: (order.get(k, len(order)), k))
    front = "".join(f"{key}: {yaml_value(values[key])}\n" for key in keys)
    body = f"# {markdown_inline(name)}\n\n"
    if note.strip():
        body += markdown_paragraphs(note) + "\n\n"
    return f"---\n{front}---\n\n{body}## Log\n"


def _blank(value: Value) -> bool:
    return isinstance(value, str) and not clean_text(value)


def _clean(value: Value) -> Value:
    """Text values on one line, NFC, without control or bidi characters."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, bool | int | date):
        return value
    return [clean_text(item) for item in value if clean_text(item)]


def _shown(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def _comparable(key: str, value: object) -> str:
    text = " ".join(_shown(value).split())
    if key == "linkedin":
        return normal_linkedin(text)
    if key == "email":
        return text.casefold()
    return text
