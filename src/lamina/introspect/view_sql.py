"""The layout `db pull` gives a view's SQL in `views/<schema>/<View>.sql`, as Prisma 7.10.1 writes it.

Prisma's schema engine passes the definition the database reports through the Rust crate
`sqlformat` (0.2 series, `uppercase: true`, two-space indent), a port of the JavaScript
sql-formatter. This module lays the text out by the same rules, so the files are byte for
byte what Prisma writes (checked against its CLI: tests/introspect/data/views/):

- The text is cut into tokens: whitespace, comments, strings (`'…'`, `"…"`, `` `…` ``,
  `[…]`, `N'…'`, `E'…'`), `(`/`CASE` and `)`/`END` (a CASE block indents like parentheses),
  numbers, keywords, placeholders (`?`, `$1`, `:name`, `@name`), words and operators.
- Keywords come in four kinds. Top-level ones (`SELECT`, `FROM`, `WHERE`, `GROUP BY`,
  `ORDER BY`, `LIMIT`...) go on their own line and indent what follows; `UNION`, `INTERSECT`
  and the like go on their own line without indenting; `AND`, `OR`, `WHEN`, `ELSE` and the
  joins start a new line; the others are only upper-cased. Words that are not keywords
  (function names like `count`, identifiers) keep their case.
- A parenthesised group of at most 50 characters with no clause keyword in it stays on one
  line; any other opens an indented block. Commas outside such a group end the line.

Quirks of the original that show in Prisma's files are kept on purpose: `[1, 2, 3]` is one
token (SQL Server's bracket quoting), so `ARRAY[1, 2]` reads `ARRAY [1, 2]`; `::` is spaced
like any operator; `UNION ALL` is `UNION` then `ALL`; `AND` after `BETWEEN` stays inline.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from dataclasses import dataclass


class Kind(enum.Enum):
    WHITESPACE = enum.auto()
    STRING = enum.auto()
    RESERVED = enum.auto()
    TOP_LEVEL = enum.auto()
    TOP_LEVEL_NO_INDENT = enum.auto()
    NEWLINE = enum.auto()
    OPERATOR = enum.auto()
    OPEN = enum.auto()
    CLOSE = enum.auto()
    LINE_COMMENT = enum.auto()
    BLOCK_COMMENT = enum.auto()
    NUMBER = enum.auto()
    PLACEHOLDER = enum.auto()
    WORD = enum.auto()


@dataclass(frozen=True, slots=True)
class Token:
    kind: Kind
    value: str


# Keyword lists, in the order they are tried (the first that matches wins).
_TOP_LEVEL = (
    "ADD", "AFTER", "ALTER COLUMN", "ALTER TABLE", "DELETE FROM", "EXCEPT", "FETCH FIRST", "FROM", "GROUP BY",
    "GO", "HAVING", "INSERT INTO", "INSERT", "LIMIT", "MODIFY", "ORDER BY", "SELECT", "SET CURRENT SCHEMA",
    "SET SCHEMA", "SET", "UPDATE", "VALUES", "WHERE", "RETURNING",
)
_NEWLINE = (
    "AND", "CROSS APPLY", "CROSS JOIN", "ELSE", "INNER JOIN", "JOIN", "LEFT JOIN", "LEFT OUTER JOIN", "OR",
    "OUTER APPLY", "OUTER JOIN", "RIGHT JOIN", "RIGHT OUTER JOIN", "WHEN", "XOR",
)
_TOP_LEVEL_NO_INDENT = ("BEGIN", "DECLARE", "INTERSECT", "INTERSECT ALL", "MINUS", "UNION", "UNION ALL", "$$")
_RESERVED_TWO = ("CHARACTER SET", "ON DELETE", "ON UPDATE")
_RESERVED = frozenset("""
    ACCESSIBLE ACTION AGAINST AGGREGATE ALGORITHM ALL ALTER ANALYSE ANALYZE AS ASC AUTOCOMMIT
    AUTO_INCREMENT BACKUP BETWEEN BINLOG BOTH CASCADE CASE CHANGE CHANGED CHARSET CHECK CHECKSUM
    COLLATE COLLATION COLUMN COLUMNS COMMENT COMMIT COMMITTED COMPRESSED CONCURRENT CONSTRAINT CONTAINS
    CONVERT CREATE CROSS CURRENT_TIMESTAMP DATABASE DATABASES DAY DAY_HOUR DAY_MINUTE DAY_SECOND
    DEFAULT DEFINER DELAYED DELETE DESC DESCRIBE DETERMINISTIC DISTINCT DISTINCTROW DIV DO DROP
    DUMPFILE DUPLICATE DYNAMIC ELSE ENCLOSED END ENGINE ENGINES ENGINE_TYPE ESCAPE ESCAPED EVENTS EXEC
    EXECUTE EXISTS EXPLAIN EXTENDED FAST FETCH FIELDS FILE FIRST FIXED FLUSH FOR FORCE FOREIGN FULL
    FULLTEXT FUNCTION GLOBAL GRANT GRANTS GROUP_CONCAT HEAP HIGH_PRIORITY HOSTS HOUR HOUR_MINUTE
    HOUR_SECOND IDENTIFIED IF IFNULL IGNORE IN INDEX INDEXES INFILE INSERT INSERT_ID INSERT_METHOD
    INTERVAL INTO INVOKER IS ISOLATION KEY KEYS KILL LAST_INSERT_ID LEADING LEVEL LIKE LINEAR LINES
    LOAD LOCAL LOCK LOCKS LOGS LOW_PRIORITY MARIA MASTER MASTER_CONNECT_RETRY MASTER_HOST
    MASTER_LOG_FILE MATCH MAX_CONNECTIONS_PER_HOUR MAX_QUERIES_PER_HOUR MAX_ROWS MAX_UPDATES_PER_HOUR
    MAX_USER_CONNECTIONS MEDIUM MERGE MINUTE MINUTE_SECOND MIN_ROWS MODE MODIFY MONTH MRG_MYISAM MYISAM
    NAMES NATURAL NOT NULL OFFSET ON ONLY OPEN OPTIMIZE OPTION OPTIONALLY OUTFILE PACK_KEYS PAGE
    PARTIAL PARTITION PARTITIONS PASSWORD PRIMARY PRIVILEGES PROCEDURE PROCESS PROCESSLIST PURGE QUICK
    RAID0 RAID_CHUNKS RAID_CHUNKSIZE RAID_TYPE RANGE READ READ_ONLY READ_WRITE REFERENCES REGEXP RELOAD
    RENAME REPAIR REPEATABLE REPLACE REPLICATION RESET RESTORE RESTRICT RETURN RETURNS REVOKE RLIKE
    ROLLBACK ROW ROWS ROW_FORMAT SECOND SECURITY SEPARATOR SERIALIZABLE SESSION SHARE SHOW SHUTDOWN
    SLAVE SONAME SOUNDS SQL SQL_AUTO_IS_NULL SQL_BIG_RESULT SQL_BIG_SELECTS SQL_BIG_TABLES
    SQL_BUFFER_RESULT SQL_CACHE SQL_CALC_FOUND_ROWS SQL_LOG_BIN SQL_LOG_OFF SQL_LOG_UPDATE
    SQL_LOW_PRIORITY_UPDATES SQL_MAX_JOIN_SIZE SQL_NO_CACHE SQL_QUOTE_SHOW_CREATE SQL_SAFE_UPDATES
    SQL_SELECT_LIMIT SQL_SLAVE_SKIP_COUNTER SQL_SMALL_RESULT SQL_WARNINGS START STARTING STATUS STOP
    STORAGE STRAIGHT_JOIN STRING STRIPED SUPER TABLE TABLES TEMPORARY TERMINATED THEN TO TRAILING
    TRANSACTIONAL TRUE TRUNCATE TYPE TYPES UNCOMMITTED UNIQUE UNLOCK UNSIGNED USAGE USE USING VARIABLES
    VIEW WHEN WITH WORK WRITE YEAR_MONTH
