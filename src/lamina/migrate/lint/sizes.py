"""How large the tables are, for the rules whose harm grows with the table (L2xx, L4xx).

A lock held while an index builds or a table is copied is felt on a table of millions of rows,
not on one of a few hundred. When lint reads a database (the pending migrations' database, or
`--url`), it reads the server's estimate of each table's rows and size, names it in the
finding (`table "Order" has about 2.3M rows (180 MB)`), and makes the finding info below a
threshold: `--small-table-rows`, else `[tool.lamina] lint_small_table_rows` in pyproject.toml,
else LAMINA_LINT_SMALL_TABLE_ROWS, else SMALL_TABLE_ROWS. Without a database nothing changes.

The estimates are the server's statistics, free to read and never a scan: PostgreSQL's
`pg_class.reltuples` / `relpages` (-1 rows before the first VACUUM or ANALYZE: unknown),
MySQL/MariaDB's `information_schema.TABLES.TABLE_ROWS` / `DATA_LENGTH`. SQLite has no locking
rule to refine.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lamina.errors import LaminaError

if TYPE_CHECKING:
    from lamina.db.connection import Connection

SMALL_TABLE_ROWS = 100_000
ENV = "LAMINA_LINT_SMALL_TABLE_ROWS"
SIZED_RULES = ("L2", "L4")  # the families whose findings depend on the table's size


@dataclass(frozen=True)
class TableSize:
    rows: int  # the server's estimate
    bytes: int | None = None


def read_sizes(conn: Connection) -> dict[str, TableSize]:
    """The estimated size of each table of the connection's schema (none on SQLite)."""
    if conn.provider == "postgresql":
        rows = conn.query(
            "SELECT c.relname, c.reltuples::bigint, c.relpages::bigint * current_setting('block_size')::bigint "
            "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind IN ('r', 'p') AND n.nspname = current_schema()")
        return {str(name): TableSize(int(count), int(size)) for name, count, size in rows if count is not None
                and int(count) >= 0}
    if conn.provider == "mysql":
        rows = conn.query("SELECT TABLE_NAME, TABLE_ROWS, DATA_LENGTH FROM information_schema.TABLES "
                          "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE'")
        return {str(name): TableSize(int(count or 0), int(size) if size is not None else None)
                for name, count, size in rows}
    return {}


def threshold(given: int | None, configured: object = None) -> int:
    """The small-table threshold: the option, else pyproject's setting, else the environment."""
    if given is not None:
        return given
    for value, where in ((configured, "[tool.lamina] lint_small_table_rows"), (os.environ.get(ENV), ENV)):
        if value is None or value == "":
            continue
        try:
            number = int(str(value).replace("_", ""))
        except ValueError:
            raise LaminaError(f"{where}: expected a number of rows, got `{value}`.") from None
        if number < 0:
            raise LaminaError(f"{where}: expected a number of rows, got `{value}`.")
        return number
    return SMALL_TABLE_ROWS


def about(n: int) -> str:
    """2300000 -> "2.3M", 41000 -> "41k", 840 -> "840"."""
    for unit, size in (("B", 1_000_000_000), ("M", 1_000_000), ("k", 1_000)):
        if n >= size:
            text = f"{n / size:.1f}".rstrip("0").rstrip(".")
            return text + unit
    return str(n)


def _bytes(n: int) -> str:
    for unit, size in (("GB", 1 << 30), ("MB", 1 << 20), ("kB", 1 << 10)):
        if n >= size:
            return f"{n / size:.0f} {unit}"
    return f"{n} bytes"


def describe(table: str, size: TableSize) -> str:
    text = f'table "{table}" has about {about(size.rows)} {"row" if size.rows == 1 else "rows"}'
    return text + (f" ({_bytes(size.bytes)})" if size.bytes else "")


def weigh(findings: list[tuple[str, str, str]], table: str, sizes: dict[str, TableSize] | None,
          small: int) -> list[tuple[str, str, str]]:
    """The findings of a sized rule on `table`, with the table's size in the message; info
    when the table has fewer rows than `small`. Unchanged when the size is unknown."""
    size = None if sizes is None else sizes.get(table)
    if size is None:
        return findings
    out = []
    for code, severity, message in findings:
        if not code.startswith(SIZED_RULES):
            out.append((code, severity, message))
        elif size.rows < small:
            out.append((code, "info", f"{message} The {describe(table, size)}, under the small-table threshold "
                        f"({about(small)} rows): the lock is brief."))
        else:
            out.append((code, severity, f"{message} The {describe(table, size)}."))
    return out
