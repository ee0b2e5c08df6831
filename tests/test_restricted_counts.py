"""Counts shown on lists (tags, spaces) hold only what the viewer may read.

Regression: ``/etiquettes`` showed ``Tag.topic_count``, which counts the topics of every space:
"(2)" beside a tag whose page lists one topic, revealing a tagged topic in a restricted space.
"""
import re

from .helpers import Browser, text


def _scene(forum):
    c13 = forum.committee("13", "Comité des Bouches-du-Rhône")
    secret = forum.space("Groupe restreint", visibility="restricted", committees=[c13])
    theme = forum.space("Éthique et déontologie")
    insider = forum.member("Alice", committees=[c13])
    outsider = forum.member("Bob")
    housing, unused = forum.tag("Logement"), forum.tag("Jeunesse")
    forum.topic(insider, theme, "Logement public", tags=[housing])
    forum.topic(insider, secret, "Logement confidentiel", tags=[housing])
    forum.topic(insider, secret, "Jeunesse confidentielle", tags=[unused])
    return insider, outsider, secret


def _counts(response):
    """{tag name: the count shown beside it} on the tags page."""
    return {name: int(count) for name, count in re.findall(
        r'<a href="/etiquette/[^"]+">([^<]+)</a> <span class="meta">\((\d+)\)</span>', text(response))}


def _listed(client, slug):
    return text(client.get(f"/etiquette/{slug}")).count('class="topic-title"')


def test_tags_page_counts_only_readable_topics_and_the_visitors_cache_keeps_them(app, forum):
    insider, outsider, _secret = _scene(forum)
    member, ordinary, visitor = Browser(app.test_client()), Browser(app.test_client()), app.test_client()
    member.login(insider)
    ordinary.login(outsider)
    # The member first: what a member sees is never kept for visitors.
    assert _counts(member.get("/etiquettes")) == {"Jeunesse": 1, "Logement": 2}
    first, second = visitor.get("/etiquettes"), visitor.get("/etiquettes")
    assert second.headers.get("X-Agora-Cache") == "hit"
    for response in (first, second, ordinary.get("/etiquettes")):
        assert _counts(response) == {"Jeunesse": 0, "Logement": 1}
    assert _counts(member.get("/etiquettes")) == {"Jeunesse": 1, "Logement": 2}
    # The count is what the tag's page lists.
    assert _listed(visitor, "logement") == 1 and _listed(member, "logement") == 2


def test_space_lists_and_their_live_counters_hold_only_readable_spaces(app, forum):
    insider, outsider, secret = _scene(forum)
    visitor, ordinary, member = app.test_client(), Browser(app.test_client()), Browser(app.test_client())
    ordinary.login(outsider)
    member.login(insider)
    for client in (visitor, ordinary):
        home = text(client.get("/"))
        assert secret.name not in home and "2 sujets" not in home
        spaces = client.get("/activite.json").get_json()["spaces"]
        assert secret.id not in {space["id"] for space in spaces}
        assert all(space["topics"] <= 1 for space in spaces)
    mine = {space["id"]: space["topics"] for space in member.get("/activite.json").get_json()["spaces"]}
    assert mine[secret.id] == 2 and secret.name in text(member.get("/"))
