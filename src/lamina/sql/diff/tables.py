"""Tables: created, dropped, and compared column by column.

Conventions (Prisma's):
- Columns of a table pair are visited in byte order of their names (Prisma keys them in
  a sorted map), which fixes the order of ALTER TABLE clauses and of SQLite copy lists.
- ALTER TABLE clauses: drop primary key, drop columns, add columns, alter columns, add
  primary key.
- Where the dialect cannot alter in place (SQLite), a table is redefined: created anew,
  data copied, old one dropped, new one renamed.
"""

from __future__ import annotations

from dataclasses import replace

from lamina.sql.diff.indexes import match_foreign_keys, match_indexes
from lamina.sql.diff.sets import differences
from lamina.sql.schema import ColumnArity, ColumnDefault, DefaultKind, Index, IndexColumn, SqlSchema, Table
from lamina.sql.steps import (
    AddColumn,
    AddForeignKey,
    AddPrimaryKey,
    AlterColumn,
    AlterTable,
    ColumnChange,
    CreateIndex,
    CreateTable,
    DropAndRecreateColumn,
    DropColumn,
    DropForeignKey,
    DropIndex,
    DropPrimaryKey,
    DropTable,
    RedefineIndex,
    RedefineTable,
    RedefineTables,
    RenameForeignKey,
    RenameIndex,
    RenamePrimaryKey,
)


def table_key(t: Table):
    return (t.namespace, t.name)


def table_steps(before: SqlSchema, after: SqlSchema, dialect, same_predicate=None) -> list:
    # By (namespace, name): the last table of a key, at the position of its first (as a dict built
    # from the list keeps them); positions are the last of a key.
    before_at = {(t.namespace, t.name): (i, t) for i, t in enumerate(before.tables)}
    after_tables = after.tables
    apos = {(t.namespace, t.name): i for i, t in enumerate(after_tables)}
    unique_after = len(apos) == len(after_tables)
    inline_indexes = dialect.inline_indexes
    alter_foreign_keys = dialect.supports_alter_foreign_keys
    # The steps of new tables, one list per kind: in execution order already, so that sorting
    # all steps (`diff`) finds long sorted runs (the order of the steps of one kind is kept).
    creates: list = []
    new_indexes: list = []
    new_keys: list = []
    common = []
    for i, t in enumerate(after_tables):
        key = (t.namespace, t.name)
        if key in before_at:
            common.append((before_at[key], t))
            continue
        ai = i if unique_after else apos[key]
        # Positional arguments (order, after_alter_table, then the step's own fields): a
        # keyword call costs twice as much, and a first migration makes a step per table,
        # index and key (tests/engine/test_steps.py checks the field order).
        creates.append(CreateTable((ai,), False, t))
        if not inline_indexes:
            for n, ix in enumerate(t.indexes):
                new_indexes.append(CreateIndex((0, 0, ai, n), False, t, ix))
        if alter_foreign_keys:
            for n, fk in enumerate(t.foreign_keys):
                new_keys.append(AddForeignKey((ai, n), False, t, fk))
    steps: list = creates
    steps += new_indexes
    steps += new_keys
    del new_indexes, new_keys
    removed = []  # (position, table) of the tables gone, in their order
    if not unique_after or len(common) < len(before_at):
        removed = [(bi, t) for key, (bi, t) in before_at.items() if key not in apos]
    for bi, t in removed:
        steps.append(DropTable(table=t, order=(bi,)))
        if alter_foreign_keys:
            steps += [DropForeignKey(table=t, foreign_key=fk, order=(bi, n)) for n, fk in enumerate(t.foreign_keys)]
    redefined = []
    for (bi, b), a in common:
        if b == a and not _has_predicate(b) and not _has_predicate(a):
            continue  # the same table: no step (what _compare finds, without its work)
        ai = apos[(a.namespace, a.name)]
        pair_steps, redefine = _compare(b, a, bi, ai, dialect, before.sequences, after.sequences, same_predicate)
        steps += pair_steps
        if redefine:
            redefined.append((ai, redefine))
    if redefined:
        redefined.sort(key=lambda x: x[0])
        steps.append(RedefineTables(tables=tuple(r for _, r in redefined), order=(0,)))
        # Prisma (SQLite) drops the indexes of dropped tables explicitly when it also redefines.
        for bi, t in removed:
            steps += [DropIndex(table=t, index=ix, order=(bi, n)) for n, ix in enumerate(t.indexes)]
    return steps


