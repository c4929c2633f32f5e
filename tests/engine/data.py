"""One row per table, valid for its types and keys, to prove migrations keep data.

Every integer is 1, every text 'x1', ... so that a foreign key column holds the same
value as the primary key it references (one row per table, inserted in table order with
foreign key checks off).
"""

from __future__ import annotations

from lamina.sql.schema import ColumnArity, SqlSchema

_PG = {
    "INTEGER": "1", "SMALLINT": "1", "BIGINT": "1", "DOUBLE PRECISION": "1.5", "REAL": "1.5", "DECIMAL": "1",
    "TEXT": "'x1'", "VARCHAR": "'x1'", "CHAR": "'x'", "BOOLEAN": "true", "TIMESTAMP": "'2020-01-01 00:00:00'",
    "TIMESTAMPTZ": "'2020-01-01 00:00:00+00'", "DATE": "'2020-01-01'", "JSONB": "'{}'", "JSON": "'{}'",
    "BYTEA": "'\\x00'", "UUID": "'00000000-0000-0000-0000-000000000001'",
}
_SQLITE = {
    "INTEGER": "1", "BIGINT": "1", "REAL": "1.5", "DECIMAL": "1", "TEXT": "'x1'", "BOOLEAN": "true",
    "DATETIME": "'2020-01-01 00:00:00'", "JSONB": "'{}'", "BLOB": "x'00'",
}


def literal(column, schema: SqlSchema, provider: str) -> str | None:
    if column.enum:
        enum = next((e for e in schema.enums if e.name == column.enum), None)
        if enum is None:
            return None
        value = f"'{enum.values[0]}'"
        return f"ARRAY[{value}]::{column.type}" if column.arity is ColumnArity.LIST else value
    base = column.type.removesuffix("[]").split("(")[0]
    table = _PG if provider == "postgresql" else _SQLITE
    value = table.get(base)
    if value is None:
        return None
    if column.arity is ColumnArity.LIST:
        return f"ARRAY[{value}]::{column.type}"
    return value


def insert_rows(conn, schema: SqlSchema, provider: str) -> dict[tuple, int]:
    """Insert one row in every table; returns {(namespace, table): 1}."""
    from tests.engine.helpers import run_script

    statements = []
    counts = {}
    for table in schema.tables:
        names, values = [], []
        for col in table.columns:
            value = literal(col, schema, provider)
            if value is None:
                if col.arity is ColumnArity.REQUIRED and col.default is None and not col.autoincrement:
                    break
                continue
            names.append('"' + col.name + '"')
            values.append(value)
        else:
            name = f'"{table.namespace}"."{table.name}"' if table.namespace else f'"{table.name}"'
            statements.append(f"INSERT INTO {name} ({', '.join(names)}) VALUES ({', '.join(values)});")
            counts[(table.namespace, table.name)] = 1
    if not statements:
        return counts
    if provider == "postgresql":
        run_script(conn, "SET session_replication_role = replica;\n" + "\n".join(statements)
                   + "\nSET session_replication_role = DEFAULT;")
    else:
        run_script(conn, "\n".join(statements))
    return counts
