"""SqlSchema (+ the previous schema) -> the models and enums `db pull` prints.

Prisma's introspection rules, as observed with Prisma 7.10.1's `db pull`:
- One model per table, named after the table (sanitised, with `@@map` when that changes
  it); implicit many-to-many join tables (`_AToB`: columns A and B, two foreign keys,
  unique (A, B), index on B) become list fields on both models instead.
- Fresh models are sorted by name; enums come after the models, sorted by name.
- Scalar fields in column order, then relation fields: walking the tables by name and each
  table's foreign keys in the describer's order, every foreign key adds the forward field
  to its table's model and the back-relation field to the referenced model; m:n fields last.
- Relation names: none for a single relation between two models, `{A}To{A}` for a self
  relation, `{Model}_{fk columns}To{Referenced}` when several foreign keys join the same
  two tables. Forward field: the referenced model's name (`{Referenced}_{relation}` when
  ambiguous); back field: the referencing model's name (`other_{Model}` for self
  relations, `{Model}_{relation}` when ambiguous).
- Re-introspection keeps from the previous schema what still matches: model names
  (`@@map`), field names (`@map`), relation field and relation names, model and field
  order, documentation, `@updatedAt`, `@ignore`, and client-side defaults (`cuid()`,
  `uuid()`...) on columns without a database default.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from lamina.introspect.previous import PreviousSchema, with_compound_name
from lamina.sql import pg_opclasses
from lamina.introspect.psl_values import (as_prisma_reads, default_attribute, native_type_attribute, psl_string,
                                          sanitise, scalar_type)
from lamina.introspect.sqlite_defaults import sqlite_default_attribute
from lamina.psl import names as default_names
from lamina.sql.schema import Column, ColumnArity, DefaultKind, EnumType, ForeignKeyAction, IndexKind, SqlSchema, Table

_ACTION_NAMES = {
    ForeignKeyAction.NO_ACTION: "NoAction",
    ForeignKeyAction.RESTRICT: "Restrict",
    ForeignKeyAction.CASCADE: "Cascade",
    ForeignKeyAction.SET_NULL: "SetNull",
    ForeignKeyAction.SET_DEFAULT: "SetDefault",
}


_NO_UNIQUE_DOC = (
    "The underlying table does not contain a valid unique identifier and can therefore currently not be handled by Prisma Client."
)
# Notes Prisma adds to a model's documentation for what the schema cannot express.
_COMMENTS_DOC = (
    "This model or at least one of its fields has comments in the database, and requires an additional setup "
    "for migrations: Read more: https://pris.ly/d/database-comments"
)
_EXPRESSION_INDEX_DOC = (
    "This model contains an expression index which requires additional setup for migrations. "
    "Visit https://pris.ly/d/expression-indexes for more info."
)
_CHECK_DOC = (
    "This table contains check constraints and requires additional setup for migrations. "
    "Visit https://pris.ly/d/check-constraints for more info."
)


@dataclass
class PslField:
    name: str
    type: str  # with arity suffix: "String?", "Post[]"
    attributes: list[str] = field(default_factory=list)
    documentation: str | None = None
    db_name: str | None = None  # the column, for scalar fields
    enriched_map: bool = False  # `@map` taken from the previous schema (Prisma warns about it)


@dataclass
class PslModel:
    name: str
    table: Table | None
    fields: list[PslField] = field(default_factory=list)
    block_attributes: list[str] = field(default_factory=list)
    documentation: str | None = None
    enriched_map: bool = False
    enriched_id_name: bool = False  # `@@id(…, name:)` taken from the previous schema (Prisma warns about it)
    no_identifier: bool = False  # ignored: no primary key nor unique of required columns
    ignored_before: bool = False  # `@@ignore` in the previous schema already (Prisma warns no more)


@dataclass
class PslEnum:
    name: str
    values: list[tuple[str, str | None]]  # (name, @map value or None)
    db_name: str
    documentation: str | None = None
    schema: str | None = None  # PostgreSQL namespace, printed as @@schema when set


@dataclass
class PslDatamodel:
    models: list[PslModel]
    enums: list[PslEnum]
    warnings: list[str] = field(default_factory=list)  # Prisma's introspection warnings, in its words


def _is_join_table(table: Table) -> bool:
    if not table.name.startswith("_") or [c.name for c in table.columns] != ["A", "B"]:
        return False
    fk_cols = sorted(fk.columns for fk in table.foreign_keys)
    if fk_cols != [("A",), ("B",)]:
        return False
    ab = ("A", "B")
    has_unique = any(
        i.kind is IndexKind.UNIQUE and tuple(c.name for c in i.columns) == ab for i in table.indexes
    ) or (table.primary_key is not None and tuple(c.name for c in table.primary_key.columns) == ab)
    has_b_index = any(tuple(c.name for c in i.columns) == ("B",) for i in table.indexes)
    # `A` refers to the table whose name sorts first (Prisma 7.10.1 takes a table with them the
    # other way round for a model of its own).
    target = {fk.columns[0]: fk.referenced_table for fk in table.foreign_keys}
    return has_unique and has_b_index and target["A"] <= target["B"]


def _with_inline_enums(schema: SqlSchema) -> SqlSchema:
    """MySQL keeps enum values in the column type: one enum per column, named by `family`."""
    from lamina.dialects.mysql.describe import enum_values

    enums: dict[str, EnumType] = {}
    tables = []
    for table in schema.tables:
        columns = []
        for c in table.columns:
            if (c.family or "").startswith("Enum:") and c.type.startswith("ENUM(") and c.enum is None:
                enums.setdefault(c.family[5:], EnumType(c.family[5:], enum_values(c.type)))
                c = replace(c, enum=c.family[5:])
            columns.append(c)
        tables.append(replace(table, columns=tuple(columns)))
    return replace(schema, tables=tuple(tables), enums=schema.enums + tuple(enums.values()))


def build(schema: SqlSchema, provider: str, previous: PreviousSchema | None = None) -> PslDatamodel:
    previous = previous or PreviousSchema()
    if provider == "mysql":
        schema = _with_inline_enums(schema)
    if provider == "sqlite":
        # Prisma 7.10.1 says nothing of SQLite's CHECK constraints and expression indexes (no
        # model note, no warning): its SQLite describer does not read them.
        schema = replace(schema, opaque=tuple(o for o in schema.opaque if o.kind not in ("check", "expression_index")))
    join_tables = [t for t in schema.tables if _is_join_table(t)]
    # Fresh models come in (namespace, table) order, as Prisma 7.10.1 writes them.
    tables = sorted((t for t in schema.tables if t not in join_tables), key=lambda t: (t.namespace or "", t.name))

    enum_names, renamed_enums = _enum_names(schema, previous)
    # Keyed by (namespace, table): PostgreSQL schemas may hold tables of the same name.
    models: dict[tuple, PslModel] = {}
    for table in tables:
        models[(table.namespace, table.name)] = _scalar_model(table, provider, previous, enum_names)
    renamed = renamed_enums + _rename_duplicates(models, previous)

    copied: list[str] = []
    if previous.relation_mode_prisma:
        # relationMode = "prisma": the database has no foreign keys to read; Prisma copies the
        # previous schema's relation fields instead (foreign keys that exist are not used).
        copied = _copy_relations(tables, models, previous)
    else:
        _add_relations(tables, join_tables, models, provider, previous)
    for model in models.values():
        _block_attributes(model, provider)
        prev_model = previous.model_for_table(model.table.name, model.table.namespace) if model.table is not None else None
        named = [with_compound_name(prev_model, a) for a in model.block_attributes]
        model.enriched_id_name = any(n != a and a.startswith("@@id(") for n, a in zip(named, model.block_attributes))
        model.block_attributes = named
        model.block_attributes = previous.order_block_attributes(model.name, model.block_attributes)
        model.ignored_before = previous.model_ignored(model.name)
        if model.ignored_before and "@@ignore" not in model.block_attributes:
            model.block_attributes.append("@@ignore")  # kept from the previous schema, as Prisma does

    ordered = previous.order_models(list(models.values()))
    enums = [
        PslEnum(
            name=enum_names[(e.namespace, e.name)],
            values=[_enum_value(previous, enum_names[(e.namespace, e.name)], v) for v in e.values],
            db_name=enum_names[(e.namespace, e.name)] if provider == "mysql" else e.name,  # MySQL enums are inline: no @@map
            documentation=previous.enum_doc(e.name),
            schema=e.namespace,
        )
        for e in schema.enums
    ]
    seen: set[str] = set()
    enums = [e for e in enums if not (e.name in seen or seen.add(e.name))]  # MySQL: one enum may serve several columns
    if provider == "sqlite":
        # SQLite has no enums: Prisma 7.10.1 copies every enum of the previous schema, used or
        # not, without its @map/@@map names (there is no database type or value to map to).
        enums += [
            PslEnum(name, [(value, None) for value, _mapped in values], name, doc)
            for name, _db_name, doc, values in previous.enum_blocks()
        ]
    enums = previous.order_enums(sorted(enums, key=lambda e: (e.schema or "", e.name)))
    warnings = _notes(schema, models, copied, _enum_maps_kept(enums, previous), renamed)
    return PslDatamodel(ordered, enums, warnings)


def _enum_names(schema: SqlSchema, previous: PreviousSchema) -> tuple[dict, list[str]]:
    """Each database enum's PSL name, keyed by (namespace, name), and by name alone for the first
    of a name. Enums of one name in two PostgreSQL schemas are prefixed with their schema
    (`billing_currency`, mapped to `currency`) unless the previous schema names them, as Prisma
    7.10.1 does; with the warning lines for those renamed."""
    names: dict = {}
    for e in schema.enums:
        names[(e.namespace, e.name)] = previous.enum_name(e.name, e.namespace) or sanitise(e.name)
    taken = [n for k, n in names.items()]
    renamed = []
    for (namespace, name), psl_name in list(names.items()):
        if taken.count(psl_name) > 1 and namespace and previous.enum_name(name, namespace) is None:
            names[(namespace, name)] = sanitise(f"{namespace}_{psl_name}")
            renamed.append(names[(namespace, name)])
    for (namespace, name), psl_name in list(names.items()):
        names.setdefault(name, psl_name)
    return names, [f'  - Type: "enum", name: "{n}"' for n in sorted(renamed)]


def _enum_namespace(column: Column) -> str | None:
    """The schema of an enum column's type when the describer qualifies it (`"billing"."currency"`)."""
    m = re.match(r'^"((?:[^"]|"")+)"\."', column.type)
    return m.group(1).replace('""', '"') if m else None


