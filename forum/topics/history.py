"""Edit history: what changed between two revisions of a post, word by word."""
import difflib
import re
from dataclasses import dataclass

from flask_babel import lazy_gettext

from forum.numbers import parse_int

# Why a version was withdrawn (``PostRevision.redaction_reason``), as its placeholder says it:
# "Version retirée le … (données personnelles)". The text itself is never shown again here.
REDACTION_REASONS = {
    "third_party": lazy_gettext("données personnelles"),
    "own_data": lazy_gettext("données personnelles"),
    "secrecy": lazy_gettext("secret professionnel"),
}


def redaction_label(revision):
    return REDACTION_REASONS.get(revision.redaction_reason, REDACTION_REASONS["third_party"])

# Words with the spaces that follow them, and every line break on its own: a diff of a
# rewritten paragraph stays readable, and added or removed lines show as such.
_PIECES = re.compile(r"\n|[^\S\n]+|[^\s]+[^\S\n]*")


@dataclass(frozen=True)
class Piece:
    kind: str       # "same", "added" or "removed"
    text: str


def diff_text(old, new):
    """The pieces of ``new`` and ``old`` in reading order, marked same / added / removed."""
    a, b = _PIECES.findall(old or ""), _PIECES.findall(new or "")
    pieces = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            pieces.append(Piece("same", "".join(a[a1:a2])))
            continue
        if a2 > a1:
            pieces.append(Piece("removed", "".join(a[a1:a2])))
        if b2 > b1:
            pieces.append(Piece("added", "".join(b[b1:b2])))
    return pieces


def changed_lines(pieces):
    """Only the lines of a diff where something changed, in order; None stands for each run of
    unchanged lines left out. A long document's history then reads on a phone."""
    lines, current = [], []
    for piece in pieces:
        parts = piece.text.split("\n")
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            if part or not last:
                current.append(Piece(piece.kind, part if last else part + "\n"))
            if not last:
                lines.append(current)
                current = []
    if current:
        lines.append(current)
    shown = []
    for line in lines:
        if any(p.kind != "same" for p in line):
            shown.append(line)
        elif line and not (shown and shown[-1] is None):
            shown.append(None)
    return shown


@dataclass(frozen=True)
class Change:
    old: object                     # PostRevision
    new: object
    pieces: list
    title_pieces: list | None       # the opening post's title, when it changed

    @property
    def redacted(self):
        """Either side withdrawn: no word of it is compared (a diff would show them as removed)."""
        return self.old.redacted_at is not None or self.new.redacted_at is not None

    @property
    def added(self):
        return sum(len(p.text.split()) for p in self.pieces if p.kind == "added")

    @property
    def removed(self):
        return sum(len(p.text.split()) for p in self.pieces if p.kind == "removed")


def compare(old, new):
    if old.redacted_at is not None or new.redacted_at is not None:
        return Change(old, new, [], None)
    title_pieces = None
    if old.title is not None and new.title is not None and old.title != new.title:
        title_pieces = diff_text(old.title, new.title)
    return Change(old, new, diff_text(old.source, new.source), title_pieces)


def changes(revisions):
    """Each revision compared with the one before it, newest first."""
    return [compare(old, new) for old, new in zip(revisions, revisions[1:])][::-1]


def chosen_pair(revisions, old, new):
    """The comparison of revisions numbered ``old`` and ``new`` (as typed in the address), if both exist."""
    by_number = {revision.number: revision for revision in revisions}
    old, new = parse_int(old), parse_int(new)
    if old in by_number and new in by_number:
        return compare(by_number[old], by_number[new])
    return None
