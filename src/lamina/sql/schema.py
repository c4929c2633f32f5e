"""`SqlSchema`: one dialect-neutral picture of a database schema.

Produced two ways, which must agree: by calculation from a datamodel
(`lamina.sql.calculate`) and by introspection of a live database
(`lamina.dialects.<d>.describe`). The differ compares two of them; it never sees SQL.

Conventions:
- Everything is a value built from tuples, so schemas compare with `==` and hash; nothing
  changes one after it is made (`Table.with_` and `dataclasses.replace` make a new one). The
  classes are not `frozen=True` only because a frozen dataclass's __init__ goes through
  object.__setattr__ for every field, which cost a quarter of calculating 10,000 tables.
- Names are the database's names (after `@map`/`@@map`). Lookups are by name;
  `namespace` is None for the default schema (PostgreSQL "public", SQLite "main",
  MySQL the connection's database).
- `Column.type` is the full type as the dialect spells it in DDL, normalised by the
  dialect (e.g. PostgreSQL "TEXT", "TIMESTAMP(3)", "VARCHAR(255)", "INTEGER[]";
  SQLite "TEXT", "DATETIME", "INTEGER"; MySQL "VARCHAR(191)", "DATETIME(3)",
  "ENUM('a','b')"). `family` is the Prisma scalar it came from or maps to, for casts and warnings.
- `Column.default` is a `ColumnDefault`: a rendered SQL expression (as the dialect
  writes it in DDL, e.g. "CURRENT_TIMESTAMP", "'draft'", "0", "true") or a sequence.
- Objects Lamina does not model (views, triggers, functions, check constraints, partial
  or expression indexes, extensions) are kept in `opaque` so that nothing drops them by accident.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from enum import Enum


class ColumnArity(str, Enum):
    REQUIRED = "required"
    NULLABLE = "nullable"
    LIST = "list"  # PostgreSQL arrays


class ForeignKeyAction(str, Enum):
    NO_ACTION = "NO ACTION"
    RESTRICT = "RESTRICT"
    CASCADE = "CASCADE"
    SET_NULL = "SET NULL"
    SET_DEFAULT = "SET DEFAULT"


class DefaultKind(str, Enum):
    EXPRESSION = "expression"  # `sql` holds the rendered SQL expression
    SEQUENCE = "sequence"  # PostgreSQL nextval of an owned sequence (SERIAL), `sql` names the sequence
    DBGENERATED = "dbgenerated"  # an expression the user wrote with dbgenerated("..."); compared loosely


@dataclass(slots=True, unsafe_hash=True)
class ColumnDefault:
    kind: DefaultKind
    sql: str
    constraint_name: str | None = None  # SQL Server only; kept for completeness


@dataclass(slots=True, unsafe_hash=True)
class Column:
    name: str
    type: str  # full DDL type, normalised by the dialect
    arity: ColumnArity = ColumnArity.REQUIRED
    default: ColumnDefault | None = None
    autoincrement: bool = False  # SERIAL / AUTO_INCREMENT / INTEGER PRIMARY KEY AUTOINCREMENT
    family: str | None = None  # Prisma scalar: "String", "Int", ..., "Enum:<name>", "Unsupported"
    enum: str | None = None  # PostgreSQL enum type name when the column is an enum
    description: str | None = None  # column comment, if any

    @property
    def nullable(self) -> bool:
        return self.arity is ColumnArity.NULLABLE


@dataclass(slots=True, unsafe_hash=True)
class IndexColumn:
    name: str
    sort: str | None = None  # "ASC" | "DESC" | None (default)
    length: int | None = None  # MySQL prefix length
    opclass: str | None = None  # PostgreSQL operator class when not its access method's default (compared)
    written_opclass: str | None = field(default=None, compare=False)  # as CREATE INDEX writes it, default or not


@dataclass(slots=True, unsafe_hash=True)
class PrimaryKey:
    columns: tuple[IndexColumn, ...]
    name: str | None = None  # constraint name (PostgreSQL `User_pkey`); None where unnamed


class IndexKind(str, Enum):
    NORMAL = "normal"
    UNIQUE = "unique"
    FULLTEXT = "fulltext"


@dataclass(slots=True, unsafe_hash=True)
class Index:
    name: str
    columns: tuple[IndexColumn, ...]
    kind: IndexKind = IndexKind.NORMAL
    algorithm: str | None = None  # PostgreSQL "BTREE" default written as None, "HASH", "GIN"...
    is_constraint: bool = False  # a UNIQUE constraint (PostgreSQL) rather than a unique index
    # Partial index: the predicate as CREATE INDEX writes it (no outer parentheses), and the key
    # the differ compares (`lamina.sql.predicates`: what the server rewrites is ignored).
    predicate: str | None = field(default=None, compare=False)
    predicate_key: str | None = None


@dataclass(slots=True, unsafe_hash=True)
class ForeignKey:
    name: str | None
    columns: tuple[str, ...]
    referenced_table: str
    referenced_columns: tuple[str, ...]
    on_delete: ForeignKeyAction = ForeignKeyAction.NO_ACTION
    on_update: ForeignKeyAction = ForeignKeyAction.NO_ACTION
    referenced_namespace: str | None = None


@dataclass(slots=True, unsafe_hash=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    primary_key: PrimaryKey | None = None
    indexes: tuple[Index, ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = ()
    namespace: str | None = None
    description: str | None = None

    def column(self, name: str) -> Column | None:
        for c in self.columns:
            if c.name == name:
                return c
        return None

    def with_(self, **changes) -> Table:
        return replace(self, **changes)


@dataclass(slots=True, unsafe_hash=True)
class EnumType:
    name: str
    values: tuple[str, ...]
    namespace: str | None = None


@dataclass(slots=True, unsafe_hash=True)
class Sequence:
    name: str
    namespace: str | None = None
    start: int = 1
    increment: int = 1
    owned_by: tuple[str, str] | None = None  # (table, column)


@dataclass(slots=True, unsafe_hash=True)
class OpaqueObject:
    """Something in the database Lamina does not model but must never drop by accident."""

    kind: str  # "view", "trigger", "function", "check", "partial_index", "extension", ...
    name: str
    table: str | None = None
    namespace: str | None = None
    definition: str | None = None


@dataclass(slots=True, unsafe_hash=True)
class Extension:
    """A PostgreSQL extension (`extensions = [...]`, preview feature postgresqlExtensions).
    `schema`/`version` None: not given in the schema (any is fine)."""

    name: str
    schema: str | None = None
    version: str | None = None


@dataclass(slots=True, unsafe_hash=True)
class SqlSchema:
    tables: tuple[Table, ...] = ()
    enums: tuple[EnumType, ...] = ()
    sequences: tuple[Sequence, ...] = ()
    namespaces: tuple[str, ...] = ()  # non-default namespaces in use (PostgreSQL schemas)
    opaque: tuple[OpaqueObject, ...] = ()
    extensions: tuple[Extension, ...] = ()
    # Whether indexes with a predicate belong to this schema: a schema calculated without the
    # partialIndexes preview feature leaves the database's partial indexes alone (Prisma 7.10.1).
    manages_partial_indexes: bool = field(default=True, compare=False)
    # Whether `extensions` is the list to diff: a schema calculated with postgresqlExtensions (and
    # a described one that migrate dev compares for drift under it). A database's own extensions
    # (pg_trgm made by hand...) are no change for a schema that does not list extensions.
    manages_extensions: bool = field(default=False, compare=False)
    extensions_described: bool = field(default=False, compare=False)  # read from a database (all of them)
    # Read from a database (describe) rather than calculated from a schema: what the server
    # rewrote (PostgreSQL's partial-index predicates) is compared by meaning (`Dialect.predicates_match`).
    described: bool = field(default=False, compare=False)

    # (tables, enums, {(namespace, name): table}, {(namespace, name): enum}): `table()` and
    # `enum()` by name, built on first use. The differ and the rename finder look up every table
    # of one schema in the other: a scan per lookup made them quadratic (two schemas of 10,000
    # tables: 2 to 3.5 s of CPU looking for renames).
    # Rebuilt when `tables` or `enums` is another tuple; not compared, not part of the value.
    _by_name: tuple | None = field(default=None, init=False, repr=False, compare=False)

    def _names(self) -> tuple:
        cached = self._by_name
        if cached is None or cached[0] is not self.tables or cached[1] is not self.enums:
            tables: dict = {}
            for t in self.tables:
                tables.setdefault((t.namespace, t.name), t)  # the first of a name, as a scan finds it
            enums: dict = {}
            for e in self.enums:
                enums.setdefault((e.namespace, e.name), e)
            cached = self._by_name = (self.tables, self.enums, tables, enums)
        return cached

    def table(self, name: str, namespace: str | None = None) -> Table | None:
        return self._names()[2].get((namespace, name))

    def enum(self, name: str, namespace: str | None = None) -> EnumType | None:
        return self._names()[3].get((namespace, name))

    def __getstate__(self):
        # pickled (the repeat-run cache) without the lookup tables
        return [getattr(self, f.name) for f in fields(self) if f.name != "_by_name"]

    def __setstate__(self, state) -> None:
        for f, value in zip([f for f in fields(self) if f.name != "_by_name"], state):
            object.__setattr__(self, f.name, value)
        object.__setattr__(self, "_by_name", None)

    @property
    def is_empty(self) -> bool:
        return not (self.tables or self.enums or self.sequences)
