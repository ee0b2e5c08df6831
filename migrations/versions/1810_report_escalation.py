"""moderation: space_settings.escalate_after_hours (a report waiting longer is sent on to the
coordination); report.escalated_at (when it was, so that a second run tells no one twice)

Revision ID: 1810
Revises: 1700
Create Date: 2026-12-06 12:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '1810'
down_revision = '1800'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('space_settings') as batch:
        batch.add_column(sa.Column('escalate_after_hours', sa.Integer(), nullable=False, server_default='48'))
    with op.batch_alter_table('report') as batch:
        batch.add_column(sa.Column('escalated_at', sa.DateTime(), nullable=True))


def downgrade():
    _drop_column('report', 'escalated_at')
    _drop_column('space_settings', 'escalate_after_hours')


def _drop_column(table, column):
    # In place: SQLite's batch table copy would DROP a table that other rows still reference.
    if op.get_bind().dialect.name == 'sqlite':   # SQLite >= 3.35 drops a column in place
        op.execute(f'ALTER TABLE {table} DROP COLUMN {column}')
    else:
        op.drop_column(table, column)
