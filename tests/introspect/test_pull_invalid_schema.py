"""`db pull` on a previous schema that does not validate: P1012, exit 1, the schema untouched,
and Prisma 7.10.1's texts, recorded from its CLI on the same project (../shared/anchors): the
spinner's failure line on stdout (a blank line with --print), the schema engine's diagnostics and
what to do on stderr. `--force` ignores the previous schema. Before, Lamina pulled from the
invalid schema and exited 0."""

from __future__ import annotations

import sqlite3

from tests.introspect.test_pull import _lamina

SCHEMA = '''datasource db {
  provider = "sqlite"
}

model a {
  id   Int  @id
  b_id Int?
  b    b?   @relation(fields: [bId], references: [id])
}
'''

CONFIG = 'export default {\n  schema: "prisma/schema.prisma",\n  datasource: { url: "file:./dev.db" },\n};\n'

ERROR = '''Error: P1012

error: Type "b" is neither a built-in type, nor refers to another model, composite type, or enum.
  -->  prisma/schema.prisma:8
   | 
 7 |   b_id Int?
 8 |   b    b?   @relation(fields: [bId], references: [id])
   | 


Introspection failed as your current Prisma schema file is invalid

Please fix your current schema manually (using either prisma validate or the Prisma VS Code extension to understand what's broken and confirm you fixed it), and then run this command again.
Or run this command with the --force flag to ignore your current schema and overwrite it. All local modifications will be lost.

'''


def _project(tmp_path):
    (tmp_path / "prisma").mkdir()
    (tmp_path / "prisma" / "schema.prisma").write_text(SCHEMA)
    (tmp_path / "prisma.config.ts").write_text(CONFIG)
    with sqlite3.connect(tmp_path / "dev.db") as conn:
        conn.execute("CREATE TABLE a (id INTEGER PRIMARY KEY, b_id INTEGER)")


def test_invalid_previous_schema_is_p1012(tmp_path):
    _project(tmp_path)
    done = _lamina(tmp_path, "db", "pull", env={"NO_COLOR": "1"})
    assert done.returncode == 1
    assert done.stdout == (
        'Datasource "db": SQLite database "dev.db" at "file:./dev.db"\n\n'
        "- Introspecting based on datasource defined in prisma/schema.prisma\n"
        "✖ Introspecting based on datasource defined in prisma/schema.prisma\n\n"
    )
    assert done.stderr.endswith("Prisma schema loaded from prisma/schema.prisma.\n" + ERROR)
    assert (tmp_path / "prisma" / "schema.prisma").read_text() == SCHEMA

    printed = _lamina(tmp_path, "db", "pull", "--print", env={"NO_COLOR": "1"})
    assert (printed.returncode, printed.stdout) == (1, "\n")
    assert printed.stderr.endswith("\n\n" + ERROR)


def test_force_pulls_over_an_invalid_schema(tmp_path):
    _project(tmp_path)
    done = _lamina(tmp_path, "db", "pull", "--force", "--print", env={"NO_COLOR": "1"})
    assert done.returncode == 0
    assert "model a {\n  id   Int  @id @default(autoincrement())\n  b_id Int?\n}" in done.stdout
