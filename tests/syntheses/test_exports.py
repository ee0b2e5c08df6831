"""The four exports of a synthesis read back with their own libraries: the PDF's tags, language,
title, bookmarks, fonts and text; the ODT's headings, quotations, tables and links; the Markdown's
front matter, headings and quotations; the HTML page's language and title (issue 18, « Prove it »)."""
import logging

import pytest
from flask_babel import force_locale

from forum import create_app
from forum.syntheses.exports import FORMATS, to_html, to_markdown, to_odt, to_pdf

from ..conftest import base_config
from .readers import (HEADINGS, QUOTES, SITE, font_names, headings_of, html, markdown, odt, outline,
                      pdf_info, pdf_text, pdfua_problems, structure_counts, synthesis,
                      untagged_links)

TITLE = synthesis().title
BACK_MATTER = ["Sources", "Contributions"]


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """An app for its context (translations, time zone): the renderers read no database."""
    folder = tmp_path_factory.mktemp("exports")
    return create_app(base_config(folder, f"sqlite:///{folder / 'unused.db'}"))


@pytest.fixture(scope="module")
def pdf(app):
    with app.app_context():
        return to_pdf(synthesis())


def test_the_formats_table_names_each_renderer_its_type_and_extension():
    assert FORMATS == {
        "pdf": (to_pdf, "application/pdf", "pdf"),
        "odt": (to_odt, "application/vnd.oasis.opendocument.text", "odt"),
        "md": (to_markdown, "text/markdown; charset=utf-8", "md"),
        "html": (to_html, "text/html; charset=utf-8", "html"),
    }


def test_the_pdf_is_tagged_in_french_with_its_title(pdf):
    assert pdfua_problems(pdf) == []
    lang, info_title, dc_title, pages = pdf_info(pdf)
    assert (lang, info_title, dc_title) == ("fr", TITLE, TITLE)
    assert pages >= 3        # cover, contents, body


def test_the_pdf_bookmarks_are_the_headings_in_order(pdf):
    body = [(3 if heading in ("L'accueil", "Le référent unique") else 2, heading) for heading in HEADINGS]
    expected = [(1, TITLE), (2, "Sommaire")] + [(depth, heading) for depth, heading in body]
    expected += [(2, heading) for heading in BACK_MATTER]
    assert outline(pdf) == expected


def test_the_pdf_tags_match_the_page(pdf):
    counts = structure_counts(pdf)
    # Headings: the title; Sommaire, 4 body h2, Sources, Contributions; 2 body h3.
    assert (counts["H1"], counts["H2"], counts["H3"]) == (1, 7, 2)
    assert counts["BlockQuote"] == len(QUOTES)
    assert counts["Table"] == 2 and counts["TH"] == 3 + 2
    assert counts["Link"] >= len(QUOTES) + 2 + 1       # quotations, sources, the page's address
    assert untagged_links(pdf) == []


def test_the_pdf_holds_every_heading_quotation_source_and_count(pdf):
    text = pdf_text(pdf)
    for heading in [TITLE, "Sommaire", *HEADINGS, *BACK_MATTER]:
        assert heading in text
    for pseudonym, _, quotation in QUOTES:
        assert pseudonym in text and quotation in text
    for expected in ("Comité local des Bouches-du-Rhône", "6 décembre 2026", "Version", "Publiée",
                     "Transmise au HCTS", "7 décembre 2026", "Sujet : Accès aux droits", f"{SITE}/sujet/12",
                     "Personnes accompagnées 6", "Autres collèges (3) 9", "Claire-IRTS, Jamel.B",
                     "Page 2 sur", "Actions ouvertes", "Écrire au département"):
        assert expected in text, expected
    assert "Page 1 sur" not in text          # the cover has no number nor running title


def test_the_pdf_names_dejavu_and_embeds_every_font_with_its_unicode_map(pdf):
    names = font_names(pdf)
    assert all(name.startswith(("DejaVu-Serif", "DejaVu-Sans")) for name in names), names
    assert {"DejaVu-Serif", "DejaVu-Sans-Bold"} <= names      # the body's text, the headings


def test_a_body_with_h1_is_moved_one_level_down_under_the_title(app):
    body = "<h1>Première partie</h1><p>a</p><h2>Un détail</h2><p>b</p><h1>Seconde partie</h1>"
    with app.app_context():
        data = to_pdf(synthesis(body_html=body))
        page = html(to_html(synthesis(body_html=body)))
    assert outline(data)[1:5] == [(2, "Sommaire"), (2, "Première partie"), (3, "Un détail"), (2, "Seconde partie")]
    assert [h.text_content() for h in page.iter("h1")] == [TITLE]


