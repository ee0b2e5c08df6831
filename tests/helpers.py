"""Builders and a browsing helper for tests.

Builders run each in an app context of their own and return *detached* rows whose columns
stay readable (``member.id``, ``topic.title``): requests made by a test client then run in
their own contexts, as in production, never sharing a session with the test.
"""
import itertools
import re

from sqlalchemy import select, text as sql

from forum import events
from forum.accounts.models import College, Member
from forum.accounts.registration import hash_password
from forum.charter import versions as charter
from forum.clock import now
from forum.extensions import db
from forum.text.pseudonyms import pseudonym_key
from forum.text.slugs import slugify
from forum.topics import posting
from forum.topics.models import Post, Space, Tag, Topic

PASSWORD = "mot-de-passe-test"
_counter = itertools.count(1)


def detach(*rows):
    for row in rows:
        db.session.refresh(row)
        db.session.expunge(row)
    return rows[0] if len(rows) == 1 else rows


def fresh(row):
    """The same row in the current session (rows built by fixtures are detached); lists too."""
    if isinstance(row, db.Model):
        return db.session.get(type(row), db.inspect(row).identity)
    if isinstance(row, (list, tuple)):
        return type(row)(fresh(item) for item in row)
    return row


class EventLog:
    """The events of some types that reach after-commit subscribers, in order (``seen``)."""

    def __init__(self, app, event_types):
        self.app, self.event_types, self.seen = app, event_types, []
        for event_type in event_types:
            events.subscribe(app, event_type, self.seen.append)

    def close(self):
        for event_type in self.event_types:
            events.unsubscribe(self.app, event_type, self.seen.append)


class Forum:
    def __init__(self, app):
        self.app = app

    def run(self, function, *args, **kwargs):
        """Call a domain function in an app context; rows passed by id are reloaded."""
        with self.app.app_context():
            return function(*args, **kwargs)

    def college(self, name=None, sensitive=False):
        with self.app.app_context():
            name = name or f"Collège {next(_counter)}"
            college = College(slug=slugify(name, 40), name=name, sensitive=sensitive,
                              position=next(_counter))
            db.session.add(college)
            db.session.commit()
            return detach(college)

    def space(self, name=None, kind="theme", visibility="public", committees=(), colleges=(),
              department=None, staff_reads=True):
        with self.app.app_context():
            name = name or f"Espace {next(_counter)}"
            space = Space(slug=slugify(name, 60), name=name, kind=kind, visibility=visibility,
                          department=department, position=next(_counter), staff_reads=staff_reads,
                          allowed_committees=[db.session.get(Space, c.id) for c in committees],
                          allowed_colleges=[db.session.get(College, c.id) for c in colleges])
            db.session.add(space)
            db.session.commit()
            return detach(space)

    def committee(self, department="13", name=None):
        return self.space(name or f"Comité {department} {next(_counter)}", kind="comite",
                          department=department)

    def tag(self, name=None):
        with self.app.app_context():
            name = name or f"Étiquette {next(_counter)}"
            tag = Tag(slug=slugify(name, 60), name=name)
            db.session.add(tag)
            db.session.commit()
            return detach(tag)

    def member(self, pseudonym=None, college=None, committees=(), role="member", confirmed=True,
               show_college=True, password=PASSWORD, email=None, accept_charter=True, **columns):
        with self.app.app_context():
            pseudonym = pseudonym or f"membre{next(_counter)}"
            member = Member(pseudonym=pseudonym, pseudonym_key=pseudonym_key(pseudonym),
                            email=email or f"{pseudonym.lower()}@test.agora.localhost",
                            password_hash=hash_password(password), role=role,
                            college=db.session.get(College, college.id) if college else None,
                            college_confirmed=confirmed, show_college=show_college,
                            committees=[db.session.get(Space, c.id) for c in committees],
                            convention_signed_at=now(), **columns)
            db.session.add(member)
            db.session.flush()
            version = charter.current_version()
            if version is not None and accept_charter:
                charter.record_acceptance(member, version)
            db.session.commit()
            return detach(member)

    def moderator(self, space, **kwargs):
        member = self.member(**kwargs)
        with self.app.app_context():
            moderated = db.session.get(Space, space.id)   # held: a collection only weakly refers to it
            moderated.moderators.append(db.session.get(Member, member.id))
            db.session.commit()
        return member

    def topic(self, author, space, title=None, body="Premier message du sujet.", tags=()):
        with self.app.app_context():
            topic = posting.start_topic(db.session.get(Member, author.id), db.session.get(Space, space.id),
                                        title or f"Un sujet de discussion {next(_counter)}", body,
                                        [t.slug for t in tags])
            return detach(topic)

    def reply(self, author, topic, body="Une réponse.", parent=None):
        with self.app.app_context():
            post = posting.reply(db.session.get(Member, author.id), db.session.get(Topic, topic.id), body,
                                 db.session.get(Post, parent.id) if parent else None)
            return detach(post)

    def opening(self, topic):
        with self.app.app_context():
            return detach(db.session.scalars(select(Post).where(Post.topic_id == topic.id,
                                                                Post.number == 1)).one())

    def get(self, model, id_):
        with self.app.app_context():
            row = db.session.get(model, id_)
            return detach(row) if row is not None else None

    def charter(self, articles=(("Respect", "Soyez courtois."), ("Confidentialité", "Anonymisez."))):
        with self.app.app_context():
            version = charter.draft_version("Règlement", "", list(articles))
            db.session.flush()
            charter.publish_version(version)
            return detach(version)


