"""A PostgreSQL function body (plpgsql or SQL) with renamed tables and columns named anew.

PostgreSQL keeps a function's body as text (`prosrc`) and reads it at each call: a rename
rewrites views and trigger definitions, never a body, so a trigger function naming the old
column fails at the next write that fires it. `lamina.dialects.postgres.dependents` writes the
function again with this. The body is read as tokens (strings, dollar-quoted strings, comments
and quoted identifiers whole: nothing inside a string or a comment is touched), and a name is
rewritten only where it can only be the renamed table or column:

- a renamed table, by its name, unless the function declares a variable, parameter or label
  of that name;
- a renamed column after `NEW.`/`OLD.` in a trigger function all of whose triggers are on the
  column's table; after the table's name (`"User".name`), an alias only that table has, or a
  variable of its row type (`r "User"%ROWTYPE`);
- a bare renamed column in a statement whose only table is the column's, with no subquery.

Any other place naming an old name in a function that reads the table (another qualifier, a
bare name in a statement of several tables, a string: dynamic SQL) is left as written and
reported (`Rewritten.unsure`; a string, when it names the table): `migrate dev` names the
function in a warning.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from lamina.dialects.common import double_quote

_TOKEN = re.compile(r"""
   (?P<space>\s+)
  |(?P<comment>--[^\n]*|/\*.*?\*/)
  |(?P<dollar>\$(?:[A-Za-z_]\w*)?\$)
  |(?P<string>[Ee]'(?:[^'\\]|\\.|'')*'|'(?:[^']|'')*')
  |(?P<quoted>"(?:[^"]|"")*")
  |(?P<word>[^\W\d]\w*)
  |(?P<other>::|:=|<<|>>|\$\d+|\d+|.)
