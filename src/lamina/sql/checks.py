"""Data-loss warnings and unexecutable steps, in Prisma's words.

These are Prisma's "pure" checks: they know no row counts, so they say "if the table is
not empty". `migrate dev` writes them in the `/* Warnings: */` header of migration.sql;
`db push` refuses without `--accept-data-loss`.
"""

from __future__ import annotations

import re

from lamina.sql.schema import ColumnArity, DefaultKind
from lamina.sql.steps import (
    AddColumn,
    AddForeignKey,
    AddPrimaryKey,
    AlterColumn,
    AlterEnum,
    AlterTable,
    ColumnChange,
    CreateEnum,
    CreateExtension,
    CreateIndex,
    CreateSchema,
    CreateTable,
    DropAndRecreateColumn,
    DropColumn,
    DropForeignKey,
    DropPrimaryKey,
    DropTable,
    RedefineTables,
    RenameColumn,
    RenameTable,
    TypeChange,
)


def drop_table(table: str) -> str:
    return f"You are about to drop the `{table}` table. If the table is not empty, all the data it contains will be lost."


def drop_column(table: str, column: str) -> str:
    return f"You are about to drop the column `{column}` on the `{table}` table. All the data in the column will be lost."


def risky_cast(table: str, column: str, before: str, after: str) -> str:
    return (
        f"You are about to alter the column `{column}` on the `{table}` table. The data in that column could be lost. "
        f"The data in that column will be cast from `{before}` to `{after}`."
    )


def alter_column(table: str, column: str) -> str:
    return (
        f"The `{column}` column on the `{table}` table would be dropped and recreated. "
        "This will lead to data loss if there is data in the column."
    )


def primary_key_change(table: str) -> str:
    return (
        f"The primary key for the `{table}` table will be changed. "
        "If it partially fails, the table could be left without primary key constraint."
    )


def unique_added(table: str, columns) -> str:
    return (
        f"A unique constraint covering the columns `[{','.join(columns)}]` on the table `{table}` will be added. "
        "If there are existing duplicate values, this will fail."
    )


def enum_values_removed(enum: str, values) -> str:
    return (
        f"The values [{','.join(values)}] on the enum `{enum}` will be removed. "
        "If these variants are still used in the database, this will fail."
    )


def required_added(table: str, column: str) -> str:
    return (
        f"Added the required column `{column}` to the `{table}` table without a default value. "
        "This is not possible if the table is not empty."
    )


def made_required(table: str, column: str) -> str:
    return (
        f"Made the column `{column}` on table `{table}` required. "
        "This step will fail if there are existing NULL values in that column."
    )


def recreated_required(table: str, column: str) -> str:
    return (
        f"Changed the type of `{column}` on the `{table}` table. No cast exists, the column would be dropped "
        "and recreated, which cannot be done if there is data, since the column is required."
    )


_ENUM_VALUE = re.compile(r"'((?:[^']|'')*)'")


def _inline_enum_values(column) -> tuple[str, ...] | None:
    """The values of a MySQL inline `ENUM('A','B')` column type, else None."""
    if not column.type.upper().startswith("ENUM("):
        return None
    return tuple(v.replace("''", "'") for v in _ENUM_VALUE.findall(column.type))


def _needs_value(column) -> bool:
    d = column.default
    has_default = d is not None and not (d.kind is DefaultKind.DBGENERATED and not d.sql)
    return column.arity is ColumnArity.REQUIRED and not has_default and not column.autoincrement


def check(migration, dialect) -> tuple[list[str], list[str]]:
    """(warnings, unexecutable) for a migration, in step order."""
    warnings: list[str] = []
    unexecutable: list[str] = []
    existing: set[tuple[str | None, str]] | None = None  # the tables before, built when first needed
    renamed_tables, swapped = _renames(migration.steps)
    for step in migration.steps:
        if step.__class__ in _SILENT:
            continue
        if swapped and _same_pairs(step, swapped):
            continue
        if isinstance(step, CreateIndex) and step.index.kind == "unique":
            if existing is None:
                existing = {(t.namespace, t.name) for t in migration.before.tables} | renamed_tables
            if (step.table.namespace, step.table.name) in existing:
                warnings.append(unique_added(step.table.name, [c.name for c in step.index.columns]))
        elif isinstance(step, DropTable):
            warnings.append(drop_table(step.table.name))
        elif isinstance(step, AlterEnum) and step.removed:
            warnings.append(enum_values_removed(step.before.name, step.removed))
        elif isinstance(step, AlterTable):
            _table_changes(step.after.name, step.changes, warnings, unexecutable, dialect)
        elif isinstance(step, RedefineTables):
            for r in step.tables:
                changes = [DropColumn(c) for c in r.dropped] + [AddColumn(c) for c in r.added] + list(r.altered)
                if (r.before.primary_key and r.after.primary_key
                        and r.before.primary_key.columns != r.after.primary_key.columns):
                    changes.insert(0, AddPrimaryKey(r.after.primary_key))
                _table_changes(r.after.name, changes, warnings, unexecutable, dialect, redefined=True)
    return warnings, unexecutable


