"""The feeds (« flux Atom ») and the page that makes, replaces or deletes a member's private
address. Each feed follows a page and is made by that page's reading function (content.py)."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from forum.extensions import db
from forum.notifications import mail
from forum.topics.finding import get_readable_space, get_readable_topic, get_tag
from forum.permissions import readable_spaces
from forum.topics.models import VISIBILITY_PUBLIC, Space
from forum.web import page_cache
from forum.web.forms import ConfirmForm, require_confirmation

from . import content, tokens
from .blueprint import bp, feed_view

ALL_SPACES = [page_cache.SITE, "space-*"]


def _space_scopes(slug):
    space_id = db.session.scalar(select(Space.id).where(Space.slug == slug))
    return [page_cache.SITE, f"space-{space_id}"]


@feed_view("/recents.atom", "latest", scopes=lambda: ALL_SPACES)
def latest(viewer, token):
    return content.latest(viewer, token)


@feed_view("/espace/<slug>.atom", "space", scopes=_space_scopes)
def space(viewer, token, slug):
    return content.space(viewer, get_readable_space(slug, viewer), token)


@feed_view("/etiquette/<slug>.atom", "tag", scopes=lambda slug: ALL_SPACES)
def tag(viewer, token, slug):
    return content.tag(viewer, get_tag(slug), token)


@feed_view("/sujet/<int:topic_id>.atom", "topic", scopes=lambda topic_id: [page_cache.SITE, f"topic-{topic_id}"])
def topic(viewer, token, topic_id):
    return content.topic(viewer, get_readable_topic(topic_id, viewer), token)


@feed_view("/syntheses.atom", "all_syntheses", scopes=lambda: [page_cache.SITE, "space-*", "capitalisation"])
def all_syntheses(viewer, token):
    return content.capitalised_syntheses(viewer, token)


# Their pages are not kept for visitors (a synthesis's versions, a decision's outcome bump the
# site's or a topic's version, not the space's): the feeds are not either.
@feed_view("/espace/<slug>/syntheses.atom", "syntheses")
def syntheses(viewer, token, slug):
    return content.published_syntheses(viewer, get_readable_space(slug, viewer), token)


@feed_view("/espace/<slug>/decisions.atom", "outcomes")
def outcomes(viewer, token, slug):
    return content.outcomes(viewer, get_readable_space(slug, viewer), token)


@bp.get("/preferences/flux", endpoint="settings")
@login_required
def settings():
    return render_template("feeds/settings.html", row=tokens.token_of(current_user), form=ConfirmForm())


@bp.post("/preferences/flux/nouvelle-adresse", endpoint="create")
@login_required
def create():
    require_confirmation()
    token = tokens.create(current_user)
    # The spaces a visitor cannot read, each with its own address: what a member came for.
    reserved = [(space, mail.absolute_url("feeds.space", token=token, slug=space.slug))
                for space in readable_spaces(current_user) if space.visibility != VISIBILITY_PUBLIC]
    return render_template("feeds/token.html", url=mail.absolute_url("feeds.latest", token=token),
                           prefix=mail.absolute_url("feeds.latest", token=token).rsplit("/", 1)[0], reserved=reserved)


@bp.post("/preferences/flux/supprimer", endpoint="delete")
@login_required
def delete():
    require_confirmation()
    tokens.remove(current_user)
    flash(_("Votre adresse de flux privée est supprimée : ses flux ne donnent plus rien."))
    return redirect(url_for("feeds.settings"), 303)
