"""core schema: members, spaces, topics, posts, charter

Revision ID: 0001
Revises: 
Create Date: 2026-11-29 06:56:23.934543

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('charter_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('preamble', sa.Text(), nullable=False),
    sa.Column('preamble_html', sa.Text(), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_charter_version')),
    sa.UniqueConstraint('number', name=op.f('uq_charter_version_number'))
    )
    op.create_table('college',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('sensitive', sa.Boolean(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_college')),
    sa.UniqueConstraint('slug', name=op.f('uq_college_slug'))
    )
    op.create_table('space',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=60), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('department', sa.String(length=3), nullable=True),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('visibility', sa.String(length=20), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('topic_count', sa.Integer(), nullable=False),
    sa.Column('post_count', sa.Integer(), nullable=False),
    sa.Column('last_post_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_space')),
    sa.UniqueConstraint('slug', name=op.f('uq_space_slug'))
    )
    op.create_table('tag',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=60), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('topic_count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tag')),
    sa.UniqueConstraint('slug', name=op.f('uq_tag_slug'))
    )
    op.create_table('charter_article',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('html', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['version_id'], ['charter_version.id'], name=op.f('fk_charter_article_version_id_charter_version'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_charter_article')),
    sa.UniqueConstraint('version_id', 'number', name='uq_charter_article_version_number')
    )
    op.create_table('member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pseudonym', sa.String(length=40), nullable=False),
    sa.Column('pseudonym_key', sa.String(length=40), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('college_id', sa.Integer(), nullable=True),
    sa.Column('college_confirmed', sa.Boolean(), nullable=False),
    sa.Column('show_college', sa.Boolean(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('locale', sa.String(length=5), nullable=True),
    sa.Column('bio', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(), nullable=True),
    sa.Column('convention_signed_at', sa.DateTime(), nullable=True),
    sa.Column('session_token', sa.String(length=64), nullable=False),
    sa.Column('silenced_until', sa.DateTime(), nullable=True),
    sa.Column('suspended_until', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['college_id'], ['college.id'], name=op.f('fk_member_college_id_college'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_member')),
    sa.UniqueConstraint('email', name=op.f('uq_member_email')),
    sa.UniqueConstraint('pseudonym_key', name=op.f('uq_member_pseudonym_key')),
    sa.UniqueConstraint('session_token', name=op.f('uq_member_session_token'))
    )
    op.create_table('space_college_access',
    sa.Column('space_id', sa.Integer(), nullable=False),
    sa.Column('college_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['college_id'], ['college.id'], name=op.f('fk_space_college_access_college_id_college'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['space_id'], ['space.id'], name=op.f('fk_space_college_access_space_id_space'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('space_id', 'college_id', name=op.f('pk_space_college_access'))
    )
    op.create_table('space_committee_access',
    sa.Column('space_id', sa.Integer(), nullable=False),
    sa.Column('committee_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['committee_id'], ['space.id'], name=op.f('fk_space_committee_access_committee_id_space'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['space_id'], ['space.id'], name=op.f('fk_space_committee_access_space_id_space'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('space_id', 'committee_id', name=op.f('pk_space_committee_access'))
    )
    op.create_table('charter_acceptance',
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('accepted_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_charter_acceptance_member_id_member'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['version_id'], ['charter_version.id'], name=op.f('fk_charter_acceptance_version_id_charter_version'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('member_id', 'version_id', name=op.f('pk_charter_acceptance'))
    )
    op.create_table('committee_membership',
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('space_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_committee_membership_member_id_member'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['space_id'], ['space.id'], name=op.f('fk_committee_membership_space_id_space'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('member_id', 'space_id', name=op.f('pk_committee_membership'))
    )
    op.create_table('space_moderator',
    sa.Column('space_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_space_moderator_member_id_member'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['space_id'], ['space.id'], name=op.f('fk_space_moderator_space_id_space'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('space_id', 'member_id', name=op.f('pk_space_moderator'))
    )
    op.create_table('topic',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('space_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('pinned', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_post_at', sa.DateTime(), nullable=False),
    sa.Column('last_post_author_id', sa.Integer(), nullable=True),
    sa.Column('last_number', sa.Integer(), nullable=False),
    sa.Column('last_post_number', sa.Integer(), nullable=False),
    sa.Column('reply_count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['member.id'], name=op.f('fk_topic_author_id_member')),
    sa.ForeignKeyConstraint(['last_post_author_id'], ['member.id'], name=op.f('fk_topic_last_post_author_id_member')),
    sa.ForeignKeyConstraint(['space_id'], ['space.id'], name=op.f('fk_topic_space_id_space')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_topic'))
    )
    with op.batch_alter_table('topic', schema=None) as batch_op:
        batch_op.create_index('ix_topic_last_post', ['last_post_at'], unique=False)
        batch_op.create_index('ix_topic_space_last_post', ['space_id', 'last_post_at'], unique=False)

    op.create_table('post',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('topic_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('depth', sa.Integer(), nullable=False),
    sa.Column('path', sa.String(length=2000), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('html', sa.Text(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('edited_at', sa.DateTime(), nullable=True),
    sa.Column('revision_count', sa.Integer(), nullable=False),
    sa.Column('state_changed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['member.id'], name=op.f('fk_post_author_id_member')),
    sa.ForeignKeyConstraint(['parent_id'], ['post.id'], name=op.f('fk_post_parent_id_post')),
    sa.ForeignKeyConstraint(['topic_id'], ['topic.id'], name=op.f('fk_post_topic_id_topic'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_post')),
    sa.UniqueConstraint('topic_id', 'number', name='uq_post_topic_number')
    )
    with op.batch_alter_table('post', schema=None) as batch_op:
        batch_op.create_index('ix_post_author_created', ['author_id', 'created_at'], unique=False)
        batch_op.create_index('ix_post_created', ['created_at'], unique=False)
        batch_op.create_index('ix_post_topic_path', ['topic_id', 'path'], unique=False)

    op.create_table('topic_read',
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('topic_id', sa.Integer(), nullable=False),
    sa.Column('last_read_number', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_topic_read_member_id_member'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['topic_id'], ['topic.id'], name=op.f('fk_topic_read_topic_id_topic'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('member_id', 'topic_id', name=op.f('pk_topic_read'))
    )
    with op.batch_alter_table('topic_read', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_topic_read_topic_id'), ['topic_id'], unique=False)

    op.create_table('topic_tag',
    sa.Column('topic_id', sa.Integer(), nullable=False),
    sa.Column('tag_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tag_id'], ['tag.id'], name=op.f('fk_topic_tag_tag_id_tag'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['topic_id'], ['topic.id'], name=op.f('fk_topic_tag_topic_id_topic'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('topic_id', 'tag_id', name=op.f('pk_topic_tag'))
    )
    with op.batch_alter_table('topic_tag', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_topic_tag_tag_id'), ['tag_id'], unique=False)

    op.create_table('post_revision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=True),
    sa.Column('editor_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['editor_id'], ['member.id'], name=op.f('fk_post_revision_editor_id_member')),
    sa.ForeignKeyConstraint(['post_id'], ['post.id'], name=op.f('fk_post_revision_post_id_post'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_post_revision')),
    sa.UniqueConstraint('post_id', 'number', name='uq_post_revision_post_number')
    )


def downgrade():
    op.drop_table('post_revision')
    with op.batch_alter_table('topic_tag', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_topic_tag_tag_id'))

    op.drop_table('topic_tag')
    with op.batch_alter_table('topic_read', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_topic_read_topic_id'))

    op.drop_table('topic_read')
    with op.batch_alter_table('post', schema=None) as batch_op:
        batch_op.drop_index('ix_post_topic_path')
        batch_op.drop_index('ix_post_created')
        batch_op.drop_index('ix_post_author_created')

    op.drop_table('post')
    with op.batch_alter_table('topic', schema=None) as batch_op:
        batch_op.drop_index('ix_topic_space_last_post')
        batch_op.drop_index('ix_topic_last_post')

    op.drop_table('topic')
    op.drop_table('space_moderator')
    op.drop_table('committee_membership')
    op.drop_table('charter_acceptance')
    op.drop_table('space_committee_access')
    op.drop_table('space_college_access')
    op.drop_table('member')
    op.drop_table('charter_article')
    op.drop_table('tag')
    op.drop_table('space')
    op.drop_table('college')
    op.drop_table('charter_version')
