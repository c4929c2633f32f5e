"""Passes 1 and 2: top-level and field names (duplicates, reserved, shape), then field types.

Prisma 7.10.1 goes on after either pass whatever it found, and so does `validate()`: a name
defined twice means the last block of it (the ones replaced are kept aside, for their
attributes), and a field of a type that names nothing is in no later check but as a name.

Which name is a model, an enum or a composite type is known before the fields are read (a
first walk over the blocks registers them exactly as pass 1 does), so each field's record is
made with its type already resolved; pass 2 only reports the unknown types, in the same order.
"""

from __future__ import annotations

from lamina import datamodel as dm
from lamina.psl import ast
from lamina.psl.diagnostics import Diagnostics
from lamina.psl.parser import MSG_OPTIONAL_LIST
from lamina.psl.validate.context import SCALAR_TYPES, Context, EnumInfo, FieldInfo, ModelInfo

ARITY = {ast.Arity.REQUIRED: dm.Arity.REQUIRED, ast.Arity.OPTIONAL: dm.Arity.OPTIONAL, ast.Arity.LIST: dm.Arity.LIST}
_REQUIRED, _OPTIONAL = ast.Arity.REQUIRED, ast.Arity.OPTIONAL
TOP_KINDS = {
    ast.BlockKind.MODEL: "model",
    ast.BlockKind.VIEW: "view",
    ast.BlockKind.ENUM: "enum",
    ast.BlockKind.TYPE: "composite type",
}


# What a field's type is, by the kind of the block that defines its name.
_TYPE_KINDS = {
    ast.BlockKind.MODEL: "relation",
    ast.BlockKind.VIEW: "relation",
    ast.BlockKind.ENUM: "enum",
    ast.BlockKind.TYPE: "composite",
}


def _type_kinds(ctx: Context) -> dict[str, str]:
    """Name -> "relation" | "enum" | "composite": the names resolve_names registers (the
    last block of each name that is not a scalar type's: a type named twice means the last one
    defined, whatever its kind, in Prisma 7.10.1: seen)."""
    out: dict[str, str] = {}
    for block in ctx.ast.blocks:
        kind = _TYPE_KINDS.get(block.kind)
        if kind is not None:
            name = block.name.name
            if name not in SCALAR_TYPES:
                out[name] = kind
    return out


def note_dropped_fields(ctx: Context, parse_diagnostics: Diagnostics) -> None:
    """The fields Prisma's parser leaves out of its tree, which the passes then do not see (an
    index naming one names an unknown field): those of an optional list type (`Int[]?`), by
    where their type starts (seen with Prisma 7.10.1). Lamina's tree keeps them, for `format`."""
    ctx.dropped_field_types = {
        (d.span.file, d.span.start) for d in parse_diagnostics.errors if d.message == MSG_OPTIONAL_LIST
    }


def resolve_names(ctx: Context) -> None:
    ctx.type_kinds = _type_kinds(ctx)
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
                # A name defined twice: Prisma 7.10.1 still reads the block (its fields' or
                # values' errors come first), reports the name, and the name means the last
                # block (all seen). The one replaced goes to ctx.hidden_models / hidden_enums,
                # whose attributes are read all the same.
                if block.kind is ast.BlockKind.ENUM:
                    _enum(ctx, block)
                elif block.kind is not ast.BlockKind.TYPE:
                    _model(ctx, block)
                ctx.error(
                    f'The {kind} "{name}" cannot be defined because a {TOP_KINDS[existing.kind]} with that name already exists.',
                    block.name.span,
                )
                tops[name] = block
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
                _model(ctx, block)
        elif block.kind is ast.BlockKind.DATASOURCE:
            _duplicate_keys(ctx, block, f'source "{name}"')
        elif block.kind is ast.BlockKind.GENERATOR:
            _duplicate_keys(ctx, block, f'generator "{name}"')
            if name in generators:
                ctx.error(
                    f'The generator "{name}" cannot be defined because a generator with that name already exists.',
                    block.name.span,
                )
                continue
            generators[name] = block


def _duplicate_keys(ctx: Context, block: ast.Block, where: str) -> None:
    """A key given twice in a datasource or generator: Prisma 7.10.1 reports it with the names
    (so before the fields' types), calling a datasource a "source" (seen)."""
    properties = block.properties
    if len(properties) < 2:
        return
    seen: set[str] = set()
    for prop in properties:
        key = prop.name.name
        if key in seen:
            ctx.error(f'Key "{key}" is already defined in {where}.', prop.name.span)
        seen.add(key)


