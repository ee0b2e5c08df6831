"""One permission model (issue 22): on the demo, for an anonymous visitor and for each demo
member, every feed lists exactly what the HTML page it follows lists to the same person.

Anonymous visitors read the public addresses (``/flux/…``); each member reads the private ones
(``/flux/prive/<token>/…``, their own token, made on « Mes flux »), with no session: what a feed
reader does. Both answer 404 exactly when the page does.
"""
import re
from types import SimpleNamespace

import feedparser
import pytest
from sqlalchemy import select

from forum.devdata import demo
from forum.extensions import db
from forum.topics.models import Space, Tag, Topic

from ..helpers import Browser
from .test_feeds import make_token

# Every demo member who can log in (the suspended one reaches only his letters: tests/conversations/test_suspended.py).
VIEWERS = [None, *(row[0] for row in demo.MEMBERS if row[0] != demo.SUSPENDED)]


@pytest.fixture(scope="module")
def backend():
    return "sqlite"     # the rules are the same on both; the feeds' SQL is tested on both in test_feeds


@pytest.fixture
def app(demo_app):
    return demo_app


def _section(body, label):
    """The part of a page in its section ``aria-labelledby=label``."""
    start = body.index(f'aria-labelledby="{label}"')
    return body[start:body.index("</section>", start)]


def _topics_listed(body):
    return {int(i) for i in re.findall(r'data-topic-id="(\d+)"', body)}


def _ids(feed, pattern):
    return {int(re.search(pattern, entry.link if "message" in pattern else entry.id).group(1))
            for entry in feed.entries}


def _feed(client, url):
    response = client.get(url)
    if response.status_code != 200:
        return response.status_code, None
    parsed = feedparser.parse(response.get_data())
    assert not parsed.bozo, (url, parsed.bozo_exception)
    return 200, parsed


def _world(app):
    with app.app_context():
        return (db.session.scalars(select(Space.slug)).all(), db.session.scalars(select(Tag.slug)).all(),
                db.session.scalars(select(Topic.id)).all())


@pytest.mark.parametrize("viewer", VIEWERS, ids=[v or "anonymous" for v in VIEWERS])
def test_each_feed_lists_what_its_page_lists(app, viewer):
    spaces, tags, topics = _world(app)
    browser = Browser(app.test_client())
    prefix = "/flux"
    if viewer is not None:
        browser.login(SimpleNamespace(pseudonym=viewer), password=demo.DEMO_PASSWORD)
        prefix = make_token(browser)
    reader = app.test_client()       # the feed reader: no session
    problems, found = [], set()

    def same(what, page_ids, feed_url, pattern):
        if page_ids:
            found.add(what)
        status, feed = _feed(reader, feed_url)
        if status != 200:
            problems.append(f"{feed_url}: {status} where the page lists {sorted(page_ids)}")
        elif _ids(feed, pattern) != page_ids:
            problems.append(f"{feed_url}: {sorted(_ids(feed, pattern))} != page {sorted(page_ids)} ({what})")

    def same_status(page_url, feed_url):
        page, feed = browser.get(page_url).status_code, reader.get(feed_url).status_code
        if (page == 200) != (feed == 200):
            problems.append(f"{feed_url}: {feed} where {page_url} answers {page}")
        return page == 200

    home = browser.get("/").get_data(as_text=True)
    same("home", _topics_listed(_section(home, "derniers")), f"{prefix}/recents.atom", r"/sujet/(\d+)")
    page = browser.get("/capitalisation?type=synthese").get_data(as_text=True)
    same("all_syntheses", {int(i) for i in re.findall(r'<h3><a href="/synthese/(\d+)"', page)},
         f"{prefix}/syntheses.atom", r"/synthese/(\d+)")
    for slug in spaces:
        if same_status(f"/espace/{slug}", f"{prefix}/espace/{slug}.atom"):
            page = browser.get(f"/espace/{slug}").get_data(as_text=True)
            same("space", _topics_listed(page), f"{prefix}/espace/{slug}.atom", r"/sujet/(\d+)")
        if same_status(f"/espace/{slug}/syntheses", f"{prefix}/espace/{slug}/syntheses.atom"):
            page = browser.get(f"/espace/{slug}/syntheses").get_data(as_text=True)
            published = {int(i) for i, item in re.findall(r'<li><a href="/synthese/(\d+)">(.*?)</li>', page, re.S)
                         if "version publiée" in item}
            same("syntheses", published, f"{prefix}/espace/{slug}/syntheses.atom", r"/synthese/(\d+)")
        if same_status(f"/espace/{slug}/suivi", f"{prefix}/espace/{slug}/decisions.atom"):
            page = _section(browser.get(f"/espace/{slug}/suivi").get_data(as_text=True), "suivi-recentes")
            same("outcomes", {int(i) for i in re.findall(r'href="/message/(\d+)"', page)},
                 f"{prefix}/espace/{slug}/decisions.atom", r"/message/(\d+)")
        if viewer is not None:     # the log is for members only: no public address
            log_url = f"{prefix}/espace/{slug}/journal-de-moderation.atom"
            if same_status(f"/espace/{slug}/journal-de-moderation", log_url):
                page = browser.get(f"/espace/{slug}/journal-de-moderation").get_data(as_text=True)
                rows = page.count("<tr>") - 1 if "<tbody>" in page else 0
                status, feed = _feed(reader, log_url)
                if feed is None or len(feed.entries) != rows:
                    problems.append(f"{log_url}: {feed and len(feed.entries)} entries, page {rows} lines")
                found.update({"log"} if rows else set())
    for slug in tags:
        if same_status(f"/etiquette/{slug}", f"{prefix}/etiquette/{slug}.atom"):
            page = browser.get(f"/etiquette/{slug}").get_data(as_text=True)
            same("tag", _topics_listed(page), f"{prefix}/etiquette/{slug}.atom", r"/sujet/(\d+)")
    for topic_id in topics:
        same_status(f"/sujet/{topic_id}", f"{prefix}/sujet/{topic_id}.atom")
    assert problems == [], "\n".join(problems)
    # Not vacuous: the demo gives every kind of feed something to list (anonymous: no log).
    assert found >= {"home", "space", "tag", "syntheses", "all_syntheses", "outcomes", *(["log"] if viewer else [])}, found
