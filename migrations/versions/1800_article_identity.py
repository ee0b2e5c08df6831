"""charter_article.key (an article's stable identity across versions) and .reportable (may a
member cite it when reporting); a hidden post's placeholder reads its articles from its decision
(post_hold.articles, numbers without a version, goes); a moderator's edit note names the version

Existing data: each version's articles take the keys of the previous version's articles they
continue (same title, else same text), as new drafts do; an article titled "Modération" (the one
about moderation itself) is marked not reportable; the notes of moderators' edits, "(article 5)",
name the version in force when the edit was made: "(article 5 de la version 2)".

Revision ID: 1800
Revises: 1700
Create Date: 2026-12-06 12:00:00

"""
import re

from alembic import op
import sqlalchemy as sa


revision = '1800'
down_revision = '1700'
branch_labels = None
depends_on = None

_NOTE = re.compile(r"^Modifié par la modération \((articles?) ([0-9, ]+)\) :")

version_table = sa.table('charter_version', sa.column('id', sa.Integer), sa.column('number', sa.Integer),
                         sa.column('published_at', sa.DateTime))
article_table = sa.table('charter_article', sa.column('id', sa.Integer), sa.column('version_id', sa.Integer),
                         sa.column('number', sa.Integer), sa.column('title', sa.String),
                         sa.column('body', sa.Text), sa.column('key', sa.Integer),
                         sa.column('reportable', sa.Boolean))
revision_table = sa.table('post_revision', sa.column('id', sa.Integer), sa.column('created_at', sa.DateTime),
                          sa.column('note', sa.Text))
hold_table = sa.table('post_hold', sa.column('post_id', sa.Integer), sa.column('decision_id', sa.Integer),
                      sa.column('articles', sa.String))
decision_article_table = sa.table('decision_article', sa.column('decision_id', sa.Integer),
                                  sa.column('number', sa.Integer))


def _assign_keys(connection):
    versions = connection.execute(sa.select(version_table.c.id).order_by(version_table.c.number)).scalars().all()
    next_key, previous = 1, []
    for version_id in versions:
        articles = connection.execute(
            sa.select(article_table.c.id, article_table.c.title, article_table.c.body)
            .where(article_table.c.version_id == version_id).order_by(article_table.c.number)).all()
        by_title = {title.casefold(): key for key, title, _body in previous}
        by_body = {body.strip(): key for key, _title, body in previous}
        taken, current = set(), []
        for article_id, title, body in articles:
            key = by_title.get(title.casefold()) or by_body.get(body.strip())
            if key is None or key in taken:
                key, next_key = next_key, next_key + 1
            taken.add(key)
            current.append((key, title, body))
            connection.execute(article_table.update().where(article_table.c.id == article_id).values(key=key))
        previous = current


def _name_versions_in_notes(connection):
    published = connection.execute(
        sa.select(version_table.c.number, version_table.c.published_at)
        .where(version_table.c.published_at.is_not(None)).order_by(version_table.c.published_at)).all()
    if not published:
        return
    rows = connection.execute(sa.select(revision_table.c.id, revision_table.c.created_at, revision_table.c.note)
                              .where(revision_table.c.note.like('Modifié par la modération (article%'))).all()
    for revision_id, created_at, note in rows:
        match = _NOTE.match(note)
        if match is None:
            continue
        # The version in force when the edit was made: the last one published before it.
        in_force = [number for number, published_at in published if published_at <= created_at]
        number = in_force[-1] if in_force else published[0][0]
        cited = f"Modifié par la modération ({match.group(1)} {match.group(2).strip()} de la version {number}) :"
        connection.execute(revision_table.update().where(revision_table.c.id == revision_id)
                           .values(note=cited + note[match.end():]))


def upgrade():
    # Plain ADD COLUMN and CREATE UNIQUE INDEX: SQLite's batch mode would copy charter_article and
    # drop the original, which decision_article's foreign key (RESTRICT) refuses once cited.
    op.add_column('charter_article', sa.Column('key', sa.Integer(), server_default='0', nullable=False))
    op.add_column('charter_article', sa.Column('reportable', sa.Boolean(), server_default=sa.true(),
                                               nullable=False))
    connection = op.get_bind()
    _assign_keys(connection)
    connection.execute(article_table.update().where(sa.func.lower(article_table.c.title).in_(
        ('modération', 'moderation'))).values(reportable=False))
    if connection.dialect.name != 'sqlite':   # new rows always get their key from the code
        op.alter_column('charter_article', 'key', server_default=None)
    op.create_index('uq_charter_article_version_key', 'charter_article', ['version_id', 'key'], unique=True)
    _name_versions_in_notes(connection)
    with op.batch_alter_table('post_hold') as batch:
        batch.drop_column('articles')


def downgrade():
    with op.batch_alter_table('post_hold') as batch:
        batch.add_column(sa.Column('articles', sa.String(length=100), server_default='', nullable=False))
    connection = op.get_bind()
    holds = connection.execute(sa.select(hold_table.c.post_id, hold_table.c.decision_id)
                               .where(hold_table.c.decision_id.is_not(None))).all()
    for post_id, decision_id in holds:
        numbers = connection.execute(sa.select(decision_article_table.c.number).where(
            decision_article_table.c.decision_id == decision_id).order_by(decision_article_table.c.number)).scalars()
        connection.execute(hold_table.update().where(hold_table.c.post_id == post_id)
                           .values(articles=", ".join(str(n) for n in numbers)))
    op.drop_index('uq_charter_article_version_key', table_name='charter_article')
    if connection.dialect.name == 'sqlite':   # SQLite >= 3.35 drops a column in place (no table copy)
        op.execute('ALTER TABLE charter_article DROP COLUMN reportable')
        op.execute('ALTER TABLE charter_article DROP COLUMN "key"')
    else:
        op.drop_column('charter_article', 'reportable')
        op.drop_column('charter_article', 'key')
