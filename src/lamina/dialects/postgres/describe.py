"""Describe a live PostgreSQL database as a `SqlSchema` (introspection).

Seven catalog queries in all (`QUERY_COUNT`), whatever the number of tables: one each for
namespaces, columns, constraints, indexes, enums, sequences and opaque objects, each
filtered by the list of namespaces. Every query goes through `conn.execute(...)`, so a
connection wrapper can count them (the bench does).

Normalisation (the calculator produces the same for the same schema):
- Types in Prisma's DDL spelling (`dialects/postgres/types.py`): `TEXT`, `VARCHAR(255)`,
  `TIMESTAMP(3)`, `DECIMAL(65,30)`, `DOUBLE PRECISION`, `JSONB`...; arrays add `[]` and have
  arity LIST; enums are `"Name"` (quoted, as DDL writes them) with `enum` set and family
  `Enum:Name`; unknown types keep `format_type`'s text with family "Unsupported".
- `SERIAL`/`BIGSERIAL`/`SMALLSERIAL` (a `nextval` default): the base type (`INTEGER`...),
  `autoincrement=True` and a `SEQUENCE` default naming the sequence (the renderer drops it
  by that name; the differ ignores defaults of autoincrement columns, so the calculator's
  `default=None` matches); owned sequences are not listed in `SqlSchema.sequences`. Identity columns:
  `autoincrement=True`, no default.
- Defaults as Prisma writes them: casts on literals dropped (`'draft'::"Status"` -> `'draft'`,
  `'-1'::integer` -> `-1`), `now()`/`CURRENT_TIMESTAMP` -> `CURRENT_TIMESTAMP`, timestamp
  literals `'2020-01-01 00:00:00 +00:00'` (UTC, as Prisma's DDL writes them), arrays
  `ARRAY['a', 'b']::TEXT[]`; any other expression is `DBGENERATED` with the catalog's text.
- Unique constraints and unique indexes are both `IndexKind.UNIQUE` (`is_constraint` tells
  which); `algorithm` None for btree; `opclass` only when not the type's default.
- Views, materialized views, functions, triggers, check and exclusion constraints,
  partial and expression indexes, extensions: `SqlSchema.opaque`.
- `_prisma_migrations` is left out. Names in the connection's default schema
  (`current_schema()`) have `namespace` None.
"""

from __future__ import annotations

import re

from lamina.dialects.common import IGNORED_TABLES, double_quote
from lamina.dialects.postgres.types import NUMERIC_CASTS, parse_format_type
from lamina.sql.predicates import pg_key
from lamina.sql.schema import (
    Extension,
    Column,
    ColumnArity,
    ColumnDefault,
    DefaultKind,
    EnumType,
    ForeignKey,
    ForeignKeyAction,
    Index,
    IndexColumn,
    IndexKind,
    OpaqueObject,
    PrimaryKey,
    Sequence,
    SqlSchema,
    Table,
)

QUERY_COUNT = 7

_ACTIONS = {
    "a": ForeignKeyAction.NO_ACTION,
    "r": ForeignKeyAction.RESTRICT,
    "c": ForeignKeyAction.CASCADE,
    "n": ForeignKeyAction.SET_NULL,
    "d": ForeignKeyAction.SET_DEFAULT,
}

_NAMESPACES = """
SELECT coalesce(current_schema(), 'public'),
       ARRAY(SELECT n.nspname::text FROM pg_namespace n
             WHERE n.nspname = ANY(coalesce(%(names)s::text[], ARRAY[coalesce(current_schema(), 'public')::text]))
             ORDER BY n.nspname)
"""

