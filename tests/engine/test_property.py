"""Property: for random schemas and random edits, the migration takes a real database from
`before` to exactly `after` (describe + diff is empty), and `after` -> `after` is empty.

Small example counts keep it fast; every failure hypothesis finds is a scenario to add.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from lamina.dialects import get_dialect
from lamina.migrate.diff_sources import describe_connection
from lamina.sql.diff import diff
from tests.engine.helpers import EMPTY, connect_raw, run_script, schema_of

TYPES = ["String", "Int", "BigInt", "Float", "Boolean", "DateTime", "Decimal", "Json"]
DEFAULTS = {"String": '@default("x")', "Int": "@default(0)", "BigInt": "@default(1)", "Float": "@default(1.5)",
            "Boolean": "@default(false)", "DateTime": "@default(now())", "Decimal": "@default(2)"}

field = st.fixed_dictionaries({
    "type": st.sampled_from(TYPES),
    "optional": st.booleans(),
    "default": st.booleans(),
    "unique": st.booleans(),
    "index": st.booleans(),
})
model = st.fixed_dictionaries({
    "fields": st.dictionaries(st.sampled_from(["f1", "f2", "f3", "f4", "Zed"]), field, max_size=4),
    "relation": st.booleans(),  # an optional relation to the first model
})
schema = st.dictionaries(st.sampled_from(["Alpha", "Beta", "Gamma"]), model, min_size=1, max_size=3)


def render(spec: dict, provider: str) -> str:
    out = [f'datasource db {{\n  provider = "{provider}"\n}}\n']
    names = sorted(spec)
    first = names[0]
    backrefs = {n: [] for n in names}
    for n in names[1:]:
        if spec[n]["relation"]:
            backrefs[first].append(n)
    for n in names:
        lines = ["  id Int @id @default(autoincrement())"]
        attrs = []
        for fname, f in sorted(spec[n]["fields"].items()):
            t = f["type"]
            line = f"  {fname} {t}{'?' if f['optional'] else ''}"
            if f["default"] and t in DEFAULTS:
                line += " " + DEFAULTS[t]
            if f["unique"] and t in ("String", "Int", "BigInt"):
                line += " @unique"
            elif f["index"] and t != "Json":
                attrs.append(f"  @@index([{fname}])")
            lines.append(line)
        if n != first and spec[n]["relation"]:
            lines.append(f"  {first.lower()}Id Int?")
            lines.append(f"  {first.lower()} {first}? @relation(fields: [{first.lower()}Id], references: [id])")
        for b in backrefs[n]:
            lines.append(f"  {b.lower()}s {b}[]")
        out.append(f"model {n} {{\n" + "\n".join(lines + ([""] + attrs if attrs else [])) + "\n}\n")
    return "\n".join(out)


def check(conn, provider: str, before_spec: dict, after_spec: dict, reset) -> None:
    dialect = get_dialect(provider)
    before = schema_of(render(before_spec, provider), provider)
    after = schema_of(render(after_spec, provider), provider)
    reset()
    run_script(conn, dialect.render_script(diff(EMPTY, before, dialect)))
    migration = diff(describe_connection(conn, provider), after, dialect)
    run_script(conn, dialect.render_script(migration))
    left = diff(describe_connection(conn, provider), after, dialect)
    assert left.is_empty, dialect.render_script(left)
    assert diff(after, after, dialect).is_empty


# No shrinking: a failure prints its example at once (shrinking against a database is slow).
PHASES = [Phase.explicit, Phase.reuse, Phase.generate]
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), phases=PHASES)


@SETTINGS
@given(before=schema, after=schema)
def test_random_edits_sqlite(tmp_path_factory, before, after):
    path = tmp_path_factory.mktemp("prop") / "dev.db"
    conn = connect_raw(f"file:{path}")
    try:
        check(conn, "sqlite", before, after, lambda: None)
    finally:
        conn.close()


@pytest.fixture(scope="module")
def pg_conn(postgres_server):
    import uuid

    import psycopg

    from tests.dburls import with_database

    name = f"lamina_prop_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(postgres_server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    conn = psycopg.connect(with_database(postgres_server, name), autocommit=True)
    yield conn
    conn.close()
    with psycopg.connect(postgres_server, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck), phases=PHASES)
@given(before=schema, after=schema)
def test_random_edits_postgresql(pg_conn, before, after):
    def reset():
        pg_conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")

    check(pg_conn, "postgresql", before, after, reset)
