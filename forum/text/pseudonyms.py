"""What a pseudonym is: the rule registration checks and mentions recognise, and the key two
pseudonyms are compared by (one place, so that a mention finds exactly whom registration let in).

Two comparisons, for two purposes:

- ``pseudonym_key`` (case-folded) says who a name *is*: mentions, login by pseudonym and
  ``@pseudonyme`` searches look members up by it, so it never changes meaning.
- ``pseudonym_skeleton`` says whom a name *looks like*: registration refuses a name whose
  skeleton is already taken (``Mоd-13`` with a Cyrillic о, ``Mod_13``), so nobody can pass for
  a moderator or the coordination. It is never used to find a member.
"""
import re
import unicodedata
from functools import cache

# 3 to 30 word characters, dots and hyphens, starting and ending with a letter or digit.
PSEUDONYM = r"[^\W_][\w.\-]{1,28}[^\W_]"
PSEUDONYM_PATTERN = re.compile(rf"^{PSEUDONYM}$")

# "Jean.Marc", "Jean-Marc" and "Jean_Marc" read as one name.
_SEPARATORS = re.compile(r"[._\-]")

# Scripts that mix in ordinary writing (UTS #39 "highly restrictive" profile): Japanese mixes
# Han with both kanas, Chinese Han with Bopomofo, Korean Han with Hangul. Any other mix
# (Latin with Cyrillic or Greek…) only serves to imitate someone.
_SHARED_SCRIPTS = {"COMMON", "INHERITED"}
_USUAL_MIXES = ({"HAN", "HIRAGANA", "KATAKANA"}, {"HAN", "BOPOMOFO"}, {"HAN", "HANGUL"})


def pseudonym_suggestion(typed):
    """A valid pseudonym close to ``typed`` (spaces become hyphens: "Fatima B" → "Fatima-B"), or
    None. A pseudonym has no space because ``@Fatima-B`` must mention exactly one member."""
    candidate = re.sub(r"[\s._\-]*\s[\s._\-]*", "-", (typed or "").strip())
    return candidate if candidate != typed and PSEUDONYM_PATTERN.match(candidate) else None


def pseudonym_key(pseudonym):
    return unicodedata.normalize("NFKC", pseudonym).casefold()


@cache
def _unicode_data():
    """(categories, prototypes), loaded on first use.

    confusable_homoglyphs ships Unicode's own data (confusables.txt of UTS #39 and Scripts.txt),
    is pure Python (no ICU to compile on every machine) and is the library django-registration
    relies on for the same purpose; we only derive the skeleton mapping from its data. Imported
    here, not above: its tables weigh about 10 MiB, and a web process needs them only when
    someone registers."""
    # Not at the top: about 10 MiB of tables that only a registration needs (see above).
    from confusable_homoglyphs import categories, confusables
    return categories, _prototypes(confusables)


def _prototypes(confusables):
    """Each confusable character → its UTS #39 prototype.

    The library keeps confusables.txt as pairs in both directions, so every prototype is the
    centre of a star: a single character linked to several others, or a several-character
    string ("rn" for "m"). A lone pair's two characters both map to the same one of the two,
    which keeps the comparison exact."""
    graph = confusables.confusables_data
    mapping = {}
    for char, links in graph.items():
        if len(char) != 1:
            continue
        # Right-to-left characters come wrapped in direction marks in the library's data.
        targets = [link["c"].strip("\u200e\u200f") for link in links]
        if len(targets) == 1 and (len(targets[0]) > 1 or len(graph.get(targets[0], ())) > 1
                                  or targets[0] < char):
            mapping[char] = targets[0]
    return mapping


def _map(text, keep=lambda char: False):
    prototype = _unicode_data()[1]
    return unicodedata.normalize("NFD", "".join(
        c if keep(c) else prototype.get(c, c) for c in unicodedata.normalize("NFD", text)))


def _latin_or_shared(char):
    return _unicode_data()[0].alias(char) in _SHARED_SCRIPTS | {"LATIN"}


def pseudonym_skeleton(pseudonym):
    """What ``pseudonym`` looks like: two names with one skeleton are look-alikes.

    The UTS #39 skeleton of the case-folded name (case never tells two members apart), folded
    again until stable because some prototypes are capitals ("0" → "O"). Letters of other
    alphabets are first mapped as written, before case folding, because their capitals are
    what imitates Latin (Cyrillic "АВС" looks like "ABC", its small "авс" does not)."""
    text = _map(unicodedata.normalize("NFKC", pseudonym), keep=_latin_or_shared)
    text = _SEPARATORS.sub("-", text.casefold())
    for _round in range(4):
        folded = _map(text).casefold()
        if folded == text:
            break
        text = folded
    return text


def mixes_scripts(pseudonym):
    """True when ``pseudonym`` mixes alphabets that ordinary writing never mixes."""
    scripts = _unicode_data()[0].unique_aliases(unicodedata.normalize("NFKC", pseudonym)) - _SHARED_SCRIPTS
    return len(scripts) > 1 and not any(scripts <= mix for mix in _USUAL_MIXES)
