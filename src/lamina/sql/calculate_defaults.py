"""Default values as SQL literals, shared by the dialects' calculators.

`render_literal` writes a Prisma default value the way Prisma's renderers write it in
DDL: strings single-quoted with `'` doubled, numbers as written, booleans `true`/`false`.
Dialects adjust what differs (PostgreSQL arrays, MySQL booleans).
"""

from __future__ import annotations

from lamina.datamodel import Datamodel, DefaultKind, ScalarField, ScalarType
from lamina.sql.schema import ColumnDefault, DefaultKind as SqlDefaultKind


def quote_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def render_literal(value: object, field: ScalarField, datamodel: Datamodel, hex_prefix: str | None = None) -> str:
    """One literal value of `field`'s type, as SQL. `hex_prefix` (PostgreSQL `\\x`, SQLite
    empty) makes a Bytes default, base64 in the schema, the hex string Prisma writes."""
    if field.enum:
        enum = datamodel.enum(field.enum)
        db = next((v.db_name for v in enum.values if v.name == value), value) if enum else value
        return quote_string(str(db))
    if isinstance(value, bool):
        return "true" if value else "false"
    if field.type in (ScalarType.INT, ScalarType.BIGINT, ScalarType.FLOAT, ScalarType.DECIMAL):
        return _number(value)
    if field.type is ScalarType.BOOLEAN:
        return "true" if str(value).lower() == "true" else "false"
    if field.type is ScalarType.DATETIME:
        return quote_string(_datetime(str(value)))
    if field.type is ScalarType.BYTES and hex_prefix is not None:
        raw = _base64(str(value))
        if raw is not None:
            return quote_string(hex_prefix + raw.hex())
    return quote_string(str(value))


def _base64(text: str) -> bytes | None:
    import base64
    import binascii

    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None


def _datetime(value: str) -> str:
    """An RFC 3339 literal as Prisma writes it in DDL: `2020-01-01 00:00:00 +00:00` (the
    fraction only when not zero)."""
    import datetime as _dt

    try:
        parsed = _dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=_dt.timezone.utc)
    text = parsed.strftime("%Y-%m-%d %H:%M:%S")
    if parsed.microsecond:
        micros = f"{parsed.microsecond:06d}"
        text += "." + (micros[:3] if micros.endswith("000") else micros)
    offset = parsed.strftime("%z")
    return f"{text} {offset[:3]}:{offset[3:]}"


def _number(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


_NOW = ColumnDefault(SqlDefaultKind.EXPRESSION, "CURRENT_TIMESTAMP")  # one shared value (never changed)


def common_default(field: ScalarField, datamodel: Datamodel, render_list=None,
                   hex_prefix: str | None = None) -> ColumnDefault | None:
    """The default every SQL dialect shares; None for client-side defaults (cuid, uuid, ...)."""
    d = field.default
    if d is None:
        return None
    if d.kind is DefaultKind.NOW:
        return _NOW
    if d.kind is DefaultKind.DBGENERATED:
        sql = str(d.args[0]) if d.args else ""
        return ColumnDefault(SqlDefaultKind.DBGENERATED, sql)
    if d.kind is DefaultKind.VALUE:
        if isinstance(d.value, list):
            if render_list is None:
                return None
            return ColumnDefault(SqlDefaultKind.EXPRESSION, render_list([render_literal(v, field, datamodel, hex_prefix) for v in d.value]))
        return ColumnDefault(SqlDefaultKind.EXPRESSION, render_literal(d.value, field, datamodel, hex_prefix))
    return None
