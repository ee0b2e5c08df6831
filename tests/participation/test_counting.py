"""Participation counted on generated data whose answers are known: by collège, by space, in
time, replies crossing collèges, unanswered topics, new members; the small-group rule on each."""
from datetime import timedelta

import pytest
from sqlalchemy import update

from forum.accounts.models import Member
from forum.extensions import db
from forum.participation import periods, report as reporting
from forum.participation.report import Scope
from forum.topics.models import Post, Space, Topic


def backdate(app, when, topics=(), members=()):
    """Move every post of ``topics`` (and the topics) and the accounts of ``members`` to ``when``."""
    with app.app_context():
        ids = [t.id for t in topics]
        if ids:
            db.session.execute(update(Post).where(Post.topic_id.in_(ids)).values(created_at=when))
            db.session.execute(update(Topic).where(Topic.id.in_(ids)).values(created_at=when))
        if members:
            db.session.execute(update(Member).where(Member.id.in_([m.id for m in members])).values(created_at=when))
        db.session.commit()


def last_month():
    return periods.parse({"periode": periods.LAST_MONTH})


def build(app, spaces, period=None, committee=None):
    with app.app_context():
        rows = tuple(db.session.get(Space, s.id) for s in spaces)
        return reporting.build(Scope(rows, committee=rows[0] if committee else None), period or last_month())


@pytest.fixture
def world(app, forum):
    """Collège A (first in order): 6 writers, two posts each in the comité; B: 5 writers, one
    post in the comité and one in the theme each; C: 2 writers, three posts each in the theme;
    one member without a confirmed collège: one post in the theme. All in the last month."""
    a, b, c = forum.college("A"), forum.college("B"), forum.college("C")
    committee, theme = forum.committee(), forum.space("Thème T")
    members = {name: [forum.member(college=college, committees=[committee]) for _ in range(n)]
               for name, college, n in (("A", a, 6), ("B", b, 5), ("C", c, 2))}
    members["none"] = [forum.member(college=c, confirmed=False)]
    opening_author = members["A"][0]
    in_committee = forum.topic(opening_author, committee, title="Le sujet du comité")
    in_theme = forum.topic(members["C"][0], theme, title="Le sujet du thème")
    for member in members["A"]:           # A: 2 posts each in the comité (the opening counts)
        for _ in range(2 if member is not opening_author else 1):
            forum.reply(member, in_committee)
    opening = forum.opening(in_committee)
    for member in members["B"]:           # B answers A's opening post: crossing collèges
        forum.reply(member, in_committee, parent=opening)
        forum.reply(member, in_theme)
    for index, member in enumerate(members["C"]):
        for _ in range(3 if index else 2):   # C's first member opened the theme's topic
            forum.reply(member, in_theme)
    forum.reply(members["none"][0], in_theme)
    period = last_month()
    backdate(app, period.start + timedelta(days=10), topics=[in_committee, in_theme])
    return {"colleges": (a, b, c), "committee": committee, "theme": theme, "members": members,
            "topics": (in_committee, in_theme)}


def test_totals_and_colleges_with_the_small_group_rule(app, world):
    found = build(app, [world["committee"], world["theme"]])
    a, b, c = world["colleges"]
    assert (found.contributors, found.posts, found.topics) == (14, 29, 2)
    # C (2 people) and the unconfirmed member are merged; the complement is taken from the end
    # of the public order (never by count): B. A, first in the numbering, stays on its own.
    rows = {row.key: row for row in found.colleges.rows}
    assert set(rows) == {a.id, None}
    assert (rows[a.id].people, rows[a.id].posts) == (6, 12)
    merged = rows[None]
    assert merged.merged and (merged.people, merged.posts) == (8, 10 + 6 + 1)
    assert merged.label.startswith("Autres collèges (B, C)") and "sans collège confirmé" in merged.label
    assert found.colleges.merged_keys == {b.id, c.id, None}


def test_replies_crossing_colleges(app, world):
    found = build(app, [world["committee"], world["theme"]])
    # B's five replies to A's opening post cross; every other reply answers the opening post of
    # its own collège's topic (A in the comité) or another collège's (C's topic: B's replies
    # to the theme's opening post cross too, and the unconfirmed member's never does).
    assert found.crossing == 5 + 5
    assert found.replies == 29 - 2
    # B's crossing replies are in the merged row, with B.
    assert {row.key: row.crossing for row in found.colleges.rows} == {world["colleges"][0].id: 0, None: 10}


