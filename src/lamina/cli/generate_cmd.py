"""`lamina generate`: write the typed Python client of every Lamina generator block."""

from __future__ import annotations

import functools

from pathlib import Path

import click

from lamina.cli.common import resolve_schema, schema_option


def _display(path: Path) -> str:
    try:
        rel = path.resolve().relative_to(Path.cwd().resolve())
        return "./" + str(rel)
    except ValueError:
        return str(path)


@click.command()
@schema_option
@click.option("--sql", "typed_sql", is_flag=True,
              help="Also generate typed functions from prisma/sql/*.sql (typedSql preview feature; reads the database).")
@click.pass_context
def generate(ctx: click.Context, schema: str | None, typed_sql: bool = False) -> None:
    """Generate the typed Python client from the schema."""
    from lamina import api

    location = resolve_schema(ctx, schema)
    # `lamina generate` itself, not the run after migrate dev / db push / migrate reset, which
    # printed their own header and (as Prisma 7.10.1's) no warnings of the schema
    standalone = ctx.parent is not None
    if standalone:
        click.echo(f"Prisma schema loaded from {location.display()}.", err=True)
    result = api.generate(schema=location, typed_sql=typed_sql,
                          on_event=functools.partial(_print_event, warnings=standalone))
    if not result.clients:
        click.echo("No generator specified in the schema; add a `generator client { provider = \"lamina\" }` block.")


def _print_event(event, *, warnings: bool = True) -> None:
    """Each generator block as it is done (and, with `warnings`, the schema's warnings before)."""
    from lamina import __version__

    if event.kind == "warnings":
        if warnings:
            click.echo(event.text, err=True, nl=False)
        return
    client = event.data
    if client.output is None:
        click.echo(f'Skipping generator "{client.name}": provider "{client.skipped_provider}" is not a Lamina generator.')
        return
    click.echo(f"✔ Generated Lamina Client ({__version__}) to {_display(client.output)} in {client.ms}ms")
    if client.installed:
        click.echo("  Installed as the package `prisma` of this Python environment (as prisma-client-py did): "
                   "`from prisma import Prisma` works anywhere in it.")
