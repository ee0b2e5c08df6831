"""What administrators do with webhooks: create, change (a new secret on demand), disable,
enable, delete, send a delivery again. Each act is checked (``rules.may_manage``), validated
(French messages at their field) and told to the audit log (``events.WebhookAdministered``,
recorded by moderation in the same transaction); the webhook keeps who made and last changed it.
"""
import secrets
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import update

from forum import events
from forum.clock import now
from forum.errors import Forbidden, Invalid, NotFound
from forum.extensions import db
from forum.topics.models import Space

from . import addresses, rules, sending
from .models import CLAIMED, EVENTS, NAME_MAX, PENDING, SKIPPED, Webhook, WebhookDelivery


@dataclass
class WebhookInput:
    url: str = ""
    name: str = ""
    events: list = field(default_factory=list)
    space_id: str = ""          # "" : no scope (what a visitor reads)


def new_secret():
    return secrets.token_hex(32)


def _require(actor):
    if not rules.may_manage(actor):
        raise Forbidden(_("Seuls les administrateurs gèrent les webhooks."))


def _space(chosen):
    if not chosen:
        return None
    space = db.session.get(Space, int(chosen)) if str(chosen).isdigit() and len(str(chosen)) < 10 else None
    if space is None or not rules.may_scope_to(space):
        raise Invalid({"space_id": _("Choisissez un espace non public, ou aucun.")})
    return space


def _validated(typed):
    errors = {}
    try:
        url = addresses.check_url(typed.url)
    except Invalid as refusal:
        errors.update(refusal.fields)
        url = None
    name = (typed.name or "").strip()
    if len(name) > NAME_MAX:
        errors["name"] = _("Ce nom est trop long (%(max)s caractères au plus).", max=NAME_MAX)
    chosen = [e for e in (typed.events or []) if e]
    if not chosen:
        errors["events"] = _("Choisissez au moins un événement.")
    elif any(e not in EVENTS for e in chosen) or len(chosen) > len(EVENTS):
        errors["events"] = _("Événement inconnu.")
    try:
        space = _space(typed.space_id)
    except Invalid as refusal:
        errors.update(refusal.fields)
        space = None
    if errors:
        raise Invalid(errors)
    return url, name, [e for e in EVENTS if e in chosen], space


def described(webhook):
    """What the audit log keeps of a webhook: never its secret."""
    return {"name": webhook.name, "url": webhook.url, "events": webhook.events, "space_id": webhook.space_id,
            "active": webhook.active}


def _audit(actor, webhook, action, before=None):
    events.publish(events.WebhookAdministered(actor_id=actor.id, webhook_id=webhook.id, action=action,
                                              before=before, after=described(webhook)))


def create(actor, typed):
    _require(actor)
    url, name, chosen, space = _validated(typed)
    webhook = Webhook(url=url, name=name, events=",".join(chosen), space=space, secret=new_secret(),
                      active=True, disabled_reason="", failures=0, created_at=now(), created_by_id=actor.id)
    db.session.add(webhook)
    db.session.flush()
    _audit(actor, webhook, "created")
    db.session.commit()
    return webhook


def update_webhook(actor, webhook, typed, renew_secret=False):
    _require(actor)
    url, name, chosen, space = _validated(typed)
    before = described(webhook)
    if (space.id if space else None) != webhook.space_id:
        # Waiting deliveries were written for what the old scope read: none of them leaves.
        db.session.execute(update(WebhookDelivery).where(WebhookDelivery.webhook_id == webhook.id,
                                                         WebhookDelivery.state.in_((PENDING, CLAIMED)))
                           .values(state=SKIPPED, error="portée changée : non envoyé")
                           .execution_options(synchronize_session=False))
    webhook.url, webhook.name, webhook.events, webhook.space = url, name, ",".join(chosen), space
    if renew_secret:
        webhook.secret = new_secret()
    webhook.updated_at, webhook.updated_by_id = now(), actor.id
    _audit(actor, webhook, "secret_renewed" if renew_secret else "changed", before)
    db.session.commit()
    return webhook


def disable(actor, webhook):
    _require(actor)
    if webhook.active:
        sending.disable(webhook, "", now())
        webhook.updated_at, webhook.updated_by_id = now(), actor.id
        _audit(actor, webhook, "disabled")
    db.session.commit()


def enable(actor, webhook):
    """Back on by hand (after an automatic stop too): the count of failures starts again."""
    _require(actor)
    if not webhook.active:
        webhook.active, webhook.failures, webhook.disabled_reason, webhook.disabled_at = True, 0, "", None
        webhook.updated_at, webhook.updated_by_id = now(), actor.id
        _audit(actor, webhook, "enabled")
    db.session.commit()


def delete(actor, webhook):
    _require(actor)
    _audit(actor, webhook, "deleted", described(webhook))
    db.session.delete(webhook)
    db.session.commit()


def resend(actor, webhook, delivery_id):
    """The same event (same body, same X-Discourse-Event-Id) queued again for ``webhook``."""
    _require(actor)
    delivery = db.session.get(WebhookDelivery, delivery_id)
    if delivery is None or delivery.webhook_id != webhook.id:
        raise NotFound(_("Cet envoi n'existe pas."))
    if not webhook.active:
        raise Invalid(_("Ce webhook est désactivé : réactivez-le avant de renvoyer."), status=409)
    copy = WebhookDelivery(webhook_id=webhook.id, event=delivery.event, event_id=delivery.event_id,
                           subject_type=delivery.subject_type, subject_id=delivery.subject_id,
                           payload=delivery.payload, state=PENDING, attempts=0, created_at=now(), due_at=now())
    db.session.add(copy)
    db.session.flush()
    _audit(actor, webhook, "resent")
    db.session.commit()
    return copy
