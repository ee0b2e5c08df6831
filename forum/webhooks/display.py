"""The webhooks' pages as plain data: the list, the scope's choices, a webhook's delivery log."""
from flask_babel import gettext as _
from sqlalchemy import func, select

from forum.extensions import db
from forum.topics.models import Space

from . import rules
from .models import Webhook, WebhookDelivery

LOG_ROWS = 100


def listing():
    """Every webhook, with the time and result of its last delivery."""
    webhooks = db.session.scalars(select(Webhook).order_by(Webhook.id)).all()
    last = dict(db.session.execute(select(WebhookDelivery.webhook_id, func.max(WebhookDelivery.last_attempt_at))
                                   .group_by(WebhookDelivery.webhook_id)).all())
    return [(webhook, last.get(webhook.id)) for webhook in webhooks]


def scope_choices():
    spaces = db.session.scalars(select(Space).order_by(Space.position, Space.name)).all()
    return [("", _("Aucune : seulement ce qu'un visiteur sans compte peut lire"))] + \
        [(str(space.id), space.name) for space in spaces if rules.may_scope_to(space)]


def delivery_log(webhook):
    """The newest deliveries of ``webhook`` first (the log is pruned after WEBHOOK_LOG_DAYS)."""
    return db.session.scalars(select(WebhookDelivery).where(WebhookDelivery.webhook_id == webhook.id)
                              .order_by(WebhookDelivery.created_at.desc(), WebhookDelivery.id.desc())
                              .limit(LOG_ROWS)).all()
