"""Pages of two-step login (blueprint ``two_step``): the code asked at login, and the settings
page that turns it on (QR code, first code, recovery codes), renews the codes and turns it off.
Staff who must use it and have not turned it on reach nothing else (``require_enrolment``)."""
from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from forum.extensions import limiter
from forum.web.forms import submit
from forum.web.ratelimits import member_key, network_key, two_step_limit, wrong_code

from . import signin, twostep
from .twostep_forms import CodeForm, DisableForm, EnableForm, RecoveryCodesForm

bp = Blueprint("two_step", __name__)

SECRET_KEY = "deux_etapes_secret"   # the secret being enrolled, until a first code confirms it
# What staff who must turn two-step login on may still reach: its page, logging out, the help
# page, the language switch and the files.
ENROLMENT_ENDPOINTS = frozenset({"two_step.settings", "two_step.enable", "accounts.logout",
                                 "charter.help_page", "static", "language"})


def pending_key():
    """Wrong codes against one account, from wherever they come."""
    return f"two-step:{signin.pending_member_id()}"


@bp.route("/connexion/deux-etapes", methods=["GET", "POST"])
@limiter.limit(two_step_limit, key_func=network_key, methods=["POST"], deduct_when=wrong_code)
@limiter.limit(two_step_limit, key_func=pending_key, methods=["POST"], deduct_when=wrong_code)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("topics.home"))
    if request.method == "GET" and not signin.has_pending():
        return redirect(url_for("accounts.login"))
    member, remember, next_url = signin.pending_member()   # Refused (410, 400): the error page
    form = CodeForm()
    submission = submit(form, lambda: twostep.verify(member, form.code.data))
    if not submission.done:
        return render_template("two_step_login.html", form=form), submission.status
    signin.finish_login(member, remember)
    if submission.value == "recovery":
        flash(_("Vous vous êtes connecté avec un code de secours. Il vous en reste %(n)s.",
                n=twostep.remaining_recovery_codes(member)))
    return redirect(next_url or url_for("topics.home"), 303)


@bp.route("/preferences/deux-etapes")
@login_required
def settings():
    return _settings_page()


@bp.route("/preferences/deux-etapes/activer", methods=["POST"])
@login_required
def enable():
    form = EnableForm()
    submission = submit(form, lambda: twostep.enable(current_user, session.get(SECRET_KEY), form.code.data))
    if not submission.done:
        return _settings_page(enable_form=form, status=submission.status)
    session.pop(SECRET_KEY, None)
    return render_template("two_step_codes.html", codes=submission.value, first=True)


@bp.route("/preferences/deux-etapes/codes", methods=["POST"])
@login_required
def codes():
    form = RecoveryCodesForm(prefix="codes")
    submission = submit(form, lambda: twostep.regenerate_recovery_codes(current_user, form.password.data))
    if not submission.done:
        return _settings_page(codes_form=form, status=submission.status)
    return render_template("two_step_codes.html", codes=submission.value, first=False)


@bp.route("/preferences/deux-etapes/desactiver", methods=["POST"])
@login_required
@limiter.limit(two_step_limit, key_func=member_key, deduct_when=wrong_code)
def disable():
    form = DisableForm(prefix="off")
    submission = submit(form, lambda: twostep.disable(current_user, form.password.data, form.code.data))
    if not submission.done:
        return _settings_page(disable_form=form, status=submission.status)
    flash(_("La connexion en deux étapes est désactivée. Un courriel vous le confirme."))
    return redirect(url_for("accounts.settings"), 303)


def _settings_page(enable_form=None, codes_form=None, disable_form=None, status=200):
    member = current_user
    state = twostep.settings_of(member)
    # A form of the other state (turned on or off meanwhile, in another tab): its refusal on top.
    stray = (codes_form or disable_form) if state is None else enable_form
    context = {"settings": state, "required": twostep.must_enrol(member), "stray": stray}
    if state is None:
        secret = session.get(SECRET_KEY) or twostep.new_secret()
        session[SECRET_KEY] = secret
        context.update(enable_form=enable_form or EnableForm(), secret=twostep.written_secret(secret),
                       qr_code=twostep.qr_code_data_uri(member, secret))
    else:
        context.update(codes_form=codes_form or RecoveryCodesForm(prefix="codes"),
                       disable_form=disable_form or DisableForm(prefix="off"),
                       remaining=twostep.remaining_recovery_codes(member))
    return render_template("two_step.html", **context), status


@bp.before_app_request
def require_enrolment():
    """Staff who must use two-step login and have not turned it on are sent to do it first."""
    if request.endpoint in ENROLMENT_ENDPOINTS or (request.endpoint or "").startswith("probes."):
        return None
    if current_user.is_authenticated and twostep.must_enrol(current_user):
        return redirect(url_for("two_step.settings"), 303)
    return None


@bp.app_template_global()
def two_step_enabled(member):
    return twostep.is_enabled(member)
