"""Database views for `db pull` (`previewFeatures = ["views"]`), as Prisma 7.10.1 pulls them.

Observed with its CLI on PostgreSQL and SQLite (MySQL: its engine's MySQL describer, same rules):
- Each view becomes a `view` block after the models: its columns as fields, in column order,
  typed like table columns. PostgreSQL and SQLite report every view column as nullable, so a
  field is optional unless the previous schema made it required (that arity is kept); MySQL
  reports nullability, which is used. Materialized views are left out. Views come in the
  order the database lists them (PostgreSQL: creation order; SQLite, MySQL: by name), previous
  ones first.
- Kept from the previous `view` block: its name (`@@map`), field names (`@map`), `@unique`,
  `@@unique`, relation fields, `@ignore`/`@@ignore` and documentation; the warnings list the
  `@map`s and `@@map`s as they do for models ("View: ..." lines). No identifier is required.
- Each view's SQL goes to `<views folder>/<schema>/<View name>.sql` (`public`, `main` or the
  MySQL database), laid out by `view_sql` with no final newline. The folder is `views/` beside
  the schema, or the `views.path` of the project settings. Files of views that are gone are
  deleted, and folders left empty; other files stay. `--print` writes the files too.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from lamina.sql.schema import Column, ColumnArity, Table


@dataclass(frozen=True)
class DbView:
    table: Table  # name, namespace (None for the default one) and columns
    schema: str  # the schema the view lives in, for its folder: "public", "main", the MySQL database
    definition: str  # the query, as laid out in its .sql file


# ---------------------------------------------------------------- describe

_PG_VIEWS = """
SELECT c.oid, n.nspname, c.relname, obj_description(c.oid, 'pg_class'),
       a.attnum, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
       NULL::text, a.attidentity, a.attgenerated,
       t.typtype, t.typname, et.typtype, et.typname, t.typcategory = 'A',
       col_description(c.oid, a.attnum),
       format_type(CASE WHEN t.typcategory = 'A' THEN t.typelem ELSE a.atttypid END, a.atttypmod),
       pg_get_viewdef(c.oid)
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_type et ON et.oid = t.typelem AND t.typcategory = 'A'
WHERE n.nspname = ANY(%(names)s) AND c.relkind = 'v'
ORDER BY c.oid, a.attnum
"""

_MYSQL_VIEWS = """
SELECT v.TABLE_NAME, v.VIEW_DEFINITION, c.COLUMN_NAME, c.COLUMN_TYPE, c.IS_NULLABLE
FROM information_schema.VIEWS v
JOIN information_schema.COLUMNS c ON c.TABLE_SCHEMA = v.TABLE_SCHEMA AND c.TABLE_NAME = v.TABLE_NAME
WHERE v.TABLE_SCHEMA = %s
ORDER BY v.TABLE_NAME, c.ORDINAL_POSITION
"""


def describe_views(conn: Any, provider: str, schemas: list[str] | None = None) -> list[DbView]:
    """The views of the database a `lamina.db` connection points at (PostgreSQL: its schema, or
    the datasource's `schemas`), in the order the database lists them (PostgreSQL: creation order; SQLite, MySQL: by name)."""
    if provider == "postgresql":
        return _postgres_views(conn.raw, schemas or [conn.url.schema or "public"], bool(schemas))
    if provider == "sqlite":
        return _sqlite_views(conn.raw)
    return _mysql_views(conn.raw)


def _postgres_views(raw: Any, names: list[str], explicit: bool) -> list[DbView]:
    from lamina.dialects.postgres.describe import _column
    from lamina.introspect.view_sql import format_view_sql

    current = raw.execute("SELECT current_schema()").fetchone()[0]
    default_ns = None if explicit else (current if current in names else names[0])
    by_oid: dict[int, dict[str, Any]] = {}
    for row in raw.execute(_PG_VIEWS, {"names": list(names)}).fetchall():
        view = by_oid.setdefault(row[0], {"schema": row[1], "name": row[2], "comment": row[3], "definition": row[-1],
                                          "columns": []})
        view["columns"].append(_column(row[:-1]))
    return [
        DbView(Table(v["name"], tuple(v["columns"]), namespace=None if v["schema"] == default_ns else v["schema"],
                     description=v["comment"]),
               v["schema"], format_view_sql(v["definition"]))
        for v in by_oid.values()
    ]


def _sqlite_views(raw: Any) -> list[DbView]:
    from lamina.dialects.sqlite.describe import sqlite_family
    from lamina.introspect.view_sql import format_view_sql, sqlite_view_query

    out = []
    views = raw.execute("SELECT name, sql FROM sqlite_master WHERE type = 'view' ORDER BY name").fetchall()
    for name, sql in views:
        rows = raw.execute("SELECT name, type FROM pragma_table_info(?) ORDER BY cid", (name,)).fetchall()
        columns = tuple(Column(col, (declared or "").upper(), ColumnArity.NULLABLE, family=sqlite_family((declared or "").upper()))
                        for col, declared in rows)
        out.append(DbView(Table(name, columns), "main", format_view_sql(sqlite_view_query(sql or ""))))
    return out


def _mysql_views(raw: Any) -> list[DbView]:
    from lamina.dialects.mysql.describe import normalise_type
    from lamina.introspect.view_sql import format_view_sql

    cur = raw.cursor()
    cur.execute("SELECT DATABASE()")
    database = cur.fetchall()[0][0]
    cur.execute(_MYSQL_VIEWS, (database,))
    by_name: dict[str, dict[str, Any]] = {}
    for name, definition, column, column_type, nullable in cur.fetchall():
        view = by_name.setdefault(name, {"definition": definition or "", "columns": []})
        ddl, family = normalise_type(column_type)
        if family == "Enum":
            family = f"Enum:{name}_{column}"
        view["columns"].append(Column(column, ddl, ColumnArity.NULLABLE if nullable == "YES" else ColumnArity.REQUIRED,
                                      family=family))
    return [DbView(Table(name, tuple(v["columns"])), database, format_view_sql(v["definition"]))
            for name, v in sorted(by_name.items())]


def keeps_previous_arity(provider: str) -> bool:
    """PostgreSQL and SQLite report every view column as nullable: the schema's arity wins."""
    return provider in ("postgresql", "sqlite")


def with_previous_arity(view: DbView, required: set[str]) -> DbView:
    """The view with the columns the previous schema made required marked so."""
    columns = tuple(replace(c, arity=ColumnArity.REQUIRED) if c.name in required and c.arity is ColumnArity.NULLABLE else c
                    for c in view.table.columns)
    return replace(view, table=replace(view.table, columns=columns))


# ---------------------------------------------------------------- the views folder


def write_view_files(folder: Path, files: list[tuple[str, str, str]]) -> None:
    """Write `(schema, view name, sql)` as `folder/<schema>/<view name>.sql`; then delete the
    other `.sql` files under `folder` and the folders left empty (other files stay)."""
    written: set[Path] = set()
    for schema, name, sql in files:
        path = folder / schema / f"{name}.sql"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(sql, encoding="utf-8")
        written.add(path.resolve())
    if not folder.is_dir():
        return
    for root, dirs, names in os.walk(folder, topdown=False):
        here = Path(root)
        for n in names:
            if n.endswith(".sql") and (here / n).resolve() not in written:
                (here / n).unlink()
        if not any(here.iterdir()):
            here.rmdir()  # the views folder too, when nothing is left in it
