"""Where a Galera cluster differs from one MariaDB server, said before a migration runs.

- A table without a primary key: Galera replicates row changes by key; rows of a table
  without one are not replicated safely (duplicates, or nodes that diverge).
- `LOCK TABLES` / `GET_LOCK` in a migration: both are local to the node that runs them and
  lock nothing on the others.
- DDL runs as total-order isolation (TOI): while an `ALTER TABLE` runs, every node of the
  cluster holds back writes behind it. On a large table that is an outage of the whole
  cluster; a rolling schema upgrade (`wsrep_OSU_method=RSU`, node by node) avoids it for
  changes that old and new code both tolerate, at the risk docs/guides/more-than-one-server.md
  describes.
"""

from __future__ import annotations

import re

from lamina.db.connection import Connection, DatabaseError

LARGE_TABLE_ROWS = 100_000  # an estimate from information_schema (TABLE_ROWS)

_CREATE = re.compile(r"^\s*CREATE\s+(?:TEMPORARY\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?[`\"]?(\w+)[`\"]?\s*\((.*)\)",
                     re.I | re.S)
_LOCKS = re.compile(r"\b(LOCK\s+TABLES?|GET_LOCK\s*\()", re.I)
_ALTER = re.compile(r"^\s*(?:ALTER|OPTIMIZE)\s+TABLE\s+[`\"]?(\w+)[`\"]?", re.I)
_COMMENT = re.compile(r"--[^\n]*|/\*.*?\*/", re.S)


def warnings_for(conn: Connection, migrations) -> list[str]:
    """One line per thing in `migrations` (LocalMigration) that behaves differently on Galera."""
    found: list[str] = []
    for m in migrations:
        for stmt in conn.statements(m.script):
            body = _COMMENT.sub("", stmt).strip()
            if (create := _CREATE.match(body)) and not re.search(r"\bPRIMARY\s+KEY\b", create.group(2), re.I):
                found.append(f"`{m.name}`: table `{create.group(1)}` has no primary key; Galera does not replicate "
                             "the rows of such a table safely. Give it one (@id or @@id).")
            if lock := _LOCKS.search(body):
                found.append(f"`{m.name}`: {' '.join(lock.group(1).upper().split()).rstrip('(').strip()} locks only "
                             "the node it runs on, not the cluster.")
            if (alter := _ALTER.match(body)) and (rows := _rows(conn, alter.group(1))) >= LARGE_TABLE_ROWS:
                found.append(f"`{m.name}`: ALTER TABLE `{alter.group(1)}` (~{rows:,} rows) runs as total-order "
                             "isolation: writes wait on every node of the cluster until it has finished. For a "
                             "backward-compatible change, consider a rolling upgrade with wsrep_OSU_method=RSU "
                             "(see \"Running on more than one server\" in the docs).")
    return found


def _rows(conn: Connection, table: str) -> int:
    try:
        rows = conn.query("SELECT TABLE_ROWS FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() "
                          "AND TABLE_NAME = ?", (table,))
    except DatabaseError:
        return 0
    return int(rows[0][0] or 0) if rows else 0
