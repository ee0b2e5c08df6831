"""Odd input still gives a valid file of every format, or, for the PDF, a clear French message:
broken markup, a huge table, very long words, missing images, an empty body, naughty strings
(issue 18, « Bad input »)."""
import html as html_escaping
import json
import logging
import os
import sys

import pytest

from forum import create_app
from forum.errors import Invalid
from forum.syntheses.export_body import one_line
from forum.syntheses.exports import to_html, to_markdown, to_odt, to_pdf
from forum.syntheses.pdf_export import NoFetching

from ..conftest import SHARED, base_config
from .readers import headings_of, html, markdown, odt, pdf_info, pdf_lines, pdf_text, pdfua_problems, synthesis

with open(os.path.join(SHARED, "corpora", "blns.json"), encoding="utf-8") as corpus:
    NAUGHTY = json.load(corpus)

WORD = "anticonstitutionnellement" * 12        # 300 letters, no space
BROKEN = ('<h2>Titre <em>non fermé</h2><p>un <b>gras <i>croisé</b> fin</i></p><table><tr><td>cellule'
          '<p>sortie du tableau</table></ul></div><p>après &bogus; &amp <h3></h3><h4>   </h4>'
          '<blockquote class="quote"><p class="quote-source"><cite><a>Sans lien</a></cite>'
          '<li>un élément seul<ol start="-3"><li>moins trois</ol><p>fin<!-- commentaire --> '
          '<a href="javascript:alert(1)" onclick="x()" style="color:red">piège</a><script>alert(2)</script>'
          '<style>@import url(https://example.org/x.css)</style><input type="checkbox" checked> fait')
TABLE = ("<h2>Le grand tableau</h2><table><caption>Deux cents lignes</caption><thead><tr>"
         + "".join(f"<th>Colonne {c}</th>" for c in range(12)) + "</tr></thead><tbody>"
         + "".join("<tr>" + "".join(f"<td>L{r}C{c} texte</td>" for c in range(12)) + "</tr>" for r in range(200))
         + "</tbody></table>")
LONG = (f"<h2>{WORD}</h2><p>Avant {WORD} après.</p><table><thead><tr><th>A</th><th>B</th></tr></thead>"
        f"<tbody><tr><td>{WORD}</td><td>court</td></tr></tbody></table><pre>{WORD}</pre>")
IMAGES = ('<h2>Cartes</h2><p>Voir <img src="/fichiers/absent.png" alt="Carte des accueils"> et '
          '<img src="https://example.invalid/x.png"> puis <img alt="">.</p>')
CASES = {
    "broken markup": dict(body_html=BROKEN),
    "huge table": dict(body_html=TABLE),
    "long words": dict(body_html=LONG, title=f"Synthèse {WORD}"),
    "missing images": dict(body_html=IMAGES),
    "empty body": dict(body_html=""),
    "blank title and body": dict(body_html="  \n ", title=" \t "),
    "naughty strings": dict(
        body_html="".join(f"<p>{html_escaping.escape(s)}</p>" for s in NAUGHTY)
        + "".join(f"<h3>{s}</h3>" for s in NAUGHTY[:200:7]),
        title=" ".join(NAUGHTY[140:160]), space_name=NAUGHTY[170] + "\x00\x0b\ud800",
        status_label=NAUGHTY[200], named_contributors=tuple(NAUGHTY[300:310])),
    "control characters": dict(body_html="<p>a\x00b\x1bc\ufffe\ud800d</p>", title="Titre\x00\x08 fin"),
}


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    folder = tmp_path_factory.mktemp("robust")
    return create_app(base_config(folder, f"sqlite:///{folder / 'unused.db'}"))


@pytest.fixture(scope="module")
def exported(app):
    """``exported(case)``: the case's document and its four exports, rendered once per module."""
    done = {}

    def export(case):
        if case not in done:
            doc = synthesis(**CASES[case])
            with app.app_context():
                done[case] = doc, {"pdf": to_pdf(doc), "odt": to_odt(doc), "md": to_markdown(doc),
                                   "html": to_html(doc)}
        return done[case]
    return export


