"""Starting topics, replying in a tree, editing with revisions, deleting softly; bad input."""
import re
import threading

import pytest
from sqlalchemy import func, select

from forum.errors import Forbidden, Invalid
from forum.extensions import db
from forum.topics import posting, reading
from forum.topics.models import Post, PostRevision, Space, Tag, Topic

from .helpers import text


@pytest.fixture
def setting(forum):
    space = forum.space("Éthique et déontologie")
    tag = forum.tag("Logement")
    alice = forum.member("Alice")
    bob = forum.member("Bob")
    return space, tag, alice, bob


def test_start_topic_through_the_form(browser, setting, app):
    space, tag, alice, _ = setting
    browser.login(alice)
    response = browser.post("/nouveau-sujet", {"title": "Accès aux droits en zone rurale", "space": space.slug,
                                               "tags": [tag.slug], "body": "Qui a une **solution** ?",
                                               "submit": "1"})
    assert response.status_code == 303
    page = browser.get(response.headers["Location"])
    html = text(page)
    assert "Accès aux droits en zone rurale" in html
    assert "<strong>solution</strong>" in html
    assert 'href="/etiquette/logement"' in html
    with app.app_context():
        topic = db.session.scalars(select(Topic)).one()
        assert topic.space.slug == space.slug and [t.slug for t in topic.tags] == ["logement"]
        assert db.session.get(Space, space.id).topic_count == 1
        assert db.session.get(Tag, tag.id).topic_count == 1


@pytest.mark.parametrize("field, data, message", [
    ("title", {"title": ""}, "Le titre est trop court"),
    ("body", {"body": "   "}, "Le message est vide"),
    ("body", {"body": "x" * 200_000}, "Le message est trop long"),
    ("space", {"space": "espace-inconnu"}, "Choisissez un espace dans la liste"),
    ("tags", {"tags": ["etiquette-inexistante"]}, "Étiquette inconnue"),
])
def test_bad_topic_input_is_refused_in_french_and_keeps_what_was_typed(browser, setting, field, data, message):
    space, tag, alice, _ = setting
    browser.login(alice)
    form = {"title": "Un titre correct", "space": space.slug, "body": "Un texte à garder", "submit": "1"}
    form.update(data)
    response = browser.post("/nouveau-sujet", form)
    assert response.status_code == 422
    html = text(response)
    assert message in html
    if field != "title":
        assert 'value="Un titre correct"' in html
    if field != "body":
        assert "Un texte à garder" in html


def test_reply_tree_and_chronological_views(forum, browser, setting, app):
    space, _, alice, bob = setting
    topic = forum.topic(alice, space, "Un sujet en arbre")
    first = forum.reply(bob, topic, "Réponse au sujet")
    nested = forum.reply(alice, topic, "Réponse à Bob", parent=first)
    second = forum.reply(bob, topic, "Deuxième réponse au sujet")

    html = text(browser.get(f"/sujet/{topic.id}"))
    # Threaded: the nested reply comes right after its parent, inside a nested list.
    order = [int(n) for n in re.findall(r'id="message-(\d+)"', html)]
    assert order == [1, first.number, nested.number, second.number]
    between = html[html.index(f'id="message-{first.number}"'):html.index(f'id="message-{nested.number}"')]
    assert '<ol class="thread">' in between

    chrono = text(browser.get(f"/sujet/{topic.id}?vue=chrono"))
    order = [int(n) for n in re.findall(r'id="message-(\d+)"', chrono)]
    assert order == [1, 2, 3, 4]
    assert "en réponse à" in chrono and "(#2)" in chrono

    with app.app_context():
        stored = db.session.get(Post, nested.id)
        assert stored.parent_id == first.id and stored.depth == 2
        assert stored.path == "000001/000002/000003"
        assert db.session.get(Topic, topic.id).reply_count == 3


