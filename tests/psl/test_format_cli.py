"""`lamina format` and `lamina init`, run as subprocesses (exit codes, output, files)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

UNFORMATTED = """\
datasource db {
  provider = "sqlite"
  url = env("DATABASE_URL")
}

model User {
  id Int @id @default(autoincrement())
  email String @unique
  posts Post[]
}

model Post {
  id Int @id
  title String
}
"""

FORMATTED = """\
datasource db {
  provider = "sqlite"
  url      = env("DATABASE_URL")
}

model User {
  id    Int    @id @default(autoincrement())
  email String @unique
  posts Post[]
}

model Post {
  id     Int    @id
  title  String
  user   User?  @relation(fields: [userId], references: [id])
  userId Int?
}
"""


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "FORCE_COLOR")}
    env["NO_COLOR"] = "1"
    return subprocess.run(
        [sys.executable, "-m", "lamina", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=60
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "prisma").mkdir()
    (tmp_path / "prisma" / "schema.prisma").write_text(UNFORMATTED)
    return tmp_path


def test_check_lists_unformatted_files_and_changes_nothing(project: Path):
    result = run(project, "format", "--check")
    assert result.returncode == 1
    assert "! There are unformatted files. Run lamina format to format them.\n  prisma/schema.prisma\n" in result.stderr
    assert (project / "prisma" / "schema.prisma").read_text() == UNFORMATTED


def test_format_rewrites_in_place_then_check_passes(project: Path):
    result = run(project, "format")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Formatted prisma/schema.prisma in ")
    assert (project / "prisma" / "schema.prisma").read_text() == FORMATTED
    again = run(project, "format", "--check")
    assert again.returncode == 0
    assert again.stdout == "All files are formatted correctly!\n"


def test_syntax_errors_print_diagnostics_and_exit_1_without_writing(project: Path):
    broken = UNFORMATTED + "model {\n"
    (project / "prisma" / "schema.prisma").write_text(broken)
    for args in (("format",), ("format", "--check")):
        result = run(project, *args)
        assert result.returncode == 1
        assert "Error code: P1012" in result.stderr
        # Line 17 of the formatted text (Prisma 7.10.1 validates what it laid out, and writes
        # nothing: recorded from the anchor).
        assert (
            "error: Error validating: This line is invalid. It does not start with any known Prisma schema keyword.\n"
            "  -->  prisma/schema.prisma:17\n"
        ) in result.stderr
        assert "\x1b[" not in result.stderr
        assert (project / "prisma" / "schema.prisma").read_text() == broken


def test_folder_schema_with_explicit_path(tmp_path: Path):
    folder = tmp_path / "schema"
    folder.mkdir()
    (folder / "db.prisma").write_text('datasource db {\n  provider = "sqlite"\n  url = env("DATABASE_URL")\n}\n')
    (folder / "user.prisma").write_text("model User {\n  id Int @id\n  name String\n}\n")
    result = run(tmp_path, "format", "--check", "--schema", "schema")
    assert result.returncode == 1
    assert "schema/db.prisma" in result.stderr and "schema/user.prisma" in result.stderr
    assert run(tmp_path, "--schema", "schema", "format").returncode == 0
    assert (folder / "user.prisma").read_text() == "model User {\n  id   Int    @id\n  name String\n}\n"
    assert run(tmp_path, "format", "--check", "--schema", "schema").returncode == 0


def test_missing_schema_is_a_clear_error(tmp_path: Path):
    result = run(tmp_path, "format")
    assert result.returncode == 1
    assert "Could not find a schema.prisma file" in result.stderr
    assert "Traceback" not in result.stderr


def test_init_sqlite_by_default(tmp_path: Path):
    result = run(tmp_path, "init")
    assert result.returncode == 0, result.stderr
    assert "prisma/schema.prisma" in result.stdout and "Next steps" in result.stdout
    schema = (tmp_path / "prisma" / "schema.prisma").read_text()
    assert 'provider = "sqlite"' in schema and 'url      = env("DATABASE_URL")' in schema
    assert 'DATABASE_URL="file:./dev.db"' in (tmp_path / ".env").read_text()
    assert (tmp_path / ".gitignore").read_text() == ".env\n"
    # The new project is valid and already formatted.
    assert run(tmp_path, "format", "--check").returncode == 0
    assert run(tmp_path, "validate").returncode == 0


@pytest.mark.parametrize(
    "provider, url",
    [("postgresql", "postgresql://johndoe:randompassword@localhost:5432/mydb?schema=public"), ("mysql", "mysql://johndoe:randompassword@localhost:3306/mydb")],
)
def test_init_other_providers_keeps_gitignore_lines(tmp_path: Path, provider: str, url: str):
    (tmp_path / ".gitignore").write_text("node_modules\n.env")
    result = run(tmp_path, "init", "--datasource-provider", provider)
    assert result.returncode == 0, result.stderr
    assert f'provider = "{provider}"' in (tmp_path / "prisma" / "schema.prisma").read_text()
    assert f'DATABASE_URL="{url}"' in (tmp_path / ".env").read_text()
    assert (tmp_path / ".gitignore").read_text() == "node_modules\n.env"


def test_init_appends_gitignore_and_keeps_existing_env_url(tmp_path: Path):
    (tmp_path / ".gitignore").write_text("node_modules")
    (tmp_path / ".env").write_text("DATABASE_URL=file:./mine.db\n")
    result = run(tmp_path, "init")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / ".gitignore").read_text() == "node_modules\n.env\n"
    assert (tmp_path / ".env").read_text() == "DATABASE_URL=file:./mine.db\n"
    assert "already exists in .env" in result.stdout


def test_init_refuses_to_overwrite_a_schema(tmp_path: Path):
    (tmp_path / "prisma").mkdir()
    (tmp_path / "prisma" / "schema.prisma").write_text("// mine\n")
    result = run(tmp_path, "init")
    assert result.returncode == 1
    assert "File prisma/schema.prisma already exists in your project." in result.stderr
    assert (tmp_path / "prisma" / "schema.prisma").read_text() == "// mine\n"
    assert not (tmp_path / ".env").exists() and not (tmp_path / ".gitignore").exists()


DEPRECATED_PREVIEW = """\
generator client {
  provider        = "prisma-client-js"
  previewFeatures = ["multiSchema"]
}

