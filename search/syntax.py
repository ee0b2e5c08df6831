"""The query language of the search box, the same for every backend.

``accompagnement "non-recours aux droits" -logement @camille #comite-13 tag:jeunesse
college:usagers after:2025-01-01 before:2026-01-01 in:title status:open type:decision order:latest``

Plain words are all required; "double quotes" make a phrase; a leading ``-`` excludes a word or
a phrase. Filters may also come from form fields (``parse(q, fields)``). Nothing here raises on
what a person types: mistakes become French messages in ``Query.messages`` and the rest of the
query still runs.
"""
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import gettext as _

ORDERS = ("relevance", "latest")
STATUSES = ("open", "closed")
# Longest word or phrase kept, and how many of them: a query is not a document.
MAX_TERM_CHARS = 100
MAX_TERMS = 20

# A phrase, a filter with a quoted value (tag:"Accès aux droits", #"Non-recours"), or a word.
# Filter names are letters, accented ones too: "collège:" and "après:" are "college:" and "apres:".
_TOKEN = re.compile(r'(-?)"([^"]*)"?|([#@]|[^\W\d_]+:)"([^"]*)"?|(\S+)')
_FILTER = re.compile(r"^([^\W\d_]+):(.*)$")


@dataclass
class Query:
    words: list = field(default_factory=list)        # required words
    phrases: list = field(default_factory=list)      # required phrases
    excluded: list = field(default_factory=list)     # words or phrases that must not appear
    author: str | None = None        # a pseudonym, as typed
    space: str | None = None         # a space slug
    tags: list = field(default_factory=list)
    college: str | None = None       # a collège slug
    after: date | None = None        # inclusive
    before: date | None = None       # exclusive
    in_title: bool = False
    status: str | None = None
    order: str = "relevance"
    type: str | None = None          # "decision": posts that opened a decision only; "synthese",
                                     # "ressource": the capitalisation's documents (search/capital.py)
    messages: list = field(default_factory=list)

    @property
    def has_text(self):
        return bool(self.words or self.phrases)

    @property
    def has_filters(self):
        return bool(self.author or self.space or self.tags or self.college or self.after
                    or self.before or self.status or self.type)

    def without_filters(self):
        """The words, phrases and exclusions, as they would be typed, without the filters."""
        excluded = [f'-"{x}"' if " " in x else f"-{x}" for x in self.excluded]
        return " ".join(list(self.words) + [f'"{p}"' for p in self.phrases] + excluded)

    @property
    def is_empty(self):
        return not (self.has_text or self.has_filters or self.excluded)


def _parse_date(value, name, messages):
    value = value.strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%Y-%m", "%Y"):
        try:
            parsed = datetime.strptime(value, pattern).date()
        except ValueError:
            continue
        if parsed.year < 1900:
            break
        return parsed
    messages.append(_("Date non comprise dans « %(name)s:%(value)s » : écrivez-la AAAA-MM-JJ (par exemple "
                      "%(name)s:2026-01-15).", name=name, value=value))
    return None


def _apply_filter(query, name, value, messages):
    name = name.lower()
    value = value.strip()
    if not value:
        messages.append(_("Le filtre « %(name)s: » attend une valeur (par exemple %(example)s).",
                          name=name, example=_EXAMPLES.get(name, name + ":…")))
        return
    if name in ("tag", "etiquette"):
        query.tags.append(value.lower())
    elif name in ("college", "collège"):
        query.college = value.lower()
    elif name in ("before", "avant"):
        query.before = _parse_date(value, name, messages) or query.before
    elif name in ("after", "apres", "après"):
        query.after = _parse_date(value, name, messages) or query.after
    elif name in ("in", "dans"):
        if value.lower() in ("title", "titre"):
            query.in_title = True
        else:
            messages.append(_("« %(name)s:%(value)s » : seul in:title (chercher dans les titres) existe.",
                              name=name, value=value))
    elif name == "status" or name == "statut":
        aliases = {"ouvert": "open", "ferme": "closed", "fermé": "closed"}
        status = aliases.get(value.lower(), value.lower())
        if status in STATUSES:
            query.status = status
        else:
            messages.append(_("Statut inconnu « %(value)s » : status:open (ouvert) ou status:closed (fermé).",
                              value=value))
    elif name in ("order", "tri"):
        aliases = {"pertinence": "relevance", "recent": "latest", "récent": "latest", "date": "latest"}
        order = aliases.get(value.lower(), value.lower())
        if order in ORDERS:
            query.order = order
        else:
            messages.append(_("Tri inconnu « %(value)s » : order:relevance (pertinence) ou order:latest (récent).",
                              value=value))
    elif name == "type":
        kind = value.lower().rstrip("s")
        if kind in ("decision", "décision"):
            query.type = "decision"
        elif kind in ("synthese", "synthèse"):
            query.type = "synthese"
        elif kind in ("ressource", "resource", "fiche"):
            query.type = "ressource"
        else:
            messages.append(_("Type inconnu « %(value)s » : type:decision (les décisions et leurs issues), "
                              "type:synthese (les synthèses publiées) ou type:ressource (les fiches ressources).",
                              value=value))
    elif name in ("auteur", "author"):
        query.author = value.lstrip("@")
    elif name in ("espace", "space"):
        query.space = value.lstrip("#").lower()
    else:
        return False
    return True


