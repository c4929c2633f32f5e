"""Migration steps: what the differ decides, before any SQL is written.

Conventions:
- Every step is a dataclass with a `kind` (`StepKind`), compared and hashed by value, never
  changed after it is made (`dataclasses.replace` makes another). Slotted and not
  `frozen=True`, as the `SqlSchema` classes are: a frozen dataclass's `__init__` sets each
  field through `object.__setattr__`, and a 10,000-model migration makes 40,000 steps.
- The kind's value *is* the execution order; within a kind, steps keep the order of the
  objects they touch in the schema they come from (`order`), as Prisma sorts its steps by
  variant then by id (`sort_key`).
- `name` (the `-- Name` header) is per class, not per step.
- Steps hold whole `SqlSchema` objects (tables, columns, indexes), not names, so that a
  renderer needs nothing else and a step can say what undoes it (`inverse()`).
- Rendering lives in `lamina.dialects.<d>.render`; a step never writes SQL.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Flag, IntEnum, auto

from lamina.sql.schema import Column, EnumType, Extension, ForeignKey, Index, PrimaryKey, Table


class StepKind(IntEnum):
    """Execution order of steps, with Prisma's reasons."""

    CREATE_SCHEMA = auto()  # namespaces first: everything else may live in them
    # Extensions next (Prisma's order): their types (citext...) may be used by any column.
    DROP_EXTENSION = auto()
    CREATE_EXTENSION = auto()
    # Renames (declared by the user, never guessed) come before every other step: the steps
    # after them name tables, columns and enums by their new names.
    RENAME_ENUM = auto()
    RENAME_ENUM_VALUE = auto()
    RENAME_TABLE = auto()
    RENAME_COLUMN = auto()
    # Lamina's own (Prisma's migrations leave views and triggers alone): the views and triggers
    # a column type change cannot run under (PostgreSQL), or that a rename leaves naming the old
    # name (MySQL), dropped after the renames (the steps name objects by their new names) and
    # before any step that alters a column's type (ALTER_ENUM does too), created again once
    # everything else is done (lamina.migrate.redefine_dependents).
    DROP_VIEWS_AND_TRIGGERS = auto()
    # MySQL/SQLite have no enum type to rename a value in: the rows are rewritten, after the
    # tables and columns took their new names (the step names them so).
    REWRITE_ENUM_VALUE = auto()
    CREATE_ENUM = auto()  # before tables whose columns use the type
    ALTER_ENUM = auto()  # before columns are altered to use the new values
    DROP_FOREIGN_KEY = auto()  # before the tables, columns and indexes they depend on go
    DROP_INDEX = auto()  # before ALTER TABLE drops their columns, and frees their names
    ALTER_TABLE = auto()
    DROP_TABLE = auto()  # before CREATE TABLE/INDEX: new objects may reuse dropped tables' names
    # after DROP TABLE (a dropped table may still use the type), before CREATE TABLE (a new
    # table may reuse a dropped type's name): Prisma 7.10.1's order, checked
    DROP_ENUM = auto()
    CREATE_TABLE = auto()
    REDEFINE_TABLES = auto()  # SQLite: after new tables exist, so copies may reference them
    CREATE_INDEX = auto()  # after ALTER TABLE created their columns
    ADD_FOREIGN_KEY = auto()  # after CREATE INDEX: a key may need the unique index made there
    RENAME_INDEX = auto()
    RENAME_FOREIGN_KEY = auto()
    REDEFINE_INDEX = auto()  # SQLite renames an index by dropping and creating it
    CREATE_VIEWS_AND_TRIGGERS = auto()  # the ones DROP_VIEWS_AND_TRIGGERS dropped
    # An extension gone for good (drift, a down migration; Prisma never writes this): last, once
    # the columns using its types are gone.
    REMOVE_EXTENSION = auto()


class ColumnChange(Flag):
    """What differs between two versions of a column; renderer and checks both read it."""

    NONE = 0
    TYPE = auto()
    ARITY = auto()  # nullability (or list-ness)
    DEFAULT = auto()
    AUTOINCREMENT = auto()


class TypeChange(IntEnum):
    """How a column type change can be carried out (ordered by risk)."""

    SAFE = 0  # an implicit cast that cannot fail
    RISKY = 1  # a cast that may fail or lose precision (warned)
    NOT_CASTABLE = 2  # drop and recreate the column


def sort_key(step: Step) -> tuple:
    """Execution order: the kind, then the position of the objects the step touches."""
    # A late DropIndex's order extends its table's AlterTable order (before, after position):
    # it runs right after that ALTER TABLE, before the next table's, as Prisma orders them.
    return (StepKind.ALTER_TABLE if step.after_alter_table else step.kind, step.order)


