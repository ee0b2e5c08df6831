"""A small forum to moderate: two comités (13 and 83), their moderators, members, a règlement."""
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from forum import events
from forum.extensions import db
from forum.topics.models import Post, PostRevision


ARTICLES = [
    ("Respect des personnes", "Chacun s'exprime avec courtoisie."),
    ("Confidentialité des situations évoquées", "Aucune personne tierce identifiable."),
    ("Rester dans le sujet", "Les réponses portent sur le sujet ouvert."),
    ("Pas de publicité ni de propagande", "Pas de promotion commerciale, électorale ou partisane."),
]


@pytest.fixture
def world(forum, app):
    version = forum.charter(ARTICLES)
    with app.app_context():
        from forum.charter.models import CharterVersion
        articles = {a.number: str(a.id) for a in db.session.get(CharterVersion, version.id).articles}
    c13 = forum.committee("13", "Comité des Bouches-du-Rhône")
    c83 = forum.committee("83", "Comité du Var")
    theme = forum.space("Éthique et déontologie")
    coordinator = forum.member("Coordination", role="coordinator", committees=[c13])
    mod13 = forum.moderator(c13, pseudonym="Modo13", committees=[c13])
    mod13b = forum.moderator(c13, pseudonym="Modo13bis", committees=[c13])
    mod83 = forum.moderator(c83, pseudonym="Modo83", committees=[c83])
    alice = forum.member("Alice", committees=[c13])
    bob = forum.member("Bob", committees=[c13])
    carol = forum.member("Carol", committees=[c13])
    dave = forum.member("Dave", committees=[c13])
    eve = forum.member("Eve", committees=[c83])
    topic13 = forum.topic(alice, c13, "Accueil des nouveaux membres du comité")
    opening13 = forum.opening(topic13)
    reply13 = forum.reply(bob, topic13, "Mme D., qui habite rue des Lilas, attend son RSA depuis quatre mois.")
    topic83 = forum.topic(eve, c83, "Plénière du comité du Var")
    reply83 = forum.reply(eve, topic83, "Une réponse dans le Var, à masquer peut-être.", forum.opening(topic83))
    return SimpleNamespace(version=version, articles=articles, c13=c13, c83=c83, theme=theme,
                           coordinator=coordinator, mod13=mod13, mod13b=mod13b, mod83=mod83, alice=alice,
                           bob=bob, carol=carol, dave=dave, eve=eve, topic13=topic13, opening13=opening13,
                           reply13=reply13, topic83=topic83, reply83=reply83)


@pytest.fixture
def notices(committed_events):
    """MemberNotice events published after commit, as (member_id, text, url)."""
    log = committed_events(events.MemberNotice)

    class Notices:
        def __iter__(self):
            return iter([(e.member_id, e.text, e.url) for e in log.seen])
    return Notices()


def text_snapshot(app):
    """Every post's text and revisions: what moderation must never lose."""
    with app.app_context():
        posts = dict(db.session.execute(select(Post.id, Post.source)).all())
        revisions = {(r.post_id, r.number): r.source for r in db.session.scalars(select(PostRevision))}
        return posts, revisions


def counts(app):
    with app.app_context():
        return (db.session.scalar(select(func.count(Post.id))),
                db.session.scalar(select(func.count(PostRevision.id))))


