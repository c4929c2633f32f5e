"""Index and foreign-key matching between two versions of a table.

A key with the same definition and name is unchanged; with the same definition under another
name it is renamed; otherwise it is dropped and/or created. Indexes follow Prisma's rules
(`match_indexes`).
"""

from __future__ import annotations

from dataclasses import replace

from lamina.sql.schema import ForeignKey, Index, Table


# Access methods whose operator classes Prisma's schema cannot name (`ops:` is for GiST, GIN,
# SP-GiST and BRIN): a B-tree's `text_pattern_ops` is no difference to Prisma 7.10.1.
_CLASSES_NOT_COMPARED = (None, "HASH")


def index_definition(index: Index) -> tuple:
    """What must be equal for two indexes to be the same, but the predicate (`same_predicate`)."""
    columns = index.columns
    if index.algorithm in _CLASSES_NOT_COMPARED and any(c.opclass for c in columns):
        columns = tuple(replace(c, opclass=None) for c in columns)
    return (index.kind, columns, index.algorithm)


def fk_definition(fk: ForeignKey) -> tuple:
    return (fk.columns, fk.referenced_namespace, fk.referenced_table, fk.referenced_columns, fk.on_delete, fk.on_update)


def _match(before_items, after_items, same, name):
    """(created, dropped, renamed[(before, after)]) with positions kept as (position, item);
    `same(before, after)`: the same definition."""
    after_left = list(enumerate(after_items))
    dropped, renamed = [], []
    pending = []
    for bi, b in enumerate(before_items):
        found = next(((ai, a) for ai, a in after_left if name(a) == name(b) and same(b, a)), None)
        if found:
            after_left.remove(found)
        else:
            pending.append((bi, b))
    for bi, b in pending:
        same_def = next(((ai, a) for ai, a in after_left if same(b, a)), None)
        if same_def and name(b) is not None and name(same_def[1]) is not None:
            after_left.remove(same_def)
            renamed.append(((bi, b), same_def))
        else:
            dropped.append((bi, b))
    return after_left, dropped, renamed


def match_indexes(before: Table, after: Table, same_predicate=lambda b, a: b.predicate_key == a.predicate_key):
    """(created, dropped, renamed) as Prisma's table differ finds them: an index is created when
    no previous index has its definition, whatever their names, and dropped when no wanted one
    has its definition; a previous index is renamed to the first wanted one with its definition
    and another name, unless another previous index has the same columns and kind (Prisma does
    not rename among those: several partial indexes on one column). `same_predicate(before,
    after)`: see `Dialect.predicates_match`."""

    def same(b: Index, a: Index) -> bool:
        return index_definition(b) == index_definition(a) and same_predicate(b, a)

    def shape(ix: Index) -> tuple:
        return (tuple(c.name for c in ix.columns), ix.kind)

    created = [(ai, a) for ai, a in enumerate(after.indexes) if not any(same(b, a) for b in before.indexes)]
    dropped = [(bi, b) for bi, b in enumerate(before.indexes) if not any(same(b, a) for a in after.indexes)]
    renamed = []
    for bi, b in enumerate(before.indexes):
        if sum(shape(o) == shape(b) for o in before.indexes) != 1:
            continue
        found = next(((ai, a) for ai, a in enumerate(after.indexes) if same(b, a)), None)
        if found is not None and found[1].name != b.name:
            renamed.append(((bi, b), found))
    return created, dropped, renamed


def match_foreign_keys(before: Table, after: Table):
    return _match(before.foreign_keys, after.foreign_keys, lambda b, a: fk_definition(b) == fk_definition(a),
                  lambda f: f.name)
