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


# ------------------------------------------------------------ generate and migrate dev

CLIENT_SCHEMA = SCHEMA.replace('provider = "sqlite"\n}', 'provider = "sqlite"\n  url      = "file:./dev.db"\n}').replace(
    "datasource db", 'generator client {\n  provider = "lamina"\n  output   = "./client"\n}\n\ndatasource db', 1)


@pytest.fixture
def client_project(tmp_path: Path) -> Path:
    (tmp_path / "schema.prisma").write_text(CLIENT_SCHEMA)
    return tmp_path


def payload_of(entry: Path) -> bytes:
    return entry.read_bytes()[cache._HEADER:]


def client_files(project: Path) -> dict[str, bytes]:
    from lamina.client.generate_cache import folder_manifest

    return {name: (project / "client" / name).read_bytes() for name in folder_manifest(project / "client")}


def test_repeat_generate_is_answered_from_the_cache(client_project):
    import json

    first = run(client_project, "generate", "--schema", "schema.prisma")
    assert first.returncode == 0, first.stderr
    written = client_files(client_project)
    [entry] = entries(client_project, "generate")
    recorded = json.loads(payload_of(entry))
    forge(entry, json.dumps(dict(recorded, warnings="- a warning only the cache knows\n")).encode())
    second = run(client_project, "generate", "--schema", "schema.prisma")
    assert second.returncode == 0, second.stderr
    assert "a warning only the cache knows" in second.stderr
    assert "Generated Lamina Client" in second.stdout
    assert client_files(client_project) == written
    uncached = run(client_project, "generate", "--schema", "schema.prisma", LAMINA_CACHE="0")
    assert uncached.returncode == 0 and "a warning only the cache knows" not in uncached.stderr
    assert client_files(client_project) == written, "byte-identical with and without the cache"


def test_edited_or_deleted_client_file_is_regenerated(client_project):
    assert run(client_project, "generate", "--schema", "schema.prisma").returncode == 0
    written = client_files(client_project)
    (client_project / "client" / "models.py").write_text("# edited by hand\n")
    (client_project / "client" / "client.py").unlink()
    assert run(client_project, "generate", "--schema", "schema.prisma").returncode == 0
    assert client_files(client_project) == written


def test_changed_schema_regenerates_the_client(client_project):
    assert run(client_project, "generate", "--schema", "schema.prisma").returncode == 0
    (client_project / "schema.prisma").write_text(CLIENT_SCHEMA.replace("email String @unique",
                                                                        "email String @unique\n  nickname String?"))
    out = run(client_project, "generate", "--schema", "schema.prisma")
    assert out.returncode == 0, out.stderr
    assert "nickname" in (client_project / "client" / "models.py").read_text()
    assert len(entries(client_project, "generate")) == 2


def test_damaged_generate_entry_is_ignored_and_rebuilt(client_project):
    assert run(client_project, "generate", "--schema", "schema.prisma").returncode == 0
    [entry] = entries(client_project, "generate")
    good = entry.read_bytes()
    entry.write_bytes(good[:-1] + bytes([good[-1] ^ 1]))
    out = run(client_project, "generate", "--schema", "schema.prisma")
    assert out.returncode == 0, out.stderr
    assert entry.read_bytes() == good


def with_a_table_only_the_cache_knows(calculated):
    """A stored `Calculated` whose SqlSchema has one more table than the schema file."""
    from dataclasses import replace

    schema = calculated.schema
    extra = schema.tables[0].with_(name="OnlyTheCacheKnows", indexes=(), foreign_keys=())
    return replace(calculated, schema=replace(schema, tables=(*schema.tables, extra)))


def test_repeat_migrate_dev_loads_the_target_from_the_cache(client_project):
    import pickle

    first = run(client_project, "migrate", "dev", "--name", "init", "--schema", "schema.prisma", "--skip-generate")
    assert first.returncode == 0, first.stderr
    assert entries(client_project, "target") == [], "a first run only marks the schema as seen"
    assert run(client_project, "migrate", "dev", "--schema", "schema.prisma", "--skip-generate").returncode == 0
    [entry] = entries(client_project, "target")  # the repeat run stored it
    forge(entry, pickle.dumps(with_a_table_only_the_cache_knows(pickle.loads(payload_of(entry)))))
    second = run(client_project, "migrate", "dev", "--schema", "schema.prisma", "--skip-generate", "--create-only",
                 "--name", "forged")
    assert second.returncode == 0, second.stderr
    [written] = (client_project / "migrations").glob("*_forged/migration.sql")
    assert 'CREATE TABLE "OnlyTheCacheKnows"' in written.read_text()  # the target came from the cache


