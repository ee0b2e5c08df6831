"""Command line: demo seeding, bulk generation, administrator creation."""
import re

from sqlalchemy import func, select

from forum.accounts.models import Member
from forum.devdata.generate import compose_body, paragraph_pool
from forum.extensions import db
from forum.text.markup import render
from forum.topics import reading
from forum.topics.models import Post, Space, Topic

from .helpers import text


def test_seed_demo_then_browse(app, client):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["forum", "seed-demo"])
    assert result.exit_code == 0, result.output
    assert "agora-demo-2026" in result.output and "Coordination-PACA" in result.output
    again = runner.invoke(args=["forum", "seed-demo", "--if-empty"])
    assert again.exit_code == 0 and "déjà" in again.output
    with app.app_context():
        departments = set(db.session.scalars(select(Space.department).where(Space.kind == "comite")))
        assert departments == {"04", "05", "06", "13", "83", "84"}
        assert db.session.scalar(select(func.count(Topic.id))) >= 5
        assert db.session.scalar(select(func.max(Post.depth))) >= 3
    home = text(client.get("/"))
    for name in ("Éthique et déontologie", "Non-recours et fracture numérique", "Désinstitutionnalisation",
                 "Territorialisation de l'action", "Éducation et politiques de jeunesse", "Comité du Var"):
        assert name in home
    # The coordination's announcement to every member, in a public space: on the visitors' home page too.
    block = re.search(r'<section class="announcements".*?</section>', home, re.S).group(0)
    assert "Journée régionale du travail social : inscriptions ouvertes" in block
    topic_id = re.search(r'href="/sujet/(\d+)/', home).group(1)
    assert client.get(f"/sujet/{topic_id}").status_code == 200


def test_generate_builds_threaded_topics_with_consistent_counters(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["forum", "generate", "--members", "20", "--topics", "15", "--posts", "400"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(Member.id))) >= 20
        generated = db.session.scalars(select(Topic).where(Topic.title.contains("("))).all()
        assert len(generated) == 15
        biggest = max(generated, key=lambda t: t.reply_count)
        assert biggest.reply_count >= 99 and any(t.reply_count == 99 for t in generated)
        count = db.session.scalar(select(func.count(Post.id)).where(Post.topic_id == biggest.id))
        assert count == biggest.reply_count + 1 == biggest.last_number
        page = reading.topic_page(None, biggest)
        assert page["opening"] is not None and page["replies"]
        for space in db.session.scalars(select(Space)):
            visible = db.session.scalar(select(func.count(Post.id)).join(Topic).where(
                Topic.space_id == space.id, Post.state == "visible"))
            assert space.post_count == visible


def test_generated_html_is_what_the_pipeline_renders(app):
    import random
    with app.app_context():
        rng = random.Random(1)
        pool = paragraph_pool(rng, 50)
        for _ in range(50):
            source, html = compose_body(rng, pool)
            assert html == render(source)


def test_create_admin_without_prompts(app, client):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["accounts", "create-admin", "--pseudonym", "Gardienne", "--email",
                                 "gardienne@example.fr", "--password", "un-long-mot-de-passe"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        member = db.session.scalar(select(Member).where(Member.pseudonym == "Gardienne"))
        assert member.role == "admin"
    again = runner.invoke(args=["accounts", "create-admin", "--pseudonym", "Gardienne", "--email",
                                "x@example.fr", "--password", "un-long-mot-de-passe"])
    assert again.exit_code != 0 and "already exists" in again.output
    weak = runner.invoke(args=["accounts", "create-admin", "--pseudonym", "Autre", "--email",
                               "y@example.fr", "--password", "court"])
    assert weak.exit_code != 0
