"""The comités' meetings in the demo (forum/meetings/): the comité 13's next plenary (hybrid, with
registrations and needs), a working group that is full (a waiting list), the regional
coordination's online meeting, a cancelled one, and last month's plenary (held: attendance,
travel costs, minutes).

Written through the domain functions, as organisers and members would; a past meeting is
scheduled ahead, then dated back (a meeting cannot be scheduled in the past).
"""
import io
from datetime import timedelta

from PIL import Image, ImageDraw

from sqlalchemy import select

from forum import dates
from forum.accounts.models import Member
from forum.clock import now
from forum.extensions import db
from forum.decisions.models import Poll
from forum.meetings import agenda, attendance, minutes, registering, scheduling, travel, travel_review
from forum.meetings.models import EXCUSED, PRESENT, Meeting
from forum.topics.models import Space, Topic

COMITE_13, REGIONAL = "comite-des-bouches-du-rhone", "coordination-regionale"
PLACE = dict(place_name="Maison de la vie associative", address="93 La Canebière, 13001 Marseille",
             step_free=True, hearing_loop=True, transport="Métro 1, station Noailles ; tram T2, arrêt Canebière",
             access_notes="Salle au 1er étage, ascenseur à droite de l'accueil.")


def _day(days, hour):
    """In ``days`` days, moved to the next weekday: comités meet on working days."""
    start = dates.local(now() + timedelta(days=days))
    while start.weekday() >= 5:
        start += timedelta(days=1)
    return dict(day=f"{start:%Y-%m-%d}", start=f"{hour:02d}:00", end=f"{hour + 2:02d}:30")


MEETINGS = [
    # (key, space, organiser, days from now, hour, fields)
    ("plenary", COMITE_13, "Mod-13", 16, 14, dict(
        title="Plénière : le non-recours aux droits", kind="plenary", mode="hybrid", capacity="40",
        online_url="https://visio.agora.localhost/comite-13-pleniere",
        description="Nous reprenons le débat sur le non-recours et la dématérialisation, et préparons la "
                    "restitution au HCTS.\n\nLes personnes accompagnées sont défrayées de leurs déplacements "
                    "(frais de transport, sur justificatif).", **PLACE)),
    ("group", COMITE_13, "Mod-13", 9, 10, dict(
        title="Groupe de travail « Courriers en FALC »", kind="working_group", mode="in_person", capacity="4",
        description="Relire ensemble trois courriers de la CAF et proposer une version facile à lire.", **PLACE)),
    ("regional", REGIONAL, "Coordination-PACA", 12, 9, dict(
        title="Réunion de coordination régionale", kind="coordination", mode="online",
        online_url="https://visio.agora.localhost/coordination-paca", travel_claims="nobody",
        description="Point d'étape des six comités, calendrier des restitutions.")),
    ("cancelled", COMITE_13, "Mod-13", 26, 17, dict(
        title="Soirée d'échange avec les élus", kind="plenary", mode="in_person", **PLACE)),
    ("held", COMITE_13, "Mod-13", 1, 14, dict(
        title="Plénière : accueil des jeunes majeurs", kind="plenary", mode="in_person",
        description="Bilan du groupe jeunes majeurs, présentation de la démarche de synthèse.", **PLACE)),
]

# (meeting, pseudonym, needs, note)
REGISTRATIONS = [
    ("plenary", "Karim", ["falc"], "Je viendrai en bus depuis Aubagne."),
    ("plenary", "Nadia.M", [], ""),
    ("plenary", "Coordination-PACA", [], ""),
    ("plenary", "Mireille.T", ["accessibility"], "Je me déplace en fauteuil."),
    ("plenary", "Djamel.A", ["interpreter"], "Interprète en langue des signes, s'il vous plaît."),
    ("group", "Karim", [], ""), ("group", "Nadia.M", [], ""), ("group", "Josiane.P", ["childcare"], ""),
    ("group", "Farid.Educ", [], ""), ("group", "Camille.R", [], ""), ("group", "Leila.H", [], ""),
    ("held", "Karim", [], ""), ("held", "Nadia.M", [], ""), ("held", "Mireille.T", [], ""),
]


