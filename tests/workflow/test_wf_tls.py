"""TLS to PostgreSQL with libpq's parameters, against a throwaway server this test starts with a
certificate it makes (initdb as the `postgres` user, ssl=on, a free loopback port); and Prisma's
MySQL TLS parameters mapped onto PyMySQL. Unknown URL parameters are said, never dropped."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from lamina.db.connection import connect
from lamina.db.url import parse_url
from lamina.errors import LaminaError

BIN = Path("/usr/lib/postgresql/15/bin")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_postgres(*cmd: str) -> subprocess.CompletedProcess:
    return subprocess.run(["runuser", "-u", "postgres", "--", *cmd], capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def tls_server():
    if not (BIN / "initdb").exists() or shutil.which("openssl") is None or shutil.which("runuser") is None:
        if os.environ.get("CI") or os.environ.get("LAMINA_REQUIRE_DATABASES"):
            pytest.fail("PostgreSQL 15 binaries, openssl and runuser are needed for the TLS test")
        pytest.skip("PostgreSQL 15 binaries, openssl or runuser missing: TLS test not run")
    # not under pytest's own tmp folder, which only root may enter: the server runs as `postgres`
    root = Path(tempfile.mkdtemp(prefix="lamina-tls-"))
    root.chmod(0o755)
    shutil.chown(root, "postgres")  # initdb (as postgres) creates the data folder and the socket here
    data, certs = root / "data", root / "certs"
    certs.mkdir()
    subj = "/CN=127.0.0.1"
    run = lambda *a: subprocess.run(a, check=True, capture_output=True, cwd=certs)  # noqa: E731
    run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=Lamina test CA",
        "-keyout", "ca.key", "-out", "ca.crt")
    run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", subj, "-keyout", "server.key", "-out", "server.csr")
    (certs / "san.ext").write_text("subjectAltName=IP:127.0.0.1\n")
    run("openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
        "-days", "2", "-extfile", "san.ext", "-out", "server.crt")
    run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=Other CA",
        "-keyout", "other.key", "-out", "other.crt")
    for f in certs.iterdir():
        f.chmod(0o644)
    shutil.chown(certs / "server.key", "postgres")
    (certs / "server.key").chmod(0o600)  # the server refuses a key others can read
    init = _as_postgres(str(BIN / "initdb"), "-A", "trust", "-U", "postgres", "-D", str(data))
    assert init.returncode == 0, init.stderr
    port = _free_port()
    conf = (f"port = {port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{root}'\nssl = on\n"
            f"ssl_cert_file = '{certs / 'server.crt'}'\nssl_key_file = '{certs / 'server.key'}'\n")
    with open(data / "postgresql.conf", "a") as f:
        f.write(conf)
    start = _as_postgres(str(BIN / "pg_ctl"), "-D", str(data), "-l", str(root / "log"), "-w", "start")
    assert start.returncode == 0, start.stderr + (root / "log").read_text()
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres", certs
    finally:
        _as_postgres(str(BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop")
        shutil.rmtree(root, ignore_errors=True)


def _ssl_in_use(url: str) -> bool:
    with connect(url) as conn:
        return conn.query("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()") == [(True,)]


def test_postgres_tls_with_libpq_parameters(tls_server):
    url, certs = tls_server
    assert _ssl_in_use(f"{url}?sslmode=require")
    assert _ssl_in_use(f"{url}?sslmode=verify-full&sslrootcert={certs / 'ca.crt'}")
    assert not _ssl_in_use(f"{url}?sslmode=disable")
    with pytest.raises(LaminaError) as wrong_ca:
        _ssl_in_use(f"{url}?sslmode=verify-full&sslrootcert={certs / 'other.crt'}")
    assert "certificate verify failed" in wrong_ca.value.message


def test_postgres_tls_through_the_cli_and_pgsslmode(tls_server, tmp_path):
    url, certs = tls_server
    from wf_helpers import make_project

    p = make_project(tmp_path, "postgresql", f"{url}?sslmode=verify-full&sslrootcert={certs / 'ca.crt'}")
    p.write_schema("model A {\n  id Int @id\n}\n")
    assert p.run("db", "push", "--skip-generate").code == 0
    # libpq's environment applies as libpq applies it: PGSSLMODE=verify-full with the wrong CA refuses
    r = p.run("migrate", "status", url=url, env={"PGSSLMODE": "verify-full", "PGSSLROOTCERT": str(certs / "other.crt")})
    assert r.code == 3 and "certificate verify failed" in r.err, r.both


def test_mysql_tls_parameters_map_onto_pymysql(mysql_server):
    strict = parse_url("mysql://u@db.example/app?sslcert=/etc/ca.pem")
    assert strict.pymysql_ssl() == {"ssl_verify_cert": True, "ssl_verify_identity": True, "ssl_ca": "/etc/ca.pem"}
    loose = parse_url("mysql://u@db.example/app?sslaccept=accept_invalid_certs")
    assert loose.pymysql_ssl() == {"ssl_verify_cert": False, "ssl_verify_identity": False,
                                   "ssl": {"check_hostname": False}}
    with pytest.raises(LaminaError, match="sslaccept"):
        parse_url("mysql://u@h/app?sslaccept=maybe").pymysql_ssl()
    with pytest.raises(LaminaError, match="PKCS#12"):
        parse_url("mysql://u@h/app?sslidentity=id.p12").pymysql_ssl()
    # asking for TLS from a server without it fails clearly instead of connecting in plain text
    server = parse_url(mysql_server)
    if not server.params:
        with connect(mysql_server) as conn:
            tls_off = conn.query("SHOW VARIABLES LIKE 'have_ssl'") in ([("have_ssl", "DISABLED")], [])
        if tls_off:
            with pytest.raises(LaminaError, match="SSL is required"):
                connect(mysql_server.rstrip("/") + "?sslaccept=accept_invalid_certs")


def test_unknown_url_parameter_is_said_not_dropped(tmp_path, postgres_url):
    from tests.dburls import with_params
    from wf_helpers import make_project

    p = make_project(tmp_path, "postgresql", with_params(postgres_url, sslmdoe="require"))
    p.write_schema()
    r = p.run("migrate", "status")
    assert "Warning: the database URL parameter `sslmdoe` is not known to Lamina and is ignored." in r.err
    assert r.err.count("sslmdoe") == 1
    assert sys.executable  # (the CLI ran under this interpreter)