def test_the_document_speaks_its_own_language_whatever_the_reader_s(app):
    with app.app_context(), force_locale("en"):
        text = pdf_text(to_pdf(synthesis()))
        markdown_text = to_markdown(synthesis())
    assert "Sommaire" in text and "Page 2 sur" in text and "Contents" not in text
    assert "## Contributions" in markdown_text and "Statut" in markdown_text


def test_the_odt_holds_headings_quotations_tables_and_links(app):
    with app.app_context():
        document = odt(to_odt(synthesis()))
    assert document.language == "fr-FR"
    assert document.meta.get_title() == TITLE
    headers = document.body.get_headers()
    assert [header.text_recursive for header in headers] == [TITLE, *HEADINGS, *BACK_MATTER]
    # Styled as headings: a word processor shows them as such and builds its table of contents.
    assert [header.style for header in headers] == [f"Heading_20_{header.level}" for header in headers]
    quoted = " ".join(p.text_recursive for p in document.body.get_paragraphs(style="Quotations"))
    for pseudonym, _, quotation in QUOTES:
        assert pseudonym in quoted and quotation in quoted
    actions, counts = document.body.get_tables()
    assert actions.get_values()[0] == ["Action", "Qui", "Échéance"] and actions.height == 3
    assert len(actions.get_elements("table:table-header-rows")) == 1
    assert counts.get_values() == [["Collège", "Contributeurs et contributrices"],
                                   ["Personnes accompagnées", "6"], ["Autres collèges (3)", "9"]]
    links = {link.url for link in document.body.get_links()}
    assert {f"{SITE}/sujet/12", f"{SITE}/message/12", f"{SITE}/message/31", f"{SITE}/synthese/3"} <= links
    assert len(document.body.get_lists()) >= 3        # the body's two (one nested), the sources


def test_the_markdown_has_front_matter_headings_and_quotations(app):
    with app.app_context():
        matter, tokens = markdown(to_markdown(synthesis()))
    assert matter == {"title": TITLE, "lang": "fr", "date": "2026-12-06", "version": 2, "status": "Publiée",
                      "url": f"{SITE}/synthese/3", "transmitted": "2026-12-07"}
    levels = {"L'accueil": 3, "Le référent unique": 3}
    assert headings_of(tokens) == ([(1, TITLE)] + [(levels.get(h, 2), h) for h in HEADINGS]
                                   + [(2, h) for h in BACK_MATTER])
    assert sum(token.type == "blockquote_open" for token in tokens) == len(QUOTES)
    inline = " ".join(token.content for token in tokens if token.type == "inline")
    for pseudonym, post, quotation in QUOTES:
        assert f"[{pseudonym}]({SITE}/message/{post})" in inline and quotation in inline
    assert sum(token.type == "table_open" for token in tokens) == 2


def test_the_html_page_is_standalone_with_language_title_and_metadata(app):
    with app.app_context():
        page = html(to_html(synthesis()))
    assert page.get("lang") == "fr"
    assert page.findtext(".//title") == TITLE
    meta = {m.get("name"): m.get("content") for m in page.iter("meta") if m.get("name")}
    assert meta["author"] == "Comité local des Bouches-du-Rhône" and meta["dcterms.created"] == "2026-12-06"
    assert "version 2" in meta["description"]
    assert not [e for e in page.iter("script", "link", "img", "iframe")]      # nothing to load
    assert [a.get("href") for a in page.xpath("//blockquote//a")] == \
        [f"{SITE}/message/{post}" for _, post, _ in QUOTES]      # relative links made absolute


def test_the_pdf_render_logs_no_error(app, caplog):
    with caplog.at_level(logging.WARNING, logger="weasyprint"), app.app_context():
        to_pdf(synthesis())
    assert [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")] == []


def test_a_document_in_english_gets_english_labels(app):
    with app.app_context():
        text = to_markdown(synthesis(lang="en"))
    assert "**Status:**" in text and "Contributors by college" in text and "December 6, 2026" in text


def test_the_contributors_total_is_said_when_no_college_may_be_shown(app):
    """Every collège merged (fewer than 5 each): the total, and why there is no table."""
    doc = synthesis(contributors=(), contributor_total=7)
    with app.app_context():
        for rendered in (to_html(doc), to_markdown(doc), " ".join(
                p.text_recursive for p in odt(to_odt(doc)).body.get_paragraphs())):
            assert "7 personnes ont contribué" in rendered and "la répartition par collège n'est pas montrée" in rendered
            assert "Aucune contribution comptée." not in rendered
