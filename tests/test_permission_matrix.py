"""The permission matrix: every way out of the server shows each viewer exactly what
``forum.permissions`` lets them read.

A small world holds one space of each visibility, each with a secret word of its own (a marker)
in its topic's title, in its posts, in an attachment's name, in a report and in a sanction's
justification; every viewer is mentioned in every post (so notifications and emails carry the
markers too). Then, for each viewer — anonymous, an outsider member, a comité member, a member
of a restricted collège, a moderator of another space, the coordination, a suspended member, a
member who just left their comité, an *impostor* who only asked to join the comité (pending) —
the test walks (a sixth space, "sealed", keeps the coordination out: ``staff_reads`` off):

- every GET route of the URL map, with every value its arguments can take in the world (a new
  route is covered without editing this test; a new kind of argument fails until it is named
  in ``VALUES``), plus the search with each marker, misspelt markers and ``@author``;
- the Socket.IO rooms of every topic and space;
- the notification emails and the weekly digest of the viewer;

and checks that no answer carries the marker of a space the viewer may not read, that an
address about such a space answers neither 200 nor a redirect into it, and — so that the test
can fail — that the viewer does find the markers of the spaces they may read.
"""
import email
import io
import os
import re
from datetime import timedelta
from email import policy

import pytest
from PIL import Image

from forum import dates
from forum.accounts import membership
from forum.accounts.models import Member
from forum.api import keys as api_keys
from forum.capitalisation import resources
from forum.capitalisation.models import Resource
from forum.charter import versions
from forum.clock import now
from forum.conversations import writing as conversations
from forum.conversations.models import Conversation
from forum.decisions import closing, outcomes, voting
from forum.decisions.models import Poll
from forum.errors import Forbidden
from forum.extensions import db, socketio
from forum.feeds import tokens as feed_tokens
from forum.meetings import agenda, agenda_mail, registering, scheduling
from forum.meetings.models import Meeting, TravelClaim
from forum.notifications import mailing, preferences, weekly
from forum.notifications.digest import compose
from forum.notifications.models import Notification
from forum.permissions import can_read_space
from forum.syntheses import lifecycle, skeleton, writing
from forum.syntheses.models import Synthesis
from forum.topics import attachments
from forum.topics.models import Post, Space, Tag, Topic
from forum.webhooks.models import Webhook
from moderation import reporting, sanctions, topic_decisions
from moderation.models import Appeal, Decision

from .conftest import BACKENDS
from .helpers import PASSWORD, Browser, Forum
from .permission_world import close_app, open_app

MARKERS = {"public": "xqpublik", "committee": "xqcomitek", "bureau": "xqburok", "college": "xqcollek",
           "members": "xqmembrek", "sealed": "xqscellek"}
VIEWERS = ("anonymous", "outsider", "committee_member", "college_member", "other_moderator", "coordinator",
           "suspended", "lost_committee", "impostor")
# What some viewers must never read, whatever the oracle says (so that the oracle itself is held):
# a pending request opens nothing; a space that keeps staff out keeps the coordination out.
NEVER = {"impostor": {"bureau", "college", "sealed"}, "coordinator": {"sealed"},
         "lost_committee": {"bureau"}}
# GET routes left out of the walk, each with its reason.
SKIPPED = {
    "static": "files of the site, the same for everyone",
    "language": "changes the reader's language (a state change, not a read)",
    "probes.context_probe": "loopback-only probe of the scale-out tests",
}


def _viewers_mentions():
    return " ".join(f"@{name.replace('_', '-')}" for name in VIEWERS if name != "anonymous")


@pytest.fixture(scope="module", params=BACKENDS)
def built(request, migrated, tmp_path_factory):
    """The world, built once per module and backend (it took a quarter of this module's time when
    built for each test): the tests read it, cast ballots that change no answer of another test,
    and each viewer's own turn of events (``_as``) leaves the world as the next test needs it."""
    app = open_app(request.param, migrated, tmp_path_factory.mktemp("matrix"))
    yield app, _world(Forum(app))
    close_app(app)


@pytest.fixture
def app(built):
    return built[0]


@pytest.fixture
def world(built):
    return built[1]


