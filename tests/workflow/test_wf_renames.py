"""Renames in `migrate dev`: declared with --rename, or confirmed at the terminal question;
never guessed without a terminal. Rows survive on SQLite, PostgreSQL and MySQL/MariaDB."""

from __future__ import annotations

import pytest

BASE = """
model User {
  id       Int    @id @default(autoincrement())
  email    String @unique
  fullName String
  posts    Post[]
}

model Post {
  id       Int  @id @default(autoincrement())
  authorId Int
  author   User @relation(fields: [authorId], references: [id])

  @@index([authorId])
}
"""

FIELD_RENAMED = BASE.replace("  fullName String\n", "  name     String\n")
MODEL_RENAMED = (FIELD_RENAMED.replace("model User {", "model Person {")
                 .replace("author   User @relation", "author   Person @relation"))

FIELD_SQL = {
    "sqlite": '-- RenameColumn\nALTER TABLE "User" RENAME COLUMN "fullName" TO "name";\n',
    "postgresql": '-- RenameColumn\nALTER TABLE "User" RENAME COLUMN "fullName" TO "name";\n',
    "mysql": "-- RenameColumn\nALTER TABLE `User` RENAME COLUMN `fullName` TO `name`;\n",
}

MODEL_SQL = {
    "sqlite": ('-- RenameTable\nALTER TABLE "User" RENAME TO "Person";\n\n'
               '-- RedefineIndex\nDROP INDEX "User_email_key";\nCREATE UNIQUE INDEX "Person_email_key" ON "Person"("email");\n'),
    "postgresql": ('-- RenameTable\nALTER TABLE "User" RENAME TO "Person";\nALTER SEQUENCE "User_id_seq" RENAME TO "Person_id_seq";\n\n'
                   '-- AlterTable\nALTER TABLE "Person" RENAME CONSTRAINT "User_pkey" TO "Person_pkey";\n\n'
                   '-- RenameIndex\nALTER INDEX "User_email_key" RENAME TO "Person_email_key";\n'),
    "mysql": ("-- RenameTable\nRENAME TABLE `User` TO `Person`;\n\n"
              "-- RenameIndex\nALTER TABLE `Person` RENAME INDEX `User_email_key` TO `Person_email_key`;\n"),
}


def _newest(project, suffix: str):
    (folder,) = [p for p in project.migrations.iterdir() if p.name.endswith(suffix)]
    return folder


def _init(project) -> None:
    project.write_schema(BASE)
    r = project.run("migrate", "dev", "--name", "init", "--skip-generate")
    assert r.code == 0, r.both
    project.query(project.sql("INSERT INTO \"User\" (email, \"fullName\") VALUES ('ann@x.io', 'Ann')"))
    project.query(project.sql('INSERT INTO "Post" ("authorId") VALUES (1)'))


def test_field_and_model_renames_keep_rows(project):
    _init(project)
    project.write_schema(FIELD_RENAMED)
    r = project.run("migrate", "dev", "--name", "rename_field", "--skip-generate", "--rename", "User.fullName=name")
    assert r.code == 0, r.both
    assert "is gone and" not in r.both
    assert (_newest(project, "_rename_field") / "migration.sql").read_text() == FIELD_SQL[project.provider]
    assert project.query(project.sql('SELECT email, name FROM "User"')) == [("ann@x.io", "Ann")]

    project.write_schema(MODEL_RENAMED)
    r = project.run("migrate", "dev", "--name", "rename_model", "--skip-generate", "--rename", "User=Person")
    assert r.code == 0, r.both
    assert (_newest(project, "_rename_model") / "migration.sql").read_text() == MODEL_SQL[project.provider]
    assert project.query(project.sql('SELECT id, email, name FROM "Person"')) == [(1, "ann@x.io", "Ann")]
    # the key still holds (and points at the renamed table), the sequence goes on from 1
    project.query(project.sql("INSERT INTO \"Person\" (email, name) VALUES ('bob@x.io', 'Bob')"))
    assert project.query(project.sql("SELECT id FROM \"Person\" WHERE email = 'bob@x.io'")) == [(2,)]
    project.query(project.sql('INSERT INTO "Post" ("authorId") VALUES (2)'))
    if project.provider != "sqlite":  # SQLite checks keys only with PRAGMA foreign_keys=ON
        with pytest.raises(Exception):
            project.query(project.sql('INSERT INTO "Post" ("authorId") VALUES (99)'))
    assert project.run("migrate", "status").code == 0
    # nothing left to migrate: the renamed database is the schema
    r = project.run("migrate", "diff", "--from-config-datasource", "--to-schema", "prisma/schema.prisma", "--exit-code")
    assert r.code == 0, r.both


