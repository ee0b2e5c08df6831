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
_I = re.I

_EMPTY = re.compile(r"^[\s>]*$")      # a quote's empty line is empty
_DELIMITER = re.compile(r"^\s*[-_,=+~#*ᐧ—–]+\s*$")
_SIGNATURE_CUT = re.compile(r"^-- $")          # RFC 3676 §4.3: what follows is the signature
_SIGNATURES = [re.compile(p, _I) for p in (
    r"^\s*envoy[ée] (de|depuis) (mon|ma|yahoo|l'application|outlook)\b",
    r"^\s*(obtenir|t[ée]l[ée]charger) outlook pour ",
    r"^\s*\w+ from mobile", r"^\s*[(<]*sent (from|via|with|by) .+[)>]*", r"^\s*from my .{1,20}$",
    r"^\s*get outlook for ", r"^\s*von meinem .+ gesendet", r"^\s*diese nachricht wurde von .+ gesendet",
    r"^\s*inviato da ", r"^\s*sendt fra min ", r"^\s*enviado do meu ", r"^\s*enviado desde mi ",
    r"^\s*verzonden met ", r"^\s*verstuurd vanaf mijn ", r"^\s*från min ", r"^\s*從我的 iPhone 傳送")]

# « Le lun. 7 déc. 2026 à 10:00, Alice <alice@…> a écrit : », in the languages of the corpus.
_ON_DATE_WROTE = [re.compile(p, re.I | re.M | re.S) for p in (
    r"^[ \t<>-]*(Le (?:(?!\b(?:Le|nous\sa\sdit|a\s+[ée]crit)\b).)+?(?:nous\sa\sdit|a\s+[ée]crit))[ \t.:>-]*$",
    r"^[ \t<>-]*((?:On|At) (?:(?!\b(?:On|wrote|writes|says|said)\b).)+?(?:wrote|writes|says|said))[ \t.:>-]*$",
    r"^[ \t<>-]*(In message (?:(?!\b(?:In message|writes)\b).)+?writes)[ \t.:>-]*$",
    r"^[ \t<>-]*(在 (?:(?!\b(?:在|写道)\b).)+?写道)[ \t.:>-]*$",
    r"^[ \t<>-]*(Op (?:(?!\b(?:Op|het\svolgende\sgeschreven|schreef)\b).)+?(?:het\svolgende\sgeschreven|schreef[^:]+))"
    r"[ \t.:>-]*$",
    r"^[ \t<>-]*(Am (?:(?!\b(?:Am|schrieben\sSie)\b).)+?schrieben\sSie)[ \t.:>-]*$",
    r"^[ \t<>-]*(Am (?:(?!\b(?:Am|geschrieben)\b).)+?(?:geschrieben|schrieb[^:]+))[ \t.:>-]*$",
    r"^[ \t<>-]*(Il (?:(?!\b(?:Il|ha\sscritto)\b).)+?ha\sscritto)[ \t.:>-]*$",
    r"^[ \t<>-]*((?:Dnia|Dňa) (?:(?!\b(?:Dnia|Dňa|napisał)\b).)+?napisał(?:\(a\))?)[ \t.:>-]*$",
    r"^[ \t<>-]*(Em (?:(?!\b(?:Em|escreveu)\b).)+?escreveu)[ \t.:>-]*$",
    r"^[ \t<>-]*(El (?:(?!\b(?:El|escribi[óo])\b).)+?escribi[óo])[ \t.:>-]*$",
)]
_EMBEDDED = _ON_DATE_WROTE + [re.compile(p) for p in (
    r"^[ \t>]*(?:Op|Am|Den|søn\.)\s.+\s(?:schreef|schrieb|skrev)\s[^:]+:",
    r"\d{4}.{1,80}пользователь.{0,80}написал:", r"\d{4}.{1,80}napisał\(a\):", r"\d{4}.{1,80}пише:",
    r"^.+\bwrote\b\s+\bon\b.+[^:]+:", r"^.+\bschrieb\b\s+\bam\b.+[^:]+:",
    r"^[ \t>]*20\d\d-\d\d-\d\d \d\d:\d\d GMT\+\d\d:\d\d [\w \t]+$",
    r"\d{4}.{1,80}\s?<[^@<>]+@[^@<>.]+\.[^@<>]+>:?$",
    r"^.+ via .+ (?:wrote|schrieb):?[ \t]*$",
    r"^.+\b[\w.+-]+@[\w.-]+\.\w{2,}\b.+(?:wrote|a [ée]crit)\s?:?$",
)] + [re.compile(p, re.I) for p in (
    r"^[ \t>]*Posted by .+ on \d{2}/\d{2}/\d{4}$",
    r"^[ \t>]*Begin forwarded message:", r"^[ \t>]*D[ée]but du message r?[ée]?exp[ée]di[ée]|"
    r"^[ \t>]*D[ée]but du message transf[ée]r[ée]",
    r"^[ \t>*]*-{2,}[ \t]*(?:Forwarded|Original|Reply) Message[ \t]*-{2,}",
    r"^[ \t>*]*-{2,}[ \t]*(?:Message transf[ée]r[ée]|Message d'origine|Message original)[ \t]*-{2,}",
    r"^[ \t>*]*-{2,}[ \t]*Urspr[üu]ngliche Nachricht[ \t]*-{2,}",
    r"^[ \t>*]*-{2,}[ \t]*Mensaje original[ \t]*-{2,}", r"^[ \t>*]*-{2,}[ \t]*原始邮件[ \t]*-{2,}",
)]
_HEADERS = [re.compile(r"^[ \t*]*(?:%s)[ \t*]*:.*\d+" % "|".join(names)) for names in (
    ("Sendt",), ("Sent", "Date"), ("Date", "Le", "Envoy[ée]"), ("Gesendet",), ("Enviada em",), ("Enviado",),
    ("Fecha",), ("Data",), ("Datum",), ("Skickat",), ("发送时间",))] + \
    [re.compile(r"^[ \t*]*(?:%s)[ \t*]*:.*\w+" % "|".join(names), re.I) for names in (
        ("Fra", "Til", "Emne"), ("From", "To", "Cc", "Reply-To", "Subject"),
        ("De", "Exp[ée]diteur", "[ÀA]", "Destinataire", "R[ée]pondre [àa]", "Objet", "Cc"),
        ("Von", "An", "Betreff"), ("De", "Para", "Assunto"), ("De", "Para", "Asunto"),
        ("Da", "Risposta", "A", "Oggetto"), ("Van", "Beantwoorden - Aan", "Aan", "Onderwerp"),
        ("Från", "Till", "Ämne"), ("发件人", "收件人", "主题"))]
