"""A MySQL/MariaDB view definition or trigger body with renamed tables and columns named anew.

MySQL renames rewrite no view nor trigger body; `lamina.dialects.mysql.dependents` writes them
again with this. The SQL is read as tokens (`lexer`: nothing inside a string or a comment is
touched) in its query blocks (`query_blocks`), and a name is rewritten where the server would
read it as the renamed table or column:

- a table in a FROM/JOIN/UPDATE/INTO list, or before `.` (unless an alias of that name hides it);
- a column after `table.`, `alias.` (the alias's table), `NEW.`/`OLD.` (the trigger's table);
- a bare column of a block one of whose tables has it, the innermost such block first (as the
  server resolves a correlated name): when that block's only table having a column of that
  name is the renamed one.

A bare name is left as written, and reported as not sure, when the block also reads a table of
unknown columns (a derived table, a CTE, another database's table), when more than one of its
tables has the column, when it is `JOIN ... USING (column)`, or when the trigger declares a
local variable of that name. A column the select list of a derived table (or CTE) names bare
keeps its name for the query around it (`fullName AS name`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from lamina.dialects.mysql.lexer import backquoted
from lamina.dialects.mysql.query_blocks import Block, Role, Source, Structure, read


@dataclass(frozen=True)
class Renames:
    tables: Mapping[str, str]  # old name -> new name
    columns: Mapping[tuple[str, str], str]  # (new table, old column) -> new column

    def column(self, table: str | None, column: str) -> str | None:
        """The new name of `column` of `table` (its name before the migration), None if kept."""
        if table is None:
            return None
        new_table = self.tables.get(table, table)
        return next((new for (t, old), new in self.columns.items()
                     if t == new_table and old.lower() == column.lower()), None)


@dataclass(frozen=True)
class Rewritten:
    sql: str
    unsure: tuple[str, ...]  # the names left as written that may be a renamed column


def rewrite(sql: str, renames: Renames, database: str, known: Mapping[str, frozenset[str]],
            on: str | None = None) -> Rewritten:
    """`sql` with the renamed names written anew, and `database`. qualifiers left out (the
    migration runs in other databases). `known`: the columns (lower-case) of each table and view
    before the migration; `on`: the trigger's table (its new name: NEW. and OLD. name it)."""
    s = read(sql, database, known)
    edits: dict[int, str] = {}  # token index -> its new text
    unsure: list[str] = []
    old_columns = {old.lower() for _, old in renames.columns}
    for p, token in enumerate(s.significant):
        role = s.roles.get(p)
        if token.name == database and s.text(p + 1) == "." and s.text(p - 1) != ".":
            edits[s.at[p]] = edits[s.at[p + 1]] = ""  # `database`.`table`, `database`.`function`()
        elif role is Role.TABLE or (role is None and s.text(p + 1) == "." and _is_table(s, p)):
            if token.name in renames.tables:
                edits[s.at[p]] = backquoted(renames.tables[token.name])
        elif role is Role.JOIN_COLUMN:
            if any(renames.column(src.table, token.name) for b in s.blocks[p].chain() for src in b.sources):
                unsure.append(_place(s, p, "a column of `JOIN ... USING`, of both tables"))
        elif role is None and token.is_identifier and s.text(p - 1) == "." and s.text(p + 1) != ".":
            new = renames.column(_owner_table(s, p - 2, renames, on), token.name)
            if new is not None:
                _rename_column(s, p, new, edits)
        elif role is None and s.is_name(p) and token.name.lower() in old_columns and _is_bare_column(s, p):
            _bare_column(s, p, renames, edits, unsure)
    tokens = s.tokens
    return Rewritten("".join(edits.get(i, t.text) for i, t in enumerate(tokens)), tuple(unsure))


def _source(block: Block, name: str) -> Source | None:
    """The source a qualifier names, in the block or a block around it."""
    for b in block.chain():
        for src in b.sources:
            if src.name == name:
                return src
    return None


def _is_table(s: Structure, p: int) -> bool:
    """A qualifier naming a table itself, not an alias of another table of the same name."""
    src = _source(s.blocks[p], s.significant[p].name)
    return src is None or src.table == src.name


def _owner_table(s: Structure, p: int, renames: Renames, on: str | None) -> str | None:
    """The table (its name before the migration) of the qualifier at `p`."""
    owner = s.significant[p].name
    if owner.upper() in ("NEW", "OLD") and on is not None and s.text(p - 1) != ".":
        return next((old for old, new in renames.tables.items() if new == on), on)
    src = _source(s.blocks[p], owner)
    return owner if src is None else src.table


def _is_bare_column(s: Structure, p: int) -> bool:
    """A name an expression reads: not a function, nor an alias (after AS or a value), nor a
    select-list alias ORDER BY reads (MySQL looks there before the tables)."""
    if s.text(p + 1) in ("(", ".") or s.word(p - 1) == "AS" or s.ends_value(p - 1):
        return False
    return not (s.clauses[p] == "order" and s.significant[p].name.lower() in s.blocks[p].aliases)


def _bare_column(s: Structure, p: int, renames: Renames, edits: dict[int, str], unsure: list[str]) -> None:
    name = s.significant[p].name
    column = name.lower()
    doubt = False  # a block on the way reads a table of unknown columns
    for block in s.blocks[p].chain():
        having = [src for src in block.sources if src.columns is not None and column in src.columns]
        renamed = [src for src in having if renames.column(src.table, name)]
        if not having:
            doubt = doubt or any(src.columns is None for src in block.sources)
            continue
        if not renamed:
            return  # another table's column
        table = renamed[0].table
        why = (f"more than one table of its query has a column `{name}`" if len(having) > 1
               else f"its select list has an alias `{name}` too"
               if block is s.blocks[p] and column in block.aliases and s.clauses[p] in ("group", "having")
               else "its query also reads a table whose columns are not known"
               if doubt or any(src.columns is None for src in block.sources)
               else f"the trigger declares a variable `{name}`" if column in s.declared else None)
        new = renames.column(table, name)
        assert new is not None
        if why is None:
            _rename_column(s, p, new, edits)
        else:
            unsure.append(_place(s, p, f"it may be `{table}`.`{name}`, renamed to `{new}`, but {why}"))
        return


def _rename_column(s: Structure, p: int, new: str, edits: dict[int, str]) -> None:
    """The column at `p` named `new`; in the select list of a derived table, under its old name
    still (`fullName AS name`), which the query around it reads (and `name AS name` back to `name`)."""
    edits[s.at[p]] = backquoted(new)
    start = p
    while s.text(start - 1) == ".":
        start -= 2
    block = s.blocks[p]
    if not (block.derived and s.clauses[p] == "select"
            and (s.text(start - 1) == "," or s.word(start - 1) in ("SELECT", "DISTINCT", "ALL"))):
        return
    after = p + 1
    if s.word(after) == "AS" and s.is_name(after + 1):
        if s.significant[after + 1].name.lower() == new.lower():
            for i in range(s.at[p] + 1, s.at[after + 1] + 1):
                edits[i] = ""
    elif s.text(after) in (",", ")", "") or s.word(after) in ("FROM", "INTO", "UNION"):
        edits[s.at[p]] += " AS " + backquoted(s.significant[p].name)


def _place(s: Structure, p: int, why: str) -> str:
    """Where a name is, for a warning: the name, the text around it, and why."""
    first, last = s.at[max(0, p - 4)], s.at[min(len(s.at) - 1, p + 4)]
    around = " ".join("".join(t.text for t in s.tokens[first:last + 1]).split())
    return f"`{s.significant[p].name}` in `{around}` ({why})"
