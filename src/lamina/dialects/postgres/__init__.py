"""PostgreSQL: alters columns, keys and indexes in place; native enums; namespaces."""

from __future__ import annotations

from lamina.dialects.base import Dialect
from lamina.sql.schema import ColumnArity
from lamina.sql.steps import ColumnChange, TypeChange

_TEXTS = ("TEXT", "VARCHAR", "CHAR", "CITEXT")
_INTS = {"SMALLINT": 2, "INTEGER": 4, "BIGINT": 8}
_NUMERIC = ("SMALLINT", "INTEGER", "BIGINT", "REAL", "DOUBLE PRECISION", "DECIMAL", "MONEY")
_TIMES = ("TIMESTAMP", "TIMESTAMPTZ", "DATE", "TIME", "TIMETZ")


def _base(t: str) -> str:
    return t.split("(")[0]


def _length(t: str) -> int | None:
    if "(" in t:
        try:
            return int(t.split("(")[1].split(",")[0].rstrip(")"))
        except ValueError:
            return None
    return None


_CLOCKS = ("TIME", "TIMETZ")
_DATES = ("DATE", "TIMESTAMP", "TIMESTAMPTZ")
# The shortest CHAR(n) / VARCHAR(n) that Prisma casts a column into (shorter: re-created).
_MIN_TEXT_LENGTH = {"UUID": 32, "TIMESTAMP": 23, "TIMESTAMPTZ": 28, "DATE": 28, "TIME": 14, "TIMETZ": 19, "BYTEA": 3}


def _prisma_cast_exception(before_type: str, after_type: str) -> TypeChange | None:
    """Where Prisma 7.10.1's cast matrix departs from the families (measured with its CLI on
    every pair of 28 column types, and into CHAR(n)/VARCHAR(n) for n = 1..64): to CITEXT only
    from TEXT and INET, to MONEY from none; OID casts to INTEGER and BIGINT; INET and OID never
    to CHAR(n); a CHAR(n)/VARCHAR(n) too short for the source's text form is re-created; a
    time of day and a date do not convert into each other. (Prisma also casts CITEXT and
    MONEY to every type, which PostgreSQL refuses but into text types and, for MONEY,
    DECIMAL: "cannot be cast automatically". Those are re-created here.)"""
    b, a = _base(before_type), _base(after_type)
    if a == "CITEXT":
        return TypeChange.SAFE if b in ("TEXT", "INET") else TypeChange.NOT_CASTABLE
    if a == "MONEY" or b == "MONEY" and a not in _TEXTS and a != "DECIMAL":
        return TypeChange.NOT_CASTABLE
    if b == "OID" and a in ("INTEGER", "BIGINT"):
        return TypeChange.RISKY if a == "INTEGER" else TypeChange.SAFE
    if a in ("CHAR", "VARCHAR") and b not in _TEXTS:
        length = _length(after_type)
        if a == "CHAR" and b in ("INET", "OID"):
            return TypeChange.NOT_CASTABLE
        minimum = _MIN_TEXT_LENGTH.get(b, 0)
        if b == "BIT":
            minimum = _length(before_type) or 1
        elif b == "BOOLEAN" and a == "CHAR":
            minimum = 4
        if length is not None and length < minimum:
            return TypeChange.NOT_CASTABLE
    if b in _CLOCKS and a in _DATES or b == "DATE" and a in _CLOCKS:
        return TypeChange.NOT_CASTABLE
    return None


