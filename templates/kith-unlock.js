// kith's encrypted site: every page is sealed (AES-256-GCM, the key derived from the
// password with PBKDF2-SHA256). This script asks for the password once a browser
// session, keeps the derived key in sessionStorage, and puts the page in place; it
// opens the search index for Material's search and the files pages link.
(() => {
  "use strict";
  const STORE = "kith-site-key";
  const sealed = document.getElementById("kith-sealed");
  const salt = sealed.dataset.salt;
  const base = new URL(sealed.dataset.base || "./", location.href);
  const indexPath = new URL("search/search_index.json", base).pathname;

  const bytes = (text) => Uint8Array.from(atob(text.trim()), (c) => c.charCodeAt(0));
  const text64 = (data) => btoa(String.fromCharCode(...data));

  async function derive(password) {
    const material = await crypto.subtle.importKey(
      "raw", new TextEncoder().encode(password), "PBKDF2", false, ["deriveBits"]);
    const bits = await crypto.subtle.deriveBits(
      { name: "PBKDF2", hash: "SHA-256", salt: bytes(salt),
        iterations: Number(sealed.dataset.iterations) },
      material, 256);
    return new Uint8Array(bits);
  }

  async function open(key, data) {
    const aes = await crypto.subtle.importKey("raw", key, "AES-GCM", false, ["decrypt"]);
    const zipped = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: data.slice(0, 12) }, aes, data.slice(12));
    const stream = new Blob([zipped]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  }

  // Material fetches the search index with an XMLHttpRequest (a Blob) and hands it
  // to its worker: that one request gets the index opened instead.
  function openSearchIndex(key) {
    const xhrOpen = XMLHttpRequest.prototype.open;
    const xhrSend = XMLHttpRequest.prototype.send;
    XMLHttpRequest.prototype.open = function (method, url, ...rest) {
      this.kithIndex = new URL(String(url), location.href).pathname === indexPath;
      return xhrOpen.call(this, method, url, ...rest);
    };
    XMLHttpRequest.prototype.send = function (body) {
      if (!this.kithIndex) return xhrSend.call(this, body);
      fetch(new URL(indexPath, location.href))
        .then((response) => response.ok ? response.text() : Promise.reject(response.status))
        .then((data) => open(key, bytes(data)))
        .then((index) => {
          Object.defineProperty(this, "readyState", { value: 4 });
          Object.defineProperty(this, "status", { value: 200 });
          Object.defineProperty(this, "response", {
            value: new Blob([index], { type: "application/json" }) });
          this.dispatchEvent(new ProgressEvent("load"));
        }, () => this.dispatchEvent(new ProgressEvent("error")));
    };
  }

  // A sealed file: "name \0 type \0 bytes". Images, sound and video are opened at
  // once; a link when it is followed.
  async function openFile(key, url) {
    const response = await fetch(url);
    const data = await open(key, new Uint8Array(await response.arrayBuffer()));
    const first = data.indexOf(0);
    const second = data.indexOf(0, first + 1);
    const decode = (part) => new TextDecoder().decode(part);
    const kind = decode(data.slice(first + 1, second));
    const blob = new Blob([data.slice(second + 1)], { type: kind });
    return { name: decode(data.slice(0, first)), url: URL.createObjectURL(blob) };
  }

  function openFiles(key) {
    const sealedUrl = (value) => value && new URL(value, location.href).pathname.endsWith(".locked");
    for (const element of document.querySelectorAll("img[src], source[src], audio[src], video[src]")) {
      const src = element.getAttribute("src");
      if (sealedUrl(src)) {
        openFile(key, src).then((file) => { element.src = file.url; });
      }
    }
    for (const link of document.querySelectorAll("a[href]")) {
      const href = link.getAttribute("href");
      if (!sealedUrl(href)) continue;
      link.addEventListener("click", (event) => {
        if (link.dataset.kithOpened) return;
        event.preventDefault();
        openFile(key, href).then((file) => {
          link.href = file.url;
          link.download = file.name;
          link.dataset.kithOpened = "yes";
          link.click();
        });
      });
    }
  }

  async function show(key) {
    const html = new TextDecoder().decode(await open(key, bytes(sealed.textContent)));
    openSearchIndex(key);
    const done = () => {
      openFiles(key);
      if (location.hash) {
        const target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
        if (target) target.scrollIntoView();
      }
    };
    document.open();
    document.write(html);
    document.close();
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", done, { once: true });
    } else {
      done();
    }
  }

  function ask(message) {
    const lock = document.getElementById("kith-lock");
    const form = document.getElementById("kith-unlock");
    const input = document.getElementById("kith-password");
    const said = document.getElementById("kith-unlock-message");
    lock.hidden = false;
    said.textContent = message || "";
    input.focus();
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      said.textContent = "Unlocking…";
      const key = await derive(input.value);
      try {
        await open(key, bytes(sealed.textContent));
      } catch (wrong) {
        said.textContent = "Wrong password.";
        input.select();
        return;
      }
      sessionStorage.setItem(STORE, JSON.stringify({ salt, key: text64(key) }));
      await show(key);
    });
  }

  const stored = JSON.parse(sessionStorage.getItem(STORE) || "null");
  if (stored && stored.salt === salt) {
    show(bytes(stored.key)).catch(() => {
      sessionStorage.removeItem(STORE);
      ask();
    });
  } else {
    ask(stored ? "The site was rebuilt: unlock it again." : "");
  }
})();
