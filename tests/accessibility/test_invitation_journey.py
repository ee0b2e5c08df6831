"""A newcomer accepts an invitation in a real browser without JavaScript, on a phone: the email's
link, the form, a mistake shown next to its field with what was typed kept, then the comité."""
import re
from urllib.parse import urlsplit

from forum.accounts import invitations
from forum.accounts.models import Member
from forum.extensions import db

from ..helpers import email_text, open_page, sent_emails


SHOTS = "/tmp/agora-invitation-shots"


def test_a_newcomer_accepts_an_invitation_without_javascript(site, app, forum, live_server, chromium):
    coordinator = forum.member("Coordination", role="coordinator", college=site.college)
    with app.app_context():
        invitations.invite(db.session.get(Member, coordinator.id), "amina@exemple.fr", ["13"], site.college.slug)
    link = re.search(r"https?://\S+/invitation/\S+", email_text(sent_emails(app, "amina@exemple.fr")[-1])).group(0)

    context = chromium.new_context(java_script_enabled=False, locale="fr-FR", viewport={"width": 360, "height": 740})
    page = open_page(context)
    page.goto(live_server.url + urlsplit(link).path)
    assert "Coordination vous invite à rejoindre Agora." in page.inner_text("main")
    assert "Comité des Bouches-du-Rhône" in page.inner_text("main")
    page.screenshot(path=f"{SHOTS}-1-form.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.locator("#pseudonym").fill("Amina")
    page.locator("#password").fill("court")
    page.get_by_label("J'adhère à la convention des comités locaux").check()
    page.get_by_label("J'ai lu et j'accepte le règlement de fonctionnement").check()
    page.click("main button[type=submit]")
    assert "10 caractères" in page.inner_text("#password-erreurs")
    assert page.locator("#pseudonym").input_value() == "Amina"   # what was typed is kept
    page.screenshot(path=f"{SHOTS}-2-error.png", full_page=True)

    page.locator("#password").fill("un-mot-de-passe-solide")
    page.get_by_label("J'adhère à la convention des comités locaux").check()
    page.get_by_label("J'ai lu et j'accepte le règlement de fonctionnement").check()
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    assert "Bienvenue" in page.inner_text("main")
    page.screenshot(path=f"{SHOTS}-3-home.png", full_page=True)

    page.goto(f"{live_server.url}/espace/{site.committee.slug}")
    page.screenshot(path=f"{SHOTS}-4-comite.png", full_page=True)
    assert "Préparer la plénière de décembre" in page.inner_text("main")
    # The refused form answered 422, which the console notes; nothing else went wrong (no CSP refusal).
    assert [p for p in page.problems if "status of 422" not in p] == []
    context.close()
