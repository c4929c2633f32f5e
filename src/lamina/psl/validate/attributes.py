"""Pass 3: field and block attributes of models, views and enums.

Fills `FieldInfo` (map, default, native type, updatedAt, ignore, @relation arguments) and
`ModelInfo` (db name, primary key, indexes, schema, ignore). Errors are Prisma's
"Error parsing attribute ..." family. `@default` lives in defaults.py.
"""

from __future__ import annotations

from collections import Counter

from lamina import datamodel as dm
from lamina.psl import ast
from lamina.psl.validate import defaults, relations, shard_keys
from lamina.psl.validate.args import Arguments, as_constant, as_int, as_str, plain_names, single_string_argument
from lamina.psl.validate.block_attributes import clustered, map_arg, model_attribute, model_ignored, sort_order, take_where
from lamina.psl.validate.context import (
    Context,
    FieldInfo,
    IndexFieldInfo,
    IndexInfo,
    ModelInfo,
    PkInfo,
    RelationAttr,
)

ACTIONS = {a.value: a for a in dm.ReferentialAction}
FIELD_ATTRS = frozenset({"id", "unique", "default", "map", "updatedAt", "ignore", "relation", "shardKey"})
SCALAR_FIELD_ONLY_ATTRS = frozenset({"shardKey", "updatedAt"})  # on a relation field, Prisma does not know them
MODEL_ATTRS = ("ignore", "id", "map", "schema", "index", "unique", "fulltext", "shardKey")
REPEATABLE_MODEL_ATTRS = frozenset({"unique", "index", "fulltext"})
MODEL_ATTR_NAMES = frozenset(MODEL_ATTRS)
_NOT_REPEATABLE: frozenset[str] = frozenset()
_ENUM_VALUE_ATTRS = frozenset({"map"})
_ENUM_ATTRS = frozenset({"map", "schema"})


def resolve_attributes(ctx: Context) -> None:
    models = ctx.models
    if ctx.hidden_models:  # models of a name defined twice: every one is read, in schema order
        records = {id(m.block): m for m in (*ctx.hidden_models, *models.values())}
        in_order = [records[id(b)] for b in ctx.ast.blocks if id(b) in records]
        for info in in_order:
            _relation_attributes(ctx, info)
        for info in in_order:
            _model(ctx, info)
        for block in ctx.ast.blocks:
            if block.kind is ast.BlockKind.ENUM:
                _enum(ctx, block)
        return
    for info in models.values():
        _relation_attributes(ctx, info)
    MODEL, VIEW, ENUM = ast.BlockKind.MODEL, ast.BlockKind.VIEW, ast.BlockKind.ENUM
    for block in ctx.ast.blocks:
        kind = block.kind
        if kind is MODEL or kind is VIEW:
            model = models.get(block.name.name)
            if model is not None and model.block is block:
                _model(ctx, model)
        elif kind is ENUM:
            _enum(ctx, block)


def _duplicates(
    ctx: Context, attrs: list[ast.Attribute], repeatable: frozenset[str], known: frozenset[str]
) -> set[int] | None:
    """Report non-repeatable attributes given twice; return ids of the ones to skip (None:
    none to skip, the usual case, told without counting). Only attributes that are `known`
    (or native types) count: an unknown one given twice is "not known" twice in Prisma 7.10.1
    (seen)."""
    if len(attrs) < 2:
        return None
    if len(attrs) == 2:
        if attrs[0].name != attrs[1].name:
            return None
    elif len({a.name for a in attrs}) == len(attrs):
        return None
    counts = Counter(a.name for a in attrs)
    skip: set[int] = set()
    for a in attrs:
        if counts[a.name] > 1 and a.name not in repeatable and (a.name in known or "." in a.name):
            ctx.error(f'Attribute "@{a.name}" can only be defined once.', a.span)
            skip.add(id(a))
    return skip or None