def _rename_duplicates(models: dict[tuple, PslModel], previous: PreviousSchema) -> list[str]:
    """Tables of one name in two PostgreSQL schemas: each new model of a name given twice is
    prefixed with its schema (`billing_customer`, mapped to `customer`), as Prisma 7.10.1 does;
    names kept from the previous schema stay. The warning lines for the renamed models."""
    by_name: dict[str, list[PslModel]] = {}
    for model in models.values():
        by_name.setdefault(model.name, []).append(model)
    renamed = []
    for name, same in by_name.items():
        if len(same) < 2:
            continue
        for model in same:
            kept = previous.model_for_table(model.table.name, model.table.namespace) is not None
            if model.table.namespace and not kept:
                model.name = sanitise(f"{model.table.namespace}_{name}")
                renamed.append(model.name)
    return [f'  - Type: "model", name: "{n}"' for n in sorted(renamed)]


def _enum_maps_kept(enums: list[PslEnum], previous: PreviousSchema) -> tuple[list[str], list[str]]:
    """The warning lines for enum values and enums whose @map/@@map came from the previous schema,
    enums in the database's order (by schema and name), as Prisma 7.10.1 lists them."""
    in_db_order = sorted(enums, key=lambda e: (e.schema or "", e.db_name))
    values = [f'  - Enum: "{e.name}", value: "{name}"' for e in in_db_order for name, mapped in e.values
              if mapped is not None and (e.name, name) in previous.mapped_enum_values]
    names = [f'  - "{e.name}"' for e in in_db_order if e.name != e.db_name and e.name in previous.mapped_enums]
    return values, names


