"""The participation page's charts, drawn on the server as small hand-written SVG.

No charting library: the charts are plain bar charts (labelled categories side by side, or a
time series of up to a year of weeks), and a library would weigh more than all of them, add a
script the strict CSP would have to allow, and draw nothing without JavaScript. The SVG is
written here, in one pass, from a ``Chart``; the page shows it next to a table of the same
numbers (templates/participation/_chart.html), which is what a screen reader reads.

Rules the drawing keeps:
- every label and value is written as text beside its bar: colour never carries meaning alone;
  a small group (value None) gets its ``hidden_text`` and no bar, so it never reads as a zero;
- one bar colour with a contrast of 3:1 at least on white (WCAG 1.4.11), text at 4.5:1; the
  stylesheet repaints both from the page's colours in dark mode (a CSS rule beats a
  presentation attribute), the attributes stay for the standalone file;
- presentation attributes only (``fill``, ``font-size``…): the CSP blocks ``style=``;
- everything interpolated is XML-escaped: labels are names members chose;
- a viewBox and ``width="100%"``: the drawing scales down to a 360 px phone; long labels go on
  their own lines above the bar; a long time series thins its labels out so none overlap
  (the table keeps every value).

Text widths are estimated (no font metrics on the server) with a generous average glyph
width, so a label judged to fit does fit in the usual sans-serif fonts.
"""
import math
import re
import textwrap
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from babel.numbers import format_decimal
from flask_babel import get_locale
from markupsafe import Markup

BAR_COLOUR = "#0b5394"      # the site's accent: 7.9:1 on white
TEXT_COLOUR = "#1b1b1f"     # the site's text colour: 16.9:1 on white
BACKGROUND = "#ffffff"      # painted only in the standalone file; inline, the page's own shows
FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', Arial, sans-serif"

WIDTH = 360                 # viewBox units: about one CSS pixel on a phone, so text stays legible
FONT_SIZE = 14
LINE_HEIGHT = 17
GLYPH_WIDTH = 0.6           # average glyph width, in font sizes: generous for sans-serif text
BAR_THICKNESS = 16
ROW_GAP = 12
VALUE_ROOM = 84             # right of the longest bar: its value, or a hidden_text
MIN_BAR = 2                 # a value above zero never draws thinner than this: it is not a zero
MAX_LABEL_LINES = 4         # past it the label ends in "…" (the table beside has it whole)
PLOT_HEIGHT = 150           # vertical charts: the height of the tallest column
COLUMN_GAP_SHARE = 0.25     # share of a column's slot left empty between columns
LABEL_GAP = 6               # least space between two labels of a time series
HIDDEN_MARK = 12            # vertical charts: the height of a small group's dashed outline


@dataclass(frozen=True)
class Bar:
    label: str              # "Personnes accompagnées", "mars 2026", "Comité 13"
    value: int | None       # None: not shown (small group): ``hidden_text`` is written instead
    hidden_text: str = ""   # "moins de 5", "regroupé"


@dataclass(frozen=True)
class Chart:
    key: str                # slug for ids and file names: "colleges", "espaces", "mois"
    title: str              # "Messages par collège"
    summary: str            # one or two plain sentences saying what the chart shows
    unit: str               # the table's value column header: "messages", "contributeurs"
    label_header: str       # the table's first column header: "Collège", "Mois"
    bars: tuple[Bar, ...]
    orientation: str = "horizontal"   # "horizontal": categories; "vertical": a time series


def table_rows(chart, locale="fr"):
    """(label, text) per bar, for the table and the CSV: the value written the locale's way
    ("12 345" in French, with babel's narrow no-break space), or the bar's hidden_text."""
    return [(bar.label, bar.hidden_text if bar.value is None else format_decimal(bar.value, locale=locale))
            for bar in chart.bars]


def init_app(app):
    """Template helpers of templates/participation/_chart.html, in the reader's language:
    ``participation_svg(chart)`` (the inline drawing, as markup: it is escaped here) and
    ``participation_rows(chart)`` (``table_rows``), ``chart_element_id(key)`` (the figure's id)."""
    def locale():
        return str(get_locale() or "fr")

    app.jinja_env.globals.update(participation_svg=lambda chart: Markup(svg(chart, locale=locale())),
                                 participation_rows=lambda chart: table_rows(chart, locale()),
                                 chart_element_id=element_id)


