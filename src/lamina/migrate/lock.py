"""The migration lock, and the limits that keep a migrating session from waiting forever.

The migration lock (so that concurrent deploys apply each migration once):
- PostgreSQL: `pg_advisory_lock(72707369)` (Prisma's key) under `lock_timeout` -> P1002;
- MySQL: a per-database lock `lamina_migrate:<database>`, then Prisma's server-wide
  `GET_LOCK('prisma_migrate')` (so that Prisma and Lamina exclude each other). While a deploy
  on ANOTHER database of the server holds Prisma's lock, Lamina waits with a message (up to
  the lock timeout) instead of failing; a holder on the same database -> P1002 as Prisma.
  `LAMINA_MYSQL_LOCK=database` takes only the per-database lock, so that a fleet of databases
  on one server deploys in parallel (then never run Prisma's migrate against that server).
- SQLite: no server lock; each migration runs in `BEGIN EXCLUSIVE` and re-reads the
  history inside it (see apply.py).
- MySQL-protocol clusters (Galera, `wsrep_on`): first a lease row that holds across the nodes
  (lease.py), waited for up to the deploy wait (`--wait-timeout`, LAMINA_DEPLOY_WAIT, default
  10 min) while its holder applies migrations, then the locks above.
The migration lock is waited for 10 s, or PRISMA_SCHEMA_ENGINE_ADVISORY_LOCK_TIMEOUT (ms), as in
Prisma (with Prisma's P1002 message); `--wait-timeout` / LAMINA_DEPLOY_WAIT, when given, replace
that wait on every database. Either way, a waiter says who applies the migrations right now
("being applied by HOST pid N since ..." when that is Lamina on PostgreSQL or a cluster).
With PRISMA_SCHEMA_DISABLE_ADVISORY_LOCK set (Prisma's switch) no migration lock is taken: the caller holds it.

The lock timeout (`--lock-timeout`, LAMINA_LOCK_TIMEOUT, default 60s) bounds how long one
migration statement waits for a table another session holds (PostgreSQL `lock_timeout`,
MySQL `lock_wait_timeout` + `innodb_lock_wait_timeout`, SQLite's busy timeout). While a
statement waits, `watch()` prints who blocks it. No statement timeout is set: migrations
can be long. On PostgreSQL the session also ends when the client is gone
(`client_connection_check_interval`) or idles inside a transaction, so that a killed
deploy never applies anything later.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import hashlib
import os
import re
import sys
import threading
from collections.abc import Iterator

from lamina.db.connection import Connection, DatabaseError, connect
from lamina.errors import LaminaError

ADVISORY_KEY = 72707369
DEFAULT_LOCK_TIMEOUT = "60s"
REPORT_AFTER_S = 1.0  # say who blocks once a wait lasts this long
_override: int | None = None  # set by --lock-timeout
_wait_override: int | None = None  # set by --wait-timeout
DEFAULT_DEPLOY_WAIT = "10m"


def timeout_ms() -> int:
    """The migration lock's timeout (Prisma's variable)."""
    try:
        return int(os.environ.get("PRISMA_SCHEMA_ENGINE_ADVISORY_LOCK_TIMEOUT", "10000"))
    except ValueError:
        return 10000


_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|min)?\s*$", re.I)


def parse_duration(text: str) -> int:
    """'60s', '500ms', '2m', '0' (no limit); a bare number is seconds. -> milliseconds."""
    m = _DURATION.match(str(text))
    if not m:
        raise LaminaError(f"Invalid lock timeout `{text}`: use a duration such as 30s, 500ms or 2m (0 = wait forever).")
    scale = {"ms": 1, "s": 1000, "m": 60000, "min": 60000, None: 1000}[(m.group(2) or "").lower() or None]
    return int(float(m.group(1)) * scale)


def set_lock_timeout(text: str | None) -> None:
    """`--lock-timeout`: overrides LAMINA_LOCK_TIMEOUT for this process."""
    global _override
    _override = None if text is None else parse_duration(text)


def set_wait_timeout(text: str | None) -> None:
    """`--wait-timeout`: how long to wait for another deployer that holds a cluster's lease."""
    global _wait_override
    _wait_override = None if text is None else parse_duration(text)


@contextlib.contextmanager
def lock_wait(ms: int | None) -> Iterator[None]:
    """`--wait-timeout` for the code in the block (the Python API's `wait_timeout_ms`); None
    leaves the wait as it is."""
    global _wait_override
    before = _wait_override
    if ms is not None:
        _wait_override = ms
    try:
        yield
    finally:
        _wait_override = before


