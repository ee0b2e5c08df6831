"""search: space, status and tags on each search document (filters without joining the topic)

Revision ID: 0900
Revises: 0800
Create Date: 2026-11-29 15:00:00

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


revision = '0900'
down_revision = '0800'
branch_labels = None
depends_on = None

TAGS = sa.Text().with_variant(postgresql.ARRAY(sa.Text()), "postgresql")


def upgrade():
    op.add_column('search_document', sa.Column('space_id', sa.Integer(), nullable=True))
    op.add_column('search_document', sa.Column('status', sa.String(length=20), nullable=True))
    op.add_column('search_document', sa.Column('tags', TAGS, nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        op.execute("""
            UPDATE search_document d SET space_id = t.space_id, status = t.status,
                   tags = coalesce((SELECT array_agg(g.slug ORDER BY g.slug) FROM topic_tag tt
                                    JOIN tag g ON g.id = tt.tag_id WHERE tt.topic_id = t.id), '{}')
            FROM topic t WHERE t.id = d.topic_id""")
    op.create_index('ix_search_document_space', 'search_document', ['space_id', 'created_at'])
    op.create_index('ix_search_document_tags', 'search_document', ['tags'], postgresql_using='gin')


def downgrade():
    op.drop_index('ix_search_document_tags', table_name='search_document')
    op.drop_index('ix_search_document_space', table_name='search_document')
    op.drop_column('search_document', 'tags')
    op.drop_column('search_document', 'status')
    op.drop_column('search_document', 'space_id')
