"""Registration, login, logout, profile and settings pages."""
from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from forum.charter import versions as charter
from forum.topics import reading
from forum.errors import Refused
from forum.extensions import db, limiter, login_manager
from .forms import CommitteesForm, LoginForm, PasswordForm, ProfileForm, RegisterForm
from forum.web.ratelimits import failed, login_key, login_limit
from forum.coordination.structure import committees
from forum.web.forms import fill_errors
from . import administration, registration
from .models import Member

bp = Blueprint("accounts", __name__)


@login_manager.user_loader
def load_member(token):
    return db.session.scalar(select(Member).where(Member.session_token == token))


def safe_next(target):
    """Only same-site paths: never redirect a member to another host after login."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.route("/connexion", methods=["GET", "POST"])
@limiter.limit(login_limit, methods=["POST"], deduct_when=failed)
@limiter.limit(login_limit, key_func=login_key, methods=["POST"], deduct_when=failed)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("topics.home"))
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    status = 200
    if form.validate_on_submit():
        member = registration.authenticate(form.login.data, form.password.data)
        if member is None:
            form.form_errors.append(_("Identifiant ou mot de passe incorrect."))
            status = 401
        elif member.is_suspended:
            form.form_errors.append(_("Votre compte est suspendu jusqu'au {:%d/%m/%Y à %H:%M} (UTC).")
                                    .format(member.suspended_until))
            status = 403
        else:
            login_user(member, remember=form.remember.data)
            return redirect(safe_next(form.next.data) or url_for("topics.home"), 303)
    elif request.method == "POST":
        status = 400
    return render_template("login.html", form=form), status


@bp.route("/deconnexion", methods=["POST"])
def logout():
    from forum.web.forms import ConfirmForm
    if not ConfirmForm().validate_on_submit():
        abort(400)
    logout_user()
    return redirect(url_for("topics.home"), 303)


@bp.route("/inscription", methods=["GET", "POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("topics.home"))
    form = RegisterForm()
    form.college.choices = [("", "— Choisissez —")] + [(str(c.id), c.name) for c in administration.colleges()]
    form.committees.choices = [(str(s.id), s.name) for s in committees()]
    status = 200
    if form.validate_on_submit():
        try:
            member = registration.register(
                form.pseudonym.data, form.email.data, form.password.data, form.college.data,
                form.committees.data, form.show_college.data, form.adheres_convention.data,
                form.accepts_charter.data)
        except Refused as refusal:
            db.session.rollback()
            fill_errors(form, refusal)
            status = refusal.status
        else:
            login_user(member)
            flash(_("Bienvenue ! Votre compte est créé. Votre collège sera confirmé par la coordination."))
            return redirect(url_for("topics.home"), 303)
    elif request.method == "POST":
        status = 400
    return render_template("register.html", form=form, version=charter.current_version(),
                           colleges=administration.colleges()), status


@bp.route("/membre/<pseudonym>")
def profile(pseudonym):
    member = registration.find_by_login(pseudonym) if "@" not in pseudonym else None
    if member is None:
        abort(404)
    return render_template("profile.html", member=member,
                           posts=reading.member_posts(current_user, member))


@bp.route("/preferences", methods=["GET", "POST"])
@login_required
def settings():
    profile_form = ProfileForm(prefix="profil")
    committees_form = CommitteesForm(prefix="comites")
    password_form = PasswordForm(prefix="mdp")
    committees_form.committees.choices = [(str(s.id), s.name) for s in committees()]
    status = 200
    if request.method == "GET":
        profile_form.show_college.data = current_user.show_college
        profile_form.bio.data = current_user.bio
        profile_form.locale.data = current_user.locale or "fr"
        committees_form.committees.data = [str(i) for i in current_user.committee_ids]
    else:
        try:
            if profile_form.submit.data and profile_form.validate_on_submit():
                administration.update_profile(current_user, profile_form.show_college.data,
                                              profile_form.bio.data, profile_form.locale.data)
            elif committees_form.submit.data and committees_form.validate_on_submit():
                administration.set_committees(current_user, committees_form.committees.data)
            elif password_form.submit.data and password_form.validate_on_submit():
                registration.change_password(current_user, password_form.current_password.data,
                                             password_form.new_password.data)
                login_user(current_user._get_current_object())
            else:
                abort(400)
        except Refused as refusal:
            db.session.rollback()
            for form in (profile_form, committees_form, password_form):
                if form.submit.data:
                    fill_errors(form, refusal)
            status = refusal.status
        else:
            flash(_("Vos préférences sont enregistrées."))
            return redirect(url_for("accounts.settings"), 303)
    return render_template("settings.html", profile_form=profile_form, committees_form=committees_form,
                           password_form=password_form), status
