"""Down migrations: `down.sql` beside `migration.sql`, computed and verified.

The down of a migration is the differ run backwards: from the schema after the migration
to the schema before it (the shadow database has both), with the migration's renames
inverted. Both sides are described from the same database, so the comparison is exact.

What a down cannot bring back is data: a dropped table or column, a cast that loses
values, enum values removed. Such a down says so in its first lines
(`-- Irreversible: ...`), and `migrate rollback` refuses it without `--force`.

Verification (`migrate dev`, on the shadow database that already holds the schema before
the migration): apply the up, describe, apply the down, describe (it must equal the schema
before), apply the up again. A down that does not round-trip is an error naming the steps
that differ. The views and triggers, which the described schema does not hold, are compared
too (`views_and_triggers`); those the up loses (dropped with their table, or naming a column
a SQLite re-creation drops) are created again at the end of the down, as they were before.

SQLite re-creates a table to drop a column or change one, which drops the table's triggers and
which SQLite refuses while a view or another table's trigger reads the table. The down drops
those views and triggers before the re-creation and creates them again after, as SQLite's
documented procedure does, with their SQL from the shadow database after the up
(`lamina.migrate.redefine_dependents`). `migrate dev` does the same for the up it writes
(Prisma's script fails there or loses the triggers). Prisma never reads `down.sql`: the
folder stays Prisma's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from lamina.db.connection import Connection, DatabaseError
from lamina.errors import LaminaError
from lamina.migrate.redefine_dependents import (dependents_warnings, views_and_triggers, views_and_triggers_changes,
                                                with_dependents, with_lost_created)
from lamina.sql import steps as s
from lamina.sql.diff import Migration, diff
from lamina.sql.diff.renames import Rename, invert
from lamina.sql.schema import Column, SqlSchema

DOWN_FILE = "down.sql"
IRREVERSIBLE = "-- Irreversible: "
_IRREVERSIBLE_LINE = re.compile(r"^-- Irreversible: (.*)$", re.M)


def irreversible_reasons(up: Migration, dialect: Any) -> list[str]:
    """What the up migration destroys, that its down cannot restore."""
    reasons: list[str] = []
    for step in up.steps:
        if isinstance(step, s.DropTable):
            reasons.append(f"the table `{step.table.name}` is dropped: its rows are not restored.")
        elif isinstance(step, s.AlterEnum) and step.removed:
            values = ", ".join(step.removed)
            reasons.append(f"the values [{values}] of the enum `{step.before.name}` are removed: rows that held "
                           "them are not restored.")
        elif isinstance(step, s.AlterTable):
            for ch in step.changes:
                reasons += _change_reasons(step.after.name, ch, dialect)
        elif isinstance(step, s.RedefineTables):
            for r in step.tables:
                reasons += [_dropped(r.after.name, c.name) for c in r.dropped]
                reasons += [_cast(r.after.name, a.before, a.after) for a in r.altered if a.changes & s.ColumnChange.TYPE]
    return reasons


def _dropped(table: str, column: str) -> str:
    return f"the column `{table}.{column}` is dropped: its values are not restored."


def _cast(table: str, before: Column, after: Column) -> str:
    return (f"the column `{table}.{after.name}` changes type from {before.type} to {after.type}: values the cast "
            "changed are not restored.")


def _change_reasons(table: str, ch: s.TableChange, dialect: Any) -> list[str]:
    if isinstance(ch, s.DropColumn):
        return [_dropped(table, ch.column.name)]
    if isinstance(ch, s.DropAndRecreateColumn):
        return [f"the column `{table}.{ch.after.name}` is dropped and recreated: its values are not restored."]
    if isinstance(ch, s.AlterColumn) and ch.changes & s.ColumnChange.TYPE:
        if (ch.type_change or dialect.type_change(ch.before, ch.after)) is not s.TypeChange.SAFE:
            return [_cast(table, ch.before, ch.after)]
    return []


def down_migration(after: SqlSchema, before: SqlSchema, dialect: Any, renames: Sequence[Rename] = ()) -> Migration:
    """The migration from `after` back to `before`."""
    return diff(after, before, dialect, invert(renames, before, after))


def render_down(name: str, up: Migration, down: Migration, dialect: Any) -> str:
    """down.sql: a header (what it undoes, what it cannot), then the script."""
    head = [f"-- Down migration of `{name}`: `lamina migrate rollback` applies it (Prisma ignores this file)."]
    head += [IRREVERSIBLE + reason for reason in irreversible_reasons(up, dialect)]
    head += [f"-- Warning: {w}" for w in list(down.unexecutable) + dependents_warnings(down)]
    script: str = dialect.render_script(down, include_warnings=False)
    return "\n".join(head) + "\n\n" + script


def read_irreversible(text: str) -> list[str]:
    """The `-- Irreversible:` reasons at the top of a down.sql."""
    return _IRREVERSIBLE_LINE.findall(text)


@dataclass
class Verified:
    text: str  # down.sql
    after: SqlSchema  # the schema after the up, as described


def run_script(conn: Connection, script: str) -> None:
    """Apply a script on the shadow database (in one transaction where possible)."""
    from lamina.migrate.apply import non_transactional_reason

    statements = conn.statements(script)
    if non_transactional_reason(conn, statements) is None:
        with conn.transaction():
            for stmt in statements:
                conn.execute(stmt)
    else:
        for stmt in statements:
            conn.execute(stmt)


def verify(shadow: Connection, describe: Callable[[Connection], SqlSchema], name: str, up: Migration, up_script: str,
           dialect: Any, renames: Sequence[Rename]) -> Verified:
    """Write and verify the down of `up` on `shadow`, which holds `up.before`: up, down, up.
    `describe(conn)` describes a database as the migration's schemas were described. The views
    and triggers, which the described schema does not hold, must come back too."""
    kept = views_and_triggers(shadow)
    try:
        run_script(shadow, up_script)
    except DatabaseError as exc:
        raise LaminaError(f"The new migration `{name}` failed to apply cleanly to the shadow database.\n"
                          f"Error:\n{exc.message}", code="P3006") from None
    after = describe(shadow)
    down = with_dependents(down_migration(after, up.before, dialect, renames), shadow)
    down = with_lost_created(down, kept, views_and_triggers(shadow))
    text = render_down(name, up, down, dialect)
    try:
        run_script(shadow, text)
    except DatabaseError as exc:
        raise LaminaError(f"The down migration of `{name}` failed on the shadow database: {exc.message}\n"
                          f"Statement: {(exc.statement or '').strip()}") from None
    left = diff(up.before, describe(shadow), dialect)
    if not left.is_empty:
        from lamina.sql.diff.summary import summarize

        steps = ", ".join(f"{st.name}" for st in down.steps) or "(none)"
        raise LaminaError(
            f"The down migration of `{name}` does not round-trip: after it, the shadow database differs from the "
            f"schema before the migration.\nDown steps: {steps}\nDifference left:{summarize(left).rstrip()}")
    changed = views_and_triggers_changes(kept, views_and_triggers(shadow))
    if changed:
        raise LaminaError(f"The down migration of `{name}` does not round-trip: after it, the views and triggers of the "
                          "shadow database differ from those before the migration: " + "; ".join(changed) + ".")
    try:
        run_script(shadow, up_script)
    except DatabaseError as exc:
        raise LaminaError(f"The migration `{name}` failed to apply again after its down migration on the shadow "
                          f"database: {exc.message}") from None
    return Verified(text, after)
