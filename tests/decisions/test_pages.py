"""The pages of decisions, without JavaScript: opening one, the block under its post, voting
through the page's own form, one's history, editing; and every refusal with its status."""
import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from forum.clock import now
from forum.dates import local
from forum.decisions.models import Ballot, Poll
from forum.extensions import db

from ..helpers import Browser, text


class Forms(HTMLParser):
    """The forms of a page as a browser would send them: each form's action and its fields,
    with what is checked or selected (as tests/helpers.py Browser does for one token)."""

    def __init__(self, html):
        super().__init__()
        self.forms, self._select = [], None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"action": a.get("action"), "fields": [], "names": set()})
        elif not self.forms:
            return
        form = self.forms[-1]
        if tag == "input" and a.get("name"):
            form["names"].add(a["name"])
            if a.get("type") in ("radio", "checkbox"):
                if "checked" in a:
                    form["fields"].append((a["name"], a.get("value", "on")))
            elif a.get("type") != "submit":
                form["fields"].append((a["name"], a.get("value", "")))
        elif tag == "textarea" and a.get("name"):
            form["names"].add(a["name"])
        elif tag == "select":
            self._select = a.get("name")
            form["names"].add(self._select)
        elif tag == "option" and self._select and "selected" in a:
            form["fields"].append((self._select, a.get("value", "")))

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None

    def ballot(self, poll_id):
        return next(f for f in self.forms if f["action"] == f"/decision/{poll_id}/vote")


def send_ballot(browser, poll, choose, reason=None):
    """Read the block's form in the topic page, set ``choose`` ({name: value or [values]}),
    send it as a browser would (CSRF token from the page's own hidden field)."""
    page = browser.get(f"/sujet/{poll.topic_id}")
    form = Forms(page.get_data(as_text=True)).ballot(poll.id)
    fields = [(n, v) for n, v in form["fields"] if n not in choose and not (n == "choice" and "choice" in choose)]
    for name, value in choose.items():
        assert name in form["names"], f"{name} is not a field of the form ({sorted(form['names'])})"
        for one in value if isinstance(value, list) else [value]:
            fields.append((name, one))
    if reason is not None:
        fields.append(("reason", reason))
    from werkzeug.datastructures import MultiDict
    return browser.client.post(form["action"], data=MultiDict(fields + [("submit", "1")]))


@pytest.fixture
def place(forum):
    committee = forum.committee("13")
    author = forum.member("Alice", committees=[committee])
    voter = forum.member("Bob", committees=[committee])
    topic = forum.topic(author, committee, "Préparer la plénière")
    return committee, author, voter, topic


def logged(app, member):
    browser = Browser(app.test_client())
    browser.login(member)
    return browser


def opening_fields(**changed):
    moment = local(now() + timedelta(days=7))
    fields = {"kind": "single", "question": "Quel jour ?", "body": "Choisissons le jour de la réunion.",
              "options": "Mardi\nJeudi", "closes_on": f"{moment:%Y-%m-%d}", "closes_time": "18:00",
              "results_mode": "shown", "reason_mode": "optional", "quorum_voters": "", "quorum_colleges": "",
              "submit": "1"}
    fields.update(changed)
    return fields


# --- opening ------------------------------------------------------------------------------

def test_a_member_opens_a_decision_and_its_block_shows_under_its_post(app, place):
    committee, author, voter, topic = place
    browser = logged(app, author)
    page = browser.get(f"/sujet/{topic.id}/decision")
    assert page.status_code == 200 and "Proposition par consentement" in text(page)
    answer = browser.post(f"/sujet/{topic.id}/decision", opening_fields())
    assert answer.status_code == 303, text(answer)[:3000]
    with app.app_context():
        poll = db.session.scalar(select(Poll))
        assert poll.question == "Quel jour ?" and [o.label for o in poll.options] == ["Mardi", "Jeudi"]
        # Typed at 18:00 in Paris, stored in UTC.
        assert f"{local(poll.closes_at):%H:%M}" == "18:00"
    shown = browser.get(answer.headers["Location"])
    assert shown.status_code == 302 and shown.headers["Location"].endswith(f"#decision-{poll.id}")
    page = text(browser.get(f"/sujet/{topic.id}"))
    assert f'id="decision-{poll.id}"' in page and "Choisissons le jour" in page
    assert "1 décision dans ce sujet" in page


