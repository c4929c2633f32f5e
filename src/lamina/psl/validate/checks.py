"""The last pass: model, field, index and enum rules that need the whole schema and the provider.

Runs only when the earlier passes found no error (as Prisma's validation pipeline), in
Prisma's order: datasource-level checks, database-name clashes, then per model (keys,
schema, autoincrement, scalar fields, relation fields, indexes), enums, then relations.
"""

from __future__ import annotations

from lamina import datamodel as dm
from lamina.psl import ast, names
from lamina.psl.validate import defaults, native_types, pg_indexes, relations, shard_keys
from lamina.psl.validate.constraint_names import MULTI_SCHEMA, Namespaces
from lamina.psl.validate.context import Context, FieldInfo, IndexFieldInfo, IndexInfo, ModelInfo

SCALAR_LISTS = {"postgresql", "cockroachdb", "mongodb"}
NAMED_PKS = {"postgresql", "cockroachdb", "sqlserver"}
INDEX_ALGORITHMS = {"postgresql", "cockroachdb"}
FULLTEXT = {"mysql", "mongodb"}


CONNECTOR_LABELS = {"postgresql": "Postgres", "mysql": "MySQL", "sqlite": "SQLite", "sqlserver": "SQL Server", "cockroachdb": "CockroachDB"}


def run(ctx: Context, pairs: list[relations.Pair]) -> None:
    if ctx.provider != "mongodb":
        for block in ctx.composite_types.values():
            label = CONNECTOR_LABELS.get(ctx.provider or "", ctx.provider or "the current connector")
            ctx.plain_error(f"Composite types are not supported on {label}.", block.span)
    defaults.report_unknown_functions(ctx)
    if ctx.datasource is not None and ctx.schemas_span is not None and ctx.provider not in MULTI_SCHEMA:
        ctx.error("The `schemas` property is not supported on the current connector.", ctx.schemas_span)
    _model_name_clashes(ctx)
    ctx.fk_names = relations.foreign_key_names(ctx, pairs)
    namespaces = Namespaces(ctx, ctx.fk_names)
    # What the provider allows, read once: the loop below runs over every field.
    provider = ctx.provider
    views_enabled = "views" in ctx.preview_features
    scalar_lists = provider in SCALAR_LISTS
    has_datasource = ctx.datasource is not None  # (native types are checked only with one)
    sqlserver = provider == "sqlserver"
    sqlite = provider == "sqlite"
    prisma_mode = ctx.relation_mode == "prisma"
    shard_keys_seen = ctx.shard_keys_seen
    late_errors = ctx.late_errors
    models = ctx.models
    LIST = dm.Arity.LIST
    for model in models.values():
        if model.is_view and not views_enabled:
            ctx.plain_error("View definitions are only available with the `views` preview feature.", model.block.span)
        _strict_unique_criteria(ctx, model)
        namespaces.check_primary_key(model)
        _primary_key(ctx, model)
        _schema_attribute(ctx, model)
        if provider == "mysql":
            _mysql_text_keys(ctx, model)
        elif provider in INDEX_ALGORITHMS:
            _postgres_indexes(ctx, model)
        _autoincrement(ctx, model)
        pk = model.pk
        if pk is not None and pk.clustered is not None and not sqlserver:
            ctx.attribute_error(pk.attribute, "Defining clustering is not supported in the current connector.")
        for info in model.fields.values():
            if info.is_relation:
                continue
            if info.arity is LIST and not scalar_lists:  # (not without a datasource either)
                _scalar_field(ctx, model, info)
            if info.native is not None and has_datasource:
                native_types.validate_native_type(ctx, model, info)
            if late_errors and id(info) in late_errors:  # (after its native type: seen with Prisma 7.10.1)
                for message, span in late_errors[id(info)]:
                    ctx.error(message, span)
        rels = model.relations
        if rels:
            # Ambiguity needs two relation fields to the same model.
            unambiguous = len(rels) == 1 or len({info.related for info in rels}) == len(rels)
            for info in rels:
                if not unambiguous and relations.ambiguity(ctx, model, info):
                    return
                related = models.get(info.related or "")
                if related is not None and related.ignored:
                    _ignored_related(ctx, model, info)
                rel = info.relation
                if rel is None:
                    continue
                if rel.on_delete is not None or rel.on_update is not None:
                    relations.referential_actions(ctx, info)
                if rel.map is not None and sqlite:
                    ctx.attribute_error(rel.attribute, "Your provider does not support named foreign keys.")
                if prisma_mode:
                    relations.missing_relation_indexes(ctx, model, info)
        clashing = _clashing_client_names(model)
        for idx in model.indexes:
            namespaces.check_index(model, idx)
            if clashing is not None and idx.name in clashing:
                ctx.attribute_error(idx.attribute, _CLIENT_NAME_TAKEN.format(name=idx.name), ctx.argument_span(idx.attribute, "name"))
            if not idx.fields:  # (Prisma 7.10.1 checks this in its last pass: seen)
                ctx.attribute_error(
                    idx.attribute, "The list of fields in an index cannot be empty. Please specify at least one field."
                )
            _index(ctx, model, idx)
        if model.is_view:
            _view_unique_arguments(ctx, model)
        if shard_keys_seen:
            shard_keys.validate(ctx, model)
    _enums(ctx)
    relations.validate_pairs(ctx, pairs, namespaces)