def test_spaces_are_grouped_by_distinct_people(app, forum):
    # T1's three writers all write in T2 too (five there). T1 is merged (3 < 5); T2 joins it
    # as the complement, first in order: the group holds 5 distinct people, not 3 + 5 = 8, so
    # it is not yet more than 5 and T3 joins too. Added up as counts, T3 would be shown.
    spaces = [forum.space(f"Thème {n}") for n in (1, 2, 3)]
    writers = [forum.member() for _ in range(11)]
    topics = [forum.topic(writers[0], space) for space in spaces]
    for member in writers[1:3]:
        forum.reply(member, topics[0])
    for member in writers[1:5]:
        forum.reply(member, topics[1])
    for member in writers[5:11]:
        forum.reply(member, topics[2])
    backdate(app, last_month().start + timedelta(days=3), topics=topics)
    themes = build(app, [forum.committee(), *spaces]).themes
    assert themes.merged_keys == {s.id for s in spaces}
    assert themes.only_total and themes.people == 11


def test_a_month_with_few_writers_shows_only_that(app, forum):
    committee = forum.committee()
    writers = [forum.member(committees=[committee]) for _ in range(3)]
    topic = forum.topic(writers[0], committee)
    for member in writers[1:]:
        forum.reply(member, topic)
    backdate(app, last_month().start + timedelta(days=1), topics=[topic])
    found = build(app, [committee])
    assert found.few and found.contributors == 3
    assert found.colleges.only_total


def test_series_shows_quiet_weeks_as_zero_and_merges_small_ones(app, world, forum):
    period = last_month()
    # One more topic by two people in the period's last week: a small week, merged with the
    # first busy week in time order (the 14 writers' one). Weeks nobody wrote in stay 0.
    late = forum.topic(world["members"]["A"][0], world["committee"], title="Un sujet tardif")
    forum.reply(world["members"]["B"][0], late)
    backdate(app, period.end - timedelta(hours=30), topics=[late])
    found = build(app, [world["committee"], world["theme"]])
    def bucket_of(moment):
        return next(i for i, b in enumerate(found.buckets) if b.start <= moment < b.end)
    busy, last = bucket_of(period.start + timedelta(days=10)), bucket_of(period.end - timedelta(hours=30))
    assert found.series.merged_keys == {busy, last}
    assert found.series.only_total and found.series.posts == 29 + 2


def test_only_ended_months_and_the_spaces_asked_for(app, world, forum):
    # A post written now (the running month) is never counted; nor the comité's, out of scope.
    forum.reply(world["members"]["B"][0], world["topics"][1])
    assert (build(app, [world["committee"], world["theme"]]).posts) == 29
    found = build(app, [world["theme"]])
    assert (found.posts, found.contributors) == (5 + 6 + 1, 8)


def test_hidden_and_deleted_posts_do_not_count(app, world):
    with app.app_context():
        db.session.execute(update(Post).where(Post.topic_id == world["topics"][1].id, Post.number > 1)
                           .values(state="hidden"))
        db.session.commit()
    found = build(app, [world["theme"]])
    assert (found.posts, found.contributors) == (1, 1)


def test_unanswered_topics(app, forum):
    committee = forum.committee()
    author, other = forum.member(committees=[committee]), forum.member(committees=[committee])
    silent = forum.topic(author, committee, title="Personne n'a répondu")
    self_answered = forum.topic(author, committee, title="Seul l'auteur a répondu")
    forum.reply(author, self_answered)
    answered_late = forum.topic(author, committee, title="Réponse tardive")
    late_reply = forum.reply(other, answered_late)
    answered = forum.topic(author, committee, title="Réponse rapide")
    forum.reply(other, answered)
    start = last_month().start + timedelta(days=1)
    for hours, topic in enumerate([silent, self_answered, answered_late, answered]):
        backdate(app, start + timedelta(hours=hours), topics=[topic])
    with app.app_context():
        db.session.execute(update(Post).where(Post.id == late_reply.id).values(created_at=start + timedelta(days=8)))
        db.session.commit()
    found = build(app, [committee], period=periods.parse({"periode": periods.LAST_QUARTER}))
    assert (found.opened, found.unanswered) == (4, 3)
    assert [row[1] for row in found.waiting] == ["Personne n'a répondu", "Seul l'auteur a répondu"]


def test_new_members_of_the_forum_and_of_a_comite(app, forum):
    committee = forum.committee()
    joined = [forum.member(committees=[committee]) for _ in range(2)] + [forum.member()]
    backdate(app, last_month().start + timedelta(days=2), members=joined)
    assert build(app, [committee]).new_members == 3
    assert build(app, [committee], committee=True).new_members == 2
