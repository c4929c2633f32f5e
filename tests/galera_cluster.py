"""A real 3-node MariaDB Galera cluster on loopback ports, started by the test suite from
Debian's `mariadb-server` and `galera-4` (three `mariadbd` processes, their own data folders,
`gcomm://` addresses on free ports, rsync state transfer), owned by the tests and never the
machine's own server.

One cluster per pytest session, shared by the xdist workers: the first worker to need it
starts it under a file lock and records it in `cluster.json`; each worker counts itself in
`users` and the last one out stops it. The first node bootstraps (`--wsrep-new-cluster`, after
`mariadb-install-db`), the other two join by state transfer (SST).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

MARIADBD = "/usr/sbin/mariadbd"
INSTALL_DB = shutil.which("mariadb-install-db") or "/usr/bin/mariadb-install-db"
PROVIDER = "/usr/lib/galera/libgalera_smm.so"


def missing() -> str | None:
    """Why a cluster cannot be started here, or None."""
    for path, package in ((MARIADBD, "mariadb-server"), (INSTALL_DB, "mariadb-server"), (PROVIDER, "galera-4")):
        if not os.path.exists(path):
            return f"{path} is missing (apt-get install {package} galera-4 rsync)"
    if shutil.which("rsync") is None or shutil.which("wsrep_sst_rsync") is None:
        return "rsync / wsrep_sst_rsync is missing (apt-get install rsync mariadb-server)"
    if os.geteuid() == 0:
        try:
            import pwd

            pwd.getpwnam("mysql")
        except KeyError:
            return "there is no `mysql` user to run mariadbd as"
    return None


def _free_ports(n: int) -> list[int]:
    socks, ports = [], []
    for _ in range(n):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        socks.append(s)
        ports.append(s.getsockname()[1])
    for s in socks:
        s.close()
    return ports


@dataclass
class Cluster:
    root: Path
    ports: list[int]  # the SQL port of node 1, 2, 3

    def url(self, node: int, database: str) -> str:
        return f"mysql://root@127.0.0.1:{self.ports[node - 1]}/{database}"


def _as_mysql(path: Path) -> None:
    if os.geteuid() == 0:
        shutil.chown(path, "mysql", "mysql")


def _node_args(root: Path, i: int, sql: int, group: list[int], ist: int, sst: int) -> list[str]:
    data = root / f"node{i}"
    args = [MARIADBD, "--no-defaults", f"--datadir={data}", f"--port={sql}", "--bind-address=127.0.0.1",
            f"--socket={root / f'node{i}.sock'}", f"--pid-file={root / f'node{i}.pid'}",
            f"--log-error={root / f'node{i}.err'}", "--skip-name-resolve", "--binlog-format=ROW",
            "--default-storage-engine=InnoDB", "--innodb-autoinc-lock-mode=2", "--innodb-buffer-pool-size=32M",
            "--innodb-log-file-size=16M", "--max-connections=200", "--wsrep-on=ON", f"--wsrep-provider={PROVIDER}",
            "--wsrep-cluster-name=lamina_test",
            "--wsrep-cluster-address=gcomm://" + ",".join(f"127.0.0.1:{p}" for p in group),
            f"--wsrep-node-address=127.0.0.1:{group[i - 1]}", f"--wsrep-node-name=node{i}",
            f"--wsrep-provider-options=gmcast.listen_addr=tcp://127.0.0.1:{group[i - 1]};"
            f"ist.recv_addr=127.0.0.1:{ist};gcache.size=16M",
            "--wsrep-sst-method=rsync", f"--wsrep-sst-receive-address=127.0.0.1:{sst}"]
    if os.geteuid() == 0:
        args.append("--user=mysql")
    return args


def _state(port: int) -> str | None:
    import pymysql

    try:
        conn = pymysql.connect(host="127.0.0.1", port=port, user="root", connect_timeout=2)
    except pymysql.Error:
        return None
    try:
        with conn.cursor() as cur:
            cur.execute("SHOW STATUS LIKE 'wsrep_local_state_comment'")
            row = cur.fetchone()
            return row[1] if row else None
    finally:
        conn.close()


def _wait_synced(root: Path, port: int, i: int, seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if _state(port) == "Synced":
            return
        time.sleep(0.3)
    log = (root / f"node{i}.err").read_text(errors="replace")[-3000:] if (root / f"node{i}.err").exists() else ""
    raise RuntimeError(f"Galera node {i} did not reach Synced in {seconds:.0f}s:\n{log}")


def start(root: Path) -> Cluster:
    root.mkdir(parents=True, exist_ok=True)
    _as_mysql(root)
    ports = _free_ports(12)
    sql, group, ist, sst = ports[0:3], ports[3:6], ports[6:9], ports[9:12]
    for i in (1, 2, 3):
        (root / f"node{i}").mkdir(exist_ok=True)
        _as_mysql(root / f"node{i}")
    install = [INSTALL_DB, "--no-defaults", f"--datadir={root / 'node1'}", "--auth-root-authentication-method=normal",
               "--skip-test-db"] + (["--user=mysql"] if os.geteuid() == 0 else [])
    p = subprocess.run(install, capture_output=True, text=True, timeout=300)
    if p.returncode != 0:
        raise RuntimeError(f"mariadb-install-db failed:\n{p.stdout}{p.stderr}")
    try:
        for i in (1, 2, 3):
            args = _node_args(root, i, sql[i - 1], group, ist[i - 1], sst[i - 1])
            if i == 1:
                args.append("--wsrep-new-cluster")
            subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
            if i == 1:
                _wait_synced(root, sql[0], 1)
        for i in (2, 3):
            _wait_synced(root, sql[i - 1], i)
    except BaseException:
        stop(root, remove=False)  # keep the logs for the error
        raise
    return Cluster(root, sql)


def stop(root: Path, remove: bool = True) -> None:
    for i in (3, 2, 1):
        pid_file = root / f"node{i}.pid"
        with contextlib.suppress(FileNotFoundError, ValueError, ProcessLookupError):
            pid = int(pid_file.read_text().strip())
            os.kill(pid, signal.SIGTERM)
            for _ in range(300):  # mariadbd removes its pid file when it has shut down
                if not pid_file.exists():
                    break
                os.kill(pid, 0)
                time.sleep(0.1)
            else:
                os.kill(pid, signal.SIGKILL)
    if remove:
        shutil.rmtree(root, ignore_errors=True)


@contextlib.contextmanager
def shared_cluster(base: Path):
    """The session's cluster, shared by the xdist workers (see the module's docstring)."""
    base.mkdir(parents=True, exist_ok=True)
    lock_path = base / "galera.lock"
    state_path = base / "cluster.json"
    with open(lock_path, "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            state = json.loads(state_path.read_text()) if state_path.exists() else None
            if state is None:
                cluster = start(base / "cluster")
                state = {"ports": cluster.ports, "users": 0}
            state["users"] += 1
            state_path.write_text(json.dumps(state))
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    try:
        yield Cluster(base / "cluster", state["ports"])
    finally:
        with open(lock_path, "a+") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                state = json.loads(state_path.read_text())
                state["users"] -= 1
                if state["users"] <= 0:
                    stop(base / "cluster")
                    state_path.unlink()
                else:
                    state_path.write_text(json.dumps(state))
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)
