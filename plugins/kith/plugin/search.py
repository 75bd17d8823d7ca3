"""What the search index reads of a person page, what the theme draws of it, and the
accent-folded words that let "kruger" find "Krüger"."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable, Iterator, Mapping
from typing import Any

from kith.plugin.page import KithPage

_SEARCH_ATTRIBUTE = re.compile(r'\s?data-search-\w+="[^"]+"')

FOLDED = {"title": "title_folded", "text": "text_folded"}
"""The field of the search index that holds each field's words without their accents."""
_LETTERS = str.maketrans(
    {
        "ł": "l",
        "ø": "o",
        "ß": "ss",
        "æ": "ae",
        "œ": "oe",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "ı": "i",
        "ħ": "h",
    }
)
"""Letters of their own rather than a letter and a mark: Unicode does not take them apart."""
_FOLDABLE = re.compile(r"[\u00c0-\u024f\u0300-\u036f\u1e00-\u1eff\ufb00-\ufb06\uff21-\uff5a]")
"""A letter that may read as ASCII without its accent: Latin with accents, strokes or
ligatures, a lone combining mark, a full-width letter."""
_RUN_ON = re.compile(r"[^\s<>]*")
_LONGEST = 256
"""How far back a word is looked for (a longer one is cut there; it is no name)."""
_EDGE = re.compile(r"^[\W_]+|[\W_]+$")
_RUN = re.compile(r"[a-z0-9]{2,}")
_DEFAULT_SEPARATOR = r"[\s\-]+"
"""Material's own for English, when the index names none or one Python cannot read."""


# Tags the search index needs to split a page into sections and leave out permalinks;
# everything else in kith's blocks is layout, and costs the index a parse per tag.
_LAYOUT_TAG = re.compile(
    r'<(?!/?h[1-6][\s>]|a class="headerlink"|/a>|/?p>|/?code>|/?pre[\s>])[^>]*>'
)
# What kith works out rather than what you know of a person: the follow-up figures,
# favor counts and promises of the card (the log has the promises), the commit lines'
# hashes, and the mentions on other people's pages (indexed there, where they are
# written). Searching finds people by what you wrote; the figures have their pages.
_DERIVED = re.compile(  # one "<" first: the engine skips to it instead of trying each place
    r'<(?:dt>[^<]*</dt><dd class="kith-(?:last-contact|cadence|next-due|favor-balance|promises'
    r'|checked)"[^>]*>.*?</dd>\n?'
    r'|span class="kith-(?:commit|file-change)"[^>]*>.*?</span>'
    r'|(?:h2 id="[^"]*">Mentioned by<a class="headerlink"[^>]*>[^<]*</a></h2>\n<)?'
    r'ul class="kith-backlinks">.*?</ul>)',
    re.S,
)


def search_text(content: str) -> str:
    """The page as the search index should read it: the same words and sections,
    without what kith works out (``_DERIVED``) and without the layout tags (a
    person page has some 80 of them). A note that excludes part of itself from
    search keeps its tags, which the search plugin reads to leave that part out."""
    content = _DERIVED.sub("", content)
    if "data-search-exclude" in content:
        return content
    return _LAYOUT_TAG.sub(" ", content)


def show_to_search(page: KithPage) -> None:
    """Before the search plugin indexes the page: its words and headings without the
    card's and timeline's layout."""
    content = page.content
    if content:
        page.show(search_text(content))


def show_to_theme(page: KithPage) -> None:
    """After the search plugin: the page as drawn, without the marks meant for search."""
    page.show(None)
    content = page.content
    if content and "data-search-" in content:
        page.content = _SEARCH_ATTRIBUTE.sub("", content)


def folded(word: str) -> str:
    """``word`` in lower case without its accents: "Wiśniewski" → "wisniewski",
    "Straße" → "strasse", "Łukasz" → "lukasz"."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).translate(_LETTERS)


def folded_words(html: str, separator: re.Pattern[str]) -> list[str]:
    """The words of ``html`` (a title or text of the search index) with accented Latin
    letters, as they read without the accents, once each. Greek, Cyrillic or Japanese
    would lose letters, not accents: only what folds to ASCII counts."""
    words: dict[str, None] = {}
    tokens = (token for run in _accented_runs(html) for token in separator.split(run))
    for token in tokens:
        if token.isascii() or not any(map(_accented, token)):
            continue  # "“Hello”" or "10€" read the same without accents
        word = _EDGE.sub("", folded(token))
        if word.isascii() and len(word) > 1:
            words[word] = None
        if not word.isalnum():  # "Krüger’s", "Krüger/Wiśniewski": their parts are words too
            words.update(dict.fromkeys(_RUN.findall(word)))
    return list(words)


def _accented(char: str) -> bool:
    """A letter beyond ASCII, or a mark that accents the letter before it."""
    return not char.isascii() and (char.isalpha() or unicodedata.combining(char) > 0)


def _accented_runs(html: str) -> Iterator[str]:
    """The runs of text between spaces and tags that hold a letter that folds (found
    from those letters: most of an index is ASCII, dashes and quotes)."""
    end = 0
    for letter in _FOLDABLE.finditer(html):
        at = letter.start()
        if at < end:
            continue
        low = max(0, at - _LONGEST)
        start = max(low, *(html.rfind(edge, low, at) + 1 for edge in " \n\t>"))
        on = _RUN_ON.match(html, at)
        end = on.end() if on else at + 1
        yield html[start:end]


def fold_docs(
    docs: list[dict[str, Any]], config: dict[str, Any], folded: Collection[int] = ()
) -> bool:
    """Give each document of Material's search index (``docs``, under its ``config``)
    its accented words without their accents, in fields of their own (``FOLDED``)
    weighted as the fields they come from: the search box lowercases what you type but
    keeps its accents, so "kruger" finds "Krüger" only through them, while the results
    show the titles and texts as written. Whether any document got some. The documents
    in ``folded`` (by ``id``: a serve build's kept entries) have theirs already."""
    separator = _separator(config.get("separator"))
    added = False
    for doc in docs:
        if folded and id(doc) in folded:
            added = added or any(extra in doc for extra in FOLDED.values())
            continue
        for field, extra in FOLDED.items():
            value = doc.get(field)
            if isinstance(value, str) and not value.isascii():
                words = folded_words(value, separator)
                if words:
                    doc[extra] = " ".join(words)
                    added = True
    fields = config.get("fields")
    if added and isinstance(fields, dict):
        for field, extra in FOLDED.items():
            fields[extra] = dict(fields.get(field) or {"boost": 1.0})
    return added


def fold_search_index(plugins: Iterable[object], folded: Collection[int] = ()) -> None:
    """Before Material's search plugin writes its index (it keeps the documents in
    ``search_index.entries``, its options in ``config``): fold the documents. MkDocs'
    own search plugin, which indexes nothing but titles and texts, is left as it is."""
    for plugin in plugins:
        docs = getattr(getattr(plugin, "search_index", None), "entries", None)
        config = getattr(plugin, "config", None)
        if isinstance(docs, list) and isinstance(config, Mapping) and "fields" in config:
            fold_docs(docs, {key: config[key] for key in ("separator", "fields")}, folded)


def _separator(pattern: object) -> re.Pattern[str]:
    """The index's word separator (a JavaScript regular expression) for Python."""
    if isinstance(pattern, str) and pattern:
        try:
            return re.compile(pattern)
        except re.error:
            pass
    return re.compile(_DEFAULT_SEPARATOR)
