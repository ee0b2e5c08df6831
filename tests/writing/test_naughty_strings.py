"""The Big List of Naughty Strings as titles, bodies, pseudonyms and tag names.

Through the real forms: never a 500; what is stored is what was sent (after the documented
normalisations: line ends as "\\n", C0 control characters dropped, spaces of one-line fields
collapsed); pages that show it still render.
"""
import re

from sqlalchemy import select

from forum.accounts.models import Member
from forum.extensions import db
from forum.text.pseudonyms import (PSEUDONYM_PATTERN, mixes_scripts, pseudonym_key,
                                   pseudonym_skeleton)
from forum.text.slugs import slugify
from forum.topics.models import Post, Tag, Topic
from forum.topics.posting import clean_text

from ..helpers import text
from .conftest import corpus

STRINGS = corpus("blns.json")


def one_line(value):
    return " ".join(clean_text(value).split())


def test_blns_as_post_bodies(app, forum, browser, place):
    space, alice, bob, topic = place
    browser.login(alice)
    limit = app.config["POST_MAX_CHARS"]
    sent = []
    for value in STRINGS:
        response = browser.post(f"/sujet/{topic.id}/repondre", {"body": value, "submit": "1"})
        expected = clean_text(value).strip("\n")
        if expected.strip() and len(expected) <= limit:
            assert response.status_code == 303, (value, response.status_code)
            sent.append(expected)
        else:
            assert response.status_code == 422, (value, response.status_code)
            assert "Le message est vide" in text(response)
    with app.app_context():
        stored = db.session.scalars(select(Post.source).where(Post.topic_id == topic.id, Post.number > 1)
                                    .order_by(Post.number)).all()
    assert stored == sent
    pages = -(-(len(sent) + 1) // app.config["POSTS_PER_PAGE"])
    shown = 0
    for page in range(1, pages + 1):
        response = browser.get(f"/sujet/{topic.id}?vue=chrono&page={page}")
        assert response.status_code == 200
        shown += len(re.findall(r'<article class="post post-visible', response.get_data(as_text=True)))
    assert shown == len(sent) + 1
    print(f"\nBLNS bodies: {len(sent)} published, {len(STRINGS) - len(sent)} refused as empty")


def test_blns_as_topic_titles(app, forum, browser, place):
    space, alice, bob, topic = place
    browser.login(alice)
    low, high = app.config["TITLE_MIN_CHARS"], app.config["TITLE_MAX_CHARS"]
    created = []
    for value in STRINGS:
        response = browser.post("/nouveau-sujet", {"title": value, "space": space.slug,
                                                   "body": "Un corps de message.", "submit": "1"})
        expected = one_line(value)
        if low <= len(expected) <= high:
            assert response.status_code == 303, (value, response.status_code)
            created.append((expected, response.headers["Location"]))
        else:
            assert response.status_code == 422, (value, response.status_code)
    with app.app_context():
        stored = db.session.scalars(select(Topic.title).where(Topic.id != topic.id).order_by(Topic.id)).all()
    assert stored == [title for title, _ in created]
    listed = ""
    for number in range(1, 2 + len(created) // app.config["TOPICS_PER_PAGE"]):
        page = browser.get(f"/espace/{space.slug}?page={number}")
        assert page.status_code == 200
        listed += text(page)
    assert [title for title, _ in created if title not in listed] == []
    for title, location in created[::5]:          # the topic pages themselves, one in five
        page = browser.get(location)
        assert page.status_code == 200
        assert f"<h1>{title}</h1>" in text(page)
    assert browser.get("/").status_code == 200
    print(f"\nBLNS titles: {len(created)} topics, {len(STRINGS) - len(created)} refused (length)")


def identities(pseudonym):
    """What two pseudonyms may not share: the key (case, "_" "-" "." alike) and the look."""
    return {("key", pseudonym_key(pseudonym)), ("skeleton", pseudonym_skeleton(pseudonym))}


def expected_registration(value, taken):
    """The one answer registering ``value`` gets: 422 for a pseudonym the rule refuses (3 to 30
    letters, digits, "-" "_" ".", one alphabet), 409 for one that is or looks like a registered
    one, 303 otherwise."""
    pseudonym = value.strip()
    if not PSEUDONYM_PATTERN.match(pseudonym) or mixes_scripts(pseudonym):
        return 422
    return 409 if identities(pseudonym) & taken else 303


def test_blns_as_pseudonyms(app, forum, client):
    college = forum.college("Collège des tests")
    accepted = 0
    taken = set()
    for index, value in enumerate(STRINGS):
        client.cookie_jar.clear() if hasattr(client, "cookie_jar") else None
        page = client.get("/inscription")
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.get_data(as_text=True)).group(1)
        response = client.post("/inscription", data={
            "csrf_token": token, "pseudonym": value, "email": f"naughty{index}@test.agora.localhost",
            "password": "un mot de passe long", "college": str(college.id), "show_college": "default",
            "adheres_convention": "y", "accepts_charter": "y", "submit": "1"})
        assert response.status_code == expected_registration(value, taken), (value, response.status_code)
        if response.status_code == 303:
            taken.update(identities(value.strip()))
            accepted += 1
            with app.app_context():
                member = db.session.scalar(select(Member).where(Member.email == f"naughty{index}@test.agora.localhost"))
                assert member.pseudonym == value.strip()
            profile = client.get(f"/membre/{member.pseudonym}")
            assert profile.status_code == 200 and member.pseudonym in text(profile)
            client.post("/deconnexion", data={"csrf_token": re.search(
                r'name="csrf-token" content="([^"]+)"', profile.get_data(as_text=True)).group(1)})
    print(f"\nBLNS pseudonyms: {accepted} accepted, {len(STRINGS) - accepted} refused")


def test_blns_as_tag_names(app, forum, browser):
    coordinator = forum.member("Coordination", role="coordinator")
    browser.login(coordinator)
    created, slugs_taken = [], set()
    for value in STRINGS:
        response = browser.post("/coordination/etiquettes/nouvelle", {"name": value, "description": value,
                                                                      "submit": "1"})
        name = " ".join(value.split())                   # structure.save_tag collapses spaces
        slug = slugify(name, 60)
        # Refused (422) when too short, too long or without a letter or digit for its address;
        # a conflict (409) when its address is another tag's; created (303) otherwise.
        expected = 422 if not (2 <= len(name) <= 80 and slug) else 409 if slug in slugs_taken else 303
        assert response.status_code == expected, (value, response.status_code)
        if response.status_code == 303:
            slugs_taken.add(slug)
            created.append(name)
    with app.app_context():
        stored = db.session.scalars(select(Tag.name).order_by(Tag.id)).all()
    assert stored == created
    page = browser.get("/etiquettes")
    assert page.status_code == 200
    with app.app_context():
        slugs = db.session.scalars(select(Tag.slug)).all()
    for slug in slugs[::10]:
        assert browser.get(f"/etiquette/{slug}").status_code == 200
    print(f"\nBLNS tag names: {len(created)} tags created, {len(STRINGS) - len(created)} refused")


def test_blns_as_search_queries(app, client):
    for value in STRINGS:
        response = client.get("/recherche", query_string={"q": value})
        # Nothing typed in the search box is an error: mistakes become messages on the page.
        assert response.status_code == 200, (value, response.status_code)
