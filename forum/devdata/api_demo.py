"""API keys in the demo (forum/api/): the comité 13's moderator has a read key for the comité's
dashboard, used yesterday, and a read and write key of a bot tried once and revoked. The keys
themselves are random and shown to nobody: only their hash is kept, as always."""
from datetime import timedelta

from sqlalchemy import select

from forum.accounts.models import Member
from forum.api import keys
from forum.api.key_models import READ, WRITE
from forum.clock import now
from forum.extensions import db


def seed():
    member = db.session.scalar(select(Member).where(Member.pseudonym == "Mod-13"))
    if member is None:
        return
    dashboard, _key = keys.create(member, READ, "Tableau de bord du comité 13")
    bot, _key = keys.create(member, WRITE, "Robot des comptes rendus (essai)")
    moment = now()
    dashboard.created_at, dashboard.last_used_at = moment - timedelta(days=40), moment - timedelta(days=1)
    bot.created_at, bot.last_used_at = moment - timedelta(days=20), moment - timedelta(days=19)
    db.session.commit()
    keys.revoke(member, bot.id)