def _world(forum):
    version = forum.charter()
    college_pa = forum.college("Personnes accompagnées", sensitive=True)
    college_pro = forum.college("Professionnels")
    c13, c06 = forum.committee("13", "Comité 13"), forum.committee("06", "Comité 06")
    spaces = {
        "public": forum.space("Thème public"),
        "committee": c13,
        "bureau": forum.space("Bureau du comité 13", visibility="restricted", committees=[c13]),
        "college": forum.space("Entre personnes accompagnées", visibility="restricted", colleges=[college_pa]),
        "members": forum.space("Vie du réseau", visibility="members"),
        "sealed": forum.space("Entre pairs, sans la coordination", visibility="restricted", colleges=[college_pa],
                              staff_reads=False),
    }
    people = {
        "outsider": forum.member("outsider", college=college_pro, committees=[c06]),
        "committee_member": forum.member("committee-member", college=college_pro, committees=[c13]),
        "college_member": forum.member("college-member", college=college_pa, committees=[c06]),
        "other_moderator": forum.moderator(c06, pseudonym="other-moderator", college=college_pro,
                                           committees=[c06]),
        "coordinator": forum.member("coordinator", college=college_pro, role="coordinator"),
        "suspended": forum.member("suspended", college=college_pro, committees=[c13]),
        "lost_committee": forum.member("lost-committee", college=college_pro, committees=[c13]),
        "impostor": forum.member("impostor", college=college_pro),
    }
    forum.run(_ask_to_join, people["impostor"].id, c13.id)
    sealed_moderator = forum.moderator(spaces["sealed"], pseudonym="sealed-moderator", college=college_pa)
    authors = {key: forum.member(f"auteur-{key}", college=college_pa, committees=[c13]) for key in spaces}
    shared_tag = forum.tag("Étiquette commune")
    topics, posts = {}, {}
    for key, space in spaces.items():
        marker = MARKERS[key]
        upload = forum.run(_attach, authors[key].id, marker)
        topics[key] = forum.topic(authors[key], space, f"Sujet {marker}",
                                  f"Ouverture {marker} {_viewers_mentions()}\n\n{upload}",
                                  tags=[shared_tag] if key in ("public", "bureau") else ())
        posts[key] = forum.reply(authors["committee"] if key not in ("college", "sealed") else authors[key],
                                 topics[key], f"Réponse {marker} {_viewers_mentions()}")
        # The coordination cannot read the sealed space: its own moderator reports and warns there.
        moderator = sealed_moderator if key == "sealed" else people["coordinator"]
        forum.run(_moderate, moderator.id, posts[key].id, marker)
        if key != "sealed":   # an announcement tells every reader of its space (notice, email, digest)
            forum.run(_announce, people["coordinator"].id, topics[key].id)
        forum.run(_decide, authors[key].id, topics[key].id, marker)
        forum.run(_capitalise, authors[key].id, space.id, marker)
        forum.run(_synthesise, authors[key].id, topics[key].id, moderator.id, marker)
        forum.run(_meet, moderator.id, authors[key].id, space.id, topics[key].id, marker)
    forum.run(_converse, people["committee_member"].id, people["college_member"].id, people["outsider"].id,
              c13.id, people["suspended"].id)
    forum.run(mailing.send_due, force=True)
    return {"spaces": spaces, "people": people, "topics": topics, "posts": posts, "version": version,
            "tag": shared_tag}


def _ask_to_join(member_id, committee_id):
    membership.request_committee(db.session.get(Member, member_id), db.session.get(Space, committee_id),
                                 "Je suis du 13, laissez-moi lire le bureau.")


# Private conversations (forum/conversations/): each marker, and who alone may read it.
# The suspended member wrote before the suspension: a letter to the coordination, which its
# proof opens (forum/conversations/suspended.py), and a private conversation, which it does not.
CONVERSATIONS = {"xqprivek": {"committee_member", "college_member"}, "xqcoordk": {"outsider", "coordinator"},
                 "xqmodek": {"college_member", "coordinator"}, "xqsuspk": {"suspended", "coordinator"},
                 "xqsprivk": {"committee_member"}}


