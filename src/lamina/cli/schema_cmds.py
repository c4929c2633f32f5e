from __future__ import annotations

from pathlib import Path

import click

from lamina.cli.common import resolve_schema, schema_option
from lamina.errors import LaminaError


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
    click.echo(f"Prisma schema loaded from {shown}.\n", err=True)
    warnings_text = api.validate(schema=location.path).warnings  # raises P1012 with the rendered diagnostics
    if warnings_text:
        click.echo(warnings_text, err=True, nl=False)
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

    started = time.monotonic()
    location = resolve_schema(ctx, schema)
    shown = location.display()
    click.echo(f"Prisma schema loaded from {shown}.\n", err=True)
    sources = location.read_sources()
    formatted = _formatted_from_cache(sources)
    if formatted is None:
        from lamina.psl.format import format_parsed
        from lamina.psl.load import SchemaValidationError, parse_and_validate, use_color, validation_error_message
        from lamina.psl.parser import parse_schema

        # Like Prisma: refuse to format a schema that does not parse, or whose formatted text is
        # invalid; diagnostics are shown against the text they were found in.
        ast, diagnostics = parse_schema(sources)
        if not diagnostics.has_errors:
            formatted = format_parsed(ast)
            del ast  # the input's tree goes before the output's is built: one tree in memory at a time
            ast, diagnostics, _ = parse_and_validate(formatted)
        if diagnostics.has_errors:
            raise SchemaValidationError(validation_error_message(ast, diagnostics, use_color()), diagnostics)
        _formatted_to_cache(sources, formatted)
    changed = [
        (path, new_text)
        for path, (_, old_text), (_, new_text) in zip(location.files, sources, formatted)
        if old_text != new_text
    ]
    if check:
        if changed:
            click.echo("! There are unformatted files. Run lamina format to format them.", err=True)
            for path, _ in changed:
                click.echo(f"  {_display_path(path)}", err=True)
            ctx.exit(1)
        click.echo("All files are formatted correctly!")
        return
    _write_all(changed)
    elapsed = round((time.monotonic() - started) * 1000)
    click.echo(f"Formatted {shown} in {elapsed}ms \U0001f680")


def _format_cache_key(sources: list[tuple[str, str]]) -> str:
    from lamina import cache

    return cache.key(*(part for source in sources for part in source))


def _formatted_from_cache(sources: list[tuple[str, str]]) -> list[tuple[str, str]] | None:
    """The formatted files of a repeat run on the same files (lamina.cache); only schemas that
    formatted into a valid schema are stored, so errors are always found afresh."""
    import json

    from lamina import cache

    hit = cache.get("format", _format_cache_key(sources))
    if hit is None:
        return None
    texts = json.loads(hit)
    return [(name, text if text is not None else old) for (name, old), text in zip(sources, texts)]


def _formatted_to_cache(sources: list[tuple[str, str]], formatted: list[tuple[str, str]]) -> None:
    import json

    from lamina import cache

    # null for a file that was already formatted: the usual case stores almost nothing
    texts = [None if new == old else new for (_, old), (_, new) in zip(sources, formatted)]
    cache.put("format", _format_cache_key(sources), json.dumps(texts).encode("utf-8"))
    if any(text is not None for text in texts):  # the formatted files are formatted: the next run's input
        cache.put("format", _format_cache_key(formatted), json.dumps([None] * len(formatted)).encode("utf-8"))


def _display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _write_all(changed: list[tuple[Path, str]]) -> None:
    """Write every file or none: temporary files first, then renames."""
    import os

    temporaries = []
    try:
        for path, text in changed:
            temporary = path.with_name(f".{path.name}.lamina-format.tmp")
            temporary.write_bytes(text.encode("utf-8"))
            temporaries.append((temporary, path))
    except OSError as exc:
        for temporary, _ in temporaries:
            temporary.unlink(missing_ok=True)
        raise LaminaError(f"Could not write the formatted schema: {exc}") from None
    for temporary, path in temporaries:
        os.replace(temporary, path)
