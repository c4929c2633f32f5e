"""Every migration of the scenario corpus gets a down migration that round-trips on a real
database, as `migrate dev` verifies it on the shadow database: before's schema, the up,
describe, the down (computed from the described schemas), describe (must equal before),
the up again. A down that cannot restore data says why at its top (`-- Irreversible:`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from lamina.db.connection import connect
from lamina.dialects import get_dialect
from lamina.migrate.diff_sources import describe_connection
from lamina.migrate.down import read_irreversible, run_script, verify
from lamina.sql.diff import diff
from tests.engine.anchor import SCENARIOS, for_provider
from tests.engine.helpers import EMPTY, schema_of

PROVIDERS = ("sqlite", "postgresql", "mysql")


def _cases():
    out = []
    for case in sorted(p for p in SCENARIOS.iterdir() if p.is_dir()):
        for provider in PROVIDERS:
            out.append(pytest.param(case, provider, id=f"{case.name}-{provider}"))
    return out


def _schemas(case: Path, provider: str):
    try:
        before = schema_of(for_provider((case / "before.prisma").read_text(), provider), provider)
        after = schema_of(for_provider((case / "after.prisma").read_text(), provider), provider)
    except AssertionError:
        pytest.skip(f"the scenario's schema is not valid for {provider}")
    return before, after


@pytest.mark.parametrize("case,provider", _cases())
def test_down_round_trips(case: Path, provider: str, request) -> None:
    if provider != "postgresql" and not (case / f"expected.{provider}.sql").exists() and provider == "sqlite":
        pytest.skip("Prisma rejects this scenario for SQLite")
    before, after = _schemas(case, provider)
    if provider == "mysql" and (before.namespaces or after.namespaces):
        pytest.skip("multiSchema is PostgreSQL's")
    url = request.getfixturevalue({"sqlite": "sqlite_url", "postgresql": "postgres_url", "mysql": "mysql_url"}[provider])
    dialect = get_dialect(provider)
    namespaces = list(after.namespaces or before.namespaces) or None
    with connect(url, create=True) as conn:
        def describe(c):
            return describe_connection(c.raw, provider, namespaces)

        run_script(conn, dialect.render_script(diff(EMPTY, before, dialect)))
        described = describe(conn)
        up = diff(described, after, dialect)
        if up.is_empty:
            pytest.skip("no change on this provider")
        verified = verify(conn, describe, case.name, up, dialect.render_script(up), dialect, [])
        assert diff(describe(conn), after, dialect).is_empty  # the up applied again ends at after
        reasons = read_irreversible(verified.text)
        lossy = bool(up.warnings) and any(w.startswith(("You are about to drop", "The `", "The values"))
                                          for w in up.warnings)
        if lossy:
            assert reasons, f"a lossy up ({up.warnings}) must give an irreversible down"
