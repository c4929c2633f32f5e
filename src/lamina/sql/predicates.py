"""Partial index predicates (`WHERE ...` of an index) compared the way the database keeps them.

PostgreSQL does not store the text it was given: `"published" = true` comes back from
`pg_get_expr` as `(published = true)`, `status = 'active'` as `(status = 'active'::"Status")`,
`a != 1 AND b` as `((a <> 1) AND b)`, `t LIKE 'x%'` as `(t ~~ 'x%'::text)`,
`n IN (1, 2)` as `(n = ANY (ARRAY[1, 2]))`, `n BETWEEN 1 AND 3` as `((n >= 1) AND (n <= 3))`,
`f = -1.5` as `(f = ('-1.5'::numeric)::double precision)`. Comparing texts would drop and
re-create every partial index on each `migrate dev` (a phantom migration), so both sides are
reduced to a key (`pg_key`) of what they mean: the expression tree
(`lamina.sql.pg_predicate_ast.parse`) without grouping parentheses and casts, unquoted names
and function names in lower case, `AND`/`OR` chains flattened, and PostgreSQL's rewrites
applied (`!=`, `LIKE`, `IN`, `BETWEEN`, negative numbers, date and time literals). Operator
precedence stays: `a AND (b OR c)` and `a AND b OR c` have different keys. A text the parser
does not know is reduced token by token instead (`_token_key`).

This key decides where a database is compared (`PostgresDialect.predicates_match`); Prisma
7.10.1's own, narrower rule (`lamina.sql.pg_predicate_ast.prisma_equal`) decides between two
schemas, and counts as the same against a database too.

SQLite keeps the `CREATE INDEX` text as written, and Prisma compares its predicates as text:
the key is the text itself.
"""

from __future__ import annotations

import re

_TOKEN = re.compile(
    r"""
    \s+
    | (?P<str>[EeNn]?'(?:[^']|'')*')
    | (?P<qid>"(?:[^"]|"")*")
    | (?P<num>\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|\.\d+)
    | (?P<word>[A-Za-z_][A-Za-z0-9_$]*)
    | (?P<cast>::)
    | (?P<op><>|!=|<=|>=|~~\*|!~~\*|!~~|~~|\|\||[-+*/%<>=~!@#^&|`?,.\[\]])
    | (?P<open>\()
    | (?P<close>\))
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_PLAIN_NAME = re.compile(r"[a-z_][a-z0-9_$]*\Z")
_OPERATORS = {"!=": "<>", "like": "~~", "ilike": "~~*"}
# Type names that may follow `::` as several words (`::timestamp without time zone`).
_TYPE_WORDS = {"without", "with", "time", "zone", "varying", "precision", "double", "character"}


def _tokens(text: str) -> list[tuple[str, str]]:
    out = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind is None:
            continue
        out.append((kind, m.group(kind)))
    return out


def _closing(tokens: list[tuple[str, str]], open_at: int) -> int:
    """The index of the `)` matching the `(` at `open_at` (len(tokens) when unbalanced)."""
    depth = 0
    for k in range(open_at, len(tokens)):
        if tokens[k][0] == "open":
            depth += 1
        elif tokens[k][0] == "close":
            depth -= 1
            if depth == 0:
                return k
    return len(tokens)


def _drop_casts(tokens: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Removes `::type` (with `(n)`, `[]` and multi-word names)."""
    out: list[tuple[str, str]] = []
    i = 0
    while i < len(tokens):
        kind, text = tokens[i]
        if kind != "cast":
            out.append(tokens[i])
            i += 1
            continue
        i += 1  # the type name: a word or a quoted name, maybe schema-qualified
        while i < len(tokens):
            k, t = tokens[i]
            if k in ("word", "qid") or (k == "op" and t == "."):
                i += 1
                while i < len(tokens) and tokens[i][0] == "word" and tokens[i][1].lower() in _TYPE_WORDS:
                    i += 1
                if i < len(tokens) and tokens[i] == ("op", "."):
                    continue
                break
            break
        if i < len(tokens) and tokens[i][0] == "open":  # `varchar(10)`: a type modifier
            i = _closing(tokens, i) + 1
        while i + 1 < len(tokens) and tokens[i] == ("op", "[") and tokens[i + 1] == ("op", "]"):
            i += 2
    return out


def _in_lists(tokens: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """`x IN (a, b)` -> `x = ANY ARRAY[a, b]` and `NOT IN` -> `<> ALL`, as PostgreSQL rewrites them."""
    out: list[tuple[str, str]] = []
    i = 0
    while i < len(tokens):
        kind, text = tokens[i]
        low = text.lower() if kind == "word" else None
        negated = low == "not" and i + 1 < len(tokens) and tokens[i + 1][0] == "word" and tokens[i + 1][1].lower() == "in"
        if (low == "in" or negated) and (i + (2 if negated else 1)) < len(tokens) and tokens[i + (2 if negated else 1)][0] == "open":
            j = i + (2 if negated else 1)
            k = _closing(tokens, j)
            inner = tokens[j + 1 : k]
            if inner and inner[0][0] == "word" and inner[0][1].lower() == "select":
                out.append(tokens[i])
                i += 1
                continue
            out += [("op", "<>" if negated else "="), ("word", "all" if negated else "any"), ("open", "("), ("word", "array"), ("op", "[")]
            out += inner
            out += [("op", "]"), ("close", ")")]
            i = k + 1
            continue
        out.append(tokens[i])
        i += 1
    return out


_ISO = re.compile(r"'(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2})?)(\.\d+)?)?(Z|[+-]\d{2}(?::?\d{2})?)?'\Z")


def _timestamp(literal: str) -> str:
    """A date or timestamp literal in the form PostgreSQL prints it back (`'2024-01-01T00:00:00Z'`
    for a `timestamp(3)` column is stored as `'2024-01-01 00:00:00'`). The zone is dropped: a
    `timestamp` column ignores it, and Lamina's sessions run in UTC."""
    m = _ISO.match(literal)
    if m is None:
        return literal
    date, time, frac, _zone = m.groups()
    if time is None:
        return f"'{date} 00:00:00'"
    if len(time) == 5:
        time += ":00"
    frac = (frac or "").rstrip("0")
    return f"'{date} {time}{frac if frac != '.' else ''}'"


def pg_key(predicate: str | None) -> str | None:
    """The comparison key of a PostgreSQL predicate (see the module's doc)."""
    if predicate is None:
        return None
    from lamina.sql.pg_predicate_ast import parenthesized, parse

    tree = parse(parenthesized(predicate))
    return repr(_canon(tree)) if tree is not None else _token_key(predicate)


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f"}
_NUMERIC = re.compile(r"-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?\Z")


def _string(kind: str, text: str) -> tuple:
    """A literal's value: `'it''s'`, `E'it\\'s'` and `$$it's$$` are one string; a quoted number
    (`'-1.5'::numeric`, how PostgreSQL keeps a negative one) is the number."""
    if kind == "dollar":
        value = text[text.index("$", 1) + 1: text.rindex("$", 0, len(text) - 1)]
    elif kind == "estr":
        value = re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), text[1:-1].replace("''", "'"))
    else:
        value = text[1:-1].replace("''", "'")
    if _NUMERIC.match(value):
        return ("num", value)
    return ("str", _timestamp(f"'{value}'")[1:-1])


