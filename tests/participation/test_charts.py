"""The participation charts (forum/participation/charts.py): SVG that parses, names itself to
assistive technology, draws bars in proportion, never a bar for a small group, escapes every
name, keeps its contrasts, needs no style attribute, and a table with the same numbers."""
import os
import re
import xml.etree.ElementTree as ET

import pytest
from flask import render_template_string

from forum.participation import charts
from forum.participation.charts import Bar, Chart, svg, table_rows, text_width

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SVG_NS = "{http://www.w3.org/2000/svg}"
SPACE = "[\u202f\u00a0]"   # babel's French thousands separator: a (narrow) no-break space


def college_chart(*bars):
    return Chart("colleges", "Messages par collège", "Messages publiés par collège.", "messages", "Collège",
                 bars or (Bar("Personnes accompagnées", 10), Bar("Professionnels", 40),
                          Bar("Élus", None, "moins de 5"), Bar("Bénévoles", 20)))


def weekly_chart(count=53):
    return Chart("semaines", "Messages par semaine", "Messages publiés chaque semaine.", "messages", "Semaine",
                 tuple(Bar(f"sem. {number + 1}", 1000 + number * 37 if number % 7 else None, "moins de 5")
                       for number in range(count)), "vertical")


def parse(text):
    """The SVG's tree, tags without their namespace (the inline SVG has none)."""
    root = ET.fromstring(text.encode("utf-8"))
    for element in root.iter():
        element.tag = element.tag.removeprefix(SVG_NS)
    return root


def texts(root, css_class=None):
    return [element for element in root.iter("text") if css_class is None or element.get("class") == css_class]


def bars(root):
    return [element for element in root.iter("rect") if element.get("class") == "bar"]


@pytest.mark.parametrize("standalone", [False, True])
def test_the_drawing_names_itself_by_its_title_and_summary(standalone):
    root = parse(svg(college_chart(), standalone=standalone))
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby").split()
    assert [element.text for element in root.iter("title") if element.get("id") == title_id] == ["Messages par collège"]
    assert [element.text for element in root.iter("desc") if element.get("id") == desc_id] == ["Messages publiés par collège."]
    assert title_id != desc_id and "colleges" in title_id


def test_two_charts_of_a_page_have_different_ids():
    first = parse(svg(college_chart())).get("aria-labelledby")
    second = parse(svg(weekly_chart())).get("aria-labelledby")
    assert not set(first.split()) & set(second.split())
    assert charts.element_id('a "b" <c>') == "chart-a-b-c"


def test_inline_scales_to_the_page_and_standalone_reads_alone():
    inline, standalone = svg(college_chart()), svg(college_chart(), standalone=True)
    root = parse(inline)
    assert root.get("width") == "100%" and root.get("viewBox").startswith("0 0 ")
    assert not inline.startswith("<?xml") and "xmlns" not in inline
    assert standalone.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    assert ET.fromstring(standalone.encode("utf-8")).tag == SVG_NS + "svg"
    root = parse(standalone)
    background = next(root.iter("rect"))
    assert (background.get("fill"), background.get("width")) == (charts.BACKGROUND, "100%")
    assert root.get("width") == root.get("viewBox").split()[2]
    assert "Messages par collège" in [element.text for element in texts(root, "title")]


def test_every_label_and_value_is_written_as_text():
    root = parse(svg(college_chart()))
    assert [element.text for element in texts(root, "label")] == ["Personnes accompagnées", "Professionnels", "Élus", "Bénévoles"]
    assert [element.text for element in texts(root, "value")] == ["10", "40", "moins de 5", "20"]


def test_bars_are_in_proportion_and_the_longest_is_the_top_value():
    lengths = [float(rect.get("width")) for rect in bars(parse(svg(college_chart())))]
    assert lengths[1] == pytest.approx(charts.WIDTH - charts.VALUE_ROOM)
    assert (lengths[0] / lengths[1], lengths[2] / lengths[1]) == pytest.approx((0.25, 0.5), abs=0.01)
    heights = [float(rect.get("height")) for rect in bars(parse(svg(weekly_chart(4))))]
    assert [height / heights[-1] for height in heights] == pytest.approx([1037 / 1111, 1074 / 1111, 1], abs=0.001)


def test_a_small_group_gets_its_words_and_no_bar():
    root = parse(svg(college_chart()))
    assert len(bars(root)) == 3
    assert "moins de 5" in [element.text for element in texts(root, "value")]
    vertical = parse(svg(weekly_chart(14)))
    assert len(bars(vertical)) == 12
    outlines = [element for element in vertical.iter("path") if element.get("class") == "hidden-bar"]
    assert len(outlines) == 2 and all(element.get("fill") == "none" for element in outlines)


