"""L4xx, warning, MySQL/MariaDB: ALTER TABLE forms that copy the whole table (ALGORITHM=COPY):
writes wait (or the copy needs twice the space) for as long as the table is large.

L401 a column's type changed with MODIFY/CHANGE; L402 the primary key dropped or added;
L403 the table's character set converted; L404 an explicit ALGORITHM=COPY.

With a database to read (`sizes`), each finding names the table's size and is info on a small table."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lamina.migrate.lint import Script, Statement

import re

_ALTER_TABLE = re.compile(r"^ALTER\s+TABLE\s+(\S+)", re.I)


def check(st: Statement, script: Script) -> list[tuple[str, str, str]]:
    from lamina.migrate.lint import ident
    from lamina.migrate.lint.sizes import weigh

    if script.provider != "mysql":
        return []
    m = _ALTER_TABLE.match(st.sql)
    if m is None:
        return []
    table = ident(m.group(1))
    if table in script.created_tables:
        return []
    sql = st.sql
    why = "copies the table (ALGORITHM=COPY): on a large table writes wait for the whole copy."
    out = []
    for col in re.findall(r"\b(?:MODIFY|CHANGE)\s+(?:COLUMN\s+)?([`\"]?\w+[`\"]?)", sql, re.I):
        out.append(("L401", "warning", f"changing {table}.{ident(col)} with MODIFY {why}"))
    if re.search(r"\b(?:DROP|ADD)\s+PRIMARY\s+KEY\b", sql, re.I):
        out.append(("L402", "warning", f"changing the primary key of {table} {why}"))
    if re.search(r"\bCONVERT\s+TO\s+CHARACTER\s+SET\b", sql, re.I):
        out.append(("L403", "warning", f"converting the character set of {table} {why}"))
    if re.search(r"\bALGORITHM\s*=\s*COPY\b", sql, re.I):
        out.append(("L404", "warning", f"ALGORITHM=COPY on {table} {why}"))
    return weigh(out, table, script.sizes, script.small_table_rows)
