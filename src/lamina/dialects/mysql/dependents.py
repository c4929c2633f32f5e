"""MySQL/MariaDB: the views and triggers a rename leaves naming what is gone.

MySQL changes a column under its views (a view is resolved each time it is read) and moves a
table's triggers with the table, so a type change needs nothing. But `RENAME TABLE` and
`RENAME COLUMN` rewrite no view and no trigger body: a view naming the old table fails at its
next read (`View ... references invalid table(s)`), a trigger naming it at the next write that
fires it (`Table '....User' doesn't exist`): on another table, or on the table itself.

`renamed_dependents` reads them before the migration (MySQL's DDL is not transactional: they
hold the old names) and gives each with the renamed names written anew
(`lamina.dialects.mysql.rename_rewrite`: through a table, an alias, NEW./OLD., or bare where the
query's tables tell which), to drop after the renames and create again at the end of the
migration. A view's definition as MySQL keeps it names every table as `database`.`table`: the
database's name is taken out (the migration runs in other databases). A bare name the rewrite
cannot be sure of is left as written, and the object says where (`Dependent.left_as_written`,
a warning of the migration). Not kept: the DEFINER (the migrating user's), a trigger's place
among triggers of the same event (it comes last).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from lamina.db.connection import Connection
from lamina.dialects.mysql.lexer import backquoted as _bq
from lamina.dialects.mysql.rename_rewrite import Renames, rewrite
from lamina.sql.steps import Dependent

_VIEWS = ("SELECT TABLE_NAME, VIEW_DEFINITION, CHECK_OPTION, SECURITY_TYPE FROM information_schema.VIEWS "
          "WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME")
_TRIGGERS = ("SELECT TRIGGER_NAME, EVENT_OBJECT_TABLE, ACTION_TIMING, EVENT_MANIPULATION, ACTION_STATEMENT "
             "FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() "
             "ORDER BY EVENT_OBJECT_TABLE, ACTION_TIMING, EVENT_MANIPULATION, ACTION_ORDER")
_COLUMNS = "SELECT TABLE_NAME, COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()"
_NO_RENAMES = Renames({}, {})


def _known_columns(conn: Connection) -> dict[str, frozenset[str]]:
    """The columns of each table and view, lower-case (MySQL compares column names so)."""
    known: dict[str, set[str]] = {}
    for table, column in conn.query(_COLUMNS):
        known.setdefault(str(table), set()).add(str(column).lower())
    return {table: frozenset(columns) for table, columns in known.items()}


def _view(name: str, definition: str, check: str, security: str) -> Dependent:
    check_option = f" WITH {check} CHECK OPTION" if check and check != "NONE" else ""
    return Dependent("view", name, None, None,
                     f"CREATE SQL SECURITY {security} VIEW {_bq(name)} AS {definition}{check_option}")


def _trigger(name: str, on: str, timing: str, event: str, body: str) -> Dependent:
    return Dependent("trigger", name, None, on, f"CREATE TRIGGER {_bq(name)} {timing} {event} ON {_bq(on)} FOR EACH ROW {body}")


def renamed_dependents(conn: Connection, tables: Mapping[str, str],
                       columns: Mapping[tuple[str, str], str]) -> tuple[Dependent, ...]:
    """The views and triggers of `conn` naming a table of `tables` (old -> new name) or a
    column of `columns` ((new table, old column) -> new column), in creation order (views, then
    triggers), with their definitions under the new names."""
    (database,), = conn.query("SELECT DATABASE()")
    renames, known = Renames(tables, columns), _known_columns(conn)
    out = []
    for name, definition, check, security in conn.query(_VIEWS):
        rewritten = rewrite(definition, renames, database, known)
        if rewritten.unsure or rewritten.sql != rewrite(definition, _NO_RENAMES, database, known).sql:
            out.append(replace(_view(name, rewritten.sql, check, security), left_as_written=rewritten.unsure))
    for name, table, timing, event, body in conn.query(_TRIGGERS):
        on = tables.get(table, table)
        rewritten = rewrite(body, renames, database, known, on)
        if rewritten.unsure or rewritten.sql != rewrite(body, _NO_RENAMES, database, known, on).sql:
            out.append(replace(_trigger(name, on, timing, event, rewritten.sql), left_as_written=rewritten.unsure))
    return tuple(out)


def views_and_triggers(conn: Connection) -> tuple[Dependent, ...]:
    """Every view and trigger of the database, views first (MySQL resolves a view when it is
    read: their order does not matter)."""
    (database,), = conn.query("SELECT DATABASE()")
    views = [_view(name, rewrite(definition, _NO_RENAMES, database, {}).sql, check, security)
             for name, definition, check, security in conn.query(_VIEWS)]
    return tuple(views) + tuple(_trigger(name, table, timing, event, body)
                                for name, table, timing, event, body in conn.query(_TRIGGERS))
