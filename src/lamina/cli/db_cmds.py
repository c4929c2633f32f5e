from __future__ import annotations

import click

from lamina.cli.common import schema_option
from lamina.errors import NotImplementedYet


@click.group()
def db() -> None:
    """Work with the database directly (no migration files)."""


def _stub(name: str, help_text: str) -> None:
    @db.command(name=name, help=help_text, context_settings={"ignore_unknown_options": True})
    @schema_option
    @click.argument("args", nargs=-1, type=click.UNPROCESSED)
    def command(schema, args):
        raise NotImplementedYet(f"db {name}")


_stub("push", "Push the schema state to the database without migrations.")
_stub("pull", "Introspect the database into schema.prisma.")
_stub("execute", "Run a SQL script against the database.")
_stub("seed", "Run the seed command.")
