"""axe-core over every main page: no WCAG 2.1 A or AA violation, light and dark, for each kind of reader.

axe-core comes from npm (package.json, `make assets`), injected by Playwright into Debian's
chromium; never from a CDN. The pages keep their strict CSP: the script is added as an init
script of the browser context (through the DevTools protocol, which CSP does not govern), where
``add_script_tag`` would be an inline script the CSP rightly refuses. So what is checked is the
page members get, CSP included.
"""
import re

import pytest
from playwright.sync_api import expect

from forum.accounts import invitations, recovery, tokens
from forum.accounts.models import Member
from forum.extensions import db

from ..helpers import email_text, log_in, open_page, sent_emails


pytestmark = pytest.mark.browser

WCAG_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def pages_for(role, site, app):
    """(name, path) of the main pages a reader of ``role`` meets."""
    topic = f"/sujet/{site.topic.id}"
    pages = [
        ("accueil", "/"),
        ("espace", f"/espace/{site.committee.slug}"),
        ("sujet en arbre", topic),
        ("sujet chronologique", f"{topic}?vue=chrono"),
        ("règlement", "/reglement"),
        ("profil", f"/membre/{site.alice.pseudonym}"),
        ("aide", "/aide"),
        ("étiquette", f"/etiquette/{site.tag.slug}"),
        ("page introuvable", "/sujet/999999"),
        ("recherche", "/recherche?q=plénière"),
    ]
    if role == "anonymous":
        pages += [("connexion", "/connexion"), ("inscription", "/inscription"),
                  ("mot de passe oublié", "/connexion/mot-de-passe-oublie"), ("lien de connexion", "/connexion/lien"),
                  ("nouveau mot de passe", "/connexion/nouveau-mot-de-passe/" + _reset_token(site, app)),
                  ("lien inutilisable", "/connexion/lien/lien-abime"), ("invitation", _invitation_path(site, app))]
    else:
        pages += [
            ("nouveau sujet", f"/espace/{site.committee.slug}/nouveau-sujet"),
            ("répondre", f"/sujet/{site.topic.id}/repondre?a={site.first.id}"),
            ("signaler", f"/message/{site.last.id}/signaler"),
            ("notifications", "/notifications"),
            ("préférences", "/preferences"),
            ("courriels", "/preferences/courriels"),
            ("connexion en deux étapes", "/preferences/deux-etapes"),
            ("mes données", "/preferences/mes-donnees"),
            ("adresse électronique", "/preferences/adresse"),
            ("mes flux", "/preferences/flux"),
            ("clés d'API", "/preferences/cles-api"),
        ]
    if role == "moderator":
        pages += [("invitations", "/invitations"), ("file de modération", "/moderation/"),
                  ("message signalé", f"/moderation/messages/{site.first.id}"),
                  ("demandes d'adhésion", "/adhesions"),
                  ("membres du comité", f"/comites/{site.committee.id}/membres")]
    return pages


def _reset_token(site, app):
    with app.app_context():
        member = db.session.get(Member, site.alice.id)
        return tokens.issue(tokens.RESET, m=member.id, p=recovery._password_mark(member))


def _invitation_path(site, app):
    """The acceptance page of an invitation to the site's comité (its link, from the email)."""
    with app.app_context():
        invitations.invite(None, "invitee@exemple.fr", [site.committee.slug], site.college.slug)
    link = re.search(r"https?://\S+(/invitation/\S+)", email_text(sent_emails(app, "invitee@exemple.fr")[-1]))
    return link.group(1)


def axe_violations(page):
    result = page.evaluate("""async (tags) => {
        const result = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
        return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                            nodes: v.nodes.map(n => n.target.join(" ") + " — " + n.failureSummary)}));
    }""", WCAG_A_AA)
    return result


def describe(found):
    lines = []
    for name, violations in found.items():
        for violation in violations:
            lines.append(f"{name}: {violation['id']} ({violation['impact']}) {violation['help']}")
            lines += [f"    {node}" for node in violation["nodes"][:5]]
    return "\n".join(lines)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("role", ["anonymous", "member", "moderator"])
def test_main_pages_have_no_wcag_violation(role, scheme, site, app, live_server, chromium, axe_source):
    context = chromium.new_context(color_scheme=scheme)
    context.add_init_script(path=axe_source)
    page = open_page(context)
    if role != "anonymous":
        log_in(page, live_server, site.alice if role == "member" else site.moderator)
    found = {}
    for name, path in pages_for(role, site, app):
        page.goto(live_server.url + path)
        violations = axe_violations(page)
        if violations:
            found[name] = violations
        if name in ("page introuvable", "lien inutilisable"):   # the browser logs the 404 (400) itself
            page.problems[:] = [p for p in page.problems if "404" not in p and "400" not in p]
    # The check can fail: a picture without a text alternative is caught.
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=/static/favicon.svg>')")
    assert "image-alt" in [v["id"] for v in axe_violations(page)]
    context.close()
    assert not found, "\n" + describe(found)
    assert page.problems == []


FORMS = {
    # name: (path, role, what to fill before sending the form empty or wrong)
    "inscription": ("/inscription", "anonymous", {"#email": "pas-une-adresse"}),
    "connexion": ("/connexion", "anonymous", {"#login": "Alice", "#password": "faux"}),
    "nouveau sujet": ("/espace/{committee}/nouveau-sujet", "member", {}),
    "réponse": ("/sujet/{topic}", "member", {}),
    "signalement": ("/message/{last}/signaler", "member", {}),
    "connexion en deux étapes": ("/preferences/deux-etapes", "member", {"#code": "12"}),
}


@pytest.mark.parametrize("form", sorted(FORMS))
def test_form_errors_are_tied_to_their_fields(form, site, live_server, chromium, axe_source):
    """A form sent wrong: the errors are announced, each tied to its field, and axe finds nothing."""
    path, role, fill = FORMS[form]
    context = chromium.new_context()   # axe.run needs timers: it hangs with JavaScript off
    context.add_init_script(path=axe_source)
    page = open_page(context)
    if role == "member":
        log_in(page, live_server, site.alice)
    page.goto(live_server.url + path.format(committee=site.committee.slug, topic=site.topic.id, last=site.last.id))
    for selector, value in fill.items():
        page.fill(selector, value)
    page.click("main form button[type=submit][name=submit]")
    expect(page.locator("#erreurs-formulaire[role=alert]")).to_have_count(1)   # waits for the answer
    lists = page.eval_on_selector_all(".field-errors", "lists => lists.map(l => l.id)")
    if form != "connexion":   # a failed login names no field, on purpose
        assert lists, "no error next to a field"
    for error_list in lists:
        described = page.locator(f"[aria-describedby~='{error_list}']")
        assert described.count() == 1, f"{error_list} is tied to no field"
        if described.evaluate("e => e.tagName") != "FIELDSET":
            assert described.get_attribute("aria-invalid") == "true", error_list
    # Each link of the summary leads to a field of the form.
    for target in page.eval_on_selector_all("#erreurs-formulaire a", "links => links.map(a => a.hash)"):
        assert page.locator(f"main form {target}").count() == 1, target
    assert axe_violations(page) == []
    context.close()
