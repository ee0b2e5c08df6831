"""Gzip for text responses: a topic of 100 posts must reach an old phone on a weak connection.

Written here rather than taken from Flask-Compress because the one rule that matters is ours:
pages carry secrets (the CSRF token in every page) next to text a stranger can put there (a
post, a search query), which is what BREACH needs, measuring compressed sizes of responses to
requests it makes the victim's browser send from another site. So a page is compressed only
for requests the browser marks as coming from this site or typed by the member
(``Sec-Fetch-Site: same-origin`` or ``none``); a cross-site request, or a browser too old to
say, gets it uncompressed. Static files hold no secret and are always compressed (once each,
then kept).
"""
import gzip

from flask import current_app, request

TEXT_TYPES = {"text/html", "text/css", "text/plain", "text/csv", "application/javascript",
              "text/javascript", "application/json", "image/svg+xml", "application/xml"}
MIN_BYTES = 500          # below this, the gzip header costs more than it saves
LEVEL = 6
TRUSTED_FETCH_SITES = {"same-origin", "none"}


def init_app(app):
    if app.config["COMPRESS_RESPONSES"]:
        app.after_request(compress)


def compress(response):
    if (response.status_code != 200 or response.is_streamed and not response.direct_passthrough
            or response.mimetype not in TEXT_TYPES or "Content-Encoding" in response.headers
            or request.method != "GET"):
        return response
    static = request.endpoint == "static"
    response.vary.add("Accept-Encoding")
    if not static:
        response.vary.add("Sec-Fetch-Site")
    if "gzip" not in request.accept_encodings or (
            not static and request.headers.get("Sec-Fetch-Site") not in TRUSTED_FETCH_SITES):
        return response
    if static:
        body = _compressed_static(response)
    else:
        data = response.get_data()
        body = gzip.compress(data, LEVEL, mtime=0) if len(data) >= MIN_BYTES else None
    if body is None:
        return response
    response.direct_passthrough = False
    response.set_data(body)
    response.headers["Content-Encoding"] = "gzip"
    response.headers["Content-Length"] = str(len(body))
    if response.get_etag()[0]:   # the strong ETag named the uncompressed bytes
        response.set_etag(response.get_etag()[0] + "-gz")
    return response


def _compressed_static(response):
    """The gzipped bytes of a static file, made once per file version (its ETag)."""
    cache = current_app.extensions.setdefault("agora_gzipped_static", {})
    key = (request.path, response.get_etag()[0])
    if key not in cache:
        response.direct_passthrough = False
        data = response.get_data()
        cache[key] = gzip.compress(data, LEVEL, mtime=0) if len(data) >= MIN_BYTES else None
    return cache[key]
