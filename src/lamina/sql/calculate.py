"""Datamodel -> SqlSchema: the database Prisma would create for a schema.

Conventions:
- Tables come in model order, then implicit m:n join tables in relation order; this
  order is the order of CREATE TABLE steps, as Prisma's table ids are.
- Within a table, indexes are ordered as Prisma walks the attributes: field-level
  `@unique` first, then `@@index`, then `@@unique`, then `@@fulltext`.
- Foreign keys come per model in relation-field order.
- Types and defaults come from the dialect (`lamina.dialects.<d>.calculate`).
"""

from __future__ import annotations

from lamina.datamodel import (
    Arity,
    Datamodel,
    IndexKind as DmIndexKind,
    Model,
    ReferentialAction,
    RelationKind,
    ScalarField,
    SortOrder,
)
from lamina.sql import pg_opclasses
from lamina.sql.schema import (
    Column,
    ColumnArity,
    EnumType,
    Extension,
    ForeignKey,
    ForeignKeyAction,
    Index,
    IndexColumn,
    IndexKind,
    PrimaryKey,
    SqlSchema,
    Table,
)

# None (no action written) falls back to each caller's default.
ACTIONS: dict[ReferentialAction | None, ForeignKeyAction] = {
    ReferentialAction.CASCADE: ForeignKeyAction.CASCADE,
    ReferentialAction.RESTRICT: ForeignKeyAction.RESTRICT,
    ReferentialAction.NO_ACTION: ForeignKeyAction.NO_ACTION,
    ReferentialAction.SET_NULL: ForeignKeyAction.SET_NULL,
    ReferentialAction.SET_DEFAULT: ForeignKeyAction.SET_DEFAULT,
}

_ARITY = {Arity.REQUIRED: ColumnArity.REQUIRED, Arity.OPTIONAL: ColumnArity.NULLABLE, Arity.LIST: ColumnArity.LIST}
_INDEX_RANK = {DmIndexKind.NORMAL: 1, DmIndexKind.UNIQUE: 2, DmIndexKind.FULLTEXT: 3}


def calculate(datamodel: Datamodel, dialect=None) -> SqlSchema:
    """The SqlSchema Prisma's migration engine would create for `datamodel`."""
    if dialect is None:
        from lamina.dialects import get_dialect

        dialect = get_dialect(datamodel.provider.value if datamodel.provider else "sqlite")
    multi_schema = bool(datamodel.datasource and datamodel.datasource.schemas) and dialect.supports_namespaces

    def ns(name: str | None) -> str | None:
        if not multi_schema:
            return None
        return name or (datamodel.datasource.schemas[0] if datamodel.datasource else None)

    index = _Lookup(datamodel)
    tables = [_model_table(m, datamodel, dialect, ns, index) for m in datamodel.models if not m.is_view]
    for relation in datamodel.relations:
        if relation.kind is RelationKind.IMPLICIT_MANY_TO_MANY:
            tables.append(_join_table(relation, datamodel, dialect, ns, index))
    enums: list[EnumType] = []
    if dialect.supports_enums:
        enums = [EnumType(e.db_name, tuple(v.db_name for v in e.values), ns(e.schema)) for e in datamodel.enums]
    namespaces: tuple[str, ...] = ()
    if multi_schema and datamodel.datasource:
        # Every declared namespace: a schema-to-schema diff assumes declared ones exist
        # (the differ creates only those that objects of the target use).
        namespaces = tuple(datamodel.datasource.schemas)
    extensions: tuple[Extension, ...] = ()
    features = {f for g in datamodel.generators for f in g.preview_features}
    if datamodel.datasource and "postgresqlExtensions" in features and dialect.provider == "postgresql":
        extensions = tuple(
            sorted((Extension(e.db_name, e.schema, e.version) for e in datamodel.datasource.extension_specs), key=lambda e: e.name)
        )
    return SqlSchema(
        tables=tuple(tables),
        enums=tuple(enums),
        namespaces=namespaces,
        extensions=extensions,
        manages_partial_indexes="partialIndexes" in features,
        manages_extensions=bool(extensions) or ("postgresqlExtensions" in features and dialect.provider == "postgresql"),
    )


class _Lookup:
    """Models, enums and relations by name: the calculator must stay linear in model count."""

    def __init__(self, datamodel: Datamodel) -> None:
        self.models = {m.name: m for m in datamodel.models}
        self.enums = {e.name: e for e in datamodel.enums}
        self.relations = {(r.referencing_model, r.referencing_field): r for r in datamodel.relations}


def _column(field: ScalarField, datamodel: Datamodel, dialect, single_id: bool, index=None) -> Column:
    arity = _ARITY[field.arity]
    enum = (index.enums.get(field.enum) if index else datamodel.enum(field.enum)) if field.enum else None
    if enum:
        family = f"Enum:{enum.name}"
    elif field.unsupported is not None or field.type is None:
        family = "Unsupported"
    else:
        family = field.type.value
    autoincrement = dialect.is_autoincrement(field, single_id)
    return Column(
        name=field.db_name,
        type=dialect.column_type(field, datamodel),
        arity=arity,
        default=None if autoincrement else dialect.column_default(field, datamodel),
        autoincrement=autoincrement,
        family=family,
        enum=enum.db_name if enum and dialect.supports_enums else None,
    )


