"""The resolved datamodel: what a valid schema *means*, after validation.

Produced by `lamina.psl.validate.validate(ast, diagnostics) -> Datamodel | None` (None when
there are errors); commands load it with `lamina.psl.load.load_datamodel(location)`. Consumed by the
SQL calculator (`lamina.sql.calculate`), the client generator and introspection (which
builds one and prints it back as PSL).

Conventions:
- Every name the database sees is already resolved here: `Model.db_name` (after `@@map`),
  `ScalarField.db_name` (after `@map`), and every constraint name (`PrimaryKey.db_name`,
  `Index.db_name`, `Relation.fk_name`) derived exactly as Prisma derives it when no `map:`
  is given (`User_pkey`, `User_email_key`, `Post_authorId_idx`, `Post_authorId_fkey`,
  truncated to the provider's identifier length limit as Prisma does).
- Relations are resolved on both sides. The side that holds `fields:`/`references:` is
  the *referencing* side; `Relation.referencing_model` and its fields are given by name.
- Referential actions are filled with Prisma's defaults for the provider (required
  relation: onDelete Restrict, optional: SetNull; onUpdate Cascade) on `Relation`;
  `RelationField.on_delete`/`on_update` keep what the user wrote (None if nothing).
- Ignored models/fields (`@@ignore`/`@ignore`) are present, flagged `ignored`; the
  calculator still creates their tables/columns, the client skips them.
- Every class is a slotted dataclass (no `__dict__`: a schema of 10,000 models holds
  ~200,000 of these objects; an attribute that is not declared cannot be set). The validator
  gives fields with the same default one shared `DefaultValue` (`@default(now())` on
  thousands of fields is one object): treat `DefaultValue` and `NativeType` as values and
  never change one in place. The validator (psl/validate/build.py) makes fields, models and
  indexes with positional arguments: add a new attribute last, with a default.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Union


class Provider(str, Enum):
    SQLITE = "sqlite"
    POSTGRESQL = "postgresql"
    MYSQL = "mysql"
    # Parsed so that their schemas validate as Prisma does; Lamina does not migrate them.
    SQLSERVER = "sqlserver"
    COCKROACHDB = "cockroachdb"
    MONGODB = "mongodb"


class ScalarType(str, Enum):
    STRING = "String"
    BOOLEAN = "Boolean"
    INT = "Int"
    BIGINT = "BigInt"
    FLOAT = "Float"
    DECIMAL = "Decimal"
    DATETIME = "DateTime"
    JSON = "Json"
    BYTES = "Bytes"


class Arity(str, Enum):
    REQUIRED = "required"
    OPTIONAL = "optional"
    LIST = "list"


class ReferentialAction(str, Enum):
    CASCADE = "Cascade"
    RESTRICT = "Restrict"
    NO_ACTION = "NoAction"
    SET_NULL = "SetNull"
    SET_DEFAULT = "SetDefault"


class SortOrder(str, Enum):
    ASC = "Asc"
    DESC = "Desc"


# ---------------------------------------------------------------- config blocks


@dataclass(slots=True)
class EnvValue:
    """A config value that may come from `env("NAME")`; `value` is the literal if not."""

    value: str | None = None
    env_var: str | None = None

    def resolve(self, environ: dict[str, str] | None = None) -> str | None:
        import os

        if self.env_var is not None:
            return (environ if environ is not None else os.environ).get(self.env_var)
        return self.value


@dataclass(slots=True)
class Datasource:
    name: str
    provider: Provider
    url: EnvValue | None = None
    shadow_database_url: EnvValue | None = None
    direct_url: EnvValue | None = None
    schemas: list[str] = field(default_factory=list)  # multiSchema namespaces (PostgreSQL)
    relation_mode: str = "foreignKeys"  # or "prisma"
    extensions: list[str] = field(default_factory=list)
    # `extensions = [citext(schema: "public"), uuidOssp(map: "uuid-ossp")]` (postgresqlExtensions)
    extension_specs: list[ExtensionSpec] = field(default_factory=list)


@dataclass(slots=True)
class ExtensionSpec:
    name: str  # as written in the schema
    db_name: str  # `map:` or the name
    schema: str | None = None
    version: str | None = None


@dataclass(slots=True)
class Generator:
    name: str
    provider: EnvValue
    output: EnvValue | None = None
    config: dict[str, object] = field(default_factory=dict)  # every other property, as Python values
    preview_features: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- defaults


class DefaultKind(str, Enum):
    VALUE = "value"  # a literal: string, number, boolean, enum value, list of those
    NOW = "now"
    AUTOINCREMENT = "autoincrement"
    SEQUENCE = "sequence"  # CockroachDB
    CUID = "cuid"  # args: (1|2)
    UUID = "uuid"  # args: (4|7)
    NANOID = "nanoid"  # args: (length,)
    ULID = "ulid"
    DBGENERATED = "dbgenerated"  # args: (sql,) or () for dbgenerated()
    AUTO = "auto"  # MongoDB


@dataclass(slots=True)
class DefaultValue:
    kind: DefaultKind
    value: object = None  # for VALUE: str | int | float | bool | Decimal-string | enum value name | list
    args: tuple[object, ...] = ()
    db_name: str | None = None  # `@default(..., map: "...")` (SQL Server default constraint names)


# ---------------------------------------------------------------- fields


@dataclass(slots=True)
class NativeType:
    """`@db.VarChar(255)` -> NativeType("VarChar", ("255",))."""

    name: str
    args: tuple[str, ...] = ()


@dataclass(slots=True)
class ScalarField:
    name: str
    db_name: str
    type: ScalarType | None  # None for enums and Unsupported
    arity: Arity
    enum: str | None = None  # the enum's name when the type is an enum
    unsupported: str | None = None  # the text of Unsupported("...")
    native_type: NativeType | None = None
    default: DefaultValue | None = None
    is_updated_at: bool = False
    ignored: bool = False
    documentation: str | None = None

    @property
    def is_optional(self) -> bool:
        return self.arity is Arity.OPTIONAL

    @property
    def is_list(self) -> bool:
        return self.arity is Arity.LIST


@dataclass(slots=True)
class RelationField:
    name: str
    model: str  # the model this field is declared on
    related_model: str
    arity: Arity
    relation_name: str  # explicit `@relation("name")` or Prisma's default "AToB" (sorted model names)
    # Only on the referencing side:
    fields: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    on_delete: ReferentialAction | None = None  # as written; None if not written
    on_update: ReferentialAction | None = None
    fk_map: str | None = None  # `map:` as written
    ignored: bool = False
    documentation: str | None = None


Field = Union[ScalarField, RelationField]


# ---------------------------------------------------------------- model-level constraints


@dataclass(slots=True)
class IndexField:
    name: str  # field name (scalar field of the model)
    sort: SortOrder | None = None
    length: int | None = None
    ops: str | None = None  # PostgreSQL operator class


@dataclass(slots=True)
class PrimaryKey:
    fields: list[IndexField]
    db_name: str | None  # None on providers without named pks (SQLite, MySQL)
    name: str | None = None  # client name from `@@id(name: ...)`
    clustered: bool | None = None
    db_name_explicit: bool = False


class IndexKind(str, Enum):
    NORMAL = "normal"
    UNIQUE = "unique"
    FULLTEXT = "fulltext"


@dataclass(slots=True)
class Index:
    kind: IndexKind
    fields: list[IndexField]
    db_name: str
    name: str | None = None  # client name from `@@unique(name: ...)`
    algorithm: str | None = None  # `type: Hash` (BTree, Hash, Gist, Gin, SpGist, Brin)
    clustered: bool | None = None
    db_name_explicit: bool = False
    defined_on_field: bool = False  # `@unique` on a field rather than `@@unique`
    where: str | None = None  # partial index predicate (`where:`), SQL without outer parentheses


@dataclass(slots=True)
class Model:
    name: str
    db_name: str
    fields: list[Field]
    primary_key: PrimaryKey | None
    # Unique, normal and fulltext indexes in the order Prisma walks them: field-level `@unique`s
    # (field order), then `@@index`, `@@unique`, `@@fulltext` (each in source order).
    indexes: list[Index]
    schema: str | None = None  # `@@schema("...")`
    is_view: bool = False
    ignored: bool = False
    documentation: str | None = None
    shard_key: list[str] = field(default_factory=list)  # shardKeys preview (MySQL): no SQL, client metadata only

    @property
    def scalar_fields(self) -> list[ScalarField]:
        return [f for f in self.fields if isinstance(f, ScalarField)]

    @property
    def relation_fields(self) -> list[RelationField]:
        return [f for f in self.fields if isinstance(f, RelationField)]

    def field(self, name: str) -> Field | None:
        for f in self.fields:
            if f.name == name:
                return f
        return None


@dataclass(slots=True)
class EnumValueDef:
    name: str
    db_name: str
    documentation: str | None = None


@dataclass(slots=True)
class EnumDef:
    name: str
    db_name: str
    values: list[EnumValueDef]
    schema: str | None = None
    documentation: str | None = None


# ---------------------------------------------------------------- relations


class RelationKind(str, Enum):
    ONE_TO_ONE = "1:1"
    ONE_TO_MANY = "1:n"
    IMPLICIT_MANY_TO_MANY = "m:n"


@dataclass(slots=True)
class Relation:
    """A relation with both sides paired.

    For 1:1 and 1:n, `referencing_model`/`referencing_field` hold the FK side
    (the one with `fields:`), `referenced_model`/`back_field` the other. `back_field`
    may be None only when the schema was not yet completed (validation requires both sides).
    For implicit m:n, both fields are lists and `join_table` is Prisma's `_AToB` table.
    """

    name: str
    kind: RelationKind
    referencing_model: str
    referencing_field: str
    referenced_model: str
    back_field: str | None
    fields: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    on_delete: ReferentialAction | None = None  # resolved, with provider defaults
    on_update: ReferentialAction | None = None
    fk_name: str | None = None  # resolved constraint name
    join_table: str | None = None  # m:n only: "_AToB" (or "_name" for named relations)
    is_self: bool = False


@dataclass(slots=True)
class Datamodel:
    datasource: Datasource | None
    generators: list[Generator]
    models: list[Model]
    enums: list[EnumDef]
    relations: list[Relation]
    # Name -> object indexes for model()/enum(), built on first use: the SQL calculation looks up
    # the enum of every enum column, and a scan per lookup made it quadratic (4,000 enums: 0.7 s).
    # Rebuilt when its list is another object or has another length (the lists are only ever
    # appended to, if at all).
    _indexes: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def provider(self) -> Provider | None:
        return self.datasource.provider if self.datasource else None

    def model(self, name: str) -> Model | None:
        return _by_name(self._indexes, "models", self.models).get(name)

    def enum(self, name: str) -> EnumDef | None:
        return _by_name(self._indexes, "enums", self.enums).get(name)


def _by_name(indexes: dict, kind: str, items: list) -> dict:
    """The first item of each name in `items` (as a scan from the start would find it)."""
    cached = indexes.get(kind)
    if cached is not None and cached[0] is items and cached[1] == len(items):
        return cached[2]
    by_name: dict = {}
    for item in items:
        by_name.setdefault(item.name, item)
    indexes[kind] = (items, len(items), by_name)
    return by_name
