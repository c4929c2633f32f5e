"""SQLite renderer: steps -> statements, in Prisma's exact spelling.

Conventions: statements carry no terminator (the script writer adds `;\\n`). A
single-column primary key is written inline (`PRIMARY KEY [AUTOINCREMENT]`), foreign
keys inside CREATE TABLE (SQLite cannot add them later), and every change SQLite cannot
ALTER is a redefinition under `-- RedefineTables`.
"""

from __future__ import annotations

from collections.abc import Callable

from lamina.dialects.common import ACTIONS, default_sql, dispatcher, joiner, memo_joiner
from lamina.dialects.common import double_quote as q
from lamina.sql import steps as s
from lamina.sql.calculate_defaults import quote_string
from lamina.sql.schema import Column, ColumnArity, ForeignKey, Index, Table


def column_definition(column: Column, inline_pk: bool = False) -> str:
    text = q(column.name) + " " + column.type
    if column.arity is ColumnArity.REQUIRED:
        text += " NOT NULL"
    if inline_pk:
        text += " PRIMARY KEY AUTOINCREMENT" if column.autoincrement else " PRIMARY KEY"
    default = default_sql(column)
    if default is not None:
        text += " DEFAULT " + default
    return text


def foreign_key(fk: ForeignKey) -> str:
    cols = ", ".join([q(c) for c in fk.columns])
    refs = ", ".join([q(c) for c in fk.referenced_columns])
    name = f"CONSTRAINT {q(fk.name)} " if fk.name else ""
    return (
        f"{name}FOREIGN KEY ({cols}) REFERENCES {q(fk.referenced_table)} ({refs}) "
        f"ON DELETE {ACTIONS[fk.on_delete]} ON UPDATE {ACTIONS[fk.on_update]}"
    )


def _column_line(column: Column) -> str:
    return "    " + column_definition(column)


def _key_column_line(column: Column) -> str:
    return "    " + column_definition(column, True)


def _column_lines(columns, inline: str | None) -> str:
    """The column lines of CREATE TABLE; the column named `inline` holds the primary key."""
    return ",\n".join([_key_column_line(c) if c.name == inline else _column_line(c) for c in columns])


def _memo_column_lines() -> Callable[[tuple[Column, ...], str | None], str]:
    """`_column_lines` writing each (shared) column once for the life of the function."""
    memo: dict[int, tuple[Column, str]] = {}

    def column_lines(columns, inline: str | None) -> str:
        out = []
        for c in columns:
            if c.name == inline:
                out.append(_key_column_line(c))
                continue
            hit = memo.get(id(c))
            if hit is None:
                hit = memo[id(c)] = (c, _column_line(c))
            out.append(hit[1])
        return ",\n".join(out)

    return column_lines


def create_table(table: Table, name: str | None = None, column_lines=_column_lines) -> str:
    pk = table.primary_key
    inline = pk.columns[0].name if pk and len(pk.columns) == 1 else None
    body = column_lines(table.columns, inline)
    if pk and inline is None:
        body += ",\n\n    PRIMARY KEY (" + ", ".join([q(c.name) for c in pk.columns]) + ")"
    for fk in table.foreign_keys:
        body += f",\n    {foreign_key(fk)}"
    return f"CREATE TABLE {q(name or table.name)} (\n{body}\n)"


def index_column(c) -> str:
    return q(c.name) + (f" {c.sort}" if c.sort else "")


_index_column_list = joiner(index_column, ", ")


def create_index(table: Table, index: Index, index_column_list=_index_column_list) -> str:
    unique = "UNIQUE " if index.kind == "unique" else ""
    cols = index_column_list(index.columns)
    where = f" WHERE {index.predicate}" if index.predicate is not None else ""
    return f"CREATE {unique}INDEX {q(index.name)} ON {q(table.name)}({cols}){where}"


