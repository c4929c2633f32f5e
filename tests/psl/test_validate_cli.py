"""`lamina validate` as a user runs it: exit codes and exact output (plain when not a TTY)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

VALID = """datasource db {
  provider = "sqlite"
  url      = env("DATABASE_URL")
}

model User {
  id    Int    @id @default(autoincrement())
  email String @unique
}
"""

BROKEN = """datasource db {
  provider = "sqlite"
  url      = env("DATABASE_URL")
}

model User {
  id    Int    @id
  posts Post[]
  foo   Strin
}

model Post {
  id       Int @id
  authorId Int
}
"""


def lamina(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "DATABASE_URL")}
    env["NO_COLOR"] = "1"
    return subprocess.run(
        [sys.executable, "-m", "lamina", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=60
    )


def write(tmp_path: Path, text: str, rel: str = "prisma/schema.prisma") -> Path:
    path = tmp_path / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_valid_schema(tmp_path):
    write(tmp_path, VALID)
    done = lamina(tmp_path, "validate")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "The schema at prisma/schema.prisma is valid \U0001f680\n"
    # Prisma 7.10.1 prints no blank line after it when nothing (warnings, errors) follows.
    assert done.stderr == "Prisma schema loaded from prisma/schema.prisma.\n"


def test_invalid_schema_prints_prisma_diagnostics_and_exits_1(tmp_path):
    # The diagnostic is the one Prisma 7.10.1 prints for this schema (the relation error is
    # not reached: type errors stop validation, as in Prisma).
    write(tmp_path, BROKEN)
    done = lamina(tmp_path, "validate")
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr == (
        "Prisma schema loaded from prisma/schema.prisma.\n\n"
        "Error: Prisma schema validation - (validate wasm)\n"
        "Error code: P1012\n"
        'error: Type "Strin" is neither a built-in type, nor refers to another model, composite type, or enum.\n'
        "  -->  prisma/schema.prisma:9\n"
        "   | \n"
        " 8 |   posts Post[]\n"
        " 9 |   foo   Strin\n"
        "   | \n"
        "\n"
        "Validation Error Count: 1\n"
        "[Context: validate]\n"
        "\n"
        "Prisma CLI Version : 7.10.1\n"
    )


def test_colours_on_a_terminal(tmp_path):
    """On a TTY the diagnostics carry Prisma's ANSI colours (checked through a pseudo-terminal)."""
    pty = pytest.importorskip("pty")
    write(tmp_path, BROKEN)
    leader, follower = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "DATABASE_URL")}
    done = subprocess.run(
        [sys.executable, "-m", "lamina", "validate"], cwd=tmp_path, env=env, stderr=follower, stdout=subprocess.PIPE, timeout=60
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    err = b"".join(chunks).decode().replace("\r\n", "\n")
    assert done.returncode == 1
    assert (
        "\x1b[1;91merror\x1b[0m: \x1b[1mType \"Strin\" is neither a built-in type, nor refers to another model, "
        "composite type, or enum.\x1b[0m\n"
        "  \x1b[1;94m-->\x1b[0m  \x1b[4mprisma/schema.prisma:9\x1b[0m\n"
        "\x1b[1;94m   | \x1b[0m\n"
        "\x1b[1;94m 8 | \x1b[0m  posts Post[]\n"
        "\x1b[1;94m 9 | \x1b[0m  foo   \x1b[1;91mStrin\x1b[0m\n"
    ) in err


def test_warnings_are_listed_and_do_not_fail(tmp_path):
    write(
        tmp_path,
        'datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n}\n'
        "model A {\n  id Int @id\n  b B?\n}\n"
        "model B {\n  id Int @id\n  aId Int @unique\n"
        "  a A? @relation(fields: [aId], references: [id], onDelete: SetNull)\n}\n",
    )
    done = lamina(tmp_path, "validate")
    assert done.returncode == 0, done.stderr
    assert "Prisma schema warning:\n- The `onDelete` referential action of a relation should not be set to `SetNull`" in done.stderr
    assert done.stdout == "The schema at prisma/schema.prisma is valid \U0001f680\n"


def test_schema_option_and_folder(tmp_path):
    write(tmp_path, VALID, "custom/one.prisma")
    done = lamina(tmp_path, "validate", "--schema", "custom/one.prisma")
    assert (done.returncode, done.stdout) == (0, "The schema at custom/one.prisma is valid \U0001f680\n")
    write(tmp_path, VALID.split("model")[0], "multi/config.prisma")
    write(tmp_path, "model User {\n  id Int @id\n}\n", "multi/models.prisma")
    done = lamina(tmp_path, "--schema", "multi", "validate")
    assert (done.returncode, done.stdout) == (0, "The schemas at multi are valid \U0001f680\n")
    # Diagnostics name the file by its path, as Prisma 7.10.1 does for a folder schema.
    write(tmp_path, "model User {\n  id Int @id\n  x Strin\n}\n", "multi/models.prisma")
    done = lamina(tmp_path, "--schema", "multi", "validate")
    assert done.returncode == 1
    assert "  -->  multi/models.prisma:3\n" in done.stderr


def test_crm_example_is_valid():
    done = lamina(REPO / "examples" / "crm", "validate")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "The schema at prisma/schema.prisma is valid \U0001f680\n"


def test_missing_schema_is_a_clean_error(tmp_path):
    done = lamina(tmp_path, "validate")
    assert done.returncode == 1
    assert "Could not find a schema.prisma file" in done.stderr
    assert "Traceback" not in done.stderr
