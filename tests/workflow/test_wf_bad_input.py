"""Bad files get a message that names the file and what is wrong, and exit code 5; nothing is
applied and no catch-all "internal error" appears."""

from __future__ import annotations

import shutil
import subprocess
import sys

from wf_helpers import clean_env, make_project

INIT = 'CREATE TABLE "User" ("id" INTEGER NOT NULL PRIMARY KEY, "name" TEXT);\n'


def _project(tmp_path):
    p = make_project(tmp_path, "sqlite", "file:./dev.db")
    p.write_schema()
    return p


def _bad(r, *needles: str) -> None:
    assert r.code == 5, r.both
    assert "internal error" not in r.both and "Traceback" not in r.both
    for needle in needles:
        assert needle in r.err, r.err


def test_migration_sql_that_is_not_utf8_text_is_refused(tmp_path):
    p = _project(tmp_path)
    folder = p.add_migration("20250101000000_init", INIT)
    cases = {
        b"INSERT INTO \"User\" VALUES (1, 'caf\xe9');": "is not valid UTF-8 (byte offset 34",
        b"SELECT 1;\x00": "contains a NUL byte at byte offset 9",
        "SELECT 1;".encode("utf-16"): "looks like UTF-16 text",
    }
    for data, message in cases.items():
        (folder / "migration.sql").write_bytes(data)
        _bad(p.run("migrate", "deploy"), "20250101000000_init", message)
        assert not (p.root / "prisma" / "dev.db").exists()  # refused before anything was touched


def test_folders_where_files_belong_and_files_where_folders_belong(tmp_path):
    p = _project(tmp_path)
    folder = p.add_migration("20250101000000_init", INIT)
    (folder / "migration.sql").unlink()
    (folder / "migration.sql").mkdir()
    _bad(p.run("migrate", "deploy"), "migration.sql` (migration `20250101000000_init`) is a folder")
    shutil.rmtree(folder / "migration.sql")
    (folder / "migration.sql").write_text(INIT)
    lock = p.migrations / "migration_lock.toml"
    lock.unlink()
    lock.mkdir()
    _bad(p.run("migrate", "status"), "migration_lock.toml` is a folder")
    lock.rmdir()
    lock.write_bytes(b'provider = "sql\xffite"\n')
    _bad(p.run("migrate", "status"), "migration_lock.toml` is not valid UTF-8")
    shutil.rmtree(p.migrations)
    p.migrations.write_text("oops")
    _bad(p.run("migrate", "deploy"), "prisma/migrations` is a file")


def test_env_file_that_is_not_utf8(tmp_path):
    p = _project(tmp_path)
    (p.root / ".env").write_bytes(b"DATABASE_URL=file:./dev.db\nNAME=caf\xe9\n")
    _bad(p.run("validate"), ".env` is not valid UTF-8 (byte offset 35")


def test_db_execute_bad_input(tmp_path):
    p = _project(tmp_path)
    _bad(p.run("db", "execute", "--file", str(tmp_path)), "is a folder; --file takes a SQL file")
    nul = tmp_path / "nul.sql"
    nul.write_bytes(b"SELECT 1;\x00")
    _bad(p.run("db", "execute", "--file", str(nul)), "contains a NUL byte at byte offset 9")
    proc = subprocess.run([sys.executable, "-m", "lamina", "db", "execute", "--stdin"], cwd=p.root,
                          input=b"SELECT 'caf\xe9';", capture_output=True, env=clean_env(DATABASE_URL=p.url), timeout=60)
    assert proc.returncode == 5, proc.stderr
    assert b"standard input` (db execute --stdin) is not valid UTF-8 (byte offset 11" in proc.stderr


def test_migration_sql_with_a_utf8_bom_deploys_and_keeps_the_raw_byte_checksum(tmp_path):
    import hashlib

    p = _project(tmp_path)
    raw = b"\xef\xbb\xbf" + INIT.encode()  # as saved by Windows editors
    folder = p.add_migration("20250101000000_init", INIT)
    (folder / "migration.sql").write_bytes(raw)
    r = p.run("migrate", "deploy")
    assert r.code == 0, r.both
    assert p.query('SELECT COUNT(*) FROM "User"') == [(0,)]
    # Prisma's checksum is over the file's bytes, BOM included; status must then see no edit.
    assert p.history()[0][1] == hashlib.sha256(raw).hexdigest()
    status = p.run("migrate", "status")
    assert status.code == 0, status.both
