from __future__ import annotations

import click

from lamina.cli.common import schema_option
from lamina.errors import NotImplementedYet


@click.group()
def migrate() -> None:
    """Create, apply and inspect migrations."""


def _stub(name: str, help_text: str) -> None:
    @migrate.command(name=name, help=help_text, context_settings={"ignore_unknown_options": True})
    @schema_option
    @click.argument("args", nargs=-1, type=click.UNPROCESSED)
    def command(schema, args):
        raise NotImplementedYet(f"migrate {name}")


# ---------------------------------------------------------------- workflow helper's commands
# (dev, deploy, status, reset, resolve): thin wrappers over lamina.migrate.<command>.


def _exit(code: int) -> None:
    # `lamina.cli.main` runs click with standalone_mode=False, which swallows ctx.exit codes.
    import sys

    sys.exit(code)


def _context(ctx: click.Context, schema: str | None, url: str | None = None):
    from lamina.cli.common import resolve_schema
    from lamina.migrate.context import load_context

    return load_context(resolve_schema(ctx, schema), url)


@migrate.command(name="dev")
@schema_option
@click.option("--name", "-n", "name", default=None, help="Name the migration.")
@click.option("--create-only", is_flag=True, help="Create a new migration but do not apply it.")
@click.option("--skip-generate", is_flag=True, help="Skip triggering generators (e.g. the client).")
@click.option("--skip-seed", is_flag=True, help="Skip triggering seed.")
@click.pass_context
def dev(ctx, schema, name, create_only, skip_generate, skip_seed):
    """Create a migration from schema changes, apply it, and regenerate the client."""
    from lamina.migrate.dev import run_dev

    _exit(run_dev(_context(ctx, schema), name=name, create_only=create_only,
                     skip_generate=skip_generate, skip_seed=skip_seed))


@migrate.command(name="deploy")
@schema_option
@click.option("--ignore-checksums", is_flag=True, help="Apply even if applied migrations were edited.")
@click.pass_context
def deploy(ctx, schema, ignore_checksums):
    """Apply pending migrations (production)."""
    from lamina.migrate.deploy import run_deploy

    _exit(run_deploy(_context(ctx, schema), ignore_checksums=ignore_checksums))


@migrate.command(name="status")
@schema_option
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
@click.pass_context
def status(ctx, schema, as_json):
    """Show the status of migrations against the database."""
    from lamina.migrate.status import run_status

    _exit(run_status(_context(ctx, schema), as_json=as_json))


@migrate.command(name="reset")
@schema_option
@click.option("--force", "-f", is_flag=True, help="Skip the confirmation prompt.")
@click.option("--skip-seed", is_flag=True, help="Skip triggering seed.")
@click.option("--skip-generate", is_flag=True, help="Skip triggering generators (e.g. the client).")
@click.pass_context
def reset(ctx, schema, force, skip_seed, skip_generate):
    """Drop the database schema, reapply all migrations, run the seed."""
    from lamina.migrate.reset import run_reset

    _exit(run_reset(_context(ctx, schema), force=force, skip_seed=skip_seed, skip_generate=skip_generate))


@migrate.command(name="resolve")
@schema_option
@click.option("--applied", default=None, help="Record a specific migration as applied.")
@click.option("--rolled-back", "rolled_back", default=None, help="Record a specific migration as rolled back.")
@click.pass_context
def resolve(ctx, schema, applied, rolled_back):
    """Mark a failed migration as applied or rolled back."""
    from lamina.migrate.resolve import run_resolve

    _exit(run_resolve(_context(ctx, schema), applied, rolled_back))


_stub("diff", "Compare two schema sources and print the difference or the SQL script.")
