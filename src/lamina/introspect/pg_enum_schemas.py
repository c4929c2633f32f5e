"""The schema of each PostgreSQL enum column's type, for `db pull` with several schemas: two
schemas may each have an enum of one name (`billing.currency`, `public.currency`), and Prisma
7.10.1 then writes two enums (`billing_currency`, `public_currency`) and types each column by
its own. The describer qualifies every such column with the same schema, so introspection reads
the catalog for them."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from lamina.sql.schema import SqlSchema

_ENUM_COLUMNS = """
SELECT n.nspname, c.relname, a.attname, tn.nspname, t.typname
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_type t0 ON t0.oid = a.atttypid
JOIN pg_type t ON t.oid = CASE WHEN t0.typcategory = 'A' THEN t0.typelem ELSE t0.oid END
JOIN pg_namespace tn ON tn.oid = t.typnamespace
WHERE t.typtype = 'e' AND a.attnum > 0 AND NOT a.attisdropped
"""


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def with_enum_schemas(schema: SqlSchema, raw: Any) -> SqlSchema:
    """Each enum column typed `"schema"."enum"` by the schema its type is in (several schemas
    only: with one, no column needs it)."""
    if len({e.namespace for e in schema.enums}) < 2:
        return schema
    owner = {(ns, table, column): (type_ns, name) for ns, table, column, type_ns, name in raw.execute(_ENUM_COLUMNS).fetchall()}

    def typed(table, column):
        found = owner.get((table.namespace, table.name, column.name))
        if found is None or column.enum is None:
            return column
        suffix = "[]" if column.type.endswith("[]") else ""
        return replace(column, type=f"{_quoted(found[0])}.{_quoted(found[1])}{suffix}")

    tables = tuple(replace(t, columns=tuple(typed(t, c) for c in t.columns)) for t in schema.tables)
    return replace(schema, tables=tables)
