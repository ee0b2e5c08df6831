"""The coordination's tools (issue 16, items 7 and 12): pinning, announcing, tags after the
start and new tags while posting, spaces ordered, archived and removed, the convention edited,
and a règlement's publisher not blocked by their own publication (tests/moderation/test_charter.py)."""
from datetime import timedelta

from sqlalchemy import func, select

from forum.accounts.models import Member
from forum.charter.models import ConventionVersion
from forum.clock import now
from forum.extensions import db
from forum.notifications import mailing
from forum.notifications.digest import compose
from forum.notifications.models import Notification
from forum.topics.models import Space, Tag, Topic
from moderation.models import AuditEntry, Decision

from ..helpers import email_text, sent_emails, text


def _topic(app, topic_id):
    with app.app_context():
        topic = db.session.get(Topic, topic_id)
        return topic.pinned, topic.announced_at, sorted(t.name for t in topic.tags)


# --- pinning and announcing -------------------------------------------------------------

def test_a_space_moderator_pins_then_unpins_and_the_moderation_log_says_so(world, login, forum, app):
    later = forum.topic(world.bob, world.c13, "Un sujet plus récent que l'accueil")
    mod = login(world.mod13)
    page = text(login(world.carol).get(f"/espace/{world.c13.slug}"))
    assert page.index(later.title) < page.index("Accueil des nouveaux membres")   # latest activity first
    done = mod.post(f"/moderation/sujets/{world.topic13.id}/epingler", {"justification": "", "submit": "1"})
    assert done.status_code == 303
    assert _topic(app, world.topic13.id)[0] is True
    page = text(login(world.carol).get(f"/espace/{world.c13.slug}"))
    assert page.index("Accueil des nouveaux membres") < page.index(later.title)
    assert "épinglé" in page
    again = mod.post(f"/moderation/sujets/{world.topic13.id}/epingler", {"justification": "", "submit": "1"})
    assert again.status_code == 409 and "déjà épinglé" in text(again)
    log = text(login(world.carol).get(f"/espace/{world.c13.slug}/journal-de-moderation"))
    assert "Sujet épinglé" in log
    assert mod.post(f"/moderation/sujets/{world.topic13.id}/desepingler",
                    {"justification": "L'accueil est fait.", "submit": "1"}).status_code == 303
    assert _topic(app, world.topic13.id)[0] is False
    with app.app_context():
        actions = db.session.scalars(select(Decision.action).where(Decision.topic_id == world.topic13.id)
                                     .order_by(Decision.id)).all()
        assert actions == ["pin", "unpin"]
        assert db.session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action.in_(("pin", "unpin")))) == 2
        # Nobody is sanctioned: the author gets no moderation notice.
        assert db.session.scalar(select(Notification.id).where(Notification.member_id == world.alice.id,
                                                               Notification.kind == "notice")) is None


def test_only_the_coordination_announces_and_every_reader_is_told(world, login, forum, app):
    bureau = forum.space("Bureau du 13", visibility="restricted", committees=[world.c13])
    topic = forum.topic(world.alice, bureau, "Appel à contributions pour le HCTS")
    refused = login(world.mod13).post(f"/moderation/sujets/{world.topic13.id}/annoncer",
                                      {"justification": "", "submit": "1"})
    assert refused.status_code == 403 and "Seule la coordination" in text(refused)     # he moderates the 13
    with app.app_context():
        suspended = db.session.get(Member, world.dave.id)
        suspended.suspended_until = now() + timedelta(days=2)
        db.session.commit()
    done = login(world.coordinator).post(f"/moderation/sujets/{topic.id}/annoncer",
                                         {"justification": "", "until": f"{now() + timedelta(days=3):%d/%m/%Y}",
                                          "audience": "tous", "submit": "1"})
    assert done.status_code == 303
    pinned, announced, _tags = _topic(app, topic.id)
    assert pinned and announced is not None
    with app.app_context():
        told = set(db.session.scalars(select(Notification.member_id).where(Notification.kind == "announcement")))
    readers = {world.alice.id, world.bob.id, world.carol.id, world.mod13.id, world.mod13b.id}
    assert told == readers            # not the Var, not the suspended Dave, not the announcer
    forum.run(mailing.send_due, force=True)      # by email too, "direct only" members included (the default)
    assert any("Appel à contributions pour le HCTS" in email_text(m) for m in sent_emails(app, "bob@"))
    assert not any("Appel à contributions" in email_text(m) for m in sent_emails(app, "eve@"))
    assert "Annonce de la coordination dans Bureau du 13" in text(login(world.bob).get("/notifications"))
    with app.app_context():
        since, until = now() - timedelta(days=7), now() + timedelta(minutes=1)
        digest = compose(db.session.get(Member, world.carol.id), since, until)
        assert [a.title for a in digest.announcements] == ["Appel à contributions pour le HCTS"]
        assert compose(db.session.get(Member, world.eve.id), since, until).announcements == []
    page = text(login(world.carol).get(f"/sujet/{topic.id}"))
    assert "annonce de la coordination" in page


