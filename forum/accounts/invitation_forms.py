"""Forms of the invitation pages: inviting one address, a CSV file, accepting."""
from flask_babel import lazy_gettext
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, RadioField, SelectField, StringField, SubmitField

from forum.web.forms import MultiCheckboxField, NewPasswordField

from .forms import RegisterForm


class InviteForm(FlaskForm):
    email = StringField(lazy_gettext("Adresse électronique de la personne invitée"))
    committees = MultiCheckboxField(lazy_gettext("Comités auxquels elle est invitée"), choices=[])
    college = SelectField(lazy_gettext("Son collège"), choices=[], validate_choice=False)
    locale = SelectField(lazy_gettext("Langue du courriel"), choices=[("fr", "Français"), ("en", "English")],
                         validate_choice=False)
    submit = SubmitField(lazy_gettext("Envoyer l'invitation"))

    @classmethod
    def for_choices(cls, committees, colleges):
        form = cls()
        form.committees.choices = [(c.slug, c.name) for c in committees]
        form.college.choices = [("", lazy_gettext("— Choisissez —"))] + [(c.slug, c.name) for c in colleges]
        return form


class ImportForm(FlaskForm):
    file = FileField(lazy_gettext("Fichier CSV"))
    submit = SubmitField(lazy_gettext("Envoyer les invitations du fichier"))


class AcceptForm(FlaskForm):
    pseudonym = StringField(lazy_gettext("Pseudonyme"))
    password = NewPasswordField(lazy_gettext("Mot de passe"))
    show_college = RadioField(lazy_gettext("Affichage de votre collège"), default="default",
                              validate_choice=False, choices=RegisterForm.show_college.kwargs["choices"])
    adheres_convention = BooleanField(lazy_gettext("J'adhère à la convention des comités locaux"))
    accepts_charter = BooleanField(lazy_gettext("J'ai lu et j'accepte le règlement de fonctionnement"))
    submit = SubmitField(lazy_gettext("Créer mon compte"))
