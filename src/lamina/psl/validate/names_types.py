"""Passes 1 and 2: top-level and field names (duplicates, reserved, shape), then field types.

Prisma stops after either pass when it found errors, and so does `validate()`.
"""

from __future__ import annotations

from lamina import datamodel as dm
from lamina.psl import ast
from lamina.psl.validate.context import SCALAR_TYPES, Context, EnumInfo, FieldInfo, ModelInfo

ARITY = {ast.Arity.REQUIRED: dm.Arity.REQUIRED, ast.Arity.OPTIONAL: dm.Arity.OPTIONAL, ast.Arity.LIST: dm.Arity.LIST}
TOP_KINDS = {
    ast.BlockKind.MODEL: "model",
    ast.BlockKind.VIEW: "view",
    ast.BlockKind.ENUM: "enum",
    ast.BlockKind.TYPE: "composite type",
}


def resolve_names(ctx: Context) -> None:
    tops: dict[str, ast.Block] = {}
    generators: dict[str, ast.Block] = {}
    for block in ctx.ast.blocks:
        name = block.name.name
        if block.kind in TOP_KINDS:
            kind = TOP_KINDS[block.kind]
            _check_identifier(ctx, kind, block.name)
            if name in SCALAR_TYPES:
                ctx.error(f'"{name}" is a reserved scalar type name and cannot be used.', block.name.span)
                continue
            existing = tops.get(name)
            if existing is not None:
                ctx.error(
                    f'The {kind} "{name}" cannot be defined because a {TOP_KINDS[existing.kind]} with that name already exists.',
                    block.name.span,
                )
                continue
            tops[name] = block
            if name in RESERVED_NAMES:
                _reserved(ctx, block, kind)
            if block.kind is ast.BlockKind.ENUM:
                _enum(ctx, block)
            elif block.kind is ast.BlockKind.TYPE:
                ctx.composite_types[name] = block
                _fields(ctx, block, None)
            else:
                model = ModelInfo(block=block, name=name, is_view=block.kind is ast.BlockKind.VIEW, db_name=name)
                ctx.models[name] = model
                _fields(ctx, block, model)
        elif block.kind is ast.BlockKind.GENERATOR:
            if name in generators:
                ctx.error(
                    f'The generator "{name}" cannot be defined because a generator with that name already exists.',
                    block.name.span,
                )
                continue
            generators[name] = block


RESERVED_NAMES = {"PrismaClient"}  # names the generated client needs for itself


def _reserved(ctx: Context, block: ast.Block, kind: str) -> None:
    name = block.name.name
    if block.kind is ast.BlockKind.ENUM:
        ctx.error(
            f"Error validating enum `{name}`: The enum name `{name}` is invalid. It is a reserved name. Please change it. "
            "Read more at https://www.prisma.io/docs/reference/tools-and-interfaces/prisma-schema/data-model#naming-enums",
            block.span,
        )
    elif block.kind in (ast.BlockKind.MODEL, ast.BlockKind.VIEW):
        ctx.error(
            f'Error validating {kind} "{name}": The {kind} name `{name}` is invalid. It is a reserved name. Please change it. '
            "Read more at https://pris.ly/d/naming-models",
            block.span,
        )


def _check_identifier(ctx: Context, kind: str, ident: ast.Identifier) -> None:
    first = ident.name[:1]
    if "0" <= first <= "9":
        ctx.plain_error(f"The name of a {kind} must not start with a number.", ident.span)
    elif "-" in ident.name:  # noqa: SIM114
        ctx.plain_error(f"The character `-` is not allowed in {kind} names.", ident.span)


def _enum(ctx: Context, block: ast.Block) -> None:
    info = EnumInfo(block=block, name=block.name.name, db_name=block.name.name)
    seen: set[str] = set()
    for value in block.values:
        if value.name.name in seen:
            ctx.error(f'Value "{value.name.name}" is already defined on enum "{block.name.name}".', value.span)
            continue
        seen.add(value.name.name)
        info.values.append(dm.EnumValueDef(value.name.name, value.name.name, value.documentation))
    if not block.values:
        ctx.plain_error("An enum must have at least one value.", block.span)
    ctx.enums[info.name] = info


def _fields(ctx: Context, block: ast.Block, model: ModelInfo | None) -> None:
    container = TOP_KINDS[block.kind]
    seen: set[str] = set()
    for f in block.fields:
        first = f.name.name[:1]
        if "0" <= first <= "9" or "-" in f.name.name:
            _check_identifier(ctx, "field", f.name)
        if f.name.name in seen:
            ctx.error(f'Field "{f.name.name}" is already defined on {container} "{block.name.name}".', f.name.span)
            continue
        seen.add(f.name.name)
        if f.type is None:  # the parser reported it
            continue
        if model is not None:
            arity = ARITY[f.type.arity]
            model.fields[f.name.name] = FieldInfo(node=f, model=model.name, name=f.name.name, arity=arity, db_name=f.name.name)


def resolve_types(ctx: Context) -> None:
    for model in ctx.models.values():
        for info in model.fields.values():
            _resolve_type(ctx, info)
    for block in ctx.composite_types.values():
        for f in block.fields:
            if f.type is not None and f.type.name != "Unsupported" and not _known(ctx, f.type.name):
                _unknown_type(ctx, f.type)


def _known(ctx: Context, name: str) -> bool:
    return name in SCALAR_TYPES or name in ctx.models or name in ctx.enums or name in ctx.composite_types


def _unknown_type(ctx: Context, ftype: ast.FieldType) -> None:
    name = ftype.name
    for candidate in list(SCALAR_TYPES) + list(ctx.models) + list(ctx.enums) + list(ctx.composite_types):
        if candidate.lower() == name.lower():
            ctx.error(
                f'Type "{name}" is neither a built-in type, nor refers to another model, composite type, or enum. Did you mean "{candidate}"?',
                _type_name_span(ftype),
            )
            return
    ctx.error(
        f'Type "{name}" is neither a built-in type, nor refers to another model, composite type, or enum.',
        _type_name_span(ftype),
    )


def _type_name_span(ftype: ast.FieldType) -> ast.Span:
    return ast.Span(ftype.span.start, ftype.span.start + len(ftype.name), ftype.span.file)


def _resolve_type(ctx: Context, info: FieldInfo) -> None:
    ftype = info.node.type
    assert ftype is not None
    name = ftype.name
    if name == "Unsupported" and ftype.unsupported is not None:
        info.kind = "unsupported"
        info.unsupported = ftype.unsupported.value
    elif name in SCALAR_TYPES:
        info.kind = "scalar"
        info.scalar = SCALAR_TYPES[name]
    elif name in ctx.enums:
        info.kind = "enum"
        info.enum = name
    elif name in ctx.models:
        info.kind = "relation"
        info.is_relation = True
        info.related = name
    elif name in ctx.composite_types:
        info.kind = "composite"
    else:
        _unknown_type(ctx, ftype)
