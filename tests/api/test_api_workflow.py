"""lamina.api's migrate_dev, migrate_reset, migrate_resolve, migrate_rollback, migrate_lint,
db_pull and db_seed against real databases: what they return, what the database and
`_prisma_migrations` hold afterwards, the typed errors, and that nothing is printed."""

from __future__ import annotations

import pytest

from wf_helpers import make_project

from lamina import api

USER = 'model User {\n  id    Int    @id @default(autoincrement())\n  email String @unique\n}\n'
WITH_NAME = USER.replace("  email String @unique\n", "  email String @unique\n  name  String?\n")
WITH_POST = WITH_NAME + 'model Post {\n  id    Int    @id @default(autoincrement())\n  title String\n}\n'


@pytest.fixture(params=["sqlite", "postgresql"])
def project(request, tmp_path, monkeypatch):
    url = "file:./dev.db" if request.param == "sqlite" else request.getfixturevalue("postgres_url")
    p = make_project(tmp_path, request.param, url, USER)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.chdir(p.root)  # the seed runs here; paths are shown relative to it
    return p


@pytest.fixture
def sqlite_project(tmp_path, monkeypatch):
    p = make_project(tmp_path, "sqlite", "file:./dev.db", USER)
    monkeypatch.setenv("DATABASE_URL", p.url)
    monkeypatch.chdir(p.root)
    return p


def _columns(p, table: str) -> list[str]:
    if p.provider == "sqlite":
        return [r[1] for r in p.query(f'PRAGMA table_info("{table}")')]
    return [r[0] for r in p.query("SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' "
                                  f"AND table_name = '{table}' ORDER BY ordinal_position")]


def _folders(p) -> list[str]:
    return sorted(f.name for f in p.migrations.iterdir() if f.is_dir())


# ---------------------------------------------------------------- migrate_dev


def test_dev_creates_applies_and_reports(project, capsys):
    p = project
    events = []
    first = api.migrate_dev(schema=p.schema, name="init", on_event=events.append)
    assert first.migration.endswith("_init") and first.path == p.migrations / first.migration
    assert (first.path / "migration.sql").is_file() and (first.path / "down.sql").is_file()
    assert first.applied == [first.migration] and first.database_created == (p.provider == "sqlite")
    assert not first.reset and first.warnings == [] and first.log == ""  # on_event got the lines
    kinds = [e.kind for e in events]
    assert kinds[0] == "loaded" and kinds[-1] == "created_applied"
    assert [(name, finished is not None, rolled_back) for name, _c, finished, rolled_back, *_ in p.history()] == [
        (first.migration, True, None)]
    assert "User" in p.tables()

    again = api.migrate_dev(schema=p.schema)
    assert (again.migration, again.applied) == (None, [])
    assert "Already in sync, no schema change or pending migration was found." in again.log
    assert capsys.readouterr() == ("", "")


def test_dev_create_only_writes_without_applying_and_the_next_call_applies_it(project, capsys):
    p = project
    init = api.migrate_dev(schema=p.schema, name="init")
    p.write_schema(WITH_NAME)
    created = api.migrate_dev(schema=p.schema, create_only=True)
    assert created.migration.endswith("_add_user_name")  # named from the change, as the CLI suggests it
    assert created.applied == [] and _columns(p, "User") == ["id", "email"]
    assert [r[0] for r in p.history()] == [init.migration]
    assert f"Lamina created the following migration without applying it {created.migration}" in created.log

    applied = api.migrate_dev(schema=p.schema)
    assert (applied.migration, applied.applied) == (None, [created.migration])
    assert _columns(p, "User") == ["id", "email", "name"]
    assert [r[0] for r in p.history()] == [init.migration, created.migration]
    assert capsys.readouterr() == ("", "")


