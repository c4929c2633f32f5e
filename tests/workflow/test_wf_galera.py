"""`migrate deploy` and `migrate status` on a real 3-node MariaDB Galera cluster that the suite
starts (tests/galera_cluster.py): concurrent deploys on the three nodes apply each migration
once, a killed lock holder's lease expires, `status` on one node sees what another applied,
and what differs on Galera is said."""

from __future__ import annotations

import signal
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import pytest

from tests.conftest import unavailable
from wf_helpers import clean_env, make_project, mysql_connect

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "reliability"))

import galera_cluster  # noqa: E402
from scenarios import wait_for  # noqa: E402

CRM = Path(__file__).resolve().parents[2] / "examples" / "crm" / "prisma" / "schema.prisma"
ROUNDS = 20


@pytest.fixture(scope="session")
def galera(testrun_uid):
    why = galera_cluster.missing()
    if why:
        unavailable(f"no Galera cluster can be started: {why}")
    with galera_cluster.shared_cluster(Path(tempfile.gettempdir()) / f"lamina-galera-{testrun_uid}") as cluster:
        yield cluster


@pytest.fixture
def database(galera):
    name = f"galera_{uuid.uuid4().hex[:10]}"
    yield name
    conn = mysql_connect(galera.url(1, "mysql"))
    try:
        with conn.cursor() as cur:
            cur.execute(f"DROP DATABASE IF EXISTS `{name}`")
    finally:
        conn.close()


def _crm_project(tmp_path, url):
    """The CRM's schema as MySQL, its init migration made by `lamina migrate diff`, and two more."""
    p = make_project(tmp_path, "mysql", url)
    p.schema.write_text(CRM.read_text().replace('provider = "sqlite"', 'provider = "mysql"'))
    init = p.run("migrate", "diff", "--from-empty", "--to-schema", str(p.schema), "--script")
    assert init.code == 0, init.both
    p.add_migration("20251026090416_init", init.out)
    p.add_migration("20260101000000_org_plan", "ALTER TABLE `orgs` ADD COLUMN `plan` VARCHAR(20) NOT NULL DEFAULT 'free';")
    p.add_migration("20260102000000_audit", "CREATE TABLE `Audit` (`id` INT NOT NULL PRIMARY KEY, `what` TEXT NOT NULL);")
    return p


def _spawn(p, url: str, *args: str, **env: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "lamina", *args], cwd=p.root, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=clean_env(DATABASE_URL=url, **env))


def _history(url: str) -> list[tuple]:
    conn = mysql_connect(url)
    try:
        with conn.cursor() as cur:
            cur.execute("SET SESSION wsrep_sync_wait = 1")
            cur.execute("SELECT migration_name, finished_at IS NOT NULL, rolled_back_at IS NOT NULL "
                        "FROM _prisma_migrations ORDER BY migration_name")
            return [tuple(r) for r in cur.fetchall()]
    finally:
        conn.close()


def test_concurrent_deploys_on_three_nodes_apply_each_migration_once(tmp_path, galera):
    p = _crm_project(tmp_path, galera.url(1, "unused"))
    names = sorted(m.name for m in p.migrations.iterdir() if m.is_dir())
    for round_ in range(ROUNDS):
        database = f"galera_round_{uuid.uuid4().hex[:8]}"
        try:
            procs = [_spawn(p, galera.url(node, database), "migrate", "deploy") for node in (1, 2, 3)]
            results = [(proc.wait(timeout=300), *proc.communicate()) for proc in procs]
            for code, out, err in results:
                assert code == 0, f"round {round_}:\n{out}{err}"
            assert sum("All migrations have been successfully applied." in out for _, out, _ in results) == 1
            for node in (1, 2, 3):
                assert _history(galera.url(node, database)) == [(n, 1, 0) for n in names], f"round {round_}"
        finally:
            conn = mysql_connect(galera.url(1, "mysql"))
            with conn.cursor() as cur:
                cur.execute(f"DROP DATABASE IF EXISTS `{database}`")
            conn.close()


def test_status_on_node_3_right_after_deploy_on_node_1_and_galera_warnings(tmp_path, galera, database):
    p = make_project(tmp_path, "mysql", galera.url(1, database))
    p.add_migration("20250101000000_init", "CREATE TABLE `a` (`id` INT NOT NULL PRIMARY KEY);\n"
                                           "CREATE TABLE `log` (`line` TEXT);\n")
    p.add_migration("20250102000000_lock", "SELECT GET_LOCK('x', 1);\nSELECT RELEASE_LOCK('x');\n")
    r = p.run("migrate", "deploy")
    assert r.code == 0, r.both
    assert (f'Datasource "db": MySQL database "{database}" at "127.0.0.1:{galera.ports[0]}" is a node of a Galera '
            'cluster "lamina_test" of 3 nodes (this node: node1): migrations are applied under a cluster-wide lease'
            in r.out)
    # the findings of migrate lint's Galera rules (lint/galera.py), one implementation for both
    assert ("Warning (Galera): `20250101000000_init` line 2, L501: table `log` has no primary key: Galera replicates "
            "row changes by key and does not replicate the rows of such a table safely (duplicates, nodes that "
            "diverge). Give it one (@id or @@id).") in r.out
    assert ("Warning (Galera): `20250102000000_lock` line 1, L502: GET_LOCK locks only the node it runs on, not the "
            "cluster: ") in r.out
    s = p.run("migrate", "status", url=galera.url(3, database))
    assert s.code == 0 and "Database schema is up to date!" in s.out, s.both
    assert "this node: node3" in s.out
    # the lease table is Lamina's, not the schema's: not pulled (nor seen as drift: the same describe)
    pulled = p.run("db", "pull", "--print", url=galera.url(2, database))
    assert pulled.code == 0 and "model a {" in pulled.out and "lamina_migrate_lock" not in pulled.out, pulled.both


