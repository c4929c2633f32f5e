"""Prisma's relation completion on format: missing back-relation fields, `@relation`
arguments and scalar fields, in Prisma's three passes (checked against Prisma 7.10.1):

1. Back-relation fields. A relation field (its type names a model or view) whose target has
   no field pointing back with the same relation name gets one, at the end of the target's
   fields: for a list `posts Post[]` in Blog, `blog Blog? @relation(fields: [blogId],
   references: [id])` in Post; for a singular field, `users User[]`, or `user User?` when its
   `fields` are unique (1:1). Prisma gives the new field no relation name.
2. `@relation` arguments. A singular field without `fields`, paired with a list, with nothing
   (a named relation whose new back field got no name) or, first of the two, with a singular
   field without `fields` either (1:1), gets
   `fields: [userId], references: [id]` (named after the target model `User`, whatever the
   field's name), referencing the target's id, else its first unique criterion (`[]` if none).
3. Scalar fields. Every name in a relation's `fields` that is not a field yet is added, typed
   like the referenced field (with its native type attribute), optional if the relation is.

Relations whose existing `fields`/`references` name unknown fields are left alone. Self-relations
are completed the same way (`parent Category?` alone gets `categories Category[]`, which Prisma
then reports as ambiguous). The AST is mutated in place.
"""

from __future__ import annotations

from collections.abc import Container, Iterator

from lamina.psl.ast import (
    Argument,
    ArgumentList,
    ArrayValue,
    Arity,
    Attribute,
    Block,
    BlockKind,
    ConstantValue,
    Field,
    FieldType,
    Identifier,
    SchemaAst,
    Span,
    StringValue,
    at,
)
from lamina.psl.format.plural import lower_camel, plural

_NO_SPAN = at(0, 0)  # a node's packed span: added nodes point nowhere


def complete_relations(ast: SchemaAst) -> bool:
    """Completes `ast` in place; whether anything was added."""
    blocks: dict[str, Block] = {}
    for block in ast.blocks:
        if block.kind in (BlockKind.MODEL, BlockKind.VIEW) and block.name.name not in blocks:
            blocks[block.name.name] = block
    models = {name: _Model(block, blocks) for name, block in blocks.items()}
    for model in models.values():
        # Decided once, on the schema as written (the passes add the very fields checked here).
        model.relations = [f for f in model.relations if _resolvable(model, f, models[f.type.name])]  # type: ignore[union-attr]
    return _complete(models)


class _Model:
    """A model or view with its fields by name (the last of each name) and, of those typed by a
    model, by type name, and its relation fields to complete, in order. Each relation field looks
    at its target's fields several times: scanning them every time made a model with thousands
    of back-relation fields quadratic (4,000: 2.9 s). `_add_fields` keeps them up to date, and
    `last_field`, the position of the last field in the block's items (-1: none), after which
    it adds fields (finding it anew for each added field was quadratic too)."""

    __slots__ = ("block", "by_name", "by_type", "relations", "last_field")

    def __init__(self, block: Block, model_names: Container[str]) -> None:
        self.block = block
        self.by_name: dict[str, Field] = {}
        self.by_type: dict[str, list[Field]] = {}
        self.relations: list[Field] = []
        self.last_field = -1
        for i, item in enumerate(block.items):
            if isinstance(item, Field):
                self.add(item, model_names)
                self.last_field = i

    def add(self, field: Field, model_names: Container[str]) -> None:
        """Indexes `field`, which comes after the fields indexed so far."""
        self.by_name[field.name.name] = field
        ftype = field.type
        if ftype is not None and ftype.name in model_names:  # only these can be back-relation fields
            self.by_type.setdefault(ftype.name, []).append(field)
            if ftype.unsupported is None:
                self.relations.append(field)


