"""Markdown → HTML → sanitized HTML: the one pipeline every text a member writes goes through.

Rendered once at write time; the source and the HTML are both stored (``flask forum rerender``
renders everything again after a change here).

1. **Parse** (markdown-it-py): CommonMark, tables, strikethrough, task lists, GFM autolinks
   (mdit-py-plugins), plus three rules of ours: ``@pseudonyme`` mentions, ``#espace`` /
   ``#etiquette`` hashtags and quotes with their attribution (``quotes.py``).
   Parsing collects what the text *may* refer to (``Document.names``, ``.hashtags``,
   ``.quoted``) without touching the database.
2. **Resolve**: the caller says which names are members, which hashtags exist and which quoted
   posts may be linked (``forum.references`` asks the database, with the author's permissions).
   Unknown names and hashtags stay plain text, exactly as typed.
3. **Render** to HTML. External images are never loaded (no tracking pixels): they become links.
4. **Sanitize** (bleach) with the allow-list below; every link gets ``rel="nofollow ugc noopener"``.
"""
import html as html_lib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import unquote, urlsplit

import bleach
from bleach.html5lib_shim import Filter
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from mdit_py_plugins.gfm_autolink import gfm_autolink_plugin

from . import quotes
from .html_tree import fix_parser
from .pseudonyms import PSEUDONYM, pseudonym_key

ALLOWED_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "cite", "code", "dd", "del", "dl", "dt", "em",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "input", "ins", "kbd", "li", "mark", "ol",
    "p", "pre", "q", "s", "small", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th",
    "thead", "tr", "ul",
})
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"

# Classes our own rules write; anything else a member types is dropped.
_CLASSES = {
    "a": {"mention", "group-mention", "hashtag", "external-image"},
    "blockquote": {"quote"},
    "p": {"quote-source"},
    "li": {"task-list-item"},
    "ul": {"contains-task-list"},
    "ol": {"contains-task-list"},
    "input": {"task-list-item-checkbox"},
}
_LANGUAGE_CLASS = re.compile(r"^language-[\w+#.-]{1,40}$")
_PLAIN_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"alt", "title"},
    "ol": {"start"},
    "q": set(),
    "input": {"checked", "disabled"},
}


def is_local_url(url):
    """A URL on this site (relative, no scheme, no host)."""
    url = (url or "").strip()
    if not url or url.startswith(("//", "\\", "/\\")):
        return False
    parts = urlsplit(url)
    return not parts.scheme and not parts.netloc


# A scheme as a browser reads it: after leading spaces and control characters, with tabs and
# line breaks removed anywhere.
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_URL_NOISE = re.compile(r"[\t\n\r]")

# The only local paths an image may load: attachments and static files. Every other path of the
# site is a page or an action, and an image is fetched by whoever reads the post: `![](/langue/en)`
# would act for each reader. (forum.topics.attachments.URL_PREFIX; text imports no area.)
IMAGE_PREFIXES = ("/piece-jointe/", "/static/")


def is_image_source(url):
    """A local URL under IMAGE_PREFIXES, read as a browser reads it: tabs and line breaks dropped;
    backslashes and ``.``/``..`` segments (``%2e`` included), which browsers resolve, refused."""
    url = _URL_NOISE.sub("", (url or "").strip())
    if not is_local_url(url) or "\\" in url:
        return False
    path = urlsplit(url).path
    if any(segment in (".", "..") for segment in unquote(path).split("/")):
        return False
    return path.startswith(IMAGE_PREFIXES)


def _safe_url(value):
    """No scheme (relative), or one of ours. bleach alone takes "javascript:123" for host:port."""
    cleaned = _URL_NOISE.sub("", value.lstrip("".join(map(chr, range(33)))))
    scheme = _SCHEME.match(cleaned)
    return scheme is None or scheme.group(1).lower() in ALLOWED_PROTOCOLS


def _allowed_attribute(tag, name, value):
    if name in ("href", "src") and not _safe_url(value):
        return False
    if name in _PLAIN_ATTRIBUTES.get(tag, ()):
        return True
    if name == "class":
        if tag == "code":
            return all(_LANGUAGE_CLASS.match(c) for c in value.split())
        return bool(value) and set(value.split()) <= _CLASSES.get(tag, set())
    if tag == "img" and name == "src":
        return is_image_source(value)
    if tag in ("td", "th") and name == "align":
        return value in ("left", "center", "right")
    if tag == "input" and name == "type":
        return value == "checkbox"
    return False


