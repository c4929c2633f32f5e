"""Turn the validated records into the public `lamina.datamodel.Datamodel`.

The records are dropped model by model as their datamodel objects are made (`_validate` keeps
no other reference to them), so that at no point both whole sets are in memory; the objects
made are slotted and built with positional arguments. The index fields are the validator's own
`dm.IndexField` objects, handed over rather than copied.
"""

from __future__ import annotations

from lamina import datamodel as dm
from lamina.psl.validate.context import Context, FieldInfo, ModelInfo
from lamina.psl.validate.relations import Pair, build_relations, relation_name


def _field(ctx: Context, info: FieldInfo) -> dm.Field:
    doc = info.node.documentation
    if info.is_relation:
        rel = info.relation
        name = info.relation_name if info.relation_name is not None else relation_name(ctx, info)[0]
        if rel is None:
            return dm.RelationField(
                info.name, info.model, info.related or "", info.arity, name, [], [], None, None, None, info.ignored, doc
            )
        return dm.RelationField(
            info.name,
            info.model,
            info.related or "",
            info.arity,
            name,
            rel.fields if rel.fields is not None else [],  # (the record's own list: build_relations copied it)
            rel.references if rel.references is not None else [],
            rel.on_delete,
            rel.on_update,
            rel.map,
            info.ignored,
            doc,
        )
    return dm.ScalarField(
        info.name,
        info.db_name,
        info.scalar if info.kind == "scalar" else None,
        info.arity,
        info.enum,
        info.unsupported if info.kind == "unsupported" else None,
        info.native,
        info.default,
        info.updated_at,
        info.ignored,
        doc,
    )


def _model(ctx: Context, model: ModelInfo) -> dm.Model:
    pk = None
    if model.pk is not None:
        p = model.pk
        pk = dm.PrimaryKey(p.fields, p.db_name, p.name, p.clustered, p.map is not None)
    indexes = [
        dm.Index(
            idx.kind,
            idx.fields,
            idx.db_name,
            idx.name,
            idx.algorithm,
            idx.clustered,
            idx.map is not None,
            idx.on_field is not None,
            idx.where,
        )
        for idx in model.indexes
    ]
    return dm.Model(
        model.name,
        model.db_name,
        [_field(ctx, f) for f in model.fields.values()],
        pk,
        indexes,
        model.schema,
        model.is_view,
        model.ignored,
        model.block.documentation,
        model.shard_key if model.shard_key is not None else [],
    )


def build(ctx: Context, pairs: list[Pair]) -> dm.Datamodel:
    enums = [
        dm.EnumDef(e.name, e.db_name, e.values, e.schema, e.block.documentation) for e in ctx.enums.values()
    ]
    relations = build_relations(ctx, pairs)
    pairs.clear()  # (the relation fields' records go with their models below)
    records = ctx.models
    ctx.models = {}
    models = []
    for name in list(records):
        models.append(_model(ctx, records.pop(name)))  # the model's records are freed here
    return dm.Datamodel(ctx.datasource, ctx.generators, models, enums, relations)
