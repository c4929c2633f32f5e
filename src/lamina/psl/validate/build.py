"""Turn the validated records into the public `lamina.datamodel.Datamodel`."""

from __future__ import annotations

from lamina import datamodel as dm
from lamina.psl.validate.context import Context, FieldInfo, IndexFieldInfo, ModelInfo
from lamina.psl.validate.relations import Pair, build_relations, relation_name


def _index_fields(items: list[IndexFieldInfo]) -> list[dm.IndexField]:
    return [dm.IndexField(i.name, i.sort, i.length, i.ops) for i in items]


def _field(ctx: Context, info: FieldInfo) -> dm.Field:
    doc = info.node.documentation
    if info.is_relation:
        rel = info.relation
        return dm.RelationField(
            name=info.name,
            model=info.model,
            related_model=info.related or "",
            arity=info.arity,
            relation_name=relation_name(ctx, info)[0],
            fields=list(rel.fields or []) if rel else [],
            references=list(rel.references or []) if rel else [],
            on_delete=rel.on_delete if rel else None,
            on_update=rel.on_update if rel else None,
            fk_map=rel.map if rel else None,
            ignored=info.ignored,
            documentation=doc,
        )
    return dm.ScalarField(
        name=info.name,
        db_name=info.db_name,
        type=info.scalar if info.kind == "scalar" else None,
        arity=info.arity,
        enum=info.enum,
        unsupported=info.unsupported,
        native_type=info.native,
        default=info.default.value if info.default else None,
        is_updated_at=info.updated_at,
        ignored=info.ignored,
        documentation=doc,
    )


def _model(ctx: Context, model: ModelInfo) -> dm.Model:
    pk = None
    if model.pk is not None:
        pk = dm.PrimaryKey(
            fields=_index_fields(model.pk.fields),
            db_name=model.pk.db_name,
            name=model.pk.name,
            clustered=model.pk.clustered,
            db_name_explicit=model.pk.map is not None,
        )
    indexes = [
        dm.Index(
            kind=idx.kind,
            fields=_index_fields(idx.fields),
            db_name=idx.db_name,
            name=idx.name,
            algorithm=idx.algorithm,
            clustered=idx.clustered,
            db_name_explicit=idx.map is not None,
            defined_on_field=idx.on_field is not None,
            where=idx.where,
        )
        for idx in model.indexes
    ]
    return dm.Model(
        name=model.name,
        db_name=model.db_name,
        fields=[_field(ctx, f) for f in model.fields.values()],
        primary_key=pk,
        indexes=indexes,
        schema=model.schema,
        is_view=model.is_view,
        ignored=model.ignored,
        documentation=model.block.documentation,
        shard_key=list(model.shard_key),
    )


def build(ctx: Context, pairs: list[Pair]) -> dm.Datamodel:
    enums = [
        dm.EnumDef(e.name, e.db_name, e.values, e.schema, e.block.documentation) for e in ctx.enums.values()
    ]
    return dm.Datamodel(
        datasource=ctx.datasource,
        generators=ctx.generators,
        models=[_model(ctx, m) for m in ctx.models.values()],
        enums=enums,
        relations=build_relations(ctx, pairs),
    )
