"""`migrate diff`: resolve each side (empty, schema file, live database, migrations folder)
to a `SqlSchema`, diff them, and print the script or Prisma's human summary.

Sides (`Side(kind, value)`): "empty"; "schema" (a schema file or folder: its models);
"datasource" (the database a schema's datasource points to); "url" (a database URL);
"migrations" (a folder replayed on a shadow database: `--shadow-database-url`, else a
temporary PostgreSQL database created and dropped, or an in-memory SQLite one).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lamina.errors import LaminaError
from lamina.sql.schema import SqlSchema


@dataclass(frozen=True)
class Side:
    kind: str  # empty | schema | datasource | url | migrations
    value: str | None = None


@dataclass
class Resolved:
    schema: SqlSchema | None  # None until the provider is known (empty side)
    provider: str | None
    namespaces: list[str] | None = None
    datamodel: object = None  # a schema side's datamodel (names for `--rename`), built when read


def describe_connection(raw_conn, provider: str, namespaces: list[str] | None = None) -> SqlSchema:
    """Describe a live database (raw sqlite3 / psycopg / pymysql connection) as the
    calculator would write it (see `Dialect.describe`)."""
    from lamina.dialects import get_dialect

    return get_dialect(provider).describe(raw_conn, namespaces)


def _load(path: str):
    from lamina.project import locate_schema
    from lamina.psl.load import load_datamodel

    location = locate_schema(path)
    return location, load_datamodel(location, context="migrate diff").datamodel


def _describe_url(url, namespaces) -> Resolved:
    """The database at `url` (a parsed `lamina.db` URL) described."""
    from lamina.db import connect

    with connect(url) as conn:
        if url.provider == "postgresql" and url.schema != "public":
            conn.execute(f'SET search_path TO "{url.schema}"')
        return Resolved(describe_connection(conn.raw, url.provider, namespaces), url.provider, namespaces)


def _replay(folder: str, provider: str, shadow_url: str | None, main_url: str | None,
            namespaces: list[str] | None = None) -> SqlSchema:
    from lamina.db import parse_url
    from lamina.db.shadow import shadow_database
    from lamina.migrate.directory import list_migrations
    from lamina.migrate.engine import replay

    path = Path(folder)
    if not path.is_dir():
        raise LaminaError(f"The migrations directory `{folder}` does not exist.")
    migrations = list_migrations(path)
    if main_url is None:
        main_url = "file::memory:" if provider == "sqlite" else None
    if main_url is None and shadow_url is None:
        import os

        main_url = os.environ.get("DATABASE_URL")
    if main_url is None and shadow_url is None:
        raise LaminaError(
            "`--from-migrations`/`--to-migrations` needs a database to replay the migrations on: "
            "pass `--shadow-database-url URL` (or set DATABASE_URL)."
        )
    if main_url is None:
        # Only a shadow database was given: use it as is, emptied first.
        from lamina.db import connect
        from lamina.db.admin import reset_schema

        with connect(parse_url(shadow_url), create=True) as conn:
            reset_schema(conn)
            replay(conn, migrations)
            return describe_connection(conn.raw, provider, namespaces)
    with shadow_database(parse_url(main_url), shadow_url) as conn:
        replay(conn, migrations)
        return describe_connection(conn.raw, provider, namespaces)


def resolve(side: Side, *, provider_hint: str | None, shadow_url: str | None, schema_path: str | None,
            namespaces_hint: list[str] | None = None) -> Resolved:
    """The SqlSchema of one side of the diff (database sides describe the namespaces the
    other side's schema declares, `namespaces_hint`)."""
    if side.kind == "empty":
        return Resolved(None, None)
    if side.kind == "schema":
        from lamina.migrate.engine import calculated_schema
        from lamina.project import locate_schema

        calculated, datamodel = calculated_schema(locate_schema(side.value), provider_hint, context="migrate diff")
        return Resolved(calculated.schema, calculated.provider or provider_hint or "sqlite", calculated.namespaces,
                        datamodel)
    if side.kind == "datasource":
        from lamina.migrate.datasource import load_datasource
        from lamina.migrate.engine import declared_namespaces
        from lamina.project import load_dotenv_files

        location, dm = _load(side.value or schema_path)
        load_dotenv_files(location.directory)  # the URL may come from the schema folder's .env
        ds = load_datasource(location)
        # ds.url: a relative SQLite path as the datasource resolves it (the project folder when
        # the URL is prisma.config.ts's or DATABASE_URL, as migrate dev uses it)
        return _describe_url(ds.url, declared_namespaces(dm) or namespaces_hint)
    if side.kind == "url":
        from lamina.db import parse_url

        return _describe_url(parse_url(side.value, None), namespaces_hint)
    if side.kind == "migrations":
        from lamina.migrate.directory import read_lock

        provider = read_lock(Path(side.value)) if Path(side.value).is_dir() else None
        provider = provider or provider_hint
        if provider is None:
            raise LaminaError(
                "Could not determine the connector from the migrations directory (missing migration_lock.toml)."
            )
        main_url = None
        if provider != "sqlite" and schema_path:
            try:
                from lamina.migrate.datasource import load_datasource
                from lamina.project import locate_schema

                main_url = load_datasource(locate_schema(schema_path)).url.raw
            except LaminaError:
                main_url = None
        return Resolved(_replay(side.value, provider, shadow_url, main_url, namespaces_hint), provider, namespaces_hint)
    raise LaminaError(f"Unknown diff source `{side.kind}`.")


def run_diff(source: Side, target: Side, *, script: bool, shadow_url: str | None = None,
             schema_path: str | None = None, renames: tuple[str, ...] = (), down: bool = False) -> tuple[str, bool]:
    """(text to print, whether there are changes) for `lamina migrate diff`. `renames`:
    `--rename` flags (and, in a terminal, the rename questions); `down`: the inverse script."""
    from lamina.dialects import get_dialect
    from lamina.sql.diff import diff

    if source.kind == "empty" and target.kind == "empty":
        # Two empty sides name no provider; Prisma 7.10.1 refuses them in these words.
        raise LaminaError("Could not determine the connector to use for diffing.")
    # Resolve schema sides first: they fix the provider for empty sides and migrations.
    rank = {"schema": 0, "datasource": 1, "url": 2, "migrations": 3, "empty": 4}
    order = sorted([("from", source), ("to", target)], key=lambda p: rank.get(p[1].kind, 5))
    resolved: dict[str, Resolved] = {}
    hint, namespaces = None, None
    for label, side in order:
        r = resolve(side, provider_hint=hint, shadow_url=shadow_url, schema_path=schema_path,
                    namespaces_hint=namespaces)
        if label == "from":
            r.datamodel = None  # only the target's names the renames: not kept while the other side loads
        resolved[label] = r
        hint = hint or r.provider
        namespaces = namespaces or r.namespaces
    provider = hint or "sqlite"
    before = resolved["from"].schema or SqlSchema()
    after = resolved["to"].schema or SqlSchema()
    if resolved["from"].provider and resolved["to"].provider and resolved["from"].provider != resolved["to"].provider:
        raise LaminaError(
            f"The two sides of the diff use different providers "
            f"({resolved['from'].provider} and {resolved['to'].provider})."
        )
    dialect = get_dialect(provider)
    from lamina.migrate.renames import decide

    chosen = decide(before, after, dialect, renames, resolved["to"].datamodel)
    # The datamodels only named the renames: freed before the migration is built beside the
    # schemas (38 MB at 10,000 models, four times the SqlSchema).
    del resolved, r
    if down:
        from lamina.migrate.down import down_migration

        migration = down_migration(after, before, dialect, chosen)
    else:
        migration = diff(before, after, dialect, chosen)
    del before, after  # the migration holds what it needs
    changed = not migration.is_empty
    if script:
        return dialect.render_script(migration, include_warnings=False), changed
    from lamina.sql.diff.summary import summarize

    return summarize(migration), changed
