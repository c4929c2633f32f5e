"""Pass 4 (relation inference) and the relation validations of the last pass.

Pairing follows Prisma: a relation field on model A of type B with relation name N (the
explicit `@relation("N")`, else the generated `AToB` of the sorted model names) pairs with
the one field on B of type A with the same name (for self-relations: the other field of A
with that name). More than one candidate is an ambiguity, reported in validation.
"""

from __future__ import annotations

from dataclasses import dataclass

from lamina import datamodel as dm
from lamina.psl import ast, names
from lamina.psl.validate.context import Context, FieldInfo, ModelInfo, RelationAttr

RA = dm.ReferentialAction


@dataclass(slots=True)
class Pair:
    """One inferred relation: `forward` holds the FK (`fields:`) for 1:1/1:n."""

    name: str
    explicit_name: bool
    kind: dm.RelationKind
    forward: FieldInfo | None
    back: FieldInfo | None
    # Where Prisma takes the relation from: the place in the schema of `forward or back`
    # (relation fields counted in schema order), set by infer; see _prisma_order.
    order: int = -1

    @property
    def fields(self) -> list[FieldInfo]:
        return [f for f in (self.forward, self.back) if f is not None]


def relation_name(ctx: Context, info: FieldInfo) -> tuple[str, bool]:
    """(name, explicit): `@relation("name")`, else Prisma's generated `AToB`. The name is
    cached on the field."""
    explicit = info.relation is not None and bool(info.relation.name)
    return (_relation_name(info), explicit)


def _relation_name(info: FieldInfo) -> str:
    cached = info.relation_name
    if cached is None:
        if info.relation is not None and info.relation.name:
            cached = info.relation.name
        else:
            cached = names.default_relation_name(info.model, info.related or "")
        info.relation_name = cached
    return cached


def _gives(info: FieldInfo, argument: str) -> bool:
    """Whether the field's @relation has `argument` ("fields" or "references")."""
    return info.relation is not None and getattr(info.relation, argument) is not None


def _has_fk_args(info: FieldInfo) -> bool:
    return info.relation is not None and (info.relation.fields is not None or info.relation.references is not None)


_NONE: list[FieldInfo] = []  # (never changed)


def infer(ctx: Context) -> list[Pair]:
    by_key: dict[tuple[str, str, str], list[FieldInfo]] = {}
    for model in ctx.models.values():
        for info in model.relations:
            key = (model.name, info.related or "", _relation_name(info))
            group = by_key.get(key)
            if group is None:
                by_key[key] = [info]
            else:
                group.append(info)
    pairs: list[Pair] = []
    done: set[int] = set()  # the fields paired with one before them (each field comes once)
    waiting: dict[int, Pair] = {}  # id(a field further on) -> the pair it is `forward or back` of
    place = -1
    for model in ctx.models.values():
        for info in model.relations:
            place += 1
            if id(info) in done:
                pair = waiting.pop(id(info), None)
                if pair is not None:
                    pair.order = place
                continue
            name = info.relation_name  # (every relation field's, from the loop above)
            assert name is not None
            explicit = info.relation is not None and bool(info.relation.name)
            own = by_key[(model.name, info.related or "", name)]
            if info.related == model.name:
                if len(own) == 2:
                    other = own[1] if own[0] is info else own[0]
                elif len(own) == 1:
                    other = None
                else:
                    continue
            else:
                opposite = by_key.get((info.related or "", model.name, name), _NONE)
                if len(own) > 1 or len(opposite) > 1:
                    continue
                other = opposite[0] if opposite else None
            if other is not None:
                done.add(id(other))
            pair = _make_pair(name, explicit, info, other)
            if (pair.forward or pair.back) is info:
                pair.order = place
            else:  # (the other field comes later in the schema: its turn gives the place)
                waiting[id(other)] = pair
            pairs.append(pair)
    return pairs


