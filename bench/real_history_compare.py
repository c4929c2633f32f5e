"""Lamina beside the real Prisma 7.10.1 CLI on a real project's PostgreSQL or SQLite history.

    python bench/real_history_compare.py PROJECT_DIR --schema REL --migrations REL [--name N]
        [--provider postgresql|sqlite]

PROJECT_DIR is a checked-out open-source project (never committed here); --schema is its
schema file or folder and --migrations its migrations folder, both relative to PROJECT_DIR.
The script copies both into a scratch folder (a Prisma 7 datasource has no `url`, so `url`,
`directUrl` and `shadowDatabaseUrl` lines are dropped from the copy; both tools read the same
copy), then on PostgreSQL (LAMINA_TEST_POSTGRES, default 127.0.0.1:5432) or, with
`--provider sqlite`, on two database files in the scratch folder:

1. deploys the history with Lamina and with Prisma into two fresh databases (timed);
2. compares the schema dumps of both (`pg_dump -s`, or `sqlite3 .schema`) and the
   `_prisma_migrations` rows (name, checksum, logs, steps);
3. `migrate diff --from-migrations M --to-schema S --script` with both tools;
4. `migrate diff --from-config-datasource --to-schema S --script` on the deployed database, both tools;
5. `migrate dev --create-only` on the deployed database, both tools (each on its own copy
   of the migrations folder): which migration each writes;
6. `db pull --print` on the deployed database, both tools, on the project's schema (diffed).

Any step where Lamina's output differs from Prisma's is printed with a unified diff. Steps
3-5 are the ones that matter for switching: a migration Lamina writes that Prisma does not
is a defect. Never part of the test suite (needs `../shared/anchors/` and minutes per project).
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
PRISMA = ROOT.parent / "shared" / "anchors" / "prisma" / "prisma.sh"
SERVER = os.environ.get("LAMINA_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432")


def url(db: str) -> str:
    return f"{SERVER.rstrip('/')}/{db}"


def recreate(*names: str) -> None:
    with psycopg.connect(url("postgres"), autocommit=True) as conn:
        for name in names:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')


def drop(*names: str) -> None:
    with psycopg.connect(url("postgres"), autocommit=True) as conn:
        for name in names:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


_HISTORY_QUERY = (
    "SELECT migration_name, checksum, logs, rolled_back_at IS NULL, applied_steps_count,"
    " finished_at IS NOT NULL FROM _prisma_migrations ORDER BY migration_name")


class Postgres:
    """Databases on the PostgreSQL server, one per name."""

    provider = "postgresql"
    dump_title = "pg_dump -s"
    external_shadow = True

    def __init__(self, scratch: Path) -> None:
        pass

    url = staticmethod(url)
    recreate = staticmethod(recreate)
    drop = staticmethod(drop)

    @staticmethod
    def dump(db: str) -> str:
        return pg_dump(db)

    @staticmethod
    def history(db: str) -> list[tuple[object, ...]]:
        with psycopg.connect(url(db)) as conn:
            return conn.execute(_HISTORY_QUERY).fetchall()


class Sqlite:
    """Database files in the scratch folder, one per name."""

    provider = "sqlite"
    dump_title = "sqlite3 .schema"
    # Both tools replay on an in-memory shadow by default. Prisma 7.10.1 (adapter) does not empty
    # a shadow file it is given before replaying, and leaves it filled: a shared one would fail.
    external_shadow = False

    def __init__(self, scratch: Path) -> None:
        self.folder = scratch

    def path(self, db: str) -> Path:
        return self.folder / f"{db}.db"

    def url(self, db: str) -> str:
        return f"file:{self.path(db)}"

    def recreate(self, *names: str) -> None:
        self.drop(*names)

    def drop(self, *names: str) -> None:
        for name in names:
            for suffix in ("", "-journal", "-wal", "-shm"):
                Path(f"{self.path(name)}{suffix}").unlink(missing_ok=True)

    def dump(self, db: str) -> str:
        return subprocess.run(["sqlite3", str(self.path(db)), ".schema"], capture_output=True,
                              text=True, check=True).stdout

    def history(self, db: str) -> list[tuple[object, ...]]:
        with closing(sqlite3.connect(self.path(db))) as conn:
            return conn.execute(_HISTORY_QUERY).fetchall()


BACKENDS = {"postgresql": Postgres, "sqlite": Sqlite}


_DATASOURCE_URL = re.compile(r"^\s*(url|directUrl|shadowDatabaseUrl)\s*=.*$", re.M)


def copy_project(src: Path, schema: str, migrations: str, dest: Path) -> tuple[Path, Path]:
    """Schema (file or folder) to dest/prisma/schema[.prisma], migrations to dest/prisma/migrations."""
    s, m = src / schema, src / migrations
    (dest / "prisma").mkdir(parents=True)
    if s.is_dir():
        out_schema = dest / "prisma" / "schema"
        shutil.copytree(s, out_schema, ignore=shutil.ignore_patterns("migrations"))
        files = list(out_schema.rglob("*.prisma"))
    else:
        out_schema = dest / "prisma" / "schema.prisma"
        shutil.copy(s, out_schema)
        files = [out_schema]
    for f in files:
        text = f.read_text()
        if "datasource" in text:
            f.write_text(_DATASOURCE_URL.sub("", text))
    # Lamina keeps migrations beside the schema: in the folder of a multi-file schema
    out_migrations = (out_schema if s.is_dir() else dest / "prisma") / "migrations"
    shutil.copytree(m, out_migrations, ignore=shutil.ignore_patterns("*.ts", "*.js"))
    # folders without migration.sql (data migrations in TypeScript) are not Prisma's
    for d in list(out_migrations.iterdir()):
        if d.is_dir() and not (d / "migration.sql").exists():
            shutil.rmtree(d)
    return out_schema, out_migrations


def run(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[int, str, str, float]:
    start = time.perf_counter()
    p = subprocess.run(cmd, cwd=cwd, env={**os.environ, **env}, capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr, time.perf_counter() - start


def lamina(args: list[str], cwd: Path, env: dict[str, str]) -> tuple[int, str, str, float]:
    schema = "prisma/schema" if (cwd / "prisma" / "schema").is_dir() else "prisma/schema.prisma"
    return run([sys.executable, "-m", "lamina", "--schema", schema, *args], cwd, env)


def prisma(args: list[str], cwd: Path, env: dict[str, str],
           provider: str = "postgresql") -> tuple[int, str, str, float]:
    folder = (cwd / "prisma" / "schema").is_dir()
    schema = "prisma/schema" if folder else "prisma/schema.prisma"
    migrations = "prisma/schema/migrations" if folder else "prisma/migrations"
    return run(["bash", str(PRISMA), "-C", str(cwd), provider, *args], cwd,
               {"PRISMA_SCHEMA": schema, "PRISMA_MIGRATIONS": migrations, **env})


def pg_dump(db: str) -> str:
    out = subprocess.run(["pg_dump", "-s", "--no-owner", url(db)], capture_output=True, text=True,
                         check=True).stdout
    return "\n".join(line for line in out.splitlines()
                     if not line.startswith(("-- Dumped", "\\restrict", "\\unrestrict")))


def show_diff(title: str, prisma_text: str, lamina_text: str) -> bool:
    # the CLI prints a --script with two more newlines than the script (PRISMA-FACTS.md)
    prisma_text, lamina_text = prisma_text.rstrip("\n"), lamina_text.rstrip("\n")
    if prisma_text == lamina_text:
        print(f"  {title}: same")
        return True
    print(f"  {title}: DIFFERENT")
    for line in difflib.unified_diff(prisma_text.splitlines(), lamina_text.splitlines(),
                                     "prisma", "lamina", lineterm="", n=1):
        print("    " + line)
    return False


def new_migrations(folder: Path, before: set[str]) -> dict[str, str]:
    return {d.name: (d / "migration.sql").read_text() for d in folder.iterdir()
            if d.is_dir() and d.name not in before and (d / "migration.sql").exists()}


prisma_cli = prisma  # main() binds the provider under the name `prisma`


def project_arguments() -> argparse.ArgumentParser:
    """The options of a comparison on a checked-out project (this script and real_history_mysql.py)."""
    ap = argparse.ArgumentParser()
    ap.add_argument("project", type=Path)
    ap.add_argument("--schema", required=True)
    ap.add_argument("--migrations", required=True)
    ap.add_argument("--name", default=None)
    ap.add_argument("--keep", action="store_true", help="keep the scratch folder and databases")
    return ap


def project_name(args: argparse.Namespace) -> str:
    return re.sub(r"\W", "_", (args.name or args.project.name).lower())


def main() -> int:
    ap = project_arguments()
    ap.add_argument("--provider", choices=sorted(BACKENDS), default="postgresql")
    a = ap.parse_args()
    name = project_name(a)
    dbs = {k: f"rh_{name}_{k}" for k in ("lamina", "prisma", "shadow")}
    scratch = Path(tempfile.mkdtemp(prefix=f"rh_{name}_"))
    backend = BACKENDS[a.provider](scratch)
    backend.recreate(*dbs.values())
    url = backend.url

    def prisma(args: list[str], cwd: Path, env: dict[str, str]) -> tuple[int, str, str, float]:
        return prisma_cli(args, cwd, env, backend.provider)

    ok = True
    try:
        tools = {}
        for tool in ("lamina", "prisma"):
            tools[tool] = copy_project(a.project, a.schema, a.migrations, scratch / tool)
        count = len([d for d in tools["lamina"][1].iterdir() if d.is_dir()])
        print(f"{name}: {count} migrations")
        env = {t: {"DATABASE_URL": url(dbs[t])} for t in tools}
        if backend.external_shadow:
            for tool_env in env.values():
                tool_env["SHADOW_DATABASE_URL"] = url(dbs["shadow"])
        timing = {}
        for tool, fn in (("lamina", lamina), ("prisma", prisma)):
            rc, out, err, secs = fn(["migrate", "deploy"], scratch / tool, env[tool])
            timing[tool] = secs
            print(f"  deploy {tool}: exit {rc} in {secs:.1f} s")
            if rc:
                print(out[-2000:], err[-2000:])
                ok = False
        if not ok:
            return 1
        print(f"  deploy speed: Lamina {timing['prisma'] / timing['lamina']:.1f}x Prisma")
        ok &= show_diff(backend.dump_title, backend.dump(dbs["prisma"]), backend.dump(dbs["lamina"]))
        rows = {t: backend.history(dbs[t]) for t in tools}
        ok &= show_diff("_prisma_migrations", "\n".join(map(repr, rows["prisma"])),
                        "\n".join(map(repr, rows["lamina"])))
        outs = {}
        for tool, fn in (("lamina", lamina), ("prisma", prisma)):
            schema, migs = tools[tool]
            args = ["migrate", "diff", "--from-migrations", str(migs), "--to-schema", str(schema), "--script"]
            if tool == "lamina" and backend.external_shadow:  # Prisma 7 takes it from its config only
                args[-1:-1] = ["--shadow-database-url", url(dbs["shadow"])]
            rc, out, err, _ = fn(args, scratch / tool, env[tool])
            outs[tool] = f"exit {rc}\n{out}{err if rc else ''}"
        ok &= show_diff("diff --from-migrations --to-schema", outs["prisma"], outs["lamina"])
        for tool, fn in (("lamina", lamina), ("prisma", prisma)):
            schema, migs = tools[tool]
            # Prisma 7 removed --from-url: the config's datasource is the deployed database
            rc, out, err, _ = fn(["migrate", "diff", "--from-config-datasource", "--to-schema",
                                  str(schema), "--script"], scratch / tool, env[tool])
            outs[tool] = f"exit {rc}\n{out}{err if rc else ''}"
        ok &= show_diff("diff --from-config-datasource(deployed) --to-schema", outs["prisma"], outs["lamina"])
        for tool, fn in (("lamina", lamina), ("prisma", prisma)):
            schema, migs = tools[tool]
            before = {d.name for d in migs.iterdir()}
            rc, out, err, _ = fn(["migrate", "dev", "--create-only", "--name", "switch"],
                                 scratch / tool, env[tool])
            written = new_migrations(migs, before)
            outs[tool] = f"exit {rc}\n" + "".join(
                f"-- {k.split('_', 1)[1]}\n{v}" for k, v in sorted(written.items()))
            if rc:
                outs[tool] += (out + err)[-1500:]
        ok &= show_diff("migrate dev --create-only (deployed)", outs["prisma"], outs["lamina"])
        for tool, fn in (("lamina", lamina), ("prisma", prisma)):
            rc, out, err, _ = fn(["db", "pull", "--print"], scratch / tool, env[tool])
            outs[tool] = f"exit {rc}\n{out}{err if rc else ''}"
        show_diff("db pull --print (informational)", outs["prisma"], outs["lamina"])
    finally:
        if not a.keep:
            backend.drop(*dbs.values())
            shutil.rmtree(scratch, ignore_errors=True)
        else:
            print(f"  kept {scratch} and databases {', '.join(dbs.values())}")
    print(f"{name}: {'OK' if ok else 'DIFFERENCES'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