def test_dev_refuses_data_loss_unless_accepted(project, capsys):
    p = project
    p.write_schema(WITH_NAME)
    api.migrate_dev(schema=p.schema, name="init")
    p.query("INSERT INTO \"User\" (email, name) VALUES ('a@b.c', 'Ada')")
    p.write_schema(USER)
    with pytest.raises(api.DataLossError) as refused:
        api.migrate_dev(schema=p.schema, name="drop_name")
    assert "accept_data_loss=True" in refused.value.message and "create_only=True" in refused.value.message
    assert any("drop the column `name`" in w for w in refused.value.warnings)
    assert len(_folders(p)) == 1 and _columns(p, "User") == ["id", "email", "name"]  # nothing written or run

    accepted = api.migrate_dev(schema=p.schema, name="drop_name", accept_data_loss=True)
    assert accepted.migration.endswith("_drop_name") and accepted.applied == [accepted.migration]
    assert any("drop the column `name`" in w for w in accepted.warnings)
    assert _columns(p, "User") == ["id", "email"]
    assert [r[0] for r in p.history()][-1] == accepted.migration
    assert capsys.readouterr() == ("", "")


def test_dev_says_a_reset_is_needed_and_resets_when_asked(project, capsys):
    p = project
    init = api.migrate_dev(schema=p.schema, name="init")
    p.query('CREATE TABLE "Extra" ("id" INTEGER)')  # drift: not in any migration
    with pytest.raises(api.ResetNeededError) as needed:
        api.migrate_dev(schema=p.schema)
    assert needed.value.exit_code == 4 and "reset=True" in needed.value.message
    assert needed.value.reasons == ["Drift detected: Your database schema is not in sync with your migration history."]
    assert "We need to reset the" in needed.value.explanation and "Extra" in needed.value.explanation
    assert "Extra" in p.tables()  # nothing dropped

    p.write_schema(WITH_NAME)
    done = api.migrate_dev(schema=p.schema, name="add_name", reset=True)
    assert done.reset and done.migration.endswith("_add_name")
    assert "Extra" not in p.tables() and _columns(p, "User") == ["id", "email", "name"]
    assert [r[0] for r in p.history()] == [init.migration, done.migration]
    assert capsys.readouterr() == ("", "")


def test_dev_with_a_broken_schema_is_a_schema_error(sqlite_project, capsys):
    p = sqlite_project
    p.write_schema("model User {\n  id Int @id\n  email Strin\n}\n")
    with pytest.raises(api.SchemaError) as broken:
        api.migrate_dev(schema=p.schema, name="init")
    assert broken.value.code == "P1012" and "Strin" in broken.value.message
    assert not p.migrations.exists()
    assert capsys.readouterr().out == ""


def test_dev_seeds_the_database_it_created_in_cwd(sqlite_project, tmp_path, monkeypatch, capfd):
    p = sqlite_project
    (p.root / "pyproject.toml").write_text('[tool.lamina]\nseed = "python -c \\"print(\'seeded here\')\\""\n')
    monkeypatch.chdir(tmp_path)  # not the project: cwd= says where it is
    done = api.migrate_dev(schema=p.schema, name="init", cwd=p.root)
    assert done.database_created and done.seed_output == "seeded here\n"
    assert "Running seed command" in done.log
    again = api.migrate_dev(schema=p.schema, cwd=p.root)
    assert again.seed_output is None  # only a database it created is seeded
    assert capfd.readouterr() == ("", "")


def test_dev_python_needs_create_only(sqlite_project):
    p = sqlite_project
    with pytest.raises(api.LaminaError, match="python=True needs create_only=True"):
        api.migrate_dev(schema=p.schema, python=True)
    created = api.migrate_dev(schema=p.schema, name="data", create_only=True, python=True)
    assert (created.path / "migration.py").is_file()
    assert f"Added {created.migration}/migration.py" in created.log


# ---------------------------------------------------------------- migrate_reset


def test_reset_needs_force_then_reapplies_every_migration_and_seeds(project, capsys):
    p = project
    init = api.migrate_dev(schema=p.schema, name="init")
    p.query("INSERT INTO \"User\" (email) VALUES ('a@b.c')")
    with pytest.raises(api.ConfirmationRequiredError) as unconfirmed:
        api.migrate_reset(schema=p.schema)
    assert "force=True" in unconfirmed.value.message
    assert p.query('SELECT count(*) FROM "User"') == [(1,)]  # nothing dropped

    (p.root / "pyproject.toml").write_text('[tool.lamina]\nseed = "python -c \\"print(\'seeded here\')\\""\n')
    done = api.migrate_reset(schema=p.schema, force=True)
    assert done.applied == [init.migration] and not done.cancelled
    assert done.seed_output == "seeded here\n"
    assert "Database reset successful" in done.log and "🌱  The seed command has been executed." in done.log
    assert p.query('SELECT count(*) FROM "User"') == [(0,)]
    assert [(r[0], r[2] is not None) for r in p.history()] == [(init.migration, True)]  # a fresh history

    quiet = api.migrate_reset(schema=p.schema, force=True, skip_seed=True)
    assert quiet.seed_output is None and "seed" not in quiet.log
    assert capsys.readouterr() == ("", "")


