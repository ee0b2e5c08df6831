"""group mentions: a member's consent to be mentioned with @college-…

Revision ID: 2420
Revises: 2400
Create Date: 2026-12-07 19:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


revision = '2420'
down_revision = '2400'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('mail_preference', schema=None) as batch_op:
        batch_op.add_column(sa.Column('college_mentions', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('mail_preference', schema=None) as batch_op:
        batch_op.drop_column('college_mentions')