def _index_columns(model: Model, fields, algorithm: str | None = None) -> tuple[IndexColumn, ...]:
    out = []
    for f in fields:
        scalar = model.field(f.name)
        written = pg_opclasses.sql_name(f.ops) if f.ops else None
        out.append(
            IndexColumn(
                name=scalar.db_name if isinstance(scalar, ScalarField) else f.name,
                sort="DESC" if f.sort is SortOrder.DESC else None,
                length=f.length,
                opclass=None if written is None or pg_opclasses.is_default(written, algorithm) else written,
                written_opclass=written,
            )
        )
    return tuple(out)


def _model_table(model: Model, datamodel: Datamodel, dialect, ns, index) -> Table:
    namespace = ns(model.schema)
    pk_fields = [f.name for f in model.primary_key.fields] if model.primary_key else []
    single_id = len(pk_fields) == 1
    columns = tuple(
        _column(f, datamodel, dialect, single_id and f.name == pk_fields[0], index) for f in model.scalar_fields
    )
    primary_key = None
    if model.primary_key:
        primary_key = PrimaryKey(
            _index_columns(model, model.primary_key.fields),
            model.primary_key.db_name if dialect.named_primary_keys else None,
        )
    ordered = sorted(
        model.indexes,
        key=lambda i: 0 if (i.kind is DmIndexKind.UNIQUE and i.defined_on_field) else _INDEX_RANK[i.kind],
    )
    indexes = tuple(
        Index(
            name=i.db_name,
            columns=_index_columns(model, i.fields, i.algorithm),
            kind=IndexKind(i.kind.value),
            algorithm=(i.algorithm.upper() if i.algorithm and i.algorithm.lower() != "btree" else None),
            predicate=i.where,
            predicate_key=dialect.predicate_key(i.where),
        )
        for i in ordered
    )
    return Table(
        name=model.db_name,
        columns=columns,
        primary_key=primary_key,
        indexes=indexes,
        foreign_keys=tuple(_foreign_keys(model, datamodel, dialect, ns, index)),
        namespace=namespace,
    )


def _foreign_keys(model: Model, datamodel: Datamodel, dialect, ns, index) -> list[ForeignKey]:
    if datamodel.datasource and datamodel.datasource.relation_mode == "prisma":
        return []
    out = []
    for rf in model.relation_fields:
        if not rf.fields:
            continue
        relation = index.relations.get((model.name, rf.name))
        target = index.models.get(rf.related_model)
        if target is None:
            continue
        on_delete = (relation.on_delete if relation else None) or rf.on_delete
        on_update = (relation.on_update if relation else None) or rf.on_update
        own = [_scalar(model, n) for n in rf.fields]
        refs = [_scalar(target, n) for n in rf.references]
        out.append(
            ForeignKey(
                name=(relation.fk_name if relation and relation.fk_name else rf.fk_map),
                columns=tuple(f.db_name for f in own),
                referenced_table=target.db_name,
                referenced_columns=tuple(f.db_name for f in refs),
                on_delete=ACTIONS.get(on_delete, ForeignKeyAction.NO_ACTION),
                on_update=ACTIONS.get(on_update, ForeignKeyAction.CASCADE),
                referenced_namespace=ns(target.schema),
            )
        )
    return out


def _scalar(model: Model, name: str) -> ScalarField:
    """A field that validation made sure is a scalar field of `model` (`fields:`, `references:`)."""
    found = model.field(name)
    assert isinstance(found, ScalarField), (model.name, name)
    return found


def _join_table(relation, datamodel: Datamodel, dialect, ns, index) -> Table:
    """Prisma's implicit m:n table: `_AToB` with columns A and B (A = the model sorted first)."""
    a_name, b_name = sorted([relation.referencing_model, relation.referenced_model])
    a, b = index.models[a_name], index.models[b_name]
    name = relation.join_table or f"_{relation.name}"
    columns = []
    for label, model in (("A", a), ("B", b)):
        id_field = model.field(model.primary_key.fields[0].name)
        plain = ScalarField(
            name=label, db_name=label, type=id_field.type, arity=Arity.REQUIRED,
            enum=id_field.enum, native_type=id_field.native_type,
        )
        columns.append(_column(plain, datamodel, dialect, False, index))
    namespace = ns(a.schema)
    pk = None
    indexes = [Index(f"{name}_B_index", (IndexColumn("B"),))]
    if dialect.named_primary_keys:
        pk = PrimaryKey((IndexColumn("A"), IndexColumn("B")), f"{name}_AB_pkey")
    else:
        indexes.insert(0, Index(f"{name}_AB_unique", (IndexColumn("A"), IndexColumn("B")), IndexKind.UNIQUE))
    fks = []
    for label, model in (("A", a), ("B", b)):
        id_col = model.field(model.primary_key.fields[0].name).db_name
        fks.append(
            ForeignKey(
                f"{name}_{label}_fkey", (label,), model.db_name, (id_col,),
                ForeignKeyAction.CASCADE, ForeignKeyAction.CASCADE,
                referenced_namespace=ns(model.schema),
            )
        )
    return Table(name, tuple(columns), pk, tuple(indexes), tuple(fks), namespace)
