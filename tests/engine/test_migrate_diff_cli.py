"""`lamina migrate diff`: every kind of side, --script, summary, --exit-code, -o."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from lamina.cli import main
from tests.engine.anchor import SCENARIOS, for_provider
from tests.engine.helpers import connect_raw, run_script, script

CASE = SCENARIOS / "combined_changes"


def lamina(capsys, *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        main(list(args))
    out = capsys.readouterr()
    return exc.value.code, out.out, out.err


def printed(text: str) -> str:
    """What Prisma's CLI prints for a diff `text`: the text, a newline, then its empty result line
    (a script on stdout ends `;\\n\\n\\n`; anchors/PRISMA-FACTS.md)."""
    return text + "\n\n"


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def _schemas(tmp_path: Path, provider: str, url: str | None = None) -> tuple[str, str]:
    before = for_provider((CASE / "before.prisma").read_text(), provider)
    after = for_provider((CASE / "after.prisma").read_text(), provider)
    if url:
        before = before.replace(f'provider = "{provider}"', f'provider = "{provider}"\n  url      = "{url}"', 1)
    return write(tmp_path, "before.prisma", before), write(tmp_path, "after.prisma", after)


@pytest.mark.parametrize("provider", ["sqlite", "postgresql"])
def test_schema_to_schema_script_equals_prisma(tmp_path, capsys, provider):
    before, after = _schemas(tmp_path, provider)
    code, out, _ = lamina(capsys, "migrate", "diff", "--from-schema-datamodel", before, "--to-schema-datamodel", after,
                          "--script")
    assert code == 0
    assert out == printed((CASE / f"expected.{provider}.sql").read_text())
    # Prisma 7 spellings
    code, out7, _ = lamina(capsys, "migrate", "diff", "--from-schema", before, "--to-schema", after, "--script")
    assert (code, out7) == (0, out)


def test_exit_code_and_output_file(tmp_path, capsys):
    before, after = _schemas(tmp_path, "sqlite")
    assert lamina(capsys, "migrate", "diff", "--from-schema", after, "--to-schema", after, "--exit-code")[0] == 0
    assert lamina(capsys, "migrate", "diff", "--from-schema", before, "--to-schema", after, "--exit-code")[0] == 2
    assert lamina(capsys, "migrate", "diff", "--from-schema", str(tmp_path / "nope.prisma"), "--to-empty",
                  "--exit-code")[0] == 1
    target = tmp_path / "out" / "m.sql"
    code, out, _ = lamina(capsys, "migrate", "diff", "--from-empty", "--to-schema", after, "--script", "-o", str(target))
    assert code == 0 and out == "\n"  # the empty result line; the file gets the text and one newline
    assert target.read_text() == script(None, Path(after).read_text(), "sqlite") + "\n"
    code, out, _ = lamina(capsys, "migrate", "diff", "--from-schema", before, "--to-schema", after, "--script",
                          "--exit-code")
    assert (code, out) == (2, script(Path(before).read_text(), Path(after).read_text(), "sqlite") + "\n")


def test_empty_diff_texts(tmp_path, capsys):
    _, after = _schemas(tmp_path, "sqlite")
    assert lamina(capsys, "migrate", "diff", "--from-schema", after, "--to-schema", after, "--script")[1] == (
        "-- This is an empty migration.\n\n\n"
    )
    assert lamina(capsys, "migrate", "diff", "--from-schema", after, "--to-schema", after)[1] == (
        "No difference detected.\n\n\n"
    )


def test_two_empty_sides_name_no_connector(capsys):
    """Prisma 7.10.1: `migrate diff --from-empty --to-empty` fails, exit 1, with this error."""
    for extra in ((), ("--script",), ("--exit-code",)):
        code, out, err = lamina(capsys, "migrate", "diff", "--from-empty", "--to-empty", *extra)
        assert (code, out) == (1, "")
        assert "Could not determine the connector to use for diffing." in err and "Traceback" not in err


def test_summary_equals_prisma(tmp_path, capsys):
    before, after = _schemas(tmp_path, "postgresql")
    code, out, _ = lamina(capsys, "migrate", "diff", "--from-schema", before, "--to-schema", after, "--exit-code")
    assert code == 2
    assert out == (CASE / "summary.postgresql.txt").read_text()  # --exit-code ends it before the result line


def test_exactly_one_source_is_required(tmp_path, capsys):
    _, after = _schemas(tmp_path, "sqlite")
    code, _, err = lamina(capsys, "migrate", "diff", "--to-schema", after)
    assert code == 1 and "--from-empty" in err and "Traceback" not in err
    code, _, err = lamina(capsys, "migrate", "diff", "--from-empty", "--from-schema", after, "--to-schema", after)
    assert code == 1 and "Exactly one" in err


# Prisma 7.10.1's `migrate diff --from-config-datasource --to-schema after.prisma --script` on a
# database made from before.prisma (its stdout less the two newlines the CLI adds: `printed`).
FROM_DATABASE_POSTGRESQL = '-- DropForeignKey\nALTER TABLE "Post" DROP CONSTRAINT "Post_authorId_fkey";\n\n-- AlterTable\nALTER TABLE "Post" ADD COLUMN     "published" BOOLEAN NOT NULL DEFAULT false;\n\n-- AlterTable\nALTER TABLE "User" ADD COLUMN     "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,\nADD COLUMN     "name" TEXT;\n\n-- CreateTable\nCREATE TABLE "Comment" (\n    "id" SERIAL NOT NULL,\n    "body" TEXT NOT NULL,\n\n    CONSTRAINT "Comment_pkey" PRIMARY KEY ("id")\n);\n\n-- CreateIndex\nCREATE INDEX "User_name_idx" ON "User"("name");\n\n-- AddForeignKey\nALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;\n'


@pytest.mark.parametrize("provider", ["sqlite", "postgresql"])
def test_database_sides(tmp_path, capsys, provider, request):
    """--from-url and the spec's drift command (--from-schema-datasource) read the live database."""
    url = request.getfixturevalue("sqlite_url" if provider == "sqlite" else "postgres_url")
    before, after = _schemas(tmp_path, provider, url)
    conn = connect_raw(url) if provider == "postgresql" else sqlite3.connect(url[len("file:"):], isolation_level=None)
    run_script(conn, script(None, Path(before).read_text(), provider))
    conn.close()
    expected = printed((CASE / f"expected.{provider}.sql").read_text())
    if provider == "postgresql":
        # The database as the "from" side: steps on existing tables in the order Prisma's
        # describer lists them, by name (Post before User; the schema declares User first).
        expected = printed(FROM_DATABASE_POSTGRESQL)
    code, out, err = lamina(capsys, "migrate", "diff", "--from-url", url, "--to-schema-datamodel", after, "--script")
    assert (code, out) == (0, expected), err
    code, out, err = lamina(capsys, "migrate", "diff", "--from-schema-datasource", before,
                            "--to-schema-datamodel", before, "--script", "--exit-code")
    assert (code, out) == (0, printed("-- This is an empty migration.\n")), err
    code, out, err = lamina(capsys, "--schema", before, "migrate", "diff", "--from-config-datasource",
                            "--to-schema", after, "--script")
    assert (code, out) == (0, expected), err


