"""No text a member writes vanishes: for every example of the shared corpora (CommonMark and GFM
spec examples, XSS vectors, naughty strings), every word the Markdown renderer shows as text is
in the text of the stored (sanitized) HTML, as often.

A "word" is a run of letters and digits (``\\w+``). The text the source means is markdown-it's
own HTML with every tag taken away (a tag is a word boundary) and the content of every element
kept, ``<script>``, ``<style>`` and ``<textarea>`` included: the sanitizer must escape those
elements, never drop them. Markdown syntax, link targets and attribute values are not text.
Only one construct removes text and is allowed to: HTML comments (with processing instructions,
declarations and CDATA sections, which the parser reads as comments). The page shows the
stored HTML as it is, so its text is the page's.
"""
import re
from collections import Counter
from html.parser import HTMLParser


from forum.text import markup

from ..helpers import text
from .conftest import corpus

WORD = re.compile(r"\w+")

# Examples that lose words as the definition above counts them, and why (the test fails if one
# of them stops losing words: the list must stay true).
EXCEPTIONS = {
    # `<image xlink:href="]]>&lt;img …` : the quoted value is never closed (markdown-it escaped
    # the closing quote), so the tag runs to the end of the text and browsers show none of it;
    # the standard library's lenient parser ends the tag at the first ">".
    "xss_vectors.json#xss-0259",
}
# The adversarial example that lost the rest of the post (html5lib's foster parenting).
TRUNCATING = ("<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>après le style\n\n"
              "Le paragraphe suivant reste lisible.")


class _Text(HTMLParser):
    """Text content of HTML, a space for every tag; comments and declarations are not text."""

    # <script>, <style>… hold markup like any element: the sanitizer escapes their tags.
    CDATA_CONTENT_ELEMENTS = ()

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []

    def handle_starttag(self, tag, attrs=None):
        self.parts.append(" ")

    handle_endtag = handle_startendtag = handle_starttag

    def handle_data(self, data):
        self.parts.append(data)

    def close(self):
        # A tag or comment still open at the end of the text ("<img src=x", "<!-- …") is one
        # for browsers and html5lib alike, never text; only the stdlib shows it.
        if self.rawdata.startswith("<"):
            self.rawdata = ""
        super().close()


def words(html):
    parser = _Text()
    parser.feed(html)
    parser.close()
    return Counter(WORD.findall("".join(parser.parts)))


def sources():
    for name in ("commonmark_spec_0.31.2.json", "gfm_spec_0.29-gfm.json",
                 "cmark_gfm_extensions_tests.json"):
        for example in corpus(name):
            yield f"{name}#{example['example']}", example["markdown"]
    for vector in corpus("xss_vectors.json"):
        yield f"xss_vectors.json#{vector['id']}", vector["payload"]
    for index, string in enumerate(corpus("blns.json")):
        yield f"blns.json#{index}", string


def test_every_word_of_every_corpus_example_is_kept():
    lost = {}
    count = 0
    for where, source in sources():
        meant = words(markup.parser().render(source))
        shown = words(markup.render(source))
        missing = meant - shown
        if missing:
            lost[where] = (source, dict(missing))
        count += 1
    assert count > 2500
    assert set(lost) >= EXCEPTIONS, f"no longer losing words: {EXCEPTIONS - set(lost)}"
    unexpected = {where: why for where, why in lost.items() if where not in EXCEPTIONS}
    assert not unexpected, f"{len(unexpected)} examples lose words: {list(unexpected.items())[:10]}"


def test_the_page_shows_the_rest_of_a_post_after_a_misplaced_table(browser, place):
    space, alice, bob, topic = place
    browser.login(alice)
    response = browser.post(f"/sujet/{topic.id}/repondre", {"body": TRUNCATING, "submit": "1"})
    assert response.status_code == 303
    page = text(browser.get(f"/sujet/{topic.id}"))
    assert "après le style" in page and "Le paragraphe suivant reste lisible." in page
    assert "<math><mtext>" in page  # escaped, shown as typed
