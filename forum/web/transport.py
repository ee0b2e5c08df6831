"""How requests reach the app: the proxies trusted in front of it, and cookies kept to HTTPS.

Behind a reverse proxy the app sees the proxy's address and scheme. ``PROXY_COUNT`` says how
many proxies to believe: their ``X-Forwarded-For`` and ``X-Forwarded-Proto`` then give the
client's address (rate limits, logs) and scheme. With 0 (the default) those headers are
ignored, since any client can send them.
"""
from werkzeug.middleware.proxy_fix import ProxyFix

# A plain-HTTP request to one of these hosts is a developer's own machine (`make run`, tests).
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")


def init_app(app):
    """Wrap the WSGI app last, so that Socket.IO's handshake sees the same client as pages."""
    if app.config["SESSION_COOKIE_SECURE"] is None:
        app.wsgi_app = SecureCookies(app.wsgi_app)
    count = int(app.config["PROXY_COUNT"] or 0)
    if count > 0:
        # Only the headers every common proxy sets; a forwarded Host would let a client pick
        # the host of absolute links when the proxy does not overwrite it.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=0, x_port=0, x_prefix=0)


def wants_secure(environ):
    """Cookies are Secure over HTTPS, and over plain HTTP to any host but this machine's: a
    site served to others over HTTP behind a TLS proxy it does not trust still marks them."""
    if environ.get("wsgi.url_scheme") == "https":
        return True
    host = (environ.get("HTTP_HOST") or environ.get("SERVER_NAME") or "").lower()
    name = host[:host.find("]") + 1] if host.startswith("[") else host.split(":")[0]
    return name not in LOOPBACK_HOSTS


class SecureCookies:
    """``SESSION_COOKIE_SECURE`` unset: add ``Secure`` to every cookie the app sets (session,
    remember-me, language) when ``wants_secure``; Flask and Flask-Login only know a fixed value."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        if not wants_secure(environ):
            return self.wsgi_app(environ, start_response)

        def secure_start_response(status, headers, exc_info=None):
            headers = [(name, _secure(value) if name.lower() == "set-cookie" else value)
                       for name, value in headers]
            return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)
        return self.wsgi_app(environ, secure_start_response)


def _secure(cookie):
    attributes = [part.strip().lower() for part in cookie.split(";")[1:]]
    return cookie if "secure" in attributes else cookie + "; Secure"
