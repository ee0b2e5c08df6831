"""/coordination/webhooks: the administrators' pages (list, create, change, log, acts)."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from forum.extensions import db
from forum.web.forms import ConfirmForm, require_confirmation, submit

from . import display, managing, rules
from .forms import EVENT_LABELS, WebhookForm
from .models import Webhook

bp = Blueprint("webhooks", __name__, url_prefix="/coordination/webhooks")


@bp.before_request
@login_required
def require_administrator():
    if not rules.may_manage(current_user):
        abort(403)


def _found(webhook_id):
    return db.session.get(Webhook, webhook_id) or abort(404)


@bp.route("/")
def index():
    return render_template("webhooks/index.html", webhooks=display.listing(), labels=EVENT_LABELS)


def _form(webhook):
    form = WebhookForm()
    form.space_id.choices = display.scope_choices()
    if request.method == "GET" and webhook is not None:
        form.name.data, form.url.data, form.events.data = webhook.name, webhook.url, webhook.event_list
        form.space_id.data = str(webhook.space_id or "")
    return form


def _typed(form):
    return managing.WebhookInput(url=form.url.data, name=form.name.data, events=form.events.data,
                                 space_id=form.space_id.data)


@bp.route("/nouveau", methods=["GET", "POST"])
def create():
    form = _form(None)
    submission = submit(form, lambda: managing.create(current_user, _typed(form)))
    if submission.done:
        flash(_("Webhook créé. Donnez son secret au récepteur pour qu'il vérifie chaque envoi."))
        return redirect(url_for("webhooks.show", webhook_id=submission.value.id), 303)
    return render_template("webhooks/form.html", form=form, webhook=None), submission.status


@bp.route("/<int:webhook_id>/modifier", methods=["GET", "POST"])
def edit(webhook_id):
    webhook = _found(webhook_id)
    form = _form(webhook)
    submission = submit(form, lambda: managing.update_webhook(current_user, webhook, _typed(form),
                                                              renew_secret=form.renew_secret.data))
    if submission.done:
        flash(_("Enregistré."))
        return redirect(url_for("webhooks.show", webhook_id=webhook.id), 303)
    return render_template("webhooks/form.html", form=form, webhook=webhook), submission.status


@bp.route("/<int:webhook_id>")
def show(webhook_id, error=None, status=200):
    webhook = _found(webhook_id)
    return render_template("webhooks/webhook.html", webhook=webhook, labels=EVENT_LABELS, form=ConfirmForm(),
                           log=display.delivery_log(webhook), error=error), status


_ACTS = {"desactiver": managing.disable, "reactiver": managing.enable}


@bp.post("/<int:webhook_id>/<any(desactiver, reactiver):act>")
def switch(webhook_id, act):
    webhook = _found(webhook_id)
    require_confirmation()
    _ACTS[act](current_user, webhook)
    flash(_("Webhook désactivé.") if act == "desactiver" else _("Webhook réactivé."))
    return redirect(url_for("webhooks.show", webhook_id=webhook.id), 303)


@bp.post("/<int:webhook_id>/supprimer")
def delete(webhook_id):
    webhook = _found(webhook_id)
    require_confirmation()
    managing.delete(current_user, webhook)
    flash(_("Webhook supprimé."))
    return redirect(url_for("webhooks.index"), 303)


@bp.post("/<int:webhook_id>/envois/<int:delivery_id>/renvoyer")
def resend(webhook_id, delivery_id):
    webhook = _found(webhook_id)
    form = ConfirmForm()
    submission = submit(form, lambda: managing.resend(current_user, webhook, delivery_id))
    if submission.done:
        flash(_("Envoi remis dans la file : il part dans un instant."))
        return redirect(url_for("webhooks.show", webhook_id=webhook.id), 303)
    if submission.status == 404:
        abort(404)
    return show(webhook_id, error=" ".join(form.form_errors) or _("Formulaire expiré : recommencez."),
                status=submission.status)