def test_without_a_terminal_nothing_is_guessed(sqlite_project):
    project = sqlite_project
    project.write_schema(BASE.replace("fullName String", "fullName String?"))
    assert project.run("migrate", "dev", "--name", "init", "--skip-generate").code == 0
    project.write_schema(BASE.replace("fullName String", "name     String?"))
    r = project.run("migrate", "dev", "--name", "drop_add", "--skip-generate")
    assert r.code == 0, r.both
    assert ("⚠️  `User.fullName` is gone and `User.name` is new, with the same definition. Lamina does not guess "
            "renames without a terminal: it drops `User.fullName` and adds `User.name` (as Prisma does), and the "
            "data of `User.fullName` is lost. If it is a rename, run again with `--rename User.fullName=name`.") in r.err
    script = (_newest(project, "_drop_add") / "migration.sql").read_text()
    assert "RENAME COLUMN" not in script and '"name" TEXT' in script


def test_the_terminal_question(sqlite_project):
    project = sqlite_project
    _init(project)
    project.write_schema(FIELD_RENAMED)
    r = project.run("migrate", "dev", "--name", "asked", "--skip-generate", input="y\n",
                    env={"LAMINA_FORCE_INTERACTIVE": "1"})
    assert r.code == 0, r.both
    assert "Did you rename User.fullName to User.name? (y/N)" in r.out
    assert "RENAME COLUMN" in (_newest(project, "_asked") / "migration.sql").read_text()
    assert project.query('SELECT name FROM "User"') == [("Ann",)]


def test_declining_the_question_drops_and_adds(sqlite_project):
    project = sqlite_project
    project.write_schema(BASE.replace("fullName String", "fullName String?"))
    assert project.run("migrate", "dev", "--name", "init", "--skip-generate").code == 0
    project.write_schema(BASE.replace("fullName String", "name     String?"))
    r = project.run("migrate", "dev", "--name", "declined", "--skip-generate", input="n\ny\n",
                    env={"LAMINA_FORCE_INTERACTIVE": "1"})
    assert r.code == 0, r.both
    assert "Did you rename User.fullName to User.name? (y/N)" in r.out
    assert "RENAME COLUMN" not in (_newest(project, "_declined") / "migration.sql").read_text()


def test_enum_and_enum_value_renames_postgresql(pg_project):
    project = pg_project
    enum = 'enum Role {\n  USER\n  ADMIN\n}\n'
    model = 'model Member {\n  id   Int  @id\n  role Role @default(USER)\n}\n'
    project.write_schema(enum + model)
    assert project.run("migrate", "dev", "--name", "init", "--skip-generate").code == 0
    project.query("INSERT INTO \"Member\" (id, role) VALUES (1, 'ADMIN'), (2, 'USER')")
    project.write_schema(enum.replace("Role", "Kind").replace("ADMIN", "OWNER") + model.replace("Role", "Kind"))
    r = project.run("migrate", "dev", "--name", "rename_enum", "--skip-generate",
                    "--rename", "Role=Kind", "--rename", "Kind.ADMIN=OWNER")
    assert r.code == 0, r.both
    assert (_newest(project, "_rename_enum") / "migration.sql").read_text() == (
        '-- RenameEnum\nALTER TYPE "Role" RENAME TO "Kind";\n\n'
        "-- RenameEnumValue\nALTER TYPE \"Kind\" RENAME VALUE 'ADMIN' TO 'OWNER';\n")
    assert project.query('SELECT id, role::text FROM "Member" ORDER BY id') == [(1, "OWNER"), (2, "USER")]
    down = (_newest(project, "_rename_enum") / "down.sql").read_text()
    assert "ALTER TYPE \"Role\" RENAME VALUE 'OWNER' TO 'ADMIN';" in down and 'ALTER TYPE "Kind" RENAME TO "Role";' in down


def test_a_wrong_rename_flag_is_refused(sqlite_project):
    project = sqlite_project
    _init(project)
    project.write_schema(FIELD_RENAMED)
    r = project.run("migrate", "dev", "--name", "x", "--skip-generate", "--rename", "User.nope=name")
    assert r.code != 0
    assert "`--rename User.nope=name`: there is no column `User.nope` in the current schema." in r.err
    assert len([p for p in project.migrations.iterdir() if p.is_dir()]) == 1
    r = project.run("migrate", "dev", "--name", "x", "--skip-generate", "--rename", "garbage")
    assert "expected `Model.oldField=newField` or `OldModel=NewModel`" in r.err


