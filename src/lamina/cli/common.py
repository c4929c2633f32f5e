"""What every command shares: the `--schema` option (accepted before or after the
sub-command, as Prisma accepts it after), `--config`, and loading the project's `.env`."""

from __future__ import annotations

from pathlib import Path

import click

from lamina.project import SchemaLocation, find_prisma_config, load_dotenv_files, locate_schema


def _use_config(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value is not None:
        from lamina.project import use_config_file

        use_config_file(value)


def schema_option(f):
    """`--schema`, and Prisma 7's `--config` (the prisma.config.ts to read instead of the one
    found in the current folder)."""
    f = click.option("--config", type=click.Path(), default=None, expose_value=False, callback=_use_config,
                     is_eager=True, help="Path to the Prisma config file (default: prisma.config.ts here).")(f)
    return click.option(
        "--schema",
        "schema",
        type=click.Path(),
        default=None,
        help="Path to schema.prisma, or to a folder of .prisma files.",
    )(f)


def resolve_schema(ctx: click.Context, local: str | None) -> SchemaLocation:
    """The schema named on this command, else on `lamina --schema`, else discovered; loads `.env`."""
    explicit = local
    root = ctx.find_root()
    if explicit is None and root.obj:
        explicit = root.obj.get("schema")
    config = find_prisma_config()
    if config is not None:  # as Prisma 7 starts every command
        click.echo(f"Loaded Prisma config from {config.display()}.\n", err=True)
    location = locate_schema(explicit)
    load_dotenv_files(location.directory)
    return location


def load_env_only() -> None:
    load_dotenv_files(None, Path.cwd())
