"""Finding a person by what a link or a command says: name, alias, file stem or path."""

from __future__ import annotations

from collections.abc import Iterable

from .model import Contact


def _key(text: str) -> str:
    return " ".join(text.casefold().split())


class Directory:
    """Case-insensitive lookup of contacts; names win over file stems, stems over aliases."""

    def __init__(self, contacts: Iterable[Contact]) -> None:
        self.contacts = tuple(contacts)
        self._by_key: dict[str, Contact] = {}
        ranked = (
            [(c.name, c) for c in self.contacts]
            + [(c.src_uri.removesuffix(".md"), c) for c in self.contacts]
            + [(c.stem, c) for c in self.contacts]
            + [(alias, c) for c in self.contacts for alias in c.aliases]
        )
        for text, contact in ranked:
            self._by_key.setdefault(_key(text), contact)

    def resolve(self, target: str) -> Contact | None:
        """The contact a ``[[target]]`` means, or ``None``. ``Folder/Name`` and ``Name.md`` work."""
        key = _key(target.removesuffix(".md"))
        if not key:
            return None
        found = self._by_key.get(key)
        if found is None and "/" in key:
            found = self._by_key.get(key.rsplit("/", 1)[-1])
        return found

    def search(self, query: str) -> list[Contact]:
        """Contacts matching exactly; else those whose name, alias or stem starts with ``query``."""
        exact = self.resolve(query)
        if exact is not None:
            return [exact]
        prefix = _key(query)
        if not prefix:
            return []
        found = [
            c
            for c in self.contacts
            if any(_key(text).startswith(prefix) for text in (c.name, c.stem, *c.aliases))
        ]
        return sorted(found, key=lambda c: (_key(c.name), c.src_uri))