def _has_predicate(table: Table) -> bool:
    """Whether an index of the table is partial (its predicates are compared by the dialect's
    rule, which may tell two equal keys apart: such a table always goes through `_compare`)."""
    for ix in table.indexes:
        if ix.predicate is not None or ix.predicate_key is not None:
            return True
    return False


def _pk_signature(table: Table):
    return table.primary_key.columns if table.primary_key else None


def _with_sequence(column, table: Table, sequences):
    """The column with its owned sequence as default, so that DROP SEQUENCE can name it."""
    if column.default is not None:
        return column
    for seq in sequences:
        if seq.owned_by == (table.name, column.name) and seq.namespace == table.namespace:
            return replace(column, default=ColumnDefault(DefaultKind.SEQUENCE, seq.name))
    return column


def _by_before_name(pair) -> bytes:
    return pair[0].name.encode()


def _compare(b: Table, a: Table, bi: int, ai: int, dialect, sequences=(), after_sequences=(), same_predicate=None):
    """Steps for one table pair, and a RedefineTable when the dialect must rebuild it."""
    # Altered columns follow the previous table's column order (Prisma's column ids);
    # added, dropped and copied ones are in name order.
    before_names = [c.name for c in b.columns]
    if before_names == [c.name for c in a.columns] and len(set(before_names)) == len(before_names):
        # The same columns in the same order (most tables of a migration): pairs by position.
        cols_added: list = []
        cols_dropped: list = []
        in_before_order: list = list(zip(b.columns, a.columns))
        cols_common = None  # in name order: only a redefinition needs them (its copy list)
    else:
        cols_added, cols_dropped, cols_common = differences(b.columns, a.columns, lambda c: c.name)
        cols_added.sort(key=lambda c: c.name.encode())
        cols_dropped.sort(key=lambda c: c.name.encode())
        cols_common.sort(key=_by_before_name)
        position = {c.name: i for i, c in enumerate(b.columns)}
        in_before_order = sorted(cols_common, key=lambda p: position[p[0].name])
    altered = []
    columns_differ = dialect.columns_differ
    for bc, ac in in_before_order:
        if bc is ac:
            continue  # one shared column (two schemas calculated alike)
        changes = columns_differ(bc, ac)
        if changes:
            if changes & ColumnChange.AUTOINCREMENT and bc.autoincrement:
                bc = _with_sequence(bc, b, sequences)
            elif changes & ColumnChange.AUTOINCREMENT and ac.autoincrement:
                # a described target (a down migration) names its sequence: re-create that one
                ac = _with_sequence(ac, a, after_sequences)
            altered.append((bc, ac, changes))
    recreated = set()
    for bc, ac, changes in altered:
        if dialect.must_recreate_column(bc, ac, changes):
            recreated.add(ac.name)
    # A key column whose type changes takes its keys along, as in Prisma's differ: the primary key
    # it is part of is dropped and added again, and the foreign keys it constrains are dropped
    # and created again (PostgreSQL refuses to retype a column a foreign key ties to another type).
    retyped = {ac.name for _bc, ac, ch in altered if ch & ColumnChange.TYPE} | recreated
    pk_changed = _pk_signature(b) != _pk_signature(a) or (
        a.primary_key is not None and any(c.name in retyped for c in a.primary_key.columns)
    )
    pk_renamed = (
        not pk_changed and b.primary_key and a.primary_key and b.primary_key.name != a.primary_key.name
    )
    # Equal lists match one to one (no index or key created, dropped or renamed); partial
    # indexes always go through the dialect's comparison of their predicates.
    if b.indexes == a.indexes and not _has_predicate(b) and not _has_predicate(a):
        idx_created, idx_dropped, idx_renamed = [], [], []
    else:
        idx_created, idx_dropped, idx_renamed = (match_indexes(b, a, same_predicate) if same_predicate
                                                 else match_indexes(b, a))
    if b.foreign_keys == a.foreign_keys:
        fk_created, fk_dropped, fk_renamed = [], [], []
    else:
        fk_created, fk_dropped, fk_renamed = match_foreign_keys(b, a)
    if recreated:
        # Dropping a column drops its indexes and keys: they are created again after it.
        _recreate_dependents(b.indexes, a.indexes, idx_created, idx_dropped, idx_renamed,
                             lambda ix: [c.name for c in ix.columns], recreated,
                             drop=not dialect.drop_column_drops_indexes)
    if retyped:
        _recreate_dependents(b.foreign_keys, a.foreign_keys, fk_created, fk_dropped, fk_renamed,
                             lambda fk: fk.columns, retyped)

    if dialect.must_redefine(b, a, cols_added, cols_dropped, altered, pk_changed, fk_created, fk_dropped, fk_renamed):
        copied = tuple(cols_common if cols_common is not None else sorted(in_before_order, key=_by_before_name))
        return [], RedefineTable(
            before=b, after=a, copied=copied, dropped=tuple(cols_dropped), added=tuple(cols_added),
            altered=tuple(AlterColumn(bc, ac, ch) for bc, ac, ch in altered),
        )

    steps: list = []
    changes: list = []
    if pk_changed and b.primary_key:
        changes.append(DropPrimaryKey(b.primary_key))
    changes += [DropColumn(c) for c in cols_dropped]
    changes += [AddColumn(c) for c in cols_added]
    for bc, ac, ch in altered:
        if ac.name in recreated:
            changes.append(DropAndRecreateColumn(bc, ac, ch))
        else:
            tc = dialect.type_change(bc, ac) if ch & ColumnChange.TYPE else None
            changes.append(AlterColumn(bc, ac, ch, tc))
    if pk_changed and a.primary_key:
        changes.append(AddPrimaryKey(a.primary_key))
    if pk_renamed:
        changes.append(RenamePrimaryKey(b.primary_key, a.primary_key))
    if changes:
        steps.append(AlterTable(before=b, after=a, changes=tuple(changes), order=(bi, ai)))
    late_drop = pk_changed and b.primary_key is None
    for n, ix in idx_dropped:
        steps.append(DropIndex(table=b, index=ix, order=(bi, ai, n) if late_drop else (bi, n),
                               after_alter_table=late_drop))
    for n, ix in idx_created:
        steps.append(CreateIndex(table=a, index=ix, order=(1, bi, ai, n)))
    for (n, old), (_, new) in idx_renamed:
        if dialect.supports_rename_index:
            steps.append(RenameIndex(table=a, before=old, after=new, order=(bi, n)))
        else:
            steps.append(RedefineIndex(table=a, before=old, after=new, order=(bi, n)))
    if dialect.implicit_fk_indexes:
        _rebuild_keys_losing_their_index(a, b, idx_dropped, fk_dropped, fk_created, fk_renamed)
    _break_name_collisions(fk_renamed, fk_dropped, fk_created)
    for n, fk in fk_dropped:
        steps.append(DropForeignKey(table=b, foreign_key=fk, order=(bi, n)))
        if dialect.implicit_fk_indexes and not _covered(fk.columns, b.indexes, b.primary_key):
            # MySQL made an index named after the key when none covered its columns, and keeps it.
            implicit = Index(fk.name, tuple(IndexColumn(c) for c in fk.columns))
            steps.append(DropIndex(table=b, index=implicit, order=(bi, len(b.indexes) + n)))
    for n, fk in fk_created:
        steps.append(AddForeignKey(table=a, foreign_key=fk, order=(ai, n)))
    for (n, old), (_, new) in fk_renamed:
        steps.append(RenameForeignKey(table=a, before=old, after=new, order=(bi, n)))
    return steps, None


