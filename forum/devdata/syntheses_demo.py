"""The syntheses of the demo: one published and transmitted to the HCTS (the regional debate on
the dematerialisation of procedures), one in review in the comité 13 with a remark, and a draft of its moderator.
Written through the domain functions, as members would (skeleton, saves, review, approval).
"""
from sqlalchemy import select

from forum.accounts.models import Member
from forum.extensions import db
from forum.syntheses import comments, export, lifecycle, skeleton, writing
from forum.topics.models import Topic

RETAINED = """## Ce que nous retenons

Le comité retient trois propositions, à porter auprès des partenaires et du HCTS :

1. **Garder un accueil physique** dans chaque territoire pour les démarches des personnes
   qui ne peuvent pas les faire seules, sur rendez-vous et sans rendez-vous.
2. **Écrire des courriers compréhensibles**, relus par des personnes accompagnées avant leur envoi.
3. **Reconnaître le temps d'accompagnement numérique** dans les missions des travailleurs sociaux.
"""


def seed():
    people = {m.pseudonym: m for m in db.session.scalars(select(Member).where(Member.pseudonym.in_(
        ["Coordination-PACA", "Nadia.M", "Karim", "Mod-13"])))}
    debate = db.session.scalar(select(Topic).where(Topic.title.startswith("Dématérialisation des démarches")))
    _published(people, debate)
    agenda = db.session.scalar(select(Topic).where(Topic.title.startswith("Ordre du jour de la prochaine plénière")))
    _in_review(people, agenda)


def _from_debate(author, topic, extra=""):
    prepared = skeleton.build(author, topic)
    source = prepared.source.replace("(À rédiger ensemble.)\n", "") if extra else prepared.source
    source = source.replace("## Ce que nous retenons\n\n", "") + "\n" + extra if extra else source
    return writing.start(author, topic.space, prepared.title, source, topic=topic, poll_ids=prepared.poll_ids)


def _published(people, debate):
    nadia, coordination = people["Nadia.M"], people["Coordination-PACA"]
    synthesis = _from_debate(nadia, debate, RETAINED)
    writing.invite(nadia, synthesis, "Karim")
    writing.set_named(nadia, synthesis, True)
    writing.set_named(people["Karim"], synthesis, True)
    lifecycle.ask_review(nadia, synthesis)
    lifecycle.approve(coordination, synthesis)
    lifecycle.publish(coordination, synthesis)
    if "pdf" in export.FORMATS:
        export.transmit(coordination, synthesis)


def _in_review(people, agenda):
    moderator = people["Mod-13"]
    synthesis = _from_debate(moderator, agenda)
    lifecycle.ask_review(moderator, synthesis)
    comments.add(people["Karim"], synthesis, "Participation",
                 "Merci de préciser que la plénière sera aussi accessible à distance.")
    writing.start(moderator, agenda.space, "Bilan de l'accueil des nouveaux membres",
                  "## Constats\n\nÀ compléter avec les retours des plénières.\n")
