"""search: documents by author and date (the @pseudonyme filter walks one member's posts)

Revision ID: 0800
Revises: 0700
Create Date: 2026-11-29 14:20:00

"""
from alembic import op


revision = '0800'
down_revision = '0700'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_search_document_author', 'search_document', ['author_id', 'created_at'])


def downgrade():
    op.drop_index('ix_search_document_author', table_name='search_document')
