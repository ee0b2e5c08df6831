"""A synthesis as one reader may export it, and the files kept when it is sent to the HCTS.

``document(viewer, synthesis, version)`` builds the plain data the renderers read
(``forum/syntheses/document.py``): the published version asked for (or the working text, for
who may read it), quotations of posts no longer visible withdrawn, sources the reader may
read, contributors counted by collège under the small-group rule, named only when they agreed.
"""
import re
from functools import lru_cache

from flask_babel import gettext as _
from sqlalchemy import select

from forum import permissions
from forum.accounts.models import College, Member
from forum.clock import now
from forum.decisions import rules as poll_rules
from forum.decisions.models import Poll
from forum.decisions.protection import protect
from forum.errors import Forbidden, NotFound, Refused
from forum.extensions import db
from forum.notifications.mail import site_url
from forum.text.slugs import slugify
from forum.topics.models import Post, Topic

from . import lifecycle, quoting, rules
from .document import CollegeCount, ExportDocument, Source
from .exports import FORMATS
from .models import PUBLISHED, SOURCE_POLL, SOURCE_POST, SOURCE_TOPIC, SynthesisFile, SynthesisVersion

def status_label(status, transmitted=False):
    labels = {"draft": _("Brouillon"), "review": _("En relecture"), "approved": _("Validée"),
              "published": _("Publiée")}
    label = labels[status]
    return _("Publiée et transmise au HCTS") if transmitted else label


def format_choices():
    """The formats offered for download, in the order shown (those the renderers provide)."""
    labels = {"pdf": "PDF", "odt": "ODT (LibreOffice, Word)", "md": "Markdown", "html": "HTML"}
    return [(fmt, labels[fmt]) for fmt in labels if fmt in FORMATS]


def pick(viewer, synthesis, version_number=None):
    """The text ``viewer`` exports: a published version (the last by default when there is one
    and they may not read the working text), else the working text. 404 when not readable."""
    if not rules.can_read(viewer, synthesis):
        raise NotFound(_("Cette synthèse est introuvable."))
    if version_number is None and (not rules.can_read_working_text(viewer, synthesis) or
                                   synthesis.status == PUBLISHED):
        version_number = synthesis.published_version or None
    if version_number is None:
        return None
    version = db.session.scalar(select(SynthesisVersion).where(SynthesisVersion.synthesis_id == synthesis.id,
                                                               SynthesisVersion.number == version_number))
    if version is None or not permissions.can_read_space(viewer, synthesis.space):
        raise NotFound(_("Cette version est introuvable."))
    return version


def sources(viewer, synthesis, quoted):
    """The sources ``viewer`` may read, with their labels and absolute links: the debate and
    decisions it was built on, and the posts the text shown (``quoted``: a published version's,
    or the text being written) quotes."""
    out = []
    rows = [(s.kind, s.ref_id) for s in synthesis.sources if s.kind != SOURCE_POST]
    rows += [(SOURCE_POST, post_id) for post_id in sorted(quoted)]
    for kind, ref_id in rows:
        if kind == SOURCE_TOPIC:
            topic = db.session.get(Topic, ref_id)
            if topic is not None and permissions.can_read_topic(viewer, topic):
                out.append(Source("topic", _("Sujet : %(title)s", title=topic.title), site_url(f"/sujet/{topic.id}")))
        elif kind == SOURCE_POLL:
            poll = db.session.get(Poll, ref_id)
            if poll is not None and poll_rules.can_see_poll(viewer, poll):
                out.append(Source("decision", _("Décision : %(q)s", q=poll.question), site_url(f"/decision/{poll.id}")))
        elif kind == SOURCE_POST:
            post = db.session.get(Post, ref_id)
            if post is not None and post.is_visible and permissions.can_read_post_text(viewer, post):
                label = _("Message n° %(n)s (%(name)s)", n=post.number, name=post.author.pseudonym)
                if post.topic_id != synthesis.topic_id:
                    label += " " + _("dans « %(title)s »", title=post.topic.title)
                out.append(Source("post", label, site_url(f"/message/{post.id}")))
    return tuple(out)


