"""The `Datasource "db": ...` line that `migrate status`/`deploy`/`dev` print first.

Found on webstudio's history (provider = "postgres"): Prisma 7.10.1 names the PostgreSQL
schema only when the datasource says `provider = "postgresql"`; with the `postgres` alias
it leaves `, schema "..."` out, whatever the URL's `?schema=` says. The expected lines were
recorded from the anchor (`prisma migrate status`, Prisma 7.10.1).
"""

from __future__ import annotations

import pytest

from lamina.migrate.datasource import load_datasource
from lamina.project import locate_schema


def _datasource(tmp_path, provider: str, url: str):
    (tmp_path / "prisma").mkdir()
    (tmp_path / "prisma" / "schema.prisma").write_text(
        f'datasource db {{\n  provider = "{provider}"\n  url      = "{url}"\n}}\n\nmodel A {{\n  id Int @id\n}}\n')
    return load_datasource(locate_schema(None, tmp_path))


@pytest.mark.parametrize("query, expected", [
    ("", 'Datasource "db": PostgreSQL database "app", schema "public" at "127.0.0.1:5432"'),
    ("?schema=other", 'Datasource "db": PostgreSQL database "app", schema "other" at "127.0.0.1:5432"'),
])
def test_postgresql_provider_names_the_schema(tmp_path, query, expected):
    ds = _datasource(tmp_path, "postgresql", f"postgresql://u@127.0.0.1:5432/app{query}")
    assert ds.describe() == expected


@pytest.mark.parametrize("query", ["", "?schema=other"])
def test_postgres_alias_leaves_the_schema_out(tmp_path, query):
    ds = _datasource(tmp_path, "postgres", f"postgresql://u@127.0.0.1:5432/app{query}")
    assert ds.describe() == 'Datasource "db": PostgreSQL database "app" at "127.0.0.1:5432"'
