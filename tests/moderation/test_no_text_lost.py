"""No moderation path deletes a row of post text: walk every action and every reversal."""
from sqlalchemy import select

from forum.extensions import db
from forum.topics.models import Post
from moderation import (appeals, deciding, post_decisions, reporting, sanctions, settings,
                        topic_decisions)
from moderation.models import Decision

from .conftest import counts, text_snapshot


def test_every_action_and_reversal_keeps_every_post_and_revision(world, forum, act, app):
    a = world.articles
    branch = forum.reply(world.carol, world.topic13, "Une branche à détacher", world.reply13)
    leaf = forum.reply(world.dave, world.topic13, "Sous la branche", branch)
    act(settings.save_for_space, world.coordinator, world.c13, 3, 1)
    newcomer = forum.member("Nouvelle", committees=[world.c13])
    pending = forum.reply(newcomer, world.topic13, "Premier message en attente")
    pending2 = forum.reply(newcomer, world.topic13, "Deuxième message en attente")

    steps = [
        lambda: act(reporting.report_post, world.alice, world.reply13, a[2]),
        lambda: act(reporting.report_post, world.carol, world.reply13, "third_party"),
        lambda: act(reporting.report_post, world.dave, world.reply13, "other", "Hors sujet"),   # threshold: hold
        lambda: act(post_decisions.dismiss, world.mod13, world.reply13, "Rien à redire."),
        lambda: act(post_decisions.hide, world.mod13, world.reply13, [a[2]], "Tiers reconnaissable."),
        lambda: act(post_decisions.restore, world.mod13b, world.reply13, "Rétabli."),
        lambda: act(post_decisions.edit, world.mod13, world.reply13, "Texte anonymisé.", None, [a[2]], "Anonymisé."),
        lambda: act(deciding.reverse, world.mod13b, last("edit"), "Annulation de la modification."),
        lambda: act(post_decisions.approve, world.mod13, pending, "Bienvenue."),
        lambda: act(post_decisions.reject, world.mod13, pending2, [a[3]], "Hors sujet."),
        lambda: act(deciding.reverse, world.mod13b, last("reject"), "Finalement à sa place."),
        lambda: act(deciding.reverse, world.mod13b, last("approve"), "Finalement non.", [a[3]]),
        lambda: act(topic_decisions.lock_topic, world.mod13, world.topic13, [a[3]], "Clos."),
        lambda: act(topic_decisions.unlock_topic, world.mod13b, world.topic13, "Rouvert."),
        lambda: act(topic_decisions.move_topic, world.coordinator, world.topic13, world.theme, [a[3]], "Déplacé."),
        lambda: act(deciding.reverse, world.coordinator, last("move"), "Revenu."),
        lambda: act(topic_decisions.split, world.mod13, branch, "Une branche détachée", [a[3]], "Autre sujet."),
        lambda: act(deciding.reverse, world.mod13b, last("split"), "Rattachée."),
        lambda: act(topic_decisions.set_slow_mode, world.mod13, world.topic13, 15, [a[1]], "Calme."),
        lambda: act(topic_decisions.end_slow_mode, world.mod13b, world.topic13, "Fin."),
        lambda: act(sanctions.warn, world.mod13, world.bob, [a[1]], "Attention.", post=world.reply13),
        lambda: act(deciding.reverse, world.mod13b, last("warn"), "Retiré."),
        lambda: act(sanctions.sanction, world.coordinator, world.bob, "silence", 1, "jours", [a[1]], "Calme."),
        lambda: act(sanctions.lift, world.coordinator, world.bob, "silence", "Levé."),
        lambda: act(sanctions.sanction, world.coordinator, world.bob, "suspend", 1, "jours", [a[1]], "Pause."),
        lambda: act(deciding.reverse, world.coordinator, last("suspend"), "Levée."),
        lambda: act(post_decisions.hide, world.mod13, world.reply13, [a[2]], "Masqué à nouveau."),
        lambda: act(appeals.file_appeal, world.bob, last("hide"), "Je conteste ce masquage, merci."),
        lambda: act(appeals.resolve, world.coordinator, open_appeal(), "reverse", "Recours accepté."),
    ]

    def last(action):
        with app.app_context():
            from ..helpers import detach
            return detach(db.session.scalars(select(Decision).where(Decision.action == action)
                                             .order_by(Decision.id.desc()).limit(1)).one())

    def open_appeal():
        from moderation.models import Appeal

        from ..helpers import detach
        with app.app_context():
            return detach(db.session.scalars(select(Appeal).where(Appeal.status == "open")).one())

    texts, revisions = text_snapshot(app)
    previous = counts(app)
    for number, step in enumerate(steps, start=1):
        step()
        now_counts = counts(app)
        assert now_counts[0] >= previous[0] and now_counts[1] >= previous[1], f"step {number} lost a row"
        after_texts, after_revisions = text_snapshot(app)
        # No revision is ever rewritten or removed; a post's text changes only by a moderator's edit,
        # which adds the revision holding the new text.
        assert all(after_revisions.get(key) == source for key, source in revisions.items()), f"step {number}"
        for post_id, source in texts.items():
            if after_texts[post_id] != source:
                latest = max(n for (p, n) in after_revisions if p == post_id)
                assert after_revisions[(post_id, latest)] == after_texts[post_id], f"step {number}"
                assert (post_id, latest) not in revisions, f"step {number}"
        texts, revisions, previous = after_texts, after_revisions, now_counts

    with app.app_context():
        done = set(db.session.scalars(select(Decision.action)))
        post = db.session.get(Post, world.reply13.id)
        assert post.state == "visible" and "rue des Lilas" in post.source
    assert done >= {"hold", "dismiss", "hide", "restore", "edit", "revert_edit", "approve", "reject", "lock",
                    "unlock", "move", "split", "merge", "slow_mode", "slow_mode_off", "warn", "withdraw_warning",
                    "silence", "suspend", "lift"}
    assert leaf
