"""What differs between databases: placeholders, quoting, value encoding/decoding, errors.

Storage formats follow Prisma's engines so that a database written by Prisma reads back
the same here and the other way round:
- SQLite: DateTime as integer milliseconds since the epoch (Prisma's native engine, which
  prisma-client-py uses), or as ISO 8601 text `2024-01-02T03:04:05.678Z` (Prisma 7's driver
  adapters) with `sqlite_timestamp_format = "iso8601"` in the generator block; both are
  read, as are `CURRENT_TIMESTAMP` texts. Decimal in a DECIMAL column,
  Json as text, Boolean as 0/1, Bytes as BLOB.
- PostgreSQL: DateTime as UTC in `timestamp(3)`, Json as jsonb, enums as native enums.
DateTime values are truncated to milliseconds (Prisma's precision) on the way in.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from enum import Enum
from typing import Any, Callable
from uuid import UUID

from . import errors
from .fields import Base64, Json

UTC = timezone.utc
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

Codec = Callable[[Any], Any]


def _to_utc(value: datetime) -> datetime:
    if isinstance(value, str):  # ISO 8601 text, which prisma-client-py passes on for Prisma's engine to parse
        try:
            value = _datetime_text(value)
        except ValueError:
            raise errors.DataError(f"Invalid DateTime text {value!r}: expected ISO 8601 such as "
                                   "'2024-01-02T03:04:05.678Z'.", code="P2009") from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    elif value.tzinfo is not UTC:
        value = value.astimezone(UTC)
    if value.microsecond % 1000:
        value = value.replace(microsecond=value.microsecond - value.microsecond % 1000)
    return value


def _json_data(value: Any) -> Any:
    """The JSON value a Json field's input stands for. A `str` is JSON text, as with prisma-client-py
    (it sends the text and Prisma's engine parses it): `'{"a": 1}'` stores the object, not a string.
    `Json("text")` is the JSON string "text"."""
    if isinstance(value, Json):
        return value.data
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError as exc:
            raise errors.DataError(f"Invalid JSON text for a Json field: {exc}. Wrap a string value in "
                                   "Json(...) to store it as a JSON string.", code="P2009") from None
    return value


def _not_serializable(value: Any) -> Any:
    raise TypeError(f"Type {value if isinstance(value, type) else type(value)} not serializable")


def _json_dumps(data: Any) -> str:
    """JSON text of a JSON value (non-string keys as JSON writes them, like prisma-client-py)."""
    return json.dumps(data, default=_not_serializable)


def _json_text(value: Any) -> str:
    """JSON text of a Json field's input."""
    return _json_dumps(_json_data(value))


def _bytes(value: Any) -> bytes:
    if isinstance(value, Base64):
        return value.decode()
    return bytes(value)


def _enum(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def _decimal_out(value: Any) -> Decimal:
    d = value if isinstance(value, Decimal) else Decimal(str(value))
    text = format(d, "f")
    if "." in text:  # DECIMAL(65,30) pads with zeros; Prisma returns the shortest form
        text = text.rstrip("0").rstrip(".")
        return Decimal(text)
    return d


def _datetime_text(text: str) -> datetime:
    text = text.strip().replace(" ", "T", 1)
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    if re.fullmatch(r"-?\d+(\.\d+)?", text):
        return EPOCH + timedelta(milliseconds=float(text))
    dt = datetime.fromisoformat(text)
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def _raw_datetime(value: datetime) -> str:
    """A DateTime in a raw query's result, as Prisma's typed raw protocol gives it (RFC 3339)."""
    value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return value.isoformat(timespec="milliseconds" if value.microsecond else "seconds")


def raw_plain(value: Any) -> Any:
    """A driver value of a raw query without `model=` as prisma-client-py returns it: DateTime as
    ISO text, Bytes as base64 text, Decimal as float (its raw protocol's types)."""
    if isinstance(value, datetime):
        return _raw_datetime(value)
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return str(Base64.encode(bytes(value)))
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, UUID):  # PostgreSQL uuid columns: text, as Prisma returns them
        return str(value)
    return value


# SQLite values have no column types: decoded by the type the schema gives the column's name.
_SQLITE_RAW: dict[str, Codec] = {
    "DateTime": lambda v: _raw_datetime(_unixepoch_ms(v)) if isinstance(v, (int, float, str)) else raw_plain(v),
    "Boolean": lambda v: bool(v) if isinstance(v, int) else v,
    "Decimal": lambda v: float(v) if isinstance(v, (int, float, str, Decimal)) else v,
    "Bytes": raw_plain,
}


class Dialect:
    name = ""
    param = "?"
    quote_char = '"'
    insensitive_like: str | None = None  # an operator for case-insensitive LIKE, when the database has one
    limit_all = ""  # what to write as LIMIT when only OFFSET is wanted
    returning = True  # INSERT/UPDATE/DELETE ... RETURNING
    like_escape = " ESCAPE '\\'"
    nulls_order = True  # NULLS FIRST / NULLS LAST

    def __init__(self) -> None:
        self.encoders: dict[str, Codec] = {}
        self.decoders: dict[str, Codec] = {}
        # The common case of a decoder as an expression over `x` (never None), written into the
        # functions that build models from rows instead of a call per value; `dec(x)` is the
        # decoder itself, for the other cases. Names: INLINE_NAMES.
        self.inline_decoders: dict[str, str] = {}

    def q(self, ident: str) -> str:
        c = self.quote_char
        return c + ident.replace(c, c + c) + c

    def table(self, name: str, schema: str | None) -> str:
        return f"{self.q(schema)}.{self.q(name)}" if schema else self.q(name)

    def encode(self, type_: str, value: Any) -> Any:
        if value is None:
            return None
        enc = self.encoders.get(type_)
        return enc(value) if enc is not None else value

    def map_error(self, exc: BaseException) -> Exception | None:  # pragma: no cover - per dialect
        return None

    def raw_arg(self, value: Any) -> Any:
        """A raw query's parameter for the driver: Json/dict/list as JSON, Base64 as bytes, enums by value."""
        if isinstance(value, (Json, dict)):
            return self.encoders["Json"](value)
        if isinstance(value, (tuple, set, frozenset)):  # a list to the driver, as prisma-client-py sends it
            return [self.raw_arg(v) for v in value]
        if isinstance(value, Base64):
            return value.decode()
        if isinstance(value, Enum):
            return value.value
        return value

    def raw_decoders(self, names: list[str], schema: Any) -> list[Codec]:
        """Per column of a raw result without `model=`: the function giving prisma-client-py's value."""
        return [raw_plain] * len(names)

    def insert_head(self, table: str, skip_duplicates: bool) -> str:
        return f"INSERT INTO {table}"

    def conflict_tail(self, skip_duplicates: bool) -> str:
        return " ON CONFLICT DO NOTHING" if skip_duplicates else ""

    def default_values(self) -> str:
        return " DEFAULT VALUES"

    def delete_from(self, table: str, alias: str) -> str:
        return f"DELETE FROM {table} AS {alias}"

    def limit_offset(self, take: int | None, skip: int | None) -> str:
        out = ""
        if take is not None:
            out += f" LIMIT {int(take)}"
        if skip:
            if take is None and self.limit_all:
                out += f" LIMIT {self.limit_all}"
            out += f" OFFSET {int(skip)}"
        return out


def _iso_ms(value: datetime) -> str:
    return _to_utc(value).isoformat(timespec="milliseconds").replace("+00:00", "Z")


_fromtimestamp = datetime.fromtimestamp
_combine = datetime.combine


def _naive_as_utc(v: Any) -> Any:
    """`v.replace(tzinfo=UTC)`: the same value, at a tenth of the cost for a naive datetime
    (`replace` parses keyword arguments; `combine` of its own date and time does not)."""
    return _combine(v, v.time(), UTC) if type(v) is datetime and v.tzinfo is None else v.replace(tzinfo=UTC)


def _utc(v: Any) -> Any:
    """A PostgreSQL timestamp (naive: stored as UTC) or timestamptz, as an aware UTC datetime. The
    client's cursors load both as aware UTC already (`pg_results.utc_timestamps`)."""
    if v.tzinfo is UTC:
        return v
    return _combine(v, v.time(), UTC) if type(v) is datetime and v.tzinfo is None else \
        v.replace(tzinfo=UTC) if v.tzinfo is None else v.astimezone(UTC)


# What the `inline_decoders` expressions may use.
INLINE_NAMES = {"_combine": _combine, "_fromtimestamp": _fromtimestamp, "_UTC": UTC, "_datetime": datetime}


def _unixepoch_ms(v: Any) -> datetime:
    """Integer milliseconds (or ISO text) to an aware UTC datetime. Within +-4e12 ms (years
    1843-2096) a float of seconds is exact to the microsecond after rounding, and twice as fast."""
    if type(v) is int and -4_000_000_000_000 < v < 4_000_000_000_000:
        return _fromtimestamp(v / 1000, timezone.utc)
    if isinstance(v, (int, float)):
        return EPOCH + timedelta(milliseconds=v)
    return _datetime_text(v)


class SqliteDialect(Dialect):
    name = "sqlite"
    param = "?"
    limit_all = "-1"

    def __init__(self, timestamps: str = "unixepoch-ms") -> None:
        super().__init__()
        self.encoders = {
            "DateTime": _iso_ms if timestamps == "iso8601" else lambda v: (_to_utc(v) - EPOCH) // timedelta(milliseconds=1),
            "Decimal": lambda v: str(v),
            "Json": _json_text,
            "Bytes": _bytes,
            "Enum": _enum,
            "Boolean": lambda v: 1 if v else 0,
        }
        self.raw_types: dict[int, dict[str, str]] = {}
        self.decoders = {
            "DateTime": _unixepoch_ms,
            "Decimal": _decimal_out,
            "Json": lambda v: json.loads(v) if isinstance(v, (str, bytes)) else v,
            # a column DEFAULT '' gives text, not a blob
            "Bytes": lambda v: Base64.encode(v.encode() if isinstance(v, str) else bytes(v)),
            "Boolean": bool,
            "Float": float,
        }
        # _unixepoch_ms's first case, written out
        self.inline_decoders = {"DateTime": "_fromtimestamp(x / 1000, _UTC) if type(x) is int and "
                                            "-4_000_000_000_000 < x < 4_000_000_000_000 else dec(x)"}

    def raw_arg(self, value: Any) -> Any:
        if isinstance(value, Decimal):
            return str(value)  # compared with a DECIMAL (numeric affinity) column as a number
        return super().raw_arg(value)

    def raw_decoders(self, names: list[str], schema: Any) -> list[Codec]:
        types = self.raw_types.get(id(schema))
        if types is None:  # column name -> its Prisma type, where every model agrees on it
            seen: dict[str, set[str]] = {}
            for m in schema.models.values():
                for f in m.scalars:
                    if not f.is_list:
                        seen.setdefault(f.db_name, set()).add(f.type)
            types = self.raw_types[id(schema)] = {n: next(iter(t)) for n, t in seen.items() if len(t) == 1}
        decs = [_SQLITE_RAW.get(types.get(n, ""), raw_plain) for n in names]
        return decs

    def map_error(self, exc: BaseException) -> Exception | None:
        import sqlite3

        if not isinstance(exc, sqlite3.Error):
            return None
        msg = str(exc)
        if isinstance(exc, sqlite3.IntegrityError):
            if msg.startswith("UNIQUE constraint failed") or "PRIMARY KEY" in msg:
                target = [c.split(".")[-1] for c in msg.split(":", 1)[-1].split(",")]
                return errors.UniqueViolationError(
                    f"Unique constraint failed on the fields: ({', '.join(f'`{t.strip()}`' for t in target)})",
                    code="P2002", meta={"target": [t.strip() for t in target]},
                )
            if "FOREIGN KEY" in msg:
                return errors.ForeignKeyViolationError("Foreign key constraint failed on the field: (not available)", code="P2003")
            if "NOT NULL" in msg:
                return errors.MissingRequiredValueError(f"Null constraint violation: {msg}", code="P2011")
        if "no such table" in msg:
            return errors.TableNotFoundError(f"The table does not exist in the current database. ({msg})", code="P2021")
        return errors.RawQueryError(msg, code="P2010")


class PostgresDialect(Dialect):
    name = "postgresql"
    param = "%s"
    insensitive_like = "ILIKE"

    def __init__(self) -> None:
        super().__init__()
        from psycopg.types.json import Jsonb

        self.encoders = {
            "DateTime": lambda v: _to_utc(v).replace(tzinfo=None),
            "Json": lambda v: Jsonb(_json_data(v), dumps=_json_dumps),
            "Bytes": _bytes,
            "Enum": _enum,
        }
        self.decoders = {
            "DateTime": _utc,
            "Decimal": _decimal_out,
            "Bytes": lambda v: Base64.encode(bytes(v)),
        }
        # as the client's cursors load timestamps (pg_results.utc_timestamps); dec(x) for the others
        self.inline_decoders = {"DateTime": "x if x.tzinfo is _UTC else dec(x)"}

    def map_error(self, exc: BaseException) -> Exception | None:
        import psycopg

        if not isinstance(exc, psycopg.Error):
            return None
        diag = exc.diag
        state = exc.sqlstate or ""
        msg = (diag.message_primary or str(exc)).strip()
        if state == "23505":
            detail = diag.message_detail or ""
            m = re.search(r"Key \((.*?)\)=", detail)
            target = [c.strip().strip('"') for c in m.group(1).split(",")] if m else []
            return errors.UniqueViolationError(
                f"Unique constraint failed on the fields: ({', '.join(f'`{t}`' for t in target)})",
                code="P2002", meta={"target": target, "constraint": diag.constraint_name},
            )
        if state == "23503":
            return errors.ForeignKeyViolationError(
                f"Foreign key constraint failed on the field: `{diag.constraint_name}`", code="P2003",
                meta={"field_name": diag.constraint_name},
            )
        if state == "23502":
            return errors.MissingRequiredValueError(f"Null constraint violation on the fields: (`{diag.column_name}`)", code="P2011")
        if state == "42P01":
            return errors.TableNotFoundError(f"The table does not exist in the current database. ({msg})", code="P2021")
        if state == "57014" and "statement timeout" in msg:  # the URL's socket_timeout, enforced by the server
            return errors.DataError(f"Operations timed out: {msg} (the database URL's `socket_timeout`)", code="P1008")
        return errors.RawQueryError(msg, code="P2010", meta={"code": state})


class MysqlDialect(Dialect):
    """MySQL 8 / MariaDB through PyMySQL: no RETURNING (writes read the row back by its key)."""

    name = "mysql"
    param = "%s"
    quote_char = "`"
    limit_all = "18446744073709551615"
    returning = False
    like_escape = ""  # backslash is already LIKE's escape character
    nulls_order = False

    def __init__(self) -> None:
        super().__init__()
        self.encoders = {
            "DateTime": lambda v: _to_utc(v).replace(tzinfo=None),
            "Json": _json_text,
            "Bytes": _bytes,
            "Enum": _enum,
        }
        self.decoders = {
            "DateTime": _naive_as_utc,
            "Decimal": _decimal_out,
            "Json": lambda v: json.loads(v) if isinstance(v, (str, bytes)) else v,
            # a column DEFAULT '' gives text, not a blob
            "Bytes": lambda v: Base64.encode(v.encode() if isinstance(v, str) else bytes(v)),
            "Boolean": bool,
        }
        # as the client's cursors load timestamps (pg_results.utc_timestamps); dec(x) for the others
        self.inline_decoders = {"DateTime": "x if x.tzinfo is _UTC else dec(x)"}

    def insert_head(self, table: str, skip_duplicates: bool) -> str:
        return f"INSERT {'IGNORE ' if skip_duplicates else ''}INTO {table}"

    def conflict_tail(self, skip_duplicates: bool) -> str:
        return ""

    def default_values(self) -> str:
        return " () VALUES ()"

    def delete_from(self, table: str, alias: str) -> str:
        return f"DELETE {alias} FROM {table} AS {alias}"

    def map_error(self, exc: BaseException) -> Exception | None:
        import pymysql  # type: ignore[import-untyped]

        if not isinstance(exc, pymysql.err.Error):
            return None
        code = exc.args[0] if exc.args else 0
        msg = str(exc.args[1]) if len(exc.args) > 1 else str(exc)
        if code == 1062:
            m = re.search(r"for key '(?:[^.']*\.)?([^']*)'", msg)
            key = m.group(1) if m else ""
            return errors.UniqueViolationError(f"Unique constraint failed on the constraint: `{key}`", code="P2002",
                                               meta={"target": key})
        if code in (1451, 1452, 1216, 1217):
            return errors.ForeignKeyViolationError(f"Foreign key constraint failed on the field: ({msg})", code="P2003")
        if code in (1048, 1364):
            return errors.MissingRequiredValueError(f"Null constraint violation: {msg}", code="P2011")
        if code == 1146:
            return errors.TableNotFoundError(f"The table does not exist in the current database. ({msg})", code="P2021")
        return errors.RawQueryError(msg, code="P2010", meta={"code": code})


_DIALECTS: dict[str, Dialect] = {}


def get(name: str, sqlite_timestamps: str = "unixepoch-ms") -> Dialect:
    key = f"{name}:{sqlite_timestamps}" if name == "sqlite" else name
    d = _DIALECTS.get(key)
    if d is None:
        if name == "sqlite":
            d = SqliteDialect(sqlite_timestamps)
        else:
            d = PostgresDialect() if name == "postgresql" else MysqlDialect()
        _DIALECTS[key] = d
    return d
