"""The scenario corpus: before/after schema pairs with Prisma's expected scripts.

For each scenario folder and provider with an `expected.<provider>.sql` (made by the real
Prisma CLI, see anchor.py):
- `test_script`: Lamina's script equals Prisma's, byte for byte;
- `test_summary`: the human summary equals Prisma's (summary.<provider>.txt);
- `test_apply`: on a real database, before's from-empty script, one row per table, the
  migration (from the described database to after), then describe again: no difference
  left, and every row kept when Prisma warns of no data loss.

`LAMINA_UPDATE_SNAPSHOTS=1` regenerates the expectations with the real Prisma CLI.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from lamina.dialects import get_dialect
from lamina.sql.diff import diff
from tests.engine.anchor import SCENARIOS, for_provider, regenerate
from tests.engine.data import insert_rows
from tests.engine.helpers import EMPTY, connect_raw, run_script, schema_of, script

UPDATE = os.environ.get("LAMINA_UPDATE_SNAPSHOTS") == "1"

# Where Prisma's text would break the database, Lamina writes working SQL instead.
DIVERGENCES = {
    ("json_default", "sqlite"): "Prisma writes `DEFAULT {}` unquoted, which SQLite rejects; Lamina quotes it",
}


def _cases():
    out = []
    for case in sorted(p for p in SCENARIOS.iterdir() if p.is_dir()):
        for provider in ("sqlite", "postgresql"):
            if UPDATE or (case / f"expected.{provider}.sql").exists():
                out.append(pytest.param(case, provider, id=f"{case.name}-{provider}"))
    return out


def _texts(case: Path, provider: str):
    before = (case / "before.prisma").read_text()
    after = (case / "after.prisma").read_text()
    return for_provider(before, provider), for_provider(after, provider)


@pytest.mark.parametrize("case,provider", _cases())
def test_script(case: Path, provider: str, record_property) -> None:
    record_property("conformance_suite", f"scenario scripts vs Prisma 7.10.1 [{provider}]")
    expected_path = case / f"expected.{provider}.sql"
    if UPDATE and provider == "sqlite":
        regenerate(case)
    if not expected_path.exists():
        pytest.skip("Prisma rejects this scenario for this provider")
    if (case.name, provider) in DIVERGENCES:
        pytest.xfail(DIVERGENCES[(case.name, provider)])
    before, after = _texts(case, provider)
    assert script(before, after, provider) == expected_path.read_text()


@pytest.mark.parametrize("case,provider", _cases())
def test_summary(case: Path, provider: str) -> None:
    """The human summary (`migrate diff` without --script) equals Prisma's; the CLI adds a newline."""
    from lamina.sql.diff.summary import summarize

    expected_path = case / f"summary.{provider}.txt"
    if not expected_path.exists():
        pytest.skip("Prisma rejects this scenario for this provider")
    before, after = _texts(case, provider)
    dialect = get_dialect(provider)
    migration = diff(schema_of(before, provider), schema_of(after, provider), dialect)
    assert summarize(migration) + "\n" == expected_path.read_text()


def _describe(conn, provider: str, namespaces):
    from lamina.migrate.diff_sources import describe_connection

    return describe_connection(conn, provider, namespaces)


def _count(conn, table) -> int:
    name = f'"{table[0]}"."{table[1]}"' if table[0] else f'"{table[1]}"'
    return conn.execute(f"SELECT COUNT(*) FROM {name}").fetchone()[0]


@pytest.mark.parametrize("case,provider", _cases())
def test_apply(case: Path, provider: str, request) -> None:
    if not (case / f"expected.{provider}.sql").exists():
        pytest.skip("Prisma rejects this scenario for this provider")
    url = request.getfixturevalue("sqlite_url" if provider == "sqlite" else "postgres_url")
    dialect = get_dialect(provider)
    before_text, after_text = _texts(case, provider)
    before, after = schema_of(before_text, provider), schema_of(after_text, provider)
    namespaces = list(after.namespaces or before.namespaces) or None
    conn = connect_raw(url)
    try:
        run_script(conn, dialect.render_script(diff(EMPTY, before, dialect)))
        described = _describe(conn, provider, namespaces)
        assert diff(described, before, dialect).is_empty, "before does not round-trip through the database"
        migration = diff(described, after, dialect)
        counts = {}
        if not migration.unexecutable and not migration.warnings:
            counts = insert_rows(conn, before, provider)
        run_script(conn, dialect.render_script(migration))
        described = _describe(conn, provider, namespaces)
        left = diff(described, after, dialect)
        assert left.is_empty, dialect.render_script(left)
        for table, n in counts.items():
            if after.table(table[1], table[0]) is not None:
                assert _count(conn, table) == n, f"rows lost in {table}"
        assert diff(after, after, dialect).is_empty
    finally:
        conn.close()
