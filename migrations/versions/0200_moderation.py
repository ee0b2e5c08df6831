"""moderation: reports, decisions citing the règlement, appeals, holds, settings, watched words, audit

Revision ID: 0200
Revises: 0100
Create Date: 2026-11-29 07:15:42.481467

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0200'
down_revision = '0100'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('space_settings',
    sa.Column('space_id', sa.Integer(), nullable=False),
    sa.Column('report_threshold', sa.Integer(), nullable=False),
    sa.Column('approve_first_posts', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['space_id'], ['space.id'], name=op.f('fk_space_settings_space_id_space'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['member.id'], name=op.f('fk_space_settings_updated_by_id_member'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('space_id', name=op.f('pk_space_settings'))
    )
    op.create_table('watched_word',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('phrase', sa.String(length=100), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['member.id'], name=op.f('fk_watched_word_created_by_id_member'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_watched_word')),
    sa.UniqueConstraint('phrase', name=op.f('uq_watched_word_phrase'))
    )
    op.create_table('decision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=30), nullable=False),
    sa.Column('moderator_id', sa.Integer(), nullable=True),
    sa.Column('member_id', sa.Integer(), nullable=True),
    sa.Column('space_id', sa.Integer(), nullable=True),
    sa.Column('topic_id', sa.Integer(), nullable=True),
    sa.Column('post_id', sa.Integer(), nullable=True),
    sa.Column('topic_title', sa.String(length=300), nullable=False),
    sa.Column('justification', sa.Text(), nullable=False),
    sa.Column('until', sa.DateTime(), nullable=True),
    sa.Column('minutes', sa.Integer(), nullable=True),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('reverses_id', sa.Integer(), nullable=True),
    sa.Column('reversed_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_decision_member_id_member'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['moderator_id'], ['member.id'], name=op.f('fk_decision_moderator_id_member'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['post_id'], ['post.id'], name=op.f('fk_decision_post_id_post'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['reversed_by_id'], ['decision.id'], name=op.f('fk_decision_reversed_by_id_decision'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['reverses_id'], ['decision.id'], name=op.f('fk_decision_reverses_id_decision'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['space_id'], ['space.id'], name=op.f('fk_decision_space_id_space'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['topic_id'], ['topic.id'], name=op.f('fk_decision_topic_id_topic'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decision'))
    )
    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.create_index('ix_decision_member_created', ['member_id', 'created_at'], unique=False)
        batch_op.create_index('ix_decision_post', ['post_id'], unique=False)
        batch_op.create_index('ix_decision_space_created', ['space_id', 'created_at'], unique=False)

    op.create_table('appeal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('decision_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.Column('resolved_by_id', sa.Integer(), nullable=True),
    sa.Column('response', sa.Text(), nullable=False),
    sa.Column('outcome_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['decision_id'], ['decision.id'], name=op.f('fk_appeal_decision_id_decision'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_appeal_member_id_member'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['outcome_id'], ['decision.id'], name=op.f('fk_appeal_outcome_id_decision'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['resolved_by_id'], ['member.id'], name=op.f('fk_appeal_resolved_by_id_member'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appeal')),
    sa.UniqueConstraint('decision_id', name=op.f('uq_appeal_decision_id'))
    )
    with op.batch_alter_table('appeal', schema=None) as batch_op:
        batch_op.create_index('ix_appeal_status', ['status'], unique=False)

    op.create_table('audit_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('target_type', sa.String(length=20), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=True),
    sa.Column('space_id', sa.Integer(), nullable=True),
    sa.Column('decision_id', sa.Integer(), nullable=True),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['member.id'], name=op.f('fk_audit_entry_actor_id_member'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['decision_id'], ['decision.id'], name=op.f('fk_audit_entry_decision_id_decision'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['space_id'], ['space.id'], name=op.f('fk_audit_entry_space_id_space'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entry'))
    )
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.create_index('ix_audit_entry_created', ['created_at'], unique=False)

    op.create_table('decision_article',
    sa.Column('decision_id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('charter_version', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['charter_article.id'], name=op.f('fk_decision_article_article_id_charter_article'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['decision_id'], ['decision.id'], name=op.f('fk_decision_article_decision_id_decision'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('decision_id', 'article_id', name=op.f('pk_decision_article'))
    )
    op.create_table('post_hold',
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=20), nullable=False),
    sa.Column('decision_id', sa.Integer(), nullable=True),
    sa.Column('articles', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['decision_id'], ['decision.id'], name=op.f('fk_post_hold_decision_id_decision'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['post_id'], ['post.id'], name=op.f('fk_post_hold_post_id_post'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('post_id', name=op.f('pk_post_hold'))
    )
    op.create_table('report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('reporter_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.String(length=20), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=True),
    sa.Column('article_number', sa.Integer(), nullable=True),
    sa.Column('charter_version', sa.Integer(), nullable=True),
    sa.Column('detail', sa.String(length=300), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('decision_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['article_id'], ['charter_article.id'], name=op.f('fk_report_article_id_charter_article'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['decision_id'], ['decision.id'], name=op.f('fk_report_decision_id_decision'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['post_id'], ['post.id'], name=op.f('fk_report_post_id_post'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reporter_id'], ['member.id'], name=op.f('fk_report_reporter_id_member'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report'))
    )
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.create_index('ix_report_status_post', ['status', 'post_id'], unique=False)
        batch_op.create_index('uq_report_open_per_member', ['post_id', 'reporter_id'], unique=True, sqlite_where=sa.text("status = 'open'"), postgresql_where=sa.text("status = 'open'"))

    op.create_table('topic_slow_mode',
    sa.Column('topic_id', sa.Integer(), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('decision_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['decision_id'], ['decision.id'], name=op.f('fk_topic_slow_mode_decision_id_decision'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['topic_id'], ['topic.id'], name=op.f('fk_topic_slow_mode_topic_id_topic'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('topic_id', name=op.f('pk_topic_slow_mode'))
    )


def downgrade():
    op.drop_table('topic_slow_mode')
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.drop_index('uq_report_open_per_member', sqlite_where=sa.text("status = 'open'"), postgresql_where=sa.text("status = 'open'"))
        batch_op.drop_index('ix_report_status_post')

    op.drop_table('report')
    op.drop_table('post_hold')
    op.drop_table('decision_article')
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_entry_created')

    op.drop_table('audit_entry')
    with op.batch_alter_table('appeal', schema=None) as batch_op:
        batch_op.drop_index('ix_appeal_status')

    op.drop_table('appeal')
    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.drop_index('ix_decision_space_created')
        batch_op.drop_index('ix_decision_post')
        batch_op.drop_index('ix_decision_member_created')

    op.drop_table('decision')
    op.drop_table('watched_word')
    op.drop_table('space_settings')
