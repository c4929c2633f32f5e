"""PostgreSQL renderer: steps -> statements, in Prisma's exact spelling.

Conventions: statements carry no terminator (the script writer adds `;\\n`); column
lists in CREATE TABLE are indented four spaces; `ADD COLUMN` is followed by five spaces,
as Prisma writes it; ALTER TABLE clauses are joined with `,\\n`.
"""

from __future__ import annotations

from lamina.dialects.common import ACTIONS, default_sql, dispatcher, joiner, memo_joiner
from lamina.dialects.common import double_quote as q
from lamina.dialects.postgres.calculate import serial_type
from lamina.sql import steps as s
from lamina.sql.schema import Column, ColumnArity, DefaultKind, ForeignKey, Index, Table
from lamina.sql.steps import ColumnChange


def qualified(name: str, namespace: str | None) -> str:
    return f"{q(namespace)}.{q(name)}" if namespace else q(name)


def table_name(table: Table) -> str:
    name = table.name
    if table.namespace is None and '"' not in name:
        return '"' + name + '"'
    return qualified(name, table.namespace)


def column_definition(column: Column) -> str:
    type_ = serial_type(column.type) if column.autoincrement else None
    text = q(column.name) + " " + (type_ or column.type)
    if column.arity is ColumnArity.REQUIRED:
        text += " NOT NULL"
    default = default_sql(column)
    if default is not None:
        text += " DEFAULT " + default
    return text


def index_column(c) -> str:
    out = q(c.name)
    opclass = c.written_opclass or c.opclass
    if opclass:
        out += f" {opclass}"
    if c.sort:
        out += f" {c.sort}"
    return out


def _index_column_list(columns) -> str:
    return ", ".join([index_column(c) for c in columns])


def create_index(table: Table, index: Index, index_column_list=_index_column_list) -> str:
    unique = "UNIQUE " if index.kind == "unique" else ""
    cols = index_column_list(index.columns)
    using = f" USING {index.algorithm} " if index.algorithm else ""
    where = ""
    if index.predicate is not None:  # a partial index (its parser is imported for those only)
        from lamina.sql.pg_predicate_ast import parenthesized

        where = f" WHERE {parenthesized(index.predicate)}"
    return f"CREATE {unique}INDEX {q(index.name)} ON {table_name(table)}{using}({cols}){where}"


def create_extension(ext) -> str:
    out = f"CREATE EXTENSION IF NOT EXISTS {q(ext.name)}"
    if ext.schema or ext.version:
        out += " WITH"
        if ext.schema:
            out += f" SCHEMA {q(ext.schema)}"
        if ext.version:
            out += f" VERSION {q(ext.version)}"
    return out


def foreign_key(table: Table, fk: ForeignKey) -> str:
    cols = ", ".join(map(q, fk.columns))
    refs = ", ".join(map(q, fk.referenced_columns))
    target = qualified(fk.referenced_table, fk.referenced_namespace)
    return (
        f"ALTER TABLE {table_name(table)} ADD CONSTRAINT {q(fk.name)} FOREIGN KEY ({cols}) "
        f"REFERENCES {target}({refs}) ON DELETE {ACTIONS[fk.on_delete]} ON UPDATE {ACTIONS[fk.on_update]}"
    )


def _column_line(column: Column) -> str:
    return "    " + column_definition(column)


def _key_column(c) -> str:
    return q(c.name)


_column_lines = joiner(_column_line, ",\n")
_key_columns = joiner(_key_column, ",")


def create_table(table: Table, column_lines=_column_lines, key_columns=_key_columns) -> str:
    body = column_lines(table.columns)
    if table.primary_key:
        pk = key_columns(table.primary_key.columns)
        body += f",\n\n    CONSTRAINT {q(table.primary_key.name)} PRIMARY KEY ({pk})"
    return f"CREATE TABLE {table_name(table)} (\n{body}\n)"


def _sequence_name(table: Table, column: Column) -> str:
    return f"{table.name}_{column.name}_seq".lower()


