"""Two spellings of a PostgreSQL partial-index predicate, as Prisma 7.10.1 tells them apart.

PAIRS was recorded with the real CLI (`migrate diff --from-schema a --to-schema b --script` on a
schema with one index each, ../shared/anchors): True where Prisma wrote an empty migration,
False where it dropped and created the index again. `test_pairs_as_prisma` checks Lamina's rule
(`lamina.sql.pg_predicate_ast`) and script against them without Node;
`test_script_equals_prisma_cli` puts every pair in one schema (127 indexes on the same columns,
so that Prisma's matching of indexes by definition rather than name is exercised too) and
compares Lamina's whole script with the CLI's, where it is here.
Against a database Lamina compares predicates by meaning instead (no phantom migration): see
tests/workflow/test_wf_partial_indexes.py.
"""

from __future__ import annotations

import json

import pytest

from lamina.dialects import get_dialect
from lamina.sql.pg_predicate_ast import parenthesized, prisma_equal
from lamina.sql.schema import Index
from tests.engine.anchor import PRISMA_CLI_HERE
from tests.engine.helpers import script

PAIRS = [
    ('n > 3', '3 < n', False),
    ("t = 'A'", "t = 'a'", False),
    ('N > 3', 'n > 3', False),
    ('n > 3', 'n > 3::bigint', True),
    ('n > 3', 'n >= 3', False),
    ("t LIKE 'x%'", "t ~~ 'x%'", False),
    ('n IN (1, 2)', 'n = ANY (ARRAY[1, 2])', False),
    ('b', 'b = true', False),
    ('n > 3 AND b', 'b AND n > 3', False),
    ('NOT b', 'b = false', False),
    ('n BETWEEN 1 AND 3', 'n >= 1 AND n <= 3', False),
    ('n > -5', "n > '-5'::integer", False),
    ("t = 'x'", "t = 'x'::text", True),
    ("t = 'x'", "t = E'x'", False),
    ('n IS NOT NULL', 'NOT n IS NULL', False),
    ('n<>1', 'n <> 1', True),
    ('(n > 3) AND (b)', 'n > 3 AND b', True),
    ('n > 3 AND (b OR n < 1)', 'n > 3 AND b OR n < 1', False),
    ("lower(t) = 'x'", "LOWER(t) = 'x'", False),
    ("lower(t) = 'x'", "lower((t)) = 'x'", True),
    ("s = 'active'", 's = \'active\'::"Status"', True),
    ("d > '2024-01-01'", "d > '2024-01-01 00:00:00'::timestamp without time zone", False),
    ('n > 3', '"n" > 3', True),
    ("t = 'x'", '"t" = \'x\'', True),
    ('n > 3 AND b', 'n > 3 and b', True),
    ('n > 3', 'n>3', True),
    ('n > 3', '(((n > 3)))', True),
    ('f = 1.5', 'f = 1.50', False),
    ("t = 'it''s'", "t = 'it''s'::text", True),
    ("t <> 'x'", "t != 'x'", True),
    ('where: { n: null }', 'n IS NULL', True),
    ('where: { b: true, n: null }', '"b" = true AND "n" IS NULL', True),
    ('where: { b: true, n: null }', '(b = true) AND (n IS NULL)', True),
    ('where: { s: "active" }', 's = \'active\'::"Status"', True),
    ('where: { t: { not: "x" } }', "t <> 'x'", True),
    ('where: { f: -1.5 }', "f = '-1.5'::numeric", False),
    ("t ILIKE 'x%'", "t ~~* 'x%'", False),
    ("t NOT LIKE 'x%'", "t !~~ 'x%'", False),
    ('n NOT IN (1, 2)', 'n <> ALL (ARRAY[1, 2])', False),
    ('b IS TRUE', 'b = true', False),
    ('"Abc" > 3', 'Abc > 3', True),
    ('"abc" > 3', 'ABC > 3', False),
    ('"select" > 1', 'select > 1', False),
    ('"user" > 1', 'user > 1', False),
    ('"n" > 3', 'N > 3', False),
    ("t::text = 'x'", "t = 'x'", False),
    ("(t)::text = 'x'", "t = 'x'", False),
    ("f = ('-1.5'::numeric)::double precision", "f = '-1.5'", True),
    ("f = ('-1.5'::numeric)::double precision", "f = '-1.5'::numeric", True),
    ("f = '-1.5'::numeric", "f = '-1.5'", True),
    ('n > CAST(3 AS integer)', 'n > 3', False),
    ('n > 3::int', 'n > (3)', True),
    ('a AND (b AND c)', 'a AND b AND c', False),
    ('(a AND b) AND c', 'a AND b AND c', True),
    ('(a OR b) AND c', 'a OR b AND c', False),
    ('NOT (a = 1)', 'NOT a = 1', True),
    ('n = 1', 'n = 1.0', False),
    ("t = 'x'", "t = 'x'  ", True),
    ("t = 'x'", "t='x'", True),
    ('TRUE', 'true', True),
    ('b = TRUE', 'b = true', True),
    ('n IS NULL', 'n ISNULL', False),
    ('n IS NOT NULL', 'n NOTNULL', True),
    ('n > 3 AND', 'n > 3  AND', False),
    ("t ~~ 'x%'", "t ~~ 'x%'::text", True),
    ('n = ANY (ARRAY[1, 2])', 'n = ANY (ARRAY[1,2])', True),
    ('n = ANY (ARRAY[1, 2])', '(n = ANY (ARRAY[1, 2]))', True),
    ("lower(t) = 'x'", "lower(t)='x'", True),
    ("public.lower(t) = 'x'", "lower(t) = 'x'", False),
    ('"P"."n" > 3', 'n > 3', False),
    ('P.n > 3', '"P".n > 3', True),
    ('d > now()', 'd > NOW()', False),
    ("d > '2024-01-01'::date", "d > '2024-01-01'", True),
    ('-n > 3', '- n > 3', True),
    ('n + 1 > 3', '(n + 1) > 3', True),
    ('n + 1 * 2 > 3', '(n + 1) * 2 > 3', False),
    ('n BETWEEN 1 AND 3', 'n between 1 and 3', True),
    ('n NOT BETWEEN 1 AND 3', 'NOT n BETWEEN 1 AND 3', False),
    ("t IN ('a', 'b')", "t in ('a','b')", True),
    ("t IN ('a', 'b')", "t IN ('a'::text, 'b'::text)", False),
    ('CASE WHEN b THEN 1 ELSE 0 END = 1', 'CASE WHEN (b) THEN 1 ELSE 0 END = 1', True),
    ('CASE WHEN b THEN 1 ELSE 0 END = 1', 'CASE WHEN b THEN 1::int ELSE 0 END = 1', False),
    ('coalesce(n, 0) > 1', 'coalesce(n, 0::integer) > 1', False),
    ('coalesce(n, 0) > 1', 'coalesce((n), 0) > 1', True),
    ('n = ANY (ARRAY[1, 2])', 'n = ANY (ARRAY[1::int, 2])', False),
    ('n = ANY (ARRAY[1, 2])', 'n = SOME (ARRAY[1, 2])', False),
    ('n <> ALL (ARRAY[1, 2])', 'n <> ALL (ARRAY[1,2])', True),
    ("t ~ 'a'", "t ~ 'a'::text", True),
    ("t ~ 'a'", "(t ~ 'a')", True),
    ("t::varchar = 'a'", "t::character varying = 'a'", False),
    ("t::varchar = 'a'", "t::VARCHAR = 'a'", True),
    ('s = \'active\'::"Status"', "s = 'active'::Status", False),
    ("s = 'active'::Status", "s = 'active'::status", False),
    ('n = 1::int4', 'n = 1::integer', False),
    ('n = 1::int4', 'n = 1::int4::int4', True),
    ('n::int4 = 1', 'n::int4::int4 = 1', True),
    ('n::integer = 1', '(n)::integer = 1', True),
    ('b IS TRUE', 'b IS true', True),
    ('b IS NOT TRUE', '(b) IS NOT TRUE', True),
    ('b IS UNKNOWN', '(b) IS UNKNOWN', True),
    ("t = E'x'", "t = e'x'", True),
    ('t = $$x$$', "t = 'x'", False),
    ("t IS DISTINCT FROM 'x'", "t IS DISTINCT FROM ('x')", True),
    ("t = 'x' -- comment", "t = 'x'", False),
    ("t = 'x' /* c */ AND b", "t = 'x' AND b", True),
    ("t || 'a' = 'ba'", "(t || 'a') = 'ba'", True),
    ("d AT TIME ZONE 'UTC' > '2024-01-01'", "(d AT TIME ZONE 'UTC') > '2024-01-01'", True),
    ('n + 1 = 2', 'n + 1::int = 2', True),
    ('-n = 2', '-(n) = 2', True),
    ('NOT b', 'NOT (b)', True),
    ('NOT b AND n > 1', '(NOT b) AND n > 1', True),
    ('b AND NOT n IS NULL', 'b AND NOT (n IS NULL)', True),
    ('n IN (1, 2)', 'n IN ((1), 2)', True),
    ("t LIKE 'x%'", "t LIKE ('x%')", True),
    ("t LIKE 'x%'", "(t) LIKE 'x%'", True),
    ("t LIKE 'x%'", '"t" LIKE \'x%\'', False),
    ("lower(t) = 'x'", 'lower("t") = \'x\'', False),
    ("lower(t) = 'x'", '"lower"(t) = \'x\'', False),
    ("d > DATE '2024-01-01'", "d > '2024-01-01'::date", False),
    ("d > DATE '2024-01-01'", "d > date '2024-01-01'", True),
    ('n > 1 AND n < 5 AND b', '((n > 1) AND (n < 5)) AND b', True),
    ('n BETWEEN 1 AND 3', 'n BETWEEN (1) AND 3::int', True),
    ("t = 'a' OR t = 'b'", "t = 'a' OR (t = 'b')", True),
    ("t = 'x' -- c", "t = 'x' -- d", False),
    ("t = 'x'", "t = 'x' )", True),
    ("t = 'x'", "t = 'x' b", False),
    ("t = 'x' /* c */", "t = 'x'", True),
]

