"""Forms of the moderation pages: CSRF and types; the domain functions hold the rules."""
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectField, StringField, SubmitField, TextAreaField

from forum import charter
from forum.forms import MultiCheckboxField


def article_choices():
    version = charter.current_version()
    return [(str(a.id), f"Article {a.number} — {a.title}") for a in version.articles] if version else []


class ReportForm(FlaskForm):
    reason = RadioField("Ce message enfreint", choices=[], validate_choice=False)
    detail = StringField("Précisez (pour « Autre »)")
    message = TextAreaField("Un mot pour la modération (facultatif)")
    submit = SubmitField("Envoyer le signalement")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.reason.choices = article_choices() + [
            ("third_party", "Données personnelles d'un tiers"), ("other", "Autre")]


class DecisionForm(FlaskForm):
    """One form for every decision: the fields an action does not use are ignored."""
    articles = MultiCheckboxField("Articles du règlement cités", choices=[])
    justification = TextAreaField("Justification (lue par la personne concernée)")
    reports = HiddenField()
    title = StringField("Titre")
    body = TextAreaField("Texte du message")
    space = SelectField("Espace de destination", choices=[], validate_choice=False)
    minutes = StringField("Intervalle entre deux messages d'un membre (minutes)")
    duration = StringField("Durée")
    unit = SelectField("Unité", choices=[("jours", "jours"), ("heures", "heures")], validate_choice=False)
    submit = SubmitField("Confirmer")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.articles.choices = article_choices()

    @property
    def seen_reports(self):
        return [i for i in (self.reports.data or "").split(",") if i.strip()]


class AppealForm(FlaskForm):
    message = TextAreaField("Pourquoi contestez-vous cette décision ?")
    submit = SubmitField("Envoyer mon recours")


class AppealReviewForm(FlaskForm):
    outcome = RadioField("Votre décision", validate_choice=False, choices=[
        ("confirm", "Confirmer la décision"), ("reverse", "Annuler la décision")])
    justification = TextAreaField("Réponse motivée (lue par la personne concernée)")
    articles = MultiCheckboxField("Articles cités (facultatif)", choices=[])
    submit = SubmitField("Rendre la décision sur ce recours")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.articles.choices = article_choices()


class SpaceSettingsForm(FlaskForm):
    report_threshold = StringField("Signalements de membres distincts qui masquent un message en attente d'examen")
    approve_first_posts = StringField("Premiers messages d'un membre soumis à approbation (0 : aucun)")
    submit = SubmitField("Enregistrer les réglages")


class WatchedWordForm(FlaskForm):
    phrase = StringField("Mot ou expression (astérisque final permis : « arnaqu* »)")
    action = SelectField("Quand il apparaît dans un message", validate_choice=False, choices=[
        ("block", "Refuser le message"), ("approve", "Soumettre le message à approbation"),
        ("flag", "Publier et signaler à la modération")])
    submit = SubmitField("Ajouter le mot")


class CharterDraftForm(FlaskForm):
    title = StringField("Titre du règlement")
    text = TextAreaField("Texte (Markdown : chaque article commence par une ligne « ## Titre »)")
    preview = SubmitField("Prévisualiser")
    submit = SubmitField("Enregistrer le brouillon")