def alter_table(step: s.AlterTable) -> list[str]:
    table = table_name(step.after)
    before: list[str] = []
    clauses: list[str] = []
    after: list[str] = []
    unnamed_sequences: list[str] = []  # dropped, their names unknown (a schema, not a database)
    for ch in step.changes:
        if isinstance(ch, s.DropPrimaryKey):
            clauses.append(f"DROP CONSTRAINT {q(ch.primary_key.name)}")
        elif isinstance(ch, s.AddPrimaryKey):
            cols = ", ".join(q(c.name) for c in ch.primary_key.columns)
            clauses.append(f"ADD CONSTRAINT {q(ch.primary_key.name)} PRIMARY KEY ({cols})")
        elif isinstance(ch, s.RenamePrimaryKey):
            after.append(f"ALTER TABLE {table} RENAME CONSTRAINT {q(ch.before.name)} TO {q(ch.after.name)}")
        elif isinstance(ch, s.DropColumn):
            clauses.append(f"DROP COLUMN {q(ch.column.name)}")
        elif isinstance(ch, s.AddColumn):
            clauses.append(f"ADD COLUMN     {column_definition(ch.column)}")
        elif isinstance(ch, s.DropAndRecreateColumn):
            clauses.append(f"DROP COLUMN {q(ch.before.name)}")
            clauses.append(f"ADD COLUMN     {column_definition(ch.after)}")
        elif isinstance(ch, s.AlterColumn):
            name = q(ch.after.name)
            col = ch.after
            # Prisma's clause order for one column: nullability, default, sequence, type.
            if ch.changes & ColumnChange.ARITY:
                clauses.append(f"ALTER COLUMN {name} {'SET' if col.arity is ColumnArity.REQUIRED else 'DROP'} NOT NULL")
            if ch.changes & ColumnChange.DEFAULT:
                default = default_sql(col)
                clauses.append(f"ALTER COLUMN {name} SET DEFAULT {default}" if default else f"ALTER COLUMN {name} DROP DEFAULT")
            if ch.changes & ColumnChange.AUTOINCREMENT:
                if col.autoincrement:
                    d = col.default  # a described target names its sequence (a down migration)
                    seq = q(d.sql) if d is not None and d.kind is DefaultKind.SEQUENCE else _sequence_name(step.after, col)
                    before.append(f"CREATE SEQUENCE {seq}")
                    clauses.append(f"ALTER COLUMN {name} SET DEFAULT nextval('{seq}')")
                    after.append(f"ALTER SEQUENCE {seq} OWNED BY {table}.{name}")
                else:
                    # Prisma sets the new default and then drops the sequence's default, in
                    # that order (the column ends without a default), as it prints it.
                    default = default_sql(col)
                    if default:
                        clauses.append(f"ALTER COLUMN {name} SET DEFAULT {default}")
                    clauses.append(f"ALTER COLUMN {name} DROP DEFAULT")
                    d = ch.before.default
                    seq = d.sql if d is not None and d.kind is DefaultKind.SEQUENCE else ""
                    (after if seq else unnamed_sequences).append(f"DROP SEQUENCE {q(seq)}")
            if ch.changes & ColumnChange.TYPE:
                clauses.append(f"ALTER COLUMN {name} SET DATA TYPE {col.type}")
    statements = list(before)
    if clauses:
        statements.append(f"ALTER TABLE {table} " + ",\n".join(clauses))
    # Prisma writes no `DROP SEQUENCE ""` in a table where it also creates a sequence. A
    # described database names its sequences: those are dropped, or a down migration that
    # creates them again would find them.
    return statements + after + ([] if before else unnamed_sequences)


def alter_enum(step: s.AlterEnum) -> list[str]:
    name = qualified(step.after.name, step.after.namespace)
    if not step.removed:
        out = [f"ALTER TYPE {name} ADD VALUE '{v}'" for v in step.added]
        if len(out) > 1:
            out[0] = (
                "-- This migration adds more than one value to an enum.\n"
                "-- With PostgreSQL versions 11 and earlier, this is not possible\n"
                "-- in a single migration. This can be worked around by creating\n"
                "-- multiple migrations, each migration adding only one value to\n"
                "-- the enum.\n\n\n" + out[0]
            )
        return out
    new = qualified(step.after.name + "_new", step.after.namespace)
    old_bare = q(step.after.name + "_old")
    values = ", ".join(f"'{v}'" for v in step.after.values)
    out = ["BEGIN", f"CREATE TYPE {new} AS ENUM ({values})"]
    for use in step.uses:
        if use.default_before is not None:
            out.append(f"ALTER TABLE {qualified(use.table, use.namespace)} ALTER COLUMN {q(use.column.name)} DROP DEFAULT")
    for use in step.uses:
        suffix = "[]" if use.column.arity is ColumnArity.LIST else ""
        col = q(use.column.name)
        out.append(
            f"ALTER TABLE {qualified(use.table, use.namespace)} ALTER COLUMN {col} TYPE {new}{suffix} "
            f"USING ({col}::text::{new}{suffix})"
        )
    out.append(f"ALTER TYPE {name} RENAME TO {old_bare}")
    out.append(f"ALTER TYPE {new} RENAME TO {q(step.after.name)}")
    out.append(f"DROP TYPE {qualified(step.after.name + '_old', step.after.namespace)}")
    for use in step.uses:
        default = default_sql(use.column)
        if use.default_before is not None and default is not None:
            out.append(
                f"ALTER TABLE {qualified(use.table, use.namespace)} ALTER COLUMN {q(use.column.name)} SET DEFAULT {default}"
            )
    out.append("COMMIT")
    return out


