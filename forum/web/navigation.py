"""Where a page may send a member next: only to a path of this site."""
from urllib.parse import urlsplit


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
