"""Column facts -> PSL pieces: scalar types, `@db.*` attributes, `@default(...)` arguments,
and Prisma's sanitisation of database names into PSL identifiers."""

from __future__ import annotations

import re

from lamina.dialects.postgres.types import DEFAULT_TYPES as _PG_DEFAULT_TYPES
from lamina.dialects.postgres.types import NATIVE_BY_DDL as _PG_NATIVE
from lamina.sql.schema import Column, ColumnDefault, DefaultKind

_START = re.compile(r"^[^a-zA-Z]+")
_INVALID = re.compile(r"[^_a-zA-Z0-9]")


def sanitise(name: str) -> str:
    """Prisma's rule: drop leading non-letters, replace other invalid characters by `_`."""
    if _START.match(name) or _INVALID.search(name):
        return _INVALID.sub("_", _START.sub("", name))
    return name


def psl_string(value: str) -> str:
    """A Python string as a PSL string literal."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    return f'"{escaped}"'


def as_prisma_reads(column: Column, provider: str) -> Column:
    """The column as Prisma 7.10.1 reads a few types the describer leaves as they are:
    PostgreSQL's one-byte `"char"` (a catalog type) is `String @db.Char`, like `char(1)` without
    its length; a SQLite type is read by its name (`sqlite_family`), an unknown one named in lower
    case (`Unsupported("weird type")`)."""
    from dataclasses import replace

    base = column.type[:-2] if column.type.endswith("[]") else column.type
    if provider == "postgresql" and column.family == "Unsupported" and base == '"char"':
        return replace(column, family="String", type="CHAR" + column.type[len(base):])
    if provider == "sqlite" and not (column.family or "").startswith("Enum:"):
        family = sqlite_family(column.type)
        if family != column.family or family == "Unsupported":
            return replace(column, family=family, type=column.type.lower() if family == "Unsupported" else column.type)
    return column


# Prisma 7.10.1 reads a SQLite column's declared type by these names only (lower-cased), not by
# SQLite's affinity rules: `tinyint`, `bool`, `double precision`, `json`, `clob`, `time`... are
# `Unsupported(...)` to it (each seen with its CLI), `serial` is Int and `binary` Bytes.
_SQLITE_FAMILIES = {
    "int": "Int", "integer": "Int", "serial": "Int", "bigint": "BigInt", "real": "Float", "float": "Float",
    "double": "Float", "boolean": "Boolean", "text": "String", "date": "DateTime", "datetime": "DateTime",
    "timestamp": "DateTime", "binary": "Bytes", "blob": "Bytes", "jsonb": "Json",
}


def sqlite_family(declared: str) -> str:
    """The Prisma scalar of a SQLite declared type, "Unsupported" when Prisma knows no such name."""
    name = declared.lower()
    if name in _SQLITE_FAMILIES:
        return _SQLITE_FAMILIES[name]
    if "char" in name:
        return "String"
    if "numeric" in name or "decimal" in name:
        return "Decimal"
    return "Unsupported"


def scalar_type(column: Column) -> str:
    """The PSL type name of a column (without arity): `String`, `Int`..., or `Unsupported("...")`."""
    family = column.family or "Unsupported"
    if family.startswith("Enum:"):
        return sanitise(family[5:])
    if family == "Unsupported":
        raw = column.type[:-2] if column.type.endswith("[]") else column.type
        return f"Unsupported({psl_string(raw)})"
    return family


_PRECISION_DEFAULT_6 = {"Timestamp", "Timestamptz", "Time", "Timetz"}


# MySQL: Prisma's default type per scalar, and DDL spelling -> native type name.
_MYSQL_DEFAULT_TYPES = {
    "String": "VARCHAR(191)", "Int": "INTEGER", "BigInt": "BIGINT", "Float": "DOUBLE",
    "Decimal": "DECIMAL(65, 30)", "Boolean": "BOOLEAN", "DateTime": "DATETIME(3)", "Json": "JSON", "Bytes": "LONGBLOB",
}
_MYSQL_NATIVE = {
    "VARCHAR": "VarChar", "CHAR": "Char", "TEXT": "Text", "TINYTEXT": "TinyText", "MEDIUMTEXT": "MediumText",
    "LONGTEXT": "LongText", "INTEGER": "Int", "SMALLINT": "SmallInt", "MEDIUMINT": "MediumInt", "TINYINT": "TinyInt",
    "BIGINT": "BigInt", "YEAR": "Year", "DOUBLE": "Double", "FLOAT": "Float", "DECIMAL": "Decimal",
    "DATETIME": "DateTime", "TIMESTAMP": "Timestamp", "DATE": "Date", "TIME": "Time", "JSON": "Json",
    "BLOB": "Blob", "TINYBLOB": "TinyBlob", "MEDIUMBLOB": "MediumBlob", "LONGBLOB": "LongBlob",
    "BINARY": "Binary", "VARBINARY": "VarBinary", "BIT": "Bit",
}


_MYSQL_FRACTIONAL_SECONDS = {"DateTime", "Timestamp", "Time"}


def _mysql_native(column: Column) -> str | None:
    if column.type == _MYSQL_DEFAULT_TYPES.get(column.family or ""):
        return None
    m = re.match(r"^([A-Z]+)(?:\(([^)]*)\))?( UNSIGNED)?$", column.type)
    if not m or m.group(1) not in _MYSQL_NATIVE:
        return None
    native = _MYSQL_NATIVE[m.group(1)]
    if m.group(3):
        native = f"Unsigned{native}"
    args = [a.strip() for a in m.group(2).split(",")] if m.group(2) else []
    if not args and native in _MYSQL_FRACTIONAL_SECONDS:
        # MySQL's TIMESTAMP is TIMESTAMP(0). Prisma prints the precision it reads (`@db.Timestamp(0)`):
        # its diff tells `@db.Timestamp` (no precision) from the column's 0.
        args = ["0"]
    return f"@db.{native}({', '.join(args)})" if args else f"@db.{native}"


def native_type_attribute(column: Column, provider: str) -> str | None:
    """`@db.VarChar(255)` when the column's type is not Prisma's default for its scalar."""
    if provider == "mysql" and column.family and not column.family.startswith("Enum:") and column.family != "Unsupported":
        return _mysql_native(column)
    if provider != "postgresql" or not column.family or column.family.startswith("Enum:") or column.family == "Unsupported":
        return None
    base = column.type[:-2] if column.type.endswith("[]") else column.type
    if base == _PG_DEFAULT_TYPES.get(column.family):
        return None
    m = re.match(r"^([A-Z ]+?)(?:\(([^)]*)\))?$", base)
    if not m or m.group(1) not in _PG_NATIVE:
        return None
    native = _PG_NATIVE[m.group(1)]
    args = [a.strip() for a in m.group(2).split(",")] if m.group(2) else []
    if not args and native in _PRECISION_DEFAULT_6 and not column.type.endswith("[]"):
        # PostgreSQL's default precision, which Prisma 7.10.1 prints for a column but not for a
        # list (`timestamp[]` is `DateTime[] @db.Timestamp`).
        args = ["6"]
    return f"@db.{native}({', '.join(args)})" if args else f"@db.{native}"


_PRISMA_TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)? \+00:00$")
_NULL = re.compile(r"^NULL(::[\w \"().,\[\]]+)?$", re.IGNORECASE)
# `ARRAY[…]::int[]`, and PostgreSQL's casts of casts for typed empty arrays:
# `(ARRAY[]::numeric[])::numeric(65,30)[]`, `ARRAY[]::role[]::"role"[]` (Prisma 7.10.1 reads
# them all as a list default).
_ARRAY = re.compile(r"^(\()?ARRAY\[(?P<items>.*?)\](?:::[^\[\]]+\[\])+(?(1)\)::.+\[\])$", re.DOTALL)
_NUMBER = re.compile(r"^-?\d+(\.\d+)?([eE][-+]?\d+)?$")


def _unquote_sql(literal: str) -> str:
    return literal[1:-1].replace("''", "'")


def _literal_value(sql: str, column: Column) -> str | None:
    family = column.family or ""
    if sql.startswith("'") and sql.endswith("'") and len(sql) >= 2:
        text = _unquote_sql(sql)
        if family.startswith("Enum:"):
            return sanitise(text) or None
        if family in ("Int", "BigInt", "Float", "Decimal") and _NUMBER.match(text):
            return text
        if family == "Boolean" and text.lower() in ("true", "false"):
            return text.lower()
        if family == "Bytes" and re.fullmatch(r"\\x([0-9a-fA-F]{2})*", text):
            import base64  # PostgreSQL's `'\x00'`: Prisma prints the bytes as base64

            return psl_string(base64.b64encode(bytes.fromhex(text[2:])).decode())
        if family == "DateTime" and _PRISMA_TIMESTAMP.match(text):
            # The describer's UTC spelling `2020-01-01 00:00:00 +00:00` -> RFC 3339 for PSL.
            return psl_string(text.replace(" ", "T", 1).replace(" +00:00", "+00:00"))
        return psl_string(text)
    if _NUMBER.match(sql):
        if family == "Boolean" and sql in ("0", "1"):
            return "false" if sql == "0" else "true"
        if family == "String":
            return psl_string(sql)
        return sql
    if sql.lower() in ("true", "false"):
        return sql.lower()
    return None


def default_attribute(column: Column) -> str | None:
    """The `@default(...)` Prisma prints for a described column default, if any."""
    if column.autoincrement:
        return "@default(autoincrement())"
    default: ColumnDefault | None = column.default
    if default is None:
        return None
    if default.kind is DefaultKind.SEQUENCE:
        return "@default(autoincrement())"
    sql = default.sql.strip()
    if _NULL.match(sql):  # `DEFAULT NULL` is no default; PostgreSQL keeps it as `NULL::bit varying`
        return None
    m = _ARRAY.match(sql)
    if default.kind is DefaultKind.EXPRESSION or m:
        if sql.upper().startswith("CURRENT_TIMESTAMP") and column.family == "DateTime":
            return "@default(now())"
        if m:
            items = _split_top_level(m.group("items")) if m.group("items").strip() else []
            values = [_literal_value(i.strip(), column) for i in items]
            if all(v is not None for v in values):
                return f"@default([{', '.join(values)}])"
        else:
            value = _literal_value(sql, column)
            if value is not None:
                return f"@default({value})"
    return f"@default(dbgenerated({psl_string(sql)}))"


def _split_top_level(text: str) -> list[str]:
    items, current, quoted = [], "", False
    for ch in text:
        if ch == "'":
            quoted = not quoted
        if ch == "," and not quoted:
            items.append(current)
            current = ""
        else:
            current += ch
    items.append(current)
    return items
