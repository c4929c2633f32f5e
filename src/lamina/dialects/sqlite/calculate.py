"""SQLite: Prisma's type mapping and defaults.

Enums are TEXT. A single-column `Int` primary key is always `INTEGER PRIMARY KEY
AUTOINCREMENT`, with or without `@default(autoincrement())`, as Prisma creates it.
"""

from __future__ import annotations

from lamina.datamodel import Datamodel, ScalarField, ScalarType
from lamina.sql.calculate_defaults import common_default
from lamina.sql.schema import ColumnDefault

SCALAR_TYPES = {
    ScalarType.STRING: "TEXT",
    ScalarType.BOOLEAN: "BOOLEAN",
    ScalarType.INT: "INTEGER",
    ScalarType.BIGINT: "BIGINT",
    ScalarType.FLOAT: "REAL",
    ScalarType.DECIMAL: "DECIMAL",
    ScalarType.DATETIME: "DATETIME",
    ScalarType.JSON: "JSONB",
    ScalarType.BYTES: "BLOB",
}


def column_type(field: ScalarField, datamodel: Datamodel) -> str:
    if field.enum:
        return "TEXT"
    if field.unsupported is not None:
        return field.unsupported
    return SCALAR_TYPES[field.type]


def column_default(field: ScalarField, datamodel: Datamodel) -> ColumnDefault | None:
    return common_default(field, datamodel, hex_prefix="")