def svg(chart, standalone=False, locale="fr"):
    """The chart as an SVG document (``standalone``: a file that reads alone, in Inkscape or
    LibreOffice: XML header, namespace, white background, a size in pixels, the title written
    over the drawing) or as an element to put inline in a page (width 100%, the page's
    background, the title in the figure's caption). ``locale`` writes the values."""
    texts = [text for _label, text in table_rows(chart, locale)]
    draw = _vertical if chart.orientation == "vertical" else _horizontal
    height, body = draw(chart, texts)
    if standalone:
        lines = _label_lines(chart.title)
        shift = len(lines) * LINE_HEIGHT + ROW_GAP
        body = [_text(0, (number + 1) * LINE_HEIGHT - 4, line, css_class="title").replace(
                    "<text ", '<text font-weight="bold" ', 1) for number, line in enumerate(lines)] \
            + [f'<g transform="translate(0 {shift})">', *body, "</g>"]
        height += shift
    ident = element_id(chart.key)
    size = f'width="{WIDTH}" height="{height}"' if standalone else 'width="100%"'
    head = ('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" '
            if standalone else '<svg ')
    parts = [f'{head}class="chart-drawing" viewBox="0 0 {WIDTH} {height}" {size} role="img" '
             f'aria-labelledby="{ident}-title {ident}-desc" font-family={quoteattr(FONT_FAMILY)} '
             f'font-size="{FONT_SIZE}">',
             f'<title id="{ident}-title">{escape(chart.title)}</title>',
             f'<desc id="{ident}-desc">{escape(chart.summary)}</desc>']
    if standalone:
        parts.append(f'<rect width="100%" height="100%" fill="{BACKGROUND}"/>')
    parts.extend(body)
    parts.append("</svg>")
    return "\n".join(parts) + ("\n" if standalone else "")


def element_id(key):
    """The id prefix of a chart's elements: its key reduced to letters, digits and dashes."""
    return "chart-" + (re.sub(r"[^a-z0-9-]+", "-", key.lower()).strip("-") or "x")


def text_width(text, font_size=FONT_SIZE):
    """The estimated width of ``text`` in viewBox units (see GLYPH_WIDTH)."""
    return len(text) * font_size * GLYPH_WIDTH


def _top(chart):
    values = [bar.value for bar in chart.bars if bar.value is not None]
    return max(values, default=0)


def _length(longest, value, top):
    """A bar's length: proportional to its value, the top value drawing ``longest``."""
    return max(MIN_BAR, longest * value / top) if value and top else 0


def _text(x, y, content, anchor=None, css_class="label"):
    anchor_attribute = f' text-anchor="{anchor}"' if anchor else ""
    return (f'<text class="{css_class}" x="{_n(x)}" y="{_n(y)}" fill="{TEXT_COLOUR}"{anchor_attribute}>'
            f'{escape(content)}</text>')


def _bar(x, y, width, height):
    return (f'<rect class="bar" x="{_n(x)}" y="{_n(y)}" width="{_n(width)}" height="{_n(height)}" '
            f'fill="{BAR_COLOUR}"/>')


def _n(number):
    """A coordinate, short: two decimals at most, no trailing zeros."""
    return f"{number:.2f}".rstrip("0").rstrip(".")


