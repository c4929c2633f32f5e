from __future__ import annotations

import click

from lamina.cli.common import schema_option


@click.group()
def migrate() -> None:
    """Create, apply and inspect migrations."""


# ---------------------------------------------------------------- commands over the migrations workflow
# (dev, deploy, status, reset, resolve, rollback, lint): each calls its lamina.api function and
# prints the events it reports and the result it returns.


def _lock_timeout_option(f):
    def store(ctx, param, value):
        from lamina.migrate.lock import set_lock_timeout

        set_lock_timeout(value)
        return value

    return click.option("--lock-timeout", "lock_timeout", default=None, metavar="DURATION", expose_value=False,
                        callback=store, help="How long one migration statement waits for a lock held by another "
                        "session (e.g. 30s, 500ms; 0 = forever). Default: LAMINA_LOCK_TIMEOUT or 60s.")(f)


def _rename_option(f):
    return click.option("--rename", "renames", multiple=True, metavar="Model.old=new|Old=New",
                        help="Declare a rename instead of a drop and an add (repeatable): a field "
                        "(`User.fullName=name`), a model or enum (`Customer=Client`), an enum value "
                        "(`Role.ADMIN=OWNER`). Left of the dot: the new schema's model or enum.")(f)


@migrate.command(name="dev")
@schema_option
@_lock_timeout_option
@click.option("--name", "-n", "name", default=None, help="Name the migration.")
@click.option("--create-only", is_flag=True, help="Create a new migration but do not apply it.")
@click.option("--python", "python", is_flag=True, help="With --create-only: add a migration.py (a data migration "
              "in Python, run after the SQL in the same transaction) to the new migration.")
@click.option("--skip-generate", is_flag=True, help="Skip triggering generators (e.g. the client).")
@click.option("--skip-seed", is_flag=True, help="Skip triggering seed.")
@click.option("--accept-data-loss", is_flag=True, help="Create and apply a migration with data-loss warnings "
              "without asking (for scripts and CI).")
@click.option("--yes", "-y", is_flag=True, help="Answer every question: accept data-loss warnings and, without "
              "--name, use the name made from the change (renames are never guessed: use --rename).")
@_rename_option
@click.option("--online", is_flag=True, help="PostgreSQL: write CREATE INDEX CONCURRENTLY and NOT VALID + VALIDATE "
              "foreign keys for existing tables (no long write locks).")
@click.pass_context
def dev(ctx, schema, name, create_only, skip_generate, skip_seed, accept_data_loss, yes, renames, python, online):
    """Create a migration from schema changes, apply it, and regenerate the client."""
    from lamina import api
    from lamina.cli.common import resolve_schema
    from lamina.migrate.dev import ACCEPT_HINT, NON_INTERACTIVE
    from lamina.migrate.events import print_event
    from lamina.migrate.output import interactive, out

    if python and not create_only:
        raise click.UsageError("--python needs --create-only: write upgrade(db), then run `lamina migrate dev` to apply it.")

    def confirm(question: str) -> bool:
        if not interactive():
            raise api.DataLossError(f"{NON_INTERACTIVE}\n\n{ACCEPT_HINT}")
        if not click.confirm(question, default=False):
            raise api.LaminaError("Migration cancelled.", exit_code=130)
        return True

    def ask_name(suggested: str) -> str:
        return click.prompt("Enter a name for the new migration", default=suggested, show_default=True)

    try:
        api.migrate_dev(schema=resolve_schema(ctx, schema), name=name, create_only=create_only, python=python,
                        skip_generate=skip_generate, skip_seed=skip_seed, accept_data_loss=accept_data_loss or yes,
                        renames=renames, online=online, on_event=print_event, confirm=confirm,
                        ask_name=ask_name if interactive() and not yes else None, ask_renames=not yes)
    except api.ResetNeededError as exc:  # Prisma's text on stdout, Lamina's exit code (migrate/dev.py)
        out(exc.explanation)
        ctx.exit(exc.exit_code)
    ctx.exit(0)


def _wait_timeout_option(f):
    def store(ctx, param, value):
        from lamina.migrate.lock import set_wait_timeout

        set_wait_timeout(value)
        return value

    return click.option("--wait-timeout", "wait_timeout", default=None, metavar="DURATION", expose_value=False,
                        callback=store, help="How long to wait while another deployer holds the migration lock "
                        "(e.g. 5m; 0 = forever). Default: LAMINA_DEPLOY_WAIT, else Prisma's 10s (a Galera "
                        "cluster's lease: 10m).")(f)


