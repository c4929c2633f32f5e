"""`lamina migrate check`: a thin layer over `lamina.api.migrate_check` (exit 1 on any problem)."""

from __future__ import annotations

import click

from lamina.cli.common import schema_option


@click.command(name="check")
@schema_option
@click.option("--shadow-database-url", default=None, metavar="URL",
              help="Where to replay the migrations (PostgreSQL: default a private pgserver; MySQL: required). "
                   "Everything in it is dropped.")
@click.option("--base", default="HEAD", show_default=True, metavar="REV",
              help="The git revision whose migration files must not have been edited (e.g. origin/main in a "
                   "pull request).")
@click.option("--no-git", is_flag=True, help="Do not compare the migration files with git.")
@click.pass_context
def check(ctx: click.Context, schema: str | None, shadow_database_url: str | None, base: str, no_git: bool) -> None:
    """Check that the migrations produce the schema and were not edited or reordered (no database needed)."""
    from lamina.api import migrate_check
    from lamina.cli.common import resolve_schema
    from lamina.migrate.output import err, out, plural

    location = resolve_schema(ctx, schema)
    err(f"Prisma schema loaded from {location.display()}.")
    result = migrate_check(schema=location.path, shadow_url=shadow_database_url, base=None if no_git else base)
    out()
    out(f"{result.migrations} {plural(result.migrations, 'migration')} checked"
        + (f" (files compared with git {result.compared_with})" if result.compared_with else "") + ".")
    for note in result.notes:
        err(f"Note: {note}")
    if result.ok:
        out("The migrations produce the schema.")
        return
    out()
    for problem in result.problems:
        out(f"[{problem.kind}] {problem.message}")
        out()
    out(f"{len(result.problems)} {plural(len(result.problems), 'problem')} found.")
    ctx.exit(1)
