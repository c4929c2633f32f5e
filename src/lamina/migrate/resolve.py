"""`migrate resolve --applied NAME | --rolled-back NAME`, with Prisma's rules.

--applied: the migration must exist locally (P3017) and not be applied already (P3008);
  failed rows of it are marked rolled back, then a new row is recorded as applied.
--rolled-back: the migration must have rows (P3011) and not only successful ones (P3012);
  its failed rows get `rolled_back_at`.
"""

from __future__ import annotations

from dataclasses import dataclass

from lamina.db.connection import connect
from lamina.errors import LaminaError
from lamina.migrate import history
from lamina.migrate.context import Context
from lamina.migrate.directory import check_lock, list_migrations
from lamina.migrate.events import Event, Reporter, print_event
from lamina.migrate.lock import migration_lock

APPLIED, ROLLED_BACK = "applied", "rolled_back"


@dataclass
class Resolved:
    name: str
    state: str  # APPLIED | ROLLED_BACK: how the history now records it


def resolve(ctx: Context, name: str, state: str, report: Reporter = print_event) -> Resolved:
    """Record the migration `name` as `state` (APPLIED or ROLLED_BACK) under the migration lock."""
    check_lock(ctx.migrations_dir, ctx.provider)
    report(Event("loaded", data=ctx))
    with connect(ctx.url) as conn, migration_lock(conn):
        rows = history.read(conn)
        if rows is None:
            history.create_table(conn)
            rows = []
        if state == APPLIED:
            _applied(ctx, conn, rows, name)
        else:
            _rolled_back(conn, rows, name)
    return Resolved(name, state)


def _applied(ctx: Context, conn, rows, name: str) -> None:
    local = {m.name: m for m in list_migrations(ctx.migrations_dir)}
    if name not in local:
        raise LaminaError(
            f"The migration {name} could not be found. Please make sure that the migration exists, and that you "
            'included the whole name of the directory. (example: "20201207184859_initial_migration")',
            code="P3017",
        )
    mine = [r for r in rows if r.migration_name == name]
    if any(r.is_applied for r in mine):
        raise LaminaError(f"The migration `{name}` is already recorded as applied in the database.", code="P3008")
    checksum = local[name].checksum
    with conn.transaction():
        for r in mine:
            if r.is_failed:
                history.record_rolled_back(conn, r.id)
        history.record_applied(conn, name, checksum)


def _rolled_back(conn, rows, name: str) -> None:
    mine = [r for r in rows if r.migration_name == name]
    if not mine:
        raise LaminaError(
            f"Migration `{name}` cannot be rolled back because it was never applied to the database. Hint: did you "
            'pass in the whole migration name? (example: "20201207184859_initial_migration")',
            code="P3011",
        )
    if all(r.finished_at is not None for r in mine):
        raise LaminaError(
            f"Migration `{name}` cannot be rolled back because it is not in a failed state.", code="P3012"
        )
    with conn.transaction():
        for r in mine:
            if r.is_failed:
                history.record_rolled_back(conn, r.id)