def test_reply_through_the_plain_form(forum, browser, setting, app):
    space, _, alice, bob = setting
    topic = forum.topic(alice, space)
    opening = forum.opening(topic)
    browser.login(bob)
    page = text(browser.get(f"/sujet/{topic.id}"))
    assert re.search(r'<form method="post" action="/sujet/\d+/repondre"', page)
    assert "<textarea" in page
    response = browser.post(f"/sujet/{topic.id}/repondre", {"body": "Merci pour ce sujet", "submit": "1"})
    assert response.status_code == 303
    response = browser.post(f"/sujet/{topic.id}/repondre", {"body": "Je précise", "parent": str(opening.id),
                                                            "submit": "1"})
    assert response.status_code == 303
    with app.app_context():
        assert db.session.scalar(select(func.count(Post.id)).where(Post.topic_id == topic.id)) == 3


def test_reply_to_a_post_of_another_topic_is_refused(forum, browser, setting, app):
    space, _, alice, bob = setting
    topic = forum.topic(alice, space)
    other = forum.topic(alice, space)
    foreign = forum.reply(alice, other, "Dans l'autre sujet")
    browser.login(bob)
    response = browser.post(f"/sujet/{topic.id}/repondre", {"body": "Mon texte", "parent": str(foreign.id),
                                                            "submit": "1"})
    assert response.status_code == 422
    assert "n'appartient pas à ce sujet" in text(response)
    assert "Mon texte" in text(response)
    response = browser.post(f"/sujet/{topic.id}/repondre", {"body": "Mon texte", "parent": "999999",
                                                            "submit": "1"})
    assert response.status_code == 422


def test_deep_replies_are_shown_flat_with_en_reponse_a(forum, browser, setting, app):
    space, _, alice, bob = setting
    topic = forum.topic(alice, space)
    parent = None
    for depth in range(8):
        parent = forum.reply(bob if depth % 2 else alice, topic, f"Niveau {depth + 1}", parent=parent)
    html = text(browser.get(f"/sujet/{topic.id}"))
    nesting = max(len(m) for m in re.findall(r'((?:<ol class="thread">\s*<li>\s*)+)', html))
    depth_shown = html.count('<ol class="thread">')
    max_level = app.config["THREAD_MAX_DEPTH"]
    assert depth_shown == max_level + 1
    assert nesting > 0
    assert html.count("en réponse à") == 8 - (max_level + 1)


def test_long_topics_paginate_without_losing_the_tree(forum, browser, setting, app):
    app.config["POSTS_PER_PAGE"] = 5
    space, _, alice, bob = setting
    topic = forum.topic(alice, space)
    first = forum.reply(bob, topic, "A")
    for index in range(6):
        forum.reply(alice, topic, f"Sous-réponse {index}", parent=first)
    last = forum.reply(bob, topic, "Z")
    page2 = text(browser.get(f"/sujet/{topic.id}?page=2"))
    # Page 2 continues the tree: replies to #2 still say whom they answer.
    assert "en réponse à" in page2 and "(#2)" in page2
    response = browser.get(f"/message/{last.id}")
    assert response.status_code == 302 and "page=2" in response.headers["Location"]


def test_edit_keeps_revisions_and_shows_modifie(forum, browser, setting, app):
    space, _, alice, bob = setting
    topic = forum.topic(alice, space, "Titre d'origine", "Version 1")
    opening = forum.opening(topic)
    browser.login(alice)
    response = browser.post(f"/message/{opening.id}/modifier", {"title": "Titre corrigé", "body": "Version 2",
                                                                 "submit": "1"})
    assert response.status_code == 303
    html = text(browser.get(f"/sujet/{topic.id}"))
    assert "Titre corrigé" in html and "Version 2" in html and ">modifié</a>" in html
    versions = text(browser.get(f"/message/{opening.id}/versions"))
    assert "Version 1" in versions and "Version 2" in versions
    with app.app_context():
        assert db.session.scalar(select(func.count(PostRevision.id)).where(PostRevision.post_id == opening.id)) == 2

    browser.logout()
    browser.login(bob)
    assert browser.get(f"/message/{opening.id}/modifier").status_code == 403
    assert browser.post(f"/message/{opening.id}/modifier", {"body": "piraté", "submit": "1"}).status_code == 403