@dataclass(slots=True, unsafe_hash=True)
class Step:
    kind = StepKind.ALTER_TABLE
    order: tuple = field(default=(), compare=False)
    # Prisma runs a dropped index after ALTER TABLE when that ALTER adds the primary key
    # the index used to stand in for; `after_alter_table` records that exception.
    after_alter_table: bool = field(default=False, compare=False)

    # The `-- Name` header Prisma writes above the step's statements: the kind's name in
    # CamelCase, set on each class below (a string per class, not per step).
    name = "AlterTable"

    def sort_key(self) -> tuple:
        return sort_key(self)

    def inverse(self) -> Step | None:
        """The step that undoes this one, when it can be undone without data (else None)."""
        return None


@dataclass(slots=True, unsafe_hash=True)
class CreateSchema(Step):
    kind = StepKind.CREATE_SCHEMA
    namespace: str = ""


@dataclass(slots=True, unsafe_hash=True)
class CreateExtension(Step):
    kind = StepKind.CREATE_EXTENSION
    extension: Extension = None  # type: ignore[assignment]

    def inverse(self) -> Step:
        return DropExtension(extension=self.extension, order=self.order)


@dataclass(slots=True, unsafe_hash=True)
class DropExtension(Step):
    kind = StepKind.DROP_EXTENSION
    extension: Extension = None  # type: ignore[assignment]

    def inverse(self) -> Step:
        return CreateExtension(extension=self.extension, order=self.order)


@dataclass(slots=True, unsafe_hash=True)
class RemoveExtension(DropExtension):
    kind = StepKind.REMOVE_EXTENSION


@dataclass(slots=True, unsafe_hash=True)
class CreateEnum(Step):
    kind = StepKind.CREATE_ENUM
    enum: EnumType = None  # type: ignore[assignment]

    def inverse(self) -> Step:
        return DropEnum(enum=self.enum, order=self.order)


@dataclass(slots=True, unsafe_hash=True)
class EnumUse:
    """A column typed with an enum being altered: needed for the PostgreSQL rename dance."""

    table: str
    namespace: str | None
    column: Column  # the column as it will be (its default is restored after)
    default_before: str | None  # the default to drop before the type swap


@dataclass(slots=True, unsafe_hash=True)
class AlterEnum(Step):
    kind = StepKind.ALTER_ENUM
    before: EnumType = None  # type: ignore[assignment]
    after: EnumType = None  # type: ignore[assignment]
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    uses: tuple[EnumUse, ...] = ()

    def inverse(self) -> Step:
        return AlterEnum(before=self.after, after=self.before, added=self.removed, removed=self.added,
                         uses=self.uses, order=self.order)


@dataclass(slots=True, unsafe_hash=True)
class DropEnum(Step):
    kind = StepKind.DROP_ENUM
    enum: EnumType = None  # type: ignore[assignment]

    def inverse(self) -> Step:
        return CreateEnum(enum=self.enum, order=self.order)


@dataclass(slots=True, unsafe_hash=True)
class CreateTable(Step):
    kind = StepKind.CREATE_TABLE
    table: Table = None  # type: ignore[assignment]

    def inverse(self) -> Step:
        return DropTable(table=self.table, order=self.order)


@dataclass(slots=True, unsafe_hash=True)
class DropTable(Step):
    kind = StepKind.DROP_TABLE
    table: Table = None  # type: ignore[assignment]


@dataclass(slots=True, unsafe_hash=True)
class CreateIndex(Step):
    kind = StepKind.CREATE_INDEX
    table: Table = None  # type: ignore[assignment]
    index: Index = None  # type: ignore[assignment]

    def inverse(self) -> Step:
        return DropIndex(table=self.table, index=self.index, order=self.order)


@dataclass(slots=True, unsafe_hash=True)
class DropIndex(Step):
    kind = StepKind.DROP_INDEX
    table: Table = None  # type: ignore[assignment]
    index: Index = None  # type: ignore[assignment]

    def inverse(self) -> Step:
        return CreateIndex(table=self.table, index=self.index, order=self.order)


@dataclass(slots=True, unsafe_hash=True)
class RenameIndex(Step):
    kind = StepKind.RENAME_INDEX
    table: Table = None  # type: ignore[assignment]
    before: Index = None  # type: ignore[assignment]
    after: Index = None  # type: ignore[assignment]

    def inverse(self) -> Step:
        return RenameIndex(table=self.table, before=self.after, after=self.before, order=self.order)


@dataclass(slots=True, unsafe_hash=True)
class AddForeignKey(Step):
    kind = StepKind.ADD_FOREIGN_KEY
    table: Table = None  # type: ignore[assignment]
    foreign_key: ForeignKey = None  # type: ignore[assignment]

    def inverse(self) -> Step:
        return DropForeignKey(table=self.table, foreign_key=self.foreign_key, order=self.order)