def contributors(synthesis, quoted):
    """Who contributed (its editors and the authors of the posts it quotes), counted by collège
    under the small-group rule; and the names of the editors who agreed to be named."""
    ids = {e.member_id for e in synthesis.editors}
    if quoted:
        ids |= set(db.session.scalars(select(Post.author_id).where(Post.id.in_(quoted))))
    members = db.session.scalars(select(Member).where(Member.id.in_(ids))).all() if ids else []
    by_college = {}
    for member in members:
        key = member.college_id if member.college_confirmed else None
        by_college[key] = by_college.get(key, 0) + 1
    order = list(db.session.scalars(select(College.id).order_by(College.position, College.id)))
    shown, others, merged = protect(by_college, order)
    names = dict(db.session.execute(select(College.id, College.name)).all())
    counts = [CollegeCount(names[key], count) for key, count in shown.items()]
    if counts and others is not None:           # everything merged: only the total may be shown
        counts.append(CollegeCount(_("Autres collèges et membres sans collège confirmé") if None in merged
                                   else _("Autres collèges"), others))
    named = tuple(e.member.pseudonym for e in synthesis.editors if e.named)
    return tuple(counts), named, len(members)


def document(viewer, synthesis, version_number=None):
    version = pick(viewer, synthesis, version_number)
    if version is not None:
        title, source, number, dated = version.title, version.source, version.number, version.published_at
        status = status_label(PUBLISHED, version.transmitted_at is not None)
    else:
        title, source, dated = synthesis.title, synthesis.source, synthesis.updated_at
        number = synthesis.published_version + 1
        status = status_label(synthesis.status)
    html, quoted = quoting.render(synthesis.author, source, synthesis.space)
    counts, named, total = contributors(synthesis, quoted)
    return ExportDocument(title=title, body_html=html, space_name=synthesis.space.name, version=number,
                          status_label=status, dated=dated, url=site_url(f"/synthese/{synthesis.id}"),
                          sources=sources(viewer, synthesis, quoted), contributors=counts, named_contributors=named,
                          contributor_total=total,
                          transmitted_at=version.transmitted_at if version is not None else None)


def filename(synthesis, doc, extension):
    stem = slugify(doc.title)[:60] or "synthese"
    return re.sub(r"[^a-z0-9-]", "", f"synthese-{synthesis.id}-v{doc.version}-{stem}") + "." + extension


def render(viewer, synthesis, fmt, version_number=None):
    """(bytes, mimetype, filename) of ``synthesis`` in format ``fmt`` for ``viewer``."""
    if fmt not in FORMATS:
        raise NotFound(_("Ce format d'export n'existe pas (pdf, odt, md ou html)."))
    doc = document(viewer, synthesis, version_number)
    _renderer, mimetype, extension = FORMATS[fmt]
    return _rendered(doc, fmt), mimetype, filename(synthesis, doc, extension)


@lru_cache(maxsize=32)
def _rendered(doc, fmt):
    """A PDF costs seconds of CPU: the same document (every field of it, the permissions already
    applied: the key is the whole content) is rendered once per process, then served again."""
    body = FORMATS[fmt][0](doc)
    return body.encode("utf-8") if isinstance(body, str) else body


def transmit(member, synthesis):
    """Mark the last published version as sent to the HCTS, keeping the exact PDF and ODT sent."""
    if not rules.can_approve(member, synthesis):
        raise Forbidden(_("La transmission au HCTS revient aux modérateurs de l'espace et à la coordination."))
    version = lifecycle.latest_version(synthesis)
    if version is None:
        raise Refused(_("Publiez d'abord la synthèse : seule une version publiée est transmise."), status=409)
    if version.transmitted_at is not None:
        raise Refused(_("Cette version a déjà été transmise au HCTS."), status=409)
    version.transmitted_at, version.transmitted_by_id = now(), member.id
    for fmt in ("pdf", "odt"):
        body, _mimetype, name = render(member, synthesis, fmt, version.number)
        db.session.add(SynthesisFile(version_id=version.id, format=fmt, filename=name, content=body))
    db.session.commit()
    return version


def kept_file(viewer, synthesis, version_number, fmt):
    """A file as it was sent to the HCTS: for who may publish (the record of what left)."""
    if not rules.can_approve(viewer, synthesis):
        raise NotFound(_("Ce fichier est introuvable."))
    found = db.session.scalar(select(SynthesisFile).join(SynthesisVersion).where(
        SynthesisVersion.synthesis_id == synthesis.id, SynthesisVersion.number == version_number,
        SynthesisFile.format == fmt))
    if found is None:
        raise NotFound(_("Ce fichier est introuvable."))
    return found
