"""The one link policy: which addresses from a repository may become links in what essaimage
writes (HTML kit, site, plan, PDF annotations, ODT and DOCX links, Markdown kit).

A link is kept only when it is a web page (`http://`, `https://` with a host), an e-mail address
(`mailto:`) or an anchor inside the same document (`#section`). Everything else is refused: a
path relative to where the document lies (`../x`, `//serveur/partage`, `\\\\serveur\\partage`),
which a PDF reader or a word processor resolves against the file's folder, and every other
scheme (`javascript:`, `data:`, `file:`, `smb:`, `ms-msdt:`, `search-ms:`, `ftp:`…), some of
which run a program on Windows. The address is read as a browser reads it (WHATWG URL): spaces
and control characters around it dropped, tabs and line breaks inside it dropped, `\\` as `/`,
the scheme in any case. Nothing here uses a regular expression.
"""

from __future__ import annotations

from urllib.parse import urlsplit

WEB_SCHEMES = ("http", "https")
# What a browser drops before reading an address: C0 controls and the space around it, ASCII
# tabs and line breaks anywhere in it (WHATWG URL, « basic URL parser »).
_AROUND = "".join(chr(c) for c in range(0x21))
_INSIDE = str.maketrans("", "", "\t\n\r")
_SCHEME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789+-.")


def as_read(url: str) -> str:
    """The address as a browser reads it: spaces and controls around it, and tabs and line
    breaks inside it, dropped."""
    return url.strip(_AROUND).translate(_INSIDE)


def scheme(url: str) -> str | None:
    """The scheme a browser would read in `url`, in lower case (`"https"`), or None for an
    address without one (a relative path, `//host`, `#anchor`)."""
    text = as_read(url)
    colon = text.find(":")
    if colon < 1 or not text[0].isascii() or not text[0].isalpha():
        return None
    name = text[:colon].lower()
    return name if _SCHEME_CHARS.issuperset(name) else None


def is_web_link(url: str) -> bool:
    """True for an `http://` or `https://` address with a host."""
    text = as_read(url)
    name = scheme(text)
    if name not in WEB_SCHEMES:
        return False
    rest = text[len(name) + 1 :].replace("\\", "/")
    return rest.startswith("//") and rest[2:3] not in ("", "/", "?", "#")


def is_safe_link(url: str) -> bool:
    """Whether an address from a repository may be a link: a web page (http, https), an e-mail
    address (mailto) or an anchor in the same document (`#…`); never a relative path, a
    `//host` address nor another scheme."""
    text = as_read(url)
    if text.startswith("#"):
        return len(text) > 1
    name = scheme(text)
    if name == "mailto":
        return len(text) > len("mailto:")
    return is_web_link(text)


HOME_PAGES = frozenset({"", "index.html", "index.htm", "index.php", "accueil", "home"})


def is_home_page(url: str) -> bool:
    """True for the address of a site's home page: no path (or `/`, `/fr/`, `/index.html`), no
    query, no fragment; a source there cites no document (rule D305). Plain string work on the
    parsed address: no pattern."""
    try:
        parts = urlsplit(as_read(url))
    except ValueError:  # « http://[::1 »: no address, so no home page either
        return False
    path = parts.path.strip("/").lower()
    language = len(path) == 2 and path.isalpha()
    return not parts.query and not parts.fragment and (path in HOME_PAGES or language)