""".split())
_OPERATORS = ("!=", "<>", "==", "<=", ">=", "!<", "!>", "||", "::", "->>", "->", "~~*", "~~", "!~~*", "!~~", "~*",
              "!~*", "!~", ":=")
# (opening text, closing character, characters that escape the closing one when doubled/before it)
_QUOTES = (("`", "`", "`"), ("[", "]", "]"), ('"', '"', '"\\'), ("'", "'", "'\\"), ("N'", "'", "'\\"), ("E'", "'", "'\\"))
_PLACEHOLDER_QUOTES = (("`", "`", "`"), ("[", "]", "]"), ('"', '"', "\\"), ("'", "'", "\\"), ("N'", "'", "\\"))
_INLINE_MAX = 50
_INDENT = "  "
_FIRST_WORDS = re.compile(r"(\S+)(?:\s+(\S+))?(?:\s+(\S+))?")
_NUMBER = re.compile(r"-?(?:(?:[0-9]+\.[0-9]*|[0-9]+)e[-+]?[0-9]+|[0-9]+\.[0-9]*|[0-9]+)")


def _is_word_char(c: str) -> bool:
    return c.isalnum() or unicodedata.category(c) in ("Mn", "Mc", "Me", "Pc")


def _upper_ascii(text: str) -> str:
    return text.encode("utf-8").upper().decode("utf-8")


def _ends_word(text: str, at: int) -> bool:
    return at >= len(text) or not _is_word_char(text[at])


def _quoted(text: str, pos: int, quotes: tuple[tuple[str, str, str], ...]) -> int | None:
    """End of the quoted string at `pos`, or None (an unclosed quote is no string)."""
    for opening, closing, escapes in quotes:
        if not text.startswith(opening, pos):
            continue
        i = pos + len(opening)
        while i < len(text):
            c = text[i]
            if c in escapes and i + 1 < len(text) and text[i + 1] == closing:
                i += 2
                continue
            if c == closing:
                return i + 1
            i += 1
        return None
    return None


def _keyword(text: str, pos: int, tags: tuple[str, ...], words: int) -> int | None:
    """End of the keyword at `pos` among `tags` (matched on its first `words` words, upper-cased)."""
    found = _FIRST_WORDS.match(text, pos)
    assert found is not None
    upper = _upper_ascii(" ".join(w for w in found.groups()[:words] if w))
    for tag in tags:
        if upper.startswith(tag) and _ends_word(upper, len(tag)):
            last = tag.split(" ")[-1]
            return pos + _upper_ascii(text[pos:]).find(last) + len(last)
    return None


class _Tokenizer:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens: list[Token] = []
        self.last_reserved: Token | None = None
        self.last_top_level: Token | None = None

    def run(self) -> list[Token]:
        pos = 0
        while pos < len(self.text):
            kind, end = self._next(pos)
            token = Token(kind, self.text[pos:end])
            if kind is Kind.RESERVED:
                self.last_reserved = token
            elif kind is Kind.TOP_LEVEL:
                self.last_top_level = token
            self.tokens.append(token)
            pos = end
        return self.tokens

    def _next(self, pos: int) -> tuple[Kind, int]:
        text = self.text
        c = text[pos]
        if c.isspace():
            end = pos
            while end < len(text) and text[end].isspace():
                end += 1
            return Kind.WHITESPACE, end
        if c == "#" or text.startswith("--", pos):
            end = text.find("\n", pos)
            end = len(text) if end < 0 else end
            if text[end - 1:end] == "\r":
                end -= 1
            return Kind.LINE_COMMENT, end
        if text.startswith("/*", pos):
            end = text.find("*/", pos + 2)
            return Kind.BLOCK_COMMENT, len(text) if end < 0 else end + 2
        quoted = _quoted(text, pos, _QUOTES)
        if quoted is not None:
            return Kind.STRING, quoted
        if c == "(":
            return Kind.OPEN, pos + 1
        if _upper_ascii(text[pos:pos + 4]) == "CASE" and _ends_word(text, pos + 4):
            return Kind.OPEN, pos + 4
        if c == ")":
            return Kind.CLOSE, pos + 1
        if _upper_ascii(text[pos:pos + 3]) == "END" and _ends_word(text, pos + 3):
            return Kind.CLOSE, pos + 3
        number = _NUMBER.match(text, pos)
        if number:
            return Kind.NUMBER, number.end()
        reserved = self._reserved(pos)
        if reserved is not None:
            return reserved
        placeholder = self._placeholder(pos)
        if placeholder is not None:
            return Kind.PLACEHOLDER, placeholder
        if _is_word_char(c):
            end = pos
            while end < len(text) and _is_word_char(text[end]):
                end += 1
            return Kind.WORD, end
        for op in _OPERATORS:
            if text.startswith(op, pos):
                return Kind.OPERATOR, pos + len(op)
        return Kind.OPERATOR, pos + 1

    def _reserved(self, pos: int) -> tuple[Kind, int] | None:
        # A keyword right after "." is a name (`t.from`).
        if self.tokens and self.tokens[-1].value == ".":
            return None
        text = self.text
        end = _keyword(text, pos, _TOP_LEVEL, 3)
        if end is not None:
            value = text[pos:end]
            # EXCEPT after a SELECT (as in `SELECT * EXCEPT (...)`) is not a clause.
            if value == "EXCEPT" and self.last_top_level is not None and self.last_top_level.value == "SELECT":
                return Kind.WORD, end
            return Kind.TOP_LEVEL, end
        end = _keyword(text, pos, _NEWLINE, 3)
        if end is not None:
            # The AND of `BETWEEN a AND b` stays on the line.
            if text[pos:end] == "AND" and self.last_reserved is not None and self.last_reserved.value == "BETWEEN":
                return Kind.RESERVED, end
            return Kind.NEWLINE, end
        end = _keyword(text, pos, _TOP_LEVEL_NO_INDENT, 2)
        if end is not None:
            return Kind.TOP_LEVEL_NO_INDENT, end
        end = _keyword(text, pos, _RESERVED_TWO, 2)
        if end is not None:
            return Kind.RESERVED, end
        word = pos
        while word < len(text) and _is_word_char(text[word]):
            word += 1
        if word > pos and _upper_ascii(text[pos:word]) in _RESERVED:
            return Kind.RESERVED, word
        if _upper_ascii(text[pos:pos + 5]) == "NOW()" and _ends_word(text, pos + 5):
            return Kind.RESERVED, pos + 5
        return None

    def _placeholder(self, pos: int) -> int | None:
        text = self.text
        c = text[pos]
        if c in "?$":
            end = pos + 1
            while end < len(text) and text[end].isdigit():
                end += 1
            if end > pos + 1 or c == "?":
                return end
        if c in "@:$":
            end = pos + 1
            while end < len(text) and (text[end].isalnum() or text[end] in "._$"):
                end += 1
            if end > pos + 1:
                return end
        if c in "@:":
            return _quoted(text, pos + 1, _PLACEHOLDER_QUOTES)
        return None


def tokenize(text: str) -> list[Token]:
    return _Tokenizer(text).run()


class _Layout:
    """Writes the tokens out; `indents` holds "top" (a clause) and "block" (parentheses) levels."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.q = ""  # the text so far
        self.indents: list[str] = []
        self.inline_level = 0
        self.previous_reserved: Token | None = None

    def _trim_spaces_end(self) -> None:
        self.q = self.q.rstrip(" \t")

    def _newline(self) -> None:
        self._trim_spaces_end()
        if not self.q.endswith("\n"):
            self.q += "\n"
        self.q += _INDENT * len(self.indents)

    def _decrease_top_level(self) -> None:
        if self.indents and self.indents[-1] == "top":
            self.indents.pop()

    def _decrease_block_level(self) -> None:
        while self.indents:
            if self.indents.pop() != "top":
                break

    def _inline_block_starts(self, index: int) -> bool:
        length = 0
        level = 0
        for token in self.tokens[index:]:
            length += len(token.value)
            if length > _INLINE_MAX:
                return False
            if token.kind is Kind.OPEN:
                level += 1
            elif token.kind is Kind.CLOSE:
                level -= 1
                if level == 0:
                    return True
            if token.kind in (Kind.TOP_LEVEL, Kind.NEWLINE, Kind.LINE_COMMENT, Kind.BLOCK_COMMENT) or token.value == ";":
                return False
        return False

    def run(self) -> str:
        for index, token in enumerate(self.tokens):
            kind = token.kind
            if kind is Kind.WHITESPACE:
                continue
            if kind is Kind.LINE_COMMENT:
                self._line_comment(index, token)
            elif kind is Kind.BLOCK_COMMENT:
                self._newline()
                self.q += (self._indent_comment(token.value))
                self._newline()
            elif kind is Kind.TOP_LEVEL:
                self._decrease_top_level()
                self._newline()
                self.indents.append("top")
                self.q += (_keyword_text(token.value))
                self._newline()
                self.previous_reserved = token
            elif kind is Kind.TOP_LEVEL_NO_INDENT:
                self._decrease_top_level()
                self._newline()
                self.q += (_keyword_text(token.value))
                self._newline()
                self.previous_reserved = token
            elif kind is Kind.NEWLINE:
                self._newline()
                self.q += (_keyword_text(token.value) + " ")
                self.previous_reserved = token
            elif kind is Kind.RESERVED:
                self.q += (_keyword_text(token.value) + " ")
                self.previous_reserved = token
            elif kind is Kind.OPEN:
                self._open(index, token)
            elif kind is Kind.CLOSE:
                self._close(token)
            elif kind is Kind.PLACEHOLDER:
                self.q += (token.value + " ")
            elif token.value == ",":
                self._comma()
            elif token.value == ":":
                self._trim_spaces_end()
                self.q += (": ")
            elif token.value == ".":
                self._trim_spaces_end()
                self.q += (".")
            elif token.value == ";":
                self.indents.clear()
                self._trim_spaces_end()
                self.q += (";\n")
            else:
                self.q += (token.value + " ")
        return self.q.strip()

    def _open(self, index: int, token: Token) -> None:
        # The space before it goes unless the original had whitespace there (or it follows
        # another opening parenthesis or a line comment).
        before = self.tokens[index - 1].kind if index > 0 else None
        if before not in (Kind.WHITESPACE, Kind.OPEN, Kind.LINE_COMMENT):
            self._trim_spaces_end()
        self.q += (_upper_ascii_full(token.value))
        if self.inline_level == 0 and self._inline_block_starts(index):
            self.inline_level = 1
        elif self.inline_level > 0:
            self.inline_level += 1
        if self.inline_level == 0:
            self.indents.append("block")
            self._newline()

    def _close(self, token: Token) -> None:
        value = _upper_ascii_full(token.value)
        if self.inline_level > 0:
            self.inline_level -= 1
            self._trim_spaces_end()
            self.q += (value + " ")
        else:
            self._decrease_block_level()
            self._newline()
            self.q += (value + " ")

    def _comma(self) -> None:
        self._trim_spaces_end()
        self.q += (", ")
        if self.inline_level > 0:
            return
        if self.previous_reserved is not None and self.previous_reserved.value.lower() == "limit":
            return
        self._newline()

    def _line_comment(self, index: int, token: Token) -> None:
        after = self.tokens[index + 1] if index + 1 < len(self.tokens) else None
        after2 = self.tokens[index + 2] if index + 2 < len(self.tokens) else None
        followed = (after is not None and after.kind is Kind.WHITESPACE and after2 is not None
                    and after2.kind in (Kind.NUMBER, Kind.STRING, Kind.WORD, Kind.TOP_LEVEL,
                                        Kind.TOP_LEVEL_NO_INDENT, Kind.NEWLINE, Kind.RESERVED))
        before = self.tokens[index - 1] if index > 0 else None
        if before is not None and "\n" in before.value and followed:
            self._newline()
        elif index >= 2 and self.tokens[index - 2].value == ",":
            self.q = self.q.rstrip() + "  "
        self.q += (token.value)
        self._newline()

    def _indent_comment(self, text: str) -> str:
        lines = text.split("\n")
        out = [lines[0]]
        for line in lines[1:]:
            if line.startswith((" ", "\t")):
                out.append("\n" + _INDENT * len(self.indents) + " " + line.lstrip(" \t"))
            else:
                out.append("\n" + line)
        return "".join(out)


