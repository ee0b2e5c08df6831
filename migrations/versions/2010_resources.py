"""resources: the capitalisation's « fiches » (a document or a link, described, in a space),
tagged by theme, territory, collège and year; capital_document (search: type:ressource, type:synthese)

Revision ID: 2010
Revises: 2000
Create Date: 2026-12-06 18:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '2010'
down_revision = '2000'
branch_labels = None
depends_on = None


def _fk(table, column, target, ondelete=None):
    return sa.ForeignKeyConstraint([column], [f'{target}.id'], name=op.f(f'fk_{table}_{column}_{target}'),
                                   ondelete=ondelete)


def upgrade():
    op.create_table(
        'resource',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('space_id', sa.Integer(), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('url', sa.String(length=2000), nullable=True),
        sa.Column('source', sa.Text(), nullable=False),
        sa.Column('html', sa.Text(), nullable=False),
        sa.Column('territory_id', sa.Integer(), nullable=True),
        sa.Column('college_id', sa.Integer(), nullable=True),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        _fk('resource', 'space_id', 'space', 'CASCADE'),
        _fk('resource', 'author_id', 'member'),
        _fk('resource', 'territory_id', 'space', 'SET NULL'),
        _fk('resource', 'college_id', 'college', 'SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_resource')),
    )
    for column in ('space_id', 'author_id', 'territory_id', 'college_id', 'created_at'):
        op.create_index(op.f(f'ix_resource_{column}'), 'resource', [column])
    op.create_table(
        'resource_tag',
        sa.Column('resource_id', sa.Integer(), nullable=False),
        sa.Column('tag_id', sa.Integer(), nullable=False),
        _fk('resource_tag', 'resource_id', 'resource', 'CASCADE'),
        _fk('resource_tag', 'tag_id', 'tag', 'CASCADE'),
        sa.PrimaryKeyConstraint('resource_id', 'tag_id', name=op.f('pk_resource_tag')),
    )
    op.create_index(op.f('ix_resource_tag_tag_id'), 'resource_tag', ['tag_id'])
    op.create_table(
        'capital_document',
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('ref_id', sa.Integer(), nullable=False),
        sa.Column('space_id', sa.Integer(), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('tags', sa.Text(), nullable=False),
        sa.Column('title', sa.Text(), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('title_terms', sa.Text(), nullable=False),
        sa.Column('terms', sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint('kind', 'ref_id', name=op.f('pk_capital_document')),
    )
    op.create_index(op.f('ix_capital_document_space_id'), 'capital_document', ['space_id'])


def downgrade():
    op.drop_table('capital_document')
    op.drop_table('resource_tag')
    op.drop_table('resource')
