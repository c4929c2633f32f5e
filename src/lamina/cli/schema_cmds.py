from __future__ import annotations

import contextlib
from pathlib import Path

import click

from lamina.cli.common import resolve_schema, schema_option


@click.command()
@click.option("--datasource-provider", type=click.Choice(["sqlite", "postgresql", "mysql"]), default="sqlite")
def init(datasource_provider: str) -> None:
    """Create prisma/schema.prisma, .env and .gitignore entries for a new project."""
    from lamina.cli.init_project import init_project

    click.echo(init_project(Path.cwd(), datasource_provider))


@click.command()
@schema_option
@click.pass_context
def validate(ctx: click.Context, schema: str | None) -> None:
    """Check the schema for errors."""
    from lamina import api

    location = resolve_schema(ctx, schema)
    shown = location.display()
    click.echo(f"Prisma schema loaded from {shown}.", err=True)
    with _blank_line_before_errors():
        warnings_text = api.validate(schema=location.path).warnings  # raises P1012 with the rendered diagnostics
    _echo_warnings(warnings_text)
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
    import time

    from lamina import api
    from lamina.psl.load import use_color

    started = time.monotonic()
    location = resolve_schema(ctx, schema)
    shown = location.display()
    click.echo(f"Prisma schema loaded from {shown}.", err=True)
    with _blank_line_before_errors():
        result = api.format_schema(schema=location, check=check, color=use_color())
    _echo_warnings(result.warnings)
    if check:
        if result.changed:
            click.echo("! There are unformatted files. Run lamina format to format them.", err=True)
            for path in result.changed:
                click.echo(f"  {_display_path(path)}", err=True)
            ctx.exit(1)
        click.echo("All files are formatted correctly!")
        return
    elapsed = round((time.monotonic() - started) * 1000)
    click.echo(f"Formatted {shown} in {elapsed}ms \U0001f680")


@contextlib.contextmanager
def _blank_line_before_errors():
    """Prisma's validate and format put a blank line between "Prisma schema loaded from …" and
    what follows it (the warnings, the P1012 block), and none when nothing follows."""
    from lamina.errors import LaminaError

    try:
        yield
    except LaminaError:
        click.echo("", err=True)
        raise


def _echo_warnings(warnings_text: str) -> None:
    if warnings_text:
        click.echo("\n" + warnings_text, err=True, nl=False)


def _display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
