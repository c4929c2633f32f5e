"""PostgreSQL: Prisma's type mapping and defaults.

Column types are spelled as Prisma's renderer writes them (`TEXT`, `TIMESTAMP(3)`,
`DECIMAL(65,30)`, `"Role"` for enums, `TEXT[]` for lists). Autoincrement columns keep
their plain integer type with `autoincrement=True`; the renderer writes SERIAL.
"""

from __future__ import annotations

from lamina.datamodel import Arity, Datamodel, ScalarField, ScalarType
from lamina.dialects.common import double_quote as quote
from lamina.sql.calculate_defaults import common_default
from lamina.sql.schema import ColumnDefault

SCALAR_TYPES: dict[ScalarType | None, str] = {
    ScalarType.STRING: "TEXT",
    ScalarType.BOOLEAN: "BOOLEAN",
    ScalarType.INT: "INTEGER",
    ScalarType.BIGINT: "BIGINT",
    ScalarType.FLOAT: "DOUBLE PRECISION",
    ScalarType.DECIMAL: "DECIMAL(65,30)",
    ScalarType.DATETIME: "TIMESTAMP(3)",
    ScalarType.JSON: "JSONB",
    ScalarType.BYTES: "BYTEA",
}

# @db.X -> DDL spelling (arguments appended as "(a,b)").
NATIVE_NAMES = {
    "Text": "TEXT", "VarChar": "VARCHAR", "Char": "CHAR", "Uuid": "UUID", "Xml": "XML", "Inet": "INET",
    "Citext": "CITEXT", "Bit": "BIT", "VarBit": "VARBIT", "Boolean": "BOOLEAN", "SmallInt": "SMALLINT",
    "Integer": "INTEGER", "BigInt": "BIGINT", "Oid": "OID", "Real": "REAL", "DoublePrecision": "DOUBLE PRECISION",
    "Decimal": "DECIMAL", "Money": "MONEY", "Timestamp": "TIMESTAMP", "Timestamptz": "TIMESTAMPTZ", "Date": "DATE",
    "Time": "TIME", "Timetz": "TIMETZ", "Json": "JSON", "JsonB": "JSONB", "ByteA": "BYTEA",
}


def enum_type_name(name: str, namespace: str | None) -> str:
    return f"{quote(namespace)}.{quote(name)}" if namespace else quote(name)


def base_type(field: ScalarField, datamodel: Datamodel) -> str:
    if field.enum:
        enum = datamodel.enum(field.enum)
        namespace = None
        if enum and datamodel.datasource and datamodel.datasource.schemas:
            namespace = enum.schema or datamodel.datasource.schemas[0]
        return enum_type_name(enum.db_name if enum else field.enum, namespace)
    if field.unsupported is not None:
        return field.unsupported
    if field.native_type is not None:
        nt = field.native_type
        name = NATIVE_NAMES.get(nt.name, nt.name.upper())
        return f"{name}({','.join(nt.args)})" if nt.args else name
    return SCALAR_TYPES[field.type]


def column_type(field: ScalarField, datamodel: Datamodel) -> str:
    if field.enum or field.unsupported is not None or field.native_type is not None:
        t = base_type(field, datamodel)
    else:
        t = SCALAR_TYPES[field.type]
    return t + "[]" if field.arity is Arity.LIST else t


def column_default(field: ScalarField, datamodel: Datamodel) -> ColumnDefault | None:
    return common_default(field, datamodel,
                          lambda items: f"ARRAY[{', '.join(items)}]::{column_type(field, datamodel)}",
                          hex_prefix="\\x")


def serial_type(column_type: str) -> str | None:
    """SERIAL spelling of an autoincrement integer column."""
    return {"INTEGER": "SERIAL", "BIGINT": "BIGSERIAL", "SMALLINT": "SMALLSERIAL"}.get(column_type)
