"""The query blocks of a MySQL/MariaDB view definition or trigger body, and the tables each
reads: what a bare column name (`name`) or an alias (`u.name`) refers to, as the server
resolves it.

A block is a SELECT, INSERT, REPLACE, UPDATE or DELETE; a subquery is a block inside the one
around it (a correlated name reaches out to it), a UNION's SELECTs are blocks side by side, and
the SELECT of an INSERT ... SELECT is inside the INSERT. A block's sources are the tables of
its FROM, JOIN, UPDATE, INTO and USING lists, each under its alias, with its columns as the
database has them before the migration (unknown for a derived table, a CTE or a table of
another database). A trigger's statements sit in a `body` block that reads nothing; the local
variables it DECLAREs are noted (MySQL reads such a name as the variable, not the column).

Only the structure a name's meaning depends on is read; everything else is expression.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from lamina.dialects.mysql.lexer import Kind, Token, tokenize

# MySQL 8's reserved words (never a bare column name, nor an alias), and the words of trigger
# bodies that start or join clauses although MySQL does not reserve them.
KEYWORDS = frozenset("""
    ACCESSIBLE ADD ALL ALTER ANALYZE AND AS ASC ASENSITIVE BEFORE BETWEEN BIGINT BINARY BLOB BOTH BY CALL
    CASCADE CASE CHANGE CHAR CHARACTER CHECK COLLATE COLUMN CONDITION CONSTRAINT CONTINUE CONVERT CREATE CROSS
    CUBE CURRENT_DATE CURRENT_TIME CURRENT_TIMESTAMP CURRENT_USER CURSOR DATABASE DATABASES DAY_HOUR
    DAY_MICROSECOND DAY_MINUTE DAY_SECOND DEC DECIMAL DECLARE DEFAULT DELAYED DELETE DESC DESCRIBE
    DETERMINISTIC DISTINCT DISTINCTROW DIV DOUBLE DROP DUAL EACH ELSE ELSEIF ENCLOSED ESCAPED EXCEPT EXISTS
    EXIT EXPLAIN FALSE FETCH FLOAT FOR FORCE FOREIGN FROM FULLTEXT FUNCTION GENERATED GET GRANT GROUP GROUPING
    GROUPS HAVING HIGH_PRIORITY HOUR_MICROSECOND HOUR_MINUTE HOUR_SECOND IF IGNORE IN INDEX INFILE INNER INOUT
    INSENSITIVE INSERT INT INTEGER INTERSECT INTERVAL INTO IS ITERATE JOIN KEY KEYS KILL LATERAL LEADING LEAVE
    LEFT LIKE LIMIT LINEAR LINES LOAD LOCALTIME LOCALTIMESTAMP LOCK LONG LONGBLOB LONGTEXT LOOP LOW_PRIORITY
    MATCH MAXVALUE MEDIUMBLOB MEDIUMINT MEDIUMTEXT MOD MODIFIES NATURAL NOT NO_WRITE_TO_BINLOG NULL NUMERIC
    OF ON OPTIMIZE OPTION OPTIONALLY OR ORDER OUT OUTER OUTFILE OVER PARTITION PRECISION PRIMARY PROCEDURE
    PURGE RANGE READ READS READ_WRITE REAL RECURSIVE REFERENCES REGEXP RELEASE RENAME REPEAT REPLACE REQUIRE
    RESIGNAL RESTRICT RETURN RETURNING REVOKE RIGHT RLIKE ROW ROWS SCHEMA SCHEMAS SECOND_MICROSECOND SELECT
    SENSITIVE SEPARATOR SET SHOW SIGNAL SMALLINT SPATIAL SPECIFIC SQL SQLEXCEPTION SQLSTATE SQLWARNING
    SQL_BIG_RESULT SQL_CALC_FOUND_ROWS SQL_SMALL_RESULT SSL STARTING STORED STRAIGHT_JOIN TABLE TERMINATED
    THEN TINYBLOB TINYINT TINYTEXT TO TRAILING TRIGGER TRUE UNDO UNION UNIQUE UNLOCK UNSIGNED UPDATE USAGE
    USE USING UTC_DATE UTC_TIME UTC_TIMESTAMP VALUES VARBINARY VARCHAR VARYING VIRTUAL WHEN WHERE WHILE WINDOW
    WITH WRITE XOR YEAR_MONTH ZEROFILL
    BEGIN DO DUPLICATE OFFSET QUICK UNTIL VALUE
