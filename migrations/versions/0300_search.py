"""search: indexing journal, documents with a French tsvector (PostgreSQL: unaccent, GIN)

Revision ID: 0300
Revises: 0400
Create Date: 2026-11-29 10:30:00

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0300'
down_revision = '0400'
branch_labels = None
depends_on = None

TSVECTOR = sa.Text().with_variant(postgresql.TSVECTOR(), "postgresql")


def upgrade():
    op.create_table('search_job',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=True),
    sa.Column('topic_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('search_document',
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('topic_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('tsv', TSVECTOR, nullable=True),
    sa.ForeignKeyConstraint(['post_id'], ['post.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['topic_id'], ['topic.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('post_id')
    )
    op.create_index('ix_search_document_topic_id', 'search_document', ['topic_id'], unique=False)
    op.create_index('ix_search_document_created', 'search_document', ['created_at'], unique=False)
    op.create_index('ix_search_document_tsv', 'search_document', ['tsv'], unique=False,
                    postgresql_using='gin')
    if op.get_bind().dialect.name == "postgresql":
        # French stemming with accent folding on both sides (documents and queries).
        op.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        op.execute("""
            DO $$ BEGIN
              IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'fr_unaccent') THEN
                CREATE TEXT SEARCH CONFIGURATION fr_unaccent (COPY = french);
                ALTER TEXT SEARCH CONFIGURATION fr_unaccent
                  ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
              END IF;
            END $$""")


def downgrade():
    op.drop_index('ix_search_document_tsv', table_name='search_document')
    op.drop_index('ix_search_document_created', table_name='search_document')
    op.drop_index('ix_search_document_topic_id', table_name='search_document')
    op.drop_table('search_document')
    op.drop_table('search_job')
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TEXT SEARCH CONFIGURATION IF EXISTS fr_unaccent")
