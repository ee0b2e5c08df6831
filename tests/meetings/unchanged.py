"""Every row of every table, to prove that a refusal changed nothing."""
from sqlalchemy import text as sql

from forum.extensions import db

# Columns a request may touch while refusing: the time a member or a session was last seen.
VOLATILE = {("member", "last_seen_at"), ("member_session", "last_seen_at")}


def snapshot(app):
    rows = {}
    with app.app_context():
        for table in db.metadata.sorted_tables:
            columns = [c.name for c in table.columns if (table.name, c.name) not in VOLATILE]
            quoted = ", ".join(f'"{name}"' for name in columns)
            rows[table.name] = sorted(db.session.execute(sql(f'SELECT {quoted} FROM "{table.name}"')).all(), key=repr)
        db.session.remove()
    return rows
