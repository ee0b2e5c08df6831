"""Registration, login, logout, profile and settings pages."""
from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _, lazy_gettext
from flask_login import current_user, login_required, logout_user

from forum.charter import versions as charter
from forum.coordination.structure import committees
from forum.extensions import limiter, login_manager
from forum.topics import reading
from forum.web.forms import ConfirmForm, Submission, attempt, require_confirmation, submit
from forum.web.navigation import safe_next
from forum.web.ratelimits import (failed, login_key, login_limit, network_key,
                                  registration_address_key, registration_address_limit,
                                  registration_network_limit, succeeded)

from . import administration, approval, membership, recovery, registration, sessions, signin, welcome
from .blueprint import bp
from .forms import LoginForm, RegisterForm, settings_forms


@login_manager.user_loader
def load_member(key):
    return sessions.find_member(key)


@bp.route("/connexion", methods=["GET", "POST"])
@limiter.limit(login_limit, methods=["POST"], deduct_when=failed)
@limiter.limit(login_limit, key_func=login_key, methods=["POST"], deduct_when=failed)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("topics.home"))
    form = LoginForm()
    if request.method == "GET":
        form.next.data = safe_next(request.args.get("next")) or ""
    status, unconfirmed = 200, None
    if form.validate_on_submit():
        member = registration.authenticate(form.login.data, form.password.data)
        refusal = _login_refusal(member)
        if refusal is None:
            # Home, or the next step (a two-step code) when the account asks for one.
            return redirect(signin.complete_login(member, form.remember.data, form.next.data), 303)
        form.form_errors.append(refusal[0])
        status = refusal[1]
        unconfirmed = member.email if member is not None and recovery.awaits_confirmation(member) else None
    elif request.method == "POST":
        status = 400
    return render_template("login.html", form=form, unconfirmed=unconfirmed,
                           suspended=signin.suspended_member() is not None), status


def _login_refusal(member):
    """Why ``member`` (None: no match) may not log in with a password, and the status; or None."""
    if member is None:
        return _("Identifiant ou mot de passe incorrect."), 401
    if reason := signin.why_cannot_log_in(member):
        if member.is_suspended:
            signin.remember_suspended(member)   # may still write to the coordination (login.html)
        return reason, 403
    if recovery.awaits_confirmation(member):   # a new account: its address first (docs/architecture.md)
        return _("Votre adresse n'est pas encore confirmée : ouvrez le lien reçu par courriel, ou "
                 "demandez-en un nouveau."), 403
    return None


@bp.route("/deconnexion", methods=["POST"])
def logout():
    require_confirmation()
    if current_user.is_authenticated and current_user.current_session is not None:
        sessions.end_session(current_user, current_user.current_session.id)   # a copied cookie dies too
    logout_user()
    flash(_("Vous êtes déconnecté."))   # else the same home page tells nothing happened
    return redirect(url_for("topics.home"), 303)


@bp.route("/inscription", methods=["GET", "POST"])
@limiter.limit(registration_network_limit, key_func=network_key, methods=["POST"], deduct_when=succeeded)
@limiter.limit(registration_address_limit, key_func=registration_address_key, methods=["POST"],
               deduct_when=succeeded)
def register():
    if current_user.is_authenticated:
        return redirect(url_for("topics.home"))
    if approval.mode() == approval.INVITATION:   # joining is by invitation (forum/accounts/approval.py)
        return render_template("register_closed.html"), 403 if request.method == "POST" else 200
    form = RegisterForm.for_choices(administration.colleges(), committees())
    submission = submit(form, lambda: registration.register(
        form.pseudonym.data, form.email.data, form.password.data, form.college.data, form.committees.data,
        form.show_college.data, form.adheres_convention.data, form.accepts_charter.data))
    if submission.done:   # a new account or a known address: the same answer (welcome.py)
        session["registered_email"] = registration.normalize_email(form.email.data)
        return redirect(url_for("accounts.registered"), 303)
    return render_template("register.html", form=form, version=charter.current_version(),
                           colleges=administration.colleges()), submission.status


