"""`migrate dev --online` (PostgreSQL): the forms of a migration that keep a busy table usable.

- an index on an existing table: `CREATE [UNIQUE] INDEX CONCURRENTLY` (no write lock while it
  builds; it cannot run in a transaction, so `deploy` runs such a migration statement by
  statement, as it does for any CONCURRENTLY statement);
- a foreign key on an existing table: `ADD CONSTRAINT ... NOT VALID`, then
  `VALIDATE CONSTRAINT` (the scan no longer blocks writes).

Tables created by the same migration are empty: their statements stay as Prisma writes them.
The statements are otherwise Prisma's (`migrate lint` finds no L201/L202 in the result).

The views and triggers a type change cannot run under (`lamina.migrate.redefine_dependents`)
are dropped before it as in any migration, and created again before the index builds and the
foreign key scans rather than after them: such a migration runs statement by statement, and a
view missing while an index builds on a big table fails every read of it.
"""

from __future__ import annotations

from typing import Any

from lamina.errors import LaminaError
from lamina.sql import steps as s
from lamina.sql.diff import Migration


def online_script(migration: Migration, dialect: Any) -> str:
    """migration.sql with the online forms (PostgreSQL only)."""
    if dialect.provider != "postgresql":
        raise LaminaError("`migrate dev --online` writes PostgreSQL's online forms (CREATE INDEX CONCURRENTLY, "
                          "NOT VALID foreign keys); this datasource is not PostgreSQL.")
    from lamina.dialects.common import double_quote as q
    from lamina.dialects.postgres.render import table_name

    script: str = dialect.render_script(migration)
    if migration.is_empty:
        return script
    created = {(st.table.namespace, st.table.name) for st in migration.steps if isinstance(st, s.CreateTable)}
    head_end = script.index("*/\n") + 3 if script.startswith("/*") else 0
    blocks = []
    for step in _views_and_triggers_back_early(migration.steps):
        statements = dialect.render_step(step)
        existing = hasattr(step, "table") and (step.table.namespace, step.table.name) not in created
        if isinstance(step, s.CreateIndex) and existing:
            statements = [st.replace("INDEX ", "INDEX CONCURRENTLY ", 1) for st in statements]
        elif isinstance(step, s.AddForeignKey) and existing:
            fk = step.foreign_key
            statements = [statements[0] + " NOT VALID",
                          f"ALTER TABLE {table_name(step.table)} VALIDATE CONSTRAINT {q(fk.name or '')}"]
        blocks.append(f"-- {step.name}\n" + "".join(st + ";\n" for st in statements))
    return script[:head_end] + "\n".join(blocks)


def _views_and_triggers_back_early(steps: list[s.Step]) -> list[s.Step]:
    """`steps` with the views and triggers created again before the first index build or
    foreign key (nothing from there on needs them gone)."""
    back = [st for st in steps if isinstance(st, s.CreateViewsAndTriggers)]
    rest = [st for st in steps if not isinstance(st, s.CreateViewsAndTriggers)]
    at = next((i for i, st in enumerate(rest) if st.kind >= s.StepKind.CREATE_INDEX), len(rest))
    return rest[:at] + back + rest[at:]