_COLUMNS = """
SELECT c.oid, n.nspname, c.relname, obj_description(c.oid, 'pg_class'),
       a.attnum, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
       pg_get_expr(d.adbin, d.adrelid), a.attidentity, a.attgenerated,
       t.typtype, t.typname, et.typtype, et.typname, t.typcategory = 'A',
       col_description(c.oid, a.attnum),
       format_type(CASE WHEN t.typcategory = 'A' THEN t.typelem ELSE a.atttypid END, a.atttypmod)
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_type et ON et.oid = t.typelem AND t.typcategory = 'A'
LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
WHERE n.nspname = ANY(%(names)s) AND c.relkind IN ('r', 'p') AND NOT c.relispartition
ORDER BY c.oid, a.attnum
"""

_CONSTRAINTS = """
SELECT con.conrelid, con.conname, con.contype, con.conindid,
       ARRAY(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY k(num, ord)
             JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.num ORDER BY k.ord),
       fc.relname, fn.nspname,
       ARRAY(SELECT a.attname FROM unnest(con.confkey) WITH ORDINALITY k(num, ord)
             JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.num ORDER BY k.ord),
       con.confdeltype, con.confupdtype, pg_get_constraintdef(con.oid)
FROM pg_constraint con
JOIN pg_namespace n ON n.oid = con.connamespace
LEFT JOIN pg_class fc ON fc.oid = con.confrelid
LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace
WHERE n.nspname = ANY(%(names)s) AND con.conrelid <> 0
ORDER BY con.conrelid, con.conname
"""

_INDEXES = """
SELECT i.indrelid, ic.relname, i.indisunique, i.indisprimary,
       i.indpred IS NOT NULL, i.indexprs IS NOT NULL, am.amname,
       ARRAY(SELECT coalesce(a.attname, '') FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(num, ord)
             LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.num
             WHERE k.ord <= i.indnkeyatts ORDER BY k.ord),
       i.indoption::int2[],
       ARRAY(SELECT CASE WHEN oc.opcdefault THEN '' ELSE oc.opcname END
             FROM unnest(i.indclass::oid[]) WITH ORDINALITY k(oid, ord)
             JOIN pg_opclass oc ON oc.oid = k.oid ORDER BY k.ord),
       pg_get_indexdef(i.indexrelid), pg_get_expr(i.indpred, i.indrelid)
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_namespace n ON n.oid = ic.relnamespace
JOIN pg_am am ON am.oid = ic.relam
WHERE n.nspname = ANY(%(names)s)
ORDER BY i.indrelid, ic.relname
"""

# In name order, as Prisma's describer gives them: its AlterEnum and DropEnum steps follow it.
_ENUMS = """
SELECT n.nspname, t.typname, ARRAY(SELECT e.enumlabel FROM pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder)
FROM pg_type t
JOIN pg_namespace n ON n.oid = t.typnamespace
WHERE n.nspname = ANY(%(names)s) AND t.typtype = 'e'
ORDER BY n.nspname, t.typname
"""

_SEQUENCES = """
SELECT n.nspname, c.relname, s.seqstart, s.seqincrement, tc.relname, a.attname
FROM pg_sequence s
JOIN pg_class c ON c.oid = s.seqrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid
     AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
LEFT JOIN pg_class tc ON tc.oid = d.refobjid
LEFT JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
WHERE n.nspname = ANY(%(names)s)
ORDER BY c.oid
"""

# Objects Lamina does not model: kept so that nothing drops them by accident.
_OPAQUE = """
SELECT CASE c.relkind WHEN 'v' THEN 'view' ELSE 'materialized_view' END, c.relname, NULL::text, n.nspname,
       pg_get_viewdef(c.oid)
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = ANY(%(names)s) AND c.relkind IN ('v', 'm')
UNION ALL
SELECT 'function', p.proname, NULL, n.nspname, NULL
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname = ANY(%(names)s)
  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
UNION ALL
SELECT 'trigger', tg.tgname, c.relname, n.nspname, pg_get_triggerdef(tg.oid)
FROM pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = ANY(%(names)s) AND NOT tg.tgisinternal
UNION ALL
SELECT 'extension', e.extname, NULL, n.nspname, e.extversion
FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
WHERE e.extname <> 'plpgsql'
"""


