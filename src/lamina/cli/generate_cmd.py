from __future__ import annotations

import click

from lamina.cli.common import schema_option
from lamina.errors import NotImplementedYet


@click.command()
@schema_option
@click.pass_context
def generate(ctx: click.Context, schema: str | None) -> None:
    """Generate the typed Python client from the schema."""
    raise NotImplementedYet("generate")