datasource db {
  provider = "postgresql"
}

model User {
  id Int @id
}
"""


def test_stderr_as_prisma_prints_it(tmp_path: Path):
    """Seen with Prisma 7.10.1: no blank line after "Prisma schema loaded" when nothing follows;
    the schema's warnings after one; an invalid schema's P1012 block after one, ending with
    the CLI's version line."""
    (tmp_path / "prisma").mkdir()
    schema = tmp_path / "prisma" / "schema.prisma"
    schema.write_text(FORMATTED)
    assert run(tmp_path, "format").stderr == "Prisma schema loaded from prisma/schema.prisma.\n"
    schema.write_text(DEPRECATED_PREVIEW)
    for _ in range(2):  # the second run is answered from the repeat-run cache
        assert run(tmp_path, "format").stderr == (
            "Prisma schema loaded from prisma/schema.prisma.\n"
            "\n"
            "Prisma schema warning:\n"
            '- Preview feature "multiSchema" is deprecated. The functionality can be used without specifying it as a preview feature.\n'
        )
    schema.write_text(DEPRECATED_PREVIEW.replace("@id", "@id @uniqe"))
    result = run(tmp_path, "format")
    assert result.returncode == 1
    assert result.stderr == (
        "Prisma schema loaded from prisma/schema.prisma.\n"
        "\n"
        "Prisma schema warning:\n"
        '- Preview feature "multiSchema" is deprecated. The functionality can be used without specifying it as a preview feature.\n'
        "\n"
        "Error: Prisma schema validation - (validate wasm)\n"
        "Error code: P1012\n"
        'error: Attribute not known: "@uniqe".\n'
        "  -->  prisma/schema.prisma:11\n"
        "   | \n"
        "10 | model User {\n"
        "11 |   id Int @id @uniqe\n"
        "   | \n"
        "\n"
        "Validation Error Count: 1\n"
        "[Context: validate]\n"
        "\n"
        "Prisma CLI Version : 7.10.1\n"
    )