def _enum_value(previous: PreviousSchema, enum: str, value: str) -> tuple[str, str | None]:
    """(name, @map value or None): the previous schema's name for the value, else sanitised."""
    name = previous.enum_value_name(enum, value) or sanitise(value) or "EMPTY_ENUM_VALUE"
    return name, (None if name == value else value)


def _add_doc(model: PslModel, note: str) -> None:
    if model.documentation and note in model.documentation:
        return
    model.documentation = f"{model.documentation}\n{note}" if model.documentation else note


def _copy_relations(tables, models: dict[tuple, PslModel], previous: PreviousSchema) -> list[str]:
    """Append each model's previous relation fields (as written, in their order) after its
    scalar fields; the warning lists each copied field's type, models taken in table order."""
    present = {m.name for m in models.values()}
    listed: list[str] = []
    for table in tables:
        model = models[(table.namespace, table.name)]
        if previous.model_for_table(table.name, table.namespace) is None:
            continue
        for f in previous.copied_relation_fields(model.name, present):
            attrs = [f.relation_attribute] if f.relation_attribute else []
            if f.ignored:
                attrs.append("@ignore")
            model.fields.append(PslField(f.name, f.type_name + f.suffix, attrs, documentation=f.documentation))
            listed.append(f.type_name)
    return listed