def _label_lines(label):
    columns = max(1, int(WIDTH // (FONT_SIZE * GLYPH_WIDTH)))
    lines = textwrap.wrap(label, columns, break_long_words=True, break_on_hyphens=False) or [""]
    if len(lines) > MAX_LABEL_LINES:
        lines = lines[:MAX_LABEL_LINES]
        lines[-1] = lines[-1][:columns - 1].rstrip() + "…"
    return lines


def _horizontal(chart, texts):
    """One row per bar: the label on its own lines (so a long name never squeezes the bar),
    the bar under it from the left edge, the value just past the bar's end."""
    top, longest = _top(chart), WIDTH - VALUE_ROOM
    body, y = [], ROW_GAP / 2
    for bar, text in zip(chart.bars, texts):
        for line in _label_lines(bar.label):
            y += LINE_HEIGHT
            body.append(_text(0, y - 4, line))
        y += 4
        length = _length(longest, bar.value, top)
        if length:
            body.append(_bar(0, y, length, BAR_THICKNESS))
        body.append(_text(length + (6 if length else 0), y + BAR_THICKNESS - 4, text, css_class="value"))
        y += BAR_THICKNESS + ROW_GAP
    return math.ceil(y - ROW_GAP / 2), body


def written_labels(chart):
    """Vertical charts: {column index: label centre} of the columns whose label is written:
    every ``step``-th column counting back from the last (a series is read from its latest
    point), the least step for which no two labels overlap once the end ones are moved in to
    stay inside the view. The table keeps every label."""
    count = len(chart.bars)
    slot = WIDTH / max(count, 1)
    for step in range(1, count + 1):
        centres = {index: _clamp(_centre(index, slot), bar.label)
                   for index, bar in enumerate(chart.bars) if (count - 1 - index) % step == 0}
        spans = sorted(_span(centre, chart.bars[index].label) for index, centre in centres.items())
        if all(left[1] + LABEL_GAP <= right[0] for left, right in zip(spans, spans[1:])):
            return centres
    return {}


def written_values(chart, texts):
    """Vertical charts: {column index: value centre} of the columns whose value (or hidden_text)
    is written just over them: from the last column back, each one whose text spans no column
    taller than its own (a text over a taller neighbour would seem to be its value) and leaves
    a gap to the last written text. In a long series of thin columns the peaks keep their
    value; the table keeps every one."""
    slot = WIDTH / max(len(chart.bars), 1)
    heights = _heights(chart)
    centres, left_edge = {}, WIDTH + LABEL_GAP
    for index in reversed(range(len(chart.bars))):
        centre = _clamp(_centre(index, slot), texts[index])
        left, right = _span(centre, texts[index])
        under = heights[max(0, math.floor(left / slot)):math.ceil(right / slot)]
        if right + LABEL_GAP <= left_edge and max(under, default=0) <= heights[index]:
            centres[index], left_edge = centre, left
    return centres


def _heights(chart):
    """Vertical charts: each column's height, a small group's the height of its dashed outline."""
    top = _top(chart)
    return [HIDDEN_MARK if bar.value is None else _length(PLOT_HEIGHT, bar.value, top) for bar in chart.bars]


def _centre(index, slot):
    return index * slot + slot / 2


def _span(centre, text):
    half = text_width(text) / 2
    return centre - half, centre + half


def _clamp(middle, text):
    """A text's centre, moved in so that a text wider than its column stays inside the view."""
    half = min(text_width(text) / 2, WIDTH / 2)
    return min(max(middle, half), WIDTH - half)


def _vertical(chart, texts):
    """Columns side by side over a baseline, labels under it (``written_labels``), values over
    the columns (``written_values``). A small group gets a dashed outline instead of a column: it is not a zero."""
    slot = WIDTH / max(len(chart.bars), 1)
    thickness = slot * (1 - COLUMN_GAP_SHARE)
    heights = _heights(chart)
    baseline = LINE_HEIGHT + 4 + PLOT_HEIGHT
    body = [f'<line class="axis" x1="0" y1="{baseline}" x2="{WIDTH}" y2="{baseline}" '
            f'stroke="{TEXT_COLOUR}" stroke-width="1"/>']
    for index, (bar, height) in enumerate(zip(chart.bars, heights)):
        x = index * slot + (slot - thickness) / 2
        if bar.value:
            body.append(_bar(x, baseline - height, thickness, height))
        elif bar.value is None:
            body.append(f'<path class="hidden-bar" d="M{_n(x)} {baseline}V{baseline - HIDDEN_MARK}'
                        f'H{_n(x + thickness)}V{baseline}" fill="none" stroke="{TEXT_COLOUR}" '
                        f'stroke-width="1" stroke-dasharray="2 2"/>')
    for index, centre in sorted(written_values(chart, texts).items()):
        body.append(_text(centre, baseline - heights[index] - 4, texts[index], "middle", "value"))
    for index, centre in written_labels(chart).items():
        body.append(_text(centre, baseline + LINE_HEIGHT, chart.bars[index].label, "middle"))
    return baseline + LINE_HEIGHT + 6, body