def _keyword_text(value: str) -> str:
    """A keyword upper-cased, runs of whitespace inside it (`GROUP\\n  BY`) made one space."""
    return " ".join(value.upper().split())


def _upper_ascii_full(value: str) -> str:
    return value.upper()


def format_view_sql(definition: str) -> str:
    """`definition` (a view's query as the database reports it) laid out as Prisma writes it."""
    return _Layout(tokenize(definition)).run()


# ---------------------------------------------------------------- SQLite

# SQLite keeps a view as the `CREATE VIEW` text the user wrote. Prisma parses it (the Rust crate
# sqlparser), prints the query part back and adds ";" before the layout above; printing it back
# upper-cases the keywords, writes `<>` for `!=`, `=` for `==` and `AS` before a column alias, and
# drops comments and the view's column list. These are the rewrites below. A definition that
# sqlparser reads only in part (it stops at `GLOB`, `ISNULL`...) is cut there by Prisma; Lamina
# keeps the whole query.
_SQLITE_HEADER = re.compile(
    r"\s*CREATE\s+(?:TEMP\s+|TEMPORARY\s+)?VIEW\s+(?:IF\s+NOT\s+EXISTS\s+)?"
    r"(?:\"(?:[^\"]|\"\")*\"|`(?:[^`]|``)*`|\[[^\]]*\]|[\w$]+)(?:\s*\.\s*(?:\"(?:[^\"]|\"\")*\"|`(?:[^`]|``)*`|\[[^\]]*\]|[\w$]+))?"
    r"\s*(?:\([^)]*\)\s*)?AS\s+",
    re.IGNORECASE,
)
_SQLITE_KEYWORDS = frozenset("""
    SELECT FROM WHERE AS JOIN LEFT RIGHT INNER OUTER CROSS FULL NATURAL ON USING GROUP BY HAVING ORDER ASC
    DESC LIMIT OFFSET UNION ALL EXCEPT INTERSECT DISTINCT CASE WHEN THEN ELSE END AND OR NOT IN IS NULL LIKE
    BETWEEN EXISTS CAST WITH RECURSIVE OVER PARTITION COLLATE ESCAPE FILTER NULLS
""".split())
_SQLITE_RENAMED = {"substr": "SUBSTR", "true": "true", "false": "false"}
_SQLITE_OPERATORS = {"!=": "<>", "==": "="}
_IDENTIFIER_QUOTES = ('"', "`", "[")


