"""The forms of conversations: every field read as text and checked by the domain
(``writing``), so that a refusal comes back as 422 next to its field with what was typed kept.

The writing forms carry the topics' editor buttons (forum/topics/editor.py): files, preview,
draft; a page opened on a saved draft takes it up (``prefill``)."""
from flask import request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import MultipleFileField, SelectField, StringField, SubmitField, TextAreaField

from forum.extensions import db
from forum.topics.models import KIND_COMMITTEE, Space


class _Writing(FlaskForm):
    """The editor's fields, shared by the three writing forms."""
    body = TextAreaField(_l("Message"), render_kw={"rows": 8})
    fichiers = MultipleFileField(_l("Joindre des fichiers"))
    preview = SubmitField(_l("Prévisualiser"))
    save_draft = SubmitField(_l("Enregistrer le brouillon"))

    def prefill(self, draft):
        """A page opened (GET) on a saved draft takes it up."""
        if request.method == "GET" and draft is not None:
            self.body.data = draft.body
            if hasattr(self, "title"):
                self.title.data = draft.title
        return self


class ConversationForm(_Writing):
    recipients = StringField(_l("Destinataires"))
    title = StringField(_l("Objet"))
    submit = SubmitField(_l("Envoyer"))


class GroupForm(_Writing):
    committee = SelectField(_l("Comité"), choices=[], validate_choice=False)
    title = StringField(_l("Objet"))
    submit = SubmitField(_l("Envoyer"))

    def with_committees(self):
        """Every comité: a member may write to the moderation of any of them."""
        spaces = db.session.scalars(select(Space).where(Space.kind == KIND_COMMITTEE).order_by(Space.position,
                                                                                                Space.name))
        self.committee.choices = [("", _l("Choisissez un comité"))] + [(s.slug, s.name) for s in spaces]
        return self


class AnswerForm(_Writing):
    body = TextAreaField(_l("Votre réponse"), render_kw={"rows": 5})
    submit = SubmitField(_l("Répondre"))


class ReportForm(FlaskForm):
    reason = TextAreaField(_l("Pourquoi signalez-vous ce message ? (facultatif)"))
    submit = SubmitField(_l("Signaler à la coordination"))
