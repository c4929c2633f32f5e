"""SqlSchema pair -> `Migration`: ordered steps plus Prisma's warnings.

`diff(before, after, dialect)` is pure: no database, no SQL. Step order is the order of
`StepKind` (see `lamina.sql.steps`), then the position of the objects touched.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from operator import attrgetter

from lamina.sql.diff.enums import enum_steps
from lamina.sql.diff.tables import table_steps
from lamina.sql.schema import SqlSchema
from lamina.sql.diff.extensions import extension_steps
from lamina.sql.diff.partial_indexes import keep_partial_indexes, without_predicates
from lamina.sql.steps import CreateSchema, Step, sort_key


@dataclass
class Migration:
    """Ordered steps from `before` to `after`, with data-loss warnings and the steps that
    cannot run on a non-empty table (`unexecutable`), as Prisma words them."""

    steps: list[Step]
    before: SqlSchema
    after: SqlSchema
    warnings: list[str] = field(default_factory=list)
    unexecutable: list[str] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        """No step: the two schemas are the same (`-- This is an empty migration.`)."""
        return not self.steps

    def __iter__(self):
        return iter(self.steps)

    def __len__(self) -> int:
        return len(self.steps)


_LATE = attrgetter("after_alter_table")
_KIND_ORDER = attrgetter("kind", "order")  # `sort_key` of a step that is not `after_alter_table`


def diff(before: SqlSchema, after: SqlSchema, dialect, renames=()) -> Migration:
    """The migration that turns `before` into `after` on `dialect`. `renames`
    (`lamina.sql.diff.renames.Rename`, decided by the user) come first, as rename steps;
    the rest is diffed from the schema as it is after them."""
    from lamina.sql.checks import check

    original = before
    rename_steps: list[Step] = []
    if renames:
        from lamina.sql.diff.renames import apply

        before, rename_steps = apply(before, renames, dialect)
    partial: frozenset = frozenset()
    if not after.manages_partial_indexes:
        before, partial = without_predicates(before)
    used = {t.namespace for t in after.tables} | {e.namespace for e in after.enums}
    steps: list[Step] = [
        CreateSchema(namespace=n, order=(i,))
        for i, n in enumerate(sorted(n for n in used - set(before.namespaces) if n))
    ]
    steps += extension_steps(before, after)
    if dialect.supports_enums:
        steps += enum_steps(before, after)
    # Two schemas calculated from Prisma schemas compare predicates as Prisma does; against a
    # database, what the server rewrote is no change either (no phantom migration).
    against_database = before.described or after.described
    steps += keep_partial_indexes(table_steps(before, after, dialect, lambda b, a: dialect.predicates_match(
        b, a, against_database=against_database)), partial)
    steps += rename_steps
    if any(map(_LATE, steps)):
        steps.sort(key=sort_key)
    else:
        steps.sort(key=_KIND_ORDER)  # the same key, read without a Python call per step
    migration = Migration(steps, original, after)
    migration.warnings, migration.unexecutable = check(migration, dialect)
    return migration