# ---------------------------------------------------------------- migrate_resolve


def test_resolve_settles_a_failed_migration(project, capsys):
    p = project
    init = api.migrate_dev(schema=p.schema, name="init")
    p.add_migration("20990101000000_broken", 'SELECT * FROM "does_not_exist";\n')
    with pytest.raises(api.MigrationFailedError):
        api.migrate_deploy(schema=p.schema)
    assert api.migrate_status(schema=p.schema).state == "failed"

    with pytest.raises(api.MigrationNotFoundError) as missing:
        api.migrate_resolve(schema=p.schema, applied="20990101000000_nope")
    assert missing.value.code == "P3017"
    with pytest.raises(api.MigrationStateError) as already:
        api.migrate_resolve(schema=p.schema, applied=init.migration)
    assert already.value.code == "P3008"
    with pytest.raises(api.LaminaError, match="one of applied=NAME or rolled_back=NAME"):
        api.migrate_resolve(schema=p.schema)

    rolled = api.migrate_resolve(schema=p.schema, rolled_back="20990101000000_broken")
    assert (rolled.name, rolled.state) == ("20990101000000_broken", "rolled_back")
    broken_rows = [r for r in p.history() if r[0] == "20990101000000_broken"]
    assert len(broken_rows) == 1 and broken_rows[0][3] is not None  # rolled_back_at
    assert api.migrate_status(schema=p.schema).pending == ["20990101000000_broken"]

    marked = api.migrate_resolve(schema=p.schema, applied="20990101000000_broken")
    assert marked.state == "applied"
    assert [(r[2] is not None, r[3] is None) for r in p.history() if r[0] == "20990101000000_broken"] == [
        (False, False), (True, True)]  # the rolled-back row, and a new applied one
    assert api.migrate_status(schema=p.schema).up_to_date
    assert capsys.readouterr() == ("", "")


# ---------------------------------------------------------------- migrate_rollback


def test_rollback_runs_the_down_and_marks_the_row(project, capsys):
    p = project
    init = api.migrate_dev(schema=p.schema, name="init")
    p.write_schema(WITH_POST)
    second = api.migrate_dev(schema=p.schema, name="post")
    with pytest.raises(api.RollbackError, match="no applied migration has that name"):
        api.migrate_rollback(schema=p.schema, to="nope")

    down = second.path / "down.sql"
    kept = down.read_text()
    down.write_text(kept + '\nDROP TABLE "NoSuchTable";\n')
    with pytest.raises(api.RollbackError) as failed:
        api.migrate_rollback(schema=p.schema)
    assert f"The down migration of `{second.migration}` failed." in failed.value.message
    assert "Post" in p.tables() and [r[3] for r in p.history()] == [None, None]  # one transaction: nothing done
    down.write_text(kept)

    events = []
    done = api.migrate_rollback(schema=p.schema, on_event=events.append)
    assert done.rolled_back == [second.migration] and done.migrations_directory == "prisma/migrations"
    assert [e.migration for e in events if e.kind == "rolling_back"] == [second.migration]
    assert "Post" not in p.tables() and _columns(p, "User") == ["id", "email"]
    assert [(r[0], r[3] is not None) for r in p.history()] == [(init.migration, False), (second.migration, True)]
    assert api.migrate_status(schema=p.schema).pending == [second.migration]
    assert api.migrate_rollback(schema=p.schema, to=init.migration).rolled_back == []
    assert capsys.readouterr() == ("", "")


# ---------------------------------------------------------------- migrate_lint