def test_changed_schema_is_never_served_stale_to_migrate_dev(client_project):
    dev = ("migrate", "dev", "--schema", "schema.prisma", "--skip-generate")
    assert run(client_project, *dev, "--name", "init").returncode == 0
    (client_project / "schema.prisma").write_text(CLIENT_SCHEMA.replace("email String @unique",
                                                                        "email String @unique\n  nickname String?"))
    out = run(client_project, *dev, "--name", "nickname")
    assert out.returncode == 0, out.stderr
    [script] = (client_project / "migrations").glob("*_nickname/migration.sql")
    assert '"nickname" TEXT' in script.read_text()


def test_damaged_target_entry_is_ignored_and_rebuilt(client_project):
    dev = ("migrate", "dev", "--schema", "schema.prisma", "--skip-generate")
    assert run(client_project, *dev, "--name", "init").returncode == 0
    assert run(client_project, *dev).returncode == 0  # the first repeat stores the entry
    [entry] = entries(client_project, "target")
    good = entry.read_bytes()
    entry.write_bytes(good[: len(good) // 2])
    out = run(client_project, *dev)
    assert out.returncode == 0, out.stderr
    assert "Already in sync" in out.stdout
    assert entry.read_bytes() == good


def test_generate_and_migrate_dev_without_cache(client_project):
    assert run(client_project, "migrate", "dev", "--name", "init", "--schema", "schema.prisma",
               LAMINA_CACHE="0").returncode == 0
    assert run(client_project, "generate", "--schema", "schema.prisma", LAMINA_CACHE="0").returncode == 0
    assert not (client_project / "cache").exists()


def test_repeat_migrate_diff_uses_the_calculated_schema_from_the_cache(client_project):
    diff = ("migrate", "diff", "--from-empty", "--to-schema-datamodel", "schema.prisma", "--script")
    first = run(client_project, *diff)
    assert first.returncode == 0, first.stderr
    assert run(client_project, *diff).stdout == first.stdout  # the first repeat stores the entry
    [plain] = entries(client_project, "target")
    assert run(client_project, *diff, LAMINA_CACHE="0").stdout == first.stdout
    (client_project / "schema.prisma").write_text(CLIENT_SCHEMA.replace("email String @unique",
                                                                        "email String @unique\n  nickname String?"))
    changed = run(client_project, *diff)
    assert '"nickname" TEXT' in changed.stdout, "a changed schema is calculated afresh"
    assert run(client_project, *diff).stdout == changed.stdout
    [other] = [e for e in entries(client_project, "target") if e != plain]
    plain.write_bytes(other.read_bytes())  # the first schema's entry now holds the second's result
    (client_project / "schema.prisma").write_text(CLIENT_SCHEMA)
    served = run(client_project, *diff)
    assert served.returncode == 0 and served.stdout == changed.stdout


def test_a_value_that_does_not_pickle_is_not_cached(tmp_path, monkeypatch):
    monkeypatch.setenv("LAMINA_CACHE_DIR", str(tmp_path))
    cache.put_object("target", "k", lambda: None)
    assert cache.get_object("target", "k") is None and list(tmp_path.iterdir()) == []
    cache.put_object("target", "k", ("warnings", [1, 2]))
    assert cache.get_object("target", "k") == ("warnings", [1, 2])


# ------------------------------------------------------------ what the target entry holds

DIFF = ("migrate", "diff", "--from-empty", "--to-schema-datamodel", "schema.prisma", "--script")


def stored_target(project: Path) -> Path:
    """Run the diff until its target entry is stored (the first run only marks the schema)."""
    for _ in range(2):
        out = run(project, *DIFF)
        assert out.returncode == 0, out.stderr
    [entry] = entries(project, "target")
    return entry


def test_the_target_entry_holds_the_sql_schema_and_no_datamodel(client_project):
    """A repeat `migrate diff` loads only the SqlSchema and a few facts: the datamodel (five
    times its size in a pickle) is not stored, so no run unpickles it."""
    import pickle

    from lamina.migrate.engine import Calculated

    payload = payload_of(stored_target(client_project))
    stored = pickle.loads(payload)
    assert isinstance(stored, Calculated)
    assert (stored.provider, stored.namespaces, [t.name for t in stored.schema.tables]) == ("sqlite", None, ["User"])
    assert b"lamina.datamodel" not in payload


def test_a_cache_hit_builds_the_datamodel_only_when_it_is_read(client_project, monkeypatch):
    from lamina.migrate.engine import calculated_schema
    from lamina.project import locate_schema

    stored_target(client_project)
    monkeypatch.setenv("LAMINA_CACHE_DIR", str(client_project / "cache"))
    monkeypatch.chdir(client_project)  # the files' names as the runs above read them: part of the key
    calculated, datamodel = calculated_schema(locate_schema("schema.prisma"), context="migrate diff")
    assert [t.name for t in calculated.schema.tables] == ["User"]
    assert not datamodel.loaded
    assert [f.name for f in datamodel.models[0].scalar_fields] == ["id", "email"]
    assert datamodel.loaded


RENAMED = CLIENT_SCHEMA.replace("email String @unique", 'mail String @unique @map("e_mail")')


def test_rename_flags_read_the_datamodel_of_a_cached_schema(client_project):
    """`--rename` names a field by its schema name: the database name (@map) comes from the
    datamodel, rebuilt from the files when the schema came from the cache (and in the run that
    stores the entry, which drops its datamodel before pickling)."""
    (client_project / "before.prisma").write_text(CLIENT_SCHEMA)
    (client_project / "schema.prisma").write_text(RENAMED)
    diff = ("migrate", "diff", "--from-schema-datamodel", "before.prisma", "--to-schema-datamodel", "schema.prisma",
            "--script", "--rename", "User.email=mail")
    uncached = run(client_project, *diff, LAMINA_CACHE="0")
    assert uncached.returncode == 0, uncached.stderr
    assert 'RENAME COLUMN "email" TO "e_mail"' in uncached.stdout
    for label in ("first run", "storing run", "repeat run", "second repeat run"):
        out = run(client_project, *diff)
        assert (out.returncode, out.stdout) == (0, uncached.stdout), label
    assert len(entries(client_project, "target")) == 2  # both sides


@pytest.mark.parametrize("damaged", [False, True], ids=["stored", "damaged"])
def test_rename_detection_on_a_cache_hit_reads_the_stored_names(client_project, monkeypatch, damaged):
    """A rename candidate's question and warning need the schema names of database names
    (@map): a cache hit reads them from the `names` entry stored beside the target, which holds
    only the names a schema maps, and does not rebuild the datamodel (at 10,000 models that
    rebuild took the run past 180 MB); a damaged names entry means a rebuild, never a wrong name."""
    from lamina.migrate.engine import calculated_schema
    from lamina.migrate.renames import _LazyNames
    from lamina.project import locate_schema

    (client_project / "schema.prisma").write_text(RENAMED)
    stored_target(client_project)
    [names_entry] = entries(client_project, "names")
    if damaged:
        good = names_entry.read_bytes()
        names_entry.write_bytes(good[:-1] + bytes([good[-1] ^ 1]))
    monkeypatch.setenv("LAMINA_CACHE_DIR", str(client_project / "cache"))
    monkeypatch.chdir(client_project)
    _, datamodel = calculated_schema(locate_schema("schema.prisma"), context="migrate diff")
    names = _LazyNames(datamodel)
    assert names.fields == {("User", "e_mail"): "mail"} and names.tables == {}
    assert datamodel.loaded is damaged


def test_damaged_target_entry_of_migrate_diff_is_ignored_and_rebuilt(client_project):
    entry = stored_target(client_project)
    good = entry.read_bytes()
    entry.write_bytes(good[:-1] + bytes([good[-1] ^ 1]))
    out = run(client_project, *DIFF)
    assert out.returncode == 0, out.stderr
    assert 'CREATE TABLE "User"' in out.stdout
    assert entry.read_bytes() == good


def test_a_target_entry_of_another_shape_is_not_trusted(client_project):
    """An entry that passes the checksum but holds something else (the (warnings, datamodel,
    schema) tuple earlier versions stored) is recalculated, never served."""
    import pickle

    entry = stored_target(client_project)
    forged = with_a_table_only_the_cache_knows(pickle.loads(payload_of(entry)))
    forge(entry, pickle.dumps(("", None, forged.schema)))
    out = run(client_project, *DIFF)
    assert out.returncode == 0, out.stderr
    assert "OnlyTheCacheKnows" not in out.stdout and 'CREATE TABLE "User"' in out.stdout


def test_migrate_dev_describes_the_namespaces_of_a_cached_schema(tmp_path, postgres_url):
    """The datasource's `schemas` come with the cached SqlSchema: a repeat run describes both
    namespaces and finds them in sync (describing only `public` would see two missing tables)."""
    (tmp_path / "schema.prisma").write_text(f"""datasource db {{
  provider = "postgresql"
  url      = "{postgres_url}"
  schemas  = ["base", "extra"]
}}

model User {{
  id Int @id
  @@schema("base")
}}

model Post {{
  id Int @id
  @@schema("extra")
}}
""")
    dev = ("migrate", "dev", "--schema", "schema.prisma", "--skip-generate")
    assert run(tmp_path, *dev, "--name", "init").returncode == 0
    for label in ("storing run", "repeat run"):
        out = run(tmp_path, *dev)
        assert out.returncode == 0, out.stderr
        assert "Already in sync" in out.stdout, label
    assert len(entries(tmp_path, "target")) == 1
    assert len(list((tmp_path / "migrations").iterdir())) == 2  # init and the lock file
