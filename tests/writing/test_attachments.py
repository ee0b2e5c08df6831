"""Attachments: type by content, metadata stripped, random storage, permission-checked download."""
import io
import os
import re
import zipfile

import pytest
from PIL import Image

from forum.extensions import db
from forum.topics.attachments import ODT, Attachment

from ..helpers import Browser, Forum, text

GPS_MARK = b"GPS-SECRET-43.2965N"


def jpeg_with_gps():
    image = Image.new("RGB", (40, 20), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010E] = GPS_MARK.decode()           # ImageDescription
    exif[0x0112] = 6                           # Orientation: rotate 90° to show upright
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (43.0, 17.0, 47.0)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes(), comment=GPS_MARK)
    return out.getvalue()


def image_bytes(fmt, **params):
    out = io.BytesIO()
    Image.new("RGBA" if fmt != "JPEG" else "RGB", (8, 8), (0, 128, 255)).save(out, format=fmt, **params)
    return out.getvalue()


def odt_bytes():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), ODT)
        archive.writestr("content.xml", "<office:document-content/>")
    return out.getvalue()


def docx_bytes(with_document=True):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        if with_document:
            archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def send(browser, topic, files, body="Voici le document.", button="submit"):
    data = {"body": body, button: "1",
            "fichiers": [(io.BytesIO(content), name) for name, content in files]}
    return browser.post(f"/sujet/{topic.id}/repondre", data, content_type="multipart/form-data")


def stored(app):
    with app.app_context():
        return db.session.query(Attachment).order_by(Attachment.id).all()


def test_image_is_reencoded_without_metadata_and_shown(app, browser, place):
    space, alice, bob, topic = place
    browser.login(alice)
    response = send(browser, topic, [("Photo de la réunion.jpg", jpeg_with_gps())])
    assert response.status_code == 303
    attachment = stored(app)[0]
    assert attachment.content_type == "image/jpeg" and attachment.post_id is not None
    assert (attachment.width, attachment.height) == (20, 40)        # turned upright
    page = text(browser.get(response.headers["Location"], follow_redirects=True))
    url = f"/piece-jointe/{attachment.key}/Photo-de-la-reunion.jpg"
    assert f'<img src="{url}" alt="Photo de la réunion.jpg">' in page
    download = browser.get(url)
    assert download.status_code == 200 and download.mimetype == "image/jpeg"
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.headers["Content-Disposition"].startswith("inline")
    assert "sandbox" in download.headers["Content-Security-Policy"]
    data = download.get_data()
    assert GPS_MARK not in data and b"Exif" not in data
    assert len(Image.open(io.BytesIO(data)).getexif()) == 0
    # Stored under the instance folder with a random name, not the original one.
    with app.app_context():
        path = attachment.path()
        assert path.startswith(app.config["UPLOAD_DIR"]) and "reunion" not in path
    assert os.path.exists(path)


