"""decisions: polls opened in topics, their options, voters and ballots (with the voter's own
history), outcomes and action items; space.decisions_opened_by

Revision ID: 1900
Revises: 1820
Create Date: 2026-12-06 15:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '1900'
down_revision = '1820'
branch_labels = None
depends_on = None


def _fk(table, column, target, ondelete=None):
    return sa.ForeignKeyConstraint([column], [f'{target}.id'], name=op.f(f'fk_{table}_{column}_{target}'),
                                   ondelete=ondelete)


def upgrade():
    with op.batch_alter_table('space') as batch:
        batch.add_column(sa.Column('decisions_opened_by', sa.String(length=20), nullable=False,
                                   server_default='writers'))
    op.create_table(
        'poll',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('topic_id', sa.Integer(), nullable=False),
        sa.Column('post_id', sa.Integer(), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('question', sa.String(length=300), nullable=False),
        sa.Column('min_choices', sa.Integer(), nullable=True),
        sa.Column('max_choices', sa.Integer(), nullable=True),
        sa.Column('max_score', sa.Integer(), nullable=True),
        sa.Column('closes_at', sa.DateTime(), nullable=False),
        sa.Column('results_mode', sa.String(length=20), nullable=False),
        sa.Column('anonymous', sa.Boolean(), nullable=False),
        sa.Column('reason_mode', sa.String(length=20), nullable=False),
        sa.Column('electorate_limited', sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column('quorum_voters', sa.Integer(), nullable=False),
        sa.Column('quorum_colleges', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('voted_at', sa.DateTime(), nullable=True),
        sa.Column('voter_count', sa.Integer(), nullable=False),
        sa.Column('closed_at', sa.DateTime(), nullable=True),
        sa.Column('closed_by_id', sa.Integer(), nullable=True),
        sa.Column('results', sa.JSON(), nullable=True),
        sa.Column('quorum_reached', sa.Boolean(), nullable=True),
        sa.Column('reminded_at', sa.DateTime(), nullable=True),
        _fk('poll', 'topic_id', 'topic', 'CASCADE'),
        _fk('poll', 'post_id', 'post', 'CASCADE'),
        _fk('poll', 'author_id', 'member'),
        _fk('poll', 'closed_by_id', 'member', 'SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_poll')),
        sa.UniqueConstraint('post_id', name=op.f('uq_poll_post_id')),
    )
    op.create_index(op.f('ix_poll_topic_id'), 'poll', ['topic_id'])
    op.create_index(op.f('ix_poll_closes_at'), 'poll', ['closes_at'])
    op.create_index(op.f('ix_poll_closed_at'), 'poll', ['closed_at'])
    op.create_table(
        'poll_option',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('poll_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('label', sa.String(length=200), nullable=False),
        _fk('poll_option', 'poll_id', 'poll', 'CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_poll_option')),
        sa.UniqueConstraint('poll_id', 'position', name='uq_poll_option_position'),
    )
    for name, column, target in (('poll_committee', 'committee_id', 'space'), ('poll_college', 'college_id', 'college')):
        op.create_table(
            name,
            sa.Column('poll_id', sa.Integer(), nullable=False),
            sa.Column(column, sa.Integer(), nullable=False),
            _fk(name, 'poll_id', 'poll', 'CASCADE'),
            _fk(name, column, target, 'CASCADE'),
            sa.PrimaryKeyConstraint('poll_id', column, name=op.f(f'pk_{name}')),
        )
    op.create_table(
        'poll_voter',
        sa.Column('poll_id', sa.Integer(), nullable=False),
        sa.Column('member_id', sa.Integer(), nullable=False),
        sa.Column('voted_at', sa.DateTime(), nullable=False),
        _fk('poll_voter', 'poll_id', 'poll', 'CASCADE'),
        _fk('poll_voter', 'member_id', 'member', 'CASCADE'),
        sa.PrimaryKeyConstraint('poll_id', 'member_id', name=op.f('pk_poll_voter')),
    )
    op.create_index(op.f('ix_poll_voter_member_id'), 'poll_voter', ['member_id'])
    op.create_table(
        'ballot',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('poll_id', sa.Integer(), nullable=False),
        sa.Column('member_id', sa.Integer(), nullable=True),
        sa.Column('college_id', sa.Integer(), nullable=True),
        sa.Column('choice', sa.JSON(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('reason_post_id', sa.Integer(), nullable=True),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('revision_count', sa.Integer(), nullable=False),
        _fk('ballot', 'poll_id', 'poll', 'CASCADE'),
        _fk('ballot', 'member_id', 'member', 'SET NULL'),
        _fk('ballot', 'college_id', 'college', 'SET NULL'),
        _fk('ballot', 'reason_post_id', 'post', 'SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_ballot')),
        sa.UniqueConstraint('poll_id', 'member_id', name='uq_ballot_poll_member'),
    )
    op.create_table(
        'ballot_revision',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('ballot_id', sa.Integer(), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('choice', sa.JSON(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        _fk('ballot_revision', 'ballot_id', 'ballot', 'CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_ballot_revision')),
    )
    op.create_index(op.f('ix_ballot_revision_ballot_id'), 'ballot_revision', ['ballot_id'])
    op.create_table(
        'outcome',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('poll_id', sa.Integer(), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=False),
        sa.Column('source', sa.Text(), nullable=False),
        sa.Column('html', sa.Text(), nullable=False),
        sa.Column('review_on', sa.Date(), nullable=True),
        sa.Column('review_notified_at', sa.DateTime(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('edited_at', sa.DateTime(), nullable=True),
        _fk('outcome', 'poll_id', 'poll', 'CASCADE'),
        _fk('outcome', 'author_id', 'member'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_outcome')),
        sa.UniqueConstraint('poll_id', name=op.f('uq_outcome_poll_id')),
    )
    op.create_table(
        'action_item',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('outcome_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('what', sa.String(length=300), nullable=False),
        sa.Column('assignee_id', sa.Integer(), nullable=True),
        sa.Column('assignee_name', sa.String(length=120), nullable=False),
        sa.Column('due_on', sa.Date(), nullable=True),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('reminded_at', sa.DateTime(), nullable=True),
        _fk('action_item', 'outcome_id', 'outcome', 'CASCADE'),
        _fk('action_item', 'assignee_id', 'member', 'SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_action_item')),
    )
    op.create_index(op.f('ix_action_item_outcome_id'), 'action_item', ['outcome_id'])
    op.create_index('ix_action_item_status_due', 'action_item', ['status', 'due_on'])


def downgrade():
    for table in ('action_item', 'outcome', 'ballot_revision', 'ballot', 'poll_voter', 'poll_college',
                  'poll_committee', 'poll_option', 'poll'):
        op.drop_table(table)
    if op.get_bind().dialect.name == 'sqlite':   # in place: see 1820
        op.execute('ALTER TABLE space DROP COLUMN decisions_opened_by')
    else:
        op.drop_column('space', 'decisions_opened_by')
