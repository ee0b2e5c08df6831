"""accounts: single-use links (spent_token) and which accounts wait for their address to be
confirmed before a password logs them in (member.email_confirmation_required)

Existing members get false: they were never asked to confirm, and must not be locked out.

Revision ID: 1300
Revises: 1250
Create Date: 2026-12-06 09:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '1300'
down_revision = '1250'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'spent_token',
        sa.Column('digest', sa.String(length=64), nullable=False),
        sa.Column('expires_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('digest', name=op.f('pk_spent_token')),
    )
    op.create_index(op.f('ix_spent_token_expires_at'), 'spent_token', ['expires_at'], unique=False)
    with op.batch_alter_table('member') as batch:
        batch.add_column(sa.Column('email_confirmation_required', sa.Boolean(), nullable=False,
                                   server_default=sa.false()))


def downgrade():
    with op.batch_alter_table('member') as batch:
        batch.drop_column('email_confirmation_required')
    op.drop_index(op.f('ix_spent_token_expires_at'), table_name='spent_token')
    op.drop_table('spent_token')
