"""Where a page may send a member next: only to a path of this site."""
from urllib.parse import urlsplit


def safe_next(target):
    """``target`` if it is a same-site path, else None: never redirect a member to another host."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target