def test_soft_delete_keeps_the_tree(forum, browser, setting, app):
    space, _, alice, bob = setting
    topic = forum.topic(alice, space)
    mine = forum.reply(bob, topic, "Texte qui sera retiré")
    answer = forum.reply(alice, topic, "Réponse à ce texte", parent=mine)
    browser.login(bob)
    assert browser.post(f"/message/{mine.id}/supprimer", {"submit": "1"}).status_code == 303
    browser.logout()
    html = text(browser.get(f"/sujet/{topic.id}"))
    assert "Message supprimé par son auteur." in html
    assert "Texte qui sera retiré" not in html
    assert "Réponse à ce texte" in html
    with app.app_context():
        stored = db.session.get(Post, mine.id)
        assert stored.state == "deleted" and stored.source == "Texte qui sera retiré"
        assert db.session.get(Topic, topic.id).reply_count == 1
        assert db.session.get(Post, answer.id).parent_id == mine.id


def test_domain_refusals(forum, setting, app):
    space, _, alice, bob = setting
    topic = forum.topic(alice, space)
    with app.app_context():
        topic_row = db.session.get(Topic, topic.id)
        topic_row.status = "closed"
        db.session.commit()
        with pytest.raises(Forbidden):
            posting.reply(db.session.get(type(bob), bob.id), topic_row, "Trop tard")
        with pytest.raises(Invalid) as refusal:
            posting.start_topic(db.session.get(type(bob), bob.id), db.session.get(Space, space.id), "ok",
                                "", ["nope"])
        assert set(refusal.value.fields) == {"title", "body", "tags"}


def test_another_member_neither_edits_nor_deletes_and_is_told_why(forum, setting, app):
    space, _, alice, bob = setting
    topic = forum.topic(alice, space, "Le sujet d'Alice", "Le texte d'Alice")
    opening = forum.opening(topic)
    with app.app_context():
        intruder, post = db.session.get(type(bob), bob.id), db.session.get(Post, opening.id)
        with pytest.raises(Forbidden) as refusal:
            posting.edit_post(intruder, post, "Réécrit par Bob", "Titre de Bob")
        assert refusal.value.message == "Vous ne pouvez pas modifier ce message."
        with pytest.raises(Forbidden) as refusal:
            posting.delete_post(intruder, post)
        assert refusal.value.message == "Vous ne pouvez pas supprimer ce message."
    with app.app_context():
        post = db.session.get(Post, opening.id)
        assert (post.source, post.state, post.revision_count) == ("Le texte d'Alice", "visible", 1)
        assert db.session.get(Topic, topic.id).title == "Le sujet d'Alice"


