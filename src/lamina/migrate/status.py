"""`migrate status`: Prisma's texts and exit codes (0 up to date, 1 otherwise), `--json`."""

from __future__ import annotations

import json

from lamina.db.connection import connect
from lamina.migrate import history
from lamina.migrate.context import Context
from lamina.migrate.diagnose import Diagnosis, diagnose
from lamina.migrate.directory import check_lock, list_migrations
from lamina.migrate.lease import cluster_of, read_causally
from lamina.migrate.lock import migration_lock_holder
from lamina.migrate.output import bold, err, out, plural


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


def run_status(ctx: Context, as_json: bool = False) -> int:
    local = list_migrations(ctx.migrations_dir)
    check_lock(ctx.migrations_dir, ctx.provider)
    if not as_json:
        ctx.header()
    with connect(ctx.url) as conn:
        read_causally(conn)  # a cluster node shows what the others committed before this
        if not as_json and (cluster := cluster_of(conn)) is not None:
            out(f"{ctx.datasource.describe()} is a node of a {cluster.describe()}")
        rows = history.read(conn)
        d = diagnose(local, rows)
        applying = migration_lock_holder(conn) if d.failed else None  # unfinished because running now?
    if as_json:
        return _json(ctx, d)
    out()
    out(found_line(len(local), ctx.migrations_display))
    if d.diverged:
        out("Your local migration history and the migrations table from your database are different:")
        out()
        out(f"The last common migration is: {d.last_common}" if d.last_common else "There is no common migration.")
        out()
        out(f"The {plural(len(d.pending), 'migration')} have not yet been applied:")
        out("\n".join(m.name for m in d.pending))
        out()
        out(f"The {plural(len(d.missing_locally), 'migration')} from the database are not found locally in {ctx.migrations_display}:")
        out("\n".join(d.missing_locally))
        return 1
    if d.pending:
        out(f"Following {plural(len(d.pending), 'migration')} have not yet been applied:")
        out("\n".join(m.name for m in d.pending))
        out()
        out(f"To apply migrations in development run {bold('lamina migrate dev')}.")
        out(f"To apply migrations in production run {bold('lamina migrate deploy')}.")
        return 1
    if not d.managed:
        err("The current database is not managed by Lamina (it has no _prisma_migrations table).")
        err()
        err("Read more about how to baseline an existing production database:")
        err("https://pris.ly/d/migrate-baseline")
        return 1
    if d.failed and applying:
        err(f"{plural(len(d.failed), 'Migration')} being applied right now by {applying}: "
            + ", ".join(r.migration_name for r in d.failed) + "\nRun `lamina migrate status` again when it has finished.")
        return 1
    if d.failed:
        err(failed_text([r.migration_name for r in d.failed]))
        return 1
    out()
    out("Database schema is up to date!")
    for name in d.edited:
        err(f"Warning: the migration `{name}` was modified after it was applied (its checksum differs from the database's).")
    if d.missing_locally:
        err(f"Warning: {plural(len(d.missing_locally), 'migration')} applied to the database but missing from "
            f"{ctx.migrations_display}: " + ", ".join(d.missing_locally))
    return 0


def _json(ctx: Context, d: Diagnosis) -> int:
    state = d.state
    data = {
        "status": state,
        "upToDate": state == "up_to_date",
        "datasource": {"provider": ctx.provider, "url": ctx.url.masked},
        "migrationsDirectory": ctx.migrations_display,
        "managed": d.managed,
        "local": [m.name for m in d.local],
        "applied": d.applied_names,
        "pending": [m.name for m in d.pending],
        "failed": [{"name": r.migration_name, "startedAt": r.started_at.isoformat(), "logs": r.logs} for r in d.failed],
        "edited": d.edited,
        "missingLocally": d.missing_locally,
        "lastCommon": d.last_common,
    }
    out(json.dumps(data, indent=2))
    return 0 if state == "up_to_date" else 1
