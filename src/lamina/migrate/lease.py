"""A migration lock that holds across a MySQL-protocol cluster (MariaDB Galera): a lease row.

Prisma's `GET_LOCK('prisma_migrate')` is local to one server. Under Galera every node is a
primary, so deploys started at once on three nodes each get "the" lock and race: the others
read a migration in progress as a failed one (P3009), or apply it a second time. So, when the
server says it is a cluster node (`wsrep_on`), Lamina also takes a lease in a small table of
the migrated database, `_lamina_migrate_lock` (one row per database):

- taken in a transaction: on one node the row's primary key serialises the takers, across
  nodes Galera's certification lets only one of two conflicting commits win (the other gets a
  deadlock error and tries again, then sees the winner's row);
- with an owner (host, pid, since), shown to everyone who waits and by `migrate status`;
- with a lease (LAMINA_LEASE_SECONDS, default 30 s) that a thread of the holder renews every
  third of it on its own connection; a holder that is killed stops renewing, and its row
  expires: another deployer takes over after at most the lease, never waits forever.
Times are the database's (UTC_TIMESTAMP), so that the hosts' clocks do not matter.

On a single server the table is not created (Prisma's lock suffices there, and a table
Prisma does not know would show as drift to Prisma). Lamina's schema readers ignore it.
The migrating session also reads causally (`wsrep_sync_wait`), so that what another node
committed is seen before the history is read.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from lamina.db.connection import Connection, DatabaseError, connect
from lamina.errors import LaminaError

TABLE = "_lamina_migrate_lock"
_RETRY_CODES = {"1213", "1205", "1062", "1180", "1047"}  # certification conflict, lock wait, duplicate key...


def lease_seconds() -> int:
    try:
        return max(3, int(os.environ.get("LAMINA_LEASE_SECONDS", "30")))
    except ValueError:
        return 30


@dataclass(frozen=True)
class Cluster:
    size: int  # nodes in the cluster (wsrep_cluster_size)
    name: str
    node: str

    def describe(self) -> str:
        return f"Galera cluster \"{self.name}\" of {self.size} {'node' if self.size == 1 else 'nodes'} (this node: {self.node})"


def cluster_of(conn: Connection) -> Cluster | None:
    """The Galera cluster this MySQL/MariaDB server belongs to, or None (one server)."""
    if conn.provider != "mysql":
        return None
    if hasattr(conn, "_lamina_cluster"):  # asked once per connection
        return conn._lamina_cluster  # type: ignore[attr-defined, no-any-return]
    found = None
    try:
        rows = conn.query("SELECT @@wsrep_on")
        if rows and str(rows[0][0]) in ("1", "ON"):
            status = dict(conn.query("SHOW STATUS WHERE Variable_name IN ('wsrep_cluster_size')"))
            names = conn.query("SELECT @@wsrep_cluster_name, @@wsrep_node_name")
            found = Cluster(int(status.get("wsrep_cluster_size") or 0), str(names[0][0]), str(names[0][1]))
    except DatabaseError:  # MySQL without Galera has no @@wsrep_on
        found = None
    conn._lamina_cluster = found  # type: ignore[attr-defined]
    return found


def read_causally(conn: Connection) -> None:
    """On a cluster node, reads wait until this node has applied what the cluster committed
    before them (otherwise node 3 may not yet show a migration node 1 just recorded)."""
    if cluster_of(conn) is not None:
        conn.execute("SET SESSION wsrep_sync_wait = 1")


@dataclass(frozen=True)
class Owner:
    host: str
    pid: int
    since: _dt.datetime
    expires: _dt.datetime | None = None

    def describe(self) -> str:
        return f"{self.host} pid {self.pid} since {self.since.strftime('%Y-%m-%d %H:%M:%S')} UTC"


def _me() -> tuple[str, int]:
    return socket.gethostname(), os.getpid()


def _create_table(conn: Connection) -> None:
    conn.execute(
        f"CREATE TABLE IF NOT EXISTS `{TABLE}` (`name` VARCHAR(191) NOT NULL PRIMARY KEY, `token` CHAR(36) NOT NULL, "
        "`owner_host` VARCHAR(255) NOT NULL, `owner_pid` INT NOT NULL, `since` DATETIME(6) NOT NULL, "
        "`expires_at` DATETIME(6) NOT NULL) ENGINE=InnoDB")


def holder(conn: Connection) -> Owner | None:
    """The live holder of this database's lease, if any (None without the table)."""
    try:
        rows = conn.query(f"SELECT owner_host, owner_pid, since, expires_at FROM `{TABLE}` "
                          "WHERE name = ? AND expires_at > UTC_TIMESTAMP(6)", (conn.url.database or "",))
    except DatabaseError:
        return None
    return Owner(rows[0][0], int(rows[0][1]), rows[0][2], rows[0][3]) if rows else None