def _field_attributes(ctx: Context, model: ModelInfo, info: FieldInfo) -> None:
    attrs = info.node.read_attributes()  # (not kept on the tree: see ast.Field)
    if not attrs:
        return
    skip = _duplicates(ctx, attrs, _NOT_REPEATABLE, FIELD_ATTRS)
    unknown: list[ast.Attribute] | None = None
    seen_native = False
    is_relation = info.is_relation
    for attr in attrs:
        if skip is not None and id(attr) in skip:
            continue
        name = attr.name
        if name == "default" and not is_relation:  # (the most common one, straight there)
            defaults.visit_default(ctx, model, info, attr)
        elif name in FIELD_ATTRS:  # (no known name has a dot: none is a native type)
            if is_relation and name in SCALAR_FIELD_ONLY_ATTRS:
                unknown = [attr] if unknown is None else [*unknown, attr]
            else:
                _field_attribute(ctx, model, info, attr)
        elif "." in name:
            if info.kind not in ("scalar", "unsupported"):
                unknown = [attr] if unknown is None else [*unknown, attr]  # Prisma knows native types on scalar fields only
            elif seen_native:
                prefix = name.partition(".")[0]
                ctx.error(f'Attribute "@{prefix}" can only be defined once.', ctx.aspan(attr))
            else:
                seen_native = True
                _native_type(ctx, info, attr, name.partition(".")[2])
        else:
            unknown = [attr] if unknown is None else [*unknown, attr]
    if unknown is not None:
        for attr in unknown:  # Prisma reports these after the attributes it knows
            ctx.error(f'Attribute not known: "@{attr.name}".', ctx.aspan(attr))


def _model(ctx: Context, model: ModelInfo) -> None:
    for info in model.fields.values() if model.duplicate_fields is None else _all_fields(model):
        if not info.is_relation and info.node.stored_attributes:  # (a list, empty or not, or a template)
            _field_attributes(ctx, model, info)
    if model.field_maps:  # else every database name is its field's name, and those are unique
        _mapped_field_clashes(ctx, model)
    block_attrs = model.block_attributes
    if len(block_attrs) == 1:
        attr = block_attrs[0]
        if attr.name in MODEL_ATTR_NAMES:
            model_attribute(ctx, model, attr)
        else:
            ctx.error(f'Attribute not known: "@{attr.name}".', attr.span)
    elif block_attrs:
        skip = _duplicates(ctx, block_attrs, REPEATABLE_MODEL_ATTRS, MODEL_ATTR_NAMES)
        # Prisma reads block attributes kind by kind in this order (so `indexes` holds the
        # field-level uniques, then @@index, @@unique, @@fulltext), unknown ones last.
        by_name: dict[str, list[ast.Attribute]] = {}
        for attr in block_attrs:
            if skip is None or id(attr) not in skip:
                by_name.setdefault(attr.name, []).append(attr)
        for name in MODEL_ATTRS:
            for attr in by_name.get(name, ()):
                model_attribute(ctx, model, attr)
        for attr in block_attrs:
            if attr.name not in MODEL_ATTR_NAMES and (skip is None or id(attr) not in skip):
                ctx.error(f'Attribute not known: "@{attr.name}".', attr.span)
    pk = model.pk
    if pk is not None and pk.on_field is not None and pk.on_field.arity is not dm.Arity.REQUIRED and not model.ignored:
        # Checked once the model's attributes are all read (Prisma 7.10.1 reports it after
        # the errors of the other field attributes: seen).
        ctx.attribute_error(pk.attribute, "Fields that are marked as id must be required.")
    if model.shard_key_source is not None:
        shard_keys.field_arity(ctx, model)
    if model.ignored:
        _ignored_fields_in_ignored_model(ctx, model)


