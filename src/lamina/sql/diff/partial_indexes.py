"""A target calculated without the partialIndexes preview feature, against a database that has
partial indexes (hand-written `CREATE INDEX ... WHERE ...` in a migration), as Prisma 7.10.1
diffs it (checked with the anchor CLI):

- the database's partial indexes are compared as if they had no predicate, so one that has the
  columns and the name of an `@@index`/`@@unique` of the schema is no change (a project that
  approximates a partial index with a plain `@@index` sees no phantom migration), and one with
  the columns but another name is renamed;
- a partial index that matches nothing in the schema is left in the database: never dropped.
"""

from __future__ import annotations

from dataclasses import replace

from lamina.sql.schema import SqlSchema
from lamina.sql.steps import DropIndex, Step


def without_predicates(schema: SqlSchema) -> tuple[SqlSchema, frozenset[tuple[str | None, str, str]]]:
    """`schema` with its partial indexes turned into plain ones, and their (namespace, table,
    index) keys, which `keep_partial_indexes` keeps from being dropped."""
    partial = frozenset((t.namespace, t.name, ix.name) for t in schema.tables for ix in t.indexes
                        if ix.predicate_key is not None)
    if not partial:
        return schema, partial
    tables = tuple(
        t.with_(indexes=tuple(replace(ix, predicate=None, predicate_key=None) if ix.predicate_key is not None else ix
                              for ix in t.indexes))
        for t in schema.tables
    )
    return replace(schema, tables=tables), partial


def keep_partial_indexes(steps: list[Step], partial: frozenset[tuple[str | None, str, str]]) -> list[Step]:
    """`steps` less the drops of the database's partial indexes."""
    if not partial:
        return steps
    return [s for s in steps
            if not (isinstance(s, DropIndex) and (s.table.namespace, s.table.name, s.index.name) in partial)]
