"""« Préparer une synthèse »: the skeleton of a synthesis, prefilled from a debate.

The question, participation by collège (the small-group rule of decisions: no group under 5
shown alone) in the debate, and in its comité over the ended months it spans
(forum/participation/restitution.py), the positions expressed as quotations of the posts that carry them (author and
link kept), the decisions and their outcomes, the open actions, and a section left to write.
Only visible posts enter it: hidden, deleted, redacted and held posts never do, even when the
one preparing it is a moderator who may read them.
"""
import re
from dataclasses import dataclass

from flask_babel import gettext as _, ngettext
from sqlalchemy import select

from forum.accounts.models import College
from forum.dates import format_date
from forum.decisions import rules as poll_rules
from forum.decisions.models import ACTION_OPEN, ActionItem, Outcome, Poll
from forum.decisions.outcomes import day_label
from forum.decisions.protection import protect
from forum.extensions import db
from forum.participation import restitution
from forum.text.markup import to_text
from forum.topics.models import POST_VISIBLE, Post, PostRevision

QUOTED_POSTS = 12        # positions quoted at most; the others are counted
QUOTE_CHARS = 700        # a quotation longer than this is cut at a word, with « … »


@dataclass
class Skeleton:
    title: str
    source: str
    poll_ids: tuple


def _escape_name(name):
    return re.sub(r"([\\\[\]])", r"\\\1", name)


def quotation(post, chars=QUOTE_CHARS):
    """A post quoted as the editor quotes it: attribution linked to the post, then its text."""
    text = to_text(post.html).strip()
    if len(text) > chars:
        text = text[:chars].rsplit(" ", 1)[0] + " …"
    lines = [f"> [{_escape_name(post.author.pseudonym)}](/message/{post.id}) {_('a écrit :')}"]
    for paragraph in text.splitlines():
        lines.append("> " + paragraph.strip() if paragraph.strip() else ">")
    return "\n".join(lines)


def _visible_posts(topic):
    redacted = select(PostRevision.post_id).where(PostRevision.redacted_at.is_not(None))
    return list(db.session.scalars(select(Post).where(Post.topic_id == topic.id, Post.state == POST_VISIBLE,
                                                      Post.id.not_in(redacted)).order_by(Post.path)))


def participation(posts):
    """Lines of the participation table: (label, contributors), the small-group rule applied."""
    authors = {post.author_id: post.author for post in posts}
    by_college = {}
    for member in authors.values():
        key = member.college_id if member.college_confirmed else None
        by_college[key] = by_college.get(key, 0) + 1
    order = list(db.session.scalars(select(College.id).order_by(College.position, College.id)))
    shown, others, merged = protect(by_college, order)
    names = dict(db.session.execute(select(College.id, College.name)).all())
    rows = [(names[key], count) for key, count in shown.items()]
    if not rows:
        return len(authors), []     # everything merged: only the total may be shown
    if others is not None:
        listed = ", ".join(names[key] for key in order if key in merged)
        label = _("Autres collèges (%(names)s)", names=listed) if listed else _("Autres collèges")
        if None in merged:
            label += " " + _("et membres sans collège confirmé")
        rows.append((label, others))
    return len(authors), rows


def _decisions(viewer, topic):
    polls = [p for p in db.session.scalars(select(Poll).where(Poll.topic_id == topic.id).order_by(Poll.id))
             if poll_rules.can_see_poll(viewer, p)]
    lines, actions = [], []
    for poll in polls:
        if poll.is_closed:
            state = _("close le %(date)s", date=format_date(poll.closed_at))
            if poll.quorum_reached is False:
                state += ", " + _("sans quorum")
        else:
            state = _("ouverte jusqu'au %(date)s", date=format_date(poll.closes_at))
        lines.append(f"- **{poll.question}** ({state}) : [{_('la décision')}](/decision/{poll.id})")
        outcome = db.session.scalar(select(Outcome).where(Outcome.poll_id == poll.id))
        if outcome is not None:
            lines.append("  " + _("Issue :") + " " + " ".join(to_text(outcome.html).split())[:QUOTE_CHARS])
            actions += db.session.scalars(select(ActionItem).where(ActionItem.outcome_id == outcome.id,
                                                                   ActionItem.status == ACTION_OPEN)
                                          .order_by(ActionItem.position)).all()
    return polls, lines, actions


def _action_line(action):
    who = action.assignee.pseudonym if action.assignee is not None else action.assignee_name
    line = f"- {action.what}"
    if who:
        line += " — " + who
    if action.due_on:
        line += " — " + _("pour le %(date)s", date=day_label(action.due_on))
    return line


def build(viewer, topic):
    """The skeleton of a synthesis of ``topic`` (which ``viewer`` reads)."""
    posts = _visible_posts(topic)
    contributors, rows = participation(posts)
    opening = next((p for p in posts if p.number == 1), None)
    parts = ["## " + _("La question"), "", f"[{topic.title}](/sujet/{topic.id})", ""]
    if opening is not None:
        parts += [quotation(opening), ""]
    parts += ["## " + _("Participation"), "",
              ngettext("%(num)d message", "%(num)d messages", len(posts)) + " · "
              + ngettext("%(num)d participant", "%(num)d participants", contributors), ""]
    if rows:
        parts += ["| " + _("Collège") + " | " + _("Participants") + " |", "|---|---:|"]
        parts += [f"| {label} | {count} |" for label, count in rows]
        parts += ["", _("Aucun collège de moins de 5 participants n'est montré seul."), ""]
    elif contributors:
        parts += [_("Aucun collège ne compte 5 participants : la répartition par collège n'est pas montrée, "
                    "pour que personne ne soit reconnu."), ""]
    parts += restitution.committee_lines(viewer, topic.space, topic.created_at, topic.last_post_at)
    parts += ["## " + _("Les positions exprimées"), ""]
    replies = [p for p in posts if p.number != 1]
    quoted, seen = [], set()
    for post in replies:          # one quotation per participant first, in reading order
        if post.author_id not in seen and len(quoted) < QUOTED_POSTS:
            quoted.append(post)
            seen.add(post.author_id)
    for post in quoted:
        parts += [quotation(post), ""]
    if len(replies) > len(quoted):
        parts += [ngettext("%(num)d autre message du débat n'est pas cité ici.",
                           "%(num)d autres messages du débat ne sont pas cités ici.", len(replies) - len(quoted)), ""]
    polls, decision_lines, actions = _decisions(viewer, topic)
    if decision_lines:
        parts += ["## " + _("Décisions"), ""] + decision_lines + [""]
    if actions:
        parts += ["## " + _("Actions en cours"), ""] + [_action_line(a) for a in actions] + [""]
    parts += ["## " + _("Ce que nous retenons"), "", _("(À rédiger ensemble.)"), ""]
    title = topic.title[:200]      # « Synthèse » is said around it (« cité dans la synthèse « … » »)
    return Skeleton(title=title, source="\n".join(parts), poll_ids=tuple(p.id for p in polls))
