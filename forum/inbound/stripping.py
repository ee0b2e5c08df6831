"""What the member wrote, without the message they answer, their signature or their phone's.

Two passes. First mail-parser-reply (MIT, maintained, knows the "On … wrote:" headers of many
languages, French included) cuts the reply at the earliest quoted message it recognises. Then
each remaining line is classified (empty, delimiter, phone signature, embedded email marker,
email header, quote, text) and the reply is cut on the pattern of those classes: the method of
Discourse's email_reply_trimmer (MIT), whose 64 real replies are our test corpus
(tests/inbound/test_stripping.py), with the French wordings of our members' mail clients
(« Le … a écrit : », Outlook's « De : … Envoyé : … », « Envoyé de mon iPhone »).
"""
import re

from mailparser_reply import EmailReplyParser

_PARSER = EmailReplyParser(languages=["fr", "en", "de", "es", "it", "nl", "pl"])

EMPTY, DELIMITER, SIGNATURE, EMBEDDED, HEADER, QUOTE, TEXT = "e", "d", "s", "b", "h", "q", "t"

_EMPTY = re.compile(r"^[\s>]*$")
_DELIMITER = re.compile(r"^\s*(--|__|-\w-|[-_=*~#+]{4,}|[\u2013\u2014\u2015]{2,}|-- )\s*$|^-{3,}\s*\S.*\S\s*-{3,}$|"
                        r"^\s*-{2,}\s*(message d'origine|original message|mensaje original|"
                        r"messaggio originale|ursprüngliche nachricht|oorspronkelijk bericht)\s*-{2,}\s*$", re.I)
_SIGNATURE = re.compile(
    r"^\s*(envoy[ée] (de|depuis) (mon|ma|un|une|l'application)\b.*|obtenir outlook pour .*|"
    r"sent (from|with|via) (my|a|an|the)?\s*\S.*|get outlook for .*|"
    r"von meinem .* gesendet|gesendet von (meinem )?.*(iphone|ipad|android|handy|mobil).*|"
    r"enviado (desde|de) (mi|el|un) .*|inviato da (il mio )?.*(iphone|ipad|android|samsung).*|"
    r"verzonden (met|vanaf) (mijn )?.*|wys[łl]ane z .*|skickat fr[åa]n .*)$", re.I)
_EMBEDDED = re.compile(
    r"^\s*>?\s*(le .{3,200}a [ée]crit\s?:|on .{3,200}wrote:|am .{3,200}schrieb .{0,80}:|"
    r"el .{3,200}escribi[óo]:|il .{3,200}scritto:|op .{3,200}geschreven.{0,20}:|"
    r"dnia .{3,200}napisa[łl].{0,20}:|den .{3,200}skrev.{0,40}:|"
    r"\d{4}[/.-]\d{1,2}[/.-]\d{1,2}.{0,200}<?\S+@\S+>?:?|.{3,200}<\S+@\S+>\s*(a [ée]crit|wrote|schrieb)\s*:?|"
    r"(begin forwarded message|d[ée]but du message r[ée]exp[ée]di[ée]|message transf[ée]r[ée]|"
    r"forwarded message|anfang der weitergeleiteten nachricht)\s*:?.*|"
    r"-+\s*(forwarded message|message transf[ée]r[ée]|weitergeleitete nachricht)\s*-*|"
    r"-+\s*(original message|message d'origine|mensaje original|ursprüngliche nachricht)\s*-*)\s*$", re.I)
_HEADER = re.compile(
    r"^\s*\*?(from|sent|to|cc|bcc|date|subject|reply-to|de|envoy[ée]|[àa]|objet|von|gesendet|an|betreff|"
    r"datum|para|enviado|asunto|fecha|da|inviato|oggetto|a|van|verzonden|aan|onderwerp|od|wys[łl]ano|do|"
    r"temat|från|skickat|till|ämne|от|отправлено|кому|тема|дата)\s?\*?\s?:\s?\*?.*$", re.I)
_QUOTE = re.compile(r"^\s*>")

