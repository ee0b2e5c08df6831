"""The feeds' blueprint and what every feed view shares: who reads (a visitor, or the member of a
private address's token), the visitors' page cache, the rate limits.

Each feed answers at two addresses: ``/flux/…`` for anyone (what an anonymous visitor reads,
whoever asks: a feed reader carries no session) and ``/flux/prive/<token>/…`` for the member
whose token it is (what that member reads at the time of the request). A revoked or unknown
token answers 404, like the calendar feed's (forum/meetings/calendar_views.py).
"""
from functools import wraps

from flask import Blueprint, current_app, request
from flask_babel import gettext as _

from forum.errors import NotFound
from forum.extensions import limiter
from forum.web import page_cache
from forum.web.ratelimits import network_key

from . import atom, tokens

bp = Blueprint("feeds", __name__)

# Feed readers poll every 15 minutes to a few hours: well under these, for a few dozen feeds.
LIMIT_PER_TOKEN = "120 per hour"
LIMIT_PER_NETWORK = "600 per hour"     # a whole office (or a feed service) behind one address
PRIVATE_PREFIX = "/flux/prive/<token>"


def _token_key():
    return "feed-token:" + tokens.token_hash(request.view_args.get("token") or "")


def reader(token):
    """Who reads the feed: the token's member, or an anonymous visitor (no token)."""
    if token is None:
        return current_app.login_manager.anonymous_user()
    member = tokens.member_of(token)
    if member is None:
        raise NotFound(_("Cette adresse de flux n'existe pas ou a été remplacée."))
    return member


def private_response(feed):
    answer = atom.response(feed)
    answer.headers["Cache-Control"] = "private, no-store"
    return answer


def feed_view(rule, endpoint, scopes=None, on=bp, public=True):
    """Register ``make(viewer, token, **args) -> Feed`` on the blueprint ``on`` at
    ``/flux<rule>`` (unless not ``public``: what no visitor may read) and at its private
    address. The public one is kept for visitors with the content versions ``scopes(**args)``
    (those of the page it follows), when that page is kept too; a private one never is: what a
    member reads changes with their memberships, which bump no page's version."""
    def decorate(make):
        def anonymous(**args):
            return atom.response(make(reader(None), None, **args))
        kept = page_cache.for_visitors(scopes)(anonymous) if scopes else anonymous

        @wraps(make)
        def view(token=None, **args):
            if token is None:
                return kept(**args)
            return private_response(make(reader(token), token, **args))
        limited = limiter.limit(LIMIT_PER_NETWORK, key_func=network_key)(view)
        limited = limiter.limit(LIMIT_PER_TOKEN, key_func=_token_key,
                                exempt_when=lambda: not request.view_args.get("token"))(limited)
        if public:
            on.add_url_rule("/flux" + rule, endpoint, limited, methods=["GET"], defaults={"token": None})
        on.add_url_rule(PRIVATE_PREFIX + rule, endpoint, limited, methods=["GET"])
        return limited
    return decorate
