"""The encrypted build (``encrypt: true``): a site that can be hosted anywhere and read
only with the password in ``KITH_SITE_PASSWORD``.

Every page is written as a small locked page holding the original HTML sealed with
AES-256-GCM (``cryptography``'s ``AESGCM``) under a key derived from the password with
PBKDF2-SHA256; ``kith-unlock.js`` derives the same key in the browser (WebCrypto),
keeps it in ``sessionStorage`` for the rest of the session and puts the page in place.
The search index and the files pages link (a PDF, a photo) are sealed with the same
key. Addresses would give names away (``people/jane-doe/``): person pages, journal
notes and attached files get opaque ones, a keyed hash of their source path under a
second key from the password, so they stay the same from build to build.
"""

from __future__ import annotations

import base64
import functools
import gzip
import hashlib
import hmac
import mimetypes
import os
import posixpath
from collections.abc import Mapping
from dataclasses import dataclass
from html import escape
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.utils import get_relative_url

from kith.core.config import Settings
from kith.pages.followup_pages import FEED_URI
from kith.pages.render import BUILTIN_TEMPLATES

PASSWORD_VARIABLE = "KITH_SITE_PASSWORD"
ITERATIONS = 600_000
"""PBKDF2-SHA256 rounds: OWASP's figure for it (2023). Each guess costs as much."""
UNLOCK_URI = "assets/kith-unlock.js"
SEARCH_INDEX_URI = "search/search_index.json"
SEALED_SUFFIX = ".locked"
"""What an attached file's address ends with once sealed: the script opens these."""
_ADDRESS_SALT = b"kith: opaque page addresses"
"""The addresses' key must be the same at every build (links and bookmarks keep
working); the pages' salt is new at every run."""
_NONCE = 12


@dataclass(frozen=True)
class Lock:
    """The keys of one build: the pages' key (and its salt, which the pages carry) and
    the addresses' key."""

    key: bytes
    salt: bytes
    address_key: bytes
    iterations: int = ITERATIONS

    def seal(self, data: bytes) -> bytes:
        """``nonce || AES-GCM(gzip(data))``: what WebCrypto's ``decrypt`` takes after
        the nonce (ciphertext and tag)."""
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        nonce = os.urandom(_NONCE)
        return nonce + AESGCM(self.key).encrypt(nonce, gzip.compress(data, mtime=0), None)

    def open(self, sealed: bytes) -> bytes:
        """``seal`` undone (for the tests, and to check a key)."""
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        plain = AESGCM(self.key).decrypt(sealed[:_NONCE], sealed[_NONCE:], None)
        return gzip.decompress(plain)

    def slug(self, src_uri: str) -> str:
        """An address that says nothing of the page: the same path, the same slug."""
        digest = hmac.new(self.address_key, src_uri.encode("utf-8"), hashlib.sha256)
        return digest.hexdigest()[:24]


def site_lock(environ: Mapping[str, str]) -> Lock:
    """The build's lock, from the password in the environment; one clear line when the
    password is missing (the build stops rather than publish the network)."""
    password = environ.get(PASSWORD_VARIABLE, "")
    if not password:
        raise PluginError(
            f"kith option 'encrypt' is true but {PASSWORD_VARIABLE} is not set or is empty:"
            f" set the site's password in it (export {PASSWORD_VARIABLE}=...) and build again"
        )
    return _derived(password)


@functools.lru_cache(maxsize=1)
def _derived(password: str) -> Lock:
    """Derived once a process (a serve session's rebuilds reuse it); held in memory only."""
    salt = os.urandom(16)
    return Lock(_stretch(password, salt), salt, _stretch(password, _ADDRESS_SALT))


def _stretch(password: str, salt: bytes) -> bytes:
    # Imported here: a site that seals nothing loads no cryptography (6 MiB of memory).
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

    kdf = PBKDF2HMAC(algorithm=hashes.SHA256(), length=32, salt=salt, iterations=ITERATIONS)
    return kdf.derive(password.encode("utf-8"))


