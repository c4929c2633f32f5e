"""PostgreSQL type spellings: catalog (`format_type`) -> Prisma's DDL spelling -> Prisma scalar.

Used by the describer (to normalise what the catalog says into the spelling Prisma's
migrations write, e.g. `character varying(255)` -> `VARCHAR(255)`) and by introspection
(to pick the Prisma scalar and the `@db.*` attribute).
"""

from __future__ import annotations

import re

# format_type() base name -> (DDL spelling, Prisma scalar, Prisma native type name)
_BASE: dict[str, tuple[str, str, str]] = {
    "text": ("TEXT", "String", "Text"),
    "character varying": ("VARCHAR", "String", "VarChar"),
    "character": ("CHAR", "String", "Char"),
    "uuid": ("UUID", "String", "Uuid"),
    "xml": ("XML", "String", "Xml"),
    "inet": ("INET", "String", "Inet"),
    "citext": ("CITEXT", "String", "Citext"),
    "bit": ("BIT", "String", "Bit"),
    "bit varying": ("VARBIT", "String", "VarBit"),
    "integer": ("INTEGER", "Int", "Integer"),
    "smallint": ("SMALLINT", "Int", "SmallInt"),
    "oid": ("OID", "Int", "Oid"),
    "bigint": ("BIGINT", "BigInt", "BigInt"),
    "double precision": ("DOUBLE PRECISION", "Float", "DoublePrecision"),
    "real": ("REAL", "Float", "Real"),
    "numeric": ("DECIMAL", "Decimal", "Decimal"),
    "money": ("MONEY", "Decimal", "Money"),
    "boolean": ("BOOLEAN", "Boolean", "Boolean"),
    "timestamp without time zone": ("TIMESTAMP", "DateTime", "Timestamp"),
    "timestamp with time zone": ("TIMESTAMPTZ", "DateTime", "Timestamptz"),
    "time without time zone": ("TIME", "DateTime", "Time"),
    "time with time zone": ("TIMETZ", "DateTime", "Timetz"),
    "date": ("DATE", "DateTime", "Date"),
    "jsonb": ("JSONB", "Json", "JsonB"),
    "json": ("JSON", "Json", "Json"),
    "bytea": ("BYTEA", "Bytes", "ByteA"),
}

# Prisma's default PostgreSQL type per scalar: no `@db.*` attribute is printed for these.
DEFAULT_TYPES = {
    "String": "TEXT",
    "Int": "INTEGER",
    "BigInt": "BIGINT",
    "Float": "DOUBLE PRECISION",
    "Decimal": "DECIMAL(65,30)",
    "Boolean": "BOOLEAN",
    "DateTime": "TIMESTAMP(3)",
    "Json": "JSONB",
    "Bytes": "BYTEA",
}

# DDL spelling (without arguments) -> Prisma's native type name: `VARCHAR` -> `VarChar`.
NATIVE_BY_DDL = {ddl: native for ddl, _family, native in _BASE.values()}

NUMERIC_CASTS = {"integer", "bigint", "smallint", "numeric", "double precision", "real", "money", "oid"}

_FORMAT = re.compile(r"^(?P<base>[a-z ]+?)(?:\((?P<args>[^)]*)\))?(?P<rest>[a-z ]*)$")


class PgType:
    """A catalog type, normalised. `ddl` is None for types Prisma does not know (Unsupported)."""

    __slots__ = ("raw", "ddl", "family", "native", "args")

    def __init__(self, raw: str, ddl: str | None, family: str, native: str | None, args: tuple[str, ...]):
        self.raw = raw
        self.ddl = ddl
        self.family = family
        self.native = native
        self.args = args


def parse_format_type(text: str) -> PgType:
    """`timestamp(3) without time zone` -> PgType(ddl="TIMESTAMP(3)", family="DateTime", ...)."""
    m = _FORMAT.match(text)
    if m:
        # "timestamp(3) without time zone": the arguments sit in the middle.
        base = (m.group("base") + m.group("rest")).strip()
        base = re.sub(r"\s+", " ", base)
        known = _BASE.get(base)
        if known is not None:
            ddl_name, family, native = known
            args = tuple(a.strip() for a in m.group("args").split(",")) if m.group("args") else ()
            ddl = f"{ddl_name}({','.join(args)})" if args else ddl_name
            return PgType(text, ddl, family, native, args)
    return PgType(text, None, "Unsupported", None, ())
