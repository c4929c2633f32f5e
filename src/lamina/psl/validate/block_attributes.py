"""Block attributes of models and views: `@@id`, `@@unique`, `@@index`, `@@fulltext`, `@@map`,
`@@ignore`, `@@schema`, `@@shardKey`; plus argument helpers shared with field attributes."""

from __future__ import annotations

from lamina import datamodel as dm
from lamina.psl import ast
from lamina.psl.validate import shard_keys
from lamina.psl.validate.args import (
    Arguments,
    as_bool,
    as_constant,
    as_int,
    as_str,
    mismatch,
    plain_names,
    single_string_argument,
)
from lamina.psl.validate import partial_index
from lamina.psl.validate.context import Context, IndexFieldInfo, IndexInfo, ModelInfo, PkInfo
from lamina.sql.pg_opclasses import SCHEMA_TO_SQL


def model_ignored(model: ModelInfo) -> bool:
    return any(a.name == "ignore" for a in model.block_attributes)


def map_arg(ctx: Context, args: Arguments, attr: ast.Attribute) -> str | None:
    value = args.take("map")
    if value is None:
        return None
    text = as_str(ctx, value)
    if text == "":
        ctx.error(f'Error parsing attribute "@{attr.name}": The `map` argument cannot be an empty string.', ctx.aspan(attr))
        return None
    return text


def clustered(ctx: Context, args: Arguments, attr: ast.Attribute) -> bool | None:
    value = args.take("clustered")
    if value is None:
        return None
    return as_bool(ctx, value)  # whether the provider supports it is checked in validation


def sort_order(ctx: Context, expr: ast.Expression, field_attribute: ast.Attribute | None = None) -> dm.SortOrder | None:
    """`sort:` of an index field (`@@index([a(sort: Desc)])`), or of a field-level `@id`/`@unique`
    (`field_attribute`): Prisma 7.10.1 words a bad value differently for each (seen)."""
    value = as_constant(ctx, expr)
    if value is None:
        return None
    if value not in ("Asc", "Desc"):
        if field_attribute is not None:
            ctx.attribute_error(field_attribute, f"The `sort` argument can only be `Asc` or `Desc` you provided: {value}.")
        else:
            ctx.error("Unexpected token. Expected one of: Asc, Desc", expr.span)
        return None
    return dm.SortOrder(value)


_INDEX_KINDS = {"unique": dm.IndexKind.UNIQUE, "index": dm.IndexKind.NORMAL, "fulltext": dm.IndexKind.FULLTEXT}


