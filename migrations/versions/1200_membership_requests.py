"""accounts: membership_request (comité membership is granted, not ticked; collège confirmation
on the same list); space.staff_reads (whether the coordination reads a collège-restricted space)

Memberships already granted stay. Members whose collège waits for confirmation get a pending
collège request, so that the coordination finds them on the one list of requests.

Revision ID: 1200
Revises: 1100
Create Date: 2026-12-06 09:00:00

"""
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa


revision = '1200'
down_revision = '1100'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('space') as batch:
        batch.add_column(sa.Column('staff_reads', sa.Boolean(), nullable=False, server_default=sa.true()))
    with op.batch_alter_table('space') as batch:
        batch.alter_column('staff_reads', existing_type=sa.Boolean(), server_default=None)
    op.create_table(
        'membership_request',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('member_id', sa.Integer(), nullable=False),
        sa.Column('space_id', sa.Integer(), nullable=True),
        sa.Column('college_id', sa.Integer(), nullable=True),
        sa.Column('message', sa.Text(), nullable=False),
        sa.Column('state', sa.String(length=20), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.Column('decided_at', sa.DateTime(), nullable=True),
        sa.Column('note', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_membership_request_member_id_member'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['space_id'], ['space.id'], name=op.f('fk_membership_request_space_id_space'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['college_id'], ['college.id'],
                                name=op.f('fk_membership_request_college_id_college'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['decided_by_id'], ['member.id'],
                                name=op.f('fk_membership_request_decided_by_id_member'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_membership_request')),
    )
    op.create_index(op.f('ix_membership_request_member_id'), 'membership_request', ['member_id'], unique=False)
    op.create_index(op.f('ix_membership_request_state'), 'membership_request', ['state'], unique=False)
    op.create_index('uq_membership_request_pending', 'membership_request', ['member_id', 'space_id'], unique=True,
                    sqlite_where=sa.text("state = 'pending' AND space_id IS NOT NULL"),
                    postgresql_where=sa.text("state = 'pending' AND space_id IS NOT NULL"))
    member = sa.table('member', sa.column('id', sa.Integer()), sa.column('college_id', sa.Integer()),
                      sa.column('college_confirmed', sa.Boolean()))
    request = sa.table('membership_request', sa.column('member_id', sa.Integer()),
                       sa.column('college_id', sa.Integer()), sa.column('message', sa.Text()),
                       sa.column('state', sa.String()), sa.column('created_at', sa.DateTime()),
                       sa.column('note', sa.Text()))
    connection = op.get_bind()
    moment = datetime.now(timezone.utc).replace(tzinfo=None)
    waiting = connection.execute(sa.select(member.c.id, member.c.college_id).where(
        member.c.college_confirmed.is_(sa.false()), member.c.college_id.is_not(None))).all()
    if waiting:
        connection.execute(request.insert(), [
            {"member_id": ident, "college_id": college, "message": "", "state": "pending", "created_at": moment,
             "note": ""} for ident, college in waiting])


def downgrade():
    op.drop_index('uq_membership_request_pending', table_name='membership_request')
    op.drop_index(op.f('ix_membership_request_state'), table_name='membership_request')
    op.drop_index(op.f('ix_membership_request_member_id'), table_name='membership_request')
    op.drop_table('membership_request')
    with op.batch_alter_table('space') as batch:
        batch.drop_column('staff_reads')
