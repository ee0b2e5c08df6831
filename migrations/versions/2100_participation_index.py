"""participation: post (topic_id, created_at, state, author_id, parent_id, number), an index that
holds every column the participation counts read (bench/participation_bench.py)

Revision ID: 2100
Revises: 2010
Create Date: 2026-12-06 21:40:00

"""
from alembic import op


revision = '2100'
down_revision = '2010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_post_topic_created', 'post',
                    ['topic_id', 'created_at', 'state', 'author_id', 'parent_id', 'number'], unique=False)


def downgrade():
    op.drop_index('ix_post_topic_created', table_name='post')
