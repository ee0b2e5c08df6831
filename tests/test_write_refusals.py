"""Every write route, tried over HTTP by a logged-in member who may not: the refusal comes with
its status, for the right reason, and nothing at all changed in the database.

``tests/test_permission_rules.py`` proves the rules as functions; this proves the routes ask
them. Each request is a valid one (CSRF token, well-formed fields, chosen articles of the
règlement), so that the only reason left to refuse is the permission: a refusal for a missing
token or a malformed field would hide a route that asks nothing (issue 26's ``/brouillon``).
The world is ``tests/permission_world.py``'s, built once per backend; each refused request
leaves every row of every table as it was, so the rows can be shared.
"""
from datetime import timedelta

import pytest
from sqlalchemy import select

from forum import dates
from forum.accounts import sessions
from forum.accounts.models import Member
from forum.api import keys as api_keys
from forum.api.key_models import ApiKey
from forum.capitalisation import resources
from forum.capitalisation.models import Resource
from forum.charter import versions as charter
from forum.charter.models import CharterArticle
from forum.clock import now
from forum.conversations import writing as conversations
from forum.conversations.models import Conversation, ConversationReport
from forum.decisions import closing, outcomes, voting
from forum.decisions.models import ActionItem, Poll
from forum.extensions import db
from forum.meetings import scheduling
from forum.meetings.models import AgendaItem, Meeting, Registration, TravelClaim
from forum.notifications.models import Notification
from forum.syntheses import comments, lifecycle, writing
from forum.syntheses.models import Synthesis, SynthesisComment
from forum.topics.models import Space, Topic
from forum.webhooks.models import Webhook, WebhookDelivery
from moderation import topic_decisions
from moderation.models import Appeal, WatchedWord

from .conftest import BACKENDS
from .helpers import CSRF, PASSWORD, snapshot, text
from .meetings.conftest import typed
from .permission_world import close_world, open_world


@pytest.fixture(scope="module", params=BACKENDS)
def world(request, migrated, tmp_path_factory):
    built = open_world(request.param, migrated, tmp_path_factory.mktemp("write-refusals"))
    with built.app.app_context():
        article = db.session.scalars(select(CharterArticle.id)).first()
        bob = db.session.get(Member, built.rows["bob"][1])
        alice = db.session.get(Member, built.rows["alice"][1])
        appeal = Appeal(decision_id=built.rows["dec13"][1], member_id=bob.id, message="Je conteste.")
        word = WatchedWord(phrase="arnaque", action="hold", created_by_id=built.rows["coordinator"][1])
        notice = Notification(member_id=alice.id, kind="notice", text="Pour Alice", url="/")
        draft = charter.draft_version("Règlement révisé", "", [("Respect", "Soyez courtois.")])
        db.session.add_all([appeal, word, notice])
        db.session.commit()
        alice_session = sessions.open_session(alice, "Firefox")
        alice_key, _clear = api_keys.create(alice, "write", "Robot d'Alice")
        built.rows.update(alice_key=(ApiKey, alice_key.id))
        # Decisions in the comité 13's topic: one open, one closed with its outcome and an action.
        topic = db.session.get(Topic, built.rows["t13"][1])
        open_one = voting.open_poll(alice, topic, voting.PollSettings(
            kind="single", question="Quel jour ?", closes_at=now() + timedelta(days=3), options=["Mardi", "Jeudi"]),
            "Décidons.")
        closed = voting.open_poll(alice, topic, voting.PollSettings(
            kind="single", question="Quel lieu ?", closes_at=now() + timedelta(days=3), options=["Ici", "Là"]),
            "Décidons encore.")
        closing.close_poll(closed, alice)
        outcome = outcomes.write_outcome(alice, closed, "Ici.", "", [outcomes.ActionRow(what="Réserver", who="@alice")])
        fiche = resources.ResourceInput(kind="document", title="Fiche du 13", description="Texte.")
        res13 = resources.add_resource(alice, db.session.get(Space, built.rows["c13"][1]), fiche)
        res_r13 = resources.add_resource(alice, db.session.get(Space, built.rows["r_c13"][1]), fiche)
        built.rows.update(res13=(Resource, res13.id), res_r13=(Resource, res_r13.id))
        # Meetings (issue 23): one of the comité 13, one cancelled, one in the space reserved to the 13.
        mod13 = db.session.get(Member, built.rows["mod13"][1])
        coordinator = db.session.get(Member, built.rows["coordinator"][1])
        start = dates.local(now() + timedelta(days=6))
        when = dict(day=f"{start:%Y-%m-%d}", start="14:00", end="16:00", address="Marseille")
        m13 = scheduling.schedule(mod13, db.session.get(Space, built.rows["c13"][1]),
                                  scheduling.MeetingInput(title="Plénière", capacity="10", **when))
        m13_cancelled = scheduling.cancel(mod13, scheduling.schedule(
            mod13, m13.space, scheduling.MeetingInput(title="Annulée", **when)))
        m_rc13 = scheduling.schedule(coordinator, db.session.get(Space, built.rows["r_c13"][1]),
                                     scheduling.MeetingInput(title="Bureau", **when))
        built.rows.update(m13=(Meeting, m13.id), m13_cancelled=(Meeting, m13_cancelled.id),
                          m_rc13=(Meeting, m_rc13.id))
        built.rows.update(poll13=(Poll, open_one.id), poll13_closed=(Poll, closed.id),
                          action13=(ActionItem, outcome.actions[0].id))
        # Syntheses of the comité 13 by Alice: a draft, one in review with a comment, one published;
        # one in review in the space reserved to the 13.
        draft = writing.start(alice, topic.space, "Brouillon", "## Partie\n\nTexte.")
        review = writing.start(alice, topic.space, "En relecture", "## Partie\n\nTexte.")
        lifecycle.ask_review(alice, review)
        remark = comments.add(alice, review, "Partie", "Une remarque.")
        published = writing.start(alice, topic.space, "Publiée", "## Partie\n\nTexte.")
        lifecycle.ask_review(alice, published)
        mod13 = db.session.get(Member, built.rows["mod13"][1])
        lifecycle.approve(mod13, published)
        lifecycle.publish(mod13, published)
        reserved = writing.start(alice, db.session.get(Space, built.rows["r_c13"][1]), "Réservée", "Texte.")
        lifecycle.ask_review(alice, reserved)
        built.rows.update(s13_draft=(Synthesis, draft.id), s13_review=(Synthesis, review.id),
                          s13_published=(Synthesis, published.id), s_rc13=(Synthesis, reserved.id),
                          s13_remark=(SynthesisComment, remark.id))
        built.rows.update(appeal=(Appeal, appeal.id), word=(WatchedWord, word.id),
                          alice_notice=(Notification, notice.id), draft=(type(draft), draft.id), alice_session=(type(alice_session), alice_session.id))
        # A meeting of the comité 13 that has started, organised by its moderator, every participant's
        # travel paid: Alice registered and declared costs (forum/meetings/).
        meeting = Meeting(space_id=built.rows["c13"][1], organiser_id=mod13.id, title="Plénière commencée",
                          starts_at=now() - timedelta(hours=1), ends_at=now() + timedelta(hours=1),
                          travel_claims="everyone")
        db.session.add(meeting)
        db.session.flush()
        db.session.add(Registration(meeting_id=meeting.id, member_id=alice.id))
        claim13 = TravelClaim(meeting_id=meeting.id, member_id=alice.id, mode="distance", distance_km=12)
        db.session.add(claim13)
        db.session.commit()
        built.rows.update(m13_started=(Meeting, meeting.id), claim13=(TravelClaim, claim13.id))
        built.article = str(article)
        topic_decisions.announce_topic(coordinator, db.session.get(Topic, built.rows["t_rc13"][1]),
                                       until=f"{now() + timedelta(days=5):%d/%m/%Y}")
        _meetings(built, alice, mod13)
        _webhooks(built)
        _conversations(built, alice, bob)
    yield built
    close_world(built)