def _ignored_fields_in_ignored_model(ctx: Context, model: ModelInfo) -> None:
    for info in model.fields.values():
        for attr in info.node.read_attributes():
            if attr.name == "ignore":
                ctx.attribute_error(
                    attr, "Fields on an already ignored Model do not need an `@ignore` annotation.", _from_field_start(ctx, info, attr)
                )


def _from_field_start(ctx: Context, info: FieldInfo, attr: ast.Attribute) -> ast.Span:
    """From the field's name through the end of the attribute's line (Prisma 7.10.1's span, seen)."""
    end = ctx.through_line_end(attr.span)
    return ast.Span(info.span.start, end.end, end.file)


def _mapped_field_clashes(ctx: Context, model: ModelInfo) -> None:
    seen: set[str] = set()
    for info in model.fields.values():
        if info.is_relation:
            continue
        if info.db_name in seen:
            ctx.error(f'Field "{info.name}" is already defined on {model.kind} "{model.name}".', info.span)
        seen.add(info.db_name)


def _all_fields(model: ModelInfo) -> list[FieldInfo]:
    """The model's fields in schema order, those of a name given twice included."""
    records = {id(f.node): f for f in (*model.fields.values(), *(model.duplicate_fields or ()))}
    return [records[id(item)] for item in model.block.items if id(item) in records]


def _relation_attributes(ctx: Context, model: ModelInfo) -> None:
    """Prisma reads the attributes of every relation field before any other attribute."""
    relations = model.relations
    if model.duplicate_fields is not None:
        relations = [f for f in _all_fields(model) if f.kind == "relation"]
    for info in relations:
        if info.node.stored_attributes:
            _field_attributes(ctx, model, info)


def _no_arguments(attr: ast.Attribute) -> bool:
    """`@id`, `@unique()`: nothing to read, nothing to report."""
    arglist = attr.arguments
    return arglist is None or not arglist.arguments


def _field_attribute(ctx: Context, model: ModelInfo, info: FieldInfo, attr: ast.Attribute) -> None:
    name = attr.name
    if name == "default":
        if info.is_relation:
            Arguments(ctx, attr)
            ctx.attribute_error(attr, "Cannot set a default value on a relation field.")
            return
        defaults.visit_default(ctx, model, info, attr)
    elif name == "map":
        args = Arguments(ctx, attr)
        value = args.required("name")
        args.finish()
        if info.is_relation:
            ctx.attribute_error(attr, "The attribute `@map` cannot be used on relation fields.")
            return
        if value is not None:
            text = as_str(ctx, value)
            if text is not None:
                info.db_name = text
                model.field_maps = True
    elif name == "ignore":
        if not _no_arguments(attr):
            Arguments(ctx, attr).finish()
        info.ignored = True
    elif name == "updatedAt":
        if not _no_arguments(attr):
            Arguments(ctx, attr).finish()
        if info.kind != "scalar" or info.scalar is not dm.ScalarType.DATETIME:
            ctx.attribute_error(attr, "Fields that are marked with @updatedAt must be of type DateTime.")
        elif info.arity is dm.Arity.LIST:
            ctx.attribute_error(attr, "Fields that are marked with @updatedAt cannot be lists.")
        else:
            info.updated_at = True
    elif name == "relation":
        if not info.is_relation:
            ctx.attribute_error(attr, "Invalid field type, not a relation.")
            for arg in attr.arguments.arguments if attr.arguments else []:
                ctx.error("No such argument.", arg.span)
            return
        info.relation = _relation_attribute(ctx, attr, model, info)
    elif name == "id":
        if info.is_relation:
            ctx.attribute_error(
                attr,
                f"The field `{info.name}` is a relation field and cannot be marked with `@id`. Only scalar fields can be declared as id.",
            )
            return
        if model.pk is not None and model.pk.on_field is not None:
            # A second `@id`: Prisma 7.10.1 reads none of its arguments then, so each is "No such
            # argument." (seen).
            ctx.model_error(
                model, "At most one field must be marked as the id field with the `@id` attribute.", model.block.span
            )
            if not _no_arguments(attr):
                Arguments(ctx, attr).finish()
            return
        pk = PkInfo([IndexFieldInfo(info.name)], attr, info)
        if not _no_arguments(attr):
            args = Arguments(ctx, attr)
            pk.map = map_arg(ctx, args, attr)
            _field_index_args(ctx, args, pk.fields[0], attr)
            pk.clustered = clustered(ctx, args, attr)
            args.finish()
        if model.pk is not None:
            return
        model.pk = pk  # (an optional one too: its arity is checked with the model, _id_field_arity)
    elif name == "unique":
        if info.is_relation:
            ctx.attribute_error(
                attr,
                f"The field `{info.name}` is a relation field and cannot be marked with `@unique`. Only scalar fields can be made unique.",
            )
            return
        idx = IndexInfo(dm.IndexKind.UNIQUE, [IndexFieldInfo(info.name)], attr, info)
        if not _no_arguments(attr):
            args = Arguments(ctx, attr)
            idx.map = map_arg(ctx, args, attr)
            _field_index_args(ctx, args, idx.fields[0], attr)
            idx.clustered = clustered(ctx, args, attr)
            take_where(ctx, model, args, attr, idx)
            args.finish()
        model.indexes.append(idx)
    elif name == "shardKey":
        # The preview feature and the provider are checked only in validation, as Prisma does.
        shard_keys.field(ctx, model, info, attr)