def _notes(schema: SqlSchema, models: dict[tuple, PslModel], copied: list[str] | None = None,
           enum_maps: tuple[list[str], list[str]] = ([], []), renamed: list[str] | None = None) -> list[str]:
    """Model documentation notes and the warnings Prisma prints for what PSL cannot hold."""
    by_name = sorted(models.values(), key=lambda m: m.name)
    ignored = [m for m in by_name if m.no_identifier and not m.ignored_before]
    unsupported = [
        (m, f) for m in by_name for f in m.fields
        if f.db_name is not None and f.type.startswith("Unsupported(")
    ]
    commented = []
    for m in by_name:
        if m.table.description:
            commented.append(f'  - Type: "model", name: "{m.name}"')
        commented += [
            f'  - Type: "field", name: "{m.name}.{f.name}"'
            for f, c in zip((f for f in m.fields if f.db_name is not None), m.table.columns)
            if c.description
        ]
        if m.table.description or any(c.description for c in m.table.columns):
            _add_doc(m, _COMMENTS_DOC)
    by_table = {(m.table.namespace, m.table.name): m for m in by_name}
    expression = [(by_table[(o.namespace, o.table)], o.name) for o in schema.opaque
                  if o.kind == "expression_index" and (o.namespace, o.table) in by_table]
    checks = [(by_table[(o.namespace, o.table)], o.name) for o in schema.opaque
              if o.kind == "check" and (o.namespace, o.table) in by_table]
    for m, _n in expression:
        _add_doc(m, _EXPRESSION_INDEX_DOC)
    for m, _n in checks:
        _add_doc(m, _CHECK_DOC)
    in_table_order = sorted(models.values(), key=lambda m: (m.table.namespace or "", m.table.name))
    remapped_fields = [f'  - Model: "{m.name}", field: "{f.name}"' for m in in_table_order for f in m.fields
                       if f.enriched_map]
    remapped_models = [f'  - "{m.name}"' for m in in_table_order if m.enriched_map]
    named_ids = [f'  - "{m.name}"' for m in in_table_order if m.enriched_id_name]
    # Prisma 7.10.1's order of the warning sections.
    sections = [
        ("These fields were enriched with `@map` information taken from the previous Prisma schema:", remapped_fields),
        ("The following models were ignored as they do not have a valid unique identifier or id. "
         "This is currently not supported by Prisma Client:", [f'  - "{m.name}"' for m in ignored]),
        ("These models were enriched with custom compound id names taken from the previous Prisma schema:", named_ids),
        ("These fields are not supported by Prisma Client, because Prisma currently does not support their types:",
         [f'  - Model: "{m.name}", field: "{f.name}", original data type: "{f.type[13:].split(chr(34))[0]}"'
          for m, f in unsupported]),
        ("These models were enriched with `@@map` information taken from the previous Prisma schema:", remapped_models),
        ("These enum values were enriched with `@map` information taken from the previous Prisma schema:", enum_maps[0]),
        ("These enums were enriched with `@@map` information taken from the previous Prisma schema:", enum_maps[1]),
        ("Relations were copied from the previous data model due to not using foreign keys in the database. "
         "If any of the relation columns changed in the database, the relations might not be correct anymore:",
         [f'  - "{name}"' for name in copied or []]),
        ("These items were renamed due to their names being duplicates in the Prisma schema:", renamed or []),
        ("These constraints are not supported by Prisma Client, because Prisma currently does not fully support "
         "check constraints. Read more: https://pris.ly/d/check-constraints",
         [f'  - Model: "{m.name}", constraint: "{n}"' for m, n in sorted(checks, key=lambda x: (x[0].name, x[1]))]),
        ("These objects have comments defined in the database, which is not yet fully supported. "
         "Read more: https://pris.ly/d/database-comments", commented),
        ("These indexes are not supported by Prisma Client, because Prisma currently does not fully support "
         "expression indexes. Read more: https://pris.ly/d/expression-indexes",
         [f'  - Model: "{m.name}", constraint: "{n}"' for m, n in sorted(expression, key=lambda x: (x[0].name, x[1]))]),
    ]
    out: list[str] = []
    for title, lines in sections:
        if lines:
            out += [title, *lines, ""]
    return out


