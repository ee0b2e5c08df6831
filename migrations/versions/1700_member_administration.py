"""accounts: member.deactivated_at (the coordination deactivates an account); data_export
(a member's archive of their own data, prepared in the background when large)

Revision ID: 1700
Revises: 1600
Create Date: 2026-12-06 09:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '1700'
down_revision = '1600'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('member') as batch:
        batch.add_column(sa.Column('deactivated_at', sa.DateTime(), nullable=True))
    op.create_table(
        'data_export',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('member_id', sa.Integer(), nullable=False),
        sa.Column('state', sa.String(length=20), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('ready_at', sa.DateTime(), nullable=True),
        sa.Column('expires_at', sa.DateTime(), nullable=True),
        sa.Column('stored_name', sa.String(length=80), nullable=True),
        sa.Column('size', sa.Integer(), nullable=True),
        sa.Column('token_hash', sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_data_export_member_id_member'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_data_export')),
    )
    op.create_index('ix_data_export_member_created', 'data_export', ['member_id', 'created_at'], unique=False)


def downgrade():
    op.drop_index('ix_data_export_member_created', table_name='data_export')
    op.drop_table('data_export')
    with op.batch_alter_table('member') as batch:
        batch.drop_column('deactivated_at')