def test_a_tiny_value_is_still_a_visible_bar_and_zero_is_none():
    root = parse(svg(college_chart(Bar("a", 1), Bar("b", 100000), Bar("c", 0))))
    assert [float(rect.get("width")) for rect in bars(root)][0] == charts.MIN_BAR
    assert len(bars(root)) == 2


@pytest.mark.parametrize("orientation", ["horizontal", "vertical"])
def test_all_zero_draws_no_bar_and_writes_zero(orientation):
    chart = Chart("vide", "Rien", "Aucun message.", "messages", "Mois", (Bar("janv.", 0), Bar("févr.", 0)), orientation)
    root = parse(svg(chart))
    assert bars(root) == []
    assert {element.text for element in texts(root, "value")} == {"0"}


@pytest.mark.parametrize("standalone", [False, True])
def test_names_are_escaped(standalone):
    nasty = '<script>alert(1)</script> & "quotes" \'too\''
    chart = Chart('k"><script>', 'Titre <b>&', 'Résumé "x" <i>', "messages", "Collège",
                  (Bar(nasty, 3), Bar("x" * 200, 5), Bar("élus", None, "<moins de 5>")))
    drawing = svg(chart, standalone=standalone)
    assert "<script" not in drawing and "<b>" not in drawing and "<i>" not in drawing
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp;" in drawing
    root = parse(drawing)
    assert not [element for element in root.iter() if element.tag in ("script", "b", "i", "foreignObject")]
    labels = [element.text for element in texts(root, "label")]
    assert labels[0] == nasty
    assert "<moins de 5>" in [element.text for element in texts(root, "value")]
    assert next(root.iter("title")).text == "Titre <b>&"


def test_a_long_label_is_wrapped_inside_the_view():
    label = "Comité local du travail social " * 7
    root = parse(svg(college_chart(Bar(label[:200], 5), Bar("x" * 200, 7))))
    lines = [element.text for element in texts(root, "label")]
    assert 2 < len(lines) <= 2 * charts.MAX_LABEL_LINES
    assert all(text_width(line) <= charts.WIDTH for line in lines)
    assert lines[-1].endswith("…")
    assert " ".join(lines[:4]).startswith("Comité local du travail social Comité")


def _luminance(colour):
    channels = [int(colour[index:index + 2], 16) / 255 for index in (1, 3, 5)]
    linear = [value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4 for value in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first, second):
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_the_contrast_helper_knows_black_on_white():
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


def test_colours_have_enough_contrast_on_white():
    assert contrast(charts.BAR_COLOUR, charts.BACKGROUND) >= 3       # WCAG 1.4.11, graphics
    assert contrast(charts.TEXT_COLOUR, charts.BACKGROUND) >= 4.5    # WCAG 1.4.3, text
    drawing = svg(weekly_chart(), standalone=True)
    assert set(re.findall(r'fill="(#[0-9a-f]{6})"', drawing)) == {charts.BAR_COLOUR, charts.TEXT_COLOUR, charts.BACKGROUND}


def test_on_the_page_the_colours_are_the_pages_in_light_and_dark():
    with open(os.path.join(ROOT, "static", "css", "agora.css"), encoding="utf-8") as handle:
        css = handle.read()
    assert ".chart-drawing .bar { fill: var(--accent); }" in css
    assert ".chart-drawing text { fill: var(--fg); }" in css
    light, dark = (dict(re.findall(r"--(\w[\w-]*): (#[0-9a-f]{6})", block))
                   for block in re.findall(r":root \{(.*?)\}", css, re.S)[:2])
    for scheme in (light, dark):
        assert contrast(scheme["accent"], scheme["bg"]) >= 3
        assert contrast(scheme["fg"], scheme["bg"]) >= 4.5


@pytest.mark.parametrize("chart", [college_chart(), weekly_chart()], ids=["horizontal", "vertical"])
def test_no_style_attribute(chart):
    for standalone in (False, True):
        drawing = svg(chart, standalone=standalone)
        assert "style=" not in drawing
        assert not [element for element in parse(drawing).iter() if "style" in element.attrib or element.tag == "style"]


def _spans(root, css_class):
    return sorted((float(element.get("x")) - text_width(element.text) / 2,
                   float(element.get("x")) + text_width(element.text) / 2) for element in texts(root, css_class))


