"""How migrate dev, db push and generate report the schema's errors and warnings, as Prisma
7.10.1's CLI does (recorded from ../shared/anchors on the same project, stderr less its
`Loaded Prisma config` lines): the header first; migrate dev and db push print no warnings;
migrate dev's P1012 is the CLI's (validate wasm) after a blank line, db push's the schema
engine's; generate lists warnings as `warn` lines."""

from __future__ import annotations

import pytest

from lamina.cli import main

HEAD = ('generator client {\n  provider        = "prisma-client-js"\n  previewFeatures = ["referentialIntegrity"]\n}\n\n'
        'datasource db {\n  provider = "sqlite"\n}\n\n')
VALID = HEAD + "model A {\n  id Int    @id\n  b  String\n}\n"
INVALID = HEAD + "model A {\n  id Int @id\n  b  Strin\n}\n"
WARNING = ('Preview feature "referentialIntegrity" is deprecated. The functionality can be used without specifying it '
           "as a preview feature.")
DIAGNOSTIC = ('error: Type "Strin" is neither a built-in type, nor refers to another model, composite type, or enum.\n'
              "  -->  prisma/schema.prisma:12\n   | \n11 |   id Int @id\n12 |   b  Strin\n   | \n")
LOADED = "Prisma schema loaded from prisma/schema.prisma.\n"


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", "file:./dev.db")
    monkeypatch.setenv("NO_COLOR", "1")
    (tmp_path / "prisma").mkdir()
    return tmp_path


def lamina(capsys, *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        main(list(args))
    out = capsys.readouterr()
    return exc.value.code, out.out, out.err


def test_migrate_dev_invalid_schema(project, capsys):
    (project / "prisma" / "schema.prisma").write_text(INVALID)
    code, _, err = lamina(capsys, "migrate", "dev", "--name", "x")
    assert (code, err) == (1, LOADED + "\nError: Prisma schema validation - (validate wasm)\nError code: P1012\n"
                           + DIAGNOSTIC + "\nValidation Error Count: 1\n[Context: validate]\n\n"
                           "Prisma CLI Version : 7.10.1\n")


def test_db_push_invalid_schema(project, capsys):
    (project / "prisma" / "schema.prisma").write_text(INVALID)
    code, _, err = lamina(capsys, "db", "push")
    assert (code, err) == (1, LOADED + "Error: P1012\n\n" + DIAGNOSTIC + "\n\n")
    assert not (project / "dev.db").exists()  # Lamina validates before it creates the database


@pytest.mark.parametrize("command", [("migrate", "dev", "--name", "x"), ("db", "push")])
def test_no_warnings_from_migrate_dev_and_db_push(project, capsys, command):
    (project / "prisma" / "schema.prisma").write_text(VALID)
    code, _, err = lamina(capsys, *command)
    assert code == 0 and err.startswith(LOADED) and "referentialIntegrity" not in err, err


def test_generate_lists_warnings_as_warn_lines(project, capsys):
    (project / "prisma" / "schema.prisma").write_text(VALID)
    code, _, err = lamina(capsys, "generate")
    assert (code, err) == (0, LOADED + f"warn {WARNING}\n")
    (project / "prisma" / "schema.prisma").write_text(INVALID)
    code, _, err = lamina(capsys, "generate")
    assert (code, err) == (1, LOADED + f"warn {WARNING}\nError: Prisma schema validation - (get-dmmf wasm)\n"
                           "Error code: P1012\n" + DIAGNOSTIC + "\nValidation Error Count: 1\n[Context: getDmmf]\n\n"
                           "Prisma CLI Version : 7.10.1\n")
