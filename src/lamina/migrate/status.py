"""`migrate status`: reading the folder and the history, and Prisma's texts that other commands
share (the CLI renders the rest: cli/status_cmd.py)."""

from __future__ import annotations

from dataclasses import dataclass

from lamina.db.connection import connect
from lamina.migrate import history
from lamina.migrate.context import Context
from lamina.migrate.diagnose import Diagnosis, diagnose
from lamina.migrate.directory import check_lock, list_migrations
from lamina.migrate.events import Event, Reporter, print_event
from lamina.migrate.lease import cluster_of, read_causally
from lamina.migrate.lock import migration_lock_holder
from lamina.migrate.output import bold, plural


def found_line(count: int, where: str) -> str:
    if count == 0:
        return f"No migration found in {where}"
    return f"{count} {plural(count, 'migration')} found in {where}"


def failed_text(names: list[str]) -> str:
    lines = [f"Following {plural(len(names), 'migration')} have failed:", *names, "",
             "During development if the failed migration(s) have not been deployed to a production database you can "
             f"then fix the migration(s) and run {bold('lamina migrate dev')}.", "",
             "The failed migration(s) can be marked as rolled back or applied:", "",
             "- If you rolled back the migration(s) manually:"]
    lines += [f'lamina migrate resolve --rolled-back "{n}"' for n in names]
    lines += ["", "- If you fixed the database manually (hotfix):"]
    lines += [f'lamina migrate resolve --applied "{n}"' for n in names]
    lines += ["", "Read more about how to resolve migration issues in a production database:",
              "https://pris.ly/d/migrate-resolve"]
    return "\n".join(lines)


@dataclass
class StatusRead:
    diagnosis: Diagnosis
    applying: str | None  # who holds the migration lock while migrations look failed: being applied now


def read_status(ctx: Context, report: Reporter = print_event) -> StatusRead:
    """`migrate status`'s reading of the folder and the history (lamina.api.migrate_status; the
    CLI prints its events and renders the result with Prisma's texts)."""
    local = list_migrations(ctx.migrations_dir)
    check_lock(ctx.migrations_dir, ctx.provider)
    report(Event("loaded", data=ctx))
    with connect(ctx.url) as conn:
        read_causally(conn)  # a cluster node shows what the others committed before this
        if (cluster := cluster_of(conn)) is not None:
            report(Event("cluster", f"{ctx.datasource.describe()} is a node of a {cluster.describe()}"))
        d = diagnose(local, history.read(conn))
        applying = migration_lock_holder(conn) if d.failed else None  # unfinished because running now?
    return StatusRead(d, applying)