def test_bad_opening_fields_come_back_next_to_their_field_with_everything_typed(app, place):
    committee, author, voter, topic = place
    browser = logged(app, author)
    answer = browser.post(f"/sujet/{topic.id}/decision", opening_fields(
        options="Mardi", closes_on="hier", body="Mon texte soigneusement écrit."))
    assert answer.status_code == 422
    page = text(answer)
    assert 'id="options-erreurs"' in page and "au moins deux options" in page
    assert 'id="closes_on-erreurs"' in page
    assert "Mon texte soigneusement écrit." in page and "Quel jour ?" in page
    # No kind chosen: that message, and the others with it.
    answer = browser.post(f"/sujet/{topic.id}/decision", opening_fields(kind="", question="", body=""))
    page = text(answer)
    assert answer.status_code == 422
    for field in ("kind", "question", "body"):
        assert f'id="{field}-erreurs"' in page, field
    answer = browser.post(f"/sujet/{topic.id}/decision", opening_fields(closes_on="2020-01-01"))
    assert answer.status_code == 422 and "dans l'avenir" in text(answer)
    assert 'id="closes_on-erreurs"' in text(answer)          # next to the date, not only at the top
    with app.app_context():
        assert db.session.scalar(select(Poll)) is None


def test_opening_is_refused_to_who_may_not(app, forum, place, client):
    committee, author, voter, topic = place
    outsider = forum.member("Chloe", committees=[forum.committee("83")])
    assert client.get(f"/sujet/{topic.id}/decision").status_code == 302          # to the login page
    browser = logged(app, outsider)
    assert browser.get(f"/sujet/{topic.id}/decision").status_code == 403
    assert browser.post(f"/sujet/{topic.id}/decision", opening_fields()).status_code == 403
    hidden = forum.space("Réservé", visibility="restricted", committees=[committee])
    secret = forum.topic(author, hidden)
    assert browser.get(f"/sujet/{secret.id}/decision").status_code == 404
    mine = logged(app, author)
    assert mine.post(f"/sujet/{topic.id}/decision", opening_fields(), csrf=False).status_code == 400
    with app.app_context():
        assert db.session.scalar(select(Poll)) is None


def test_where_only_moderators_open_them_the_link_is_not_offered(app, forum, place):
    committee, author, voter, topic = place
    browser = logged(app, author)
    assert "Ouvrir une décision" in text(browser.get(f"/sujet/{topic.id}"))
    with app.app_context():
        from forum.topics.models import Space
        db.session.get(Space, committee.id).decisions_opened_by = "moderators"
        db.session.commit()
    assert "Ouvrir une décision" not in text(browser.get(f"/sujet/{topic.id}"))
    assert browser.get(f"/sujet/{topic.id}/decision").status_code == 403


# --- voting, each kind through the page's form ---------------------------------------------

KINDS = [
    ("consent", (), {"choice": "0"}, {0: 1}),
    ("sense", (), {"choice": "2"}, {2: 1}),
    ("single", ("Mardi", "Jeudi"), {"choice": "1"}, {1: 1}),
    ("multiple", ("Mardi", "Jeudi", "Vendredi"), {"choice": ["0", "2"]}, {0: 1, 2: 1}),
    ("ranked", ("Mardi", "Jeudi", "Vendredi"), {"rank-0": "2", "rank-1": "1", "rank-2": ""}, {0: 2, 1: 1}),
    ("score", ("Mardi", "Jeudi"), {"score-0": "4", "score-1": "0"}, {0: 4, 1: 0}),
    ("meeting", ("mardi 12 janvier, 14 h", "jeudi 14 janvier, 9 h"), {"slot-0": "2", "slot-1": "1"}, {0: 2, 1: 1}),
]


