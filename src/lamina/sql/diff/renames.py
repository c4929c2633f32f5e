"""Renames: the differ proposes, the user (a prompt or `--rename`) decides.

Prisma turns every renamed model, field, enum or enum value into a drop and an add, and the
data goes with the drop. Lamina looks for pairs that are probably renames (`candidates`):

- a table gone and a table new with the same columns (name and definition);
- in a table, a column gone and a column new with the same definition (type, nullability,
  default, autoincrement) and the same part in the table's indexes and keys;
- an enum gone and an enum new with the same values (PostgreSQL: enums are types there);
- in an enum, one value gone and one new (MySQL: in the `ENUM(...)` of the columns that use
  it; SQLite stores enums as TEXT, so there only `--rename` can say it).

A pair is proposed only when neither side could pair with anything else. Nothing here is
guessed into a migration: a candidate becomes a rename only when it is accepted, and a rename
can also be declared that no candidate proposed (a field renamed *and* retyped).

Everything works on database names (after `@map`/`@@map`); `lamina.migrate.renames`
translates the names a user types (model and field names) and asks the questions.

`apply(before, renames, dialect)` returns the rename steps and the schema as it is after them;
the ordinary diff from that schema to the target then adds what else changed, such as
the indexes and constraints renamed to the names Prisma derives from the new table or column.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from lamina.sql.schema import Column, EnumType, ForeignKey, IndexColumn, PrimaryKey, Sequence, SqlSchema, Table
from lamina.sql.steps import (EnumValueUse, RenameColumn, RenameEnum, RenameEnumValue, RenameTable,
                              RewriteEnumValue, Step)

KINDS = ("enum", "value", "table", "column")  # the order in which renames are decided and applied
# Where enums are not types (MySQL, SQLite) a value rename rewrites rows of columns, which it
# names by their new names: it comes after the table and column renames.
INLINE_ENUM_KINDS = ("table", "column", "value")


def kinds(dialect: Any) -> tuple[str, ...]:
    """The order in which renames are decided and applied on `dialect`."""
    return KINDS if dialect.supports_enums else INLINE_ENUM_KINDS


@dataclass(frozen=True)
class Rename:
    """One rename, in database names. `parent`: for a column its table (by the table's new
    name), for a value its enum (by the enum's new name)."""

    kind: str  # "table" | "column" | "enum" | "value"
    old: str
    new: str
    parent: str | None = None
    namespace: str | None = None
    # A value of an enum that is not a type (MySQL, SQLite; `parent` is the enum's schema name):
    # the (table, column) pairs whose rows hold it.
    columns: tuple[tuple[str, str], ...] = ()

    def inverted(self, parent: str | None = None, columns: tuple[tuple[str, str], ...] | None = None) -> Rename:
        return Rename(self.kind, self.new, self.old, parent if parent is not None else self.parent, self.namespace,
                      self.columns if columns is None else columns)


class RenameError(ValueError):
    """A declared rename that does not fit the two schemas (names the rename and why)."""


# ---------------------------------------------------------------- proposing


def _same_column(a: Column, b: Column) -> bool:
    from lamina.sql.diff.columns import defaults_match

    return (a.type == b.type and a.arity is b.arity and a.autoincrement == b.autoincrement
            and defaults_match(a.default, b.default, b.family or a.family)
            and defaults_match(b.default, a.default, a.family or b.family))


def _roles(table: Table, column: str) -> list[tuple[object, ...]]:
    """The column's part in the table's keys and indexes, without names (so that `email`
    with @unique and `mail` with @unique compare equal)."""
    roles: list[tuple[object, ...]] = []
    for ix in table.indexes:
        for pos, c in enumerate(ix.columns):
            if c.name == column:
                roles.append(("index", ix.kind, len(ix.columns), pos, c.sort, c.length))
    if table.primary_key:
        for pos, c in enumerate(table.primary_key.columns):
            if c.name == column:
                roles.append(("pk", len(table.primary_key.columns), pos))
    for fk in table.foreign_keys:
        if column in fk.columns:
            roles.append(("fk", fk.referenced_table, fk.referenced_columns, fk.columns.index(column)))
    return sorted(roles, key=repr)


T = TypeVar("T")


def unique_pairs(olds: list[T], news: list[T], same: Callable[[T, T], bool],
                 key: Callable[[T], object] | None = None) -> list[tuple[T, T]]:
    """Pairs (old, new) where each matches exactly one of the other side. `key`: a value that
    two items `same` holds for always share: only items of one key are compared (thousands of
    tables gone and new would otherwise compare each with each)."""
    if key is not None:
        buckets: dict[object, list[T]] = {}
        for o in olds:
            buckets.setdefault(key(o), []).append(o)
        olds_of = buckets
        news_of: dict[object, list[T]] = {}
        for n in news:
            news_of.setdefault(key(n), []).append(n)
    pairs = []
    for o in olds:
        if key is not None:
            k = key(o)
            candidates, rivals = news_of.get(k, []), olds_of[k]
        else:
            candidates, rivals = news, olds
        matches = _up_to_two(lambda n: same(o, n), candidates)
        if len(matches) == 1 and len(_up_to_two(lambda o2: same(o2, matches[0]), rivals)) == 1:
            pairs.append((o, matches[0]))
    return pairs


def _up_to_two(test: Callable[[T], bool], items: list[T]) -> list[T]:
    """The first two items passing `test` (enough to tell none, one and several apart)."""
    found = []
    for item in items:
        if test(item):
            found.append(item)
            if len(found) == 2:
                break
    return found


def _key(x: Table | EnumType) -> tuple[str | None, str]:
    return (x.namespace, x.name)


def candidates(before: SqlSchema, after: SqlSchema, kind: str, dialect: Any) -> list[Rename]:
    """The likely renames of one `kind`, between `before` (already carrying the renames of
    the kinds decided earlier) and `after`."""
    if kind == "enum":
        return _enum_candidates(before, after) if dialect.supports_enums else []
    if kind == "value":
        return _value_candidates(before, after) if dialect.supports_enums else _inline_value_candidates(before, after)
    if kind == "table":
        return _table_candidates(before, after)
    if kind == "column":
        return _column_candidates(before, after)
    raise ValueError(kind)


def _enum_candidates(before: SqlSchema, after: SqlSchema) -> list[Rename]:
    after_keys = {_key(e) for e in after.enums}
    before_keys = {_key(e) for e in before.enums}
    gone = [e for e in before.enums if _key(e) not in after_keys]
    new = [e for e in after.enums if _key(e) not in before_keys]

    def same(o: EnumType, n: EnumType) -> bool:
        return o.namespace == n.namespace and set(o.values) == set(n.values)

    def values_key(e: EnumType) -> tuple:  # what `same` compares
        return (e.namespace, frozenset(e.values))

    return [Rename("enum", o.name, n.name, None, n.namespace) for o, n in unique_pairs(gone, new, same, values_key)]


def _value_candidates(before: SqlSchema, after: SqlSchema) -> list[Rename]:
    out = []
    for b in before.enums:
        a = after.enum(b.name, b.namespace)
        if a is None:
            continue
        gone = [v for v in b.values if v not in a.values]
        new = [v for v in a.values if v not in b.values]
        if len(gone) == 1 and len(new) == 1:
            out.append(Rename("value", gone[0], new[0], a.name, a.namespace))
    return out


def enum_columns(schema: SqlSchema, enum: str) -> tuple[tuple[str, str], ...]:
    """(table, column) of the columns typed with the enum named `enum` in the schema (a
    calculated schema names the enum in each column's family)."""
    return tuple((t.name, c.name) for t in schema.tables for c in t.columns if c.family == f"Enum:{enum}")


def _inline_value_candidates(before: SqlSchema, after: SqlSchema) -> list[Rename]:
    """MySQL: per enum, the columns whose `ENUM(...)` lost one value and gained one, the same
    pair in every column of an existing table that uses it. (SQLite's TEXT says nothing.)"""
    from lamina.dialects.mysql.describe import enum_values

    pairs: dict[str, set[tuple[str, str]]] = {}
    for a in after.tables:
        b: Table | None = None
        looked = False  # `b` is looked up at the table's first enum column
        for ac in a.columns:
            if not ac.family or not ac.family.startswith("Enum:"):
                continue
            if not looked:
                b, looked = before.table(a.name, a.namespace), True
            bc = b.column(ac.name) if b is not None else None
            if bc is None:
                continue
            if not (ac.type.startswith("ENUM(") and bc.type.startswith("ENUM(")):
                continue
            old, new = enum_values(bc.type), enum_values(ac.type)
            gone, added = [v for v in old if v not in new], [v for v in new if v not in old]
            pairs.setdefault(ac.family[len("Enum:"):], set()).add(
                (gone[0], added[0]) if len(gone) == 1 and len(added) == 1 else ("", ""))
    out = []
    for enum, found in pairs.items():
        if len(found) == 1 and ("", "") not in found:
            ((old_value, new_value),) = found
            out.append(Rename("value", old_value, new_value, enum, None, enum_columns(after, enum)))
    return out


def _table_candidates(before: SqlSchema, after: SqlSchema) -> list[Rename]:
    if not before.tables:
        return []
    after_keys = {(t.namespace, t.name) for t in after.tables}
    before_keys = {(t.namespace, t.name) for t in before.tables}
    from lamina.sql.diff.join_tables import is_join_table

    # An implicit many-to-many table follows the renames of its models (`join_tables`), never asked.
    gone = [t for t in before.tables if _key(t) not in after_keys and not is_join_table(t)]
    if not gone:
        return []  # nothing gone (a first migration): nothing renamed
    new = [t for t in after.tables if _key(t) not in before_keys and not is_join_table(t)]

    def same(o: Table, n: Table) -> bool:
        if o.namespace != n.namespace or {c.name for c in o.columns} != {c.name for c in n.columns}:
            return False
        return all(_same_column(c, nc) for c in o.columns if (nc := n.column(c.name)) is not None)

    def columns_key(t: Table) -> tuple:  # what `same` compares exactly (not the defaults)
        return (t.namespace, frozenset((c.name, c.type, c.arity, c.autoincrement) for c in t.columns))

    return [Rename("table", o.name, n.name, None, n.namespace) for o, n in unique_pairs(gone, new, same, columns_key)]


def _column_candidates(before: SqlSchema, after: SqlSchema) -> list[Rename]:
    out: list[Rename] = []
    if not before.tables:
        return out
    for a in after.tables:
        b = before.table(a.name, a.namespace)
        if b is None:
            continue
        after_names = {c.name for c in a.columns}
        gone = [c for c in b.columns if c.name not in after_names]
        if not gone:
            continue  # no column gone: none renamed
        before_names = {c.name for c in b.columns}
        new = [c for c in a.columns if c.name not in before_names]

        def same(o: Column, n: Column, b: Table = b, a: Table = a) -> bool:
            return _same_column(o, n) and _roles(b, o.name) == _roles(a, n.name)

        out += [Rename("column", o.name, n.name, a.name, a.namespace) for o, n in unique_pairs(gone, new, same)]
    return out


# ---------------------------------------------------------------- checking a declared rename


def check(before: SqlSchema, after: SqlSchema, r: Rename) -> None:
    """RenameError unless `r` renames something that is in `before` and not in `after` into
    something that is in `after` and not in `before`."""
    if r.kind == "table":
        _check_pair(f"table `{r.old}`", before.table(r.old, r.namespace) is not None,
                    after.table(r.old, r.namespace) is not None,
                    f"table `{r.new}`", after.table(r.new, r.namespace) is not None,
                    before.table(r.new, r.namespace) is not None)
    elif r.kind == "enum":
        _check_pair(f"enum `{r.old}`", before.enum(r.old, r.namespace) is not None,
                    after.enum(r.old, r.namespace) is not None,
                    f"enum `{r.new}`", after.enum(r.new, r.namespace) is not None,
                    before.enum(r.new, r.namespace) is not None)
    elif r.kind == "column":
        b, a = before.table(r.parent, r.namespace), after.table(r.parent, r.namespace)  # type: ignore[arg-type]
        if b is None or a is None:
            raise RenameError(f"the table `{r.parent}` is not in both schemas")
        _check_pair(f"column `{r.parent}.{r.old}`", b.column(r.old) is not None, a.column(r.old) is not None,
                    f"column `{r.parent}.{r.new}`", a.column(r.new) is not None, b.column(r.new) is not None)
    elif r.kind == "value":
        eb, ea = before.enum(r.parent, r.namespace), after.enum(r.parent, r.namespace)  # type: ignore[arg-type]
        if eb is None or ea is None:
            raise RenameError(f"the enum `{r.parent}` is not in both schemas")
        _check_pair(f"value `{r.parent}.{r.old}`", r.old in eb.values, r.old in ea.values,
                    f"value `{r.parent}.{r.new}`", r.new in ea.values, r.new in eb.values)


def _check_pair(old: str, old_before: bool, old_after: bool, new: str, new_after: bool, new_before: bool) -> None:
    if not old_before:
        raise RenameError(f"there is no {old} in the current schema")
    if old_after:
        raise RenameError(f"the new schema still has the {old}")
    if not new_after:
        raise RenameError(f"there is no {new} in the new schema")
    if new_before:
        raise RenameError(f"the current schema already has a {new}")


# ---------------------------------------------------------------- applying


def apply(before: SqlSchema, renames: Iterable[Rename], dialect: Any) -> tuple[SqlSchema, list[Step]]:
    """(the schema after the renames, the rename steps). `renames` are applied in `KINDS`
    order; the steps keep that order (their `StepKind`)."""
    schema = before
    steps: list[Step] = []
    order = kinds(dialect)
    ordered = sorted(renames, key=lambda r: order.index(r.kind))
    for n, r in enumerate(ordered):
        schema, step = _apply_one(schema, r, dialect, n)
        if step is not None:
            steps.append(step)
    return schema, steps


def _apply_one(schema: SqlSchema, r: Rename, dialect: Any, n: int) -> tuple[SqlSchema, Step | None]:
    if r.kind == "enum":
        old = schema.enum(r.old, r.namespace)
        assert old is not None
        new = replace(old, name=r.new)
        enums = tuple(new if e is old else e for e in schema.enums)
        tables = tuple(t.with_(columns=tuple(_retype_enum(c, r.old, r.new) for c in t.columns)) for t in schema.tables)
        return replace(schema, enums=enums, tables=tables), RenameEnum(before=old, after=new, order=(n,))
    if r.kind == "value" and not dialect.supports_enums:
        return _rewrite_inline_value(schema, r, n)
    if r.kind == "value":
        old_enum = schema.enum(r.parent, r.namespace)  # type: ignore[arg-type]
        assert old_enum is not None
        new_enum = replace(old_enum, values=tuple(r.new if v == r.old else v for v in old_enum.values))
        enums = tuple(new_enum if e is old_enum else e for e in schema.enums)
        tables = tuple(t.with_(columns=tuple(_rename_value_default(c, old_enum.name, r.old, r.new) for c in t.columns))
                       for t in schema.tables)
        return (replace(schema, enums=enums, tables=tables),
                RenameEnumValue(enum=old_enum, old=r.old, new=r.new, order=(n,)))
    if r.kind == "table":
        old_t = schema.table(r.old, r.namespace)
        assert old_t is not None
        new_t = old_t.with_(name=r.new)
        new_t, serials = _rename_serial_sequences(new_t, r, dialect)
        tables = tuple(_retarget(new_t if t is old_t else t, r.namespace, r.old, r.new) for t in schema.tables)
        sequences, renamed_seqs = _rename_sequences(schema.sequences, r, dialect)
        renamed_seqs = serials + renamed_seqs
        return (replace(schema, tables=tables, sequences=sequences),
                RenameTable(before=old_t, after=new_t, sequences=renamed_seqs, order=(n,)))
    if r.kind == "column":
        table = schema.table(r.parent, r.namespace)  # type: ignore[arg-type]
        assert table is not None
        old_c = table.column(r.old)
        assert old_c is not None
        new_c = replace(old_c, name=r.new)
        renamed = _rename_column_in_table(table, r.old, r.new, new_c)
        retargeted: list[Table] = []
        for t in schema.tables:
            t = renamed if t is table else t
            retargeted.append(t.with_(foreign_keys=tuple(
                _retarget_column(fk, table, r.old, r.new) for fk in t.foreign_keys)))
        sequences = tuple(
            replace(s, owned_by=(table.name, r.new)) if s.owned_by == (table.name, r.old) and s.namespace == table.namespace
            else s for s in schema.sequences)
        return (replace(schema, tables=tuple(retargeted), sequences=sequences),
                RenameColumn(table=renamed, before=old_c, after=new_c, order=(n,)))
    raise ValueError(r.kind)


def _rewrite_inline_value(schema: SqlSchema, r: Rename, n: int) -> tuple[SqlSchema, Step | None]:
    """MySQL/SQLite: the value renamed in the columns (of existing tables) that hold it."""
    wanted = set(r.columns)
    uses: list[EnumValueUse] = []
    tables = []
    for t in schema.tables:
        columns = []
        for c in t.columns:
            if (t.name, c.name) in wanted:
                renamed = _rename_inline_value(c, r.old, r.new)
                uses.append(EnumValueUse(t, c, renamed))
                c = renamed
            columns.append(c)
        tables.append(t.with_(columns=tuple(columns)) if any(u.table is t for u in uses) else t)
    if not uses:
        return schema, None
    step = RewriteEnumValue(enum=r.parent or "", old=r.old, new=r.new, uses=tuple(uses), order=(n,))
    return replace(schema, tables=tuple(tables)), step


def _rename_inline_value(c: Column, old: str, new: str) -> Column:
    """A MySQL `ENUM(...)` column with `old` replaced by `new` in its type and default; a TEXT
    column (SQLite) as it is (its default, if it was `old`, is the differ's to change)."""
    if not c.type.startswith("ENUM("):
        return c
    from lamina.dialects.mysql.describe import enum_values
    from lamina.sql.calculate_defaults import quote_string

    values = [new if v == old else v for v in enum_values(c.type)]
    c = replace(c, type="ENUM(" + ", ".join(quote_string(v) for v in values) + ")")
    if c.default is not None and c.default.sql == quote_string(old):
        c = replace(c, default=replace(c.default, sql=quote_string(new)))
    return c


def _retype_enum(c: Column, old: str, new: str) -> Column:
    if c.enum != old and c.family != f"Enum:{old}":
        return c
    from lamina.dialects.common import double_quote

    typ = c.type.replace(double_quote(old), double_quote(new)) if c.enum == old else c.type
    return replace(c, type=typ, enum=new if c.enum == old else c.enum, family=f"Enum:{new}")


def _rename_value_default(c: Column, enum: str, old: str, new: str) -> Column:
    if c.family != f"Enum:{enum}" or c.default is None:
        return c
    sql = c.default.sql.replace(f"'{old}'", f"'{new}'")
    return c if sql == c.default.sql else replace(c, default=replace(c.default, sql=sql))


def _retarget(t: Table, namespace: str | None, old: str, new: str) -> Table:
    fks = tuple(replace(fk, referenced_table=new) if fk.referenced_table == old
                and (fk.referenced_namespace or t.namespace) == namespace else fk for fk in t.foreign_keys)
    return t.with_(foreign_keys=fks)


def _rename_serial_sequences(t: Table, r: Rename, dialect: Any) -> tuple[Table, tuple[tuple[str, str], ...]]:
    """PostgreSQL: a SERIAL column's sequence `<table>_<column>_seq` (the column's default)
    takes the table's new name, as a table created under that name would have it."""
    from lamina.sql.schema import DefaultKind

    if dialect.provider != "postgresql":
        return t, ()
    renamed, columns = [], []
    for c in t.columns:
        d = c.default
        if d is not None and d.kind is DefaultKind.SEQUENCE and d.sql == f"{r.old}_{c.name}_seq":
            new_name = f"{r.new}_{c.name}_seq"
            renamed.append((d.sql, new_name))
            c = replace(c, default=replace(d, sql=new_name))
        columns.append(c)
    return t.with_(columns=tuple(columns)), tuple(renamed)


def _rename_sequences(sequences: tuple[Sequence, ...], r: Rename, dialect: Any
                      ) -> tuple[tuple[Sequence, ...], tuple[tuple[str, str], ...]]:
    """PostgreSQL: a serial column's sequence `<table>_<column>_seq` follows the table's name."""
    out, renamed = [], []
    for s in sequences:
        if s.owned_by and s.owned_by[0] == r.old and s.namespace == r.namespace:
            new_name = s.name
            if dialect.provider == "postgresql" and s.name == f"{r.old}_{s.owned_by[1]}_seq":
                new_name = f"{r.new}_{s.owned_by[1]}_seq"
                renamed.append((s.name, new_name))
            s = replace(s, name=new_name, owned_by=(r.new, s.owned_by[1]))
        out.append(s)
    return tuple(out), tuple(renamed)


def _rename_column_in_table(t: Table, old: str, new: str, new_c: Column) -> Table:
    def cols(ics: tuple[IndexColumn, ...]) -> tuple[IndexColumn, ...]:
        return tuple(replace(c, name=new) if c.name == old else c for c in ics)

    pk = t.primary_key
    return t.with_(
        columns=tuple(new_c if c.name == old else c for c in t.columns),
        primary_key=PrimaryKey(cols(pk.columns), pk.name) if pk else None,
        indexes=tuple(replace(ix, columns=cols(ix.columns)) for ix in t.indexes),
        foreign_keys=tuple(replace(fk, columns=tuple(new if c == old else c for c in fk.columns))
                           for fk in t.foreign_keys),
    )


def _retarget_column(fk: ForeignKey, table: Table, old: str, new: str) -> ForeignKey:
    if fk.referenced_table != table.name or old not in fk.referenced_columns:
        return fk
    return replace(fk, referenced_columns=tuple(new if c == old else c for c in fk.referenced_columns))


def invert(renames: Iterable[Rename], before: SqlSchema, after: SqlSchema) -> list[Rename]:
    """The renames that undo `renames` (for a down migration): from `after` back to `before`,
    in reverse order (a swap of two columns through a third name unwinds backwards). A
    column's or value's parent, and an inline enum value's columns, are named by their names
    in `before` (where the down ends)."""
    renames = list(renames)
    tables = {r.new: r.old for r in renames if r.kind == "table"}
    enums = {r.new: r.old for r in renames if r.kind == "enum"}
    columns = {(r.parent, r.new): r.old for r in renames if r.kind == "column"}
    out = []
    for r in reversed(renames):
        if r.kind == "column":
            out.append(r.inverted(tables.get(r.parent or "", r.parent)))
        elif r.kind == "value":
            where = tuple((tables.get(t, t), columns.get((t, c), c)) for t, c in r.columns)
            out.append(r.inverted(enums.get(r.parent or "", r.parent), where))
        else:
            out.append(r.inverted())
    return out