def _make_pair(name: str, explicit: bool, a: FieldInfo, b: FieldInfo | None) -> Pair:
    if b is None:
        if a.arity is dm.Arity.LIST and not _has_fk_args(a):
            # A lone list field: the FK side is missing (reported in validation).
            return Pair(name, explicit, dm.RelationKind.ONE_TO_MANY, None, a)
        return Pair(name, explicit, dm.RelationKind.ONE_TO_MANY, a, None)
    if a.arity is dm.Arity.LIST and b.arity is dm.Arity.LIST:
        first, second = sorted((a, b), key=lambda f: (f.model, f.name))
        return Pair(name, explicit, dm.RelationKind.IMPLICIT_MANY_TO_MANY, first, second)
    if a.arity is dm.Arity.LIST:
        return Pair(name, explicit, dm.RelationKind.ONE_TO_MANY, b, a)
    if b.arity is dm.Arity.LIST:
        return Pair(name, explicit, dm.RelationKind.ONE_TO_MANY, a, b)
    # 1:1: the FK side is the one with `fields:` (or `references:`).
    if _has_fk_args(b) and not _has_fk_args(a):
        return Pair(name, explicit, dm.RelationKind.ONE_TO_ONE, b, a)
    return Pair(name, explicit, dm.RelationKind.ONE_TO_ONE, a, b)


# ---------------------------------------------------------------- attribute-level checks (pre-validation)


def check_relation_arguments(ctx: Context, model: ModelInfo, info: FieldInfo, rel: RelationAttr) -> None:
    """Unknown or relation fields in the `fields:`/`references:` of a relation field's
    `@relation`: Prisma 7.10.1 reports these as it reads the attribute, for every relation field
    (paired or not, of a model whose name is defined twice too); `references` name fields of the
    model last defined with the related name; an error about `references` points at the whole
    attribute, one about `fields` at its list (all seen with its CLI)."""
    related = ctx.models[info.related or ""]
    if _scalar_names(model, rel.fields) and _scalar_names(related, rel.references):
        return  # (the usual case: nothing to report)
    if rel.fields is not None and rel.fields_span is not None:
        unknown = [f for f in rel.fields if f not in model.fields]
        if unknown:
            ctx.plain_error(
                "The argument fields must refer only to existing fields. The following fields do not exist in this model: "
                + ", ".join(unknown),
                rel.fields_span,
            )
        relational = [f for f in rel.fields if f in model.fields and model.fields[f].is_relation]
        if relational:
            ctx.plain_error(
                "The argument fields must refer only to scalar fields. But it is referencing the following relation fields: "
                + ", ".join(relational),
                rel.fields_span,
            )
    if rel.references is not None:
        unknown = [f for f in rel.references if f not in related.fields]
        if unknown:
            ctx.plain_error(
                f"The argument `references` must refer only to existing fields in the related model `{related.name}`. "
                "The following fields do not exist in the related model: " + ", ".join(unknown),
                rel.attribute.span,
            )
        relational = [f for f in rel.references if f in related.fields and related.fields[f].is_relation]
        if relational:
            ctx.plain_error(
                "The argument `references` must refer only to scalar fields in the related model `"
                f"{related.name}`. But it is referencing the following relation fields: " + ", ".join(relational),
                rel.attribute.span,
            )


def _scalar_names(model: ModelInfo, names: list[str] | None) -> bool:
    """Whether every name (if any) is a scalar field of the model."""
    if names is not None:
        fields = model.fields
        for name in names:
            info = fields.get(name)
            if info is None or info.is_relation:
                return False
    return True


# ---------------------------------------------------------------- validation pass


def _relation_fields_to(model: ModelInfo, related: str | None) -> list[FieldInfo]:
    """The model's relation fields whose type is `related`, in field order. Grouped once per
    model: scanning every field for each relation field was quadratic on a model with thousands
    of relation fields (a `User` that 4,000 models point to: half of the validation time)."""
    groups = model.relation_fields_by_target
    if groups is None:
        groups = model.relation_fields_by_target = {}
        for f in model.fields.values():
            if f.is_relation:
                groups.setdefault(f.related, []).append(f)
    return groups.get(related, [])