@dataclass(slots=True, unsafe_hash=True)
class DropForeignKey(Step):
    kind = StepKind.DROP_FOREIGN_KEY
    table: Table = None  # type: ignore[assignment]
    foreign_key: ForeignKey = None  # type: ignore[assignment]

    def inverse(self) -> Step:
        return AddForeignKey(table=self.table, foreign_key=self.foreign_key, order=self.order)


@dataclass(slots=True, unsafe_hash=True)
class RenameEnum(Step):
    kind = StepKind.RENAME_ENUM
    before: EnumType = None  # type: ignore[assignment]
    after: EnumType = None  # type: ignore[assignment]

    def inverse(self) -> Step:
        return RenameEnum(before=self.after, after=self.before, order=self.order)


@dataclass(slots=True, unsafe_hash=True)
class RenameEnumValue(Step):
    """A value of a native enum type (PostgreSQL) renamed in place: rows keep it."""

    kind = StepKind.RENAME_ENUM_VALUE
    enum: EnumType = None  # type: ignore[assignment]  # the enum before the rename
    old: str = ""
    new: str = ""

    def inverse(self) -> Step:
        values = tuple(self.new if v == self.old else v for v in self.enum.values)
        return RenameEnumValue(enum=EnumType(self.enum.name, values, self.enum.namespace), old=self.new,
                               new=self.old, order=self.order)


@dataclass(slots=True, unsafe_hash=True)
class EnumValueUse:
    """A column that holds an enum's values inline (MySQL `ENUM(...)`, SQLite TEXT), as it is
    before and after a value rename (on SQLite both are the same: TEXT does not change)."""

    table: Table
    before: Column
    after: Column


@dataclass(slots=True, unsafe_hash=True)
class RewriteEnumValue(Step):
    """An enum value renamed where enums are not types (MySQL, SQLite): the rows of every
    column using the enum are updated from `old` to `new` (MySQL widens the column's ENUM to
    hold both values first). Written as `-- RenameEnumValue`, as on PostgreSQL."""

    kind = StepKind.REWRITE_ENUM_VALUE
    enum: str = ""
    old: str = ""
    new: str = ""
    uses: tuple[EnumValueUse, ...] = ()

    name = "RenameEnumValue"

    def inverse(self) -> Step:
        return RewriteEnumValue(enum=self.enum, old=self.new, new=self.old, order=self.order,
                                uses=tuple(EnumValueUse(u.table, u.after, u.before) for u in self.uses))


@dataclass(slots=True, unsafe_hash=True)
class RenameTable(Step):
    """The table keeps its rows, indexes, keys and sequences; the steps after it rename the
    indexes and constraints to the names Prisma derives from the new name. `sequences`
    (PostgreSQL): owned sequences renamed with the table, (old, new) names."""

    kind = StepKind.RENAME_TABLE
    before: Table = None  # type: ignore[assignment]
    after: Table = None  # type: ignore[assignment]
    sequences: tuple[tuple[str, str], ...] = ()

    def inverse(self) -> Step:
        return RenameTable(before=self.after, after=self.before,
                           sequences=tuple((n, o) for o, n in self.sequences), order=self.order)


@dataclass(slots=True, unsafe_hash=True)
class RenameColumn(Step):
    kind = StepKind.RENAME_COLUMN
    table: Table = None  # type: ignore[assignment]  # the table (under its new name) holding the column
    before: Column = None  # type: ignore[assignment]
    after: Column = None  # type: ignore[assignment]

    def inverse(self) -> Step:
        return RenameColumn(table=self.table, before=self.after, after=self.before, order=self.order)


@dataclass(slots=True, unsafe_hash=True)
class RedefineIndex(Step):
    kind = StepKind.REDEFINE_INDEX
    table: Table = None  # type: ignore[assignment]
    before: Index = None  # type: ignore[assignment]
    after: Index = None  # type: ignore[assignment]


@dataclass(slots=True, unsafe_hash=True)
class RenameForeignKey(Step):
    kind = StepKind.RENAME_FOREIGN_KEY
    table: Table = None  # type: ignore[assignment]
    before: ForeignKey = None  # type: ignore[assignment]
    after: ForeignKey = None  # type: ignore[assignment]


# ---------------------------------------------------------------- ALTER TABLE and its clauses


@dataclass(slots=True, unsafe_hash=True)
class AddColumn:
    column: Column


@dataclass(slots=True, unsafe_hash=True)
class DropColumn:
    column: Column


@dataclass(slots=True, unsafe_hash=True)
class AlterColumn:
    before: Column
    after: Column
    changes: ColumnChange
    type_change: TypeChange | None = None  # set when `changes` has TYPE