def _converse(first_id, second_id, third_id, committee_id, suspended_id):
    """A private conversation answered once, a letter to the coordination, one to the comité's
    moderation (the coordination reads it too), the suspended member's letter and conversation:
    their titles and texts carry their markers. The answer joins a file whose content carries the
    marker too (its name does not: an address naming a marker is not checked), downloaded by the
    conversation's two readers only."""
    first, second, third, suspended = (db.session.get(Member, i) for i in (first_id, second_id, third_id,
                                                                          suspended_id))
    first.created_at = second.created_at = suspended.created_at = now() - timedelta(days=30)   # past their first days
    message = conversations.start(first, [second], "Conversation xqprivek", "Message xqprivek")
    joined = attachments.store(second, "piece-conversation.pdf", b"%PDF-1.4\n% Contenu xqprivek\n%%EOF\n")
    db.session.commit()
    conversations.answer(second, message.conversation, f"Réponse xqprivek\n\n{joined.markdown()}")
    conversations.write_to_group(third, "coordination", None, "Lettre xqcoordk", "Texte xqcoordk")
    conversations.write_to_group(second, "moderation", db.session.get(Space, committee_id), "Lettre xqmodek",
                                 "Texte xqmodek")
    conversations.write_to_group(suspended, "coordination", None, "Lettre xqsuspk", "Texte xqsuspk")
    conversations.start(suspended, [first], "Conversation xqsprivk", "Message xqsprivk")


def _announce(coordinator_id, topic_id):
    # To every member, on the home page for a week: the matrix walks the home page too.
    topic_decisions.announce_topic(db.session.get(Member, coordinator_id), db.session.get(Topic, topic_id),
                                   until=f"{now() + timedelta(days=7):%d/%m/%Y}")


def _decide(author_id, topic_id, marker):
    """Two decisions: one open (awaiting votes, in the digest), one closed with its outcome and an
    action (the block, the outcome form, the follow-up page, the digest's outcomes of the week)."""
    author, topic = db.session.get(Member, author_id), db.session.get(Topic, topic_id)
    for state in ("open", "closed"):
        poll = voting.open_poll(author, topic, voting.PollSettings(
            kind="single", question=f"Décision {state} {marker} ?", closes_at=now() + timedelta(days=3),
            options=[f"Oui {marker}", "Non"]), f"Proposition {marker}")
        if state == "closed":
            closing.close_poll(poll, author)
            outcomes.write_outcome(author, poll, f"Issue {marker}", "", [outcomes.ActionRow(what=f"Action {marker}")])


def _capitalise(author_id, space_id, marker):
    """A resource (/capitalisation, /fiche/N, type:ressource, the digest); the published
    syntheses are ``_synthesise``'s."""
    author, space = db.session.get(Member, author_id), db.session.get(Space, space_id)
    resources.add_resource(author, space, resources.ResourceInput(
        kind="document", title=f"Fiche {marker}", description=f"Texte de la fiche {marker}"))


def _synthesise(author_id, topic_id, moderator_id, marker):
    """Two syntheses of the debate (its posts quoted with their marker): one published (its
    page, versions, exports, the topic's « cité dans »), one in review (the working text)."""
    author, topic = db.session.get(Member, author_id), db.session.get(Topic, topic_id)
    moderator = db.session.get(Member, moderator_id)
    for state in ("published", "review"):
        prepared = skeleton.build(author, topic)
        synthesis = writing.start(author, topic.space, f"Synthèse {state} {marker}", prepared.source, topic=topic)
        lifecycle.ask_review(author, synthesis)
        if state == "published":
            lifecycle.approve(moderator, synthesis)
            lifecycle.publish(moderator, synthesis)


def _meet(organiser_id, author_id, space_id, topic_id, marker):
    """A hybrid meeting (its page, agenda, calendar, the home page's next meetings), its author
    registered with needs that carry the marker, the online link too; a point of its agenda
    linked to the space's topic, mailed to the comité; a compte rendu."""
    organiser, space = db.session.get(Member, organiser_id), db.session.get(Space, space_id)
    start = dates.local(now() + timedelta(days=5))
    meeting = scheduling.schedule(organiser, space, scheduling.MeetingInput(
        title=f"Réunion {marker}", mode="hybrid", day=f"{start:%Y-%m-%d}", start="14:00", end="16:00",
        description=f"Ordre du jour {marker}", address=f"Salle {marker}", online_url=f"https://visio.example/{marker}"))
    registering.register(db.session.get(Member, author_id), meeting, ["interpreter"], f"Besoin {marker}")
    point = agenda.propose(db.session.get(Member, author_id), meeting, f"Point {marker}", f"Note {marker}",
                           f"/sujet/{topic_id}")
    agenda.decide(organiser, point, True)
    agenda_mail.send_agenda(organiser, meeting)
    meeting.minutes, meeting.minutes_html, meeting.minutes_at = f"Compte rendu {marker}", f"<p>CR {marker}</p>", now()
    db.session.commit()


