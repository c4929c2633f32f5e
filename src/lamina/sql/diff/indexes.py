"""Index and foreign-key matching between two versions of a table.

An index (or key) with the same definition and name is unchanged; with the same
definition under another name it is renamed; otherwise it is dropped and/or created.
"""

from __future__ import annotations

from lamina.sql.schema import ForeignKey, Index, Table


def index_definition(index: Index) -> tuple:
    return (index.kind, index.columns, index.algorithm, index.predicate_key)


def fk_definition(fk: ForeignKey) -> tuple:
    return (fk.columns, fk.referenced_namespace, fk.referenced_table, fk.referenced_columns, fk.on_delete, fk.on_update)


def _match(before_items, after_items, definition, name, keep_redundant=False):
    """(created, dropped, renamed[(before, after)]) with positions kept as (position, item).
    `keep_redundant`: a second index with the definition of a wanted one is left alone, not
    dropped (Prisma drops only an index that no wanted index matches)."""
    after_left = list(enumerate(after_items))
    dropped, renamed = [], []
    pending = []
    for bi, b in enumerate(before_items):
        same = next(((ai, a) for ai, a in after_left if name(a) == name(b) and definition(a) == definition(b)), None)
        if same:
            after_left.remove(same)
        else:
            pending.append((bi, b))
    for bi, b in pending:
        same_def = next(((ai, a) for ai, a in after_left if definition(a) == definition(b)), None)
        if same_def and name(b) is not None and name(same_def[1]) is not None:
            after_left.remove(same_def)
            renamed.append(((bi, b), same_def))
        elif keep_redundant and any(definition(a) == definition(b) for a in after_items):
            continue
        else:
            dropped.append((bi, b))
    return after_left, dropped, renamed


def match_indexes(before: Table, after: Table):
    return _match(before.indexes, after.indexes, index_definition, lambda i: i.name, keep_redundant=True)


def match_foreign_keys(before: Table, after: Table):
    return _match(before.foreign_keys, after.foreign_keys, fk_definition, lambda f: f.name)
