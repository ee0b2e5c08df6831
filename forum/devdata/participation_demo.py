"""A year of history for the participation pages (forum/participation/): the rest of the demo
writes over the last 20 days, mostly in the running month, which participation never counts.

About 40 members of the nine collèges (two without a confirmed collège) write, over the last
twelve ended months, in the comité 13 (its space and its bureau), in the comités 84 and 06 and
in three themes: busier in autumn and winter, a quiet summer, the personnes accompagnées writing
more as the year goes (they join one by one), replies to other collèges, three topics nobody
answered and one answered late. Collèges with fewer than 5 writers (formation, État,
partenaires sociaux…) are merged into « Autres collèges (…) ».

Written through the domain functions (``start_topic``, ``reply``), as members would, then
dated (as demo._spread_dates does, and announced for the search index the same way).
"""
import random
from datetime import timedelta

from sqlalchemy import select, update

from forum import events
from forum.accounts.models import College, Member
from forum.charter import versions as charter
from forum.clock import now
from forum.extensions import db
from forum.participation import periods
from forum.text.pseudonyms import pseudonym_key
from forum.topics import posting
from forum.topics.models import Post, PostRevision, Space, Topic

COMITE_13, BUREAU_13, COMITE_84, COMITE_06 = ("comite-des-bouches-du-rhone", "bureau-du-comite-13",
                                              "comite-de-vaucluse", "comite-des-alpes-maritimes")
NON_RECOURS, JEUNESSE, ETHIQUE = ("non-recours-et-fracture-numerique", "education-et-politiques-de-jeunesse",
                                  "ethique-et-deontologie")

# (pseudonym, collège index of demo.COLLEGES or None: unconfirmed (index in brackets: the one
# chosen, not yet confirmed), comité departments, months before the period's end they joined;
# over 12: before the period)
MEMBERS = [
    # Personnes accompagnées: they join the comité 13 one by one, and write more and more.
    ("Mireille.T", 0, ["13"], 14), ("Djamel.A", 0, ["13"], 9), ("Josiane.P", 0, ["13"], 7),
    ("Kevin.M", 0, ["13"], 5), ("Sabrina.L", 0, ["13"], 3), ("Rose.B", (0,), ["13"], 4),
    ("Stephanie.ASS", 1, ["13"], 20), ("Yannick.ES", 1, ["13"], 18), ("Laetitia.CESF", 1, ["13"], 16),
    ("Farid.Educ", 1, ["13"], 15), ("Camille.R", 1, ["13"], 13), ("Benoit.AS", 1, ["13"], 8),
    ("Theo.V", (1,), ["13"], 6),
    ("Isabelle.ADDAP", 3, ["13"], 19), ("Olivier.Asso", 3, ["13"], 17), ("Leila.H", 3, ["13"], 15),
    ("Francois.CHRS", 3, ["13"], 14), ("Agnes.M", 3, ["13"], 10),
    ("Christine.CCAS", 5, ["13"], 22), ("Patrick.Mairie", 5, ["13"], 16), ("Muriel.CD13", 5, ["13"], 11),
    ("AnneSophie.IRTS", 2, ["13"], 18), ("Vincent.DDETS", 4, ["13"], 15), ("Gerard.CFDT", 6, ["13"], 14),
    ("Valerie.CPAM", 7, ["13"], 17), ("Hugo.CAF", 7, ["13"], 12), ("Naima.CS", 8, ["13"], 16),
    ("Loic.ESS", 8, ["13"], 9),
    ("Martine.Avignon", 5, ["84"], 20), ("Sylvain.Educ", 1, ["84"], 18), ("Amandine.MJC", 8, ["84"], 15),
    ("Bruno.P", 0, ["84"], 13), ("Celine.Asso84", 3, ["84"], 12),
    ("Nathalie.Nice", 1, ["06"], 19), ("Eric.CAF06", 7, ["06"], 16), ("Jacques.CCAS06", 5, ["06"], 14),
    ("Sonia.Antibes", 0, ["06"], 13), ("Marc.ADSEA06", 3, ["06"], 15), ("Lucie.Grasse", 8, ["06"], 14),
]

# How busy each calendar month is (a quiet summer, a busy autumn).
BUSY = {1: 1.1, 2: 1.0, 3: 1.3, 4: 1.0, 5: 0.8, 6: 1.0, 7: 0.3, 8: 0.2, 9: 1.3, 10: 1.4, 11: 1.2, 12: 0.8}