class PostgresDialect(Dialect):
    provider = "postgresql"
    package = "postgres"
    display_name = "PostgreSQL"
    supports_enums = True

    def predicate_key(self, predicate: str | None) -> str | None:
        from lamina.sql.predicates import pg_key

        return pg_key(predicate)

    def predicates_match(self, before, after, against_database: bool) -> bool:
        """Prisma 7.10.1's comparison (`lamina.sql.pg_predicate_ast`): between two schemas, the
        scripts are Prisma's. Against a database, whose stored predicate PostgreSQL rewrote
        (`n IN (1, 2)` as `(n = ANY (ARRAY[1, 2]))`, `t LIKE 'x'` as `(t ~~ 'x'::text)`...), the
        same meaning is no change either, where Prisma would drop and re-create the index."""
        if before.predicate is None or after.predicate is None:
            return before.predicate is after.predicate
        from lamina.sql.pg_predicate_ast import prisma_equal

        if prisma_equal(before.predicate, after.predicate):
            return True
        return against_database and before.predicate_key == after.predicate_key
    supports_namespaces = True
    supports_alter_column = True
    supports_alter_foreign_keys = True
    supports_alter_primary_key = True
    supports_rename_index = True
    supports_rename_foreign_key = True
    supports_drop_column = True
    drop_column_drops_indexes = True
    named_primary_keys = True
    identifier_max_length = 63

    def type_change(self, before, after) -> TypeChange:
        """Prisma's PostgreSQL cast matrix, in short: anything becomes text; numbers and
        times convert among themselves (narrowing is risky); the rest is recreated."""
        if before.enum or after.enum:
            return TypeChange.NOT_CASTABLE
        if after.arity is ColumnArity.LIST:
            # A list becomes a list as its elements would (Prisma 7.10.1); a scalar never does.
            if before.arity is not ColumnArity.LIST:
                return TypeChange.NOT_CASTABLE
            import dataclasses

            def element(column):
                return dataclasses.replace(column, type=column.type.removesuffix("[]"), arity=ColumnArity.REQUIRED)

            return self.type_change(element(before), element(after))
        b, a = _base(before.type.removesuffix("[]")), _base(after.type)
        if before.arity is ColumnArity.LIST:
            # An array becomes its text form: castable, but lossy (into its element type it is
            # re-created, as Prisma 7.10.1 does; PostgreSQL has no such cast).
            return TypeChange.RISKY if a in _TEXTS else TypeChange.NOT_CASTABLE
        quirk = _prisma_cast_exception(before.type, after.type)
        if quirk is not None:
            return quirk
        if a in _TEXTS:
            if b in _TEXTS:
                lb, la = _length(before.type), _length(after.type)
                if la is not None and (lb is None or la < lb):
                    return TypeChange.RISKY
                return TypeChange.SAFE
            return TypeChange.SAFE
        if b in _NUMERIC and a in _NUMERIC:
            if b in _INTS and a in _INTS:
                return TypeChange.SAFE if _INTS[a] >= _INTS[b] else TypeChange.RISKY
            if b in _INTS:
                return TypeChange.SAFE
            if b in ("REAL", "DOUBLE PRECISION") and a in ("DOUBLE PRECISION", "DECIMAL"):
                return TypeChange.SAFE
            return TypeChange.RISKY
        if b in _TIMES and a in _TIMES:
            return TypeChange.SAFE if (b.startswith("TIMESTAMP") and a.startswith("TIMESTAMP")) else TypeChange.RISKY
        if b in ("JSON", "JSONB") and a in ("JSON", "JSONB"):
            return TypeChange.SAFE
        if b == "BIT" and a == "VARBIT" or b == "VARBIT" and a == "BIT":
            return TypeChange.RISKY
        return TypeChange.NOT_CASTABLE

    def name_default_namespace(self, conn, schema, namespaces):
        """Name the default namespace (None in the describer) and qualify enum types, as a
        multiSchema calculation writes them (`"users"."UserType"`)."""
        import dataclasses

        current = conn.execute("SELECT current_schema()").fetchone()[0]
        default = current if current in namespaces else namespaces[0]

        def fix(ns):
            return default if ns is None else ns

        enums = tuple(dataclasses.replace(e, namespace=fix(e.namespace)) for e in schema.enums)
        enum_ns = {e.name: e.namespace for e in enums}

        def column(c):
            if c.enum and c.enum in enum_ns:
                suffix = "[]" if c.type.endswith("[]") else ""
                return dataclasses.replace(c, type=f'"{enum_ns[c.enum]}"."{c.enum}"{suffix}')
            return c

        tables = tuple(
            dataclasses.replace(
                t, namespace=fix(t.namespace), columns=tuple(column(c) for c in t.columns),
                foreign_keys=tuple(dataclasses.replace(fk, referenced_namespace=fix(fk.referenced_namespace))
                                   for fk in t.foreign_keys),
            )
            for t in schema.tables
        )
        sequences = tuple(dataclasses.replace(q, namespace=fix(q.namespace)) for q in schema.sequences)
        existing = {r[0] for r in conn.execute(
            "SELECT nspname FROM pg_namespace WHERE nspname = ANY(%s)", (list(namespaces),)).fetchall()}
        return dataclasses.replace(schema, tables=tables, enums=enums, sequences=sequences,
                                   namespaces=tuple(n for n in namespaces if n in existing))

    def type_display(self, column) -> str:
        """Prisma's native type name: `Integer`, `VarChar(100)`, `Decimal(65,30)`..."""
        from lamina.dialects.postgres.calculate import NATIVE_NAMES

        names = {v: k for k, v in NATIVE_NAMES.items()}
        base, paren, rest = column.type.removesuffix("[]").partition("(")
        return names.get(base, base) + paren + rest

    def must_recreate_column(self, before, after, changes) -> bool:
        if changes & ColumnChange.TYPE and self.type_change(before, after) is TypeChange.NOT_CASTABLE:
            return True
        if changes & ColumnChange.ARITY and after.arity is ColumnArity.LIST:
            return True
        return False

    def must_redefine(self, *args) -> bool:
        return False



DIALECT = PostgresDialect()