def redefine(r: s.RedefineTable) -> list[str]:
    temp = f"new_{r.after.name}"
    out = [create_table(r.after, temp)]
    if r.copied:
        names = ", ".join(q(a.name) for _, a in r.copied)
        exprs = []
        for b, a in r.copied:
            default = default_sql(a)
            if b.arity is ColumnArity.NULLABLE and a.arity is ColumnArity.REQUIRED and default is not None:
                exprs.append(f"coalesce({q(b.name)}, {default}) AS {q(a.name)}")
            else:
                exprs.append(q(b.name))
        out.append(f"INSERT INTO {q(temp)} ({names}) SELECT {', '.join(exprs)} FROM {q(r.before.name)}")
    out.append(f"DROP TABLE {q(r.before.name)}")
    out.append(f"ALTER TABLE {q(temp)} RENAME TO {q(r.after.name)}")
    out += [create_index(r.after, ix) for ix in r.after.indexes]
    return out


def _alter_table(step: s.AlterTable) -> list[str]:
    out = []
    for ch in step.changes:
        if not isinstance(ch, s.AddColumn):
            raise NotImplementedError(f"SQLite cannot ALTER TABLE with {type(ch).__name__}; redefine instead")
        out.append(f"ALTER TABLE {q(step.after.name)} ADD COLUMN {column_definition(ch.column)}")
    return out


def _redefine_tables(step: s.RedefineTables) -> list[str]:
    out = ["PRAGMA defer_foreign_keys=ON", "PRAGMA foreign_keys=OFF"]
    # Triggers first (one may be on a view), then views, dependents before what they read.
    out += [f"DROP TRIGGER {q(name)}" for name, *_ in (*step.triggers, *step.lost_triggers)]
    out += [f"DROP VIEW {q(name)}" for name, _ in reversed(step.views)]
    for r in step.tables:
        out += redefine(r)
    out += [sql.strip().rstrip(";") for _, sql in (*step.views, *step.triggers)]
    return out + ["PRAGMA foreign_keys=ON", "PRAGMA defer_foreign_keys=OFF"]


def _rules(column_lines=_column_lines, index_column_list=_index_column_list) -> list:
    """(step class, render) in the order a step is matched (`isinstance`)."""
    return [
        # enums are TEXT: only the rows change
        (s.RewriteEnumValue, lambda step: [
            f"UPDATE {q(u.table.name)} SET {q(u.before.name)} = {quote_string(step.new)} "
            f"WHERE {q(u.before.name)} = {quote_string(step.old)}" for u in step.uses]),
        # SQLite (3.26+) also rewrites the keys that reference it
        (s.RenameTable, lambda step: [f"ALTER TABLE {q(step.before.name)} RENAME TO {q(step.after.name)}"]),
        # SQLite 3.25+; indexes and keys follow the column
        (s.RenameColumn, lambda step: [
            f"ALTER TABLE {q(step.table.name)} RENAME COLUMN {q(step.before.name)} TO {q(step.after.name)}"]),
        (s.CreateTable, lambda step: [create_table(step.table, None, column_lines)]),
        (s.DropTable, lambda step: ["PRAGMA foreign_keys=off", f"DROP TABLE {q(step.table.name)}",
                                    "PRAGMA foreign_keys=on"]),
        (s.AlterTable, _alter_table),
        (s.CreateIndex, lambda step: [create_index(step.table, step.index, index_column_list)]),
        (s.DropIndex, lambda step: [f"DROP INDEX {q(step.index.name)}"]),
        (s.RedefineIndex, lambda step: [f"DROP INDEX {q(step.before.name)}", create_index(step.table, step.after)]),
        (s.RedefineTables, _redefine_tables),
        (s.CreateViewsAndTriggers, lambda step: [d.create for d in step.objects]),
    ]


_render = dispatcher(_rules(), "SQLite")


def render_step(step: s.Step, dialect) -> list[str]:
    return _render(step)


def renderer(dialect):
    """`render(step)` for one script: each (shared) column and index column written once."""
    return dispatcher(_rules(_memo_column_lines(), memo_joiner(index_column, ", ")), "SQLite")