_EXAMPLES = {"tag": "tag:jeunesse", "college": "college:usagers", "before": "before:2026-01-01",
             "after": "after:2025-06-01", "in": "in:title", "status": "status:open", "order": "order:latest",
             "type": "type:decision"}
_KNOWN = {"tag", "etiquette", "college", "collège", "before", "avant", "after", "apres", "après", "in",
          "dans", "status", "statut", "order", "tri", "auteur", "author", "espace", "space", "type"}


def _unknown(name):
    return _("Filtre inconnu « %(name)s: » : les filtres sont @pseudonyme, #espace, tag:, college:, before:, "
             "after:, in:title, status:, type:decision et order:. Le mot a été cherché tel quel.", name=name)


def parse(text, fields=None):
    """A ``Query`` from the search box text and optional form fields (name → value)."""
    query = Query()
    messages = query.messages
    text = (text or "").replace("\x00", " ")
    text = text.replace("«", '"').replace("»", '"').replace("“", '"').replace("”", '"')
    count = 0
    for match in _TOKEN.finditer(text):
        negated, phrase, token = match.group(1), match.group(2), match.group(5)
        if match.group(3) is not None:
            name, value = match.group(3).rstrip(":"), " ".join(match.group(4).split())
            if name in ("#", "@"):
                name = "espace" if name == "#" else "auteur"
            if name.lower() in _KNOWN:
                _apply_filter(query, name, value, messages)
                continue
            phrase, token = value[:MAX_TERM_CHARS], match.group(3)   # not a filter: its words
            if name.lower() not in ("http", "https"):
                messages.append(_unknown(name))
            query.words.append(token[:MAX_TERM_CHARS])
            count += 1
        if phrase is not None:
            phrase = " ".join(phrase.split())[:MAX_TERM_CHARS]
            if phrase:
                count += 1
                (query.excluded if negated else query.phrases).append(phrase)
            continue
        if token.startswith("@") and len(token) > 1:
            query.author = token[1:]
            continue
        if token.startswith("#") and len(token) > 1:
            query.space = token[1:].lower()
            continue
        filtered = _FILTER.match(token)
        if filtered and not token.startswith(("http:", "https:")):
            name, value = filtered.groups()
            if name.lower() in _KNOWN:
                _apply_filter(query, name, value, messages)
                continue
            messages.append(_unknown(name))
        word = token[:MAX_TERM_CHARS]
        if word.startswith("-") and len(word) > 1:
            query.excluded.append(word[1:])
        elif word.strip("-"):
            query.words.append(word)
        count += 1
    if count > MAX_TERMS:
        messages.append(_("Requête trop longue : seuls les %(n)s premiers mots ont été cherchés.", n=MAX_TERMS))
        query.words = query.words[:MAX_TERMS]
        query.phrases = query.phrases[:MAX_TERMS]
        query.excluded = query.excluded[:MAX_TERMS]
    for name, value in (fields or {}).items():
        if value not in (None, ""):
            if name == "in" and value in ("1", "on", "true"):
                value = "title"
            _apply_filter(query, name, str(value), messages)
    if query.after and query.before and query.after >= query.before:
        messages.append(_("La date « après » doit précéder la date « avant » : aucun message ne peut correspondre."))
    return query