def ambiguity(ctx: Context, model: ModelInfo, info: FieldInfo) -> bool:
    """Report an ambiguous relation field; True if one was found (validation then stops)."""
    name, explicit = relation_name(ctx, info)
    same = [f for f in _relation_fields_to(model, info.related) if f is info or relation_name(ctx, f)[0] == name]
    if len(same) < 2:
        return False
    is_self = info.related == model.name
    listed = _join_names([f.name for f in same])
    if not explicit and is_self and len(same) == 2:
        message = (
            f"Ambiguous self relation detected. The fields {listed} in model `{model.name}` both refer to `{model.name}`. "
            "If they are part of the same relation add the same relation name for them with `@relation(<name>)`."
        )
    elif not explicit and is_self:
        message = (
            f"Unnamed self relation detected. The fields {listed} in model `{model.name}` have no relation name. "
            "Please provide a relation name for one of them by adding `@relation(<name>)."
        )
    elif explicit and is_self and len(same) > 2:
        message = (
            f"Wrongly named self relation detected. The fields {listed} in model `{model.name}` have the same relation name. "
            "At most two relation fields can belong to the same relation and therefore have the same name. "
            "Please assign a different relation name to one of them."
        )
    elif explicit and is_self:
        return False
    elif not explicit:
        message = (
            f"Ambiguous relation detected. The fields {listed} in model `{model.name}` both refer to `{info.related}`. "
            "Please provide different relation names for them by adding `@relation(<name>)."
        )
    else:
        message = (
            f"Wrongly named relation detected. The fields {listed} in model `{model.name}` both use the same relation name. "
            "Please provide different relation names for them through `@relation(<name>)."
        )
    ctx.model_error(model, message, info.span)
    return True


def _join_names(items: list[str]) -> str:
    quoted = [f"`{i}`" for i in items]
    if len(quoted) < 2:
        return ", ".join(quoted)
    return ", ".join(quoted[:-1]) + " and " + quoted[-1]


# relationMode = "prisma": the connectors that do not emulate NoAction, by the name Prisma gives them
NO_EMULATED_NO_ACTION = {"postgresql": "Postgres", "sqlite": "sqlite"}


def allowed_actions(ctx: Context) -> list[RA]:
    if ctx.relation_mode == "prisma":
        if ctx.provider == "sqlserver":
            return [RA.CASCADE, RA.NO_ACTION, RA.SET_NULL]
        if ctx.provider in NO_EMULATED_NO_ACTION:
            return [RA.CASCADE, RA.RESTRICT, RA.SET_NULL]
        return [RA.CASCADE, RA.RESTRICT, RA.NO_ACTION, RA.SET_NULL]
    if ctx.provider == "sqlserver":
        return [RA.CASCADE, RA.NO_ACTION, RA.SET_NULL, RA.SET_DEFAULT]
    return [RA.CASCADE, RA.RESTRICT, RA.NO_ACTION, RA.SET_NULL, RA.SET_DEFAULT]


def referential_actions(ctx: Context, info: FieldInfo) -> None:
    rel = info.relation
    if rel is None:
        return
    allowed = allowed_actions(ctx)
    for action, span in ((rel.on_delete, rel.on_delete_span), (rel.on_update, rel.on_update_span)):
        if action is None or span is None:
            continue
        arg_span = _argument_span(rel.attribute, span)
        if action not in allowed:
            listing = ", ".join(f"`{a.value}`" for a in allowed)
            hint = ""
            if action is RA.NO_ACTION and ctx.relation_mode == "prisma" and RA.RESTRICT in allowed:
                hint = (f". `NoAction` is not implemented for {NO_EMULATED_NO_ACTION[ctx.provider or '']} when using "
                        '`relationMode = "prisma"`, you could try using `Restrict` instead. Learn more at '
                        "https://pris.ly/d/relation-mode")
            ctx.plain_error(f"Invalid referential action: `{action.value}`. Allowed values: ({listing}){hint}", arg_span)
        elif action is RA.SET_DEFAULT and ctx.provider == "mysql" and ctx.relation_mode == "foreignKeys":
            ctx.warning(
                "MySQL does not actually support the `SetDefault` referential action, so using it may result in "
                "unexpected errors. Read more at https://pris.ly/d/mysql-set-default ",
                arg_span,
            )


def _argument_span(attr: ast.Attribute, value_span: ast.Span) -> ast.Span:
    if attr.arguments is not None:
        for arg in attr.arguments.arguments:
            if arg.value is not None and arg.value.span == value_span:
                return arg.span
    return value_span


