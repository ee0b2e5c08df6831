"""1,003 XSS payloads posted through the real posting path, then loaded in headless Chromium.

The Content-Security-Policy is bypassed on purpose: it would stop inline scripts by itself,
and this test is about the sanitizer. Every non-local request is recorded and aborted; dialogs,
``alert``/``confirm``/``prompt``/``print``/``open`` calls, and navigations to ``javascript:``
count as executions. The post bodies are also checked in the live DOM: no element or attribute
that can run script survived (``on*`` handlers, ``javascript:`` URLs, ``<script>``, ``<svg>``…).
"""
import re
from urllib.parse import urlsplit

import pytest

from forum.topics.posting import clean_text

from .conftest import corpus

REPLIES_PER_TOPIC = 50

SENTINEL = """
(() => {
  window.__xss = [];
  const hit = (name) => function () { window.__xss.push(name + ":" + Array.from(arguments).join(",")); };
  for (const name of ["alert", "confirm", "prompt", "print", "open"]) {
    try { Object.defineProperty(window, name, { value: hit(name), writable: false }); } catch (e) {}
  }
})();
"""

# In the live DOM of every post body: what could run script or load from elsewhere.
DOM_CHECK = """
() => {
  const bad = [];
  const dangerous = /^(script|iframe|frame|object|embed|svg|math|style|link|meta|base|form|template|video|audio|source|applet|frameset|noscript|textarea|button|select)$/i;
  for (const body of document.querySelectorAll(".post-body")) {
    for (const el of body.querySelectorAll("*")) {
      if (dangerous.test(el.localName)) bad.push("<" + el.localName + ">");
      for (const attr of el.attributes) {
        const name = attr.name.toLowerCase();
        const value = attr.value.replace(/[\\s\\u0000-\\u001f]/g, "").toLowerCase();
        if (name.startsWith("on") || name === "style" || name === "srcdoc" || name === "formaction")
          bad.push(el.localName + "[" + name + "]");
        if (["href", "src", "action", "xlink:href", "background", "cite", "poster", "data"].includes(name)) {
          const protocol = new URL(attr.value, location.href).protocol;
          if (!["http:", "https:", "mailto:"].includes(protocol)) bad.push(el.localName + "[" + name + "=" + attr.value.slice(0, 40) + "]");
        }
      }
      if (el.localName === "img" && el.hasAttribute("src") && new URL(el.getAttribute("src"), location.href).origin !== location.origin)
        bad.push("img[src=" + el.getAttribute("src").slice(0, 60) + "]");
    }
  }
  return bad;
}
"""


class Watch:
    """A Chromium page that records anything a payload could make happen."""

    def __init__(self, chromium, live_server):
        self.base = live_server.url
        self.executions, self.outside, self.navigations, self.dom = [], [], [], []
        local = urlsplit(live_server.url).netloc
        self.context = chromium.new_context(bypass_csp=True)
        self.context.add_init_script(SENTINEL)

        def route(route_):
            if urlsplit(route_.request.url).netloc == local:
                route_.continue_()
            else:
                self.outside.append(route_.request.url)
                route_.abort()
        self.context.route("**/*", route)
        self.page = self.context.new_page()
        self.page.on("dialog", lambda dialog: (self.executions.append("dialog:" + dialog.message),
                                               dialog.dismiss()))
        self.page.on("framenavigated", lambda frame: self.navigations.append(frame.url)
                     if frame.url.lower().startswith(("javascript:", "data:")) else None)
        self.page.on("popup", lambda popup: self.executions.append("popup:" + popup.url))

    def visit(self, path):
        self.page.goto(self.base + path, wait_until="load")
        self.settle(path)

    def settle(self, label):
        self.page.wait_for_timeout(150)       # let timers and late handlers fire
        self.executions.extend(self.page.evaluate("window.__xss || []"))
        self.dom.extend(f"{label}: {item}" for item in self.page.evaluate(DOM_CHECK))

    def close(self):
        self.context.close()


