"""Small, pure pieces: the set diff, step order, inverses, one-line renderings."""

from __future__ import annotations

from lamina.dialects import get_dialect
from lamina.sql.diff.sets import differences
from lamina.sql.schema import Column, ColumnArity, Index, IndexColumn, IndexKind, Table
from lamina.sql.steps import (
    AddColumn,
    AlterTable,
    CreateIndex,
    CreateTable,
    DropIndex,
    DropTable,
    StepKind,
)

USER = Table("User", (Column("id", "INTEGER", autoincrement=True), Column("email", "TEXT")))
EMAIL = Index("User_email_key", (IndexColumn("email"),), IndexKind.UNIQUE)


def test_differences_keep_orders():
    added, removed, common = differences([1, 2, 3], [3, 4, 1], key=lambda x: x)
    assert (added, removed, common) == ([4], [2], [(3, 3), (1, 1)])


def test_order_lives_in_the_kind():
    steps = [CreateIndex(table=USER, index=EMAIL), DropTable(table=USER), CreateTable(table=USER)]
    assert [s.name for s in sorted(steps, key=lambda s: s.sort_key())] == ["DropTable", "CreateTable", "CreateIndex"]
    assert StepKind.DROP_INDEX < StepKind.ALTER_TABLE < StepKind.CREATE_INDEX < StepKind.ADD_FOREIGN_KEY


def test_inverses():
    assert CreateTable(table=USER).inverse() == DropTable(table=USER)
    assert CreateIndex(table=USER, index=EMAIL).inverse() == DropIndex(table=USER, index=EMAIL)
    assert DropIndex(table=USER, index=EMAIL).inverse() == CreateIndex(table=USER, index=EMAIL)
    assert DropTable(table=USER).inverse() is None  # data cannot come back


def test_one_line_renderings():
    pg, sqlite = get_dialect("postgresql"), get_dialect("sqlite")
    avatar = AlterTable(before=USER, after=USER, changes=(AddColumn(Column("avatar", "TEXT", ColumnArity.NULLABLE)),))
    assert pg.render_step(avatar) == ['ALTER TABLE "User" ADD COLUMN     "avatar" TEXT']
    assert sqlite.render_step(avatar) == ['ALTER TABLE "User" ADD COLUMN "avatar" TEXT']
    assert pg.render_step(CreateIndex(table=USER, index=EMAIL)) == ['CREATE UNIQUE INDEX "User_email_key" ON "User"("email")']
    assert get_dialect("mysql").render_step(DropIndex(table=USER, index=EMAIL)) == [
        "DROP INDEX `User_email_key` ON `User`"
    ]


def test_postgres_unique_constraint_is_dropped_as_a_constraint():
    """A UNIQUE constraint found in the database owns its index: DROP INDEX would fail."""
    from dataclasses import replace

    constraint = replace(EMAIL, is_constraint=True)
    assert get_dialect("postgresql").render_step(DropIndex(table=USER, index=constraint)) == [
        'ALTER TABLE "User" DROP CONSTRAINT "User_email_key"'
    ]


def test_positional_step_fields():
    """The differ makes the steps of new tables with positional arguments (a keyword call costs
    twice as much): (order, after_alter_table, then the step's own fields)."""
    from dataclasses import fields

    from lamina.sql.steps import AddForeignKey

    assert [f.name for f in fields(CreateTable)] == ["order", "after_alter_table", "table"]
    assert [f.name for f in fields(CreateIndex)] == ["order", "after_alter_table", "table", "index"]
    assert [f.name for f in fields(AddForeignKey)] == ["order", "after_alter_table", "table", "foreign_key"]


def test_shared_columns_and_lookups():
    """The calculation shares equal columns between tables (values, never changed), the
    renderer writes each as before, and `SqlSchema.table()` finds tables by name."""
    from lamina.psl.load import parse_and_validate
    from lamina.sql.calculate import calculate
    from lamina.sql.diff import diff
    from lamina.sql.schema import SqlSchema

    text = 'datasource db {\n  provider = "postgresql"\n}\n' + "".join(
        f"model M{i} {{\n  id Int @id @default(autoincrement())\n  at DateTime @default(now())\n"
        f"  name String @unique\n}}\n" for i in range(3))
    _, _, dm = parse_and_validate([("schema.prisma", text)])
    pg = get_dialect("postgresql")
    schema = calculate(dm, pg)
    a, b = schema.tables[0], schema.tables[2]
    assert all(x is y for x, y in zip(a.columns, b.columns))
    assert schema.table("M2") is b and schema.table("M3") is None and schema.table("M2", "other") is None
    script = pg.render_script(diff(SqlSchema(), schema, pg))
    assert script.count('"id" SERIAL NOT NULL,\n    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,') == 3
