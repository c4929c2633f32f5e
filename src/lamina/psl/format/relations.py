"""Prisma's relation completion on format: missing back-relation fields and `@relation` arguments.

A light analysis of the AST (no validator): a relation field is a field whose type names a
model (or view) of the schema. For each one whose target has no field pointing back with the
same relation name:
- a list field `posts Post[]` in Blog gets, in Post, `blog Blog? @relation(fields: [blogId],
  references: [id])` plus the scalar `blogId Int?` (type and native type of Blog's id);
- a singular field `post Post` without `fields:` first gets `@relation(fields: [postId],
  references: [id])` and the scalar `postId` (optional if the relation field is);
  then the target gets `users User[]` (1:n), or `user User?` when the `fields` are unique (1:1).
A singular field whose list back-relation exists but which has no `@relation` at all gets
`@relation(fields: [], references: [])`, as Prisma does. Self-relations are left alone.
New fields go after the last field of their model. The AST is mutated in place.
"""

from __future__ import annotations

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
)

_NO_SPAN = Span(0, 0)


def complete_relations(ast: SchemaAst) -> None:
    models: dict[str, Block] = {}
    for block in ast.blocks:
        if block.kind in (BlockKind.MODEL, BlockKind.VIEW) and block.name.name not in models:
            models[block.name.name] = block
    for model in list(models.values()):
        for field in list(model.fields):
            target = _target(field, models)
            if target is None or target is model:
                continue
            _complete(model, field, target)


def _target(field: Field, models: dict[str, Block]) -> Block | None:
    if field.type is None or field.type.unsupported is not None:
        return None
    return models.get(field.type.name)


def _relation_attribute(field: Field) -> Attribute | None:
    return next((a for a in field.attributes if a.name == "relation"), None)


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
    return next((a for a in attr.arguments.arguments if a.name is not None and a.name.name == name), None)


def _constant_list(arg: Argument | None) -> list[str]:
    if arg is None or not isinstance(arg.value, ArrayValue):
        return []
    return [v.value for v in arg.value.items if isinstance(v, ConstantValue)]


def _id_fields(model: Block) -> list[Field]:
    for field in model.fields:
        if any(a.name == "id" for a in field.attributes):
            return [field]
    by_name = {f.name.name: f for f in model.fields}
    for attr in model.block_attributes:
        if attr.name == "id" and attr.arguments and attr.arguments.arguments:
            names = _constant_list(Argument(None, attr.arguments.arguments[0].value, _NO_SPAN))
            fields = [by_name[n] for n in names if n in by_name]
            if len(fields) == len(names):
                return fields
    return []


def _is_unique(model: Block, names: list[str]) -> bool:
    by_name = {f.name.name: f for f in model.fields}
    if len(names) == 1 and names[0] in by_name:
        if any(a.name in ("id", "unique") for a in by_name[names[0]].attributes):
            return True
    for attr in model.block_attributes:
        if attr.name in ("id", "unique") and attr.arguments and attr.arguments.arguments:
            first = attr.arguments.arguments[0]
            if first.name is None or first.name.name == "fields":
                if sorted(_constant_list(Argument(None, first.value, _NO_SPAN))) == sorted(names):
                    return True
    return False


def _all_exist(model: Block, names: list[str]) -> bool:
    existing = {f.name.name for f in model.fields}
    return all(n in existing for n in names)


def _lower_first(name: str) -> str:
    return name[:1].lower() + name[1:]


def _upper_first(name: str) -> str:
    return name[:1].upper() + name[1:]