@pytest.mark.parametrize("provider", ["sqlite", "postgresql"])
def test_migrations_side(tmp_path, capsys, provider, request):
    before, after = _schemas(tmp_path, provider)
    migrations = tmp_path / "migrations"
    (migrations / "20240101000000_init").mkdir(parents=True)
    (migrations / "20240101000000_init" / "migration.sql").write_text(script(None, Path(before).read_text(), provider))
    (migrations / "migration_lock.toml").write_text(
        f'# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\n'
        f'provider = "{provider}"\n'
    )
    args = ["migrate", "diff", "--from-migrations", str(migrations), "--to-schema", after, "--script"]
    if provider == "postgresql":
        args += ["--shadow-database-url", request.getfixturevalue("postgres_url")]
    code, out, err = lamina(capsys, *args)
    # the replayed shadow database is described like any database (Prisma: the same order)
    expected = printed(FROM_DATABASE_POSTGRESQL if provider == "postgresql" else (CASE / f"expected.{provider}.sql").read_text())
    assert (code, out) == (0, expected), err
    (migrations / "migration_lock.toml").unlink()
    code, _, err = lamina(capsys, "migrate", "diff", "--from-migrations", str(migrations), "--to-empty", "--exit-code")
    assert code == 1 and "migration_lock.toml" in err


def test_migrations_side_temporary_postgres_database(tmp_path, capsys, postgres_url, monkeypatch):
    """Without --shadow-database-url, a temporary database is created beside DATABASE_URL (and dropped)."""
    before, after = _schemas(tmp_path, "postgresql")
    migrations = tmp_path / "migrations"
    (migrations / "1_init").mkdir(parents=True)
    (migrations / "1_init" / "migration.sql").write_text(script(None, Path(before).read_text(), "postgresql"))
    (migrations / "migration_lock.toml").write_text('provider = "postgresql"\n')
    monkeypatch.setenv("DATABASE_URL", postgres_url)
    code, out, err = lamina(capsys, "migrate", "diff", "--from-migrations", str(migrations), "--to-schema", after,
                            "--script")
    assert (code, out) == (0, printed(FROM_DATABASE_POSTGRESQL)), err


