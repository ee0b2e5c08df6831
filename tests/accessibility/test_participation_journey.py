"""Participation in a real browser, on data whose answers are known: axe-core finds nothing on
the comité's page and the coordination's (desktop and 360 px phone); every chart reads to a
screen reader (an SVG named by its title and description, a caption, a table of the same
numbers); a member not at ease with forms finds the page from their comité's, mistypes a month
on a phone without JavaScript, is told next to the field, fixes it and sees the charts; with
JavaScript, the CSV downloaded through its link holds the page's numbers.

Screenshots go to /tmp/pa11y-shots/ (a folder kept between runs, to be looked at)."""
import csv
import io
import os
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import update

from forum.clock import now
from forum.decisions import closing, voting
from forum.decisions.models import Poll
from forum.extensions import db
from forum.text.slugs import slugify
from forum.topics.models import Member, Topic

from ..participation.test_counting import backdate, last_month
from ..helpers import log_in, open_page
from .test_axe import axe_violations, describe
from .test_phone import APART, MINIMUM, OVERFLOW, TARGETS

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
SHOTS = "/tmp/pa11y-shots"


@pytest.fixture
def participation(app, forum, site):
    """Comité 13, last month: 6 « personnes accompagnées » wrote 2 posts each in a debate, 5
    professionals 1 each (a reply to the opening post); a second topic nobody answered; a
    decision (a reply too) closed with the 11 as voters. The ``site``'s own posts are this month's."""
    committee = site.committee
    accompanied = site.college
    professionals = forum.college("Professionnels")
    people = [forum.member(f"Personne{n}", college=accompanied, committees=[committee]) for n in range(6)]
    workers = [forum.member(f"Pro{n}", college=professionals, committees=[committee]) for n in range(5)]
    debate = forum.topic(people[0], committee, title="Le non-recours aux droits")
    for member in people[1:]:
        forum.reply(member, debate)
        forum.reply(member, debate)
    forum.reply(people[0], debate)
    opening = forum.opening(debate)
    for member in workers:
        forum.reply(member, debate, parent=opening)
    alone = forum.topic(people[1], committee, title="Les horaires de la CAF")
    with app.app_context():
        settings = voting.PollSettings(kind="single", question="Quel jour pour la plénière ?",
                                       closes_at=now() + timedelta(days=7), options=["Mardi", "Jeudi"])
        poll = voting.open_poll(db.session.get(Member, people[0].id), db.session.get(Topic, debate.id),
                                settings, "Choisissons le jour.")
        poll_id = poll.id
        for member in people + workers:
            voting.cast_ballot(db.session.get(Member, member.id), db.session.get(Poll, poll_id), {0: 1}, "")
        closing.close_poll(db.session.get(Poll, poll_id), db.session.get(Member, people[0].id))
    when = last_month().start + timedelta(days=9)
    backdate(app, when, topics=[debate, alone])
    with app.app_context():
        db.session.execute(update(Poll).where(Poll.id == poll_id).values(closed_at=when + timedelta(days=1)))
        db.session.commit()
    # The page's answers: 11 people; 19 posts: the 12 of the debate, the decision's, the lone
    # topic's (14 « personnes accompagnées ») and the professionals' 5, which cross collèges.
    return {"committee": committee, "member": people[2], "coordinator": forum.member("Coordination-PACA",
            role="coordinator"), "colleges": {"Personnes accompagnées": 14, "Professionnels": 5},
            "contributors": {"Personnes accompagnées": 6, "Professionnels": 5}}


def _context(chromium, device, javascript=True, axe=None, **options):
    context = chromium.new_context(viewport=PHONE if device == "telephone" else DESKTOP, locale="fr-FR",
                                   java_script_enabled=javascript, is_mobile=device == "telephone",
                                   has_touch=device == "telephone", **options)
    if axe:
        context.add_init_script(path=axe)
    return context


def _shot(page, name):
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def _fits(page, step):
    """Nothing wider than the screen: the page never scrolls sideways; a finger hits every
    control (44 px), and each radio button sits on its label's line."""
    # A click returns once the next page has begun; its stylesheet may still be on its way, and
    # an unstyled page measures small targets (seen once in CI).
    page.wait_for_load_state("load")
    measure = page.evaluate(OVERFLOW)
    assert measure["scroll"] <= page.viewport_size["width"] and not measure["wide"], (step, measure)
    assert page.evaluate(TARGETS, MINIMUM) == [], step
    assert page.evaluate(APART) == [], step


