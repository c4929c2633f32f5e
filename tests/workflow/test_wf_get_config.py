"""Every migrate and db command first checks the schema's configuration, as Prisma 7.10.1's CLI
does with its getConfig call (lamina.psl.get_config): a syntax error anywhere, or an invalid
datasource or generator block, stops the command with P1012 before it touches a database. The
expected texts were recorded from the anchor (../shared/anchors/prisma) on these very files;
its own "Loaded Prisma config" lines are left out (these projects have no prisma.config.ts).
Before, Lamina read only the datasource block: it deployed, pushed and reset such schemas."""

from __future__ import annotations

import pytest

DATASOURCE = 'datasource db {\n  provider = "sqlite"\n}\n\n'
GARBAGE = DATASOURCE + "model User {\n  id Int @id\n  this is garbage\n}\n"
UNKNOWN_PROPERTY = 'datasource db {\n  provider = "sqlite"\n  foo = 1\n}\n\nmodel User {\n  id Int @id\n}\n'
UNKNOWN_FEATURE = ('generator client {\n  provider = "prisma-client-js"\n  previewFeatures = ["metrics"]\n}\n\n'
                   + DATASOURCE + "model User {\n  id Int @id\n}\n")

TAIL = "\nValidation Error Count: 1\n[Context: getConfig]\n\nPrisma CLI Version : 7.10.1\n"
GARBAGE_ERROR = ("Error: Prisma schema validation - (get-config wasm)\nError code: P1012\n"
                 "error: Error validating: This line is not a valid field or attribute definition.\n"
                 "  -->  prisma/schema.prisma:7\n   | \n 6 |   id Int @id\n 7 |   this is garbage\n 8 | }\n   | \n"
                 + TAIL)
PROPERTY_ERROR = ("Error: Prisma schema validation - (get-config wasm)\nError code: P1012\n"
                  'error: Property not known: "foo".\n'
                  '  -->  prisma/schema.prisma:3\n   | \n 2 |   provider = "sqlite"\n 3 |   foo = 1\n   | \n' + TAIL)
FEATURE_ERROR = ("Error: Prisma schema validation - (get-config wasm)\nError code: P1012\n"
                 'error: The preview feature "metrics" is not known. Expected one of: nativeDistinct, partialIndexes, '
                 "postgresqlExtensions, relationJoins, schemaEngineDriverAdapters, shardKeys, strictUndefinedChecks, "
                 "typedSql, views\n"
                 '  -->  prisma/schema.prisma:3\n   | \n 2 |   provider = "prisma-client-js"\n'
                 ' 3 |   previewFeatures = ["metrics"]\n   | \n' + TAIL)
LOADED = "Prisma schema loaded from prisma/schema.prisma.\n"


@pytest.fixture
def project(sqlite_project):
    sqlite_project.add_migration("20250101000000_init", 'CREATE TABLE "User" ("id" INTEGER NOT NULL PRIMARY KEY);\n')
    return sqlite_project


def _nothing_created(project) -> bool:
    return not (project.root / "dev.db").exists() and not (project.root / "prisma" / "dev.db").exists()


@pytest.mark.parametrize("schema, error", [(GARBAGE, GARBAGE_ERROR), (UNKNOWN_PROPERTY, PROPERTY_ERROR),
                                           (UNKNOWN_FEATURE, FEATURE_ERROR)], ids=["syntax", "property", "feature"])
def test_migrate_deploy_refuses_a_schema_whose_configuration_does_not_read(project, schema, error):
    project.schema.write_text(schema)
    r = project.run("migrate", "deploy")
    assert (r.code, r.out, r.err) == (1, "", LOADED + error)
    assert _nothing_created(project)


@pytest.mark.parametrize("command", [("migrate", "status"), ("migrate", "dev", "--name", "x"),
                                     ("migrate", "resolve", "--applied", "20250101000000_init"), ("db", "push"),
                                     ("migrate", "reset", "--force")], ids=lambda c: " ".join(c[:2]))
def test_every_command_that_reads_the_datasource_checks_it_first(project, command):
    project.schema.write_text(GARBAGE)
    r = project.run(*command)
    assert (r.code, r.out, r.err) == (1, "", LOADED + GARBAGE_ERROR)
    assert _nothing_created(project)


@pytest.mark.parametrize("print_only", [True, False], ids=["print", "write"])
def test_db_pull_names_no_schema_before_the_error(project, print_only):
    project.schema.write_text(GARBAGE)
    r = project.run("db", "pull", *(["--print"] if print_only else []))
    assert (r.code, r.out, r.err) == (1, "", GARBAGE_ERROR)
    assert project.schema.read_text() == GARBAGE


def test_errors_inside_models_do_not_stop_a_deploy(project):
    """getConfig reads no model: Prisma deploys the migrations of a schema whose models do not
    validate (an unknown type here), and so does Lamina."""
    project.write_schema("model User {\n  id   Int @id\n  name Strin\n}\n")
    r = project.run("migrate", "deploy")
    assert r.code == 0, r.both
    assert [row[0] for row in project.history()] == ["20250101000000_init"]