_QUOTE = re.compile(r"^\s*>")
_FENCE = re.compile(r"^\s*```")
_MARKDOWN_LINK = re.compile(r"\[([^\]]+)\]\([^)]+\)")


# « 2016-10-24 15:36 GMT+02:00 Alice <\nalice@example.org>: »
_WRAPPED_BEFORE_ADDRESS = re.compile(r"^.*\d{4}.{1,80}<$")
_ADDRESS_END = re.compile(r"^[^\s<>@]+@[^\s<>]+>.{0,40}$")
# « Max <max@example.org> schrieb am Fr., 28.\nApr. 2017 um 11:53 Uhr: » (Gmail, wrapped)
_WRAPPED_SOMEONE_WROTE_ON = re.compile(r"^.*@.*\b(?:schrieb am|wrote on|a écrit le)\b.*[^:]$")
_COLON_END = re.compile(r"^.{1,40}:[ \t]*$")


def _join_pairs(text):
    """Two lines that are one marker wrapped by the sender's client, joined (short lines only:
    these patterns are slow on long ones)."""
    lines, joined, index = text.split("\n"), [], 0
    while index < len(lines):
        line = lines[index]
        following = lines[index + 1] if index + 1 < len(lines) else None
        if following is not None and len(line) < 300 and len(following) < 120:
            if _WRAPPED_BEFORE_ADDRESS.match(line) and _ADDRESS_END.match(following):
                joined.append(line + following)
                index += 2
                continue
            if _WRAPPED_SOMEONE_WROTE_ON.match(line) and _COLON_END.match(following):
                joined.append(line + " " + following)
                index += 2
                continue
        joined.append(line)
        index += 1
    return "\n".join(joined)


def _join_wrapped_markers(text):
    """« Le 3 mai 2026 à 10:00, Alice <alice@…> a\\n écrit : » is one marker wrapped over lines."""
    if len(text) > 100_000:
        return text            # the lazy patterns below are quadratic: a huge body stays as is
    text = _join_pairs(text)
    for regex in _ON_DATE_WROTE:
        for found in list(regex.finditer(text)):
            marker = found.group(1)
            if "\n" in marker:
                text = text.replace(marker, re.sub(r"\n[\s>-]*", " ", marker))
    return text


LONG_LINE = 1000      # no marker, header or signature is that long: not worth a pattern