def test_lint_returns_the_findings(sqlite_project, capsys):
    p = sqlite_project
    init = api.migrate_dev(schema=p.schema, name="init")
    p.add_migration("20990101000000_drop", '-- keep\nDROP TABLE "User";\n')

    pending = api.migrate_lint(schema=p.schema)  # without names: what the database has not applied
    assert pending.migrations == ["20990101000000_drop/migration.sql"]
    finding = next(f for f in pending.findings if f.rule == "L101")
    assert (finding.severity, finding.migration, finding.line, finding.statement) == (
        "error", "20990101000000_drop/migration.sql", 2, 'DROP TABLE "User";')
    assert "every row of the table is deleted" in finding.message
    assert not pending.ok and finding in pending.failing

    clean = api.migrate_lint(schema=p.schema, migrations=[init.migration], fail_on="warning")
    assert clean.migrations == [f"{init.migration}/migration.sql"] and clean.findings == [] and clean.ok
    with pytest.raises(api.LaminaError, match="neither a migration"):
        api.migrate_lint(schema=p.schema, migrations=["nope"])
    assert capsys.readouterr() == ("", "")


# ---------------------------------------------------------------- db_pull


def test_pull_prints_or_writes_the_introspected_schema(project, capsys):
    p = project
    api.migrate_dev(schema=p.schema, name="init")
    p.write_schema("")  # the datasource alone
    before = p.schema.read_text()
    printed = api.db_pull(schema=p.schema, print_only=True)
    assert "model User {" in printed.schema and "email String @unique" in printed.schema
    assert printed.written == [] and printed.models == 1 and p.schema.read_text() == before

    written = api.db_pull(schema=p.schema)
    assert written.written == [p.schema] and "model User {" in p.schema.read_text()
    assert "Introspecting based on datasource defined in prisma/schema.prisma" in written.log
    assert capsys.readouterr() == ("", "")


def test_pull_of_an_empty_database_is_p4001(sqlite_project, tmp_path, capsys):
    p = sqlite_project
    (p.root / "prisma" / "dev.db").touch()
    before = p.schema.read_text()
    with pytest.raises(api.EmptyDatabaseError) as empty:
        api.db_pull(schema=p.schema)
    assert empty.value.code == "P4001" and p.schema.read_text() == before
    assert capsys.readouterr().out == ""


# ---------------------------------------------------------------- db_seed


def test_seed_runs_the_configured_command_and_keeps_its_output(sqlite_project, capfd):
    p = sqlite_project
    with pytest.raises(api.NoSeedCommandError):
        api.db_seed(cwd=p.root)
    (p.root / "pyproject.toml").write_text('[tool.lamina]\nseed = "python seed.py"\n')
    (p.root / "seed.py").write_text("import sys\nprint('args', sys.argv[1:])\nsys.exit(3 if 'fail' in sys.argv else 0)\n")
    done = api.db_seed(args=["--x", "1"], cwd=p.root)
    assert done.command == "python seed.py --x 1" and done.output == "args ['--x', '1']\n"
    with pytest.raises(api.SeedError) as failed:
        api.db_seed(args=["fail"], cwd=p.root)
    assert failed.value.returncode == 3 and "exit code 3" in failed.value.message
    assert capfd.readouterr() == ("", "")  # not even the seed process wrote to the terminal


def test_cli_lint_and_rollback_show_what_the_api_returns(sqlite_project):
    """One code path: the CLI prints the API's result (here as `lint --format json`)."""
    import json

    p = sqlite_project
    init = api.migrate_dev(schema=p.schema, name="init")
    drop = p.add_migration("20990101000000_drop", 'DROP TABLE "User";\n')
    (drop / "down.sql").write_text((init.path / "migration.sql").read_text())
    result = api.migrate_lint(schema=p.schema)
    r = p.run("migrate", "lint", "--format", "json")
    assert r.code == 1 and not result.ok
    shown = json.loads(r.out)
    assert shown["migrations"] == result.migrations
    assert shown["findings"] == [f.as_dict() for f in result.findings]

    api.migrate_deploy(schema=p.schema, on_event=lambda e: None)
    r = p.run("migrate", "rollback", "--force")
    assert r.code == 0 and "Rolling back migration `20990101000000_drop`" in r.out
    assert api.migrate_status(schema=p.schema).pending == ["20990101000000_drop"] and "User" in p.tables()