def _attach(author_id, marker):
    image = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(image, "PNG")
    stored = attachments.store(db.session.get(Member, author_id), f"piece-{marker}.png", image.getvalue())
    db.session.commit()
    return stored.markdown()


def _moderate(coordinator_id, post_id, marker):
    """A report and a warning about the post, each carrying the space's marker."""
    coordinator, post = db.session.get(Member, coordinator_id), db.session.get(Post, post_id)
    reporting.report_post(coordinator, post, "other", f"Signalement {marker}", f"Message {marker}")
    article = versions.current_version().articles[0]
    sanctions.warn(coordinator, post.author, [str(article.id)], f"Avertissement {marker}", post=post)


def _as(app, world, viewer):
    """A logged-in browser for ``viewer`` (anonymous: none), after the viewer's own turn of events."""
    browser = Browser(app.test_client())
    if viewer == "anonymous":
        return browser, None
    member = world["people"][viewer]
    with app.app_context():
        if viewer == "suspended":   # logged in before the suspension (a suspended member cannot log in)
            db.session.get(Member, member.id).suspended_until = None
            db.session.commit()
    browser.login(member)
    with app.app_context():
        row = db.session.get(Member, member.id)
        if viewer == "suspended":
            row.suspended_until = now() + timedelta(days=3)
            db.session.commit()
    if viewer == "suspended":
        # Its password, refused, still proves who it is: the one door left (its letters to the coordination).
        assert browser.post("/connexion", {"login": member.pseudonym, "password": PASSWORD, "submit": "1"}
                            ).status_code == 403
    with app.app_context():
        row = db.session.get(Member, member.id)
        if viewer == "lost_committee" and row.committees:   # left at the module's first turn
            membership.leave(row, row.committees[0])
    return browser, member


def _readable(app, world, member):
    """The oracle: ``forum.permissions`` itself, asked for each space of the world (held by ``NEVER``)."""
    with app.app_context():
        viewer = db.session.get(Member, member.id) if member else None
        if viewer is None:
            from flask_login import AnonymousUserMixin
            viewer = AnonymousUserMixin()
        readable = {key for key, space in world["spaces"].items()
                    if can_read_space(viewer, db.session.get(Space, space.id))}
        name = next((key for key, person in world["people"].items() if member and person.id == member.id), None)
        assert not readable & NEVER.get(name, set()), (name, readable)
        return readable


