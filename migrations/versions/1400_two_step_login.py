"""accounts: two-step login (a TOTP secret per member, recovery codes kept hashed)

Revision ID: 1400
Revises: 1300
Create Date: 2026-12-06 09:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '1400'
down_revision = '1300'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'two_step_login',
        sa.Column('member_id', sa.Integer(), nullable=False),
        sa.Column('secret', sa.String(length=64), nullable=False),
        sa.Column('last_time_step', sa.BigInteger(), nullable=True),
        sa.Column('enabled_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_two_step_login_member_id_member'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('member_id', name=op.f('pk_two_step_login')),
    )
    op.create_table(
        'two_step_recovery_code',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('member_id', sa.Integer(), nullable=False),
        sa.Column('code_hash', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['member_id'], ['member.id'],
                                name=op.f('fk_two_step_recovery_code_member_id_member'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_two_step_recovery_code')),
    )
    op.create_index(op.f('ix_two_step_recovery_code_member_id'), 'two_step_recovery_code', ['member_id'],
                    unique=False)


def downgrade():
    op.drop_index(op.f('ix_two_step_recovery_code_member_id'), table_name='two_step_recovery_code')
    op.drop_table('two_step_recovery_code')
    op.drop_table('two_step_login')