# Steps that never warn (a new table, a new key...): skipped without the tests below.
_SILENT = frozenset({CreateTable, AddForeignKey, DropForeignKey, CreateEnum, CreateSchema, CreateExtension})


def _renames(steps) -> tuple[set[tuple[str | None, str]], set[tuple[str | None, str]]]:
    """(the tables renamed, under their new names; the tables whose column renames only permute
    names: an implicit many-to-many table whose `A` and `B` swapped, `lamina.sql.diff.join_tables`)."""
    tables: set[tuple[str | None, str]] = set()
    renames: dict[tuple[str | None, str], list[tuple[str, str]]] = {}
    for s in steps:
        if s.__class__ is RenameColumn:
            renames.setdefault((s.table.namespace, s.table.name), []).append((s.before.name, s.after.name))
        elif s.__class__ is RenameTable:
            tables.add((s.after.namespace, s.after.name))
    return tables, {key for key, pairs in renames.items()
                    if {o for o, _ in pairs} == {n for _, n in pairs} >= {"A", "B"}}


def _same_pairs(step, swapped) -> bool:
    """The key on (A, B) of a swapped join table, built again in Prisma's column order: the
    same pairs were unique before, so the warnings of a new key (duplicates) do not apply."""
    if isinstance(step, CreateIndex):
        return (step.table.namespace, step.table.name) in swapped and {c.name for c in step.index.columns} == {"A", "B"}
    if isinstance(step, AlterTable) and (step.after.namespace, step.after.name) in swapped:
        return all(isinstance(ch, (DropPrimaryKey, AddPrimaryKey)) for ch in step.changes)
    return False


def _table_changes(table: str, changes, warnings: list[str], unexecutable: list[str], dialect,
                   redefined: bool = False) -> None:
    # A key added where there was none warns of nothing (Prisma 7.10.1: an old m:n table's
    # `_AB_pkey`); a redefined table's AddPrimaryKey stands for a key that changed.
    replaces_a_key = redefined or any(isinstance(ch, DropPrimaryKey) for ch in changes)
    for ch in changes:
        if isinstance(ch, AddPrimaryKey):
            if replaces_a_key:
                warnings.append(primary_key_change(table))
        elif isinstance(ch, DropColumn):
            warnings.append(drop_column(table, ch.column.name))
        elif isinstance(ch, AddColumn):
            if _needs_value(ch.column):
                unexecutable.append(required_added(table, ch.column.name))
        elif isinstance(ch, DropAndRecreateColumn):
            if _needs_value(ch.after):
                unexecutable.append(recreated_required(table, ch.after.name))
            else:
                warnings.append(alter_column(table, ch.after.name))
        elif isinstance(ch, AlterColumn):
            inline = _inline_enum_values(ch.before), _inline_enum_values(ch.after)
            if ch.changes & ColumnChange.TYPE and None not in inline:
                # MySQL's inline ENUM(...) column: the change is its list of values. Values added
                # lose nothing; removed ones fail on rows that hold them (named as Prisma names a
                # MySQL enum: table_column).
                removed = [v for v in inline[0] if v not in inline[1]]
                if removed:
                    warnings.append(enum_values_removed(f"{table}_{ch.after.name}", removed))
            elif ch.changes & ColumnChange.TYPE and ch.type_change is not TypeChange.SAFE:
                warnings.append(risky_cast(table, ch.after.name, dialect.type_display(ch.before),
                                           dialect.type_display(ch.after)))
            # A redefinition copies NULLs as the new default (coalesce); SET NOT NULL cannot.
            if (ch.changes & ColumnChange.ARITY and ch.before.arity is ColumnArity.NULLABLE
                    and ch.after.arity is ColumnArity.REQUIRED and not (redefined and ch.after.default)):
                unexecutable.append(made_required(table, ch.after.name))
