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


_stub("dev", "Create a migration from schema changes, apply it, and regenerate the client.")
_stub("deploy", "Apply pending migrations (production).")
_stub("status", "Show the status of migrations against the database.")
_stub("reset", "Drop the database schema, reapply all migrations, run the seed.")
_stub("resolve", "Mark a failed migration as applied or rolled back.")
_stub("diff", "Compare two schema sources and print the difference or the SQL script.")
