"""Ask the database what a typed SQL file's statement takes and returns (`lamina generate --sql`).

As Prisma's `prisma generate --sql`, the statement is prepared, not run:

- PostgreSQL: the statement is prepared and its description read (libpq `PQdescribePrepared`
  through psycopg): parameter and column type OIDs, and for a column read straight from a table,
  that table column (its NOT NULL says whether the value can be null).
- MySQL/MariaDB: `COM_STMT_PREPARE` (the binary protocol's prepare, sent over PyMySQL's connection):
  the column definitions with their types and NOT NULL flags; parameters are untyped there.
- SQLite: `sqlite3_prepare_v2` through the same libsqlite3 Python's `sqlite3` module uses (ctypes):
  each column's declared type and origin table column (NOT NULL, or an INTEGER PRIMARY KEY);
  parameters are untyped there, expressions without a declared type are `Unknown`.

A parameter's type from its `@param {Type}` annotation wins over the database's. A column whose
alias ends with `?` (`AS "name?"`) is nullable, as in Prisma. Where an outer join may supply
NULLs the columns are typed nullable. A statement that does not prepare raises `PrepareError`
with the line the database points at.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass
from typing import Any

_OUTER_JOIN = re.compile(r"\b(LEFT|RIGHT|FULL)\s+(OUTER\s+)?JOIN\b", re.I)


@dataclass
class Column:
    name: str
    type: str  # a Prisma scalar type ("Int", "DateTime"...), "Enum", or "Unknown"; "[]" ends a list
    nullable: bool
    enum: str | None = None  # the database's enum type name, for "Enum"


@dataclass
class Shape:
    params: list[tuple[str, str | None]]  # (type, enum type name) of $1, $2...
    columns: list[Column]


class PrepareError(Exception):
    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def describe(url: Any, text: str) -> Shape:
    from lamina.db.connection import connect

    if url.provider == "sqlite":
        return _sqlite(url, text)
    with connect(url) as conn:
        shape = _postgres(conn, text) if url.provider == "postgresql" else _mysql(conn.raw, text)
    if _OUTER_JOIN.search(text):
        for c in shape.columns:
            c.nullable = True
    _nullable_aliases(shape)
    return shape


def _nullable_aliases(shape: Shape) -> None:
    for c in shape.columns:
        if c.name.endswith("?") and len(c.name) > 1:
            c.name, c.nullable = c.name[:-1], True


def line_of(text: str, offset: int) -> int:
    return text[:max(offset, 0)].count("\n") + 1


# ---------------------------------------------------------------- PostgreSQL

_PG_TYPES = {
    "int2": "Int", "int4": "Int", "oid": "Int", "int8": "BigInt", "float4": "Float", "float8": "Float",
    "numeric": "Decimal", "money": "Decimal", "bool": "Boolean", "text": "String", "varchar": "String",
    "bpchar": "String", "char": "String", "name": "String", "uuid": "String", "citext": "String", "xml": "String",
    "inet": "String", "cidr": "String", "macaddr": "String", "bit": "String", "varbit": "String",
    "timestamp": "DateTime", "timestamptz": "DateTime", "date": "DateTime", "time": "DateTime", "timetz": "DateTime",
    "json": "Json", "jsonb": "Json", "bytea": "Bytes",
}


def _postgres(conn: Any, text: str) -> Shape:
    from psycopg import pq

    pgconn = conn.raw.pgconn
    name = b"lamina_typed_sql"
    res = pgconn.prepare(name, text.encode())
    if res.status != pq.ExecStatus.COMMAND_OK:
        msg = (res.error_field(pq.DiagnosticField.MESSAGE_PRIMARY) or b"").decode(errors="replace")
        pos = res.error_field(pq.DiagnosticField.STATEMENT_POSITION)
        line = line_of(text, len(text.encode()[:int(pos) - 1].decode(errors="ignore"))) if pos else None
        raise PrepareError(msg, line)
    try:
        desc = pgconn.describe_prepared(name)
        param_oids = [desc.param_type(i) for i in range(desc.nparams)]
        fields = [(desc.fname(i).decode(), desc.ftype(i), desc.ftable(i), desc.ftablecol(i)) for i in range(desc.nfields)]
    finally:
        pgconn.exec_(b"DEALLOCATE " + name)
    oids = sorted({*param_oids, *(f[1] for f in fields)})
    types = {
        oid: (name_, kind, elem, elem_kind)
        for oid, name_, kind, elem, elem_kind in conn.query(
            "SELECT t.oid, t.typname, t.typtype, e.typname, e.typtype FROM pg_type t "
            "LEFT JOIN pg_type e ON e.oid = t.typelem AND t.typcategory = 'A' WHERE t.oid = ANY(?)", (oids,))
    }
    tables = sorted({f[2] for f in fields if f[2]})
    not_null = {
        (rel, num) for rel, num in conn.query(
            "SELECT attrelid, attnum FROM pg_attribute WHERE attrelid = ANY(?) AND attnotnull", (tables,))
    } if tables else set()

    def prisma_type(oid: int) -> tuple[str, str | None]:
        name_, kind, elem, elem_kind = types.get(oid, ("unknown", "b", None, None))
        if elem is not None:
            inner, enum = (("Enum", elem) if elem_kind == "e" else (_PG_TYPES.get(elem, "Unknown"), None))
            return inner + "[]", enum
        if kind == "e":
            return "Enum", name_
        return _PG_TYPES.get(name_, "Unknown"), None

    columns = []
    for i, (fname, oid, table, col) in enumerate(fields):
        if fname == "?column?":
            raise PrepareError(f"The result's column {i + 1} is an expression without a name: give it an alias "
                               f"(`... AS total`).")
        type_, enum = prisma_type(oid)
        columns.append(Column(fname, type_, (table, col) not in not_null, enum))
    return Shape([prisma_type(oid) for oid in param_oids], columns)


# ---------------------------------------------------------------- MySQL / MariaDB

_NOT_NULL_FLAG = 1
_BINARY_CHARSET = 63
_MYSQL_TYPES = {
    1: "Int", 2: "Int", 3: "Int", 9: "Int", 13: "Int", 8: "BigInt", 4: "Float", 5: "Float", 0: "Decimal",
    246: "Decimal", 7: "DateTime", 10: "DateTime", 11: "DateTime", 12: "DateTime", 245: "Json", 16: "Bytes",
}
_MYSQL_TEXT = {15, 249, 250, 251, 252, 253, 254}  # VARCHAR, BLOBs, VAR_STRING, STRING: text or binary by charset


def _mysql(conn: Any, text: str) -> Shape:
    import pymysql  # type: ignore[import-untyped]
    from pymysql.constants import COMMAND  # type: ignore[import-untyped]
    from pymysql.protocol import FieldDescriptorPacket  # type: ignore[import-untyped]

    conn._execute_command(COMMAND.COM_STMT_PREPARE, text)
    try:
        head = conn._read_packet()
    except pymysql.err.MySQLError as exc:
        code, msg = (exc.args + ("",))[:2]
        found = re.search(r"at line (\d+)\s*$", str(msg))
        raise PrepareError(str(msg), int(found.group(1)) if found else None) from None
    data = head.get_all_data()
    stmt_id, n_columns, n_params = struct.unpack("<IHH", data[1:9])
    for _ in range(n_params):
        conn._read_packet(FieldDescriptorPacket)
    if n_params:
        conn._read_packet()  # EOF
    fields = [conn._read_packet(FieldDescriptorPacket) for _ in range(n_columns)]
    if n_columns:
        conn._read_packet()  # EOF
    conn._execute_command(COMMAND.COM_STMT_CLOSE, struct.pack("<I", stmt_id))  # no reply
    columns = []
    for f in fields:
        code = f.type_code
        if code in _MYSQL_TEXT:
            type_ = "Bytes" if f.charsetnr == _BINARY_CHARSET else "String"
        elif code == 1 and f.length == 1:  # TINYINT(1): Prisma's Boolean
            type_ = "Boolean"
        else:
            type_ = _MYSQL_TYPES.get(code, "Unknown")
        columns.append(Column(f.name, type_, not (f.flags & _NOT_NULL_FLAG)))
    return Shape([("Unknown", None)] * n_params, columns)


# ---------------------------------------------------------------- SQLite


def _sqlite_decl(decl: str) -> str:
    """A declared column type as Prisma reads it on SQLite."""
    d = decl.upper()
    if not d:
        return "Unknown"
    if "BIGINT" in d:
        return "BigInt"
    if "INT" in d:
        return "Int"
    if "BOOL" in d:
        return "Boolean"
    if "DATE" in d or "TIME" in d:
        return "DateTime"
    if "DECIMAL" in d or "NUMERIC" in d:
        return "Decimal"
    if "REAL" in d or "FLOA" in d or "DOUB" in d:
        return "Float"
    if "JSON" in d:
        return "Json"
    if "CHAR" in d or "CLOB" in d or "TEXT" in d:
        return "String"
    if "BLOB" in d:
        return "Bytes"
    return "Unknown"


def _sqlite_lib() -> Any:
    import ctypes

    import _sqlite3

    lib = ctypes.CDLL(_sqlite3.__file__)  # the library Python's sqlite3 module runs on
    p, i, s = ctypes.c_void_p, ctypes.c_int, ctypes.c_char_p
    sigs: dict[str, tuple[Any, list[Any]]] = {
        "sqlite3_open_v2": (i, [s, ctypes.POINTER(p), i, s]),
        "sqlite3_close_v2": (i, [p]),
        "sqlite3_prepare_v2": (i, [p, s, i, ctypes.POINTER(p), ctypes.POINTER(p)]),
        "sqlite3_finalize": (i, [p]),
        "sqlite3_errmsg": (s, [p]),
        "sqlite3_bind_parameter_count": (i, [p]),
        "sqlite3_column_count": (i, [p]),
        "sqlite3_column_name": (s, [p, i]),
        "sqlite3_column_decltype": (s, [p, i]),
        "sqlite3_column_database_name": (s, [p, i]),
        "sqlite3_column_table_name": (s, [p, i]),
        "sqlite3_column_origin_name": (s, [p, i]),
        "sqlite3_table_column_metadata": (i, [p, s, s, s, ctypes.POINTER(s), ctypes.POINTER(s), ctypes.POINTER(i),
                                              ctypes.POINTER(i), ctypes.POINTER(i)]),
    }
    for name, (res, args) in sigs.items():
        fn = getattr(lib, name)
        fn.restype, fn.argtypes = res, args
    if hasattr(lib, "sqlite3_error_offset"):  # SQLite 3.38+
        lib.sqlite3_error_offset.restype, lib.sqlite3_error_offset.argtypes = i, [p]
    return lib


def _sqlite(url: Any, text: str) -> Shape:
    import ctypes

    from lamina.errors import LaminaError

    if url.path is None or not url.path.exists():
        raise LaminaError(f"Typed SQL needs the database to describe the queries: {url.path} does not exist "
                          "(create it with `lamina migrate dev` or `lamina db push`).")
    try:
        lib = _sqlite_lib()
    except (ImportError, OSError, AttributeError) as exc:  # a libsqlite3 built without column metadata
        raise LaminaError(f"Typed SQL on SQLite needs libsqlite3 with column metadata: {exc}") from None
    db = ctypes.c_void_p()
    if lib.sqlite3_open_v2(str(url.path).encode(), ctypes.byref(db), 1, None) != 0:  # SQLITE_OPEN_READONLY
        raise LaminaError(f"Cannot open the SQLite database {url.path}.")
    stmt = ctypes.c_void_p()
    try:
        raw = text.encode()
        tail = ctypes.c_void_p()
        buf = ctypes.create_string_buffer(raw)
        rc = lib.sqlite3_prepare_v2(db, buf, len(raw) + 1, ctypes.byref(stmt), ctypes.byref(tail))
        if rc != 0 or not stmt.value:
            msg = (lib.sqlite3_errmsg(db) or b"").decode(errors="replace") if rc else "the file holds no statement"
            offset = lib.sqlite3_error_offset(db) if rc and hasattr(lib, "sqlite3_error_offset") else -1
            line = line_of(text, len(raw[:offset].decode(errors="ignore"))) if offset >= 0 else None
            raise PrepareError(msg, line)
        rest = ctypes.string_at(tail.value) if tail.value else b""
        if _strip_comments(rest.decode(errors="replace")).strip(" \t\r\n;"):
            used = len(raw) - len(rest)
            raise PrepareError("A typed SQL file holds one statement; this one has more.", line_of(text, len(raw[:used].decode(errors="ignore"))))
        n_params = lib.sqlite3_bind_parameter_count(stmt)
        columns = []
        for i in range(lib.sqlite3_column_count(stmt)):
            name = lib.sqlite3_column_name(stmt, i).decode()
            decl = (lib.sqlite3_column_decltype(stmt, i) or b"").decode()
            table = lib.sqlite3_column_table_name(stmt, i)
            nullable = True
            if table:
                dtype, coll = ctypes.c_char_p(), ctypes.c_char_p()
                notnull, pk, autoinc = ctypes.c_int(), ctypes.c_int(), ctypes.c_int()
                ok = lib.sqlite3_table_column_metadata(
                    db, lib.sqlite3_column_database_name(stmt, i), table, lib.sqlite3_column_origin_name(stmt, i),
                    ctypes.byref(dtype), ctypes.byref(coll), ctypes.byref(notnull), ctypes.byref(pk), ctypes.byref(autoinc))
                # an INTEGER PRIMARY KEY is the rowid: never NULL though not declared NOT NULL
                nullable = ok != 0 or not (notnull.value or (pk.value and decl.upper() == "INTEGER"))
            columns.append(Column(name, _sqlite_decl(decl), nullable))
    finally:
        if stmt.value:
            lib.sqlite3_finalize(stmt)
        lib.sqlite3_close_v2(db)
    shape = Shape([("Unknown", None)] * n_params, columns)
    if _OUTER_JOIN.search(text):
        for c in shape.columns:
            c.nullable = True
    _nullable_aliases(shape)
    return shape


_COMMENTS = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|`[^`]*`|(--[^\n]*|/\*.*?\*/)", re.S)


def _strip_comments(text: str) -> str:
    """The SQL text without its comments (a comment's line breaks are kept); quoted text is left alone."""
    return _COMMENTS.sub(lambda m: "\n" * m.group(1).count("\n") if m.group(1) else m.group(0), text)


strip_comments = _strip_comments
