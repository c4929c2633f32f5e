"""Lamina on its own on a real project's MySQL/MariaDB migration history (the anchor's schema
engine has no MySQL connector, so the yardstick is the mariadb client and the project's schema).

    python bench/real_history_mysql.py PROJECT_DIR --schema REL --migrations REL [--name N]

Copies the project as `real_history_compare.py` does, then on the server of LAMINA_MYSQL_SERVER
(default mysql://root@127.0.0.1:3306), in databases named `<prefix><name>_*` (--prefix,
default `rh_`; dropped at the end unless --keep):

1. deploys the history with Lamina, and the concatenated migration.sql files with the mariadb
   client into another database (both timed);
2. compares `mysqldump --no-data` of both (AUTO_INCREMENT counters and dump dates left out,
   `_prisma_migrations` left out of Lamina's);
3. `migrate status` on the deployed database;
4. `migrate diff --from-migrations M --to-schema S --script` (shadow database) and
   `--from-config-datasource` on the deployed database: the migration Lamina would write; it
   must be empty, or exactly the drift between the project's migrations and its schema;
5. `migrate dev --create-only`: the migration it writes, if any;
6. `db pull --print` against the project's schema: the lines that differ, order ignored.

Never part of the test suite (needs a MySQL server and a project checkout).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from real_history_compare import copy_project, lamina, new_migrations, project_arguments, project_name  # noqa: E402

SERVER = os.environ.get("LAMINA_MYSQL_SERVER", "mysql://root@127.0.0.1:3306")  # no database part
_HOST = re.match(r"mysql://(?P<user>[^@:]+)(?::(?P<password>[^@]*))?@(?P<host>[^:/]+)(?::(?P<port>\d+))?", SERVER)


def client_args() -> list[str]:
    args = ["-h", _HOST["host"], "-P", _HOST["port"] or "3306", "-u", _HOST["user"]]
    return args + ([f"-p{_HOST['password']}"] if _HOST["password"] else [])


def sql(statement: str) -> None:
    subprocess.run(["mariadb", *client_args(), "-e", statement], check=True)


def url(db: str) -> str:
    return f"{SERVER}/{db}"


def mysqldump(db: str) -> str:
    out = subprocess.run(["mysqldump", *client_args(), "--no-data", "--skip-comments",
                          f"--ignore-table={db}._prisma_migrations", db],
                         capture_output=True, text=True, check=True).stdout
    return re.sub(r" AUTO_INCREMENT=\d+", "", out)


def client_deploy(migrations: Path, db: str) -> float:
    """The history as one script through the mariadb client, in folder order as Prisma applies it."""
    script = "".join((d / "migration.sql").read_text() + "\n" for d in sorted(migrations.iterdir())
                     if d.is_dir())
    start = time.perf_counter()
    subprocess.run(["mariadb", *client_args(), db], input=script, text=True, check=True)
    return time.perf_counter() - start


def schema_lines(text: str) -> Counter[str]:
    """A schema's lines, spacing, comments, order and spellings db pull does not keep (`@id()`,
    `@map(name: "x")`) ignored (for db pull against the project's)."""
    lines = (re.sub(r"\s+", " ", line.split("//")[0]).strip() for line in text.splitlines())
    lines = (re.sub(r"(@@?map)\(name: ", r"\1(", re.sub(r"(@\w+)\(\)", r"\1", line)) for line in lines)
    return Counter(line for line in lines if line)


def report(title: str, rc: int, text: str) -> None:
    print(f"  {title}: exit {rc}")
    for line in text.rstrip("\n").splitlines():
        print("    " + line)


def main() -> int:
    ap = project_arguments()
    ap.add_argument("--prefix", default="rh_")
    a = ap.parse_args()
    name = project_name(a)
    dbs = {k: f"{a.prefix}{name}_{k}" for k in ("lamina", "client", "shadow")}
    for db in dbs.values():
        sql(f"DROP DATABASE IF EXISTS `{db}`; CREATE DATABASE `{db}`")
    scratch = Path(tempfile.mkdtemp(prefix=f"rh_{name}_"))
    try:
        schema, migrations = copy_project(a.project, a.schema, a.migrations, scratch)
        print(f"{name}: {len([d for d in migrations.iterdir() if d.is_dir()])} migrations")
        env = {"DATABASE_URL": url(dbs["lamina"]), "SHADOW_DATABASE_URL": url(dbs["shadow"])}
        rc, out, err, secs = lamina(["migrate", "deploy"], scratch, env)
        print(f"  deploy lamina: exit {rc} in {secs:.1f} s")
        if rc:
            print(out[-2000:], err[-2000:])
            return 1
        client_secs = client_deploy(migrations, dbs["client"])
        print(f"  deploy mariadb client: {client_secs:.1f} s (Lamina takes {secs / client_secs:.1f}x its time)")
        same = mysqldump(dbs["lamina"]) == mysqldump(dbs["client"])
        print(f"  mysqldump --no-data: {'same' if same else 'DIFFERENT'}")
        if not same:
            import difflib

            for line in difflib.unified_diff(mysqldump(dbs["client"]).splitlines(),
                                             mysqldump(dbs["lamina"]).splitlines(), "client", "lamina",
                                             lineterm="", n=1):
                print("    " + line)
        rc, out, err, _ = lamina(["migrate", "status"], scratch, env)
        report("migrate status", rc, (out + err)[-600:])
        rc, out, err, _ = lamina(["migrate", "diff", "--from-migrations", str(migrations), "--to-schema",
                                  str(schema), "--shadow-database-url", url(dbs["shadow"]), "--script"],
                                 scratch, env)
        report("diff --from-migrations --to-schema", rc, out + (err if rc else ""))
        rc, out, err, _ = lamina(["migrate", "diff", "--from-config-datasource", "--to-schema", str(schema),
                                  "--script"], scratch, env)
        report("diff --from-config-datasource(deployed) --to-schema", rc, out + (err if rc else ""))
        before = {d.name for d in migrations.iterdir()}
        rc, out, err, _ = lamina(["migrate", "dev", "--create-only", "--name", "switch"], scratch, env)
        written = new_migrations(migrations, before)
        report("migrate dev --create-only (deployed)", rc,
               "".join(f"-- {k}\n{v}" for k, v in sorted(written.items())) or "nothing written"
               + ("" if not rc else "\n" + (out + err)[-1500:]))
        rc, out, err, _ = lamina(["db", "pull", "--print"], scratch, env)
        pulled, project = schema_lines(out), schema_lines(schema.read_text() if schema.is_file() else "".join(
            f.read_text() for f in sorted(schema.rglob("*.prisma"))))
        extra = "\n".join(f"+ {line}" for line in sorted((pulled - project).elements()))
        missing = "\n".join(f"- {line}" for line in sorted((project - pulled).elements()))
        report("db pull --print against the project's schema (order ignored)", rc,
               "\n".join(filter(None, [missing, extra])) or "same lines" + (err if rc else ""))
    finally:
        if a.keep:
            print(f"  kept {scratch} and databases {', '.join(dbs.values())}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)
            for db in dbs.values():
                sql(f"DROP DATABASE IF EXISTS `{db}`")
    return 0


if __name__ == "__main__":
    sys.exit(main())