def _canon(node):
    """`node` (a `pg_predicate_ast` tree) reduced to what PostgreSQL keeps of it."""
    kind = node[0]
    if kind == "ident":
        return ("id", node[1] if node[2] else node[1].lower())
    if kind == "value":
        sort, text = node[1], node[2]
        if sort == "number":
            return ("num", text)
        if sort in ("bool", "null"):
            return (sort, text)
        return _string(sort, text)
    if kind == "typed":  # DATE '2024-01-01' is kept as '2024-01-01'::date
        return _canon(node[2])
    if kind == "cast":
        return _canon(node[2])
    if kind == "unop":
        inner = _canon(node[2])
        if node[1] == "+":
            return inner
        if node[1] == "-" and inner[0] == "num":
            return ("num", inner[1][1:] if inner[1].startswith("-") else "-" + inner[1])
        return ("unop", node[1], inner)
    if kind == "binop":
        op, left, right = node[1], _canon(node[2]), _canon(node[3])
        if op in ("and", "or"):
            items = [x for side in (left, right) for x in (side[1] if side[0] == op else (side,))]
            return (op, tuple(items))
        return ("op", op, left, right)
    if kind == "between":
        x, low, high = (_canon(n) for n in node[2:])
        if node[1]:
            return ("or", (("op", "<", x, low), ("op", ">", x, high)))
        return ("and", (("op", ">=", x, low), ("op", "<=", x, high)))
    if kind == "in":  # x IN (a) is kept as x = a
        op, x, items = "<>" if node[1] else "=", _canon(node[2]), tuple(_canon(n) for n in node[3])
        if len(items) == 1:
            return ("op", op, x, items[0])
        return ("all" if node[1] else "any", op, x, ("array", items))
    if kind == "tuple":  # (a, b) is kept as ROW(a, b)
        return ("func", (("id", "row"),), (None, tuple(_canon(n) for n in node[1])))
    if kind in ("any", "all"):  # = ANY / SOME / ALL (...)
        return (kind, node[1], _canon(node[3]), _canon(node[4]))
    if kind == "array":
        return ("array", tuple(_canon(n) for n in node[2]))
    if kind == "like":
        _, word, negated, x, pattern, escape = node
        if word == "similar":
            pattern = ("func", (("ident", "similar_to_escape", False),), (None, (pattern,)))
            return ("op", "!~" if negated else "~", _canon(x), _canon(pattern))
        op = ("!" if negated else "") + ("~~*" if word == "ilike" else "~~")
        if escape is not None:  # kept as `x ~~ like_escape(pattern, escape)`
            pattern = ("func", (("ident", "like_escape", False),), (None, (pattern, escape)))
        return ("op", op, _canon(x), _canon(pattern))
    if kind == "func":
        args = node[2]
        if args is not None:
            distinct, items = args
            args = (distinct, tuple(n if n == "*" else _canon(n) for n in items))
        return ("func", tuple(_canon(n) for n in node[1]), args)
    return (kind, *(_parts(n) for n in node[1:]))


