"""The participation pages, their CSV and SVG: who sees which (and who is told it does not
exist), bad periods, small groups never in any file."""
import csv
import html
import io
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest

from forum.participation import periods

from .test_counting import backdate, last_month


@pytest.fixture
def comite(app, forum):
    """A comité where 6 members of collège A and 2 of collège B wrote last month, a restricted
    space kept for its members, a theme, and the people around it."""
    a, b = forum.college("Collège A"), forum.college("Collège B")
    committee = forum.committee(name="Comité du Var")
    kept = forum.space("Bureau du comité", kind="regional", visibility="restricted", committees=[committee])
    writers = [forum.member(college=a, committees=[committee]) for _ in range(6)]
    few = [forum.member(pseudonym=f"Rare{n}", college=b, committees=[committee]) for n in range(2)]
    topic = forum.topic(writers[0], committee, title="Accueil des jeunes majeurs")
    for member in writers[1:] + few:
        forum.reply(member, topic)
    secret = forum.topic(writers[0], kept, title="Ordre du jour du bureau")
    for member in writers[1:5]:
        forum.reply(member, secret)
    backdate(app, last_month().start + timedelta(days=5), topics=[topic, secret])
    return {"committee": committee, "kept": kept, "writers": writers, "few": few, "colleges": (a, b),
            "member": writers[1], "moderator": forum.moderator(committee), "coordinator": forum.member(role="coordinator"),
            "outsider": forum.member(), "other": forum.member(committees=[forum.committee("84")])}


def five_more_in_college_b(app, comite, forum):
    """Five more writers in collège B, last month: A (6 people) and B (7) are then both shown."""
    topic = forum.topic(comite["writers"][0], comite["committee"], title="Encore un sujet")
    for _ in range(5):
        forum.reply(forum.member(college=comite["colleges"][1], committees=[comite["committee"]]), topic)
    backdate(app, last_month().start + timedelta(days=6), topics=[topic])


def committee_url(world, suffix=""):
    return f"/espace/{world['committee'].slug}/participation{suffix}"


@pytest.mark.parametrize("who", ["member", "moderator", "coordinator"])
def test_a_comite_page_for_its_members_moderators_and_the_coordination(comite, login, who):
    response = login(comite[who]).get(committee_url(comite))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Comité du Var" in page and "Messages par collège" in page
    # B's two writers are never shown alone: merged with A (the only other collège), so no collège row
    # at all: only the total.
    assert "Collège B</th>" not in page and "Rare0" not in page
    # Said in a sentence, not drawn: no empty drawing, table or download for it.
    assert "<strong>Messages par collège</strong> : Trop peu de personnes par collège" in page
    assert "/graphique/colleges.csv" not in page


@pytest.mark.parametrize("who", ["outsider", "other"])
def test_anyone_else_is_told_it_does_not_exist(comite, login, who):
    browser = login(comite[who])
    assert browser.get(committee_url(comite)).status_code == 404
    assert browser.get(committee_url(comite, "/graphique/colleges.csv")).status_code == 404
    assert browser.get("/participation").status_code == 404


def test_a_pending_request_opens_nothing(app, comite, forum, login):
    from forum.accounts.membership import MembershipRequest   # the request row, as the demo has one
    impostor = forum.member()
    with app.app_context():
        from forum.extensions import db
        db.session.add(MembershipRequest(member_id=impostor.id, space_id=comite["committee"].id))
        db.session.commit()
    assert login(impostor).get(committee_url(comite)).status_code == 404


def test_visitors_are_asked_to_log_in(client, comite):
    for url in (committee_url(comite), "/participation", "/participation/graphique/colleges.svg"):
        response = client.get(url)
        assert response.status_code == 302 and "/connexion" in response.headers["Location"]


def test_only_comite_spaces_have_one(comite, login, forum):
    theme = forum.space("Un thème")
    assert login(comite["coordinator"]).get(f"/espace/{theme.slug}/participation").status_code == 404
    assert login(comite["coordinator"]).get("/espace/nulle-part/participation").status_code == 404


def test_the_comite_counts_its_kept_space_only_for_who_reads_it(comite, login):
    # The kept space's 5 writers are all comité members: counted for them (13 posts: 8 + 5).
    member_page = login(comite["member"]).get(committee_url(comite)).get_data(as_text=True)
    assert "<strong>13</strong>" in member_page
    # A moderator of the comité who is not one of its members does not read the kept space.
    moderator_page = login(comite["moderator"]).get(committee_url(comite)).get_data(as_text=True)
    assert "<strong>8</strong>" in moderator_page and "<strong>13</strong>" not in moderator_page


