"""MySQL/MariaDB renderer: steps -> statements, in Prisma's spelling.

Conventions: backtick quoting; nullability always written (`NULL` / `NOT NULL`); indexes
inline in CREATE TABLE, primary key last, then Prisma's table options; ALTER TABLE
clauses joined with `,\\n    `; a changed column is rewritten whole with MODIFY.
"""

from __future__ import annotations

from dataclasses import replace

from lamina.dialects.common import default_sql
from lamina.dialects.common import backtick_quote as q
from lamina.sql import steps as s
from lamina.sql.schema import Column, ColumnArity, ForeignKey, Index, Table

TABLE_OPTIONS = "DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"


def column_definition(column: Column) -> str:
    parts = [q(column.name), column.type, "NULL" if column.arity is not ColumnArity.REQUIRED else "NOT NULL"]
    default = default_sql(column)
    if default is not None:
        parts.append(f"DEFAULT {default}")
    if column.autoincrement:
        parts.append("AUTO_INCREMENT")
    return " ".join(parts)


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


def index_line(index: Index) -> str:
    kind = {"unique": "UNIQUE INDEX", "fulltext": "FULLTEXT INDEX"}.get(index.kind.value, "INDEX")
    return f"{kind} {q(index.name)}({index_columns(index)})"


def create_table(table: Table) -> str:
    lines = [f"    {column_definition(c)}" for c in table.columns]
    extra = [f"    {index_line(ix)}" for ix in table.indexes]
    if table.primary_key:
        extra.append("    PRIMARY KEY (" + ", ".join(q(c.name) for c in table.primary_key.columns) + ")")
    body = ",\n".join(lines)
    if extra:
        body += ",\n\n" + ",\n".join(extra)
    return f"CREATE TABLE {q(table.name)} (\n{body}\n) {TABLE_OPTIONS}"


def foreign_key(table: Table, fk: ForeignKey) -> str:
    cols = ", ".join(q(c) for c in fk.columns)
    refs = ", ".join(q(c) for c in fk.referenced_columns)
    return (
        f"ALTER TABLE {q(table.name)} ADD CONSTRAINT {q(fk.name)} FOREIGN KEY ({cols}) "
        f"REFERENCES {q(fk.referenced_table)}({refs}) ON DELETE {fk.on_delete.value} ON UPDATE {fk.on_update.value}"
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


def render_step(step: s.Step, dialect) -> list[str]:
    if isinstance(step, s.RewriteEnumValue):
        return rewrite_enum_value(step)
    if isinstance(step, s.RenameTable):
        return [f"RENAME TABLE {q(step.before.name)} TO {q(step.after.name)}"]
    if isinstance(step, s.RenameColumn):
        return [f"ALTER TABLE {q(step.table.name)} RENAME COLUMN {q(step.before.name)} TO {q(step.after.name)}"]
    if isinstance(step, s.CreateTable):
        return [create_table(step.table)]
    if isinstance(step, s.DropTable):
        return [f"DROP TABLE {q(step.table.name)}"]
    if isinstance(step, s.AlterTable):
        return alter_table(step)
    if isinstance(step, s.CreateIndex):
        kind = {"unique": "UNIQUE INDEX", "fulltext": "FULLTEXT INDEX"}.get(step.index.kind.value, "INDEX")
        return [f"CREATE {kind} {q(step.index.name)} ON {q(step.table.name)}({index_columns(step.index)})"]
    if isinstance(step, s.DropIndex):
        return [f"DROP INDEX {q(step.index.name)} ON {q(step.table.name)}"]
    if isinstance(step, (s.RenameIndex, s.RedefineIndex)):
        return [f"ALTER TABLE {q(step.table.name)} RENAME INDEX {q(step.before.name)} TO {q(step.after.name)}"]
    if isinstance(step, s.AddForeignKey):
        return [foreign_key(step.table, step.foreign_key)]
    if isinstance(step, s.DropForeignKey):
        return [f"ALTER TABLE {q(step.table.name)} DROP FOREIGN KEY {q(step.foreign_key.name)}"]
    if isinstance(step, s.RenameForeignKey):
        return [f"ALTER TABLE {q(step.table.name)} DROP FOREIGN KEY {q(step.before.name)}",
                foreign_key(step.table, step.after)]
    raise NotImplementedError(f"MySQL cannot render {type(step).__name__}")