def _field_index_args(ctx: Context, args: Arguments, target: IndexFieldInfo, attr: ast.Attribute) -> None:
    """`sort:` and `length:` on a field-level `@id`/`@unique`."""
    sort = args.take("sort")
    if sort is not None:
        target.sort = sort_order(ctx, sort, attr)
        if target.sort is None:
            args.ok = False
            return
    length = args.take("length")
    if length is not None:
        value = as_int(ctx, length)
        if value is not None:
            target.length = value


_RELATION_ARGS = frozenset({"name", "fields", "references", "onDelete", "onUpdate", "map"})


def _relation_attribute(ctx: Context, attr: ast.Attribute, model: ModelInfo, info: FieldInfo) -> RelationAttr:
    """The attribute read; what is wrong with `fields:`/`references:` is reported before what
    is wrong with the referential actions (Prisma 7.10.1's order, seen)."""
    rel = _plain_relation_attribute(attr)
    if rel is not None:
        relations.check_relation_arguments(ctx, model, info, rel)
        return rel
    rel = RelationAttr(attribute=attr)
    args = Arguments(ctx, attr)
    name = args.take("name", default_arg=True)
    if name is not None:
        rel.name = as_str(ctx, name)
        rel.name_expr = name
    fields = args.take("fields")
    if fields is not None:
        rel.fields = _name_list(ctx, fields)
        rel.fields_expr = fields
    refs = args.take("references")
    if refs is not None:
        rel.references = _name_list(ctx, refs)
        rel.references_expr = refs
    relations.check_relation_arguments(ctx, model, info, rel)
    for key in ("onDelete", "onUpdate"):
        value = args.take(key)
        if value is None:
            continue
        action_name = as_constant(ctx, value)
        if action_name is None:
            continue
        action = ACTIONS.get(action_name)
        if action is None:
            ctx.attribute_error(attr, f"Invalid referential action: `{action_name}`", value.span)
            continue
        if key == "onDelete":
            rel.on_delete, rel.on_delete_expr = action, value
        else:
            rel.on_update, rel.on_update_expr = action, value
    fk_map = args.take("map")
    if fk_map is not None:
        rel.map = as_str(ctx, fk_map)
    args.finish()
    return rel


