"""`migrate dev`: replay the migrations on a shadow database, diagnose the dev database,
apply pending migrations, then create and apply a migration for the schema's changes.

Order (as Prisma 7): validate the schema; check migration_lock.toml; create the database
if missing; diagnose (failed, edited, missing-locally migrations, drift between the
replayed history and the real database) and stop with exit 130 when a reset is needed;
apply pending migrations; diff the replayed history against the schema; warn (TTY:
confirm; otherwise refuse); name (TTY: ask); write; apply unless --create-only;
generate unless --skip-generate.
"""

from __future__ import annotations

import click

from lamina.db.admin import ensure_database
from lamina.db.connection import connect
from lamina.db.shadow import shadow_database
from lamina.errors import LaminaError
from lamina.migrate import engine, history
from lamina.migrate.apply import apply_migration
from lamina.migrate.context import Context
from lamina.migrate.deploy import apply_pending
from lamina.migrate.diagnose import diagnose
from lamina.migrate.directory import check_lock, list_migrations, read_lock, write_lock, write_migration
from lamina.migrate.output import interactive, out, tree
from lamina.migrate.reset import target_text
from lamina.migrate.shadow_replay import ShadowReplay

NON_INTERACTIVE = (
    "Lamina has detected that the environment is non-interactive, which is not supported.\n\n"
    "`lamina migrate dev` is an interactive command designed to create new migrations and evolve the database in development.\n"
    "To apply existing migrations in deployments, use lamina migrate deploy.\n"
    "See https://pris.ly/d/migrate-deploy"
)
DRIFT_INTRO = (
    "The following is a summary of the differences between the expected database schema given your migrations "
    "files, and the actual schema of the database.\n\n"
    "It should be understood as the set of changes to get from the expected schema to the actual schema."
)


# `migrate dev` found that the development database must be reset (failed or edited migrations,
# drift). Prisma exits 130 here, the code shells and CI read as "interrupted by Ctrl-C"; Lamina
# keeps 130 for a real interruption (and a declined prompt) and says "reset needed" with its own code.
RESET_NEEDED_EXIT_CODE = 4
EMPTY_MIGRATION = "-- This is an empty migration."  # what Prisma writes, without a final newline
ACCEPT_HINT = ("Pass --accept-data-loss (or --yes) to create and apply it without a terminal, or --create-only "
               "to write it for review without applying it.")


