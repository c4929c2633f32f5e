"""Database names Prisma derives when the schema gives none (`map:`), written down once.

Everyone who needs a constraint or join-table name imports it from here: the validator
(to fill `Datamodel`), the SQL calculator, introspection (to decide whether a name is the
default and may be left out of the printed schema).

Rules (Prisma's, observed and documented in its engines):
- Names are built from *database* names: the table after `@@map`, columns after `@map`.
- Primary key `{table}_pkey`; unique `{table}_{col1}_{col2}_key`; index `..._idx`;
  foreign key `{table}_{cols}_fkey` (the referencing table and columns); SQL Server default
  constraint `{table}_{col}_df`.
- Lengths are counted in UTF-8 *bytes*. When the name without its suffix reaches
  `limit - len(suffix)` bytes it is cut to exactly that many bytes (backing up to a
  character boundary), then the suffix is appended: PostgreSQL names end up at most 63
  bytes, MySQL 64. SQLite's limit is 10,000 (in practice: never cut).
- Implicit many-to-many: table `_{relationName}` (cut to the limit) where the default relation
  name is `{A}To{B}` with the two model names sorted; columns `A` (references the model that
  sorts first) and `B`; index `{table}_B_index`; uniqueness `{table}_AB_pkey` (a primary key
  on PostgreSQL/CockroachDB) or `{table}_AB_unique` (a unique index elsewhere); foreign keys
  `{table}_A_fkey`, `{table}_B_fkey`; each cut like the others (checked against Prisma 7.10.1
  on PostgreSQL with a 63-character model name).
"""

from __future__ import annotations

from collections.abc import Sequence

# Maximum identifier length per provider, in bytes.
MAX_IDENTIFIER_LENGTH: dict[str, int] = {
    "postgresql": 63,
    "cockroachdb": 63,
    "mysql": 64,
    "sqlite": 10000,
    "sqlserver": 128,
    "mongodb": 127,
}
# Without a datasource Prisma uses a connector with no limit.
UNLIMITED = 1 << 31


def max_identifier_length(provider: str | None) -> int:
    if provider is None:
        return UNLIMITED
    return MAX_IDENTIFIER_LENGTH.get(str(getattr(provider, "value", provider)), UNLIMITED)


def _cut(name: str, max_bytes: int) -> str:
    """`name` cut to at most `max_bytes` UTF-8 bytes when it reaches that length."""
    raw = name.encode("utf-8")
    if len(raw) < max_bytes:
        return name
    cut = raw[:max_bytes]
    # Back up to a character boundary (a continuation byte is 0b10xxxxxx).
    end = len(cut)
    while end > 0 and end < len(raw) and (raw[end] & 0xC0) == 0x80:
        end -= 1
    return raw[:end].decode("utf-8")


def _with_suffix(base: str, suffix: str, provider: str | None) -> str:
    limit = max_identifier_length(provider)
    return _cut(base, limit - len(suffix)) + suffix


def primary_key_name(table: str, provider: str | None) -> str:
    return _with_suffix(table, "_pkey", provider)


def unique_index_name(table: str, columns: Sequence[str], provider: str | None) -> str:
    return _with_suffix(f"{table}_{'_'.join(columns)}", "_key", provider)


def index_name(table: str, columns: Sequence[str], provider: str | None) -> str:
    return _with_suffix(f"{table}_{'_'.join(columns)}", "_idx", provider)


def foreign_key_name(table: str, columns: Sequence[str], provider: str | None) -> str:
    """`table` and `columns` are the *referencing* table and its constrained columns."""
    return _with_suffix(f"{table}_{'_'.join(columns)}", "_fkey", provider)


def default_relation_name(model_a: str, model_b: str) -> str:
    """Prisma's name for an unnamed relation: the two model names sorted, joined by `To`."""
    first, second = sorted((model_a, model_b))
    return f"{first}To{second}"


def m2m_join_table(relation_name: str, provider: str | None) -> str:
    """`_{relationName}`, cut to the identifier limit (no suffix to keep)."""
    return _cut(f"_{relation_name}", max_identifier_length(provider))


def m2m_b_index_name(join_table: str, provider: str | None) -> str:
    return _with_suffix(join_table, "_B_index", provider)


def m2m_ab_unique_name(join_table: str, provider: str | None) -> str:
    """The primary key (PostgreSQL, CockroachDB) or unique index (others) over (A, B)."""
    p = str(getattr(provider, "value", provider)) if provider is not None else None
    if p in ("postgresql", "cockroachdb"):
        return _with_suffix(join_table, "_AB_pkey", provider)
    return _with_suffix(join_table, "_AB_unique", provider)


def m2m_foreign_key_name(join_table: str, column: str, provider: str | None) -> str:
    """Column "A" or "B" of the join table: `{table}_A_fkey` (the table is cut, not `table_A`)."""
    return _with_suffix(join_table, f"_{column}_fkey", provider)