def _complete(model: Block, field: Field, target: Block) -> None:
    name = _relation_name(field)
    back = [
        f
        for f in target.fields
        if f.type is not None and f.type.name == model.name.name and _relation_name(f) == name
    ]
    if back:
        if field.type.arity is not Arity.LIST and _relation_attribute(field) is None:  # type: ignore[union-attr]
            if any(f.type.arity is Arity.LIST for f in back):  # type: ignore[union-attr]
                field.attributes.append(_relation(name, [], []))
        return
    if field.type.arity is Arity.LIST:  # type: ignore[union-attr]
        # The other side holds the foreign key: `blog Blog? @relation(...)` and `blogId Int?`.
        references = _id_fields(model)
        back_name = _lower_first(model.name.name)
        scalars = _scalar_fields(back_name, references, optional=True)
        new = _new_field(back_name, model.name.name, Arity.OPTIONAL, [_relation(name, [s.name.name for s in scalars], [r.name.name for r in references])])
        _add_fields(target, [new, *scalars])
        return
    attr = _relation_attribute(field)
    fields_arg = _named_argument(attr, "fields")
    references_arg = _named_argument(attr, "references")
    # Prisma completes only relations it could resolve: unknown fields or references block it.
    if not _all_exist(model, _constant_list(fields_arg)) or not _all_exist(target, _constant_list(references_arg)):
        return
    if fields_arg is None:
        references = _id_fields(target)
        optional = field.type.arity is Arity.OPTIONAL  # type: ignore[union-attr]
        scalars = _scalar_fields(field.name.name, references, optional=optional)
        scalars = [s for s in scalars if s.name.name not in {f.name.name for f in model.fields}]
        field_names = [field.name.name + _upper_first(r.name.name) for r in references]
        if attr is None:
            field.attributes.append(_relation(name, field_names, [r.name.name for r in references]))
        elif attr.arguments is None:
            attr.arguments = _relation(name, field_names, [r.name.name for r in references]).arguments
        else:
            attr.arguments.arguments.extend(_relation(None, field_names, [r.name.name for r in references]).arguments.arguments)  # type: ignore[union-attr]
        _add_fields(model, scalars)
        one_to_one = False
    else:
        one_to_one = _is_unique(model, _constant_list(fields_arg))
    back_name = _lower_first(model.name.name)
    if one_to_one:
        new = _new_field(back_name, model.name.name, Arity.OPTIONAL, [])
    else:
        new = _new_field(back_name + "s", model.name.name, Arity.LIST, [])
    if name is not None:
        new.attributes.append(_relation(name, None, None))
    _add_fields(target, [new])


def _scalar_fields(prefix: str, references: list[Field], optional: bool) -> list[Field]:
    fields = []
    for ref in references:
        native = [a for a in ref.attributes if "." in a.name]
        base = ref.type.name if ref.type is not None else "Int"
        fields.append(_new_field(prefix + _upper_first(ref.name.name), base, Arity.OPTIONAL if optional else Arity.REQUIRED, native))
    return fields


def _new_field(name: str, type_name: str, arity: Arity, attributes: list[Attribute]) -> Field:
    return Field(Identifier(name, _NO_SPAN), FieldType(type_name, _NO_SPAN, arity), list(attributes), _NO_SPAN)


def _add_fields(model: Block, fields: list[Field]) -> None:
    existing = {f.name.name for f in model.fields}
    fields = [f for f in fields if f.name.name not in existing]
    if not fields:
        return
    last = max((i for i, item in enumerate(model.items) if isinstance(item, Field)), default=-1)
    # Synthesised fields carry the span of their neighbour so the layout keeps source order.
    anchor = model.items[last].span if last >= 0 else (model.body_span or model.span)
    for f in fields:
        f.span = Span(anchor.end, anchor.end, anchor.file)
        f.name.span = f.span
    model.items[last + 1 : last + 1] = fields


def _relation(name: str | None, fields: list[str] | None, references: list[str] | None) -> Attribute:
    args: list[Argument] = []
    if name is not None:
        args.append(Argument(None, StringValue(name, '"' + name.replace('"', '\\"') + '"', _NO_SPAN), _NO_SPAN))
    for arg_name, values in (("fields", fields), ("references", references)):
        if values is not None:
            array = ArrayValue([ConstantValue(v, _NO_SPAN) for v in values], _NO_SPAN)
            args.append(Argument(Identifier(arg_name, _NO_SPAN), array, _NO_SPAN))
    return Attribute("relation", _NO_SPAN, ArgumentList(args, _NO_SPAN), _NO_SPAN)
