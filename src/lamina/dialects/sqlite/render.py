"""SQLite renderer: steps -> statements, in Prisma's exact spelling.

Conventions: statements carry no terminator (the script writer adds `;\\n`). A
single-column primary key is written inline (`PRIMARY KEY [AUTOINCREMENT]`), foreign
keys inside CREATE TABLE (SQLite cannot add them later), and every change SQLite cannot
ALTER is a redefinition under `-- RedefineTables`.
"""

from __future__ import annotations

from lamina.dialects.common import default_sql
from lamina.dialects.common import double_quote as q
from lamina.sql import steps as s
from lamina.sql.calculate_defaults import quote_string
from lamina.sql.schema import Column, ColumnArity, ForeignKey, Index, Table


def column_definition(column: Column, inline_pk: bool = False) -> str:
    parts = [q(column.name), column.type]
    if column.arity is ColumnArity.REQUIRED:
        parts.append("NOT NULL")
    if inline_pk:
        parts.append("PRIMARY KEY")
        if column.autoincrement:
            parts.append("AUTOINCREMENT")
    default = default_sql(column)
    if default is not None:
        parts.append(f"DEFAULT {default}")
    return " ".join(parts)


def foreign_key(fk: ForeignKey) -> str:
    cols = ", ".join(q(c) for c in fk.columns)
    refs = ", ".join(q(c) for c in fk.referenced_columns)
    name = f"CONSTRAINT {q(fk.name)} " if fk.name else ""
    return (
        f"{name}FOREIGN KEY ({cols}) REFERENCES {q(fk.referenced_table)} ({refs}) "
        f"ON DELETE {fk.on_delete.value} ON UPDATE {fk.on_update.value}"
    )


def create_table(table: Table, name: str | None = None) -> str:
    pk = table.primary_key
    inline = pk.columns[0].name if pk and len(pk.columns) == 1 else None
    lines = [f"    {column_definition(c, c.name == inline)}" for c in table.columns]
    body = ",\n".join(lines)
    if pk and inline is None:
        body += ",\n\n    PRIMARY KEY (" + ", ".join(q(c.name) for c in pk.columns) + ")"
    for fk in table.foreign_keys:
        body += f",\n    {foreign_key(fk)}"
    return f"CREATE TABLE {q(name or table.name)} (\n{body}\n)"


def index_column(c) -> str:
    return q(c.name) + (f" {c.sort}" if c.sort else "")


def create_index(table: Table, index: Index) -> str:
    unique = "UNIQUE " if index.kind.value == "unique" else ""
    cols = ", ".join(index_column(c) for c in index.columns)
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


def render_step(step: s.Step, dialect) -> list[str]:
    if isinstance(step, s.RewriteEnumValue):  # enums are TEXT: only the rows change
        return [f"UPDATE {q(u.table.name)} SET {q(u.before.name)} = {quote_string(step.new)} "
                f"WHERE {q(u.before.name)} = {quote_string(step.old)}" for u in step.uses]
    if isinstance(step, s.RenameTable):  # SQLite (3.26+) also rewrites the keys that reference it
        return [f"ALTER TABLE {q(step.before.name)} RENAME TO {q(step.after.name)}"]
    if isinstance(step, s.RenameColumn):  # SQLite 3.25+; indexes and keys follow the column
        return [f"ALTER TABLE {q(step.table.name)} RENAME COLUMN {q(step.before.name)} TO {q(step.after.name)}"]
    if isinstance(step, s.CreateTable):
        return [create_table(step.table)]
    if isinstance(step, s.DropTable):
        return ["PRAGMA foreign_keys=off", f"DROP TABLE {q(step.table.name)}", "PRAGMA foreign_keys=on"]
    if isinstance(step, s.AlterTable):
        out = []
        for ch in step.changes:
            if not isinstance(ch, s.AddColumn):
                raise NotImplementedError(f"SQLite cannot ALTER TABLE with {type(ch).__name__}; redefine instead")
            out.append(f"ALTER TABLE {q(step.after.name)} ADD COLUMN {column_definition(ch.column)}")
        return out
    if isinstance(step, s.CreateIndex):
        return [create_index(step.table, step.index)]
    if isinstance(step, s.DropIndex):
        return [f"DROP INDEX {q(step.index.name)}"]
    if isinstance(step, s.RedefineIndex):
        return [f"DROP INDEX {q(step.before.name)}", create_index(step.table, step.after)]
    if isinstance(step, s.RedefineTables):
        out = ["PRAGMA defer_foreign_keys=ON", "PRAGMA foreign_keys=OFF"]
        # Triggers first (one may be on a view), then views, dependents before what they read.
        out += [f"DROP TRIGGER {q(name)}" for name, *_ in (*step.triggers, *step.lost_triggers)]
        out += [f"DROP VIEW {q(name)}" for name, _ in reversed(step.views)]
        for r in step.tables:
            out += redefine(r)
        out += [sql.strip().rstrip(";") for _, sql in (*step.views, *step.triggers)]
        return out + ["PRAGMA foreign_keys=ON", "PRAGMA defer_foreign_keys=OFF"]
    raise NotImplementedError(f"SQLite cannot render {type(step).__name__}")
