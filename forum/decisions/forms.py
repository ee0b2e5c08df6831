"""The forms of decisions: opening (and editing) one, casting a ballot.

Every field is read as text and parsed here or in the domain, so that a bad value comes back
as 422 next to its field with everything typed kept (a WTForms conversion error would be a
bare 400)."""
from dataclasses import replace
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from flask_babel import gettext as _, lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, StringField, SubmitField, TextAreaField

from forum import dates
from forum.clock import now
from forum.errors import Invalid, Refused
from forum.numbers import parse_ids, parse_int
from forum.topics import posting
from forum.web.forms import MultiCheckboxField

from . import kinds, rules, voting
from .models import (KINDS, MEETING, MULTIPLE, RANKED, REASON_NONE, REASON_OPTIONAL, REASON_REQUIRED,
                     RESULTS_AFTER_CLOSING, RESULTS_AFTER_VOTE, RESULTS_SHOWN, SCORE, SENSE)

RESULTS_CHOICES = [
    (RESULTS_SHOWN, _l("Montrés à tous pendant le vote")),
    (RESULTS_AFTER_VOTE, _l("Montrés à chacun après son vote")),
    (RESULTS_AFTER_CLOSING, _l("Montrés seulement à la clôture")),
]
REASON_CHOICES = [
    (REASON_OPTIONAL, _l("Facultative")),
    (REASON_REQUIRED, _l("Obligatoire")),
    (REASON_NONE, _l("Pas de raison")),
]


class SettingsForm(FlaskForm):
    """What may be set at opening and changed while no ballot is cast (``EditForm``)."""
    question = StringField(_l("Question posée"))
    options = TextAreaField(_l("Options, une par ligne"))
    closes_on = StringField(_l("Date de clôture"))
    closes_time = StringField(_l("Heure de clôture"))
    min_choices = StringField(_l("Nombre minimum de choix"))
    max_choices = StringField(_l("Nombre maximum de choix"))
    max_score = StringField(_l("Note la plus haute"))
    results_mode = RadioField(_l("Résultats"), choices=RESULTS_CHOICES, default=RESULTS_SHOWN, validate_choice=False)
    reason_mode = RadioField(_l("Raison du vote"), choices=REASON_CHOICES, default=REASON_OPTIONAL,
                             validate_choice=False)
    quorum_voters = StringField(_l("Quorum : nombre minimum de votants"))
    quorum_colleges = StringField(_l("Quorum : nombre minimum de collèges représentés"))
    committees = MultiCheckboxField(_l("Réservé aux membres de ces comités"), choices=[])
    colleges = MultiCheckboxField(_l("Réservé aux membres de ces collèges"), choices=[])

    def with_choices(self, committees, colleges):
        self.committees.choices = [(str(c.id), c.name) for c in committees]
        self.colleges.choices = [(str(c.id), c.name) for c in colleges]
        return self

    def settings(self, kind, anonymous):
        """The ``PollSettings`` typed, or ``Invalid`` naming every field that is not a number or a date."""
        errors = {}

        def number(field, default=None, message=None):
            raw = (field.data or "").strip()
            if not raw:
                return default
            value = parse_int(raw, 0)
            if value is None:
                errors[field.name] = message or _("Écrivez un nombre entier (0 ou plus).")
            return value

        closes_at = paris_to_utc(self.closes_on.data, self.closes_time.data)
        if closes_at is False:
            errors["closes_on"] = _("Une date (jj/mm/aaaa) et une heure (hh:mm) de clôture, s'il vous plaît.")
        settings = voting.PollSettings(
            kind=kind, question=self.question.data or "", closes_at=closes_at or None,
            options=[line for line in (self.options.data or "").splitlines() if line.strip()],
            min_choices=number(self.min_choices), max_choices=number(self.max_choices),
            max_score=number(self.max_score), results_mode=self.results_mode.data or RESULTS_SHOWN,
            anonymous=anonymous, reason_mode=self.reason_mode.data or REASON_OPTIONAL,
            quorum_voters=number(self.quorum_voters, 0) or 0, quorum_colleges=number(self.quorum_colleges, 0) or 0,
            committee_ids=tuple(parse_ids(self.committees.data)), college_ids=tuple(parse_ids(self.colleges.data)))
        if errors:
            # Every field's message at once: the domain's checks on the rest of the form too.
            checked = replace(settings, closes_at=settings.closes_at or now() + timedelta(days=1))
            raise Invalid(on_fields({**voting._check_settings(checked), **errors}))
        return settings

    def fill(self, poll):
        """The form as the decision stands (the edit page's first display)."""
        self.question.data = poll.question
        self.options.data = "\n".join(o.label for o in poll.options) if poll.kind not in kinds.FIXED_OPTIONS else ""
        moment = dates.local(poll.closes_at)
        self.closes_on.data, self.closes_time.data = f"{moment:%Y-%m-%d}", f"{moment:%H:%M}"
        for name in ("min_choices", "max_choices", "max_score"):
            value = getattr(poll, name)
            getattr(self, name).data = "" if value is None else str(value)
        self.results_mode.data, self.reason_mode.data = poll.results_mode, poll.reason_mode
        self.quorum_voters.data, self.quorum_colleges.data = str(poll.quorum_voters), str(poll.quorum_colleges)
        self.committees.data = [str(c.id) for c in poll.committees]
        self.colleges.data = [str(c.id) for c in poll.colleges]
        return self


