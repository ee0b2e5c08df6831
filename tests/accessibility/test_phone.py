"""Phones: at 360×640 the main pages never scroll sideways and every tap target is 44 px or more.

Measured by the browser itself (layout boxes), on the same pages as the axe check.
"""
import pytest

from ..helpers import log_in, open_page
from .test_axe import pages_for

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 640}
MINIMUM = 44

# What a finger must hit: every visible control. A checkbox or radio button counts with its
# label (tapping the label ticks it). A link inside a sentence is exempt (WCAG 2.5.5 "inline"):
# enlarging it would space the lines of the text apart.
TARGETS = """(minimum) => {
    const inSentence = (a) => {
        if (getComputedStyle(a).display !== "inline") return false;
        const block = a.parentElement.closest("p, li, td, dd, blockquote, .post-body, .hint, .lead");
        return block !== null && block.textContent.trim().length > a.textContent.trim().length + 2;
    };
    const box = (e) => {
        let r = e.getBoundingClientRect();
        let [left, top, right, bottom] = [r.left, r.top, r.right, r.bottom];
        if (e.matches("input[type=checkbox], input[type=radio]") && e.labels) {
            for (const label of e.labels) {
                const l = label.getBoundingClientRect();
                [left, top, right, bottom] = [Math.min(left, l.left), Math.min(top, l.top),
                                              Math.max(right, l.right), Math.max(bottom, l.bottom)];
            }
        }
        return {width: right - left, height: bottom - top};
    };
    const small = [];
    for (const e of document.querySelectorAll("a[href], button, input:not([type=hidden]), select, textarea, summary")) {
        if (!e.checkVisibility() || e.closest("[hidden], .visually-hidden, .skip-link")) continue;
        if (e.matches("a") && inSentence(e)) continue;
        const {width, height} = box(e);
        if (width < minimum - 0.5 || height < minimum - 0.5) {
            small.push(`${e.outerHTML.slice(0, 120)} — ${Math.round(width)}×${Math.round(height)}`);
        }
    }
    return small;
}"""

# Sideways scrolling: the document is wider than the screen, or an element sticks out of it
# without being inside a box that scrolls on its own (a wide table or code block may do that).
OVERFLOW = """() => {
    const width = document.documentElement.clientWidth;
    const contained = (e) => {
        for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
            if (getComputedStyle(a).overflowX !== "visible") return true;
        }
        return false;
    };
    const wide = [...document.querySelectorAll("body *")]
        .filter(e => e.getBoundingClientRect().right > width + 1 && e.checkVisibility() && !contained(e))
        .map(e => e.outerHTML.slice(0, 100));
    return {scroll: document.documentElement.scrollWidth, width: width, wide: wide.slice(0, 5)};
}"""


@pytest.mark.parametrize("role", ["anonymous", "member", "moderator"])
def test_phone_pages_fit_and_have_big_enough_targets(role, site, app, live_server, chromium):
    context = chromium.new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    page = open_page(context)
    if role != "anonymous":
        log_in(page, live_server, site.alice if role == "member" else site.moderator)
    overflowing, small = {}, {}
    for name, path in pages_for(role, site, app):
        page.goto(live_server.url + path)
        measure = page.evaluate(OVERFLOW)
        if measure["scroll"] > measure["width"] or measure["wide"]:
            overflowing[name] = measure
        targets = page.evaluate(TARGETS, MINIMUM)
        if targets:
            small[name] = targets
    # The checks can fail: a wide element and a small button are caught.
    page.evaluate("""() => {   // through the DOM: the CSP refuses style attributes
        const wide = document.createElement("div"), small = document.createElement("button");
        wide.style.width = "500px";
        small.style.minHeight = "0"; small.style.padding = "0"; small.textContent = "x";
        document.querySelector("main").append(wide, small);
    }""")
    assert page.evaluate(OVERFLOW)["wide"]
    assert any(target.startswith("<button") for target in page.evaluate(TARGETS, MINIMUM))
    context.close()
    assert not overflowing, overflowing
    assert not small, "\n" + "\n".join(f"{name}: {t}" for name, targets in small.items() for t in targets)


