"""Words a member stumbled on (issue 16, item 16): who sees my collège, how to reach the coordination."""
import pytest

from .helpers import text


@pytest.mark.parametrize("shown, confirmed, expected", [
    (True, True, "tout le monde le voit, visiteurs compris"),
    (False, True, "seuls vous et la coordination le voyez"),
    (True, False, "attend d'être confirmé par la coordination"),
])
def test_a_member_is_told_who_sees_their_college(forum, browser, shown, confirmed, expected):
    college = forum.college("Personnes accompagnées")
    karim = forum.member("Karim", college=college, show_college=shown, confirmed=confirmed)
    other = forum.member("Nadia")
    browser.login(karim)
    for path in ("/preferences", "/membre/Karim"):
        page = text(browser.get(path))
        assert expected in page and "« Personnes accompagnées »" in page, path
    # Said to the member only: another member reading Karim's profile is told nothing of it.
    browser.logout()
    browser.login(other)
    assert expected not in text(browser.get("/membre/Karim"))


def test_every_page_that_says_write_to_the_coordination_gives_its_address(app_factory, forum):
    from .helpers import Browser
    app = app_factory(CONTACT_EMAIL="coordination@exemple.fr")
    browser = Browser(app.test_client())
    help_page = browser.get("/aide").get_data(as_text=True)
    assert 'href="mailto:coordination@exemple.fr"' in help_page
    closed = app_factory(REGISTRATION_MODE="invitation", CONTACT_EMAIL="coordination@exemple.fr")
    assert 'href="mailto:coordination@exemple.fr"' in Browser(closed.test_client()).get("/inscription").get_data(as_text=True)
    with app.test_request_context():
        from flask import render_template
        page = render_template("registered.html", email="fatima@exemple.fr")
    assert 'écrivez à la coordination : <a href="mailto:coordination@exemple.fr">' in page.replace("&#39;", "'")