def missing_relation_indexes(ctx: Context, model: ModelInfo, info: FieldInfo) -> None:
    """relationMode = "prisma": warn when no index starts with the FK fields."""
    if ctx.relation_mode != "prisma" or ctx.provider == "mongodb" or info.relation is None:
        return
    fk = info.relation.fields
    if not fk or any(f not in model.fields for f in fk):
        return
    candidates = [[f.name for f in idx.fields] for idx in model.indexes]
    if model.pk is not None:
        candidates.append([f.name for f in model.pk.fields])
    for cols in candidates:
        if cols[: len(fk)] == fk:
            return
    ctx.warning(
        'With `relationMode = "prisma"`, no foreign keys are used, so relation fields will not benefit from the index '
        "usually created by the relational database under the hood. This can lead to poor performance when querying "
        "these fields. We recommend adding an index manually. Learn more at https://pris.ly/d/relation-mode-prisma-indexes\" ",
        info.relation.attribute.span,
    )


def foreign_key_names(ctx: Context, pairs: list[Pair]) -> dict[int, str]:
    """id(FK-side FieldInfo) -> the foreign key's database name (`map:` or Prisma's default)."""
    out: dict[int, str] = {}
    for pair in pairs:
        fwd = pair.forward
        if pair.kind is dm.RelationKind.IMPLICIT_MANY_TO_MANY or fwd is None:
            continue
        # (a forward side without `fields:` is an error, but Prisma 7.10.1 names its foreign key
        # all the same, `Model__fkey`, and reports the clashes of that name too: seen)
        rel = fwd.relation
        model = ctx.models[fwd.model]
        cols = [model.fields[n].db_name for n in rel.fields if n in model.fields] if rel is not None and rel.fields else []
        mapped = rel.map if rel is not None else None
        out[id(fwd)] = mapped or names.foreign_key_name(model.db_name, cols, ctx.provider)
    return out


def validate_pairs(ctx: Context, pairs: list[Pair], namespaces) -> None:
    from lamina.psl.validate import cascades  # (it imports this module)

    pairs = _prisma_order(ctx, pairs)
    cascading = cascades.applies(ctx)
    outgoing = cascades.outgoing_links(ctx, pairs) if cascading else {}
    for pair in pairs:
        if pair.kind is dm.RelationKind.IMPLICIT_MANY_TO_MANY:
            _validate_m2m(ctx, pair)
        else:
            if cascading:
                cascades.check(ctx, pair, outgoing)
            _validate_inline(ctx, pair, namespaces)


def _prisma_order(ctx: Context, pairs: list[Pair]) -> list[Pair]:
    """The relations in the order Prisma's parser database stores and validates them: by the
    field it takes each from (the side with the foreign key, a lone list field, model A's field of
    a many-to-many), in schema order."""
    if any(pair.order < 0 for pair in pairs):  # (not expected: infer places every pair)
        pos = {id(info): (mi, fi) for mi, model in enumerate(ctx.models.values())
               for fi, info in enumerate(model.fields.values())}
        return sorted(pairs, key=lambda pair: pos.get(id(pair.forward or pair.back), (0, 0)))
    return sorted(pairs, key=_order)


def _order(pair: Pair) -> int:
    return pair.order


def _validate_m2m(ctx: Context, pair: Pair) -> None:
    for info in pair.fields:
        model = ctx.models[info.model]
        if model.is_view or ctx.models[info.related or ""].is_view:
            ctx.plain_error("Implicit many-to-many relations are not supported for views.", info.span)
    for info in pair.fields:
        model = ctx.models[info.model]
        related = ctx.models[info.related or ""]
        if related.pk is None or len(related.pk.fields) != 1:
            what = "does not have an `@id` field"  # Prisma says so for compound ids too
            ctx.error(
                f"Error validating field `{info.name}` in {related.kind} `{model.name}`: "
                f"The relation field `{info.name}` on {related.kind} `{model.name}` references `{related.name}` which {what}. "
                "Models without `@id` cannot be part of a many to many relation. Use an explicit intermediate Model to represent this relationship.",
                info.span,
            )
    for info in pair.fields:
        if info.relation is not None and info.relation.references is not None:
            ctx.attribute_error(
                info.relation.attribute,
                "Implicit many-to-many relation should not have references argument defined. Either remove it, or change the relation to one-to-many.",
                info.span,
            )
        if info.relation is not None and (info.relation.on_delete or info.relation.on_update):
            ctx.plain_error("Referential actions on implicit many-to-many relations are not supported", info.span)