@pytest.mark.browser
def test_the_watch_sees_what_unsanitized_html_does(live_server, chromium):
    """The harness can fail: raw HTML that runs script, calls home and links javascript: is caught."""
    watch = Watch(chromium, live_server)
    watch.visit("/aide")
    watch.page.evaluate("""() => document.querySelector("main").insertAdjacentHTML("beforeend",
        '<div class="post-body"><img src="x" onerror="alert(1)"><img src="https://tracker.example/p.gif">'
        + '<a href="javascript:void(0)">x</a><svg><circle /></svg></div>')""")
    watch.page.wait_for_timeout(300)
    watch.settle("control")
    watch.close()
    assert watch.executions == ["alert:1"]        # the sentinel replaced the dialog
    assert watch.outside == ["https://tracker.example/p.gif"]
    assert {"control: img[onerror]", "control: a[href=javascript:void(0)]", "control: <svg>",
            "control: img[src=https://tracker.example/p.gif]"} <= set(watch.dom)


def post_payloads(browser, forum, member, space, payloads):
    """Reply with each payload through the form; returns (topic ids, how many were refused)."""
    topics, refused = [], 0
    for start in range(0, len(payloads), REPLIES_PER_TOPIC):
        topic = forum.topic(member, space, f"Vecteurs {start + 1} à {start + REPLIES_PER_TOPIC}")
        topics.append(topic.id)
        for payload in payloads[start:start + REPLIES_PER_TOPIC]:
            response = browser.post(f"/sujet/{topic.id}/repondre", {"body": payload, "submit": "1"})
            empty = not clean_text(payload).strip()      # only blank payloads are refused
            assert response.status_code == (422 if empty else 303), (payload, response.status_code)
            refused += empty
    return topics, refused


@pytest.mark.browser
def test_xss_vectors_never_execute(app, forum, browser, live_server, chromium):
    vectors = corpus("xss_vectors.json")
    assert len(vectors) == 1003
    payloads = [v["payload"] for v in vectors]
    space = forum.space("Espace des vecteurs")
    author = forum.member("Auteur-des-vecteurs")
    browser.login(author)
    reply_topics, refused = post_payloads(browser, forum, author, space, payloads)
    title_topics = []

    # Payloads as topic titles (those that fit a title) and as pseudonyms (always refused:
    # the pseudonym rule allows no markup characters, and nothing may answer 500).
    titled = [p for p in payloads if 5 <= len(" ".join(p.split())) <= app.config["TITLE_MAX_CHARS"]][:120]
    title_space = forum.space("Espace des titres")
    for payload in titled:
        response = browser.post("/nouveau-sujet", {"title": payload, "space": title_space.slug,
                                                   "body": "Titre piégé.", "submit": "1"})
        fits = app.config["TITLE_MIN_CHARS"] <= len(" ".join(clean_text(payload).split()))
        assert response.status_code == (303 if fits else 422), (payload, response.status_code)
        if response.status_code == 303:
            title_topics.append(int(re.search(r"/sujet/(\d+)", response.headers["Location"]).group(1)))
    browser.logout()
    college = forum.college("Collège")
    for index, payload in enumerate([p for p in payloads if re.search(r"[<>\"':]", p)][:60]):
        token = re.search(r'name="csrf-token" content="([^"]+)"',
                          browser.get("/inscription").get_data(as_text=True)).group(1)
        response = browser.client.post("/inscription", data={
            "csrf_token": token, "pseudonym": payload, "email": f"x{index}@test.agora.localhost",
            "password": "un mot de passe long", "college": str(college.id), "show_college": "default",
            "adheres_convention": "y", "accepts_charter": "y", "submit": "1"})
        assert response.status_code == 422, (payload, response.status_code)

    watch = Watch(chromium, live_server)
    listing_pages = -(-len(title_topics) // app.config["TOPICS_PER_PAGE"])
    pages = [f"/sujet/{topic_id}" for topic_id in reply_topics]
    pages += [f"/espace/{title_space.slug}?page={n}" for n in range(1, listing_pages + 1)]
    pages += [f"/espace/{space.slug}", "/"] + [f"/sujet/{topic_id}" for topic_id in title_topics[:10]]
    shown = 0
    for path in pages:
        watch.visit(path)
        shown += watch.page.locator("article.post-visible").count()
    watch.close()

    # Every published payload was on a page (plus the opening posts of the pages loaded).
    assert shown >= len(payloads) - refused + len(reply_topics)
    assert watch.executions == []
    assert watch.navigations == []
    assert watch.outside == []
    assert watch.dom == [], watch.dom
    print(f"\nXSS: {len(payloads) - refused} payloads published and loaded ({refused} refused as empty), "
          f"{len(titled)} as titles, 60 as pseudonyms; {len(pages)} pages in Chromium; 0 executions")
