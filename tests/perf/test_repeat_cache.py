"""The repeat-run cache (lamina.cache): validate and format answer a repeat run on unchanged
files from the cache folder, a damaged entry is ignored and rebuilt, an invalid schema is never
stored, and LAMINA_CACHE=0 turns it off."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from lamina import cache

SCHEMA = """datasource db {
  provider = "sqlite"
}

model User {
  id    Int    @id @default(autoincrement())
  email String @unique
}
"""


def run(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    full_env = dict(os.environ, LAMINA_CACHE_DIR=str(tmp_path / "cache"), **env)
    return subprocess.run([sys.executable, "-m", "lamina", *args], cwd=tmp_path, env=full_env,
                          capture_output=True, text=True, timeout=120)


def entries(tmp_path: Path, kind: str) -> list[Path]:
    folder = tmp_path / "cache"
    return sorted(folder.glob(f"{kind}-*")) if folder.exists() else []


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "schema.prisma").write_text(SCHEMA)
    return tmp_path


def forge(entry: Path, payload: bytes) -> None:
    """Rewrite an entry with a well-formed header around `payload`: what the next run prints
    shows whether it read the cache."""
    import hashlib

    entry.write_bytes(cache._MAGIC + len(payload).to_bytes(8, "big") + hashlib.sha256(payload).digest() + payload)


def test_repeat_validate_is_answered_from_the_cache(project):
    first = run(project, "validate", "--schema", "schema.prisma")
    assert first.returncode == 0, first.stderr
    [entry] = entries(project, "validate")
    forge(entry, b"- a warning only the cache knows\n")
    second = run(project, "validate", "--schema", "schema.prisma")
    assert second.returncode == 0
    assert "a warning only the cache knows" in second.stderr
    assert second.stdout == first.stdout


def test_changed_schema_is_validated_again(project):
    assert run(project, "validate", "--schema", "schema.prisma").returncode == 0
    (project / "schema.prisma").write_text(SCHEMA.replace("email String @unique", "email Strin"))
    out = run(project, "validate", "--schema", "schema.prisma")
    assert out.returncode == 1
    assert "P1012" in out.stderr
    assert len(entries(project, "validate")) == 1, "an invalid schema is never stored"


@pytest.mark.parametrize("damage", [b"", b"garbage", None])
def test_damaged_entry_is_ignored_and_rebuilt(project, damage):
    first = run(project, "validate", "--schema", "schema.prisma")
    [entry] = entries(project, "validate")
    good = entry.read_bytes()
    # truncated, foreign, or one flipped byte in the payload (the checksum no longer matches)
    entry.write_bytes(damage if damage is not None else good[:-1] + bytes([good[-1] ^ 1]))
    second = run(project, "validate", "--schema", "schema.prisma")
    assert (second.returncode, second.stdout, second.stderr) == (0, first.stdout, first.stderr)
    assert entry.read_bytes() == good


def test_cache_can_be_turned_off(project):
    out = run(project, "validate", "--schema", "schema.prisma", LAMINA_CACHE="0")
    assert out.returncode == 0
    assert not (project / "cache").exists()


def test_repeat_format_is_answered_from_the_cache(project):
    (project / "schema.prisma").write_text(SCHEMA.replace("email String @unique", "email   String   @unique"))
    assert run(project, "format", "--schema", "schema.prisma").returncode == 0
    formatted = (project / "schema.prisma").read_text()
    assert formatted == SCHEMA
    check = run(project, "format", "--check", "--schema", "schema.prisma")
    assert check.returncode == 0 and "All files are formatted correctly!" in check.stdout
    assert len(entries(project, "format")) == 2  # the input as written, and its formatted text


def test_unreadable_cache_folder_means_no_cache(project):
    (project / "cache").write_text("a file where the folder should be")
    out = run(project, "validate", "--schema", "schema.prisma")
    assert out.returncode == 0, out.stderr
    assert "is valid" in out.stdout


def test_key_changes_with_every_part():
    assert cache.key("a", "bc") != cache.key("ab", "c")
    assert cache.key("a") == cache.key("a")