def model_attribute(ctx: Context, model: ModelInfo, attr: ast.Attribute) -> None:
    name = attr.name
    if name == "map":
        text = single_string_argument(ctx, attr, "name")
        if text is not None:
            model.db_name = text
            model.map_attr = attr
    elif name == "ignore":
        Arguments(ctx, attr).finish()
        model.ignored = True
    elif name == "schema":
        text = single_string_argument(ctx, attr, "map")
        if text is not None:
            model.schema = text
            model.schema_attr = attr
    elif name == "shardKey":
        shard_keys.block_level(ctx, model, attr)
    elif name == "id":
        plain = _plain_fields(attr)
        if plain is not None:  # `@@id([a, b])`: nothing else to read
            fields = _known_fields(ctx, model, plain, attr, "id")
            pk = PkInfo(fields or [], attr)
        else:
            args = Arguments(ctx, attr)
            fields = _index_fields(ctx, model, args, attr, "id")
            if fields is None and args.ok:
                # Unknown or relation fields (reported): Prisma 7.10.1 reads no other argument of
                # the attribute, so each one left is "No such argument." (seen).
                args.finish()
                return
            pk = PkInfo(fields or [], attr)
            pk.name = _name_arg(ctx, args)
            pk.map = map_arg(ctx, args, attr)
            pk.clustered = clustered(ctx, args, attr)
            args.finish()
        optional = None
        if fields is not None:
            optional = [f.name for f in fields if model.fields[f.name].arity is not dm.Arity.REQUIRED]
            if optional and not model_ignored(model):
                ctx.model_error(
                    model,
                    f"The id definition refers to the optional field `{optional[0]}`. ID definitions must reference only required fields.",
                    attr.span,
                )
        if model.pk is not None and model.pk.on_field is not None:  # (after the above: Prisma 7.10.1's order)
            ctx.model_error(
                model,
                "Each model must have at most one id criteria. You can't have `@id` and `@@id` at the same time.",
                model.block.span,
            )
            return
        if fields is not None and not (optional and not model_ignored(model)):
            model.pk = pk
    elif name in ("unique", "index", "fulltext"):
        kind = _INDEX_KINDS[name]
        plain = _plain_fields(attr)
        if plain is not None:  # `@@index([a, b])`: nothing else to read
            fields = _known_fields(ctx, model, plain, attr, name)
            if fields is not None:
                model.indexes.append(IndexInfo(kind, fields, attr))
            return
        args = Arguments(ctx, attr)
        fields = _index_fields(ctx, model, args, attr, name)
        idx = IndexInfo(kind, fields or [], attr)
        if name == "unique":
            idx.name = _name_arg(ctx, args)
        idx.map = map_arg(ctx, args, attr)
        if name == "index":
            legacy_name = args.take("name")
            if legacy_name is not None and idx.map is None:
                idx.map = as_str(ctx, legacy_name)
        if name != "fulltext":
            idx.clustered = clustered(ctx, args, attr)
        if name == "index":
            algo = args.take("type")
            if algo is not None:
                idx.algorithm = as_constant(ctx, algo)
        if name != "fulltext":
            take_where(ctx, model, args, attr, idx)
        args.finish()
        if fields is not None:
            model.indexes.append(idx)


def take_where(ctx: Context, model: ModelInfo, args: Arguments, attr: ast.Attribute, idx: IndexInfo) -> None:
    """`where:` of `@@index`, `@@unique` or `@unique` (partial indexes)."""
    value = args.take("where")
    if value is not None:
        arg_span = ctx.argument_span(attr, "where")
        partial_index.read_where(ctx, model, attr, arg_span, value, idx)


def _name_arg(ctx: Context, args: Arguments) -> str | None:
    value = args.take("name")
    return as_str(ctx, value) if value is not None else None


def _index_fields(
    ctx: Context, model: ModelInfo, args: Arguments, attr: ast.Attribute, kind: str
) -> list[IndexFieldInfo] | None:
    value = args.required("fields")
    if value is None:
        return None
    items = value.items if isinstance(value, ast.ArrayValue) else [value]
    out: list[IndexFieldInfo] = []
    ok = True
    for item in items:
        if isinstance(item, ast.ConstantValue):
            out.append(IndexFieldInfo(item.value))
        elif isinstance(item, ast.FunctionCall):
            target = IndexFieldInfo(item.name)
            fargs = Arguments(ctx, None, item.arguments)
            sort = fargs.take("sort")
            if sort is not None:
                target.sort = sort_order(ctx, sort)
                if target.sort is None:
                    ok = False
                    continue
            length = fargs.take("length")
            if length is not None:
                target.length = as_int(ctx, length)
            ops = fargs.take("ops")
            if ops is not None:
                if isinstance(ops, ast.ConstantValue):
                    if ops.value in SCHEMA_TO_SQL:
                        target.ops = ops.value
                    else:  # Prisma: a bare name must be one of its classes; others are written raw("...")
                        ctx.error(f"Unexpected token. Expected one of: Invalid operator class: {ops.value}", ops.span)
                elif isinstance(ops, ast.FunctionCall) and ops.name == "raw" and ops.arguments.arguments:
                    raw = ops.arguments.arguments[0].value
                    target.ops = f"raw({raw.value})" if isinstance(raw, ast.StringValue) else None
                else:
                    mismatch(ctx, "constant", ops)
            fargs.finish()
            out.append(target)
        else:
            mismatch(ctx, "constant literal", item)
            ok = False
    if not ok:
        return None
    return _known_fields(ctx, model, out, attr, kind)


