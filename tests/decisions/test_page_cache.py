"""A decision's changes reach its topic's cached pages, and never every page of the site."""
from forum.web.page_cache import SITE, current_versions


def versions(app, *scopes):
    with app.app_context():
        return {scope: 0 for scope in scopes} | dict(current_versions(list(scopes)))


def test_a_ballot_bumps_its_topic_only_and_the_opening_its_space(app, forum, open_poll, vote):
    committee = forum.committee("13")
    author = forum.member("Alice", committees=[committee])
    topic = forum.topic(author, committee)
    other = forum.topic(author, committee)
    scopes = (SITE, f"topic-{topic.id}", f"topic-{other.id}", f"space-{committee.id}")
    before = versions(app, *scopes)
    poll = open_poll(author, topic)
    opened = versions(app, *scopes)
    assert opened[f"topic-{topic.id}"] > before[f"topic-{topic.id}"]
    assert opened[f"space-{committee.id}"] > before[f"space-{committee.id}"]
    vote(author, poll, {0: 1})
    voted = versions(app, *scopes)
    assert voted[f"topic-{topic.id}"] > opened[f"topic-{topic.id}"]
    assert voted[SITE] == before[SITE] and voted[f"topic-{other.id}"] == before[f"topic-{other.id}"]
    assert voted[f"space-{committee.id}"] == opened[f"space-{committee.id}"]
