"""moderation: withdrawn revisions (post_revision.redacted_at) and their originals, kept for appeal

Revision ID: 1600
Revises: 1500
Create Date: 2026-12-06 09:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '1600'
down_revision = '1500'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('post_revision') as batch:
        batch.add_column(sa.Column('redacted_at', sa.DateTime(), nullable=True))
        batch.add_column(sa.Column('redaction_reason', sa.String(length=20), nullable=True))
    op.create_table(
        'redacted_original',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('revision_id', sa.Integer(), nullable=False),
        sa.Column('post_id', sa.Integer(), nullable=False),
        sa.Column('source', sa.Text(), nullable=False),
        sa.Column('title', sa.String(length=300), nullable=True),
        sa.Column('reason', sa.String(length=20), nullable=False),
        sa.Column('redacted_by_id', sa.Integer(), nullable=True),
        sa.Column('by_author', sa.Boolean(), nullable=False),
        sa.Column('decision_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['revision_id'], ['post_revision.id'], name=op.f('fk_redacted_original_revision_id_post_revision'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['post_id'], ['post.id'], name=op.f('fk_redacted_original_post_id_post'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['redacted_by_id'], ['member.id'], name=op.f('fk_redacted_original_redacted_by_id_member'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['decision_id'], ['decision.id'], name=op.f('fk_redacted_original_decision_id_decision'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_redacted_original')),
        sa.UniqueConstraint('revision_id', name=op.f('uq_redacted_original_revision_id')),
    )
    op.create_index(op.f('ix_redacted_original_post_id'), 'redacted_original', ['post_id'], unique=False)
    op.create_index(op.f('ix_redacted_original_created_at'), 'redacted_original', ['created_at'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_redacted_original_created_at'), table_name='redacted_original')
    op.drop_index(op.f('ix_redacted_original_post_id'), table_name='redacted_original')
    op.drop_table('redacted_original')
    with op.batch_alter_table('post_revision') as batch:
        batch.drop_column('redaction_reason')
        batch.drop_column('redacted_at')
