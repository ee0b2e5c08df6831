"""Where a page may send a member next (same-site paths only), and whether a request is a page
the member asked for (not an image or a script's fetch)."""
from urllib.parse import urlsplit

from flask import request


def safe_next(target):
    """``target`` if it is a same-site path, else None: never redirect a member to another host.

    Browsers read a backslash as a slash and drop tabs and line breaks inside a URL, so
    ``/\\evil.example`` or ``/\\t/evil.example`` would leave the site: any of them refuses the target."""
    if not target or not isinstance(target, str):
        return None
    if "\\" in target or any(ord(c) < 33 or ord(c) == 127 for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def is_navigation():
    """True when the browser loads this URL as the page itself (a click, a typed address).

    Reading a page may record that it was read, but an ``<img src>`` or a ``fetch()`` pointing
    at it must not: browsers say which by ``Sec-Fetch-Dest`` / ``Sec-Fetch-Mode``. Without those
    headers (old browsers, command-line clients) the request counts as a navigation."""
    destination = request.headers.get("Sec-Fetch-Dest", "document")
    mode = request.headers.get("Sec-Fetch-Mode", "navigate")
    return destination == "document" and mode == "navigate"
