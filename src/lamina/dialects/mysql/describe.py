"""Describe a live MySQL/MariaDB database as a `SqlSchema` (introspection).

Seven queries in all (`QUERY_COUNT`: the current database's name, then six on `information_schema`), whatever the number of tables:
tables, columns, index columns (STATISTICS), foreign keys (KEY_COLUMN_USAGE joined to
REFERENTIAL_CONSTRAINTS), check constraints, and opaque objects (views, triggers,
routines). The namespace is the connection's database (`DATABASE()`) unless given.

Normalisation (the spellings Prisma's MySQL migrations write):
- Types upper-cased without display widths: `int(11)` -> `INTEGER`, `bigint(20)` -> `BIGINT`,
  `tinyint(1)` -> `BOOLEAN`, `int(10) unsigned` -> `INTEGER UNSIGNED`, `varchar(191)` ->
  `VARCHAR(191)`, `datetime(3)` -> `DATETIME(3)`, `decimal(65,30)` -> `DECIMAL(65, 30)`,
  `enum('A','B')` -> `ENUM('A', 'B')` (arguments separated by ", " as Prisma's DDL and the
  calculator write them); MariaDB's JSON (`longtext` with a `json_valid` check) -> `JSON`.
  `family` is the Prisma scalar.
- Enums are inline on MySQL: the values live in the column type, `Column.enum` is None and
  `SqlSchema.enums` is empty (as the calculator writes them); `family` is `Enum:{table}_{column}`,
  the name Prisma's introspection gives such an enum.
- Defaults: quoted strings as written (`'USER'`), numbers without trailing decimal zeros,
  `true`/`false` for BOOLEAN, `CURRENT_TIMESTAMP(3)`; other expressions are DBGENERATED.
- The index MySQL creates by itself for a foreign key (named like the constraint, over its
  columns) is not listed: Prisma's calculator never asks for it.
- Primary keys have no name (MySQL calls them all PRIMARY). `_prisma_migrations` is left out.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from lamina.dialects.common import IGNORED_TABLES
from lamina.sql.schema import (
    Column,
    ColumnArity,
    ColumnDefault,
    DefaultKind,
    ForeignKey,
    ForeignKeyAction,
    Index,
    IndexColumn,
    IndexKind,
    OpaqueObject,
    PrimaryKey,
    SqlSchema,
    Table,
)

QUERY_COUNT = 7

_ACTIONS = {a.value: a for a in ForeignKeyAction}

_TABLES = """
SELECT DATABASE(), TABLE_NAME, TABLE_COMMENT FROM information_schema.TABLES
WHERE TABLE_SCHEMA = %s AND TABLE_TYPE = 'BASE TABLE'
ORDER BY TABLE_NAME
"""
_COLUMNS = """
SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, DATA_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA, COLUMN_COMMENT
FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = %s
ORDER BY TABLE_NAME, ORDINAL_POSITION
"""
_STATISTICS = """
SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, SEQ_IN_INDEX, COLUMN_NAME, SUB_PART, COLLATION, INDEX_TYPE
FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = %s
ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX
"""
_FOREIGN_KEYS = """
SELECT k.TABLE_NAME, k.CONSTRAINT_NAME, k.COLUMN_NAME, k.REFERENCED_TABLE_NAME, k.REFERENCED_COLUMN_NAME,
       r.DELETE_RULE, r.UPDATE_RULE, k.REFERENCED_TABLE_SCHEMA
FROM information_schema.REFERENTIAL_CONSTRAINTS r
STRAIGHT_JOIN information_schema.KEY_COLUMN_USAGE k
  ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME AND r.TABLE_NAME = k.TABLE_NAME
