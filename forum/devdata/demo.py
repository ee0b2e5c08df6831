"""The demo: collèges, spaces, tags, the règlement, members and a few real-looking debates."""
from datetime import timedelta

from sqlalchemy import select

from forum import events, registry
from forum.accounts import erasure, invitations
from forum.accounts.membership import ACCEPTED, PENDING, MembershipRequest
from forum.accounts.models import ROLE_ADMIN, ROLE_COORDINATOR, College, Member
from forum.accounts.registration import hash_password
from forum.charter import versions as charter
from forum.clock import now
from forum.extensions import db
from forum.notifications.models import MailPreference
from forum.text.pseudonyms import pseudonym_key
from forum.text.slugs import slugify

from . import recovery_demo
from forum.topics import posting
from forum.topics.models import (KIND_COMMITTEE, KIND_REGIONAL, KIND_THEME, VISIBILITY_MEMBERS,
                                 VISIBILITY_PUBLIC, VISIBILITY_RESTRICTED, Post, Space, Tag, Topic)

from . import (api_demo, capitalisation_demo, conversations_demo, decisions_demo, demo_accounts, meetings_demo,
               participation_demo, syntheses_demo, webhooks_demo)

DEMO_PASSWORD = "agora-demo-2026"


def register_seeder(app, seeder):
    """A package built on the core adds its part: ``seeder()`` runs after the debates."""
    seeders = registry.of(app).seeders
    if seeder not in seeders:
        seeders.append(seeder)


COLLEGES = [
    ("Personnes accompagnées", "Personnes qui sont ou ont été accompagnées par le travail social.", True),
    ("Professionnels du travail social", "Assistants de service social, éducateurs, conseillers, intervenants sociaux.", False),
    ("Établissements de formation", "Instituts régionaux et écoles de formation en travail social.", False),
    ("Associations et employeurs", "Associations, fondations et employeurs du secteur social et médico-social.", False),
    ("Services de l'État", "Directions départementales et services déconcentrés de l'État.", False),
    ("Collectivités territoriales", "Départements, communes, intercommunalités et leurs CCAS.", False),
    ("Partenaires sociaux", "Organisations syndicales de salariés et d'employeurs.", True),
    ("Organismes de protection sociale", "CAF, MSA, CPAM, caisses de retraite.", False),
    ("Acteurs du développement social local", "Centres sociaux, acteurs de l'économie sociale et solidaire, habitants engagés.", False),
]

COMMITTEES = [
    ("04", "Comité des Alpes-de-Haute-Provence"),
    ("05", "Comité des Hautes-Alpes"),
    ("06", "Comité des Alpes-Maritimes"),
    ("13", "Comité des Bouches-du-Rhône"),
    ("83", "Comité du Var"),
    ("84", "Comité de Vaucluse"),
]

THEMES = [
    ("Éthique et déontologie", "Questions éthiques rencontrées dans l'accompagnement : secret partagé, consentement, posture."),
    ("Non-recours et fracture numérique", "Pourquoi des droits ne sont pas demandés, et comment la dématérialisation éloigne certains publics."),
    ("Désinstitutionnalisation", "Transformer l'offre d'accompagnement : habitat inclusif, plateformes, droit commun."),
    ("Territorialisation de l'action", "Coordonner l'action sociale au plus près des territoires, urbains comme ruraux."),
    ("Éducation et politiques de jeunesse", "Jeunes majeurs, prévention, insertion, éducation populaire."),
]

TAGS = [
    ("Accès aux droits", "Ouvrir et faire valoir ses droits."),
    ("Logement", "Hébergement, logement d'abord, habitat inclusif."),
    ("Numérique", "Démarches en ligne, médiation numérique."),
    ("Protection de l'enfance", "Aide sociale à l'enfance, prévention, jeunes majeurs."),
    ("Handicap", "Accompagnement des personnes en situation de handicap."),
    ("Insertion", "Emploi, formation, revenu de solidarité."),
    ("Santé mentale", "Souffrance psychique, accès aux soins."),
    ("Formation", "Formation initiale et continue des professionnels."),
    ("Pair-aidance", "Savoirs d'expérience et travailleurs pairs."),
    ("Participation", "Participation des personnes accompagnées aux décisions."),
]

