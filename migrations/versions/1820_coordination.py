"""coordination: space.archived_at (an archived space is read-only and out of the lists);
topic.announced_at (an announcement of the coordination); convention_version (the convention's
text, versioned, edited by the coordination)

Revision ID: 1820
Revises: 1700
Create Date: 2026-12-06 12:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '1820'
down_revision = '1810'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('space') as batch:
        batch.add_column(sa.Column('archived_at', sa.DateTime(), nullable=True))
    with op.batch_alter_table('topic') as batch:
        batch.add_column(sa.Column('announced_at', sa.DateTime(), nullable=True))
    op.create_table(
        'convention_version',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('html', sa.Text(), nullable=False),
        sa.Column('note', sa.String(length=300), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=True),
        sa.Column('published_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['author_id'], ['member.id'], name=op.f('fk_convention_version_author_id_member'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_convention_version')),
        sa.UniqueConstraint('number', name=op.f('uq_convention_version_number')),
    )


def downgrade():
    op.drop_table('convention_version')
    _drop_column('topic', 'announced_at')
    _drop_column('space', 'archived_at')


def _drop_column(table, column):
    # In place: SQLite's batch table copy would DROP a table that other rows still reference.
    if op.get_bind().dialect.name == 'sqlite':   # SQLite >= 3.35 drops a column in place
        op.execute(f'ALTER TABLE {table} DROP COLUMN {column}')
    else:
        op.drop_column(table, column)
