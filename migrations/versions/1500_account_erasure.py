"""accounts: erased members (former_member) and scheduled account deletions (deletion_request)

Revision ID: 1500
Revises: 1400
Create Date: 2026-12-06 09:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '1500'
down_revision = '1400'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'former_member',
        sa.Column('member_id', sa.Integer(), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('mode', sa.String(length=20), nullable=False),
        sa.Column('erased_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_former_member_member_id_member'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('member_id', name=op.f('pk_former_member')),
        sa.UniqueConstraint('number', name=op.f('uq_former_member_number')),
    )
    op.create_table(
        'deletion_request',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('member_id', sa.Integer(), nullable=False),
        sa.Column('mode', sa.String(length=20), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('requested_at', sa.DateTime(), nullable=False),
        sa.Column('due_at', sa.DateTime(), nullable=False),
        sa.Column('cancelled_at', sa.DateTime(), nullable=True),
        sa.Column('done_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_deletion_request_member_id_member'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_deletion_request')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_deletion_request_token_hash')),
    )
    op.create_index(op.f('ix_deletion_request_member_id'), 'deletion_request', ['member_id'], unique=False)
    op.create_index(op.f('ix_deletion_request_due_at'), 'deletion_request', ['due_at'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_deletion_request_due_at'), table_name='deletion_request')
    op.drop_index(op.f('ix_deletion_request_member_id'), table_name='deletion_request')
    op.drop_table('deletion_request')
    op.drop_table('former_member')
