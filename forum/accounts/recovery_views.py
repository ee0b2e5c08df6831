"""Pages of the ways back into an account: forgotten password, login link, confirmation sent
again, a new email address. A link from an email leads to a page with a button: a GET never
logs in nor changes anything (mail scanners open links)."""
from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from forum.extensions import limiter
from forum.web.forms import ConfirmForm, submit
from forum.web.ratelimits import (link_address_key, link_address_limit, link_network_limit, member_key,
                                  network_key, succeeded)

from . import addresses, recovery, signin, tokens
from .recovery_forms import EmailChangeForm, LinkLoginForm, LinkRequestForm, NewPasswordForm

bp = Blueprint("recovery", __name__)

# Where a refused link sends for a new one.
RENEW = {tokens.CONFIRM: "recovery.resend_confirmation", tokens.RESET: "recovery.forgot_password",
         tokens.LOGIN: "recovery.login_link", tokens.EMAIL: "recovery.email_settings"}

# The page each request form is, and the domain function that answers it.
REQUESTS = {"reset": recovery.request_reset, "login": recovery.request_login_link,
            "confirm": recovery.request_confirmation}


@bp.app_errorhandler(tokens.LinkRefused)
def link_refused(refusal):
    return render_template("link_refused.html", refusal=refusal, renew=RENEW.get(refusal.purpose)), \
        refusal.status


def limited(view):
    """Per network and per address typed, shared by the three requests (one inbox, one network):
    counted when a request was answered (a redirect), not when the form came back to be fixed."""
    view = limiter.shared_limit(link_address_limit, "email-links-address", key_func=link_address_key,
                                methods=["POST"], deduct_when=succeeded)(view)
    return limiter.shared_limit(link_network_limit, "email-links-network", key_func=network_key,
                                methods=["POST"], deduct_when=succeeded)(view)


def _ask(kind):
    """The form dance of the three requests for a link: the same answer for every address."""
    action = REQUESTS[kind]
    form = LinkRequestForm()
    if request.method == "GET":
        form.email.data = request.args.get("adresse", "")[:254]
    submission = submit(form, lambda: action(form.email.data))
    if submission.done:
        session["link_sent"] = kind
        return redirect(url_for("recovery.link_sent"), 303)
    return render_template("link_request.html", form=form, kind=kind), submission.status


@bp.route("/connexion/mot-de-passe-oublie", methods=["GET", "POST"])
@limited
def forgot_password():
    return _ask("reset")


@bp.route("/connexion/lien", methods=["GET", "POST"])
@limited
def login_link():
    return _ask("login")


@bp.route("/inscription/renvoyer", methods=["GET", "POST"])
@limited
def resend_confirmation():
    return _ask("confirm")


@bp.route("/connexion/courriel-envoye")
def link_sent():
    if session.get("link_sent") not in REQUESTS:
        return redirect(url_for("accounts.login"))
    return render_template("link_sent.html", kind=session["link_sent"])


def _log_in(member, remember=False):
    """Log in with what the link proved (then a two-step code if the account asks for one),
    unless the account may not log in now (``signin.why_cannot_log_in``)."""
    session.pop("link_sent", None)
    if reason := signin.why_cannot_log_in(member):
        if member.is_suspended:
            signin.remember_suspended(member)   # may still write to the coordination (login.html)
        flash(reason)
        return redirect(url_for("accounts.login"), 303)
    return redirect(signin.complete_login(member, remember=remember), 303)


@bp.route("/connexion/nouveau-mot-de-passe/<token>", methods=["GET", "POST"])
def reset_password(token):
    member = recovery.check_reset(token)      # a refused link: its own page (link_refused)
    form = NewPasswordForm()
    submission = submit(form, lambda: recovery.reset_password(token, form.password.data))
    if submission.done:
        flash(_("Votre nouveau mot de passe est enregistré ; vos autres sessions sont terminées."))
        return _log_in(submission.value)
    return render_template("reset_password.html", form=form, member=member), submission.status


@bp.route("/connexion/lien/<token>", methods=["GET", "POST"])
def login_by_link(token):
    member = recovery.check_login_link(token)
    form = LinkLoginForm()
    submission = submit(form, lambda: recovery.use_login_link(token))
    if submission.done:
        return _log_in(submission.value, remember=form.remember.data)
    return render_template("login_by_link.html", form=form, member=member), submission.status


@bp.route("/preferences/adresse", methods=["GET", "POST"])
@login_required
@limiter.limit(link_address_limit, key_func=member_key, methods=["POST"], deduct_when=succeeded)
def email_settings():
    form = EmailChangeForm()
    submission = submit(form, lambda: addresses.request_change(current_user, form.current_password.data,
                                                               form.email.data))
    if submission.done:
        flash(_("Si cette adresse peut être la vôtre, un lien de confirmation vient d'y partir : "
                "votre adresse changera quand vous l'ouvrirez (il sert 48 heures)."))
        return redirect(url_for("accounts.settings"), 303)
    return render_template("email_settings.html", form=form), submission.status


@bp.route("/preferences/adresse/confirmer/<token>", methods=["GET", "POST"])
def confirm_email_change(token):
    member, address = addresses.check_change(token)
    form = ConfirmForm()
    submission = submit(form, lambda: addresses.confirm_change(token))
    if submission.done:
        flash(_("Votre adresse est désormais %(address)s.", address=address))
        return redirect(url_for("accounts.settings" if current_user.is_authenticated else "accounts.login"), 303)
    return render_template("confirm_email_change.html", form=form, member=member, address=address), \
        submission.status

