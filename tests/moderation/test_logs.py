"""The public log (pseudonymised, no hidden text) and the audit log with its CSV export."""
import csv
import io
import json

from sqlalchemy import select

from forum.extensions import db
from moderation import journal, post_decisions, reporting, topic_decisions
from moderation.models import AuditEntry

from ..helpers import Browser, text


def test_the_public_log_names_the_topic_and_article_never_the_member_or_the_hidden_text(world, act, login, app):
    act(post_decisions.hide, world.mod13, world.reply13, [world.articles[2]], "Tiers reconnaissable.")
    act(topic_decisions.lock_topic, world.mod13, world.topic13, [world.articles[3]], "Débat clos.")
    page = text(login(world.carol).get(f"/espace/{world.c13.slug}/journal-de-moderation"))
    assert "Message masqué" in page and "Sujet fermé" in page
    assert "article 2</a> (Confidentialité des situations évoquées)" in page
    assert "Accueil des nouveaux membres du comité" in page
    with app.app_context():
        bob_alias = journal.alias(world.c13.id, world.bob.id)
        alice_alias = journal.alias(world.c13.id, world.alice.id)
    assert bob_alias in page and alice_alias in page and bob_alias != alice_alias
    for secret in ("Bob", "Alice", "rue des Lilas", "Modo13", "Tiers reconnaissable."):
        assert secret not in page
    # The alias links to the topic: there, the hidden post must not name its author either.
    topic = text(login(world.carol).get(f"/sujet/{world.topic13.id}"))
    assert f'href="/sujet/{world.topic13.id}"' in page and "Auteur masqué" in topic and "Bob" not in topic
    assert "Bob" in text(login(world.bob).get(f"/sujet/{world.topic13.id}"))        # its author
    assert "Bob" in text(login(world.mod13b).get(f"/sujet/{world.topic13.id}"))     # its moderators
    # An alias is stable in a space and different in another.
    with app.app_context():
        assert journal.alias(world.c13.id, world.bob.id) == bob_alias
        assert journal.alias(world.c83.id, world.bob.id) != bob_alias


def test_a_hidden_opening_post_keeps_its_title_out_of_the_log(world, act, login, forum):
    topic = forum.topic(world.alice, world.c13, "Un titre lui-même injurieux")
    act(post_decisions.hide, world.mod13, forum.opening(topic), [world.articles[1]], "Titre et texte injurieux.")
    page = text(login(world.carol).get(f"/espace/{world.c13.slug}/journal-de-moderation"))
    assert "sujet masqué" in page and "Un titre lui-même injurieux" not in page


def test_the_public_log_is_for_the_members_who_read_the_space(world, forum, login, app):
    url = f"/espace/{world.c13.slug}/journal-de-moderation"
    assert Browser(app.test_client()).get(url).status_code == 302        # log in first
    assert login(world.eve).get(url).status_code == 200                  # a public comité: members read it
    bureau = forum.space("Bureau du Var", kind="regional", visibility="restricted", committees=[world.c83])
    assert login(world.alice).get(f"/espace/{bureau.slug}/journal-de-moderation").status_code == 404
    assert login(world.eve).get(f"/espace/{bureau.slug}/journal-de-moderation").status_code == 200
    assert "Journal de modération de l'espace" in text(login(world.eve).get(f"/espace/{world.c13.slug}"))


def test_the_audit_log_is_for_coordinators_with_before_and_after(world, act, login, app):
    act(reporting.report_post, world.carol, world.reply13, world.articles[2])
    act(post_decisions.hide, world.mod13, world.reply13, [world.articles[2]], "Tiers reconnaissable.")
    for member in (world.mod13, world.alice):
        assert login(member).get("/moderation/journal").status_code == 403
        assert login(member).get("/moderation/journal.csv").status_code == 403
    coordinator = login(world.coordinator)
    page = text(coordinator.get("/moderation/journal"))
    assert "Modo13" in page and "Carol" in page and '"state": "hidden"' in page
    filtered = text(coordinator.get("/moderation/journal?action=report"))
    assert "Carol" in filtered and "Modo13" not in filtered
    response = coordinator.get("/moderation/journal.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.get_data(as_text=True)
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:4] == ["id", "date (UTC)", "auteur", "action"]
    by_action = {row[3]: row for row in rows[1:]}
    assert by_action["report"][2] == "Carol"
    hide = by_action["hide"]
    assert hide[2] == "Modo13" and hide[6] == world.c13.name
    assert json.loads(hide[8])["state"] == "visible" and json.loads(hide[9])["state"] == "hidden"
    with app.app_context():
        assert len(rows) - 1 == len(db.session.scalars(select(AuditEntry)).all())


def test_csv_cells_never_start_a_formula(world, forum, act, login):
    sly = forum.member("=HYPERLINK(1)", committees=[world.c13])
    act(reporting.report_post, sly, world.reply13, "third_party")
    body = login(world.coordinator).get("/moderation/journal.csv").get_data(as_text=True)
    assert "'=HYPERLINK(1)" in body and ";=HYPERLINK" not in body