@pytest.mark.parametrize("kind, options, choose, stored", KINDS, ids=[k[0] for k in KINDS])
def test_each_kind_is_voted_through_the_form_and_shown_again_prefilled(app, place, open_poll, kind, options,
                                                                        choose, stored):
    committee, author, voter, topic = place
    poll = open_poll(author, topic, kind=kind, options=options)
    browser = logged(app, voter)
    answer = send_ballot(browser, poll, choose)
    assert answer.status_code == 303, text(answer)[:3000]
    with app.app_context():
        ballot = db.session.scalar(select(Ballot).where(Ballot.poll_id == poll.id))
        assert {int(k): v for k, v in ballot.choice.items()} == stored
    assert answer.headers["Location"].endswith(f"#decision-{poll.id}")
    page = text(browser.get(answer.headers["Location"]))
    assert "Votre vote est enregistré." in page and "Changer mon vote" in page and "1 votant" in page
    # The form holds the ballot as cast: sent again untouched, it is the same ballot.
    assert send_ballot(browser, poll, {}).status_code == 303
    with app.app_context():
        ballot = db.session.scalar(select(Ballot).where(Ballot.poll_id == poll.id))
        assert {int(k): v for k, v in ballot.choice.items()} == stored and ballot.revision_count == 2
    history = text(browser.get(f"/decision/{poll.id}/mon-vote"))
    assert history.count("<li>") >= 2


def test_the_same_rank_twice_is_refused_with_what_was_chosen_kept(app, place, open_poll):
    committee, author, voter, topic = place
    poll = open_poll(author, topic, kind="ranked", options=("Mardi", "Jeudi", "Vendredi"), reason_mode="optional")
    answer = send_ballot(logged(app, voter), poll, {"rank-0": "1", "rank-1": "1"}, reason="Mon avis détaillé")
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert "même rang" in text(answer) and f'id="d{poll.id}-choix-erreurs"' in page
    assert "Mon avis détaillé" in text(answer)
    assert re.search(r'name="rank-1"[^>]*>.*?<option value="1" selected>', page, re.S)


def test_an_objection_without_reason_is_refused_next_to_the_reason(app, place, open_poll):
    committee, author, voter, topic = place
    poll = open_poll(author, topic, kind="consent", options=())
    answer = send_ballot(logged(app, voter), poll, {"choice": "3"})
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert f'id="d{poll.id}-raison-erreurs"' in page and "Une objection dit pourquoi" in text(answer)
    assert re.search(rf'id="d{poll.id}-o3" checked', page)


def test_who_may_not_vote_is_told_and_refused(app, forum, place, open_poll, client):
    committee, author, voter, topic = place
    poll = open_poll(author, topic, kind="single")
    # An anonymous visitor reads the block, without a form.
    page = text(client.get(f"/sujet/{topic.id}"))
    assert "Connectez-vous pour voter" in page and f"/decision/{poll.id}/vote" not in page
    visitor = Browser(client)
    assert visitor.post(f"/decision/{poll.id}/vote", {"choice": "0"}).status_code == 403
    # A member of another comité reads the public comité's topic but does not vote.
    outsider = logged(app, forum.member("Chloe", committees=[forum.committee("83")]))
    assert f"/decision/{poll.id}/vote" not in text(outsider.get(f"/sujet/{topic.id}"))
    refused = outsider.post(f"/decision/{poll.id}/vote", {"choice": "0"})
    assert refused.status_code == 403 and f'id="decision-{poll.id}"' in text(refused)
    # The ballot's own refusals.
    mine = logged(app, voter)
    assert mine.post(f"/decision/{poll.id}/vote", {"choice": "0"}, csrf=False).status_code == 400
    assert mine.get(f"/decision/{poll.id}/vote").status_code == 405
    assert mine.post(f"/decision/{poll.id}/vote", {"choice": "x"}).status_code == 422
    assert mine.post(f"/decision/{poll.id}/vote", {"choice": "9"}).status_code == 422
    with app.app_context():
        assert db.session.scalar(select(Ballot)) is None