@dataclass(slots=True, unsafe_hash=True)
class DropAndRecreateColumn:
    """A type change with no cast (or an arity change PostgreSQL cannot do in place)."""

    before: Column
    after: Column
    changes: ColumnChange


@dataclass(slots=True, unsafe_hash=True)
class DropPrimaryKey:
    primary_key: PrimaryKey


@dataclass(slots=True, unsafe_hash=True)
class AddPrimaryKey:
    primary_key: PrimaryKey


@dataclass(slots=True, unsafe_hash=True)
class RenamePrimaryKey:
    before: PrimaryKey
    after: PrimaryKey


TableChange = AddColumn | DropColumn | AlterColumn | DropAndRecreateColumn | DropPrimaryKey | AddPrimaryKey | RenamePrimaryKey


@dataclass(slots=True, unsafe_hash=True)
class AlterTable(Step):
    kind = StepKind.ALTER_TABLE
    before: Table = None  # type: ignore[assignment]
    after: Table = None  # type: ignore[assignment]
    changes: tuple[TableChange, ...] = ()


@dataclass(slots=True, unsafe_hash=True)
class RedefineTable:
    """SQLite: rebuild `before` as `after`, copying the columns both share."""

    before: Table
    after: Table
    copied: tuple[tuple[Column, Column], ...]  # (before, after) pairs whose data is copied
    dropped: tuple[Column, ...] = ()
    added: tuple[Column, ...] = ()
    altered: tuple[AlterColumn, ...] = ()


@dataclass(slots=True, unsafe_hash=True)
class RedefineTables(Step):
    kind = StepKind.REDEFINE_TABLES
    tables: tuple[RedefineTable, ...] = ()
    # (name, CREATE text) of the views that read the tables and of the triggers on them, on
    # those views, or naming them, in creation order: dropped before and created after the
    # redefinition (DROP TABLE drops a table's triggers; SQLite refuses the rename under a view
    # or a trigger naming the table). The differ knows neither (Prisma's migrations leave them
    # alone): `migrate dev` sets them from the shadow database for the migration and the down
    # it writes (lamina.migrate.redefine_dependents).
    views: tuple[tuple[str, str], ...] = ()
    triggers: tuple[tuple[str, str], ...] = ()
    # (name, CREATE text, why) of the triggers dropped and not created again: they name a
    # dropped column. The down written with the migration creates them again.
    lost_triggers: tuple[tuple[str, str, str], ...] = ()


MATERIALIZED_VIEW = "materialized view"  # a Dependent kind
FUNCTION = "function"  # a Dependent kind: replaced (CREATE OR REPLACE), never dropped
# A Dependent kind (PostgreSQL): a function taking or returning a dropped view's row type, or
# whose parsed body reads the view; DROP VIEW refuses under it, so it is dropped before the view
# and created again after it. Its `on` holds its argument types (DROP FUNCTION needs them).
VIEW_FUNCTION = "view function"


@dataclass(slots=True, unsafe_hash=True)
class Dependent:
    """A view or a trigger (which Prisma's schema does not model) that a step cannot run under,
    with its definition as the database gives it, to create it again after; or a function to
    replace after a rename (PostgreSQL)."""

    kind: str  # "view", "trigger", MATERIALIZED_VIEW, "index" (of a materialized view: it goes with it), FUNCTION, VIEW_FUNCTION
    name: str
    namespace: str | None
    on: str | None  # a trigger: the table or view it is on; an index: its materialized view; a VIEW_FUNCTION: its arguments
    create: str  # its CREATE statement, without terminator
    # Where it still names, as written, what may be a table or column the migration renames (a
    # MySQL view or trigger, a PostgreSQL function: a name the rewrite cannot be sure of): a
    # warning of the migration.
    left_as_written: tuple[str, ...] = ()
    # The statements that give it back what its definition does not carry, right after its
    # CREATE (PostgreSQL: a view's grants and comments, a trigger's comment).
    after: tuple[str, ...] = ()


@dataclass(slots=True, unsafe_hash=True)
class DropViewsAndTriggers(Step):
    kind = StepKind.DROP_VIEWS_AND_TRIGGERS
    objects: tuple[Dependent, ...] = ()  # in creation order (dropped in reverse)


@dataclass(slots=True, unsafe_hash=True)
class CreateViewsAndTriggers(Step):
    kind = StepKind.CREATE_VIEWS_AND_TRIGGERS
    objects: tuple[Dependent, ...] = ()  # in creation order


def _camel(kind: StepKind) -> str:
    return "".join(part.capitalize() for part in kind.name.split("_"))


def _name_steps(cls: type[Step]) -> None:
    for sub in cls.__subclasses__():
        if "name" not in sub.__dict__:
            sub.name = _camel(sub.kind)
        _name_steps(sub)


_name_steps(Step)
