"""The model actions, as operations the engine runs: each returns `(generator, atomic)`.

`atomic` asks the engine for a transaction; single-statement operations don't take one,
so they cost what the statement costs.
"""

from __future__ import annotations

from typing import Any, Callable

from . import aggregate, joins, reads, writes
from .dialect import Dialect
from .errors import BuilderError, RecordNotFoundError
from .meta import ModelMeta, Schema
from .reads import Op, build, decode
from .where import Ctx, unique_check

Operation = tuple[Any, bool]  # (generator, or a single statement `(sql, params, make_row, finish)`; atomic?)


def _not_found(m: ModelMeta) -> RecordNotFoundError:
    return RecordNotFoundError(f"An operation failed because it depends on one or more records that were required but not found. Expected a record, found none.", code="P2025", meta={"model": m.name})


def _reread(d: Dialect, schema: Schema, m: ModelMeta, rec: dict[str, Any] | None, include: Any, cls: Any,
            relation_load_strategy: Any = None) -> Op:
    """The written row as a model, with its `include` read by the relation load strategy asked for."""
    if rec is None:
        return None
    if not include:
        return build(m, rec, cls)
    found = yield from reads.find_many(Ctx(d, schema), m, where=writes.pk_where(m, rec), include=include, cls=cls,
                                       relation_load_strategy=relation_load_strategy)
    return found[0] if found else None


def _has_relations(m: ModelMeta, data: Any) -> bool:
    return any(k in m.relations for k in data)


def create(d: Dialect, schema: Schema, m: ModelMeta, cls: Any, data: Any, include: Any = None,
           relation_load_strategy: Any = None) -> Operation:
    joins.strategy(schema, relation_load_strategy)  # checked even when there is nothing to load
    if not include and not _has_relations(m, data) and d.returning:
        scalars, _ = writes.split(m, data)
        writes.fill_create_defaults(m, scalars)
        ctx = Ctx(d, schema)
        sql = writes.insert_sql(ctx, m, scalars)

        def finish(rows: list[Any], count: int) -> Any:
            return reads.models_from_rows(d, m, m.scalar_names, rows, cls)[0]

        return (sql, ctx.params, None, finish), False

    def op() -> Op:
        rec = yield from writes.create(d, schema, m, data)
        return (yield from _reread(d, schema, m, rec, include, cls, relation_load_strategy))

    return op(), _has_relations(m, data)


def create_many(d: Dialect, schema: Schema, m: ModelMeta, cls: Any, data: Any, skip_duplicates: bool | None = None) -> Operation:
    return writes.create_many(d, schema, m, list(data), bool(skip_duplicates)), len(data) > 1


def create_many_and_return(d: Dialect, schema: Schema, m: ModelMeta, cls: Any, data: Any,
                           skip_duplicates: bool | None = None) -> Operation:
    def op() -> Op:
        recs = yield from writes.create_many(d, schema, m, list(data), bool(skip_duplicates), want_rows=True)
        return [build(m, rec, cls) for rec in recs]

    return op(), len(data) > 1


def _fast_unique(d: Dialect, schema: Schema, m: ModelMeta, where: Any) -> tuple[str, list[Any]] | None:
    """SELECT by one unique scalar (`{'id': 1}`), compiled once per model, field and dialect."""
    if not isinstance(where, dict) or len(where) != 1:
        return None
    (key, value), = where.items()
    f = m.fields.get(key)
    if f is None or value is None or isinstance(value, dict) or key not in m.uniques:
        return None
    ck = ("fu", d.name, key)
    sql = m.cache.get(ck)
    if sql is None:
        ctx = Ctx(d, schema)
        sql = (f"SELECT {reads.columns(ctx, m, 't0', m.scalar_names)} FROM {ctx.table(m)} AS t0 "
               f"WHERE t0.{d.q(f.db_name)} = {d.param}{d.limit_offset(1, None)}")
        m.cache[ck] = sql
    return sql, [d.encode(f.type, value)]


def unique_plan(d: Dialect, schema: Schema, m: ModelMeta, key: str) -> Any:
    """(SQL, encoder or None, one-row builder) to find a record by the unique scalar `key`, or
    False when `key` is not one; cached per model, dialect and key. The client's find_unique
    fast path runs it without compiling anything."""
    ck = ("fup", d.name, key)
    plan = m.cache.get(ck)
    if plan is None:
        f = m.fields.get(key)
        if f is None or key not in m.uniques:
            plan = False
        else:
            sql, _ = _fast_unique(d, schema, m, {key: 0})  # type: ignore[misc]
            plan = (sql, d.encoders.get(f.type), reads.model_maker(d, m))
        m.cache[ck] = plan
    return plan


def find_unique(d: Dialect, schema: Schema, m: ModelMeta, cls: Any, where: Any, include: Any = None,
                select: Any = None, raise_: bool = False, relation_load_strategy: Any = None) -> Operation:
    fast = None if (include or select or (cls is not None and cls is not m.cls)) else _fast_unique(d, schema, m, where)
    if fast is None:
        unique_check(m, where)
    else:
        def finish(rows: list[Any], count: int) -> Any:
            if not rows:
                if raise_:
                    raise _not_found(m)
                return None
            return reads.models_from_rows(d, m, m.scalar_names, rows, cls)[0]

        return (fast[0], fast[1], None, finish), False

    def op() -> Op:
        found = yield from reads.find_many(Ctx(d, schema), m, where=where, take=1, include=include, select=select, cls=cls,
                                           relation_load_strategy=relation_load_strategy)
        if not found:
            if raise_:
                raise _not_found(m)
            return None
        return found[0]

    return op(), False