def test_a_closed_decision_takes_no_ballot_and_says_it_had_no_quorum(app, place, open_poll, vote):
    committee, author, voter, topic = place
    poll = open_poll(author, topic, kind="single", quorum_voters=3)
    vote(voter, poll, {0: 1})
    from forum.decisions import closing
    with app.app_context():
        closing.close_poll(db.session.get(Poll, poll.id), None)
    browser = logged(app, voter)
    refused = browser.post(f"/decision/{poll.id}/vote", {"choice": "1", "reason": "Finalement jeudi"})
    assert refused.status_code == 409 and "clos" in text(refused) and "Finalement jeudi" in text(refused)
    page = text(browser.get(f"/sujet/{topic.id}"))
    assert "Close le" in page and "sans quorum" in page and "Bob : Mardi" in page
    # One voter: no table per collège, the total only.
    assert "<table" not in page and "seul le total est montré" in page
    assert f"/decision/{poll.id}/vote" not in page


def test_the_final_table_shows_each_college_and_names_the_merged_ones(app, forum, place, open_poll, vote):
    committee, author, voter, topic = place
    big, other, small = forum.college("Professionnels"), forum.college("Personnes accompagnées"), forum.college("Élus")
    poll = open_poll(author, topic, kind="single", quorum_colleges=2)
    for college, count in ((big, 5), (other, 5), (small, 1)):
        for _ in range(count):
            vote(forum.member(college=college, committees=[committee]), poll, {0: 1})
    from forum.decisions import closing
    with app.app_context():
        closing.close_poll(db.session.get(Poll, poll.id), None)
    page = text(logged(app, voter).get(f"/decision/{poll.id}/bloc"))
    table = page[page.index("<table"):page.index("</table>")]
    assert "<caption>Résultats par collège</caption>" in table and '<th scope="row">Mardi</th>' in table
    headers = re.findall(r'<th scope="col">([^<]*)', table)
    assert headers[:2] == ["Option", "Ensemble"] and len(headers) == 4
    assert headers[3].startswith("Autres collèges (") and "Élus" in headers[3]
    assert "11 votants" in table and "atteint" in page and "sans quorum" not in page


def test_a_restricted_decision_is_not_found_by_who_cannot_read_it(app, forum, place, open_poll):
    committee, author, voter, topic = place
    hidden = forum.space("Réservé", visibility="restricted", committees=[committee])
    poll = open_poll(author, forum.topic(author, hidden), kind="single")
    outsider = logged(app, forum.member("Chloe", committees=[forum.committee("83")]))
    for path in (f"/decision/{poll.id}", f"/decision/{poll.id}/bloc", f"/decision/{poll.id}/mon-vote",
                 f"/decision/{poll.id}/modifier"):
        assert outsider.get(path).status_code == 404, path
    assert outsider.post(f"/decision/{poll.id}/vote", {"choice": "0"}).status_code == 404
    assert logged(app, voter).get(f"/decision/{poll.id}/bloc").status_code == 200


# --- hidden results -----------------------------------------------------------------------

def test_results_after_closing_are_absent_even_for_the_author(app, forum, place, open_poll, vote):
    committee, author, voter, topic = place
    poll = open_poll(author, topic, kind="single", options=("Mardi", "Jeudi"), results_mode="after_closing")
    vote(voter, poll, {1: 1})
    for who in (author, voter):
        page = text(logged(app, who).get(f"/decision/{poll.id}/bloc"))
        assert "1 voix" not in page and "Résultats provisoires" not in page and "montrés à la clôture" in page
        assert "Bob : " not in page