""".split())

_STATEMENTS = frozenset({"SELECT", "INSERT", "REPLACE", "UPDATE", "DELETE"})
_TABLE_MODIFIERS = frozenset({"LOW_PRIORITY", "DELAYED", "HIGH_PRIORITY", "IGNORE", "INTO", "QUICK", "LATERAL"})
_ENDS_TABLE_LIST = frozenset({"WHERE", "SET", "GROUP", "ORDER", "HAVING", "LIMIT", "WINDOW", "VALUES", "VALUE",
                              "UNION", "INTERSECT", "EXCEPT", "RETURNING", "FOR", "LOCK"})
_SET_OPERATORS = frozenset({"UNION", "INTERSECT", "EXCEPT"})


class Role(enum.Enum):
    TABLE = enum.auto()  # a table in a FROM/JOIN/UPDATE/INTO/USING list, or a DELETE target
    DATABASE = enum.auto()  # the database before a table's name
    NAME = enum.auto()  # an alias, a CTE, a variable being declared or selected INTO: never a column
    JOIN_COLUMN = enum.auto()  # a column of `JOIN ... USING (...)`: of both tables at once


@dataclass(eq=False)
class Source:
    name: str  # how the block names it: its alias, else its table
    table: str | None  # the table (or view) it reads; None: a derived table
    columns: frozenset[str] | None  # lower-case; None: not known


@dataclass(eq=False)
class Block:
    parent: Block | None
    kind: str  # "body", "select", "insert", "update", "delete"
    depth: int  # the parenthesis depth of its own clauses
    derived: bool = False  # a derived table's or a CTE's SELECT: its select list names columns
    sources: list[Source] = field(default_factory=list)
    table_depths: set[int] = field(default_factory=set)  # `depth`, and the join parentheses in it
    in_tables: bool = False  # in a table list, where a comma starts another table
    clause: str = ""
    aliases: set[str] = field(default_factory=set)  # of its select list, lower-case

    def chain(self) -> Iterator[Block]:
        """This block, then the blocks around it (where a correlated name is found)."""
        block: Block | None = self
        while block is not None:
            yield block
            block = block.parent


@dataclass
class Structure:
    tokens: list[Token]  # every token, spaces and comments too
    at: list[int]  # the index in `tokens` of each significant token
    significant: list[Token]
    blocks: list[Block]  # the block of each significant token
    clauses: list[str]  # the clause of its block at each significant token
    roles: dict[int, Role]  # by significant position; missing: part of an expression
    declared: set[str]  # local variables of a trigger body, lower-case

    def word(self, p: int) -> str:
        return self.significant[p].word if 0 <= p < len(self.significant) else ""

    def text(self, p: int) -> str:
        return self.significant[p].text if 0 <= p < len(self.significant) else ""

    def ends_value(self, p: int) -> bool:
        """The token at `p` ends a value: a name after it is an alias (`count(*) n`, `t u`)."""
        if not 0 <= p < len(self.significant):
            return False
        token = self.significant[p]
        return (token.kind in (Kind.NUMBER, Kind.STRING, Kind.QUOTED, Kind.VARIABLE) or token.text == ")"
                or (token.kind is Kind.WORD and token.word not in KEYWORDS))

    def is_name(self, p: int) -> bool:
        """An identifier that is not a keyword: a table, column, alias or variable."""
        if not 0 <= p < len(self.significant):
            return False
        token = self.significant[p]
        return token.kind is Kind.QUOTED or (token.kind is Kind.WORD and token.word not in KEYWORDS)


def read(sql: str, database: str, known: Mapping[str, frozenset[str]]) -> Structure:
    """The blocks of `sql`. `known`: the columns of each table and view of `database`."""
    tokens = tokenize(sql)
    at = [i for i, t in enumerate(tokens) if t.kind not in (Kind.SPACE, Kind.COMMENT)]
    reader = _Reader(Structure(tokens, at, [tokens[i] for i in at], [], [], {}, set()), database, known)
    reader.run()
    return reader.s


class _Reader:
    def __init__(self, s: Structure, database: str, known: Mapping[str, frozenset[str]]) -> None:
        self.s, self.database, self.known = s, database, known
        self.body = Block(None, "body", 0)
        self.block = self.body
        self.depth = 0
        self.parens: list[str] = []  # each open parenthesis: "derived", "cte", "join", "using" or "expression"
        self.expect_table = False
        self.ctes: set[str] = set()
        s.blocks = [self.body] * len(s.significant)
        s.clauses = [""] * len(s.significant)

    def run(self) -> None:
        p = 0
        while p < len(self.s.significant):
            self.s.blocks[p], self.s.clauses[p] = self.block, self.block.clause
            p = self._step(p)

    def _step(self, p: int) -> int:
        """Read the significant token at `p`; the position of the next one to read."""
        s, text, word = self.s, self.s.text(p), self.s.word(p)
        if self.expect_table:
            if word in _TABLE_MODIFIERS:
                return p + 1
            self.expect_table = False
            if s.is_name(p):
                return self._table(p)
            if text == "(":
                inner = "derived" if s.word(p + 1) in ("SELECT", "WITH") else "join"
                self.expect_table = inner == "join"
                return self._open(p, inner)
        if text == "(":
            kind = ("using" if s.word(p - 1) == "USING"
                    else "cte" if s.word(p - 1) == "AS" and s.word(p + 1) in ("SELECT", "WITH") else "expression")
            return self._open(p, kind)
        if text == ")":
            return self._close(p)
        if text == ";":
            self.block, self.depth, self.parens, self.expect_table = self.body, 0, [], False
            self.body.clause = ""  # FETCH ... INTO ended
            return p + 1
        if text == "," and self._at_table_level() and self.block.in_tables:
            self.expect_table = True
            return p + 1
        if self.parens and self.parens[-1] == "using" and s.is_name(p):
            s.roles[p] = Role.JOIN_COLUMN
            return p + 1
        if word in _STATEMENTS and s.text(p + 1) != "(":  # REPLACE( INSERT( are functions
            return self._statement(p, word)
        if word == "WITH":
            return self._ctes(p)
        if word == "DECLARE" and self.block is self.body:
            return self._declare(p)
        if self._at_table_level():
            return self._clause(p, word)
        return p + 1

    def _at_table_level(self) -> bool:
        return self.depth == self.block.depth or self.depth in self.block.table_depths

    def _clause(self, p: int, word: str) -> int:
        """A keyword at the level of the block's own clauses."""
        block, s = self.block, self.s
        if word == "FROM":
            block.clause, block.in_tables, self.expect_table = "from", True, True
        elif word in ("JOIN", "STRAIGHT_JOIN"):
            block.clause, block.in_tables, self.expect_table = "from", True, True
        elif word == "USING" and s.text(p + 1) != "(":  # DELETE FROM t USING t JOIN u
            block.clause, block.in_tables, self.expect_table = "from", True, True
        elif word == "ON" and block.clause == "from":
            block.clause = "on"
        elif word == "INTO":
            block.clause = "into"  # SELECT ... INTO variables (INSERT's INTO is read with its table)
        elif word == "AS" and block.clause == "select" and s.is_name(p + 1):
            s.roles[p + 1] = Role.NAME  # a select-list alias
            block.aliases.add(s.significant[p + 1].name.lower())
        elif (block.clause == "select" and s.is_name(p) and s.ends_value(p - 1)
              and s.text(p + 1) not in ("(", ".")):
            s.roles[p] = Role.NAME  # an alias without AS
            block.aliases.add(s.significant[p].name.lower())
        elif word in _ENDS_TABLE_LIST:
            block.clause, block.in_tables = word.lower(), False
        elif block.clause == "into" and s.is_name(p):
            s.roles[p] = Role.NAME
        elif block.clause == "delete" and s.is_name(p):
            s.roles[p] = Role.TABLE  # DELETE t FROM t JOIN u
        return p + 1

    def _statement(self, p: int, word: str) -> int:
        """SELECT, INSERT, REPLACE, UPDATE, DELETE: a new block, where it belongs."""
        block, s = self.block, self.s
        if word == "UPDATE" and s.word(p - 1) == "FOR":  # SELECT ... FOR UPDATE: a lock, no statement
            return p + 1
        if word == "UPDATE" and s.word(p - 1) == "KEY":  # INSERT ... ON DUPLICATE KEY UPDATE
            while block.kind == "select" and block.parent is not None and block.depth == self.depth:
                block = block.parent
            self.block, block.clause, block.in_tables = block, "set", False
            return p + 1
        previous = s.word(p - 1) if s.word(p - 1) not in ("ALL", "DISTINCT") else s.word(p - 2)
        if s.text(p - 1) == "(":  # a subquery, a derived table's or a CTE's query
            parent, derived = block, bool(self.parens) and self.parens[-1] in ("derived", "cte")
        elif previous in _SET_OPERATORS and block.kind == "select" and block.parent is not None:
            parent, derived = block.parent, block.derived  # a UNION's next SELECT
        else:  # a statement of the body, the SELECT of INSERT ... SELECT
            parent, derived = block, False
        self.block = Block(parent, "insert" if word == "REPLACE" else word.lower(), self.depth, derived)
        self.block.table_depths.add(self.depth)
        self.block.clause = {"select": "select", "delete": "delete"}.get(self.block.kind, "")
        if word in ("INSERT", "REPLACE", "UPDATE"):
            self.expect_table = True
            self.block.in_tables = word == "UPDATE"
            self.block.clause = "update" if word == "UPDATE" else "into_table"
        return p + 1

    def _table(self, p: int) -> int:
        """A table named in a table list, with its database and its alias."""
        s = self.s
        database = None
        if s.text(p + 1) == "." and s.is_name(p + 2):
            database = s.significant[p].name
            s.roles[p] = Role.DATABASE
            p += 2
        table = s.significant[p].name
        s.roles[p] = Role.TABLE
        q = p + 1
        q += s.word(q) == "AS"
        alias = None
        if s.is_name(q) and s.text(q + 1) != "(":
            alias = s.significant[q].name
            s.roles[q] = Role.NAME
            q += 1
        ours = database in (None, self.database) and table not in self.ctes
        self.block.sources.append(Source(alias or table, table, self.known.get(table) if ours else None))
        for i in range(p, q):
            s.blocks[i], s.clauses[i] = self.block, self.block.clause
        return q

    def _open(self, p: int, kind: str) -> int:
        self.parens.append(kind)
        self.depth += 1
        if kind == "join":
            self.block.table_depths.add(self.depth)
        return p + 1

    def _close(self, p: int) -> int:
        if not self.parens:  # not SQL the server took: nothing to read in it
            return p + 1
        kind = self.parens.pop()
        self.depth -= 1
        while self.block.depth > self.depth and self.block.parent is not None:
            self.block = self.block.parent
        if kind == "join":
            self.block.table_depths.discard(self.depth + 1)
        if kind == "cte" and self.s.text(p + 1) == ",":  # WITH a AS (...), b AS (...)
            return self._cte_name(p + 2)
        if kind != "derived":
            return p + 1
        s, q = self.s, p + 1  # a derived table: its alias
        q += s.word(q) == "AS"
        if s.is_name(q):
            s.roles[q] = Role.NAME
            self.block.sources.append(Source(s.significant[q].name, None, None))
            return q + 1
        return p + 1

    def _ctes(self, p: int) -> int:
        """WITH [RECURSIVE] name [(columns)] AS (...), ...: tables of no known columns."""
        return self._cte_name(p + 1 + (self.s.word(p + 1) == "RECURSIVE"))

    def _cte_name(self, q: int) -> int:
        """A CTE's name and its column names, if any; its query is read as any other."""
        s = self.s
        if not s.is_name(q):
            return q
        self.ctes.add(s.significant[q].name)
        s.roles[q] = Role.NAME
        if s.text(q + 1) == "(":
            q += 2
            while q < len(s.significant) and s.text(q) != ")":
                s.roles[q] = Role.NAME
                q += 1
        return q + 1

    def _declare(self, p: int) -> int:
        """DECLARE a, b INT: local variables (not CONTINUE/EXIT HANDLER, nor a CONDITION's name)."""
        s, q = self.s, p + 1
        while s.is_name(q) and s.word(q) not in ("CONTINUE", "EXIT", "UNDO"):
            s.declared.add(s.significant[q].name.lower())
            s.roles[q] = Role.NAME
            if s.text(q + 1) != ",":
                break
            q += 2
        return q + 1
