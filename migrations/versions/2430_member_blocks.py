"""member blocks: a member blocks another (no message, mention or notification from them), and
member.refuses_messages (private messages refused, but from the moderation and the coordination)

Revision ID: 2430
Revises: 2420
Create Date: 2026-12-07 19:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


revision = '2430'
down_revision = '2420'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('member_block',
    sa.Column('blocker_id', sa.Integer(), nullable=False),
    sa.Column('blocked_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['blocked_id'], ['member.id'], name=op.f('fk_member_block_blocked_id_member'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['blocker_id'], ['member.id'], name=op.f('fk_member_block_blocker_id_member'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('blocker_id', 'blocked_id', name=op.f('pk_member_block'))
    )
    op.create_index(op.f('ix_member_block_blocked_id'), 'member_block', ['blocked_id'], unique=False)
    # A plain ADD COLUMN: SQLite's batch mode would copy the member table for one flag.
    op.add_column('member', sa.Column('refuses_messages', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    if op.get_bind().dialect.name == 'sqlite':   # in place: SQLite's batch copy would DROP member (see 1820)
        op.execute('ALTER TABLE member DROP COLUMN refuses_messages')
    else:
        op.drop_column('member', 'refuses_messages')
    op.drop_index(op.f('ix_member_block_blocked_id'), table_name='member_block')
    op.drop_table('member_block')