def test_results_after_vote_appear_once_one_has_voted(app, forum, place, open_poll, vote):
    committee, author, voter, topic = place
    poll = open_poll(author, topic, kind="single", options=("Mardi", "Jeudi"), results_mode="after_vote")
    vote(author, poll, {1: 1})
    browser = logged(app, voter)
    page = text(browser.get(f"/decision/{poll.id}/bloc"))
    assert "1 voix" not in page and "après son vote" in page
    assert send_ballot(browser, poll, {"choice": "0"}).status_code == 303
    page = text(browser.get(f"/decision/{poll.id}/bloc"))
    assert "Résultats provisoires" in page and "1 voix" in page
    assert "Alice : Jeudi" in page and "Bob : Mardi" in page


def test_anonymous_decisions_name_voters_never_their_choice(app, place, open_poll, vote):
    committee, author, voter, topic = place
    poll = open_poll(author, topic, kind="single", anonymous=True)
    vote(voter, poll, {0: 1})
    page = text(logged(app, author).get(f"/decision/{poll.id}/bloc"))
    assert "Bob" in page and "Bob : " not in page and "Mardi : " not in page


# --- editing ------------------------------------------------------------------------------

def test_the_author_edits_options_until_the_first_ballot(app, forum, place, open_poll, vote):
    committee, author, voter, topic = place
    poll = open_poll(author, topic, kind="single")
    browser = logged(app, author)
    form = browser.get(f"/decision/{poll.id}/modifier")
    assert form.status_code == 200 and "Mardi\nJeudi" in text(form)
    moment = local(now() + timedelta(days=3))
    fields = {"question": "Quel jour, finalement ?", "options": "Mardi\nJeudi\nVendredi",
              "closes_on": f"{moment:%Y-%m-%d}", "closes_time": "09:30", "results_mode": "shown",
              "reason_mode": "optional", "submit": "1"}
    assert browser.post(f"/decision/{poll.id}/modifier", fields).status_code == 303
    with app.app_context():
        edited = db.session.get(Poll, poll.id)
        assert [o.label for o in edited.options] == ["Mardi", "Jeudi", "Vendredi"]
        assert f"{local(edited.closes_at):%H:%M}" == "09:30"
    vote(voter, poll, {2: 1})
    refused = browser.post(f"/decision/{poll.id}/modifier", dict(fields, options="Mardi\nJeudi"))
    assert refused.status_code == 409 and "fixées dès le premier bulletin" in text(refused)
    assert "Mardi\nJeudi</textarea>" in text(refused)
    assert browser.post(f"/decision/{poll.id}/modifier", dict(fields, question="Quel jour ?")).status_code == 303
    past = browser.post(f"/decision/{poll.id}/modifier", dict(fields, closes_on="2020-01-01"))
    assert past.status_code == 422
    assert logged(app, voter).get(f"/decision/{poll.id}/modifier").status_code == 403


def test_topic_lists_show_a_decision_badge_with_its_deadline(app, forum, place, open_poll, client):
    committee, author, voter, topic = place
    tag = forum.tag("Logement")
    tagged = forum.topic(author, committee, "Un sujet étiqueté", tags=[tag])
    open_poll(author, tagged, kind="single")
    for path in ("/", f"/espace/{committee.slug}", f"/etiquette/{tag.slug}"):
        assert text(client.get(path)).count("Décision · jusqu'au") == 1, path
    # And the block is under its post in both views of the topic.
    for view in ("", "?vue=chrono"):
        assert 'class="poll"' in text(client.get(f"/sujet/{tagged.id}{view}")), view


# --- the block alone, history, edit refusals, the space setting, lists ----------------------

