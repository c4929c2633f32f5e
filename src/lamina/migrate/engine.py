"""Glue between the workflow and the schema engine (validator, calculator, differ,
renderer, describer): the target schema of the Prisma file, the schema of a live
database, the replay of migrations on a shadow database, and row-aware checks."""

from __future__ import annotations

import re
from dataclasses import dataclass

from lamina.db.connection import Connection, DatabaseError
from lamina.errors import LaminaError
from lamina.migrate.directory import LocalMigration
from lamina.migrate.output import err


@dataclass
class Target:
    datamodel: object
    schema: object  # SqlSchema
    dialect: object


def load_target(location) -> Target:
    """Validate the schema (P1012 on errors; warnings printed) and calculate its SqlSchema."""
    from lamina.dialects import get_dialect
    from lamina.psl.load import load_datamodel
    from lamina.sql.calculate import calculate

    loaded = load_datamodel(location)
    if loaded.warnings_text:
        err(loaded.warnings_text.rstrip("\n"))
    dm = loaded.datamodel
    provider = getattr(dm.provider, "value", dm.provider) or "sqlite"
    dialect = get_dialect(provider)
    return Target(dm, calculate(dm, dialect), dialect)


def namespaces(target: Target) -> list[str] | None:
    ds = getattr(target.datamodel, "datasource", None)
    schemas = list(getattr(ds, "schemas", None) or [])
    return schemas or None


def describe(conn: Connection, target: Target):
    """The live schema (without `_prisma_migrations`)."""
    if conn.provider == "postgresql" and conn.schema != "public":
        conn.execute(f'SET search_path TO "{conn.schema}"')
    return target.dialect.describe(conn.raw, namespaces(target))


def p3006(name: str, error: str) -> LaminaError:
    return LaminaError(
        f"Migration `{name}` failed to apply cleanly to the shadow database. \nError:\n{error}", code="P3006"
    )


def replay(conn: Connection, migrations: list[LocalMigration]) -> None:
    """Apply `migrations` to a shadow database, each in a transaction where possible."""
    from lamina.migrate.apply import non_transactional_reason

    for m in migrations:
        statements = conn.statements(m.script)
        try:
            if non_transactional_reason(conn, statements) is None:
                with conn.transaction():
                    for stmt in statements:
                        conn.execute(stmt)
            else:
                for stmt in statements:
                    conn.execute(stmt)
        except DatabaseError as exc:
            raise p3006(m.name, exc.message) from None


_TABLE_IN_TEXT = re.compile(r"`([^`]+)` table")


def row_count(conn: Connection, table: str) -> int:
    q = f'"{table}"' if conn.provider != "mysql" else f"`{table}`"
    try:
        return int(conn.query(f"SELECT COUNT(*) FROM {q}")[0][0])
    except (DatabaseError, IndexError):
        return 0


def blocking_unexecutable(conn: Connection, unexecutable: list[str]) -> list[str]:
    """Unexecutable steps whose table holds rows (on an empty table they are fine)."""
    out = []
    for text in unexecutable:
        m = _TABLE_IN_TEXT.search(text)
        if m is None or row_count(conn, m.group(1)) > 0:
            out.append(text)
    return out