@pytest.mark.parametrize("name, content, mime", [
    ("schema.png", image_bytes("PNG"), "image/png"),
    ("anim.gif", image_bytes("GIF"), "image/gif"),
    ("photo.webp", image_bytes("WEBP"), "image/webp"),
    ("compte-rendu.pdf", PDF, "application/pdf"),
    ("note.odt", odt_bytes(), ODT),
    ("rapport.docx", docx_bytes(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    # The name says nothing: the content decides.
    ("sans-extension", PDF, "application/pdf"),
    ("image.pdf", image_bytes("PNG"), "image/png"),
])
def test_accepted_types_are_recognised_by_content(app, browser, place, name, content, mime):
    space, alice, bob, topic = place
    browser.login(alice)
    assert send(browser, topic, [(name, content)]).status_code == 303
    attachment = stored(app)[0]
    assert attachment.content_type == mime
    download = browser.get(f"/piece-jointe/{attachment.key}/{attachment.url_name}")
    assert download.status_code == 200 and download.mimetype == mime
    if not mime.startswith("image/"):
        assert download.headers["Content-Disposition"].startswith("attachment")


@pytest.mark.parametrize("name, content", [
    ("virus.png", b"MZ\x90\x00\x03\x00\x00\x00 this is an executable"),
    ("page.jpg", b"<html><script>alert(1)</script></html>"),
    ("dessin.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
    ("archive.docx", docx_bytes(with_document=False)),
    ("tronque.png", image_bytes("PNG")[:30]),
])
def test_other_content_is_refused_and_the_text_kept(app, browser, place, name, content):
    space, alice, bob, topic = place
    browser.login(alice)
    response = send(browser, topic, [(name, content)], body="Mon texte à garder")
    assert response.status_code == 422
    page = text(response)
    assert "n'est pas d'un type accepté" in page and "Mon texte à garder" in page
    assert 'aria-describedby="fichiers-aide fichiers-erreurs"' in page
    assert stored(app) == []


def test_too_large_file_is_refused_with_413(app_factory):
    app = app_factory(MAX_ATTACHMENT_BYTES=1000)
    forum, browser = Forum(app), Browser(app.test_client())
    space = forum.space("Espace")
    alice = forum.member("Alice")
    topic = forum.topic(alice, space, "Un sujet pour écrire")
    browser.login(alice)
    response = send(browser, topic, [("gros.pdf", PDF + b"0" * 2000)], body="Texte gardé")
    assert response.status_code == 413
    assert "trop volumineux" in text(response) and "Texte gardé" in text(response)


def test_preview_adds_the_file_to_the_text_and_publishing_attaches_it(app, browser, place):
    space, alice, bob, topic = place
    browser.login(alice)
    response = send(browser, topic, [("plan.png", image_bytes("PNG"))], body="Le plan :", button="preview")
    assert response.status_code == 200
    attachment = stored(app)[0]
    assert attachment.post_id is None
    page = text(response)
    body = re.search(r'<textarea id="body"[^>]*>([^<]*)</textarea>', page).group(1)
    assert body == f"Le plan :\n\n![plan.png](/piece-jointe/{attachment.key}/plan.png)"
    # Before any post holds it, only its uploader may download it.
    url = f"/piece-jointe/{attachment.key}/plan.png"
    assert browser.get(url).status_code == 200
    browser.logout()
    assert browser.get(url).status_code == 404
    browser.login(alice)
    assert browser.post(f"/sujet/{topic.id}/repondre", {"body": body, "submit": "1"}).status_code == 303
    assert stored(app)[0].post_id is not None
    browser.logout()
    assert browser.get(url).status_code == 200          # now it follows a public post


def test_attachment_of_a_restricted_space_is_not_downloadable_by_outsiders(forum, app, client, browser):
    committee = forum.committee("13")
    insider = forum.member("Initie", committees=[committee])
    outsider = forum.member("Dehors")
    bureau = forum.space("Bureau", visibility="restricted", committees=[committee])
    topic = forum.topic(insider, bureau, "Compte rendu du bureau")
    browser.login(insider)
    assert send(browser, topic, [("cr.pdf", PDF)]).status_code == 303
    attachment = stored(app)[0]
    url = f"/piece-jointe/{attachment.key}/{attachment.url_name}"
    assert browser.get(url).status_code == 200
    browser.logout()
    assert browser.get(url).status_code == 404
    browser.login(outsider)
    assert browser.get(url).status_code == 404
    # Even when an outsider links the file from a public post, it stays closed to them.
    public = forum.space("Public")
    other = forum.topic(outsider, public, "Sujet public ouvert")
    assert browser.post(f"/sujet/{other.id}/repondre", {"body": f"[cr]({url})", "submit": "1"}).status_code == 303
    assert browser.get(url).status_code == 404
    assert stored(app)[0].post_id == attachment.post_id
    # A hidden post takes its attachment with it.
    with app.app_context():
        from forum.topics import posting
        from forum.topics.models import Post
        post = db.session.get(Post, attachment.post_id)
        posting.set_post_state(post, "hidden")
        db.session.commit()
    browser.logout()
    browser.login(forum.member("Autre-initie", committees=[committee]))
    assert browser.get(url).status_code == 404


def test_unknown_attachment_is_404(browser):
    assert browser.get("/piece-jointe/inexistant0000000000/x.png").status_code == 404
