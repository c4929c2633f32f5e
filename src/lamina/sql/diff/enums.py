"""Enum types (PostgreSQL): created, dropped, and altered (values added or removed)."""

from __future__ import annotations

from lamina.sql.diff.sets import differences
from lamina.sql.schema import SqlSchema
from lamina.sql.steps import AlterEnum, CreateEnum, DropEnum, EnumUse


def enum_steps(before: SqlSchema, after: SqlSchema) -> list:
    key = lambda e: (e.namespace, e.name)  # noqa: E731
    added, removed, common = differences(before.enums, after.enums, key)
    after_pos = {key(e): i for i, e in enumerate(after.enums)}
    before_pos = {key(e): i for i, e in enumerate(before.enums)}
    steps: list = [CreateEnum(enum=e, order=(after_pos[key(e)],)) for e in added]
    steps += [DropEnum(enum=e, order=(before_pos[key(e)],)) for e in removed]
    for b, a in common:
        if b.values == a.values:
            continue
        add = tuple(v for v in a.values if v not in b.values)
        remove = tuple(v for v in b.values if v not in a.values)
        if not add and not remove:
            continue  # reordering only: Prisma ignores it
        steps.append(AlterEnum(before=b, after=a, added=add, removed=remove,
                               uses=_uses(a, before, after) if remove else (), order=(before_pos[key(b)],)))
    return steps


def _uses(enum, before: SqlSchema, after: SqlSchema) -> tuple[EnumUse, ...]:
    """Columns of existing tables typed with `enum`, in table then column order."""
    uses = []
    before_tables = {(t.namespace, t.name): t for t in before.tables}
    for table in after.tables:
        old = before_tables.get((table.namespace, table.name))
        if old is None:
            continue
        for col in table.columns:
            prev = old.column(col.name)
            if col.enum == enum.name and prev is not None and prev.enum == enum.name:
                uses.append(EnumUse(table.name, table.namespace, col, prev.default.sql if prev.default else None))
    return tuple(uses)
