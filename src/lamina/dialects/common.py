"""Small helpers every dialect's renderer and calculator share.

Kept apart from `base.py` (the `Dialect` class, imported by everything) so that the
renderers can import them without pulling each other in.
"""

from __future__ import annotations

from lamina.sql.schema import Column, DefaultKind

# Prisma's own bookkeeping table: never part of a described schema.
IGNORED_TABLES = frozenset({"_prisma_migrations", "_lamina_migrate_lock"})  # history; the cluster lease (migrate/lease.py)


def double_quote(name: str) -> str:
    """An identifier quoted the standard way (PostgreSQL, SQLite): `"a""b"`."""
    return '"' + name.replace('"', '""') + '"'


def backtick_quote(name: str) -> str:
    """An identifier quoted the MySQL way: `` `a``b` ``."""
    return "`" + name.replace("`", "``") + "`"


def default_sql(column: Column) -> str | None:
    """The `DEFAULT` expression a renderer writes for `column`, or None for none.

    Sequence defaults (PostgreSQL SERIAL) are left out: the column type carries them."""
    d = column.default
    if d is None or d.kind is DefaultKind.SEQUENCE or not d.sql:
        return None
    return d.sql
