"""« Vouliez-vous dire … ? »: a spelling suggestion when a search finds nothing.

The words people type are compared, accents and case aside, with the words of the forum's own
vocabulary: tag names, and the topic titles and names of the spaces the viewer may read (a few
thousand words, read again every few minutes). ``difflib`` ranks the close ones. A suggestion is
made only when the corrected query finds posts holding all its words for the same viewer. A
word found only in a title the viewer may not read is therefore never suggested, nor does it
hide a close word the viewer may read.
"""
import difflib
import re
import time
from collections import Counter, defaultdict

from flask import current_app
from sqlalchemy import select

from forum.extensions import db
from forum.topics.models import Space, Tag, Topic

from . import analysis

REFRESH_SECONDS = 300
SIMILARITY = 0.8           # difflib's ratio: one letter wrong, missing or doubled in a long word
MIN_LETTERS = 4
MERGED_KEPT = 64         # sets of readable spaces kept merged (anonymous, members, each comité…)
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", re.UNICODE)


def vocabulary(space_ids):
    """{folded word: its most frequent written form} of the tags, and of the titles and names of
    the spaces ``space_ids`` (those the viewer may read): a word seen only where the viewer may
    not read is neither suggested nor preferred to a close word they may read. Read again every
    REFRESH_SECONDS (a new title is suggested a few minutes later), merged once per set of spaces."""
    cache = current_app.extensions.setdefault("agora_vocabulary", {"at": float("-inf")})
    if time.monotonic() - cache["at"] >= REFRESH_SECONDS:
        forms = defaultdict(Counter)        # {space id, or None for the tags: written forms}
        for space_id, title in db.session.execute(select(Topic.space_id, Topic.title)):
            forms[space_id].update(_words(title))
        for space_id, name in db.session.execute(select(Space.id, Space.name)):
            forms[space_id].update(_words(name))
        for name in db.session.scalars(select(Tag.name)):
            forms[None].update(_words(name))
        cache.update(forms=dict(forms), merged={}, at=time.monotonic())
    key = frozenset(space_ids)
    words = cache["merged"].get(key)
    if words is None:
        counted = Counter(cache["forms"].get(None, {}))
        for space_id in key:
            counted.update(cache["forms"].get(space_id, {}))
        words = {}
        for form, _count in counted.most_common():
            words.setdefault(analysis.fold(form), form)
        if len(cache["merged"]) >= MERGED_KEPT:
            cache["merged"].clear()
        cache["merged"][key] = words
    return words


def _words(text):
    return (word.lower() for word in _WORD.findall(text or "") if len(word) >= MIN_LETTERS)


def corrections(words, space_ids):
    """{word: the closest word of the vocabulary of ``space_ids``} for each of ``words`` it lacks."""
    known = vocabulary(space_ids)
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
