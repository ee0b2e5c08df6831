"""inbound email: each email received by the reply-by-email addresses, once per Message-ID

Revision ID: 2450
Revises: 2440
Create Date: 2026-12-07 22:45:00.000000

"""
from alembic import op
import sqlalchemy as sa


revision = '2450'
down_revision = '2440'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'inbound_email',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('message_id', sa.String(length=255), nullable=False),
        sa.Column('member_id', sa.Integer(), nullable=True),
        sa.Column('sender', sa.String(length=254), nullable=True),
        sa.Column('post_id', sa.Integer(), nullable=True),
        sa.Column('outcome', sa.String(length=20), nullable=False),
        sa.Column('reason', sa.String(length=40), nullable=True),
        sa.Column('detail', sa.Text(), nullable=True),
        sa.Column('answered', sa.DateTime(), nullable=True),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('raw', sa.LargeBinary(), nullable=True),
        sa.Column('received_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_inbound_email_member_id_member'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['post_id'], ['post.id'], name=op.f('fk_inbound_email_post_id_post'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_inbound_email')),
        sa.UniqueConstraint('message_id', name=op.f('uq_inbound_email_message_id')),
    )
    op.create_index(op.f('ix_inbound_email_member_id'), 'inbound_email', ['member_id'], unique=False)
    op.create_index(op.f('ix_inbound_email_received_at'), 'inbound_email', ['received_at'], unique=False)
    op.create_index('ix_inbound_email_sender_reason', 'inbound_email', ['sender', 'reason'], unique=False)


def downgrade():
    op.drop_index('ix_inbound_email_sender_reason', table_name='inbound_email')
    op.drop_index(op.f('ix_inbound_email_received_at'), table_name='inbound_email')
    op.drop_index(op.f('ix_inbound_email_member_id'), table_name='inbound_email')
    op.drop_table('inbound_email')