def run_dev(ctx: Context, name: str | None = None, create_only: bool = False, skip_generate: bool = False,
            skip_seed: bool = False, accept_data_loss: bool = False, yes: bool = False,
            renames: tuple[str, ...] = (), online: bool = False) -> int:
    target = engine.load_target(ctx.location)
    check_lock(ctx.migrations_dir, ctx.provider)
    ctx.header()
    created = ensure_database(ctx.url)
    if created:
        out()
        out(created)
    local = list_migrations(ctx.migrations_dir)
    with connect(ctx.url, create=True) as conn:
        rows = history.read(conn)
        d = diagnose(local, rows)
        if _settle_rolled_back_failures(conn, d):
            rows = history.read(conn)
            d = diagnose(local, rows)
        applied_names = set(d.applied_names)
        with shadow_database(ctx.url, ctx.datasource.shadow_url) as shadow_conn:
            # On SQLite a repeat run reads the replayed schema from the cache (shadow_replay.py)
            shadow = ShadowReplay(shadow_conn, target, cacheable=ctx.datasource.shadow_url is None)
            expected = shadow.schema_after([m for m in local if m.name in applied_names])
            actual = engine.describe(conn, target)
            from lamina.sql.diff import diff

            drift = diff(expected, actual, target.dialect)
            reasons = _reset_reasons(d, drift)
            if reasons:
                from lamina.sql.diff.summary import summarize  # the engine's, Prisma's exact texts

                _explain_reset(ctx, reasons, "" if drift.is_empty else summarize(drift))
                return RESET_NEEDED_EXIT_CODE
            unapplied = [m for m in local if m.name not in applied_names]
            before = shadow.schema_after(unapplied) if unapplied else expected
            from lamina.migrate.renames import decide

            chosen = decide(before, target.schema, target.dialect, renames, target.datamodel, may_ask=not yes)
            migration = diff(before, target.schema, target.dialect, chosen)

            done = []
            if d.pending:
                for m in d.pending:
                    out(f"Applying migration `{m.name}`")
                done = apply_pending(conn, local, allow_unmanaged=True)
                out()
                out("The following migration(s) have been applied:")
                out()
                out(tree("migrations/", [a.name for a in done]))
            if migration.is_empty and create_only:  # Prisma writes an empty migration to fill in by hand
                if read_lock(ctx.migrations_dir) is None:
                    write_lock(ctx.migrations_dir, ctx.datasource.declared_provider)
                new = write_migration(ctx.migrations_dir, _name(name, migration, yes), EMPTY_MIGRATION)
                _created_only(new.name)
                return 0
            if migration.is_empty:
                out()
                if done or created:
                    out("Your database is now in sync with your schema.")
                else:
                    out("Already in sync, no schema change or pending migration was found.")
                _after(ctx, skip_generate, skip_seed, seed=bool(created))
                return 0

            _check_changes(conn, migration, create_only, accepted=accept_data_loss or yes)
            name = _name(name, migration, yes)
            if read_lock(ctx.migrations_dir) is None:
                write_lock(ctx.migrations_dir, ctx.datasource.declared_provider)
            if online:
                from lamina.migrate.online import online_script

                script = online_script(migration, target.dialect)
            else:
                from lamina.migrate.redefine_dependents import lost_trigger_warnings, with_dependents

                # SQLite: a re-created table keeps its triggers, and the views and triggers that
                # read it (under which SQLite refuses it) are dropped and created around it.
                migration = with_dependents(migration, shadow.connection())
                for warning in lost_trigger_warnings(migration):
                    out(f"\n⚠️  {warning}")
                script = target.dialect.render_script(migration)
            new = write_migration(ctx.migrations_dir, name, script)
            _write_down(shadow.connection(), target, new, migration, script, chosen)
            from lamina.migrate.lint.command import print_new_migration_findings
            from lamina.migrate.lint.galera import is_galera

            print_new_migration_findings(new.name, script, ctx.provider, galera=is_galera(conn))  # L5xx on a cluster
        if create_only:
            _created_only(new.name)
            return 0
        if rows is None and history.read(conn) is None:
            history.create_table(conn)
        apply_migration(conn, new)
    out()
    out()
    out("The following migration(s) have been created and applied from new schema changes:")
    out()
    out(tree(ctx.migrations_display.rstrip("/") + "/", [new.name]))
    out()
    out("Your database is now in sync with your schema.")
    out()
    _after(ctx, skip_generate, skip_seed, seed=bool(created))
    return 0


def _write_down(shadow, target, new, migration, script: str, renames) -> None:
    """down.sql beside the new migration, verified on the shadow database (up, down, up); the
    new folder is removed again when the verification fails, so nothing half-made is left."""
    import shutil

    from lamina.migrate.down import DOWN_FILE, verify

    try:
        verified = verify(shadow, lambda c: engine.describe(c, target), new.name, migration, script,
                          target.dialect, renames)
    except BaseException:
        shutil.rmtree(new.folder, ignore_errors=True)
        raise
    (new.folder / DOWN_FILE).write_bytes(verified.text.encode("utf-8"))


def _name(given: str | None, migration, yes: bool) -> str:
    """`--name`, else asked in a terminal (the name made from the change as the default), else
    made from the change: never the bare timestamp that an empty answer would give."""
    from lamina.migrate.naming import name_from_steps

    if given is not None:
        return given
    suggested = name_from_steps(migration)
    if interactive() and not yes:
        return click.prompt("Enter a name for the new migration", default=suggested, show_default=True)
    return suggested