def _scalar_model(table: Table, provider: str, previous: PreviousSchema, enum_names: dict[str, str]) -> PslModel:
    prev_model = previous.model_for_table(table.name, table.namespace)
    name = prev_model.name if prev_model else sanitise(table.name)
    model = PslModel(name=name, table=table, documentation=prev_model.documentation if prev_model else None)
    # A `@@map` written in the previous schema is kept, even one naming the table's own name
    # (Prisma 7.10.1 prints it and lists the model in its "enriched with @@map" warning).
    model.enriched_map = bool(prev_model and prev_model.has_map)
    pk_cols = [c.name for c in table.primary_key.columns] if table.primary_key else []
    single_uniques = {i.columns[0].name: i for i in table.indexes if _is_field_unique(i)}
    for column in table.columns:
        prev_field = prev_model.field_for_column(column.name) if prev_model else None
        fname = prev_field.name if prev_field else sanitise(column.name)
        column = as_prisma_reads(column, provider)
        type_name = scalar_type(column)
        if column.enum and column.enum in enum_names:
            if provider == "mysql" and prev_field is not None and previous.is_enum(prev_field.type_name):
                # MySQL enums are per column: the previous schema's enum name is kept.
                for key in [k for k in enum_names if k == column.enum or (isinstance(k, tuple) and k[1] == column.enum)]:
                    enum_names[key] = prev_field.type_name
            type_name = enum_names.get((_enum_namespace(column), column.enum), enum_names[column.enum])
        elif prev_field is not None and provider == "sqlite" and column.family == "String" and previous.is_enum(prev_field.type_name):
            # SQLite stores enums as TEXT: the previous schema's enum type is kept, as Prisma does.
            type_name = prev_field.type_name
            column = replace(column, family=f"Enum:{type_name}")
        suffix = "[]" if column.arity is ColumnArity.LIST else ("?" if column.arity is ColumnArity.NULLABLE else "")
        attrs: list[str] = []
        if pk_cols == [column.name]:
            pk = table.primary_key
            args = []
            if pk.columns[0].sort == "DESC":
                args.append("sort: Desc")
            if pk.name and provider == "postgresql" and pk.name != default_names.primary_key_name(table.name, provider):
                args.append(f"map: {psl_string(pk.name)}")
            attrs.append(f"@id({', '.join(args)})" if args else "@id")
        unique = single_uniques.get(column.name)
        if unique is not None:
            default_name = default_names.unique_index_name(table.name, [column.name], provider)
            uargs = [] if unique.name == default_name else [f"map: {psl_string(unique.name)}"]
            if unique.columns[0].length is not None:
                uargs.append(f"length: {unique.columns[0].length}")
            if unique.columns[0].sort == "DESC":
                uargs.append("sort: Desc")
            uargs += _where(unique)
            attrs.append(f"@unique({', '.join(uargs)})" if uargs else "@unique")
        default = sqlite_default_attribute(column) if provider == "sqlite" else default_attribute(column)
        sql = column.default.sql if column.default is not None and column.default.kind is DefaultKind.EXPRESSION else ""
        if (column.family or "").startswith("Enum:") and len(sql) >= 2 and sql[0] == sql[-1] == "'":
            # An enum default names the value as the schema does (a value renamed with @map keeps its name).
            default = f"@default({_enum_value(previous, type_name.rstrip('?[]'), sql[1:-1].replace(chr(39) * 2, chr(39)))[0]})"
        if default is None and prev_field is not None and prev_field.client_default:
            default = prev_field.client_default
        if default is not None:
            attrs.append(default)
        if prev_field is not None and prev_field.updated_at:
            attrs.append("@updatedAt")
        if fname != column.name or (prev_field is not None and prev_field.has_map):
            attrs.append(f"@map({psl_string(column.name)})")
        native = native_type_attribute(column, provider)
        if native:
            attrs.append(native)
        if prev_field is not None and prev_field.ignored:
            attrs.append("@ignore")
        model.fields.append(
            PslField(
                name=fname,
                type=type_name + suffix,
                attributes=attrs,
                documentation=prev_field.documentation if prev_field else None,
                db_name=column.name,
                enriched_map=bool(prev_field and prev_field.has_map),
            )
        )
    return model


