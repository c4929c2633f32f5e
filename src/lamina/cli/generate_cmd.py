"""`lamina generate`: write the typed Python client of every Lamina generator block."""

from __future__ import annotations

import time
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
    from lamina import __version__
    from lamina.client.generate import generate_one, installed_package_dir, plan
    from lamina.psl.load import load_datamodel

    location = resolve_schema(ctx, schema)
    if ctx.parent is not None:  # not when `migrate dev` / `db push` run it after their own header
        click.echo(f"Prisma schema loaded from {location.display()}", err=True)
    loaded = load_datamodel(location, context="generate")
    if loaded.warnings_text:
        click.echo(loaded.warnings_text, err=True)
    runs = plan(loaded)
    if not runs:
        click.echo("No generator specified in the schema; add a `generator client { provider = \"lamina\" }` block.")
        return
    for run in runs:
        if run.skipped is not None:
            click.echo(f'Skipping generator "{run.name}": provider "{run.skipped}" is not a Lamina generator.')
            continue
        start = time.perf_counter()
        out = generate_one(loaded, run, typed_sql)
        ms = int((time.perf_counter() - start) * 1000)
        click.echo(f"✔ Generated Lamina Client ({__version__}) to {_display(out)} in {ms}ms")
        if out == installed_package_dir():
            click.echo("  Installed as the package `prisma` of this Python environment (as prisma-client-py did): "
                       "`from prisma import Prisma` works anywhere in it.")
