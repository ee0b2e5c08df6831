"""Forms of the coordination pages: spaces, tags, collèges, members, moderators."""
from flask_babel import lazy_gettext
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectField, StringField, SubmitField, TextAreaField

from forum.web.forms import MultiCheckboxField


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
    staff_reads = BooleanField(lazy_gettext("La coordination et les administrateurs lisent cet espace "
                                            "(espace réservé à des collèges)"), default=True)
    decisions_opened_by = SelectField(lazy_gettext("Qui ouvre une décision"), validate_choice=False, choices=[
        ("writers", lazy_gettext("Quiconque peut répondre dans l'espace")),
        ("moderators", lazy_gettext("Seulement ses modérateurs et la coordination"))], default="writers")
    submit = SubmitField(lazy_gettext("Enregistrer l'espace"))


class TagForm(FlaskForm):
    name = StringField(lazy_gettext("Nom"))
    description = TextAreaField(lazy_gettext("Description"))
    submit = SubmitField(lazy_gettext("Enregistrer l'étiquette"))


class CollegeForm(FlaskForm):
    name = StringField(lazy_gettext("Nom"))
    description = TextAreaField(lazy_gettext("Description"))
    sensitive = BooleanField(lazy_gettext("Appartenance sensible (masquée par défaut)"))
    travel_costs_covered = BooleanField(lazy_gettext("Frais de déplacement pris en charge pour ce collège"))
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


class EraseForm(FlaskForm):
    mode = RadioField(lazy_gettext("Que deviennent ses messages ?"), validate_choice=False, choices=[
        ("anonymise", lazy_gettext("Ils restent, signés « Ancien membre » suivi d'un numéro : les fils restent complets.")),
        ("remove", lazy_gettext("Ils sont retirés : une mention « Message retiré » garde les fils lisibles."))])
    submit = SubmitField(lazy_gettext("Effacer le compte"))


class EmailChangeForm(FlaskForm):
    email = StringField(lazy_gettext("Nouvelle adresse électronique"))
    submit = SubmitField(lazy_gettext("Changer l'adresse"))


class ConventionForm(FlaskForm):
    text = TextAreaField(lazy_gettext("Texte de la convention"), render_kw={"rows": 16})
    note = StringField(lazy_gettext("Ce qui change, en une phrase (montré dans l'historique)"))
    submit = SubmitField(lazy_gettext("Publier cette version"))
