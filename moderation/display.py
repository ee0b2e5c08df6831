"""What moderation adds to the core's pages, as Jinja globals (the core never imports moderation).

Core templates call them only when defined: ``hidden_post_notice(post)`` (the placeholder of a
hidden post, citing the article), ``post_moderation_links(post, topic)`` (Signaler, Modérer),
``moderation_nav()`` (the menu entries), ``space_moderation_links(space)`` and
``read_only_decision_url()`` (where a read-only member reads, and may contest, why).
"""
from flask import current_app, g, has_request_context, url_for
from flask_babel import gettext
from flask_login import current_user
from markupsafe import Markup, escape
from sqlalchemy import exists, select

from forum.charter.citations import references
from forum.extensions import db
from forum.permissions import can_moderate, is_member
from forum.topics.models import KIND_COMMITTEE, Post
from forum.web.links import link_url

from . import queue
from .deciding import decisions_url, in_force
from .models import HOLD_THRESHOLD, REPORT_OPEN, Decision, DecisionArticle, PostHold, Report
from .permissions import can_read_moderation_log, can_report_post


def _holds(topic_id):
    """The holds of a topic's hidden posts, with the articles their decisions cite, read once per page."""
    cache = g.setdefault("moderation_holds", {})
    if topic_id not in cache:
        holds = {hold.post_id: (hold, []) for hold in db.session.scalars(
            select(PostHold).join(Post, Post.id == PostHold.post_id).where(Post.topic_id == topic_id))}
        by_decision = {hold.decision_id: cited for hold, cited in holds.values() if hold.decision_id}
        if by_decision:
            for cite in db.session.scalars(select(DecisionArticle).where(
                    DecisionArticle.decision_id.in_(by_decision)).order_by(DecisionArticle.number)):
                by_decision[cite.decision_id].append(cite.article)
        cache[topic_id] = holds
    return cache[topic_id]


def hidden_post_notice(post):
    hold, articles = _holds(post.topic_id).get(post.id, (None, []))
    if hold is not None and hold.reason == HOLD_THRESHOLD:
        notice = escape(gettext("Message masqué en attente de modération : plusieurs membres l'ont signalé."))
    elif not articles:
        notice = escape(gettext("Message masqué par la modération."))
    else:
        # Each article as the decision cited it (its version then), and where it is today.
        notice = Markup(escape(gettext("Message masqué par la modération — %(articles)s"))) % {
            "articles": references(articles)}
    if is_member(current_user) and current_user.id == post.author_id:
        notice += Markup(" · ") + _write_to_moderation_link(post.topic.space)
    return notice


def _write_to_moderation_link(space):
    """The author of a hidden post may ask why, or disagree: to the comité's moderation, or to the
    coordination for a space outside the comités (issue 21, « Boîtes de groupe »)."""
    if space is not None and space.kind == KIND_COMMITTEE:
        url, text = (url_for("conversations.to_group", group="moderation", comite=space.slug),
                     gettext("Écrire à la modération de ce comité"))
    else:
        url, text = url_for("conversations.to_group", group="coordination"), gettext("Écrire à la coordination")
    return Markup('<a href="%s">%s</a>') % (url, text)


def _rights(space):
    """Whether the reader moderates ``space``, asked once per page (it repeats on every post)."""
    cache = g.setdefault("moderation_rights", {})
    if space.id not in cache:
        cache[space.id] = can_moderate(current_user, space)
    return cache[space.id]


def _words():
    """The link texts, translated and escaped once per page."""
    if "moderation_link_texts" not in g:
        g.moderation_link_texts = {key: str(escape(text)) for key, text in (
            ("report", gettext("Signaler")), ("moderate", gettext("Modérer")),
            ("reported", gettext("Signalé par vous")),
            ("topic", gettext("Modérer le sujet")), ("post", gettext("le message n° %(n)s")))}
    return g.moderation_link_texts


def _reported_by_viewer(viewer, topic_id):
    """The posts of a topic the viewer reported and that await review, read once per page."""
    cache = g.setdefault("moderation_reported", {})
    if topic_id not in cache:
        cache[topic_id] = set(db.session.scalars(
            select(Report.post_id).join(Post, Post.id == Report.post_id)
            .where(Post.topic_id == topic_id, Report.reporter_id == viewer.id, Report.status == REPORT_OPEN)))
    return cache[topic_id]


def post_moderation_links(post, topic):
    """"Signaler" for members, "Modérer" for moderators. Built here with plain strings (ids are
    integers, texts escaped once) rather than by a macro: they repeat on every post of a page."""
    if not has_request_context():   # a fragment rendered for nobody in particular (a broadcast)
        return ""
    viewer = current_user._get_current_object()
    words = _words()
    hidden = ' <span class="visually-hidden">' + words["post"] % {"n": int(post.number)} + "</span>"
    links = []
    if is_member(viewer) and post.id in _reported_by_viewer(viewer, topic.id):
        # Only its reporter sees it (this list is read for the viewer): the report awaits review.
        links.append(f'<span class="badge badge-reported">{words["reported"]}{hidden}</span>')
    elif can_report_post(viewer, post):
        href = escape(link_url("moderation.report", post_id=post.id))
        links.append(f'<a href="{href}" class="action">{words["report"]}{hidden}</a>')
    if _rights(topic.space):
        href = escape(link_url("moderation.post", post_id=post.id))
        links.append(f'<a href="{href}" class="action">{words["moderate"]}{hidden}</a>')
        if post.number == 1:
            href = escape(link_url("moderation.topic", topic_id=topic.id))
            links.append(f'<a href="{href}" class="action">{words["topic"]}</a>')
    return Markup(" ".join(links))


def moderation_nav():
    if not is_member(current_user):
        return ""
    if "moderation_nav" not in g:
        moderates = bool(queue.moderated_spaces(current_user))
        waiting = queue.waiting_count(current_user) if moderates else 0
        concerned = db.session.scalar(select(exists().where(Decision.member_id == current_user.id)))
        macros = current_app.jinja_env.get_template("moderation/_links.html").module
        g.moderation_nav = macros.nav(moderates, waiting, concerned)
    return g.moderation_nav


def space_moderation_links(space):
    macros = current_app.jinja_env.get_template("moderation/_links.html").module
    return macros.space_links(space, can_read_moderation_log(current_user, space),
                              can_moderate(current_user, space))


def read_only_decision_url():
    """The decision that made the current member read-only, on their decisions page (or None)."""
    if not is_member(current_user):
        return None
    decision = in_force(Decision.member_id == current_user.id, ("silence",))
    return decisions_url(decision) if decision is not None else None


def init_app(app):
    app.jinja_env.globals.update(hidden_post_notice=hidden_post_notice,
                                 post_moderation_links=post_moderation_links,
                                 moderation_nav=moderation_nav, space_moderation_links=space_moderation_links,
                                 read_only_decision_url=read_only_decision_url)
