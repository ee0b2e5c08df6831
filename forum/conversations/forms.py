"""The forms of conversations: every field read as text and checked by the domain
(``writing``), so that a refusal comes back as 422 next to its field with what was typed kept."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import SelectField, StringField, SubmitField, TextAreaField

from forum.extensions import db
from forum.topics.models import KIND_COMMITTEE, Space


class ConversationForm(FlaskForm):
    recipients = StringField(_l("Destinataires"))
    title = StringField(_l("Objet"))
    body = TextAreaField(_l("Message"), render_kw={"rows": 8})
    submit = SubmitField(_l("Envoyer"))


class GroupForm(FlaskForm):
    committee = SelectField(_l("Comité"), choices=[], validate_choice=False)
    title = StringField(_l("Objet"))
    body = TextAreaField(_l("Message"), render_kw={"rows": 8})
    submit = SubmitField(_l("Envoyer"))

    def with_committees(self):
        """Every comité: a member may write to the moderation of any of them."""
        spaces = db.session.scalars(select(Space).where(Space.kind == KIND_COMMITTEE).order_by(Space.position,
                                                                                                Space.name))
        self.committee.choices = [("", _l("Choisissez un comité"))] + [(s.slug, s.name) for s in spaces]
        return self


class AnswerForm(FlaskForm):
    body = TextAreaField(_l("Votre réponse"), render_kw={"rows": 5})
    submit = SubmitField(_l("Répondre"))


class ReportForm(FlaskForm):
    reason = TextAreaField(_l("Pourquoi signalez-vous ce message ? (facultatif)"))
    submit = SubmitField(_l("Signaler à la coordination"))
