"""The one short email that tells a member why their emailed reply was not posted.

In the member's language, with what to do. Sent to a member's own account address only: a
stranger using a reply address (or forging a member's) is not written to, so that the forum
never sends mail to someone who did not write (backscatter). At most one answer per address
and reason a day: two forums, or a robot missed by ``parsing.is_automatic``, cannot loop.
"""
import logging
from datetime import timedelta

from sqlalchemy import func, select

from forum.accounts import mailer
from forum.clock import now
from forum.extensions import db
from forum.notifications import mail

from .models import InboundEmail

log = logging.getLogger(__name__)
N_ = mailer.N_

# reason: (what went wrong, what to do), translated when the answer is written
REASONS = {
    "too_large": (N_("Votre courriel est trop volumineux pour être publié."),
                  N_("Retirez les pièces jointes et répondez de nouveau, ou répondez sur le site.")),
    "unreadable": (N_("Votre courriel n'a pas pu être lu (son format est abîmé)."),
                   N_("Répondez de nouveau, en texte simple si possible, ou répondez sur le site.")),
    "expired": (N_("L'adresse de réponse que vous avez utilisée a expiré."),
                N_("Répondez sur le site, en suivant le lien du message ; les prochains courriels "
                   "auront une nouvelle adresse.")),
    "wrong_sender": (N_("Vous avez répondu depuis une adresse qui n'est pas celle de votre compte."),
                     N_("Répondez depuis l'adresse de votre compte Agora, ou répondez sur le site.")),
    "empty": (N_("Votre réponse est vide une fois retirés le message cité et la signature."),
              N_("Écrivez votre réponse au-dessus du message cité, puis envoyez-la de nouveau.")),
    "gone": (N_("Le message auquel vous répondez n'existe plus ou ne vous est plus visible."),
             N_("Rendez-vous sur le site pour voir où en est la discussion.")),
    "refused": (N_("Votre réponse n'a pas été publiée :"),
                N_("Rendez-vous sur le site : votre texte est repris ci-dessous, rien n'est perdu.")),
    "unknown_address": (N_("L'adresse à laquelle vous avez écrit n'est pas une adresse de réponse valable."),
                        N_("Utilisez le lien « Répondre par courriel » d'une notification récente, ou "
                           "répondez sur le site.")),
    "inactive": (N_("Votre compte n'est pas actif."), N_("Écrivez à la coordination.")),
    "too_many": (N_("Vous avez publié beaucoup de messages en peu de temps : celui-ci n'a pas été publié."),
                 N_("Attendez un peu, puis envoyez-le de nouveau ; votre texte est repris ci-dessous.")),
    "suspended": (N_("Votre compte est suspendu : vous ne pouvez pas publier pour le moment."),
                  N_("Vous pouvez écrire à la coordination depuis la page de connexion.")),
}


def already_answered(address, reason):
    since = now() - timedelta(days=1)
    return bool(db.session.scalar(select(func.count(InboundEmail.id)).where(
        func.lower(InboundEmail.sender) == address.lower(), InboundEmail.reason == reason,
        InboundEmail.answered.is_not(None), InboundEmail.answered >= since)))


def answer(member, reason, detail="", body="", subject="", in_reply_to=""):
    """Email ``member`` why their reply was refused; True if it was sent."""
    _ = mail.gettext_for(member.locale)
    what, todo = REASONS[reason]
    title = _("Votre réponse par courriel n'a pas été publiée")
    text, html = mail.render("inbound_refused", locale=member.locale, member=member, subject=title,
                             what=_(what), detail=detail, todo=_(todo), body=body[:5000],
                             original_subject=subject, site_url=mail.absolute_url("topics.home"))
    headers = {"Auto-Submitted": "auto-replied"}       # RFC 3834 §5: an answer to a message
    if in_reply_to and in_reply_to.isascii() and "\n" not in in_reply_to:
        headers["In-Reply-To"] = in_reply_to
        headers["References"] = in_reply_to
    message = mail.build(member, "[Agora] " + title, text, html, category="courriel-entrant",
                         extra_headers=headers)
    mailer.send_now(message)
    return True