@pytest.fixture(params=sorted(CASES))
def rendered(request, exported):
    return exported(request.param)


def title_of(doc):
    return one_line(doc.title) or "Synthèse sans titre"


def test_every_format_is_a_valid_file(rendered):
    doc, files = rendered
    title = title_of(doc)
    assert pdfua_problems(files["pdf"]) == []
    assert pdf_info(files["pdf"])[:3] == ("fr", title, title)
    document = odt(files["odt"])
    assert document.meta.get_title() == title
    assert document.body.get_headers()[0].text_recursive == title
    matter, tokens = markdown(files["md"])
    assert matter["title"] == title and headings_of(tokens)[0] == (1, title)
    page = html(files["html"])
    assert page.get("lang") == "fr" and page.findtext(".//title") == title


def test_nothing_is_fetched_and_weasyprint_logs_no_error(app, caplog):
    with caplog.at_level(logging.WARNING, logger="weasyprint"), app.app_context():
        text = pdf_text(to_pdf(synthesis(**CASES["missing images"])))
        to_pdf(synthesis(**CASES["broken markup"]))
    assert "[Carte des accueils]" in text and "[image]" in text
    assert [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")] == []
    with pytest.raises(ValueError):
        NoFetching()("https://example.org/image.png")
    with pytest.raises(ValueError):
        NoFetching()("file:///etc/passwd")


def test_broken_markup_keeps_its_text_and_loses_what_is_unsafe(exported):
    files = exported("broken markup")[1]
    text, page, md = pdf_text(files["pdf"]), files["html"], files["md"]
    for kept in ("Titre non fermé", "sortie du tableau", "un élément seul", "moins trois", "piège", "☑ fait"):
        assert kept in text, kept
    for gone in ("alert", "onclick", "javascript", "example.org", "commentaire", "color:red"):
        assert gone not in page and gone not in md, gone


def test_a_huge_table_is_split_across_pages_with_every_row(exported):
    files = exported("huge table")[1]
    data, document = files["pdf"], odt(files["odt"])
    letters = "".join(pdf_text(data).split())     # 12 columns on A4: cells wrap inside words
    assert all(f"L{row}C{column}texte" in letters for row in range(200) for column in range(12))
    assert pdf_info(data)[3] > 6
    table = document.body.get_tables()[0]
    assert (table.height, table.width) == (201, 12)


def test_long_words_wrap_inside_the_page(exported):
    lines = pdf_lines(exported("long words")[1]["pdf"]).splitlines()
    lines = [line for line in lines if "...." not in line]      # the contents' dot leaders
    assert max(len(line) for line in lines) <= 120       # the running title's 8 pt fits 120 letters
    assert "".join(lines).count("anticonstitutionnellement") >= 4 * 12 - 4     # wrapped, not cut


def test_nesting_past_any_layout_keeps_its_text_in_every_format(app):
    deep = synthesis(body_html="<blockquote>" * 1000 + "au fond" + "</blockquote>" * 1000
                     + "<ul>" + "<li>haut<ul>" * 300 + "<li>bas" + "</ul></li>" * 300 + "</ul>")
    with app.app_context():
        assert "au fond" in pdf_text(to_pdf(deep)) and "bas" in pdf_text(to_pdf(deep))
        assert "au fond" in to_markdown(deep) and "au fond" in to_html(deep)
        assert odt(to_odt(deep)).body.get_paragraphs(content="au fond")


def test_a_layout_weasyprint_cannot_finish_gives_a_french_message(app):
    """WeasyPrint lays boxes out recursively: under a low recursion limit (the interpreter's,
    nothing replaced) a 60-level quotation is past what it can lay out."""
    deep = synthesis(body_html="<blockquote>" * 60 + "au fond" + "</blockquote>" * 60)
    limit = sys.getrecursionlimit()
    with app.app_context():
        sys.setrecursionlimit(300)
        try:
            with pytest.raises(Invalid) as refused:
                to_pdf(deep)
        finally:
            sys.setrecursionlimit(limit)
    assert refused.value.status == 422
    assert refused.value.message.startswith("Le PDF de cette synthèse n'a pas pu être produit")
