"""Edit history: every revision kept, and a page showing what changed between them."""
from forum.topics.history import diff_text

from ..helpers import text


def test_word_diff():
    pieces = diff_text("Le comité se réunit lundi.\nOrdre du jour : logement.",
                       "Le comité se réunit mardi.\nOrdre du jour : logement et santé.")
    assert [p.text for p in pieces if p.kind == "removed"] == ["lundi.", "logement."]
    assert [p.text for p in pieces if p.kind == "added"] == ["mardi.", "logement et santé."]
    assert "".join(p.text for p in pieces if p.kind != "removed") == \
        "Le comité se réunit mardi.\nOrdre du jour : logement et santé."


def test_revisions_page_shows_the_diffs(forum, browser, place):
    space, alice, bob, topic = place
    post = forum.reply(alice, topic, "Réunion lundi à 14 h.")
    browser.login(alice)
    for body in ("Réunion mardi à 14 h.", "Réunion mardi à 15 h, salle <b>B</b>."):
        assert browser.post(f"/message/{post.id}/modifier", {"body": body, "submit": "1"}).status_code == 303
    page = text(browser.get(f"/message/{post.id}/versions"))
    assert "<del>lundi </del><ins>mardi </ins>" in page
    raw = browser.get(f"/message/{post.id}/versions").get_data(as_text=True)
    assert "<ins>15 h, salle &lt;b&gt;B&lt;/b&gt;.</ins>" in raw        # escaped, never rendered
    compared = text(browser.get(f"/message/{post.id}/versions?de=1&a=3"))
    assert "Comparaison de la version 1 avec la version 3" in compared
    assert "Réunion lundi à 14 h." in compared                  # the original is shown too
    # Bob may read the history of a visible post; nobody reads that of a post they cannot read.
    browser.logout()
    assert browser.get(f"/message/{post.id}/versions").status_code == 200
    committee = forum.committee("13")
    insider = forum.member("Initie", committees=[committee])
    bureau = forum.space("Bureau", visibility="restricted", committees=[committee])
    secret = forum.opening(forum.topic(insider, bureau, "Sujet du bureau"))
    assert browser.get(f"/message/{secret.id}/versions").status_code == 404


def test_title_change_of_the_opening_post_is_shown(forum, browser, place):
    space, alice, bob, topic = place
    opening = forum.opening(topic)
    browser.login(alice)
    assert browser.post(f"/message/{opening.id}/modifier", {"title": "Un sujet pour mieux écrire",
                                                             "body": "Premier message du sujet.",
                                                             "submit": "1"}).status_code == 303
    page = text(browser.get(f"/message/{opening.id}/versions"))
    assert "Titre :" in page and "<ins>mieux </ins>" in page