def test_the_coordination_page(comite, login, forum):
    assert login(comite["moderator"]).get("/participation").status_code == 404
    page = login(comite["coordinator"]).get("/participation").get_data(as_text=True)
    assert "Tous les comités et thèmes" in page and "Messages par collège" in page


@pytest.mark.parametrize("query, field, message", [
    ("periode=hier", "periode", "Choisissez une période de la liste."),
    ("periode=perso&de=2026-13&a=2026-02", "de", "Indiquez un mois qui existe"),
    ("periode=perso&de=<b>&a=2026-02", "de", "Indiquez un mois qui existe"),
    ("periode=perso&de=2025-05&a=2025-02", "a", "La fin de la période est avant son début."),
    ("periode=perso&de=9999-01&a=9999-02", "de", "Cette période n'est pas encore terminée"),
])
def test_bad_periods_are_422_with_the_message_at_the_field(comite, login, query, field, message):
    response = login(comite["member"]).get(committee_url(comite, f"?{query}"))
    assert response.status_code == 422
    raw = response.get_data(as_text=True)
    page = html.unescape(raw)
    assert message in page and f'href="#periode-{field}"' in page
    assert "<b>" not in raw
    csv_response = login(comite["member"]).get(committee_url(comite, f"/graphique/colleges.csv?{query}"))
    assert csv_response.status_code == 422


def test_periods_are_cut_to_ended_months_and_36_at_most(comite, login):
    browser = login(comite["member"])
    running = periods.current_month()
    page = browser.get(committee_url(comite, f"?periode=perso&de=2020-01&a={running:%Y-%m}")).get_data(as_text=True)
    assert "Seuls les mois terminés sont comptés" in page or "au plus 36 mois" in page
    page = html.unescape(browser.get(committee_url(
        comite, f"?periode=perso&de={running.year - 1}-01&a={running:%Y-%m}")).get_data(as_text=True))
    assert "la période s'arrête au mois dernier" in page
    page = browser.get(committee_url(comite, "?periode=perso&de=2001-01&a=2010-12")).get_data(as_text=True)
    assert "seuls les 36 derniers sont montrés" in page and "Aucune activité sur cette période" in page


def test_csv_and_svg_carry_the_page_numbers_and_nothing_smaller(app, comite, login, forum):
    # Five more writers in collège B: now A (6 people, 12 posts with the kept space) and B
    # (7 people, 7 posts) are both shown.
    five_more_in_college_b(app, comite, forum)
    browser = login(comite["member"])
    response = browser.get(committee_url(comite, "/graphique/colleges.csv?periode=mois"))
    assert response.status_code == 200 and response.headers["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";"))
    assert rows[0] == ["Collège", "messages"]
    assert dict(rows[1:]) == {"Collège A": "12", "Collège B": "7"}
    drawing = browser.get(committee_url(comite, "/graphique/contributeurs.svg?periode=mois"))
    assert drawing.headers["Content-Type"].startswith("image/svg+xml")
    assert "attachment" in drawing.headers["Content-Disposition"]
    tree = ET.fromstring(drawing.get_data())
    texts = [t.text for t in tree.iter("{http://www.w3.org/2000/svg}text")]
    assert "Collège A" in texts and "Collège B" in texts and "6" in texts and "7" in texts
    assert browser.get(committee_url(comite, "/graphique/inconnu.csv")).status_code == 404


def test_a_period_with_nobody_says_so(comite, login):
    page = login(comite["member"]).get(committee_url(comite, "?periode=perso&de=2024-01&a=2024-03")).get_data(as_text=True)
    assert "Aucune activité sur cette période" in page


def test_every_table_in_one_csv_for_a_report(app, comite, login, forum):
    five_more_in_college_b(app, comite, forum)
    browser = login(comite["member"])
    page = browser.get(committee_url(comite, "?periode=mois")).get_data(as_text=True)
    assert committee_url(comite, "/tableaux.csv?periode=mois") in page
    response = browser.get(committee_url(comite, "/tableaux.csv?periode=mois"))
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";"))
    titles = [row[0] for row in rows if len(row) == 2 and row[1].endswith(".")]
    assert titles[:2] == ["Messages par collège", "Contributeurs par collège"]
    start = rows.index(["Collège", "messages"])
    assert rows[start + 1:start + 3] == [["Collège A", "12"], ["Collège B", "7"]]
    # Who may not see the page may not have its tables either; a bad period is 422.
    assert login(comite["outsider"]).get(committee_url(comite, "/tableaux.csv")).status_code == 404
    assert login(comite["coordinator"]).get("/participation/tableaux.csv?periode=hier").status_code == 422
    assert login(comite["member"]).get("/participation/tableaux.csv").status_code == 404
