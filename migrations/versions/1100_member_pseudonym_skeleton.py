"""accounts: member.pseudonym_skeleton, what a pseudonym looks like (look-alikes are refused)

Revision ID: 1100
Revises: 1000
Create Date: 2026-12-02 10:00:00

"""
from alembic import op
import sqlalchemy as sa

from forum.text.pseudonyms import pseudonym_skeleton


revision = '1100'
down_revision = '1000'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('member', sa.Column('pseudonym_skeleton', sa.Text(), nullable=True))
    connection = op.get_bind()
    member = sa.table('member', sa.column('id', sa.Integer), sa.column('pseudonym', sa.String),
                      sa.column('pseudonym_skeleton', sa.Text))
    # Look-alikes registered before the rule keep their names; the earliest of each group holds
    # the skeleton (so new look-alikes of any of them are still refused), the later ones none:
    # the unique index below allows several empty skeletons (on SQLite and PostgreSQL alike).
    taken = set()
    rows = connection.execute(sa.select(member.c.id, member.c.pseudonym).order_by(member.c.id))
    for member_id, pseudonym in rows.all():
        skeleton = pseudonym_skeleton(pseudonym)
        if skeleton in taken:
            continue
        taken.add(skeleton)
        connection.execute(member.update().where(member.c.id == member_id)
                           .values(pseudonym_skeleton=skeleton))
    op.create_index(op.f('ix_member_pseudonym_skeleton'), 'member', ['pseudonym_skeleton'], unique=True)


def downgrade():
    op.drop_index(op.f('ix_member_pseudonym_skeleton'), table_name='member')
    op.drop_column('member', 'pseudonym_skeleton')