def _validate_inline(ctx: Context, pair: Pair, namespaces) -> None:
    fwd = pair.forward
    if fwd is not None and fwd.relation is not None and fwd.relation.fields and fwd.relation.references:
        _validate_fk(ctx, pair, fwd)
    if fwd is not None:
        namespaces.check_foreign_key(ctx.models[fwd.model], fwd, fwd.relation.attribute if fwd.relation else None)
    if pair.kind is dm.RelationKind.ONE_TO_ONE:
        _validate_one_to_one(ctx, pair)
    else:
        _validate_one_to_many(ctx, pair)


def _fk_fields(ctx: Context, info: FieldInfo) -> list[FieldInfo]:
    model = ctx.models[info.model]
    return [model.fields[n] for n in (info.relation.fields or []) if n in model.fields]  # type: ignore[union-attr]


def _ref_fields(ctx: Context, info: FieldInfo) -> list[FieldInfo]:
    related = ctx.models[info.related or ""]
    return [related.fields[n] for n in (info.relation.references or []) if n in related.fields]  # type: ignore[union-attr]


def _validate_fk(ctx: Context, pair: Pair, fwd: FieldInfo) -> None:
    rel = fwd.relation
    assert rel is not None
    model = ctx.models[fwd.model]
    related = ctx.models[fwd.related or ""]
    refs = rel.references or []
    # references_unique_fields
    if refs and _all_in(refs, related) and not _is_unique_criterion(related, refs):
        if len(refs) == 1:
            message = (
                f"The argument `references` must refer to a unique criterion in the related model. Consider adding an "
                f"`@unique` attribute to the field `{refs[0]}` in the model `{related.name}`."
            )
        else:
            message = (
                "The argument `references` must refer to a unique criterion in the related model. Consider adding an "
                f"`@@unique([{', '.join(refs)}])` attribute to the model `{related.name}`."
            )
        ctx.attribute_error(rel.attribute, message, fwd.span)
    if len(rel.fields or []) != len(refs):
        ctx.plain_error("You must specify the same number of fields in `fields` and `references`.", rel.attribute.span)
    fk = _fk_fields(ctx, fwd)
    fk_required = fk_optional = False
    for f in fk:
        if f.arity is dm.Arity.REQUIRED:
            fk_required = True
        elif f.arity is dm.Arity.OPTIONAL:
            fk_optional = True
    # field_arity
    if fwd.arity is dm.Arity.REQUIRED and fk_optional:
        ctx.plain_error(
            f"The relation field `{fwd.name}` uses the scalar fields {', '.join(f.name for f in fk)}. At least one of those fields is optional. Hence the relation field must be optional as well.",
            fwd.span,
        )
    # referencing_scalar_field_types
    for a, b in zip(fk, _ref_fields(ctx, fwd)):
        if (
            (a.scalar is not b.scalar or a.enum != b.enum or a.kind != b.kind)
            and a.kind != "unsupported"
            and b.kind != "unsupported"
        ):
            ctx.attribute_error(
                rel.attribute,
                f"The type of the field `{a.name}` in the model `{model.name}` is not matching the type of the referenced field `{b.name}` in model `{related.name}`.",
                fwd.span,
            )
    # required_relation_cannot_use_set_null
    if fk_required and (rel.on_delete is RA.SET_NULL or rel.on_update is RA.SET_NULL):
        for label, action in (("onDelete", rel.on_delete), ("onUpdate", rel.on_update)):
            if action is not RA.SET_NULL:
                continue
            if ctx.provider == "postgresql" and ctx.relation_mode == "foreignKeys":
                ctx.warning(
                    f"The `{label}` referential action of a relation should not be set to `SetNull` when a referenced field is required. "
                    "We recommend either to choose another referential action, or to make the referenced fields optional. "
                    "Read more at https://pris.ly/d/postgres-set-null ",
                    fwd.span,
                )
            else:
                ctx.error(
                    f'Error parsing attribute "@relation": The `{label}` referential action of a relation must not be set to `SetNull` when a referenced field is required.\n'
                    "Either choose another referential action, or make the referenced fields optional.\n",
                    fwd.span,
                )