def _fleet_options(f):
    """--targets FILE (a fleet of databases with the same migrations), --concurrency, --json."""
    f = click.option("--json", "as_json", is_flag=True, help="Print the report as JSON (with --targets: one "
                     "entry per database).")(f)
    f = click.option("--concurrency", "concurrency", type=click.IntRange(min=1), default=8, show_default=True,
                     help="With --targets: how many databases at a time.")(f)
    return click.option("--targets", "targets", default=None, metavar="FILE", help="A file listing databases, one "
                        "URL or env:NAME per line (# comments; - for stdin): run on each of them instead of the "
                        "schema's datasource.")(f)


@migrate.command(name="deploy")
@schema_option
@_lock_timeout_option
@click.option("--ignore-checksums", is_flag=True, help="Apply even if applied migrations were edited.")
@_wait_timeout_option
@click.option("--wait-replicas", "wait_replicas", multiple=True, metavar="URL[,URL]|env:NAME",
              help="PostgreSQL read replicas that must have replayed the migrations before deploy ends "
              "(repeatable; comma-separated; env:NAME reads the list from a variable).")
@click.option("--replica-timeout", "replica_timeout", default=None, metavar="DURATION",
              help="How long --wait-replicas waits (default 60s; 0 = forever).")
@click.option("--no-python", "no_python", is_flag=True, help="Refuse pending migrations that contain a migration.py "
              "(nothing is applied then).")
@_fleet_options
@click.option("--fail-fast", "fail_fast", is_flag=True, help="With --targets: start no further database once one "
              "has failed.")
@click.pass_context
def deploy(ctx, schema, ignore_checksums, wait_replicas, replica_timeout, targets, concurrency, as_json, fail_fast, no_python):
    """Apply pending migrations (production)."""
    from lamina import api
    from lamina.cli.common import resolve_schema
    from lamina.cli.migrate_render import print_deployed
    from lamina.migrate.events import print_event

    if targets is not None:
        from lamina.migrate.fleet_output import run_deploy_targets
        from lamina.migrate.python_migration import python_allowed

        with python_allowed(not no_python):
            ctx.exit(run_deploy_targets(resolve_schema(ctx, schema), targets, concurrency=concurrency,
                                        fail_fast=fail_fast, as_json=as_json, ignore_checksums=ignore_checksums))
    if as_json or fail_fast:
        raise click.UsageError("--json and --fail-fast go with --targets FILE.")
    if replica_timeout and not wait_replicas:
        raise click.UsageError("--replica-timeout goes with --wait-replicas.")
    timeout_ms = None
    if replica_timeout:
        from lamina.migrate.lock import parse_duration

        timeout_ms = parse_duration(replica_timeout)
    result = api.migrate_deploy(schema=resolve_schema(ctx, schema), ignore_checksums=ignore_checksums,
                                no_python=no_python, wait_replicas=wait_replicas, replica_timeout_ms=timeout_ms,
                                on_event=print_event)
    ctx.exit(print_deployed(result))


@migrate.command(name="status")
@schema_option
@_fleet_options
@click.pass_context
def status(ctx, schema, as_json, targets, concurrency):
    """Show the status of migrations against the database."""
    from lamina import api
    from lamina.cli.common import resolve_schema
    from lamina.cli.migrate_render import print_status, print_status_json
    from lamina.migrate.events import print_event

    if targets is not None:
        from lamina.migrate.fleet_output import run_status_targets

        ctx.exit(run_status_targets(resolve_schema(ctx, schema), targets, concurrency=concurrency, as_json=as_json))
    if as_json:  # the JSON alone on stdout: no header
        ctx.exit(print_status_json(api.migrate_status(schema=resolve_schema(ctx, schema), on_event=lambda event: None)))
    ctx.exit(print_status(api.migrate_status(schema=resolve_schema(ctx, schema), on_event=print_event)))


