"""conversation attachments: a file joined to a private message follows its conversation

Revision ID: 2440
Revises: 2410
Create Date: 2026-12-09 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


revision = '2440'
down_revision = '2410'
branch_labels = None
depends_on = None


def upgrade():
    # Batch: SQLite adds a foreign key only by copying the table (no table references attachment).
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('conversation_message_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_attachment_conversation_message_id_conversation_message'),
                                    'conversation_message', ['conversation_message_id'], ['id'],
                                    ondelete='SET NULL')
        batch_op.create_index(batch_op.f('ix_attachment_conversation_message_id'), ['conversation_message_id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attachment_conversation_message_id'))
        batch_op.drop_constraint(batch_op.f('fk_attachment_conversation_message_id_conversation_message'),
                                 type_='foreignkey')
        batch_op.drop_column('conversation_message_id')