def test_killed_holder_the_lease_expires_and_deploy_says_what_to_resolve(tmp_path, galera, database):
    p = make_project(tmp_path, "mysql", galera.url(1, database))
    p.add_migration("20250101000000_init", "CREATE TABLE `a` (`id` INT NOT NULL PRIMARY KEY);")
    p.add_migration("20250102000000_slow", "CREATE TABLE `b` (`id` INT NOT NULL PRIMARY KEY);\nSELECT SLEEP(20);\n")
    holder = _spawn(p, galera.url(1, database), "migrate", "deploy", LAMINA_LEASE_SECONDS="3")

    def sleeping():
        conn = mysql_connect(galera.url(1, "mysql"))
        try:
            with conn.cursor() as cur:
                cur.execute("SELECT ID FROM information_schema.PROCESSLIST WHERE INFO LIKE 'SELECT SLEEP(20)%'")
                return cur.fetchall()
        finally:
            conn.close()

    try:
        wait_for(sleeping, "the slow migration runs on node 1", limit=120)
        status = p.run("migrate", "status", url=galera.url(3, database))
        assert status.code == 1 and "have failed" not in status.both, status.both
        assert f"Migration being applied right now by {_host()} pid {holder.pid} since " in status.err
        assert "20250102000000_slow" in status.err
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.communicate()
    r = p.run("migrate", "deploy", url=galera.url(2, database), env={"LAMINA_LEASE_SECONDS": "3"}, timeout=120)
    assert r.code == 1 and "Traceback" not in r.both
    assert "P3009" in r.err and "The `20250102000000_slow` migration started at" in r.err
    assert "lamina migrate resolve --rolled-back 20250102000000_slow" in r.err
    assert _history(galera.url(2, database)) == [("20250101000000_init", 1, 0), ("20250102000000_slow", 0, 0)]


def _host() -> str:
    import socket

    return socket.gethostname()


def test_deploy_waits_for_a_live_holder_up_to_wait_timeout(tmp_path, galera, database):
    p = make_project(tmp_path, "mysql", galera.url(1, database))
    p.add_migration("20250101000000_init", "CREATE TABLE `a` (`id` INT NOT NULL PRIMARY KEY);")
    conn = mysql_connect(galera.url(3, "mysql"))
    with conn.cursor() as cur:  # another deployer (on node 3) holds the lease for the next hour
        cur.execute(f"CREATE DATABASE `{database}`")
        cur.execute(f"CREATE TABLE `{database}`.`_lamina_migrate_lock` (`name` VARCHAR(191) NOT NULL PRIMARY KEY, "
                    "`token` CHAR(36) NOT NULL, `owner_host` VARCHAR(255) NOT NULL, `owner_pid` INT NOT NULL, "
                    "`since` DATETIME(6) NOT NULL, `expires_at` DATETIME(6) NOT NULL) ENGINE=InnoDB")
        cur.execute(f"INSERT INTO `{database}`.`_lamina_migrate_lock` VALUES (%s, 't', 'deployhost', 4242, "
                    "'2026-01-02 03:04:05', UTC_TIMESTAMP(6) + INTERVAL 1 HOUR)", (database,))
    conn.close()
    r = p.run("migrate", "deploy", "--wait-timeout", "2s")
    assert r.code == 1 and "Traceback" not in r.both
    assert ("The migrations of this database are being applied by deployhost pid 4242 since 2026-01-02 03:04:05 UTC "
            "(on another node of the cluster or this one); waiting for it to finish.") in r.err
    assert ("Error: P1002\n\nTimed out after 2s waiting for the cluster-wide migration lock: the migrations are being "
            "applied by deployhost pid 4242 since 2026-01-02 03:04:05 UTC.") in r.err
    assert p.tables(galera.url(2, database)) == {"_lamina_migrate_lock"}  # nothing applied


def test_lint_and_dev_on_a_node_say_what_differs_on_galera(tmp_path, galera, database):
    """Found without being told: migrate lint reads the pending migrations from node 2, migrate dev
    migrates node 1; both print the L5xx findings (a table with only a unique key: no primary key)."""
    p = make_project(tmp_path, "mysql", galera.url(1, database))
    p.add_migration("20250101000000_raw", "CREATE TABLE `log` (`line` TEXT);\nLOCK TABLES `log` WRITE;\nUNLOCK TABLES;\n")
    conn = mysql_connect(galera.url(1, "mysql"))
    with conn.cursor() as cur:
        cur.execute(f"CREATE DATABASE `{database}`")  # created, empty: everything pending
    conn.close()
    lint = p.run("migrate", "lint", "--fail-on", "warning", url=galera.url(2, database))
    assert lint.code == 1, lint.both
    assert [line.split("  ")[:2] for line in lint.out.splitlines() if "  L5" in line] == [
        ["20250101000000_raw/migration.sql:1", "L501 warning"], ["20250101000000_raw/migration.sql:2", "L502 warning"]]
    assert p.run("migrate", "deploy").code == 0
    p.write_schema("model Tag {\n  name String @unique @db.VarChar(100)\n}\n")
    dev = p.run("migrate", "dev", "--name", "tags", "--skip-generate", url=galera.url(3, database))
    assert dev.code == 0, dev.both
    assert "Lint (lamina migrate lint) of the new migration:" in dev.err
    assert "_tags/migration.sql:11  L501 warning  table `Tag` has no primary key: Galera replicates" in dev.err, dev.err