@migrate.command(name="reset")
@schema_option
@click.option("--force", "-f", is_flag=True, help="Skip the confirmation prompt.")
@click.option("--skip-seed", is_flag=True, help="Skip triggering seed.")
@click.option("--skip-generate", is_flag=True, help="Skip triggering generators (e.g. the client).")
@click.option("--end-sessions", is_flag=True, help="End the other sessions that block the reset (PostgreSQL, MySQL).")
@_lock_timeout_option
@click.pass_context
def reset(ctx, schema, force, skip_seed, skip_generate, end_sessions):
    """Drop the database schema, reapply all migrations, run the seed."""
    from lamina import api
    from lamina.cli.common import resolve_schema
    from lamina.migrate.events import print_event
    from lamina.migrate.output import interactive, out
    from lamina.migrate.reset import NON_INTERACTIVE

    def confirm(question: str) -> bool:
        if not interactive():
            raise api.LaminaError(NON_INTERACTIVE)
        return click.confirm(question, default=False)

    result = api.migrate_reset(schema=resolve_schema(ctx, schema), force=force, skip_seed=skip_seed,
                               skip_generate=skip_generate, end_sessions=end_sessions, on_event=print_event,
                               confirm=confirm)
    if result.cancelled:
        out("\nReset cancelled.")
        ctx.exit(130)
    ctx.exit(0)


@migrate.command(name="resolve")
@schema_option
@click.option("--applied", default=None, help="Record a specific migration as applied.")
@click.option("--rolled-back", "rolled_back", default=None, help="Record a specific migration as rolled back.")
@click.pass_context
def resolve(ctx, schema, applied, rolled_back):
    """Mark a failed migration as applied or rolled back."""
    from lamina import api
    from lamina.cli.common import resolve_schema
    from lamina.migrate.events import print_event
    from lamina.migrate.output import out

    location = resolve_schema(ctx, schema)
    if bool(applied) == bool(rolled_back):
        raise api.LaminaError(
            "--applied or --rolled-back must be part of the command, but not both:\n"
            "  lamina migrate resolve --applied NAME\n  lamina migrate resolve --rolled-back NAME"
        )
    result = api.migrate_resolve(schema=location, applied=applied, rolled_back=rolled_back, on_event=print_event)
    out()
    out(f"Migration {result.name} marked as {result.state.replace('_', ' ')}.")
    out()
    ctx.exit(0)


@migrate.command(name="rollback")
@schema_option
@_lock_timeout_option
@click.option("--to", "to", default=None, metavar="NAME", help="Roll back every migration applied after NAME.")
@click.option("--steps", "steps", default=None, type=int, metavar="N", help="Roll back the last N applied "
              "migrations (default 1).")
@click.option("--force", is_flag=True, help="Roll back even a migration whose down.sql is marked irreversible.")
@click.pass_context
def rollback(ctx, schema, to, steps, force):
    """Undo the last applied migration(s) with their down.sql."""
    from lamina import api
    from lamina.cli.common import resolve_schema
    from lamina.cli.migrate_render import print_rolled_back
    from lamina.migrate.events import print_event

    result = api.migrate_rollback(schema=resolve_schema(ctx, schema), to=to, steps=steps, force=force,
                                  on_event=print_event)
    ctx.exit(print_rolled_back(result, to))


@migrate.command(name="lint")
@schema_option
@click.argument("names", nargs=-1, metavar="[MIGRATION]...")
@click.option("--fail-on", "fail_on", type=click.Choice(["error", "warning", "info"]), default="error",
              show_default=True, help="Exit 1 when a finding is at or above this severity (error: destructive).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--galera", is_flag=True, help="MySQL/MariaDB: the migrations go to a Galera cluster (the L5xx rules; "
              "also LAMINA_GALERA=1; found by itself when the database read for the pending migrations is a node).")
@click.option("--url", default=None, metavar="URL", help="The database to read instead of the datasource's: its "
              "pending migrations (without names) and its table sizes, which weigh the locking findings.")
@click.option("--small-table-rows", "small_table_rows", type=click.IntRange(min=0), default=None, metavar="N",
              help="With a database to read: a locking finding (L2xx, L4xx) on a table of fewer rows (the server's "
              "estimate) is info. Default: [tool.lamina] lint_small_table_rows, LAMINA_LINT_SMALL_TABLE_ROWS or 100000.")
@click.pass_context
def lint(ctx, schema, names, fail_on, fmt, galera, url, small_table_rows):
    """Report destructive, locking and backward-incompatible statements in migrations (default: the pending ones)."""
    from lamina import api
    from lamina.cli.common import resolve_schema
    from lamina.cli.migrate_render import print_lint

    result = api.migrate_lint(schema=resolve_schema(ctx, schema), migrations=names, url=url, fail_on=fail_on,
                              galera=galera, small_table_rows=small_table_rows)
    ctx.exit(print_lint(result, fmt))


# ---------------------------------------------------------------- migrate diff: the engine's one command


