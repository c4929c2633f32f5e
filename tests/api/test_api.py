"""lamina.api: the commands as functions returning data, raising typed errors with Prisma's codes."""

from __future__ import annotations

import pytest

from wf_helpers import make_project

from lamina import api
from lamina.errors import LaminaError

USER = 'model User {\n  id    Int    @id @default(autoincrement())\n  email String @unique\n}\n'
POST = USER + 'model Post {\n  id    Int    @id @default(autoincrement())\n  title String\n}\n'


def _project(request, tmp_path, provider):
    if provider == "sqlite":
        return make_project(tmp_path, "sqlite", "file:./dev.db", USER)
    url = request.getfixturevalue("postgres_url" if provider == "postgresql" else "mysql_url")
    return make_project(tmp_path, provider, url, USER)


@pytest.fixture(params=["sqlite", "postgresql", "mysql"])
def project(request, tmp_path, monkeypatch):
    p = _project(request, tmp_path, request.param)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    return p


def _diff_sql(p):
    return api.migrate_diff(from_empty=True, to_schema=p.schema, script=True).text


def test_deploy_status_and_diff_return_data(project, capsys, monkeypatch):
    p = project
    p.add_migration("20250101000000_init", _diff_sql(p))
    url = p.url if p.provider != "sqlite" else "file:./dev.db"
    if p.provider == "sqlite":  # the file does not exist yet: P1003, as `migrate status` says it
        with pytest.raises(api.DatabaseConnectionError) as missing:
            api.migrate_status(schema=p.schema, url=url)
        assert missing.value.code == "P1003"
    else:
        status = api.migrate_status(schema=p.schema, url=url)
        assert (status.state, status.pending, status.managed) == ("pending", ["20250101000000_init"], False)
        assert not status.up_to_date

    result = api.migrate_deploy(schema=p.schema, url=url)
    assert result.applied == ["20250101000000_init"] and result.found == 1 and result.changed
    assert "User" in {t for t in p.tables()} or "user" in {t.lower() for t in p.tables()}
    assert p.history()[0][0] == "20250101000000_init"
    again = api.migrate_deploy(schema=p.schema, url=url)
    assert again.applied == [] and not again.changed

    status = api.migrate_status(schema=p.schema, url=url)
    assert status.up_to_date and status.applied == ["20250101000000_init"] and status.pending == []

    p.write_schema(POST)
    monkeypatch.setenv("DATABASE_URL", url)  # the replay's temporary shadow database goes beside it
    diff = api.migrate_diff(from_migrations=p.migrations, to_schema=p.schema, script=True)
    assert diff.changed and "Post" in diff.text
    summary = api.migrate_diff(from_schema=p.schema, to_schema=p.schema, script=False)
    assert not summary.changed

    assert capsys.readouterr() == ("", "")  # nothing printed by any of them


def test_typed_errors_carry_the_p_code(project):
    p = project
    url = p.url if p.provider != "sqlite" else "file:./dev.db"
    p.add_migration("20250101000000_init", _diff_sql(p))
    p.add_migration("20250102000000_broken", 'SELECT * FROM "does_not_exist";\n')
    with pytest.raises(api.MigrationFailedError) as failed:
        api.migrate_deploy(schema=p.schema, url=url)
    assert failed.value.code == "P3018" and isinstance(failed.value, LaminaError)
    assert "20250102000000_broken" in failed.value.message
    with pytest.raises(api.FailedMigrationsError) as blocked:
        api.migrate_deploy(schema=p.schema, url=url)
    assert blocked.value.code == "P3009"
    assert api.migrate_status(schema=p.schema, url=url).state == "failed"


def test_edited_and_not_empty_errors(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    p = make_project(tmp_path, "sqlite", "file:./dev.db", USER)
    folder = p.add_migration("20250101000000_init", _diff_sql(p))
    api.migrate_deploy(schema=p.schema, url="file:./dev.db")
    (folder / "migration.sql").write_text(_diff_sql(p) + "-- edited\n")
    with pytest.raises(api.EditedMigrationsError):
        api.migrate_deploy(schema=p.schema, url="file:./dev.db")
    assert api.migrate_deploy(schema=p.schema, url="file:./dev.db", ignore_checksums=True).applied == []

    other = tmp_path / "other.db"
    import sqlite3

    sqlite3.connect(other).execute("CREATE TABLE t (id INTEGER)").connection.commit()
    with pytest.raises(api.DatabaseNotEmptyError) as not_empty:
        api.migrate_deploy(schema=p.schema, url=f"file:{other}")
    assert not_empty.value.code == "P3005"


def test_connection_and_schema_errors(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    p = make_project(tmp_path, "postgresql", "postgresql://postgres@127.0.0.1:1/nope", USER)
    with pytest.raises(api.DatabaseConnectionError) as exc:
        api.migrate_status(schema=p.schema, url="postgresql://postgres@127.0.0.1:1/nope?connect_timeout=2")
    assert exc.value.code == "P1001" and exc.value.exit_code == 3
    p.schema.write_text(p.schema.read_text() + "model Broken {\n  id Nope @id\n}\n")
    with pytest.raises(api.SchemaError) as bad:
        api.validate(schema=p.schema)
    assert bad.value.code == "P1012" and "Nope" in bad.value.message


def test_db_push_validate_format_generate(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    p = make_project(tmp_path, "sqlite", "file:./dev.db", USER)
    assert api.validate(schema=p.schema).schema_path == p.schema
    assert api.db_push(schema=p.schema, url="file:./dev.db").changed
    assert not api.db_push(schema=p.schema, url="file:./dev.db").changed
    import sqlite3

    db = p.root / "prisma" / "dev.db"
    sqlite3.connect(db).execute('INSERT INTO "User" (email) VALUES (\'a@x.io\')').connection.commit()
    p.write_schema("model Other {\n  id Int @id\n}\n")
    with pytest.raises(api.DataLossError):
        api.db_push(schema=p.schema, url="file:./dev.db")
    assert sqlite3.connect(db).execute('SELECT count(*) FROM "User"').fetchone() == (1,)
    assert api.db_push(schema=p.schema, url="file:./dev.db", accept_data_loss=True).changed

    p.schema.write_text(p.schema.read_text().replace("  id Int @id", "  id    Int @id"))
    check = api.format_schema(schema=p.schema, check=True)
    assert check.changed == [p.schema] and not check.written and "id    Int" in p.schema.read_text()
    api.format_schema(schema=p.schema)
    assert api.format_schema(schema=p.schema, check=True).formatted

    p.schema.write_text('generator client {\n  provider = "lamina"\n  output   = "../app_client"\n}\n\n'
                        + p.schema.read_text())
    generated = api.generate(schema=p.schema)
    assert generated.outputs == [p.root / "app_client"] and (p.root / "app_client" / "client.py").is_file()


def test_diff_needs_one_side_each():
    with pytest.raises(LaminaError, match="exactly one of from_empty"):
        api.migrate_diff(to_empty=True)