def test_self_relation_back_field_gets_no_relation_arguments(tmp_path: Path):
    """Recorded from Prisma 7.10.1: the back field `node Node?` that format adds to a named 1:1
    self-relation gets no `@relation(fields: …)`, and the schema is refused for the two missing
    opposite fields only."""
    (tmp_path / "prisma").mkdir()
    source = (
        'datasource db {\n  provider = "sqlite"\n}\n\nmodel Node {\n  id       Int     @id\n'
        '  parentId Int?    @unique\n  parent   Node?   @relation("R", fields: [parentId], references: [id])\n}\n'
    )
    (tmp_path / "prisma" / "schema.prisma").write_text(source)
    result = run(tmp_path, "format")
    assert result.returncode == 1
    assert result.stderr == (
        "Prisma schema loaded from prisma/schema.prisma.\n\nError: Prisma schema validation - (validate wasm)\n"
        "Error code: P1012\nerror: Error validating field `parent` in model `Node`: The relation field `parent` on model"
        " `Node` is missing an opposite relation field on the model `Node`. Either run `prisma format` or add it manually.\n"
        '  -->  prisma/schema.prisma:8\n   | \n 7 |   parentId Int?  @unique\n 8 |   parent   Node? @relation("R", fields:'
        " [parentId], references: [id])\n 9 |   node     Node?\n   | \nerror: Error validating field `node` in model `Node`:"
        " The relation field `node` on model `Node` is missing an opposite relation field on the model `Node`. Either run"
        ' `prisma format` or add it manually.\n  -->  prisma/schema.prisma:9\n   | \n 8 |   parent   Node? @relation("R",'
        " fields: [parentId], references: [id])\n 9 |   node     Node?\n10 | }\n   | \n\nValidation Error Count: 2\n"
        "[Context: validate]\n\nPrisma CLI Version : 7.10.1\n"
    )
    assert (tmp_path / "prisma" / "schema.prisma").read_text() == source


def test_written_self_relation_field_gets_relation_arguments(tmp_path: Path):
    """Recorded from Prisma 7.10.1: a named self-relation field written alone gets `fields`
    and `references` (only the back field format adds gets none)."""
    (tmp_path / "prisma").mkdir()
    source = 'datasource db {\n  provider = "sqlite"\n}\n\nmodel Post {\n  id   Int   @id\n  post Post? @relation("R")\n}\n'
    (tmp_path / "prisma" / "schema.prisma").write_text(source)
    result = run(tmp_path, "format")
    assert result.returncode == 1
    assert result.stderr == 'Prisma schema loaded from prisma/schema.prisma.\n\nError: Prisma schema validation - (validate wasm)\nError code: P1012\nerror: Error validating field `post` in model `Post`: The relation field `post` on model `Post` is missing an opposite relation field on the model `Post`. Either run `prisma format` or add it manually.\n  -->  prisma/schema.prisma:7\n   | \n 6 |   id     Int    @id\n 7 |   post   Post?  @relation("R", fields: [postId], references: [id])\n 8 |   posts  Post[]\n   | \nerror: Error validating field `posts` in model `Post`: The relation field `posts` on model `Post` is missing an opposite relation field on the model `Post`. Either run `prisma format` or add it manually.\n  -->  prisma/schema.prisma:8\n   | \n 7 |   post   Post?  @relation("R", fields: [postId], references: [id])\n 8 |   posts  Post[]\n 9 |   postId Int?\n   | \n\nValidation Error Count: 2\n[Context: validate]\n\nPrisma CLI Version : 7.10.1\n'
