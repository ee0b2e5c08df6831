"""The decisions of the demo, in the comité 13: an open consent proposal with an objection, a
closed ranked choice with its outcome and two action items, a meeting-time poll still open.

Enough voters of several collèges for the per-collège table to show some collèges on their own
(associations, collectivités) and the others together (« autres collèges », which always takes
the first collège of the official order too: the professionals). Written through the domain functions (opening,
ballots, closing), as members would.
"""
from datetime import timedelta

from sqlalchemy import select

from forum.accounts.models import College, Member
from forum.charter import versions as charter
from forum.clock import now
from forum.decisions import closing, outcomes, voting
from forum.extensions import db
from forum.text.pseudonyms import pseudonym_key
from forum.topics import posting
from forum.topics.models import Space, Topic

# Members of the comité 13 who take part in its decisions: (pseudonym, collège index of demo.COLLEGES).
VOTERS = [
    ("Elodie.AS", 1), ("Mehdi.educ", 1), ("Fatima.CESF", 1), ("Thomas.B", 1), ("Aurelie.M", 1), ("Rachid.K", 1),
    ("Julien.Asso", 3), ("Helene.F", 3), ("Yasmine.R", 3), ("Pascal.D", 3), ("Marion.L", 3),
    ("Odile.V", 0), ("Samir.CS", 8), ("Sandrine.CCAS", 5), ("Bernard.MSA", 7),
    ("Gilles.CD13", 5), ("Nora.CCAS", 5), ("Didier.Mairie", 5), ("Claire.Ville", 5),
]

CHARTER_BODY = (
    "Après trois réunions de travail, voici la charte d'accueil que le groupe propose au comité. "
    "Elle dit comment nous accueillons les personnes accompagnées dans nos plénières : invitation "
    "personnelle, défraiement des transports, documents en français facile à lire, et une personne "
    "référente pour préparer la réunion.\n\nDites si vous êtes d'accord ; une objection dit pourquoi, "
    "et nous en discuterons avant d'adopter le texte.")
THEMES = ["Non-recours aux droits", "Accès au logement", "Mobilité en zone rurale", "Santé mentale des jeunes"]
SLOTS = ["Mardi 12 janvier, 14 h", "Jeudi 14 janvier, 9 h 30", "Lundi 18 janvier, 14 h"]


def seed(password_hash):
    comite = db.session.scalar(select(Space).where(Space.department == "13", Space.kind == "comite"))
    colleges = db.session.scalars(select(College).order_by(College.position)).all()
    voters = _voters(password_hash, comite, colleges)
    people = {m.pseudonym: m for m in db.session.scalars(select(Member).where(Member.pseudonym.in_(
        ["Coordination-PACA", "Nadia.M", "Karim", "Mod-13"])))}
    everyone = [people["Nadia.M"], people["Mod-13"], people["Coordination-PACA"], *voters]
    _charter(people, everyone, comite)
    agenda = db.session.scalar(select(Topic).where(Topic.title.startswith("Ordre du jour de la prochaine plénière")))
    _priority(people, everyone, agenda)
    _meeting(people, everyone, agenda)


def _voters(password_hash, comite, colleges):
    version = charter.current_version()
    members = []
    for pseudonym, college in VOTERS:
        member = Member(pseudonym=pseudonym, pseudonym_key=pseudonym_key(pseudonym),
                        email=f"{pseudonym.lower().replace('.', '-')}@demo.agora.localhost",
                        password_hash=password_hash, college=colleges[college], college_confirmed=True,
                        show_college=True, committees=[comite], created_at=now() - timedelta(days=20),
                        convention_signed_at=now() - timedelta(days=20))
        db.session.add(member)
        members.append(member)
    db.session.flush()
    for member in members:
        charter.record_acceptance(member, version)
    db.session.commit()
    return members


def _charter(people, everyone, comite):
    """Open: a consent proposal, most agree, one abstains, Karim objects and says why."""
    topic = posting.start_topic(people["Nadia.M"], comite, "Charte d'accueil des personnes accompagnées",
                                "Le groupe de travail a fini la charte d'accueil : elle est jointe ci-dessous, "
                                "pour décision du comité.", [])
    poll = voting.open_poll(people["Nadia.M"], topic, voting.PollSettings(
        kind="consent", question="Adopter la charte d'accueil des personnes accompagnées",
        closes_at=now() + timedelta(days=9), quorum_voters=8, quorum_colleges=3), CHARTER_BODY)
    for member in everyone[1:10]:
        voting.cast_ballot(member, poll, {0: 1})
    voting.cast_ballot(everyone[10], poll, {1: 1}, "Je découvre le texte, je laisse décider celles et ceux "
                                                   "qui l'ont préparé.")
    voting.cast_ballot(people["Karim"], poll, {3: 1},
                       "Le défraiement doit être versé le jour même, pas un mois après : beaucoup d'entre nous "
                       "ne peuvent pas avancer le prix du train. Sans cela, la charte reste une promesse.")


def _priority(people, everyone, agenda):
    """Closed: the theme of the 2027 action plan, ranked; an outcome with two action items."""
    author = people["Coordination-PACA"]
    poll = voting.open_poll(author, agenda, voting.PollSettings(
        kind="ranked", question="Quel thème prioritaire pour le plan d'actions 2027 du comité ?",
        closes_at=now() + timedelta(days=2), options=list(THEMES), quorum_voters=10, quorum_colleges=3),
        "Chacun classe les thèmes proposés lors de la dernière plénière ; le premier sera le fil rouge de "
        "notre plan d'actions en partenariat.")
    orders = ([0, 1, 2, 3], [0, 2, 1, 3], [1, 0, 3, 2], [2, 0, 1, 3], [0, 3, 1, 2], [3, 0, 1, 2], [1, 2, 0, 3])
    for index, member in enumerate(everyone + [people["Karim"]]):
        order = orders[index % len(orders)]
        voting.cast_ballot(member, poll, {option: rank for rank, option in enumerate(order, start=1)})
    closing.close_poll(poll, author)
    text = ("Le comité retient **le non-recours aux droits** comme fil rouge du plan d'actions 2027, "
            "en lien avec la mobilité en zone rurale, arrivée deuxième. Point d'étape à la plénière de juin.")
    soon = now().date()
    outcomes.write_outcome(author, poll, text, (soon + timedelta(days=120)).isoformat(), [
        outcomes.ActionRow(what="Recenser les permanences d'accès aux droits du département",
                           who="@Nadia.M", due_on=(soon + timedelta(days=45)).isoformat()),
        outcomes.ActionRow(what="Présenter les chiffres du non-recours aux prestations familiales",
                           who="CAF des Bouches-du-Rhône", due_on=(soon + timedelta(days=60)).isoformat())])


def _meeting(people, everyone, agenda):
    """Open: the date of the next plénière, oui / peut-être / non per slot."""
    poll = voting.open_poll(people["Mod-13"], agenda, voting.PollSettings(
        kind="meeting", question="Quelle date pour la prochaine plénière ?", closes_at=now() + timedelta(days=5),
        options=list(SLOTS)), "Trois créneaux possibles à la maison des associations : dites ce qui vous va.")
    answers = ({0: 2, 1: 1, 2: 0}, {0: 2, 1: 2, 2: 1}, {0: 0, 1: 2, 2: 2}, {0: 2, 1: 0, 2: 1})
    for index, member in enumerate(everyone[:9]):
        voting.cast_ballot(member, poll, answers[index % len(answers)])
