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
    ast, diagnostics = parse_schema(sources)
    return format_parsed(ast, parse_errors=diagnostics.has_errors)[0]


def format_parsed(ast: SchemaAst, *, parse_errors: bool = True, complete: bool = True) -> tuple[list[tuple[str, str]], bool]:
    """`format_schema` of a tree the caller already parsed (`lamina format` parses first to
    refuse a schema with syntax errors: one parse, not two), and whether relation completion
    added to `ast` (it completes the tree in place). `parse_errors=False` says the parser
    reported no error, so that no line is left unparsed (the parser reports every line it
    cannot read): the layout then skips looking for them. `complete=False`: lay out only, as
    Prisma does for a schema with errors before its last validation pass."""
    with paused_gc():
        completed = complete_relations(ast) if complete else False
        return [(source.name, format_file(source, unparsed_lines=parse_errors)) for source in ast.files], completed
