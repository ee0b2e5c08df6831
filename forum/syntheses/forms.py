"""The syntheses' forms: writing (with the revision it was written on), inviting, review
comments, asking the comité's consent."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, StringField, SubmitField, TextAreaField


class WriteForm(FlaskForm):
    title = StringField(_l("Titre"))
    source = TextAreaField(_l("Texte de la synthèse"))
    base = HiddenField()
    submit = SubmitField(_l("Enregistrer"))

    def base_revision(self):
        try:
            return int(self.base.data or 0)
        except ValueError:
            return 0


class InviteForm(FlaskForm):
    pseudonym = StringField(_l("Pseudonyme du membre à inviter"))
    submit = SubmitField(_l("Inviter à rédiger"))


class NamedForm(FlaskForm):
    named = BooleanField(_l("Me nommer parmi les contributeurs (page et exports)"))
    submit = SubmitField(_l("Enregistrer mon choix"))


class CommentForm(FlaskForm):
    section = SelectField(_l("Partie commentée"), choices=[], validate_choice=False)
    text = TextAreaField(_l("Votre commentaire"))
    submit = SubmitField(_l("Commenter"))

    def with_sections(self, names):
        self.section.choices = [("", _l("L'ensemble de la synthèse"))] + [(n, n) for n in names]
        return self


class ConsentForm(FlaskForm):
    closes_on = StringField(_l("Date de clôture"))
    closes_time = StringField(_l("Heure de clôture"))
    submit = SubmitField(_l("Ouvrir la décision de validation"))