def _meetings(built, alice, mod13):
    """Of the comité 13's meeting, a point retained and one proposed by Alice; a meeting held
    last week (for its compte rendu)."""
    held = scheduling.schedule(mod13, mod13.committees[0], typed(title="Plénière passée"))
    held.starts_at, held.ends_at = held.starts_at - timedelta(days=8), held.ends_at - timedelta(days=8)
    meeting_id = built.rows["m13"][1]
    retained = AgendaItem(meeting_id=meeting_id, proposer_id=alice.id, title="Retenu", status="accepted", position=1)
    proposed = AgendaItem(meeting_id=meeting_id, proposer_id=alice.id, title="Proposé", status="proposed")
    db.session.add_all([retained, proposed])
    db.session.commit()
    built.rows.update(m13_held=(Meeting, held.id), item13=(AgendaItem, retained.id),
                      item13_proposed=(AgendaItem, proposed.id))


def _conversations(built, alice, bob):
    """A private conversation from Alice to Bob (both past their first days)."""
    alice.created_at = bob.created_at = now() - timedelta(days=30)
    message = conversations.start(alice, [bob], "Entre nous", "Bonjour Bob.")
    conversations.report(bob, message, "Déplacé.")
    report = db.session.scalar(select(ConversationReport))
    built.rows.update(conv_ab=(Conversation, message.conversation_id), conv_report=(ConversationReport, report.id))


def _webhooks(built):
    """A webhook of the administrators, with one delivery in its log (forum/webhooks/)."""
    hook = Webhook(url="https://hooks.example.org/agora", secret="s" * 64, events="topic_created", active=True,
                   disabled_reason="", failures=0, created_by_id=built.rows["admin"][1])
    db.session.add(hook)
    db.session.flush()
    sent = WebhookDelivery(webhook_id=hook.id, event="topic_created", event_id="e" * 36, payload="{}",
                           state="delivered", attempts=1, subject_type="", error="")
    db.session.add(sent)
    db.session.commit()
    built.rows.update(hook=(Webhook, hook.id), hook_delivery=(WebhookDelivery, sent.id))