WHERE k.TABLE_SCHEMA = %s AND k.REFERENCED_TABLE_NAME IS NOT NULL
  AND r.CONSTRAINT_SCHEMA = %s
ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION
"""
# REFERENTIAL_CONSTRAINTS first (STRAIGHT_JOIN) with its own schema condition: joined second,
# MariaDB scans it in every database on the server ("Scanned all databases"), opening their
# tables, and so waits behind any metadata lock anywhere (a DROP DATABASE stuck behind another
# client's open transaction). Read first, it scans one database. TRIGGERS likewise: MariaDB
# narrows it by EVENT_OBJECT_SCHEMA (a trigger lives in its table's schema), not TRIGGER_SCHEMA.
_CHECKS = """
SELECT TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS
WHERE CONSTRAINT_SCHEMA = %s
ORDER BY TABLE_NAME, CONSTRAINT_NAME
"""
_OPAQUE = """
SELECT 'view', TABLE_NAME, NULL, VIEW_DEFINITION FROM information_schema.VIEWS WHERE TABLE_SCHEMA = %s
UNION ALL
SELECT 'trigger', TRIGGER_NAME, EVENT_OBJECT_TABLE, ACTION_STATEMENT FROM information_schema.TRIGGERS WHERE EVENT_OBJECT_SCHEMA = %s
UNION ALL
SELECT LOWER(ROUTINE_TYPE), ROUTINE_NAME, NULL, NULL FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = %s
"""

_FAMILIES = {
    "VARCHAR": "String", "CHAR": "String", "TEXT": "String", "TINYTEXT": "String", "MEDIUMTEXT": "String",
    "LONGTEXT": "String", "INTEGER": "Int", "SMALLINT": "Int", "MEDIUMINT": "Int", "TINYINT": "Int", "YEAR": "Int",
    "BIGINT": "BigInt", "DOUBLE": "Float", "FLOAT": "Float", "DECIMAL": "Decimal", "BOOLEAN": "Boolean",
    "DATETIME": "DateTime", "TIMESTAMP": "DateTime", "DATE": "DateTime", "TIME": "DateTime", "JSON": "Json",
    "BLOB": "Bytes", "TINYBLOB": "Bytes", "MEDIUMBLOB": "Bytes", "LONGBLOB": "Bytes", "BINARY": "Bytes",
    "VARBINARY": "Bytes", "BIT": "Bytes",
}
_NO_WIDTH = {"INTEGER", "SMALLINT", "MEDIUMINT", "TINYINT", "BIGINT", "YEAR"}


def normalise_type(column_type: str, is_json: bool = False) -> tuple[str, str]:
    """(`INTEGER UNSIGNED`, "Int") from information_schema's `int(10) unsigned`."""
    if is_json:
        return "JSON", "Json"
    text = column_type.strip()
    m = re.match(r"^(\w+)(\((.*)\))?(.*)$", text, re.DOTALL)
    if not m:
        return text.upper(), "Unsupported"
    base, args, rest = m.group(1).upper(), m.group(3), m.group(4).strip().upper()
    if base == "ENUM":
        return "ENUM(" + ", ".join(f"'{v}'" for v in re.findall(r"'((?:[^']|'')*)'", args)) + ")", "Enum"
    if base == "TINYINT" and args == "1" and not rest:
        return "BOOLEAN", "Boolean"
    if base == "INT":
        base = "INTEGER"
    family = _FAMILIES.get(base, "Unsupported")
    if base in _NO_WIDTH or args is None:
        ddl = base
    else:
        ddl = f"{base}({', '.join(a.strip() for a in args.split(','))})"
    if rest:
        ddl = f"{ddl} {rest}"
    if family == "Unsupported":
        return column_type, family
    return ddl, family


def enum_values(enum_type: str) -> tuple[str, ...]:
    return tuple(v.replace("''", "'") for v in re.findall(r"'((?:[^']|'')*)'", enum_type))


def normalise_default(raw: str | None, ddl_type: str, nullable: bool) -> ColumnDefault | None:
    if raw is None or (raw == "NULL" and nullable):
        return None
    text = raw.strip()
    low = text.lower()
    if low.startswith("current_timestamp"):
        return ColumnDefault(DefaultKind.EXPRESSION, text.upper())
    if ddl_type == "BOOLEAN" and text in ("0", "1", "'0'", "'1'"):
        return ColumnDefault(DefaultKind.EXPRESSION, "true" if "1" in text else "false")
    if re.fullmatch(r"-?\d+(\.\d+)?([eE][-+]?\d+)?", text):
        if "." in text and "e" not in low:
            try:
                text = format(Decimal(text).normalize(), "f")
            except InvalidOperation:
                pass
        return ColumnDefault(DefaultKind.EXPRESSION, text)
    if text.startswith("'") and text.endswith("'"):
        return ColumnDefault(DefaultKind.EXPRESSION, text)
    if low in ("true", "false"):
        return ColumnDefault(DefaultKind.EXPRESSION, low)
    return ColumnDefault(DefaultKind.DBGENERATED, text)


