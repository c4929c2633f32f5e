"""`Dialect`: everything that differs between SQL databases, behind one small class.

Hooks default to the safe answer: a dialect that does not override `can_alter_column`
gets table redefinitions or drop-and-recreate instead; one that does not override
`supports_enums` gets enums as text. Adding a dialect never silently enables something
dangerous.

Each dialect lives in `lamina.dialects.<d>`: `calculate.py` (Prisma types and defaults),
`render.py` (steps -> SQL), `describe.py` (live database -> SqlSchema, imported lazily).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lamina.datamodel import Datamodel, ScalarField
    from lamina.sql.diff import Migration
    from lamina.sql.schema import Column, ColumnDefault, Index, SqlSchema
    from lamina.sql.steps import Step


EMPTY_MIGRATION = "-- This is an empty migration."


def _column_changes(before: Column, after: Column):
    """`lamina.sql.diff.columns.column_changes`, imported on first use (the differ is not
    imported by what only uses a dialect's other parts); this name is then that function."""
    global _column_changes
    from lamina.sql.diff.columns import column_changes

    _column_changes = column_changes
    return column_changes(before, after)


class Dialect:
    """Base class; subclasses set `provider`/`package` and override what their database allows."""

    provider: str = ""  # Prisma's provider name: "sqlite", "postgresql", "mysql"
    package: str = ""  # lamina.dialects.<package>
    display_name: str = ""
    supports_enums: bool = False  # native enum types (PostgreSQL CREATE TYPE)
    supports_namespaces: bool = False  # multiSchema
    supports_alter_column: bool = False  # ALTER COLUMN type/nullability/default in place
    supports_alter_foreign_keys: bool = False  # ADD/DROP CONSTRAINT ... FOREIGN KEY on existing tables
    supports_alter_primary_key: bool = False
    supports_rename_index: bool = False
    supports_rename_foreign_key: bool = False
    supports_drop_column: bool = False  # without redefinition
    named_primary_keys: bool = False
    inline_indexes: bool = False  # CREATE TABLE carries the table's indexes (MySQL)
    implicit_fk_indexes: bool = False  # the database indexes foreign keys itself and keeps it (MySQL)
    drop_column_drops_indexes: bool = False  # DROP COLUMN drops every index on it (PostgreSQL)
    identifier_max_length: int = 63

    # ------------------------------------------------------------------ modules

    def _module(self, name: str):
        cache = self.__dict__.setdefault("_modules", {})
        module = cache.get(name)
        if module is None:
            module = cache[name] = importlib.import_module(f"lamina.dialects.{self.package}.{name}")
        return module

    # ------------------------------------------------------------------ calculation

    def calculator(self):
        """The dialect's `calculate` module (`column_type(field, datamodel)`,
        `column_default(field, datamodel)`): the SQL calculation looks its functions up once."""
        return self._module("calculate")

    def column_type(self, field: ScalarField, datamodel: Datamodel) -> str:
        """The DDL type of a scalar field, normalised as `SqlSchema` stores it."""
        return self._module("calculate").column_type(field, datamodel)

    def column_default(self, field: ScalarField, datamodel: Datamodel) -> ColumnDefault | None:
        return self._module("calculate").column_default(field, datamodel)

    def is_autoincrement(self, field: ScalarField, single_id: bool) -> bool:
        return field.default is not None and field.default.kind == "autoincrement"  # a str Enum

    # ------------------------------------------------------------------ diffing hooks

    def columns_differ(self, before: Column, after: Column):
        """`ColumnChange` flags between two versions of a column."""
        return _column_changes(before, after)

    def type_change(self, before: Column, after: Column):
        """How a type change can be carried out; the safe default is drop and recreate."""
        from lamina.sql.steps import TypeChange

        return TypeChange.NOT_CASTABLE

    def type_display(self, column: Column) -> str:
        """A column type as Prisma names it in warnings (e.g. `String`, `VarChar(100)`)."""
        family = column.family or column.type
        return "String" if family.startswith("Enum:") else family

    def must_recreate_column(self, before: Column, after: Column, changes) -> bool:
        """Whether a changed column is dropped and added again (no cast exists)."""
        return False

    def must_redefine(self, before, after, cols_added, cols_dropped, altered, pk_changed,
                      fk_created, fk_dropped, fk_renamed) -> bool:
        """Whether a changed table is rebuilt (new table, copy, drop, rename) rather than
        altered. Safe default: rebuild whenever anything but an index changes."""
        return bool(cols_added or cols_dropped or altered or pk_changed or fk_created or fk_dropped or fk_renamed)

    # ------------------------------------------------------------------ rendering

    def predicate_key(self, predicate: str | None) -> str | None:
        """A partial index's predicate as the database means it (`Index.predicate_key`): by
        default the text itself (SQLite keeps it as written); PostgreSQL ignores what its server
        rewrites."""
        from lamina.sql.predicates import text_key

        return text_key(predicate)

    def predicates_match(self, before: Index, after: Index, against_database: bool) -> bool:
        """Whether two indexes' predicates are the same (`against_database`: one side was read
        from a database). By default their texts, as Prisma compares SQLite's."""
        return before.predicate_key == after.predicate_key

    def quote(self, name: str) -> str:
        from lamina.dialects.common import double_quote

        return double_quote(name)

    def render_step(self, step: Step) -> list[str]:
        """The statements of one step, without terminators."""
        return self._module("render").render_step(step, self)

    def render_script(self, migration: Migration, *, include_warnings: bool = True) -> str:
        """Prisma's migration.sql text for `migration`, ending with a single newline.

        `include_warnings` adds the `/* Warnings: ... */` header that `migrate dev` writes
        (`migrate diff --script` prints the script without it).
        """
        if migration.is_empty:
            return EMPTY_MIGRATION + "\n"
        out: list[str] = []
        notes = list(migration.warnings) + list(migration.unexecutable)
        if include_warnings and notes:
            out.append("/*\n  Warnings:\n\n" + "".join(f"  - {n}\n" for n in notes) + "\n*/\n")
        # One list of pieces joined once (no string per block): `-- Name` headers, then each
        # statement and its terminator; blocks are separated by a blank line.
        render = self.step_renderer()
        for_step = getattr(render, "for_step", None) or (lambda step: render)
        by_type: dict[type, tuple[str, Any]] = {}  # step class -> (header, its render function)
        append = out.append
        first = True
        for step in migration.steps:
            known = by_type.get(step.__class__)
            if known is None:
                known = by_type[step.__class__] = (f"\n-- {step.name}\n", for_step(step))
            header, fn = known
            if first:
                append(header[1:])
                first = False
            else:
                append(header)
            for statement in fn(step):
                append(statement)
                append(";\n")
        return "".join(out)

    def step_renderer(self):
        """`render(step) -> statements` for the steps of one script: the dialect's renderer may
        remember what the steps share (the columns of a calculated schema) while it lives."""
        module = self._module("render")
        renderer = getattr(module, "renderer", None)
        if renderer is not None:
            return renderer(self)
        render_step = module.render_step
        return lambda step: render_step(step, self)

    # ------------------------------------------------------------------ introspection

    def describe(self, conn: Any, namespaces: list[str] | None = None) -> SqlSchema:
        """The SqlSchema of a live database (raw driver connection), comparable with the
        calculated one: with `namespaces` (multiSchema), every namespace is named."""
        schema = self._module("describe").describe(conn, namespaces)
        if namespaces and self.supports_namespaces:
            schema = self.name_default_namespace(conn, schema, namespaces)
        return schema

    def name_default_namespace(self, conn: Any, schema: SqlSchema, namespaces: list[str]) -> SqlSchema:
        """Hook: the describer writes the default namespace as None, multiSchema names it."""
        return schema

    def __repr__(self) -> str:
        return f"<Dialect {self.provider}>"