def _schema_key(ctx: Context, schema: str | None) -> str | None:
    return schema if ctx.provider in MULTI_SCHEMA else None


def _model_name_clashes(ctx: Context) -> None:
    """Two models or views on one database name. As Prisma 7.10.1: models are walked before
    views, the error goes on the `@@map` that makes the clash (the later one's, else the
    earlier one's) and always says "model"."""
    seen: dict[tuple[str | None, str], ModelInfo] = {}
    ordered = [m for m in ctx.models.values() if not m.is_view] + [m for m in ctx.models.values() if m.is_view]
    for model in ordered:
        key = (_schema_key(ctx, model.schema), model.db_name)
        other = seen.get(key)
        if other is None:
            seen[key] = model
            continue
        if model.map_attr is not None:
            existing, span = other.name, model.map_attr.span
        elif other.map_attr is not None:
            existing, span = model.name, other.map_attr.span
        else:
            existing, span = other.name, model.block.name.span
        ctx.error(
            f'The model with database name "{model.db_name}" could not be defined because another model or view with this name exists: "{existing}"',
            span,
        )


def _strict_unique_criteria(ctx: Context, model: ModelInfo) -> None:
    if model.is_view or model.ignored:
        return
    # The primary key and every unique index count, if all their fields are required and
    # of a supported type; the others are listed in the message.
    pk = model.pk
    if pk is not None and _strict(model, pk.fields):  # (the usual case, told first)
        return
    criteria = [model.pk.fields] if model.pk is not None else []
    criteria += [idx.fields for idx in model.indexes if idx.kind is dm.IndexKind.UNIQUE]
    loose = []
    for fields in criteria:
        if all(model.fields[f.name].arity is dm.Arity.REQUIRED and model.fields[f.name].kind != "unsupported" for f in fields):
            return
        loose.append(", ".join(f.name for f in fields))
    message = (
        "Each model must have at least one unique criteria that has only required fields. Either mark a single field "
        "with `@id`, `@unique` or add a multi field criterion with `@@id([])` or `@@unique([])` to the model."
    )
    if loose:
        message += " The following unique criterias were not considered as they contain fields that are not required:\n"
        message += "\n".join(f"- {names}" for names in loose)
    ctx.model_error(model, message, model.block.span)


def _strict(model: ModelInfo, fields: list[IndexFieldInfo]) -> bool:
    """Whether every field of a unique criterion is required and of a supported type."""
    infos = model.fields
    for f in fields:
        info = infos[f.name]
        if info.arity is not dm.Arity.REQUIRED or info.kind == "unsupported":
            return False
    return True


def _has_length(fields: list[IndexFieldInfo]) -> bool:
    for f in fields:
        if f.length is not None:
            return True
    return False


