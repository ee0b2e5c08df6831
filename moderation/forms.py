"""Forms of the moderation pages: CSRF and types; the domain functions hold the rules."""
from flask_babel import gettext, lazy_gettext
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, RadioField, SelectField, StringField, SubmitField, TextAreaField

from forum.charter import versions as charter
from forum.web.forms import MultiCheckboxField


def article_choices(reporting=False):
    """The current version's articles; when ``reporting``, those a member may cite in a report."""
    version = charter.current_version()
    return [(str(a.id), gettext("Article %(number)s — %(title)s", number=a.number, title=a.title))
            for a in version.articles if a.reportable or not reporting] if version else []


class ReportForm(FlaskForm):
    reason = RadioField(lazy_gettext("Ce message enfreint"), choices=[], validate_choice=False)
    detail = StringField(lazy_gettext("Précisez (pour « Autre »)"))
    message = TextAreaField(lazy_gettext("Un mot pour la modération (facultatif)"))
    submit = SubmitField(lazy_gettext("Envoyer le signalement"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The règlement's own articles are the reasons (one choice for personal data: its
        # article), then "Autre" for what no article says.
        self.reason.choices = article_choices(reporting=True) + [("other", gettext("Autre"))]


class DecisionForm(FlaskForm):
    """One form for every decision: the fields an action does not use are ignored."""
    articles = MultiCheckboxField(lazy_gettext("Articles du règlement cités"), choices=[])
    justification = TextAreaField(lazy_gettext("Justification (lue par la personne concernée)"))
    reports = HiddenField()
    warn = BooleanField(lazy_gettext("Avertir aussi l'auteur (mêmes articles, même justification)"))
    # Where the moderator came from (the queue), to go back there once decided.
    next = HiddenField()
    title = StringField(lazy_gettext("Titre"))
    body = TextAreaField(lazy_gettext("Texte du message"))
    space = SelectField(lazy_gettext("Espace de destination"), choices=[], validate_choice=False)
    minutes = StringField(lazy_gettext("Intervalle entre deux messages d'un membre (minutes)"))
    duration = StringField(lazy_gettext("Durée"))
    unit = SelectField(lazy_gettext("Unité"), validate_choice=False,
                       choices=[("jours", lazy_gettext("jours")), ("heures", lazy_gettext("heures"))])
    # An announcement: its last day on the home page and its audience (forum/announcements/audience.py).
    until = StringField(lazy_gettext("Épinglée sur l'accueil jusqu'au (jj/mm/aaaa, inclus)"))
    audience = RadioField(lazy_gettext("Adressée à"), validate_choice=False, default="tous", choices=[
        ("tous", lazy_gettext("Tous les membres")), ("comites", lazy_gettext("Aux comités cochés"))])
    committees = MultiCheckboxField(lazy_gettext("Comités"), choices=[])
    submit = SubmitField(lazy_gettext("Confirmer"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.articles.choices = article_choices()

    @property
    def seen_reports(self):
        return [i for i in (self.reports.data or "").split(",") if i.strip()]


class AppealForm(FlaskForm):
    message = TextAreaField(lazy_gettext("Pourquoi contestez-vous cette décision ?"))
    submit = SubmitField(lazy_gettext("Envoyer mon recours"))


class AppealReviewForm(FlaskForm):
    outcome = RadioField(lazy_gettext("Votre décision"), validate_choice=False, choices=[
        ("confirm", lazy_gettext("Confirmer la décision")), ("reverse", lazy_gettext("Annuler la décision"))])
    justification = TextAreaField(lazy_gettext("Réponse motivée (lue par la personne concernée)"))
    articles = MultiCheckboxField(lazy_gettext("Articles cités (facultatif)"), choices=[])
    submit = SubmitField(lazy_gettext("Rendre la décision sur ce recours"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.articles.choices = article_choices()


class SpaceSettingsForm(FlaskForm):
    report_threshold = StringField(lazy_gettext(
        "Signalements de membres distincts qui masquent un message en attente d'examen"))
    approve_first_posts = StringField(lazy_gettext(
        "Premiers messages d'un membre soumis à approbation (0 : aucun)"))
    escalate_after_hours = StringField(lazy_gettext("Délai avant de prévenir la coordination (heures)"))
    submit = SubmitField(lazy_gettext("Enregistrer les réglages"))


class WatchedWordForm(FlaskForm):
    phrase = StringField(lazy_gettext("Mot ou expression (astérisque final permis : « arnaqu* »)"))
    action = SelectField(lazy_gettext("Quand il apparaît dans un message"), validate_choice=False, choices=[
        ("block", lazy_gettext("Refuser le message")),
        ("approve", lazy_gettext("Soumettre le message à approbation")),
        ("flag", lazy_gettext("Publier et signaler à la modération"))])
    submit = SubmitField(lazy_gettext("Ajouter le mot"))


class CharterDraftForm(FlaskForm):
    title = StringField(lazy_gettext("Titre du règlement"))
    text = TextAreaField(lazy_gettext(
        "Texte (Markdown : chaque article commence par une ligne « ## Titre »)"))
    preview = SubmitField(lazy_gettext("Prévisualiser"))
    submit = SubmitField(lazy_gettext("Enregistrer le brouillon"))


class RedactionForm(FlaskForm):
    """Withdraw a version: a moderator chooses a reason and cites articles; the author only confirms."""
    reason = RadioField(lazy_gettext("Pourquoi retirer cette version"), choices=[], validate_choice=False)
    articles = MultiCheckboxField(lazy_gettext("Articles du règlement cités"), choices=[])
    submit = SubmitField(lazy_gettext("Retirer cette version"))

    def __init__(self, reasons, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.reason.choices = [(key, str(label)) for key, label in reasons.items()]
        self.articles.choices = article_choices()
