"""The moderation part of the demo: watched words, a report waiting, a decision under appeal, a
suspended member's letter to the coordination."""
from datetime import timedelta

from sqlalchemy import select

from forum.accounts.models import Member
from forum.charter import versions as charter
from forum.clock import now
from forum.conversations import suspended, writing
from forum.devdata.demo import SUSPENDED
from forum.extensions import db
from forum.topics import posting
from forum.topics.models import Post, Space, Topic

from . import appeals, post_decisions, redaction, reporting, sanctions, settings, topic_decisions

WORDS = [("casino en ligne", "block"), ("cagnotte en ligne", "approve"), ("né le", "flag"), ("née le", "flag")]


def _member(pseudonym):
    return db.session.scalar(select(Member).where(Member.pseudonym == pseudonym))


def _topic(title_start):
    return db.session.scalar(select(Topic).where(Topic.title.startswith(title_start)))


def _article(number):
    return next(str(a.id) for a in charter.current_version().articles if a.number == number)


def seed():
    coordination, nadia, karim, claire = (_member(p) for p in ("Coordination-PACA", "Nadia.M", "Karim",
                                                               "Claire-IRTS"))
    for phrase, action in WORDS:
        settings.add_word(coordination, phrase, action)

    # A report waiting in the comité 13 queue (Mod-13's): a third party can be identified.
    agenda = _topic("Ordre du jour de la prochaine plénière")
    opening = db.session.scalar(select(Post).where(Post.topic_id == agenda.id, Post.number == 1))
    post = posting.reply(nadia, agenda, "Pour le point 1, je pense à Mme D., née le 3 mars 1970, qui habite "
                                        "rue des Lilas à Marseille : elle attend son RSA depuis quatre mois.",
                         opening)
    reporting.report_post(karim, post, _article(2), message="On peut reconnaître cette dame : je la connais, "
                                                          "elle ne voudrait pas être citée ainsi.")

    # A post hidden by the coordination, citing article 5, and its author's appeal.
    digital = _topic("Dématérialisation des démarches")
    opening = db.session.scalar(select(Post).where(Post.topic_id == digital.id, Post.number == 1))
    advert = posting.reply(claire, digital, "Notre institut organise une formation payante sur l'accès aux "
                                            "droits : 450 € la journée, réduction pour les dix premiers "
                                            "inscrits ! Inscriptions sur notre site.", opening)
    decision = post_decisions.hide(coordination, advert, [_article(5)],
                                   "Annonce commerciale : le forum n'est pas un espace de promotion. Vous pouvez "
                                   "présenter la formation sans tarif ni appel à l'inscription.")
    appeals.file_appeal(claire, decision, "Il s'agissait d'informer les collègues : la formation est ouverte "
                                          "aux bénévoles et financée en partie par la région.")

    _withdrawn_version(agenda, karim)
    _announcement(coordination)
    _suspension(coordination)


def _announcement(coordination):
    """A call of the coordination to every member (pinned, notified, on the home page, in the digest), and a
    pinned topic of the comité 13."""
    regional = db.session.scalar(select(Space).where(Space.slug == "coordination-regionale"))
    topic = posting.start_topic(
        coordination, regional, "Journée régionale du travail social : inscriptions ouvertes",
        "La journée régionale aura lieu le jeudi 12 mars à Marseille (Friche de la Belle de Mai), de 9 h 30 "
        "à 16 h 30. Chaque comité y présentera sa contribution au conseil national.\n\n"
        "Les frais de déplacement des personnes accompagnées sont pris en charge : dites-le en vous "
        "inscrivant auprès de votre comité.")
    # On the home page of every member for a month from the seeding, whenever it runs.
    topic_decisions.announce_topic(coordination, topic, "Appel à tous les membres des comités.",
                                   until=f"{now() + timedelta(days=30):%d/%m/%Y}")
    agenda = _topic("Ordre du jour de la prochaine plénière")
    topic_decisions.pin_topic(_member("Mod-13"), agenda, "À lire avant la plénière.")


def _suspension(coordination):
    """Théo.R, suspended for a week, wrote to the coordination from the login page (the one door a
    suspension leaves: forum/conversations/suspended.py) and was answered."""
    theo = _member(SUSPENDED)
    sanctions.sanction(coordination, theo, "suspend", 7, "jours", [_article(1)],
                       "Propos insultants répétés envers un membre, après un avertissement.")
    letter = suspended.write_letter(theo, "Je conteste ma suspension",
                                    "Bonjour, je reconnais que j'ai été trop loin avec Lucas, mais il me provoquait "
                                    "depuis des semaines. Une semaine, c'est long : je prépare la plénière du 84.")
    writing.answer(coordination, letter.conversation,
                   "Bonjour Théo, merci de nous avoir écrit. Nous allons relire l'échange avec Lucas et vous "
                   "répondons avant jeudi. La plénière du 84 vous attendra.")


def _withdrawn_version(agenda, karim):
    """A reply that named a family, anonymised by Mod-13, whose first version was withdrawn: its
    versions page shows "Version retirée le … (données personnelles)"; the coordination still
    reads it at /message/<id>/versions/1/original until the purge."""
    moderator = _member("Mod-13")
    post = posting.reply(karim, agenda, "Je propose d'inviter la famille Ollivier, 14 avenue des Chartreux, "
                                        "dont le dossier d'aide au logement est bloqué depuis l'été.")
    post_decisions.edit(moderator, post, "Je propose d'inviter une famille dont le dossier d'aide au logement "
                                         "est bloqué depuis l'été (elle est d'accord pour témoigner).",
                        None, [_article(2)], "Le nom et l'adresse de la famille ont été retirés.")
    redaction.redact(moderator, post, 1, "third_party", [_article(2)])