def _has_sort(fields: list[IndexFieldInfo]) -> bool:
    for f in fields:
        if f.sort is not None:
            return True
    return False


def _primary_key(ctx: Context, model: ModelInfo) -> None:
    pk = model.pk
    if pk is None:
        _unique_client_names(ctx, model)
        return
    if model.is_view:
        ctx.plain_error("Views cannot have primary keys.", pk.attribute.span)
        return
    if pk.map is not None and ctx.provider not in NAMED_PKS:
        ctx.model_error(
            model,
            "You defined a database name for the primary key on the model. This is not supported by the provider.",
            model.block.span,
        )
    if pk.name is not None and pk.name in model.fields:
        ctx.model_error(
            model,
            f"The custom name `{pk.name}` specified for the `@@id` attribute is already used as a name for a field. Please choose a different name.",
            model.block.span,
        )
    _unique_client_names(ctx, model)
    if pk.name is not None:
        clashing = _clashing_client_names(model)
        if clashing is not None and pk.name in clashing:
            ctx.attribute_error(pk.attribute, _CLIENT_NAME_TAKEN.format(name=pk.name), ctx.argument_span(pk.attribute, "name"))
    if _has_length(pk.fields) and ctx.provider != "mysql":
        ctx.attribute_error(pk.attribute, "The length argument is not supported in the primary key with the current connector")
    if _has_sort(pk.fields) and ctx.provider != "sqlserver":
        ctx.attribute_error(pk.attribute, "The sort argument is not supported in the primary key with the current connector")


_CLIENT_NAME_TAKEN = (
    "The given custom name `{name}` has to be unique on the model. Please provide a different name for the `name` argument."
)


def _clashing_client_names(model: ModelInfo) -> set[str] | None:
    """The `name:`s given to more than one of the model's `@@id`/`@@unique` (one namespace in
    the client); None when there is none, the usual case, told without counting."""
    pk = model.pk
    names = [idx.name for idx in model.indexes if idx.name is not None]
    if pk is not None and pk.name is not None:
        names.append(pk.name)
    if len(names) < 2 or len(set(names)) == len(names):
        return None
    return {name for name in names if names.count(name) > 1}


def _unique_client_names(ctx: Context, model: ModelInfo) -> None:
    for idx in model.indexes:
        if idx.name is not None and idx.name in model.fields:
            ctx.model_error(
                model,
                f"The custom name `{idx.name}` specified for the `@@unique` attribute is already used as a name for a field. Please choose a different name.",
                model.block.span,
            )


def _check_schema_defined(ctx: Context, schema: str | None, schema_attr: ast.Attribute) -> None:
    """`@@schema("x")` of a model or enum must name one of the datasource's `schemas`."""
    ds = ctx.datasource
    if ds is None or schema not in ds.schemas:
        ctx.error(
            "This schema is not defined in the datasource. Read more on `@@schema` at https://pris.ly/d/multi-schema",
            ctx.argument_span(schema_attr, "map"),
        )


def _schema_attribute(ctx: Context, model: ModelInfo) -> None:
    ds = ctx.datasource
    if model.schema_attr is not None and ctx.provider not in MULTI_SCHEMA:
        if ctx.schemas_span is None:  # else the `schemas` property is the error reported
            ctx.error("@@schema is not supported on the current datasource provider", model.schema_attr.span)
    elif model.schema_attr is not None:
        _check_schema_defined(ctx, model.schema, model.schema_attr)
    elif ds is not None and ds.schemas and ctx.provider in MULTI_SCHEMA:
        ctx.error(
            f'Error validating {model.kind} "{model.name}": This {model.kind} is missing an `@@schema` attribute.',
            model.block.span,
        )


# Providers on which `autoincrement()` may be used more than once per table / on a non-id
# field / on a field without an index.
# (Without a datasource Prisma's empty connector allows none of these.)
AUTOINCREMENT_MULTIPLE = {"postgresql", "cockroachdb", "sqlserver"}
AUTOINCREMENT_NON_ID = {"postgresql", "cockroachdb", "sqlserver", "mysql"}
AUTOINCREMENT_NON_INDEXED = {"postgresql", "cockroachdb", "sqlserver"}


