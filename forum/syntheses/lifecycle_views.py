"""A synthesis's life: review, approval (by a moderator, or by the comité's consent),
publication, transmission to the HCTS. Each is a button (POST), refused with the reason."""
from datetime import timedelta

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from forum.clock import now
from forum.dates import format_date
from forum.decisions.forms import paris_to_utc
from forum.errors import Invalid
from forum.web.forms import submit

from . import export, lifecycle, rules
from .blueprint import bp
from .forms import ConsentForm
from .responses import act, find, show_url


@bp.post("/synthese/<int:synthesis_id>/relecture", endpoint="ask_review")
@login_required
def ask_review(synthesis_id):
    synthesis = find(synthesis_id)
    return act(synthesis, lambda: lifecycle.ask_review(current_user, synthesis), show_url(synthesis, texte="en-cours"),
               _("La synthèse est en relecture : les membres de l'espace peuvent la lire et la commenter."))


@bp.post("/synthese/<int:synthesis_id>/valider", endpoint="approve")
@login_required
def approve(synthesis_id):
    synthesis = find(synthesis_id)
    return act(synthesis, lambda: lifecycle.approve(current_user, synthesis), show_url(synthesis, texte="en-cours"),
               _("La synthèse est validée. Elle peut maintenant être publiée."))


@bp.post("/synthese/<int:synthesis_id>/publier", endpoint="publish")
@login_required
def publish(synthesis_id):
    synthesis = find(synthesis_id)
    return act(synthesis, lambda: lifecycle.publish(current_user, synthesis), show_url(synthesis),
               _("La synthèse est publiée et annoncée aux comités."))


@bp.post("/synthese/<int:synthesis_id>/transmettre", endpoint="transmit")
@login_required
def transmit(synthesis_id):
    synthesis = find(synthesis_id)
    return act(synthesis, lambda: export.transmit(current_user, synthesis), show_url(synthesis),
               _("La version publiée est marquée transmise au HCTS ; les fichiers envoyés sont conservés."))


@bp.route("/synthese/<int:synthesis_id>/consentement", methods=["GET", "POST"], endpoint="consent")
@login_required
def consent(synthesis_id):
    synthesis = find(synthesis_id)
    form = ConsentForm()
    submission = submit(form, lambda: lifecycle.ask_consent(current_user, synthesis, _closing(form)))
    if submission.done:
        flash(_("La décision de validation est ouverte jusqu'au %(date)s : les membres du comité disent s'ils "
                "consentent. Close sans objection, elle valide la synthèse.", date=format_date(submission.value.closes_at)))
        return redirect(url_for("decisions.show", poll_id=submission.value.id), 303)
    status = submission.status if rules.can_approve(current_user, synthesis) else 403
    return render_template("syntheses/consent.html", synthesis=synthesis, form=form,
                           allowed=rules.can_approve(current_user, synthesis),
                           example=format_date(now() + timedelta(days=7))), status


def _closing(form):
    closes_at = paris_to_utc(form.closes_on.data, form.closes_time.data)
    if closes_at is False:
        raise Invalid({"closes_on": _("Une date (jj/mm/aaaa) et une heure (hh:mm) de clôture, s'il vous plaît.")})
    try:
        return lifecycle.check_closing(closes_at, now())
    except Invalid as refusal:
        raise Invalid({"closes_on": refusal.message}) from None
