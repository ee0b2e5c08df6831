"""Links routed once and filled many times: for what every post of a page repeats, and for scripts.

``url_for`` costs about ten times a string format, and a topic page of 100 posts repeats half a
dozen links per post. So an endpoint is routed once, with marker values for its arguments, into
a template that each link then fills (``link_url``); the templates are kept per app, script root and
argument names. Scripts get such templates too (``url_template``, with ``{name}`` placeholders
that the script fills), so that no path of the site is written in JavaScript.
"""
from urllib.parse import quote

from flask import current_app, request, url_for

# Marker values routed in place of the arguments: integers (every converter takes them), long
# enough that no path of the site contains them by chance.
_MARK = 7316290000


def _route(endpoint, names):
    """``url_for(endpoint)`` with a marker per name, and the markers as they appear in it."""
    marks = [str(_MARK + index) for index in range(len(names))]
    url = url_for(endpoint, **{name: int(mark) for name, mark in zip(names, marks)})
    for name, mark in zip(names, marks):
        if url.count(mark) != 1:
            raise ValueError(f"{endpoint}: {name} must appear once in its URL")
    return url, marks


class Links:
    """The ``link_url`` and ``url_template`` template globals of one app."""

    def __init__(self, app):
        self.templates = {}
        app.extensions["agora_links"] = self
        app.jinja_env.globals.update(link_url=self.link_url, url_template=self.url_template)

    def link_url(self, endpoint, **values):
        """``url_for(endpoint, **values)`` at the cost of a string format (values are quoted
        whole, as path segments: ids, pseudonyms)."""
        key = (request.script_root, endpoint, *values)
        template = self.templates.get(key)
        if template is None:
            url, marks = _route(endpoint, list(values))
            url = url.replace("{", "{{").replace("}", "}}")
            for index, mark in enumerate(marks):
                url = url.replace(mark, "{%d}" % index)
            template = self.templates[key] = url
        # Integers (ids, nearly every value) need no quoting.
        return template.format(*[value if value.__class__ is int else quote(str(value), safe="")
                                 for value in values.values()])

    def url_template(self, endpoint, *names):
        """The URL of ``endpoint`` with ``{name}`` in place of each argument, for a script to fill,
        e.g. ``url_template("realtime.post_fragment", "post_id")`` is ``/message/{post_id}/fragment``."""
        url, marks = _route(endpoint, names)
        for name, mark in zip(names, marks):
            url = url.replace(mark, "{" + name + "}")
        return url


def link_url(endpoint, **values):
    """``Links.link_url`` of the current app, for Python code building links repeated per post."""
    return current_app.extensions["agora_links"].link_url(endpoint, **values)