def _all_in(names: list[str], model: ModelInfo) -> bool:
    fields = model.fields
    for name in names:
        if name not in fields:
            return False
    return True


def _is_unique_criterion(model: ModelInfo, cols: list[str]) -> bool:
    pk = model.pk
    if pk is not None and len(cols) == 1 and len(pk.fields) == 1 and pk.fields[0].name == cols[0]:
        return True  # (the usual case: one field referencing the id)
    wanted = set(cols)
    if model.pk is not None and {f.name for f in model.pk.fields} == wanted:
        return True
    return any(idx.kind is dm.IndexKind.UNIQUE and {f.name for f in idx.fields} == wanted for idx in model.indexes)


def _missing_back(ctx: Context, info: FieldInfo) -> None:
    model = ctx.models[info.model]
    ctx.field_error(
        model,
        info.name,
        f"The relation field `{info.name}` on {model.kind} `{model.name}` is missing an opposite relation field on the "
        f"{ctx.models[info.related or ''].kind} `{info.related}`. Either run `prisma format` or add it manually.",
        info.span,
    )


def _validate_one_to_many(ctx: Context, pair: Pair) -> None:
    fwd, back = pair.forward, pair.back
    if fwd is None or back is None:
        _missing_back(ctx, fwd or back)  # type: ignore[arg-type]
    if fwd is None:
        return
    rel = fwd.relation
    model = ctx.models[fwd.model]
    # Without an opposite field Prisma 7.10.1 asks for that field only, not for `fields` or
    # `references` (seen, self-relations and others).
    complete = back is not None
    if complete and (rel is None or rel.fields is None):
        if not model.ignored and not ctx.models[fwd.related or ""].ignored:
            ctx.error(
                f'Error parsing attribute "@relation": The relation field `{fwd.name}` on Model `{model.name}` must specify the `fields` argument in the @relation attribute. You can run `prisma format` to fix this automatically.',
                fwd.span,
            )
    if complete and (rel is None or rel.references is None):
        if not model.ignored and not ctx.models[fwd.related or ""].ignored:
            ctx.error(
                f'Error parsing attribute "@relation": The relation field `{fwd.name}` on Model `{model.name}` must specify the `references` argument in the @relation attribute.',
                fwd.span,
            )
    if back is not None and back.relation is not None and (back.relation.on_delete or back.relation.on_update):
        if not _has_fk_args(back):
            ctx.attribute_error(
                back.relation.attribute,
                f"The relation field `{back.name}` on Model `{back.model}` must not specify the `onDelete` or `onUpdate` "
                f"argument in the @relation attribute. You must only specify it on the opposite field `{fwd.name}` on model "
                f"`{fwd.model}`, or in case of a many to many relation, in an explicit join table.",
                back.span,
            )
    if back is not None and _has_fk_args(back):
        ctx.error(
            f'Error parsing attribute "@relation": The relation field `{back.name}` on Model `{back.model}` must not specify the `fields` or `references` argument in the @relation attribute. You must only specify it on the opposite field `{fwd.name}` on model `{fwd.model}`.',
            back.span,
        )


