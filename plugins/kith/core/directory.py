"""Which files are people, and finding a person by what a link or a command says: name,
alias, file stem or path."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from kith.core.model import Contact
from kith.core.names import fold, fold_typed


def is_contact_file(src_uri: str, include_index: bool = False) -> bool:
    """Whether the file at ``src_uri`` (relative to the people folder) is a person: a
    Markdown file, not ``index.md`` or ``README.md`` at the top (your own pages), and
    neither it nor a folder above it hidden (``.``) or set aside (``_``: drafts,
    templates). The one rule of the site, ``kith check``, ``due``, ``log`` and ``export``
    (and of ``kith new``, which names no file so)."""
    if not src_uri.endswith(".md"):
        return False
    if any(part.startswith((".", "_")) for part in src_uri.split("/")):
        return False
    return include_index or src_uri.lower() not in ("index.md", "readme.md")


class Directory:
    """Case-insensitive lookup of contacts; names win over file stems, stems over aliases."""

    def __init__(self, contacts: Iterable[Contact]) -> None:
        self.contacts = tuple(contacts)
        self._by_key: dict[str, Contact] = {}
        self._ties: dict[str, list[Contact]] = {}
        """Key → the people it names at the winner's rank, when there are several."""
        rank_of: dict[str, int] = {}
        ranked = (
            [(0, c.name, c) for c in self.contacts]
            + [(1, c.src_uri.removesuffix(".md"), c) for c in self.contacts]
            + [(1, c.stem, c) for c in self.contacts]
            + [(2, alias, c) for c in self.contacts for alias in c.aliases]
        )
        for rank, text, contact in ranked:
            key = fold(text)
            winner = self._by_key.setdefault(key, contact)
            rank_of.setdefault(key, rank)
            if winner is not contact and rank_of[key] == rank:
                tied = self._ties.setdefault(key, [winner])
                if contact not in tied:
                    tied.append(contact)

    def resolve(self, target: str) -> Contact | None:
        """The contact a ``[[target]]`` means, or ``None``. ``Folder/Name`` and ``Name.md`` work."""
        key = fold(target.removesuffix(".md"))
        if not key:
            return None
        found = self._by_key.get(key)
        if found is None and "/" in key:
            found = self._by_key.get(key.rsplit("/", 1)[-1])
        return found

    def ambiguous(self, target: str) -> tuple[Contact, ...]:
        """The people ``target`` names equally well (two Alex Kims, a shared alias), the one
        ``resolve`` picks first; empty when it names one person."""
        return tuple(self._ties.get(fold(target.removesuffix(".md")), ()))

    def search(self, query: str) -> list[Contact]:
        """The people ``query`` may mean, best matches only, as a command line finds them.

        In order, the first that finds anyone: the name, file name or alias exactly
        (every person it names equally well, ``ambiguous``); the same with accents and
        the letters a keyboard lacks aside (``fold_typed``); a name, alias or file name
        starting with ``query``; a word in one starting with it (the surname: ``okafor``).
        """
        exact = self.resolve(query)
        if exact is not None:
            return list(self.ambiguous(query)) or [exact]
        key = fold_typed(query)
        if not key:
            return []
        word = re.compile(r"(?<!\w)" + re.escape(key))
        found: tuple[list[Contact], list[Contact], list[Contact]] = ([], [], [])
        for contact in self.contacts:
            texts = [fold_typed(t) for t in (contact.name, contact.stem, *contact.aliases)]
            if key in texts:
                found[0].append(contact)
            elif any(t.startswith(key) for t in texts):
                found[1].append(contact)
            elif any(word.search(t) for t in texts):
                found[2].append(contact)
        best = next((tier for tier in found if tier), [])
        return sorted(best, key=lambda c: (fold(c.name), c.src_uri))


def keys_of(contact: Contact) -> Iterator[str]:
    """The keys ``Directory`` files ``contact`` under: name, path, file stem, aliases."""
    yield fold(contact.name)
    yield fold(contact.src_uri.removesuffix(".md"))
    yield fold(contact.stem)
    for alias in contact.aliases:
        yield fold(alias)


def may_name(keys: set[str], targets: Iterable[str]) -> bool:
    """Whether a link to one of ``targets`` may find someone filed under one of ``keys``:
    looked up whole and by its last part, as ``Directory.resolve`` does."""
    if not keys:
        return False
    for target in targets:
        key = fold(target.removesuffix(".md"))
        if key in keys or key.rsplit("/", 1)[-1] in keys:
            return True
    return False