# What a screen reader meets in each chart, read from the page itself.
CHARTS = """() => [...document.querySelectorAll("figure.chart")].map(figure => {
    const svg = figure.querySelector("svg");
    const named = (svg && (svg.getAttribute("aria-labelledby") || "").split(/\\s+/).filter(Boolean)) || [];
    const table = figure.querySelector("table");
    return {
        id: figure.id,
        heading: (figure.querySelector("figcaption h3") || {}).textContent || "",
        role: svg && svg.getAttribute("role"),
        names: named.map(id => { const e = document.getElementById(id);
                                 return e && {tag: e.tagName.toLowerCase(), text: e.textContent.trim(),
                                              inside: svg.contains(e)}; }),
        caption: (figure.querySelector("figcaption .chart-summary") || {}).textContent || "",
        description: (svg && svg.querySelector("desc") || {}).textContent || "",
        svgTexts: svg ? [...svg.querySelectorAll("text.value")].map(t => t.textContent.trim()) : [],
        svgLabels: svg ? [...svg.querySelectorAll("text.label")].map(t => t.textContent.trim()) : [],
        tableCaption: table && table.caption ? table.caption.textContent.trim() : "",
        rows: table ? [...table.tBodies[0].rows].map(r => [r.cells[0].textContent.trim(),
                                                           r.cells[1].textContent.trim()]) : [],
    };
})"""


def _check_charts(page):
    charts = page.evaluate(CHARTS)
    assert charts, "no chart on the page"
    for chart in charts:
        name = chart["id"]
        assert chart["role"] == "img", name
        assert [n["tag"] for n in chart["names"]] == ["title", "desc"], name
        assert all(n["text"] and n["inside"] for n in chart["names"]), name
        assert chart["heading"] == chart["names"][0]["text"] == chart["tableCaption"], name   # reached by its heading
        assert chart["caption"].strip() and chart["caption"].strip() == chart["description"].strip(), name
        assert chart["tableCaption"], name
        assert chart["rows"], name
        # Every value the drawing writes is the table's value of that row; a horizontal chart
        # writes them all, in the table's order.
        table_values = [value for _label, value in chart["rows"]]
        if "vertical" not in page.get_attribute(f"#{name}", "class"):
            assert chart["svgTexts"] == table_values, name
            # Its labels, wrapped over lines, read as the table's (none is long enough to be cut).
            assert " ".join(chart["svgLabels"]) == " ".join(label for label, _v in chart["rows"]), name
        else:
            assert set(chart["svgTexts"]) <= set(table_values), name
    return {chart["id"]: dict(chart["rows"]) for chart in charts}


@pytest.mark.parametrize("device, scheme", [("telephone", "light"), ("bureau", "light"), ("bureau", "dark")])
def test_no_wcag_violation_and_every_chart_reads_aloud(device, scheme, participation, live_server, chromium,
                                                       axe_source):
    found = {}
    for who, path in (("membre", f"/espace/{participation['committee'].slug}/participation?periode=mois"),
                      ("coordination", "/participation?periode=mois")):
        context = _context(chromium, device, axe=axe_source, color_scheme=scheme)
        page = open_page(context)
        log_in(page, live_server, participation["member" if who == "membre" else "coordinator"])
        page.goto(live_server.url + path)
        expect(page.locator("h1")).to_have_text("Participation")
        _shot(page, f"{device}-js-{scheme}-{who}-page")
        if violations := axe_violations(page):
            found[f"{who}, {device}"] = violations
        tables = _check_charts(page)
        assert tables["chart-colleges"] == {"Personnes accompagnées": "14", "Professionnels": "5"}
        assert tables["chart-contributeurs"] == {"Personnes accompagnées": "6", "Professionnels": "5"}
        assert tables["chart-votants"] == {"Personnes accompagnées": "6", "Professionnels": "5"}
        if device == "telephone":
            _fits(page, f"{who}, {device}")
        assert page.problems == [], who
        context.close()
    assert not found, "\n" + describe(found)


def _choose_months(page, first, last):
    page.get_by_label("des mois choisis").check()
    page.get_by_label("Du mois").fill(first)
    page.get_by_label("au mois").fill(last)
    page.get_by_role("button", name="Afficher").click()


