"""How an act cites an article: its number in the version in force at the time, and where that
rule is today.

A decision cites a ``CharterArticle`` row, which belongs to one version. A later version may
insert an article before it ("article 5" becomes "article 6") or drop it: the article's stable
``key`` finds it in the current version, and the reference says both when they differ.
"""
from flask import current_app, has_request_context, url_for
from flask_babel import gettext
from markupsafe import Markup, escape
from sqlalchemy import select

from forum.extensions import db
from forum.web.memo import request_memo

from .models import CharterArticle, CharterVersion


def _today():
    """(current version number, {article key: number today}), asked once per request."""
    def ask():
        version = db.session.scalars(select(CharterVersion).where(CharterVersion.published_at.is_not(None))
                                     .order_by(CharterVersion.number.desc()).limit(1)).first()
        if version is None:
            return None, {}
        return version.number, dict(db.session.execute(
            select(CharterArticle.key, CharterArticle.number).where(CharterArticle.version_id == version.id)).all())
    return request_memo(("charter-today",), ask)


def where_today(article):
    """(version number of ``article``, its number today or None if removed, whether it is the
    current version's own row)."""
    current, numbers = _today()
    version = article.version.number
    return version, numbers.get(article.key), version == current


def article_url(version_number, number, current):
    values = {} if current else {"version": version_number}
    if has_request_context():
        path = url_for("charter.charter_page", **values)
    else:   # a fragment rendered outside any request (a live broadcast)
        path = current_app.url_map.bind("localhost").build("charter.charter_page", values)
    return f"{path}#article-{number}"


def reference(article, number=None):
    """"article 5", or "article 5 de la version 2, aujourd'hui article 6", with links.

    ``number`` is the number the act recorded (the row's own number by default).
    """
    number = article.number if number is None else number
    version, today, current = where_today(article)
    cited = Markup('<a href="{}">{}</a>').format(article_url(version, number, current),
                                                 gettext("article %(n)s", n=number))
    if current or today == number:
        return cited
    if today is None:
        return Markup(escape(gettext("%(article)s de la version %(version)s, retiré depuis"))) % {
            "article": cited, "version": version}
    now_link = Markup('<a href="{}">{}</a>').format(article_url(None, today, True),
                                                    gettext("article %(n)s", n=today))
    return Markup(escape(gettext("%(article)s de la version %(version)s, aujourd'hui %(today)s"))) % {
        "article": cited, "version": version, "today": now_link}


def references(articles):
    """Several references, separated by commas."""
    return Markup(", ").join(reference(a) for a in articles)
