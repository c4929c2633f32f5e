"""The verification of a down migration covers the views and triggers, which the described
schema does not hold: a down after which one is missing is refused, on every database."""

from __future__ import annotations

import pytest

from lamina.db.connection import connect
from lamina.dialects import get_dialect
from lamina.errors import LaminaError
from lamina.migrate.diff_sources import describe_connection
from lamina.migrate.down import run_script, verify
from lamina.sql.diff import diff
from tests.engine.helpers import EMPTY, schema_of

BEFORE = """
datasource db {
  provider = "%s"
}

model User {
  id    Int     @id
  email String
}
"""
AFTER = BEFORE.replace("  email String\n", "  email String\n  bio   String?\n")
VIEW = 'CREATE VIEW "UserInfo" AS SELECT "id", "email" FROM "User"'


@pytest.mark.parametrize("provider", ["sqlite", "postgresql", "mysql"])
def test_a_down_that_does_not_bring_back_a_view_is_refused(provider, request):
    url = request.getfixturevalue({"sqlite": "sqlite_url", "postgresql": "postgres_url", "mysql": "mysql_url"}[provider])
    dialect = get_dialect(provider)
    view = VIEW.replace('"', "`") if provider == "mysql" else VIEW
    with connect(url, create=True) as conn:
        def describe(c):
            return describe_connection(c.raw, provider, None)

        run_script(conn, dialect.render_script(diff(EMPTY, schema_of(BEFORE % provider, provider), dialect)))
        conn.execute(view)
        up = diff(describe(conn), schema_of(AFTER % provider, provider), dialect)
        # An up that drops the view (as a hand edit would): the down computed from the schemas
        # round-trips the table, not the view.
        up_script = dialect.render_script(up) + ("DROP VIEW `UserInfo`;\n" if provider == "mysql" else
                                                 'DROP VIEW "UserInfo";\n')
        with pytest.raises(LaminaError, match=r"views and triggers .* differ .*: the view `UserInfo` is missing\."):
            verify(conn, describe, "bio", up, up_script, dialect, [])