def _try_take(conn: Connection, token: str) -> Owner | None:
    """One attempt in one transaction: None when taken, else the live holder."""
    host, pid = _me()
    name = conn.url.database or ""
    with conn.transaction():
        rows = conn.query(f"SELECT token, owner_host, owner_pid, since, expires_at > UTC_TIMESTAMP(6) FROM `{TABLE}` "
                          "WHERE name = ? FOR UPDATE", (name,))
        if rows and rows[0][4]:
            return Owner(rows[0][1], int(rows[0][2]), rows[0][3])
        values = (token, host, pid, lease_seconds())
        if rows:  # expired: its holder died (or stopped renewing); take it over
            conn.execute(f"UPDATE `{TABLE}` SET token = ?, owner_host = ?, owner_pid = ?, since = UTC_TIMESTAMP(6), "
                         "expires_at = UTC_TIMESTAMP(6) + INTERVAL ? SECOND WHERE name = ? AND token = ?",
                         (*values, name, rows[0][0]))
        else:
            conn.execute(f"INSERT INTO `{TABLE}` (name, token, owner_host, owner_pid, since, expires_at) VALUES "
                         "(?, ?, ?, ?, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6) + INTERVAL ? SECOND)", (name, *values))
    return None


class _Renewer:
    """Renews the lease every third of it, on its own connection (the holder's may be busy
    with a long ALTER TABLE)."""

    def __init__(self, conn: Connection, token: str) -> None:
        self.url = conn.url
        self.name = conn.url.database or ""
        self.token = token
        self.lost = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="lamina-lease", daemon=True)

    def start(self) -> "_Renewer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        period = lease_seconds() / 3
        conn = None
        while not self._stop.wait(period):
            try:
                if conn is None:
                    conn = connect(self.url)
                conn.execute(f"UPDATE `{TABLE}` SET expires_at = UTC_TIMESTAMP(6) + INTERVAL ? SECOND "
                             "WHERE name = ? AND token = ?", (lease_seconds(), self.name, self.token))
            except Exception:  # noqa: BLE001 - try again next period, on a new connection
                with contextlib.suppress(Exception):
                    conn.close() if conn is not None else None
                conn = None
        if conn is not None:
            with contextlib.suppress(Exception):
                conn.close()


@contextlib.contextmanager
def lease_lock(conn: Connection, wait_ms: int, say: Callable[[str], None]) -> Iterator[None]:
    """Hold this database's lease while the block runs; wait for a live holder up to `wait_ms`
    (0 = forever), saying who it is; P1002 naming the holder when the wait is over."""
    _create_table(conn)
    token = str(uuid.uuid4())
    started = time.monotonic()
    announced: Owner | None = None
    while True:
        try:
            owner = _try_take(conn, token)
        except DatabaseError as exc:
            if exc.db_code not in _RETRY_CODES:
                raise
            owner = holder(conn)  # lost a certification race: whoever won is the holder now
            if owner is None:
                time.sleep(0.05)
                continue
        if owner is None:
            break
        if owner != announced:
            say(f"The migrations of this database are being applied by {owner.describe()} (on another node of the "
                "cluster or this one); waiting for it to finish.")
            announced = owner
        if wait_ms and (time.monotonic() - started) * 1000 >= wait_ms:
            raise LaminaError(
                f"Timed out after {wait_ms // 1000}s waiting for the cluster-wide migration lock: the migrations are "
                f"being applied by {owner.describe()}.\nIf that process is gone, its lease expires within "
                f"{lease_seconds()}s of its last renewal; then run the command again (or wait longer with --wait-timeout).",
                code="P1002")
        time.sleep(0.5)
    renewer = _Renewer(conn, token).start()
    try:
        yield
    finally:
        renewer.stop()
        with contextlib.suppress(Exception):
            conn.execute(f"DELETE FROM `{TABLE}` WHERE name = ? AND token = ?", (conn.url.database or "", token))
