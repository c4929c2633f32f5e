"""A real PostgreSQL primary with a streaming replica, started by the tests themselves and
owned by them (never the machine's own server): as user `postgres`, `initdb -A trust` (its
pg_hba.conf allows `host replication` from loopback), `pg_ctl start` on a free loopback port,
`pg_basebackup -R` into a second folder, `pg_ctl start` on another port. Under a second here."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

BIN = Path("/usr/lib/postgresql/15/bin")


def missing() -> str | None:
    for tool in ("initdb", "pg_ctl", "pg_basebackup"):
        if not (BIN / tool).exists():
            return f"{BIN / tool} is missing (apt-get install postgresql-15)"
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        return "runuser is missing"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run(*cmd: str) -> subprocess.CompletedProcess:
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    return subprocess.run([*prefix, *cmd], capture_output=True, text=True, timeout=120)


@dataclass
class Pair:
    root: Path
    primary_port: int
    replica_port: int

    def primary(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.primary_port}/{database}"

    def replica(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.replica_port}/{database}"


def _start(data: Path, port: int, log: Path) -> None:
    with open(data / "postgresql.conf", "a") as f:
        f.write(f"\nport = {port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{data.parent}'\n"
                "fsync = off\n")
    p = _run(str(BIN / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "start")
    if p.returncode != 0:
        raise RuntimeError(f"pg_ctl start failed: {p.stderr}\n{log.read_text() if log.exists() else ''}")


@contextlib.contextmanager
def primary_and_replica():
    root = Path(tempfile.mkdtemp(prefix="lamina-replica-"))
    root.chmod(0o755)
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
    primary, replica = root / "primary", root / "replica"
    started: list[Path] = []
    try:
        init = _run(str(BIN / "initdb"), "-A", "trust", "-U", "postgres", "-D", str(primary))
        if init.returncode != 0:
            raise RuntimeError(f"initdb failed: {init.stderr}")
        ports = (_free_port(), _free_port())
        _start(primary, ports[0], root / "primary.log")
        started.append(primary)
        backup = _run(str(BIN / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(ports[0]), "-U", "postgres",
                      "-D", str(replica), "-R", "-X", "stream")
        if backup.returncode != 0:
            raise RuntimeError(f"pg_basebackup failed: {backup.stderr}")
        _start(replica, ports[1], root / "replica.log")
        started.append(replica)
        yield Pair(root, *ports)
    finally:
        for data in reversed(started):
            _run(str(BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop")
        shutil.rmtree(root, ignore_errors=True)
