"""`lamina erd`: the schema's entity-relationship diagram as Mermaid, Graphviz DOT or SVG."""

from __future__ import annotations

from pathlib import Path

import click

from lamina.cli.common import resolve_schema, schema_option


@click.command()
@schema_option
@click.option("--format", "fmt", type=click.Choice(["mermaid", "dot", "svg"]), default="mermaid", show_default=True,
              help="mermaid renders on GitHub and in Markdown viewers; svg needs Graphviz's dot.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file instead of stdout.")
@click.option("--db-names", is_flag=True, help="Tables and columns as the database names them (@@map, @map).")
@click.pass_context
def erd(ctx: click.Context, schema: str | None, fmt: str, output: Path | None, db_names: bool) -> None:
    """Draw the schema's entity-relationship diagram."""
    from lamina.erd import diagram
    from lamina.erd import dot, mermaid
    from lamina.errors import LaminaError
    from lamina.psl.load import load_datamodel

    loaded = load_datamodel(resolve_schema(ctx, schema))
    d = diagram(loaded.datamodel, db_names=db_names)
    text = mermaid.render(d) if fmt == "mermaid" else dot.render(d)
    if fmt == "svg":
        text = dot.to_svg(text)
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise LaminaError(f"Cannot write the diagram to {output}: {exc.strerror or exc}.") from None
    click.echo(f"Wrote the {fmt} diagram of {len(d.entities)} models to {output}.", err=True)