def _plain_relation_attribute(attr: ast.Attribute) -> RelationAttr | None:
    """`@relation(...)` read in one pass when every argument is one it knows, given once, of
    the right shape (the usual case, which reports nothing); None: read it argument by
    argument (_relation_attribute), which reports what is wrong."""
    rel = RelationAttr(attr)
    arglist = attr.arguments
    if arglist is None:
        return rel
    seen: set[str] = set()
    for arg in arglist.arguments:
        value = arg.value
        key = "name" if arg.name is None else arg.name.name
        if value is None or key in seen or key not in _RELATION_ARGS:
            return None
        seen.add(key)
        if key == "fields" or key == "references":
            names = plain_names(value)
            if names is None:
                return None
            if key == "fields":
                rel.fields, rel.fields_expr = names, value
            else:
                rel.references, rel.references_expr = names, value
        elif key == "onDelete" or key == "onUpdate":
            if not isinstance(value, ast.ConstantValue):
                return None
            action = ACTIONS.get(value.value)
            if action is None:
                return None
            if key == "onDelete":
                rel.on_delete, rel.on_delete_expr = action, value
            else:
                rel.on_update, rel.on_update_expr = action, value
        elif isinstance(value, ast.StringValue):  # name, map
            if key == "name":
                rel.name, rel.name_expr = value.value, value
            else:
                rel.map = value.value
        else:
            return None
    return rel


def _name_list(ctx: Context, expr: ast.Expression) -> list[str] | None:
    items = expr.items if isinstance(expr, ast.ArrayValue) else [expr]
    out: list[str] = []
    for item in items:
        value = as_constant(ctx, item)
        if value is None:
            return None
        out.append(value)
    return out


def _native_type(ctx: Context, info: FieldInfo, attr: ast.Attribute, type_name: str) -> None:
    args: list[str] = []
    if attr.arguments is not None:
        for arg in attr.arguments.arguments:
            if arg.value is None:
                continue
            args.append(ctx.text(arg.value.span))  # as written: "255", or "\"x\"" (an error later)
    key = (type_name, tuple(args))
    native = ctx.native_cache.get(key)
    if native is None:  # one object per distinct native type, shared by its fields
        native = ctx.native_cache[key] = dm.NativeType(type_name, key[1])
    info.native = native
    info.native_attr = attr


def _enum(ctx: Context, block: ast.Block) -> None:
    info = ctx.enums.get(block.name.name)
    if info is None or info.block is not block:
        # (an enum replaced by a later one of its name; or a block that is no enum's record)
        info = next((e for e in ctx.hidden_enums if e.block is block), None)
        if info is None:
            return
    by_name: dict[str, dm.EnumValueDef] | None = None  # (a scan per `@map` was quadratic)
    for value in block.values:
        if not value.attributes:
            continue
        skip = _duplicates(ctx, value.attributes, _NOT_REPEATABLE, _ENUM_VALUE_ATTRS)
        for attr in value.attributes:
            if skip is not None and id(attr) in skip:
                continue
            if attr.name == "map":
                text = single_string_argument(ctx, attr, "name")
                if text is not None:
                    if by_name is None:
                        by_name = {}
                        for ev in info.values:
                            by_name.setdefault(ev.name, ev)
                    target = by_name.get(value.name.name)
                    if target is not None:
                        target.db_name = text
            else:
                ctx.error(f'Attribute not known: "@{attr.name}".', attr.span)
    block_attrs = block.block_attributes
    skip = _duplicates(ctx, block_attrs, _NOT_REPEATABLE, _ENUM_ATTRS)
    for attr in block_attrs:
        if skip is not None and id(attr) in skip:
            continue
        if attr.name == "map":
            text = single_string_argument(ctx, attr, "name")
            if text is not None:
                info.db_name = text
                info.map_attr = attr
        elif attr.name == "schema":
            text = single_string_argument(ctx, attr, "map")
            if text is not None:
                info.schema = text
                info.schema_attr = attr
        else:  # (sic: one `@` in Prisma 7.10.1's message, and the whole attribute: seen)
            ctx.error(f'Attribute not known: "@{attr.name}".', attr.span)