def _parts(part):
    """The children of another node (CASE's branches, a subscript...), each reduced."""
    if isinstance(part, tuple) and part and isinstance(part[0], str) and part[0] in _NODES:
        return _canon(part)
    return tuple(_parts(p) for p in part) if isinstance(part, tuple) else part


_NODES = {"ident", "value", "typed", "cast", "unop", "binop", "between", "in", "any", "all", "array", "like", "func",
          "compound", "is", "distinct", "case", "subscript", "tuple", "collate", "at time zone", "position"}


def _token_key(predicate: str) -> str:
    """The key of a predicate the parser does not know, token by token."""
    tokens = _in_lists(_drop_casts(_tokens(predicate)))
    # A call's parentheses (`lower(t)`, `ANY (ARRAY[...])`) matter; grouping ones do not.
    kept_closes: set[int] = set()
    parts: list[str] = []
    for idx, (kind, text) in enumerate(tokens):
        if kind == "open":
            prev = tokens[idx - 1] if idx else None
            if prev is not None and prev[0] == "word" and prev[1].lower() not in ("and", "or", "not"):
                parts.append("(")
                kept_closes.add(_closing(tokens, idx))
            continue
        if kind == "close":
            if idx in kept_closes:
                parts.append(")")
            continue
        if kind == "qid":
            name = text[1:-1].replace('""', '"')
            parts.append(name if _PLAIN_NAME.match(name) else text)
        elif kind == "word":
            low = text.lower()
            if low in ("like", "ilike") and parts and parts[-1] == "not":  # PostgreSQL: NOT LIKE -> !~~
                parts[-1] = "!" + _OPERATORS[low]
                continue
            parts.append(_OPERATORS.get(low, low))
        elif kind == "op":
            parts.append(_OPERATORS.get(text, text))
        elif kind == "str":
            literal = text[1:] if text[0] in "EeNn" else text
            # `-1.5` is stored as `('-1.5'::numeric)::double precision`: a quoted number
            parts.append(literal[1:-1] if _NUMBER.match(literal) else _timestamp(literal))
        else:
            parts.append(text)
    return " ".join(_between(_signed_numbers(parts)))


_NUMBER = re.compile(r"'-?\d+(?:\.\d+)?'\Z")
_BEFORE_OPERAND = {"=", "<>", "<", ">", "<=", ">=", ",", "[", "(", "and", "or", "not", "~~", "~~*", "!~~", "!~~*"}


def _between(parts: list[str]) -> list[str]:
    """`x BETWEEN a AND b` -> `x >= a AND x <= b` (single-token operands), as PostgreSQL stores it."""
    out = list(parts)
    i = 1
    while i < len(out) - 3:
        if out[i] == "between" and out[i + 2] == "and" and out[i - 1] != "not":
            x, low, high = out[i - 1], out[i + 1], out[i + 3]
            out[i - 1 : i + 4] = [x, ">=", low, "and", x, "<=", high]
            i += 5
        else:
            i += 1
    return out


def _signed_numbers(parts: list[str]) -> list[str]:
    """`= - 5` -> `= -5`: a minus sign where an operand starts belongs to the number."""
    out: list[str] = []
    for i, part in enumerate(parts):
        if out and out[-1] == "-" and part[:1].isdigit() and (len(out) == 1 or out[-2] in _BEFORE_OPERAND):
            out[-1] = "-" + part
        else:
            out.append(part)
    return out


def text_key(predicate: str | None) -> str | None:
    """SQLite (and any database that keeps the text as written): the text itself."""
    return predicate
