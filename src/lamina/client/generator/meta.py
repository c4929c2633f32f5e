"""Datamodel -> the plain-data schema description the runtime reads (`_meta.py`).

Relations are normalised here so that the runtime never reasons about which side holds
the foreign key: `local` columns of this model equal `remote` columns of the related one.
Implicit m:n relations get their `_AToB` table and the column pointing at each side: `A`
points at the model whose name sorts first; in a self-relation, the field whose name sorts
first finds its related rows in `A`.
"""

from __future__ import annotations

import re

from typing import Any

from lamina.datamodel import Arity, Datamodel, DefaultKind, IndexKind, Model, Relation, RelationField, RelationKind, ScalarField


def client_models(dm: Datamodel) -> list[Model]:
    """The models the client serves: those with a unique criterion, and every view (Prisma 7.10.1
    gives a view without one find_first/find_many/count/aggregate/group_by, no find_unique)."""
    return [m for m in dm.models if not m.ignored and (m.is_view or m.primary_key is not None or _has_unique(m))]


def has_unique_criterion(m: Model) -> bool:
    return m.primary_key is not None or _has_unique(m)


def _has_unique(m: Model) -> bool:
    return any(i.kind is IndexKind.UNIQUE for i in m.indexes)


def scalar_fields(m: Model) -> list[ScalarField]:
    return [f for f in m.scalar_fields if not f.ignored and f.unsupported is None]


def relation_fields(dm: Datamodel, m: Model) -> list[RelationField]:
    names = {x.name for x in client_models(dm)}
    return [f for f in m.relation_fields if not f.ignored and f.related_model in names]


def unique_keys(m: Model) -> dict[str, list[str]]:
    """Client names of every unique criterion: the id first, then uniques in source order."""
    out: dict[str, list[str]] = {}
    if m.primary_key is not None:
        fields = [f.name for f in m.primary_key.fields]
        out[m.primary_key.name or "_".join(fields)] = fields
    for idx in m.indexes:
        if idx.kind is IndexKind.UNIQUE:
            fields = [f.name for f in idx.fields]
            out.setdefault(idx.name or "_".join(fields), fields)
    return out


def primary_key(m: Model) -> list[str]:
    if m.primary_key is not None:
        return [f.name for f in m.primary_key.fields]
    return next(iter(unique_keys(m).values()), [])  # [] for a view without a unique criterion


def find_relation(dm: Datamodel, m: Model, rf: RelationField) -> Relation:
    for rel in dm.relations:
        if rel.name != rf.relation_name:
            continue
        if (rel.referencing_model == m.name and rel.referencing_field == rf.name) or (
            rel.referenced_model == m.name and rel.back_field == rf.name
        ):
            return rel
    raise ValueError(f"no relation for {m.name}.{rf.name}")


def _field_spec(f: ScalarField, m: Model, dm: Datamodel) -> dict[str, Any]:
    spec: dict[str, Any] = {"name": f.name, "db": f.db_name, "type": f.type.value if f.type else "Enum"}
    if f.enum:
        spec["enum"] = f.enum
        enum = dm.enum(f.enum)
        if enum is not None and any(v.db_name != v.name for v in enum.values):  # `@map` on enum values
            spec["enum_db"] = {v.name: v.db_name for v in enum.values}
    if f.arity is not Arity.REQUIRED:
        spec["required"] = False
    if f.arity is Arity.LIST:
        spec["list"] = True
    if f.default is not None:
        spec["default"] = f.default.kind.value
        if f.default.kind in (DefaultKind.CUID, DefaultKind.UUID, DefaultKind.NANOID) and f.default.args:
            spec["default_args"] = [str(a) for a in f.default.args]
    if f.is_updated_at:
        spec["updated_at"] = True
    if m.primary_key is not None and [x.name for x in m.primary_key.fields] == [f.name]:
        spec["id"] = True
    return spec


def relation_spec(dm: Datamodel, m: Model, rf: RelationField) -> dict[str, Any]:
    rel = find_relation(dm, m, rf)
    related = dm.model(rf.related_model)
    assert related is not None
    spec: dict[str, Any] = {
        "name": rf.name, "related": rf.related_model, "to_many": rf.arity is Arity.LIST,
        "required": rf.arity is Arity.REQUIRED,
    }
    if rel.kind is RelationKind.IMPLICIT_MANY_TO_MANY:
        if rel.referencing_model != rel.referenced_model:
            is_a = m.name < rf.related_model
        else:
            # Self-relation: the field that sorts first reads its related rows from column A
            # (Prisma's docs: `a_eats` returns the prey stored in A), so its own row is in B.
            other = rel.back_field if rf.name == rel.referencing_field else rel.referencing_field
            is_a = rf.name > (other or "")
        spec.update(local=primary_key(m), remote=primary_key(related), join=rel.join_table or f"_{rel.name}",
                    join_self="A" if is_a else "B", join_other="B" if is_a else "A")
    elif rf.fields:
        spec.update(local=list(rf.fields), remote=list(rf.references), holds_fk=True)
    else:
        spec.update(local=list(rel.references), remote=list(rel.fields))
    return spec


_INSTANCE_NAME = re.compile(r"@Python\(\s*instance_name\s*:\s*\"([A-Za-z_][A-Za-z0-9_]*)\"\s*\)")


def instance_name(m: Any) -> str:
    """The client attribute of a model: `user` for User, or prisma-client-py's
    `/// @Python(instance_name: "...")` in the model's documentation."""
    found = _INSTANCE_NAME.search(m.documentation or "")
    return found.group(1) if found else m.name.lower()


def schema_spec(dm: Datamodel, schema_dir: str | None) -> dict[str, Any]:
    ds = dm.datasource
    spec: dict[str, Any] = {"provider": ds.provider.value if ds else "sqlite", "schema_dir": schema_dir}
    if ds is not None and ds.url is not None:
        if ds.url.env_var:
            spec["url_env"] = ds.url.env_var
        else:
            spec["url"] = ds.url.value
    else:
        spec["url_env"] = "DATABASE_URL"
    models: dict[str, Any] = {}
    for m in client_models(dm):
        models[m.name] = {
            "table": m.db_name,
            "schema": m.schema,
            "fields": [_field_spec(f, m, dm) for f in scalar_fields(m)],
            "relations": [relation_spec(dm, m, rf) for rf in relation_fields(dm, m)],
            "pk": primary_key(m),
            "uniques": unique_keys(m),
        }
        if instance_name(m) != m.name.lower():
            models[m.name]["instance_name"] = instance_name(m)
        if m.is_view:
            models[m.name]["view"] = True  # read-only: no write actions, and the runtime refuses writes
        if m.shard_key:
            models[m.name]["shard_key"] = list(m.shard_key)  # shardKeys preview: metadata only, no SQL
    spec["models"] = models
    # The runtime's preview features (relationJoins, nativeDistinct): those of every generator
    # block, as Prisma reads them. Absent when none, so older generated packages stay unchanged.
    preview = sorted({f for g in dm.generators for f in g.preview_features} & RUNTIME_PREVIEW_FEATURES)
    if preview:
        spec["preview_features"] = preview
    return spec


RUNTIME_PREVIEW_FEATURES = {"relationJoins", "nativeDistinct"}