def _complete(models: dict[str, _Model]) -> bool:
    changed = False
    written = {id(field) for _, field, _ in _relations(models)}
    for model, field, target in _relations(models):
        if not _back_fields(model, field, target):
            changed = _add_back_field(model, field, target, models) or changed
    for model, field, target in _relations(models):
        if id(field) not in written:
            continue  # a back field added above gets no arguments (Prisma 7.10.1, seen)
        if field.type.arity is not Arity.LIST and _named_argument(_relation_attribute(field), "fields") is None:  # type: ignore[union-attr]
            # This side holds the foreign key when the other side is a list or missing; in a 1:1
            # where neither side has `fields`, the side that comes first gets them (as Prisma).
            back = _back_fields(model, field, target)
            if all(f.type.arity is Arity.LIST for f in back) or all(  # type: ignore[union-attr]
                _named_argument(_relation_attribute(f), "fields") is None for f in back
            ):
                _add_relation_arguments(field, target)
                changed = True
    for model, field, target in _relations(models):
        changed = _add_scalar_fields(model, field, target, models) or changed
    return changed


def _relations(models: dict[str, _Model]) -> Iterator[tuple[_Model, Field, _Model]]:
    """(model, relation field, target model) of every relation field to complete, in schema
    order; lazily, so that a pass sees the fields it added to models it has not reached yet.
    Module-level rather than a closure: a compiled (mypyc) closure is a reference cycle, which
    kept the whole input tree alive while the garbage collector is paused (for the same reason
    a `_Model` holds its relation fields, not their targets: a self-relation would be a cycle)."""
    for model in list(models.values()):
        for field in list(model.relations):
            yield model, field, models[field.type.name]  # type: ignore[union-attr]


def _resolvable(model: _Model, field: Field, target: _Model) -> bool:
    """Prisma completes only relations whose written `fields`/`references` exist."""
    attr = _relation_attribute(field)
    return _all_exist(model, _constant_list(_named_argument(attr, "fields"))) and _all_exist(
        target, _constant_list(_named_argument(attr, "references"))
    )


def _back_fields(model: _Model, field: Field, target: _Model) -> list[Field]:
    name = _relation_name(field)
    return [f for f in target.by_type.get(model.block.name.name, ()) if f is not field and _relation_name(f) == name]


def _add_back_field(model: _Model, field: Field, target: _Model, models: dict[str, _Model]) -> bool:
    model_name = model.block.name.name
    back_name = lower_camel(model_name)
    if field.type.arity is Arity.LIST:  # type: ignore[union-attr]
        references = _id_fields(model)
        fields = [back_name + _upper_first(r.name.name) for r in references]
        relation = _relation(None, fields, [r.name.name for r in references])
        new = _new_field(back_name, model_name, Arity.OPTIONAL, [relation])
    elif _is_unique(model, _constant_list(_named_argument(_relation_attribute(field), "fields"))):
        new = _new_field(back_name, model_name, Arity.OPTIONAL, [])
    else:
        new = _new_field(plural(back_name), model_name, Arity.LIST, [])
    return _add_fields(target, [new], models)


def _add_relation_arguments(field: Field, target: _Model) -> None:
    references = [r.name.name for r in _id_fields(target)]
    # Named after the target model, not the field: `author User` gets `userId` (after the id
    # even when `references` names other fields, as Prisma 7.10.1 does).
    fields = [lower_camel(target.block.name.name) + _upper_first(r) for r in references]
    attr = _relation_attribute(field)
    # Only the missing argument is added: written `references` are kept, not repeated.
    written = _named_argument(attr, "references") is not None
    missing = _relation(None, fields, None if written else references)
    if attr is None:
        field.attributes.append(missing)
    elif attr.arguments is None:
        attr.arguments = missing.arguments
    else:
        attr.arguments.arguments.extend(missing.arguments.arguments)  # type: ignore[union-attr]


def _add_scalar_fields(model: _Model, field: Field, target: _Model, models: dict[str, _Model]) -> bool:
    if field.type.arity is Arity.LIST:  # type: ignore[union-attr]
        return False
    attr = _relation_attribute(field)
    names = _constant_list(_named_argument(attr, "fields"))
    references = _constant_list(_named_argument(attr, "references"))
    existing = model.by_name
    by_name = target.by_name
    optional = field.type.arity is Arity.OPTIONAL  # type: ignore[union-attr]
    new = []
    for name, reference in zip(names, references):
        ref = by_name.get(reference)
        if name in existing or ref is None or ref.type is None:
            continue
        native = [a for a in ref.attributes if "." in a.name]
        new.append(_new_field(name, ref.type.name, Arity.OPTIONAL if optional else Arity.REQUIRED, native))
    return _add_fields(model, new, models)