def _created_only(folder: str) -> None:
    out()
    out(f"Lamina created the following migration without applying it {folder}")
    out()
    out("You can now edit it and apply it by running lamina migrate dev.")


def _settle_rolled_back_failures(conn, d) -> bool:
    """A migration that failed inside its own transaction left nothing in the database: rather
    than ask for a reset, mark it rolled back (as `migrate resolve --rolled-back` would), so
    that the fixed file is applied now. Only for failures Lamina recorded as rolled back by the
    transaction; any other failed migration still needs a person."""
    settled = [row for row in d.failed if history.rolled_back_by_transaction(row)]
    for row in settled:
        history.record_rolled_back(conn, row.id)
        out(f"The migration `{row.migration_name}` failed earlier inside its transaction, which the database rolled "
            "back: nothing of it was applied. It is now marked as rolled back and will be applied again.")
    return bool(settled)


def _reset_reasons(d, drift) -> list[str]:
    reasons = [f"- The migration `{r.migration_name}` failed." for r in d.failed]
    reasons += [f"- The migration `{n}` was modified after it was applied." for n in d.edited]
    if d.missing_locally:
        reasons.append(
            "- The migrations recorded in the database diverge from the local migrations directory. "
            + (f"Last common migration: `{d.last_common}`. " if d.last_common else "")
            + "Migrations applied to the database but absent from the migrations directory are: "
            + ", ".join(d.missing_locally)
        )
    if not drift.is_empty:
        reasons.append("- Drift detected: Your database schema is not in sync with your migration history.")
    return reasons


def _explain_reset(ctx: Context, reasons: list[str], summary: str) -> None:
    # Prisma 7.10.1 words drift alone as one sentence ("Drift detected: ...", one blank line after
    # the summary) and several reasons as a list ("- ...", two blank lines after the summary).
    alone = len(reasons) == 1 and bool(summary)
    out()
    out(reasons[0][2:] if alone else "\n".join(reasons))
    if summary:
        out()
        out(DRIFT_INTRO)
        out(summary.rstrip("\n"))  # it starts with a blank line
        if not alone:
            out()
    out()
    out(f"We need to reset the {target_text(ctx)}")
    out()
    out("You may use lamina migrate reset to drop the development database.")
    out("All data will be lost.")


def _check_changes(conn, migration, create_only: bool, accepted: bool) -> None:
    """Print what the migration will do to the data; ask before applying it. `--create-only`
    applies nothing, so it never asks; `--accept-data-loss`/`--yes` answer for a script."""
    warnings, blocking = engine.live_check(conn, migration)
    if blocking:
        out()
        out("⚠️ We found changes that cannot be executed:")
        out()
        out("\n".join(f"  • Step {i} {t}" for i, t in enumerate(blocking)))
        out()
        if not create_only:
            raise LaminaError(
                "You can use lamina migrate dev --create-only to create the migration file, and manually modify it "
                "to address the underlying issue(s).\nThen run lamina migrate dev to apply it and verify it works."
            )
    if warnings:
        out()
        out("⚠️  Warnings for the current datasource:")
        out()
        out("\n".join(f"  • {w}" for w in warnings))
        out()
        if create_only or accepted:
            return
        if not interactive():
            raise LaminaError(f"{NON_INTERACTIVE}\n\n{ACCEPT_HINT}")
        if not click.confirm("Are you sure you want to create and apply this migration?", default=False):
            raise LaminaError("Migration cancelled.", exit_code=130)


def _after(ctx: Context, skip_generate: bool, skip_seed: bool, seed: bool) -> None:
    if not skip_generate:
        from lamina.migrate.generate import maybe_generate

        maybe_generate(ctx)
    if seed and not skip_seed:
        from lamina.migrate.seed import run_seed

        run_seed(required=False)