def describe(conn, namespaces: list[str] | None = None) -> SqlSchema:
    """The schema of the connection's database (or of `namespaces[0]`)."""
    cur = conn.cursor()
    if namespaces:
        target = namespaces[0]
    else:
        cur.execute("SELECT DATABASE()")
        target = cur.fetchall()[0][0]
    # The schema name goes in as a literal, never as an expression such as
    # COALESCE(?, DATABASE()): only a constant lets MariaDB read one schema's metadata
    # instead of opening every table on the server (slow, and blocked by any other
    # database's metadata locks, e.g. a DROP DATABASE waiting elsewhere).

    def rows(sql: str, n: int = 1) -> list[tuple]:
        cur.execute(sql, (target,) * n)
        return list(cur.fetchall())

    table_rows = rows(_TABLES)
    column_rows = rows(_COLUMNS)
    stat_rows = rows(_STATISTICS)
    fk_rows = rows(_FOREIGN_KEYS, 2)
    check_rows = rows(_CHECKS)
    opaque_rows = rows(_OPAQUE, 3)
    current = table_rows[0][0] if table_rows else target

    names = [name for _db, name, _c in table_rows if name not in IGNORED_TABLES]
    comments = {name: (c or None) for _db, name, c in table_rows}
    wanted = set(names)
    opaque: list[OpaqueObject] = []
    json_columns: set[tuple[str, str]] = set()
    for table, cname, clause in check_rows:
        m = re.fullmatch(r"json_valid\(`((?:[^`]|``)+)`\)", clause or "")
        if m:
            json_columns.add((table, m.group(1)))
        elif table in wanted:
            opaque.append(OpaqueObject("check", cname, table, None, clause))

    columns: dict[str, list[Column]] = {}
    for table, name, column_type, _data_type, nullable, default, extra, comment in column_rows:
        if table not in wanted:
            continue
        ddl, family = normalise_type(column_type, (table, name) in json_columns)
        if family == "Enum":
            family = f"Enum:{table}_{name}"  # Prisma's introspected enum name
        is_nullable = nullable == "YES"
        columns.setdefault(table, []).append(
            Column(
                name=name,
                type=ddl,
                arity=ColumnArity.NULLABLE if is_nullable else ColumnArity.REQUIRED,
                default=normalise_default(default, ddl, is_nullable),
                autoincrement="auto_increment" in (extra or "").lower(),
                family=family,
                description=comment or None,
            )
        )

    fks: dict[str, dict[str, list[tuple]]] = {}
    for table, cname, col, ref_table, ref_col, on_delete, on_update, ref_schema in fk_rows:
        if table in wanted:
            fks.setdefault(table, {}).setdefault(cname, []).append((col, ref_table, ref_col, on_delete, on_update, ref_schema))

    index_parts: dict[str, dict[str, list[tuple]]] = {}
    for table, iname, non_unique, _seq, col, sub_part, collation, itype in stat_rows:
        if table in wanted:
            index_parts.setdefault(table, {}).setdefault(iname, []).append((col, sub_part, collation, itype, non_unique))

    tables = []
    for name in names:
        primary_key = None
        indexes = []
        table_fks = fks.get(name, {})
        for iname, parts in index_parts.get(name, {}).items():
            cols = tuple(
                IndexColumn(col, "DESC" if collation == "D" else None, int(sub) if sub is not None else None)
                for col, sub, collation, _t, _n in parts
            )
            if any(c.name is None for c in cols):  # functional key part (MySQL 8)
                opaque.append(OpaqueObject("expression_index", iname, name))
                continue
            if iname == "PRIMARY":
                primary_key = PrimaryKey(cols, None)
                continue
            fk = table_fks.get(iname)
            if fk is not None and parts[0][4] and [p[0] for p in fk] == [c.name for c in cols]:
                continue  # created by MySQL for the foreign key
            itype = parts[0][3]
            kind = IndexKind.FULLTEXT if itype == "FULLTEXT" else (IndexKind.NORMAL if parts[0][4] else IndexKind.UNIQUE)
            indexes.append(Index(iname, cols, kind, None if itype in ("BTREE", "FULLTEXT") else itype))
        foreign_keys = tuple(
            ForeignKey(
                name=cname,
                columns=tuple(p[0] for p in parts),
                referenced_table=parts[0][1],
                referenced_columns=tuple(p[2] for p in parts),
                on_delete=_ACTIONS.get(parts[0][3], ForeignKeyAction.NO_ACTION),
                on_update=_ACTIONS.get(parts[0][4], ForeignKeyAction.NO_ACTION),
                referenced_namespace=None if parts[0][5] == current else parts[0][5],
            )
            for cname, parts in sorted(table_fks.items())
        )
        tables.append(
            Table(name, tuple(columns.get(name, [])), primary_key, tuple(indexes), foreign_keys, None, comments.get(name))
        )

    for kind, oname, table, definition in opaque_rows:
        opaque.append(OpaqueObject(kind, oname, table, None, definition))
    return SqlSchema(tables=tuple(tables), opaque=tuple(opaque), described=True)
