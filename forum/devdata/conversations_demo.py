"""The demo's private conversations (forum/conversations/): Karim asks the coordination for
help and is answered; Nadia.M offers Karim to prepare the plenary together; Karim writes to the
comité 13's moderation. Written through the domain functions, as the members would."""
from sqlalchemy import select

from forum.accounts.models import Member
from forum.conversations import writing
from forum.extensions import db
from forum.topics.models import Space


def seed():
    people = {m.pseudonym: m for m in db.session.scalars(select(Member).where(Member.pseudonym.in_(
        ("Karim", "Nadia.M", "Coordination-PACA", "Mod-13"))))}
    karim, nadia = people["Karim"], people["Nadia.M"]
    help_asked = writing.write_to_group(
        karim, "coordination", None, "Je n'arrive pas à joindre une photo",
        "Bonjour, j'ai voulu mettre la photo de l'affiche de la plénière dans mon message, mais rien ne se passe. "
        "Comment faire ?")
    writing.answer(people["Coordination-PACA"], help_asked.conversation,
                   "Bonjour Karim, sous la zone de texte il y a le bouton « Joindre un fichier ». Les photos de "
                   "téléphone sont acceptées (JPEG). Si cela ne marche toujours pas, dites-le-nous ici.")
    offer = writing.start(nadia, [karim], "Préparer la plénière ensemble ?",
                          "Bonjour Karim, si vous voulez, on peut relire ensemble votre intervention sur les "
                          "transports avant jeudi. Je suis au centre social mardi matin.")
    writing.answer(karim, offer.conversation, "Oui, avec plaisir. Mardi 10 h, ça me va.")
    committee = db.session.scalar(select(Space).where(Space.department == "13"))
    letter = writing.write_to_group(
        karim, "moderation", committee, "Une remarque qui m'a blessé",
        "Dans le sujet sur le logement, quelqu'un a écrit que les personnes accompagnées « profitent du "
        "système ». Je ne veux pas répondre en public.")
    writing.answer(people["Mod-13"], letter.conversation,
                   "Merci de nous l'avoir dit, Karim. Nous avons relu le message et rappelé l'article du règlement "
                   "sur le respect à son auteur.")
