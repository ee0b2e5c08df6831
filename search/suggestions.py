"""« Vouliez-vous dire … ? »: a spelling suggestion when a search finds nothing.

The words people type are compared, accents and case aside, with the words of the forum's own
vocabulary: topic titles, tag and space names (a few thousand words, read again every few
minutes). ``difflib`` ranks the close ones. A suggestion is made only when the corrected query
finds posts holding all its words for the same viewer. A word found only in a title the
viewer may not read is therefore never suggested.
"""
import difflib
import re
import time
from collections import Counter

from flask import current_app
from sqlalchemy import select

from forum.extensions import db
from forum.topics.models import Space, Tag, Topic

from . import analysis

REFRESH_SECONDS = 300
SIMILARITY = 0.8           # difflib's ratio: one letter wrong, missing or doubled in a long word
MIN_LETTERS = 4
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", re.UNICODE)


def vocabulary():
    """{folded word: its most frequent written form} of titles, tags and spaces (kept per app
    for REFRESH_SECONDS: a new title is suggested a few minutes later)."""
    cache = current_app.extensions.setdefault("agora_vocabulary", {"at": float("-inf"), "words": {}})
    if time.monotonic() - cache["at"] < REFRESH_SECONDS:
        return cache["words"]
    forms = Counter()
    for column in (Topic.title, Tag.name, Space.name):
        for text in db.session.scalars(select(column)):
            forms.update(word.lower() for word in _WORD.findall(text or "") if len(word) >= MIN_LETTERS)
    words = {}
    for form, _count in forms.most_common():
        words.setdefault(analysis.fold(form), form)
    cache["words"], cache["at"] = words, time.monotonic()
    return words


def corrections(words):
    """{word: the closest word of the vocabulary} for each of ``words`` the vocabulary lacks."""
    known = vocabulary()
    found = {}
    for word in words:
        folded = analysis.fold(word)
        if len(folded) < MIN_LETTERS or folded in known or analysis.is_question_word(word):
            continue
        close = difflib.get_close_matches(folded, known.keys(), n=1, cutoff=SIMILARITY)
        if close:
            found[word] = known[close[0]]
    return found


def replace(text, corrections):
    """``text`` with each word of ``corrections`` replaced, once, as a whole word."""
    for word, better in corrections.items():
        text = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", better, text, count=1)
    return text
