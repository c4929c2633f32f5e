"""PostgreSQL operator classes: Prisma's schema names (`ops: JsonbPathOps`) <-> SQL names (`jsonb_path_ops`).

Prisma writes the SQL name in CREATE INDEX, `raw("x")` verbatim, and `db pull` prints the schema name
when there is one, else `raw("x")`. The database reports an operator class only when it is not the
default for its access method, so the default ones are dropped before indexes are compared.
"""

from __future__ import annotations

_BRIN_KINDS = {"BloomOps": "bloom_ops", "MinMaxMultiOps": "minmax_multi_ops", "MinMaxOps": "minmax_ops", "InclusionOps": "inclusion_ops"}
_ALL = ("BloomOps", "MinMaxOps", "MinMaxMultiOps")
# Brin classes Prisma knows, per type (PostgreSQL has no bloom class for bit, no multi-minmax for text...)
_BRIN: dict[str, tuple[str, ...]] = {
    "Bit": ("MinMaxOps",), "VarBit": ("MinMaxOps",),
    "Bpchar": ("BloomOps", "MinMaxOps"), "Bytea": ("BloomOps", "MinMaxOps"), "Text": ("BloomOps", "MinMaxOps"),
    "Inet": ("InclusionOps",) + _ALL,
    **{t: _ALL for t in ("Date", "Float4", "Float8", "Int2", "Int4", "Int8", "Numeric", "Oid", "Timestamp",
                         "TimestampTz", "Time", "TimeTz", "Uuid")},
}
_OTHERS = {"InetOps": "inet_ops", "JsonbOps": "jsonb_ops", "JsonbPathOps": "jsonb_path_ops", "ArrayOps": "array_ops", "TextOps": "text_ops"}

SCHEMA_TO_SQL: dict[str, str] = dict(_OTHERS)
for _t, _kinds in _BRIN.items():
    for _kind in _kinds:
        SCHEMA_TO_SQL[_t + _kind] = f"{_t.lower()}_{_BRIN_KINDS[_kind]}"
SQL_TO_SCHEMA: dict[str, str] = {v: k for k, v in SCHEMA_TO_SQL.items()}

# pg_opclass.opcdefault for the access methods Prisma supports (PostgreSQL 15)
_DEFAULTS: dict[str, frozenset[str]] = {
    "Gin": frozenset({"array_ops", "jsonb_ops"}),
    "SpGist": frozenset({"inet_ops", "text_ops"}),
    "Brin": frozenset(
        {f"{t}_minmax_ops" for t in ("bytea", "int8", "int2", "int4", "text", "oid", "float4", "float8", "bpchar",
                                     "time", "date", "timestamp", "timestamptz", "timetz", "bit", "varbit", "numeric", "uuid")}
        | {"inet_inclusion_ops"}
    ),
}


def sql_name(ops: str) -> str:
    """The SQL operator class for a schema `ops:` value (`raw("x")` is kept as `raw(x)` by the validator)."""
    if ops.startswith("raw(") and ops.endswith(")"):
        return ops[4:-1]
    return SCHEMA_TO_SQL.get(ops, ops)


def is_default(sql: str, algorithm: str | None) -> bool:
    return sql in _DEFAULTS.get(algorithm or "BTree", frozenset())


def schema_value(sql: str) -> str:
    """How `db pull` writes an operator class the database reports."""
    name = SQL_TO_SCHEMA.get(sql)
    return name if name is not None else f'raw("{sql}")'