@bp.route("/inscription/courriel-envoye")
def registered():
    if "registered_email" not in session:
        return redirect(url_for("accounts.register"))
    return render_template("registered.html", email=session["registered_email"])


@bp.route("/inscription/confirmer/<token>", methods=["GET", "POST"])
def confirm(token):
    # A button, not the GET: mail scanners that open links must not spend a single-use link.
    welcome.check(token)   # a link that cannot serve: its own page, with a way to a new one
    form = ConfirmForm()
    submission = submit(form, lambda: welcome.confirm(token))
    if submission.done and submission.value.awaiting_approval:
        flash(_("Adresse confirmée. Votre compte attend l'approbation de la coordination : un courriel "
                "vous dira sa réponse."))
        return redirect(url_for("topics.home"), 303)
    if submission.done:
        session.pop("registered_email", None)
        flash(_("Bienvenue ! Votre compte est créé. Votre collège sera confirmé par la coordination."))
        # The comités ticked at registration are only asked: say so, or the newcomer looks for
        # the comité's restricted spaces and finds a "page not found".
        if any(r.space_id for r in membership.pending_of(submission.value)):
            flash(_("Vos demandes pour rejoindre un comité attendent la réponse de ses modérateurs : "
                    "vous serez prévenu. Vous les suivez dans vos préférences."))
        return redirect(signin.complete_login(submission.value), 303)
    return render_template("confirm.html", form=form), submission.status


@bp.route("/membre/<pseudonym>")
def profile(pseudonym):
    member = registration.find_by_login(pseudonym) if "@" not in pseudonym else None
    if member is None:
        abort(404)
    return render_template("profile.html", member=member,
                           posts=reading.member_posts(current_user, member))


def _change_password(form):
    registration.change_password(current_user, form.current_password.data, form.new_password.data,
                                 keep=current_user.current_session)


# The domain action of each form of the settings page, by the form's prefix.
SETTINGS_ACTIONS = {
    "profil": lambda form: administration.update_profile(current_user, form.show_college.data, form.bio.data,
                                                         form.locale.data),
    "comites": lambda form: membership.ask_to_join(current_user, form.committee.data, form.message.data),
    "mdp": _change_password,
}
DONE = {"comites": lazy_gettext(
    "Votre demande est envoyée : les modérateurs du comité ou la coordination y répondront.")}


@bp.route("/preferences", methods=["GET", "POST"])
@login_required
def settings():
    pending = membership.pending_of(current_user)
    forms = settings_forms(current_user, committees(), pending)
    submission = Submission()
    if request.method == "POST":
        name = next((name for name, f in forms.items() if f.submit.data and f.validate_on_submit()), None)
        if name is None:
            abort(400)
        submission = attempt(forms[name], lambda: SETTINGS_ACTIONS[name](forms[name]))
        if submission.done:
            flash(str(DONE[name]) if name in DONE else _("Vos préférences sont enregistrées."))
            return redirect(url_for("accounts.settings"), 303)
    return render_template("settings.html", profile_form=forms["profil"], committees_form=forms["comites"],
                           password_form=forms["mdp"], sessions=sessions.sessions_of(current_user),
                           pending=pending, leave_form=ConfirmForm()), \
        submission.status


@bp.route("/preferences/sessions/<int:session_id>/fin", methods=["POST"])
@login_required
def end_session(session_id):
    require_confirmation()
    sessions.end_session(current_user, session_id)
    flash(_("Cette session est terminée : l'appareil devra se connecter à nouveau."))
    return redirect(url_for("accounts.settings", _anchor="sessions"), 303)


@bp.route("/preferences/sessions/fin-des-autres", methods=["POST"])
@login_required
def end_other_sessions():
    require_confirmation()
    sessions.end_other_sessions(current_user)
    flash(_("Toutes vos autres sessions sont terminées."))
    return redirect(url_for("accounts.settings", _anchor="sessions"), 303)
