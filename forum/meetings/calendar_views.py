"""Calendars: one meeting's ``.ics``, the private feed, and the page that makes, replaces or
deletes the feed's address (forum/meetings/calendar.py, feeds.py)."""
from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from forum.errors import NotFound
from forum.extensions import limiter
from forum.notifications import mail
from forum.web.forms import ConfirmForm, require_confirmation
from forum.web.ratelimits import network_key

from . import calendar, display, feeds
from .blueprint import bp

# Calendar applications poll a feed every 15 minutes to a few hours: well under these.
FEED_LIMIT_PER_TOKEN = "30 per hour"
FEED_LIMIT_PER_NETWORK = "300 per hour"     # a whole office behind one address


def _feed_token_key():
    return "calendar-feed:" + feeds.token_hash(request.view_args.get("token"))


def _ics(body, filename):
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/reunion/<int:meeting_id>.ics", endpoint="ics")
def meeting_ics(meeting_id):
    meeting = display.visible(current_user, meeting_id)
    if meeting is None:
        raise NotFound(_("Cette réunion n'existe pas ou ne vous est pas accessible."))
    return _ics(calendar.one_meeting(current_user, meeting), f"reunion-{meeting.id}.ics")


@bp.get("/calendrier/<token>.ics", endpoint="feed")
@limiter.limit(FEED_LIMIT_PER_TOKEN, key_func=_feed_token_key)
@limiter.limit(FEED_LIMIT_PER_NETWORK, key_func=network_key)
def feed(token):
    member = feeds.member_of(token)
    if member is None:
        raise NotFound(_("Cette adresse d'abonnement n'existe pas ou a été remplacée."))
    return _ics(calendar.feed(member), "agora-reunions.ics")


@bp.get("/preferences/calendrier", endpoint="calendar_settings")
@login_required
def calendar_settings():
    return render_template("meetings/calendar_settings.html", feed=feeds.feed_of(current_user),
                           form=ConfirmForm())


@bp.post("/preferences/calendrier/nouvelle-adresse", endpoint="calendar_create")
@login_required
def calendar_create():
    require_confirmation()
    token = feeds.create(current_user)
    url = mail.absolute_url("meetings.feed", token=token)
    # webcal:// asks the system's calendar application to subscribe (the same address otherwise).
    return render_template("meetings/calendar_token.html", url=url, webcal="webcal://" + url.split("://", 1)[1])


@bp.post("/preferences/calendrier/supprimer", endpoint="calendar_delete")
@login_required
def calendar_delete():
    require_confirmation()
    feeds.remove(current_user)
    flash(_("Votre abonnement est supprimé : son adresse ne donne plus rien."))
    return redirect(url_for("meetings.calendar_settings"), 303)
