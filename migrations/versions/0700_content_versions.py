"""scale-out: content versions (bumped by every write; keys of the page cache)

Revision ID: 0700
Revises: 0400
Create Date: 2026-11-29 10:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0700'
down_revision = '0300'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('content_version',
    sa.Column('scope', sa.String(length=40), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('scope')
    )


def downgrade():
    op.drop_table('content_version')