def _autoincrement(ctx: Context, model: ModelInfo) -> None:
    provider = ctx.provider
    if provider in AUTOINCREMENT_NON_INDEXED or model.is_view:  # (it allows all three)
        return  # Prisma checks models only (view_autoincrement_sqlite)
    auto = [f for f in model.fields.values() if f.default is not None and f.default.kind is dm.DefaultKind.AUTOINCREMENT]
    if not auto:
        return
    prefix = 'Error parsing attribute "@default": The `autoincrement()` default value is used'
    if len(auto) > 1 and provider not in AUTOINCREMENT_MULTIPLE:
        ctx.error(
            f"{prefix} multiple times on this model even though the underlying datasource only supports one instance per table.",
            model.block.span,
        )
    pk_fields = [f.name for f in model.pk.fields] if model.pk else []
    first_indexed = {i.fields[0].name for i in model.indexes if i.fields}
    if pk_fields:
        first_indexed.add(pk_fields[0])
    for info in auto:
        # "id field" means the whole primary key: a field of a compound @@id is not one (seen).
        if provider not in AUTOINCREMENT_NON_ID and pk_fields != [info.name]:
            ctx.error(f"{prefix} on a non-id field even though the datasource does not support this.", info.span)
        if provider not in AUTOINCREMENT_NON_INDEXED and info.name not in first_indexed:
            ctx.error(f"{prefix} on a non-indexed field even though the datasource does not support this.", info.span)


def _scalar_field(ctx: Context, model: ModelInfo, info: FieldInfo) -> None:
    if info.arity is dm.Arity.LIST and ctx.provider not in SCALAR_LISTS:  # (not without a datasource either)
        ctx.error(
            f'Field "{info.name}" in {model.kind} "{model.name}" can\'t be a list. The current connector does not support lists of primitive types.',
            info.span,
        )


def _mysql_text_keys(ctx: Context, model: ModelInfo) -> None:
    """MySQL cannot index TEXT/BLOB columns without a prefix length."""

    def unbounded(fields) -> str | None:
        for f in fields:
            info = model.fields.get(f.name)
            if info and info.native and info.native.name in native_types.MYSQL_NEEDS_LENGTH and f.length is None:
                return info.native.name
        return None

    hint = "Please use the `length` argument to the field in the index definition to allow this."
    for idx in model.indexes:
        native = unbounded(idx.fields) if idx.kind is not dm.IndexKind.FULLTEXT else None
        if native is None:
            continue
        if idx.kind is dm.IndexKind.UNIQUE:
            ctx.error(f"Native type `{native}` cannot be unique in MySQL. {hint}", ctx.aspan(idx.attribute))
        else:
            ctx.error(f"You cannot define an index on fields with native type `{native}` of MySQL. {hint}", ctx.aspan(idx.attribute))
    if model.pk is not None:
        native = unbounded(model.pk.fields)
        if native is not None:
            ctx.error(
                f"Native type `{native}` of MySQL cannot be used on a field that is `@id` or `@@id`. {hint}",
                model.pk.attribute.span,
            )


def _ignored_related(ctx: Context, model: ModelInfo, info: FieldInfo) -> None:
    related = ctx.models.get(info.related or "")
    if related is not None and related.ignored and not info.ignored and not model.ignored:
        ctx.error(
            f'Error parsing attribute "@ignore": '
            f"The relation field `{info.name}` on Model `{model.name}` must specify the `@ignore` attribute, because the model {related.name} it is pointing to is marked ignored.",
            info.span,
        )


