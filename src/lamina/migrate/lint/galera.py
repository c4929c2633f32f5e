"""L5xx, MySQL/MariaDB on a Galera cluster: where a multi-primary cluster differs from one server.

They apply only when the target is known to be Galera: `migrate lint` connected to a cluster
node (`wsrep_on`), or was told so (`--galera`, LAMINA_GALERA=1); `migrate deploy` and `dev` on
a cluster node print the same findings before they apply anything (`deploy_warnings`).

L501 a table without a primary key: Galera replicates row changes by key, so the rows of a
     table without one are not replicated safely (duplicated or diverging nodes);
L502 `LOCK TABLES` / `GET_LOCK` in a migration: both lock only the node that runs them;
L503 DDL on an existing table (ALTER TABLE, CREATE/DROP INDEX, OPTIMIZE TABLE): it runs as
     total-order isolation (TOI), so every node holds back writes until it has finished. Weighed
     by the table's size as the other sized rules (sizes.py): a warning from the small-table
     threshold up, info below it or when lint read no database. What to do: a rolling schema
     upgrade (`wsrep_OSU_method=RSU`, node by node) for changes old and new code both tolerate;
     docs/guides/more-than-one-server.md describes its risks.
"""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lamina.db.connection import Connection
    from lamina.migrate.lint import Script, Statement

GUIDE = '"Running on more than one server" (docs/guides/more-than-one-server.md)'


def is_galera(conn: Connection, told: bool = False) -> bool:
    """The L5xx rules apply to migrations for this database: a MySQL-protocol cluster node, or any
    MySQL database when told so (`--galera`, LAMINA_GALERA)."""
    from lamina.migrate.lease import cluster_of

    return conn.provider == "mysql" and (told or configured() or cluster_of(conn) is not None)


def configured() -> bool:
    """LAMINA_GALERA=1: the migrations go to a Galera cluster (for lint without a database)."""
    return os.environ.get("LAMINA_GALERA", "").strip().lower() in ("1", "true", "yes", "on")


_CREATE_TABLE = re.compile(r"^CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(\S+?)\s*\((.*)\)", re.I | re.S)
_DROP_PK = re.compile(r"\bDROP\s+PRIMARY\s+KEY\b", re.I)
_ADD_PK = re.compile(r"\bADD\s+(?:CONSTRAINT\s+\S+\s+)?PRIMARY\s+KEY\b", re.I)
_LOCKS = re.compile(r"\b(LOCK\s+TABLES?\b|GET_LOCK\s*\()", re.I)
_TOI = re.compile(r"^(?:(ALTER|OPTIMIZE)\s+TABLE\s+(\S+)|(CREATE|DROP)\s+(?:UNIQUE\s+|FULLTEXT\s+|SPATIAL\s+)?INDEX\s+"
                  r"\S+\s+ON\s+([^\s(]+))", re.I)


def check(st: Statement, script: Script) -> list[tuple[str, str, str]]:
    from lamina.migrate.lint import ident
    from lamina.migrate.lint.sizes import describe

    if script.provider != "mysql" or not script.galera:
        return []
    sql = st.sql
    out: list[tuple[str, str, str]] = []
    if (m := _CREATE_TABLE.match(sql)) and not re.search(r"\bPRIMARY\s+KEY\b", m.group(2), re.I):
        out.append(("L501", "warning", _no_key(ident(m.group(1)))))
    if (lock := _LOCKS.search(sql)) is not None:
        what = " ".join(lock.group(1).upper().replace("(", "").split())
        out.append(("L502", "warning", f"{what} locks only the node it runs on, not the cluster: sessions on the "
                    "other nodes are not held back. Leave the exclusion to `lamina migrate deploy` (its lease holds "
                    "across the cluster), or use a row updated in a transaction, which Galera certifies."))
    m = _TOI.match(sql)
    if m is None:
        return out
    table = ident(m.group(2) or m.group(4))
    if _DROP_PK.search(sql) and not _ADD_PK.search(sql):
        out.append(("L501", "warning", _no_key(table)))
    if table in script.created_tables:  # empty: nothing to hold back
        return out
    verb = f"{(m.group(1) or m.group(3)).upper()} {'TABLE' if m.group(1) else 'INDEX'}"
    size = None if script.sizes is None else script.sizes.get(table)
    toi = (f"{verb} on `{table}` runs as total-order isolation: writes wait on every node of the cluster until it "
           "has finished.")
    if size is None:
        out.append(("L503", "info", f"{toi} Long on a large table: lint the pending migrations against the cluster "
                    "(or give --url) to know its size."))
    elif size.rows < script.small_table_rows:
        out.append(("L503", "info", f"{toi} The {describe(table, size)}, under the small-table threshold: brief."))
    else:
        out.append(("L503", "warning", f"{toi} The {describe(table, size)}. For a change that old and new code both "
                    "tolerate, apply it node by node as a rolling schema upgrade (SET SESSION wsrep_OSU_method='RSU'; "
                    "each node leaves the cluster's flow while it runs, and a change the replication of rows cannot "
                    f"cross breaks the cluster): see {GUIDE}."))
    return out


def _no_key(table: str) -> str:
    return (f"table `{table}` has no primary key: Galera replicates row changes by key and does not replicate the "
            "rows of such a table safely (duplicates, nodes that diverge). Give it one (@id or @@id).")


def deploy_warnings(conn: Connection, migrations) -> list[str]:
    """`migrate deploy` on a cluster node: the L5xx warnings (not the infos) of the migrations
    about to be applied (LocalMigration), weighed by this database's table sizes, one line each;
    none off a cluster."""
    from lamina.migrate.lint import lint_script
    from lamina.migrate.lint.sizes import read_sizes, threshold
    from lamina.project import load_settings

    if not is_galera(conn):
        return []
    sizes, small = read_sizes(conn), threshold(None, load_settings().lint_small_table_rows)
    return [f"`{m.name}` line {f.line}, {f.code}: {f.message}" for m in migrations
            for f in lint_script(m.script, conn.provider, m.name, galera=True, sizes=sizes, small_table_rows=small)
            if f.code.startswith("L5") and f.severity == "warning"]