class Client:
    def __init__(self, world, pseudonym):
        self.http = world.app.test_client()
        if pseudonym != "anonymous":
            page = self.http.get("/connexion").get_data(as_text=True)
            answer = self.http.post("/connexion", data={"login": pseudonym, "password": PASSWORD, "submit": "1",
                                                         "csrf_token": CSRF.search(page).group(1)})
            assert answer.status_code == 303, f"{pseudonym} could not log in"
        self.token = CSRF.search(self.http.get("/aide").get_data(as_text=True)).group(1)

    def post(self, path, data):
        # The API refuses names it does not know: no submit button there.
        button = {} if path.endswith(".json") else {"submit": "1"}
        return self.http.post(path, data={"csrf_token": self.token, **button, **data})


def decision(w, **extra):
    return {"articles": w.article, "justification": "Motif de la décision.", **extra}


MEETING = "meeting"   # a valid meeting form (FORMS)

# (who, path with the world's ids, form, status, words of the refusal or None). A 404 where the
# viewer may not know the thing exists; a 302 to the login page for a visitor.
CASES = [
    # Writing
    ("outsider", "/sujet/{t13}/repondre", {"body": "Je réponds."}, 403, "Demandez à rejoindre ce comité"),
    ("bob", "/sujet/{t13_closed}/repondre", {"body": "Je réponds."}, 403, "Ce sujet est fermé"),
    ("silenced", "/sujet/{t13}/repondre", {"body": "Je réponds."}, 403, "lecture seule"),
    ("unsigned", "/sujet/{t_public}/repondre", {"body": "Je réponds."}, 403, "convention"),
    ("stale", "/sujet/{t_public}/repondre", {"body": "Je réponds."}, 403, "nouvelle version du règlement"),
    ("eve", "/sujet/{rc13_topic}/repondre", {"body": "Je réponds."}, 404, None),
    ("outsider", "/espace/{c13_slug}/nouveau-sujet", {"space": "{c13_slug}", "title": "Un sujet du 13",
                                                      "body": "Un message."}, 403, "Demandez à rejoindre ce comité"),
    ("bob", "/message/{alice_opening}/modifier", {"body": "Texte changé par Bob."}, 403, None),
    ("bob", "/sujet/{t13}/etiquettes", {"new_tags": "Étiquette de Bob"}, 403, None),
    ("mod83", "/sujet/{t13}/etiquettes", {"new_tags": "Étiquette du 83"}, 403, None),
    ("eve", "/sujet/{rc13_topic}/etiquettes", {"new_tags": "Étiquette cachée"}, 404, None),
    ("outsider", "/espace/{c13_slug}/nouveau-sujet", {"space": "{c13_slug}", "title": "Un sujet étiqueté",
                                                      "body": "Un message.", "new_tags": "Étiquette pirate"},
     403, "Demandez à rejoindre ce comité"),
    ("outsider", "/message/{bob_reply}/modifier", {"body": "Texte changé."}, 403, None),
    ("silenced", "/message/{silenced_post}/modifier", {"body": "Texte changé."}, 403,
     "vous pouvez retirer des mots de votre message"),
    ("bob", "/message/{alice_opening}/supprimer", {}, 403, None),
    ("eve", "/message/{rc13_post}/supprimer", {}, 404, None),
    # The API (forum/api/): its session writes need the CSRF token like any form
    ("outsider", "/posts.json", {"topic_id": "{t13}", "raw": "Je réponds."}, 403, "Demandez à rejoindre ce comité"),
    ("silenced", "/posts.json", {"topic_id": "{t13}", "raw": "Je réponds."}, 403, "lecture seule"),
    ("eve", "/posts.json", {"topic_id": "{rc13_topic}", "raw": "Je réponds."}, 404, None),
    ("outsider", "/posts.json", {"category": "{c13}", "title": "Un sujet du 13", "raw": "Un message."}, 403,
     "Demandez à rejoindre ce comité"),
    ("eve", "/posts.json", {"category": "{r_c13}", "title": "Un sujet caché", "raw": "Un message."}, 422,
     "Choisissez un espace"),
    ("anonymous", "/posts.json", {"topic_id": "{t_public}", "raw": "Je réponds."}, 403, None),
    ("anonymous", "/brouillon", {"lieu": "sujet-{t_public}", "body": "Brouillon anonyme."}, 302, None),
    # Reporting and appealing
    ("bob", "/message/{bob_reply}/signaler", {"reason": "{article}", "message": "Moi-même."}, 403, None),
    ("eve", "/message/{rc13_post}/signaler", {"reason": "{article}"}, 404, None),
    ("eve", "/moderation/decisions/{dec13}/contester", {"message": "Je conteste pour Bob."}, 404, None),
    # Moderating: a member, the moderator of another space, a moderator about himself
    ("bob", "/moderation/messages/{alice_opening}/masquer", "decision", 403, None),
    ("mod83", "/moderation/messages/{alice_opening}/masquer", "decision", 403, None),
    ("mod13", "/moderation/messages/{mod13_post}/masquer", "decision", 403, None),
    ("mod83", "/moderation/messages/{bob_reply}/avertir", "decision", 403, None),
    ("mod83", "/moderation/messages/{bob_reply}/masquer", "decision_warn", 403, None),
    ("mod83", "/moderation/messages/{bob_reply}/classer", {"next": "/moderation/"}, 403, None),
    ("bob", "/moderation/sujets/{t13}/fermer", "decision", 403, None),
    ("mod83", "/moderation/sujets/{t13}/fermer", "decision", 403, None),
    ("mod83", "/moderation/sujets/{t13}/mode-lent", "decision_slow", 403, None),
    ("bob", "/moderation/sujets/{t13}/epingler", {"justification": ""}, 403, None),
    ("mod83", "/moderation/sujets/{t13}/epingler", {"justification": ""}, 403, None),
    ("mod83", "/moderation/sujets/{t13}/desepingler", {"justification": ""}, 403, None),
    ("mod13", "/moderation/sujets/{t13}/annoncer", {"justification": ""}, 403, "Seule la coordination"),
    # An announcement to every member in the space reserved to the 13: the Var cannot dismiss it
    # (nor learn it exists); a visitor is sent to log in.
    ("mod83", "/annonces/{rc13_topic}/masquer", {}, 404, None),
    ("anonymous", "/annonces/{rc13_topic}/masquer", {}, 302, None),
    ("bob", "/moderation/membres/{alice}/avertir", "decision", 403, None),
    ("mod83", "/moderation/membres/{bob}/suspendre", "decision_suspend", 404, None),
    ("mod13", "/moderation/membres/{mod13b}/avertir", "decision", 403, None),
    ("bob", "/message/{alice_opening}/versions/1/retirer", {"reason": "third_party", "articles": "{article}"},
     403, None),
    ("mod83", "/message/{bob_reply}/versions/1/retirer", {"reason": "third_party", "articles": "{article}"},
     403, None),
    ("bob", "/moderation/messages/{alice_opening}/modifier", {"body": "Corrigé par Bob.", "justification": "x"},
     403, None),
    ("mod83", "/moderation/messages/{bob_reply}/detacher", {"title": "Un nouveau sujet détaché"}, 403, None),
    ("mod83", "/moderation/decisions/{dec13}/annuler", {"justification": "Annulée."}, 403, None),
    ("mod83", "/moderation/recours/{appeal}", {"outcome": "upheld", "justification": "Maintenue."}, 403, None),
    ("bob", "/moderation/recours/{appeal}", {"outcome": "reversed", "justification": "Annulée."}, 403, None),
    ("mod83", "/moderation/espaces/{c13_slug}/reglages", {"report_threshold": "9", "approve_first_posts": "0"},
     403, None),
    # Coordinating
    ("mod13", "/moderation/mots-surveilles", {"phrase": "escroquerie", "action": "hold"}, 403, None),
    ("mod13", "/moderation/mots-surveilles/{word}/retirer", {}, 403, None),
    ("mod13", "/moderation/reglement/{draft}/publier", {}, 403, None),
    ("mod13", "/moderation/reglement/brouillon", {"title": "Règlement", "text": "## Article\nTexte."}, 403, None),
    ("mod13", "/coordination/espaces/nouveau", {"name": "Espace pirate", "kind": "theme", "visibility": "public"},
     403, None),
    ("mod13", "/coordination/espaces/{c13}", {"name": "Comité renommé", "kind": "comite",
                                              "visibility": "public"}, 403, None),
    ("mod13", "/coordination/espaces/{c13}/moderateurs", {"pseudonym": "bob"}, 403, None),
    ("mod13", "/coordination/espaces/{c13}/ordre", {"sens": "haut"}, 403, None),
    ("mod13", "/coordination/espaces/{c13}/archiver", {}, 403, None),
    ("mod13", "/coordination/espaces/{c13}/desarchiver", {}, 403, None),
    ("mod13", "/coordination/espaces/{r_none}/supprimer", {}, 403, None),
    ("coordinator", "/coordination/espaces/{c13}/supprimer", {}, 409, "archivez-le plutôt"),
    ("mod13", "/coordination/convention", {"text": "Une convention réécrite par un modérateur."}, 403, None),
    ("bob", "/coordination/convention", {"text": "Une convention réécrite par un membre."}, 403, None),
    ("mod13", "/coordination/espaces/{c13}/moderateurs/{mod13b}/retirer", {}, 403, None),
    ("mod13", "/coordination/etiquettes/nouvelle", {"name": "Étiquette pirate"}, 403, None),
    ("mod13", "/coordination/colleges/nouveau", {"name": "Collège pirate"}, 403, None),
    ("mod13", "/coordination/membres/{bob}", {"college": "{col_a}", "role": "coordinator"}, 403, None),
    ("mod13", "/coordination/membres/{zoe}/confirmer", {}, 403, None),
    ("coordinator", "/coordination/membres/{admin}", {"college": "", "role": "member"}, 403, None),
    ("mod13", "/coordination/membres/{bob}/desactiver", {}, 403, None),
    ("coordinator", "/coordination/membres/{admin}/desactiver", {}, 403, None),
    ("mod13", "/coordination/membres/{was_suspended}/reactiver", {}, 403, None),
    ("mod13", "/coordination/membres/{bob}/lien-de-reinitialisation", {}, 403, None),
    ("coordinator", "/coordination/membres/{admin}/lien-de-reinitialisation", {}, 403, None),
    ("mod13", "/coordination/membres/{bob}/effacer", {"mode": "anonymise"}, 403, None),
    ("coordinator", "/coordination/membres/{admin}/effacer", {"mode": "anonymise"}, 403, None),
    ("coordinator", "/coordination/membres/{coordinator}/effacer", {"mode": "remove"}, 403, None),
    ("coordinator", "/coordination/membres/{bob}/adresse", {"email": "bob-nouveau@test.agora.localhost"}, 403, None),
    # Inviting and approving
    ("bob", "/invitations", {"email": "invitee@exemple.fr", "committees": "{c13_slug}"}, 403, None),
    ("mod83", "/invitations", {"email": "invitee@exemple.fr", "committees": "{c13_slug}"}, 403,
     "Vous ne pouvez pas inviter au comité"),
    ("bob", "/invitations/fichier", {}, 403, None),
    ("mod83", "/invitations/{inv13}/renvoyer", {}, 404, None),
    ("mod83", "/invitations/{inv13}/retirer", {}, 404, None),
    ("mod13", "/coordination/inscriptions/{bob}/approuver", {}, 403, None),
    # Comité membership
    ("mod83", "/adhesions/{req13}", {"accept": "1", "note": "Bienvenue."}, 404, None),
    ("outsider", "/adhesions/{req13}", {"accept": "1"}, 404, None),
    ("mod13", "/adhesions/{req_college}", {"accept": "1"}, 404, None),
    ("mod83", "/comites/{c13}/membres", {"pseudonym": "eve"}, 404, None),
    ("bob", "/comites/{c13}/membres", {"pseudonym": "outsider"}, 404, None),
    ("mod83", "/comites/{c13}/membres/{bob}/retirer", {}, 404, None),
    ("bob", "/preferences/demandes/{req13}/retirer", {}, 404, None),
    ("eve", "/preferences/comites/{c13}/quitter", {}, 303, None),   # said on the page it goes back to
    # One's own things only
    ("bob", "/notifications/{alice_notice}/lue", {}, 404, None),
    ("bob", "/notifications/{alice_notice}", {}, 404, None),
    ("bob", "/preferences/sessions/{alice_session}/fin", {}, 404, None),
    ("eve", "/suivi/espace/{r_c13_slug}", {"level": "watching"}, 404, None),
    # Decisions (issue 17): opening, editing, voting, closing, the outcome, an action's state
    ("outsider", "/sujet/{t13}/decision", {"kind": "single", "question": "Un vote ?", "options": "A\nB",
                                           "body": "Votons."}, 403, "Demandez à rejoindre ce comité"),
    ("eve", "/sujet/{rc13_topic}/decision", {"kind": "single", "question": "Un vote ?"}, 404, None),
    ("bob", "/decision/{poll13}/modifier", {"question": "Changée par Bob"}, 403, None),
    ("outsider", "/decision/{poll13}/vote", {"choice": "0"}, 403, "Demandez à rejoindre ce comité"),
    ("bob", "/decision/{poll13_closed}/vote", {"choice": "0"}, 409, "Ce vote est clos"),
    ("bob", "/decision/{poll13}/clore", {}, 403, None),
    ("bob", "/decision/{poll13_closed}/issue", {"text": "Réécrite par Bob."}, 403, None),
    ("outsider", "/action/{action13}/etat", {"status": "done"}, 403, None),
    ("eve", "/suivi/sujet/{rc13_topic}", {"level": "watching"}, 404, None),
    # Capitalisation (issue 18): resources
    ("outsider", "/capitalisation/fiches/nouvelle", {"space": "{c13_slug}", "kind": "document", "title": "Fiche",
                                                     "description": "Texte."}, 403, "Demandez à rejoindre ce comité"),
    ("eve", "/capitalisation/fiches/nouvelle", {"space": "{r_c13_slug}", "kind": "document", "title": "Fiche",
                                                "description": "Texte."}, 422, "Choisissez un espace de la liste."),
    ("anonymous", "/capitalisation/fiches/nouvelle", {"space": "{c13_slug}", "kind": "document", "title": "Fiche",
                                                      "description": "Texte."}, 302, None),
    ("bob", "/fiche/{res13}/modifier", {"kind": "document", "title": "Changée par Bob", "description": "Texte."},
     403, None),
    ("bob", "/fiche/{res13}/supprimer", {}, 403, None),
    ("eve", "/fiche/{res_r13}/modifier", {"kind": "document", "title": "Changée par Eve", "description": "Texte."},
     404, None),
    ("eve", "/fiche/{res_r13}/supprimer", {}, 404, None),
    # Syntheses (issue 18): starting, writing, inviting, naming, review, approval, publication, HCTS
    ("outsider", "/sujet/{t13}/synthese", {"title": "Synthèse", "source": "Texte."}, 403,
     "Demandez à rejoindre ce comité"),
    ("eve", "/espace/{r_c13_slug}/syntheses/nouvelle", {"title": "Synthèse", "source": "Texte."}, 404, None),
    ("bob", "/synthese/{s13_draft}/modifier", {"title": "Par Bob", "source": "Texte.", "base": "1"}, 404, None),
    ("bob", "/synthese/{s13_review}/modifier", {"title": "Par Bob", "source": "Texte.", "base": "1"}, 403,
     "Seuls ses rédacteurs"),
    ("eve", "/synthese/{s_rc13}/modifier", {"title": "Par Eve", "source": "Texte.", "base": "1"}, 404, None),
    ("bob", "/synthese/{s13_draft}/relecture", {}, 404, None),
    ("bob", "/synthese/{s13_review}/valider", {}, 403, "La validation revient"),
    ("mod83", "/synthese/{s13_review}/valider", {}, 404, None),     # not of the comité: may not read it
    ("bob", "/synthese/{s13_review}/consentement", {"closes_on": "2040-01-10", "closes_time": "12:00"}, 403, None),
    ("bob", "/synthese/{s13_review}/publier", {}, 403, None),
    ("mod13", "/synthese/{s13_review}/publier", {}, 409, "pas validée"),
    ("bob", "/synthese/{s13_published}/transmettre", {}, 403, None),
    ("bob", "/synthese/{s13_review}/redacteurs", {"pseudonym": "eve"}, 403, None),
    ("bob", "/synthese/{s13_review}/nommer", {"named": "y"}, 403, None),
    ("eve", "/synthese/{s13_review}/commentaires", {"section": "", "text": "Par Eve"}, 404, None),
    ("outsider", "/synthese/{s13_published}/commentaires", {"section": "", "text": "Trop tard"}, 403, None),
    ("bob", "/synthese/{s13_review}/commentaires/{s13_remark}/traite", {}, 403, None),
    # Meetings (issue 23)
    ("bob", "/espace/{c13_slug}/reunions/nouvelle", MEETING, 403, None),
    ("mod83", "/espace/{c13_slug}/reunions/nouvelle", MEETING, 403, None),
    ("eve", "/espace/{r_c13_slug}/reunions/nouvelle", MEETING, 404, None),
    ("anonymous", "/espace/{c13_slug}/reunions/nouvelle", MEETING, 302, None),
    ("bob", "/reunion/{m13}/modifier", MEETING, 403, None),
    ("mod83", "/reunion/{m13}/modifier", MEETING, 403, None),
    ("bob", "/reunion/{m13}/annuler", {"reason": "Par Bob"}, 403, None),
    ("mod13", "/reunion/{m13_cancelled}/modifier", MEETING, 409, None),
    ("outsider", "/reunion/{m13}/inscription", {"needs_note": "Moi"}, 403, "Demandez à rejoindre ce comité"),
    ("silenced", "/reunion/{m13}/inscription", {"needs_note": "Moi"}, 403, "lecture seule"),
    ("bob", "/reunion/{m13_cancelled}/inscription", {"needs_note": "Moi"}, 403, "Cette réunion est annulée."),
    ("eve", "/reunion/{m_rc13}/inscription", {"needs_note": "Moi"}, 404, None),
    ("anonymous", "/reunion/{m13}/inscription", {"needs_note": "Moi"}, 302, None),
    ("bob", "/reunion/{m13}/desinscription", {}, 422, "Vous n'êtes pas inscrit"),
    ("eve", "/reunion/{m_rc13}/desinscription", {}, 404, None),
    # a member's calendar feed is theirs alone; only a visitor is refused
    ("anonymous", "/preferences/calendrier/nouvelle-adresse", {"submit": "1"}, 302, None),
    ("anonymous", "/preferences/calendrier/supprimer", {"submit": "1"}, 302, None),
    # a member's private feed address likewise (forum/feeds/)
    ("anonymous", "/preferences/flux/nouvelle-adresse", {"submit": "1"}, 302, None),
    ("anonymous", "/preferences/flux/supprimer", {"submit": "1"}, 302, None),
    # blocking a member (issue 21): oneself never (said on the page it goes back to), a visitor no one
    ("alice", "/membre/alice/bloquer", {"submit": "1"}, 303, None),
    ("alice", "/membre/personne-inconnue/bloquer", {"submit": "1"}, 404, None),
    ("anonymous", "/membre/bob/bloquer", {"submit": "1"}, 302, None),
    ("alice", "/membre/alice/debloquer", {"submit": "1"}, 303, None),
    ("anonymous", "/membre/bob/debloquer", {"submit": "1"}, 302, None),
    ("anonymous", "/preferences/messages-prives", {"messages-refuses_messages": "y", "messages-submit": "1"},
     302, None),
    # API keys (issue 22): a member's keys are theirs alone; another member does not find them
    ("bob", "/preferences/cles-api/{alice_key}/revoquer", {"submit": "1"}, 404, None),
    ("coordinator", "/preferences/cles-api/{alice_key}/revoquer", {"submit": "1"}, 404, None),
    ("anonymous", "/preferences/cles-api/{alice_key}/revoquer", {"submit": "1"}, 302, None),
    # attendance and travel costs
    ("bob", "/reunion/{m13_started}/presences", {"status-{alice}": "present"}, 403, "Seuls les organisateurs"),
    ("alice", "/reunion/{m13_started}/presences/ajouter", {"pseudonym": "bob"}, 403, "Seuls les organisateurs"),
    ("bob", "/reunion/{m13_started}/frais-de-deplacement", {"mode": "distance", "km": "12"}, 422,
     "Seuls les participants présents"),
    ("anonymous", "/reunion/{m13_started}/frais-de-deplacement", {"mode": "distance", "km": "12"}, 302, None),
    ("alice", "/coordination/frais-de-deplacement/{claim13}", {"validate": "1"}, 403, None),
    ("mod13", "/coordination/frais-de-deplacement/{claim13}", {"refuse": "1", "reason": "Non."}, 403, None),
    ("coordinator", "/coordination/frais-de-deplacement/{claim13}", {"refuse": "1", "reason": " "}, 422,
     "Dites pourquoi"),
    # Meetings: the agenda, its points, its email; the minutes and their synthesis
    ("outsider", "/reunion/{m13}/ordre-du-jour", {"title": "Un point"}, 403,
     "Demandez à rejoindre ce comité"),
    ("eve", "/reunion/{m_rc13}/ordre-du-jour", {"title": "Un point"}, 404, None),
    ("anonymous", "/reunion/{m13}/ordre-du-jour", {"title": "Un point"}, 302, None),
    ("bob", "/reunion/{m13}/ordre-du-jour", {"title": "Un point", "link": "/sujet/{rc13_topic}"}, 422,
     "Rien dans cet espace"),
    ("alice", "/reunion/point/{item13_proposed}", {"action": "accepter"}, 403, "Seuls les organisateurs"),
    ("bob", "/reunion/point/{item13_proposed}", {"action": "accepter"}, 404, None),
    ("bob", "/reunion/point/{item13}", {"action": "descendre"}, 403, "Seuls les organisateurs"),
    ("mod83", "/reunion/point/{item13}", {"action": "refuser"}, 403, None),
    ("bob", "/reunion/point/{item13}/duree", {"duration": "20"}, 403, None),
    ("bob", "/reunion/{m13}/ordre-du-jour/envoyer", {}, 403, None),
    ("bob", "/reunion/{m13_held}/compte-rendu", {"general": "Par Bob."}, 403, "Seuls les organisateurs"),
    ("mod13", "/reunion/{m13}/compte-rendu", {"general": "D'avance."}, 409, "une fois la réunion commencée"),
    ("eve", "/reunion/{m_rc13}/compte-rendu", {"general": "Par Eve."}, 404, None),
    ("bob", "/reunion/{m13_held}/compte-rendu/synthese", {}, 403, None),
    # Webhooks: the administrators' only (a coordinator is refused too)
    ("coordinator", "/coordination/webhooks/nouveau", {"url": "https://ailleurs.example.org/",
                                                       "events": "post_created"}, 403, None),
    ("anonymous", "/coordination/webhooks/nouveau", {"url": "https://ailleurs.example.org/",
                                                     "events": "post_created"}, 302, None),
    ("coordinator", "/coordination/webhooks/{hook}/modifier", {"url": "https://ailleurs.example.org/",
                                                               "events": "post_created"}, 403, None),
    ("coordinator", "/coordination/webhooks/{hook}/desactiver", {}, 403, None),
    ("bob", "/coordination/webhooks/{hook}/reactiver", {}, 403, None),
    ("coordinator", "/coordination/webhooks/{hook}/supprimer", {}, 403, None),
    ("coordinator", "/coordination/webhooks/{hook}/envois/{hook_delivery}/renvoyer", {}, 403, None),
    # Conversations (forum/conversations/): outsiders do not know they exist
    ("outsider", "/messages/{conv_ab}/repondre", {"body": "Intrus."}, 404, None),
    ("coordinator", "/messages/{conv_ab}/repondre", {"body": "Intrus."}, 404, None),
    ("outsider", "/messages/{conv_ab}/repondre", {"body": "Intrus.", "save_draft": "1"}, 404, None),
    ("outsider", "/brouillon", {"lieu": "conversation-{conv_ab}", "body": "Brouillon d'intrus."}, 404, None),
    ("coordinator", "/brouillon", {"lieu": "conversation-{conv_ab}", "body": "Brouillon d'intrus."}, 404, None),
    ("outsider", "/messages/{conv_ab}/message/1/signaler", {"reason": "Intrus."}, 404, None),
    ("alice", "/messages/{conv_ab}/message/1/signaler", {"reason": "Le mien."}, 403, "Vous ne pouvez signaler que"),
    ("silenced", "/messages/nouveau", {"recipients": "alice", "title": "Bonjour Alice", "body": "Coucou."}, 403,
     "lecture seule"),
    ("outsider", "/messages/nouveau", {"recipients": "alice", "title": "Bonjour Alice", "body": "Coucou."}, 403,
     "premiers jours"),
    ("anonymous", "/messages/ecrire/coordination", {"title": "Bonjour", "body": "Coucou."}, 302, None),
    ("mod13", "/moderation/messages-signales/{conv_report}/clore", {}, 403, None),
]


