"""What each kind of decision asks and accepts: names, fixed options, the ballot's shape.

A ballot's choice is ``{option position: value}`` (positions from 0, in the options' order):
one option at 1 for consent, sense check and single choice; the chosen ones at 1 for multiple
choice; ranks 1..n for ranked choice (unranked options absent); 0..max_score for every option
of a score vote; 2 (oui), 1 (peut-être), 0 (non) for every slot of a meeting-time poll.
"""
from flask_babel import gettext as _, lazy_gettext

from forum.errors import Invalid

from .models import CONSENT, CONSENT_OPTIONS, MEETING, MULTIPLE, RANKED, SCORE, SENSE, SENSE_OPTIONS, SINGLE

KIND_NAMES = {
    CONSENT: lazy_gettext("Proposition par consentement"),
    SINGLE: lazy_gettext("Choix unique"),
    MULTIPLE: lazy_gettext("Choix multiple"),
    RANKED: lazy_gettext("Classement"),
    SCORE: lazy_gettext("Notes"),
    MEETING: lazy_gettext("Date de réunion"),
    SENSE: lazy_gettext("Avis rapide"),
}

KIND_HELP = {
    CONSENT: lazy_gettext("Chacun dit s'il est d'accord, s'abstient, est en désaccord ou fait objection "
                "(une objection dit pourquoi)."),
    SINGLE: lazy_gettext("Chacun choisit une option."),
    MULTIPLE: lazy_gettext("Chacun choisit plusieurs options, entre un minimum et un maximum."),
    RANKED: lazy_gettext("Chacun classe les options par ordre de préférence ; deux décomptes sont montrés : "
               "par éliminations successives et par points (Borda)."),
    SCORE: lazy_gettext("Chacun donne une note à chaque option."),
    MEETING: lazy_gettext("Chacun dit, pour chaque date proposée : oui, peut-être ou non."),
    SENSE: lazy_gettext("Un avis rapide : ça me va, je ne suis pas sûr·e, j'ai des réserves."),
}

FIXED_LABELS = {
    "agree": lazy_gettext("D'accord"),
    "abstain": lazy_gettext("Abstention"),
    "disagree": lazy_gettext("Désaccord"),
    "object": lazy_gettext("Objection"),
    "fine": lazy_gettext("Ça me va"),
    "unsure": lazy_gettext("Je ne suis pas sûr·e"),
    "concerned": lazy_gettext("J'ai des réserves"),
}

MEETING_ANSWERS = ((2, lazy_gettext("Oui")), (1, lazy_gettext("Peut-être")), (0, lazy_gettext("Non")))

FIXED_OPTIONS = {CONSENT: CONSENT_OPTIONS, SENSE: SENSE_OPTIONS}
ONE_CHOICE = (CONSENT, SENSE, SINGLE)
OBJECTION = CONSENT_OPTIONS.index("object")

MAX_OPTIONS = 20
MAX_SCORE = 10


def option_label(poll, option):
    """What an option is called on the page: fixed options in the reader's language."""
    if poll.kind in FIXED_OPTIONS:
        return str(FIXED_LABELS.get(option.label, option.label))
    return option.label


def is_objection(poll, choice):
    return poll.kind == CONSENT and choice.get(OBJECTION) == 1


def check_choice(poll, choice):
    """``choice`` (positions → values, ints) as the kind requires, or ``Invalid`` on "choice"."""
    positions = range(len(poll.options))
    if any(p not in positions for p in choice) or any(not isinstance(v, int) or isinstance(v, bool)
                                                       for v in choice.values()):
        raise Invalid({"choice": _("Ce bulletin nomme une option qui n'existe pas.")})
    if poll.kind in ONE_CHOICE:
        if len(choice) != 1 or set(choice.values()) != {1}:
            raise Invalid({"choice": _("Choisissez une réponse.")})
    elif poll.kind == MULTIPLE:
        chosen = [p for p, v in choice.items() if v == 1]
        if len(chosen) != len(choice):
            raise Invalid({"choice": _("Ce bulletin nomme une option qui n'existe pas.")})
        low, high = poll.min_choices or 1, poll.max_choices or len(poll.options)
        if not low <= len(chosen) <= high:
            raise Invalid({"choice": _("Choisissez entre %(low)d et %(high)d options.", low=low, high=high)})
    elif poll.kind == RANKED:
        ranks = list(choice.values())
        if not ranks:
            raise Invalid({"choice": _("Classez au moins une option.")})
        if len(set(ranks)) != len(ranks):
            raise Invalid({"choice": _("Deux options ont le même rang : donnez à chacune un rang différent.")})
        if min(ranks) < 1:
            raise Invalid({"choice": _("Ce bulletin nomme une option qui n'existe pas.")})
    elif poll.kind == SCORE:
        if set(choice) != set(positions) or any(not 0 <= v <= poll.max_score for v in choice.values()):
            raise Invalid({"choice": _("Donnez à chaque option une note de 0 à %(top)d.", top=poll.max_score)})
    elif poll.kind == MEETING:
        if set(choice) != set(positions) or any(v not in (0, 1, 2) for v in choice.values()):
            raise Invalid({"choice": _("Répondez pour chaque date : oui, peut-être ou non.")})
    return normalised(poll, choice)


def normalised(poll, choice):
    """Ranks renumbered 1, 2, 3… in their order (a gap left by the form is no error)."""
    if poll.kind != RANKED:
        return dict(choice)
    ordered = sorted(choice, key=choice.get)
    return {p: rank for rank, p in enumerate(ordered, start=1)}


def stored(choice):
    """JSON keys are strings."""
    return {str(p): v for p, v in choice.items()}


def loaded(raw):
    return {int(p): v for p, v in (raw or {}).items()}