HEAD = """generator client {
  provider        = "prisma-client-js"
  previewFeatures = ["partialIndexes"]
}

datasource db {
  provider = "postgresql"
}

enum Status {
  active
  inactive
}

model P {
  id Int      @id
  t  String
  b  Boolean
  n  Int?
  s  Status
  f  Float
  d  DateTime
%s
}
"""


def _where(predicate: str) -> str:
    return predicate if predicate.startswith("where:") else f"where: raw({json.dumps(predicate)})"


def _schema(side: int, pairs=None) -> str:
    pairs = PAIRS if pairs is None else pairs
    lines = [f'  @@index([t, id], map: "i{i}", {_where(pair[side])})' for i, pair in enumerate(pairs)]
    return HEAD % "\n".join(lines)


@pytest.mark.parametrize("a,b,same", PAIRS)
def test_pairs_as_prisma(a, b, same):
    if not (a.startswith("where:") or b.startswith("where:")):
        assert prisma_equal(a, b) is same
        assert prisma_equal(b, a) is same
    one = [(a, b, same)]
    assert (script(_schema(0, one), _schema(1, one), "postgresql") == "-- This is an empty migration.\n") is same


def test_against_a_database_the_meaning_decides():
    """`N > 3` and `(n > 3)` differ for Prisma, not for PostgreSQL (it folds unquoted names)."""
    dialect = get_dialect("postgresql")

    def index(predicate: str) -> Index:
        return Index("i", (), predicate=predicate, predicate_key=dialect.predicate_key(predicate))

    schema, stored = index("N > 3 AND t LIKE 'x%'"), index("((n > 3) AND (t ~~ 'x%'::text))")
    assert not dialect.predicates_match(stored, schema, against_database=False)
    assert dialect.predicates_match(stored, schema, against_database=True)
    assert not dialect.predicates_match(stored, index("(n > 4)"), against_database=True)


def test_parentheses_as_prisma_writes_them():
    assert parenthesized("n > 3") == "(n > 3)"
    assert parenthesized("(n > 3)") == "(n > 3)"
    assert parenthesized("(a) AND (b)") == "(a) AND (b)"
    assert parenthesized(" (n > 3) ") == "( (n > 3) )"


@pytest.mark.skipif(not PRISMA_CLI_HERE,
                    reason="the real Prisma CLI (../shared/anchors, installed by its setup.sh) is not here")
def test_script_equals_prisma_cli():
    from tests.engine.anchor import prisma_diff

    assert script(_schema(0), _schema(1), "postgresql") == prisma_diff("postgresql", _schema(0), _schema(1))
