"""Native types (`@db.VarChar(255)`) per provider: names, arguments, compatible scalar types."""

from __future__ import annotations

from lamina import datamodel as dm
from lamina.psl.validate.context import Context, FieldInfo, ModelInfo

S = dm.ScalarType
# name -> (minimum args, maximum args, compatible scalar types)
NativeSpec = tuple[int, int, tuple[dm.ScalarType, ...]]

POSTGRES: dict[str, NativeSpec] = {
    "Text": (0, 0, (S.STRING,)), "Char": (0, 1, (S.STRING,)), "VarChar": (0, 1, (S.STRING,)),
    "Bit": (0, 1, (S.STRING,)), "VarBit": (0, 1, (S.STRING,)), "Uuid": (0, 0, (S.STRING,)),
    "Xml": (0, 0, (S.STRING,)), "Inet": (0, 0, (S.STRING,)), "Citext": (0, 0, (S.STRING,)),
    "Boolean": (0, 0, (S.BOOLEAN,)), "Integer": (0, 0, (S.INT,)), "SmallInt": (0, 0, (S.INT,)),
    "Oid": (0, 0, (S.INT,)), "BigInt": (0, 0, (S.BIGINT,)), "DoublePrecision": (0, 0, (S.FLOAT,)),
    "Real": (0, 0, (S.FLOAT,)), "Decimal": (0, 2, (S.DECIMAL,)), "Money": (0, 0, (S.DECIMAL,)),
    "Timestamp": (0, 1, (S.DATETIME,)), "Timestamptz": (0, 1, (S.DATETIME,)), "Date": (0, 0, (S.DATETIME,)),
    "Time": (0, 1, (S.DATETIME,)), "Timetz": (0, 1, (S.DATETIME,)), "Json": (0, 0, (S.JSON,)),
    "JsonB": (0, 0, (S.JSON,)), "ByteA": (0, 0, (S.BYTES,)),
}  # fmt: skip

MYSQL: dict[str, NativeSpec] = {
    "Int": (0, 0, (S.INT,)), "UnsignedInt": (0, 0, (S.INT,)), "SmallInt": (0, 0, (S.INT,)),
    "UnsignedSmallInt": (0, 0, (S.INT,)), "MediumInt": (0, 0, (S.INT,)), "UnsignedMediumInt": (0, 0, (S.INT,)),
    "TinyInt": (0, 0, (S.BOOLEAN, S.INT)), "UnsignedTinyInt": (0, 0, (S.BOOLEAN, S.INT)), "Year": (0, 0, (S.INT,)),
    "BigInt": (0, 0, (S.BIGINT,)), "UnsignedBigInt": (0, 0, (S.BIGINT,)), "Bit": (1, 1, (S.BOOLEAN, S.BYTES)),
    "Float": (0, 0, (S.FLOAT,)), "Double": (0, 0, (S.FLOAT,)), "Decimal": (0, 2, (S.DECIMAL,)),
    "VarChar": (1, 1, (S.STRING,)), "Char": (1, 1, (S.STRING,)), "Text": (0, 0, (S.STRING,)),
    "TinyText": (0, 0, (S.STRING,)), "MediumText": (0, 0, (S.STRING,)), "LongText": (0, 0, (S.STRING,)),
    "Binary": (1, 1, (S.BYTES,)), "VarBinary": (1, 1, (S.BYTES,)), "TinyBlob": (0, 0, (S.BYTES,)),
    "Blob": (0, 0, (S.BYTES,)), "MediumBlob": (0, 0, (S.BYTES,)), "LongBlob": (0, 0, (S.BYTES,)),
    "Date": (0, 0, (S.DATETIME,)), "Time": (0, 1, (S.DATETIME,)), "DateTime": (0, 1, (S.DATETIME,)),
    "Timestamp": (0, 1, (S.DATETIME,)), "Json": (0, 0, (S.JSON,)),
}  # fmt: skip

TABLES = {"postgresql": POSTGRES, "cockroachdb": POSTGRES, "mysql": MYSQL}
# MySQL column types that cannot be indexed without a length prefix.
MYSQL_NEEDS_LENGTH = {"Text", "TinyText", "MediumText", "LongText", "Blob", "TinyBlob", "MediumBlob", "LongBlob"}
PRECISION_TYPES = {"Timestamp", "Timestamptz", "Time", "Timetz", "DateTime"}


def validate_native_type(ctx: Context, model: ModelInfo, info: FieldInfo) -> None:
    native, attr = info.native, info.native_attr
    if native is None or attr is None:
        return
    if ctx.datasource is None:
        return
    prefix = attr.name.partition(".")[0]
    if prefix != ctx.datasource.name:
        ds = ctx.datasource.name
        ctx.error(
            f"The prefix {prefix} is invalid. It must be equal to the name of an existing datasource e.g. {ds}. Did you mean to use {ds}.{native.name}?",
            attr.span,
        )
        return
    provider = ctx.provider or ""
    table = TABLES.get(provider, {})
    spec = table.get(native.name)
    if spec is None:
        ctx.error(f"Native type {native.name} is not supported for {provider} connector.", attr.span)
        return
    low, high, scalars = spec
    if info.scalar not in scalars:
        expected = " or ".join(s.value for s in scalars)
        ctx.error(
            f"Native type {native.name} is not compatible with declared field type {info.type_name}, expected field type {expected}.",
            attr.span,
        )
        return
    count = len(native.args)
    raw = ", ".join(native.args)
    numbers = [int(a) if a.isdigit() else None for a in native.args]
    if high == 0:
        if count:
            ctx.error(f'Function "{native.name}" takes 0 arguments, but received {count}.', attr.span)
        return
    if high == 2:  # an optional (precision, scale) pair
        if count not in (0, 2) or None in numbers:
            ctx.error(f"Expected two nonnegative integers, but found ({raw}).", attr.span)
        elif count == 2 and provider == "postgresql":
            precision, scale = numbers
            shown = f"{native.name}({precision},{scale})"
            if not 0 < precision <= 1000:
                ctx.error(
                    f"Argument M is out of range for native type `{shown}` of Postgres: "
                    "Precision must be positive with a maximum value of 1000.",
                    attr.span,
                )
            elif scale > precision:
                ctx.error(f"The scale must not be larger than the precision for the {shown} native type in Postgres.", attr.span)
        return
    if count > 1 and low == 0:
        ctx.error(f"Native type {native.name} takes 1 optional arguments, but received {count}.", attr.span)
        return
    if count > 1:
        ctx.error(f'Function "{native.name}" takes 1 arguments, but received {count}.', attr.span)
        return
    if count < low:
        ctx.error(f'Function "{native.name}" takes {low} arguments, but received {count}.', attr.span)
        return
    if count == 1 and numbers[0] is None:
        ctx.error(f"Expected a nonnegative integer, but found ({raw}).", attr.span)
        return
    if provider in ("postgresql", "cockroachdb") and native.name in PRECISION_TYPES and numbers and numbers[0] is not None and numbers[0] > 6:
        ctx.error(
            f"Argument M is out of range for native type `{native.name}({raw})` of {provider_label(provider)}: M can range from 0 to 6.",
            attr.span,
        )


def provider_label(provider: str) -> str:
    return {"postgresql": "Postgres", "mysql": "MySQL", "cockroachdb": "CockroachDB"}.get(provider, provider)
