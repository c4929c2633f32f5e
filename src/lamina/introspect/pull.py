"""`lamina db pull`: describe the datasource's database and rewrite the schema from it.

Texts follow Prisma's (`- Introspecting based on datasource defined in ...`,
`✔ Introspected N models and wrote them into ... in Xms`, printed by cli/db_cmds.py from the
`Pulled` result); an empty database is P4001 and leaves the schema file untouched.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from lamina.errors import LaminaError
from lamina.migrate.events import Event, Reporter, print_event

P4001 = (
    "The introspected database was empty:\n\n"
    "lamina db pull could not create any models in your {file} file and you will not be able to "
    "generate the client with the lamina generate command.\n\n"
    "To fix this, you have two options:\n\n"
    "- manually create a table in your database.\n"
    "- make sure the database connection URL inside the datasource block in {file} points to a "
    "database that is not empty (it must contain at least one table).\n\n"
    "Then you can run lamina db pull again."
)


class EmptyDatabase(LaminaError):
    """P4001, laid out as Prisma 7.10.1 prints it: `Error: ` alone on its line, then the code
    and the text on one line, and a blank line after."""

    def __init__(self, file: str) -> None:
        super().__init__(P4001.format(file=file), code="P4001")

    def render(self) -> str:
        return f"Error: \nP4001 {self.message}\n"


def describe_database(conn, schemas: list[str] | None = None) -> object:
    """The `SqlSchema` of a `lamina.db` connection, with the describer of its provider.

    `schemas`: the datasource's `schemas = [...]` (PostgreSQL multiSchema); every table then
    carries its namespace explicitly, so each model gets `@@schema`."""
    if conn.provider == "postgresql":
        if schemas:
            from lamina.migrate.diff_sources import describe_connection

            return describe_connection(conn.raw, "postgresql", list(schemas))
        from lamina.dialects.postgres.describe import describe

        return describe(conn.raw, [conn.url.schema or "public"])
    if conn.provider == "sqlite":
        from lamina.dialects.sqlite.describe import describe

        return describe(conn.raw)
    from lamina.dialects.mysql.describe import describe

    return describe(conn.raw)


def _datasource_schemas(sources: list[tuple[str, str]]) -> list[str]:
    from lamina.psl import ast
    from lamina.psl.parser import parse_schema

    tree, _d = parse_schema(sources)
    for block in tree.blocks:
        if block.kind is ast.BlockKind.DATASOURCE:
            for prop in block.properties:
                if prop.name.name == "schemas" and isinstance(prop.value, ast.ArrayValue):
                    return [i.value for i in prop.value.items if isinstance(i, ast.StringValue)]
    return []


@dataclass
class Pulled:
    text: str  # the schema introspected: its one file's text, or `// path` + text per file of a folder
    files: list[tuple[str, str]]  # a folder of .prisma files: (file name, text) each; [] for one file
    written: list[Path]  # the schema files written (none with print_only)
    models: int
    warnings: list[str]  # Prisma's introspection warnings, one line each
    warning_comment: str  # the same as the comment `--print` shows on stderr ("" without warnings)
    seconds: float  # how long it took


def pull(location, *, print_only: bool = False, force: bool = False, url: str | None = None,
         report: Reporter = print_event) -> Pulled:
    """Introspect the datasource's database (`url`: another one); write the schema unless
    `print_only` (the views' SQL files are written either way, as Prisma does)."""
    from lamina.db import connect
    from lamina.introspect import introspect
    from lamina.migrate.context import load_context

    context = load_context(location, url, announced=False)  # Prisma names no schema before its error here
    started = time.monotonic()
    if not print_only:
        report(Event("loaded", data=context))
        report(Event("introspecting", f"\n- Introspecting based on datasource defined in {location.display()}"))
    sources = location.read_sources()
    if not force:
        try:
            _check_valid(location)
        except LaminaError:
            # Prisma's spinner fails: `✖ Introspecting …` and a blank line on stdout (with
            # --print, the blank line only), the error on stderr.
            failed = "" if print_only else f"✖ Introspecting based on datasource defined in {location.display()}\n"
            report(Event("introspection_failed", failed))
            raise
    conn = connect(context.url)
    views = None
    try:
        schema = describe_database(conn, _datasource_schemas(sources))
        if conn.provider == "postgresql":
            from lamina.introspect.pg_domains import domain_base_types, through_domains
            from lamina.introspect.pg_enum_schemas import with_enum_schemas

            schema = with_enum_schemas(through_domains(schema, domain_base_types(conn.raw)), conn.raw)
        elif conn.provider == "sqlite":
            from lamina.introspect.sqlite_index_order import in_listed_order

            schema = in_listed_order(schema, conn.raw)
        if "views" in _preview_features(sources):
            from lamina.introspect.views import describe_views

            views = describe_views(conn, context.provider, _datasource_schemas(sources))
    finally:
        conn.close()
    if schema.is_empty and not views:  # a database with views only is not empty (Prisma 7.10.1)
        if not print_only:  # the spinner's failure, without the blank line of a schema error
            report(Event("introspection_failed", f"✖ Introspecting based on datasource defined in {location.display()}"))
        raise EmptyDatabase(Path(location.display()).name)  # the file's name, as Prisma words it
    previous = sources
    if force:
        # --force: start from the config blocks only; nothing of the previous models is kept.
        previous = [(name, _config_only(text)) for name, text in sources]
    result = introspect(schema, context.provider, previous, views)
    if views is not None:
        # As Prisma does, `--print` writes the views' SQL files too.
        from lamina.introspect.views import write_view_files
        from lamina.project import project_paths

        write_view_files(project_paths(location).views, result.view_files)
    # A folder of .prisma files: each file after a `// <path>` line, as Prisma prints them.
    folder = location.display()
    text = "".join(f"// {folder}/{name}\n{text}\n" for name, text in result.files) if result.files else result.printed()
    written: list[Path] = []
    if not print_only:
        if result.files:
            # A folder of .prisma files: every model and enum goes back to the file it came from.
            by_name = {name: path for (name, _t), path in zip(sources, location.files)}
            for name, file_text in result.files:
                written.append(by_name.get(name, location.path / name))
                written[-1].write_text(file_text, encoding="utf-8")
        else:
            location.files[0].write_text(result.text, encoding="utf-8")
            written.append(location.files[0])
    return Pulled(text, list(result.files), written, result.model_count, list(result.warnings),
                  result.warning_comment() if result.warnings else "", time.monotonic() - started)


INVALID_SCHEMA = (
    "Introspection failed as your current Prisma schema file is invalid\n\n"
    "Please fix your current schema manually (using either prisma validate or the Prisma VS Code extension to "
    "understand what's broken and confirm you fixed it), and then run this command again.\n"
    "Or run this command with the --force flag to ignore your current schema and overwrite it. All local "
    "modifications will be lost.\n"
)


def _check_valid(location) -> None:
    """P1012 on a previous schema that does not validate, in Prisma 7.10.1's words for db pull
    (the schema engine's diagnostics, then what to do); `--force` does not read it."""
    from lamina.psl.diagnostics import Diagnostics
    from lamina.psl.load import diagnostic_sources, parse_and_validate, use_color
    from lamina.psl.render import render_diagnostics

    tree, diagnostics, datamodel = parse_and_validate(diagnostic_sources(location))
    if datamodel is None:
        errors = render_diagnostics(Diagnostics(errors=list(diagnostics.errors)), tree, color=use_color())
        raise LaminaError(f"{errors}\n\n{INVALID_SCHEMA}", code="P1012")


def _preview_features(sources: list[tuple[str, str]]) -> set[str]:
    from lamina.psl import ast
    from lamina.psl.parser import parse_schema

    tree, _d = parse_schema(sources)
    features: set[str] = set()
    for block in tree.blocks:
        if block.kind is ast.BlockKind.GENERATOR:
            for prop in block.properties:
                if prop.name.name == "previewFeatures" and isinstance(prop.value, ast.ArrayValue):
                    features |= {i.value for i in prop.value.items if isinstance(i, ast.StringValue)}
    return features


def _config_only(text: str) -> str:
    """The generator/datasource blocks of a schema text, nothing else."""
    from lamina.psl.parser import parse_schema
    from lamina.psl import ast

    tree, _d = parse_schema([("schema.prisma", text)])
    blocks = [
        text[b.span.start:b.span.end]
        for b in tree.blocks
        if b.kind in (ast.BlockKind.GENERATOR, ast.BlockKind.DATASOURCE)
    ]
    return "\n\n".join(blocks) + ("\n" if blocks else "")