def _recreate_dependents(before_items, after_items, created, dropped, renamed, columns, recreated, drop=True) -> None:
    """Move indexes/keys on recreated columns from unchanged (or renamed) to dropped + created.
    An unchanged one is only created again when dropping the column drops it (`drop=False`:
    PostgreSQL's indexes, for which Prisma writes no DROP INDEX)."""
    for pair in list(renamed):
        (bpos, old), (apos, new) = pair
        if any(c in recreated for c in columns(new)):
            renamed.remove(pair)
            dropped.append((bpos, old))
            created.append((apos, new))
    seen_before = {id(x) for _, x in dropped} | {id(old) for (_, old), _ in renamed}
    seen_after = {id(x) for _, x in created} | {id(new) for _, (_, new) in renamed}
    for apos, new in enumerate(after_items):
        if id(new) in seen_after or not any(c in recreated for c in columns(new)):
            continue
        for bpos, old in enumerate(before_items):
            if id(old) not in seen_before and old.name == new.name:
                if drop:
                    dropped.append((bpos, old))
                created.append((apos, new))
                break
    dropped.sort(key=lambda p: p[0])
    created.sort(key=lambda p: p[0])


def _rebuild_keys_losing_their_index(a: Table, b: Table, idx_dropped, fk_dropped, fk_created, fk_renamed) -> None:
    """MySQL refuses to drop the only index a foreign key can use ("needed in a foreign key
    constraint"): such a key is dropped before the index and added again after it (MySQL then
    makes its own index for it). A key renamed as well (MySQL renames by drop and add) is
    dropped before the index and added under its new name after it."""
    dropped_names = {ix.name for _, ix in idx_dropped}
    if not dropped_names:
        return
    remaining = [ix for ix in b.indexes if ix.name not in dropped_names]
    gone = {id(fk) for _, fk in fk_dropped}
    for n, fk in enumerate(b.foreign_keys):
        if id(fk) in gone or _covered(fk.columns, remaining, b.primary_key):
            continue
        if not any(_covered(fk.columns, [ix], None) for _, ix in idx_dropped):
            continue
        renamed = next((pair for pair in fk_renamed if pair[0][1] is fk), None)
        if renamed is not None:
            fk_renamed.remove(renamed)
            fk_dropped.append(renamed[0])
            fk_created.append(renamed[1])
            continue
        same = next((x for x in a.foreign_keys if x.name == fk.name), None)
        if same is None or any(x is same for _, x in fk_created):
            continue
        fk_dropped.append((n, fk))
        fk_created.append((a.foreign_keys.index(same), same))