def seed():
    names = {pseudonym for _, _, pseudonym, *_ in MEETINGS} | {row[1] for row in REGISTRATIONS}
    members = {m.pseudonym: m for m in db.session.scalars(select(Member).where(Member.pseudonym.in_(names)))}
    spaces = {s.slug: s for s in db.session.scalars(select(Space).where(Space.slug.in_([COMITE_13, REGIONAL])))}
    meetings = {}
    for key, slug, organiser, days, hour, fields in MEETINGS:
        meetings[key] = scheduling.schedule(members[organiser], spaces[slug],
                                            scheduling.MeetingInput(**_day(days, hour), **fields))
    for key, pseudonym, needs, note in REGISTRATIONS:
        if pseudonym in members:
            registering.register(members[pseudonym], meetings[key], needs, note)
    _agenda(meetings, members)
    scheduling.cancel(members["Mod-13"], meetings["cancelled"], "La salle n'est plus disponible ce soir-là ; "
                                                                 "nous proposerons une autre date.")
    held = db.session.get(Meeting, meetings["held"].id)
    held.starts_at -= timedelta(days=21)     # three weeks ago: a working day still
    held.ends_at -= timedelta(days=21)
    held.created_at = held.updated_at = held.starts_at - timedelta(days=20)
    db.session.commit()
    _held(held, members)
    return meetings


# (meeting, proposer, title, note, what it links to: ("sujet"|"decision", its title) or None, minutes)
AGENDA = [
    ("plenary", "Mod-13", "Le non-recours aux droits : où en sommes-nous ?",
     "Retour sur les permanences France services et les médiateurs numériques.",
     ("sujet", "France services : quel relais pour les démarches en ligne ?"), 45),
    ("plenary", "Mod-13", "Plan d'actions 2027 : le thème prioritaire",
     "Le résultat du vote, et qui porte quoi.", ("decision", "Quel thème prioritaire pour le plan d'actions 2027 du comité ?"), 30),
    ("plenary", "Karim", "Les courriers de la CAF en FALC",
     "Le groupe de travail pourrait présenter ses premières relectures.", None, None),
    ("held", "Mod-13", "Jeunes majeurs sortant de l'ASE : bilan du groupe",
     "", ("sujet", "Jeunes majeurs sortant de l'ASE à Marseille : état des lieux"), 60),
]

MINUTES = ("Quatorze personnes présentes, dont trois personnes accompagnées ; Mireille s'est excusée.\n\n"
           "La séance a commencé par un tour de table sur l'accueil des jeunes majeurs.")
ITEM_MINUTES = ("Le groupe a recensé **trois ruptures** fréquentes à 18 ans : le logement, les ressources, "
                "le suivi de santé. Il propose une fiche pratique pour les référents, à relire d'ici février.")


def _agenda(meetings, members):
    """The plenary's agenda (two points accepted with their time, one proposed by Karim) and the
    held meeting's point, linked to the debates and decisions of the comité."""
    for key, proposer, title, note, link, duration in AGENDA:
        meeting = meetings[key]
        target = ""
        if link is not None:
            kind, name = link
            model, column = (Topic, Topic.title) if kind == "sujet" else (Poll, Poll.question)
            found = db.session.scalar(select(model).where(column == name))
            target = f"/{kind}/{found.id}" if found is not None else ""
        item = agenda.propose(members[proposer], meeting, title, note, target)
        if duration:
            agenda.set_duration(members[proposer], item, str(duration))


def _receipt():
    """A small ticket, as a phone photo of it would be (a PNG, re-encoded on arrival)."""
    image = Image.new("RGB", (240, 120), "white")
    draw = ImageDraw.Draw(image)
    draw.text((12, 20), "RTM - Ticket 2 voyages", fill="black")
    draw.text((12, 60), "Total : 12,40 EUR", fill="black")
    picture = io.BytesIO()
    image.save(picture, "PNG")
    return "ticket-rtm.png", picture.getvalue()


def _held(held, members):
    """Last month's plenary: who came (and one who came unregistered), two travel claims — one
    validated by the coordination, one waiting for it."""
    organiser = members["Mod-13"]
    attendance.record(organiser, held, {members["Karim"].id: PRESENT, members["Nadia.M"].id: PRESENT,
                                        members["Mireille.T"].id: EXCUSED})
    attendance.add_walk_in(organiser, held, "Djamel.A")
    travel.declare(members["Karim"], held, travel.ClaimInput(
        mode="ticket", amount="12,40", note="Bus 240 Aubagne – Marseille, aller et retour.", receipt=_receipt()))
    djamel = travel.declare(members["Djamel.A"], held, travel.ClaimInput(
        mode="distance", km="36", note="Voiture personnelle, Vitrolles – Marseille, aller-retour."))
    travel_review.decide(members["Coordination-PACA"], djamel.id, True)
    items = {item.id: ITEM_MINUTES for item in held.agenda}
    minutes.write_minutes(organiser, held, MINUTES, items)
