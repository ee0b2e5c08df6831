"""The notification list, the header counter, watch forms, email choices: through HTTP, like a person."""
import re

from sqlalchemy import select

from forum.extensions import db
from forum.notifications import preferences
from forum.notifications.models import (EMAIL_ALL, MUTED, WATCHING, MailPreference, Notification,
                                        Watch)

from ..helpers import text


def counter(html):
    match = re.search(r'<span id="compteur-notifications" class="counter" data-count="(\d+)">\1</span>', html)
    assert match, "the header counter is missing"
    return int(match.group(1))


def test_list_counter_and_marking_read(app, forum, browser):
    space = forum.space("Territorialisation de l'action")
    alice, bob = forum.member("Alice"), forum.member("Bob")
    topic = forum.topic(alice, space, "Les diagnostics territoriaux")
    replies = [forum.reply(bob, topic, f"Réponse numéro {n} de Bob sur les diagnostics") for n in (1, 2, 3)]

    browser.login(alice)
    page = text(browser.get("/notifications"))
    assert counter(page) == 3
    assert page.count(">Bob vous a répondu dans « Les diagnostics territoriaux »</button>") == 3
    assert "Réponse numéro 2 de Bob" in page                        # the excerpt
    assert "3 notifications non lues" in page
    with app.app_context():
        ids = [n.id for n in db.session.scalars(select(Notification).order_by(Notification.id))]

    # Following one (its button: a POST) marks it read and lands on the post.
    response = browser.post(f"/notifications/{ids[0]}")
    assert response.status_code == 303 and response.headers["Location"] == f"/message/{replies[0].id}"
    assert counter(text(browser.get("/aide"))) == 2

    assert browser.post(f"/notifications/{ids[1]}/lue").status_code == 303
    assert browser.post(f"/notifications/{ids[2]}/lue", csrf=False).status_code == 400
    assert counter(text(browser.get("/aide"))) == 1
    assert browser.post("/notifications/tout-lu").status_code == 303
    page = text(browser.get("/notifications"))
    assert counter(page) == 0 and "Aucune notification non lue." in page
    assert browser.get("/notifications/etat.json").get_json() == {"unread": 0, "last_id": ids[-1]}


def test_someone_elses_notification_does_not_exist(app, forum, browser):
    space = forum.space()
    alice, bob = forum.member("Alice"), forum.member("Bob")
    forum.reply(bob, forum.topic(alice, space))
    with app.app_context():
        notification_id = db.session.scalar(select(Notification.id))
    browser.login(bob)
    assert browser.get(f"/notifications/{notification_id}").status_code == 404
    assert browser.post(f"/notifications/{notification_id}/lue").status_code == 404
    assert browser.get("/notifications").status_code == 200
    browser.logout()
    assert browser.get("/notifications").status_code == 302          # login first


def test_watch_forms_on_topic_space_and_tag_pages(app, forum, browser):
    space = forum.space("Non-recours et fracture numérique")
    tag = forum.tag("Numérique")
    alice = forum.member("Alice")
    topic = forum.topic(alice, space, "Permanences numériques", tags=[tag])
    browser.login(alice)

    page = text(browser.get(f"/sujet/{topic.id}"))
    assert "Suivi de ce sujet : <strong>Réponses à mes messages</strong> (par défaut)" in page
    assert re.search(r'id="suivi-2" value="2" checked', page)
    # Each level is named by what it brings, not by two synonyms (« Surveiller », « Suivre »).
    assert sorted(re.findall(r'<label for="suivi-\d">([^<]+)</label>', page)) == [
        "Mentions seulement", "Réponses à mes messages", "Silencieux", "Tous les messages"]
    response = browser.post(f"/suivi/sujet/{topic.id}", {"level": str(MUTED)})
    assert response.status_code == 303 and response.headers["Location"].startswith(f"/sujet/{topic.id}")
    page = text(browser.get(response.headers["Location"]))
    assert "Niveau de suivi enregistré : Silencieux." in page
    assert "Suivi de ce sujet : <strong>Silencieux</strong></summary>" in page

    space_page = text(browser.get(f"/espace/{space.slug}"))
    assert "Suivi de cet espace : <strong>Mentions seulement</strong> (par défaut)" in space_page
    assert browser.post(f"/suivi/espace/{space.slug}", {"level": str(WATCHING)}).status_code == 303
    assert "Suivi de cette étiquette" in text(browser.get(f"/etiquette/{tag.slug}"))
    assert browser.post(f"/suivi/etiquette/{tag.slug}", {"level": str(WATCHING)}).status_code == 303
    with app.app_context():
        assert {(w.space_id, w.tag_id, w.topic_id, w.level) for w in db.session.scalars(select(Watch))} == {
            (None, None, topic.id, MUTED), (space.id, None, None, WATCHING), (None, tag.id, None, WATCHING)}

    refused = browser.post(f"/suivi/sujet/{topic.id}", {"level": "9"})
    assert refused.status_code == 422 and "Choisissez un niveau de suivi dans la liste." in text(refused)
    assert browser.post(f"/suivi/sujet/{topic.id}", {"level": "3"}, csrf=False).status_code == 400
    assert browser.post("/suivi/sujet/999999", {"level": "3"}).status_code == 404


