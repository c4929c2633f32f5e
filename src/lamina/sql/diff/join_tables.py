"""The table of an implicit many-to-many relation follows the renames of its models.

Prisma names such a table `_<relation>`, where a relation without a name is called after its
two models in alphabetical order (`_PostToTag`), and its column `A` points at the model that
comes first, `B` at the other. Renaming a model therefore renames the table (`_PostToUser`
becomes `_AuthorToPost` when User is renamed Author) and, when the alphabetical order of the
two models flips, swaps what `A` and `B` mean. Prisma drops the table and creates the new one:
every link between the rows is lost.

Once the user decided the model renames, the join tables follow without a question (they
are no guess: their rows are the relation between two tables the user said are renamed):
the table is renamed, and on a flip its columns swap names through a third one (`A` -> `_A`,
`B` -> `A`, `_A` -> `B`). The ordinary diff then gives the indexes, the primary key and the
foreign keys Prisma's names and column order.
"""

from __future__ import annotations

from typing import Any

from lamina.sql.diff.renames import Rename, apply
from lamina.sql.schema import SqlSchema, Table

SWAP_COLUMN = "_A"  # the third name of a swap; a join table has only A and B


def is_join_table(t: Table) -> bool:
    """An implicit many-to-many table as Prisma creates it: `_Name(A, B)`, a key on each."""
    return (t.name.startswith("_") and sorted(c.name for c in t.columns) == ["A", "B"]
            and sorted(fk.columns for fk in t.foreign_keys) == [("A",), ("B",)])


def _targets(t: Table) -> tuple[str, str]:
    """(the table `A` references, the table `B` references)."""
    by_column = {fk.columns[0]: fk.referenced_table for fk in t.foreign_keys}
    return by_column["A"], by_column["B"]


def join_table_renames(before: SqlSchema, after: SqlSchema, decided: list[Rename], dialect: Any) -> list[Rename]:
    """The renames that carry the join tables of the renamed tables in `decided` over to
    `after`: a table rename, and a swap of `A` and `B` where the order of the models flipped.
    A join table that pairs with no table of `after`, or with more than one, is left to the
    diff (dropped and created, as Prisma does)."""
    table_renames = [r for r in decided if r.kind == "table"]
    if not table_renames:
        return []
    current, _ = apply(before, table_renames, dialect)
    renamed = {r.new for r in table_renames}
    wanted = [t for t in after.tables if is_join_table(t)]
    taken: set[str] = set()
    out: list[Rename] = []
    for j in current.tables:
        if not is_join_table(j) or not renamed & set(_targets(j)):
            continue
        refs = _targets(j)
        same_name = after.table(j.name, j.namespace)
        if same_name is not None and is_join_table(same_name) and sorted(_targets(same_name)) == sorted(refs):
            target = same_name  # a named relation (`@relation("x")`): the name stays
        else:
            matches = [t for t in wanted if t.namespace == j.namespace and t.name not in taken
                       and current.table(t.name, t.namespace) is None and sorted(_targets(t)) == sorted(refs)]
            if len(matches) != 1:
                continue
            target = matches[0]
        taken.add(target.name)
        if target.name != j.name:
            out.append(Rename("table", j.name, target.name, None, j.namespace))
        if refs[0] != refs[1] and _targets(target) == (refs[1], refs[0]):
            out += [Rename("column", old, new, target.name, j.namespace)
                    for old, new in (("A", SWAP_COLUMN), ("B", "A"), (SWAP_COLUMN, "B"))]
    return out
