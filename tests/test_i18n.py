"""The English interface: a complete catalogue, and the locale chosen by the cookie or the member.

The catalogue test extracts the texts afresh from the code and templates (as ``make messages``
does): a text added without its English translation fails here, with the list of what is
missing. The page tests compile the English ``.po`` themselves (into a temporary folder), so
they check the source catalogue, not a stale ``.mo``.
"""
import os
import re
from datetime import datetime

import pytest
from babel.messages import frontend
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from forum.extensions import babel

from .helpers import text

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PO = os.path.join(ROOT, "forum", "translations", "en", "LC_MESSAGES", "messages.po")
# The keywords of `make messages`: Babel's defaults, with ngettext and lazy_gettext (also as _l).
KEYWORDS = dict(DEFAULT_KEYWORDS, _=None, _l=None, ngettext=(1, 2), lazy_gettext=None)
# %(name)s, and {name} or {:format} whose format (a date's) the translation may adapt.
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{(\w*)(?:[:!][^{}]*)?\}")


def read_catalog():
    with open(PO, "rb") as handle:
        return read_po(handle)


def extracted_ids():
    with open(os.path.join(ROOT, "babel.cfg")) as handle:
        parse = getattr(frontend, "parse_mapping_cfg", None) or frontend.parse_mapping   # Babel < 2.14
        method_map, options_map = parse(handle)
    ids = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
            ROOT, method_map, options_map, keywords=KEYWORDS):
        ids.add(message)
    return ids


def placeholders(string):
    return sorted(match.group(0) if match.group(0).startswith("%") else "{%s}" % match.group(1)
                  for match in PLACEHOLDER.finditer(string))


def test_every_text_of_the_code_has_an_english_translation():
    catalog = read_catalog()
    translated = {}
    for message in catalog:
        if message.id and message.string and "fuzzy" not in message.flags:
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            if all(s.strip() for s in strings):
                translated[message.id] = message
    ids = extracted_ids()
    assert len(ids) > 500   # the extraction really read the code and the templates
    missing = sorted(str(i) for i in ids - set(translated))
    assert not missing, ("texts without an English translation (run `make messages`, then translate "
                         "them in forum/translations/en/LC_MESSAGES/messages.po):\n" + "\n".join(missing))


def test_translations_keep_every_placeholder():
    wrong = []
    for message in read_catalog():
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            pairs = list(zip(message.id, message.string))
        else:
            pairs = [(message.id, message.string)]
        for source, translation in pairs:
            if translation and placeholders(source) != placeholders(translation):
                wrong.append(f"{source!r} -> {translation!r}")
    assert not wrong, "placeholders changed:\n" + "\n".join(wrong)


@pytest.fixture(scope="session")
def compiled(tmp_path_factory):
    """The English catalogue compiled from its .po, in a folder of its own."""
    folder = tmp_path_factory.mktemp("translations")
    target = folder / "en" / "LC_MESSAGES"
    target.mkdir(parents=True)
    with open(target / "messages.mo", "wb") as handle:
        write_mo(handle, read_catalog())
    return str(folder)


@pytest.fixture
def app(app_factory, compiled):
    app = app_factory(BABEL_TRANSLATION_DIRECTORIES=compiled)
    # Flask-Babel keeps the catalogues it loaded per locale, for every app of the process:
    # this test's catalogue must be the one loaded, and must not stay for the next tests.
    with app.app_context():
        babel.domain_instance.cache.clear()
    yield app
    with app.app_context():
        babel.domain_instance.cache.clear()


@pytest.fixture
def english(browser):
    """A visitor who chose English with the footer button."""
    response = browser.post("/langue/en")
    assert response.status_code == 302 and "lang=en" in response.headers["Set-Cookie"]
    return browser


def test_french_is_the_default(client):
    page = text(client.get("/"))
    assert '<html lang="fr">' in page
    assert ">Se connecter</a>" in page and ">English</button>" in page


def test_the_footer_link_switches_home_login_and_register_to_english(english):
    home = text(english.get("/"))
    assert '<html lang="en">' in home
    assert ">Log in</a>" in home and ">Sign up</a>" in home and ">Français</button>" in home
    assert "Se connecter" not in home
    login = text(english.get("/connexion"))
    assert "Email address or pseudonym" in login and "Password" in login
    assert '<button type="submit" name="submit" value="1">Log in</button>' in login
    register = text(english.get("/inscription"))
    assert "Create my account" in register and "Your college" in register
    assert "I sign up to the charter agreement of the local committees" in register
    assert "Default: shown, except for the colleges of people receiving support" in register


def test_a_refused_registration_explains_in_english(english, forum):
    forum.charter()
    response = english.post("/inscription", {"pseudonym": "a", "email": "not-an-address", "password": "short",
                                              "college": "", "show_college": "default", "submit": "1"})
    assert response.status_code == 422
    page = text(response)
    assert "The pseudonym must be 3 to 30 characters long" in page
    assert "This email address is not valid" in page
    assert "The password must be at least 10 characters long." in page
    assert "Choose your college from the list." in page
    assert "You must sign up to the charter agreement to take part." in page
    assert "Le pseudonyme doit" not in page


def test_error_pages_and_flashed_messages_in_english(english):
    assert "Page not found" in text(english.get("/sujet/999999"))
    response = english.get("/sujet/999999", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.get_json()["error"] == "This page does not exist, or it is not open to you."
    response = english.get("/notifications", follow_redirects=True)
    assert "Log in to access this page." in text(response)


def test_a_member_who_chose_english_gets_english_without_the_cookie(forum, browser):
    member = forum.member(locale="en")
    browser.login(member)
    assert browser.client.get_cookie("lang") is None
    home = text(browser.get("/"))
    assert '<html lang="en">' in home and "Log out" in home


def test_a_member_who_chose_french_keeps_french_whatever_the_cookie(app, forum, browser):
    member = forum.member(locale="fr")
    browser.client.set_cookie("lang", "en")
    browser.login(member)
    assert '<html lang="fr">' in text(browser.get("/"))


def test_emails_speak_their_recipients_language(app):
    from forum.notifications import inbox, mail
    from forum.notifications.digest import Digest
    from forum.notifications.models import KIND_REPLY
    with app.app_context():
        english, french = mail.gettext_for("en"), mail.gettext_for(None)
        assert inbox.sentence(KIND_REPLY, "Nadia", "Logement", gettext=english) == \
            "Nadia replied to you in “Logement”"
        assert inbox.sentence(KIND_REPLY, "Nadia", "Logement", gettext=french) == \
            "Nadia vous a répondu dans « Logement »"
        digest = Digest(datetime(2026, 11, 23, 7), datetime(2026, 11, 30, 7))
        assert digest.subject_in("en") == "News from your committees, from November 23 to November 30, 2026"
        assert digest.subject == "Les nouvelles de vos comités, du 23 novembre au 30 novembre 2026"
