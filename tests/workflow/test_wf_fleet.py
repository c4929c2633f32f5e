"""`migrate deploy --targets` / `migrate status --targets`: a fleet of tenant databases with the
same migrations, on real SQLite files and real PostgreSQL databases, through the CLI and the
Python call."""

from __future__ import annotations

import json

import psycopg
import pytest

from tests.dburls import database_name, with_credentials, with_database
from wf_helpers import make_project

M1 = ('20250101000000_init', 'CREATE TABLE "Tenant" ("id" INTEGER NOT NULL PRIMARY KEY, "name" TEXT NOT NULL);')
M2 = ('20250102000000_note', 'CREATE TABLE "Note" ("id" INTEGER NOT NULL PRIMARY KEY, "body" TEXT NOT NULL);')
UNREACHABLE = "postgresql://app:s3cret@127.0.0.1:1/tenant_gone?connect_timeout=2"


def _sqlite_fleet(tmp_path, n: int):
    p = make_project(tmp_path, "sqlite", "file:./unused.db")
    p.add_migration(*M1)
    p.add_migration(*M2)
    urls = [f"file:{tmp_path / f'tenant{i}.db'}" for i in range(n)]
    return p, urls


def _broken(tmp_path) -> str:
    """A target that fails: a file that is not an SQLite database."""
    path = tmp_path / "broken.db"
    path.write_bytes(b"this is not an SQLite database file, it is text" * 100)
    return f"file:{path}"


def _tables(p, url):
    return p.tables(url) - {"_prisma_migrations"}


def test_deploy_targets_applies_everywhere_and_reports_a_table(tmp_path):
    p, urls = _sqlite_fleet(tmp_path, 5)
    (p.root / "targets.txt").write_text("# tenants\n" + "\n".join(urls[:4]) + "\n\nenv:TENANT_5  # from the env\n")
    r = p.run("migrate", "deploy", "--targets", "targets.txt", "--concurrency", "2",
              env={"TENANT_5": urls[4], "DATABASE_URL": None})
    assert r.code == 0, r.both
    for url in urls:
        assert _tables(p, url) == {"Tenant", "Note"}
        assert [row[0] for row in p.history(url)] == [M1[0], M2[0]]
    assert "2 migrations found in prisma/migrations; 5 databases, 2 at a time" in r.out
    assert r.out.splitlines()[2].split() == ["target", "result", "applied", "error"]
    assert f"{urls[0]}  applied  2" in r.out
    assert "5 databases in" in r.out and ": 5 updated, 0 already up to date, 0 failed." in r.out
    # not a terminal: one plain line per finished database on stderr
    assert sorted(line.split("] ", 1)[1] for line in r.err.splitlines() if line.startswith("[")) == sorted(
        f"{u}: applied (2 migrations applied)" for u in urls)

    again = p.run("migrate", "deploy", "--targets", "targets.txt", env={"TENANT_5": urls[4]})
    assert again.code == 0 and ": 0 updated, 5 already up to date, 0 failed." in again.out


def test_one_failure_does_not_stop_the_others(tmp_path):
    p, urls = _sqlite_fleet(tmp_path, 3)
    broken = _broken(tmp_path)
    (p.root / "targets.txt").write_text("\n".join([urls[0], broken, urls[1], urls[2]]))
    r = p.run("migrate", "deploy", "--targets", "targets.txt")
    assert r.code == 1 and "Traceback" not in r.both
    for url in urls:
        assert _tables(p, url) == {"Tenant", "Note"}
    line = next(line for line in r.out.splitlines() if line.startswith(broken))
    assert line.split()[1] == "FAILED" and "file is not a database" in line  # the error's first line
    assert ": 3 updated, 0 already up to date, 1 failed." in r.out


def test_fail_fast_starts_nothing_after_a_failure(tmp_path):
    p, urls = _sqlite_fleet(tmp_path, 2)
    (p.root / "targets.txt").write_text("\n".join([_broken(tmp_path), *urls]))
    r = p.run("migrate", "deploy", "--targets", "targets.txt", "--concurrency", "1", "--fail-fast")
    assert r.code == 1
    for url in urls:
        assert not (tmp_path / url.split(":", 1)[1]).exists()
    assert ": 0 updated, 0 already up to date, 1 failed, 2 skipped." in r.out


def test_json_report(tmp_path, postgres_url):
    p = make_project(tmp_path, "postgresql", postgres_url)
    p.add_migration(*M1)
    p.add_migration(*M2)
    urls = [with_database(postgres_url, database_name(postgres_url) + s) for s in ("_a", "_b")]
    for u in urls:
        p.drop_database(u)
    r = p.run("migrate", "deploy", "--targets", "-", "--json", input="\n".join([urls[0], UNREACHABLE, urls[1]]))
    for u in urls:
        p.drop_database(u)
    assert r.code == 1
    report = json.loads(r.out)
    assert report["ok"] is False and report["targets"] == 3
    assert report["states"] == {"applied": 2, "failed": 1}
    first, gone, second = report["results"]
    assert first["target"] == urls[0] and first["state"] == "applied" and first["applied"] == [M1[0], M2[0]]
    assert gone["target"].startswith("postgresql://app:****@") and gone["state"] == "failed" and gone["code"] == "P1001"
    assert second["state"] == "applied"
    assert not [line for line in r.err.splitlines() if line.startswith("[")]  # --json: nothing but the report