def _values(app):
    """Every value each kind of URL argument takes in the world."""
    with app.app_context():
        ids = lambda model: [row for row in db.session.scalars(db.select(model.id))]  # noqa: E731
        members = db.session.scalars(db.select(Member)).all()
        return {
            "topic_id": ids(Topic), "post_id": ids(Post), "space_id": ids(Space), "tag_id": ids(Tag),
            "member_id": [m.id for m in members], "college_id": [m.college_id for m in members if m.college_id],
            "decision_id": ids(Decision), "poll_id": ids(Poll), "synthesis_id": ids(Synthesis),
            "resource_id": ids(Resource), "meeting_id": ids(Meeting), "claim_id": ids(TravelClaim),
            "fmt,synthesis_id": [(fmt, i) for fmt in ("md", "html") for i in ids(Synthesis)],
            "fmt,number,synthesis_id": [(fmt, 1, i) for fmt in ("pdf", "odt") for i in ids(Synthesis)], "appeal_id": ids(Appeal) or [1], "notification_id": ids(Notification),
            "webhook_id": ids(Webhook) or [1],
            "conversation_id": ids(Conversation), "conversation_id,number": [(i, 1) for i in ids(Conversation)],
            "group": ["coordination", "moderation"],
            # A reported private message (none here: tests/conversations/test_reports.py reads one).
            "report_id": [1],
            "slug": db.session.scalars(db.select(Space.slug)).all() + db.session.scalars(db.select(Tag.slug)).all(),
            "pseudonym": [m.pseudonym for m in members],
            # The API (Discourse's addresses): a category (a space) by id, with or without its slug;
            # a topic by slug and id; a member by name; a tag by name.
            "category_id": ids(Space),
            "category_id,slug": [(space.id, space.slug) for space in db.session.scalars(db.select(Space))],
            "slug,topic_id": [(topic.slug, topic.id) for topic in db.session.scalars(db.select(Topic))],
            "username": [m.pseudonym for m in members],
            "name": db.session.scalars(db.select(Tag.slug)).all(),
            "token": [preferences.unsubscribe_token(m.id, scope) for m in members[:2] for scope in preferences.SCOPES],
            "key,name": [(a.key, a.url_name) for a in db.session.scalars(db.select(attachments.Attachment))],
            # A version of a post (its number, then the post): the first of each post.
            "number,post_id": [(1, post_id) for post_id in ids(Post)],
            # A participation chart (forum/participation/presentation.py), as a table or a drawing.
            "key,kind": CHARTS,
            "key,kind,slug": [(key, kind, slug) for key, kind in CHARTS
                              for slug in db.session.scalars(db.select(Space.slug))],
        }


CHARTS = [(key, kind) for key in ("colleges", "contributeurs", "espaces", "themes", "temps", "votants")
          for kind in ("csv", "svg")]


QUERIES = {"search.results": "q", "search.results_json": "q"}


def _urls(app, world):
    """(endpoint, url, the space keys the url is about) for every GET route and value."""
    values = _values(app)
    found = []
    with app.test_request_context():
        from flask import url_for
        for rule in app.url_map.iter_rules():
            if "GET" not in rule.methods or rule.endpoint in SKIPPED:
                continue
            arguments = sorted(rule.arguments - set(rule.defaults or {}))
            key = ",".join(arguments)
            if arguments and key not in values and not all(a in values for a in arguments):
                pytest.fail(f"{rule.rule}: no values for {arguments} (name them in VALUES, or skip with a reason)")
            if not arguments:
                combos = [{}]
            elif key in values:
                combos = [dict(zip(arguments, v if isinstance(v, tuple) else (v,))) for v in values[key]]
            else:
                combos = [{arguments[0]: v} for v in values[arguments[0]]]
            for combo in combos:
                try:
                    url = url_for(rule.endpoint, **combo)
                except Exception:   # a value of another kind (a tag slug for a space route)
                    continue
                found.append((rule.endpoint, url, _about(app, world, rule.endpoint, combo)))
        for endpoint, name in QUERIES.items():
            for marker in MARKERS.values():
                for query in (marker, marker[:-1] + "x" + marker[-1], f"@auteur-{_key_of(marker)}",
                              f"{marker} type:ressource", f"{marker} type:synthese"):
                    found.append((endpoint, url_for(endpoint, **{name: query}), set()))
    return found


def _key_of(marker):
    return next(key for key, value in MARKERS.items() if value == marker)


def _about(app, world, endpoint, combo):
    """The spaces an address is about (its topic's, its post's, its space's)."""
    with app.app_context():
        about = set()
        by_id = {space.id: key for key, space in world["spaces"].items()}
        if "topic_id" in combo:
            topic = db.session.get(Topic, combo["topic_id"])
            about.add(by_id.get(topic.space_id))
        if "post_id" in combo:
            post = db.session.get(Post, combo["post_id"])
            about.add(by_id.get(post.topic.space_id))
        if "poll_id" in combo:
            poll = db.session.get(Poll, combo["poll_id"])
            about.add(by_id.get(poll.topic.space_id))
        if "resource_id" in combo:
            about.add(by_id.get(db.session.get(Resource, combo["resource_id"]).space_id))
        if "meeting_id" in combo:
            about.add(by_id.get(db.session.get(Meeting, combo["meeting_id"]).space_id))
        if "synthesis_id" in combo:
            about.add(by_id.get(db.session.get(Synthesis, combo["synthesis_id"]).space_id))
        if "category_id" in combo:
            about.add(by_id.get(combo["category_id"]))
        if "slug" in combo and endpoint not in ("topics.tag", "feeds.tag", "api.topic", "api.category"):
            space = db.session.scalar(db.select(Space).where(Space.slug == combo["slug"]))
            if space is not None:
                about.add(by_id.get(space.id))
        return about - {None}


