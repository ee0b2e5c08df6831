"""accounts: invitations (an address invited with its comités and collège) and member.awaiting_approval
(registration mode "approval")

Revision ID: 1250
Revises: 1200
Create Date: 2026-12-06 09:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '1250'
down_revision = '1200'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'invitation',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('college_id', sa.Integer(), nullable=True),
        sa.Column('inviter_id', sa.Integer(), nullable=True),
        sa.Column('locale', sa.String(length=5), nullable=True),
        sa.Column('token_hash', sa.String(length=64), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('sent_at', sa.DateTime(), nullable=True),
        sa.Column('expires_at', sa.DateTime(), nullable=False),
        sa.Column('accepted_at', sa.DateTime(), nullable=True),
        sa.Column('accepted_by_id', sa.Integer(), nullable=True),
        sa.Column('revoked_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['college_id'], ['college.id'], name=op.f('fk_invitation_college_id_college'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['inviter_id'], ['member.id'], name=op.f('fk_invitation_inviter_id_member'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['accepted_by_id'], ['member.id'],
                                name=op.f('fk_invitation_accepted_by_id_member'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_invitation')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_invitation_token_hash')),
    )
    op.create_index(op.f('ix_invitation_email'), 'invitation', ['email'], unique=False)
    op.create_table(
        'invitation_committee',
        sa.Column('invitation_id', sa.Integer(), nullable=False),
        sa.Column('space_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['invitation_id'], ['invitation.id'],
                                name=op.f('fk_invitation_committee_invitation_id_invitation'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['space_id'], ['space.id'], name=op.f('fk_invitation_committee_space_id_space'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('invitation_id', 'space_id', name=op.f('pk_invitation_committee')),
    )
    with op.batch_alter_table('member') as batch:
        batch.add_column(sa.Column('awaiting_approval', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade():
    with op.batch_alter_table('member') as batch:
        batch.drop_column('awaiting_approval')
    op.drop_table('invitation_committee')
    op.drop_index(op.f('ix_invitation_email'), table_name='invitation')
    op.drop_table('invitation')
