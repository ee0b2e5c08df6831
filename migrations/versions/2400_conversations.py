"""conversations: private conversations, group inboxes, their readers and reports

Revision ID: 2400
Revises: 2340
Create Date: 2026-12-07 19:15:35.353012

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '2400'
down_revision = '2340'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('conversation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('group', sa.String(length=20), nullable=True),
    sa.Column('committee_id', sa.Integer(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_message_at', sa.DateTime(), nullable=False),
    sa.Column('message_count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['member.id'], name=op.f('fk_conversation_author_id_member')),
    sa.ForeignKeyConstraint(['committee_id'], ['space.id'], name=op.f('fk_conversation_committee_id_space'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conversation'))
    )
    op.create_table('conversation_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('html', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['member.id'], name=op.f('fk_conversation_message_author_id_member')),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversation.id'], name=op.f('fk_conversation_message_conversation_id_conversation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conversation_message')),
    sa.UniqueConstraint('conversation_id', 'number', name=op.f('uq_conversation_message_conversation_id'))
    )
    op.create_table('conversation_participant',
    sa.Column('conversation_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('added_at', sa.DateTime(), nullable=False),
    sa.Column('last_read_number', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversation.id'], name=op.f('fk_conversation_participant_conversation_id_conversation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_conversation_participant_member_id_member'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('conversation_id', 'member_id', name=op.f('pk_conversation_participant'))
    )
    with op.batch_alter_table('conversation_participant', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_conversation_participant_member_id'), ['member_id'], unique=False)

    op.create_table('group_read',
    sa.Column('conversation_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('last_read_number', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversation.id'], name=op.f('fk_group_read_conversation_id_conversation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_group_read_member_id_member'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('conversation_id', 'member_id', name=op.f('pk_group_read'))
    )
    op.create_table('conversation_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=False),
    sa.Column('reporter_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['message_id'], ['conversation_message.id'], name=op.f('fk_conversation_report_message_id_conversation_message'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reporter_id'], ['member.id'], name=op.f('fk_conversation_report_reporter_id_member'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conversation_report'))
    )
    with op.batch_alter_table('conversation_report', schema=None) as batch_op:
        batch_op.create_index('ix_conversation_report_state', ['state'], unique=False)



def downgrade():
    with op.batch_alter_table('conversation_report', schema=None) as batch_op:
        batch_op.drop_index('ix_conversation_report_state')

    op.drop_table('conversation_report')
    op.drop_table('group_read')
    with op.batch_alter_table('conversation_participant', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_conversation_participant_member_id'))

    op.drop_table('conversation_participant')
    op.drop_table('conversation_message')
    op.drop_table('conversation')