class _LinkRelFilter(Filter):
    """Every link leaves with rel="nofollow ugc noopener" (after the sanitizer ran)."""

    def __iter__(self):
        for token in Filter.__iter__(self):
            if token["type"] in ("StartTag", "EmptyTag") and token["name"] == "a" \
                    and (None, "href") in token["data"]:
                token["data"][(None, "rel")] = LINK_REL
            yield token


@lru_cache(maxsize=1)
def _cleaner():
    # Tags outside the list are escaped, not stripped: a member who types "<toto>" sees it.
    # The parser keeps what html5lib moves out of a table (forum/text/html_tree.py).
    return fix_parser(bleach.Cleaner(tags=ALLOWED_TAGS, attributes=_allowed_attribute,
                                     protocols=ALLOWED_PROTOCOLS, strip=False, strip_comments=True,
                                     filters=[_LinkRelFilter]))


def sanitize(html):
    return _cleaner().clean(html)


# --- parsing: mentions, hashtags, quotes ----------------------------------------------------

# A group's handle (forum/text/group_mentions.py) may be longer than a pseudonym: a collège's
# slug runs to 40 characters. Tried first; registration keeps pseudonyms out of these forms.
GROUP_HANDLE = r"(?i:(?:comite|moderation|college)-[a-z0-9](?:[a-z0-9\-]{0,58}[a-z0-9])?)(?![\w\-])"
MENTION = re.compile(rf"@({GROUP_HANDLE}|{PSEUDONYM})")
HASHTAG = re.compile(r"#([a-z0-9][a-z0-9\-]{0,59})(?![\w\-])")


def _word_before(state):
    """True when the character before the current position continues a word (or an address)."""
    if state.pos == 0:
        return False
    previous = state.src[state.pos - 1]
    return previous.isalnum() or previous in "_.-/@#&:"


def _mention_rule(state, silent):
    if state.src[state.pos] != "@" or state.linkLevel > 0 or _word_before(state):
        return False
    match = MENTION.match(state.src, state.pos)
    if not match:
        return False
    if not silent:
        token = state.push("mention", "", 0)
        token.content = match.group(0)
        token.meta = {"name": match.group(1)}
        state.env.setdefault("agora_names", set()).add(match.group(1))
    state.pos = match.end()
    return True


def _hashtag_rule(state, silent):
    if state.src[state.pos] != "#" or state.linkLevel > 0 or _word_before(state):
        return False
    match = HASHTAG.match(state.src, state.pos)
    if not match:
        return False
    if not silent:
        token = state.push("hashtag", "", 0)
        token.content = match.group(0)
        token.meta = {"slug": match.group(1)}
        state.env.setdefault("agora_hashtags", set()).add(match.group(1))
    state.pos = match.end()
    return True


def _adjust_tokens(state):
    """GFM-like output without style attributes; mark what lies inside a quote."""
    depth = 0
    for token in state.tokens:
        if token.type == "agora_quote_open":
            depth += 1
        elif token.type == "agora_quote_close":
            depth -= 1
        elif token.type in ("th_open", "td_open"):
            style = token.attrGet("style") or ""
            if style.startswith("text-align:"):
                token.attrs.pop("style")
                token.attrSet("align", style.split(":", 1)[1])
        elif token.type == "inline" and token.children:
            for child in token.children:
                if child.type in ("s_open", "s_close"):
                    child.tag = "del"
                elif child.type == "mention" and depth:
                    child.meta["quoted"] = True


# --- rendering ---------------------------------------------------------------------------------

def _render_mention(self, tokens, idx, options, env):
    token = tokens[idx]
    key = pseudonym_key(token.meta["name"])
    group = env.get("agora_groups", {}).get(key)
    if group is not None:
        return f'<a class="group-mention" href="{escapeHtml(group.url)}">{escapeHtml(token.content)}</a>'
    member = env.get("agora_members", {}).get(key)
    if member is None:
        return escapeHtml(token.content)
    return f'<a class="mention" href="{escapeHtml(member.url)}">{escapeHtml(token.content)}</a>'