def describe(conn, namespaces: list[str] | None = None) -> SqlSchema:
    """The schema of the given namespaces (default: the connection's current schema)."""
    current, existing = conn.execute(_NAMESPACES, {"names": list(namespaces) if namespaces else None}).fetchone()
    names = list(namespaces) if namespaces else [current]
    # The default namespace (written as None) is the connection's current schema when
    # described, else the first one asked for.
    default_ns = current if current in names else names[0]
    params = {"names": names}

    def ns(name: str | None) -> str | None:
        return None if name == default_ns else name

    column_rows = conn.execute(_COLUMNS, params).fetchall()
    constraint_rows = conn.execute(_CONSTRAINTS, params).fetchall()
    index_rows = conn.execute(_INDEXES, params).fetchall()
    enum_rows = conn.execute(_ENUMS, params).fetchall()
    sequence_rows = conn.execute(_SEQUENCES, params).fetchall()
    opaque_rows = conn.execute(_OPAQUE, params).fetchall()

    tables: dict[int, dict] = {}
    for row in column_rows:
        oid, nspname, relname, comment = row[0], row[1], row[2], row[3]
        if relname in IGNORED_TABLES:
            continue
        t = tables.setdefault(
            oid, {"name": relname, "namespace": ns(nspname), "comment": comment, "columns": [], "pk": None, "indexes": [], "fks": []}
        )
        t["columns"].append(_column(row))

    opaque: list[OpaqueObject] = []
    for relid, conname, contype, _indid, cols, ftable, fns, fcols, deltype, updtype, definition in constraint_rows:
        t = tables.get(relid)
        if t is None:
            continue
        if contype == "p":
            t["pk_name"] = conname
        elif contype == "f":
            t["fks"].append(
                ForeignKey(
                    name=conname,
                    columns=tuple(cols),
                    referenced_table=ftable,
                    referenced_columns=tuple(fcols),
                    on_delete=_ACTIONS.get(deltype, ForeignKeyAction.NO_ACTION),
                    on_update=_ACTIONS.get(updtype, ForeignKeyAction.NO_ACTION),
                    referenced_namespace=ns(fns),
                )
            )
        elif contype in ("c", "x", "t"):
            kind = {"c": "check", "x": "exclusion", "t": "constraint_trigger"}[contype]
            opaque.append(OpaqueObject(kind, conname, t["name"], t["namespace"], definition))
        # "u" constraints are read with their index below.

    unique_constraints = {
        (relid, conname) for relid, conname, contype, *_ in constraint_rows if contype == "u"
    }
    for relid, idxname, unique, primary, partial, expression, amname, cols, options, opclasses, definition, predicate in index_rows:
        t = tables.get(relid)
        if t is None:
            continue
        sorts = [("DESC" if (opt & 1) else None) for opt in (options or [])]
        columns = tuple(
            IndexColumn(col, sorts[i] if i < len(sorts) else None, None, (opclasses[i] or None) if i < len(opclasses) else None)
            for i, col in enumerate(cols)
        )
        if primary:
            t["pk"] = PrimaryKey(columns, t.get("pk_name", idxname))
            continue
        if expression or any(c.name == "" for c in columns):
            kind = "partial_index" if partial else "expression_index"
            opaque.append(OpaqueObject(kind, idxname, t["name"], t["namespace"], definition))
            continue
        t["indexes"].append(
            Index(
                name=idxname,
                columns=columns,
                kind=IndexKind.UNIQUE if unique else IndexKind.NORMAL,
                algorithm=None if amname == "btree" else amname.upper(),
                is_constraint=(relid, idxname) in unique_constraints,
                predicate=predicate,
                predicate_key=pg_key(predicate),
            )
        )

    owned = {(tname, col) for _n, _s, _st, _inc, tname, col in sequence_rows if tname}
    serial_sequences = set()
    for t in tables.values():
        for c in t["columns"]:
            if c.default is not None and c.default.kind is DefaultKind.SEQUENCE:
                serial_sequences.add(c.default.sql)
    sequences = tuple(
        Sequence(name, ns(nspname), int(start), int(inc), (tname, col) if tname else None)
        for nspname, name, start, inc, tname, col in sequence_rows
        if not ((tname, col) in owned and tname and name in serial_sequences) and not (tname and col and _is_identity(tables, tname, col))
    )

    for kind, name, table, nspname, definition in opaque_rows:
        opaque.append(OpaqueObject(kind, name, table, ns(nspname), definition))

    return SqlSchema(
        tables=tuple(
            Table(
                name=t["name"],
                columns=tuple(t["columns"]),
                primary_key=t["pk"],
                indexes=tuple(t["indexes"]),
                foreign_keys=tuple(sorted(t["fks"], key=lambda fk: fk.name or "")),
                namespace=t["namespace"],
                description=t["comment"],
            )
            # by namespace and name, as Prisma's describer lists them: the order of the steps
            # on existing tables (CREATE INDEX, ALTER TABLE...) follows it
            for t in sorted(tables.values(), key=lambda t: (t["namespace"] or default_ns, t["name"]))
        ),
        enums=tuple(EnumType(name, tuple(values), ns(nspname)) for nspname, name, values in enum_rows),
        sequences=sequences,
        namespaces=tuple(n for n in existing if n != default_ns),
        opaque=tuple(opaque),
        extensions_described=True,
        described=True,
        extensions=tuple(
            sorted(
                # database-wide, with the schema each lives in and its installed version
                (Extension(name, nspname, version) for kind, name, _t, nspname, version in opaque_rows if kind == "extension"),
                key=lambda e: e.name,
            )
        ),
    )


