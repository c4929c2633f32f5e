"""SQLite column defaults as Prisma 7.10.1's `db pull` reads them (observed with its CLI on the
same databases, ../shared/anchors). SQLite keeps a default as the text it was written in, and
Prisma reads that text by the column's scalar type, more literally than for PostgreSQL:

- DateTime: `CURRENT_TIMESTAMP` is `now()`; any other text, even an ISO timestamp in quotes,
  is `dbgenerated("'2024-01-02 03:04:05'")`;
- String: a quoted text is the string, a number is its text (`DEFAULT 12` -> `"12"`);
- Int/BigInt/Float/Decimal: a number, quoted or not (Float as Prisma prints an f64: -1500);
- Boolean: unquoted `1`/`0`/`true`/`false` only;
- Bytes, and whatever is not read above: `dbgenerated(...)` with the text as written.

Three deliberate differences, where Prisma's reading would change the database or the schema
would not validate (tests/introspect/test_pull.py): `datetime('now')` stays `dbgenerated` (as
`now()` the next migration rewrites the table), a String default that is an expression stays
`dbgenerated` (Prisma writes `@default("lower(hex(randomblob(16)))")`, a constant), and a Json
default is its JSON text (Prisma writes `@default("'{}'")`, which is not JSON: P1012).
"""

from __future__ import annotations

import re
from decimal import Decimal

from lamina.introspect.psl_values import default_attribute, psl_string
from lamina.sql.schema import Column

_NOW = re.compile(r"^CURRENT_TIMESTAMP$", re.IGNORECASE)
_INTEGER = re.compile(r"^[-+]?\d+$")
_NUMBER = re.compile(r"^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$")


def _unquoted(sql: str) -> str | None:
    """The text inside '...' or "..." (doubled quotes undone), None when not one quoted text."""
    if len(sql) >= 2 and sql[0] == sql[-1] and sql[0] in "'\"":
        quote = sql[0]
        inner = sql[1:-1]
        if quote not in inner.replace(quote * 2, ""):
            return inner.replace(quote * 2, quote)
    return None


def _f64(text: str) -> str:
    """A float as Rust prints an f64: no exponent, no trailing `.0`."""
    value = float(text)
    if value == int(value):
        return str(int(value))
    shortest = repr(value)
    return format(Decimal(shortest), "f") if "e" in shortest else shortest


def sqlite_default_attribute(column: Column) -> str | None:
    """The `@default(...)` Prisma prints for a SQLite column, if any."""
    default = column.default
    family = column.family or ""
    if column.autoincrement or default is None or family.startswith("Enum:") or family in ("Unsupported", "Json"):
        return default_attribute(column)
    sql = default.sql.strip()
    if sql.upper() == "NULL":
        return None
    quoted = _unquoted(sql)
    value: str | None = None
    if family == "DateTime":
        value = "now()" if _NOW.match(sql) else None
    elif family == "String":
        if quoted is not None or _NUMBER.match(sql):
            value = psl_string(sql if quoted is None else quoted)
    elif family in ("Int", "BigInt"):
        number = sql if quoted is None else quoted
        value = str(int(number)) if _INTEGER.match(number) else None
    elif family in ("Float", "Decimal"):
        number = sql if quoted is None else quoted
        if _NUMBER.match(number):
            value = _f64(number) if family == "Float" else number
    elif family == "Boolean" and sql.lower() in ("1", "0", "true", "false"):
        value = "true" if sql.lower() in ("1", "true") else "false"
    return f"@default({value})" if value is not None else f"@default(dbgenerated({psl_string(sql)}))"
