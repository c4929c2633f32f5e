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
    Field,
    IndexKind as DmIndexKind,
    Model,
    ReferentialAction,
    RelationField,
    RelationKind,
    ScalarField,
    ScalarType,
    SortOrder,
)
from lamina.sql import pg_opclasses
from lamina.sql.schema import (
    Column,
    ColumnArity,
    ColumnDefault,
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
_INDEX_KIND = {DmIndexKind.NORMAL: IndexKind.NORMAL, DmIndexKind.UNIQUE: IndexKind.UNIQUE,
               DmIndexKind.FULLTEXT: IndexKind.FULLTEXT}
_FAMILY = {t: t.value for t in ScalarType}  # `ScalarType.value` is a descriptor call: once per type


def calculate(datamodel: Datamodel, dialect=None) -> SqlSchema:
    """The SqlSchema Prisma's migration engine would create for `datamodel`."""
    if dialect is None:
        from lamina.dialects import get_dialect

        dialect = get_dialect(datamodel.provider.value if datamodel.provider else "sqlite")
    calc = _Calculation(datamodel, dialect)
    ns = calc.ns
    model_table = calc.model_table
    tables = [model_table(m) for m in datamodel.models if not m.is_view]
    for relation in datamodel.relations:
        if relation.kind is RelationKind.IMPLICIT_MANY_TO_MANY:
            tables.append(calc.join_table(relation))
    enums: list[EnumType] = []
    if dialect.supports_enums:
        enums = [EnumType(e.db_name, tuple(v.db_name for v in e.values), ns(e.schema)) for e in datamodel.enums]
    namespaces: tuple[str, ...] = ()
    if calc.multi_schema and datamodel.datasource:
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


class _Calculation:
    """One datamodel's calculation: models, enums and relations by name (the calculator must
    stay linear in model count), the dialect's functions looked up once, and the values many
    tables share made once.

    Equal columns (`id SERIAL`, `createdAt TIMESTAMP(3) DEFAULT CURRENT_TIMESTAMP`...), index
    columns and defaults are one shared object each: `SqlSchema` values are never changed after
    they are made (a change makes a new one), so sharing them is invisible but to memory (the
    generated 10,000-model schema: 21.5 -> 8.4 MB) and to the renderer, which writes a shared
    column once."""

    def __init__(self, datamodel: Datamodel, dialect) -> None:
        self.datamodel = datamodel
        self.dialect = dialect
        datasource = datamodel.datasource
        self.multi_schema = bool(datasource and datasource.schemas) and dialect.supports_namespaces
        self.default_namespace = datasource.schemas[0] if self.multi_schema and datasource else None
        self.models = {m.name: m for m in datamodel.models}
        self.enums = {e.name: e for e in datamodel.enums}
        self.relations = {(r.referencing_model, r.referencing_field): r for r in datamodel.relations}
        self.foreign_keys = not (datasource and datasource.relation_mode == "prisma")
        calculator = dialect.calculator()
        self.column_type = calculator.column_type
        self.column_default = calculator.column_default
        self.is_autoincrement = dialect.is_autoincrement
        self.supports_enums = dialect.supports_enums
        self.named_primary_keys = dialect.named_primary_keys
        self.predicate_key = dialect.predicate_key
        self._fields: dict[int, dict[str, Field]] = {}
        self._columns: dict[tuple, Column] = {}
        self._defaults: dict[tuple, ColumnDefault] = {}
        self._index_columns: dict[tuple, IndexColumn] = {}
        self._plain: dict[tuple, Column] = {}

    def ns(self, name: str | None) -> str | None:
        if not self.multi_schema:
            return None
        return name or self.default_namespace

    def fields_of(self, model: Model) -> dict[str, Field]:
        """The model's fields by name (the first of a name, as `Model.field` finds it)."""
        by_name = self._fields.get(id(model))  # the models outlive the calculation
        if by_name is None:
            by_name = self._fields[id(model)] = {}
            for f in model.fields:
                if f.name not in by_name:
                    by_name[f.name] = f
        return by_name

    def column(self, field: ScalarField, single_id: bool) -> Column:
        """The column of `field`. A plain scalar field (no enum, native type or Unsupported)
        is first looked up by what decides its column, its default by identity (the validator
        gives equal defaults one shared `DefaultValue`): most columns of a schema are one of a
        few dozen (`id`, `createdAt`, `name`...). A miss is calculated, then shared by value."""
        if field.native_type is None and field.unsupported is None and not field.enum:
            key = (field.db_name, field.type, field.arity, single_id, id(field.default))
            column = self._plain.get(key)
            if column is None:
                column = self._plain[key] = self._column(field, single_id)
            return column
        return self._column(field, single_id)

    def _column(self, field: ScalarField, single_id: bool) -> Column:
        enum_name = field.enum
        enum = self.enums.get(enum_name) if enum_name else None
        if enum is not None:
            family = "Enum:" + enum.name
        elif field.unsupported is not None or field.type is None:
            family = "Unsupported"
        else:
            family = _FAMILY[field.type]
        autoincrement = self.is_autoincrement(field, single_id)
        default = None
        if field.default is not None and not autoincrement:
            default = self.column_default(field, self.datamodel)
            if default is not None:
                default = self._defaults.setdefault((default.kind, default.sql, default.constraint_name), default)
        column_type = self.column_type(field, self.datamodel)
        enum_db = enum.db_name if enum is not None and self.supports_enums else None
        arity = _ARITY[field.arity]
        key = (field.db_name, column_type, arity, id(default), autoincrement, family, enum_db)
        column = self._columns.get(key)
        if column is None:
            column = self._columns[key] = Column(field.db_name, column_type, arity, default, autoincrement, family,
                                                 enum_db)
        return column

    def index_columns(self, by_name: dict[str, Field], fields, algorithm: str | None = None) -> tuple[IndexColumn, ...]:
        """The columns of an index (or primary key) on the fields `fields` of the model whose
        fields are `by_name`."""
        shared = self._index_columns
        out = []
        written: str | None
        opclass: str | None
        for f in fields:
            scalar = by_name.get(f.name)
            name = scalar.db_name if isinstance(scalar, ScalarField) else f.name
            sort = "DESC" if f.sort is SortOrder.DESC else None
            if f.ops:
                written = pg_opclasses.sql_name(f.ops)
                opclass = None if pg_opclasses.is_default(written, algorithm) else written
            else:
                written = opclass = None
            key = (name, sort, f.length, opclass, written)
            column = shared.get(key)
            if column is None:
                column = shared[key] = IndexColumn(name, sort, f.length, opclass, written)
            out.append(column)
        return tuple(out)

    def model_table(self, model: Model) -> Table:
        namespace = self.ns(model.schema) if self.multi_schema else None
        pk = model.primary_key
        single_id = pk.fields[0].name if pk is not None and len(pk.fields) == 1 else None
        columns = []
        relation_fields = []
        plain = self._plain
        known_fields = self._fields.get(id(model))  # made already when a model before referenced this one
        known = known_fields is not None
        by_name: dict[str, Field] = known_fields if known_fields is not None else {}
        if not known:
            self._fields[id(model)] = by_name
        for f in model.fields:
            name = f.name
            if not known and name not in by_name:
                by_name[name] = f
            if isinstance(f, ScalarField):
                # `self.column(f, name == single_id)`, its common case written out (once per field)
                if f.native_type is None and f.unsupported is None and not f.enum:
                    key = (f.db_name, f.type, f.arity, name == single_id, id(f.default))
                    column = plain.get(key)
                    if column is None:
                        column = plain[key] = self._column(f, key[3])
                    columns.append(column)
                else:
                    columns.append(self._column(f, name == single_id))
            elif f.fields:  # a relation field holding the foreign key
                relation_fields.append(f)
        primary_key = None
        if pk is not None:
            primary_key = PrimaryKey(self.index_columns(by_name, pk.fields),
                                     pk.db_name if self.named_primary_keys else None)
        model_indexes = model.indexes
        if len(model_indexes) > 1:
            model_indexes = sorted(
                model_indexes,
                key=lambda i: 0 if (i.kind is DmIndexKind.UNIQUE and i.defined_on_field) else _INDEX_RANK[i.kind],
            )
        indexes = tuple([
            Index(
                i.db_name,
                self.index_columns(by_name, i.fields, i.algorithm),
                _INDEX_KIND[i.kind],
                (i.algorithm.upper() if i.algorithm and i.algorithm.lower() != "btree" else None),
                False,
                i.where,
                None if i.where is None else self.predicate_key(i.where),
            )
            for i in model_indexes
        ])
        foreign_keys = self.foreign_keys_of(model, by_name, relation_fields) if relation_fields else ()
        return Table(model.db_name, tuple(columns), primary_key, indexes, foreign_keys, namespace)

    def foreign_keys_of(self, model: Model, own: dict[str, Field], relation_fields: list) -> tuple[ForeignKey, ...]:
        if not self.foreign_keys:
            return ()
        out = []
        for rf in relation_fields:
            if not isinstance(rf, RelationField):
                continue
            relation = self.relations.get((model.name, rf.name))
            target = self.models.get(rf.related_model)
            if target is None:
                continue
            on_delete = (relation.on_delete if relation else None) or rf.on_delete
            on_update = (relation.on_update if relation else None) or rf.on_update
            refs = own if target is model else self.fields_of(target)
            out.append(
                ForeignKey(
                    (relation.fk_name if relation and relation.fk_name else rf.fk_map),
                    _db_names(own, model, rf.fields),
                    target.db_name,
                    _db_names(refs, target, rf.references),
                    ACTIONS.get(on_delete, ForeignKeyAction.NO_ACTION),
                    ACTIONS.get(on_update, ForeignKeyAction.CASCADE),
                    self.ns(target.schema) if self.multi_schema else None,
                )
            )
        return tuple(out)

    def _id_field(self, model: Model) -> ScalarField:
        """The single-field id of a model in an implicit many-to-many relation (validated)."""
        assert model.primary_key is not None, model.name
        found = self.fields_of(model)[model.primary_key.fields[0].name]
        assert isinstance(found, ScalarField), model.name
        return found

    def join_table(self, relation) -> Table:
        """Prisma's implicit m:n table: `_AToB` with columns A and B (A = the model sorted first)."""
        a_name, b_name = sorted([relation.referencing_model, relation.referenced_model])
        a, b = self.models[a_name], self.models[b_name]
        name = relation.join_table or f"_{relation.name}"
        columns = []
        for label, model in (("A", a), ("B", b)):
            id_field = self._id_field(model)
            plain = ScalarField(
                name=label, db_name=label, type=id_field.type, arity=Arity.REQUIRED,
                enum=id_field.enum, native_type=id_field.native_type,
            )
            columns.append(self.column(plain, False))
        namespace = self.ns(a.schema)
        pk = None
        indexes = [Index(f"{name}_B_index", (IndexColumn("B"),))]
        if self.named_primary_keys:
            pk = PrimaryKey((IndexColumn("A"), IndexColumn("B")), f"{name}_AB_pkey")
        else:
            indexes.insert(0, Index(f"{name}_AB_unique", (IndexColumn("A"), IndexColumn("B")), IndexKind.UNIQUE))
        fks = []
        for label, model in (("A", a), ("B", b)):
            id_col = self._id_field(model).db_name
            fks.append(
                ForeignKey(
                    f"{name}_{label}_fkey", (label,), model.db_name, (id_col,),
                    ForeignKeyAction.CASCADE, ForeignKeyAction.CASCADE,
                    referenced_namespace=self.ns(model.schema),
                )
            )
        return Table(name, tuple(columns), pk, tuple(indexes), tuple(fks), namespace)


def _db_names(by_name: dict[str, Field], model: Model, names: list[str]) -> tuple[str, ...]:
    """The column names of `names`, fields that validation made sure are scalar fields of
    `model` (`fields:`, `references:`)."""
    out = []
    for name in names:
        found = by_name.get(name)
        assert isinstance(found, ScalarField), (model.name, name)
        out.append(found.db_name)
    return tuple(out)
