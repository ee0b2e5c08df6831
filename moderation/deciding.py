"""What every decision shares: serializing moderators, citing the règlement, recording, telling.

Two moderators may act on the same post at the same moment. Every decision first *locks* the
row it acts on (``lock``), then re-reads it and checks that the action still makes sense
(the post is not already hidden, the reports the moderator saw are still open…). The second
moderator waits for the first to commit, then gets a ``Conflict`` (409) describing what
happened: one decision, never two, never a 500.
"""
from flask import current_app, has_request_context, url_for
from flask_babel import force_locale, gettext as _, lazy_gettext, ngettext
from sqlalchemy import select

from forum import dates, events
from forum.accounts.models import Member
from forum.charter import versions as charter
from forum.errors import Conflict, Invalid
from forum.extensions import db
from forum.numbers import parse_int

from . import journal
from .models import Decision, DecisionArticle

JUSTIFICATION_MAX_CHARS = 4000

# Actions, as members read them (public log, notices, pages).
ACTION_LABELS = {
    "dismiss": lazy_gettext("Signalements classés sans suite"),
    "hold": lazy_gettext("Message masqué en attente de modération (signalements)"),
    "hide": lazy_gettext("Message masqué"),
    "restore": lazy_gettext("Message rétabli"),
    "edit": lazy_gettext("Message modifié par la modération"),
    "revert_edit": lazy_gettext("Modification de la modération annulée"),
    "approve": lazy_gettext("Message approuvé"),
    "reject": lazy_gettext("Message refusé"),
    "lock": lazy_gettext("Sujet fermé"),
    "unlock": lazy_gettext("Sujet rouvert"),
    "move": lazy_gettext("Sujet déplacé"),
    "split": lazy_gettext("Réponses détachées en un nouveau sujet"),
    "merge": lazy_gettext("Réponses rattachées à leur sujet d'origine"),
    "slow_mode": lazy_gettext("Mode lent activé"),
    "slow_mode_off": lazy_gettext("Mode lent levé"),
    "pin": lazy_gettext("Sujet épinglé"),
    "unpin": lazy_gettext("Sujet désépinglé"),
    "announce": lazy_gettext("Annonce de la coordination"),
    "warn": lazy_gettext("Avertissement"),
    "withdraw_warning": lazy_gettext("Avertissement retiré"),
    "silence": lazy_gettext("Lecture seule"),
    "suspend": lazy_gettext("Suspension"),
    "lift": lazy_gettext("Sanction levée"),
    "appeal_confirmed": lazy_gettext("Recours examiné : décision confirmée"),
    "redact": lazy_gettext("Version d'un message retirée (données personnelles)"),
    "unredact": lazy_gettext("Version retirée rétablie"),
}

# Decisions that restrict the person concerned: they cite an article and may be appealed.
RESTRICTIVE = {"hide", "edit", "reject", "lock", "move", "split", "slow_mode", "warn", "silence",
               "suspend", "hold", "redact"}
APPEALABLE = RESTRICTIVE - {"hold"}   # a hold is reviewed by a moderator anyway

# Filled at import by the ``@reversal`` decorators of this package's modules: a fixed table of
# moderation's own, the same for every app (not something registered with an app).
_reversals = {}


def reversal(*actions):
    """Register ``function(moderator, decision, justification, articles)`` as the undoing of ``actions``."""
    def register(function):
        for action in actions:
            _reversals[action] = function
        return function
    return register


def reverse(moderator, decision, justification, articles=()):
    """Undo ``decision`` with the action that reverses it; returns the new decision (committed)."""
    if decision.reversed_by_id is not None:
        raise Conflict({None: _("Cette décision a déjà été annulée.")})
    function = _reversals.get(decision.action)
    if function is None:
        raise Invalid({None: _("Cette décision ne peut pas être annulée.")})
    return function(moderator, decision, justification, articles)


def lock(model, row_id):
    """Take the row lock that serializes decisions on ``row_id`` (until commit or rollback).

    PostgreSQL: SELECT … FOR UPDATE. SQLite locks the whole database for writing, taken by
    any write: an UPDATE that changes nothing, issued before reading what the decision checks
    (pysqlite opens the transaction at the first write, so no older snapshot is kept).
    """
    table = model.__table__
    key = list(table.primary_key.columns)[0]
    if db.engine.dialect.name == "sqlite":
        db.session.execute(table.update().where(key == row_id).values({key.name: key}))
    else:
        db.session.execute(select(key).where(key == row_id).with_for_update())


def fresh(*rows):
    """Re-read ``rows`` after taking a lock: what another moderator committed is now visible."""
    for row in rows:
        db.session.refresh(row)
    return rows[0] if len(rows) == 1 else rows


