"""announcement audience: an announcement's end on the home page, its comités, members' dismissals

Revision ID: 2410
Revises: 2430
Create Date: 2026-12-07 19:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


revision = '2410'
down_revision = '2430'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('topic', sa.Column('announced_until', sa.DateTime(), nullable=True))
    op.create_table('announcement_committee',
    sa.Column('topic_id', sa.Integer(), nullable=False),
    sa.Column('committee_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['committee_id'], ['space.id'], name=op.f('fk_announcement_committee_committee_id_space'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['topic_id'], ['topic.id'], name=op.f('fk_announcement_committee_topic_id_topic'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('topic_id', 'committee_id', name=op.f('pk_announcement_committee'))
    )
    op.create_table('announcement_dismissal',
    sa.Column('topic_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('dismissed_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_announcement_dismissal_member_id_member'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['topic_id'], ['topic.id'], name=op.f('fk_announcement_dismissal_topic_id_topic'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('topic_id', 'member_id', name=op.f('pk_announcement_dismissal'))
    )
    with op.batch_alter_table('announcement_dismissal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_announcement_dismissal_member_id'), ['member_id'], unique=False)
    # Announcements made before keep no end: they stay in their space and never reach the home page.


def downgrade():
    with op.batch_alter_table('announcement_dismissal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_announcement_dismissal_member_id'))
    op.drop_table('announcement_dismissal')
    op.drop_table('announcement_committee')
    # In place: SQLite's batch table copy would DROP the topic table that posts still reference.
    if op.get_bind().dialect.name == 'sqlite':   # SQLite >= 3.35 drops a column in place
        op.execute('ALTER TABLE topic DROP COLUMN announced_until')
    else:
        op.drop_column('topic', 'announced_until')
