"""What live pages fetch after a hint: fragments rendered for the viewer's rights, and counters.

Each route checks permissions exactly like the page it feeds (an unreadable post, topic or
space answers 404), so a hint sent to a room never shows more than a reload would.
"""
from flask import Blueprint, abort, current_app, jsonify, render_template, request
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from forum.extensions import csrf, db
from forum.permissions import can_read_space, can_see_post, why_cannot_reply
from forum.topics import reading
from forum.topics.models import Post, Topic

bp = Blueprint("realtime", __name__)
LOOPBACK = ("127.0.0.1", "::1")


def _private(response):
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/message/<int:post_id>/fragment")
def post_fragment(post_id):
    """One post as the topic page shows it to this viewer (text or placeholder), as JSON."""
    post = db.session.get(Post, post_id)
    if post is None or not can_see_post(current_user, post):
        abort(404)
    topic = post.topic
    view = request.args.get("vue") if request.args.get("vue") in reading.VIEWS else "arbre"
    parent = post.parent if post.parent_id else None
    # "en réponse à" when the reply is not shown under the post it answers.
    flat = request.args.get("plat") == "1" or view == "chrono"
    item = reading.post_view(current_user, post,
                             in_reply_to=parent if flat and parent is not None and parent.number != 1 else None,
                             unread=current_user.is_authenticated and post.author_id != current_user.id)
    html = render_template("_post_fragment.html", item=item, topic=topic, view=view,
                           cannot_reply=why_cannot_reply(current_user, topic))
    return _private(jsonify(post_id=post.id, topic_id=topic.id, number=post.number,
                            parent_id=post.parent_id, state=post.state, html=html.strip(), **_live_texts(post)))


def _live_texts(post):
    """What the page says around a fetched post: the announcement of the live region, the
    topic's count as a reload would show it now (the page's "N réponses" follows it), and the
    author of a visible post (whose "en train d'écrire" line a new reply ends)."""
    if post.state == "visible":
        author = post.author.pseudonym
        announce = _("Nouvelle réponse de %(name)s.", name=author)
    else:
        author = None
        announce = _("Le message n° %(number)s a changé d’état.", number=post.number)
    return {"announce": announce, "author": author,
            "replies": ngettext("%(num)d réponse", "%(num)d réponses", post.topic.reply_count)}


@bp.route("/sujet/<int:topic_id>/ligne")
def topic_row(topic_id):
    """A topic as a row of its space's list, with this viewer's unread marker, as JSON."""
    topic = db.session.get(Topic, topic_id)
    if topic is None or not can_read_space(current_user, topic.space):
        abort(404)
    row = reading.topic_row(current_user, topic)
    html = render_template("_topic_row_fragment.html", row=row,
                           show_space=request.args.get("espace") == "1")
    return _private(jsonify(topic_id=topic.id, space_id=topic.space_id, html=html.strip(),
                            announce=_("Activité dans le sujet « %(title)s ».", title=topic.title)))


@bp.route("/activite.json")
def activity():
    """Counters of every space the viewer may read (absolute values), rendered as on the home page."""
    page = reading.home_page(current_user)
    spaces = []
    for _label, items in page["groups"]:
        for item in items:
            spaces.append({"id": item.space.id, "topics": item.space.topic_count,
                           "posts": item.space.post_count, "unread": item.unread, "new": item.new,
                           "html": render_template("_space_stats_fragment.html", item=item).strip()})
    return _private(jsonify(spaces=spaces))


@bp.route("/_bench/emit", methods=["POST"])
@csrf.exempt
def bench_emit():
    """Benchmark hook (``BENCH_HOOKS``, loopback only): emit ``event`` to a ``bench…`` room."""
    if not current_app.config["BENCH_HOOKS"] or request.remote_addr not in LOOPBACK:
        abort(404)
    data = request.get_json(silent=True) or {}
    room, event = data.get("room"), data.get("event", "bench")
    if not isinstance(room, str) or not room.startswith("bench") or not isinstance(event, str):
        abort(422)
    pad = data.get("pad") if isinstance(data.get("pad"), int) else 0
    current_app.extensions["agora_realtime"].emit(
        event, {"seq": data.get("seq"), "pad": "x" * max(0, min(pad, 10000))}, room)
    return jsonify(ok=True)