# The comité 13 (and its bureau): one debate a month, in this order; (space, title, subject, tags).
COMITE_DEBATES = [
    (COMITE_13, "Accueil inconditionnel : comment s'organisent vos permanences ?", "accueil", ["acces-aux-droits"]),
    (COMITE_13, "Expulsions locatives : repérer plus tôt les impayés de loyer", "logement", ["logement"]),
    (BUREAU_13, "Répartition des groupes de travail du comité", "participation", ["participation"]),
    (COMITE_13, "Jeunes majeurs sortant de l'ASE à Marseille : état des lieux", "jeunes", ["protection-de-l-enfance"]),
    (COMITE_13, "Domiciliation administrative : les CCAS débordés", "non-recours", ["acces-aux-droits"]),
    (COMITE_13, "France services : quel relais pour les démarches en ligne ?", "numerique", ["numerique"]),
    (COMITE_13, "Accueil social : qui reste ouvert pendant les congés ?", "accueil", ["acces-aux-droits"]),
    (COMITE_13, "Logement d'abord : bilan dans les Bouches-du-Rhône", "logement", ["logement"]),
    (BUREAU_13, "Associer les personnes accompagnées aux commissions", "participation", ["participation", "pair-aidance"]),
    (COMITE_13, "Précarité énergétique : les coupures de l'hiver", "non-recours", ["logement", "acces-aux-droits"]),
    (COMITE_13, "Pair-aidance : retour sur la formation des travailleurs pairs", "participation", ["pair-aidance"]),
    (COMITE_13, "Premier accueil : des délais de rendez-vous qui s'allongent", "accueil", ["acces-aux-droits"]),
]

# Elsewhere, spread over the year: (space, title, subject, tags, replies).
OTHER_DEBATES = [
    (COMITE_84, "Transport à la demande en Vaucluse rural : vos retours", "numerique", ["insertion"], 3),
    (NON_RECOURS, "Le non-recours aux prestations familiales : que disent les chiffres ?", "non-recours",
     ["acces-aux-droits"], 4),
    (JEUNESSE, "Contrat d'engagement jeune : premiers retours", "jeunes", ["insertion"], 4),
    (COMITE_06, "Hébergement d'urgence saturé : comment orienter ?", "logement", ["logement"], 5),
    (ETHIQUE, "Écrire le rapport social avec la personne : vos pratiques", "participation", ["participation"], 3),
    (COMITE_84, "Saisonniers agricoles : l'accès aux droits l'été", "non-recours", ["acces-aux-droits"], 4),
    (NON_RECOURS, "Simulateur de droits en ligne : vos retours d'usage", "numerique", ["numerique"], 4),
]

# Left without an answer: (space, title, subject, months before the period's end).
UNANSWERED = [
    (COMITE_13, "Permanence CAF de La Ciotat : nouveaux horaires ?", "accueil", 5),
    (NON_RECOURS, "Une formation FALC à conseiller dans la région ?", "numerique", 9),
    (COMITE_13, "Recenser les lieux d'aide alimentaire du 3e arrondissement", "non-recours", 2),
]
LATE = (COMITE_13, "Bons de transport pour les rendez-vous médicaux", "accueil", 10)   # answered after 12 days