_FRENCH_WROTE = re.compile(r"^(le|on|am|el|il|op|dnia)\b[^\n]{0,200}?\n[^\n]{0,200}?"
                           r"(a [ée]crit|wrote|schrieb|escribi[óo]|scritto|geschreven|napisa[łl])\s?:\s*$",
                           re.I | re.M)


def _join_wrapped_markers(text):
    """« Le 3 mai 2026 à 10:00, Alice <alice@…> a\\n écrit : » is one marker wrapped in two."""
    return _FRENCH_WROTE.sub(lambda m: " ".join(m.group(0).split()), text)


def _kind(line):
    for kind, pattern in ((EMPTY, _EMPTY), (DELIMITER, _DELIMITER), (SIGNATURE, _SIGNATURE),
                          (EMBEDDED, _EMBEDDED), (HEADER, _HEADER), (QUOTE, _QUOTE)):
        if pattern.match(line):
            return kind
    return TEXT


def _cut(pattern, lines, regex, keep_match=True):
    found = re.search(regex, pattern)
    if not found:
        return pattern, lines
    end = found.start() + (1 if keep_match else 0)
    return pattern[:end], lines[:end]


def _drop(pattern, lines, kind):
    kept = [(k, line) for k, line in zip(pattern, lines) if k != kind]
    return "".join(k for k, _ in kept), [line for _, line in kept]


def trim(text):
    """The new text of a reply (may be empty: the member wrote nothing above the quote)."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ")
    text = _join_wrapped_markers(text)
    lines = text.split("\n")
    pattern = "".join(_kind(line) for line in lines)
    # Everything after a delimiter (« -- », « -----Message d'origine----- »…) goes.
    pattern, lines = _cut(pattern, lines, DELIMITER, keep_match=False)
    pattern, lines = _drop(pattern, lines, SIGNATURE)
    # A reply written below the quote ("bottom posting"): keep what follows the quote.
    first_text = pattern.find(TEXT)
    if first_text > 0 and pattern.startswith(EMBEDDED) and re.search(r"b[bqe]+$", pattern[:first_text]):
        pattern, lines = pattern[first_text:], lines[first_text:]
    # Text, then an embedded email's marker and no quote: the rest is the old message.
    if re.search(r"te*b[^q]*$", pattern) and not re.match(r"^b[^q]*$", pattern):
        index = re.search(r"te*b[^q]*$", pattern).start()
        pattern, lines = pattern[:index + 1], lines[:index + 1]
    # Text, then quotes and markers to the end: the quote goes.
    found = re.search(r"te*[qbe]+$", pattern)
    if found:
        pattern, lines = pattern[:found.start() + 1], lines[:found.start() + 1]
    pattern, lines = _drop(pattern, lines, EMBEDDED)
    # Outlook's header block (De :, Envoyé :, À :, Objet :) may wrap: make it one block.
    found = re.search(r"h+[hte]+h+e", pattern)
    if found:
        pattern = pattern[:found.start()] + "h" * (found.end() - found.start()) + pattern[found.end():]
    found = re.search(r"t[eq]*h{3,}", pattern)
    if found:
        pattern, lines = pattern[:found.start() + 1], lines[:found.start() + 1]
    pattern, lines = _drop(pattern, lines, HEADER)
    if TEXT in pattern:
        found = re.search(r"[eq]+$", pattern)
        if found:
            pattern, lines = pattern[:found.start()], lines[:found.start()]
    return "\n".join(lines).strip()


def strip(text):
    """``trim``, cut shorter where mail-parser-reply finds the start of a quoted message that
    our patterns missed (a header in a language we do not list). The library alone loses text
    (« Le » kept of a French attribution it half recognises, a whole reply taken for a
    signature): its cut is taken only at a line boundary, inside our result, after a full line."""
    ours = trim(text)
    try:
        theirs = (_PARSER.parse_reply(text) or "").strip()
    except Exception:      # noqa: BLE001 - a third-party parser must never lose a reply
        return ours
    if theirs and len(theirs) < len(ours) and ours.startswith(theirs) and "\n" in theirs \
            and ours[len(theirs)] == "\n":
        return theirs
    return ours