def _target_key(table: Table, fk) -> tuple:
    return (fk.referenced_namespace, fk.referenced_table)


def _add_relations(tables, join_tables, models: dict[tuple, PslModel], provider: str, previous: PreviousSchema) -> None:
    # Relations between the same two models (foreign keys and implicit m:n join tables alike)
    # are ambiguous: Prisma then names each of them, and their fields after the relation.
    pair_count: dict[frozenset, int] = {}
    for table in tables:
        for fk in table.foreign_keys:
            if _target_key(table, fk) in models:
                key = frozenset(((table.namespace, table.name), _target_key(table, fk)))
                pair_count[key] = pair_count.get(key, 0) + 1
    for join in join_tables:
        key = frozenset(_target_key(join, fk) for fk in join.foreign_keys)
        pair_count[key] = pair_count.get(key, 0) + 1
    for table in tables:
        model = models[(table.namespace, table.name)]
        for fk in table.foreign_keys:
            target = models.get(_target_key(table, fk))
            if target is None:
                continue
            is_self = target is model
            ambiguous = pair_count[frozenset(((table.namespace, table.name), _target_key(table, fk)))] > 1
            cols = list(fk.columns)
            field_names = [_field_name(model, c) for c in cols]
            ref_names = [_field_name(target, c) for c in fk.referenced_columns]
            # New relation names and fields are named after the tables and columns, not after the
            # models and fields the previous schema renamed them to (Prisma 7.10.1).
            here, there = sanitise(table.name), sanitise(target.table.name)
            prev = previous.relation_for_fk(model.name, field_names)
            if prev is not None:
                relation_name, fwd_name, back_name = prev.relation_name, prev.forward_name, previous.back_field_name(target.name, model.name, prev.relation_name)
            else:
                relation_name = None
                if ambiguous:
                    relation_name = f"{here}_{'_'.join(sanitise(c) for c in cols)}To{there}"
                elif is_self:
                    relation_name = f"{here}To{there}"
                fwd_name = f"{there}_{relation_name}" if ambiguous else there
                back_name = None
            if back_name is None:
                if ambiguous:
                    back_name = f"{'other_' if is_self else ''}{here}_{relation_name}"
                elif is_self:
                    back_name = f"other_{here}"
                else:
                    back_name = here
            nullable = any(table.column(c) is None or table.column(c).arity is not ColumnArity.REQUIRED for c in cols)
            args = [psl_string(relation_name)] if relation_name else []
            args.append(f"fields: [{', '.join(field_names)}]")
            args.append(f"references: [{', '.join(ref_names)}]")
            default_delete = ForeignKeyAction.SET_NULL if nullable else ForeignKeyAction.RESTRICT
            if fk.on_delete is not default_delete:
                args.append(f"onDelete: {_ACTION_NAMES[fk.on_delete]}")
            if fk.on_update is not ForeignKeyAction.CASCADE:
                args.append(f"onUpdate: {_ACTION_NAMES[fk.on_update]}")
            if fk.name and fk.name != default_names.foreign_key_name(table.name, cols, provider):
                args.append(f"map: {psl_string(fk.name)}")
            # A relation to a model Prisma ignores is ignored too.
            ignored = [] if _has_identifier(target.table) else ["@ignore"]
            model.fields.append(
                PslField(fwd_name, target.name + ("?" if nullable else ""), [f"@relation({', '.join(args)})", *ignored],
                         documentation=previous.relation_doc(model.name, fwd_name))
            )
            one_to_one = _columns_unique(table, cols)
            back_attrs = [f"@relation({psl_string(relation_name)})"] if relation_name else []
            target.fields.append(
                PslField(back_name, model.name + ("?" if one_to_one else "[]"), back_attrs,
                         documentation=previous.relation_doc(target.name, back_name))
            )
    for join in join_tables:
        by_col = {fk.columns[0]: fk for fk in join.foreign_keys}
        a, b = models.get(_target_key(join, by_col["A"])), models.get(_target_key(join, by_col["B"]))
        if a is None or b is None:
            continue
        relation_name = join.name[1:]
        # Prisma compares with the default name of the *tables'* names (kept model names do not count).
        default = default_names.default_relation_name(sanitise(a.table.name), sanitise(b.table.name))
        named = [f"@relation({psl_string(relation_name)})"]
        ambiguous = pair_count[frozenset((_target_key(join, by_col["A"]), _target_key(join, by_col["B"])))] > 1
        if a is b:
            # A self m:n: Prisma names the two sides after the join table's columns, and always
            # names the relation (two unnamed fields of the model's own type are ambiguous,
            # P1012). Lamina keeps the field names the previous schema gave them, which Prisma
            # 7.10.1 replaces with `User_A`/`User_B` (breaking the code that uses them).
            kept = previous.self_m2m_field_names(a.name, relation_name)
            prefix = sanitise(a.table.name) + (f"_{relation_name}" if ambiguous else "")
            for name in kept or [f"{prefix}_A", f"{prefix}_B"]:
                a.fields.append(PslField(name, f"{a.name}[]", list(named)))
            continue
        a_kept = previous.m2m_field_name(a.name, b.name, relation_name)
        b_kept = previous.m2m_field_name(b.name, a.name, relation_name)
        # A relation the previous schema has is written with its name even when that is the
        # default one (Prisma 7.10.1's re-introspection: `tags Tag[] @relation("OrderToTag")`).
        attrs = named if a_kept or b_kept or ambiguous or relation_name != default else []
        suffix = f"_{relation_name}" if ambiguous else ""
        a_field, b_field = sanitise(b.table.name), sanitise(a.table.name)
        if a.table.namespace != b.table.namespace:
            # Across PostgreSQL schemas Prisma 7.10.1 names each side after its own table.
            a_field, b_field = b_field, a_field
        a.fields.append(PslField(a_kept or a_field + suffix, f"{b.name}[]", list(attrs)))
        b.fields.append(PslField(b_kept or b_field + suffix, f"{a.name}[]", list(attrs)))