def _private_feeds(app, world, member, urls):
    """The viewer's own private feeds (forum/feeds/): every public feed's address with their
    token, and each space's moderation log (a feed with a private address only)."""
    try:
        with app.app_context():
            token = feed_tokens.create(db.session.get(Member, member.id))
    except Forbidden:        # a suspended member makes none (theirs answers 404: tests/feeds)
        return []
    found = [(endpoint, f"/flux/prive/{token}{url[len('/flux'):]}", about) for endpoint, url, about in urls
             if endpoint.startswith("feeds.") and url.startswith("/flux/") and not url.startswith("/flux/prive/")]
    with app.test_request_context():
        from flask import url_for
        found += [("moderation.log_feed", url_for("moderation.log_feed", slug=space.slug, token=token), {key})
                  for key, space in world["spaces"].items()]
    return found


def _leaks(body, forbidden):
    return sorted(MARKERS[key] for key in forbidden if MARKERS[key] in body)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_every_route_shows_exactly_what_permissions_allow(app, world, viewer):
    browser, member = _as(app, world, viewer)
    readable = _readable(app, world, member)
    forbidden = set(MARKERS) - readable
    problems, seen, conversations_seen = [], set(), set()
    urls = _urls(app, world)
    urls += _private_feeds(app, world, member, urls) if member else []
    # Issue 21: the private conversations' markers, searched for too.
    urls += [("search.results", f"/recherche?q={marker}", set()) for marker in CONVERSATIONS]
    for endpoint, url, about in urls:
        response = browser.get(url)
        body = response.get_data().decode("utf-8", "replace")
        if response.status_code >= 500:
            problems.append(f"{url}: {response.status_code}")
        private = [marker for marker in _conversation_leaks(body, viewer) if marker not in url]
        if private:
            problems.append(f"{url}: shows the conversations {private}")
        if response.status_code == 200:
            conversations_seen.update(m for m in CONVERSATIONS if m in body and m not in url)
        # A marker the viewer typed (in the address) may come back to them; no other may.
        unasked = {key for key in forbidden if MARKERS[key] not in url}
        if _leaks(body, unasked):
            problems.append(f"{url}: shows {_leaks(body, unasked)}")
        if about & forbidden and response.status_code == 200:
            problems.append(f"{url}: 200 for a space the viewer may not read")
        if response.status_code == 200:
            seen.update(key for key in readable if MARKERS[key] in body)
        if endpoint == "search.results_json" and response.status_code == 200:
            answer = response.get_json()
            query = answer["query"]
            if any(MARKERS[key] in query or f"auteur-{key}" in query for key in forbidden) and \
                    (answer["total"] or answer["results"]):
                problems.append(f"{url}: total {answer['total']} for what the viewer may not read")
    assert problems == [], "\n".join(problems)
    # Not vacuous: the viewer does find what they may read (pages and search alike).
    assert seen == readable
    assert conversations_seen == {marker for marker, readers in CONVERSATIONS.items() if viewer in readers}


def _markers(response):
    body = response.get_data().decode("utf-8", "replace")
    return {key for key, marker in MARKERS.items() if marker in body}