SENTENCES = {
    "accueil": [
        "Chez nous, l'accueil sans rendez-vous a lieu deux matinées par semaine, et la file d'attente commence "
        "avant l'ouverture.",
        "Les personnes arrivent souvent après avoir été renvoyées d'un guichet à l'autre.",
        "Un premier accueil réussi, c'est d'abord du temps : vingt minutes ne suffisent pas.",
        "Nous avons mis en place un accueil commun avec le CCAS, une seule porte d'entrée pour les habitants.",
        "Quand on arrive pour la première fois, on ne sait pas quoi demander ni à qui.",
    ],
    "non-recours": [
        "Beaucoup de personnes ne demandent pas leurs droits parce qu'elles pensent ne pas y avoir droit.",
        "La peur du contrôle et des indus décourage des familles entières de faire une demande.",
        "Nous proposons une simulation des droits à chaque premier entretien, c'est devenu un réflexe.",
        "Les démarches changent trop souvent : on se décourage avant d'avoir fini le dossier.",
        "Les chiffres du non-recours au RSA tournent autour d'un tiers des personnes éligibles.",
    ],
    "logement": [
        "Les impayés de loyer sont repérés trop tard, quand la procédure d'expulsion est déjà engagée.",
        "Le logement d'abord marche quand l'accompagnement suit la personne et pas l'inverse.",
        "Trouver un logement à Marseille avec un petit revenu prend des mois, parfois des années.",
        "La commission de prévention des expulsions se réunit désormais chaque mois.",
        "J'ai attendu deux ans un logement social, et personne ne pouvait me dire où en était mon dossier.",
    ],
    "jeunes": [
        "À dix-huit ans, certains jeunes perdent leur éducateur, leur foyer et leur allocation la même semaine.",
        "La mission locale fait ce qu'elle peut, mais les délais pour un premier rendez-vous sont longs.",
        "Un parrainage par un adulte du quartier aide beaucoup au moment de la sortie de l'ASE.",
        "Nous préparons la sortie dès seize ans avec le jeune : logement, ressources, santé.",
        "On m'a dit « tu es majeur maintenant », et je me suis retrouvé seul avec mes papiers.",
    ],
    "numerique": [
        "Les démarches en ligne supposent un téléphone, une adresse électronique et de la patience.",
        "Nos médiateurs numériques reçoivent surtout des personnes âgées et des personnes qui lisent peu le français.",
        "Faire à la place de la personne dépanne, mais ne l'aide pas la fois suivante.",
        "Un espace France services a ouvert près de chez nous, avec un conseiller présent sans rendez-vous.",
        "Je n'ai pas d'ordinateur : tout se fait sur mon téléphone, et les formulaires s'affichent mal.",
    ],
    "participation": [
        "Les personnes accompagnées doivent être associées dès la préparation, pas seulement invitées le jour J.",
        "Le défraiement des transports le jour même change tout pour venir aux réunions.",
        "Parler avec nous plutôt que de nous, c'est ce qui donne du sens à ces réunions.",
        "Nous proposons des documents en français facile à lire et une personne référente par groupe.",
        "La formation des travailleurs pairs commence à porter ses fruits dans les équipes.",
    ],
}
OPENINGS = ["Je lance le sujet après la dernière plénière.", "Une question qui revient souvent dans nos équipes.",
            "Je partage une situation fréquente, anonymisée bien sûr."]
QUESTIONS = ["Qu'en est-il dans vos structures ?", "Avez-vous des pistes ou des contacts ?",
             "Comment faites-vous de votre côté ?"]
OPENERS = ["Merci pour ce sujet.", "De notre côté,", "Je rejoins ce qui vient d'être dit :", "Petit retour du terrain :",
           "Je confirme :", "Pour compléter,", "En tant que personne concernée :", "Dans notre service,"]