def _plain_fields(attr: ast.Attribute) -> list[IndexFieldInfo] | None:
    """The fields of `@@index([a, b])` (or `fields: [a, b]`) when that is the only argument
    and it names fields without arguments; else None."""
    arglist = attr.arguments
    if arglist is None or len(arglist.arguments) != 1:
        return None
    arg = arglist.arguments[0]
    if arg.value is None or (arg.name is not None and arg.name.name != "fields"):
        return None
    names = plain_names(arg.value)
    if names is None:
        return None
    return [IndexFieldInfo(n) for n in names]


def _fields_value_span(attr: ast.Attribute) -> ast.Span:
    """The span of the list of fields (`fields:` or the unnamed argument), else the attribute's."""
    for arg in attr.arguments.arguments if attr.arguments else ():
        if (arg.name is None or arg.name.name == "fields") and arg.value is not None:
            return arg.value.span
    return attr.span


def _known_fields(
    ctx: Context, model: ModelInfo, out: list[IndexFieldInfo], attr: ast.Attribute, kind: str
) -> list[IndexFieldInfo] | None:
    """`out` if every field it names is a scalar field of the model, else None (reported)."""
    unknown = [f.name for f in out if f.name not in model.fields]
    if unknown:
        what = {
            "id": "The multi field id declaration refers to the unknown fields",
            "unique": "The unique index definition refers to the unknown fields:",
            "index": "The index definition refers to the unknown fields:",
            "fulltext": "The index definition refers to the unknown fields:",
        }[kind]
        if kind == "id":  # (Prisma 7.10.1's words and span: "field" for one, at the list of fields)
            what = what if len(unknown) > 1 else what[:-1]
            ctx.model_error(model, f"{what} {', '.join(f'`{u}`' for u in unknown)}.", _fields_value_span(attr))
        else:
            ctx.model_error(model, f"{what} {', '.join(unknown)}.", attr.span)
        return None
    relation = [f.name for f in out if model.fields[f.name].is_relation]
    if relation:
        if kind == "id":
            typed = [name for name in relation if model.fields[name].kind != "unknown"]
            if typed:
                ctx.model_error(
                    model,
                    f"The id definition refers to the relation fields {', '.join(typed)}. ID definitions must reference only scalar fields.",
                    attr.span,
                )
                return None
            for name in relation:  # fields of an unknown type: Prisma 7.10.1's words for them (seen)
                ctx.model_error(
                    model,
                    f"The id definition refers to the relation field `{name}`. ID definitions must reference only scalar fields.",
                    attr.span,
                )
            return None
        label = "unique index" if kind == "unique" else "index"
        message = (
            f"The {label} definition refers to the relation fields {', '.join(relation)}. Index definitions must "
            "reference only scalar fields."
        )
        suggestion = _suggest_scalars(model, [f.name for f in out])
        if suggestion is not None:
            message += f" Did you mean `@@{kind}([{', '.join(suggestion)}])`?"
        ctx.model_error(model, message, attr.span)
        return None
    if len(out) > 1 and len({f.name for f in out}) < len(out):
        _repeated_field(ctx, model, out, attr)
    return out


def _repeated_field(ctx: Context, model: ModelInfo, out: list[IndexFieldInfo], attr: ast.Attribute) -> None:
    """A field named twice in one @@id/@@unique/@@index: the first one repeated, in the words
    Prisma 7.10.1 uses for all three (seen)."""
    seen: set[str] = set()
    for f in out:
        if f.name in seen:
            ctx.model_error(model, f"The unique index definition refers to the field {f.name} multiple times.", attr.span)
            return
        seen.add(f.name)


def _suggest_scalars(model: ModelInfo, names: list[str]) -> list[str] | None:
    """The scalar fields behind the relation fields named, if every one of them has `fields:`."""
    out: list[str] = []
    for name in names:
        info = model.fields[name]
        if info.is_relation:
            if not (info.relation and info.relation.fields):
                return None
            out.extend(info.relation.fields)
        else:
            out.append(name)
    return out
