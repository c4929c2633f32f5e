"""MySQL/MariaDB: the views and triggers a rename leaves naming what is gone.

MySQL changes a column under its views (a view is resolved each time it is read) and moves a
table's triggers with the table, so a type change needs nothing. But `RENAME TABLE` and
`RENAME COLUMN` rewrite no view and no trigger body: a view naming the old table fails at its
next read (`View ... references invalid table(s)`), a trigger naming it at the next write that
fires it (`Table '....User' doesn't exist`): on another table, or on the table itself.

`renamed_dependents` reads them before the migration (MySQL's DDL is not transactional: they
hold the old names) and gives each with the renamed names written anew, to drop after the
renames and create again at the end of the migration. A definition is rewritten token by token,
outside string literals: an identifier not after a `.` naming a renamed table; a column after
`table.` (or `NEW.`/`OLD.` in a trigger on the table) naming a renamed column. A view's
definition as MySQL keeps it names every table as `database`.`table` and every column through
its table or alias: the database's name is taken out (the migration runs in other databases).
Not rewritten: a renamed column named without its table, or through an alias. Not kept: the
DEFINER (the migrating user's), a trigger's place among triggers of the same event (it comes
last).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from lamina.db.connection import Connection
from lamina.sql.steps import Dependent

_TOKEN = re.compile(r"`((?:[^`]|``)*)`|('(?:[^'\\]|\\.|'')*'|\"(?:[^\"\\]|\\.|\"\")*\")|([A-Za-z_$][\w$]*)|(\s+|.)",
                    re.S)

_VIEWS = ("SELECT TABLE_NAME, VIEW_DEFINITION, CHECK_OPTION, SECURITY_TYPE FROM information_schema.VIEWS "
          "WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME")
_TRIGGERS = ("SELECT TRIGGER_NAME, EVENT_OBJECT_TABLE, ACTION_TIMING, EVENT_MANIPULATION, ACTION_STATEMENT "
             "FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() "
             "ORDER BY EVENT_OBJECT_TABLE, ACTION_TIMING, EVENT_MANIPULATION, ACTION_ORDER")


def _bq(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def _rewrite(sql: str, tables: Mapping[str, str], columns: Mapping[tuple[str, str], str], database: str,
             on: str | None = None) -> str:
    """`sql` with the renamed tables and columns named anew and `database`. qualifiers left out.
    `on`: the (new) table of a trigger, whose NEW. and OLD. name its columns."""
    tokens = [(m.group(0), m.group(1).replace("``", "`") if m.group(1) is not None else m.group(3))
              for m in _TOKEN.finditer(sql)]
    out: list[str] = []
    i = 0
    while i < len(tokens):
        text, ident = tokens[i]
        after_dot = bool(out) and out[-1] == "."
        if ident == database and not after_dot and i + 1 < len(tokens) and tokens[i + 1][0] == ".":
            i += 2  # `database`.
            continue
        if ident is not None and after_dot:
            owner = _identifier_before_dot(tokens, i)
            if owner is None:
                table = None
            elif owner.upper() in ("NEW", "OLD"):
                table = on
            else:
                table = tables.get(owner, owner)
            if table is not None and (table, ident) in columns:
                text = _bq(columns[(table, ident)])
        elif ident is not None and ident in tables:
            text = _bq(tables[ident])
        out.append(text)
        i += 1
    return "".join(out)


def _identifier_before_dot(tokens: list[tuple[str, str | None]], i: int) -> str | None:
    """The identifier before the `.` before token `i` (the table, alias or NEW/OLD of a column)."""
    return tokens[i - 2][1] if i >= 2 and tokens[i - 1][0] == "." else None


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
    out = []
    for name, definition, check, security in conn.query(_VIEWS):
        rewritten = _rewrite(definition, tables, columns, database)
        if rewritten != _rewrite(definition, {}, {}, database):  # it names a renamed table or column
            out.append(_view(name, rewritten, check, security))
    for name, table, timing, event, body in conn.query(_TRIGGERS):
        on = tables.get(table, table)
        rewritten = _rewrite(body, tables, columns, database, on)
        if rewritten != _rewrite(body, {}, {}, database, on):
            out.append(_trigger(name, on, timing, event, rewritten))
    return tuple(out)


def views_and_triggers(conn: Connection) -> tuple[Dependent, ...]:
    """Every view and trigger of the database, views first (MySQL resolves a view when it is
    read: their order does not matter)."""
    (database,), = conn.query("SELECT DATABASE()")
    views = [_view(name, _rewrite(definition, {}, {}, database), check, security)
             for name, definition, check, security in conn.query(_VIEWS)]
    return tuple(views) + tuple(_trigger(name, table, timing, event, body)
                                for name, table, timing, event, body in conn.query(_TRIGGERS))
