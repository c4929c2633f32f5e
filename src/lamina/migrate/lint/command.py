"""`lamina migrate lint [MIGRATION ...] [--fail-on error|warning|info] [--format text|json]
[--url URL] [--small-table-rows N]`: `lint` finds, the CLI (cli/migrate_render.py) prints.

Without names it lints the pending migrations (those the database has not applied; it needs
the database). Names are migration folder names, or paths to a folder or a .sql file. Exit 0
when no finding is at or above `--fail-on` (default: error, i.e. destructive findings), 1
otherwise. The database it reads (the pending migrations' one, or `--url`) also gives the
table sizes that weigh the locking findings (`sizes.py`); named migrations without `--url`
are linted without a database, as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lamina.errors import LaminaError, decode_text
from lamina.migrate.context import Context
from lamina.migrate.lint import Finding, lint_script
from lamina.migrate.lint.galera import configured, is_galera
from lamina.migrate.lint.sizes import TableSize, read_sizes
from lamina.migrate.output import plural


def _sources(ctx: Context, names: tuple[str, ...], galera: bool = False
             ) -> tuple[list[tuple[str, str]], bool, dict[str, TableSize] | None]:
    """(display name, SQL text) of each migration to lint, whether the L5xx rules apply (the
    database read for the pending migrations is a Galera node, or `galera` says so),
    and the table sizes of that database (None when none was read)."""
    from lamina.migrate.directory import MIGRATION_FILE, list_migrations

    local = {m.name: m for m in list_migrations(ctx.migrations_dir)}
    if not names:
        from lamina.db.connection import connect
        from lamina.migrate import history
        from lamina.migrate.diagnose import diagnose

        on_galera = _told(ctx, galera)
        sizes: dict[str, TableSize] | None = None
        try:
            with connect(ctx.url) as conn:
                rows = history.read(conn)
                on_galera = is_galera(conn, told=on_galera)
                sizes = read_sizes(conn)
        except LaminaError as exc:
            if exc.code != "P1003":  # a database not created yet has applied nothing
                raise
            rows = None
        pending = diagnose(list(local.values()), rows).pending
        return [(f"{m.name}/{MIGRATION_FILE}", m.script) for m in pending], on_galera, sizes
    out_: list[tuple[str, str]] = []
    for name in names:
        if name in local:
            out_.append((f"{name}/{MIGRATION_FILE}", local[name].script))
            continue
        path = Path(name)
        if path.is_dir():
            path = path / MIGRATION_FILE
        if not path.is_file():
            raise LaminaError(f"`{name}` is neither a migration in {ctx.migrations_display} nor a SQL file.")
        out_.append((str(path), decode_text(path.read_bytes(), path)))
    return out_, _told(ctx, galera), None


def _sizes_of(ctx: Context, galera: bool) -> tuple[dict[str, TableSize], bool]:
    """`--url` with named migrations: the sizes of that database's tables, and whether the L5xx
    rules apply (a Galera node, or `galera`)."""
    from lamina.db.connection import connect

    with connect(ctx.url) as conn:
        return read_sizes(conn), is_galera(conn, told=galera)


def _told(ctx: Context, galera: bool) -> bool:
    return ctx.provider == "mysql" and (galera or configured())


def lint_sources(sources: list[tuple[str, str]], provider: str, galera: bool = False,
                 sizes: dict[str, TableSize] | None = None, small_table_rows: int = 0) -> list[Finding]:
    findings: list[Finding] = []
    for name, text in sources:
        findings += lint_script(text, provider, name, galera=galera, sizes=sizes, small_table_rows=small_table_rows)
    return findings


def summary(findings: list[Finding], count: int) -> str:
    errors = sum(1 for f in findings if f.severity == "error")
    warnings = sum(1 for f in findings if f.severity == "warning")
    return (f"{len(findings)} {plural(len(findings), 'finding')} ({errors} {plural(errors, 'error')}, {warnings} "
            f"{plural(warnings, 'warning')}) in {count} {plural(count, 'migration')}.")


@dataclass
class Linted:
    migrations: list[str]  # the migrations linted, as the findings name them
    findings: list[Finding]


def lint(ctx: Context, names: tuple[str, ...] = (), galera: bool = False, url_given: bool = False,
         small_table_rows: int | None = None) -> Linted:
    """`url_given`: `--url` named the database (ctx.url), whose sizes named migrations are weighed by."""
    from lamina.migrate.lint.sizes import threshold
    from lamina.project import load_settings

    small = threshold(small_table_rows, load_settings().lint_small_table_rows)
    sources, on_galera, sizes = _sources(ctx, names, galera)
    if names and url_given:
        sizes, on_galera = _sizes_of(ctx, on_galera)
    return Linted([n for n, _ in sources], lint_sources(sources, ctx.provider, on_galera, sizes, small))


def new_migration_findings(name: str, text: str, provider: str, galera: bool = False) -> list[Finding]:
    """`migrate dev`: the findings of the migration it just wrote (shown on stderr; they never
    fail it); `galera`: dev's database is a cluster node (is_galera), so the L5xx rules apply too."""
    return lint_script(text, provider, f"{name}/migration.sql", galera=galera)