def string_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _drop_views_and_triggers(step: s.DropViewsAndTriggers) -> list[str]:
    """Triggers first, then the functions holding a view, then the views, each before the views
    it reads (reverse creation order); a materialized view's indexes go with it."""
    out = [f"DROP TRIGGER {q(d.name)} ON {qualified(d.on, d.namespace)}" for d in step.objects if d.kind == "trigger"]
    out += [f"DROP FUNCTION {qualified(d.name, d.namespace)}({d.on})" for d in reversed(step.objects)
            if d.kind == s.VIEW_FUNCTION]
    return out + [f"DROP {d.kind.upper()} {qualified(d.name, d.namespace)}" for d in reversed(step.objects)
                  if d.kind in ("view", s.MATERIALIZED_VIEW)]


def _rules(column_lines=_column_lines, key_columns=_key_columns, index_column_list=_index_column_list) -> list:
    """(step class, render) in the order a step is matched (`isinstance`, a subclass by its
    first match: RemoveExtension as DropExtension)."""

    def drop_index(step: s.DropIndex) -> list[str]:
        if step.index.is_constraint:  # a UNIQUE constraint (from the database) owns its index
            return [f"ALTER TABLE {table_name(step.table)} DROP CONSTRAINT {q(step.index.name)}"]
        return [f"DROP INDEX {qualified(step.index.name, step.table.namespace)}"]

    def create_enum(step: s.CreateEnum) -> list[str]:
        values = ", ".join(f"'{v}'" for v in step.enum.values)
        return [f"CREATE TYPE {qualified(step.enum.name, step.enum.namespace)} AS ENUM ({values})"]

    return [
        (s.CreateSchema, lambda step: [f"CREATE SCHEMA IF NOT EXISTS {q(step.namespace)}"]),
        (s.CreateExtension, lambda step: [create_extension(step.extension)]),
        (s.DropExtension, lambda step: [f"DROP EXTENSION {q(step.extension.name)}"]),
        (s.CreateEnum, create_enum),
        (s.DropEnum, lambda step: [f"DROP TYPE {qualified(step.enum.name, step.enum.namespace)}"]),
        (s.AlterEnum, alter_enum),
        (s.RenameEnum, lambda step: [
            f"ALTER TYPE {qualified(step.before.name, step.before.namespace)} RENAME TO {q(step.after.name)}"]),
        (s.RenameEnumValue, lambda step: [
            f"ALTER TYPE {qualified(step.enum.name, step.enum.namespace)} RENAME VALUE "
            f"{string_literal(step.old)} TO {string_literal(step.new)}"]),
        (s.RenameTable, lambda step: (
            [f"ALTER TABLE {table_name(step.before)} RENAME TO {q(step.after.name)}"]
            + [f"ALTER SEQUENCE {qualified(old, step.after.namespace)} RENAME TO {q(new)}"
               for old, new in step.sequences])),
        (s.RenameColumn, lambda step: [
            f"ALTER TABLE {table_name(step.table)} RENAME COLUMN {q(step.before.name)} TO {q(step.after.name)}"]),
        (s.CreateTable, lambda step: [create_table(step.table, column_lines, key_columns)]),
        (s.DropTable, lambda step: [f"DROP TABLE {table_name(step.table)}"]),
        (s.AlterTable, alter_table),
        (s.CreateIndex, lambda step: [create_index(step.table, step.index, index_column_list)]),
        (s.DropIndex, drop_index),
        (s.RenameIndex, lambda step: [
            f"ALTER INDEX {qualified(step.before.name, step.table.namespace)} RENAME TO {q(step.after.name)}"]),
        (s.RedefineIndex, lambda step: [f"DROP INDEX {qualified(step.before.name, step.table.namespace)}",
                                        create_index(step.table, step.after, index_column_list)]),
        (s.AddForeignKey, lambda step: [foreign_key(step.table, step.foreign_key)]),
        (s.DropForeignKey, lambda step: [
            f"ALTER TABLE {table_name(step.table)} DROP CONSTRAINT {q(step.foreign_key.name)}"]),
        (s.RenameForeignKey, lambda step: [
            f"ALTER TABLE {table_name(step.table)} RENAME CONSTRAINT {q(step.before.name)} TO {q(step.after.name)}"]),
        (s.DropViewsAndTriggers, _drop_views_and_triggers),
        (s.CreateViewsAndTriggers, lambda step: [sql for d in step.objects for sql in (d.create, *d.after)]),
    ]


_render = dispatcher(_rules(), "PostgreSQL")


def render_step(step: s.Step, dialect) -> list[str]:
    return _render(step)


def renderer(dialect):
    """`render(step)` for one script: each column and index column written once (a calculated
    schema shares its equal columns between tables; see `lamina.sql.calculate`)."""
    return dispatcher(_rules(memo_joiner(_column_line, ",\n"), memo_joiner(_key_column, ","),
                             memo_joiner(index_column, ", ")), "PostgreSQL")