def _model(ctx: Context, block: ast.Block) -> None:
    """The record of a model or view, with its fields; it replaces one of the same name."""
    name = block.name.name
    model = ModelInfo(block=block, name=name, is_view=block.kind is ast.BlockKind.VIEW, db_name=name)
    earlier = ctx.models.pop(name, None)  # (re-inserted: the dictionary keeps the definitions' order)
    if earlier is not None:
        ctx.hidden_models.append(earlier)
    ctx.models[name] = model
    _fields(ctx, block, model)


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
    earlier = ctx.enums.get(info.name)
    if earlier is not None:
        ctx.hidden_enums.append(earlier)
    ctx.enums[info.name] = info


def _fields(ctx: Context, block: ast.Block, model: ModelInfo | None) -> None:
    """Field names of a model, view or composite type; a model's FieldInfo records, types
    resolved (and its `@@` attributes, read in the same walk over the block's items)."""
    container = TOP_KINDS[block.kind]
    seen: set[str] = set()
    Field = ast.Field
    if model is None:
        for item in block.items:
            if isinstance(item, Field):
                _field_name(ctx, item.name, seen, container, block)
        return
    fields = model.fields
    block_attrs = model.block_attributes
    relations = model.relations
    model_name = model.name
    type_kinds = ctx.type_kinds
    unknown = ctx.unknown_types
    REQUIRED, OPTIONAL, LIST = dm.Arity.REQUIRED, dm.Arity.OPTIONAL, dm.Arity.LIST
    dropped = ctx.dropped_field_types
    for item in block.items:
        if not isinstance(item, Field):
            if isinstance(item, ast.BlockAttributeItem):
                block_attrs.append(item.attribute)
            continue
        ftype = item.type
        if ftype is None:  # the parser reported it, and Prisma's leaves the field out (seen)
            continue
        if dropped and (ftype.span.file, ftype.span.start) in dropped:
            continue
        name = item.name.name
        first = _field_name(ctx, item.name, seen, container, block)
        type_name = ftype.name
        written = ftype.arity  # (ARITY[...] would hash an Enum member: a Python-level call)
        arity = REQUIRED if written is _REQUIRED else OPTIONAL if written is _OPTIONAL else LIST
        scalar = SCALAR_TYPES.get(type_name)
        if scalar is not None:
            info = FieldInfo(item, model_name, name, arity, name, "scalar", scalar)
        elif type_name == "Unsupported" and ftype.unsupported is not None:
            info = FieldInfo(item, model_name, name, arity, name, "unsupported")
        else:
            kind = type_kinds.get(type_name)
            if kind == "relation":
                info = FieldInfo(item, model_name, name, arity, name, "relation", None, None, type_name)
                info.is_relation = True
                relations.append(info)
            elif kind == "enum":
                info = FieldInfo(item, model_name, name, arity, name, "enum", None, type_name)
            elif kind == "composite":
                info = FieldInfo(item, model_name, name, arity, name, "composite")
            else:
                # Prisma gives a field of an unknown type neither scalar nor relation records: its
                # attributes are not read, and an index or `fields:` naming it is told it names a
                # relation field (all seen with Prisma 7.10.1). `is_relation` gets both, and
                # keeping it out of `relations` keeps it out of relation inference.
                info = FieldInfo(item, model_name, name, arity, name, "unknown")
                info.is_relation = True
                unknown.append(ftype)  # reported by resolve_types
        if not first:
            # Reported. Prisma 7.10.1 still reads the attributes of every field of the name, and
            # the name means the last one (an index naming it checks the last one's type: seen).
            earlier = fields.pop(name)
            if earlier is not None:
                if earlier.kind == "relation":
                    relations.remove(earlier)
                if model.duplicate_fields is None:
                    model.duplicate_fields = []
                model.duplicate_fields.append(earlier)
        fields[name] = info


def _field_name(ctx: Context, ident: ast.Identifier, seen: set[str], container: str, block: ast.Block) -> bool:
    """Report a field name of the wrong shape or given twice; False when given twice."""
    name = ident.name
    first = name[:1]
    if "0" <= first <= "9" or "-" in name:
        # Prisma 7.10.1 writes "The name of a Field" in a model, "a field" in a view (both seen).
        _check_identifier(ctx, "Field" if container == "model" else "field", ident)
    if name in seen:
        ctx.error(f'Field "{name}" is already defined on {container} "{block.name.name}".', ident.span)
        return False
    seen.add(name)
    return True


def resolve_types(ctx: Context) -> None:
    """The field types that name nothing (the records have their types from resolve_names)."""
    for ftype in ctx.unknown_types:
        _unknown_type(ctx, ftype)
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