class OpenForm(SettingsForm):
    kind = RadioField(_l("Genre de décision"), choices=[(k, kinds.KIND_NAMES[k]) for k in KINDS],
                      validate_choice=False)
    body = TextAreaField(_l("Votre message : ce qui est proposé, et pourquoi"))
    anonymous = BooleanField(_l("Vote anonyme (irréversible)"))
    submit = SubmitField(_l("Ouvrir la décision"))

    def suggest(self):
        """The first display: closing in a week at 18:00 (Paris), results shown, reason optional."""
        moment = dates.local(now() + timedelta(days=7))
        self.closes_on.data, self.closes_time.data = f"{moment:%Y-%m-%d}", "18:00"
        return self

    def poll_settings(self):
        kind, anonymous = self.kind.data or "", bool(self.anonymous.data)
        if kind in KINDS:
            return self.settings(kind, anonymous)
        # No kind chosen: the other fields' messages come at once too (checked as a kind with
        # fixed options, which asks nothing of the options field).
        errors = {}
        try:
            errors.update(voting._check_settings(self.settings(SENSE, anonymous)))
        except Invalid as refusal:
            errors.update(refusal.fields)
        try:
            posting.clean_body(self.body.data or "")
        except Invalid as refusal:
            errors.update(refusal.fields)
        errors["kind"] = _("Choisissez le genre de décision.")
        raise Invalid(on_fields(errors))


class EditForm(SettingsForm):
    submit = SubmitField(_l("Enregistrer la décision"))


class BallotForm(FlaskForm):
    """The ballot's choice is read from the request by ``read_choice`` (its fields depend on
    the options); ``choice`` only carries its error."""
    choice = StringField(_l("Votre choix"))
    reason = TextAreaField(_l("Votre raison"))
    submit = SubmitField(_l("Voter"))


def paris_to_utc(day, moment):
    """A date and time typed in the forum's zone as naive UTC; None when both are empty,
    False when they do not read as a date and a time."""
    day, moment = (day or "").strip(), (moment or "").strip()
    if not day and not moment:
        return None
    try:
        parsed_day = date.fromisoformat(day) if "-" in day else datetime.strptime(day, "%d/%m/%Y").date()
        parsed_time = time.fromisoformat(moment.replace("h", ":").replace(" ", "")) if moment else time(12, 0)
    except ValueError:
        return False
    local = datetime.combine(parsed_day, parsed_time.replace(second=0, microsecond=0), ZoneInfo(dates.zone_name()))
    return local.astimezone(timezone.utc).replace(tzinfo=None)


def read_choice(poll, form, strict=True):
    """``{position: value}`` from the form's fields (see templates/decisions/_ballot.html).
    ``strict``: a value that is not a number is ``Invalid``; else it is left out (to show
    again what was typed)."""
    positions = range(len(poll.options))
    if poll.kind in kinds.ONE_CHOICE or poll.kind == MULTIPLE:
        values = {parse_int(p, 0): 1 for p in form.getlist("choice")}
        if strict and None in values:
            raise Invalid({"choice": _("Ce bulletin nomme une option qui n'existe pas.")})
        values.pop(None, None)
        return values
    prefix = {RANKED: "rank", SCORE: "score", MEETING: "slot"}[poll.kind]
    choice = {}
    for position in positions:
        raw = (form.get(f"{prefix}-{position}") or "").strip()
        if not raw:
            continue
        value = parse_int(raw, -1000, 1000)
        if value is None:
            if strict:
                raise Invalid({"choice": _("Ce bulletin nomme une option qui n'existe pas.")})
            continue
        choice[position] = value
    return choice


def cast_from_form(member, poll, data, reason):
    """A ballot from the form: who may vote is asked before what was typed is read (an
    outsider's malformed ballot is a 403, not a 422)."""
    refusal = rules.why_cannot_vote(member, poll)
    if refusal:
        raise Refused(refusal[1], status=refusal[0])
    return voting.cast_ballot(member, poll, read_choice(poll, data), reason)


def on_fields(errors):
    """The domain names the closing ``closes_at``; the form shows it as its date field."""
    return {("closes_on" if name == "closes_at" else name): message for name, message in errors.items()}


def on_form(action):
    """``action()``, its refusal's messages placed on this form's fields."""
    try:
        return action()
    except Invalid as refusal:
        raise Invalid(on_fields(refusal.fields), refusal.status) from None
