"""lamina.api's `on_event` (what the CLI prints as a command works), `db_push`'s `confirm`, and
the CLI showing exactly what the API returns (one code path)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from wf_helpers import clean_env, make_project

from lamina import api

USER = 'model User {\n  id    Int    @id @default(autoincrement())\n  email String @unique\n}\n'
WITH_NAME = USER.replace("  email String @unique\n", "  email String @unique\n  name  String?\n")


@pytest.fixture
def project(tmp_path, monkeypatch):
    p = make_project(tmp_path, "sqlite", "file:./dev.db", USER)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.chdir(p.root)  # paths are shown relative to the working directory, as the CLI shows them
    sql = api.migrate_diff(from_empty=True, to_schema=p.schema).text
    p.add_migration("20250101000000_init", sql)
    p.add_migration("20250102000000_more", 'CREATE TABLE "Other" ("id" INTEGER PRIMARY KEY);\n')
    return p


def test_deploy_reports_each_migration_as_it_goes(project, capsys, monkeypatch):
    """`applying` when a migration starts, `applied` once it is committed: on SQLite the two
    short migrations share one commit (group_commit.py; a window long enough whatever the load)."""
    from lamina.migrate import group_commit

    monkeypatch.setattr(group_commit, "WINDOW_S", 60.0)
    p = project
    events = []
    result = api.migrate_deploy(schema=p.schema, url="file:./dev.db", on_event=events.append)
    kinds = [e.kind for e in events]
    assert kinds == ["loaded", "created", "found", "applying", "applying", "applied", "applied", "applied_all"]
    assert events[2].text == "2 migrations found in prisma/migrations"
    assert [(e.kind, e.migration) for e in events if e.kind == "applied"] == [
        ("applied", "20250101000000_init"), ("applied", "20250102000000_more")]
    assert events[5].text.startswith("Applied migration 1/2 `20250101000000_init` in ")
    assert result.applied == ["20250101000000_init", "20250102000000_more"]
    assert capsys.readouterr() == ("", "")  # given to on_event, not printed


def test_deploy_without_on_event_keeps_the_lines_in_log(project, capsys):
    p = project
    result = api.migrate_deploy(schema=p.schema, url="file:./dev.db")
    assert "2 migrations found in prisma/migrations" in result.log
    assert "Applied migration 2/2 `20250102000000_more` in " in result.log
    assert capsys.readouterr() == ("", "")


def test_cli_status_json_is_the_api_status(project):
    p = project
    api.migrate_deploy(schema=p.schema, url="file:./dev.db", on_event=lambda e: None)
    (p.migrations / "20250103000000_pending").mkdir()
    (p.migrations / "20250103000000_pending" / "migration.sql").write_text('CREATE TABLE "P" ("id" INTEGER);\n')
    status = api.migrate_status(schema=p.schema, url="file:./dev.db")
    r = subprocess.run([sys.executable, "-m", "lamina", "migrate", "status", "--json"], cwd=p.root,
                       env=clean_env(DATABASE_URL="file:./dev.db"), capture_output=True, text=True)
    assert r.returncode == 1 and r.stderr == ""
    shown = json.loads(r.stdout)
    assert (shown["status"], shown["pending"], shown["applied"], shown["local"]) == (
        status.state, status.pending, status.applied, status.local)
    assert shown["migrationsDirectory"] == status.migrations_directory == "prisma/migrations"


def test_db_push_asks_confirm_before_losing_data(project):
    p = project
    p.write_schema(WITH_NAME)
    first = api.db_push(schema=p.schema, url="file:./dev.db")
    assert first.changed and "Your database is now in sync" in first.log
    assert not api.db_push(schema=p.schema, url="file:./dev.db").changed  # already in sync
    p.query('INSERT INTO "User" ("email", "name") VALUES (\'a@b.c\', \'Ada\')')
    p.write_schema(USER)
    asked = []
    with pytest.raises(api.DataLossError):
        api.db_push(schema=p.schema, url="file:./dev.db", confirm=lambda q: asked.append(q) or False)
    assert asked == ["Do you want to ignore the warning(s)?"]
    assert [r[1] for r in p.query('PRAGMA table_info("User")')] == ["id", "email", "name"]  # nothing changed
    events = []
    pushed = api.db_push(schema=p.schema, url="file:./dev.db", confirm=lambda q: True, on_event=events.append)
    assert pushed.changed and [e.kind for e in events] == ["loaded", "data_loss", "pushed"]
    assert "You are about to drop the column `name` on the `User` table" in events[1].text
    assert [r[1] for r in p.query('PRAGMA table_info("User")')] == ["id", "email"]
