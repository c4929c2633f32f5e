"""MySQL/MariaDB: alters columns with MODIFY, keys and indexes in place; inline enums."""

from __future__ import annotations

from lamina.dialects.base import Dialect
from lamina.sql.steps import TypeChange


class MysqlDialect(Dialect):
    provider = "mysql"
    package = "mysql"
    display_name = "MySQL"
    supports_alter_column = True
    supports_alter_foreign_keys = True
    supports_alter_primary_key = True
    supports_rename_index = True
    supports_drop_column = True
    inline_indexes = True
    implicit_fk_indexes = True
    identifier_max_length = 64

    def quote(self, name: str) -> str:
        from lamina.dialects.common import backtick_quote

        return backtick_quote(name)

    def columns_differ(self, before, after):
        """MySQL's temporal types default to precision 0: `TIMESTAMP` as the server reports a
        column that Prisma created as `TIMESTAMP(0)` (`@db.Timestamp(0)`) is the same type."""
        from lamina.sql.steps import ColumnChange

        changes = super().columns_differ(before, after)
        if changes & ColumnChange.TYPE and _zero_precision(before.type) == _zero_precision(after.type):
            changes &= ~ColumnChange.TYPE
        return changes

    def type_change(self, before, after) -> TypeChange:
        # MODIFY converts in place; MySQL casts (and may truncate or fail): risky, never recreated.
        return TypeChange.RISKY

    def must_redefine(self, *args) -> bool:
        return False


def _zero_precision(ddl_type: str) -> str:
    for base in ("DATETIME", "TIMESTAMP", "TIME"):
        if ddl_type.upper() == f"{base}(0)":
            return base
    return ddl_type


DIALECT = MysqlDialect()