def without_instant_loading(config: MkDocsConfig) -> None:
    """Material's instant loading swaps pages in by XHR: it would swap in locked pages.
    Links load pages as usual instead, each unlocked with the session's key."""
    features = config.theme.get("features")
    if isinstance(features, list):
        features[:] = [f for f in features if not str(f).startswith("navigation.instant")]


def seal_files(files: Files, config: MkDocsConfig, lock: Lock, settings: Settings) -> None:
    """The files besides the pages: the attached ones sealed at opaque addresses, the
    unlock script added, and the calendar feed left out unless it has a secret address
    (a calendar cannot unlock it: it stays plain, where only its secret leads)."""
    keep = {*config.extra_css, *(str(js) for js in config.extra_javascript)}
    for file in list(files):
        if file.is_documentation_page() or file.generated_by is not None:
            continue
        if file.src_dir != config.docs_dir or file.src_uri in keep:  # theme assets
            continue
        name = posixpath.basename(file.src_uri)
        kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
        head = f"{name}\0{kind}\0".encode()
        file.content_bytes = lock.seal(head + file.content_bytes)
        _move(file, f"files/{lock.slug(file.src_uri)}{SEALED_SUFFIX}")
    if not settings.feed_secret:
        feed = files.get_file_from_path(FEED_URI)
        if feed is not None:
            files.remove(feed)
    script = (BUILTIN_TEMPLATES / "kith-unlock.js").read_text(encoding="utf-8")
    files.append(File.generated(config, UNLOCK_URI, content=script))


def _move(file: File, dest_uri: str) -> None:
    file.dest_uri = dest_uri
    for cached in ("url", "abs_dest_path"):  # MkDocs computes them from dest_uri, once
        file.__dict__.pop(cached, None)


def lock_page(html: str, url: str | None, lock: Lock, config: MkDocsConfig) -> str:
    """A page as written: a locked page with a generic title, holding the page sealed."""
    if url is None:  # 404.html: served at any address, so its links start at the root
        root = urlsplit(config.site_url or "").path or "/"
        base = root if root.endswith("/") else root + "/"
    else:
        base = get_relative_url(".", url).rstrip("/") + "/"
        base = "" if base == "./" else base
    sealed = base64.b64encode(lock.seal(html.encode("utf-8"))).decode("ascii")
    salt = base64.b64encode(lock.salt).decode("ascii")
    return SHELL.format(
        base=escape(base),
        salt=salt,
        iterations=lock.iterations,
        sealed=sealed,
        script=escape(base + UNLOCK_URI),
    )


def seal_search_index(site_dir: str, lock: Lock) -> None:
    """The search index sealed in place (the script opens it for Material's search)."""
    path = Path(site_dir) / SEARCH_INDEX_URI
    if path.is_file():
        sealed = lock.seal(path.read_bytes())
        path.write_bytes(base64.b64encode(sealed))


SHELL = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>Locked</title>
<link rel="icon" href="data:,">
<style>
body {{ font-family: system-ui, sans-serif; margin: 0; display: grid; min-height: 100vh;
  place-items: center; background: #fafafa; color: #222; }}
form {{ display: grid; gap: .75rem; padding: 2rem; max-width: 20rem; }}
input, button {{ font: inherit; padding: .5rem .75rem; }}
button {{ background: #00796b; color: #fff; border: 0; border-radius: 4px; cursor: pointer; }}
[role=alert] {{ color: #b00020; min-height: 1.5em; margin: 0; }}
</style>
</head>
<body>
<main id="kith-lock" hidden>
<form id="kith-unlock">
<h1>Locked</h1>
<label for="kith-password">Password</label>
<input id="kith-password" type="password" autocomplete="current-password" required>
<button type="submit">Unlock</button>
<p id="kith-unlock-message" role="alert"></p>
</form>
</main>
<noscript>This site is encrypted: opening it needs JavaScript.</noscript>
<script id="kith-sealed" type="application/octet-stream" data-base="{base}" data-salt="{salt}"
 data-iterations="{iterations}">{sealed}</script>
<script src="{script}"></script>
</body>
</html>
"""