def _is_identity(tables: dict, tname: str, col: str) -> bool:
    for t in tables.values():
        if t["name"] == tname:
            c = next((c for c in t["columns"] if c.name == col), None)
            return bool(c and c.autoincrement and c.default is None)
    return False


def _column(row) -> Column:
    (_oid, _ns, _rel, _comment, _num, name, formatted, notnull, default_sql, identity, generated,
     typtype, typname, elem_typtype, elem_typname, is_array, comment, elem_formatted) = row
    is_list = bool(is_array)
    enum_name = None
    base_type = elem_typname if is_list else typname
    base_kind = elem_typtype if is_list else typtype
    if base_kind == "e":
        enum_name = base_type
        ddl = double_quote(base_type)
        family = f"Enum:{base_type}"
    else:
        parsed = parse_format_type(elem_formatted)
        ddl = parsed.ddl or elem_formatted
        family = parsed.family
    full_type = ddl + "[]" if is_list else ddl
    default = None
    autoincrement = False
    if identity in ("a", "d"):
        autoincrement = True
    elif default_sql is not None:
        m = re.match(r"^nextval\('(.+)'::regclass\)$", default_sql)
        if m:
            autoincrement = True
            default = ColumnDefault(DefaultKind.SEQUENCE, _unquote_qualified(m.group(1)))
        elif generated == "s":
            default = ColumnDefault(DefaultKind.DBGENERATED, default_sql)
        else:
            default = normalise_default(default_sql, full_type)
    arity = ColumnArity.LIST if is_list else (ColumnArity.REQUIRED if notnull else ColumnArity.NULLABLE)
    return Column(
        name=name,
        type=full_type,
        arity=arity,
        default=default,
        autoincrement=autoincrement,
        family=family,
        enum=enum_name,
        description=comment,
    )


def _unquote_qualified(text: str) -> str:
    """`"User_id_seq"` or `public."User_id_seq"` -> `User_id_seq` (the last part)."""
    parts = re.findall(r'"((?:[^"]|"")*)"|([^."]+)', text)
    last = parts[-1] if parts else ("", text)
    return last[0].replace('""', '"') if last[0] else last[1]


