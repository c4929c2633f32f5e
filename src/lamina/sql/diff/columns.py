"""Column comparison: what changed (`ColumnChange` flags), independent of any dialect."""

from __future__ import annotations

from lamina.sql.schema import Column, ColumnDefault, DefaultKind
from lamina.sql.steps import ColumnChange


def _norm(sql: str) -> str:
    return "".join(sql.split()).lower()


def defaults_match(before: ColumnDefault | None, after: ColumnDefault | None) -> bool:
    """Prisma's rule: `dbgenerated()` without an expression matches anything; a
    `dbgenerated("...")` expression is compared loosely (spacing, case); sequences match."""
    if after is not None and after.kind is DefaultKind.DBGENERATED and not after.sql:
        return True
    if before is None or after is None:
        return before is None and after is None
    if before.kind is DefaultKind.SEQUENCE or after.kind is DefaultKind.SEQUENCE:
        return before.kind is after.kind
    if DefaultKind.DBGENERATED in (before.kind, after.kind):
        return _norm(before.sql) == _norm(after.sql)
    return before.sql == after.sql


def column_changes(before: Column, after: Column) -> ColumnChange:
    changes = ColumnChange.NONE
    if before.type != after.type:
        changes |= ColumnChange.TYPE
    if before.arity is not after.arity:
        changes |= ColumnChange.ARITY
    if before.autoincrement != after.autoincrement:
        changes |= ColumnChange.AUTOINCREMENT
    elif not before.autoincrement and not defaults_match(before.default, after.default):
        changes |= ColumnChange.DEFAULT
    return changes
