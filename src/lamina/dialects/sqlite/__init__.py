"""SQLite: can add columns and manage indexes; every other table change redefines the table."""

from __future__ import annotations

from lamina.datamodel import ScalarType
from lamina.dialects.base import Dialect
from lamina.sql.steps import TypeChange


class SqliteDialect(Dialect):
    provider = "sqlite"
    package = "sqlite"
    display_name = "SQLite"
    identifier_max_length = 10_000

    def is_autoincrement(self, field, single_id: bool) -> bool:
        # A single-column INTEGER primary key is a rowid alias: Prisma always writes AUTOINCREMENT.
        if single_id and field.type is ScalarType.INT and field.native_type is None:
            return True
        return super().is_autoincrement(field, single_id) and field.type is ScalarType.INT

    def type_change(self, before, after) -> TypeChange:
        return TypeChange.RISKY

    def must_redefine(self, before, after, cols_added, cols_dropped, altered, pk_changed,
                      fk_created, fk_dropped, fk_renamed) -> bool:
        from lamina.sql.diff.tables import sqlite_can_add_column

        # SQLite cannot rename a constraint: a key under a new name (a renamed table's) is a rebuild.
        if cols_dropped or altered or pk_changed or fk_created or fk_dropped or fk_renamed:
            return True
        return not all(sqlite_can_add_column(c) for c in cols_added)


DIALECT = SqliteDialect()