def _wait_given() -> int | None:
    """--wait-timeout, else LAMINA_DEPLOY_WAIT, else None (ms)."""
    if _wait_override is not None:
        return _wait_override
    text = os.environ.get("LAMINA_DEPLOY_WAIT")
    return parse_duration(text) if text else None


def deploy_wait_ms() -> int:
    """How long a cluster's lease is waited for (default 10 min: its holder applies migrations)."""
    given = _wait_given()
    return parse_duration(DEFAULT_DEPLOY_WAIT) if given is None else given


def lock_wait_ms() -> int:
    """How long the migration lock itself is waited for: the wait given, else Prisma's timeout."""
    given = _wait_given()
    return timeout_ms() if given is None else given


def lock_timeout_ms() -> int:
    if _override is not None:
        return _override
    return parse_duration(os.environ.get("LAMINA_LOCK_TIMEOUT") or DEFAULT_LOCK_TIMEOUT)


def describe_ms(ms: int) -> str:
    return f"{ms // 1000}s" if ms % 1000 == 0 else f"{ms}ms"


# -- the session's limits ---------------------------------------------------------------

def prepare_session(conn: Connection) -> None:
    """Limits for a session that migrates (idempotent)."""
    if getattr(conn, "_lamina_prepared", False):
        return
    ms = lock_timeout_ms()
    if conn.provider == "postgresql":
        conn.execute(f"SET lock_timeout = {int(ms)}")
        # a transaction left idle (client stopped or gone) ends instead of holding its locks
        conn.execute(f"SET idle_in_transaction_session_timeout = {max(int(ms), 600000)}")
        with contextlib.suppress(DatabaseError):  # PostgreSQL >= 14, Linux: end the work of a gone client
            conn.execute("SET client_connection_check_interval = 1000")
    elif conn.provider == "mysql":
        seconds = max(1, -(-ms // 1000)) if ms else 31536000  # 0 = the server's maximum (a year)
        conn.execute(f"SET SESSION lock_wait_timeout = {seconds}")
        conn.execute(f"SET SESSION innodb_lock_wait_timeout = {min(seconds, 1073741824)}")
    else:
        conn.execute(f"PRAGMA busy_timeout = {int(ms) if ms else 2147483647}")
    conn._lamina_prepared = True  # type: ignore[attr-defined]


def is_lock_timeout(conn: Connection, err: DatabaseError) -> bool:
    if conn.provider == "postgresql":
        return err.db_code == "55P03"
    if conn.provider == "mysql":
        return err.db_code == "1205"
    return err.db_code in ("5", "6") or "database is locked" in err.message


# -- who blocks ---------------------------------------------------------------------------

def _since(value) -> str:
    if isinstance(value, _dt.datetime):
        if value.tzinfo is None:
            return value.strftime("%Y-%m-%d %H:%M:%S")
        return value.astimezone(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
    return str(value) if value is not None else "?"


def _short(query: str | None) -> str:
    text = " ".join((query or "").split())
    return text if len(text) <= 120 else text[:117] + "..."


def session_id(conn: Connection) -> int | None:
    try:
        if conn.provider == "postgresql":
            return int(conn.raw.info.backend_pid)
        if conn.provider == "mysql":
            return int(conn.raw.thread_id())
    except Exception:  # noqa: BLE001 - not a driver connection
        return None
    return None


def blockers(probe: Connection, target: int) -> list[str]:
    """One line per session blocking `target` (PostgreSQL pid / MySQL connection id)."""
    if probe.provider == "postgresql":
        rows = probe.query(
            "SELECT a.pid, a.application_name, coalesce(host(a.client_addr), 'local socket'), a.state, "
            "coalesce(a.xact_start, a.backend_start), a.query FROM pg_stat_activity a "
            "WHERE a.pid = ANY(pg_blocking_pids(?)) ORDER BY a.pid", (target,))
        return [f"pid {pid} (application '{app or '?'}', client {addr}, {state or '?'}, "
                f"transaction since {_since(since)}), last query: {_short(q)}"
                for pid, app, addr, state, since, q in rows]
    if probe.provider == "mysql":
        state = probe.query("SELECT STATE FROM information_schema.PROCESSLIST WHERE ID = ?", (target,))
        if not state or "lock" not in str(state[0][0] or "").lower():
            return []
        rows = probe.query(
            "SELECT p.ID, p.USER, p.HOST, p.DB, t.trx_started, coalesce(p.INFO, '') FROM information_schema.INNODB_TRX t "
            "JOIN information_schema.PROCESSLIST p ON p.ID = t.trx_mysql_thread_id WHERE p.ID <> ? "
            # sessions on this database first: the likely holders (others can only hold it by a cross-database query)
            "ORDER BY p.DB <=> DATABASE() DESC, t.trx_started",
            (target,))
        lines = [f"connection {cid} ({user}@{host}, database {db or '-'}, transaction since {_since(since)}), "
                 f"query: {_short(info) or '(idle in transaction)'}" for cid, user, host, db, since, info in rows]
        if not lines:  # e.g. LOCK TABLES, which opens no InnoDB transaction: name the other sessions
            rows = probe.query(
                "SELECT ID, USER, HOST, DB, TIME, coalesce(INFO, '') FROM information_schema.PROCESSLIST "
                "WHERE ID <> ? AND ID <> CONNECTION_ID() AND DB = DATABASE() AND COMMAND <> 'Daemon'", (target,))
            lines = [f"connection {cid} ({user}@{host}, database {db}, in this state for {t}s), "
                     f"query: {_short(info) or '(idle)'}" for cid, user, host, db, t, info in rows]
        return [f"{state[0][0]} -- held by one of: " + lines[0]] + lines[1:] if lines else [str(state[0][0])]
    return []


class Watcher:
    """While the block runs, a thread with its own connection prints the sessions that block
    `conn` (once a wait lasts REPORT_AFTER_S, and again when they change). `last` keeps the
    last report for the error message."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.target = session_id(conn)
        self.last: list[str] = []
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> "Watcher":
        if self.target is not None:
            self._thread = threading.Thread(target=self._run, name="lamina-lock-watch", daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2)

    def _run(self) -> None:
        if self._stop.wait(REPORT_AFTER_S):
            return
        try:
            probe = connect(self.conn.url)
        except Exception:  # noqa: BLE001 - a report is best effort
            return
        shown: list[str] = []
        try:
            while not self._stop.is_set():
                try:
                    found = blockers(probe, self.target)  # type: ignore[arg-type]
                except Exception:  # noqa: BLE001
                    return
                if found:
                    self.last = found
                if found and found != shown:
                    _say("Waiting for a lock held by another session:\n" + "\n".join(f"  - {line}" for line in found))
                shown = found
                self._stop.wait(0.5)
        finally:
            probe.close()


def _say(text: str) -> None:
    with contextlib.suppress(Exception):
        sys.stderr.write(text + "\n")
        sys.stderr.flush()


@contextlib.contextmanager
def guarded(conn: Connection) -> Iterator[Watcher | None]:
    """The session's limits, and a report of who blocks it while the block runs (re-entrant)."""
    prepare_session(conn)
    current = getattr(conn, "_lamina_watcher", None)
    if current is not None:
        yield current
        return
    with Watcher(conn) as watcher:
        conn._lamina_watcher = watcher  # type: ignore[attr-defined]
        try:
            yield watcher
        finally:
            conn._lamina_watcher = None  # type: ignore[attr-defined]


def lock_timeout_error(conn: Connection, what: str, err: DatabaseError, state: str = "") -> LaminaError:
    """A statement gave up waiting for a lock: who held it (as last seen) and what to do."""
    ms = lock_timeout_ms()
    watcher = getattr(conn, "_lamina_watcher", None)
    seen = watcher.last if watcher is not None else []
    held = ("\nBlocked by:\n" + "\n".join(f"  - {line}" for line in seen)) if seen else ""
    end = {"postgresql": " End that session with `SELECT pg_terminate_backend(<pid>)` if it must not wait.",
           "mysql": " End that session with `KILL <connection>` if it must not wait.",
           "sqlite": " (SQLite cannot say which process holds the database file's lock: look for another program "
                     "with the file open in a transaction.)"}.get(conn.provider, "")
    return LaminaError(
        f"{what} waited {describe_ms(ms)} for a lock held by another session and gave up "
        f"(lock timeout; change it with --lock-timeout or LAMINA_LOCK_TIMEOUT).{held}\n"
        f"Database error: {err.message}\n{state}"
        f"Run the command again once the other session has finished.{end}",
        code="P1002",
    )


# -- the migration lock ---------------------------------------------------------------------

def _timed_out(what: str, ms: int, holder: str = "") -> LaminaError:
    return LaminaError(
        f"Timed out trying to acquire a {what}. Timeout: {ms}ms. "
        "See https://pris.ly/d/migrate-advisory-locking for details." + holder,
        code="P1002",
    )


def _announce_holder(conn: Connection, ms: int) -> None:
    """The migration lock is taken: say by whom, and how long this process waits for it."""
    limit = f"up to {describe_ms(ms)}" if ms else "with no time limit"
    _say(f"The migrations of this database are being applied by {migration_lock_holder(conn) or 'another session'}; "
         f"waiting for it to finish ({limit}; change it with --wait-timeout).")


def _wait_over(conn: Connection, what: str, ms: int, detail: str = "") -> LaminaError:
    """P1002 once the wait for the migration lock is over: Prisma's message after Prisma's wait,
    else one that names the holder and the wait that was given."""
    if _wait_given() is None:
        return _timed_out(what, ms, detail)
    return LaminaError(
        f"Timed out after {describe_ms(ms)} (--wait-timeout) waiting for the migration lock, a {what}: the migrations "
        f"are being applied by {migration_lock_holder(conn) or 'another session'}.{detail}",
        code="P1002",
    )


def _pg_holder(conn: Connection) -> str:
    try:
        rows = conn.query(
            "SELECT a.pid, a.application_name, coalesce(host(a.client_addr), 'local socket'), a.backend_start, "
            "a.state, a.state_change, a.query FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
            "WHERE l.locktype = 'advisory' AND l.granted AND l.classid = 0 AND l.objid = ? AND l.objsubid = 1 "
            "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())",  # per database
            (ADVISORY_KEY,))
    except DatabaseError:
        return ""
    if not rows:
        return ""
    pid, app, addr, start, state, change, query = rows[0]
    return (f"\nThe lock is held by PostgreSQL session pid {pid} (application '{app or '?'}', client {addr}, "
            f"connected since {_since(start)}, {state or '?'} since {_since(change)}, last query: {_short(query)}).\n"
            f"If that process is gone or must be stopped, end its session: SELECT pg_terminate_backend({pid});")


_OWNER_TAG = re.compile(r"^lamina (\S+) pid (\d+) since (\S+)$")


def _owner_tag() -> str:
    """`lamina HOST pid N since TIME` (PostgreSQL's application_name: at most 63 bytes)."""
    import socket

    now = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"lamina {socket.gethostname()[:20]} pid {os.getpid()} since {now}"


def migration_lock_holder(conn: Connection) -> str | None:
    """Who holds the migration lock of this database now (another deploy applying migrations),
    or None: "HOST pid N since TIME" when Lamina holds it (a cluster's lease; PostgreSQL's
    application_name), else the session. Cheap: one or two catalog queries."""
    if conn.provider == "mysql":
        from lamina.migrate.lease import cluster_of, holder

        if cluster_of(conn) is not None and (owner := holder(conn)) is not None:
            return owner.describe()
    try:
        if conn.provider == "postgresql":
            rows = conn.query(
                "SELECT a.pid, a.application_name, coalesce(host(a.client_addr), 'local socket'), a.backend_start "
                "FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted "
                f"AND l.classid = 0 AND l.objid = {ADVISORY_KEY} AND l.objsubid = 1 AND l.database = "
                "(SELECT oid FROM pg_database WHERE datname = current_database())")
            if rows:
                pid, app, addr, start = rows[0]
                if tag := _OWNER_TAG.match(app or ""):
                    host, owner_pid, since = tag.groups()
                    return f"{host} pid {owner_pid} since {since.replace('T', ' ').replace('Z', ' UTC')}"
                return f"PostgreSQL session pid {pid} (application '{app or '?'}', client {addr}, since {_since(start)})"
        elif conn.provider == "mysql":
            own = mysql_database_lock_name(conn.url.database or "")
            rows = conn.query(
                "SELECT ID, USER, HOST FROM information_schema.PROCESSLIST WHERE ID = IS_USED_LOCK(?) "
                "OR (ID = IS_USED_LOCK('prisma_migrate') AND DB = DATABASE())", (own,))
            if rows:
                cid, user, host = rows[0]
                return f"MySQL connection {cid} ({user}@{host})"
    except Exception:  # noqa: BLE001 - a hint only
        return None
    return None


def _mysql_holder(conn: Connection, name: str) -> tuple[str, str | None]:
    """(a sentence naming the holder of GET_LOCK `name`, the holder's database)."""
    try:
        rows = conn.query(
            "SELECT p.ID, p.USER, p.HOST, p.DB, p.TIME FROM information_schema.PROCESSLIST p WHERE p.ID = IS_USED_LOCK(?)",
            (name,))
    except DatabaseError:
        return "", None
    if not rows:
        return "", None
    cid, user, host, db, seconds = rows[0]
    return (f"\nThe lock `{name}` is held by MySQL connection {cid} ({user}@{host}, database {db or '-'}, "
            f"in its current state for {seconds}s).\nIf that process is gone or must be stopped: KILL {cid};", db)


def mysql_database_lock_name(database: str) -> str:
    name = f"lamina_migrate:{database}"
    if len(name) > 64:  # GET_LOCK names are at most 64 characters
        name = "lamina_migrate:" + hashlib.sha1(database.encode()).hexdigest()
    return name


def _mysql_lock(conn: Connection, name: str, wait_s: int) -> bool:
    got = conn.query("SELECT GET_LOCK(?, ?)", (name, wait_s))
    return bool(got) and got[0][0] == 1


@contextlib.contextmanager
def migration_lock(conn: Connection) -> Iterator[None]:
    if "PRISMA_SCHEMA_DISABLE_ADVISORY_LOCK" in os.environ:
        # Prisma's switch: the caller holds the lock itself (LiteLLM takes Prisma's key, then deploys)
        yield
        return
    ms = lock_wait_ms()
    if conn.provider == "postgresql":
        if "application_name" not in conn.url.params:  # the URL's own name wins
            with contextlib.suppress(DatabaseError):  # who applies, for `status` and waiters (migration_lock_holder)
                conn.execute("SELECT set_config('application_name', ?, false)", (_owner_tag(),))
        if not conn.query(f"SELECT pg_try_advisory_lock({ADVISORY_KEY})")[0][0]:
            _announce_holder(conn, ms)
            conn.execute(f"SET lock_timeout = {int(ms)}")  # the advisory lock waits like any lock (0: forever)
            try:
                conn.execute(f"SELECT pg_advisory_lock({ADVISORY_KEY})")
            except DatabaseError as exc:
                if exc.db_code in ("55P03", "57014"):
                    raise _wait_over(conn, f"postgres advisory lock (SELECT pg_advisory_lock({ADVISORY_KEY}))", ms,
                                     _pg_holder(conn)) from None
                raise
            finally:
                with contextlib.suppress(DatabaseError):
                    conn.execute(f"SET lock_timeout = {int(lock_timeout_ms())}")
        try:
            yield
        finally:
            with contextlib.suppress(Exception):
                conn.execute(f"SELECT pg_advisory_unlock({ADVISORY_KEY})")
    elif conn.provider == "mysql":
        with contextlib.ExitStack() as held:
            from lamina.migrate.lease import cluster_of, lease_lock, read_causally

            if cluster_of(conn) is not None:  # GET_LOCK is node-local there: the lease first, cluster-wide
                read_causally(conn)
                held.enter_context(lease_lock(conn, deploy_wait_ms(), _say))
            database = conn.url.database or ""
            own = mysql_database_lock_name(database)
            if not _mysql_lock(conn, own, 0):
                _announce_holder(conn, ms)
                if not _mysql_lock(conn, own, max(1, ms // 1000) if ms else 31536000):  # 0: forever (a year)
                    raise _wait_over(conn, f"MySQL lock (SELECT GET_LOCK('{own}'))", ms, _mysql_holder(conn, own)[0])
            held.callback(lambda: conn.query("SELECT RELEASE_LOCK(?)", (own,)))
            if os.environ.get("LAMINA_MYSQL_LOCK", "").lower() != "database":
                _mysql_prisma_lock(conn, database, ms)
                held.callback(lambda: conn.query("SELECT RELEASE_LOCK('prisma_migrate')"))
            try:
                yield
            finally:
                with contextlib.suppress(Exception):
                    held.close()
    else:
        yield


def _mysql_prisma_lock(conn: Connection, database: str, ms: int) -> None:
    """Prisma's server-wide lock. Held by a deploy on another database: wait (with a message)
    up to the lock timeout, since nothing conflicts; on this database: P1002 after `ms` as Prisma."""
    if _mysql_lock(conn, "prisma_migrate", 0):
        return
    waited = 0
    announced = None
    limit_ms = max(ms, lock_timeout_ms()) if lock_timeout_ms() and ms else None
    while True:
        sentence, holder_db = _mysql_holder(conn, "prisma_migrate")
        other_database = holder_db is not None and holder_db != database
        budget = limit_ms if other_database else (ms or None)  # 0: forever
        if budget is not None and waited >= budget:
            raise _wait_over(conn, "MySQL lock (SELECT GET_LOCK('prisma_migrate'))", waited, sentence)
        if announced != (key := sentence.split(" in its current state")[0]):  # not again for each second
            if other_database:
                _say(f"Waiting for Prisma's server-wide migration lock `prisma_migrate`, held by a migration of "
                     f"another database on this server (database {holder_db}).{sentence}")
            else:
                _announce_holder(conn, ms)
            announced = key
        if _mysql_lock(conn, "prisma_migrate", 1):
            return
        waited += 1000
