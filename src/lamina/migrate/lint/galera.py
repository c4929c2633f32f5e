"""L5xx, MySQL/MariaDB on a Galera cluster: where a multi-primary cluster differs from one server.

They apply only when the target is known to be Galera: `migrate lint` connected to a cluster
node (`wsrep_on`), or was told so (`--galera`, LAMINA_GALERA=1); `migrate deploy` and `dev` on
a cluster node print the same findings before they apply anything (`deploy_warnings`).

L501 a table without a primary key: Galera replicates row changes by key, so the rows of a
     table without one are not replicated safely (duplicated or diverging nodes);
L502 `LOCK TABLES` / `GET_LOCK` in a migration: both lock only the node that runs them;
L503 DDL on an existing table (ALTER TABLE, CREATE/DROP INDEX, OPTIMIZE TABLE): it runs as
     total-order isolation (TOI), so every node holds back writes until it has finished. A
     warning when the table is large (LARGE_TABLE_ROWS, the server's estimate), info when
     lint does not know the size (no database). What to do: a rolling schema upgrade
     (`wsrep_OSU_method=RSU`, node by node) for changes old and new code both tolerate;
     docs/guides/more-than-one-server.md describes its risks.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lamina.db.connection import Connection
    from lamina.migrate.lint import Script, Statement

LARGE_TABLE_ROWS = 100_000  # InnoDB's estimate (information_schema.TABLES.TABLE_ROWS)
GUIDE = '"Running on more than one server" (docs/guides/more-than-one-server.md)'


@dataclass(frozen=True)
class GaleraTarget:
    """The migrations go to a Galera cluster. `rows`: estimated rows of each existing table,
    None when lint has no database to ask."""

    rows: dict[str, int] | None = None


def target_of(conn: Connection, told: bool = False) -> GaleraTarget | None:
    """A target for a cluster node (or for any MySQL database when `told`, e.g. `--galera`),
    with the row estimates of its tables; None otherwise."""
    from lamina.migrate.lease import cluster_of

    if conn.provider != "mysql" or not (told or configured() or cluster_of(conn) is not None):
        return None
    try:
        rows = conn.query("SELECT TABLE_NAME, TABLE_ROWS FROM information_schema.TABLES "
                          "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE'")
    except Exception:  # noqa: BLE001 - sizes are a refinement: without them L503 is info
        return GaleraTarget()
    return GaleraTarget({str(name): int(count or 0) for name, count in rows})


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

    target = getattr(script, "galera", None)
    if script.provider != "mysql" or target is None:
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
    verb = " ".join(((m.group(1) or m.group(3)) + (" TABLE" if m.group(1) else " INDEX")).upper().split())
    rows = None if target.rows is None else target.rows.get(table)
    if target.rows is not None and (rows is None or rows < LARGE_TABLE_ROWS):
        return out
    size = f" (~{rows:,} rows)" if rows is not None else ""
    toi = (f"{verb} on `{table}`{size} runs as total-order isolation: writes wait on every node of the cluster until "
           "it has finished.")
    if rows is None:
        out.append(("L503", "info", toi + " Long on a large table: lint the pending migrations against the cluster to know its size."))
    else:
        out.append(("L503", "warning", toi + " For a change that old and new code both tolerate, apply it node by node "
                    "as a rolling schema upgrade (SET SESSION wsrep_OSU_method='RSU'; each node leaves the cluster's "
                    f"flow while it runs, and a change the replication of rows cannot cross breaks the cluster): see {GUIDE}."))
    return out


def _no_key(table: str) -> str:
    return (f"table `{table}` has no primary key: Galera replicates row changes by key and does not replicate the rows "
            "of such a table safely (duplicates, nodes that diverge). Give it one (@id or @@id).")


def deploy_warnings(conn: Connection, migrations) -> list[str]:
    """`migrate deploy`/`dev` on a cluster node: the L5xx findings of the migrations about to be
    applied (LocalMigration), one line each; none off a cluster."""
    from lamina.migrate.lint import lint_script

    target = target_of(conn)
    if target is None:
        return []
    return [f"`{m.name}` line {f.line}, {f.code}: {f.message}" for m in migrations
            for f in lint_script(m.script, conn.provider, m.name, galera=target) if f.code.startswith("L5")]
