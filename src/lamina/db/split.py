"""Split a SQL script into statements, respecting quotes, comments and dollar-quotes.

A `;` ends a statement only outside '...' strings, "..." / `...` identifiers,
-- and /* */ comments (nested on PostgreSQL) and $tag$...$tag$ bodies (PostgreSQL).
On SQLite, CREATE TRIGGER bodies (BEGIN ... END;) are kept whole with
`sqlite3.complete_statement`. Statements that hold only comments are dropped.

MySQL/MariaDB scripts are split as the `mysql` command-line client runs them:
- `DELIMITER $$` lines (a client command, never sent to the server) change what ends a
  statement until the next DELIMITER line;
- the body of CREATE TRIGGER/PROCEDURE/FUNCTION/EVENT (and MariaDB's BEGIN NOT ATOMIC) is
  one statement even with the default `;`: inside it, `;` ends a statement only once every
  BEGIN, IF, CASE, LOOP, WHILE and REPEAT opened in the body has met its END.
"""

from __future__ import annotations

import re

_DOLLAR_TAG = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)?\$")
# Every character that may start a comment, a quoted text, a dollar-quote or end a statement on
# some provider: the scan jumps from one to the next instead of stepping over every character.
_MAYBE_SPECIAL = re.compile(r"[-/'\"`\[$;#]")


def split_statements(sql: str, provider: str = "postgresql") -> list[str]:
    if provider == "mysql":
        return [p for p in _split_mysql(sql) if not _only_comments(p, provider)]
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
            m = _MAYBE_SPECIAL.search(sql, i + 1)
            i = m.start() if m else n
    if sql[start:].strip():
        out.append(sql[start:])
    return [p.strip() for p in out if p.strip()]


# Unquoted identifiers may hold non-ASCII letters (MySQL allows U+0080 and above).
_WORD = re.compile(r"[^\W\d][\w$]*")
_DELIMITER_LINE = re.compile(r"[ \t]*delimiter[ \t]+(\S+)[^\n]*(\n|$)", re.IGNORECASE)
_ROUTINE_KINDS = {"TRIGGER", "PROCEDURE", "FUNCTION", "EVENT"}
_CONTROL = {"IF", "LOOP", "WHILE", "REPEAT"}
# Where a compound statement may start inside a routine body: IF/WHILE/REPEAT/LOOP after
# one of these is a statement (IF ... END IF); elsewhere IF( and REPEAT( are functions and
# IF [NOT] EXISTS a clause.
_STATEMENT_START = {";", ":", ")", "BEGIN", "THEN", "ELSE", "DO", "LOOP", "REPEAT", "ROW", "ATOMIC"}


def _split_mysql(sql: str) -> list[str]:
    """MySQL/MariaDB statements, with DELIMITER lines and routine bodies handled."""
    out: list[str] = []
    n = len(sql)
    delimiter = ";"
    start = i = 0
    words: list[str] = []  # the current statement's words so far (the first few decide its kind)
    routine = False  # a CREATE TRIGGER/PROCEDURE/FUNCTION/EVENT or BEGIN NOT ATOMIC statement
    depth = 0  # open BEGIN/IF/CASE/LOOP/WHILE/REPEAT blocks in a routine body
    prev = ";"  # the previous significant token, upper-cased

    def end_statement(end: int, resume: int) -> None:
        nonlocal start, i, words, routine, depth, prev
        piece = sql[start:end].strip()
        if piece:
            out.append(piece)
        start = i = resume
        words, routine, depth, prev = [], False, 0, ";"

    while i < n:
        c = sql[i]
        at_line_start = i == 0 or sql[i - 1] == "\n"
        if at_line_start and not sql[start:i].strip() and c in " \tdD":
            m = _DELIMITER_LINE.match(sql, i)
            if m:  # a client command: switch the terminator, send nothing
                delimiter = m.group(1)
                start = i = m.end()
                continue
        if delimiter != ";" and sql.startswith(delimiter, i):
            end_statement(i, i + len(delimiter))
            continue
        if c == "#" or (c == "-" and sql.startswith("--", i) and (i + 2 >= n or sql[i + 2] in " \t\r\n")):
            j = sql.find("\n", i)
            i = n if j < 0 else j + 1
        elif c == "/" and sql.startswith("/*", i):
            i = _skip_block_comment(sql, i, nested=False)
        elif c in "'\"`":
            i = _skip_quoted(sql, i, c, c != "`")
            prev = "'"
        elif c == ";" and delimiter == ";" and depth <= 0:
            end_statement(i + 1, i + 1)
        elif c.isalpha() or c == "_":
            m = _WORD.match(sql, i)
            end = m.end() if m else i + 1  # a letter `\w` does not know (rare Unicode) is one char
            if delimiter != ";":  # `END$$`: `$` may be part of a word, but not of the delimiter
                k = sql.find(delimiter, i, end)
                end = end if k < 0 else k
            word = sql[i:end].upper()
            i = end
            if len(words) < 8:
                words.append(word)
                if not routine and words[0] == "CREATE" and word in _ROUTINE_KINDS:
                    routine = True
                elif not routine and words == ["BEGIN", "NOT", "ATOMIC"]:  # MariaDB's anonymous block
                    routine, depth = True, 1
                    prev = word
                    continue
            if routine:
                depth += _block_change(word, prev, sql, i)
            prev = word
        else:
            if not c.isspace():
                prev = c
            i += 1
    end_statement(n, n)
    return out


def _block_change(word: str, prev: str, sql: str, after: int) -> int:
    """+1 for a word that opens a block in a routine body, -1 for END, 0 otherwise."""
    if word == "END":
        return -1
    if prev == "END":  # END IF, END CASE, END LOOP ...
        return 0
    if word in ("BEGIN", "CASE"):  # CASE: the statement (END CASE) and the expression (END)
        return 1
    if word in _CONTROL and prev in _STATEMENT_START:
        return 1
    return 0


def _skip_quoted(sql: str, i: int, quote: str, backslash: bool) -> int:
    """The index after the quoted text that opens at `i` (`n` if it never closes); a doubled quote,
    or with `backslash` a backslash, escapes the character after it."""
    n = len(sql)
    i += 1
    while i < n:
        j = sql.find(quote, i)
        end = n if j < 0 else j
        if backslash and (k := sql.find("\\", i, end)) >= 0:
            i = k + 2
            continue
        if j < 0:
            return n
        if j + 1 < n and sql[j + 1] == quote:  # doubled quote
            i = j + 2
            continue
        return j + 1
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
        # complete_statement takes no NUL (files with one are refused before; stay total here)
        if sqlite3.complete_statement(buf.replace("\x00", " ")):
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
