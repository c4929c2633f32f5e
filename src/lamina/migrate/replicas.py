"""`migrate deploy --wait-replicas`: after the migrations are committed on the primary, wait
until every PostgreSQL streaming replica listed has replayed them, so that application servers
that read from replicas never meet the old schema.

The primary's WAL position is read once the deploy has committed (`pg_current_wal_lsn()`); a
replica has caught up when `pg_last_wal_replay_lsn()` has reached it. Each replica is polled on
its own connection until then or until the timeout; the result says, per replica, that it has
replayed, or how many bytes it is behind and why when that is known (replay paused, not a
replica at all, unreachable).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass

from lamina.db.connection import Connection, DatabaseError, connect
from lamina.db.url import DatabaseUrl, mask, parse_url
from lamina.errors import LaminaError

DEFAULT_TIMEOUT_MS = 60_000


@dataclass
class ReplicaState:
    url: str  # masked
    caught_up: bool
    detail: str  # "replayed up to 0/3000148" or why not

    def line(self) -> str:
        return f"Replica {self.url}: {self.detail}"


def replica_urls(values: tuple[str, ...] | list[str]) -> list[DatabaseUrl]:
    """`--wait-replicas` values: URLs, comma-separated lists, or `env:NAME` (a comma-separated list)."""
    urls: list[DatabaseUrl] = []
    for value in values:
        if value.startswith("env:"):
            name = value[4:]
            if name not in os.environ:
                raise LaminaError(f"--wait-replicas {value}: the environment variable `{name}` is not set.")
            value = os.environ[name]
        for part in (p.strip() for p in value.split(",")):
            if not part:
                continue
            url = parse_url(part)
            if url.provider != "postgresql":
                raise LaminaError(f"--wait-replicas `{mask(part)}`: read replicas are PostgreSQL streaming replicas "
                                  "(a postgresql:// URL).")
            urls.append(url)
    if not urls:
        raise LaminaError("--wait-replicas lists no replica.")
    return urls


def primary_lsn(conn: Connection) -> str:
    return str(conn.query("SELECT pg_current_wal_lsn()::text")[0][0])


def _state(replica: Connection, target: str) -> tuple[bool, str]:
    rows = replica.query("SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn()::text, "
                         "coalesce(pg_wal_lsn_diff(?::pg_lsn, pg_last_wal_replay_lsn()), 0)::bigint", (target,))
    in_recovery, replayed, behind = rows[0]
    if not in_recovery:
        return False, "is not a replica (pg_is_in_recovery() is false)"
    if replayed is not None and behind <= 0:
        return True, f"has replayed the migrations (WAL {replayed}, primary at {target})"
    paused = replica.query("SELECT pg_is_wal_replay_paused()")[0][0]
    why = " (replay is paused: SELECT pg_wal_replay_resume() on it)" if paused else ""
    return False, f"is {behind} bytes behind the primary (replayed up to {replayed}, primary at {target}){why}"


def wait_for_replicas(primary: Connection, replicas: list[DatabaseUrl], timeout_ms: int = DEFAULT_TIMEOUT_MS,
                      say: Callable[[str], None] | None = None) -> list[ReplicaState]:
    """Wait (up to `timeout_ms`, 0 = forever) until each replica has replayed the primary's
    current WAL position; raises LaminaError with one line per replica when some have not."""
    target = primary_lsn(primary)
    started = time.monotonic()
    states: dict[int, ReplicaState] = {}
    conns: dict[int, Connection] = {}
    try:
        while True:
            for i, url in enumerate(replicas):
                if i in states and states[i].caught_up:
                    continue
                try:
                    if i not in conns:
                        conns[i] = connect(url)
                    done, detail = _state(conns[i], target)
                except (LaminaError, DatabaseError) as exc:
                    conns.pop(i, None)
                    done, detail = False, f"cannot be reached ({mask(exc.message.splitlines()[0])})"
                states[i] = ReplicaState(url.masked, done, detail)
                if done and say is not None:
                    say(states[i].line())
            if any(not s.caught_up and s.detail.startswith("is not a replica") for s in states.values()):
                break  # it never will
            if all(s.caught_up for s in states.values()) and len(states) == len(replicas):
                return [states[i] for i in range(len(replicas))]
            if timeout_ms and (time.monotonic() - started) * 1000 >= timeout_ms:
                break
            time.sleep(0.2)
    finally:
        for conn in conns.values():
            conn.close()
    lines = "\n".join(f"  {states[i].line()}" for i in range(len(replicas)) if i in states)
    raise LaminaError(f"Not every replica has replayed the migrations within {timeout_ms / 1000:g}s:\n{lines}\n"
                      "The migrations are applied on the primary; application servers that read from the replicas "
                      "listed as behind may still see the old schema.")