def test_the_block_alone_is_the_decision_only_and_hides_with_its_post(app, place, open_poll, client):
    committee, author, voter, topic = place
    poll = open_poll(author, topic, kind="single")
    page = client.get(f"/decision/{poll.id}/bloc")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and html.lstrip().startswith("<section") and "<html" not in html
    assert "Connectez-vous pour voter" in html and "/vote" not in html
    # What live pages (static/js/live-topic.js) replace: the count, and the results part alone.
    assert 'data-poll-voters="0"' in html and html.count("data-poll-results") == 1
    assert client.get(f"/decision/{poll.id}").status_code == 302
    assert client.get("/decision/999999/bloc").status_code == 404
    with app.app_context():
        db.session.get(Poll, poll.id).post.state = "hidden"      # hidden by the moderation
        db.session.commit()
    reader = logged(app, voter)
    for path in (f"/decision/{poll.id}/bloc", f"/decision/{poll.id}"):
        assert reader.get(path).status_code == 404, path
    assert reader.post(f"/decision/{poll.id}/vote", {"choice": "0"}).status_code == 404
    assert f'id="decision-{poll.id}"' not in text(reader.get(f"/sujet/{topic.id}"))
    assert "Décision ·" not in text(reader.get(f"/espace/{committee.slug}"))


def test_history_is_one_s_own_and_needs_a_login(app, place, open_poll, vote, client):
    committee, author, voter, topic = place
    poll = open_poll(author, topic, kind="single")
    vote(voter, poll, {0: 1}, "Le mardi me va mieux")
    vote(voter, poll, {1: 1})
    assert client.get(f"/decision/{poll.id}/mon-vote").status_code == 302
    page = text(logged(app, voter).get(f"/decision/{poll.id}/mon-vote"))
    assert page.index("Jeudi") < page.index("Mardi") and "Le mardi me va mieux" in page
    assert "pas encore voté" in text(logged(app, author).get(f"/decision/{poll.id}/mon-vote"))


def test_edit_refusals(app, forum, place, open_poll):
    committee, author, voter, topic = place
    poll = open_poll(author, topic, kind="single")
    moderator = forum.moderator(committee, pseudonym="Modo", committees=[committee])
    browser = logged(app, author)
    moment = local(now() + timedelta(days=3))
    fields = {"question": "Autre question ?", "options": "Mardi\nJeudi", "closes_on": f"{moment:%Y-%m-%d}",
              "closes_time": "10:00", "results_mode": "shown", "reason_mode": "optional", "submit": "1"}
    assert browser.post(f"/decision/{poll.id}/modifier", fields, csrf=False).status_code == 400
    assert logged(app, voter).post(f"/decision/{poll.id}/modifier", fields).status_code == 403
    assert logged(app, moderator).post(f"/decision/{poll.id}/modifier", fields).status_code == 303
    bad = browser.post(f"/decision/{poll.id}/modifier", dict(fields, question="", quorum_voters="beaucoup"))
    assert bad.status_code == 422 and 'id="question-erreurs"' in text(bad) and 'id="quorum_voters-erreurs"' in text(bad)
    assert "beaucoup" in text(bad)
    from forum.decisions import closing
    with app.app_context():
        closing.close_poll(db.session.get(Poll, poll.id), None)
    assert browser.get(f"/decision/{poll.id}/modifier").status_code == 409
    assert browser.post(f"/decision/{poll.id}/modifier", fields).status_code == 409
    with app.app_context():
        assert db.session.get(Poll, poll.id).question == "Autre question ?"


def test_anonymity_cannot_be_edited_away(app, place, open_poll):
    committee, author, voter, topic = place
    poll = open_poll(author, topic, kind="single", anonymous=True)
    moment = local(now() + timedelta(days=3))
    answer = logged(app, author).post(f"/decision/{poll.id}/modifier", {
        "question": "Q ?", "options": "Mardi\nJeudi", "closes_on": f"{moment:%Y-%m-%d}", "closes_time": "10:00",
        "results_mode": "shown", "reason_mode": "optional", "anonymous": "y", "submit": "1"})
    assert answer.status_code == 303
    with app.app_context():
        edited = db.session.get(Poll, poll.id)
        assert edited.anonymous and edited.results_mode == "after_closing" and edited.reason_mode == "none"