def test_migrate_diff_with_rename_and_down(sqlite_project, tmp_path):
    project = sqlite_project
    before = project.root / "before.prisma"
    before.write_text(project.schema.read_text() if project.schema.exists() else "")
    project.write_schema(BASE)
    before.write_text(project.schema.read_text())
    project.write_schema(FIELD_RENAMED)
    args = ("migrate", "diff", "--from-schema", "before.prisma", "--to-schema", "prisma/schema.prisma", "--script")
    r = project.run(*args, "--rename", "User.fullName=name")
    assert r.code == 0, r.both
    assert r.out == FIELD_SQL["sqlite"] + "\n\n"  # the script, then the two newlines of Prisma's CLI
    r = project.run(*args, "--rename", "User.fullName=name", "--down")
    assert r.out == '-- RenameColumn\nALTER TABLE "User" RENAME COLUMN "name" TO "fullName";\n\n\n'


ENUM_MODEL = ("enum Role {\n  USER\n  ADMIN\n}\n\n"
              "model Member {\n  id    Int   @id\n  role  Role  @default(ADMIN)\n  other Role?\n}\n")

ENUM_VALUE_SQL = {
    "sqlite": ('-- RenameEnumValue\nUPDATE "Member" SET "role" = \'OWNER\' WHERE "role" = \'ADMIN\';\n'
               'UPDATE "Member" SET "other" = \'OWNER\' WHERE "other" = \'ADMIN\';\n'),
    "postgresql": "-- RenameEnumValue\nALTER TYPE \"Role\" RENAME VALUE 'ADMIN' TO 'OWNER';\n",
    "mysql": ("-- RenameEnumValue\n"
              "ALTER TABLE `Member` MODIFY `role` ENUM('USER', 'ADMIN', 'OWNER') NOT NULL DEFAULT 'ADMIN';\n"
              "UPDATE `Member` SET `role` = 'OWNER' WHERE `role` = 'ADMIN';\n"
              "ALTER TABLE `Member` MODIFY `role` ENUM('USER', 'OWNER') NOT NULL DEFAULT 'OWNER';\n"
              "ALTER TABLE `Member` MODIFY `other` ENUM('USER', 'ADMIN', 'OWNER') NULL;\n"
              "UPDATE `Member` SET `other` = 'OWNER' WHERE `other` = 'ADMIN';\n"
              "ALTER TABLE `Member` MODIFY `other` ENUM('USER', 'OWNER') NULL;\n"),
}


def _members(project) -> list[tuple]:
    cast = "::text" if project.provider == "postgresql" else ""
    return [tuple(row) for row in project.query(project.sql(
        f'SELECT id, role{cast}, other{cast} FROM "Member" ORDER BY id'))]


def test_enum_value_rename_keeps_rows_and_rolls_back(project):
    project.write_schema(ENUM_MODEL)
    assert project.run("migrate", "dev", "--name", "init", "--skip-generate").code == 0
    project.query(project.sql("INSERT INTO \"Member\" (id, role, other) VALUES (1, 'ADMIN', 'USER'), "
                              "(2, 'USER', 'ADMIN'), (3, 'USER', NULL)"))
    project.write_schema(ENUM_MODEL.replace("ADMIN", "OWNER"))
    r = project.run("migrate", "dev", "--name", "owner", "--skip-generate", "--rename", "Role.ADMIN=OWNER")
    assert r.code == 0, r.both
    script = (_newest(project, "_owner") / "migration.sql").read_text()
    if project.provider == "sqlite":  # the default changed too: SQLite redefines the table after the UPDATE
        assert script.startswith(ENUM_VALUE_SQL["sqlite"] + "\n-- RedefineTables\n"), script
    else:
        assert script == ENUM_VALUE_SQL[project.provider]
    assert _members(project) == [(1, "OWNER", "USER"), (2, "USER", "OWNER"), (3, "USER", None)]
    diff = ("migrate", "diff", "--from-config-datasource", "--to-schema", "prisma/schema.prisma", "--exit-code")
    assert project.run(*diff).code == 0
    # the down renames the value back in the rows
    r = project.run("migrate", "rollback")
    assert r.code == 0, r.both
    assert _members(project) == [(1, "ADMIN", "USER"), (2, "USER", "ADMIN"), (3, "USER", None)]
    r = project.run("migrate", "deploy")
    assert r.code == 0, r.both
    assert _members(project) == [(1, "OWNER", "USER"), (2, "USER", "OWNER"), (3, "USER", None)]
    assert project.run(*diff).code == 0