def _render_hashtag(self, tokens, idx, options, env):
    token = tokens[idx]
    url = env.get("agora_hashtag_urls", {}).get(token.meta["slug"])
    if url is None:
        return escapeHtml(token.content)
    return f'<a class="hashtag" href="{escapeHtml(url)}">{escapeHtml(token.content)}</a>'


def _render_image(self, tokens, idx, options, env):
    """Attachments and static images are shown; others become a link (third-party hosts are never
    contacted, and the site's own pages and actions are never fetched as images)."""
    token = tokens[idx]
    src = token.attrGet("src") or ""
    alt = self.renderInlineAsText(token.children, options, env)
    if is_image_source(src):
        title = token.attrGet("title")
        return (f'<img src="{escapeHtml(src)}" alt="{escapeHtml(alt)}"'
                + (f' title="{escapeHtml(title)}"' if title else "") + ">")
    label = alt or src
    return f'<a class="external-image" href="{escapeHtml(src)}">{escapeHtml(label)}</a>'


@lru_cache(maxsize=1)
def parser():
    md = MarkdownIt("commonmark", {"html": True, "xhtmlOut": False})
    md.enable(["table", "strikethrough"])
    md.options["tasklists"] = True
    md.options["strikethrough_single_tilde"] = True
    md.use(gfm_autolink_plugin)
    md.inline.ruler.before("gfm_autolink_email", "agora_mention", _mention_rule)
    md.inline.ruler.before("agora_mention", "agora_hashtag", _hashtag_rule)
    quotes.install(md)
    md.core.ruler.push("agora_adjust", _adjust_tokens)
    md.add_render_rule("mention", _render_mention)
    md.add_render_rule("hashtag", _render_hashtag)
    md.add_render_rule("image", _render_image)
    return md


@dataclass(frozen=True)
class MemberLink:
    id: int
    url: str


@dataclass
class Resolution:
    """What the caller found: members by pseudonym key, groups by handle, hashtag URLs, linkable quoted posts."""
    members: dict = field(default_factory=dict)        # pseudonym key -> MemberLink
    groups: dict = field(default_factory=dict)         # handle key -> a group (.url); wins over a member
    hashtags: dict = field(default_factory=dict)       # slug -> URL
    posts: dict = field(default_factory=dict)          # post id -> URL


class Document:
    """A parsed text: what it may refer to, and its HTML once references are resolved."""

    def __init__(self, source):
        self.env = {}
        self.tokens = parser().parse(source or "", self.env)

    @property
    def names(self):
        """Every ``@name`` written (mentions inside quotes included)."""
        return set(self.env.get("agora_names", ()))

    @property
    def hashtags(self):
        return set(self.env.get("agora_hashtags", ()))

    @property
    def quoted(self):
        """Post ids named by quotes."""
        return set(self.env.get("agora_quoted", ()))

    def mentioned_keys(self):
        """Pseudonym keys mentioned outside quotes (quoting a mention does not mention again)."""
        keys = []
        for token in self.tokens:
            for child in token.children or ():
                if child.type == "mention" and not child.meta.get("quoted"):
                    key = pseudonym_key(child.meta["name"])
                    if key not in keys:
                        keys.append(key)
        return keys

    def html(self, resolution=None):
        resolution = resolution or Resolution()
        self.env["agora_members"] = resolution.members
        self.env["agora_groups"] = resolution.groups
        self.env["agora_hashtag_urls"] = resolution.hashtags
        self.env["agora_post_urls"] = resolution.posts
        return sanitize(parser().renderer.render(self.tokens, parser().options, self.env))


def render(source, resolve=None):
    """Render member-written Markdown to safe HTML.

    ``resolve(document) -> Resolution`` links mentions, hashtags and quotes; without it they
    stay plain text (quotes keep their typed attribution, without a link).
    """
    document = Document(source)
    return document.html(resolve(document) if resolve else None)


def to_text(html):
    """Plain text of rendered HTML (for excerpts and search)."""
    return html_lib.unescape(bleach.clean(html, tags=set(), strip=True))

