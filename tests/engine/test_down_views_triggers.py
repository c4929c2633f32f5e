"""The verification of a down migration covers the views and triggers, which the described
schema does not hold: a down after which one differs is refused, and one the up loses is
created again by the down, on every database."""

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


def _verify(provider: str, request, hand_made: str):
    """`verify` of the up adding `User.bio`, with `hand_made` (SQL quoted with `"`) at the end
    of the up as a hand edit would put it, on a database holding `BEFORE` and the view."""
    url = request.getfixturevalue({"sqlite": "sqlite_url", "postgresql": "postgres_url", "mysql": "mysql_url"}[provider])
    dialect = get_dialect(provider)

    def sql(text: str) -> str:
        return text.replace('"', "`") if provider == "mysql" else text

    with connect(url, create=True) as conn:
        def describe(c):
            return describe_connection(c.raw, provider, None)

        run_script(conn, dialect.render_script(diff(EMPTY, schema_of(BEFORE % provider, provider), dialect)))
        conn.execute(sql(VIEW))
        up = diff(describe(conn), schema_of(AFTER % provider, provider), dialect)
        return verify(conn, describe, "bio", up, dialect.render_script(up) + sql(hand_made), dialect, [])


@pytest.mark.parametrize("provider", ["sqlite", "postgresql", "mysql"])
def test_a_down_that_leaves_a_view_changed_is_refused(provider, request):
    with pytest.raises(LaminaError, match=r"views and triggers .* differ .*: the view `UserInfo` has another definition\."):
        _verify(provider, request, 'DROP VIEW "UserInfo";\nCREATE VIEW "UserInfo" AS SELECT "id" FROM "User";\n')


@pytest.mark.parametrize("provider", ["sqlite", "postgresql", "mysql"])
def test_a_view_the_up_loses_is_created_again_by_the_down(provider, request):
    verified = _verify(provider, request, 'DROP VIEW "UserInfo";\n')
    assert verified.text.split("-- CreateViewsAndTriggers\n", 1)[1].startswith(
        {"sqlite": 'CREATE VIEW "UserInfo" AS SELECT "id", "email" FROM "User";\n',
         "postgresql": 'CREATE VIEW "UserInfo" AS\nSELECT "User".id,\n    "User".email\n   FROM "User";\n',
         "mysql": "CREATE SQL SECURITY DEFINER VIEW `UserInfo` AS select `User`.`id` AS `id`,`User`.`email` AS `email` "
                  "from `User`;\n"}[provider])


@pytest.mark.parametrize("hand_made", ['GRANT SELECT ON "UserInfo" TO PUBLIC;\n',
                                       """COMMENT ON COLUMN "UserInfo"."email" IS 'where to write';\n"""])
def test_a_down_that_leaves_a_view_grant_or_comment_changed_is_refused(hand_made, request):
    """PostgreSQL: a view's grants and comments (which `migrate dev` gives back to a view it
    drops and creates again) must come back too."""
    with pytest.raises(LaminaError, match=r"views and triggers .* differ .*: the view `UserInfo` has another definition\."):
        _verify("postgresql", request, hand_made)
