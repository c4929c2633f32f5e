"""The CRM example from empty: Lamina's script equals Prisma 7.10.1's, on both providers.

The expectations were printed by the real Prisma CLI (`migrate diff --from-empty
--to-schema ... --script`) for examples/crm/prisma/schema.prisma (SQLite) and the same
schema with `provider = "postgresql"`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.engine.anchor import for_provider
from tests.engine.helpers import connect_raw, run_script, schema_of, script

HERE = Path(__file__).resolve().parent
CRM = HERE.parents[1] / "examples" / "crm" / "prisma" / "schema.prisma"


def _crm(provider: str) -> str:
    text = CRM.read_text().replace('provider = "sqlite"', 'provider = "postgresql"')
    return for_provider(text, provider)


@pytest.mark.parametrize("provider", ["sqlite", "postgresql"])
def test_crm_from_empty_equals_prisma(provider: str) -> None:
    assert script(None, _crm(provider), provider) == (HERE / "crm" / f"expected.{provider}.sql").read_text()


@pytest.mark.parametrize("provider", ["sqlite", "postgresql"])
def test_crm_applies_and_round_trips(provider: str, request) -> None:
    from lamina.dialects import get_dialect
    from lamina.migrate.diff_sources import describe_connection
    from lamina.sql.diff import diff

    url = request.getfixturevalue("sqlite_url" if provider == "sqlite" else "postgres_url")
    conn = connect_raw(url)
    try:
        target = schema_of(_crm(provider), provider)
        run_script(conn, script(None, _crm(provider), provider))
        dialect = get_dialect(provider)
        assert diff(describe_connection(conn, provider), target, dialect).is_empty
    finally:
        conn.close()
