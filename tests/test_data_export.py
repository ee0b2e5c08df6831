""""Mes données": the archive holds the member's own data, and nothing they may not read.

Small archives come at once; large ones are prepared in the background and announced by email
(a real SMTP server) with a link only that member, logged in, can use, once, for 7 days.
"""
import io
import json
import os
import re
import zipfile
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from PIL import Image
from sqlalchemy import select

from forum.accounts import data_export, membership
from forum.accounts.data_export import DataExport
from forum.accounts.models import Member
from forum.charter import versions
from forum.clock import now
from forum.extensions import db
from forum.topics import attachments, drafts, posting
from forum.topics.models import Post, Space, Topic
from moderation import post_decisions, reporting, sanctions

from .helpers import Browser, text
from .notifications.conftest import smtp  # noqa: F401  (the real SMTP server fixture)

# Words that must never be in the archive of "Ana" (each in something she may not read).
FORBIDDEN = {"xqbureau": "a post of a space restricted to a comité she is not in",
             "xqmasque": "another member's post hidden by moderation",
             "xqsupprime": "her own deleted post (only moderators read a deleted post)",
             "xqquitte": "her own post in a restricted space she left",
             "xqtitrebureau": "the title of a topic of that restricted space"}


def _png():
    image = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(image, "PNG")
    return image.getvalue()


@pytest.fixture
def world(forum, app):
    forum.charter()
    c13, c06 = forum.committee("13", "Comité 13"), forum.committee("06", "Comité 06")
    public = forum.space("Non-recours")
    bureau = forum.space("Bureau du comité 13", visibility="restricted", committees=[c13])
    ana = forum.member("Ana", committees=[c13, c06], email="ana@exemple.fr")
    bruno = forum.member("Bruno", committees=[c13], email="bruno.secret@exemple.fr")
    coordo = forum.member("Coordo", role="coordinator", email="coordo.secret@exemple.fr")
    topic = forum.topic(bruno, public, "Le non-recours aux droits", "Ouverture par Bruno.")
    secret_topic = forum.topic(bruno, bureau, "Ordre du jour xqtitrebureau", "Ouverture xqbureau du bureau.")

    def build():
        a, b, c = (db.session.get(Member, m.id) for m in (ana, bruno, coordo))
        t, st = db.session.get(Topic, topic.id), db.session.get(Topic, secret_topic.id)
        upload = attachments.store(a, "affiche.png", _png())
        db.session.commit()
        mine = posting.reply(a, t, "Ma réponse xqmienne sur le non-recours.\n\n" + upload.markdown())
        posting.edit_post(a, mine, "Ma réponse xqmienne corrigée sur le non-recours.\n\n" + upload.markdown())
        gone = posting.reply(a, t, "Un message xqsupprime que je retire.")
        posting.delete_post(a, gone)
        posting.reply(a, st, "Au bureau, xqquitte avant de partir.")
        hidden = posting.reply(b, t, "Un propos xqmasque déplacé.")
        reporting.report_post(a, hidden, "other", "Propos blessant", "Je signale xqmonsignalement.")
        article = versions.current_version().articles[0]
        post_decisions.hide(c, hidden, [str(article.id)], "Propos contraire au règlement.")
        sanctions.warn(c, a, [str(article.id)], "Avertissement xqavertissement.", post=mine)
        drafts.save(a, drafts.topic_key(t), "Brouillon xqbrouillon en cours.")
        membership.leave(a, db.session.get(Space, c13.id))   # Ana leaves the comité 13: the bureau closes to her
        return mine.id
    mine_id = forum.run(build)
    return {"ana": ana, "bruno": bruno, "coordo": coordo, "mine": mine_id, "topic": topic}


def _archive(response):
    assert response.status_code == 200, text(response)[:2000]
    assert response.mimetype == "application/zip"
    assert "attachment" in response.headers["Content-Disposition"]
    assert "no-store" in response.headers["Cache-Control"]
    return zipfile.ZipFile(io.BytesIO(response.get_data()))


def _contents(archive):
    return {name: archive.read(name) for name in archive.namelist()}


