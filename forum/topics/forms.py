"""Forms of the topic pages: new topic, reply, edit. They carry CSRF and types, and what the page
shows first (a draft taken up, a quote); the domain functions hold the rules."""
from flask import request
from flask_babel import gettext as _, lazy_gettext
from flask_wtf import FlaskForm
from wtforms import (HiddenField, MultipleFileField, SelectField, StringField, SubmitField,
                     TextAreaField)

from forum.errors import Invalid
from forum.extensions import db
from forum.numbers import parse_int
from forum.web.forms import MultiCheckboxField

from .models import Post


class TopicForm(FlaskForm):
    title = StringField(lazy_gettext("Titre"))
    space = SelectField(lazy_gettext("Espace"), choices=[], validate_choice=False)
    tags = MultiCheckboxField(lazy_gettext("Étiquettes"), choices=[])
    new_tags = StringField(lazy_gettext("Nouvelle étiquette"))
    body = TextAreaField(lazy_gettext("Message"))
    fichiers = MultipleFileField(lazy_gettext("Joindre des fichiers"))
    preview = SubmitField(lazy_gettext("Prévisualiser"))
    save_draft = SubmitField(lazy_gettext("Enregistrer le brouillon"))
    submit = SubmitField(lazy_gettext("Publier le sujet"))

    @classmethod
    def for_choices(cls, spaces, tags, place=None):
        """The form offering ``spaces`` and ``tags``; ``place`` is chosen when the page opens."""
        form = cls()
        form.space.choices = [("", _("— Choisissez un espace —"))] + [(s.slug, s.name) for s in spaces]
        form.tags.choices = [(t.slug, t.name) for t in tags]
        if request.method == "GET" and place is not None:
            form.space.data = place.slug
        return form

    def prefill(self, draft):
        """A page opened on a saved draft takes it up."""
        if request.method == "GET" and draft is not None:
            self.title.data, self.body.data = draft.title, draft.body
        return self


class TagsForm(FlaskForm):
    """A topic's tags, changed after it started."""
    tags = MultiCheckboxField(lazy_gettext("Étiquettes"), choices=[])
    new_tags = StringField(lazy_gettext("Nouvelle étiquette"))
    submit = SubmitField(lazy_gettext("Enregistrer les étiquettes"))

    @classmethod
    def of(cls, topic, tags):
        form = cls()
        form.tags.choices = [(t.slug, t.name) for t in tags]
        if request.method == "GET":
            form.tags.data = [t.slug for t in topic.tags]
        return form


class ReplyForm(FlaskForm):
    parent = HiddenField()
    body = TextAreaField(lazy_gettext("Votre réponse"))
    fichiers = MultipleFileField(lazy_gettext("Joindre des fichiers"))
    preview = SubmitField(lazy_gettext("Prévisualiser"))
    save_draft = SubmitField(lazy_gettext("Enregistrer le brouillon"))
    submit = SubmitField(lazy_gettext("Répondre"))

    def parent_post(self, draft):
        """The post answered: the form's when sent, else the address's ``?a=``, else the draft's.

        None for an answer to the topic; ``Invalid`` when the post does not exist."""
        if request.method == "POST":
            wanted = self.parent.data
        else:
            wanted = request.args.get("a") or (draft.parent_id if draft is not None else None)
        if not wanted:
            return None
        parent_id = parse_int(wanted, 1)
        parent = db.session.get(Post, parent_id) if parent_id else None
        if parent is None:
            raise Invalid({"parent": _("Le message auquel vous répondez n'existe pas.")})
        self.parent.data = str(parent.id)
        return parent

    def prefill(self, draft, quote=None):
        """A page opened on a saved draft takes it up, then the quote asked for (``?citer=``)."""
        if request.method != "GET":
            return self
        if draft is not None:
            self.body.data = draft.body
        if quote:
            self.body.data = ((self.body.data or "").rstrip() + "\n\n" if self.body.data else "") + quote
        return self


class EditForm(FlaskForm):
    title = StringField(lazy_gettext("Titre"))
    body = TextAreaField(lazy_gettext("Message"))
    fichiers = MultipleFileField(lazy_gettext("Joindre des fichiers"))
    preview = SubmitField(lazy_gettext("Prévisualiser"))
    submit = SubmitField(lazy_gettext("Enregistrer la modification"))

    @classmethod
    def of(cls, post):
        """The form to edit ``post``, opened on its current text."""
        form = cls()
        if request.method == "GET":
            form.body.data, form.title.data = post.source, post.topic.title
        return form
