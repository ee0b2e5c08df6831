"""Bulk realistic French data for benchmarks: members, topics and threaded posts.

Bodies are assembled from paragraphs rendered once through the real pipeline: the HTML of
plain paragraphs joined by blank lines is the concatenation of their HTML (a test checks it),
so 50,000 posts take seconds instead of minutes.
"""
import random
from datetime import timedelta

from sqlalchemy import func, insert, select, text, update

from forum.accounts.models import College, Member, committee_membership
from forum.accounts.registration import hash_password
from forum.charter import versions as charter
from forum.charter.models import CharterAcceptance
from forum.clock import now
from forum.extensions import db
from forum.text.markup import render
from forum.text.slugs import slugify
from forum.topics.models import (KIND_COMMITTEE, POST_VISIBLE, VISIBILITY_RESTRICTED, Post,
                                 PostRevision, Space, Tag, Topic, path_segment, topic_tag)

GENERATED_PASSWORD = "agora-bench-2026"

SUBJECTS = [
    "L'accompagnement des personnes", "Le non-recours aux droits", "La dématérialisation des démarches",
    "La coordination entre partenaires", "L'accueil inconditionnel", "La protection de l'enfance",
    "L'hébergement d'urgence", "L'insertion professionnelle des jeunes", "La participation des personnes accompagnées",
    "Le secret professionnel partagé", "La désinstitutionnalisation", "Le logement d'abord",
    "La médiation numérique", "La santé mentale des publics précaires", "La formation des travailleurs sociaux",
    "L'aide sociale à l'enfance", "Le revenu de solidarité active", "La pair-aidance",
    "L'habitat inclusif", "La mobilité en territoire rural",
]
VERBS = [
    "demande une vraie coordination", "reste difficile à mettre en œuvre", "progresse lentement dans notre département",
    "mobilise beaucoup les équipes", "suppose de prendre le temps", "interroge nos pratiques",
    "mériterait un groupe de travail", "fait l'objet d'une expérimentation", "s'appuie sur les savoirs d'expérience",
    "manque encore de moyens", "a été discuté(e) lors de la dernière plénière", "varie fortement d'un territoire à l'autre",
]
COMPLEMENTS = [
    "avec les centres sociaux", "auprès des familles", "dans les vallées isolées", "pour les jeunes majeurs",
    "en lien avec la CAF et la MSA", "grâce aux permanences itinérantes", "malgré la fermeture des guichets",
    "avec l'appui des communes", "dans les quartiers prioritaires", "pour les personnes âgées",
    "en associant les personnes concernées", "au sein des espaces France services",
]
OPENERS = [
    "Je partage notre expérience :", "De notre côté,", "Pour compléter ce qui a été dit,", "Bonne question.",
    "Dans notre service,", "Merci pour ce sujet.", "Je rejoins cet avis :", "Attention toutefois :",
    "Petit retour du terrain :", "Pour ma part,",
]
TITLES = [
    "{subject} : retours d'expérience", "Comment améliorer {subject_l} ?", "{subject} dans les territoires ruraux",
    "Questions sur {subject_l}", "{subject} : quelles priorités pour 2027 ?", "Groupe de travail : {subject_l}",
    "{subject} et participation des personnes", "Bilan de l'année : {subject_l}",
]


def _sentence(rng):
    subject = rng.choice(SUBJECTS)
    return f"{rng.choice(OPENERS)} {subject[0].lower() + subject[1:]} {rng.choice(VERBS)} {rng.choice(COMPLEMENTS)}."


def paragraph_pool(rng, size):
    """Distinct plain paragraphs, each with its HTML from the real pipeline."""
    pool = []
    for _ in range(size):
        text = " ".join(_sentence(rng) for _ in range(rng.randint(2, 5)))
        pool.append((text, render(text)))
    return pool


def compose_body(rng, pool):
    """A body of 1 to 3 paragraphs and its HTML (identical to ``render(body)``)."""
    chosen = rng.sample(pool, rng.randint(1, 3))
    return "\n\n".join(text for text, _ in chosen), "".join(html for _, html in chosen)


def _title(rng, number):
    subject = rng.choice(SUBJECTS)
    title = rng.choice(TITLES).format(subject=subject, subject_l=subject[0].lower() + subject[1:])
    return f"{title} ({number})"


