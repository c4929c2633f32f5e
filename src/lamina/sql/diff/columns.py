"""Column comparison: what changed (`ColumnChange` flags), independent of any dialect."""

from __future__ import annotations

import re

from lamina.sql.schema import Column, ColumnDefault, DefaultKind
from lamina.sql.steps import ColumnChange


def _norm(sql: str) -> str:
    return "".join(sql.split()).lower()


def _timestamp(sql: str):
    """A quoted timestamp literal as a naive UTC datetime, else None."""
    import datetime as _dt

    if len(sql) < 3 or sql[0] != "'" or sql[-1] != "'":
        return None
    text = sql[1:-1].replace(" +", "+").replace(" -", "-").replace("Z", "+00:00")
    try:
        value = _dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(_dt.timezone.utc).replace(tzinfo=None)
    return value


_NOW = re.compile(r"current_timestamp\s*(?:\(\s*(\d*)\s*\))?", re.IGNORECASE)


def _same_now(before: str, after: str) -> bool | None:
    """`now()` defaults by precision: MariaDB reports `current_timestamp()` for what Prisma
    writes as `CURRENT_TIMESTAMP` or `CURRENT_TIMESTAMP(0)`. None when either is not `now()`."""
    b, a = _NOW.fullmatch(before.strip()), _NOW.fullmatch(after.strip())
    if b is None or a is None:
        return None
    return int(b.group(1) or 0) == int(a.group(1) or 0)


def _now_or_timestamp(sql: str) -> bool:
    return _NOW.fullmatch(sql.strip()) is not None or _timestamp(sql) is not None


_NUMERIC = ("Int", "BigInt", "Float", "Decimal")
_CAST = re.compile(r"::\s*(?:timestamp|timestamptz|date|time)(?:\s*\(\d+\))?(?:\s+with(?:out)?\s+time\s+zone)?$", re.I)


def _uncast(sql: str) -> str:
    return _CAST.sub("", sql.strip()).strip()


def _number(sql: str):
    from decimal import Decimal, InvalidOperation

    text = sql.strip()
    if text.startswith("(") and text.endswith(")"):
        text = text[1:-1]
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


_NOT_JSON = object()


def _json(sql: str) -> object:
    import json

    text = re.sub(r"::\s*jsonb?$", "", sql.strip())
    if len(text) < 2 or text[0] != "'" or text[-1] != "'":
        return _NOT_JSON
    try:
        return json.loads(text[1:-1].replace("''", "'"))
    except ValueError:
        return _NOT_JSON


def defaults_match(before: ColumnDefault | None, after: ColumnDefault | None, family: str | None = None) -> bool:
    """Prisma's rule: `dbgenerated()` without an expression matches anything; a
    `dbgenerated("...")` expression is compared loosely (spacing, case); sequences match."""
    if after is not None and after.kind is DefaultKind.DBGENERATED and not after.sql:
        return True
    if before is None or after is None:
        return before is None and after is None
    if before.kind is DefaultKind.SEQUENCE or after.kind is DefaultKind.SEQUENCE:
        return before.kind is after.kind
    if DefaultKind.DBGENERATED in (before.kind, after.kind):
        if _norm(before.sql) == _norm(after.sql):
            return True
        if (family == "DateTime" and before.kind is DefaultKind.DBGENERATED
                and after.kind is DefaultKind.EXPRESSION and _NOW.fullmatch(after.sql.strip()) is None):
            # The database's date/time constant (`'2020-01-01 00:00:00'::timestamp without time
            # zone`) against a schema value (`@default("2021-05-05T00:00:00Z")`): Prisma 7.10.1
            # does not compare them (no SET DEFAULT, whatever the two values), nor do we.
            return True
        # `dbgenerated("'1970-01-01 00:00:00'::timestamp without time zone")` on a column whose
        # default the database reports as that timestamp: the same value, as Prisma finds
        if family == "DateTime":
            b, a = _timestamp(_uncast(before.sql)), _timestamp(_uncast(after.sql))
            return b is not None and b == a
        return False
    if before.sql != after.sql and family == "Json":
        # by value, as Prisma: `'{"a": 1}'` and `'{"a":1}'` are the same default
        b, a = _json(before.sql), _json(after.sql)
        if b is not _NOT_JSON and a is not _NOT_JSON:
            return b == a
    if before.sql != after.sql and family in _NUMERIC:
        # by value: the database keeps `0.0` / `1.50` as written, Prisma writes `0` / `1.5`
        b, a = _number(before.sql), _number(after.sql)
        if b is not None and a is not None:
            return b == a
    if before.sql != after.sql and family == "DateTime":
        same = _same_now(before.sql, after.sql)
        if same is not None:
            return same
        if _now_or_timestamp(before.sql) and _now_or_timestamp(after.sql):
            # Prisma 7.10.1 does not compare a date/time literal default with another one or
            # with now() (no SET DEFAULT, no redefined SQLite table), nor do we.
            return True
        # The database writes `'2020-01-01 00:00:00'`, Prisma `'2020-01-01 00:00:00 +00:00'`.
        b, a = _timestamp(before.sql), _timestamp(after.sql)
        return b is not None and b == a
    return before.sql == after.sql


def column_changes(before: Column, after: Column) -> ColumnChange:
    changes = ColumnChange.NONE
    if before.type != after.type:
        changes |= ColumnChange.TYPE
    if before.arity is not after.arity:
        changes |= ColumnChange.ARITY
    if before.autoincrement != after.autoincrement:
        changes |= ColumnChange.AUTOINCREMENT
    elif not before.autoincrement:
        b, a = before.default, after.default
        # Equal defaults always match (the common case, without the rules below).
        if not (b is a or (b is not None and a is not None and b.kind is a.kind and b.sql == a.sql)) \
                and not defaults_match(b, a, after.family or before.family):
            changes |= ColumnChange.DEFAULT
    return changes