def _kind(line):
    if _EMPTY.match(line):
        return EMPTY
    if len(line) > LONG_LINE:
        # Some patterns take quadratic time on a long line (35 KB: 3 s): a sender could stall us.
        return QUOTE if _QUOTE.match(line) else TEXT
    if _DELIMITER.match(line):
        return DELIMITER
    if any(r.search(_MARKDOWN_LINK.sub(r"\1", line)) for r in _SIGNATURES):
        return SIGNATURE
    if any(r.search(line) for r in _EMBEDDED):
        return EMBEDDED
    if any(r.search(line) for r in _HEADERS):
        return HEADER
    if _QUOTE.match(line):
        return QUOTE
    return TEXT


def _kinds(lines):
    kinds, fenced = [], False
    for line in lines:
        if _FENCE.match(line):
            fenced = not fenced
            kinds.append(TEXT)
        else:
            kinds.append(TEXT if fenced and line.strip() else (EMPTY if fenced else _kind(line)))
    return "".join(kinds)


def _keep_until(pattern, lines, index):
    return pattern[:index + 1], lines[:index + 1]


def _without(pattern, lines, kinds):
    kept = [(k, line) for k, line in zip(pattern, lines) if k not in kinds]
    return "".join(k for k, _ in kept), [line for _, line in kept]


def trim(text):
    """The new text of a reply (quotes only: kept, the caller decides; empty: nothing written)."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ")
    if not text.strip():
        return ""
    text = _join_wrapped_markers(text)
    lines = text.split("\n")
    if "-- " in lines:                 # a signature by the standard: it goes, and all after it
        lines = lines[:lines.index("-- ")]
    pattern = _kinds(lines)
    # A delimiter line (« -- », « ______ »): a signature or a footer follows.
    if DELIMITER in pattern:
        pattern, lines = pattern[:pattern.index(DELIMITER)], lines[:pattern.index(DELIMITER)]
    pattern, lines = _without(pattern, lines, (SIGNATURE,))
    # Written below the quote ("bottom posting"): what follows the quote is the reply.
    first = pattern.find(TEXT)
    if first > 0 and re.fullmatch(r"e*b[bqeh]*q[bqeh]*", pattern[:first]):
        pattern, lines = pattern[first:], lines[first:]
    # An embedded email's marker after text, and no quote after it: the rest is that email.
    found = re.search(r"te*b[^q]*$", pattern)
    if found:
        pattern, lines = _keep_until(pattern, lines, found.start())
    # An embedded email's marker after text, followed by a quote to the end.
    found = re.search(r"te*b[eqbh]*[te]*$", pattern)
    if found:
        pattern, lines = _keep_until(pattern, lines, found.start())
    for index, kind in enumerate(pattern):
        if kind == EMBEDDED:
            lines[index] = ""
    pattern = pattern.replace(EMBEDDED, EMPTY)
    # Outlook's header block (« De : … Envoyé : … À : … Objet : ») may wrap: one block.
    found = re.search(r"h+[hte]+h+e", pattern)
    if found:
        pattern = pattern[:found.start()] + HEADER * (found.end() - found.start()) + pattern[found.end():]
    found = re.search(r"t[eq]*h{3,}", pattern)
    if found:
        pattern, lines = _keep_until(pattern, lines, found.start())
    pattern, lines = _without(pattern, lines, (HEADER,))
    if TEXT in pattern:
        found = re.search(r"[eq]+$", pattern)
        if found:
            pattern, lines = pattern[:found.start()], lines[:found.start()]
    return "\n".join(lines).strip()


LIBRARY_MAX_CHARS = 4000


def strip(text):
    """``trim``, cut shorter where mail-parser-reply finds the start of a quoted message that
    our patterns missed (a header in a language we do not list). The library alone loses text
    (« Le » kept of a French attribution it half recognises, a whole reply taken for a
    signature): its cut is taken only at a line boundary, inside our result, after a full line.
    It reads our result only, and only when short: its patterns take quadratic time (12 KB of
    "On On On…" took 3 s, 48 KB a minute), and a member's reply is rarely longer."""
    ours = trim(text)
    if len(ours) > LIBRARY_MAX_CHARS:
        return ours
    try:
        theirs = (_PARSER.parse_reply(ours) or "").strip()
    except Exception:      # noqa: BLE001 - a third-party parser must never lose a reply
        return ours
    if theirs and len(theirs) < len(ours) and ours.startswith(theirs) and "\n" in theirs \
            and ours[len(theirs)] == "\n":
        return theirs
    return ours