def test_mysql_enum_value_rename_is_asked_in_a_terminal(mysql_project):
    project = mysql_project
    project.write_schema(ENUM_MODEL)
    assert project.run("migrate", "dev", "--name", "init", "--skip-generate").code == 0
    project.query("INSERT INTO `Member` (id, role) VALUES (1, 'ADMIN')")
    project.write_schema(ENUM_MODEL.replace("ADMIN", "OWNER"))
    r = project.run("migrate", "dev", "--name", "asked", "--skip-generate", input="y\n",
                    env={"LAMINA_FORCE_INTERACTIVE": "1"})
    assert r.code == 0, r.both
    assert "Did you rename Role.ADMIN to Role.OWNER? (y/N)" in r.out
    assert (_newest(project, "_asked") / "migration.sql").read_text() == ENUM_VALUE_SQL["mysql"]
    assert project.query("SELECT role FROM `Member`") == [("OWNER",)]


def test_sqlite_enum_value_rename_flag_is_checked(sqlite_project):
    project = sqlite_project
    project.write_schema(ENUM_MODEL)
    assert project.run("migrate", "dev", "--name", "init", "--skip-generate").code == 0
    project.write_schema(ENUM_MODEL.replace("ADMIN", "OWNER"))
    r = project.run("migrate", "dev", "--name", "x", "--skip-generate", "--rename", "Role.ADMIN=BOSS")
    assert r.code != 0 and "`--rename Role.ADMIN=BOSS`: the enum `Role` has no value `BOSS` in the new schema." in r.err
    r = project.run("migrate", "dev", "--name", "x", "--skip-generate", "--rename", "Role.USER=OWNER")
    assert r.code != 0 and "`--rename Role.USER=OWNER`: the new schema still has the value `Role.USER`." in r.err
    # an enum renamed too: nothing in SQLite bears its name, the value is rewritten in the rows
    project.query("INSERT INTO \"Member\" (id, role) VALUES (1, 'ADMIN')")
    project.write_schema(ENUM_MODEL.replace("ADMIN", "OWNER").replace("Role", "Kind"))
    r = project.run("migrate", "dev", "--name", "kind", "--skip-generate", "--rename", "Role=Kind",
                    "--rename", "Kind.ADMIN=OWNER")
    assert r.code == 0, r.both
    assert project.query('SELECT role FROM "Member"') == [("OWNER",)]


M2M = ("model User {\n  id   Int   @id\n  tags Tag[]\n}\n\n"
       "model Tag {\n  id    Int    @id\n  users User[]\n}\n")
# User -> Person: `_TagToUser` (A = Tag, B = User) becomes `_PersonToTag` (A = Person, B = Tag)
M2M_FLIPPED = M2M.replace("model User {", "model Person {").replace("users User[]", "users Person[]")
# then Tag -> Label: `_PersonToTag` becomes `_LabelToPerson`, flipped again
M2M_TWICE = M2M_FLIPPED.replace("model Tag {", "model Label {").replace("tags Tag[]", "tags Label[]")


def _links(project, table: str, a: str, b: str) -> list[tuple]:
    return sorted(tuple(r) for r in project.query(project.sql(f'SELECT "A", "B" FROM "{table}"')))


def test_implicit_many_to_many_table_follows_a_model_rename(project):
    project.write_schema(M2M)
    assert project.run("migrate", "dev", "--name", "init", "--skip-generate").code == 0
    project.query(project.sql('INSERT INTO "User" (id) VALUES (1), (2)'))
    project.query(project.sql('INSERT INTO "Tag" (id) VALUES (10), (20), (30)'))
    # A = Tag, B = User: user 1 has tags 10 and 20, user 2 has tag 30
    project.query(project.sql('INSERT INTO "_TagToUser" ("A", "B") VALUES (10, 1), (20, 1), (30, 2)'))

    project.write_schema(M2M_FLIPPED)
    r = project.run("migrate", "dev", "--name", "person", "--skip-generate", "--rename", "User=Person")
    assert r.code == 0, r.both
    assert "_TagToUser` is gone" not in r.both  # the join table is no question of its own
    script = (_newest(project, "_person") / "migration.sql").read_text()
    assert "DROP TABLE" not in script.replace('DROP TABLE "_PersonToTag"', "")  # SQLite's redefinition drops its copy
    assert "CREATE TABLE \"_PersonToTag\"" not in script and "CREATE TABLE `_PersonToTag`" not in script
    # A = Person now: the columns swapped, each link kept
    assert _links(project, "_PersonToTag", "A", "B") == [(1, 10), (1, 20), (2, 30)]
    diff = ("migrate", "diff", "--from-config-datasource", "--to-schema", "prisma/schema.prisma", "--exit-code")
    assert project.run(*diff).code == 0
    # the keys point where the columns say
    project.query(project.sql('INSERT INTO "_PersonToTag" ("A", "B") VALUES (2, 10)'))
    if project.provider != "sqlite":
        with pytest.raises(Exception):
            project.query(project.sql('INSERT INTO "_PersonToTag" ("A", "B") VALUES (10, 1)'))

    project.write_schema(M2M_TWICE)
    r = project.run("migrate", "dev", "--name", "label", "--skip-generate", "--rename", "Tag=Label")
    assert r.code == 0, r.both
    assert _links(project, "_LabelToPerson", "A", "B") == [(10, 1), (10, 2), (20, 1), (30, 2)]
    assert project.run(*diff).code == 0

    # down.sql undoes both: the links are back in `_TagToUser`, A = Tag
    r = project.run("migrate", "rollback", "--steps", "2")
    assert r.code == 0, r.both
    assert _links(project, "_TagToUser", "A", "B") == [(10, 1), (10, 2), (20, 1), (30, 2)]
    assert project.run("migrate", "deploy").code == 0
    assert _links(project, "_LabelToPerson", "A", "B") == [(10, 1), (10, 2), (20, 1), (30, 2)]
    assert project.run(*diff).code == 0


