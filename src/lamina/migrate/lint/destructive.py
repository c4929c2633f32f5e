"""L1xx, error: statements that destroy data (a rollback cannot bring it back).

L101 DROP TABLE; L102 DROP COLUMN (also a column dropped and re-created); L103 a type change
Prisma warns may lose data (the `/* Warnings: */` block names the column); L104 enum values
removed (PostgreSQL's CREATE TYPE "X_new" swap, or the warning block)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lamina.migrate.lint import Script, Statement

import re

_DROP_TABLE = re.compile(r"^DROP\s+TABLE\s+(?:IF\s+EXISTS\s+)?(\S+)", re.I)
_DROP_COLUMN = re.compile(r"\bDROP\s+(?:COLUMN\s+)?([\"`]?\w+[\"`]?)(?=\s*(?:,|$|;))", re.I | re.M)
_ALTER_TABLE = re.compile(r"^ALTER\s+TABLE\s+(?:ONLY\s+)?(\S+)", re.I)
_TYPE_CHANGE = re.compile(r"\bALTER\s+COLUMN\s+([\"`]?\w+[\"`]?)\s+(?:SET\s+DATA\s+)?TYPE\b|\bMODIFY\s+(?:COLUMN\s+)?([\"`]?\w+[\"`]?)",
                          re.I)
_ENUM_SWAP = re.compile(r"^CREATE\s+TYPE\s+(\S+?_new\"?)\s+AS\s+ENUM", re.I)


def check(st: Statement, script: Script) -> list[tuple[str, str, str]]:
    from lamina.migrate.lint import ident

    out = []
    sql = st.sql
    if m := _DROP_TABLE.match(sql):
        out.append(("L101", "error", f"DROP TABLE {ident(m.group(1))}: every row of the table is deleted."))
    elif m := _ALTER_TABLE.match(sql):
        table = ident(m.group(1))
        for col in _DROP_COLUMN.findall(sql):
            if col.upper() in ("DEFAULT", "CONSTRAINT", "NOT", "INDEX", "PRIMARY", "FOREIGN", "KEY"):
                continue
            out.append(("L102", "error", f"DROP COLUMN {table}.{ident(col)}: the column's values are deleted."))
        for a, b in _TYPE_CHANGE.findall(sql):
            col = ident(a or b)
            if re.search(rf"alter the column `{re.escape(col)}` on the `{re.escape(table)}` table\. The data in that "
                         r"column could be lost", script.warnings):
                out.append(("L103", "error", f"{table}.{col} changes type with a cast that may lose data."))
    elif m := _ENUM_SWAP.match(sql):
        enum = ident(m.group(1))[: -len("_new")]
        out.append(("L104", "error", f"enum {enum} loses values: rows that hold them make the migration fail, "
                    "or lose the value."))
    return out
