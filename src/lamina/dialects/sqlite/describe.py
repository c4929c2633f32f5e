"""Describe a live SQLite database as a `SqlSchema` (introspection).

Five queries in all, whatever the table count: `sqlite_master`, and the pragma
table-valued functions (`pragma_table_info`, `pragma_index_list` + `pragma_index_xinfo`,
`pragma_foreign_key_list`) joined to it. The DDL text in `sqlite_master` tells what the
pragmas do not: foreign-key constraint names.

Normalisation (the calculator produces the same for the same schema):
- `Column.type` is the declared type upper-cased (`TEXT`, `DATETIME`, `INTEGER`, `DECIMAL`,
  `REAL`, `BOOLEAN`, `BIGINT`, `BLOB`, `JSONB`); `family` is the Prisma scalar it maps to
  (Prisma's affinity rules), "Unsupported" when none.
- `autoincrement` for the single-column `INTEGER` primary key, with or without the
  `AUTOINCREMENT` keyword: a rowid alias numbers itself either way, and Prisma 7.10.1's describer
  says so too (a hand-made `id INTEGER PRIMARY KEY` is `@default(autoincrement())`, no change
  against `Int @id @default(autoincrement())`).
- Defaults: literals (numbers, quoted strings, true/false, CURRENT_TIMESTAMP, NULL) are
  `EXPRESSION` with the text as written (CURRENT_TIMESTAMP upper-cased); anything else
  (a parenthesised expression, a function call) is `DBGENERATED` with the text as written.
- Foreign keys in `pragma_foreign_key_list` id order (the last declared first), as Prisma reads them.
- Primary keys have no name (SQLite has none); indexes are UNIQUE/NORMAL with `sort`
  "DESC" where declared; partial and expression indexes, views and triggers are opaque.
- `_prisma_migrations` and `sqlite_*` internal tables are left out.
"""

from __future__ import annotations

import re
import sqlite3

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


_ACTIONS = {
    "NO ACTION": ForeignKeyAction.NO_ACTION,
    "RESTRICT": ForeignKeyAction.RESTRICT,
    "CASCADE": ForeignKeyAction.CASCADE,
    "SET NULL": ForeignKeyAction.SET_NULL,
    "SET DEFAULT": ForeignKeyAction.SET_DEFAULT,
}

_LITERAL = re.compile(
    r"""^(?:[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|'(?:[^']|'')*'|true|false|null|current_timestamp|current_date|current_time)$""",
    re.IGNORECASE,
)
_FK_NAME = re.compile(
    r'CONSTRAINT\s+("(?:[^"]|"")+"|`[^`]+`|\[[^\]]+\]|\w+)\s+FOREIGN\s+KEY\s*\(([^)]*)\)',
    re.IGNORECASE,
)


def sqlite_family(declared: str) -> str:
    """The Prisma scalar a declared SQLite type introspects as."""
    t = declared.upper().split("(")[0].strip()
    if t in ("TEXT",) or "CHAR" in t or "CLOB" in t:
        return "String"
    if t in ("INTEGER", "INT", "INT4", "MEDIUMINT", "SMALLINT", "TINYINT", "INT2", "INT8"):
        return "Int"
    if t in ("BIGINT", "UNSIGNED BIG INT"):
        return "BigInt"
    if t in ("REAL", "DOUBLE", "DOUBLE PRECISION", "FLOAT"):
        return "Float"
    if t in ("DECIMAL", "NUMERIC"):
        return "Decimal"
    if t in ("BOOLEAN", "BOOL"):
        return "Boolean"
    if t in ("DATETIME", "DATE", "TIMESTAMP"):
        return "DateTime"
    if t in ("JSONB", "JSON"):
        return "Json"
    if t == "BLOB":
        return "Bytes"
    return "Unsupported"


