"""What every form shares: the multi-checkbox field, the confirm button, and how a domain
refusal is shown on a form."""
from dataclasses import dataclass

from flask import abort, request
from flask_babel import lazy_gettext
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectMultipleField, SubmitField
from wtforms.widgets import CheckboxInput, ListWidget, PasswordInput

from forum.errors import Refused
from forum.extensions import db


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form):
        """Unknown choices are the domain's to refuse, with its own message."""


class NewPasswordField(PasswordField):
    """The password of a new account, given back after a refusal elsewhere on the form (a
    newcomer retyped it after every error). Only the answer to the form's own POST carries it,
    and no answer is kept by a cache (Cache-Control: private, no-store, forum/web/pages.py)."""
    widget = PasswordInput(hide_value=False)


class ConfirmForm(FlaskForm):
    """A button and its CSRF token: for actions such as deleting a post."""
    submit = SubmitField(lazy_gettext("Confirmer"))


def fill_errors(form, refusal):
    """Attach a domain refusal's messages to the form fields (unknown fields: to the form)."""
    form.form_errors = list(getattr(form, "form_errors", []))
    for name, message in getattr(refusal, "fields", {None: refusal.message}).items():
        field = getattr(form, name, None) if name else None
        if field is not None and hasattr(field, "errors"):
            field.errors = list(field.errors or []) + [message]
        else:
            form.form_errors.append(message)


@dataclass
class Submission:
    """What became of a form: ``done`` with the action's ``value``, or the page again with
    ``status`` (200 on first display, 400 for a malformed POST, the refusal's status)."""
    done: bool = False
    value: object = None
    status: int = 200


def attempt(form, action):
    """Run ``action()``; a domain refusal rolls back and lands on the form, next to its field."""
    try:
        return Submission(done=True, value=action())
    except Refused as refusal:
        db.session.rollback()
        fill_errors(form, refusal)
        return Submission(status=refusal.status)


def submit(form, action):
    """The form dance of every page: on a valid POST, ``attempt(form, action)``.

    The page is shown again with what was typed unless the submission is ``done``."""
    if form.validate_on_submit():
        return attempt(form, action)
    return Submission(status=400 if request.method == "POST" else 200)


def require_confirmation():
    """A button-only POST (its CSRF token is the whole form): 400 unless it is valid."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
