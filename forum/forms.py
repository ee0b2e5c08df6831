"""Forms of the forum pages. They carry CSRF and types; the domain functions hold the rules."""
from flask_babel import lazy_gettext
from flask_wtf import FlaskForm
from wtforms import (BooleanField, HiddenField, MultipleFileField, PasswordField, RadioField, SelectField,
                     SelectMultipleField, StringField, SubmitField, TextAreaField)
from wtforms.widgets import CheckboxInput, ListWidget


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form):
        """Unknown choices are the domain's to refuse, with its own message."""


class TopicForm(FlaskForm):
    title = StringField(lazy_gettext("Titre"))
    space = SelectField(lazy_gettext("Espace"), choices=[], validate_choice=False)
    tags = MultiCheckboxField(lazy_gettext("Étiquettes"), choices=[])
    body = TextAreaField(lazy_gettext("Message"))
    fichiers = MultipleFileField(lazy_gettext("Joindre des fichiers"))
    preview = SubmitField(lazy_gettext("Prévisualiser"))
    save_draft = SubmitField(lazy_gettext("Enregistrer le brouillon"))
    submit = SubmitField(lazy_gettext("Publier le sujet"))


class ReplyForm(FlaskForm):
    parent = HiddenField()
    body = TextAreaField(lazy_gettext("Votre réponse"))
    fichiers = MultipleFileField(lazy_gettext("Joindre des fichiers"))
    preview = SubmitField(lazy_gettext("Prévisualiser"))
    save_draft = SubmitField(lazy_gettext("Enregistrer le brouillon"))
    submit = SubmitField(lazy_gettext("Répondre"))


class EditForm(FlaskForm):
    title = StringField(lazy_gettext("Titre"))
    body = TextAreaField(lazy_gettext("Message"))
    fichiers = MultipleFileField(lazy_gettext("Joindre des fichiers"))
    preview = SubmitField(lazy_gettext("Prévisualiser"))
    submit = SubmitField(lazy_gettext("Enregistrer la modification"))


class ConfirmForm(FlaskForm):
    """A button and its CSRF token: for actions such as deleting a post."""
    submit = SubmitField(lazy_gettext("Confirmer"))


class LoginForm(FlaskForm):
    login = StringField(lazy_gettext("Adresse électronique ou pseudonyme"))
    password = PasswordField(lazy_gettext("Mot de passe"))
    remember = BooleanField(lazy_gettext("Rester connecté sur cet appareil"))
    next = HiddenField()
    submit = SubmitField(lazy_gettext("Se connecter"))


class RegisterForm(FlaskForm):
    pseudonym = StringField(lazy_gettext("Pseudonyme"))
    email = StringField(lazy_gettext("Adresse électronique"))
    password = PasswordField(lazy_gettext("Mot de passe"))
    college = SelectField(lazy_gettext("Votre collège"), choices=[], validate_choice=False)
    committees = MultiCheckboxField(lazy_gettext("Comités que vous rejoignez"), choices=[])
    show_college = RadioField(lazy_gettext("Affichage de votre collège"), default="default",
                              validate_choice=False, choices=[
        ("default", lazy_gettext("Choix par défaut : affiché, sauf pour les collèges des personnes "
                                 "accompagnées et des partenaires sociaux")),
        ("yes", lazy_gettext("Afficher mon collège à côté de mon pseudonyme")),
        ("no", lazy_gettext("Ne pas afficher mon collège")),
    ])
    adheres_convention = BooleanField(lazy_gettext("J'adhère à la convention des comités locaux"))
    accepts_charter = BooleanField(lazy_gettext("J'ai lu et j'accepte le règlement de fonctionnement"))
    submit = SubmitField(lazy_gettext("Créer mon compte"))


class ProfileForm(FlaskForm):
    show_college = BooleanField(lazy_gettext("Afficher mon collège à côté de mon pseudonyme"))
    bio = TextAreaField(lazy_gettext("Présentation (facultatif)"))
    locale = SelectField(lazy_gettext("Langue de l'interface"), choices=[("fr", "Français"), ("en", "English")],
                         validate_choice=False)
    submit = SubmitField(lazy_gettext("Enregistrer"))


class CommitteesForm(FlaskForm):
    committees = MultiCheckboxField(lazy_gettext("Mes comités"), choices=[])
    submit = SubmitField(lazy_gettext("Enregistrer mes comités"))


class PasswordForm(FlaskForm):
    current_password = PasswordField(lazy_gettext("Mot de passe actuel"))
    new_password = PasswordField(lazy_gettext("Nouveau mot de passe"))
    submit = SubmitField(lazy_gettext("Changer le mot de passe"))


class SpaceForm(FlaskForm):
    name = StringField(lazy_gettext("Nom"))
    kind = SelectField(lazy_gettext("Type"), validate_choice=False, choices=[
        ("comite", lazy_gettext("Comité local")), ("theme", lazy_gettext("Thème transversal")),
        ("regional", lazy_gettext("Coordination régionale"))])
    department = StringField(lazy_gettext("Département (comités)"))
    description = TextAreaField(lazy_gettext("Description"))
    visibility = SelectField(lazy_gettext("Qui peut lire"), validate_choice=False, choices=[
        ("public", lazy_gettext("Tout le monde, même sans compte")),
        ("members", lazy_gettext("Les membres connectés")),
        ("restricted", lazy_gettext("Seulement les comités et collèges choisis"))])
    committees = MultiCheckboxField(lazy_gettext("Comités admis (espace restreint)"), choices=[])
    colleges = MultiCheckboxField(lazy_gettext("Collèges admis (espace restreint)"), choices=[])
    submit = SubmitField(lazy_gettext("Enregistrer l'espace"))


class TagForm(FlaskForm):
    name = StringField(lazy_gettext("Nom"))
    description = TextAreaField(lazy_gettext("Description"))
    submit = SubmitField(lazy_gettext("Enregistrer l'étiquette"))


class CollegeForm(FlaskForm):
    name = StringField(lazy_gettext("Nom"))
    description = TextAreaField(lazy_gettext("Description"))
    sensitive = BooleanField(lazy_gettext("Appartenance sensible (masquée par défaut)"))
    submit = SubmitField(lazy_gettext("Enregistrer le collège"))


class MemberAdminForm(FlaskForm):
    college = SelectField(lazy_gettext("Collège"), choices=[], validate_choice=False)
    role = SelectField(lazy_gettext("Rôle"), validate_choice=False, choices=[
        ("member", lazy_gettext("Membre")), ("coordinator", lazy_gettext("Coordination")),
        ("admin", lazy_gettext("Administration"))])
    submit = SubmitField(lazy_gettext("Enregistrer"))


class ModeratorForm(FlaskForm):
    pseudonym = StringField(lazy_gettext("Pseudonyme du membre"))
    submit = SubmitField(lazy_gettext("Nommer modérateur"))
