"""Weight: the topic page with 100 posts reaches the browser in less than 150 KB, all from this host.

Real French text (the PIAF passages of ../shared), a threaded discussion between several members,
read by a logged-in member with JavaScript on (the heaviest case: actions under every post, the
reply form, the live script and its Socket.IO client).
"""
import json
import random
from urllib.parse import urlsplit

import pytest

from ..conftest import shared_path
from ..helpers import log_in, open_page

pytestmark = pytest.mark.browser

BUDGET = 150 * 1024


@pytest.fixture
def long_topic(forum, site):
    with open(shared_path("corpora", "french", "passages.jsonl"), encoding="utf-8") as lines:
        texts = [json.loads(line)["text"] for line in lines]
    rng = random.Random(9)
    authors = [site.alice, site.bob, site.moderator] + [forum.member(f"Membre{n}", committees=[site.committee])
                                                        for n in range(5)]
    topic = forum.topic(site.alice, site.committee, "Compte rendu de la plénière de novembre",
                        body=texts[0][:900])
    posts = [forum.opening(topic)]
    for number in range(99):
        parent = rng.choice(posts[-8:])   # discussions branch near their end
        posts.append(forum.reply(rng.choice(authors), topic, texts[number + 1][:rng.randint(300, 900)], parent))
    return topic


def transfers(page, url):
    """[(url, resource type, bytes on the wire)] of everything loading ``url`` asked for."""
    seen = []

    def finished(request):
        sizes = request.sizes()
        seen.append((request.url, request.resource_type, sizes["responseBodySize"] + sizes["responseHeadersSize"]))
    page.on("requestfinished", finished)
    page.goto(url, wait_until="networkidle")
    page.remove_listener("requestfinished", finished)
    return seen


def test_the_100_post_topic_weighs_less_than_150_kb_all_from_this_host(long_topic, site, live_server, chromium):
    context = chromium.new_context()
    page = open_page(context)
    log_in(page, live_server, site.bob)
    loaded = transfers(page, f"{live_server.url}/sujet/{long_topic.id}")
    assert page.locator("article.post").count() == 100
    total = sum(size for _url, _kind, size in loaded)
    kinds = {kind for _url, kind, _size in loaded}
    assert {"document", "stylesheet", "script"} <= kinds
    assert total < BUDGET, "\n".join(f"{size:>8} {kind:<12} {url}" for url, kind, size in loaded)
    hosts = {urlsplit(url).netloc for url, _kind, _size in loaded}
    assert hosts == {urlsplit(live_server.url).netloc}
    assert page.problems == []
    # The budget is met by compression: the page alone is far heavier uncompressed.
    document = next(size for url, kind, size in loaded if kind == "document")
    assert len(page.content().encode()) > 2 * document
    context.close()
