from __future__ import annotations

import click

from lamina.cli.common import schema_option


@click.group()
def db() -> None:
    """Work with the database directly (no migration files)."""


@db.command(name="pull")
@schema_option
@click.option("--print", "print_only", is_flag=True, help="Print the introspected schema instead of writing it.")
@click.option("--force", is_flag=True, help="Ignore the current schema's models (no names kept).")
@click.pass_context
def pull(ctx, schema, print_only, force):
    """Introspect the database into schema.prisma."""
    from lamina import api
    from lamina.cli.common import resolve_schema
    from lamina.migrate.events import print_event

    location = resolve_schema(ctx, schema)
    result = api.db_pull(schema=location, print_only=print_only, force=force, on_event=print_event)
    ctx.exit(_print_pulled(result, location.display(), print_only))


def _print_pulled(result, schema_display: str, print_only: bool) -> int:
    """`db pull`'s last lines, as Prisma prints them: the schema itself with `--print`."""
    from lamina.migrate.output import err, out

    if print_only:
        out(result.schema)
        if result.warnings:
            err(result.warning_comment)
        return 0
    took = f"{int(result.seconds * 1000)}ms" if result.seconds < 1 else f"{result.seconds:.2f}s"
    n = result.models
    noun, it = ("models", "them") if n > 1 else ("model", "it")  # as Prisma: 'Introspected 0 model and wrote it'
    out(f"✔ Introspected {n} {noun} and wrote {it} into {schema_display} in {took}")
    out("      ")
    if result.warnings:
        out("*** WARNING ***")
        out("")
        for line in result.warnings:
            out(line)
    out("Run lamina generate to generate the client.")
    out("")
    return 0


# ---------------------------------------------------------------- commands over the migrations workflow
# (push, execute, seed): push and seed call their lamina.api function; execute, lamina.migrate.execute.


@db.command(name="push")
@schema_option
@click.option("--accept-data-loss", is_flag=True, help="Ignore data loss warnings.")
@click.option("--force-reset", is_flag=True, help="Reset the database before syncing the schema.")
@click.option("--skip-generate", is_flag=True, help="Skip triggering generators (e.g. the client).")
@click.pass_context
def push(ctx, schema, accept_data_loss, force_reset, skip_generate):
    """Push the schema state to the database without migrations."""
    from lamina import api
    from lamina.cli.common import resolve_schema
    from lamina.migrate.events import print_event
    from lamina.migrate.output import interactive

    def confirm(question: str) -> bool:
        return interactive() and click.confirm(question, default=False)

    api.db_push(schema=resolve_schema(ctx, schema), accept_data_loss=accept_data_loss, force_reset=force_reset,
                skip_generate=skip_generate, on_event=print_event, confirm=confirm)
    ctx.exit(0)


@db.command(name="execute")
@schema_option
@click.option("--file", "file", default=None, type=click.Path(), help="Path to a file with the script to run.")
@click.option("--stdin", is_flag=True, help="Read the script from stdin.")
@click.option("--url", default=None, help="URL of the database to run the script on.")
@click.pass_context
def execute(ctx, schema, file, stdin, url):
    """Run a SQL script against the database."""
    from pathlib import Path

    from lamina.cli.common import load_env_only, resolve_schema
    from lamina.errors import LaminaError
    from lamina.migrate.execute import read_script, run_execute

    if url and schema:
        raise LaminaError("--url and --schema cannot be used together.")
    script = read_script(file, stdin)
    if url:
        load_env_only()
        ctx.exit(run_execute(script, url, Path.cwd()))
    from lamina.migrate.datasource import load_datasource

    location = resolve_schema(ctx, schema)
    ds = load_datasource(location)
    ctx.exit(run_execute(script, ds.url.raw, location.directory))


@db.command(name="seed", context_settings={"ignore_unknown_options": True})
@schema_option
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
@click.pass_context
def seed(ctx, schema, args):
    """Run the seed command ([tool.lamina] seed in pyproject.toml); extra arguments after --."""
    from lamina import api
    from lamina.cli.common import load_env_only
    from lamina.migrate.events import print_event
    from lamina.migrate.output import err

    load_env_only()
    try:
        from lamina.cli.common import resolve_schema

        resolve_schema(ctx, schema)  # loads the schema folder's .env too
    except Exception:  # noqa: BLE001 - seeding needs no schema
        pass
    try:
        api.db_seed(args=[a for a in args if a != "--"], on_event=print_event)
    except api.NoSeedCommandError as exc:  # a hint, not an error block
        err(exc.message)
        ctx.exit(1)
    ctx.exit(0)
