"""One permission model: on the demo, for a visitor and each demo member, every list and topic of
the API holds exactly the ids the matching page shows the same person (spaces, topics, posts),
and what the page refuses the API refuses."""
import re
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from forum.devdata import demo
from forum.extensions import db
from forum.topics.models import Topic

from ..helpers import Browser

# Every demo member who can log in (the suspended one reaches only his letters: tests/conversations/test_suspended.py).
VIEWERS = [None] + [name for name, *_ in demo.MEMBERS if name != demo.SUSPENDED]
SPACE_LINK = re.compile(r'href="/espace/([^"/?#]+)"')
TOPIC_LINK = re.compile(r'href="/sujet/(\d+)')
POST_ID = re.compile(r'data-post-id="(\d+)"')


def _all_pages(get, url, pattern, last_page):
    found, page = set(), 1
    while True:
        body = get(f"{url}{'&' if '?' in url else '?'}page={page}").get_data(as_text=True)
        found |= {value for value in pattern.findall(body)}
        if page >= last_page(body):
            return found
        page += 1


def _html_pages(body):
    numbers = [int(n) for n in re.findall(r'[?&](?:amp;)?page=(\d+)', body)]
    return max(numbers, default=1)


def _json_pages(get, url, key):
    ids, page = [], 0
    while True:
        data = get(f"{url}?page={page}").get_json()
        ids += [item["id"] for item in data["topic_list"]["topics"]]
        if not data["topic_list"].get("more_topics_url"):
            return ids
        page += 1


@pytest.mark.parametrize("viewer", VIEWERS)
def test_the_api_shows_each_person_what_the_pages_show(demo_app, viewer):
    browser = Browser(demo_app.test_client())
    if viewer:
        browser.login(SimpleNamespace(pseudonym=viewer), password=demo.DEMO_PASSWORD)
    get = browser.get

    categories = get("/categories.json").get_json()["category_list"]["categories"]
    home = get("/").get_data(as_text=True)
    assert {c["slug"] for c in categories} == set(SPACE_LINK.findall(home))

    seen_topics = set()
    for category in categories:
        listed = _json_pages(get, f"/c/{category['slug']}/{category['id']}.json", "topics")
        shown = _all_pages(get, f"/espace/{category['slug']}", TOPIC_LINK, _html_pages)
        assert {str(i) for i in listed} == shown, category["slug"]
        assert len(listed) == len(set(listed))
        seen_topics |= set(listed)
    latest = _json_pages(get, "/latest.json", "topics")
    archived = {c["id"] for c in categories if c["archived"]}
    with demo_app.app_context():
        topics = db.session.execute(select(Topic.id, Topic.space_id)).all()
    assert set(latest) == {i for i, space in topics if i in seen_topics and space not in archived}

    for topic_id, _space in topics:
        page = get(f"/sujet/{topic_id}?vue=chrono")
        answer = get(f"/t/{topic_id}.json")
        assert page.status_code == answer.status_code, topic_id
        if page.status_code != 200:
            assert answer.get_json()["error_type"] == "not_found" and topic_id not in seen_topics
            continue
        assert topic_id in seen_topics
        shown = _all_pages(get, f"/sujet/{topic_id}?vue=chrono", POST_ID, _html_pages)
        assert {str(i) for i in answer.get_json()["post_stream"]["stream"]} == shown, topic_id
