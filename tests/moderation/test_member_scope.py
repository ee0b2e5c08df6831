"""A moderator learns about a member only what their scope shows: the member's moderation page
opens for the members they meet in their spaces, and lists nothing from spaces they cannot read.

A collège-only space reveals its members' collège (possibly hidden): a decision taken there must
leave no trace on another moderator's page (space name, justification, a line "elsewhere", a count).
"""
import re
from types import SimpleNamespace

import pytest

from moderation import appeals, post_decisions, sanctions, topic_decisions

from ..helpers import text

HIDDEN_REASON = "Motif-confidentiel-du-college"
SANCTION_REASON = "Motif-de-la-lecture-seule"


@pytest.fixture
def sensitive(world, forum, act):
    """Zoé, of a sensitive collège, wrote in comité 13 and in her collège's space; a coordinator hid
    her post there and made her read-only forum-wide."""
    college = forum.college("Personnes accompagnées", sensitive=True)
    space = forum.space("Entre personnes accompagnées", visibility="restricted", colleges=[college])
    zoe = forum.member("Zoé", college=college, committees=[world.c13], show_college=False)
    in_13 = forum.reply(zoe, world.topic13, "Une réponse dans le comité 13.")
    topic = forum.topic(zoe, space, "Un sujet entre nous")
    hidden = act(post_decisions.hide, world.coordinator, forum.opening(topic), [world.articles[2]],
                 HIDDEN_REASON)
    silence = act(sanctions.sanction, world.coordinator, zoe, "silence", 2, "jours",
                  [world.articles[1]], SANCTION_REASON)
    return SimpleNamespace(college=college, space=space, zoe=zoe, in_13=in_13, topic=topic,
                           hidden=hidden, silence=silence)


def _section(page, heading):
    """What follows ``heading``, up to the next heading or the end of its section or main part."""
    return re.split(r"<h2|</section>|</main>", page.split(heading, 1)[1], maxsplit=1)[0]


def _items(page, heading):
    """How many lines the list under ``heading`` shows."""
    return _section(page, heading).count("<li>")


def _no_trace(page, sensitive):
    for leak in (HIDDEN_REASON, sensitive.space.name, "Un sujet entre nous", "pas ouvert",
                 "Message masqué", SANCTION_REASON, sensitive.college.name):
        assert leak not in page, leak


def test_a_moderator_sees_no_trace_of_a_space_he_cannot_read(world, sensitive, login):
    moderator = login(world.mod13)
    page = text(moderator.get(f"/moderation/membres/{sensitive.zoe.id}"))
    _no_trace(page, sensitive)
    # The site-wide read-only period: its fact and dates, not why nor who decided it.
    assert "Lecture seule" in page and "Coordination" not in page
    assert _items(page, "Décisions le concernant") == 1
    # The same history, on the desk of her post in comité 13.
    desk = text(moderator.get(f"/moderation/messages/{sensitive.in_13.id}"))
    _no_trace(_section(desk, "Historique de l'auteur"), sensitive)
    assert HIDDEN_REASON not in desk and sensitive.space.name not in desk
    assert _items(desk, "Historique de l'auteur") == 1


def test_a_coordinator_sees_everything(world, sensitive, login):
    page = text(login(world.coordinator).get(f"/moderation/membres/{sensitive.zoe.id}"))
    for shown in (HIDDEN_REASON, sensitive.space.name, SANCTION_REASON, "Message masqué",
                  "Lecture seule"):
        assert shown in page, shown
    assert _items(page, "Décisions le concernant") == 2


def test_a_moderator_opens_only_pages_of_members_met_in_his_spaces(world, sensitive, login, act):
    mod83 = login(world.mod83)
    assert mod83.get(f"/moderation/membres/{sensitive.zoe.id}").status_code == 404
    assert mod83.post(f"/moderation/membres/{sensitive.zoe.id}/avertir",
                      {"articles": [world.articles[1]], "justification": "Hors de mon espace.",
                       "submit": "1"}).status_code == 404
    assert mod83.get(f"/moderation/membres/{world.bob.id}").status_code == 404
    assert mod83.get("/moderation/membres/999999").status_code == 404
    assert mod83.get(f"/moderation/membres/{world.eve.id}").status_code == 200   # she wrote in 83
    assert login(world.mod13).get(f"/moderation/membres/{world.bob.id}").status_code == 200
    # Sanctioned in 83 without a post there (a warning about 83): in scope too.
    act(sanctions.warn, world.mod83, world.dave, [world.articles[1]], "Propos tenus en plénière.",
        space=world.c83)
    assert mod83.get(f"/moderation/membres/{world.dave.id}").status_code == 200
    # Members who moderate nothing are refused, as for the queue.
    assert login(world.alice).get(f"/moderation/membres/{world.bob.id}").status_code == 403


def test_a_topic_moved_in_keeps_its_former_spaces_decisions_to_itself(world, sensitive, login, act):
    act(topic_decisions.move_topic, world.coordinator, sensitive.topic, world.c13,
        [world.articles[3]], "Déplacé vers le comité.")
    moderator = login(world.mod13)
    page = text(moderator.get(f"/moderation/sujets/{sensitive.topic.id}"))
    assert HIDDEN_REASON not in page and "Déplacé vers le comité." not in page
    assert "Aucune." in page.split("Décisions sur ce sujet", 1)[1]
    desk = text(moderator.get(f"/moderation/messages/{sensitive.hidden.post_id}"))
    assert HIDDEN_REASON not in desk and sensitive.space.name not in desk
    coordinator = text(login(world.coordinator).get(f"/moderation/sujets/{sensitive.topic.id}"))
    assert HIDDEN_REASON in coordinator and "Déplacé vers le comité." in coordinator


def test_an_appeal_about_a_post_moved_out_of_reach_does_not_show_it(world, sensitive, login, act):
    """The reviewer has authority over the space where the decision was taken; the post has since
    gone to a space he cannot read: the appeal is still his to examine, the post no longer his."""
    hidden = act(post_decisions.hide, world.mod13, world.reply13, [world.articles[2]],
                 "Tiers reconnaissable.")
    appeal = act(appeals.file_appeal, world.bob, hidden, "Je demande un second regard, merci.")
    act(topic_decisions.move_topic, world.coordinator, world.topic13, sensitive.space,
        [world.articles[3]], "Sa place est entre personnes accompagnées.")
    page = text(login(world.mod13b).get(f"/moderation/recours/{appeal.id}"))
    assert "Je demande un second regard" in page
    assert "rue des Lilas" not in page and f"/moderation/messages/{world.reply13.id}" not in page
    assert "rue des Lilas" in text(login(world.coordinator).get(f"/moderation/recours/{appeal.id}"))