def test_an_unreadable_space_cannot_be_watched(app, forum, browser):
    committee = forum.committee("05")
    board = forum.space("Bureau du 05", visibility="restricted", committees=[committee])
    outsider = forum.member("Dehors")
    browser.login(outsider)
    assert browser.post(f"/suivi/espace/{board.slug}", {"level": "3"}).status_code == 404
    with app.app_context():
        assert db.session.scalar(select(Watch.id)) is None


def test_anonymous_pages_have_no_watch_form_nor_counter(forum, client):
    space = forum.space()
    topic = forum.topic(forum.member(), space)
    page = text(client.get(f"/sujet/{topic.id}"))
    assert "Suivi de ce sujet" not in page and "compteur-notifications" not in page


def test_email_choices(app, forum, browser):
    alice = forum.member("Alice")
    browser.login(alice)
    page = text(browser.get("/preferences/courriels"))
    assert re.findall(r'<input checked id="email_mode-\d" name="email_mode" type="radio" value="(\w+)">', page) \
        == ["direct"]                                                   # the default
    assert '<input checked id="digest" name="digest" type="checkbox" value="y">' in page
    assert "Recevoir chaque semaine « Les nouvelles de vos comités »" in page
    response = browser.post("/preferences/courriels", {"email_mode": EMAIL_ALL, "submit": "1"})
    assert response.status_code == 303
    with app.app_context():
        row = db.session.get(MailPreference, alice.id)
        assert (row.email_mode, row.digest) == (EMAIL_ALL, False)     # an unticked box is a no
    refused = browser.post("/preferences/courriels", {"email_mode": "souvent", "digest": "y", "submit": "1"})
    assert refused.status_code == 422 and "Choisissez quand recevoir des courriels" in text(refused)
    assert "/preferences/courriels" in text(browser.get("/preferences"))


def test_a_tampered_unsubscribe_link_is_refused(app, forum, client):
    alice = forum.member("Alice")
    with app.app_context():
        token = preferences.unsubscribe_token(alice.id, preferences.SCOPE_DIGEST)
    forged = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    response = client.post(f"/desabonnement/{forged}", data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 404 and "lien de désabonnement n'est pas valide" in text(response)
    assert client.get(f"/desabonnement/{token}").status_code == 200
    with app.app_context():
        assert db.session.get(MailPreference, alice.id) is None        # a GET changes nothing


def test_coordinators_preview_a_members_digest(app, forum, browser):
    space = forum.space("Vie du réseau")
    coordinator = forum.member("Coordination", role="coordinator")
    member = forum.member("Lecteur")
    forum.topic(coordinator, space, "Assemblée plénière de décembre")
    browser.login(member)
    assert browser.get(f"/coordination/resume/{member.id}").status_code == 403
    browser.logout()
    browser.login(coordinator)
    response = browser.get(f"/coordination/resume/{member.id}")
    assert response.status_code == 200
    html = text(response)
    assert "Les nouvelles de vos comités" in html and "Assemblée plénière de décembre" in html
    csp = response.headers["Content-Security-Policy"]
    assert "style-src 'sha256-" in csp and "unsafe-inline" not in csp and "script-src" not in csp
    assert browser.get("/coordination/resume/999999").status_code == 404