@pytest.mark.parametrize("count", [1, 12, 26, 53])
def test_a_long_series_thins_its_labels_out_so_none_overlap(count):
    root = parse(svg(weekly_chart(count)))
    for css_class in ("label", "value"):
        spans = _spans(root, css_class)
        assert spans and all(left[1] + charts.LABEL_GAP <= right[0] for left, right in zip(spans, spans[1:]))
        assert spans[0][0] >= 0 and spans[-1][1] <= charts.WIDTH
    labels = [element.text for element in texts(root, "label")]
    assert labels[-1] == f"sem. {count}"       # the latest point is always named
    assert len(labels) >= min(count, 4)
    if count == 12:
        assert len(labels) < 12 and len(bars(root)) == 10


def test_a_short_series_writes_every_label():
    chart = Chart("trimestres", "Par trimestre", "Messages par trimestre.", "messages", "Trimestre",
                  tuple(Bar(f"T{number}", number * 10) for number in range(1, 5)), "vertical")
    root = parse(svg(chart))
    assert [element.text for element in texts(root, "label")] == ["T1", "T2", "T3", "T4"]
    assert [element.text for element in texts(root, "value")] == ["10", "20", "30", "40"]


def test_a_value_is_never_written_over_a_taller_neighbour():
    chart = Chart("s", "S", "S.", "messages", "Semaine",
                  tuple(Bar(f"{number}", value) for number, value in enumerate([5, 100, 5, 100, 5] * 10)), "vertical")
    root = parse(svg(chart))
    assert {element.text for element in texts(root, "value")} == {"100"}


def test_table_rows_write_numbers_the_french_way():
    chart = college_chart(Bar("Professionnels", 12345), Bar("Élus", None, "moins de 5"), Bar("Zéro", 0))
    (first, text), hidden, zero = table_rows(chart)
    assert first == "Professionnels" and re.fullmatch(f"12{SPACE}345", text)
    assert hidden == ("Élus", "moins de 5") and zero == ("Zéro", "0")
    assert table_rows(chart, "en")[0][1] == "12,345"
    assert re.fullmatch(f"12{SPACE}345", texts(parse(svg(chart)), "value")[0].text)


FIGURE = ('{% from "participation/_chart.html" import chart_figure %}'
          '{{ chart_figure(chart, [("Image (SVG)", "/participation/colleges.svg"), ("Données (CSV)", "/x.csv?a=1&b=2")]) }}')


def test_the_figure_shows_the_drawing_and_a_table_of_the_same_numbers(app):
    charts.init_app(app)
    chart = college_chart(Bar("Professionnels <b>", 12345), Bar("Élus", None, "moins de 5"), Bar("Bénévoles", 87))
    with app.test_request_context("/"):
        page = render_template_string(FIGURE, chart=chart)
    assert "style=" not in page and "<b>" not in page
    drawing = parse(re.search(r"<svg .*?</svg>", page, re.S).group(0))
    table = re.search(r"<table.*?</table>", page, re.S).group(0)
    assert '<caption class="visually-hidden">Messages par collège</caption>' in table   # the figcaption shows it
    assert '<th scope="col">Collège</th><th scope="col">messages</th>' in table
    rows = re.findall(r'<tr><th scope="row">(.*?)</th><td>(.*?)</td></tr>', table)
    assert rows == [("Professionnels &lt;b&gt;", "12\u202f345"), ("Élus", "moins de 5"), ("Bénévoles", "87")]
    assert [value for _label, value in rows] == [element.text for element in texts(drawing, "value")]
    assert re.search(r'<figure class="chart chart-horizontal" id="chart-colleges">\s*<figcaption><h3 '
                     r'class="chart-title">Messages par collège</h3>', page)
    assert '<a href="/x.csv?a=1&amp;b=2" download>Données (CSV)<span class="visually-hidden"> : Messages par collège' in page


def test_the_figure_leaves_out_the_downloads_when_there_are_none(app):
    charts.init_app(app)
    with app.test_request_context("/"):
        page = render_template_string('{% from "participation/_chart.html" import chart_figure %}'
                                      '{{ chart_figure(chart) }}', chart=weekly_chart(12))
    assert "chart-downloads" not in page and 'class="chart chart-vertical"' in page
    assert len(re.findall(r'<th scope="row">', page)) == 12


def test_values_of_a_flat_series_do_not_overlap_either():
    chart = Chart("plat", "Plat", "Autant chaque semaine.", "messages", "Semaine",
                  tuple(Bar(f"sem. {number}", 1000) for number in range(53)), "vertical")
    spans = _spans(parse(svg(chart)), "value")
    assert len(spans) > 3 and all(left[1] + charts.LABEL_GAP <= right[0] for left, right in zip(spans, spans[1:]))
