"""accounts: one row per logged-in browser (member_session) instead of one token per member;
when a member confirmed their address (the registration link works once)

Logging out now ends one session, and a copied cookie dies with it. The cookies of the old
format name no session: every member logs in once more after this upgrade.

Revision ID: 1000
Revises: 0900
Create Date: 2026-12-06 06:00:00

"""
import secrets

from alembic import op
import sqlalchemy as sa


revision = '1000'
down_revision = '0900'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'member_session',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('member_id', sa.Integer(), nullable=False),
        sa.Column('secret_hash', sa.String(length=64), nullable=False),
        sa.Column('device', sa.String(length=80), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('last_seen_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_member_session_member_id_member'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_member_session')),
    )
    op.create_index(op.f('ix_member_session_member_id'), 'member_session', ['member_id'], unique=False)
    with op.batch_alter_table('member') as batch:
        batch.drop_constraint(op.f('uq_member_session_token'), type_='unique')
        batch.drop_column('session_token')
        batch.add_column(sa.Column('email_confirmed_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('member') as batch:
        batch.drop_column('email_confirmed_at')
        batch.add_column(sa.Column('session_token', sa.String(length=64), nullable=True))
    member = sa.table('member', sa.column('id', sa.Integer()), sa.column('session_token', sa.String()))
    connection = op.get_bind()
    for (ident,) in connection.execute(sa.select(member.c.id)).all():
        connection.execute(member.update().where(member.c.id == ident)
                           .values(session_token=secrets.token_urlsafe(32)))
    with op.batch_alter_table('member') as batch:
        batch.alter_column('session_token', existing_type=sa.String(length=64), nullable=False)
        batch.create_unique_constraint(op.f('uq_member_session_token'), ['session_token'])
    op.drop_index(op.f('ix_member_session_member_id'), table_name='member_session')
    op.drop_table('member_session')