def _relation_attribute(field: Field) -> Attribute | None:
    for a in field.attributes:
        if a.name == "relation":
            return a
    return None


def _relation_name(field: Field) -> str | None:
    attr = _relation_attribute(field)
    if attr is None or attr.arguments is None:
        return None
    for arg in attr.arguments.arguments:
        if (arg.name is None or arg.name.name == "name") and isinstance(arg.value, StringValue):
            return arg.value.value
    return None


def _named_argument(attr: Attribute | None, name: str) -> Argument | None:
    if attr is None or attr.arguments is None:
        return None
    for a in attr.arguments.arguments:
        if a.name is not None and a.name.name == name:
            return a
    return None


def _constant_list(arg: Argument | None) -> list[str]:
    if arg is None or not isinstance(arg.value, ArrayValue):
        return []
    return [v.value for v in arg.value.items if isinstance(v, ConstantValue)]


def _id_fields(model: _Model) -> list[Field]:
    """The fields a new relation references: the id, else the first unique criterion
    (Prisma: `references: [email]` for a model whose only key is `email String @unique`)."""
    by_name = model.by_name
    for attribute_name in ("id", "unique"):
        for field in model.block.fields:
            if any(a.name == attribute_name for a in field.attributes):
                return [field]
        for attr in model.block.block_attributes:
            if attr.name == attribute_name and attr.arguments and attr.arguments.arguments:
                first = attr.arguments.arguments[0]
                if first.name is not None and first.name.name != "fields":
                    continue
                names = _constant_list(Argument(None, first.value, _NO_SPAN))
                fields = [by_name[n] for n in names if n in by_name]
                if fields and len(fields) == len(names):
                    return fields
    return []


def _is_unique(model: _Model, names: list[str]) -> bool:
    by_name = model.by_name
    if len(names) == 1 and names[0] in by_name:
        if any(a.name in ("id", "unique") for a in by_name[names[0]].attributes):
            return True
    for attr in model.block.block_attributes:
        if attr.name in ("id", "unique") and attr.arguments and attr.arguments.arguments:
            first = attr.arguments.arguments[0]
            if first.name is None or first.name.name == "fields":
                if sorted(_constant_list(Argument(None, first.value, _NO_SPAN))) == sorted(names):
                    return True
    return False


def _all_exist(model: _Model, names: list[str]) -> bool:
    existing = model.by_name
    return all(n in existing for n in names)


def _upper_first(name: str) -> str:
    return name[:1].upper() + name[1:]


def _new_field(name: str, type_name: str, arity: Arity, attributes: list[Attribute]) -> Field:
    return Field(Identifier(name, _NO_SPAN), FieldType(type_name, _NO_SPAN, arity), list(attributes), _NO_SPAN)


def _add_fields(model: _Model, fields: list[Field], models: dict[str, _Model]) -> bool:
    """Adds those of `fields` whose names are new to `model`, after its last field; whether
    there were any."""
    fields = [f for f in fields if f.name.name not in model.by_name]
    if not fields:
        return False
    items = model.block.items
    last = model.last_field
    # Synthesised fields carry the span of their neighbour so that the items stay in source
    # order, as the layout expects; in a model without fields, that is the closing brace.
    anchor = items[last].span if last >= 0 else (model.block.body_span or model.block.span)
    for f in fields:
        f.span = Span(anchor.end, anchor.end, anchor.file)
        f.name.span = f.span
        model.add(f, models)
    at = last + 1 if last >= 0 else len(items)
    items[at:at] = fields
    model.last_field = at + len(fields) - 1
    return True


def _relation(name: str | None, fields: list[str] | None, references: list[str] | None) -> Attribute:
    args: list[Argument] = []
    if name is not None:
        args.append(Argument(None, StringValue(name, '"' + name.replace('"', '\\"') + '"', _NO_SPAN), _NO_SPAN))
    for arg_name, values in (("fields", fields), ("references", references)):
        if values is not None:
            array = ArrayValue([ConstantValue(v, _NO_SPAN) for v in values], _NO_SPAN)
            args.append(Argument(Identifier(arg_name, _NO_SPAN), array, _NO_SPAN))
    return Attribute("relation", _NO_SPAN, ArgumentList(args, _NO_SPAN), _NO_SPAN)