def cite(article_ids, required=True):
    """The articles of the current règlement named by ``article_ids`` (ids, as strings or ints)."""
    wanted = set()
    for value in article_ids or ():
        number = parse_int(value, 1)
        if number is None:
            raise Invalid({"articles": _("Choisissez les articles dans la liste.")})
        wanted.add(number)
    version = charter.current_version()
    articles = [a for a in version.articles if a.id in wanted] if version is not None else []
    if len(articles) != len(wanted):
        raise Invalid({"articles": _("Un des articles choisis n'est pas dans le règlement en vigueur.")})
    if required and not articles:
        raise Invalid({"articles": _("Citez au moins un article du règlement.")})
    return articles


def clean_justification(text, required=True):
    text = (text or "").replace("\r\n", "\n").strip()
    if required and len(text) < 5:
        raise Invalid({"justification": _("Expliquez la décision en une phrase au moins : "
                                          "la personne concernée la lira.")})
    if len(text) > JUSTIFICATION_MAX_CHARS:
        raise Invalid({"justification": _("La justification est trop longue (%(length)s caractères, "
                                          "%(limit)s au plus).", length=len(text),
                                          limit=JUSTIFICATION_MAX_CHARS)})
    return text


def record(moderator, action, *, member, space=None, topic=None, post=None, articles=(),
           justification="", until=None, minutes=None, details=None, reverses=None,
           before=None, after=None, notify=True):
    """Write the decision, its citations and its audit entry, and tell the person concerned.

    The caller has locked and checked; it commits.
    """
    decision = Decision(action=action, moderator_id=moderator.id if moderator else None,
                        member_id=member.id if member else None,
                        space_id=space.id if space else None,
                        topic_id=topic.id if topic else None, post_id=post.id if post else None,
                        topic_title=topic.title if topic else "", justification=justification,
                        until=until, minutes=minutes, details=details or {},
                        reverses_id=reverses.id if reverses else None)
    for article in articles:
        decision.articles.append(DecisionArticle(article_id=article.id, number=article.number,
                                                 charter_version=article.version.number,
                                                 title=article.title))
    db.session.add(decision)
    db.session.flush()
    if reverses is not None:
        reverses.reversed_by_id = decision.id
    target_type, target_id = ("post", post.id) if post else ("topic", topic.id) if topic else \
        ("member", member.id if member else None)
    journal.audit(moderator, action, target_type, target_id, space_id=decision.space_id,
                  decision=decision, before=before, after=after)
    if notify and member is not None and (moderator is None or member.id != moderator.id):
        tell(member.id, lambda: notice_text(decision), decisions_url(decision))
    return decision


def tell(member_id, compose, url):
    """A notice for one member (the notifications package makes it an in-app notice and an email).

    ``compose()`` writes its text, in the member's language: the notice is stored as written.
    Moderators' names stay out of it: a decision is the moderation's, not a person's.
    """
    member = db.session.get(Member, member_id)
    with force_locale(member.locale if member is not None and member.locale else "fr"):
        text = str(compose())
    events.publish(events.MemberNotice(member_id=member_id, kind="moderation", text=text, url=url))


def path_for(endpoint, **values):
    """A site path, also outside a request (decisions taken from the command line or tests)."""
    if has_request_context():
        return url_for(endpoint, **values)
    return current_app.url_map.bind("localhost").build(endpoint, values)


def decisions_url(decision):
    return path_for("moderation.my_decisions") + f"#decision-{decision.id}"


def cited(decision):
    if not decision.articles:
        return ""
    numbers = ", ".join(str(a.number) for a in decision.articles)
    return " " + ngettext("(article %(numbers)s du règlement)", "(articles %(numbers)s du règlement)",
                          len(decision.articles), numbers=numbers)


def notice_text(decision):
    """The notice of a decision, in the current locale (``tell`` sets the recipient's)."""
    label = ACTION_LABELS.get(decision.action, decision.action)
    where = _(" — « %(title)s »", title=decision.topic_title) if decision.topic_title else ""
    text = _("Décision de modération : %(label)s%(where)s%(cited)s.", label=label, where=where,
             cited=cited(decision))
    if decision.until is not None:
        # The one formatter, in the recipient's language (``tell`` set it): the same text as
        # the pages show for this decision.
        text += " " + _("Jusqu'au %(when)s.", when=dates.format_datetime(decision.until))
    if decision.justification:
        text += " " + _("Motif : %(reason)s", reason=decision.justification)
    if (decision.details or {}).get("with_warning"):
        text += " " + _("Cette décision vaut aussi avertissement.")
    if decision.action == "suspend":
        # The appeal page needs a login; the one door a suspension leaves is the coordination.
        text += " " + _("Pendant la suspension, vous pouvez écrire à la coordination, aussi pour contester cette "
                        "décision : saisissez votre identifiant et votre mot de passe sur la page de connexion.")
    elif decision.action in APPEALABLE:
        text += " " + _("Vous pouvez contester cette décision : un autre modérateur l'examinera.")
    return text


def in_force(query_filter, actions):
    """The latest decision among ``actions`` matching ``query_filter`` that was not undone."""
    return db.session.scalars(
        select(Decision).where(query_filter, Decision.action.in_(actions),
                               Decision.reversed_by_id.is_(None))
        .order_by(Decision.id.desc()).limit(1)).first()