def find_many(d: Dialect, schema: Schema, m: ModelMeta, cls: Any, **args: Any) -> Operation:
    if args.get("include") or args.get("distinct") or args.get("select"):
        return reads.find_many(Ctx(d, schema), m, cls=cls, **args), False
    joins.strategy(schema, args.get("relation_load_strategy"))  # checked, though there is nothing to load
    ctx = Ctx(d, schema)
    names = reads.partial_names(m, cls)
    sql, reverse = reads.select_sql(ctx, m, names, where=args.get("where"), take=args.get("take"), skip=args.get("skip"),
                                    cursor=args.get("cursor"), order=args.get("order"))

    if names is m.scalar_names:  # the driver makes the records as it reads the rows
        def finish(recs: list[Any], count: int) -> Any:
            found = reads.models_of(m, recs)
            if reverse:
                found.reverse()
            return found

        return (sql, ctx.params, reads.record_maker(d, m), finish), False

    def finish_partial(rows: list[Any], count: int) -> Any:
        found = reads.models_from_rows(d, m, names, rows, cls)
        if reverse:
            found.reverse()
        return found

    return (sql, ctx.params, None, finish_partial), False


def find_first(d: Dialect, schema: Schema, m: ModelMeta, cls: Any, raise_: bool = False, **args: Any) -> Operation:
    def op() -> Op:
        found = yield from reads.find_many(Ctx(d, schema), m, take=1, cls=cls, **args)
        if not found:
            if raise_:
                raise _not_found(m)
            return None
        return found[0]

    return op(), False


def update(d: Dialect, schema: Schema, m: ModelMeta, cls: Any, data: Any, where: Any, include: Any = None,
           relation_load_strategy: Any = None) -> Operation:
    joins.strategy(schema, relation_load_strategy)

    def op() -> Op:
        rec = yield from writes.update(d, schema, m, where, data)
        return (yield from _reread(d, schema, m, rec, include, cls, relation_load_strategy))

    return op(), _has_relations(m, data)


def update_many(d: Dialect, schema: Schema, m: ModelMeta, cls: Any, data: Any, where: Any) -> Operation:
    scalars, rels = writes.split(m, data)
    return writes.update_where(d, schema, m, where, scalars, False), False


def upsert(d: Dialect, schema: Schema, m: ModelMeta, cls: Any, where: Any, data: Any, include: Any = None,
           relation_load_strategy: Any = None) -> Operation:
    unique_check(m, where)
    joins.strategy(schema, relation_load_strategy)

    def op() -> Op:
        current = yield from writes.find_rec(d, schema, m, where)
        if current is None:
            rec = yield from writes.create(d, schema, m, data.get("create", {}))
        else:
            rec = yield from writes.update(d, schema, m, writes.pk_where(m, current), data.get("update", {}))
        return (yield from _reread(d, schema, m, rec, include, cls, relation_load_strategy))

    return op(), True


def delete(d: Dialect, schema: Schema, m: ModelMeta, cls: Any, where: Any, include: Any = None,
           relation_load_strategy: Any = None) -> Operation:
    joins.strategy(schema, relation_load_strategy)

    def op() -> Op:
        before = None
        if include:
            found = yield from reads.find_many(Ctx(d, schema), m, where=where, take=1, include=include, cls=cls,
                                               relation_load_strategy=relation_load_strategy)
            if not found:
                return None
            before = found[0]
        rec = yield from writes.delete(d, schema, m, where)
        if rec is None:
            return None
        return before if before is not None else build(m, rec, cls)

    return op(), bool(include)


def delete_many(d: Dialect, schema: Schema, m: ModelMeta, cls: Any, where: Any = None) -> Operation:
    return writes.delete_where(d, schema, m, where), False


def count(d: Dialect, schema: Schema, m: ModelMeta, cls: Any, **args: Any) -> Operation:
    return aggregate.count(Ctx(d, schema), m, **args), False


def group_by(d: Dialect, schema: Schema, m: ModelMeta, cls: Any, **args: Any) -> Operation:
    return aggregate.group_by(Ctx(d, schema), m, **args), False


def _not_on_views(name: str, op: Callable[..., Operation]) -> Callable[..., Operation]:
    """A write operation that refuses views (`view` blocks): the generated client has no write
    actions for them; this catches the ways round it (batches, a hand-made call)."""

    def guarded(d: Dialect, schema: Schema, m: ModelMeta, cls: Any, *args: Any, **kwargs: Any) -> Operation:
        if m.is_view:
            raise BuilderError(f"`{m.name}` is a view and views are read-only: `{name}` is not available on it.")
        return op(d, schema, m, cls, *args, **kwargs)

    return guarded


_WRITES: dict[str, Callable[..., Operation]] = {
    "create": create, "create_many": create_many, "create_many_and_return": create_many_and_return,
    "update": update, "update_many": update_many, "upsert": upsert, "delete": delete, "delete_many": delete_many,
}
OPS: dict[str, Callable[..., Operation]] = {
    "find_unique": find_unique, "find_many": find_many, "find_first": find_first, "count": count, "group_by": group_by,
    **{name: _not_on_views(name, op) for name, op in _WRITES.items()},
}
