"""The topic statuses search offers are those a topic can have: open and closed."""
import pytest

from search import syntax


@pytest.mark.parametrize("typed,status", [("status:open", "open"), ("statut:fermé", "closed"),
                                          ("status:ouvert", "open")])
def test_a_status_a_topic_can_have_filters(app, typed, status):
    with app.test_request_context():
        query = syntax.parse(f"réunion {typed}")
    assert (query.status, query.messages) == (status, [])


def test_archived_is_not_offered_since_no_topic_is_ever_archived(app, client):
    with app.test_request_context():
        query = syntax.parse("réunion status:archived")
    assert query.status is None and "status:closed" in query.messages[0]
    assert 'value="archived"' not in client.get("/recherche?q=r%C3%A9union").get_data(as_text=True)