_SIDES = (
    ("empty", "Assume an empty data source", True),
    ("schema-datamodel", "A schema file (or folder): its models", False),
    ("schema", "A schema file (or folder): its models (Prisma 7 spelling)", False),
    ("schema-datasource", "The database a schema file's datasource points to", False),
    ("config-datasource", "The database of the project's datasource (Prisma 7 spelling)", True),
    ("url", "A database URL", False),
    ("migrations", "A migrations folder, replayed on a shadow database", False),
)


def _diff_options(f):
    for direction in ("to", "from"):
        for name, help_text, is_flag in reversed(_SIDES):
            opt = f"--{direction}-{name}"
            dest = f"{direction}_{name.replace('-', '_')}"
            if is_flag:
                f = click.option(opt, dest, is_flag=True, help=help_text)(f)
            else:
                f = click.option(opt, dest, default=None, metavar="VALUE", help=help_text)(f)
    return f


def _side(direction: str, values: dict, schema_path: str | None):
    from lamina.errors import LaminaError
    from lamina.migrate.diff_sources import Side

    given = [(name, values[f"{direction}_{name.replace('-', '_')}"]) for name, _, _ in _SIDES]
    given = [(n, v) for n, v in given if v]
    if len(given) != 1:
        choices = ", ".join(f"`--{direction}-{n}`" for n, _, _ in _SIDES)
        what = "Exactly one" if given else "One"
        raise LaminaError(f"{what} of {choices} must be provided.", exit_code=1)
    name, value = given[0]
    kind = {"empty": "empty", "schema-datamodel": "schema", "schema": "schema", "schema-datasource": "datasource",
            "config-datasource": "datasource", "url": "url", "migrations": "migrations"}[name]
    if name == "config-datasource":
        value = schema_path
    return Side(kind, None if kind == "empty" else value)


class _DiffCommand(click.Command):
    """`migrate diff --exit-code` promises 2 for "changes": a usage error must exit 1."""

    def parse_args(self, ctx, args):
        from lamina.errors import LaminaError

        try:
            return super().parse_args(ctx, args)
        except click.UsageError as exc:
            raise LaminaError(exc.format_message()) from None


@migrate.command(name="diff", cls=_DiffCommand)
@schema_option
@_diff_options
@click.option("--shadow-database-url", default=None, help="Shadow database for --from/--to-migrations.")
@click.option("--script", "as_script", is_flag=True, help="Print a SQL script instead of a summary.")
@click.option("--exit-code", "exit_code", is_flag=True, help="Exit 0 when empty, 2 when there are changes, 1 on error.")
@click.option("-o", "--output", "output", default=None, type=click.Path(), help="Write to a file instead of stdout.")
@_rename_option
@click.option("--down", is_flag=True, help="Print the inverse: from the --to side back to the --from side.")
@click.pass_context
def diff(ctx, schema, shadow_database_url, as_script, exit_code, output, renames, down, **sides):
    """Compare two schema sources and print the difference or the SQL script."""
    import sys

    from lamina import api
    from lamina.cli.common import load_env_only

    load_env_only()
    root = ctx.find_root()
    schema_path = schema or (root.obj or {}).get("schema")
    if schema_path is None and (sides.get("from_config_datasource") or sides.get("to_config_datasource")):
        from lamina.project import locate_schema

        schema_path = str(locate_schema(None).path)
    chosen = {}  # the two sides given, as api.migrate_diff's keyword arguments (from_url=..., to_empty=True)
    for direction in ("from", "to"):
        side = _side(direction, sides, schema_path)
        chosen[f"{direction}_{side.kind}"] = True if side.value is None else side.value
    result = api.migrate_diff(**chosen, script=as_script, shadow_url=shadow_database_url, schema=schema_path,
                              renames=renames, down=down)
    text, changed = result.text, result.changed
    # Prisma's CLI writes the text plus a newline (to the file or stdout), then prints
    # the command's empty result, one more newline, unless --exit-code ends the process first
    # with 2: a script on stdout ends `;\n\n\n`, in a file `;\n\n` (anchors/PRISMA-FACTS.md).
    if output:
        from pathlib import Path

        Path(output).parent.mkdir(parents=True, exist_ok=True)
        Path(output).write_text(text + "\n", encoding="utf-8")
    else:
        sys.stdout.write(text + "\n")
    if exit_code and changed:
        sys.stdout.flush()
        ctx.exit(2)
    sys.stdout.write("\n")
    sys.stdout.flush()


# ---------------------------------------------------------------- migrate check (cli/check_cmd.py)

from lamina.cli.check_cmd import check  # noqa: E402

migrate.add_command(check)
