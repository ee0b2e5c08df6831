"""French text analysis shared by the backends, and highlighted excerpts built from escaped text.

The analyzer (Whoosh's): a word tokenizer, lower-case, French stop words (the elided ``l d j qu n
s c m t`` included, so ``l'enfance`` gives ``enfanc``), accent folding, then Snowball French
stemming, so ``désinstitutionnaliser`` and ``desinstitutionnalisation`` meet. PostgreSQL does the
same with its ``fr_unaccent`` configuration (see the migration).

Excerpts never come from a backend's snippet function: the post's plain text is cut, every piece
is HTML-escaped, and only then are the matching words wrapped in ``<mark>``. A ``<script>`` in a
post therefore comes back as text, whatever the backend.
"""
import functools
import re

from markupsafe import Markup, escape
from whoosh.analysis import CharsetFilter, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.lang import stopwords_for_language
from whoosh.support.charset import accent_map


def fold(word):
    """Lower case, accents off: how words are compared (``Hébergement`` → ``hebergement``)."""
    return word.lower().translate(accent_map)


# Whoosh's Snowball list lacks a few of the most frequent French words.
EXTRA_STOP_WORDS = {"les", "a", "cette", "cet", "leurs", "ils", "elles", "ni", "car", "donc", "quel", "quelle",
                    "quels", "quelles", "où"}
# Accents are folded *before* stemming, as PostgreSQL's unaccent + french_stem does: a word typed
# without its accents ("solidarite") must stem like the accented one ("solidarité"), which the
# Snowball French stemmer alone does not do (stemming first, then folding, also scored lower on
# PIAF: MRR@10 0.753 against 0.759). The stop list is folded the same way.
FRENCH = (RegexTokenizer() | LowercaseFilter() | CharsetFilter(accent_map)
          | StopFilter(stoplist=frozenset(fold(w) for w in stopwords_for_language("fr") | EXTRA_STOP_WORDS))
          | StemFilter(lang="fr", cachesize=50000))

# Question words: people type questions ("comment obtenir l'AAH ?"); these words say what kind
# of answer is wanted, not what it is about. Dropped from a query that has other words, kept
# when asked alone. (PIAF: MRR@10 +0.003 with either backend.)
QUESTION_WORDS = frozenset(fold(w) for w in (
    "combien", "comment", "pourquoi", "quand", "quoi", "dont", "lequel", "laquelle", "lesquels",
    "lesquelles", "auquel", "auxquels", "auxquelles", "duquel", "desquels", "desquelles"))


def is_question_word(word):
    return fold(word) in QUESTION_WORDS


EXCERPT_CHARS = 240
_WORD = re.compile(r"\w+", re.UNICODE)


def stems(text):
    """The index terms of ``text``: ``"Les enfants d'abord"`` → ``["enfant", "abord"]``."""
    return [token.text for token in FRENCH(text)]


@functools.lru_cache(maxsize=50000)
def _stem(word):
    terms = stems(word)
    return terms[0] if len(terms) == 1 else None


def query_stems(terms):
    wanted = set()
    for term in terms:
        wanted.update(stems(term))
    return wanted


def excerpt(text, terms, limit=EXCERPT_CHARS):
    """An HTML excerpt of plain ``text`` around the words matching ``terms``, marked, escaped."""
    text = " ".join((text or "").split())
    wanted = query_stems(terms)
    matches = [m for m in _WORD.finditer(text) if wanted and _stem(m.group(0).lower()) in wanted]
    start = 0
    if matches and len(text) > limit:
        # The window that holds the most matches, starting a little before its first one.
        best, best_count = matches[0], 0
        for i, match in enumerate(matches):
            count = sum(1 for other in matches[i:] if other.start() < match.start() + limit - 40)
            if count > best_count:
                best, best_count = match, count
        start = max(0, best.start() - 40)
        if start:
            space = text.find(" ", start)
            start = space + 1 if 0 <= space < best.start() else start
    end = min(len(text), start + limit)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    pieces, cursor = [], start
    for match in matches:
        if match.start() < start or match.end() > end:
            continue
        pieces.append(escape(text[cursor:match.start()]))
        pieces.append(Markup("<mark>%s</mark>") % text[match.start():match.end()])
        cursor = match.end()
    pieces.append(escape(text[cursor:end]))
    html = Markup("").join(pieces)
    if start > 0:
        html = Markup("… ") + html
    if end < len(text):
        html = html + Markup(" …")
    return html


def mark(text, terms):
    """``text`` (a title) escaped, with the words matching ``terms`` in ``<mark>``."""
    return excerpt(text, terms, limit=max(len(text or ""), 1))
