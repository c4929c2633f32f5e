"""Typed SQL (Prisma's `typedSql` preview feature): the queries `lamina generate --sql` wrote from
`prisma/sql/*.sql`, run by `db.query_typed(sql.name(args...))`.

The generated `sql.py` holds one `TypedSql` per file (its text, and the type of each result column
as the database described it at generate time) and one function per file returning a
`TypedQuery[Row]`: the query with its arguments, typed by the row's TypedDict. Rows come back as
dicts whose values have the Python type of the column's Prisma type: Int and BigInt `int`, Float
`float`, Decimal `Decimal`, DateTime an aware UTC `datetime`, Json the parsed value, Bytes `bytes`,
enums their generated class.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, Callable, Generic, Sequence, TypeVar

from .dialect import Dialect, _decimal_out, _unixepoch_ms

RowT = TypeVar("RowT")


class TypedSql:
    """One SQL file as generated: `columns` are (result key, Prisma type, enum class or None) in the
    order of the result's columns; a list type ends in `[]`."""

    __slots__ = ("name", "sql", "params", "columns", "decoders")

    def __init__(self, name: str, sql: str, params: Sequence[str], columns: Sequence[tuple[str, str, Any]]) -> None:
        self.name = name
        self.sql = sql
        self.params = list(params)  # the Prisma type of each parameter ("Unknown" when not known)
        self.columns = list(columns)
        self.decoders: dict[str, list[tuple[str, Callable[[Any], Any] | None]]] = {}  # by dialect


class TypedQuery(Generic[RowT]):
    """A typed SQL query with its arguments, for `query_typed`."""

    __slots__ = ("query", "args")

    def __init__(self, query: TypedSql, args: tuple[Any, ...]) -> None:
        self.query = query
        self.args = args

    def __repr__(self) -> str:
        return f"TypedQuery({self.query.name!r}, {self.args!r})"


_SQLITE_DOLLAR = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|--[^\n]*|/\*.*?\*/|\$(\d+)", re.S)


def statement(d: Dialect, query: TypedSql, args: tuple[Any, ...]) -> tuple[str, list[Any]]:
    """The query in the driver's placeholder style with its encoded arguments (`$1` on PostgreSQL,
    `?` on MySQL, `?` or `$1` on SQLite, as Prisma's typed SQL takes them). A parameter of a known
    type is encoded as a field of that type is (a DateTime on SQLite as Lamina stores it)."""
    from .engine import raw_sql

    values = tuple(_encode(d, t, a) for t, a in zip(query.params + ["Unknown"] * len(args), args))
    provider, sql = d.name, query.sql
    if provider == "sqlite":  # SQLite's own numbered form is ?NNN
        return _SQLITE_DOLLAR.sub(lambda m: f"?{m.group(1)}" if m.group(1) else m.group(0), sql), list(values)
    return raw_sql(provider, sql, values)


def _encode(d: Dialect, type_: str, value: Any) -> Any:
    enc = d.encoders.get(type_.removesuffix("[]"))
    if value is None or enc is None:
        return d.raw_arg(value)
    if type_.endswith("[]") and isinstance(value, (list, tuple)):
        return [enc(v) for v in value]
    return enc(value)


def _datetime(d: Dialect) -> Callable[[Any], datetime]:
    def convert(v: Any) -> datetime:
        if isinstance(v, datetime):
            return v.replace(tzinfo=UTC) if v.tzinfo is None else v.astimezone(UTC)
        if isinstance(v, date):
            return datetime(v.year, v.month, v.day, tzinfo=UTC)
        if isinstance(v, time):  # a time of day, on 1970-01-01 as Prisma returns it
            return datetime(1970, 1, 1, v.hour, v.minute, v.second, v.microsecond, tzinfo=UTC)
        if isinstance(v, timedelta):  # MySQL TIME columns come as a timedelta
            return datetime(1970, 1, 1, tzinfo=UTC) + v
        return _unixepoch_ms(v)

    return convert


def _json(v: Any) -> Any:
    return json.loads(v) if isinstance(v, (str, bytes)) else v


def _bool(v: Any) -> bool:
    return bool(int(v)) if isinstance(v, (str, bytes)) else bool(v)


def _decoder(d: Dialect, type_: str, enum: Any) -> Callable[[Any], Any] | None:
    if type_.endswith("[]"):
        each = _decoder(d, type_[:-2], enum)
        if each is None:
            return list
        return lambda vs: [None if v is None else each(v) for v in vs]
    if enum is not None:
        return lambda v: enum(v) if v in enum._value2member_map_ else v
    known: dict[str, Callable[[Any], Any]] = {
        "Int": int, "BigInt": int, "Float": float, "Decimal": _decimal_out, "Boolean": _bool,
        "DateTime": _datetime(d), "Json": _json, "Bytes": bytes,
        "String": lambda v: v if isinstance(v, str) else (v.decode() if isinstance(v, bytes) else str(v)),
    }
    return known.get(type_)


def decode_rows(d: Dialect, query: TypedSql, rows: list[Any]) -> list[dict[str, Any]]:
    """Result rows as dicts of the generated row type."""
    decs = query.decoders.get(d.name)
    if decs is None:
        decs = query.decoders[d.name] = [(name, _decoder(d, type_, enum)) for name, type_, enum in query.columns]
    return [{name: v if v is None or dec is None else dec(v) for (name, dec), v in zip(decs, row)} for row in rows]


def _start(client: Any, query: TypedQuery[Any]) -> tuple[Any, str, list[Any]]:
    """(the client's driver, the statement, its parameters), once the client may run a query."""
    from .errors import ClientNotConnectedError

    driver = client._driver
    if driver is None:
        raise ClientNotConnectedError()
    if client._deadline is not None:  # a transaction's client: still open and within its timeout
        client._check_deadline()
    sql, params = statement(driver.d, query.query, query.args)
    return driver, sql, params


def run_sync(client: Any, query: TypedQuery[RowT]) -> list[RowT]:
    """`db.query_typed(query)` on the sync client (as `query_raw`: one statement, the driver's errors mapped)."""
    from .client import _run_raw

    driver, sql, params = _start(client, query)
    with client._lock:
        _, rows = _run_raw(driver, sql, params)
    return decode_rows(driver.d, query.query, rows)  # type: ignore[return-value]


async def run_async(client: Any, query: TypedQuery[RowT]) -> list[RowT]:
    """`await db.query_typed(query)` on the asyncio client."""
    from .client import _run_raw_async

    driver, sql, params = _start(client, query)
    async with client._alock:
        _, rows = await _run_raw_async(driver, sql, params)
    return decode_rows(driver.d, query.query, rows)  # type: ignore[return-value]