CHARTER_ARTICLES = [
    ("Respect des personnes",
     "Chacun s'exprime avec courtoisie. Les propos injurieux, méprisants, discriminatoires ou "
     "harcelants sont interdits, quelle que soit la personne visée."),
    ("Confidentialité des situations évoquées",
     "Aucune situation ne doit permettre d'identifier une personne tierce : pas de nom, d'adresse, "
     "de date de naissance, ni de détail qui la rendrait reconnaissable. Anonymisez toujours."),
    ("Pluralisme des collèges",
     "Les neuf collèges ont une parole égale. Une contribution n'a pas plus de poids selon le "
     "collège ou la fonction de son auteur."),
    ("Rester dans le sujet",
     "Les réponses portent sur le sujet ouvert. Pour une autre question, ouvrez un nouveau sujet."),
    ("Pas de publicité ni de propagande",
     "Le forum n'est pas un espace de promotion commerciale, électorale ou partisane."),
    ("Données personnelles",
     "Ne publiez pas de données personnelles, les vôtres comprises, au-delà de ce qui est utile à la "
     "discussion."),
    ("Citation des sources",
     "Citez vos sources lorsque vous rapportez un texte, une étude ou des chiffres."),
    # About moderation itself: no reason to report a post (the third item: not reportable).
    ("Modération",
     "Les modérateurs appliquent ce règlement en citant l'article concerné. Toute décision peut être "
     "contestée auprès d'un autre modérateur.", False),
]

# (pseudonym, email local part, collège index, comités, role, show collège)
MEMBERS = [
    ("Coordination-PACA", "coordination", 4, ["13"], ROLE_COORDINATOR, True),
    ("Admin-Agora", "admin", 4, [], ROLE_ADMIN, False),
    ("Nadia.M", "nadia", 1, ["13"], None, True),
    ("Karim", "karim", 0, ["13"], None, False),
    ("Claire-IRTS", "claire", 2, ["06"], None, True),
    ("Jean-Pierre", "jeanpierre", 5, ["84"], None, True),
    ("Sophie.CAF", "sophie", 7, ["83"], None, True),
    ("Lucas", "lucas", 8, ["05", "04"], None, True),
    ("Mod-13", "moderation13", 3, ["13"], None, True),
    # A newcomer: asked to join the comité 13 (pending), reads only what members read.
    ("Ines.B", "ines", 1, [], None, True),
    # Suspended for a week by the coordination (moderation/demo.py): writes to it, nothing else.
    ("Théo.R", "theo", 1, ["84"], None, True),
]
# The one demo member who cannot log in (the tests that log every demo member in leave him out).
SUSPENDED = "Théo.R"

