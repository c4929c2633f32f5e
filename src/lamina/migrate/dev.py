"""`migrate dev`: replay the migrations on a shadow database, diagnose the dev database,
apply pending migrations, then create and apply a migration for the schema's changes.

Order (as Prisma 7): validate the schema; check migration_lock.toml; create the database
if missing; diagnose (failed, edited, missing-locally migrations, drift between the
replayed history and the real database) and stop when a reset is needed (Prisma: exit 130,
Lamina: ResetNeededError, exit 4); apply pending migrations; diff the replayed history
against the schema; warn (the caller's `confirm`: a TTY's prompt; otherwise refuse); name
(the caller's `ask_name`); write; apply unless --create-only; generate unless --skip-generate.
Nothing here prints: what `lamina migrate dev` shows is reported as events (events.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from lamina.api_errors import DataLossError, ResetNeededError
from lamina.db.admin import ensure_database
from lamina.db.connection import connect
from lamina.db.shadow import shadow_database
from lamina.errors import LaminaError
from lamina.migrate import engine, history
from lamina.migrate.apply import apply_migration
from lamina.migrate.context import Context
from lamina.migrate.deploy import apply_pending
from lamina.migrate.diagnose import diagnose
from lamina.migrate.directory import (
    LocalMigration, check_lock, list_migrations, read_lock, write_lock, write_migration,
)
from lamina.migrate.events import Event, Reporter, print_event
from lamina.migrate.lint import Finding, format_text
from lamina.migrate.output import tree
from lamina.migrate.reset import target_text
from lamina.migrate.seed import SeedRun
from lamina.migrate.shadow_replay import ShadowReplay

if TYPE_CHECKING:
    from lamina.migrate.seed import Seeded

# The CLI's refusal without a terminal (lamina.api's callers get DataLossError naming accept_data_loss).
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


@dataclass
class Dev:
    migration: LocalMigration | None  # the migration written (None: the schema had no change)
    applied: list[str]  # the pending migrations applied, then the new one unless create_only
    database_created: bool
    warnings: list[str] = field(default_factory=list)  # data-loss and lost-trigger warnings, rename candidates
    findings: list[Finding] = field(default_factory=list)  # the lint of the new migration
    seeded: Seeded | None = None


def dev(ctx: Context, *, name: str | None = None, create_only: bool = False, skip_generate: bool = False,
        skip_seed: bool = False, accept_data_loss: bool = False, renames: tuple[str, ...] = (), online: bool = False,
        may_ask_renames: bool = False, confirm: Callable[[str], bool] | None = None,
        ask_name: Callable[[str], str] | None = None, report: Reporter = print_event,
        seeding: SeedRun = SeedRun()) -> Dev:
    """Nothing here asks by itself: `confirm(question)` before applying a migration with
    data-loss warnings (None: nobody to ask, `DataLossError`), `ask_name(suggested)` for the
    name when `name` is None (None: the suggested name), `may_ask_renames`: the rename
    candidates are asked in a terminal (renames.decide). Raises `ResetNeededError` when the
    database must be reset first."""
    report(Event("loaded", data=ctx))  # the header first, the schema's errors after it (Prisma 7.10.1)
    target = engine.load_target(ctx.location, context="migrate dev")
    check_lock(ctx.migrations_dir, ctx.provider)
    created = ensure_database(ctx.url)
    if created:
        report(Event("created", created))
    result = Dev(None, [], bool(created))
    local = list_migrations(ctx.migrations_dir)
    with connect(ctx.url, create=True) as conn:
        rows = history.read(conn)
        d = diagnose(local, rows)
        if _settle_rolled_back_failures(conn, d, report):
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

                raise _reset_needed(ctx, reasons, "" if drift.is_empty else summarize(drift))
            unapplied = [m for m in local if m.name not in applied_names]
            before = shadow.schema_after(unapplied) if unapplied else expected
            from lamina.migrate.renames import decide

            def warn(text: str) -> None:
                result.warnings.append(text)
                report(Event("rename_warning", text))

            chosen = decide(before, target.schema, target.dialect, renames, target.datamodel,
                            may_ask=may_ask_renames, warn=warn)
            migration = diff(before, target.schema, target.dialect, chosen)

            if d.pending:
                for m in d.pending:
                    report(Event("applying_pending", f"Applying migration `{m.name}`", m.name))
                done = apply_pending(conn, local, allow_unmanaged=True, report=report)
                result.applied = [a.name for a in done]
                report(Event("applied_pending", "The following migration(s) have been applied:\n\n"
                             + tree("migrations/", result.applied)))
            if migration.is_empty and create_only:  # Prisma writes an empty migration to fill in by hand
                if read_lock(ctx.migrations_dir) is None:
                    write_lock(ctx.migrations_dir, ctx.datasource.declared_provider)
                result.migration = write_migration(ctx.migrations_dir, _name(name, migration, ask_name),
                                                   EMPTY_MIGRATION)
                report(_created_only(result.migration.name))
                return result
            if migration.is_empty:
                report(Event("in_sync", "Your database is now in sync with your schema." if result.applied or created
                             else "Already in sync, no schema change or pending migration was found."))
                result.seeded = _after(ctx, skip_generate, skip_seed, bool(created), report, seeding)
                return result

            result.warnings += _check_changes(conn, migration, create_only, accept_data_loss, confirm, report)
            name = _name(name, migration, ask_name)
            if read_lock(ctx.migrations_dir) is None:
                write_lock(ctx.migrations_dir, ctx.datasource.declared_provider)
            from lamina.migrate.redefine_dependents import dependents_warnings, with_dependents

            # The views and triggers a step cannot run under (a SQLite re-creation, a PostgreSQL
            # type change, a MySQL rename) dropped and created around it: `--online` too.
            migration = with_dependents(migration, shadow.connection())
            for warning in dependents_warnings(migration):
                result.warnings.append(warning)
                report(Event("lost_trigger", f"⚠️  {warning}"))
            if online:
                from lamina.migrate.online import online_script

                script = online_script(migration, target.dialect)
            else:
                script = target.dialect.render_script(migration)
            new = result.migration = write_migration(ctx.migrations_dir, name, script)
            _write_down(shadow.connection(), target, new, migration, script, chosen)
            from lamina.migrate.lint.command import new_migration_findings
            from lamina.migrate.lint.galera import is_galera

            result.findings = new_migration_findings(new.name, script, ctx.provider, galera=is_galera(conn))  # L5xx on a cluster
            if result.findings:
                report(Event("lint", "Lint (lamina migrate lint) of the new migration:\n" + format_text(result.findings),
                             new.name, result.findings))
        if create_only:
            report(_created_only(new.name))
            return result
        if rows is None and history.read(conn) is None:
            history.create_table(conn)
        apply_migration(conn, new)
        result.applied.append(new.name)
    report(Event("created_applied", "\n\nThe following migration(s) have been created and applied from new schema "
                 "changes:\n\n" + tree(ctx.migrations_display.rstrip("/") + "/", [new.name])
                 + "\n\nYour database is now in sync with your schema.\n", new.name))
    result.seeded = _after(ctx, skip_generate, skip_seed, bool(created), report, seeding)
    return result


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


def _name(given: str | None, migration, ask_name: Callable[[str], str] | None) -> str:
    """`name`, else the caller's answer (a terminal's prompt, the name made from the change as
    the default), else made from the change: never the bare timestamp an empty answer would give."""
    from lamina.migrate.naming import name_from_steps

    if given is not None:
        return given
    suggested = name_from_steps(migration)
    return ask_name(suggested) if ask_name is not None else suggested


def _created_only(folder: str) -> Event:
    return Event("created_only", f"Lamina created the following migration without applying it {folder}\n\n"
                 "You can now edit it and apply it by running lamina migrate dev.", folder)


def _settle_rolled_back_failures(conn, d, report: Reporter) -> bool:
    """A migration that failed inside its own transaction left nothing in the database: rather
    than ask for a reset, mark it rolled back (as `migrate resolve --rolled-back` would), so
    that the fixed file is applied now. Only for failures Lamina recorded as rolled back by the
    transaction; any other failed migration still needs a person."""
    settled = [row for row in d.failed if history.rolled_back_by_transaction(row)]
    for row in settled:
        history.record_rolled_back(conn, row.id)
        report(Event("settled", f"The migration `{row.migration_name}` failed earlier inside its transaction, which the "
                     "database rolled back: nothing of it was applied. It is now marked as rolled back and will be "
                     "applied again.", row.migration_name))
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


def _reset_needed(ctx: Context, reasons: list[str], summary: str) -> ResetNeededError:
    """The error, with the text `lamina migrate dev` prints before it exits with RESET_NEEDED_EXIT_CODE."""
    # Prisma 7.10.1 words drift alone as one sentence ("Drift detected: ...", one blank line after
    # the summary) and several reasons as a list ("- ...", two blank lines after the summary).
    alone = len(reasons) == 1 and bool(summary)
    lines = ["", reasons[0][2:] if alone else "\n".join(reasons)]
    if summary:
        lines += ["", DRIFT_INTRO, summary.rstrip("\n")]  # it starts with a blank line
        if not alone:
            lines.append("")
    lines += ["", f"We need to reset the {target_text(ctx)}", "",
              "You may use lamina migrate reset to drop the development database.", "All data will be lost."]
    error = ResetNeededError("The development database must be reset (all data is lost):\n" + "\n".join(reasons)
                             + "\n\nPass reset=True to migrate_dev to reset it, or call migrate_reset(force=True).",
                             exit_code=RESET_NEEDED_EXIT_CODE)
    error.reasons = [r[2:] for r in reasons]
    error.explanation = "\n".join(lines)
    return error


def _check_changes(conn, migration, create_only: bool, accepted: bool, confirm: Callable[[str], bool] | None,
                   report: Reporter) -> list[str]:
    """Report what the migration will do to the data; have it confirmed before applying it.
    `create_only` applies nothing, so it never asks; `accepted` (`--accept-data-loss`/`--yes`)
    answers for a script. The data-loss warnings, once accepted."""
    warnings, blocking = engine.live_check(conn, migration)
    if blocking:
        report(Event("unexecutable", "⚠️ We found changes that cannot be executed:\n\n"
                     + "\n".join(f"  • Step {i} {t}" for i, t in enumerate(blocking)) + "\n"))
        if not create_only:
            raise LaminaError(
                "You can use lamina migrate dev --create-only to create the migration file, and manually modify it "
                "to address the underlying issue(s).\nThen run lamina migrate dev to apply it and verify it works."
            )
    if warnings:
        report(Event("data_loss", "⚠️  Warnings for the current datasource:\n\n"
                     + "\n".join(f"  • {w}" for w in warnings) + "\n"))
        if create_only or accepted:
            return warnings
        if confirm is None:
            refused = DataLossError("The migration has data-loss warnings (above). Pass accept_data_loss=True to "
                                    "create and apply it, or create_only=True to write it for review without "
                                    "applying it.")
            refused.warnings = warnings
            raise refused
        if not confirm("Are you sure you want to create and apply this migration?"):
            raise LaminaError("Migration cancelled.", exit_code=130)
    return warnings


def _after(ctx: Context, skip_generate: bool, skip_seed: bool, seed: bool, report: Reporter,
           seeding: SeedRun) -> Seeded | None:
    if not skip_generate:
        from lamina.migrate.generate import maybe_generate

        maybe_generate(ctx)
    if seed and not skip_seed:
        from lamina.migrate.seed import seed as run_seed

        return run_seed(required=False, root=seeding.root, report=report, capture=seeding.capture)
    return None
