"""MySQL/MariaDB: Prisma's type mapping and defaults.

`String` is `VARCHAR(191)` (utf8mb4 index limit), `DateTime` is `DATETIME(3)`, enums are
inline `ENUM('a', 'b')` column types, `now()` is `CURRENT_TIMESTAMP(3)`.
"""

from __future__ import annotations

from lamina.datamodel import Datamodel, DefaultKind, ScalarField, ScalarType
from lamina.sql.calculate_defaults import common_default, quote_string
from lamina.sql.schema import ColumnDefault, DefaultKind as SqlDefaultKind

SCALAR_TYPES = {
    ScalarType.STRING: "VARCHAR(191)",
    ScalarType.BOOLEAN: "BOOLEAN",
    ScalarType.INT: "INTEGER",
    ScalarType.BIGINT: "BIGINT",
    ScalarType.FLOAT: "DOUBLE",
    ScalarType.DECIMAL: "DECIMAL(65, 30)",
    ScalarType.DATETIME: "DATETIME(3)",
    ScalarType.JSON: "JSON",
    ScalarType.BYTES: "LONGBLOB",
}

NATIVE_NAMES = {
    "VarChar": "VARCHAR", "Char": "CHAR", "Text": "TEXT", "TinyText": "TINYTEXT", "MediumText": "MEDIUMTEXT",
    "LongText": "LONGTEXT", "Int": "INTEGER", "UnsignedInt": "INTEGER UNSIGNED", "SmallInt": "SMALLINT",
    "UnsignedSmallInt": "SMALLINT UNSIGNED", "MediumInt": "MEDIUMINT", "UnsignedMediumInt": "MEDIUMINT UNSIGNED",
    "TinyInt": "TINYINT", "UnsignedTinyInt": "TINYINT UNSIGNED", "BigInt": "BIGINT", "UnsignedBigInt": "BIGINT UNSIGNED",
    "Year": "YEAR", "Float": "FLOAT", "Double": "DOUBLE", "Decimal": "DECIMAL", "Bit": "BIT", "Binary": "BINARY",
    "VarBinary": "VARBINARY", "Blob": "BLOB", "TinyBlob": "TINYBLOB", "MediumBlob": "MEDIUMBLOB",
    "LongBlob": "LONGBLOB", "Date": "DATE", "Time": "TIME", "DateTime": "DATETIME", "Timestamp": "TIMESTAMP",
    "Json": "JSON",
}


def column_type(field: ScalarField, datamodel: Datamodel) -> str:
    if field.enum:
        enum = datamodel.enum(field.enum)
        values = ", ".join(quote_string(v.db_name) for v in enum.values) if enum else ""
        return f"ENUM({values})"
    if field.unsupported is not None:
        return field.unsupported
    if field.native_type is not None:
        nt = field.native_type
        name = NATIVE_NAMES.get(nt.name, nt.name.upper())
        if nt.args:
            base, _, unsigned = name.partition(" ")
            return f"{base}({', '.join(nt.args)})" + (f" {unsigned}" if unsigned else "")
        return name
    return SCALAR_TYPES[field.type]


def column_default(field: ScalarField, datamodel: Datamodel) -> ColumnDefault | None:
    if field.default is not None and field.default.kind is DefaultKind.NOW:
        precision = "3"
        if field.native_type is not None and field.native_type.args:
            precision = field.native_type.args[0]
        elif field.native_type is not None:
            precision = ""
        return ColumnDefault(SqlDefaultKind.EXPRESSION, f"CURRENT_TIMESTAMP({precision})" if precision else "CURRENT_TIMESTAMP")
    d = field.default
    if d is not None and d.kind is DefaultKind.VALUE and field.type is ScalarType.DATETIME and not field.is_list:
        return ColumnDefault(SqlDefaultKind.EXPRESSION, quote_string(_datetime(str(d.value))))
    return common_default(field, datamodel)


def _datetime(value: str) -> str:
    """MySQL DATETIME(3) literals carry no offset: `2020-01-01 00:00:00.000` (UTC)."""
    import datetime as _dt

    try:
        parsed = _dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(_dt.timezone.utc).replace(tzinfo=None)
    return parsed.strftime("%Y-%m-%d %H:%M:%S.") + f"{parsed.microsecond // 1000:03d}"