# A checkbox or radio button and its label: the control sits on the first line of its own label,
# just before it (issue 16, item 13: at 360 px the radio under "Article 1" belonged to
# Article 2). The label's first line is measured on its text, not on its box.
APART = """() => {
    const apart = [];
    for (const control of document.querySelectorAll("input[type=checkbox], input[type=radio]")) {
        if (!control.checkVisibility() || !control.labels || !control.labels.length) continue;
        const label = control.labels[0];
        const range = document.createRange();
        range.selectNodeContents(label);
        const lines = [...range.getClientRects()].filter(r => r.width > 0 && r.height > 0);
        if (!lines.length) continue;
        const first = lines.reduce((a, b) => (b.top < a.top ? b : a));
        const box = control.getBoundingClientRect();
        const middle = (box.top + box.bottom) / 2;
        const onItsLine = middle >= first.top && middle <= first.bottom;
        const before = box.right <= first.left + 1 && first.left - box.right <= 24;
        if (!onItsLine || !before) {
            apart.push(`${label.textContent.trim().slice(0, 40)}: control ${Math.round(box.left)},${Math.round(middle)}`
                       + ` / line ${Math.round(first.left)},${Math.round(first.top)}-${Math.round(first.bottom)}`);
        }
    }
    return apart;
}"""


@pytest.mark.parametrize("width", [360, 1280])
def test_each_checkbox_and_radio_sits_on_its_labels_line(width, site, live_server, chromium):
    context = chromium.new_context(viewport={"width": width, "height": 740}, is_mobile=width < 400,
                                   has_touch=width < 400, device_scale_factor=2)
    page = open_page(context)
    apart, seen = {}, {}

    def measure(name):
        seen[name] = page.locator("input[type=checkbox]:visible, input[type=radio]:visible").count()
        if found := page.evaluate(APART):
            apart[name] = found

    page.goto(live_server.url + "/inscription")
    measure("inscription")
    page.click("main button[type=submit]")             # with its errors and hints shown
    measure("inscription refusée")
    log_in(page, live_server, site.alice)
    for name, path in [("signaler", f"/message/{site.last.id}/signaler"), ("courriels", "/preferences/courriels"),
                       ("préférences", "/preferences"), ("suivi de l'espace", f"/espace/{site.committee.slug}")]:
        page.goto(live_server.url + path)
        for summary in page.locator("details:not([open]) > summary").all():
            summary.click()                           # the watching levels open from their summary
        measure(name)
    # The check can fail: a label pushed onto the next line is caught.
    page.evaluate("""() => { const label = document.querySelector("input[type=checkbox] + label, input[type=radio] + label");
                             label.style.display = "block"; label.style.flexBasis = "100%"; }""")
    assert page.evaluate(APART)
    context.close()
    assert all(seen.values()), seen
    assert not apart, apart


def test_phone_header_is_compact_and_recent_activity_comes_first(site, live_server, chromium):
    """At 360×740 the header took 320 px and "Dernières discussions" came after 5,200 px (issue 16,
    item 15): the header stays under a quarter of the screen, the latest topics open the home page,
    and the search box keeps off the screen's edges."""
    context = chromium.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    page = open_page(context)
    log_in(page, live_server, site.moderator)      # the longest menu
    page.goto(live_server.url + "/")
    header = page.locator("header.site-header").bounding_box()
    assert header["height"] <= 740 / 4, header
    latest = page.locator("#derniers").bounding_box()
    assert latest["y"] + latest["height"] <= 740, latest
    assert page.locator(".topic-list .topic-row").first.is_visible()
    for selector in ("#recherche-q", ".site-header .search-box button"):
        box = page.locator(selector).bounding_box()
        assert box["x"] >= 8 and box["x"] + box["width"] <= 360 - 8, (selector, box)
    # Every entry of the menu is there, reached by scrolling the menu's row sideways.
    nav = page.locator(".site-nav ul")
    assert nav.evaluate("e => e.scrollWidth > e.clientWidth")
    logout = page.locator(".site-nav button", has_text="Se déconnecter")
    logout.scroll_into_view_if_needed()
    assert logout.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    context.close()