def unquote_identifier(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"`":
        return text[1:-1].replace(text[0] * 2, text[0])
    if len(text) >= 2 and text[0] == "[" and text[-1] == "]":
        return text[1:-1]
    return text


def normalise_default(raw: str | None) -> ColumnDefault | None:
    if raw is None:
        return None
    text = raw.strip()
    if _LITERAL.match(text):
        if text.lower().startswith("current_"):
            text = text.upper()
        elif text.lower() in ("true", "false", "null"):
            text = text.lower()
        return ColumnDefault(DefaultKind.EXPRESSION, text)
    return ColumnDefault(DefaultKind.DBGENERATED, text)


def _fk_names(ddl: str) -> dict[tuple[str, ...], str]:
    names: dict[tuple[str, ...], str] = {}
    for m in _FK_NAME.finditer(ddl or ""):
        cols = tuple(unquote_identifier(c) for c in m.group(2).split(","))
        names.setdefault(cols, unquote_identifier(m.group(1)))
    return names


def index_predicate(ddl: str) -> str | None:
    """The text after the top-level `WHERE` of a `CREATE INDEX` statement (SQLite keeps the
    statement as written, so this is the predicate exactly as Lamina or Prisma wrote it)."""
    depth, i, n = 0, 0, len(ddl)
    seen_columns = False
    while i < n:
        c = ddl[i]
        if c in "'\"`[":
            close = "]" if c == "[" else c
            j = ddl.find(close, i + 1)
            while j != -1 and close != "]" and j + 1 < n and ddl[j + 1] == close:
                j = ddl.find(close, j + 2)
            if j == -1:
                return None
            i = j + 1
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                seen_columns = True
        elif depth == 0 and seen_columns and ddl[i : i + 5].upper() == "WHERE" and (i == 0 or not ddl[i - 1].isalnum()):
            text = ddl[i + 5 :].strip().rstrip(";").strip()
            return text or None
        i += 1
    return None


def describe(conn: sqlite3.Connection, namespaces: list[str] | None = None) -> SqlSchema:
    """The schema of the `main` database of `conn` (namespaces are PostgreSQL-only)."""
    master = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY rowid").fetchall()
    columns = conn.execute(
        "SELECT m.name, p.cid, p.name, p.type, p.\"notnull\", p.dflt_value, p.pk "
        "FROM sqlite_master m JOIN pragma_table_info(m.name) p "
        "WHERE m.type = 'table' ORDER BY m.name, p.cid"
    ).fetchall()
    index_list = conn.execute(
        "SELECT m.name, il.seq, il.name, il.\"unique\", il.origin, il.partial "
        "FROM sqlite_master m JOIN pragma_index_list(m.name) il "
        "WHERE m.type = 'table' ORDER BY m.name, il.seq"
    ).fetchall()
    index_cols = conn.execute(
        "SELECT il.name, ii.seqno, ii.cid, ii.name, ii.\"desc\" "
        "FROM sqlite_master m JOIN pragma_index_list(m.name) il JOIN pragma_index_xinfo(il.name) ii "
        "WHERE m.type = 'table' AND ii.key = 1 ORDER BY il.name, ii.seqno"
    ).fetchall()
    fks = conn.execute(
        "SELECT m.name, fk.id, fk.seq, fk.\"table\", fk.\"from\", fk.\"to\", fk.on_update, fk.on_delete "
        "FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) fk "
        "WHERE m.type = 'table' ORDER BY m.name, fk.id, fk.seq"
    ).fetchall()

    ddl_by_table = {name: sql for kind, name, _t, sql in master if kind == "table"}
    ddl_by_index = {name: sql for kind, name, _t, sql in master if kind == "index"}
    table_names = [
        name
        for kind, name, _t, _sql in master
        if kind == "table" and not name.startswith("sqlite_") and name not in IGNORED_TABLES
    ]
    wanted = set(table_names)

    cols_by_table: dict[str, list[tuple]] = {}
    for row in columns:
        cols_by_table.setdefault(row[0], []).append(row[1:])

    icols: dict[str, list[tuple]] = {}
    for name, _seq, cid, col, desc in index_cols:
        icols.setdefault(name, []).append((cid, col, desc))

    opaque: list[OpaqueObject] = []
    indexes_by_table: dict[str, list[Index]] = {}
    for table, _seq, name, unique, origin, partial in index_list:
        if table not in wanted or origin == "pk":
            continue
        parts = icols.get(name, [])
        predicate = index_predicate(ddl_by_index.get(name) or "") if partial else None
        if any(cid < 0 for cid, _c, _d in parts) or (partial and predicate is None):
            opaque.append(OpaqueObject("partial_index" if partial else "expression_index", name, table, None, ddl_by_index.get(name)))
            continue
        index = Index(
            name=name,
            columns=tuple(IndexColumn(col, "DESC" if desc else None) for _cid, col, desc in parts),
            kind=IndexKind.UNIQUE if unique else IndexKind.NORMAL,
            is_constraint=origin == "u",
            predicate=predicate,
            predicate_key=predicate,
        )
        indexes_by_table.setdefault(table, []).append(index)

    fk_rows: dict[str, dict[int, list[tuple]]] = {}
    for table, fk_id, _seq, ref, col_from, col_to, on_update, on_delete in fks:
        fk_rows.setdefault(table, {}).setdefault(fk_id, []).append((ref, col_from, col_to, on_update, on_delete))

    tables: list[Table] = []
    for name in table_names:
        ddl = ddl_by_table.get(name) or ""
        rows = cols_by_table.get(name, [])
        pk_cols = sorted((r for r in rows if r[5]), key=lambda r: r[5])
        autoinc = len(pk_cols) == 1 and (pk_cols[0][2] or "").upper() == "INTEGER"
        cols = []
        for _cid, col, declared, notnull, dflt, pk in rows:
            declared = (declared or "").upper()
            # A single-column INTEGER PRIMARY KEY is NOT NULL whatever the DDL says (rowid alias).
            required = bool(notnull) or (pk and len(pk_cols) == 1 and declared == "INTEGER")
            cols.append(
                Column(
                    name=col,
                    type=declared,
                    arity=ColumnArity.REQUIRED if required else ColumnArity.NULLABLE,
                    default=normalise_default(dflt),
                    autoincrement=bool(autoinc and pk),
                    family=sqlite_family(declared),
                )
            )
        primary_key = None
        if pk_cols:
            sorts = _pk_sorts(ddl)
            primary_key = PrimaryKey(tuple(IndexColumn(r[1], sorts.get(r[1])) for r in pk_cols), None)
        names = _fk_names(ddl)
        foreign_keys = []
        for _fk_id, parts in sorted(fk_rows.get(name, {}).items(), key=lambda kv: kv[0]):
            ref = parts[0][0]
            from_cols = tuple(p[1] for p in parts)
            to_cols = tuple(p[2] for p in parts)
            if any(c is None for c in to_cols):  # REFERENCES t without columns: the referenced pk
                ref_pk = sorted((r for r in cols_by_table.get(ref, []) if r[5]), key=lambda r: r[5])
                to_cols = tuple(r[1] for r in ref_pk)
            foreign_keys.append(
                ForeignKey(
                    name=names.get(from_cols),
                    columns=from_cols,
                    referenced_table=ref,
                    referenced_columns=to_cols,
                    on_delete=_ACTIONS.get(parts[0][4].upper(), ForeignKeyAction.NO_ACTION),
                    on_update=_ACTIONS.get(parts[0][3].upper(), ForeignKeyAction.NO_ACTION),
                )
            )
        tables.append(
            Table(
                name=name,
                columns=tuple(cols),
                primary_key=primary_key,
                indexes=tuple(sorted(indexes_by_table.get(name, []), key=lambda i: i.name)),
                foreign_keys=tuple(foreign_keys),
            )
        )

    for kind, name, table, sql in master:
        if kind in ("view", "trigger"):
            opaque.append(OpaqueObject(kind, name, table if kind == "trigger" else None, None, sql))
    for name in table_names:
        if re.search(r"\bCHECK\s*\(", ddl_by_table.get(name) or "", re.IGNORECASE):
            opaque.append(OpaqueObject("check", f"{name}_check", name, None, ddl_by_table[name]))
    return SqlSchema(tables=tuple(tables), opaque=tuple(opaque), described=True)


def _pk_sorts(ddl: str) -> dict[str, str]:
    """`PRIMARY KEY ("a" DESC, "b")` in a table constraint: the DESC columns."""
    m = re.search(r"PRIMARY\s+KEY\s*\(([^)]*)\)", ddl or "", re.IGNORECASE)
    if not m:
        return {}
    out = {}
    for part in m.group(1).split(","):
        words = part.strip().rsplit(None, 1)
        if len(words) == 2 and words[1].upper() == "DESC":
            out[unquote_identifier(words[0])] = "DESC"
    return out