def test_the_coordination_sets_who_opens_decisions_in_a_space(app, forum, place):
    committee, author, voter, topic = place
    coordinator = logged(app, forum.member("Coord", role="coordinator"))
    page = text(coordinator.get(f"/coordination/espaces/{committee.id}"))
    assert "Qui ouvre une décision" in page
    fields = {"name": committee.name, "kind": "comite", "department": "13", "visibility": "public",
              "staff_reads": "y", "decisions_opened_by": "moderators", "submit": "1"}
    assert coordinator.post(f"/coordination/espaces/{committee.id}", fields).status_code == 303
    with app.app_context():
        from forum.topics.models import Space
        assert db.session.get(Space, committee.id).decisions_opened_by == "moderators"
    wrong = coordinator.post(f"/coordination/espaces/{committee.id}", dict(fields, decisions_opened_by="tous"))
    assert wrong.status_code == 422 and "qui ouvre une décision" in text(wrong)


def test_topic_lists_read_decisions_in_one_query_whatever_the_rows(app, forum, place, open_poll, client):
    committee, author, voter, topic = place
    from sqlalchemy import event

    def poll_queries():
        seen = []
        with app.app_context():
            engine = db.engine

        def listener(conn, cursor, statement, *args):
            if "FROM poll" in statement:
                seen.append(statement)
        event.listen(engine, "before_cursor_execute", listener)
        try:
            page = client.get(f"/espace/{committee.slug}", headers={"Cache-Control": "no-cache"})
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        return len(seen), text(page).count("Décision ·")

    open_poll(author, topic, kind="single")
    one = poll_queries()
    for _ in range(3):
        open_poll(author, forum.topic(author, committee), kind="single")
    assert one == (1, 1) and poll_queries() == (1, 4)


def test_the_block_speaks_english_too(app, place, open_poll, vote):
    committee, author, voter, topic = place
    poll = open_poll(author, topic, kind="meeting", options=("mardi 12 janvier, 14 h", "jeudi 14 janvier, 9 h"),
                     quorum_voters=2)
    vote(author, poll, {0: 2, 1: 0})
    browser = logged(app, voter)
    browser.client.set_cookie("lang", "en")
    page = text(browser.get(f"/decision/{poll.id}/bloc"))
    assert "Who votes:" in page and "Results so far" in page and "not reached yet" in page
    assert "Alice : mardi 12 janvier, 14 h : Yes" in page
    opening = text(browser.get(f"/sujet/{topic.id}/decision"))
    assert "Open a decision" in opening and "18:00" in opening


def test_visitors_never_get_a_stale_tally_from_the_page_cache(app, forum, place, open_poll, vote, client):
    committee, author, voter, topic = place
    app.config["PAGE_CACHE_BYTES"] = 1 << 20
    poll = open_poll(author, topic, kind="single", options=("Mardi", "Jeudi"))
    vote(voter, poll, {0: 1})
    first = text(client.get(f"/sujet/{topic.id}"))
    assert "Bob : Mardi" in first
    assert client.get(f"/sujet/{topic.id}").headers.get("X-Agora-Cache") == "hit"
    vote(voter, poll, {1: 1})          # a changed ballot: no new voter, no new post
    assert "Bob : Jeudi" in text(client.get(f"/sujet/{topic.id}"))


