"""What each page counts and lists is what its viewer reads: a space kept from the viewer adds
nothing to the figures and names none of its topics (every way out, CSV and SVG included)."""
from datetime import timedelta

import pytest

from .test_counting import backdate, last_month

MARKERS = {"committee": "xqcomite", "kept": "xqbureau", "sealed": "xqscelle", "members": "xqmembres"}


@pytest.fixture
def world(app, forum):
    college = forum.college("Personnes accompagnées", sensitive=True)
    committee = forum.committee(name="Comité 13")
    spaces = {
        "committee": committee,
        "kept": forum.space("Bureau", kind="regional", visibility="restricted", committees=[committee]),
        "sealed": forum.space("Entre pairs", visibility="restricted", colleges=[college], staff_reads=False),
        "members": forum.space("Vie du réseau", kind="regional", visibility="members"),
    }
    writers = [forum.member(college=college, committees=[committee]) for _ in range(6)]
    topics = []
    for key, space in spaces.items():
        # Unanswered topics are listed by title: the marker is what would leak.
        topics.append(forum.topic(writers[0], space, title=f"Sujet {MARKERS[key]}"))
        topics.append(forum.topic(writers[1], space, title=f"Autre {MARKERS[key]}"))
        for member in writers[2:]:
            forum.reply(member, topics[-1])
    backdate(app, last_month().start + timedelta(days=2), topics=topics)
    return {"spaces": spaces, "member": writers[3], "moderator": forum.moderator(committee),
            "coordinator": forum.member(role="coordinator")}


def pages(browser, base):
    bodies = [browser.get(f"{base}?periode=mois").get_data(as_text=True)]
    for key in ("colleges", "contributeurs", "espaces", "themes", "temps"):
        for kind in ("csv", "svg"):
            response = browser.get(f"{base}/graphique/{key}.{kind}?periode=mois")
            assert response.status_code in (200, 404)
            bodies.append(response.get_data(as_text=True))
    return "\n".join(bodies)


@pytest.mark.parametrize("viewer, base, readable", [
    ("coordinator", "/participation", {"committee", "kept", "members"}),
    ("coordinator", "/espace/comite-13/participation", {"committee", "kept"}),
    ("member", "/espace/comite-13/participation", {"committee", "kept"}),
    ("moderator", "/espace/comite-13/participation", {"committee"}),
])
def test_each_page_lists_exactly_what_its_viewer_reads(world, login, viewer, base, readable):
    body = pages(login(world[viewer]), base)
    shown = {key for key, marker in MARKERS.items() if marker in body}
    assert shown == readable


def test_the_figures_leave_out_what_the_viewer_does_not_read(world, login):
    # Each space holds 2 topics and 6 posts; the coordination does not read the sealed one.
    coordination = login(world["coordinator"]).get("/participation?periode=mois").get_data(as_text=True)
    assert "<strong>18</strong>" in coordination and "<strong>24</strong>" not in coordination
    moderator = login(world["moderator"]).get("/espace/comite-13/participation?periode=mois").get_data(as_text=True)
    assert "<strong>6</strong>" in moderator and "<strong>12</strong>" not in moderator