CSRF = re.compile(r'name="csrf-token" content="([^"]+)"')


class Browser:
    """A test client that logs in and submits forms with their CSRF token, like a person."""

    def __init__(self, client):
        self.client = client
        self._token = None

    def token(self):
        if self._token is None:
            page = self.client.get("/aide")
            self._token = CSRF.search(page.get_data(as_text=True)).group(1)
        return self._token

    def get(self, url, **kwargs):
        return self.client.get(url, **kwargs)

    def post(self, url, data=None, csrf=True, **kwargs):
        data = dict(data or {})
        if csrf:
            data.setdefault("csrf_token", self.token())
        return self.client.post(url, data=data, **kwargs)

    def login(self, member, password=PASSWORD):
        response = self.post("/connexion", {"login": member.pseudonym, "password": password, "submit": "1"})
        assert response.status_code == 303, response.get_data(as_text=True)[:2000]
        self._token = None  # the session changed
        return response

    def logout(self):
        response = self.post("/deconnexion")
        self._token = None
        return response


def text(response):
    """The page as a reader sees its characters (entities such as &#39; decoded)."""
    import html
    return html.unescape(response.get_data(as_text=True))


def sent_emails(app, address=None):
    """The emails written to the instance's mail folder (no SMTP_URL in tests), oldest first."""
    import email
    import email.policy
    import os
    folder = os.path.join(app.instance_path, "mail")
    found = []
    for name in sorted(os.listdir(folder)) if os.path.isdir(folder) else ():
        with open(os.path.join(folder, name), "rb") as handle:
            message = email.message_from_bytes(handle.read(), policy=email.policy.default)
        if address is None or address in str(message["To"]):
            found.append(message)
    return found


def email_text(message):
    return message.get_body(preferencelist=("plain",)).get_content()


def confirmation_path(app, address):
    """The site path of the confirmation link last emailed to ``address``."""
    from urllib.parse import urlsplit
    link = re.search(r"https?://\S+/inscription/confirmer/\S+", email_text(sent_emails(app, address)[-1])).group(0)
    return urlsplit(link).path


# Columns a request may touch while refusing: the time a member or a session was last seen.
VOLATILE = {("member", "last_seen_at"), ("member_session", "last_seen_at")}


def snapshot(app):
    """Every row of every table but the volatile columns, to prove that a refusal changed nothing."""
    rows = {}
    with app.app_context():
        for table in db.metadata.sorted_tables:
            columns = [c.name for c in table.columns if (table.name, c.name) not in VOLATILE]
            quoted = ", ".join(f'"{name}"' for name in columns)
            rows[table.name] = sorted(db.session.execute(sql(f'SELECT {quoted} FROM "{table.name}"')).all(), key=repr)
        db.session.remove()
    return rows


# --- Chromium pages (Playwright) -----------------------------------------------------------

def open_page(context):
    """A page of ``context`` that records the browser's errors (a CSP refusal is one) in
    ``page.problems``."""
    page = context.new_page()
    page.problems = []
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    page.on("console", lambda message: page.problems.append(message.text) if message.type == "error" else None)
    return page


def log_in(page, server, member, password=PASSWORD):
    """Log ``page`` in on ``server`` (a live server) through the login form, and wait for the home
    page: the session cookie has come with the answer before the test goes on."""
    page.goto(f"{server.url}/connexion")
    page.fill("#login", member.pseudonym)
    page.fill("#password", password)
    page.click("main button[type=submit][name=submit]")     # the login form's, not the header search's
    page.wait_for_url(f"{server.url}/")