def _index(ctx: Context, model: ModelInfo, idx: IndexInfo) -> None:
    attr = idx.attribute
    if model.is_view:
        if idx.kind is dm.IndexKind.UNIQUE and idx.map is not None:
            ctx.plain_error(
                "@@unique annotations on views are not backed by unique indexes in the database and cannot specify a mapped database name.",
                attr.span,
            )
        if idx.kind is not dm.IndexKind.UNIQUE:
            ctx.plain_error("Views cannot have indexes.", attr.span)
    if idx.clustered is not None and ctx.provider != "sqlserver":
        ctx.attribute_error(attr, "Defining clustering is not supported in the current connector.")
    if _has_length(idx.fields) and ctx.provider != "mysql" and not model.is_view:
        ctx.attribute_error(attr, "The length argument is not supported in an index definition with the current connector")
    if idx.algorithm is not None and ctx.provider not in INDEX_ALGORITHMS:
        ctx.attribute_error(
            attr, "The given index type is not supported with the current connector", ctx.argument_span(attr, "type")
        )
    elif idx.algorithm == "Hash" and _has_sort(idx.fields):
        ctx.attribute_error(attr, "Hash type does not support sort option.")
    if idx.kind is dm.IndexKind.FULLTEXT and ctx.provider not in FULLTEXT:
        ctx.attribute_error(attr, "Defining fulltext indexes is not supported with the current connector.")


def _postgres_indexes(ctx: Context, model: ModelInfo) -> None:
    """The PostgreSQL connector's checks of a model's indexes, which Prisma runs before the
    field and index passes: no index on an Xml column (reported on the index's first Xml
    field), then index types and operator classes."""
    postgresql = ctx.provider == "postgresql"
    infos = model.fields
    for idx in model.indexes:
        if postgresql:
            for f in idx.fields:
                info = infos.get(f.name)
                if info is not None and info.native is not None and info.native.name == "Xml":
                    if idx.kind is dm.IndexKind.UNIQUE:
                        ctx.error("Native type `Xml` cannot be unique in Postgres.", info.span)
                    else:
                        ctx.error("You cannot define an index on fields with native type `Xml` of Postgres.", info.span)
                    break
        if idx.kind is dm.IndexKind.NORMAL and not model.is_view and not (
            idx.algorithm == "Hash" and _has_sort(idx.fields)
        ):
            pg_indexes.validate_index(ctx, model, idx)


def _view_unique_arguments(ctx: Context, model: ModelInfo) -> None:
    for idx in model.indexes:
        if idx.kind is dm.IndexKind.UNIQUE:
            if any(f.sort or f.length or f.ops for f in idx.fields):
                ctx.attribute_error(idx.attribute, "Scalar fields in @@unique attributes in views cannot have arguments.")


# ---------------------------------------------------------------- constraint names


def fill_constraint_names(ctx: Context) -> None:
    """Resolve the database name of every primary key and index (explicit `map:` or Prisma's default)."""
    provider = ctx.provider
    for model in ctx.models.values():
        if model.pk is not None:
            if provider in NAMED_PKS:
                model.pk.db_name = model.pk.map or names.primary_key_name(model.db_name, provider)
            else:
                model.pk.db_name = None
        infos = model.fields
        for idx in model.indexes:
            if idx.map:
                idx.db_name = idx.map
                continue
            cols = [infos[f.name].db_name for f in idx.fields if f.name in infos]
            if idx.kind is dm.IndexKind.UNIQUE:
                idx.db_name = names.unique_index_name(model.db_name, cols, provider)
            else:
                idx.db_name = names.index_name(model.db_name, cols, provider)


def _enums(ctx: Context) -> None:
    provider = ctx.provider
    seen: dict[tuple[str | None, str], str] = {}
    for enum in ctx.enums.values():
        if provider == "sqlserver":
            ctx.plain_error(
                f"You defined the enum `{enum.name}`. But the current connector does not support enums.", enum.block.span
            )
            continue
        key = (_schema_key(ctx, enum.schema), enum.db_name)
        if provider in ("postgresql", "cockroachdb") and key in seen:
            ctx.error("An enum with the same database name is already defined.", enum.block.span)
        seen.setdefault(key, enum.name)
    ds = ctx.datasource
    for enum in ctx.enums.values():
        if enum.schema_attr is not None:
            _check_schema_defined(ctx, enum.schema, enum.schema_attr)
        elif ds is not None and ds.schemas and ctx.provider in MULTI_SCHEMA:
            ctx.error("This enum is missing an `@@schema` attribute.", enum.block.span)
