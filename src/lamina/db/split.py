"""Split a SQL script into statements, respecting quotes, comments and dollar-quotes.

A `;` ends a statement only outside '...' strings, "..." / `...` identifiers,
-- and /* */ comments (nested on PostgreSQL) and $tag$...$tag$ bodies (PostgreSQL).
On SQLite, CREATE TRIGGER bodies (BEGIN ... END;) are kept whole with
`sqlite3.complete_statement`. Statements that hold only comments are dropped.
"""

from __future__ import annotations

import re

_DOLLAR_TAG = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)?\$")


def split_statements(sql: str, provider: str = "postgresql") -> list[str]:
    pieces = _split(sql, provider)
    if provider == "sqlite":
        pieces = _merge_sqlite_triggers(pieces)
    return [p for p in pieces if not _only_comments(p, provider)]


def _split(sql: str, provider: str) -> list[str]:
    out: list[str] = []
    start = 0
    i = 0
    n = len(sql)
    pg = provider == "postgresql"
    mysql = provider == "mysql"
    while i < n:
        c = sql[i]
        if c == "-" and sql.startswith("--", i) or (mysql and c == "#"):
            j = sql.find("\n", i)
            i = n if j < 0 else j + 1
        elif c == "/" and sql.startswith("/*", i):
            i = _skip_block_comment(sql, i, nested=pg)
        elif c == "'":
            backslash = mysql or (pg and i > 0 and sql[i - 1] in "eE" and (i < 2 or not (sql[i - 2].isalnum() or sql[i - 2] == "_")))
            i = _skip_quoted(sql, i, "'", backslash)
        elif c == '"' or (c == "`" and provider != "postgresql"):
            i = _skip_quoted(sql, i, c, mysql and c == '"')
        elif c == "[" and provider == "sqlite":
            j = sql.find("]", i + 1)
            i = n if j < 0 else j + 1
        elif c == "$" and pg:
            m = _DOLLAR_TAG.match(sql, i)
            if m and (i == 0 or not (sql[i - 1].isalnum() or sql[i - 1] == "_")):
                j = sql.find(m.group(0), m.end())
                i = n if j < 0 else j + len(m.group(0))
            else:
                i += 1
        elif c == ";":
            out.append(sql[start : i + 1])
            start = i + 1
            i += 1
        else:
            i += 1
    if sql[start:].strip():
        out.append(sql[start:])
    return [p.strip() for p in out if p.strip()]


def _skip_quoted(sql: str, i: int, quote: str, backslash: bool) -> int:
    n = len(sql)
    i += 1
    while i < n:
        c = sql[i]
        if backslash and c == "\\":
            i += 2
            continue
        if c == quote:
            if i + 1 < n and sql[i + 1] == quote:  # doubled quote
                i += 2
                continue
            return i + 1
        i += 1
    return n


def _skip_block_comment(sql: str, i: int, nested: bool) -> int:
    depth = 0
    n = len(sql)
    while i < n:
        if sql.startswith("/*", i):
            depth = depth + 1 if nested or depth == 0 else depth
            i += 2
        elif sql.startswith("*/", i):
            depth -= 1
            i += 2
            if depth <= 0:
                return i
        else:
            i += 1
    return n


def _merge_sqlite_triggers(pieces: list[str]) -> list[str]:
    import sqlite3

    out: list[str] = []
    buf = ""
    for p in pieces:
        buf = f"{buf}\n{p}" if buf else p
        if sqlite3.complete_statement(buf):
            out.append(buf)
            buf = ""
    if buf:
        out.append(buf)
    return out


def _only_comments(stmt: str, provider: str) -> bool:
    rest = stmt
    while True:
        rest = rest.lstrip()
        if rest.startswith("--") or (provider == "mysql" and rest.startswith("#")):
            j = rest.find("\n")
            if j < 0:
                return True
            rest = rest[j + 1 :]
        elif rest.startswith("/*"):
            rest = rest[_skip_block_comment(rest, 0, nested=provider == "postgresql") :]
        else:
            return rest in ("", ";")
