"""Prisma 7.10.1's test of whether two PostgreSQL partial-index predicates are the same.

Prisma's schema engine (`pg_predicates_semantically_equal`, prisma-engines 7.10.1) compares two
predicate texts this way:

1. equal texts are equal;
2. otherwise both are parsed with sqlparser's PostgreSQL dialect as one expression, in the
   parentheses the engine keeps and renders a predicate in (`parenthesized`; a text that does
   not parse is different from any other text: `n > 3 -- note` comments out the closing
   parenthesis; what follows a complete expression is ignored, as `Parser::parse_expr` ignores
   it);
3. every grouping parenthesis (`Expr::Nested`) is removed;
4. the trees are compared node by node: identifiers equal when one is quoted and the other is
   not and the name would parse unquoted as that identifier (`"Abc"` = `Abc`, `"select"` !=
   `select`); a literal equals the same literal with one `::type` cast (`'x'` = `'x'::text`), a
   `::` cast of a `::` cast equals what the outer cast wraps; binary and unary operators, IS
   [NOT] NULL/TRUE/FALSE, BETWEEN and casts are compared by their parts; every other node (a
   function call, IN (...), LIKE, ANY (...)...) must be equal as parsed (`lower(t)` != `LOWER(t)`,
   `t LIKE 'x'` != `t ~~ 'x'`, `t IN ('a')` != `t IN ('a'::text)`).

Lamina uses this where Prisma's `migrate diff` compares two schemas, so that its script is
Prisma's byte for byte. Against a database, whose predicates PostgreSQL has rewritten,
`lamina.sql.predicates.pg_key` decides too (see `PostgresDialect.predicates_match`).

The parser below builds tuples shaped like sqlparser's `Expr` nodes (equal tuples where
sqlparser's trees are equal), with sqlparser's PostgreSQL operator precedences.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Keywords sqlparser's PostgreSQL dialect does not take as a bare identifier.
_RESERVED = frozenset("""
all analyze and any array as asc asymmetric authorization binary both case cast check collate collation column
concurrently constraint create cross current_catalog current_date current_role current_schema current_time
current_timestamp current_user deferrable desc distinct do else end except exists false fetch for foreign freeze
from full grant group having ilike in initially inner intersect into is join lateral leading left like limit
localtime localtimestamp natural not notnull null offset on only or order outer overlaps placing primary
references returning right select session_user similar some symmetric system_user table tablesample then to
trailing true union unique user using variadic verbose when where window with
""".split())
# Words sqlparser reads as a data type (case-insensitive); any other type name is a custom one.
_TYPE_WORDS = frozenset("""
bool boolean float real float4 float8 double precision smallint int int2 int4 int8 integer bigint numeric decimal
dec varchar character char varying text bytea uuid date time timestamp timestamptz timetz interval json jsonb
bit varbit money regclass string blob clob binary varbinary datetime
""".split())

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+|--[^\n]*|/\*(?:[^*]|\*(?!/))*\*/)
    | (?P<estr>[Ee]'(?:[^'\\]|\\.|'')*')
    | (?P<nstr>[Nn]'(?:[^']|'')*')
    | (?P<xstr>[Xx]'[^']*')
    | (?P<bstr>[Bb]'[^']*')
    | (?P<str>'(?:[^']|'')*')
    | (?P<dollar>\$(?P<tag>[A-Za-z_]\w*)?\$.*?\$(?P=tag)?\$)
    | (?P<qid>"(?:[^"]|"")*")
    | (?P<num>(?:\d[\d_]*(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)
    | (?P<word>[^\W\d]\w*(?:\$\w*)*)
    | (?P<op>->>|\#>>|!~~\*|~~\*|!~~|!~\*|~~|!~|~\*|<>|!=|<=|>=|<<|>>|\|\||->|\#>|@>|<@|\?\||\?&|@@|&&|::|[-+*/%<>=~!@\#^&|?,.()\[\]:;])
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_COMPARISONS = {"=", "<", ">", "<=", ">=", "<>", "!="}
_PG_OTHER = {"->", "->>", "#>", "#>>", "@>", "<@", "?", "?|", "?&", "@@", "&&", "!", "||", "#", "<<", ">>", "|", "&"}
_TILDES = {"~", "~*", "!~", "!~*", "~~", "~~*", "!~~", "!~~*"}


class ParseError(Exception):
    pass


def _tokens(text: str) -> list[tuple[str, str]]:
    out = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup if m.lastgroup not in (None, "tag") else "dollar"
        if kind == "ws":
            continue
        value = m.group(kind)
        if kind == "other" and value in "'\"$":
            raise ParseError(f"unterminated {value}")
        out.append((kind, value))
    return out


def _literal(kind: str, text: str) -> tuple:
    """A string or number token as a value node; `E'x'` and `e'x'` are one literal."""
    return ("value", kind, text[1:] if kind in ("estr", "nstr", "xstr", "bstr") else text)


def _ident(kind: str, text: str) -> tuple:
    if kind == "qid":
        return ("ident", text[1:-1].replace('""', '"'), True)
    return ("ident", text, False)


class _Parser:
    def __init__(self, text: str) -> None:
        self.toks = _tokens(text)
        self.i = 0

    # ---- tokens
    def peek(self, k: int = 0) -> tuple[str, str]:
        j = self.i + k
        return self.toks[j] if j < len(self.toks) else ("eof", "")

    def next(self) -> tuple[str, str]:
        tok = self.peek()
        self.i += 1
        return tok

    def word(self, k: int = 0) -> str | None:
        kind, text = self.peek(k)
        return text.lower() if kind == "word" else None

    def is_op(self, text: str, k: int = 0) -> bool:
        return self.peek(k) == ("op", text)

    def expect_op(self, text: str) -> None:
        if not self.is_op(text):
            raise ParseError(f"expected {text}")
        self.i += 1

    def expect_word(self, text: str) -> None:
        if self.word() != text:
            raise ParseError(f"expected {text}")
        self.i += 1

    # ---- expressions
    def expr(self, prec: int = 0) -> tuple:
        left = self.prefix()
        while True:
            nxt = self.next_prec()
            if nxt <= prec:
                return left
            left = self.infix(left, nxt)

    def next_prec(self) -> int:
        kind, text = self.peek()
        if kind == "word":
            w = text.lower()
            if w == "not":
                after = self.word(1)
                return 60 if after in ("in", "between", "like", "ilike", "similar") else 0
            return {"or": 10, "and": 20, "xor": 75, "is": 40, "notnull": 40, "in": 60, "between": 60, "like": 60,
                    "ilike": 60, "similar": 60, "collate": 120}.get(w, 110 if w == "at" and self.word(1) == "time" else 0)
        if kind != "op":
            return 0
        if text in _COMPARISONS or text in _TILDES:
            return 50
        if text in ("+", "-"):
            return 80
        if text in ("*", "/", "%"):
            return 90
        if text == "^":
            return 100
        if text == "::":
            return 140
        if text == "[":
            return 130
        return 70 if text in _PG_OTHER else 0

    def infix(self, left: tuple, prec: int) -> tuple:
        kind, text = self.next()
        if kind == "op":
            if text == "::":
                return ("cast", "::", left, self.data_type())
            if text == "[":
                index = self.expr()
                self.expect_op("]")
                return ("subscript", left, index)
            op = "<>" if text == "!=" else text
            quantifier = self.word()
            if quantifier in ("any", "all", "some") and self.is_op("(", 1):
                self.i += 2
                right = self.expr(prec)
                self.expect_op(")")
                return ("all" if quantifier == "all" else "any", op, quantifier == "some", left, right)
            return ("binop", op, left, self.expr(prec))
        w = text.lower()
        if w in ("and", "or", "xor"):
            return ("binop", w, left, self.expr(prec))
        if w == "notnull":
            return ("is", "not null", left)
        if w == "is":
            negated = self.word() == "not"
            self.i += negated
            what = self.word()
            if what in ("null", "true", "false", "unknown"):
                self.i += 1
                return ("is", ("not " if negated else "") + what, left)
            if what == "distinct" and self.word(1) == "from":
                self.i += 2
                return ("distinct", negated, left, self.expr())
            raise ParseError("IS what?")
        if w == "at":
            self.expect_word("time")
            self.expect_word("zone")
            return ("at time zone", left, self.expr(prec))
        if w == "collate":
            return ("collate", left, self.object_name())
        negated = w == "not"
        if negated:
            w = self.next()[1].lower()
        if w == "in":
            self.expect_op("(")
            if self.word() in ("select", "with"):
                raise ParseError("subquery")
            items = self.list_until(")")
            return ("in", negated, left, items)
        if w == "between":
            low = self.expr(60)
            self.expect_word("and")
            return ("between", negated, left, low, self.expr(60))
        if w in ("like", "ilike", "similar"):
            if w == "similar":
                self.expect_word("to")
            pattern = self.expr(60)
            escape = None
            if self.word() == "escape":
                self.i += 1
                escape = _literal(*self.next())
            return ("like", w, negated, left, pattern, escape)
        raise ParseError(f"unexpected {text}")

    def list_until(self, close: str) -> tuple:
        items = []
        if not self.is_op(close):
            items.append(self.expr())
            while self.is_op(","):
                self.i += 1
                items.append(self.expr())
        self.expect_op(close)
        return tuple(items)

    def prefix(self) -> tuple:
        kind, text = self.next()
        if kind == "num":
            return ("value", "number", text)
        if kind in ("str", "dollar", "estr", "nstr", "xstr", "bstr"):
            return _literal(kind, text)
        if kind == "op":
            if text == "(":
                if self.word() in ("select", "with"):
                    raise ParseError("subquery")
                inner = self.expr()
                if self.is_op(","):
                    self.i += 1
                    return ("tuple", (inner, *self.list_until(")")))
                self.expect_op(")")
                return ("nested", inner)
            if text in ("-", "+"):
                return ("unop", text, self.expr(90))
            if text in ("~", "!!", "@", "|/", "||/"):
                return ("unop", text, self.expr(80))
            raise ParseError(f"unexpected {text}")
        if kind == "qid":
            return self.name_expr(_ident(kind, text))
        if kind != "word":
            raise ParseError(f"unexpected {text}")
        w = text.lower()
        if w in ("true", "false"):
            return ("value", "bool", w)
        if w == "null":
            return ("value", "null", "")
        if w in ("current_catalog", "current_user", "session_user", "user"):
            return ("func", (("ident", text, False),), None)
        if w in ("current_timestamp", "current_time", "current_date", "localtime", "localtimestamp"):
            args = None
            if self.is_op("("):
                self.i += 1
                args = self.list_until(")")
            return ("func", (("ident", text, False),), args)
        if w == "not":
            return ("unop", "not", self.expr(30))
        if w in ("cast", "try_cast", "safe_cast"):
            self.expect_op("(")
            inner = self.expr()
            self.expect_word("as")
            data_type = self.data_type()
            self.expect_op(")")
            return ("cast", w, inner, data_type)
        if w == "case":
            return self.case()
        if w == "position" and self.is_op("("):  # POSITION(x IN y)
            self.i += 1
            needle = self.expr(60)
            self.expect_word("in")
            haystack = self.expr()
            self.expect_op(")")
            return ("position", needle, haystack)
        if w == "array" and self.is_op("["):
            self.i += 1
            return ("array", True, self.list_until("]"))
        if w in _TYPE_WORDS:  # DATE '2024-01-01', TIMESTAMP '...': a typed string
            start = self.i
            self.i -= 1
            try:
                data_type = self.data_type()
                if self.peek()[0] in ("str", "estr", "nstr", "dollar"):
                    return ("typed", data_type, _literal(*self.next()))
            except ParseError:
                pass
            self.i = start
        if w in _RESERVED and not self.is_op("("):  # a function may have a reserved name: left(t, 2)
            raise ParseError(f"{text} is reserved")
        return self.name_expr(_ident(kind, text))

    def name_expr(self, first: tuple) -> tuple:
        parts = [first]
        while self.is_op(".") and self.peek(1)[0] in ("word", "qid"):
            self.i += 1
            parts.append(_ident(*self.next()))
        if self.is_op("("):
            self.i += 1
            distinct = None
            if self.word() in ("distinct", "all"):
                distinct = self.next()[1].lower()
            if self.is_op("*") and self.is_op(")", 1):
                self.i += 2
                return ("func", tuple(parts), (distinct, ("*",)))
            return ("func", tuple(parts), (distinct, self.list_until(")")))
        return parts[0] if len(parts) == 1 else ("compound", tuple(parts))

    def case(self) -> tuple:
        operand = None if self.word() == "when" else self.expr()
        whens = []
        while self.word() == "when":
            self.i += 1
            cond = self.expr()
            self.expect_word("then")
            whens.append((cond, self.expr()))
        other = None
        if self.word() == "else":
            self.i += 1
            other = self.expr()
        self.expect_word("end")
        return ("case", operand, tuple(whens), other)

    def object_name(self) -> tuple:
        kind, text = self.next()
        if kind not in ("word", "qid"):
            raise ParseError("expected a name")
        parts = [_ident(kind, text)]
        while self.is_op(".") and self.peek(1)[0] in ("word", "qid"):
            self.i += 1
            parts.append(_ident(*self.next()))
        return tuple(parts)

    def data_type(self) -> tuple:
        """A type name as sqlparser tells them apart: keywords in any case (`int` != `integer`),
        other names as written, modifiers, `[]`s."""
        kind, text = self.peek()
        if kind == "word" and text.lower() in _TYPE_WORDS:
            words: list = []
            while self.word() is not None and (self.word() in _TYPE_WORDS or self.word() in ("with", "without", "zone")):
                w = self.word()
                if w in ("with", "without") and self.word(1) != "time":
                    break
                words.append(self.next()[1].upper())
                if self.is_op("("):  # varchar(10), timestamp(3) with time zone
                    self.i += 1
                    words.append(tuple(t for _k, t in self.modifiers()))
            name: tuple = ("builtin", tuple(words))
        else:
            name = ("custom", self.object_name())
            if self.is_op("("):
                self.i += 1
                name += (tuple(t for _k, t in self.modifiers()),)
        arrays = 0
        while self.is_op("[") and self.is_op("]", 1):
            self.i += 2
            arrays += 1
        return (name, arrays)

    def modifiers(self) -> list[tuple[str, str]]:
        out = []
        while not self.is_op(")"):
            tok = self.next()
            if tok[0] == "eof":
                raise ParseError("unclosed type modifier")
            if tok != ("op", ","):
                out.append(tok)
        self.i += 1
        return out


@lru_cache(maxsize=1024)
def parse(text: str) -> tuple | None:
    """The expression `text` starts with, grouping parentheses removed; None if it does not parse."""
    try:
        return _strip_nested(_Parser(text).expr())
    except (ParseError, RecursionError):
        return None


def _strip_nested(node):
    """Every `Expr::Nested` replaced by what it holds, all the way down."""
    if not isinstance(node, tuple):
        return node
    if node and node[0] == "nested":
        return _strip_nested(node[1])
    return tuple(_strip_nested(part) for part in node)


def _plain_identifier(name: str) -> bool:
    """Whether `name`, written unquoted, parses as that identifier."""
    try:
        parsed = _Parser(name).expr()
    except ParseError:
        return False
    return parsed == ("ident", name, False)


def _idents_equal(a: tuple, b: tuple) -> bool:
    return a == b or (a[1] == b[1] and a[2] != b[2] and _plain_identifier(a[1]))


def _is(node, kind: str) -> bool:
    return isinstance(node, tuple) and bool(node) and node[0] == kind


def _equal(a: tuple, b: tuple) -> bool:
    if a == b:
        return True
    ka, kb = a[0], b[0]
    if ka == kb == "ident":
        return _idents_equal(a, b)
    if ka == kb == "compound":
        return len(a[1]) == len(b[1]) and all(_idents_equal(x, y) for x, y in zip(a[1], b[1]))
    for x, y in ((a, b), (b, a)):  # a literal and the same literal with one `::` cast
        if x[0] == "value" and _is(y, "cast") and y[1] == "::" and y[2] == x:
            return True
    for x, y in ((a, b), (b, a)):  # `::` around a `::`: compare with what the outer cast wraps
        if _is(y, "cast") and y[1] == "::" and _is(y[2], "cast") and y[2][1] == "::":
            return _equal(x, y[2])
    if ka != kb:
        return False
    if ka == "binop":
        return a[1] == b[1] and _equal(a[2], b[2]) and _equal(a[3], b[3])
    if ka == "unop":
        return a[1] == b[1] and _equal(a[2], b[2])
    if ka == "is":
        return a[1] == b[1] and "unknown" not in a[1] and _equal(a[2], b[2])
    if ka == "between":
        return a[1] == b[1] and all(_equal(x, y) for x, y in zip(a[2:], b[2:]))
    if ka == "cast":
        return a[1] == b[1] and a[3] == b[3] and _equal(a[2], b[2])
    return False


def parenthesized(predicate: str) -> str:
    """The predicate as Prisma keeps it and writes it after WHERE: in parentheses, unless it
    starts with `(` and ends with `)` already (`(a) AND (b)` too, as Prisma 7.10.1 does)."""
    return predicate if predicate.startswith("(") and predicate.endswith(")") else f"({predicate})"


def prisma_equal(a: str, b: str) -> bool:
    """Whether Prisma 7.10.1 takes PostgreSQL predicates `a` and `b` for the same (module doc)."""
    a, b = parenthesized(a), parenthesized(b)
    if a == b:
        return True
    ta, tb = parse(a), parse(b)
    return ta is not None and tb is not None and _equal(ta, tb)