def test_concurrent_numbers_stay_unique(forum, setting, app):
    """Numbers come from an atomic increment: eight replies sent at once by eight threads, each
    in its own session and connection, still get eight distinct numbers in a row."""
    space, _, alice, bob = setting
    topic = forum.topic(alice, space)
    start = threading.Barrier(8)
    failures = []

    def write(index):
        start.wait()
        try:
            forum.reply(bob if index % 2 else alice, topic, f"R{index}")
        except Exception as error:   # noqa: BLE001 - reported below, with the thread's index
            failures.append((index, repr(error)))

    threads = [threading.Thread(target=write, args=(index,)) for index in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    with app.app_context():
        numbers = db.session.scalars(select(Post.number).where(Post.topic_id == topic.id)
                                     .order_by(Post.number)).all()
        assert numbers == list(range(1, 10))
        data = reading.topic_page(None, db.session.get(Topic, topic.id))
        assert len(data["replies"]) == 8


@pytest.mark.parametrize("before, after, allowed", [
    ("Mme D., qui habite rue des Lilas, attend son RSA.", "Mme D., attend son RSA.", True),
    ("Appelez-moi au 06 12 34 56 78 demain.", "Appelez-moi demain.", True),
    ("Un paragraphe.\n\nUn autre, avec jean@exemple.fr.", "Un paragraphe.\nUn autre, avec", True),  # blanks change
    ("Un texte court.", "Un texte court.", True),
    ("Un texte court.", "Un texte court. Et ajouté.", False),         # a word added
    ("Mme Dupont attend.", "Mme Martin attend.", False),             # a word replaced
    ("Mme Dupont attend.", "Mme Dup attend.", False),                # a word shortened is a new word
    ("Un deux trois.", "trois. deux Un", False),                     # the order changed
    ("Un texte.", "Un texte.\n\n![photo](/fichiers/1/photo.jpg)", False),   # a file attached
])
def test_what_counts_as_only_removing(before, after, allowed):
    assert posting.removes_only(before, after) is allowed


def _silence(app, member):
    from datetime import timedelta

    from forum.accounts.models import Member
    from forum.clock import now
    with app.app_context():
        db.session.get(Member, member.id).silenced_until = now() + timedelta(days=2)
        db.session.commit()


def test_a_read_only_member_may_remove_words_from_their_post_but_not_add(forum, browser, setting, app):
    space, _, alice, bob = setting
    topic = forum.topic(alice, space, "Le RSA de Mme D. à Marseille", "Mme D., qui habite rue des Lilas, attend.")
    opening = forum.opening(topic)
    _silence(app, alice)
    browser.login(alice)
    page = text(browser.get(f"/sujet/{topic.id}"))
    assert ">Retirer du texte</a>" in page and ">Modifier</a>" not in page
    assert "Votre compte est en lecture seule : vous pouvez retirer des mots" in \
        text(browser.get(f"/message/{opening.id}/modifier"))
    added = browser.post(f"/message/{opening.id}/modifier", {"title": "Le RSA de Mme D. à Marseille",
                                                             "body": "Mme D. attend. Et j'ajoute ceci.", "submit": "1"})
    assert added.status_code == 403 and "mais pas en ajouter ni en changer" in text(added)
    assert "Mme D. attend. Et j&#39;ajoute ceci." in added.get_data(as_text=True)   # what was typed stays
    retitled = browser.post(f"/message/{opening.id}/modifier", {"title": "Le RSA de Mme D. à Nice",
                                                                "body": "Mme D., attend.", "submit": "1"})
    assert retitled.status_code == 403
    removed = browser.post(f"/message/{opening.id}/modifier", {"title": "Le RSA à Marseille",
                                                               "body": "Mme D., attend.", "submit": "1"})
    assert removed.status_code == 303
    with app.app_context():
        post = db.session.get(Post, opening.id)
        assert (post.source, post.topic.title, post.revision_count) == ("Mme D., attend.", "Le RSA à Marseille", 2)
    # Replying and opening a topic stay closed, and the page says why rather than offering an empty form.
    assert browser.post(f"/sujet/{topic.id}/repondre", {"body": "Je réponds.", "submit": "1"}).status_code == 403
    closed = text(browser.get("/nouveau-sujet"))
    assert 'id="sujet-ferme"' in closed and "Votre compte est en lecture seule jusqu'au" in closed
    assert 'name="space"' not in closed and ">Nouveau sujet</a>" not in closed


def _refusal(call, *args, **kwargs):
    with pytest.raises(Invalid) as refusal:
        call(*args, **kwargs)
    return refusal.value.fields, refusal.value.status


def test_the_body_and_title_rules_answer_word_for_word_on_their_field(app):
    """``clean_body`` and ``clean_title``, the one place for these limits, at each edge."""
    low, high, most = (app.config[name] for name in ("TITLE_MIN_CHARS", "TITLE_MAX_CHARS", "POST_MAX_CHARS"))
    with app.test_request_context():
        # Blank lines around go, and only them (an X or a space that begins the text stays).
        assert posting.clean_body("\n\nX marque l'endroit. X\n\n") == "X marque l'endroit. X"
        assert posting.clean_body(" Indenté\n") == " Indenté"
        assert _refusal(posting.clean_body, " \n \n") == ({"body": "Le message est vide : écrivez quelques mots."}, 422)
        assert _refusal(posting.clean_body, "", field="comment")[0] == {
            "comment": "Le message est vide : écrivez quelques mots."}
        assert posting.clean_body("é" * most) == "é" * most
        assert _refusal(posting.clean_body, "é" * (most + 1)) == (
            {"body": f"Le message est trop long ({most + 1} caractères, {most} au plus)."}, 422)
        assert posting.clean_title("  t" + "t" * (low - 1) + "  ") == "t" * low
        assert _refusal(posting.clean_title, "t" * (low - 1)) == (
            {"title": f"Le titre est trop court ({low} caractères au moins)."}, 422)
        assert posting.clean_title("t" * high) == "t" * high
        assert _refusal(posting.clean_title, "t" * (high + 1)) == (
            {"title": f"Le titre est trop long ({high} caractères au plus)."}, 422)


def test_a_read_only_member_takes_words_out_of_a_reply_or_of_an_opening_left_untitled(app, forum, setting):
    from forum.accounts.models import Member
    space, _, alice, bob = setting
    topic = forum.topic(alice, space, "Le RSA de Mme D.", "Mme D., qui habite rue des Lilas, attend.")
    reply = forum.reply(alice, topic, "Je connais Mme D. au 06 12 34 56 78.")
    _silence(app, alice)
    with app.test_request_context():
        member = db.session.get(Member, alice.id)
        opening = db.session.get(Post, forum.opening(topic).id)
        assert posting.edit_post(member, db.session.get(Post, reply.id), "Je connais Mme D.").source == \
            "Je connais Mme D."
        assert posting.edit_post(member, opening, "Mme D., attend.").source == "Mme D., attend."
        assert opening.topic.title == "Le RSA de Mme D."
        assert _refusal(posting.edit_post, member, db.session.get(Post, reply.id), "Je connais Mme D. et M. D.") == (
            {"body": "Votre compte est en lecture seule : vous pouvez retirer des mots de votre message (des "
                     "données personnelles, par exemple), mais pas en ajouter ni en changer."}, 403)


def test_an_edit_shows_the_guards_who_edits_what_and_where(app, forum, setting):
    """Guards (moderation's and any later one) are told of an edit as of a new post: the editor,
    the space, topic and parent, the new text, and the post being edited."""
    from forum.accounts.models import Member
    space, _, alice, bob = setting
    topic = forum.topic(alice, space, "Les permanences du samedi", "Qui tient la permanence ?")
    reply = forum.reply(bob, topic, "Moi, le premier samedi.")
    answer = forum.reply(alice, topic, "Merci !", parent=reply)
    seen = []
    posting.register_guard(app, seen.append)
    with app.test_request_context():
        posting.edit_post(db.session.get(Member, alice.id), db.session.get(Post, answer.id), "Merci beaucoup !")
        [attempt] = seen
        assert (attempt.author.id, attempt.space.id, attempt.topic.id, attempt.parent.id, attempt.title,
                attempt.body, attempt.editing.id) == (alice.id, space.id, topic.id, reply.id, None,
                                                      "Merci beaucoup !", answer.id)


def test_two_members_naming_the_same_new_tag_at_once_both_get_it(app, forum):
    """Tags are created while posting: two topics naming one new tag at the same instant share
    one tag, counted twice, and neither author gets an error (slugs are unique)."""
    from forum.accounts.models import Member
    from forum.text.slugs import slugify

    space = forum.space("Accès aux droits")
    members = [forum.member(f"Nommeur{i}") for i in range(2)]
    for round_ in range(4):
        name = f"Mobilité solidaire {round_}"
        barrier = threading.Barrier(len(members))
        outcomes = []

        def start(member_id, name=name, barrier=barrier, outcomes=outcomes, round_=round_):
            with app.app_context():
                member, where = db.session.get(Member, member_id), db.session.get(Space, space.id)
                barrier.wait()
                try:
                    posting.start_topic(member, where, f"Covoiturage vers le comité, tour {round_} ({member_id})",
                                        "Qui part de Digne jeudi pour la plénière ?", new_tags=name)
                    outcomes.append("publié")
                except Exception as error:   # anything else is the bug this test is about
                    db.session.rollback()
                    outcomes.append(repr(error))
        threads = [threading.Thread(target=start, args=(member.id,)) for member in members]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert outcomes == ["publié", "publié"]
        with app.app_context():
            tags = db.session.scalars(select(Tag).where(Tag.slug == slugify(name, 60))).all()
            assert [(tag.name, tag.topic_count) for tag in tags] == [(name, 2)]
