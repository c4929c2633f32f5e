"""PostgreSQL domains as Prisma 7.10.1's `db pull` reads them: a column of a domain is a column
of the domain's base type (`CREATE DOMAIN positive_int AS integer CHECK (...)`: `qty Int`), as
information_schema reports it. The describer (lamina.dialects.postgres) keeps the domain's name,
which migrations compare; only introspection reads through it."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from lamina.dialects.postgres.types import parse_format_type
from lamina.sql.schema import Column, SqlSchema

_DOMAINS = """
SELECT t.typname, n.nspname, format_type(t.typbasetype, t.typtypmod)
FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
WHERE t.typtype = 'd'
"""


def domain_base_types(raw: Any) -> dict[str, str]:
    """Each domain's name, bare and schema-qualified as format_type writes it -> its base type."""
    bases: dict[str, str] = {}
    for name, namespace, base in raw.execute(_DOMAINS).fetchall():
        bases.setdefault(name, base)
        bases[f"{namespace}.{name}"] = base
    return bases


def through_domains(schema: SqlSchema, bases: dict[str, str]) -> SqlSchema:
    """The schema with every domain column typed by its domain's base type."""
    if not bases:
        return schema

    def resolved(column: Column) -> Column:
        is_list = column.type.endswith("[]")
        name = column.type[:-2] if is_list else column.type
        if column.family != "Unsupported" or name not in bases:
            return column
        parsed = parse_format_type(bases[name])
        ddl = (parsed.ddl or bases[name]) + ("[]" if is_list else "")
        return replace(column, type=ddl, family=parsed.family)

    tables = tuple(replace(t, columns=tuple(resolved(c) for c in t.columns)) for t in schema.tables)
    return replace(schema, tables=tables)