def _meeting_form():
    start = dates.local(now() + timedelta(days=8))
    return {"title": "Réunion de Bob", "kind": "plenary", "mode": "in_person", "day": f"{start:%Y-%m-%d}",
            "start": "10:00", "end": "12:00", "address": "Toulon", "travel_claims": "covered"}


def _values(w):
    with w.app.app_context():
        ids = {name: id_ for name, (_model, id_) in w.rows.items()}
        ids.update({f"{name}_slug": w.load(name).slug for name in ("c13", "r_c13")})
        ids["rc13_topic"] = w.load("rc13_post").topic_id
        ids["article"] = w.article
        db.session.remove()
    return ids


FORMS = {
    "meeting": lambda w: _meeting_form(),
    "decision": lambda w: decision(w),
    "decision_slow": lambda w: decision(w, minutes="10"),
    "decision_warn": lambda w: decision(w, warn="y"),
    "decision_suspend": lambda w: decision(w, duration="3", unit="jours"),
}


@pytest.mark.parametrize("who,path,form,status,reason", CASES, ids=[f"{c[0]}:{c[1]}" for c in CASES])
def test_a_member_who_may_not_is_refused_and_nothing_changes(world, who, path, form, status, reason):
    values = _values(world)
    client = Client(world, who)
    data = FORMS[form](world) if isinstance(form, str) else {k: v.format(**values) for k, v in form.items()}
    before = snapshot(world.app)
    answer = client.post(path.format(**values), data)
    assert answer.status_code == status, text(answer)[:3000]
    if reason:
        assert reason in text(answer)
    assert snapshot(world.app) == before


