"""L3xx, warning: changes that break the code still deployed while the migration runs (the
previous release reads the old names until the new one is out).

L301 a table or column renamed; L302 a table or column dropped. Expand and contract instead:
add the new name, deploy code that uses it, and drop the old one in a later migration."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lamina.migrate.lint import Script, Statement

import re

_RENAME_COLUMN = re.compile(r"^ALTER\s+TABLE\s+(\S+)\s+RENAME\s+COLUMN\s+(\S+)\s+TO\s+(\S+)", re.I)
_RENAME_TABLE = re.compile(r"^(?:ALTER\s+TABLE\s+(\S+)\s+RENAME\s+TO\s+(\S+)|RENAME\s+TABLE\s+(\S+)\s+TO\s+(\S+))", re.I)
_DROP_TABLE = re.compile(r"^DROP\s+TABLE\s+(?:IF\s+EXISTS\s+)?(\S+)", re.I)
_DROP_COLUMN = re.compile(r"^ALTER\s+TABLE\s+(\S+).*?\bDROP\s+COLUMN\s+(\S+?)(?=\s*(?:,|$))", re.I | re.S)


def check(st: Statement, script: Script) -> list[tuple[str, str, str]]:
    from lamina.migrate.lint import ident

    sql = st.sql
    if m := _RENAME_COLUMN.match(sql):
        return [("L301", "warning", f"{ident(m.group(1))}.{ident(m.group(2))} is renamed to {ident(m.group(3))}: "
                 "code still deployed reads the old name and fails until it is replaced.")]
    if m := _RENAME_TABLE.match(sql):
        old, new = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        if ident(old).startswith("new_"):  # SQLite's table redefinition renames its copy: no old name is lost
            return []
        return [("L301", "warning", f"the table {ident(old)} is renamed to {ident(new)}: code still deployed "
                 "reads the old name and fails until it is replaced.")]
    if m := _DROP_TABLE.match(sql):
        table = ident(m.group(1))
        if table in script.created_tables:  # SQLite's redefinition drops the table it re-creates
            return []
        return [("L302", "warning", f"the table {table} is dropped while code still deployed may use it.")]
    out = []
    if m := _DROP_COLUMN.match(sql):
        for col in re.findall(r"\bDROP\s+COLUMN\s+([\"`]?\w+[\"`]?)", sql, re.I):
            out.append(("L302", "warning", f"the column {ident(m.group(1))}.{ident(col)} is dropped while code "
                        "still deployed may use it."))
    return out
