"""The demo's part of the ways back in: a newcomer who registered and has not yet opened the
confirmation link (its email is in the instance's mail folder, or the SMTP server's)."""
from datetime import timedelta

from forum.accounts import membership, welcome
from forum.accounts.models import Member
from forum.clock import now
from forum.extensions import db
from forum.text.pseudonyms import pseudonym_key

NEWCOMER = ("Lucie.B", "lucie.b@demo.agora.localhost")


def seed(password_hash, college, committees):
    """Lucie.B logs in with the demo password only after confirming her address: the login page
    then offers "Renvoyer le lien de confirmation"."""
    pseudonym, email = NEWCOMER
    moment = now() - timedelta(hours=3)
    member = Member(pseudonym=pseudonym, pseudonym_key=pseudonym_key(pseudonym), email=email,
                    password_hash=password_hash, college=college, college_confirmed=False, show_college=True,
                    created_at=moment, convention_signed_at=moment, email_confirmation_required=True)
    db.session.add(member)
    db.session.flush()
    membership.request_college(member, college)   # as registration does: asked, not granted
    for committee in committees:
        membership.request_committee(member, committee, commit=False)
    db.session.commit()
    welcome.send_confirmation(member)
    return member