def test_named_many_to_many_table_keeps_its_name_and_swaps(project):
    """`@relation("Likes")`: the table keeps its name when User becomes Person, but A now points
    at Person: the columns swap, and the two keys that swap names are dropped and added."""
    named = M2M.replace("tags Tag[]", 'tags Tag[] @relation("Likes")').replace("users User[]", 'users User[] @relation("Likes")')
    project.write_schema(named)
    assert project.run("migrate", "dev", "--name", "init", "--skip-generate").code == 0
    project.query(project.sql('INSERT INTO "User" (id) VALUES (1), (2)'))
    project.query(project.sql('INSERT INTO "Tag" (id) VALUES (10), (20)'))
    project.query(project.sql('INSERT INTO "_Likes" ("A", "B") VALUES (10, 1), (20, 2)'))
    project.write_schema(named.replace("model User {", "model Person {").replace("users User[]", "users Person[]"))
    r = project.run("migrate", "dev", "--name", "person", "--skip-generate", "--rename", "User=Person")
    assert r.code == 0, r.both
    assert _links(project, "_Likes", "A", "B") == [(1, 10), (2, 20)]
    diff = ("migrate", "diff", "--from-config-datasource", "--to-schema", "prisma/schema.prisma", "--exit-code")
    assert project.run(*diff).code == 0
    assert project.run("migrate", "rollback").code == 0
    assert _links(project, "_Likes", "A", "B") == [(10, 1), (20, 2)]


def test_model_renamed_with_its_table_kept_asks_about_its_join_table(project):
    """User becomes Person but keeps its table (`@@map("User")`): no table is renamed, so the join
    table's rename (`_TagToUser` -> `_PersonToTag`, A and B swapped) is a rename of its own:
    a warning without a terminal, `--rename _TagToUser=_PersonToTag` to declare it."""
    mapped = M2M.replace("  tags Tag[]\n", '  tags Tag[]\n\n  @@map("User")\n')
    project.write_schema(mapped)
    assert project.run("migrate", "dev", "--name", "init", "--skip-generate").code == 0
    project.query(project.sql('INSERT INTO "User" (id) VALUES (1)'))
    project.query(project.sql('INSERT INTO "Tag" (id) VALUES (10)'))
    project.query(project.sql('INSERT INTO "_TagToUser" ("A", "B") VALUES (10, 1)'))
    project.write_schema(mapped.replace("model User {", "model Person {").replace("users User[]", "users Person[]"))
    r = project.run("migrate", "dev", "--name", "dropped", "--skip-generate", "--create-only")
    assert r.code == 0, r.both
    assert ("⚠️  `_TagToUser` is gone and `_PersonToTag` is new, with the same definition. Lamina does not guess "
            "renames without a terminal") in r.err and "run again with `--rename _TagToUser=_PersonToTag`." in r.err
    folder = _newest(project, "_dropped")
    assert "DROP TABLE" in (folder / "migration.sql").read_text()
    import shutil

    shutil.rmtree(folder)
    r = project.run("migrate", "dev", "--name", "person", "--skip-generate", "--rename", "_TagToUser=_PersonToTag")
    assert r.code == 0, r.both
    assert _links(project, "_PersonToTag", "A", "B") == [(1, 10)]
    diff = ("migrate", "diff", "--from-config-datasource", "--to-schema", "prisma/schema.prisma", "--exit-code")
    assert project.run(*diff).code == 0