# --- tags ---------------------------------------------------------------------------------

def _start(browser, space, title, **fields):
    return browser.post(f"/espace/{space.slug}/nouveau-sujet",
                        {"space": space.slug, "title": title, "body": "Un premier message.", "submit": "1", **fields})


def test_a_writer_creates_tags_while_posting_normalised_and_limited(world, login, app):
    alice = login(world.alice)
    assert _start(alice, world.c13, "Le non-recours aux droits", new_tags="non   recours, #accès aux droits").status_code == 303
    with app.app_context():
        assert sorted(db.session.scalars(select(Tag.name))) == ["Accès aux droits", "Non recours"]
    # The same tag, however written: matched by its slug, not created twice.
    assert _start(login(world.bob), world.c13, "Encore le non-recours", new_tags="Non-Recours").status_code == 303
    with app.app_context():
        tag = db.session.scalar(select(Tag).where(Tag.slug == "non-recours"))
        assert tag.topic_count == 2 and db.session.scalar(select(func.count(Tag.id))) == 2
    too_many = _start(alice, world.c13, "Trois nouvelles étiquettes", new_tags="Un, Deux, Trois")
    assert too_many.status_code == 422 and "2 nouvelles étiquettes au plus" in text(too_many)
    assert "Trois nouvelles étiquettes" in text(too_many)                          # what was typed stays
    bad = _start(alice, world.c13, "Une étiquette piégée", new_tags="<script>")
    assert bad.status_code == 422 and "des lettres, des chiffres" in text(bad)
    long = _start(alice, world.c13, "Une étiquette trop longue", new_tags="x" * 41)
    assert long.status_code == 422 and "40 caractères au plus" in text(long)
    with app.app_context():
        assert db.session.scalar(select(func.count(Tag.id))) == 2
        assert db.session.scalar(select(func.count(Topic.id)).where(Topic.title.like("%étiquette%"))) == 0


def test_the_author_and_a_moderator_change_tags_five_at_most(world, login, forum, app):
    tags = [forum.tag(f"Thème {n}") for n in range(1, 7)]
    page = text(login(world.alice).get(f"/sujet/{world.topic13.id}"))
    assert "Ajouter des étiquettes" in page
    assert "Ajouter des étiquettes" not in text(login(world.carol).get(f"/sujet/{world.topic13.id}"))
    alice = login(world.alice)
    done = alice.post(f"/sujet/{world.topic13.id}/etiquettes",
                      {"tags": [tags[0].slug, tags[1].slug], "new_tags": "Accueil", "submit": "1"})
    assert done.status_code == 303
    assert _topic(app, world.topic13.id)[2] == ["Accueil", "Thème 1", "Thème 2"]
    six = alice.post(f"/sujet/{world.topic13.id}/etiquettes",
                     {"tags": [t.slug for t in tags], "submit": "1"})
    assert six.status_code == 422 and "5 étiquettes au plus" in text(six)
    assert login(world.mod13).post(f"/sujet/{world.topic13.id}/etiquettes",
                                   {"tags": [tags[2].slug], "submit": "1"}).status_code == 303
    assert _topic(app, world.topic13.id)[2] == ["Thème 3"]
    with app.app_context():
        counts = dict(db.session.execute(select(Tag.name, Tag.topic_count)).all())
        assert counts["Thème 1"] == 0 and counts["Thème 3"] == 1 and counts["Accueil"] == 0
    assert login(world.carol).post(f"/sujet/{world.topic13.id}/etiquettes",
                                   {"tags": [tags[3].slug], "submit": "1"}).status_code == 403


# --- spaces ---------------------------------------------------------------------------------

def _positions(app):
    with app.app_context():
        return [s.name for s in db.session.scalars(select(Space).order_by(Space.position, Space.name))]


def test_the_coordination_orders_spaces(world, login, app):
    coordinator = login(world.coordinator)
    before = _positions(app)
    assert before[:2] == ["Comité des Bouches-du-Rhône", "Comité du Var"]
    assert coordinator.post(f"/coordination/espaces/{world.c83.id}/ordre", {"sens": "haut"}).status_code == 303
    assert _positions(app)[:2] == ["Comité du Var", "Comité des Bouches-du-Rhône"]
    home = text(login(world.carol).get("/"))
    assert home.index("Comité du Var") < home.index("Comité des Bouches-du-Rhône")
    top = coordinator.post(f"/coordination/espaces/{world.c83.id}/ordre", {"sens": "haut"})
    assert top.status_code == 409 and "déjà en tête de liste" in text(top)


