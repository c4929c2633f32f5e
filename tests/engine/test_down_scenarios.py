"""Every migration of the scenario corpus gets a down migration that round-trips on a real
database, as `migrate dev` verifies it on the shadow database: before's schema, the up,
describe, the down (computed from the described schemas), describe (must equal before),
the up again. A down that cannot restore data says why at its top (`-- Irreversible:`)."""

from __future__ import annotations

from dataclasses import replace
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


def _calculated(case: Path, provider: str):
    """The scenario's (before, after) calculated for `provider`, or the reason it does not apply
    there: the scenario is invalid for it, Prisma rejects it, or it changes nothing."""
    if provider == "sqlite" and not (case / "expected.sqlite.sql").exists():
        return "Prisma rejects this scenario for SQLite"
    try:
        before = schema_of(for_provider((case / "before.prisma").read_text(), provider), provider)
        after = schema_of(for_provider((case / "after.prisma").read_text(), provider), provider)
    except AssertionError:
        return f"the scenario's schema is not valid for {provider}"
    if provider == "mysql" and (before.namespaces or after.namespaces):
        return "multiSchema is PostgreSQL's"
    if diff(before, after, get_dialect(provider)).is_empty:
        return "no change on this provider"
    if diff(replace(before, described=True), after, get_dialect(provider)).is_empty:
        return "no change against a database (predicates PostgreSQL keeps rewritten)"
    return before, after


def _cases():
    """Only the (scenario, provider) pairs a down migration exists for: the others are left out
    at collection rather than skipped, so that a skip in this module always means a problem."""
    out = []
    for case in sorted(p for p in SCENARIOS.iterdir() if p.is_dir()):
        for provider in PROVIDERS:
            if not isinstance(_calculated(case, provider), str):
                out.append(pytest.param(case, provider, id=f"{case.name}-{provider}"))
    return out


@pytest.mark.parametrize("case,provider", _cases())
def test_down_round_trips(case: Path, provider: str, request) -> None:
    before, after = _calculated(case, provider)
    url = request.getfixturevalue({"sqlite": "sqlite_url", "postgresql": "postgres_url", "mysql": "mysql_url"}[provider])
    dialect = get_dialect(provider)
    namespaces = list(after.namespaces or before.namespaces) or None
    with connect(url, create=True) as conn:
        def describe(c):
            return describe_connection(c.raw, provider, namespaces)

        run_script(conn, dialect.render_script(diff(EMPTY, before, dialect)))
        described = describe(conn)
        up = diff(described, after, dialect)
        assert not up.is_empty, "the calculated schemas differ, but the described one equals after"
        verified = verify(conn, describe, case.name, up, dialect.render_script(up), dialect, [])
        assert diff(describe(conn), after, dialect).is_empty  # the up applied again ends at after
        reasons = read_irreversible(verified.text)
        lossy = bool(up.warnings) and any(w.startswith(("You are about to drop", "The `", "The values"))
                                          for w in up.warnings)
        if lossy:
            assert reasons, f"a lossy up ({up.warnings}) must give an irreversible down"