# (space, author, title, tags, body, replies); a reply is (author, body, replies)
DEBATES = [
    ("non-recours-et-fracture-numerique", "Nadia.M", "Dématérialisation des démarches : qui reste au bord du chemin ?",
     ["numerique", "acces-aux-droits"],
     "Depuis la fermeture de l'accueil physique de notre antenne, nous voyons arriver des personnes "
     "qui n'ont plus ouvert leurs droits depuis des mois.\n\nQuelles solutions avez-vous trouvées "
     "dans vos territoires ? Permanences, médiateurs numériques, autre chose ?",
     [("Karim", "Pour moi, le plus dur ce n'est pas l'ordinateur, c'est de comprendre ce qu'on me "
                "demande. Les mots des formulaires ne sont pas les nôtres.",
       [("Sophie.CAF", "C'est un retour que nous entendons souvent. Nous travaillons à réécrire nos "
                       "courriers en **français facile à lire et à comprendre** (FALC).",
         [("Karim", "Si vous voulez, je veux bien relire des courriers. C'est comme ça qu'on "
                    "avance.", [])]),
        ("Claire-IRTS", "Nos étudiants font leur stage dans des espaces France services : ils "
                        "témoignent de la même difficulté de vocabulaire.", [])]),
      ("Lucas", "Dans les Hautes-Alpes, la distance s'ajoute au numérique : un bus par jour dans "
                "certaines vallées. Les permanences itinérantes marchent bien.",
       [("Jean-Pierre", "Même constat en Vaucluse rural. Nous mutualisons un véhicule entre trois "
                        "communes.", [])])]),
    ("ethique-et-deontologie", "Claire-IRTS", "Secret partagé : jusqu'où partager en réunion partenariale ?",
     ["formation", "participation"],
     "En commission partenariale, nous échangeons parfois des informations sur des situations. "
     "Le cadre légal du secret partagé est clair sur le papier, beaucoup moins dans la pratique.\n\n"
     "> Ne partager que ce qui est strictement nécessaire à l'accompagnement.\n\n"
     "Comment le vivez-vous, et comment associez-vous la personne concernée ?",
     [("Nadia.M", "Chez nous, la règle est simple : la personne sait ce qui sera dit, et elle peut "
                  "venir le dire elle-même.",
       [("Karim", "C'est important. Quand on parle de nous sans nous, on ne se reconnaît pas dans "
                  "ce qui est décidé.", [])]),
      ("Mod-13", "Rappel amical de l'article 2 du règlement : aucun exemple ici ne doit permettre "
                 "d'identifier quelqu'un.", [])]),
    ("comite-des-bouches-du-rhone", "Coordination-PACA", "Ordre du jour de la prochaine plénière du comité 13",
     ["participation"],
     "Voici la proposition d'ordre du jour :\n\n1. Restitution du groupe « non-recours »\n"
     "2. Préparation de la contribution au conseil national\n3. Questions diverses\n\n"
     "Vos ajouts sont les bienvenus jusqu'à vendredi, @comite-13.",
     [("Nadia.M", "Je propose d'ajouter un point sur l'accueil des nouveaux membres.", []),
      ("Karim", "Est-ce que la plénière sera aussi accessible à distance ?",
       [("Coordination-PACA", "Oui, un lien de visioconférence sera envoyé, et la salle reste ouverte "
                              "pour celles et ceux qui préfèrent venir.", [])])]),
    ("desinstitutionnalisation", "Jean-Pierre", "Habitat inclusif : retours d'expérience",
     ["logement", "handicap"],
     "Notre commune accompagne un projet d'habitat inclusif pour six personnes. Nous cherchons des "
     "retours d'expérience, notamment sur l'animation du projet de vie sociale et partagée.",
     [("Sophie.CAF", "Attention au financement de l'aide à la vie partagée : les délais sont longs, "
                     "anticipez.", []),
      ("Lucas", "Un centre social peut porter l'animation : c'est ce qui a été fait à Gap.", [])]),
    ("education-et-politiques-de-jeunesse", "Lucas", "Jeunes majeurs sortant de l'ASE : quelles passerelles ?",
     ["protection-de-l-enfance", "insertion"],
     "À 18 ans, beaucoup de jeunes perdent leur accompagnement du jour au lendemain. Quelles "
     "passerelles existent dans vos départements ?",
     [("Claire-IRTS", "Le contrat jeune majeur existe encore chez nous, mais il est de plus en plus "
                      "court.",
       [("Nadia.M", "Et les missions locales sont saturées. La coordination entre les deux reste à "
                    "inventer.", [])])]),
]


def is_empty():
    return db.session.scalar(select(Space.id).limit(1)) is None


