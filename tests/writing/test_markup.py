"""The pipeline alone: Markdown features, the allow-list, links, images, mentions, quotes."""
import re

import pytest

from forum.text import markup
from forum.text.markup import Document, MemberLink, Resolution, render

REL = ' rel="nofollow ugc noopener"'


def test_gfm_like_features():
    html = render("~~barré~~ et ~aussi~\n\n| a | b |\n|:-:|--:|\n| 1 | 2 |\n\n- [ ] à faire\n- [x] fait\n\n"
                  "```python\nprint('<ok>')\n```\n\nVoir https://www.service-public.fr et www.caf.fr.")
    assert "<del>barré</del>" in html and "<del>aussi</del>" in html
    assert '<th align="center">a</th>' in html and '<td align="right">2</td>' in html
    assert "style=" not in html          # the CSP forbids style attributes
    assert '<ul class="contains-task-list">' in html
    assert '<input class="task-list-item-checkbox" disabled type="checkbox" checked>' in html
    assert '<code class="language-python">print(\'&lt;ok&gt;\')\n</code>' in html
    assert f'<a href="https://www.service-public.fr"{REL}>https://www.service-public.fr</a>' in html
    assert f'<a href="http://www.caf.fr"{REL}>www.caf.fr</a>.' in html


def test_every_link_gets_rel_and_member_rel_is_replaced():
    html = render('[caf](https://caf.fr) <a href="https://x.fr" rel="opener" target="_blank">x</a>')
    assert html.count(REL) == 2 and "opener\"" not in html.replace(REL, "") and "target" not in html


@pytest.mark.parametrize("source", [
    "[clic](javascript:alert(1))", '<a href="javascript:alert(1)">clic</a>',
    '<a href="JaVaScRiPt:alert(1)">clic</a>', '<a href="data:text/html;base64,PHNjcmlwdD4=">clic</a>',
    '<a href="vbscript:msgbox(1)">clic</a>', "[clic](&#106;avascript:alert(1))",
    # bleach alone lets this through (it reads "javascript:123" as host:port): xss-0053.
    '<a href="javascript:123">clic</a>', '<a href=" \tjava\nscript:123">clic</a>',
])
def test_dangerous_urls_lose_their_href(source):
    from html.parser import HTMLParser
    values = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag, attrs):
            values.extend(value or "" for _, value in attrs)

    Collector().feed(render(source))
    assert not [v for v in values if re.sub(r"\s", "", v.lower()).startswith(("javascript", "data", "vbscript"))]
    assert "clic" in render(source)


def test_disallowed_markup_is_shown_as_text_not_run():
    html = render('<script>alert(1)</script>\n\n<b onclick="alert(1)" style="color:red">gras</b> '
                  '<iframe src="https://x.fr"></iframe> <!-- commentaire -->')
    assert "<script" not in html and "&lt;script&gt;" in html
    assert "<b>gras</b>" in html and "onclick" not in html and "style" not in html
    assert "<iframe" not in html and "commentaire" not in html


def test_external_images_become_links_and_local_ones_show():
    html = render("![graphique](https://tracker.example/pixel.gif) ![plan](/piece-jointe/abc/plan.png)"
                  ' <img src="https://tracker.example/p.gif"> <img src="//tracker.example/p.gif">'
                  ' <img src="/\\tracker.example/p.gif">')
    assert f'<a class="external-image" href="https://tracker.example/pixel.gif"{REL}>graphique</a>' in html
    assert '<img src="/piece-jointe/abc/plan.png" alt="plan">' in html
    assert html.count("<img") == 4 and html.count("src=") == 1   # only the local image keeps a source


def test_member_classes_are_dropped_but_ours_kept():
    html = render('<p class="quote-source">x</p> <code class="language-js">y</code> <code class="evil">z</code>'
                  ' <a class="mention btn" href="/x">w</a>')
    assert 'class="quote-source"' in html and 'class="language-js"' in html
    assert 'class="evil"' not in html and "btn" not in html


def test_mentions_and_hashtags_link_only_what_the_resolution_knows():
    document = Document("Merci @Nadia.M, @inconnu et a@b.fr ; voir #logement, #inconnu et C#.\n\n"
                        "`@Nadia.M` [@Nadia.M](https://x.fr)")
    assert document.names == {"Nadia.M", "inconnu"}      # not the email, code or link text
    assert document.hashtags == {"logement", "inconnu"}
    html = document.html(Resolution(members={"nadia.m": MemberLink(7, "/membre/Nadia.M")},
                                    hashtags={"logement": "/etiquette/logement"}))
    assert f'<a class="mention" href="/membre/Nadia.M"{REL}>@Nadia.M</a>,' in html
    assert "@inconnu et" in html and "#inconnu et" in html
    assert f'<a class="hashtag" href="/etiquette/logement"{REL}>#logement</a>' in html
    assert "<code>@Nadia.M</code>" in html and html.count('class="mention"') == 1