def generate(members, topics, posts, seed=42, progress=None):
    """Add ``members`` members, ``topics`` topics and ``posts`` posts (openings included).

    One topic gets 100 threaded posts when ``posts`` allows it (the benchmark's topic page).
    ``progress(n)`` is called as posts are written.
    """
    rng = random.Random(seed)
    moment = now()
    colleges = db.session.scalars(select(College)).all()
    spaces = db.session.scalars(select(Space).where(Space.visibility != VISIBILITY_RESTRICTED)).all()
    tags = db.session.scalars(select(Tag)).all()
    if not colleges or not spaces:
        raise RuntimeError("seed the forum first (flask forum seed-demo): collèges and spaces are needed")
    committees = [s for s in spaces if s.kind == KIND_COMMITTEE]

    first = (db.session.scalar(select(func.max(Member.id))) or 0) + 1
    password_hash = hash_password(GENERATED_PASSWORD)
    member_rows = []
    for index in range(first, first + members):
        pseudonym = f"membre-{index}"
        member_rows.append(dict(
            pseudonym=pseudonym, pseudonym_key=pseudonym, email=f"{pseudonym}@bench.agora.localhost",
            password_hash=password_hash, college_id=rng.choice(colleges).id, college_confirmed=True,
            show_college=rng.random() < 0.6, role="member", bio="", created_at=moment - timedelta(days=800),
            convention_signed_at=moment - timedelta(days=800)))
    if member_rows:
        db.session.execute(insert(Member), member_rows)
    member_ids = db.session.scalars(select(Member.id)).all()
    new_ids = db.session.scalars(select(Member.id).where(Member.id >= first)).all() if member_rows else []
    if committees and new_ids:
        db.session.execute(insert(committee_membership), [
            {"member_id": mid, "space_id": rng.choice(committees).id} for mid in new_ids])
    version = charter.current_version()
    if version is not None and new_ids:
        db.session.execute(insert(CharterAcceptance), [
            {"member_id": mid, "version_id": version.id, "accepted_at": moment} for mid in new_ids])

    topics = max(0, min(topics, posts))
    if topics == 0:
        db.session.commit()
        return
    pool = paragraph_pool(rng, 3000)
    replies_left = posts - topics
    sizes = [0] * topics
    first_random = 0
    if replies_left >= 99 and topics > 1:
        sizes[0] = 99          # the 100-post threaded topic, exactly
        replies_left -= 99
        first_random = 1
    for _ in range(replies_left):
        sizes[rng.randrange(first_random, topics)] += 1

    next_id = (db.session.scalar(select(func.max(Post.id))) or 0) + 1
    span = timedelta(days=730)
    start = moment - span
    for topic_index, replies in enumerate(sizes):
        created = start + span * (topic_index / topics) * 0.9
        space = rng.choice(spaces)
        title = _title(rng, topic_index + 1)
        topic_id = db.session.execute(insert(Topic).values(
            space_id=space.id, author_id=rng.choice(member_ids), title=title, slug=slugify(title),
            status="open", pinned=False, created_at=created, last_post_at=created,
            last_number=replies + 1, last_post_number=replies + 1, reply_count=replies)
            .returning(Topic.id)).scalar_one()
        if tags:
            chosen = rng.sample(tags, rng.randint(0, min(3, len(tags))))
            if chosen:
                db.session.execute(insert(topic_tag), [{"topic_id": topic_id, "tag_id": t.id} for t in chosen])
        rows, paths, depths = [], {}, {}
        step = (moment - created) / (replies + 2)
        for number in range(1, replies + 2):
            if number == 1:
                parent = None
            elif number == 2 or rng.random() < 0.4:
                parent = 1
            else:
                parent = rng.randint(max(1, number - 12), number - 1)
            depths[number] = depths[parent] + 1 if parent else 0
            paths[number] = (paths[parent] + "/" if parent else "") + path_segment(number)
            source, html = compose_body(rng, pool)
            rows.append(dict(topic_id=topic_id, number=number, parent_number=parent, depth=depths[number],
                             path=paths[number], author_id=rng.choice(member_ids), source=source, html=html,
                             state=POST_VISIBLE, created_at=created + step * number, revision_count=1))
        next_id = _insert_posts(rows, next_id)
        if progress:
            progress(len(rows))
    _reset_sequence("post")
    _recount()
    db.session.commit()
    if db.engine.dialect.name == "sqlite":
        # Fold the bulk write into the database file: the WAL would otherwise be as large as it.
        db.session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    else:
        # Statistics now, not at autovacuum's leisure: without them the planner takes a table of
        # thousands of topics for a handful and joins search results through the wrong index.
        db.session.execute(text("ANALYZE"))
        db.session.commit()


def _insert_posts(rows, next_id):
    """Insert a topic's posts with explicit ids (parents are known before insertion)."""
    ids = {}
    for row in rows:
        ids[row["number"]] = row["id"] = next_id
        next_id += 1
        row["parent_id"] = ids.get(row.pop("parent_number"))
    db.session.execute(insert(Post), rows)
    db.session.execute(insert(PostRevision), [
        dict(post_id=row["id"], number=1, source=row["source"], editor_id=row["author_id"],
             created_at=row["created_at"], note="") for row in rows])
    return next_id


def _reset_sequence(table):
    """PostgreSQL: explicit ids were inserted, move the id sequence past them."""
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"))


def _recount():
    """Set every denormalised counter from the rows themselves."""
    last = select(func.max(Post.created_at)).where(Post.topic_id == Topic.id).scalar_subquery()
    db.session.execute(update(Topic).values(last_post_at=last))
    db.session.execute(update(Space).values(
        topic_count=select(func.count(Topic.id)).where(Topic.space_id == Space.id).scalar_subquery(),
        post_count=select(func.count(Post.id)).join(Topic, Topic.id == Post.topic_id)
        .where(Topic.space_id == Space.id, Post.state == POST_VISIBLE).scalar_subquery(),
        last_post_at=select(func.max(Topic.last_post_at)).where(Topic.space_id == Space.id).scalar_subquery()))
    db.session.execute(update(Tag).values(
        topic_count=select(func.count()).select_from(topic_tag).where(topic_tag.c.tag_id == Tag.id)
        .scalar_subquery()))
