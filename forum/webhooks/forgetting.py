"""An erased member leaves the webhooks' logs: the deliveries that name them (their joining,
their posts, their topics) are deleted in the erasure's transaction, sent or not."""
from sqlalchemy import and_, delete, or_, select

from forum.extensions import db
from forum.topics.models import Post, Topic

from .models import WebhookDelivery


def on_member_erased(event):
    member_id = event.member_id
    db.session.execute(delete(WebhookDelivery).where(or_(
        and_(WebhookDelivery.subject_type == "member", WebhookDelivery.subject_id == member_id),
        and_(WebhookDelivery.subject_type == "post",
             WebhookDelivery.subject_id.in_(select(Post.id).where(Post.author_id == member_id))),
        and_(WebhookDelivery.subject_type == "topic",
             WebhookDelivery.subject_id.in_(select(Topic.id).where(Topic.author_id == member_id)))))
        .execution_options(synchronize_session=False))
