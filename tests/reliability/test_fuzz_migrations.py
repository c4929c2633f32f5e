"""Fuzzing the migrations folder (hypothesis): whatever bytes and shapes `prisma/migrations`
holds (undecodable or NUL-filled SQL, folders where files belong, odd names, a broken
migration_lock.toml), `migrate status` and `migrate deploy` end with a message and one of the
documented exit codes, never with the catch-all "internal error" or a traceback.

LAMINA_FUZZ_EXAMPLES sets the number of folders tried (default 60 here; the soak figure in
docs/reliability.md comes from a long run)."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lamina.cli import main

EXAMPLES = int(os.environ.get("LAMINA_FUZZ_EXAMPLES", "60"))
DOCUMENTED_EXIT_CODES = {0, 1, 2, 3, 5}  # docs/workflow.md, Exit codes
SCHEMA = 'datasource db {\n  provider = "sqlite"\n  url      = "file:./dev.db"\n}\n\nmodel A {\n  id Int @id\n}\n'
SQL_PIECES = ['CREATE TABLE "A" ("id" INTEGER NOT NULL PRIMARY KEY);', "SELECT 1;", "BEGIN;", "COMMIT;", "--", "/*",
              "'", '"', ";", "\x00", "\ufeff", "CREATE TRIGGER t AFTER INSERT ON A BEGIN SELECT 1; END;", "\r\n"]

sql_text = st.lists(st.sampled_from(SQL_PIECES) | st.text(max_size=20), max_size=6).map("\n".join)
sql_file = (sql_text.map(lambda t: t.encode("utf-8")) | st.binary(max_size=64)
            | sql_text.map(lambda t: t.encode("utf-16")) | st.just(b"\xff\xfe\x00"))
lock_file = st.none() | st.just(b'provider = "sqlite"\n') | st.just(b'provider = "postgresql"\n') | st.binary(max_size=40)
folder_name = st.tuples(st.integers(20000101000000, 20991231235959), st.text(max_size=12)).map(
    lambda t: f"{t[0]}_{t[1]}") | st.text(min_size=1, max_size=12)
entry = st.tuples(folder_name, st.sampled_from(["file", "folder", "missing"]), sql_file)


def _safe(name: str) -> str | None:
    name = name.replace("/", "_").replace("\x00", "_").strip()
    return None if name in ("", ".", "..") or len(name.encode()) > 200 else name


def _build(root: Path, entries, lock: bytes | None, migrations_is_file: bool) -> None:
    (root / "prisma").mkdir()
    (root / "prisma" / "schema.prisma").write_text(SCHEMA)
    migrations = root / "prisma" / "migrations"
    if migrations_is_file:
        migrations.write_bytes(b"not a folder")
        return
    migrations.mkdir()
    if lock is not None:
        (migrations / "migration_lock.toml").write_bytes(lock)
    for name, shape, data in entries:
        name = _safe(name)
        if name is None or (migrations / name).exists():
            continue
        try:
            folder = migrations / name
            folder.mkdir()
        except OSError:
            continue
        if shape == "file":
            (folder / "migration.sql").write_bytes(data)
        elif shape == "folder":
            (folder / "migration.sql").mkdir()


def _run(root: Path, *args: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    cwd = os.getcwd()
    os.chdir(root)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                main(list(args))
                code = 0
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        os.chdir(cwd)
    return code, out.getvalue() + err.getvalue()


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(entries=st.lists(entry, max_size=4), lock=lock_file, migrations_is_file=st.booleans())
def test_any_migrations_folder_gets_a_message_and_a_documented_exit_code(entries, lock, migrations_is_file):
    root = Path(tempfile.mkdtemp(prefix="lamina-fuzz-"))
    try:
        _build(root, entries, lock, migrations_is_file)
        for command in (("migrate", "status"), ("migrate", "deploy")):
            code, output = _run(root, *command)
            assert "internal error" not in output and "Traceback" not in output, (command, output)
            assert code in DOCUMENTED_EXIT_CODES, (command, code, output)
    finally:
        shutil.rmtree(root, ignore_errors=True)