def test_spec_drift_command_with_env_file(tmp_path, capsys, monkeypatch):
    """The spec's drift check: --from-schema-datasource prisma/schema.prisma --to-schema-datamodel
    prisma/schema.prisma --script, with DATABASE_URL from prisma/.env; an applied schema is in sync."""
    monkeypatch.setenv("DATABASE_URL", "unset")  # recorded, so that teardown restores the original
    monkeypatch.delenv("DATABASE_URL")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "prisma").mkdir()
    text = (CASE / "after.prisma").read_text().replace('provider = "postgresql"', 'provider = "sqlite"\n  url      = env("DATABASE_URL")')
    (tmp_path / "prisma" / "schema.prisma").write_text(text)
    (tmp_path / "prisma" / ".env").write_text('DATABASE_URL="file:./dev.db"\n')
    conn = sqlite3.connect(tmp_path / "prisma" / "dev.db", isolation_level=None)
    conn.executescript(script(None, for_provider(text, "sqlite"), "sqlite"))
    conn.close()
    code, out, err = lamina(capsys, "migrate", "diff", "--from-schema-datasource", "prisma/schema.prisma",
                            "--to-schema-datamodel", "prisma/schema.prisma", "--script")
    assert (code, out) == (0, printed("-- This is an empty migration.\n")), err


def test_mysql_url_side(tmp_path, capsys, mysql_url):
    """MySQL/MariaDB: --from-url reads the live database; applying the script leaves no difference."""
    from lamina.db import connect

    before, after = _schemas(tmp_path, "mysql")
    with connect(mysql_url) as conn:
        conn.execute_script(script(None, Path(before).read_text(), "mysql"))
    code, out, err = lamina(capsys, "migrate", "diff", "--from-url", mysql_url, "--to-schema", after, "--script")
    assert code == 0 and out.startswith("-- "), err
    with connect(mysql_url) as conn:
        conn.execute_script(out)
    code, out, err = lamina(capsys, "migrate", "diff", "--from-url", mysql_url, "--to-schema", after, "--exit-code")
    assert (code, out) == (0, printed("No difference detected.\n")), err


def test_multi_schema_database_side(tmp_path, capsys, postgres_url):
    """--from-url describes the namespaces the schema side declares (multiSchema)."""
    from lamina.db import connect

    case = SCENARIOS / "multi_schema_add_model"
    before = write(tmp_path, "before.prisma", (case / "before.prisma").read_text())
    after = write(tmp_path, "after.prisma", (case / "after.prisma").read_text())
    with connect(postgres_url) as conn:
        conn.execute_script(script(None, Path(before).read_text(), "postgresql"))
    code, out, err = lamina(capsys, "migrate", "diff", "--from-url", postgres_url, "--to-schema", after, "--script")
    assert (code, out) == (0, printed("-- CreateSchema\nCREATE SCHEMA IF NOT EXISTS \"billing\";\n\n"
                                      + (case / "expected.postgresql.sql").read_text())), err
    code, out, err = lamina(capsys, "migrate", "diff", "--from-url", postgres_url, "--to-schema", before, "--exit-code")
    assert (code, out) == (0, printed("No difference detected.\n")), err


def test_usage_errors_exit_one(capsys):
    code, _, err = lamina(capsys, "migrate", "diff", "--from-nothing", "x", "--exit-code")
    assert code == 1 and "No such option '--from-nothing'" in err


def test_invalid_schema_is_the_engines_p1012(tmp_path, capsys, monkeypatch):
    """Seen with Prisma 7.10.1: the schema engine validates for `migrate diff`, so the error is
    `Error: P1012`, a blank line, the diagnostics and a blank line, without the CLI's
    "Prisma schema validation" header or the schema's warnings."""
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "bad.prisma", (
        'generator client {\n  provider = "prisma-client-js"\n  previewFeatures = ["multiSchema"]\n}\n'
        'datasource db {\n  provider = "postgresql"\n}\nmodel User {\n  id Int @id @uniqe\n}\n'
    ))
    code, out, err = lamina(capsys, "migrate", "diff", "--from-empty", "--to-schema", "bad.prisma", "--script")
    assert (code, out) == (1, "")
    assert err == (
        "Error: P1012\n"
        "\n"
        'error: Attribute not known: "@uniqe".\n'
        "  -->  bad.prisma:9\n"
        "   | \n"
        " 8 | model User {\n"
        " 9 |   id Int @id @uniqe\n"
        "   | \n"
        "\n"
        "\n"
    )