def seed():
    password_hash = db.session.scalar(select(Member.password_hash).where(Member.pseudonym == "Nadia.M"))
    months = periods.parse({"periode": periods.LAST_YEAR}).buckets()
    rng = random.Random(13)
    members, joined = _members(password_hash, months)
    spaces = {space.slug: space for space in db.session.scalars(select(Space))}
    dated = []        # (topic, its post ids, their dates), in writing order
    seen = set()      # who has written
    for index, month in enumerate(months):
        space, title, subject, tags = COMITE_DEBATES[index % len(COMITE_DEBATES)]
        busy = BUSY[month.first_day.month]
        writers = _writers(rng, members, joined, index, space, max(5, 2 + round(3 * busy)), seen)
        dated.append(_debate(rng, spaces[space], title, subject, tags, writers, month))
    busy_months = [month for month in months if BUSY[month.first_day.month] >= 1]     # none in summer
    for number, (space, title, subject, tags, replies) in enumerate(OTHER_DEBATES):
        month = busy_months[number * len(busy_months) // len(OTHER_DEBATES)]
        writers = _writers(rng, members, joined, months.index(month), space, replies + 1, seen)
        dated.append(_debate(rng, spaces[space], title, subject, tags, writers, month))
    for space, title, subject, ago in UNANSWERED:
        month = months[-ago]
        author = _writers(rng, members, joined, months.index(month), space, 1, seen)
        dated.append(_debate(rng, spaces[space], title, subject, [], author, month))
    space, title, subject, ago = LATE
    writers = _writers(rng, members, joined, len(months) - ago, space, 2, seen)
    dated.append(_debate(rng, spaces[space], title, subject, ["acces-aux-droits"], writers, months[-ago], late=True))
    _date(dated)


def _members(password_hash, months):
    """The members, committed; ({pseudonym: member}, {pseudonym: index of the first month they write in})."""
    colleges = db.session.scalars(select(College).order_by(College.position)).all()
    committees = {space.department: space for space in db.session.scalars(
        select(Space).where(Space.kind == "comite"))}
    version = charter.current_version()
    members, joined = {}, {}
    for pseudonym, college, departments, ago in MEMBERS:
        since = months[-1].end - timedelta(days=30 * ago + 12)
        confirmed = not isinstance(college, tuple)
        member = Member(pseudonym=pseudonym, pseudonym_key=pseudonym_key(pseudonym),
                        email=f"{pseudonym.lower().replace('.', '-')}@demo.agora.localhost",
                        password_hash=password_hash, college=colleges[college if confirmed else college[0]],
                        college_confirmed=confirmed, show_college=confirmed, created_at=since,
                        convention_signed_at=since, last_seen_at=now() - timedelta(days=len(pseudonym)),
                        committees=[committees[d] for d in departments])
        db.session.add(member)
        members[pseudonym] = member
        joined[pseudonym] = max(0, len(months) - ago)
    db.session.flush()
    for member in members.values():
        charter.record_acceptance(member, version)
    db.session.commit()
    return members, joined


def _writers(rng, members, joined, index, space, count, seen):
    """``count`` different members who may write in ``space`` in month ``index``; the
    personnes accompagnées are drawn more often as the year goes (10 % of the picks, then 50 %)."""
    department = {COMITE_84: "84", COMITE_06: "06"}.get(space, "13")
    restricted = space in (COMITE_13, BUREAU_13, COMITE_84, COMITE_06)
    pool = [name for name, _college, departments, _ago in MEMBERS
            if joined[name] <= index and (department in departments or not restricted)]
    peers = [name for name, college, _departments, _ago in MEMBERS if name in pool and college in (0, (0,))]
    chosen = []
    while len(chosen) < min(count, len(pool)):
        drawn = peers if rng.random() < 0.1 + 0.4 * index / 11 else pool
        free = [name for name in drawn if name not in chosen] or [name for name in pool if name not in chosen]
        # Those who have not written yet first: each member writes during the year.
        chosen.append(rng.choice([name for name in free if name not in seen] or free))
    seen.update(chosen)
    return [members[name] for name in chosen]


def _text(rng, subject, count):
    return " ".join(rng.sample(SENTENCES[subject], count))


def _debate(rng, space, title, subject, tags, writers, month, late=False):
    """A topic of ``writers[0]`` answered by the others, and the dates its posts will take."""
    opening = f"{rng.choice(OPENINGS)} {_text(rng, subject, 2)}\n\n{rng.choice(QUESTIONS)}"
    topic = posting.start_topic(writers[0], space, title, opening, tags)
    posts = [db.session.scalar(select(Post).where(Post.topic_id == topic.id, Post.number == 1))]
    for author in writers[1:]:
        parent = posts[0] if len(posts) < 3 or rng.random() < 0.5 else rng.choice(posts[1:])
        posts.append(posting.reply(author, topic, f"{rng.choice(OPENERS)} {_text(rng, subject, 1)}", parent))
    moment = month.start + timedelta(days=rng.randint(1, 9), hours=rng.randint(8, 17), minutes=rng.randint(0, 59))
    when = [moment]
    for number in range(1, len(posts)):
        gap = timedelta(days=12) if late and number == 1 else timedelta(hours=rng.randint(2, 60))
        when.append(min(when[-1] + gap, month.end - timedelta(days=2, hours=number)))
    return topic, [post.id for post in posts], sorted(when)


def _date(dated):
    """Give the posts their dates, keep topics, spaces and the index in step with them."""
    for topic, post_ids, when in dated:
        for post_id, moment in zip(post_ids, when):
            db.session.execute(update(Post).where(Post.id == post_id).values(created_at=moment))
            db.session.execute(update(PostRevision).where(PostRevision.post_id == post_id)
                               .values(created_at=moment))
        topic.created_at, topic.last_post_at = when[0], when[-1]
        db.session.flush()
        events.publish(events.TopicChanged(topic_id=topic.id, space_id=topic.space_id))
    for space_id in {topic.space_id for topic, _ids, _when in dated}:
        space = db.session.get(Space, space_id)
        space.last_post_at = db.session.scalar(select(Topic.last_post_at).where(Topic.space_id == space_id)
                                               .order_by(Topic.last_post_at.desc()).limit(1))
    db.session.commit()
