"""Gzip: pages for requests from the site itself, static files always, never what BREACH could measure."""
import gzip

import pytest

SAME_ORIGIN = {"Accept-Encoding": "gzip, deflate, br", "Sec-Fetch-Site": "same-origin"}


def test_a_page_asked_by_the_site_itself_is_gzipped(client, site):
    plain = client.get(f"/sujet/{site.topic.id}", headers={"Sec-Fetch-Site": "same-origin"})
    packed = client.get(f"/sujet/{site.topic.id}", headers=SAME_ORIGIN)
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "gzip"
    assert int(packed.headers["Content-Length"]) == len(packed.data) < len(plain.data) / 2
    assert gzip.decompress(packed.data).split(b'name="csrf-token"')[0] == plain.data.split(b'name="csrf-token"')[0]
    assert {"Accept-Encoding", "Sec-Fetch-Site"} <= set(packed.vary)


@pytest.mark.parametrize("fetch_site", ["cross-site", "same-site", None])
def test_a_page_asked_from_elsewhere_or_by_an_old_browser_is_not_compressed(fetch_site, client, site):
    """A cross-site request could be an attacker's, measuring sizes to guess the CSRF token."""
    headers = {"Accept-Encoding": "gzip"}
    if fetch_site:
        headers["Sec-Fetch-Site"] = fetch_site
    response = client.get(f"/sujet/{site.topic.id}", headers=headers)
    assert response.status_code == 200
    assert "Content-Encoding" not in response.headers
    assert b"Pr\xc3\xa9parer la pl\xc3\xa9ni\xc3\xa8re" in response.data


def test_static_files_are_always_gzipped_and_only_when_accepted(client, app):
    with open(f"{app.static_folder}/css/agora.css", "rb") as handle:
        original = handle.read()
    for headers in ({"Accept-Encoding": "gzip", "Sec-Fetch-Site": "cross-site"}, {"Accept-Encoding": "gzip"}):
        response = client.get("/static/css/agora.css", headers=headers)
        assert response.headers["Content-Encoding"] == "gzip"
        assert gzip.decompress(response.data) == original
        assert "Accept-Encoding" in response.vary
    plain = client.get("/static/css/agora.css")
    assert "Content-Encoding" not in plain.headers and plain.data == original


def test_small_responses_and_other_methods_stay_as_they_are(client, site):
    small = client.get("/static/favicon.svg", headers=SAME_ORIGIN)   # 201 bytes: not worth it
    assert "Content-Encoding" not in small.headers
    missing = client.get("/sujet/999999", headers=SAME_ORIGIN)        # errors are not compressed
    assert missing.status_code == 404 and "Content-Encoding" not in missing.headers


def test_compression_can_be_left_to_a_proxy(app_factory, site):
    client = app_factory(COMPRESS_RESPONSES=False).test_client()
    for path in (f"/sujet/{site.topic.id}", "/static/css/agora.css"):
        assert "Content-Encoding" not in client.get(path, headers=SAME_ORIGIN).headers
