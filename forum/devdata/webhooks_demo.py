"""The demo's webhook (forum/webhooks/): the coordination's team chat told of new topics, closed
decisions and published syntheses. Made through the domain function as the administrator would,
then disabled by hand: its address does not exist, and the demo must send nothing anywhere."""
from sqlalchemy import select

from forum.accounts.models import Member
from forum.extensions import db
from forum.webhooks import managing
from forum.webhooks.models import DECISION_CLOSED, SYNTHESIS_PUBLISHED, TOPIC_CREATED


def seed():
    admin = db.session.scalar(select(Member).where(Member.pseudonym == "Admin-Agora"))
    webhook = managing.create(admin, managing.WebhookInput(
        url="https://messagerie.example.org/hooks/agora", name="Messagerie de l'équipe de coordination",
        events=[TOPIC_CREATED, DECISION_CLOSED, SYNTHESIS_PUBLISHED]))
    managing.disable(admin, webhook)