def _field_name(model: PslModel, column: str) -> str:
    for f in model.fields:
        if f.db_name == column:
            return f.name
    return sanitise(column)


def _has_identifier(table: Table) -> bool:
    """A primary key or unique index of required columns only. SQLite lets primary key columns
    be NULL: such a key does not count (Prisma 7.10.1 keeps its @@id and ignores the model)."""
    def required(columns) -> bool:
        return all(table.column(c.name) and table.column(c.name).arity is ColumnArity.REQUIRED for c in columns)

    if table.primary_key is not None and required(table.primary_key.columns):
        return True
    return any(i.kind is IndexKind.UNIQUE and required(i.columns) for i in table.indexes)


def _is_field_unique(index) -> bool:
    """A unique index Prisma writes as `@unique` on its field (with `sort:`/`length:` when not the
    default, as Prisma 7.10.1 does)."""
    return index.kind is IndexKind.UNIQUE and len(index.columns) == 1


def _columns_unique(table: Table, cols: list[str]) -> bool:
    wanted = sorted(cols)
    if table.primary_key and sorted(c.name for c in table.primary_key.columns) == wanted:
        return True
    return any(i.kind is IndexKind.UNIQUE and sorted(c.name for c in i.columns) == wanted for i in table.indexes)


def _index_fields(model: PslModel, columns, algorithm: str | None = None) -> str:
    """The field list of an index. Operator classes are written for GiST, GIN, SP-GiST and BRIN
    indexes only: Prisma 7.10.1 leaves them out of B-tree (and so of unique) indexes."""
    parts = []
    for c in columns:
        name = _field_name(model, c.name)
        args = []
        if c.length is not None:
            args.append(f"length: {c.length}")
        if c.sort == "DESC":
            args.append("sort: Desc")
        if c.opclass and algorithm not in (None, "BTREE", "HASH"):
            args.append(f"ops: {pg_opclasses.schema_value(c.opclass)}")
        parts.append(f"{name}({', '.join(args)})" if args else name)
    return f"[{', '.join(parts)}]"


