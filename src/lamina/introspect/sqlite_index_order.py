"""SQLite indexes in the order Prisma 7.10.1's `db pull` writes them: as `pragma_index_list`
lists them, the most recently created first (uniques, then the others; seen with its CLI). The
describer sorts them by name, which migrations compare by; only introspection needs this order."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from lamina.sql.schema import SqlSchema

_INDEX_LIST = (
    "SELECT m.name, il.name FROM sqlite_master m JOIN pragma_index_list(m.name) il "
    "WHERE m.type = 'table' ORDER BY m.name, il.seq"
)


def in_listed_order(schema: SqlSchema, raw: Any) -> SqlSchema:
    """The schema with each table's indexes in `pragma_index_list` order."""
    position: dict[tuple[str, str], int] = {}
    for i, (table, index) in enumerate(raw.execute(_INDEX_LIST).fetchall()):
        position[(table, index)] = i
    tables = tuple(
        replace(t, indexes=tuple(sorted(t.indexes, key=lambda ix, t=t: position.get((t.name, ix.name), len(position)))))
        for t in schema.tables
    )
    return replace(schema, tables=tables)