def test_the_archive_holds_the_members_data_and_nothing_they_may_not_read(world, app):
    browser = Browser(app.test_client())
    browser.login(world["ana"])
    page = browser.get("/preferences")
    assert "/preferences/mes-donnees" in text(page)
    assert "Préparer mon archive" in text(browser.get("/preferences/mes-donnees"))
    files = _contents(_archive(browser.post("/preferences/mes-donnees", {"submit": "1"})))
    data = {name: json.loads(body) for name, body in files.items() if name.endswith(".json")}
    assert set(data) >= {"profil.json", "consentements.json", "messages.json", "brouillons.json",
                         "pieces-jointes.json", "sessions.json", "signalements.json", "decisions.json"}
    profile = data["profil.json"]
    assert profile["email"] == "ana@exemple.fr" and profile["committees"] == ["Comité 06"]
    assert profile["email_mode"] and profile["weekly_digest"] is True
    assert [c["version"] for c in data["consentements.json"]] == [None, 1]
    posts = {p["id"]: p for p in data["messages.json"]}
    mine = posts[world["mine"]]
    assert [r["number"] for r in mine["revisions"]] == [1, 2] and "corrigée" in mine["text"]
    assert all(p["text"] is None for p in posts.values() if p["id"] != world["mine"])
    assert len(posts) == 3                     # her deleted post and her post at the bureau: listed, no text
    assert "xqbrouillon" in data["brouillons.json"][0]["text"]
    attachment = data["pieces-jointes.json"][0]
    assert attachment["file"] and files[attachment["file"]] == _png_of(app)
    assert data["sessions.json"][0]["device"] is not None
    report = data["signalements.json"][0]
    assert "xqmonsignalement" in report["message"] and report["post_author"] is None   # now hidden to her
    assert "xqavertissement" in data["decisions.json"][0]["justification"]
    page = files["index.html"].decode()
    assert "xqmienne" in page and "xqbrouillon" in page and "<script" not in page.lower()
    assert '<html lang="fr">' in page and "Messages et leurs versions" in page
    everything = b"".join(files.values()).decode("utf-8", "replace")
    for word, what in FORBIDDEN.items():
        assert word not in everything, what
    for address in ("bruno.secret@exemple.fr", "coordo.secret@exemple.fr"):
        assert address not in everything
    assert "Coordo" not in everything           # the moderator's name is not shown to her on the site either


def _png_of(app):
    with app.app_context():
        return open(db.session.scalars(select(attachments.Attachment)).first().path(), "rb").read()


def test_requests_are_limited_one_at_a_time_and_per_day(forum, app_factory):
    app = app_factory(EXPORT_PER_DAY=2)
    member = forum.member("Lina")
    browser = Browser(app.test_client())
    browser.login(member)
    assert browser.post("/preferences/mes-donnees", {"submit": "1"}).status_code == 200
    assert browser.post("/preferences/mes-donnees", {"submit": "1"}).status_code == 200
    refused = browser.post("/preferences/mes-donnees", {"submit": "1"})
    assert refused.status_code == 429 and "réessayez demain" in text(refused)
    with app.app_context():
        db.session.execute(db.update(DataExport).values(created_at=now() - timedelta(days=2)))
        db.session.add(DataExport(member_id=member.id, state=data_export.PREPARING, created_at=now()))
        db.session.commit()
    busy = browser.post("/preferences/mes-donnees", {"submit": "1"})
    assert busy.status_code == 409 and "déjà en préparation" in text(busy)
    with app.app_context():   # a preparation that died with its process blocks nobody for long
        db.session.execute(db.update(DataExport).where(DataExport.state == data_export.PREPARING)
                           .values(created_at=now() - timedelta(hours=2)))
        db.session.commit()
    assert browser.post("/preferences/mes-donnees", {"submit": "1"}).status_code == 200


def test_visitors_and_forged_posts_get_no_archive(forum, browser, app):
    assert browser.get("/preferences/mes-donnees").status_code == 302
    assert browser.post("/preferences/mes-donnees", {"submit": "1"}).status_code in (302, 400)
    browser.login(forum.member("Lina"))
    assert browser.post("/preferences/mes-donnees", {"submit": "1"}, csrf=False).status_code == 400
    assert browser.get("/preferences/mes-donnees/archive/pas-un-jeton").status_code == 404


def _link(message):
    body = message.get_body(preferencelist=("plain",)).get_content()
    return urlsplit(re.search(r"https?://\S+/preferences/mes-donnees/archive/\S+", body).group(0)).path


def _wait_for_preparations(app):
    for thread in app.extensions.get("agora_export_threads", []):
        thread.join(timeout=60)


def test_a_large_archive_is_prepared_in_the_background_and_emailed(world, app_factory, smtp):  # noqa: F811
    app = app_factory(SMTP_URL=smtp.url, EXPORT_BACKGROUND_POSTS=1)
    ana = Browser(app.test_client())
    ana.login(world["ana"])
    assert "arrière-plan" in text(ana.get("/preferences/mes-donnees"))
    response = ana.post("/preferences/mes-donnees", {"submit": "1"})
    assert response.status_code == 303
    assert "en préparation" in text(ana.get("/preferences/mes-donnees"))   # the flash, then the state
    _wait_for_preparations(app)
    smtp.wait_for(1)
    message = smtp.to("ana@exemple.fr")[-1]
    assert "archive" in str(message["Subject"])
    link = _link(message)
    with app.app_context():
        stored = db.session.scalars(select(DataExport)).one()
        path = stored.path()
        assert stored.state == data_export.READY and os.path.exists(path)
        assert stored.token_hash and link.rsplit("/", 1)[1] not in stored.token_hash
        assert stored.expires_at - stored.ready_at == timedelta(days=7)
        assert path.startswith(app.instance_path)

    # Another member, logged in, cannot use it; a visitor is sent to log in first.
    bruno = Browser(app.test_client())
    bruno.login(world["bruno"])
    assert bruno.get(link).status_code == 403
    assert bruno.post(link, {"submit": "1"}).status_code == 403
    assert app.test_client().get(link).status_code == 302
    # Its owner sees a button (mail scanners open links); the POST downloads it, once.
    page = ana.get(link)
    assert page.status_code == 200 and "Télécharger l'archive" in text(page)
    files = _contents(_archive(ana.post(link, {"submit": "1"})))
    assert "xqmienne" in files["index.html"].decode() and b"xqbureau" not in b"".join(files.values())
    assert not os.path.exists(path)
    again = ana.post(link, {"submit": "1"})
    assert again.status_code == 410 and "déjà été téléchargée" in text(again)