_QUOTED_CAST = re.compile(r"^'((?:[^']|'')*)'::(.+)$", re.DOTALL)
_NUMBER = re.compile(r"^-?\d+(\.\d+)?([eE][-+]?\d+)?$")
_UNMAPPED_CAST = re.compile(r"^(timestamp|date|time|uuid)\b")
_ELEMENT_CAST = re.compile(r"('(?:[^']|'')*')::[\w\" ]+(?:\([^)]*\))?")


def normalise_default(expr: str, column_type: str) -> ColumnDefault:
    """A catalog default expression (`pg_get_expr`) -> the SQL Prisma writes for it."""
    text = expr.strip()
    lowered = text.lower()
    if lowered in ("now()", "current_timestamp", "transaction_timestamp()") or lowered.startswith("current_timestamp("):
        return ColumnDefault(DefaultKind.EXPRESSION, "CURRENT_TIMESTAMP")
    if lowered in ("true", "false", "null") or _NUMBER.match(text):
        return ColumnDefault(DefaultKind.EXPRESSION, lowered if not _NUMBER.match(text) else text)
    m = _QUOTED_CAST.match(text)
    if m:
        literal, cast = m.group(1), m.group(2).strip()
        if cast.endswith("[]"):
            return ColumnDefault(DefaultKind.EXPRESSION, _array_literal(literal, column_type))
        if cast in NUMERIC_CASTS and _NUMBER.match(literal):
            return ColumnDefault(DefaultKind.EXPRESSION, literal)
        if cast == "boolean" and literal in ("true", "false"):
            return ColumnDefault(DefaultKind.EXPRESSION, literal)
        if _UNMAPPED_CAST.match(cast):
            # Prisma maps no date/time or uuid constant to a value: db pull prints it as
            # `dbgenerated("'1970-01-01 00:00:00'::timestamp without time zone")`, the
            # catalog's text, and the differ compares it as that text.
            return ColumnDefault(DefaultKind.DBGENERATED, text)
        return ColumnDefault(DefaultKind.EXPRESSION, f"'{literal}'")
    if text.startswith("'") and text.endswith("'"):
        return ColumnDefault(DefaultKind.EXPRESSION, text)
    if text.startswith("ARRAY["):
        body = re.sub(r'::(?:[a-z ]+|"[^"]+")\[\]$', "", text)  # `::text[]`, an enum's `::"Scope"[]`
        body = _ELEMENT_CAST.sub(r"\1", body)
        return ColumnDefault(DefaultKind.EXPRESSION, f"{body}::{column_type}")
    return ColumnDefault(DefaultKind.DBGENERATED, text)


def _array_literal(literal: str, column_type: str) -> str:
    """`{a,b}` (the text form of an array) -> `ARRAY['a', 'b']::TEXT[]`."""
    inner = literal.strip()[1:-1]
    if not inner:
        return f"ARRAY[]::{column_type}"
    items = []
    for item in _split_array_items(inner):
        if item.startswith('"'):
            item = item[1:-1].replace('\\"', '"').replace("\\\\", "\\")
        if column_type.startswith(("TEXT", "VARCHAR", "CHAR", '"', "UUID", "TIMESTAMP", "DATE", "JSON")) or not _NUMBER.match(item) and item not in ("t", "f", "true", "false"):
            items.append("'" + item.replace("'", "''") + "'")
        elif item in ("t", "f"):
            items.append("true" if item == "t" else "false")
        else:
            items.append(item)
    return f"ARRAY[{', '.join(items)}]::{column_type}"


def _split_array_items(inner: str) -> list[str]:
    items, current, quoted, escape = [], "", False, False
    for ch in inner:
        if escape:
            current += ch
            escape = False
        elif ch == "\\":
            current += ch
            escape = True
        elif ch == '"':
            quoted = not quoted
            current += ch
        elif ch == "," and not quoted:
            items.append(current)
            current = ""
        else:
            current += ch
    items.append(current)
    return items