def _is_keyword_token(tokens: list[Token], i: int) -> bool:
    word = tokens[i].value
    if tokens[i].kind in (Kind.STRING, Kind.NUMBER, Kind.PLACEHOLDER, Kind.OPERATOR) or not word[:1].isalpha():
        return False
    return not (i > 0 and tokens[i - 1].value == ".")


def _alias_positions(tokens: list[Token]) -> list[int]:
    """Indexes of select-list aliases written without `AS` (`count(*) n`, `u.email "Mail"`)."""
    significant = [i for i, t in enumerate(tokens) if t.kind not in (Kind.WHITESPACE, Kind.LINE_COMMENT, Kind.BLOCK_COMMENT)]
    positions: list[int] = []
    depth = 0
    in_list: dict[int, bool] = {}
    item: dict[int, list[int]] = {}

    def close_item(d: int) -> None:
        items = item.get(d, [])
        if len(items) >= 2:
            last, before = tokens[items[-1]], tokens[items[-2]]
            alias = last.kind is Kind.WORD or (last.kind is Kind.STRING and last.value[:1] in _IDENTIFIER_QUOTES)
            if (alias and before.value.upper() != "AS" and before.value != "." and before.kind is not Kind.OPERATOR
                    and before.kind not in (Kind.RESERVED, Kind.TOP_LEVEL, Kind.NEWLINE)
                    and (before.value.upper() not in _SQLITE_KEYWORDS or before.value.upper() == "END")
                    and before.value not in (",", "(")):
                positions.append(items[-1])
        item[d] = []

    for i in significant:
        t = tokens[i]
        upper = t.value.upper()
        if t.kind is Kind.OPEN and t.value == "(":
            if in_list.get(depth):
                item.setdefault(depth, []).append(i)
            depth += 1
            continue
        if t.kind is Kind.CLOSE and t.value == ")":
            if in_list.get(depth):
                close_item(depth)
            in_list[depth] = False
            depth -= 1
            if in_list.get(depth):
                item.setdefault(depth, []).append(i)
            continue
        if t.kind is Kind.TOP_LEVEL and upper == "SELECT":
            in_list[depth] = True
            item[depth] = []
            continue
        if in_list.get(depth):
            if t.kind in (Kind.TOP_LEVEL, Kind.TOP_LEVEL_NO_INDENT) or t.value == ";":
                close_item(depth)
                in_list[depth] = False
            elif t.value == ",":
                close_item(depth)
            elif not (t.kind is Kind.RESERVED and upper in ("DISTINCT", "ALL") and not item.get(depth)):
                item.setdefault(depth, []).append(i)
    if in_list.get(depth):
        close_item(depth)
    return positions