def test_a_vote_kept_to_a_college_refuses_the_others_and_says_who_votes(app, forum, place, open_poll, client):
    committee, author, voter, topic = place
    pros = forum.college("Professionnels")
    pro = forum.member("Dora", college=pros, committees=[committee])
    poll = open_poll(author, topic, kind="single", college_ids=(pros.id,))
    page = text(logged(app, voter).get(f"/sujet/{topic.id}"))
    assert "Qui vote :" in page and "membres confirmés des collèges : Professionnels" in page
    assert "réservé à d'autres membres" in page and f"/decision/{poll.id}/vote" not in page
    refused = logged(app, voter).post(f"/decision/{poll.id}/vote", {"choice": "0"})
    assert refused.status_code == 403 and "réservé à d'autres membres" in text(refused)
    assert send_ballot(logged(app, pro), poll, {"choice": "0"}).status_code == 303
    assert client.get(f"/decision/{poll.id}/modifier").status_code == 302        # to the login page


def test_the_opening_form_shows_the_kinds_and_the_lists_a_vote_may_be_kept_to(app, forum, place):
    committee, author, voter, topic = place
    forum.college("Professionnels")
    page = text(logged(app, author).get(f"/sujet/{topic.id}/decision"))
    for words in ("Classement", "par points (Borda)", "Date de réunion", "Irréversible", "Professionnels",
                  committee.name, 'type="date"', 'type="time"', "Montrés seulement à la clôture"):
        assert words in page, words


def test_each_kind_s_tally_is_said_in_words(app, forum, place, open_poll, vote):
    committee, author, voter, topic = place
    third = forum.member("Chloe", committees=[committee])
    ranked = open_poll(author, topic, kind="ranked", options=("Logement", "Transports", "Accueil"))
    for who, choice in ((author, {0: 1, 1: 2}), (voter, {1: 1, 0: 2}), (third, {2: 1, 1: 2})):
        vote(who, ranked, choice)
    page = text(logged(app, voter).get(f"/decision/{ranked.id}/bloc"))
    assert "Décompte par éliminations successives" in page and "Décompte par points (Borda)" in page
    assert "Tour 1 : Logement 1, Transports 1, Accueil 1" in page and "Tour 2 :" in page
    assert "En tête : Transports" in page
    assert "4 points (Borda) · 1 fois en premier" in page          # Transports: 1 + 2 + 1
    score = open_poll(author, topic, kind="score", options=("A", "B"), max_score=5)
    vote(author, score, {0: 5, 1: 1})
    vote(voter, score, {0: 2, 1: 0})
    page = text(logged(app, voter).get(f"/decision/{score.id}/bloc"))
    assert "7 points, moyenne 3,5" in page and "1 point, moyenne 0,5" in page
    meeting = open_poll(author, topic, kind="meeting", options=("mardi 14 h", "jeudi 9 h"))
    vote(author, meeting, {0: 2, 1: 1})
    vote(voter, meeting, {0: 2, 1: 0})
    page = text(logged(app, voter).get(f"/decision/{meeting.id}/bloc"))
    assert "oui : 2 · peut-être : 0 · non : 0" in page and "oui : 0 · peut-être : 1 · non : 1" in page


def test_a_decision_answers_the_post_named_in_the_address_if_it_is_of_the_topic(app, forum, place):
    committee, author, voter, topic = place
    asked = forum.reply(voter, topic, "Et si on votait ?")
    elsewhere = forum.reply(voter, forum.topic(voter, committee), "Ailleurs.")
    browser = logged(app, author)
    page = text(browser.get(f"/sujet/{topic.id}/decision?parent={asked.id}"))
    assert "En réponse à" in page and f"parent={asked.id}" in page
    assert browser.post(f"/sujet/{topic.id}/decision?parent={asked.id}", opening_fields()).status_code == 303
    assert browser.post(f"/sujet/{topic.id}/decision?parent={elsewhere.id}",
                        opening_fields(question="Autre ?")).status_code == 303
    with app.app_context():
        polls = db.session.scalars(select(Poll).order_by(Poll.id)).all()
        assert polls[0].post.parent_id == asked.id
        assert polls[1].post.parent_id != elsewhere.id
