"""MySQL/MariaDB renderer: steps -> statements, in Prisma's spelling.

Conventions: backtick quoting; nullability always written (`NULL` / `NOT NULL`); indexes
inline in CREATE TABLE, primary key last, then Prisma's table options; ALTER TABLE
clauses joined with `,\\n    `; a changed column is rewritten whole with MODIFY.
"""

from __future__ import annotations

from dataclasses import replace

from lamina.dialects.common import ACTIONS, default_sql, dispatcher, joiner, memo_joiner
from lamina.dialects.common import backtick_quote as q
from lamina.sql import steps as s
from lamina.sql.schema import Column, ColumnArity, ForeignKey, Index, Table

TABLE_OPTIONS = "DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"


def column_definition(column: Column) -> str:
    text = q(column.name) + " " + column.type + (" NOT NULL" if column.arity is ColumnArity.REQUIRED else " NULL")
    default = default_sql(column)
    if default is not None:
        text += " DEFAULT " + default
    if column.autoincrement:
        text += " AUTO_INCREMENT"
    return text


def index_columns(index) -> str:
    out = []
    for c in index.columns:
        text = q(c.name)
        if c.length:
            text += f"({c.length})"
        if c.sort:
            text += f" {c.sort}"
        out.append(text)
    return ", ".join(out)


_INDEX_KINDS = {"unique": "UNIQUE INDEX", "fulltext": "FULLTEXT INDEX"}


def index_line(index: Index) -> str:
    kind = _INDEX_KINDS.get(index.kind, "INDEX")
    return f"{kind} {q(index.name)}({index_columns(index)})"


def _column_line(column: Column) -> str:
    return "    " + column_definition(column)


_column_lines = joiner(_column_line, ",\n")


def create_table(table: Table, column_lines=_column_lines) -> str:
    body = column_lines(table.columns)
    extra = [f"    {index_line(ix)}" for ix in table.indexes]
    if table.primary_key:
        extra.append("    PRIMARY KEY (" + ", ".join([q(c.name) for c in table.primary_key.columns]) + ")")
    if extra:
        body += ",\n\n" + ",\n".join(extra)
    return f"CREATE TABLE {q(table.name)} (\n{body}\n) {TABLE_OPTIONS}"


def foreign_key(table: Table, fk: ForeignKey) -> str:
    cols = ", ".join([q(c) for c in fk.columns])
    refs = ", ".join([q(c) for c in fk.referenced_columns])
    return (
        f"ALTER TABLE {q(table.name)} ADD CONSTRAINT {q(fk.name)} FOREIGN KEY ({cols}) "
        f"REFERENCES {q(fk.referenced_table)}({refs}) ON DELETE {ACTIONS[fk.on_delete]} ON UPDATE {ACTIONS[fk.on_update]}"
    )


def alter_table(step: s.AlterTable) -> list[str]:
    clauses = []
    for ch in step.changes:
        if isinstance(ch, s.DropPrimaryKey):
            clauses.append("DROP PRIMARY KEY")
        elif isinstance(ch, s.AddPrimaryKey):
            clauses.append("ADD PRIMARY KEY (" + ", ".join(q(c.name) for c in ch.primary_key.columns) + ")")
        elif isinstance(ch, s.DropColumn):
            clauses.append(f"DROP COLUMN {q(ch.column.name)}")
        elif isinstance(ch, s.AddColumn):
            clauses.append(f"ADD COLUMN {column_definition(ch.column)}")
        elif isinstance(ch, s.DropAndRecreateColumn):
            clauses.append(f"DROP COLUMN {q(ch.before.name)}")
            clauses.append(f"ADD COLUMN {column_definition(ch.after)}")
        elif isinstance(ch, s.AlterColumn):
            clauses.append(f"MODIFY {column_definition(ch.after)}")
    if not clauses:
        return []
    return [f"ALTER TABLE {q(step.after.name)} " + ",\n    ".join(clauses)]


def rewrite_enum_value(step: s.RewriteEnumValue) -> list[str]:
    """An ENUM column cannot hold a value its type does not list: the column is widened to
    list both values (the new one appended, which MySQL and MariaDB do in place), the rows are
    updated, then the column takes its final list."""
    from lamina.sql.calculate_defaults import quote_string

    out = []
    for use in step.uses:
        table, column = q(use.table.name), q(use.before.name)
        if use.before.type.startswith("ENUM(") and use.before.type.endswith(")"):
            both = use.before.type[:-1] + ", " + quote_string(step.new) + ")"
            out.append(f"ALTER TABLE {table} MODIFY {column_definition(replace(use.before, type=both))}")
        out.append(f"UPDATE {table} SET {column} = {quote_string(step.new)} WHERE {column} = {quote_string(step.old)}")
        if use.after != use.before:
            out.append(f"ALTER TABLE {table} MODIFY {column_definition(use.after)}")
    return out


def _rules(column_lines=_column_lines) -> list:
    """(step class, render) in the order a step is matched (`isinstance`)."""
    return [
        (s.RewriteEnumValue, rewrite_enum_value),
        (s.RenameTable, lambda step: [f"RENAME TABLE {q(step.before.name)} TO {q(step.after.name)}"]),
        (s.RenameColumn, lambda step: [
            f"ALTER TABLE {q(step.table.name)} RENAME COLUMN {q(step.before.name)} TO {q(step.after.name)}"]),
        (s.CreateTable, lambda step: [create_table(step.table, column_lines)]),
        (s.DropTable, lambda step: [f"DROP TABLE {q(step.table.name)}"]),
        (s.AlterTable, alter_table),
        (s.CreateIndex, lambda step: [
            f"CREATE {_INDEX_KINDS.get(step.index.kind, 'INDEX')} {q(step.index.name)} ON {q(step.table.name)}"
            f"({index_columns(step.index)})"]),
        (s.DropIndex, lambda step: [f"DROP INDEX {q(step.index.name)} ON {q(step.table.name)}"]),
        ((s.RenameIndex, s.RedefineIndex), lambda step: [
            f"ALTER TABLE {q(step.table.name)} RENAME INDEX {q(step.before.name)} TO {q(step.after.name)}"]),
        (s.AddForeignKey, lambda step: [foreign_key(step.table, step.foreign_key)]),
        (s.DropForeignKey, lambda step: [
            f"ALTER TABLE {q(step.table.name)} DROP FOREIGN KEY {q(step.foreign_key.name)}"]),
        (s.RenameForeignKey, lambda step: [
            f"ALTER TABLE {q(step.table.name)} DROP FOREIGN KEY {q(step.before.name)}",
            foreign_key(step.table, step.after)]),
        (s.DropViewsAndTriggers, lambda step: (
            [f"DROP TRIGGER {q(d.name)}" for d in step.objects if d.kind == "trigger"]
            + [f"DROP VIEW {q(d.name)}" for d in reversed(step.objects) if d.kind == "view"])),
        (s.CreateViewsAndTriggers, lambda step: [d.create for d in step.objects]),
    ]


_render = dispatcher(_rules(), "MySQL")


def render_step(step: s.Step, dialect) -> list[str]:
    return _render(step)


def renderer(dialect):
    """`render(step)` for one script: each (shared) column written once."""
    return dispatcher(_rules(memo_joiner(_column_line, ",\n")), "MySQL")
