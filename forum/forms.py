"""Forms of the forum pages. They carry CSRF and types; the domain functions hold the rules."""
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
    title = StringField("Titre")
    space = SelectField("Espace", choices=[], validate_choice=False)
    tags = MultiCheckboxField("Étiquettes", choices=[])
    body = TextAreaField("Message")
    fichiers = MultipleFileField("Joindre des fichiers")
    preview = SubmitField("Prévisualiser")
    save_draft = SubmitField("Enregistrer le brouillon")
    submit = SubmitField("Publier le sujet")


class ReplyForm(FlaskForm):
    parent = HiddenField()
    body = TextAreaField("Votre réponse")
    fichiers = MultipleFileField("Joindre des fichiers")
    preview = SubmitField("Prévisualiser")
    save_draft = SubmitField("Enregistrer le brouillon")
    submit = SubmitField("Répondre")


class EditForm(FlaskForm):
    title = StringField("Titre")
    body = TextAreaField("Message")
    fichiers = MultipleFileField("Joindre des fichiers")
    preview = SubmitField("Prévisualiser")
    submit = SubmitField("Enregistrer la modification")


class ConfirmForm(FlaskForm):
    """A button and its CSRF token: for actions such as deleting a post."""
    submit = SubmitField("Confirmer")


class LoginForm(FlaskForm):
    login = StringField("Adresse électronique ou pseudonyme")
    password = PasswordField("Mot de passe")
    remember = BooleanField("Rester connecté sur cet appareil")
    next = HiddenField()
    submit = SubmitField("Se connecter")


class RegisterForm(FlaskForm):
    pseudonym = StringField("Pseudonyme")
    email = StringField("Adresse électronique")
    password = PasswordField("Mot de passe")
    college = SelectField("Votre collège", choices=[], validate_choice=False)
    committees = MultiCheckboxField("Comités que vous rejoignez", choices=[])
    show_college = RadioField("Affichage de votre collège", default="default", validate_choice=False, choices=[
        ("default", "Choix par défaut : affiché, sauf pour les collèges des personnes accompagnées et des partenaires sociaux"),
        ("yes", "Afficher mon collège à côté de mon pseudonyme"),
        ("no", "Ne pas afficher mon collège"),
    ])
    adheres_convention = BooleanField("J'adhère à la convention des comités locaux")
    accepts_charter = BooleanField("J'ai lu et j'accepte le règlement de fonctionnement")
    submit = SubmitField("Créer mon compte")


class ProfileForm(FlaskForm):
    show_college = BooleanField("Afficher mon collège à côté de mon pseudonyme")
    bio = TextAreaField("Présentation (facultatif)")
    locale = SelectField("Langue de l'interface", choices=[("fr", "Français"), ("en", "English")],
                         validate_choice=False)
    submit = SubmitField("Enregistrer")


class CommitteesForm(FlaskForm):
    committees = MultiCheckboxField("Mes comités", choices=[])
    submit = SubmitField("Enregistrer mes comités")


class PasswordForm(FlaskForm):
    current_password = PasswordField("Mot de passe actuel")
    new_password = PasswordField("Nouveau mot de passe")
    submit = SubmitField("Changer le mot de passe")


class SpaceForm(FlaskForm):
    name = StringField("Nom")
    kind = SelectField("Type", validate_choice=False, choices=[
        ("comite", "Comité local"), ("theme", "Thème transversal"), ("regional", "Coordination régionale")])
    department = StringField("Département (comités)")
    description = TextAreaField("Description")
    visibility = SelectField("Qui peut lire", validate_choice=False, choices=[
        ("public", "Tout le monde, même sans compte"), ("members", "Les membres connectés"),
        ("restricted", "Seulement les comités et collèges choisis")])
    committees = MultiCheckboxField("Comités admis (espace restreint)", choices=[])
    colleges = MultiCheckboxField("Collèges admis (espace restreint)", choices=[])
    submit = SubmitField("Enregistrer l'espace")


class TagForm(FlaskForm):
    name = StringField("Nom")
    description = TextAreaField("Description")
    submit = SubmitField("Enregistrer l'étiquette")


class CollegeForm(FlaskForm):
    name = StringField("Nom")
    description = TextAreaField("Description")
    sensitive = BooleanField("Appartenance sensible (masquée par défaut)")
    submit = SubmitField("Enregistrer le collège")


class MemberAdminForm(FlaskForm):
    college = SelectField("Collège", choices=[], validate_choice=False)
    role = SelectField("Rôle", validate_choice=False, choices=[
        ("member", "Membre"), ("coordinator", "Coordination"), ("admin", "Administration")])
    submit = SubmitField("Enregistrer")


class ModeratorForm(FlaskForm):
    pseudonym = StringField("Pseudonyme du membre")
    submit = SubmitField("Nommer modérateur")
