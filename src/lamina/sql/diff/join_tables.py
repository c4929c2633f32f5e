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
foreign keys Prisma's names and column order. A model renamed while its table keeps its name
(`@@map`) renames no table: its join table's rename is then a question of its own (or
`--rename _TagToUser=_PersonToTag`), as any other rename.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lamina.sql.diff.renames import Rename, apply, unique_pairs
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


def _swap(j: Table, target: Table) -> list[Rename]:
    """The column renames that swap `A` and `B` of `j` (under `target`'s name) when the models
    they point at changed places; none otherwise."""
    refs = _targets(j)
    if refs[0] == refs[1] or _targets(target) != (refs[1], refs[0]):
        return []
    return [Rename("column", old, new, target.name, j.namespace)
            for old, new in (("A", SWAP_COLUMN), ("B", "A"), (SWAP_COLUMN, "B"))]


def join_table_renames(before: SqlSchema, after: SqlSchema, decided: list[Rename], dialect: Any,
                       confirm: Callable[[Rename], bool]) -> list[Rename]:
    """The renames that carry the join tables over to `after`, once the table renames in
    `decided` are known:

    - a join table renamed in `decided` (`--rename _AToB=_AToC`): its swap, if any;
    - a join table whose name stays: its swap, if the models it links changed places;
    - a join table gone whose pair (the one new join table linking the same two tables) is
      new: renamed (and swapped) without a question when one of the tables was renamed, else
      only when `confirm(rename)` says so (a model renamed while its table kept its name).

    A join table that pairs with no new one, or with more than one, is left to the diff
    (dropped and created, as Prisma does)."""
    table_renames = [r for r in decided if r.kind == "table"]
    current, _ = apply(before, table_renames, dialect)
    renamed = {r.new for r in table_renames}
    out: list[Rename] = []
    gone: list[Table] = []
    for j in current.tables:
        if not is_join_table(j):
            continue
        target = after.table(j.name, j.namespace)
        if target is not None and is_join_table(target) and sorted(_targets(target)) == sorted(_targets(j)):
            out += _swap(j, target)  # renamed explicitly, or a name that stays
        elif target is None:
            gone.append(j)
    new = [t for t in after.tables if is_join_table(t) and current.table(t.name, t.namespace) is None]
    same = lambda o, n: o.namespace == n.namespace and sorted(_targets(o)) == sorted(_targets(n))  # noqa: E731
    for j, target in unique_pairs(gone, new, same):
        rename = Rename("table", j.name, target.name, None, j.namespace)
        if renamed & set(_targets(j)) or confirm(rename):
            out += [rename] + _swap(j, target)
    return out
