"""The resource form: every field read as text and checked by the domain (``resources``), so
that a bad value comes back as 422 next to its field with everything typed kept."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField, SubmitField, TextAreaField

from forum.accounts.models import College
from forum.extensions import db
from forum.permissions import readable_spaces, why_cannot_post
from forum.topics.models import KIND_COMMITTEE, Space, Tag
from forum.web.forms import MultiCheckboxField

from sqlalchemy import select

from .models import KIND_DOCUMENT, KIND_LINK
from .resources import ResourceInput

KIND_CHOICES = [(KIND_DOCUMENT, _l("Un document (son texte est écrit ici)")),
                (KIND_LINK, _l("Un lien vers une page ou un fichier en ligne"))]


class ResourceForm(FlaskForm):
    space = SelectField(_l("Espace"), choices=[], validate_choice=False)
    kind = RadioField(_l("Nature"), choices=KIND_CHOICES, default=KIND_DOCUMENT, validate_choice=False)
    title = StringField(_l("Titre"))
    url = StringField(_l("Adresse du lien (https://…)"))
    description = TextAreaField(_l("Description (ou texte du document)"))
    tags = MultiCheckboxField(_l("Thèmes"), choices=[])
    territory = SelectField(_l("Territoire (comité)"), choices=[], validate_choice=False)
    college = SelectField(_l("Collège concerné"), choices=[], validate_choice=False)
    year = StringField(_l("Année"))
    submit = SubmitField(_l("Enregistrer la fiche"))

    def with_choices(self, viewer, spaces=True):
        """The lists: spaces where ``viewer`` may add (none when editing), themes, comités, collèges."""
        if spaces:
            self.space.choices = [(s.slug, s.name) for s in readable_spaces(viewer) if why_cannot_post(viewer, s) is None]
        self.tags.choices = [(t.slug, t.name) for t in db.session.scalars(select(Tag).order_by(Tag.name))]
        committees = db.session.scalars(select(Space).where(Space.kind == KIND_COMMITTEE).order_by(Space.position))
        self.territory.choices = [("", _l("Aucun en particulier"))] + [(s.slug, s.name) for s in committees]
        colleges = db.session.scalars(select(College).order_by(College.position))
        self.college.choices = [("", _l("Tous les collèges"))] + [(c.slug, c.name) for c in colleges]
        return self

    def typed(self):
        return ResourceInput(kind=self.kind.data or "", title=self.title.data or "", url=self.url.data or "",
                             description=self.description.data or "", tags=list(self.tags.data or []),
                             territory=self.territory.data or "", college=self.college.data or "",
                             year=self.year.data or "")

    def fill(self, typed):
        for name in ("kind", "title", "url", "description", "tags", "territory", "college", "year"):
            getattr(self, name).data = getattr(typed, name)
        return self
