"""`format_schema`: Prisma's `prisma format` for one schema (one or several files).

Parses every file (syntax errors do not stop formatting: unparsable lines are kept as
written), completes missing relation fields and `@relation` arguments as Prisma does, and
lays each file out canonically. Idempotent; never raises for any input.
"""

from __future__ import annotations

from lamina.psl.ast import SchemaAst
from lamina.psl.format.layout import format_file
from lamina.psl.format.relations import complete_relations
from lamina.psl.parser import parse_schema, paused_gc


def format_schema(sources: list[tuple[str, str]]) -> list[tuple[str, str]]:
    ast, _diagnostics = parse_schema(sources)
    return format_parsed(ast)


def format_parsed(ast: SchemaAst) -> list[tuple[str, str]]:
    """`format_schema` of a tree the caller already parsed (`lamina format` parses first to
    refuse a schema with syntax errors: one parse, not two). Completing relations adds to `ast`."""
    with paused_gc():
        complete_relations(ast)
        return [(source.name, format_file(source)) for source in ast.files]