def test_an_archived_space_is_read_only_out_of_the_lists_and_still_readable(world, login, forum, app):
    bureau = forum.space("Bureau du 13", visibility="restricted", committees=[world.c13])
    old = forum.topic(world.alice, bureau, "Compte rendu de la plénière 2025")
    coordinator = login(world.coordinator)
    assert coordinator.post(f"/coordination/espaces/{bureau.id}/archiver", {}).status_code == 303
    alice = login(world.alice)
    home = text(alice.get("/"))
    assert "Espaces archivés" in home and home.index("Bureau du 13") > home.index("Espaces archivés")
    assert alice.get(f"/sujet/{old.id}").status_code == 200                       # readers still read
    assert login(world.eve).get(f"/sujet/{old.id}").status_code == 404            # others still do not
    refused = alice.post(f"/sujet/{old.id}/repondre", {"body": "Une réponse tardive.", "submit": "1"})
    assert refused.status_code == 403 and "archivé" in text(refused)
    refused = _start(alice, bureau, "Un nouveau sujet au bureau")
    assert refused.status_code == 403
    assert "Bureau du 13" not in text(alice.get("/nouveau-sujet"))
    opening = forum.opening(old)
    assert alice.post(f"/message/{opening.id}/modifier", {"body": "Corrigé.", "submit": "1"}).status_code == 403
    assert coordinator.post(f"/coordination/espaces/{bureau.id}/desarchiver", {}).status_code == 303
    assert alice.post(f"/sujet/{old.id}/repondre", {"body": "Une réponse tardive.", "submit": "1"}).status_code == 303


def test_only_an_empty_space_is_removed(world, login, forum, app):
    coordinator = login(world.coordinator)
    empty = forum.space("Espace créé par erreur")
    assert coordinator.post(f"/coordination/espaces/{empty.id}/supprimer", {}).status_code == 303
    assert forum.get(Space, empty.id) is None
    with_topics = coordinator.post(f"/coordination/espaces/{world.c83.id}/supprimer", {})
    assert with_topics.status_code == 409 and "archivez-le plutôt" in text(with_topics)
    lonely = forum.committee("04", "Comité des Alpes-de-Haute-Provence")
    forum.member("Habitant04", committees=[lonely])
    members = coordinator.post(f"/coordination/espaces/{lonely.id}/supprimer", {})
    assert members.status_code == 409 and "a des membres" in text(members)
    named = forum.committee("05", "Comité des Hautes-Alpes")
    forum.space("Bureau du 05", visibility="restricted", committees=[named])
    access = coordinator.post(f"/coordination/espaces/{named.id}/supprimer", {})
    assert access.status_code == 409 and "changez d'abord leur accès" in text(access)
    for space in (world.c83, lonely, named):
        assert forum.get(Space, space.id) is not None


# --- the convention -------------------------------------------------------------------------

def test_the_coordination_edits_the_convention_in_versions(world, login, app):
    coordinator = login(world.coordinator)
    page = text(coordinator.get("/coordination/convention"))
    assert "La parole de chaque collège a la même valeur." in page                 # the shipped text to start from
    new = "Chaque membre adhère à la convention des comités.\n\n1. Les collèges se valent.\n2. La participation est libre."
    assert coordinator.post("/coordination/convention", {"text": new, "note": "Plus courte", "submit": "1"}
                            ).status_code == 303
    shown = text(login(world.carol).get("/convention"))
    assert "Les collèges se valent." in shown and "Version 1" in shown
    assert "La parole de chaque collège a la même valeur." not in shown
    same = coordinator.post("/coordination/convention", {"text": new, "submit": "1"})
    assert same.status_code == 422 and "n'a pas changé" in text(same)
    assert coordinator.post("/coordination/convention", {"text": new + "\n3. Chacun peut partir.", "note": "",
                                                         "submit": "1"}).status_code == 303
    shown = text(login(world.carol).get("/convention"))
    assert "Version 2" in shown and "Plus courte" in shown                         # the history keeps version 1
    with app.app_context():
        assert [v.number for v in db.session.scalars(select(ConventionVersion))] == [1, 2]
    # A new convention does not block members: they keep posting.
    assert login(world.carol).post(f"/sujet/{world.topic13.id}/repondre",
                                   {"body": "Toujours là.", "submit": "1"}).status_code == 303