def test_the_link_expires_after_seven_days_and_the_file_is_deleted(world, app_factory, smtp):  # noqa: F811
    app = app_factory(SMTP_URL=smtp.url, EXPORT_BACKGROUND_POSTS=0)
    ana = Browser(app.test_client())
    ana.login(world["ana"])
    assert ana.post("/preferences/mes-donnees", {"submit": "1"}).status_code == 303
    _wait_for_preparations(app)
    link = _link(smtp.wait_for(1) and smtp.to("ana@exemple.fr")[-1])
    with app.app_context():
        stored = db.session.scalars(select(DataExport)).one()
        path = stored.path()
        stored.expires_at = now() - timedelta(seconds=1)       # seven days later
        db.session.commit()
    expired = ana.get(link)
    assert expired.status_code == 410 and "Télécharger l'archive" not in text(expired)
    assert ana.post(link, {"submit": "1"}).status_code == 410
    with app.app_context():
        assert data_export.purge_expired() == 1
        assert not os.path.exists(path)
        assert db.session.scalars(select(DataExport)).one().state == data_export.EXPIRED


def test_the_purge_command_deletes_expired_archives(world, app_factory, smtp):  # noqa: F811
    app = app_factory(SMTP_URL=smtp.url, EXPORT_BACKGROUND_POSTS=0)
    ana = Browser(app.test_client())
    ana.login(world["ana"])
    ana.post("/preferences/mes-donnees", {"submit": "1"})
    _wait_for_preparations(app)
    with app.app_context():
        db.session.execute(db.update(DataExport).values(expires_at=now() - timedelta(minutes=1)))
        db.session.commit()
    folder = os.path.join(app.instance_path, "exports")
    abandoned, fresh = os.path.join(folder, "mort.zip.part"), os.path.join(folder, "en-cours.zip.part")
    for path in (abandoned, fresh):
        open(path, "wb").close()
    os.utime(abandoned, (0, 0))       # written by a process that died long ago
    result = app.test_cli_runner().invoke(args=["accounts", "purge"])
    assert result.exit_code == 0 and "1 archives de données expirées et" in result.output
    assert os.listdir(folder) == ["en-cours.zip.part"]     # one being written now stays


def test_a_member_who_cannot_read_a_space_finds_none_of_it_in_the_archive(world, app):
    """The permission join, from the other side: Bruno reads the bureau, so his archive holds it."""
    browser = Browser(app.test_client())
    browser.login(world["bruno"])
    files = _contents(_archive(browser.post("/preferences/mes-donnees", {"submit": "1"})))
    everything = b"".join(files.values()).decode("utf-8", "replace")
    assert "xqbureau" in everything and "xqmasque" in everything      # his own hidden post: he reads it
    assert "ana@exemple.fr" not in everything and "xqmonsignalement" not in everything
    with app.app_context():
        assert db.session.get(Post, world["mine"]).author_id == world["ana"].id


def test_nothing_the_permissions_refuse_her_is_in_her_archive(world, app):
    """The oracle is forum.permissions itself: every post whose text Ana may not read (any author,
    any state, any space) and every topic she may not read is absent from her archive."""
    from forum.permissions import can_read_post_text, can_read_topic
    browser = Browser(app.test_client())
    browser.login(world["ana"])
    files = _contents(_archive(browser.post("/preferences/mes-donnees", {"submit": "1"})))
    everything = b"".join(files.values())
    with app.app_context():
        ana = db.session.get(Member, world["ana"].id)
        refused = [post for post in db.session.scalars(select(Post)) if not can_read_post_text(ana, post)]
        hidden_topics = [topic for topic in db.session.scalars(select(Topic)) if not can_read_topic(ana, topic)]
        assert len(refused) >= 4 and hidden_topics               # the world gives the test something to find
        for post in refused:
            assert post.source.encode() not in everything, post.source
            assert json.dumps(post.source, ensure_ascii=False)[1:-1].encode() not in everything
        for topic in hidden_topics:
            assert topic.title.encode() not in everything, topic.title
