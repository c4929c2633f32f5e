"""How the client's PostgreSQL cursors load results (psycopg), for large reads' sake.

- DateTime columns (`timestamp`, `timestamptz`) load as aware UTC datetimes in psycopg's own C
  loader, not as naive ones the record maker then converts in Python (a third of a read's
  decoding time in binary format): `utc_timestamps`.
- A read whose rows a record maker makes (`SyncDriver.execute`'s `make_row`) asks for its result
  in binary format when every column's type loads to the same Python value either way
  (`BINARY_SAME`): integers, floats and timestamps are then not parsed from text (PostgreSQL's
  text is the larger part of psycopg's loading time). Whether a maker's columns qualify is learnt
  from its first (text) result, and checked on each binary one: a column whose type changed
  since (an `ALTER TABLE` meanwhile) sends the read again in text format (`BinaryChoice`).

Users see the same values: the models are built from the same Python values; raw queries convert
DateTime values to UTC text whatever their time zone (`dialect.raw_plain`).
"""

from __future__ import annotations

import weakref
from typing import Any, Callable

# Built-in types whose binary format psycopg loads to the value its text loader gives (checked by
# tests/client/test_pg_results.py): bool, bytea, int8, int2, int4, text, json, float8, bpchar,
# varchar, date, time, timestamp, timestamptz, numeric, uuid, jsonb. Not float4 (its binary value
# is the exact single-precision number, 1.100000023841858 where the text gives 1.1), not
# user-defined types such as enums (unknown to psycopg: binary gives bytes), not arrays.
BINARY_SAME = frozenset({16, 17, 20, 21, 23, 25, 114, 701, 1042, 1043, 1082, 1083, 1114, 1184, 1700, 2950, 3802})
_TIMESTAMP, _TIMESTAMPTZ = 1114, 1184


def utc_timestamps(cursor: Any) -> None:
    """`timestamp` and `timestamptz` values of this cursor's results as aware datetimes in UTC
    (`datetime.timezone.utc`), in both formats. psycopg's C `timestamptz` loaders give UTC when
    they have no connection to read a time zone from; a `timestamp` (UTC by Prisma's convention)
    loads through them as a `timestamptz` at offset 0 would. In text format only under PostgreSQL's
    default DateStyle (ISO), the only one they parse without a connection; another DateStyle set
    in the session gets psycopg's usual loaders (the dialect's decoder converts their values)."""
    import psycopg
    from psycopg.pq import Format

    adapters = cursor.adapters
    for fmt in (Format.TEXT, Format.BINARY):
        utc_loader = psycopg.adapters.get_loader(_TIMESTAMPTZ, fmt)
        for oid in (_TIMESTAMP, _TIMESTAMPTZ):
            usual = adapters.get_loader(oid, fmt)
            adapters.register_loader(oid, _utc_loader_factory(fmt, utc_loader(oid, None), usual))


def _utc_loader_factory(fmt: Any, utc: Any, usual: Any) -> Any:
    """What psycopg's adapters take as a loader class: called with (oid, context) per query. `utc`
    (made without a connection: UTC) keeps no state of a query, so one serves every query."""
    from psycopg.pq import Format

    binary = fmt == Format.BINARY

    class UtcTimestampLoader:
        format = fmt

        def __new__(cls, oid: int, context: Any = None) -> Any:
            if binary or _iso_datestyle(context):
                return utc
            return usual(oid, context)

    return UtcTimestampLoader


def _iso_datestyle(context: Any) -> bool:
    conn = getattr(context, "connection", None)
    style = conn.pgconn.parameter_status(b"DateStyle") if conn is not None else None
    return style is None or style.startswith(b"ISO")


class BinaryChoice:
    """Per record maker: whether its reads ask for binary results (None: not known yet)."""

    def __init__(self) -> None:
        self._known: weakref.WeakKeyDictionary[Callable[[Any], Any], bool] = weakref.WeakKeyDictionary()

    def get(self, make_row: Callable[[Any], Any]) -> bool | None:
        return self._known.get(make_row)

    def learn(self, make_row: Callable[[Any], Any], result: Any) -> bool:
        """Whether every column of `result` (a psycopg PGresult) loads the same in binary format;
        remembered for `make_row`'s next reads."""
        same = all(result.ftype(i) in BINARY_SAME for i in range(result.nfields))
        self._known[make_row] = same
        return same


binary_choice = BinaryChoice()  # one per process: a maker reads the same columns on every connection