""", re.X | re.S)

# Words after which a name is a relation of the statement.
_RELATION_BEFORE = {"from", "join", "update", "into", "using", "only", "table"}
# Words that end a FROM list (a comma after them separates no relations) or cannot be an alias.
_CLAUSES = {"where", "on", "set", "join", "left", "right", "inner", "outer", "full", "cross", "natural", "group",
            "order", "limit", "having", "union", "using", "values", "select", "returning", "window", "offset",
            "for", "lateral", "except", "intersect", "default", "and", "or", "then", "loop", "into", "from", "as",
            "only", "with", "when", "else", "end", "is", "not", "in", "do", "conflict", "tablesample"}


@dataclass(frozen=True)
class Token:
    kind: str  # space, comment, dollar (a dollar-quoted string, whole), string, quoted, word, other
    text: str

    @property
    def name(self) -> str:
        """An identifier as PostgreSQL reads it: quoted exact, unquoted folded to lower case."""
        if self.kind == "quoted":
            return self.text[1:-1].replace('""', '"')
        return self.text.lower() if self.kind == "word" else self.text

    @property
    def is_name(self) -> bool:
        return self.kind in ("word", "quoted")


def tokens(body: str) -> list[Token]:
    out: list[Token] = []
    at = 0
    while at < len(body):
        m = _TOKEN.match(body, at)
        assert m is not None  # `.` matches any character
        kind, text = m.lastgroup or "other", m.group()
        if kind == "dollar":  # the string runs to the same tag
            end = body.find(text, m.end())
            text = body[at:len(body) if end < 0 else end + len(text)]
        out.append(Token(kind, text))
        at += len(text)
    return out


@dataclass(frozen=True)
class Renames:
    tables: Mapping[str, str]  # old name -> new name
    columns: Mapping[tuple[str, str], str]  # (new table, old column) -> new column

    def old_table(self, new: str) -> str:
        return next((old for old, n in self.tables.items() if n == new), new)


@dataclass(frozen=True)
class Rewritten:
    body: str
    unsure: tuple[str, ...]  # the places left as written that may name a renamed table or column


def rewrite(body: str, renames: Renames, declared: Sequence[str] = (), trigger_tables: Sequence[str] = ()) -> Rewritten:
    """`body` with the renamed names written anew. `declared`: the parameter names;
    `trigger_tables`: the tables (new names) of the triggers running the function."""
    b = _Body(tokens(body), renames, declared, trigger_tables)
    for p, token in enumerate(b.words):
        if token.kind in ("string", "dollar"):
            # Dynamic SQL names the table: a string naming only a column is taken for a message.
            named = sorted(n for n in b.reads if re.search(rf"(?<![\w$]){re.escape(n)}(?![\w$])", token.text, re.I))
            if named:
                b.unsure_at(p, f"a string names `{named[0]}`: dynamic SQL is not rewritten")
        elif token.is_name and b.text(p + 1) != "(":  # not a function call
            if token.name in renames.tables and not b.member_of_other(p):
                b.table(p)
            elif any(c == token.name for _, c in renames.columns) and b.text(p + 1) != ".":
                b.column(p)
    return Rewritten("".join(b.edits.get(i, t.text) for i, t in enumerate(b.all)), tuple(b.unsure))


class _Body:
    """A body's tokens, what it declares and reads, and the edits and doubts found so far."""

    def __init__(self, all_tokens: list[Token], renames: Renames, declared: Sequence[str],
                 trigger_tables: Sequence[str]) -> None:
        self.all, self.renames, self.trigger_tables = all_tokens, renames, trigger_tables
        self.sig = [i for i, t in enumerate(all_tokens) if t.kind not in ("space", "comment")]
        self.words = words = [all_tokens[i] for i in self.sig]
        self.local = {n.lower() for n in declared} | _declared(words)
        # The tables with a renamed column, by the name the body uses (the old one).
        self.column_tables = {renames.old_table(table) for table, _ in renames.columns}
        self.aliases = _aliases(words, self.local)
        for p in range(1, len(words) - 2):  # a variable of a table's row type: `r "User"%ROWTYPE`
            if words[p + 1].text == "%" and words[p + 2].name == "rowtype" and words[p - 1].name in self.local:
                self.aliases.setdefault(words[p - 1].name, set()).add(words[p].name)
        # The renamed tables and tables of renamed columns the body reads (NEW./OLD.: the trigger's).
        self.reads = {t.name for t in words if t.is_name} & (set(renames.tables) | self.column_tables)
        if any(t.kind == "word" and t.name in ("new", "old") for t in words):
            self.reads |= {renames.old_table(t) for t in trigger_tables}
        self.statement = _statements(words, self.local)
        self.edits: dict[int, str] = {}  # token index (in `all`) -> its new text
        self.unsure: list[str] = []

    def text(self, p: int) -> str:
        return self.words[p].text if 0 <= p < len(self.words) else ""

    def unsure_at(self, p: int, why: str) -> None:
        self.unsure.append(_place(self.all, self.sig, p, why))

    def member_of_other(self, p: int) -> bool:
        """The name at `p` follows an alias, NEW/OLD or `schema.table`: a column."""
        if self.text(p - 1) != "." or p < 2:
            return False
        return self.text(p - 3) == "." or self.words[p - 2].name in self.aliases or self.words[p - 2].name in ("new", "old")

    def table(self, p: int) -> None:
        """A renamed table's name, rewritten where it can only be the table: after its schema,
        where a relation goes, before `.` or `%ROWTYPE`, and not the name of a variable."""
        name = self.words[p].name
        where_a_table_goes = (self.text(p - 1) == "." or self.text(p - 1).lower() in _RELATION_BEFORE | {","}
                              or self.text(p + 1) in (".", "%"))
        if where_a_table_goes and (name not in self.local or self.text(p - 1) == "."):
            self.edits[self.sig[p]] = double_quote(self.renames.tables[name])
        else:
            self.unsure_at(p, "Lamina cannot tell it is the table")

    def column(self, p: int) -> None:
        """A renamed column's name, rewritten when the tables it may be of are its table alone."""
        name = self.words[p].name
        tables = {self.renames.old_table(t) for t, c in self.renames.columns if c == name}
        qualified = self.text(p - 1) == "." and p >= 2
        if name in self.local and not qualified:  # the variable, or the column where only a column goes
            if tables & self.reads:
                self.unsure_at(p, f"the function declares `{name}` too")
            return
        owners = self._owners(p - 2) if qualified else self.statement[p]
        mine = owners & tables
        if len(mine) == 1 and owners == mine:
            table = next(iter(mine))
            self.edits[self.sig[p]] = double_quote(
                self.renames.columns[(self.renames.tables.get(table, table), name)])
        elif mine or (owners is _UNKNOWN and tables & self.reads):
            self.unsure_at(p, "Lamina cannot tell which table's column it is")

    def _owners(self, q: int) -> frozenset[str]:
        """The tables (old names) the qualifier at `q` may name."""
        name, nested = self.words[q].name, self.text(q - 1) == "."
        if not nested and self.words[q].kind == "word" and name in ("new", "old") and self.trigger_tables:
            return frozenset(self.renames.old_table(t) for t in self.trigger_tables)
        if name in self.aliases:
            return frozenset(self.aliases[name])
        return frozenset({name}) if name in self.column_tables | set(self.renames.tables) else _UNKNOWN