def seed():
    """Create the demo; returns the (pseudonym, email, password) of the demo accounts."""
    colleges = []
    for position, (name, description, sensitive) in enumerate(COLLEGES, start=1):
        college = College(slug=slugify(name, 40), name=name, description=description,
                          sensitive=sensitive, position=position)
        colleges.append(college)
    colleges[0].travel_costs_covered = True   # the convention pays the personnes accompagnées' travel
    db.session.add_all(colleges)

    position = 1
    regional = Space(slug="coordination-regionale", name="Coordination régionale PACA", kind=KIND_REGIONAL,
                     description="Informations de la coordination régionale et restitutions des comités.",
                     visibility=VISIBILITY_PUBLIC, position=position)
    spaces = {regional.slug: regional}
    for department, name in COMMITTEES:
        position += 1
        space = Space(slug=slugify(name, 60), name=name, kind=KIND_COMMITTEE, department=department,
                      description=f"Les échanges du comité local du travail social et du développement "
                                  f"social ({department}).", visibility=VISIBILITY_PUBLIC, position=position)
        spaces[space.slug] = space
    for name, description in THEMES:
        position += 1
        space = Space(slug=slugify(name, 60), name=name, kind=KIND_THEME, description=description,
                      visibility=VISIBILITY_PUBLIC, position=position)
        spaces[space.slug] = space
    by_department = {s.department: s for s in spaces.values() if s.department}
    position += 1
    peers = Space(slug="entre-personnes-accompagnees", name="Entre personnes accompagnées", kind=KIND_THEME,
                  description="Un espace réservé au collège des personnes accompagnées.",
                  visibility=VISIBILITY_RESTRICTED, position=position, allowed_colleges=[colleges[0]],
                  staff_reads=False)   # the coordination does not read it (its page says so)
    position += 1
    bureau = Space(slug="bureau-du-comite-13", name="Bureau du comité 13", kind=KIND_REGIONAL,
                   description="Préparation des plénières, réservée aux membres du comité 13.",
                   visibility=VISIBILITY_RESTRICTED, position=position, allowed_committees=[by_department["13"]])
    position += 1
    members_only = Space(slug="vie-du-reseau", name="Vie du réseau", kind=KIND_REGIONAL,
                         description="Annonces et entraide entre membres connectés.",
                         visibility=VISIBILITY_MEMBERS, position=position)
    for space in (peers, bureau, members_only):
        spaces[space.slug] = space
    db.session.add_all(spaces.values())
    db.session.add_all(Tag(slug=slugify(name, 60), name=name, description=description) for name, description in TAGS)
    db.session.flush()

    version = charter.draft_version(
        "Règlement de fonctionnement des comités locaux",
        "Ce règlement s'applique à tous les espaces d'Agora. En vous inscrivant, vous l'acceptez.",
        CHARTER_ARTICLES)
    db.session.flush()
    charter.publish_version(version)

    password_hash = hash_password(DEMO_PASSWORD)
    started = now() - timedelta(days=20)
    accounts, members = [], {}
    for pseudonym, local, college_index, departments, role, shown in MEMBERS:
        member = Member(pseudonym=pseudonym, pseudonym_key=pseudonym_key(pseudonym),
                        email=f"{local}@demo.agora.localhost", password_hash=password_hash,
                        college=colleges[college_index], college_confirmed=True, show_college=shown,
                        role=role or "member", committees=[by_department[d] for d in departments],
                        created_at=started, convention_signed_at=started)
        db.session.add(member)
        members[pseudonym] = member
        accounts.append((pseudonym, member.email, DEMO_PASSWORD))
    db.session.flush()
    for member in members.values():
        charter.record_acceptance(member, version)
    by_department["13"].moderators.append(members["Mod-13"])
    # Two members accept @college-… mentions (« Mes courriels »); the others never chose.
    db.session.add_all(MailPreference(member_id=members[name].id, email_mode="direct", digest=True,
                                      college_mentions=True) for name in ("Karim", "Claire-IRTS"))
    _seed_requests(members, by_department["13"], started)
    db.session.commit()
    recovery_demo.seed(password_hash, colleges[1], [by_department["06"]])   # a registration to confirm

    for space_slug, author, title, tags, body, replies in DEBATES:
        topic = posting.start_topic(members[author], spaces[space_slug], title, body, tags)
        opening = db.session.scalar(select(Post).where(Post.topic_id == topic.id, Post.number == 1))
        _reply_all(topic, opening, replies, members)
    _former_member(members["Nadia.M"], password_hash, started, version)
    _spread_dates(started)
    demo_accounts.seed(members, password_hash)
    _invite(members)
    decisions_demo.seed(password_hash)
    syntheses_demo.seed()
    capitalisation_demo.seed()
    participation_demo.seed()
    meetings_demo.seed()
    webhooks_demo.seed()
    conversations_demo.seed()
    api_demo.seed()
    for seeder in list(registry.of().seeders):
        seeder()
    return accounts


