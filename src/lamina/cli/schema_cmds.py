from __future__ import annotations

import click

from lamina.cli.common import resolve_schema, schema_option
from lamina.errors import NotImplementedYet


@click.command()
@click.option("--datasource-provider", type=click.Choice(["sqlite", "postgresql", "mysql"]), default="sqlite")
def init(datasource_provider: str) -> None:
    """Create prisma/schema.prisma, .env and .gitignore entries for a new project."""
    raise NotImplementedYet("init")


@click.command()
@schema_option
@click.pass_context
def validate(ctx: click.Context, schema: str | None) -> None:
    """Check the schema for errors."""
    from lamina.psl.load import load_datamodel

    location = resolve_schema(ctx, schema)
    shown = location.display()
    click.echo(f"Prisma schema loaded from {shown}.\n", err=True)
    loaded = load_datamodel(location)  # raises P1012 with the rendered diagnostics
    if loaded.warnings_text:
        click.echo(loaded.warnings_text, err=True, nl=False)
    if location.is_folder:
        click.echo(f"The schemas at {shown} are valid \U0001f680")
    else:
        click.echo(f"The schema at {shown} is valid \U0001f680")


@click.command(name="format")
@schema_option
@click.option("--check", is_flag=True, help="Exit 1 and list files that are not formatted; change nothing.")
@click.pass_context
def format_(ctx: click.Context, schema: str | None, check: bool) -> None:
    """Format the schema in Prisma's canonical layout."""
    raise NotImplementedYet("format")
