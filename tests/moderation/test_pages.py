"""Every moderation page renders for those allowed, with unique ids and a label for every field."""
from collections import Counter
from html.parser import HTMLParser

from moderation import appeals, post_decisions, reporting, topic_decisions

from ..helpers import text


class Fields(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.labels, self.fields = [], set(), []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if tag == "label" and attrs.get("for"):
            self.labels.add(attrs["for"])
        if tag in ("input", "textarea", "select") and attrs.get("type") not in ("hidden", "submit"):
            self.fields.append(attrs.get("id"))


def check(page):
    parser = Fields()
    parser.feed(page)
    duplicates = [i for i, n in Counter(parser.ids).items() if n > 1]
    assert duplicates == []
    unlabelled = [f for f in parser.fields if f is None or f not in parser.labels]
    assert unlabelled == []
    assert ' style="' not in page and "<script>" not in page


def test_every_page_renders_accessibly(world, act, login, app):
    hidden = act(post_decisions.hide, world.mod13, world.reply13, [world.articles[2]], "Tiers reconnaissable.")
    act(reporting.report_post, world.carol, world.opening13, "other", "Titre trompeur")
    appeal = act(appeals.file_appeal, world.bob, hidden, "Je demande un second regard, merci.")
    act(topic_decisions.set_slow_mode, world.mod13, world.topic13, 5, [world.articles[1]], "Calme.")
    coordinator = login(world.coordinator)
    pages = [
        "/moderation/", f"/moderation/?espace={world.c13.slug}",
        f"/moderation/messages/{world.reply13.id}", f"/moderation/messages/{world.opening13.id}",
        f"/moderation/messages/{world.reply13.id}/modifier", f"/moderation/messages/{world.reply13.id}/detacher",
        f"/moderation/sujets/{world.topic13.id}", f"/moderation/membres/{world.bob.id}",
        f"/moderation/decisions/{hidden.id}/annuler", f"/moderation/recours/{appeal.id}",
        f"/moderation/espaces/{world.c13.slug}/reglages", "/moderation/mots-surveilles", "/moderation/journal",
        "/moderation/reglement", "/moderation/reglement/brouillon",
        f"/espace/{world.c13.slug}/journal-de-moderation", f"/sujet/{world.topic13.id}", f"/espace/{world.c13.slug}",
    ]
    for url in pages:
        response = coordinator.get(url)
        assert response.status_code == 200, url
        check(text(response))
    bob = login(world.bob)
    for url in ("/moderation/mes-decisions", f"/moderation/decisions/{hidden.id}/contester",
                f"/message/{world.opening13.id}/signaler"):
        response = bob.get(url)
        assert response.status_code == 200, url
        check(text(response))
    assert "Décisions me concernant" in text(bob.get("/"))
    assert "Modération" in text(coordinator.get("/"))
    assert "Décisions me concernant" not in text(login(world.dave).get("/"))
