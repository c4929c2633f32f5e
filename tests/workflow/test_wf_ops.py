"""db execute, db seed, connection errors (P1000/P1001/P1003, masked URLs), parsing units."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from wf_helpers import make_project

from lamina.db.split import split_statements
from lamina.db.url import mask, parse_url
from lamina.errors import LaminaError
from lamina.migrate.directory import checksum_matches, sha256_hex, slugify
from tests.dburls import server_display, server_host, with_credentials, with_database


def test_db_execute_file_stdin_url(project, tmp_path):
    script = tmp_path / "s.sql"
    script.write_text(project.sql("CREATE TABLE \"Note\" (\"body\" TEXT);\n-- a comment; with a semicolon\nINSERT INTO \"Note\" VALUES ('a;b');\n"))
    r = project.run("db", "execute", "--file", str(script))
    assert (r.code, r.out) == (0, "Script executed successfully.\n"), r.both
    assert project.query('SELECT "body" FROM "Note"') == [("a;b",)]
    r = project.run("db", "execute", "--stdin", input=project.sql("INSERT INTO \"Note\" VALUES ('c');"))
    assert r.code == 0
    r = project.run("db", "execute", "--url", project.url if project.provider != "sqlite" else "file:./prisma/dev.db",
                    "--stdin", input=project.sql("INSERT INTO \"Note\" VALUES ('d');"))
    assert r.code == 0, r.both
    assert project.query('SELECT COUNT(*) FROM "Note"') == [(3,)]
    r = project.run("db", "execute", "--stdin", input="SELECT * FROM nope;")
    assert r.code == 1 and "nope" in r.err and "Traceback" not in r.err
    r = project.run("db", "execute")
    assert r.code == 1 and "Either --stdin or --file must be provided." in r.err


def test_db_seed_from_pyproject(sqlite_project):
    p = sqlite_project
    r = p.run("db", "seed")
    assert r.code == 1 and '[tool.lamina]\nseed = "python seed.py"' in r.err
    (p.root / "pyproject.toml").write_text('[tool.lamina]\nseed = "python seed.py"\n')
    (p.root / "seed.py").write_text("import os, sys\nprint('seeding', os.environ['DATABASE_URL'], sys.argv[1:])\n")
    r = p.run("db", "seed", "--", "--count", "3")
    assert r.code == 0, r.both
    assert r.out == ("Running seed command `python seed.py --count 3` ...\nseeding file:./dev.db ['--count', '3']\n\n"
                     "🌱  The seed command has been executed.\n")
    (p.root / "seed.py").write_text("raise SystemExit(3)\n")
    r = p.run("db", "seed")
    assert r.code == 1 and "Command failed with exit code 3" in r.err


def test_connection_errors_are_one_clear_line(sqlite_project, postgres_url):
    p = sqlite_project
    p.provider = "postgresql"
    p.write_schema()
    user = urlsplit(postgres_url).username
    r = p.run("migrate", "status", url=with_database(with_credentials(postgres_url, user, "s3cret"), "lamina_missing_db"))
    assert r.code == 3  # cannot connect: not 1, which means "not in sync"
    assert r.err.endswith("Error: P1003: Database `lamina_missing_db` does not exist on the database server at "
                          f"`{server_display(postgres_url)}`.\n")
    r = p.run("migrate", "deploy", url="postgresql://u:s3cret@127.0.0.1:1/db")
    assert r.code == 3 and "Error: P1001: Can't reach database server at `127.0.0.1`:`1`" in r.err
    assert "s3cret" not in r.both
    r = p.run("migrate", "status", url=with_database(with_credentials(postgres_url, "nobody_here", "s3cret"), "postgres"))
    assert r.code == 3  # cannot connect: not 1, which means "not in sync"
    assert f"Error: P1000: Authentication failed against database server at `{server_host(postgres_url)}`" in r.err
    assert "s3cret" not in r.both
    r = p.run("migrate", "status", url="mysql://x@127.0.0.1/db")
    assert r.code == 1 and "the URL must start with the protocol `postgresql://` or `postgres://`" in r.err


def test_mysql_connection_errors_are_one_clear_line(mysql_project):
    p = mysql_project
    r = p.run("migrate", "status", url=with_database(p.url, "lamina_missing_db"))
    assert r.code == 3
    assert r.err.endswith("Error: P1003: Database `lamina_missing_db` does not exist on the database server at "
                          f"`{server_display(p.url)}`.\n")
    r = p.run("migrate", "deploy", url="mysql://u:s3cret@127.0.0.1:1/db")
    assert r.code == 3 and "Error: P1001: Can't reach database server at `127.0.0.1`:`1`" in r.err
    r = p.run("migrate", "status", url=with_database(with_credentials(p.url, "nobody_here", "s3cret"), "mysql"))
    assert r.code == 3
    assert f"Error: P1000: Authentication failed against database server at `{server_host(p.url)}`" in r.err
    assert "s3cret" not in r.both


def test_missing_env_var(sqlite_project):
    r = sqlite_project.run("migrate", "status", env={"DATABASE_URL": None})
    assert r.code == 1
    assert "Error: P1012" in r.err and "error: Environment variable not found: DATABASE_URL.\n  -->  prisma/schema.prisma:3" in r.err
    assert "Prisma schema validation\nError code: P1012" in r.err and "get-config" not in r.err  # Prisma's wasm jargon


@pytest.mark.parametrize("text,expected", [
    ("postgresql://u:p%40ss@h:5432/db?schema=x", "postgresql://u:****@h:5432/db?schema=x"),
    ("Can't reach mysql://root:hunter2@db/app and postgres://a:b@c/d", "Can't reach mysql://root:****@db/app and postgres://a:****@c/d"),
    ("postgresql://h/db?user=u&password=secret&sslmode=require", "postgresql://h/db?user=u&password=****&sslmode=require"),
    ("file:./dev.db", "file:./dev.db"),
    ("at `postgresql://u:p@ss@h/db`: bad", "at `postgresql://u:****@h/db`: bad"),  # an unencoded @ is the password's
])
def test_mask(text, expected):
    assert mask(text) == expected


def test_parse_urls(tmp_path):
    u = parse_url("postgres://me:pw@db.example:6543/app?schema=tenant&sslmode=require")
    assert (u.provider, u.host, u.port, u.user, u.password, u.database, u.schema) == (
        "postgresql", "db.example", 6543, "me", "pw", "app", "tenant")
    assert u.libpq_kwargs()["sslmode"] == "require" and "schema" not in u.libpq_kwargs()
    assert parse_url("postgresql://h/app").schema == "public"
    s = parse_url("file:./dev.db", tmp_path / "prisma")
    assert s.path == tmp_path / "prisma" / "dev.db" and s.database == "dev.db"
    assert parse_url("file:/abs/x.db").path.as_posix() == "/abs/x.db"
    assert parse_url("mysql://root@h/shop").port == 3306
    # a Unix socket: `?host=` wins over the authority (libpq, Prisma), for every driver
    sock = parse_url("postgresql://me@localhost/app?host=/run/postgresql")
    assert (sock.host, sock.port, sock.libpq_kwargs()["host"]) == ("/run/postgresql", 5432, "/run/postgresql")
    assert parse_url("postgresql://me@/app?host=/run/postgresql").host == "/run/postgresql"


def test_split_statements():
    sql = (
        "-- header; comment\nCREATE TABLE \"a;b\" (x TEXT DEFAULT 'it''s; fine');\n"
        "/* block; /* nested; */ still */ CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;\n"
        "SELECT E'\\';';\n-- trailing comment only\n"
    )
    assert split_statements(sql, "postgresql") == [
        "-- header; comment\nCREATE TABLE \"a;b\" (x TEXT DEFAULT 'it''s; fine');",
        "/* block; /* nested; */ still */ CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;",
        "SELECT E'\\';';",
    ]
    trigger = "CREATE TRIGGER t AFTER INSERT ON a BEGIN INSERT INTO b VALUES (1); UPDATE c SET x = 1; END;\nSELECT 2;"
    assert len(split_statements(trigger, "sqlite")) == 2
    assert split_statements("SELECT '\\'; SELECT 1'; SELECT 3; # c;\n", "mysql") == ["SELECT '\\'; SELECT 1';", "SELECT 3;"]


def test_names_and_checksums():
    assert slugify("add_user_avatar") == "add_user_avatar"
    assert slugify("Add User Avatar!") == "add_user_avatar"
    assert slugify("addUserAvatar") == "add_user_avatar"
    assert slugify("Crème brûlée & co") == "creme_brulee_and_co"
    assert slugify("x" * 300) == "x" * 200
    data = b"CREATE TABLE a (x int);\nSELECT 1;\n"
    assert checksum_matches(sha256_hex(data), data.replace(b"\n", b"\r\n"))
    assert checksum_matches(sha256_hex(data.replace(b"\n", b"\r\n")), data)
    assert not checksum_matches(sha256_hex(data), data + b"--\n")


def test_password_with_url_delimiters(tmp_path):
    """`@` in a password is read right (the host is after the last `@`); `/`, `?` or `#` would make
    the password's tail the host: a P1013 that hides the password and says how to encode it."""
    url = parse_url("postgresql://app:p@ss@db.example:5433/crm")
    assert (url.host, url.port, url.password, url.database) == ("db.example", 5433, "p@ss", "crm")
    for bad in ("postgresql://app:s3cret/x@db.example:5433/crm", "mysql://app:s3cret#x@db.example/crm",
                "postgresql://app:s3cret?x@db.example/crm"):
        with pytest.raises(LaminaError) as info:
            parse_url(bad)
        message = info.value.message
        assert info.value.code == "P1013" and "s3cret" not in message
        assert "****@db.example" in message and "%2F" in message
    p = make_project(tmp_path, "postgresql", "postgresql://app:s3cret/x@127.0.0.1:1/crm")
    p.write_schema()
    r = p.run("migrate", "status")
    assert r.code == 1 and "Percent-encode" in r.err, r.both


def test_connection_error_hides_a_password_free_text_cannot_delimit(tmp_path):
    """A driver error quotes the URL: a password with a space or an unencoded `@` is hidden whole
    (the regex alone left `s3cret pw` as written and `p@ss`'s tail after `****@`)."""
    p = make_project(tmp_path, "postgresql", "postgresql://u@127.0.0.1/db")
    for url in ("postgresql://app:s3cret pw@127.0.0.1/crm?sslmode=bogus",
                "postgresql://app:s3cret@ss@127.0.0.1/crm?sslmode=bogus"):
        r = p.run("migrate", "status", url=url)
        assert r.code == 3 and "invalid sslmode value" in r.err, r.both
        assert "s3cret" not in r.both and "ss@127" not in r.both
        assert "`postgresql://app:****@127.0.0.1/crm?sslmode=bogus`" in r.err