@pytest.mark.parametrize("viewer", ["committee_member", "suspended"])
def test_an_api_key_reads_exactly_what_its_member_reads_by_session(app, world, viewer):
    """Issue 22: a key's request is its member's (forum/api/authentication.py), whatever the
    route: the same status and the same markers as the member's session; a revoked key, nothing."""
    browser, member = _as(app, world, viewer)
    with app.app_context():
        row, key = api_keys.create_by_administrator("read", "matrice", db.session.get(Member, member.id))
    keyed, problems = app.test_client(), []
    for _endpoint, url, _about in _urls(app, world):
        by_session, by_key = browser.get(url), keyed.get(url, headers={"Api-Key": key})
        if viewer == "suspended" and url.startswith("/messages/compte-suspendu"):
            # A suspended member's proof is a browser's (a typed password), never a key's.
            if by_key.status_code != 403 or _markers(by_key):
                problems.append(f"{url}: key {by_key.status_code}")
            continue
        if (by_session.status_code, _markers(by_session)) != (by_key.status_code, _markers(by_key)):
            problems.append(f"{url}: session {by_session.status_code} {sorted(_markers(by_session))}, "
                            f"key {by_key.status_code} {sorted(_markers(by_key))}")
    assert problems == [], "\n".join(problems)
    with app.app_context():
        api_keys.revoke_by_administrator(row.id)
    for _endpoint, url, _about in _urls(app, world)[::7]:
        answer = keyed.get(url, headers={"Api-Key": key})
        # A marker typed in the address may come back (the error page's links name it); no other.
        typed = {name for name, marker in MARKERS.items() if marker in url}
        assert answer.status_code == 403 and not _markers(answer) - typed, url


def _conversation_leaks(body, viewer):
    return sorted(marker for marker, readers in CONVERSATIONS.items() if viewer not in readers and marker in body)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_a_conversation_s_file_is_downloaded_by_its_readers_only(app, world, viewer):
    """The walk above sends every viewer to every attachment; here, not vacuous: the file joined
    to the private answer (``_converse``) is refused to all but the conversation's readers."""
    browser, _member = _as(app, world, viewer)
    with app.app_context():
        [url] = [a.url for a in db.session.scalars(db.select(attachments.Attachment).where(
            attachments.Attachment.conversation_message_id.is_not(None)))]
    answer = browser.get(url)
    expected = (200, True) if viewer in CONVERSATIONS["xqprivek"] else (404, False)
    assert (answer.status_code, b"xqprivek" in answer.get_data()) == expected


@pytest.mark.parametrize("viewer", [v for v in VIEWERS if v != "anonymous"])
def test_conversations_reach_no_email_or_digest_outside_them(app, world, viewer):
    """Issue 21: the viewer's emails and digest carry a conversation's marker only for its
    readers (the GET routes are walked by ``test_every_route_shows_exactly_what_permissions_allow``)."""
    _browser, member = _as(app, world, viewer)
    bodies = []
    folder = os.path.join(app.instance_path, "mail")
    for name in sorted(os.listdir(folder)) if os.path.isdir(folder) else []:
        with open(os.path.join(folder, name), "rb") as handle:
            message = email.message_from_binary_file(handle, policy=policy.default)
        if member.email in message["To"]:
            bodies.append("\n".join([str(message["Subject"])] + [
                part.get_content() for part in message.walk() if part.get_content_maintype() == "text"]))
    with app.app_context():
        row = db.session.get(Member, member.id)
        bodies.extend(weekly.render(compose(row, now() - timedelta(days=7), now() + timedelta(minutes=1)), row))
    assert [_conversation_leaks(body, viewer) for body in bodies if _conversation_leaks(body, viewer)] == []
    if viewer in ("committee_member", "coordinator"):
        # Not vacuous: a reader's notification email names the conversation.
        assert any(marker in body for body in bodies for marker, readers in CONVERSATIONS.items()
                   if viewer in readers)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_a_conversation_s_live_message_reaches_only_its_readers(app, world, viewer):
    http, member = _as(app, world, viewer)
    client = socketio.test_client(app, flask_test_client=http.client)
    try:
        client.get_received()
        with app.app_context():
            for conversation in db.session.scalars(db.select(Conversation)):
                # Past the rules (a suspended author may not answer here): who is told is the subject.
                conversations.add_answer(db.session.get(Member, conversation.author_id), conversation, "Encore")
        assert app.extensions["agora_realtime"].flush()
        told = {p["args"][0]["conversation_id"] for p in client.get_received() if p["name"] == "conversation_message"}
        with app.app_context():
            titles = {c.id: c.title.split()[-1] for c in db.session.scalars(db.select(Conversation))}
            authors = {c.id: c.author_id for c in db.session.scalars(db.select(Conversation))}
        expected = {i for i, marker in titles.items() if viewer in CONVERSATIONS[marker]
                    and (member is None or authors[i] != member.id)}
        assert told == expected
    finally:
        client.disconnect()