def test_bad_targets_apply_nothing(tmp_path):
    p, urls = _sqlite_fleet(tmp_path, 1)
    (p.root / "targets.txt").write_text(f"{urls[0]}\nenv:NOT_SET_ANYWHERE\nmysql://root:s3cret@h/db\nnot a url\n{urls[0]}\n")
    r = p.run("migrate", "deploy", "--targets", "targets.txt")
    assert r.code == 1 and "Traceback" not in r.both
    assert r.err.splitlines()[:5] == [
        "Error: The targets cannot be used; nothing was applied:",
        "  targets.txt:2: the environment variable `NOT_SET_ANYWHERE` is not set",
        "  targets.txt:3: a mysql URL, but the schema's provider is sqlite",
        "  targets.txt:4: The provided database string is invalid. The scheme is not recognized in database URL "
        "`not a url`. Use `file:`, `postgresql://` or `mysql://`.",
        "  targets.txt:5: the same database as targets.txt:1",
    ]
    assert not (tmp_path / "tenant0.db").exists()
    missing = p.run("migrate", "deploy", "--targets", "nowhere.txt")
    assert missing.code == 1 and "The targets file `nowhere.txt` does not exist." in missing.err
    empty = p.run("migrate", "deploy", "--targets", "-", input="# nobody\n")
    assert empty.code == 1 and "lists no database" in empty.err
    alone = p.run("migrate", "deploy", "--fail-fast")
    assert alone.code == 2 and "--json and --fail-fast go with --targets FILE." in alone.err


def test_postgres_fleet_creates_databases_and_status_shows_pending_failed_and_drifted(tmp_path, postgres_url):
    p = make_project(tmp_path, "postgresql", postgres_url)
    p.add_migration(*M1)
    names = [database_name(postgres_url) + s for s in ("_a", "_b", "_c")]
    urls = [with_database(postgres_url, n) for n in names]
    try:
        (p.root / "targets.txt").write_text("\n".join(urls[:2]))
        r = p.run("migrate", "deploy", "--targets", "targets.txt")
        assert r.code == 0, r.both
        assert all(_tables(p, u) == {"Tenant"} for u in urls[:2])
        # a new migration, a third (new) tenant, a failed row on one, an edited file
        p.add_migration(*M2)
        p.run("migrate", "deploy", url=urls[2])
        (p.migrations / M1[0] / "migration.sql").write_text(M1[1] + "\n-- edited\n")
        with psycopg.connect(urls[1], autocommit=True) as conn:
            conn.execute("INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, "
                         "applied_steps_count) VALUES ('x', 'c', %s, now(), 0)", (M2[0],))
        (p.root / "targets.txt").write_text("\n".join(urls + [UNREACHABLE]))
        s = p.run("migrate", "status", "--targets", "targets.txt")
        assert s.code == 1
        rows = {line.split()[0]: line for line in s.out.splitlines() if line.startswith(("postgres", "file"))}
        assert rows[urls[0]].split()[1:5] == ["pending", "1", "-", M1[0]]  # pending (and M1 edited)
        assert rows[urls[1]].split()[1:5] == ["FAILED", "0", M2[0], M1[0]]
        assert rows[urls[2]].split()[1:5] == ["drifted", "0", "-", M1[0]]
        assert rows["postgresql://app:****@127.0.0.1:1/tenant_gone?connect_timeout=2"].split()[1] == "ERROR"
        data = json.loads(p.run("migrate", "status", "--targets", "targets.txt", "--json").out)
        assert [r["state"] for r in data["results"]] == ["pending", "failed", "drifted", "error"]
        assert data["results"][0]["pending"] == [M2[0]] and data["results"][1]["failed"] == [M2[0]]
        assert data["ok"] is False
    finally:
        for u in urls:
            p.drop_database(u)


def test_python_call(tmp_path, postgres_url):
    from lamina import api

    p = make_project(tmp_path, "postgresql", postgres_url)
    p.add_migration(*M1)
    urls = [with_database(postgres_url, database_name(postgres_url) + f"_t{i}") for i in range(3)]
    seen = []
    try:
        report = api.migrate_deploy_targets(urls + [with_credentials(urls[0], "nobody_here", "s3cret")],
                                            schema=p.schema, concurrency=2, on_result=seen.append)
        assert [r.state for r in report.results] == ["applied"] * 3 + ["failed"]
        assert report.results[3].target.count("****") == 1 and "s3cret" not in report.results[3].error
        assert not report.ok and len(seen) == 4
        assert all(_tables(p, u) == {"Tenant"} for u in urls)
        status = api.migrate_status_targets(urls, schema=p.schema)
        assert [r.state for r in status.results] == ["up_to_date"] * 3
        with pytest.raises(api.LaminaError, match="the schema's provider is postgresql"):
            api.migrate_deploy_targets(["file:./x.db"], schema=p.schema)
    finally:
        for u in urls:
            p.drop_database(u)


def test_a_failing_migration_is_summed_up_by_its_name_and_the_database_error(tmp_path):
    p, urls = _sqlite_fleet(tmp_path, 2)
    p.add_migration("20250103000000_bad", 'ALTER TABLE "Nope" ADD COLUMN "x" TEXT;')
    (tmp_path / "proj" / "targets.txt").write_text("\n".join(urls))
    r = p.run("migrate", "deploy", "--targets", "targets.txt", "--json")
    assert r.code == 1
    results = json.loads(r.out)["results"]
    assert [(x["state"], x["code"], x["error"]) for x in results] == [
        ("failed", "P3018", "P3018 migration `20250103000000_bad` failed: no such table: Nope")] * 2
    assert all(_tables(p, u) == {"Tenant", "Note"} for u in urls)  # what came before it stays applied
