"""L2xx, warning, PostgreSQL: statements that lock an existing table for as long as they run.

A table created earlier in the same migration is empty: nothing is reported for it.

L201 CREATE INDEX without CONCURRENTLY (blocks writes while the index builds);
L202 ADD FOREIGN KEY without NOT VALID (scans the table under a lock on both tables);
L203 ADD COLUMN ... NOT NULL without DEFAULT (fails on a non-empty table);
L204 SET NOT NULL without a validated CHECK (scans the table under an ACCESS EXCLUSIVE lock);
L205 a type change that rewrites the table (ACCESS EXCLUSIVE for the whole rewrite);
L206 ADD COLUMN with a volatile default (rewrites the table).

With a database to read (`sizes`), each finding names the table's size and is info on a small table."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lamina.migrate.lint import Script, Statement

import re

_CREATE_INDEX = re.compile(r"^CREATE\s+(?:UNIQUE\s+)?INDEX\s+(CONCURRENTLY\s+)?(?:IF\s+NOT\s+EXISTS\s+)?\S+\s+ON\s+"
                           r"(?:ONLY\s+)?(\S+?)\s*(?:USING\s+\w+\s*)?\(", re.I)
_ALTER_TABLE = re.compile(r"^ALTER\s+TABLE\s+(?:ONLY\s+)?(\S+)", re.I)
_ADD_COLUMN = re.compile(r"\bADD\s+COLUMN\s+(?:IF\s+NOT\s+EXISTS\s+)?([\"`]?\w+[\"`]?)\s+([^,]*)", re.I)
_VOLATILE = re.compile(r"\b(random|gen_random_uuid|uuid_generate_v[14]|clock_timestamp|timeofday|nextval)\s*\(", re.I)
_SET_NOT_NULL = re.compile(r"\bALTER\s+COLUMN\s+([\"`]?\w+[\"`]?)\s+SET\s+NOT\s+NULL", re.I)
_TYPE = re.compile(r"\bALTER\s+COLUMN\s+([\"`]?\w+[\"`]?)\s+(?:SET\s+DATA\s+)?TYPE\b", re.I)


def check(st: Statement, script: Script) -> list[tuple[str, str, str]]:
    from lamina.migrate.lint.sizes import weigh

    if script.provider != "postgresql":
        return []
    table, found = _findings(st, script)
    return weigh(found, table, script.sizes, script.small_table_rows)


def _findings(st: Statement, script: Script) -> tuple[str, list[tuple[str, str, str]]]:
    """(the table the statement locks, the findings)."""
    from lamina.migrate.lint import ident

    out: list[tuple[str, str, str]] = []
    sql = st.sql
    if m := _CREATE_INDEX.match(sql):
        table = ident(m.group(2))
        if not m.group(1) and table not in script.created_tables:
            out.append(("L201", "warning", f"CREATE INDEX on the existing table {table} blocks its writes while the "
                        "index builds: use CREATE INDEX CONCURRENTLY (in a migration of its own)."))
        return table, out
    m = _ALTER_TABLE.match(sql)
    if m is None:
        return "", out
    table = ident(m.group(1))
    if table in script.created_tables:
        return table, out
    if re.search(r"\bFOREIGN\s+KEY\b", sql, re.I) and re.search(r"\bADD\s+CONSTRAINT\b", sql, re.I) \
            and not re.search(r"\bNOT\s+VALID\b", sql, re.I):
        out.append(("L202", "warning", f"ADD FOREIGN KEY on the existing table {table} checks every row while it "
                    "holds a lock on both tables: add it NOT VALID, then VALIDATE CONSTRAINT in another statement."))
    for col, rest in _ADD_COLUMN.findall(sql):
        if re.search(r"\bNOT\s+NULL\b", rest, re.I) and not re.search(r"\bDEFAULT\b", rest, re.I) \
                and not re.search(r"\b(SERIAL|BIGSERIAL|SMALLSERIAL)\b", rest, re.I):
            out.append(("L203", "warning", f"ADD COLUMN {table}.{ident(col)} NOT NULL without a DEFAULT fails on a "
                        "table that has rows: add it nullable (or with a default), fill it, then SET NOT NULL."))
        if _VOLATILE.search(rest):
            out.append(("L206", "warning", f"ADD COLUMN {table}.{ident(col)} with a volatile default rewrites the "
                        "whole table under an ACCESS EXCLUSIVE lock: add it without the default, then backfill."))
    for col in _SET_NOT_NULL.findall(sql):
        name = ident(col)
        checked = any(re.search(rf"CHECK\s*\(\s*[\"`]?{re.escape(name)}[\"`]?\s+IS\s+NOT\s+NULL", s.sql, re.I)
                      for s in script.statements) and any(re.search(r"\bVALIDATE\s+CONSTRAINT\b", s.sql, re.I)
                                                          for s in script.statements)
        if not checked:
            out.append(("L204", "warning", f"SET NOT NULL on {table}.{name} scans the table under an ACCESS "
                        "EXCLUSIVE lock: first ADD CONSTRAINT ... CHECK (col IS NOT NULL) NOT VALID and VALIDATE it."))
    for col in _TYPE.findall(sql):
        out.append(("L205", "warning", f"the type change of {table}.{ident(col)} rewrites the table (and its "
                    "indexes) under an ACCESS EXCLUSIVE lock."))
    return table, out