def test_a_session_opened_before_a_suspension_writes_nothing(world):
    """Suspended while logged in: the next request is anonymous (is_active), and refused."""
    client = Client(world, "bob")
    values = _values(world)
    world.set(Member, "bob", suspended_until=now() + timedelta(days=1))
    try:
        before = snapshot(world.app)
        answer = client.post(f"/sujet/{values['t13']}/repondre", {"body": "Écrit pendant la suspension."})
        assert answer.status_code in (302, 303) and "/connexion" in answer.headers["Location"]
        assert snapshot(world.app) == before
    finally:
        world.set(Member, "bob", suspended_until=None)


# Write routes with no one to refuse here, each with its reason: a new write route fails the
# test below until it has a case above or a reason here.
NO_ONE_TO_REFUSE = {
    "accounts.login": "anyone may try to log in (throttled: tests/test_account_security.py)",
    "accounts.logout": "ends the asker's own session",
    "accounts.register": "anyone may register (throttled: tests/test_account_security.py)",
    "accounts.confirm": "the signed link is the permission (tests/test_accounts.py)",
    "accounts.settings": "the asker's own settings",
    "accounts.end_other_sessions": "the asker's own sessions",
    "recovery.forgot_password": "anyone may ask; the same answer for every address (throttled: tests/recovery/)",
    "recovery.login_link": "anyone may ask; the same answer for every address (throttled: tests/recovery/)",
    "recovery.resend_confirmation": "anyone may ask; sent only to an account awaiting it (tests/recovery/)",
    "recovery.reset_password": "the signed single-use link is the permission (tests/recovery/test_reset.py)",
    "recovery.login_by_link": "the signed single-use link is the permission (tests/recovery/)",
    "recovery.email_settings": "the asker's own address, with their password (tests/recovery/test_addresses.py)",
    "recovery.confirm_email_change": "the signed link sent to the new address is the permission (tests/recovery/)",
    "notifications.unsubscribe": "the signed link is the permission (tests/notifications/)",
    "notifications.preferences": "the asker's own email choices",
    "notifications.mark_all_read": "the asker's own notifications",
    "notifications.watch_tag": "tags are public; the level only filters what the member may read",
    "charter.accept_charter": "the asker's own acceptance",
    "deletion.request_page": "the asker's own account, behind the password (tests/erasure/test_deletion.py)",
    "deletion.cancel": "the asker's own pending deletion",
    "two_step.login": "the signed pending state of this browser is the permission (tests/test_two_step.py)",
    "two_step.enable": "the asker's own account",
    "two_step.codes": "the asker's own account, behind the password (tests/test_two_step.py)",
    "two_step.disable": "the asker's own account, behind the password and a code (tests/test_two_step.py)",
    "data_export.page": "the asker's own data (tests/test_data_export.py: the archive holds only what they may read)",
    "data_export.download": "the signed link and the asker's own session (tests/test_data_export.py)",
    "invitations.accept": "the signed link is the permission (tests/test_invitations.py)",
    "deletion.cancel_link": "the signed link is the permission (tests/erasure/test_deletion.py)",
    "language": "the asker's own language",
    "api.keys": "the asker's own keys (tests/api/test_keys.py: shown once, limited in number)",
    "conversations.suspended_letters": "the suspended proof of this browser is the permission, its member's "
                                       "own letters only (tests/conversations/test_suspended.py)",
    "conversations.suspended_letter": "the suspended proof of this browser is the permission, its member's "
                                      "own letters only (tests/conversations/test_suspended.py)",
    "conversations.suspended_end": "ends this browser's own suspended proof",
    "realtime.bench_emit": "off unless the benchmark configures it (tests/test_fuzz.py)",
}


def test_every_write_route_has_a_refusal_case_or_a_reason(world):
    values = _values(world)
    adapter = world.app.url_map.bind("localhost")
    covered = {adapter.match(path.format(**values), method="POST")[0] for _, path, *_ in CASES}
    writes = {rule.endpoint for rule in world.app.url_map.iter_rules() if "POST" in rule.methods}
    assert writes - covered - set(NO_ONE_TO_REFUSE) == set()
    assert set(NO_ONE_TO_REFUSE) <= writes and not covered & set(NO_ONE_TO_REFUSE)
