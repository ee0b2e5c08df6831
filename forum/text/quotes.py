"""Quotes in a member's text: the attribution names who wrote it and links the quoted post.

Two ways to write one, rendered alike (``<blockquote class="quote">`` with ``<p class="quote-source">``):

- the readable one the editor writes (``forum/topics/editor.py``, ``static/js/editor.js``), a
  Markdown quote whose first line is ``[Pseudo](/message/12) a écrit :`` (or ``wrote:``);
- the Discourse-style one of older posts, ``[quote="Pseudo, post:12"]`` … ``[/quote]``.

Parsing notes the quoted post ids in ``env["agora_quoted"]``; the link is rendered only when the
caller resolved the post (``env["agora_post_urls"]``, the author may read it). A mention inside a
quote does not notify (``markup._adjust_tokens`` counts the quote tokens).
"""
import re

from markdown_it.common.utils import escapeHtml

_QUOTE_OPEN = re.compile(r"^\[quote(?:=(\"?)([^\]\"\n]{0,200})\1)?\]\s*$", re.IGNORECASE)
_QUOTE_CLOSE = re.compile(r"^\[/quote\]\s*$", re.IGNORECASE)
_QUOTE_POST = re.compile(r"^post:\s*(\d{1,12})$")


def _line(state, number):
    return state.src[state.bMarks[number] + state.tShift[number]:state.eMarks[number]]


def _quote_rule(state, start_line, end_line, silent):
    """``[quote="Pseudo, post:12"]`` … ``[/quote]``, each marker alone on its line."""
    if state.sCount[start_line] - state.blkIndent >= 4:
        return False
    opening = _QUOTE_OPEN.match(_line(state, start_line))
    if not opening:
        return False
    depth, line = 1, start_line
    while True:
        line += 1
        if line >= end_line:
            return False               # never closed: the markers stay plain text
        if state.sCount[line] < state.blkIndent and state.bMarks[line] + state.tShift[line] < state.eMarks[line]:
            return False
        text = _line(state, line)
        if _QUOTE_OPEN.match(text):
            depth += 1
        elif _QUOTE_CLOSE.match(text):
            depth -= 1
            if depth == 0:
                break
    if silent:
        return True
    author, post_id = "", None
    for index, part in enumerate((opening.group(2) or "").split(",")):
        part = part.strip()
        found = _QUOTE_POST.match(part)
        if found:
            post_id = int(found.group(1))
        elif index == 0:
            author = part[:60]
    if post_id is not None:
        state.env.setdefault("agora_quoted", set()).add(post_id)

    old_parent, old_line_max = state.parentType, state.lineMax
    state.parentType, state.lineMax = "blockquote", line
    token = state.push("agora_quote_open", "blockquote", 1)
    token.block, token.map = True, [start_line, line]
    token.meta = {"author": author, "post_id": post_id}
    state.md.block.tokenize(state, start_line + 1, line)
    token = state.push("agora_quote_close", "blockquote", -1)
    token.block = True
    state.parentType, state.lineMax = old_parent, old_line_max
    state.line = line + 1
    return True


# The quote the editor writes, readable as it stands in the reply box (and by a screen reader):
# "> [Claire-IRTS](/message/5) a écrit :" on the first line of a Markdown quote; the English
# interface writes "wrote:". Without the link it is still an attribution, only not linked.
_ATTRIBUTION = re.compile(
    r"^(?:\[(?P<linked>(?:[^\[\]\\\n]|\\.){1,80})\]\(/message/(?P<post>\d{1,12})\)"
    r"|(?P<plain>[^\n\[\]>]{1,60}?))\s+(?:a écrit|wrote)\s*:\s*(?:\n|$)")
_UNESCAPE = re.compile(r"\\(.)")


def _attributed_quotes(state):
    """A Markdown quote opening on an attribution becomes a quote like ``[quote=…]``: its source is
    linked when its author may read it, its author is notified, mentions inside do not notify."""
    tokens = state.tokens
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if (token.type == "blockquote_open" and index + 2 < len(tokens)
                and tokens[index + 1].type == "paragraph_open" and tokens[index + 2].type == "inline"):
            found = _ATTRIBUTION.match(tokens[index + 2].content)
            if found:
                author = _UNESCAPE.sub(r"\1", found.group("linked") or found.group("plain")).strip()[:60]
                post_id = int(found.group("post")) if found.group("post") else None
                if post_id is not None:
                    state.env.setdefault("agora_quoted", set()).add(post_id)
                for closing in tokens[index + 1:]:
                    if closing.type == "blockquote_close" and closing.level == token.level:
                        closing.type = "agora_quote_close"
                        break
                token.type = "agora_quote_open"
                token.meta = {"author": author, "post_id": post_id}
                rest = tokens[index + 2].content[found.end():]
                if rest.strip():
                    tokens[index + 2].content = rest
                else:               # the attribution was the whole paragraph
                    del tokens[index + 1:index + 4]
        index += 1


def _render_quote_open(self, tokens, idx, options, env):
    meta = tokens[idx].meta
    out = '<blockquote class="quote">\n'
    author = escapeHtml(meta["author"])
    url = env.get("agora_post_urls", {}).get(meta["post_id"])
    if url and author:
        out += f'<p class="quote-source"><cite><a href="{escapeHtml(url)}">{author}</a></cite></p>\n'
    elif url:
        out += f'<p class="quote-source"><a href="{escapeHtml(url)}">{escapeHtml(url)}</a></p>\n'
    elif author:
        out += f'<p class="quote-source"><cite>{author}</cite></p>\n'
    return out


def _render_quote_close(self, tokens, idx, options, env):
    return "</blockquote>\n"


def install(md):
    md.block.ruler.before("fence", "agora_quote", _quote_rule,
                          {"alt": ["paragraph", "reference", "blockquote", "list"]})
    md.core.ruler.before("inline", "agora_attributed_quotes", _attributed_quotes)
    md.add_render_rule("agora_quote_open", _render_quote_open)
    md.add_render_rule("agora_quote_close", _render_quote_close)
