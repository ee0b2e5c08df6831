"""Two moderators deciding on the same report at the same moment: one decision, a 409, never a 500."""
import re
import threading

import pytest
import requests
from sqlalchemy import func, select

from forum.accounts.models import Member
from forum.errors import Conflict
from forum.extensions import db
from forum.topics.models import Post, Space
from moderation import post_decisions, reporting
from moderation.models import Decision, Report

from ..conftest import LiveServer
from ..helpers import PASSWORD

ROUNDS = 4


def _race(app, calls):
    """Run ``calls`` (functions of no argument, each in its own app context) at the same instant."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        with app.app_context():
            barrier.wait()
            try:
                outcomes[index] = ("done", call())
            except Conflict as conflict:
                db.session.rollback()
                outcomes[index] = ("conflict", conflict.message)
            except Exception as error:   # anything else is a bug: reported, not swallowed
                db.session.rollback()
                outcomes[index] = ("error", repr(error))
    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return outcomes


def test_dismiss_and_hide_on_the_same_report_end_with_one_decision(world, forum, act, app):
    for round_ in range(ROUNDS):
        post = forum.reply(world.bob, world.topic13, f"Message disputé n° {round_}")
        report = act(reporting.report_post, world.carol, post, world.articles[2])

        def dismiss():
            return post_decisions.dismiss(db.session.get(Member, world.mod13.id), db.session.get(Post, post.id),
                                          "Rien à redire.", [str(report.id)]).id

        def hide():
            return post_decisions.hide(db.session.get(Member, world.mod13b.id), db.session.get(Post, post.id),
                                       [world.articles[2]], "Tiers reconnaissable.", [str(report.id)]).id

        outcomes = _race(app, [dismiss, hide] if round_ % 2 else [hide, dismiss])
        kinds = sorted(kind for kind, _ in outcomes)
        assert kinds == ["conflict", "done"], outcomes
        winner = next(value for kind, value in outcomes if kind == "done")
        with app.app_context():
            decisions = db.session.scalars(select(Decision).where(Decision.post_id == post.id)).all()
            assert [d.id for d in decisions] == [winner]
            closed = db.session.get(Report, report.id)
            assert closed.status != "open" and closed.decision_id == winner
            state = db.session.get(Post, post.id).state
            assert state == ("hidden" if decisions[0].action == "hide" else "visible")
    with app.app_context():
        visible = db.session.scalar(select(func.count(Post.id)).join(Post.topic).where(
            Post.state == "visible", Post.topic.has(space_id=world.c13.id)))
        assert db.session.get(Space, world.c13.id).post_count == visible


def test_concurrent_reports_hide_once_at_the_threshold(world, forum, act, app):
    post = forum.reply(world.bob, world.topic13, "Un message que tout le monde signale")
    act(reporting.report_post, world.alice, post, "third_party")
    reporters = [world.carol, world.dave, world.mod83]

    def reporter(member):
        return lambda: reporting.report_post(db.session.get(Member, member.id), db.session.get(Post, post.id),
                                             "third_party").id
    outcomes = _race(app, [reporter(m) for m in reporters])
    assert [kind for kind, _ in outcomes] == ["done"] * 3, outcomes
    with app.app_context():
        holds = db.session.scalars(select(Decision).where(Decision.action == "hold")).all()
        assert len(holds) == 1
        assert db.session.get(Post, post.id).state == "hidden"
        assert db.session.get(Space, world.c13.id).post_count == 2   # the opening post and reply13 only


def _session(server, member):
    session = requests.Session()
    page = session.get(f"{server.url}/connexion", timeout=10).text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = session.post(f"{server.url}/connexion", data={"login": member.pseudonym, "password": PASSWORD,
                                                             "csrf_token": token, "submit": "1"},
                            allow_redirects=False, timeout=10)
    assert response.status_code == 303
    session.token = re.search(r'name="csrf-token" content="([^"]+)"',
                              session.get(f"{server.url}/aide", timeout=10).text).group(1)
    return session


@pytest.mark.parametrize("actions", [("classer", "masquer"), ("masquer", "masquer")])
def test_two_moderators_through_the_web_get_303_and_409(world, act, app, actions):
    report = act(reporting.report_post, world.carol, world.reply13, world.articles[2])
    server = LiveServer(app)
    try:
        sessions = [_session(server, world.mod13), _session(server, world.mod13b)]
        barrier = threading.Barrier(2)
        statuses = [None, None]

        def post(index):
            session = sessions[index]
            barrier.wait()
            statuses[index] = session.post(
                f"{server.url}/moderation/messages/{world.reply13.id}/{actions[index]}",
                data={"csrf_token": session.token, "reports": str(report.id), "articles": [world.articles[2]],
                      "justification": "Décision simultanée.", "submit": "1"},
                allow_redirects=False, timeout=30).status_code
        threads = [threading.Thread(target=post, args=(i,)) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    finally:
        server.stop()
    assert sorted(statuses) == [303, 409], statuses
    with app.app_context():
        assert db.session.scalar(select(func.count(Decision.id))) == 1
        assert db.session.scalar(select(func.count(Report.id)).where(Report.status == "open")) == 0