class _Unknown(frozenset):
    """Owners not known: a record variable, a statement of several tables or a subquery."""


_UNKNOWN = _Unknown()


def _declared(words: Sequence[Token]) -> set[str]:
    """The variables and labels a plpgsql body declares: each first name of a DECLARE section's
    declarations, a FOR loop's variable, a `<<label>>`."""
    out: set[str] = set()
    in_declare = False
    for p, t in enumerate(words):
        before = words[p - 1].text if p else ""
        if t.kind == "word" and t.name == "declare":
            in_declare = True
        elif t.kind == "word" and t.name == "begin":
            in_declare = False
        elif t.is_name and ((in_declare and (before == ";" or before.lower() == "declare")) or before == "<<"
                            or (before.lower() == "for" and p + 1 < len(words) and words[p + 1].text.lower() == "in")):
            out.add(t.name)
    return out


def _aliases(words: Sequence[Token], local: set[str]) -> dict[str, set[str]]:
    """alias -> the relations (by name) it stands for anywhere in the body: `T a`, `T AS a`,
    `schema.T a`; a relation's own name too (it qualifies its columns). Not a variable of
    `local` (`SELECT ... INTO r`)."""
    out: dict[str, set[str]] = {}
    for p, t in enumerate(words[:-1]):
        if not t.is_name or p == 0 or words[p - 1].text.lower() not in _RELATION_BEFORE | {","} or t.name in local:
            continue
        if words[p + 1].text == "." and p + 2 < len(words):  # schema.T
            p, t = p + 2, words[p + 2]
        a = p + 2 if p + 1 < len(words) and words[p + 1].text.lower() == "as" else p + 1
        if a < len(words) and words[a].is_name and words[a].name not in _CLAUSES:
            out.setdefault(words[a].name, set()).add(t.name)
        out.setdefault(t.name, set()).add(t.name)
    return out


def _statements(words: Sequence[Token], local: set[str]) -> list[frozenset[str]]:
    """For each token, the relations (by name) of its statement (up to `;`; `INTO` a variable
    of `local` is none): unknown when it has a subquery, a CTE, no relation or several."""
    out: list[frozenset[str]] = []
    start = 0
    for end in [p for p, t in enumerate(words) if t.text == ";"] + [len(words)]:
        part = words[start:end]
        queries = sum(t.kind == "word" and t.name in ("select", "with") for t in part)
        relations: set[str] = set()
        in_from = False
        for p, t in enumerate(part):
            before = part[p - 1].text.lower() if p else ""
            if t.kind == "word" and t.name in _CLAUSES:
                in_from = t.name == "from"
            elif t.is_name and t.name not in local and (before in _RELATION_BEFORE or (before == "," and in_from)):
                if p + 1 >= len(part) or part[p + 1].text != ".":
                    relations.add(t.name)
        known = frozenset(relations) if relations and queries <= 1 and len(relations) == 1 else _UNKNOWN
        out += [known] * (end - start + 1)
        start = end + 1
    return out


def _place(all_tokens: Sequence[Token], sig: Sequence[int], p: int, why: str) -> str:
    """Where a name is, for a warning: the text around it (a long string shortened), and why."""
    first, last = sig[max(0, p - 4)], sig[min(len(sig) - 1, p + 4)]
    around = "".join(t.text if t.kind not in ("string", "dollar") or len(t.text) < 40 else t.text[:37] + "..."
                     for t in all_tokens[first:last + 1])
    return f"`{all_tokens[sig[p]].name}` in `{' '.join(around.split())}` ({why})"
