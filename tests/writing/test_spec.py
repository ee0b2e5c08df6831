"""The pipeline against material nobody here wrote: the CommonMark 0.31.2 spec and GFM's examples.

For every CommonMark example whose expected HTML uses only allowed tags, the stored HTML must
equal what markdown-it-py renders (HTML5 void tags, as bleach writes them; the rel="…" that the
pipeline adds to every link set aside): sanitizing removes nothing that is allowed. The few
examples that differ are listed below with the reason; the test fails if one of them starts
to pass (the list must stay true) or if any other example differs.
"""
import re
from html.parser import HTMLParser

from markdown_it import MarkdownIt

from forum.text import markup

from .conftest import corpus

REL = ' rel="nofollow ugc noopener"'
TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)")

# Why the stored HTML differs from markdown-it's, by example number.
COMMONMARK_EXCEPTIONS = {
    "raw inline tag left open: the sanitizer (html5lib) closes it, and may reopen it": {
        21, 31, 187, 344, 476, 477, 494, 616, 630, 631, 642, 643},
    "raw <table> markup: html5lib adds <tbody> and moves stray content out of the table": {
        148, 149, 160, 190, 191},
    "HTML comment, processing instruction, declaration or CDATA: removed": {
        177, 179, 180, 181, 182, 183, 308, 309, 625, 626, 627, 628, 629},
    "attribute outside the allow-list (class on <i>, language= on <pre>, class=\"language-;\")": {
        144, 164, 169},
    "stray end tag </ins> with no open element: dropped by html5lib": {165},
    "self-closing slash of raw <img/>: written as an HTML5 void tag": {475},
    "URL scheme outside http, https, mailto (irc:, made-up, localhost:): the link keeps no href": {
        596, 598, 599, 601},
    "GFM autolinks extension (the parser, not the sanitizer): bare URLs and emails become links": {
        608, 611, 612},
    "image whose source is neither an attachment nor a static file (relative, a page of the forum, "
    "another site): shown as a link, never loaded, so that an image never acts on the forum for its reader": {
        517, 520, 531, 572, 573, 574, 575, 576, 577, 578, 579, 580, 581, 582, 583, 584, 585, 586, 587, 588,
        589, 591},
}
# Where our parser or renderer, not the sanitizer, makes the difference.
PARSER_EXCEPTIONS = {number for reason, numbers in COMMONMARK_EXCEPTIONS.items()
                     if reason.startswith(("GFM autolinks", "image whose source")) for number in numbers}


def only_allowed_tags(html):
    return {tag.lower() for tag in TAG.findall(html)} <= markup.ALLOWED_TAGS


def pipeline(source):
    return markup.render(source).replace(REL, "")


def test_commonmark_spec(record_property):
    examples = corpus("commonmark_spec_0.31.2.json")
    assert len(examples) == 652
    reference = MarkdownIt("commonmark", {"xhtmlOut": False})
    expected_failures = {n: reason for reason, numbers in COMMONMARK_EXCEPTIONS.items() for n in numbers}
    considered, passed, unexpected, fixed = 0, 0, [], []
    for example in examples:
        if not only_allowed_tags(example["html"]):
            continue
        considered += 1
        wanted = reference.render(example["markdown"])
        number = example["example"]
        if pipeline(example["markdown"]) == wanted:
            passed += 1
            if number in expected_failures:
                fixed.append(number)
        elif number not in expected_failures:
            unexpected.append((number, example["markdown"], wanted, pipeline(example["markdown"])))
        else:
            # Only the autolink extension and the image rule change the rendering; everywhere else
            # the parser agrees with markdown-it and the difference is the sanitizer's.
            ours = markup.Document(example["markdown"])
            raw = markup.parser().renderer.render(ours.tokens, markup.parser().options, ours.env)
            assert (raw == wanted) == (number not in PARSER_EXCEPTIONS), number
    record_property("commonmark", f"{passed}/{considered} pass, {652 - considered} use tags outside the list")
    print(f"\nCommonMark 0.31.2: {passed} of {considered} examples equal markdown-it-py's output "
          f"({652 - considered} skipped: tags outside the allow-list)")
    assert unexpected == []
    assert fixed == [], "these examples now pass: remove them from COMMONMARK_EXCEPTIONS"
    assert passed == considered - len(expected_failures)
    assert considered == 618


class Canonical(HTMLParser):
    """Tokens of an HTML text, attributes sorted, class and rel set aside, entities decoded."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out = []

    def handle_starttag(self, tag, attrs):
        self.out.append(("start", tag, tuple(sorted((k, v or "") for k, v in attrs if k not in ("class", "rel")))))

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        self.out.append(("end", tag))

    def handle_data(self, data):
        if self.out and self.out[-1][0] == "data":
            self.out[-1] = ("data", self.out[-1][1] + data)
        else:
            self.out.append(("data", data))


def canonical(html):
    parser = Canonical()
    parser.feed(html)
    parser.close()
    return parser.out


# GFM 0.29 extension examples that render differently, and why.
GFM_EXCEPTIONS = {
    628: "ftp:// is not autolinked (not a scheme we allow)",
    631: "email with '_' in its local part: emphasis parsing eats the '_' before the autolink rule "
         "sees it (a known limit of mdit-py-plugins' gfm_autolink)",
    653: "tag filter: every tag outside the allow-list is escaped, not only GFM's nine; the open "
         "<strong>/<em> are closed by the sanitizer",
}
CMARK_GFM_EXCEPTIONS = {
    19: "an external image becomes a link (no third-party loads); URLs right after a quote mark "
        "are not autolinked; emoji hosts are punycoded instead of percent-encoded",
    20: "expected output is <IGNORE> (a crash test)",
    22: "tag filter: every tag outside the allow-list is escaped, not only GFM's nine",
    23: "footnotes are not enabled",
}


def _check(examples, exceptions):
    passed, unexpected, fixed = [], [], []
    for example in examples:
        same = canonical(markup.render(example["markdown"])) == canonical(example["html"])
        number = example["example"]
        if same:
            passed.append(number)
            if number in exceptions:
                fixed.append(number)
        elif number not in exceptions:
            unexpected.append((number, example["markdown"], example["html"], markup.render(example["markdown"])))
    return passed, unexpected, fixed


def test_gfm_extension_examples_render():
    examples = [e for e in corpus("gfm_spec_0.29-gfm.json") if e.get("extension")]
    assert len(examples) == 24
    passed, unexpected, fixed = _check(examples, GFM_EXCEPTIONS)
    assert unexpected == [] and fixed == []
    kinds = {e["extension"] for e in examples if e["example"] in passed}
    assert kinds == {"table", "strikethrough", "autolink", "tasklist"}
    print(f"\nGFM 0.29 extensions: {len(passed)} of {len(examples)} render as GFM does")


def test_cmark_gfm_extension_cases_render():
    examples = corpus("cmark_gfm_extensions_tests.json")
    passed, unexpected, fixed = _check(examples, CMARK_GFM_EXCEPTIONS)
    assert unexpected == [] and fixed == []
    print(f"\ncmark-gfm extension tests: {len(passed)} of {len(examples)} render as cmark-gfm does")