@pytest.mark.parametrize("viewer", VIEWERS)
def test_socket_rooms_open_exactly_to_readers(app, world, viewer):
    http, member = _as(app, world, viewer)
    readable = _readable(app, world, member)
    client = socketio.test_client(app, flask_test_client=http.client)
    try:
        for key, topic in world["topics"].items():
            answer = client.emit("join_topic", {"topic_id": topic.id}, callback=True)
            assert answer["ok"] == (key in readable), (key, answer)
            assert not _leaks(str(answer), set(MARKERS) - readable)
            answer = client.emit("join_space", {"space_id": world["spaces"][key].id}, callback=True)
            assert answer["ok"] == (key in readable), (key, answer)
        home = client.emit("join_home", {}, callback=True)
        assert {key for key, space in world["spaces"].items() if space.id in home["space_ids"]} == readable
    finally:
        client.disconnect()


@pytest.mark.parametrize("viewer", [v for v in VIEWERS if v != "anonymous"])
def test_emails_and_digest_carry_only_what_the_recipient_may_read(app, world, viewer):
    _browser, member = _as(app, world, viewer)
    readable = _readable(app, world, member)
    forbidden = set(MARKERS) - readable
    folder = os.path.join(app.instance_path, "mail")
    mails = []
    # The emails were sent when the world was made: a viewer whose access changed since (a
    # suspension, a lost comité) got them while allowed; their digest is composed now.
    changed = viewer in ("suspended", "lost_committee")
    for name in [] if changed or not os.path.isdir(folder) else sorted(os.listdir(folder)):
        with open(os.path.join(folder, name), "rb") as handle:
            message = email.message_from_binary_file(handle, policy=policy.default)
        if member.email in message["To"]:
            mails.append("\n".join(part.get_content() for part in message.walk()
                                    if part.get_content_maintype() == "text"))
    with app.app_context():
        row = db.session.get(Member, member.id)
        digest = compose(row, now() - timedelta(days=7), now() + timedelta(minutes=1))
        text, html = weekly.render(digest, row)
    leaks = [_leaks(body, forbidden) for body in (*mails, text, html)]
    assert [leak for leak in leaks if leak] == []
    if viewer in ("committee_member", "coordinator"):
        # Not vacuous: what they may read reaches them (mentioned in every post they can read).
        assert mails and any(MARKERS["committee"] in body for body in mails)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_poll_activity_reaches_only_readers_and_carries_no_figure(app, world, viewer):
    """The decisions' live message (``poll_activity``): each topic's room only, participation only."""
    http, member = _as(app, world, viewer)
    readable = _readable(app, world, member)
    client = socketio.test_client(app, flask_test_client=http.client)
    try:
        for topic in world["topics"].values():
            client.emit("join_topic", {"topic_id": topic.id}, callback=True)
        client.get_received()
        with app.app_context():
            for poll in db.session.scalars(db.select(Poll).where(Poll.closed_at.is_(None))):
                voting.cast_ballot(db.session.get(Member, poll.author_id), poll, {1: 1})   # a ballot
        assert app.extensions["agora_realtime"].flush()
        moved = [p["args"][0] for p in client.get_received() if p["name"] == "poll_activity"]
        by_topic = {topic.id: key for key, topic in world["topics"].items()}
        assert {by_topic[m["topic_id"]] for m in moved} == readable
        assert all(set(m) == {"topic_id", "poll_id", "voters"} for m in moved)
    finally:
        client.disconnect()


def test_tag_counts_count_only_readable_topics(app, world):
    """The shared tag is on one public topic and one topic of the comité's bureau."""
    outsider, _member = _as(app, world, "outsider")
    insider, _member = _as(app, world, "committee_member")
    tag = world["tag"]

    def count(browser):
        page = browser.get("/etiquettes").get_data(as_text=True)
        listed = browser.get(f"/etiquette/{tag.slug}").get_data(as_text=True)
        shown = re.search(rf">{re.escape(tag.name)}</a> <span class=\"meta\">\((\d+)\)", page)
        return int(shown.group(1)) if shown else None, listed.count('class="topic-row')

    assert count(outsider)[0] == 1
    assert count(insider)[0] == 2