def _break_name_collisions(fk_renamed, fk_dropped, fk_created) -> None:
    """A key renamed to the name another renamed key still bears (two keys that swap names, as
    the keys of a many-to-many table whose A and B swapped) cannot be renamed in place: it is
    dropped before and added after the others instead."""
    taken = {old.name for (_, old), _ in fk_renamed}
    colliding = [pair for pair in fk_renamed if pair[1][1].name in taken and pair[1][1].name != pair[0][1].name]
    if not colliding:
        return
    for pair in colliding:
        fk_renamed.remove(pair)
        fk_dropped.append(pair[0])
        fk_created.append(pair[1])
    fk_dropped.sort(key=lambda p: p[0])
    fk_created.sort(key=lambda p: p[0])


def _covered(columns, indexes, primary_key) -> bool:
    """Whether an index (or the primary key) starts with `columns`."""
    candidates = [ix.columns for ix in indexes] + ([primary_key.columns] if primary_key else [])
    return any(tuple(c.name for c in cols[: len(columns)]) == tuple(columns) for cols in candidates)


def sqlite_can_add_column(column) -> bool:
    """Prisma adds a column in place on SQLite only when it is nullable with no default or a
    constant one; anything else (required, CURRENT_TIMESTAMP) redefines the table."""
    if column.autoincrement or column.arity is not ColumnArity.NULLABLE:
        return False
    return column.default is None or _constant(column.default)


def _constant(default) -> bool:
    return default.kind is DefaultKind.EXPRESSION and default.sql.upper() != "CURRENT_TIMESTAMP"