def sqlite_view_query(sql: str) -> str:
    """The query of a SQLite `CREATE VIEW` statement as Prisma prints it back (before layout)."""
    header = _SQLITE_HEADER.match(sql)
    if header is None:
        return sql  # Prisma formats what it cannot parse as it is
    tokens = [t for t in tokenize(sql[header.end():].rstrip().rstrip(";")) if t.kind not in (Kind.LINE_COMMENT, Kind.BLOCK_COMMENT)]
    aliases = set(_alias_positions(tokens))
    out: list[str] = []
    for i, t in enumerate(tokens):
        value = t.value
        if i in aliases:
            out.append("AS ")
        if t.kind is Kind.OPERATOR:
            value = _SQLITE_OPERATORS.get(value, value)
        elif t.kind is Kind.WORD and value in ("x", "X") and i + 1 < len(tokens) and tokens[i + 1].value[:1] == "'":
            value = "X"  # a blob literal x'00ff'
        elif _is_keyword_token(tokens, i) and _in_cast_type(tokens, i):
            value = value.upper()  # CAST(x AS integer): sqlparser writes the type upper-case
        elif _is_keyword_token(tokens, i):
            lower = value.lower()
            if lower in _SQLITE_RENAMED and (lower != "substr" or _next_value(tokens, i) == "("):
                value = _SQLITE_RENAMED[lower]
            elif value.upper() in _SQLITE_KEYWORDS:
                value = value.upper()
        if t.kind is Kind.WHITESPACE:
            # sqlparser writes `USING(id)` and one space elsewhere; the layout ignores the rest.
            previous = tokens[i - 1].value.upper() if i else ""
            value = "" if previous == "USING" and _next_value(tokens, i) == "(" else " "
        out.append(value)
    return "".join(out).strip() + ";"


def _next_value(tokens: list[Token], i: int) -> str:
    for t in tokens[i + 1:]:
        if t.kind is not Kind.WHITESPACE:
            return t.value
    return ""


def _in_cast_type(tokens: list[Token], i: int) -> bool:
    """Whether token `i` is the type of a `CAST(... AS type)`: after AS, inside CAST's parentheses."""
    j = i - 1
    while j >= 0 and tokens[j].kind is Kind.WHITESPACE:
        j -= 1
    if j < 0 or tokens[j].value.upper() != "AS":
        return False
    depth = 0
    for k in range(j - 1, -1, -1):
        v = tokens[k].value
        if v == ")":
            depth += 1
        elif v == "(":
            if depth == 0:
                m = k - 1
                while m >= 0 and tokens[m].kind is Kind.WHITESPACE:
                    m -= 1
                return m >= 0 and tokens[m].value.upper() == "CAST"
            depth -= 1
    return False
