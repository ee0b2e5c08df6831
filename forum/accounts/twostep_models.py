"""The tables of two-step login: a member's TOTP secret, and their recovery codes (hashed)."""
from sqlalchemy import BigInteger, Column, DateTime, ForeignKey, Integer, String

from forum.clock import now
from forum.extensions import db


class TwoStepLogin(db.Model):
    """Two-step login is on for a member while this row exists (made once a first code proved
    the authenticator app holds the secret)."""
    __tablename__ = "two_step_login"
    __page_cache__ = "private"   # public pages never show it (forum/web/page_cache.py)

    member_id = Column(ForeignKey("member.id", ondelete="CASCADE"), primary_key=True)
    # The base32 TOTP secret: the server must compute the same codes as the app, so it is kept
    # as is (like the password-reset secret of any site: whoever reads the table already won).
    secret = Column(String(64), nullable=False)
    # The last 30-second time step a code was accepted for: a code never works twice.
    last_time_step = Column(BigInteger, nullable=True)
    enabled_at = Column(DateTime, nullable=False, default=now)


class RecoveryCode(db.Model):
    """One of the ten codes that replace the app once each; only their SHA-256 is kept (they are
    64 random bits, so a slow hash would add nothing but seconds at login)."""
    __tablename__ = "two_step_recovery_code"
    __page_cache__ = "private"

    id = Column(Integer, primary_key=True)
    member_id = Column(ForeignKey("member.id", ondelete="CASCADE"), nullable=False, index=True)
    code_hash = Column(String(64), nullable=False)
    created_at = Column(DateTime, nullable=False, default=now)