def test_mention_ends_before_trailing_punctuation():
    assert Document("Bonjour @Karim.").names == {"Karim"}
    assert Document("(@Lucas-B)").names == {"Lucas-B"}


def test_quote_block_renders_attribution_and_link_only_when_resolved():
    source = '[quote="Nadia.M, post:12"]\nLe *texte* cité, avec @Karim\n[/quote]\n\nMa réponse @Lucas'
    document = Document(source)
    assert document.quoted == {12}
    assert document.mentioned_keys() == ["lucas"]        # a mention inside a quote does not count
    plain = document.html()
    assert '<blockquote class="quote">\n<p class="quote-source"><cite>Nadia.M</cite></p>' in plain
    assert "<em>texte</em>" in plain and "/message/12" not in plain
    linked = document.html(Resolution(posts={12: "/message/12"}))
    assert f'<cite><a href="/message/12"{REL}>Nadia.M</a></cite>' in linked


def test_nested_and_unclosed_quotes():
    nested = render('[quote="A, post:1"]\n[quote="B, post:2"]\nint\n[/quote]\next\n[/quote]')
    assert nested.count("<blockquote") == 2 and nested.index("int") < nested.index("ext")
    unclosed = render('[quote="A, post:1"]\ntexte')
    assert "<blockquote" not in unclosed and "[quote=" in unclosed


def test_quote_attribution_is_escaped():
    html = render('[quote=<img src=x onerror=alert(1)>]\nx\n[/quote]')
    assert "onerror" not in html.replace("&lt;img src=x onerror=alert(1)&gt;", "")


def test_plain_paragraphs_concatenate():
    """forum.generate relies on it: the HTML of joined paragraphs is the sum of their HTML."""
    paragraphs = ["Première idée, avec des accents : éàç.", "Deuxième « idée » ; 3 < 4 & 5 > 2."]
    assert render("\n\n".join(paragraphs)) == "".join(render(p) for p in paragraphs)


def test_to_text():
    assert markup.to_text(render("**Gras** & <i>it</i>")) == "Gras & it\n"


def test_readable_quote_is_a_quote_with_its_attribution():
    """The editor writes "> [Pseudo](/message/12) a écrit :" (issue 16, item 16): it renders like a
    quote, its source is linked only when resolved, a mention inside does not notify."""
    source = "> [Nadia.M](/message/12) a écrit :\n>\n> Le *texte* cité, avec @Karim\n\nMa réponse @Lucas"
    document = Document(source)
    assert document.quoted == {12}
    assert document.mentioned_keys() == ["lucas"]
    plain = document.html()
    assert '<blockquote class="quote">\n<p class="quote-source"><cite>Nadia.M</cite></p>\n<p>Le <em>texte</em>' in plain
    assert "a écrit" not in plain and "/message/12" not in plain
    linked = document.html(Resolution(posts={12: "/message/12"}))
    assert f'<cite><a href="/message/12"{REL}>Nadia.M</a></cite>' in linked
    # English, followed at once by the text, a name with brackets, and without a link.
    english = render("> [Jean\\[2\\]](/message/3) wrote:\n> Bonjour")
    assert '<p class="quote-source"><cite>Jean[2]</cite></p>\n<p>Bonjour</p>' in english
    assert '<cite>Claire-IRTS</cite>' in render("> Claire-IRTS a écrit :\n> Oui.")
    # An ordinary quote stays an ordinary one.
    assert render("> Une phrase.\n> Une autre.") == "<blockquote>\n<p>Une phrase.\nUne autre.</p>\n</blockquote>\n"


def test_quote_block_of_the_editor_is_the_readable_form(app):
    from forum.topics.editor import quote_block
    with app.test_request_context():
        block = quote_block("Claire-IRTS", 5, "Premier paragraphe.\n\nSecond.")
    assert block == "> [Claire-IRTS](/message/5) a écrit :\n>\n> Premier paragraphe.\n>\n> Second.\n\n"
    assert Document(block).quoted == {5}
    assert render(block).count("<blockquote") == 1