def test_a_member_on_a_phone_without_javascript_mistypes_a_month_and_fixes_it(participation, live_server, chromium):
    context = _context(chromium, "telephone", javascript=False)
    page = open_page(context)
    log_in(page, live_server, participation["member"])
    page.goto(f"{live_server.url}/espace/{participation['committee'].slug}")
    _shot(page, "telephone-sans-js-01-espace")
    page.get_by_role("link", name="la participation").click()
    expect(page.locator("h1")).to_have_text("Participation")
    _fits(page, "participation")
    # A quarter, week by week: the series' table (13 or 14 rows) is folded away, the others are not.
    assert page.locator("#chart-temps details.chart-details:not([open]) table").count() == 1
    assert page.locator("#chart-colleges details").count() == 0
    expect(page.locator("#chart-temps table")).to_be_hidden()
    page.emulate_media(media="print")           # on paper (a report for the HCTS) it is printed open
    expect(page.locator("#chart-temps table")).to_be_visible()
    expect(page.locator("#chart-temps summary")).to_be_hidden()
    page.emulate_media(media="screen")
    _shot(page, "telephone-sans-js-02-participation")
    month = last_month().first_month
    _choose_months(page, f"{month.year}-13", f"{month:%Y-%m}")
    summary = page.locator("#erreurs-formulaire")
    expect(summary).to_contain_text("Indiquez un mois qui existe")
    field = page.locator("#periode-de")
    assert field.input_value() == f"{month.year}-13"                                   # nothing typed is lost
    assert page.locator("#periode-a").input_value() == f"{month:%Y-%m}"
    assert page.locator("#periode-perso").is_checked()
    assert field.get_attribute("aria-invalid") == "true"
    assert field.get_attribute("aria-describedby").split() == ["periode-mois-aide", "periode-de-erreurs"]
    error = page.locator("#periode-de-erreurs")
    expect(error).to_contain_text("Indiquez un mois qui existe")
    # The message sits next to its field: just under it, not elsewhere on the page.
    below = error.bounding_box()["y"] - (field.bounding_box()["y"] + field.bounding_box()["height"])
    assert 0 <= below <= 24, below
    _fits(page, "erreur")
    _shot(page, "telephone-sans-js-03-erreur")
    summary.locator("a").click()
    field.fill(f"{month:%Y-%m}")
    page.get_by_role("button", name="Afficher").click()
    expect(page.locator("figure.chart").first).to_be_visible()
    assert page.locator("#erreurs-formulaire").count() == 0
    assert "Personnes accompagnées" in page.inner_text("#chart-colleges table")
    _check_charts(page)
    _fits(page, "graphiques")
    _shot(page, "telephone-sans-js-04-graphiques")
    assert [p for p in page.problems if "422" not in p] == []   # the browser logs the refused period itself
    context.close()


def test_the_csv_downloaded_through_its_link_holds_the_page_numbers(participation, live_server, chromium):
    context = _context(chromium, "bureau", accept_downloads=True)
    page = open_page(context)
    log_in(page, live_server, participation["member"])
    page.goto(f"{live_server.url}/espace/{participation['committee'].slug}")
    page.get_by_role("link", name="la participation").click()
    month = last_month().first_month
    _choose_months(page, f"{month.year}-13", f"{month:%Y-%m}")
    expect(page.locator("#erreurs-formulaire")).to_contain_text("Indiquez un mois")
    _shot(page, "bureau-js-01-erreur")
    page.get_by_label("Du mois").fill(f"{month:%Y-%m}")
    page.get_by_role("button", name="Afficher").click()
    figure = page.locator("#chart-colleges")
    expect(figure).to_be_visible()
    _shot(page, "bureau-js-02-graphiques")
    with page.expect_download() as download:
        figure.get_by_role("link", name="Télécharger le tableau (CSV) : Messages par collège").click()
    assert download.value.suggested_filename == \
        f"participation-{slugify('Comité des Bouches-du-Rhône', 40)}-colleges-{month:%Y-%m}-{month:%Y-%m}.csv"
    with open(download.value.path(), encoding="utf-8-sig") as file:
        rows = list(csv.reader(io.StringIO(file.read()), delimiter=";"))
    assert rows[0] == ["Collège", "messages"]
    assert dict(rows[1:]) == {label: str(count) for label, count in participation["colleges"].items()}
    assert [p for p in page.problems if "422" not in p] == []   # the browser logs the refused period itself
    context.close()
