"""The demo's resources (the capitalisation's « fiches »): a few « fiches » of the comités, written through the domain function
as members would (a link, documents), tagged by theme, territory, collège and year."""
from sqlalchemy import select

from forum.accounts.models import Member
from forum.extensions import db
from forum.topics.models import KIND_COMMITTEE, Space

from forum.capitalisation.resources import ResourceInput, add_resource

# (author, space, kind, title, url, description, tags, territory's department, collège slug, year)
RESOURCES = [
    ("Sophie.CAF", "non-recours-et-fracture-numerique", "link", "Guide de l'accès aux droits — CAF 13",
     "https://www.caf.fr/allocataires/caf-des-bouches-du-rhone",
     "Le guide de la CAF des Bouches-du-Rhône : quelles prestations, pour qui, où se faire aider "
     "(accueils, rendez-vous, points numériques). Utile en premier accueil.",
     ["acces-aux-droits", "numerique"], "13", "organismes-de-protection-sociale", 2026),
    ("Nadia.M", "non-recours-et-fracture-numerique", "document", "Fiche réflexe : non-recours aux droits",
     "", "**Repérer** : une personne qui ne demande rien n'est pas une personne sans besoin.\n\n"
     "1. Poser la question des droits à chaque premier entretien (RSA, prime d'activité, CSS, APL).\n"
     "2. Faire la simulation avec la personne, sur place, sur mesdroitssociaux.gouv.fr.\n"
     "3. Accompagner le dépôt du dossier et noter la date de relance.\n\n"
     "Issue des échanges du comité 13 sur la dématérialisation des démarches.",
     ["acces-aux-droits"], "13", "", 2026),
    ("Claire-IRTS", "ethique-et-deontologie", "document", "Secret partagé : repères pour les réunions partenariales",
     "", "Ne partager que ce qui est strictement nécessaire à l'accompagnement, avec l'accord de la "
     "personne, entre professionnels tenus au secret. Trois questions à se poser avant de parler : "
     "pourquoi, à qui, la personne le sait-elle ?", ["formation", "participation"], "", "etablissements-de-formation", 2025),
    ("Lucas", "territorialisation-de-l-action", "link", "Permanences itinérantes en zone rurale : retour d'expérience",
     "https://www.hautes-alpes.fr/", "Comment trois communes des Hautes-Alpes mutualisent un véhicule "
     "et une travailleuse sociale pour aller au-devant des habitants des vallées.",
     ["acces-aux-droits", "insertion"], "05", "", 2025),
]


def seed():
    members = {m.pseudonym: m for m in db.session.scalars(select(Member).where(
        Member.pseudonym.in_([row[0] for row in RESOURCES])))}
    spaces = {s.slug: s for s in db.session.scalars(select(Space))}
    committees = {s.department: s.slug for s in spaces.values() if s.kind == KIND_COMMITTEE}
    for author, space, kind, title, url, text, tags, department, college, year in RESOURCES:
        if author not in members or space not in spaces:
            continue
        add_resource(members[author], spaces[space], ResourceInput(
            kind=kind, title=title, url=url, description=text, tags=tags,
            territory=committees.get(department, ""), college=college, year=str(year)))
