"""docs/privacy.md stays true to the models: every column of ``member`` and every table that
refers to a member is named there."""
import os
import re

from forum import create_app
from forum.extensions import db

PAGE = os.path.join(os.path.dirname(__file__), "..", "..", "docs", "privacy.md")


def named():
    with open(PAGE, encoding="utf-8") as handle:
        return set(re.findall(r"`([a-z_]+)`", handle.read()))


def test_every_member_column_and_every_table_about_members_is_in_the_register(tmp_path):
    create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x"})   # every model loaded
    words = named()
    columns = {column.name for column in db.metadata.tables["member"].columns}
    assert columns - words == set()
    tables = {table.name for table in db.metadata.sorted_tables
              if any(fk.column.table.name == "member" for fk in table.foreign_keys)}
    assert len(tables) > 10
    assert tables - words == set()
