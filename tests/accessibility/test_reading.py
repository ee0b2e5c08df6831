"""Reading with a keyboard, a screen reader, dark mode or on paper (real browser)."""
import pytest

from ..helpers import log_in, open_page

pytestmark = pytest.mark.browser


def test_the_keyboard_starts_at_the_skip_link_and_focus_is_always_visible(site, live_server, chromium):
    context = chromium.new_context()
    page = open_page(context)
    page.goto(f"{live_server.url}/sujet/{site.topic.id}")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert skip.bounding_box()["y"] >= 0   # shown on screen once focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "contenu"
    page.keyboard.press("Tab")   # the next stop is inside the content, not back in the header
    assert page.evaluate("document.activeElement.closest('main') !== null")
    outline = page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
                                       return [s.outlineStyle, parseFloat(s.outlineWidth)]; }""")
    assert outline[0] != "none" and outline[1] >= 2
    context.close()


def test_the_thread_is_nested_lists_and_new_replies_are_announced_politely(site, live_server, chromium):
    context = chromium.new_context()
    page = open_page(context)
    page.goto(f"{live_server.url}/sujet/{site.topic.id}")
    # Bob's answer to Alice's answer to Bob: two lists deep, each post a list item of its level.
    depth = page.evaluate(f"""() => {{
        let depth = 0;
        for (let e = document.getElementById('message-{site.last.number}'); e; e = e.parentElement) {{
            if (e.tagName === 'OL' && e.classList.contains('thread')) depth++;
        }}
        return depth;
    }}""")
    assert depth == 3   # answers to the opening > Bob's first answer's answers > Alice's answer's answers
    assert page.locator("ol.thread > li > article.post").count() == 6   # every reply; the opening comes first
    assert page.get_attribute("#annonces", "aria-live") == "polite"
    for article in page.locator("article.post").all():   # each post named by its author
        assert article.get_attribute("aria-labelledby")
    context.close()


def test_dark_mode_follows_the_system_setting(site, live_server, chromium):
    colours = {}
    for scheme in ("light", "dark"):
        context = chromium.new_context(color_scheme=scheme)
        page = open_page(context)
        page.goto(live_server.url + "/")
        colours[scheme] = page.evaluate("[getComputedStyle(document.body).backgroundColor, getComputedStyle(document.body).color]")
        context.close()
    assert colours["light"] == ["rgb(255, 255, 255)", "rgb(27, 27, 31)"]
    assert colours["dark"] == ["rgb(22, 23, 27)", "rgb(236, 236, 241)"]


def test_a_topic_prints_as_the_discussion_alone(site, live_server, chromium):
    """Members print discussions for their meetings: text, authors and dates; no menus or forms."""
    context = chromium.new_context(color_scheme="dark")
    page = open_page(context)
    log_in(page, live_server, site.alice)
    page.goto(f"{live_server.url}/sujet/{site.topic.id}")
    page.emulate_media(media="print")
    for hidden in (".site-header", ".site-footer", ".reply-box", ".post-actions", ".view-switch", ".breadcrumb", ".watch"):
        assert all(not e.is_visible() for e in page.locator(hidden).all()), hidden
    assert page.locator("h1").is_visible()
    assert page.locator("article.post").count() == 7
    assert all(post.is_visible() for post in page.locator("article.post").all())
    assert page.evaluate("getComputedStyle(document.body).color") == "rgb(0, 0, 0)"   # even in dark mode
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(255, 255, 255)"
    pdf = page.pdf()
    assert pdf.startswith(b"%PDF")
    context.close()
