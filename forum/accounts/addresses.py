"""Changing a member's email address: the new address is verified before it counts.

Asking sends a link to the new address (``tokens.EMAIL``: 48 hours, once) and tells the old
address of the request; the address changes only when the link is followed, and the old address
is told again. An address that is already another account's gets the same answer, and its
owner an email: the form tells no one who is a member. An administrator may ask for a member
(``change_email(admin, member, …)``): both addresses are told who asked.
"""
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash

from forum import clock
from forum.errors import Conflict, Forbidden, Invalid
from forum.extensions import db
from forum.notifications import mail

from . import mailer, recovery, registration, tokens
from .mailer import N_
from .models import Member


def _valid_address(email):
    address = registration.normalize_email(email)
    if not registration.EMAIL_PATTERN.match(address) or len(address) > 254:
        raise Invalid({"email": _("Cette adresse électronique n'est pas valide (exemple : prenom@exemple.fr).")})
    return address


def request_change(member, password, new_email):
    """The settings form: the current password, then ``change_email`` by the member themself."""
    if not check_password_hash(member.password_hash, password or ""):
        raise Invalid({"current_password": _("Le mot de passe actuel ne correspond pas.")})
    return change_email(member, member, new_email)


def change_email(actor, member, new_email):
    """Start changing ``member``'s address to ``new_email`` (asked by ``actor``: the member, or
    an administrator). Sends the verification link and the notices; changes nothing yet.
    The same answer (None) whether or not the address is free."""
    if actor.id != member.id and not actor.is_admin:
        raise Forbidden(_("Seule l'administration peut changer l'adresse d'un autre membre."))
    address = _valid_address(new_email)
    if address == member.email:
        raise Invalid({"email": _("C'est déjà l'adresse de ce compte.")})
    by_admin = actor.id != member.id
    if not recovery.account_allows(member):
        return None   # the limit of emails to this account: nothing more, silently
    owner = recovery.find_by_email(address)
    if owner is not None:
        mailer.send_soon(_in_use_message(owner))
    else:
        token = tokens.issue(tokens.EMAIL, m=member.id, o=member.email, e=address)
        mailer.send_soon(_link_message(member, address, token, by_admin))
    mailer.send_soon(_notice(member, address, by_admin, done=False))
    return None


def check_change(token):
    """(member, new address) of a change link that may still serve (nothing spent)."""
    payload = tokens.read(tokens.EMAIL, token)
    member = db.session.get(Member, payload.get("m")) if isinstance(payload.get("m"), int) else None
    if member is None or member.email != payload.get("o") or not isinstance(payload.get("e"), str):
        raise tokens.spent(tokens.EMAIL)   # the address changed since: this link is void
    return member, payload["e"]


def confirm_change(token):
    """Follow a change link: the address changes, the old one is told. Returns the member; commits."""
    member, address = check_change(token)
    tokens.spend(tokens.EMAIL, token)
    old = mailer.recipient(member)
    taken = Conflict({None: _("Cette adresse est entre-temps devenue celle d'un autre compte : "
                              "elle ne peut pas être la vôtre.")})
    if recovery.find_by_email(address) is not None:
        raise taken
    member.email, member.email_confirmed_at = address, clock.now()
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise taken from None
    db.session.commit()
    mailer.send_soon(_notice(old, address, by_admin=False, done=True))
    return member


# --- messages ------------------------------------------------------------------------------

def _link_message(member, address, token, by_admin):
    to = mailer.recipient(member, address)
    _ = mail.gettext_for(to.locale)
    first = (_("L'administration d'Agora a demandé que cette adresse devienne celle de votre compte. "
               "Pour la confirmer, ouvrez ce lien (valable 48 heures, une seule fois) :") if by_admin else
             _("Vous avez demandé que cette adresse devienne celle de votre compte Agora. Pour la "
               "confirmer, ouvrez ce lien (valable 48 heures, une seule fois) :"))
    return mailer.compose(to, "account_link", N_("Confirmez votre nouvelle adresse"),
                          url=mail.absolute_url("recovery.confirm_email_change", token=token),
                          button=_("Confirmer cette adresse"), paragraphs=[first],
                          footer=_("Vous n'avez rien demandé ? Ignorez ce courriel : rien ne changera."))


def _in_use_message(owner):
    _ = mail.gettext_for(owner.locale)
    return mailer.compose(owner, "account_link", N_("Votre adresse a été proposée pour un autre compte"),
                          url=None, button="",
                          paragraphs=[_("Quelqu'un a demandé que votre adresse devienne celle d'un autre "
                                        "compte Agora. Elle reste la vôtre : rien n'a changé sur votre "
                                        "compte.")],
                          footer=_("Si cela vous inquiète, changez votre mot de passe ou écrivez à "
                                   "la coordination."))


def _notice(member, address, by_admin, done):
    to = mailer.recipient(member) if isinstance(member, Member) else member
    _ = mail.gettext_for(to.locale)
    if done:
        subject, text = N_("Votre adresse a changé"), _(
            "L'adresse de votre compte Agora est désormais %(address)s. Ce courriel est le dernier "
            "envoyé à l'ancienne adresse.", address=address)
    elif by_admin:
        subject, text = N_("Changement d'adresse demandé"), _(
            "L'administration d'Agora a demandé que l'adresse de votre compte devienne "
            "%(address)s. Elle changera quand le lien envoyé à cette adresse sera ouvert.", address=address)
    else:
        subject, text = N_("Changement d'adresse demandé"), _(
            "Un changement de l'adresse de votre compte Agora vers %(address)s a été demandé. Elle "
            "changera quand le lien envoyé à cette adresse sera ouvert.", address=address)
    return mailer.compose(to, "account_link", subject, url=None, button="", paragraphs=[text],
                          footer=_("Ce n'était pas vous ? Changez votre mot de passe et écrivez à "
                                   "la coordination."))