def _where(index) -> list[str]:
    """`where: raw("…")` of a partial index: the predicate as the database reports it."""
    return [f"where: raw({psl_string(index.predicate)})"] if index.predicate is not None else []


def _block_attributes(model: PslModel, provider: str) -> None:
    table = model.table
    attrs: list[str] = []
    pk = table.primary_key
    if pk is not None and len(pk.columns) > 1:
        args = [_index_fields(model, pk.columns)]
        if pk.name and provider == "postgresql" and pk.name != default_names.primary_key_name(table.name, provider):
            args.append(f"map: {psl_string(pk.name)}")
        attrs.append(f"@@id({', '.join(args)})")
    if not _has_identifier(table):
        # No unique criteria: Prisma Client cannot handle the table; Prisma says so and ignores it.
        # A comment of the previous schema's model stands instead of the note (Prisma 7.10.1).
        model.no_identifier = True
        model.documentation = model.documentation or _NO_UNIQUE_DOC
        model.block_attributes.append("@@ignore")
    uniques = [i for i in table.indexes if i.kind is IndexKind.UNIQUE and not _is_field_unique(i)]
    normals = [i for i in table.indexes if i.kind is not IndexKind.UNIQUE]
    # PostgreSQL: by name; SQLite: as listed (lamina.introspect.sqlite_index_order), as Prisma 7.10.1.
    if provider != "sqlite":
        uniques, normals = sorted(uniques, key=lambda i: i.name), sorted(normals, key=lambda i: i.name)
    for index in uniques:
        args = [_index_fields(model, index.columns)]
        if index.name != default_names.unique_index_name(table.name, [c.name for c in index.columns], provider):
            args.append(f"map: {psl_string(index.name)}")
        args += _where(index)
        attrs.append(f"@@unique({', '.join(args)})")
    for index in normals:
        args = [_index_fields(model, index.columns, index.algorithm)]
        if index.name != default_names.index_name(table.name, [c.name for c in index.columns], provider):
            args.append(f"map: {psl_string(index.name)}")
        if index.algorithm:
            args.append(f"type: {index.algorithm.capitalize() if index.algorithm != 'SPGIST' else 'SpGist'}")
        args += _where(index)
        if index.kind is IndexKind.FULLTEXT:
            attrs.append(f"@@fulltext({', '.join(args)})")
        else:
            attrs.append(f"@@index({', '.join(args)})")
    if model.name != table.name or model.enriched_map:
        attrs.append(f"@@map({psl_string(table.name)})")
    if table.namespace:
        attrs.append(f"@@schema({psl_string(table.namespace)})")
    model.block_attributes = attrs + [a for a in model.block_attributes if a not in attrs]