def _validate_one_to_one(ctx: Context, pair: Pair) -> None:
    a, b = pair.forward, pair.back
    assert a is not None and b is not None
    given = {arg: (_gives(a, arg), _gives(b, arg)) for arg in ("fields", "references")}
    # `fields` is checked on its own, then `references` (Prisma 7.10.1, seen): neither side
    # giving one is an error on each side, each naming itself first.
    for arg in ("fields", "references"):
        if not any(given[arg]):
            for x, y in ((a, b), (b, a)):
                ctx.error(
                    f'Error parsing attribute "@relation": The relation fields `{x.name}` on Model `{x.model}` and `{y.name}` on Model `{y.model}` do not provide the `{arg}` argument in the @relation attribute. You have to provide it on one of the two fields.',
                    x.span,
                )
            return
    # Both sides giving one: Prisma names the side with `fields` first (the later field when
    # both have them) and reports `references` before `fields`.
    x, y = (a, b) if given["fields"] == (True, False) else (b, a)
    doubled = [arg for arg in ("references", "fields") if all(given[arg])]
    for arg in doubled:
        for field in (x, y):
            ctx.error(
                f'Error parsing attribute "@relation": The relation fields `{x.name}` on Model `{x.model}` and `{y.name}` on Model `{y.model}` both provide the `{arg}` argument in the @relation attribute. You have to provide it only on one of the two fields.',
                field.span,
            )
    if doubled:
        return
    rel = a.relation
    assert rel is not None
    if rel.fields and all(f in ctx.models[a.model].fields for f in rel.fields):
        model = ctx.models[a.model]
        if not _is_unique_criterion(model, rel.fields) and not _covered_by_pk(model, rel.fields):
            if len(rel.fields) == 1:
                hint = f"Either add an `@unique` attribute to the field `{rel.fields[0]}`, or change the relation to one-to-many."
            else:
                hint = f"Either add an `@@unique([{', '.join(rel.fields)}])` attribute to the model, or change the relation to one-to-many."
            ctx.error(
                f'Error parsing attribute "@relation": A one-to-one relation must use unique fields on the defining side. {hint}',
                a.span,
            )
            return  # Prisma says no more of this relation (not that the back field is required)
    if b.arity is dm.Arity.REQUIRED:
        ctx.attribute_error(
            a.relation.attribute if a.relation else b.node.read_attributes()[0],
            f"The relation field `{b.name}` on Model `{b.model}` is required. This is not valid because it's not possible to enforce this constraint on the database level. Please change the field type from `{a.model}` to `{a.model}?` to fix this.",
            b.span,
        )


def _covered_by_pk(model: ModelInfo, cols: list[str]) -> bool:
    return model.pk is not None and [f.name for f in model.pk.fields] == cols


# ---------------------------------------------------------------- datamodel


def default_on_delete(ctx: Context, info: FieldInfo) -> RA:
    fk_required = any(f.arity is dm.Arity.REQUIRED for f in _fk_fields(ctx, info)) if info.relation else False
    if info.arity is dm.Arity.REQUIRED or fk_required:
        return RA.NO_ACTION if ctx.relation_mode == "prisma" and ctx.provider == "sqlserver" else RA.RESTRICT
    return RA.SET_NULL


def default_on_update(ctx: Context) -> RA:
    return RA.CASCADE


def build_relations(ctx: Context, pairs: list[Pair]) -> list[dm.Relation]:
    out: list[dm.Relation] = []
    provider = ctx.provider
    fk_names = ctx.fk_names  # (worked out by the checks: foreign_key_names)
    for pair in pairs:
        fwd, back = pair.forward, pair.back
        if pair.kind is dm.RelationKind.IMPLICIT_MANY_TO_MANY:
            assert fwd is not None and back is not None
            out.append(
                dm.Relation(
                    name=pair.name,
                    kind=pair.kind,
                    referencing_model=fwd.model,
                    referencing_field=fwd.name,
                    referenced_model=back.model,
                    back_field=back.name,
                    join_table=names.m2m_join_table(pair.name, provider),
                    is_self=fwd.model == back.model,
                )
            )
            continue
        if fwd is None:
            continue
        rel = fwd.relation
        fk_name = None
        if rel and rel.fields:
            fk_name = fk_names.get(id(fwd)) if fk_names is not None else None
            if fk_name is None:
                model = ctx.models[fwd.model]
                fk_cols = [model.fields[n].db_name for n in rel.fields if n in model.fields]
                fk_name = rel.map or names.foreign_key_name(model.db_name, fk_cols, provider)
        out.append(
            dm.Relation(
                name=pair.name,
                kind=pair.kind,
                referencing_model=fwd.model,
                referencing_field=fwd.name,
                referenced_model=fwd.related or "",
                back_field=back.name if back else None,
                fields=list(rel.fields or []) if rel else [],
                references=list(rel.references or []) if rel else [],
                on_delete=(rel.on_delete if rel and rel.on_delete else default_on_delete(ctx, fwd)),
                on_update=(rel.on_update if rel and rel.on_update else default_on_update(ctx)),
                fk_name=fk_name,
                is_self=fwd.model == fwd.related,
            )
        )
    return out
