"""syntheses: documents written together from the debates, their revisions, editors, sources,
review comments, published versions and the files sent to the HCTS

Revision ID: 2000
Revises: 1900
Create Date: 2026-12-06 18:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '2000'
down_revision = '1900'
branch_labels = None
depends_on = None


def _fk(table, column, target, ondelete=None):
    return sa.ForeignKeyConstraint([column], [f'{target}.id'], name=op.f(f'fk_{table}_{column}_{target}'),
                                   ondelete=ondelete)


def upgrade():
    op.create_table(
        'synthesis',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('space_id', sa.Integer(), nullable=False),
        sa.Column('topic_id', sa.Integer(), nullable=True),
        sa.Column('author_id', sa.Integer(), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('source', sa.Text(), nullable=False),
        sa.Column('html', sa.Text(), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('revision_count', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('review_at', sa.DateTime(), nullable=True),
        sa.Column('approved_revision', sa.Integer(), nullable=True),
        sa.Column('approved_at', sa.DateTime(), nullable=True),
        sa.Column('approved_by_id', sa.Integer(), nullable=True),
        sa.Column('approval_poll_id', sa.Integer(), nullable=True),
        sa.Column('published_version', sa.Integer(), nullable=False),
        sa.Column('published_at', sa.DateTime(), nullable=True),
        _fk('synthesis', 'space_id', 'space'),
        _fk('synthesis', 'topic_id', 'topic', 'SET NULL'),
        _fk('synthesis', 'author_id', 'member'),
        _fk('synthesis', 'approved_by_id', 'member', 'SET NULL'),
        _fk('synthesis', 'approval_poll_id', 'poll', 'SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_synthesis')),
    )
    op.create_index(op.f('ix_synthesis_space_id'), 'synthesis', ['space_id'])
    op.create_index(op.f('ix_synthesis_topic_id'), 'synthesis', ['topic_id'])
    op.create_index(op.f('ix_synthesis_published_at'), 'synthesis', ['published_at'])
    op.create_table(
        'synthesis_revision',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('synthesis_id', sa.Integer(), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('source', sa.Text(), nullable=False),
        sa.Column('editor_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        _fk('synthesis_revision', 'synthesis_id', 'synthesis', 'CASCADE'),
        _fk('synthesis_revision', 'editor_id', 'member'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_synthesis_revision')),
        sa.UniqueConstraint('synthesis_id', 'number', name='uq_synthesis_revision_number'),
    )
    op.create_table(
        'synthesis_editor',
        sa.Column('synthesis_id', sa.Integer(), nullable=False),
        sa.Column('member_id', sa.Integer(), nullable=False),
        sa.Column('named', sa.Boolean(), nullable=False),
        sa.Column('added_at', sa.DateTime(), nullable=False),
        _fk('synthesis_editor', 'synthesis_id', 'synthesis', 'CASCADE'),
        _fk('synthesis_editor', 'member_id', 'member', 'CASCADE'),
        sa.PrimaryKeyConstraint('synthesis_id', 'member_id', name=op.f('pk_synthesis_editor')),
    )
    op.create_table(
        'synthesis_source',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('synthesis_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('ref_id', sa.Integer(), nullable=False),
        sa.Column('topic_id', sa.Integer(), nullable=True),
        sa.Column('position', sa.Integer(), nullable=False),
        _fk('synthesis_source', 'synthesis_id', 'synthesis', 'CASCADE'),
        _fk('synthesis_source', 'topic_id', 'topic', 'CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_synthesis_source')),
        sa.UniqueConstraint('synthesis_id', 'kind', 'ref_id', name='uq_synthesis_source'),
    )
    op.create_index(op.f('ix_synthesis_source_topic_id'), 'synthesis_source', ['topic_id'])
    op.create_table(
        'synthesis_comment',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('synthesis_id', sa.Integer(), nullable=False),
        sa.Column('section', sa.String(length=200), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=False),
        sa.Column('html', sa.Text(), nullable=False),
        sa.Column('source', sa.Text(), nullable=False),
        sa.Column('revision', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('resolved_at', sa.DateTime(), nullable=True),
        _fk('synthesis_comment', 'synthesis_id', 'synthesis', 'CASCADE'),
        _fk('synthesis_comment', 'author_id', 'member'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_synthesis_comment')),
    )
    op.create_index(op.f('ix_synthesis_comment_synthesis_id'), 'synthesis_comment', ['synthesis_id'])
    op.create_table(
        'synthesis_version',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('synthesis_id', sa.Integer(), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('revision', sa.Integer(), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('source', sa.Text(), nullable=False),
        sa.Column('html', sa.Text(), nullable=False),
        sa.Column('approved_at', sa.DateTime(), nullable=False),
        sa.Column('approved_how', sa.String(length=200), nullable=False),
        sa.Column('published_at', sa.DateTime(), nullable=False),
        sa.Column('published_by_id', sa.Integer(), nullable=True),
        sa.Column('transmitted_at', sa.DateTime(), nullable=True),
        sa.Column('transmitted_by_id', sa.Integer(), nullable=True),
        _fk('synthesis_version', 'synthesis_id', 'synthesis', 'CASCADE'),
        _fk('synthesis_version', 'published_by_id', 'member', 'SET NULL'),
        _fk('synthesis_version', 'transmitted_by_id', 'member', 'SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_synthesis_version')),
        sa.UniqueConstraint('synthesis_id', 'number', name='uq_synthesis_version_number'),
    )
    op.create_table(
        'synthesis_file',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('version_id', sa.Integer(), nullable=False),
        sa.Column('format', sa.String(length=10), nullable=False),
        sa.Column('filename', sa.String(length=200), nullable=False),
        sa.Column('content', sa.LargeBinary(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        _fk('synthesis_file', 'version_id', 'synthesis_version', 'CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_synthesis_file')),
        sa.UniqueConstraint('version_id', 'format', name='uq_synthesis_file_format'),
    )


def downgrade():
    for table in ('synthesis_file', 'synthesis_version', 'synthesis_comment', 'synthesis_source',
                  'synthesis_editor', 'synthesis_revision', 'synthesis'):
        op.drop_table(table)
