"""The validator: PSL syntax tree -> resolved `Datamodel`, with Prisma's diagnostics.

`validate(ast, diagnostics)` appends errors and warnings to `diagnostics` and returns the
datamodel, or None when there is any error. It never raises for bad input.

Passes, in Prisma's order (each module says what it checks):
  config.py       datasource and generator blocks, preview features
  names_types.py  1. names (duplicates, reserved, shape)   2. field types
  attributes.py   3. field attributes (defaults.py: @default; block_attributes.py: @@...)
  relations.py    4. relation inference (pairing)
  checks.py       5. validations needing the whole schema and the provider (+ native_types.py,
                     pg_indexes.py, constraint_names.py)
  build.py        the public Datamodel (the records are dropped model by model meanwhile)
As in Prisma 7.10.1, passes 1-4 always run (on what the parser recovered, too), and pass 5
only when they, the parser and the configuration found no error.
"""

from __future__ import annotations

from lamina.datamodel import Datamodel
from lamina.psl.ast import SchemaAst
from lamina.psl.diagnostics import Diagnostics


def validate(ast: SchemaAst, diagnostics: Diagnostics) -> Datamodel | None:
    import gc

    # The passes allocate many small records and free none of them until the end: pausing
    # the cyclic collector meanwhile saves ~20% on large schemas.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _validate(ast, diagnostics)
    finally:
        if was_enabled:
            gc.enable()


def _validate(ast: SchemaAst, diagnostics: Diagnostics) -> Datamodel | None:
    from lamina.psl.validate import attributes, build, checks, config, names_types, partial_index, relations
    from lamina.psl.validate.context import Context

    ctx = Context(ast=ast, diags=Diagnostics())
    had_parse_errors = diagnostics.has_errors
    config.check_configuration(ctx)
    config_diags = ctx.diags
    ctx.diags = Diagnostics()

    # Prisma 7.10.1 goes through passes 1-4 whatever they find (parse errors included): a
    # schema with a duplicate name, an unknown type and a bad @default gets all three reported
    # (seen with its CLI). Only pass 5 waits for a schema without errors.
    if had_parse_errors:
        names_types.note_dropped_fields(ctx, diagnostics)
    names_types.resolve_names(ctx)
    names_types.resolve_types(ctx)
    attributes.resolve_attributes(ctx)
    partial_index.check_fields(ctx)
    pairs = relations.infer(ctx)
    diagnostics.early_errors = had_parse_errors or ctx.has_errors
    # Prisma reports the schema's errors before the configuration's.
    schema_diags = ctx.diags
    ctx.diags = Diagnostics()
    ctx.diags.extend(schema_diags)
    ctx.diags.extend(config_diags)
    if not (had_parse_errors or ctx.has_errors):
        checks.fill_constraint_names(ctx)
        checks.run(ctx, pairs)
    diagnostics.extend(ctx.diags)
    if diagnostics.has_errors:
        return None
    return build.build(ctx, pairs)