def _invite(members):
    """One invitation waiting (Mod-13 invites a social worker to comité 13), one accepted (Claire)."""
    invitations.invite(members["Mod-13"], "amina.benali@demo.agora.localhost", ["13"],
                       slugify(COLLEGES[1][0], 40))
    accepted = invitations.invite(members["Coordination-PACA"], "claire@demo.agora.localhost", ["13"],
                                  slugify(COLLEGES[2][0], 40))
    accepted.accepted_at, accepted.accepted_by_id, accepted.token_hash = now(), members["Claire-IRTS"].id, None
    members["Claire-IRTS"].committees.append(accepted.committees[0])
    db.session.commit()


def _seed_requests(members, comite13, started):
    """One request waiting for Mod-13 (a newcomer's, with her message) and one he accepted."""
    db.session.add_all([
        MembershipRequest(member=members["Ines.B"], space=comite13, state=PENDING, created_at=now() - timedelta(hours=5),
                          message="Bonjour, je suis assistante sociale à Marseille (secteur nord) depuis septembre. "
                                  "Je souhaite participer aux travaux du comité 13, en particulier sur le non-recours."),
        MembershipRequest(member=members["Nadia.M"], space=comite13, state=ACCEPTED, created_at=started,
                          message="Travailleuse sociale à Aubagne, je participe aux plénières du comité.",
                          decided_by=members["Mod-13"], decided_at=started + timedelta(hours=3),
                          note="Bienvenue au comité !")])


def _reply_all(topic, parent, replies, members):
    for author, body, children in replies:
        post = posting.reply(members[author], topic, body, parent)
        _reply_all(topic, post, children, members)


def _former_member(replied_by, password_hash, started, version):
    """A member who took part, was answered by name, then asked to be erased: the first debate
    shows "Ancien membre 1" in their place, in the mention too."""
    topic = db.session.scalar(select(Topic).order_by(Topic.id))
    leaving = Member(pseudonym="Gaspard.R", pseudonym_key=pseudonym_key("Gaspard.R"),
                     email="gaspard@demo.agora.localhost", password_hash=password_hash, college_confirmed=False,
                     show_college=False, created_at=started, convention_signed_at=started)
    db.session.add(leaving)
    db.session.flush()
    charter.record_acceptance(leaving, version)
    db.session.commit()
    post = posting.reply(leaving, topic, "Dans ma commune, la médiathèque aide aussi aux démarches en ligne.")
    posting.reply(replied_by, topic, "@Gaspard.R merci, je vais les appeler.", post)
    erasure.anonymise(leaving)


def _spread_dates(started):
    """Give the demo debates a plausible history over the last weeks, in posting order.

    The posts were indexed for search as they were written, dated today: each topic is announced
    as changed, so that the index (search.indexing) takes the dates the pages show, at once and
    without a manual `flask search reindex`."""
    posts = db.session.scalars(select(Post).order_by(Post.id)).all()
    step = (now() - started) / (len(posts) + 1)
    for index, post in enumerate(posts, start=1):
        post.created_at = started + step * index
    for topic in db.session.scalars(select(Topic)):
        dates = [p.created_at for p in posts if p.topic_id == topic.id]
        topic.created_at, topic.last_post_at = min(dates), max(dates)
        db.session.flush()
        events.publish(events.TopicChanged(topic_id=topic.id, space_id=topic.space_id))
    for space in db.session.scalars(select(Space)):
        dates = [p.created_at for p in posts if p.topic.space_id == space.id]
        space.last_post_at = max(dates) if dates else None
    db.session.commit()
