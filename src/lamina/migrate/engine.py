"""Glue between the workflow and the schema engine (validator, calculator, differ,
renderer, describer): the target schema of the Prisma file, the schema of a live
database, the replay of migrations on a shadow database, and row-aware checks."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lamina.db.admin import quote_ident
from lamina.db.connection import Connection, DatabaseError
from lamina.errors import LaminaError
from lamina.migrate.directory import LocalMigration
from lamina.sql.schema import SqlSchema


@dataclass(frozen=True)
class Calculated:
    """What a valid schema's files calculate to, short of its datamodel: all that `migrate diff`
    and `migrate dev` read on every run, and all that the repeat-run cache stores (kind
    "target"). The datamodel is left out: at 10,000 models it is a 13 MB pickle and 140 MB of
    objects once loaded, against the SqlSchema's 2.7 MB and 31 MB, and only rename detection
    reads it (`LazyDatamodel` rebuilds it then)."""

    warnings_text: str
    provider: str | None  # the datasource's provider; None without a datasource
    namespaces: list[str] | None  # the datasource's `schemas`, None when it declares none
    schema: SqlSchema


class LazyDatamodel:
    """A schema's datamodel, built by `build()` on the first read of one of its attributes (a
    datamodel's attributes are read through it unchanged). A run answered from the cache has
    no datamodel: parsing and validating the files again is paid only by a run that asks for
    a name of one of its models (a `--rename` flag, a rename candidate)."""

    def __init__(self, build: Callable[[], Any] | None = None, datamodel: Any = None,
                 names: Callable[[], Any] | None = None) -> None:
        self._build = build
        self._datamodel = datamodel
        self._names = names

    @property
    def loaded(self) -> bool:
        return self._datamodel is not None

    def cached_names(self) -> Any:
        """The schema's `renames.Names` from the repeat-run cache, or None: all that rename
        detection reads of the datamodel, without rebuilding it (at 10,000 models a rebuild beside
        the loaded schemas went past 180 MB)."""
        return None if self._names is None or self.loaded else self._names()

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or self._build is None and self._datamodel is None:
            raise AttributeError(name)  # copy/pickle probes, and no datamodel to read
        if self._datamodel is None:
            self._datamodel = self._build()  # type: ignore[misc]
        return getattr(self._datamodel, name)


@dataclass
class Target:
    datamodel: LazyDatamodel
    schema: SqlSchema
    dialect: Any
    provider: str | None = None  # as Calculated's
    namespaces: list[str] | None = None


def load_target(location, context: str = "validate") -> Target:
    """Validate the schema (P1012 on errors, worded for `context`: lamina.psl.load) and calculate
    its SqlSchema. The schema's warnings are not printed: Prisma 7.10.1's migrate dev and db push
    print none (`generate`, which Lamina's migrate dev runs after, lists them)."""
    calculated, datamodel = calculated_schema(location, context=context)
    return Target(datamodel, calculated.schema, _dialect_of(calculated.provider), calculated.provider,
                  calculated.namespaces)


def calculated_schema(location, provider_hint: str | None = None,
                      context: str = "validate") -> tuple[Calculated, LazyDatamodel]:
    """(`Calculated`, datamodel) of a valid schema, or SchemaValidationError (P1012).
    `provider_hint`: the provider of a schema without a datasource.

    Both depend only on the schema's files (and the environment variables they name), so a
    repeat run on unchanged files loads the `Calculated` from the repeat-run cache (lamina.cache,
    kind "target") and its datamodel is only rebuilt, from the same text, if something reads
    it. Only valid schemas are stored. Databases are never cached: callers describe them
    every run.

    Pickling is not free (0.3 s at 10,000 models), so the result is stored from a schema's
    second run on (`cache.is_repeat`) and read from the third. The run that stores it drops its
    datamodel first, so that the pickler's memo never sits beside it (the process's peak)."""
    from lamina import cache
    from lamina.psl.load import diagnostic_sources, load_datamodel
    from lamina.sql.calculate import calculate

    sources = diagnostic_sources(location)

    def rebuild() -> Any:
        return load_datamodel(location, context=context, sources=sources).datamodel

    def cached_names() -> Any:
        from lamina.migrate.renames import Names

        names = cache.get_object("names", entry)
        return names if isinstance(names, Names) else None

    entry = cache.schema_key(sources, provider_hint or "")
    hit = cache.get_object("target", entry)
    if isinstance(hit, Calculated):
        return hit, LazyDatamodel(rebuild, names=cached_names)
    loaded = load_datamodel(location, context=context, sources=sources)
    dm, warnings_text = loaded.datamodel, loaded.warnings_text
    # The syntax tree (most of what validation leaves alive: 90 of 129 MB at 10,000 models) is
    # not needed past this point: free it before the SQL schema is built beside it.
    del loaded
    repeat = cache.is_repeat(entry)
    if repeat:  # the names rename detection reads, stored before the SQL schema is built beside them
        from lamina.migrate.renames import Names

        cache.put_object("names", entry, Names.of(dm))
    provider = getattr(dm.provider, "value", dm.provider) or None
    schema = calculate(dm, _dialect_of(provider, provider_hint))
    calculated = Calculated(warnings_text, provider, declared_namespaces(dm), schema)
    if repeat:
        del dm
        cache.put_object("target", entry, calculated)
        return calculated, LazyDatamodel(rebuild, names=cached_names)
    return calculated, LazyDatamodel(datamodel=dm)


def _dialect_of(provider: str | None, provider_hint: str | None = None):
    from lamina.dialects import get_dialect

    return get_dialect(provider or provider_hint or "sqlite")


def declared_namespaces(datamodel: Any) -> list[str] | None:
    """The datasource's `schemas`, None when it declares none."""
    ds = datamodel.datasource
    return list(ds.schemas) if ds and ds.schemas else None


def describe(conn: Connection, target: Target):
    """The live schema (without `_prisma_migrations`)."""
    if conn.provider == "postgresql" and conn.schema != "public":
        conn.execute(f'SET search_path TO "{conn.schema}"')
    described = target.dialect.describe(conn.raw, target.namespaces)
    schema = getattr(target, "schema", None)
    if getattr(schema, "manages_extensions", False):
        # The schema lists the extensions (postgresqlExtensions): a database's differ, so that
        # drift between the migrations and the database sees a missing or extra extension.
        from dataclasses import replace

        described = replace(described, manages_extensions=True)
    return described


def p3006(name: str, error: str) -> LaminaError:
    return LaminaError(
        f"Migration `{name}` failed to apply cleanly to the shadow database. \nError:\n{error}", code="P3006"
    )


def replay(conn: Connection, migrations: list[LocalMigration]) -> None:
    """Apply `migrations` to a shadow database, each in a transaction where possible."""
    from lamina.migrate.apply import non_transactional_reason
    from lamina.migrate.python_migration import run_upgrade

    for m in migrations:
        statements = conn.statements(m.script)
        try:
            if non_transactional_reason(conn, statements) is None:
                with conn.transaction():
                    for stmt in statements:
                        conn.execute(stmt)
                    if m.has_python:  # a data migration may change the schema too
                        run_upgrade(conn, m)
            else:
                for stmt in statements:
                    conn.execute(stmt)
                if m.has_python:
                    run_upgrade(conn, m)
        except DatabaseError as exc:
            raise p3006(m.name, exc.message) from None


def _count(conn: Connection, table: str, where: str = "") -> int:
    try:
        return int(conn.query(f"SELECT COUNT(*) FROM {quote_ident(conn.provider, table)}{where}")[0][0])
    except (DatabaseError, IndexError, TypeError, ValueError):
        return 0


_DROP_TABLE = re.compile(r"^You are about to drop the `([^`]+)` table\. If the table is not empty")
_DROP_COLUMN = re.compile(r"^You are about to drop the column `([^`]+)` on the `([^`]+)` table\. All the data")
_RISKY = re.compile(r"^You are about to alter the column `([^`]+)` on the `([^`]+)` table\. The data in that column "
                    r"could be lost\. (The data in that column will be cast from .*)$")
_REQUIRED_ADDED = re.compile(r"^Added the required column `([^`]+)` to the `([^`]+)` table without a default value\.")
_MADE_REQUIRED = re.compile(r"^Made the column `([^`]+)` on table `([^`]+)` required")
_TABLE_IN_TEXT = re.compile(r"`([^`]+)` table")


def live_check(conn: Connection, migration) -> tuple[list[str], list[str]]:
    """The migration's warnings and unexecutable steps worded against the live data, as
    Prisma's `migrate dev` / `db push` word them: a dropped column, table or cast that holds
    no data is no warning; a required column added to an empty table is executable."""
    warnings: list[str] = []
    for text in migration.warnings:
        if m := _DROP_TABLE.match(text):
            rows = _count(conn, m[1])
            if rows:
                warnings.append(f"You are about to drop the `{m[1]}` table, which is not empty ({rows} rows).")
        elif m := _DROP_COLUMN.match(text):
            values = _count(conn, m[2], f" WHERE {quote_ident(conn.provider, m[1])} IS NOT NULL")
            if values:
                warnings.append(f"You are about to drop the column `{m[1]}` on the `{m[2]}` table, which still "
                                f"contains {values} non-null values.")
        elif m := _RISKY.match(text):
            values = _count(conn, m[2], f" WHERE {quote_ident(conn.provider, m[1])} IS NOT NULL")
            if values:
                warnings.append(f"You are about to alter the column `{m[1]}` on the `{m[2]}` table, which contains "
                                f"{values} non-null values. {m[3]}")
        else:
            warnings.append(text)
    unexecutable: list[str] = []
    for text in migration.unexecutable:
        if m := _REQUIRED_ADDED.match(text):
            rows = _count(conn, m[2])
            if rows:
                unexecutable.append(f"Added the required column `{m[1]}` to the `{m[2]}` table without a default "
                                    f"value. There are {rows} rows in this table, it is not possible to execute this step.")
        elif m := _MADE_REQUIRED.match(text):
            nulls = _count(conn, m[2], f" WHERE {quote_ident(conn.provider, m[1])} IS NULL")
            if nulls:
                unexecutable.append(f"Made the column `{m[1]}` on table `{m[2]}` required, but there are {nulls} "
                                    "existing NULL values.")
        else:
            m = _TABLE_IN_TEXT.search(text)
            if m is None or _count(conn, m[1]) > 0:
                unexecutable.append(text)
    return warnings, unexecutable
