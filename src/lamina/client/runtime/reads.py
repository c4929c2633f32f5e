"""Reading records: one SELECT for the top level, then one per included relation and level.

Operations here are generators (sans-IO): they `yield (sql, params)` and receive
`(rows, rowcount)`; `engine.py` drives them over a sync or an async connection, so the
query logic exists once for both interfaces.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections import deque
from itertools import repeat, starmap
from typing import Any, Generator, Iterator

from pydantic import BaseModel

from .dialect import INLINE_NAMES, Dialect
from .meta import ModelMeta, RelationMeta, Schema
from .errors import FieldNotFoundError
from . import joins
from .where import Ctx, Relevance, check_pagination, cursor_sql, link, order_items, order_sql, where_sql, with_pk

Stmt = tuple[str, list[Any]]
Result = tuple[list[Any], int]
Op = Generator[Stmt, Result, Any]

CHUNK = 5000  # keys per IN list when loading a relation (SQLite allows 32766 parameters)


def columns(ctx: Ctx, m: ModelMeta, alias: str, names: list[str]) -> str:
    full = names is m.scalar_names  # the usual case, cached per dialect and alias
    if full:
        text: str | None = m.cache.get(("cols", ctx.d.name, alias))
        if text is not None:
            return text
    q = ctx.d.q
    text = ", ".join(column_expr(f"{alias}.{q(m.fields[n].db_name)}", m.fields[n].is_list) for n in names)
    if full:
        m.cache[("cols", ctx.d.name, alias)] = text
    return text


def column_expr(col: str, is_list: bool) -> str:
    """A scalar list column that holds NULL reads as [], as Prisma reads it."""
    return f"COALESCE({col}, '{{}}')" if is_list else col


def decoders(d: Dialect, m: ModelMeta, names: list[str]) -> list[Any]:
    key = d.name if names is m.scalar_names else ("dec", d.name, tuple(names))
    dec = m.cache.get(key)
    if dec is None:
        dec = [_enum_decoder(m, m.fields[n]) if m.fields[n].type == "Enum" else d.decoders.get(m.fields[n].type)
               for n in names]
        for i, n in enumerate(names):
            if m.fields[n].is_list and dec[i] is not None:
                dec[i] = _each_enum(dec[i]) if m.fields[n].type == "Enum" else _each(dec[i])
        m.cache[key] = dec
    return dec


def _enum_decoder(m: ModelMeta, f: Any) -> Any:
    cls = m.enum_classes.get(f.enum or "")
    if f.enum_py is None:
        return cls
    names = f.enum_py
    return (lambda v: cls(names.get(v, v))) if cls is not None else (lambda v: names.get(v, v))


def _each_enum(dec: Any) -> Any:
    """psycopg hands an array of a user-defined enum type over as its text form, '{A,B}'."""
    def decode_all(values: Any) -> list[Any]:
        if isinstance(values, str):
            inner = values[1:-1]
            values = [v.strip('"') for v in inner.split(",")] if inner else []
        return [dec(v) if v is not None else None for v in values]
    return decode_all


def _each(dec: Any) -> Any:
    return lambda values: [dec(v) if v is not None else None for v in values]


def decode(d: Dialect, m: ModelMeta, names: list[str], rows: list[Any]) -> list[dict[str, Any]]:
    """Records (field name -> Python value) from driver rows; relation fields start as None."""
    decs = decoders(d, m, names)
    rel_none = m.rel_none
    if not any(decs):
        out = [dict(zip(names, r)) for r in rows]
        if rel_none:
            for rec in out:
                rec.update(rel_none)
        return out
    pairs = list(zip(names, decs))
    out = []
    for r in rows:
        rec = {}
        for (n, dec), v in zip(pairs, r):
            rec[n] = dec(v) if dec is not None and v is not None else v
        if rel_none:
            rec.update(rel_none)
        out.append(rec)
    return out


_new = object.__new__
_set = object.__setattr__
# pydantic's own slots, set through their descriptors: cheaper than a named setattr per object
_set_fields_set = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_set_dict = BaseModel.__dict__["__dict__"].__set__  # over many objects: a tenth faster than object.__setattr__
_set_extra = BaseModel.__dict__["__pydantic_extra__"].__set__
_set_private = BaseModel.__dict__["__pydantic_private__"].__set__


def as_partial(rec: dict[str, Any], cls: Any) -> Any:
    """An instance of a partial model (a `Base<Model>` subclass with some of the fields) holding
    only its own fields; a relation typed as another partial gets instances of that partial."""
    fields = cls.model_fields
    targets = _partial_targets(cls)
    out = {}
    for name in fields:
        v = rec.get(name)
        target = targets.get(name)
        if target is not None and v is not None:
            v = [as_partial(c.__dict__, target) for c in v] if isinstance(v, list) else as_partial(v.__dict__, target)
        out[name] = v
    obj = _new(cls)
    _set(obj, "__dict__", out)
    _set_fields_set(obj, set(out))
    _set_extra(obj, None)
    _set_private(obj, None)
    return obj


def _partial_targets(cls: Any) -> dict[str, Any]:
    """Relation fields of a partial model whose declared type is itself a partial model."""
    found: dict[str, Any] | None = cls.__dict__.get("__lamina_partial_targets__")
    if found is None:
        import typing

        found = {}
        for name, info in cls.model_fields.items():
            stack = [info.annotation]
            while stack:
                t = stack.pop()
                if isinstance(t, type) and issubclass(t, BaseModel):
                    if getattr(t, "__module__", "").endswith(".partials"):
                        found[name] = t
                    break
                stack.extend(typing.get_args(t))
        setattr(cls, "__lamina_partial_targets__", found)
    return found


def build(m: ModelMeta, rec: dict[str, Any], cls: Any = None) -> Any:
    """A model instance from a decoded record, without re-validating what the database returned."""
    if cls is not None and cls is not m.cls:
        return as_partial(rec, cls)
    obj = _new(cls or m.cls)
    _set(obj, "__dict__", rec)
    # Every field is set: one shared set per model (pydantic only ever adds names already in it).
    _set_fields_set(obj, m.all_fields_set if len(rec) == m.n_fields else set(rec))
    _set_extra(obj, None)
    _set_private(obj, None)
    return obj


def _row_items(d: Dialect, m: ModelMeta, rel_keys: tuple[str, ...], env: dict[str, Any]) -> str:
    """The dict display (field name -> value) of one driver row `r` of `m.scalar_names`: the row
    indexed (twice as fast as `dict(zip(names, row))`), only the columns that need it decoded,
    the common case of a decoder written inline (`Dialect.inline_decoders`); the decoders go
    into `env`. Extra trailing columns (an include's parent key) are left out."""
    items = []
    for i, (n, dec) in enumerate(zip(m.scalar_names, decoders(d, m, m.scalar_names))):
        f = m.fields[n]
        inline = d.inline_decoders.get(f.type) if dec is d.decoders.get(f.type) and not f.is_list else None
        if dec is None:
            items.append(f"{n!r}: r[{i}]")
        elif inline is not None:
            env[f"dec{i}"] = dec
            items.append(f"{n!r}: None if (x := r[{i}]) is None else ({inline.replace('dec(x)', f'dec{i}(x)')})")
        else:
            env[f"dec{i}"] = dec
            items.append(f"{n!r}: None if r[{i}] is None else dec{i}(r[{i}])")
    items += [f"{n!r}: None" for n in rel_keys]
    return "{" + ", ".join(items) + "}"  # names are repr()-quoted


def record_maker(d: Dialect, m: ModelMeta, rel_keys: tuple[str, ...] | None = None) -> Any:
    """A function making one record (field name -> value) from one driver row of `m.scalar_names`,
    compiled once per model, dialect and relation keys (`rel_keys`: the relations set to None;
    default all of them). Drivers call it as they read each row (`SyncDriver.execute`'s
    `make_row`), so no list of every row's tuple is kept beside the records."""
    rel_keys = m.rel_keys if rel_keys is None else rel_keys
    key = ("maker", d.name, rel_keys)
    make = m.cache.get(key)
    if make is None:
        env: dict[str, Any] = dict(INLINE_NAMES)
        exec(f"def make(r):\n    return {_row_items(d, m, rel_keys, env)}\n", env)
        make = m.cache[key] = env["make"]
    return make


def include_record_maker(d: Dialect, m: ModelMeta, include: Any) -> Any:
    """`record_maker` for a read with `include`: a model's only relation, when `include` asks
    for it, is left for the include to set (on every record)."""
    rel_keys = m.rel_keys
    if include and len(rel_keys) == 1 and include.get(rel_keys[0]):
        rel_keys = ()
    return record_maker(d, m, rel_keys)


def model_maker(d: Dialect, m: ModelMeta) -> Any:
    """One full model from one driver row, in one call (find_unique's hot path): `models_of`'s
    object from `record_maker`'s record."""
    key = ("model-maker", d.name)
    make = m.cache.get(key)
    if make is None:
        env: dict[str, Any] = {"_new": _new, "_set": _set, "_set_fields_set": _set_fields_set, "_set_extra": _set_extra,
                               "_set_private": _set_private, "cls": m.cls, "fields_set": m.all_fields_set, **INLINE_NAMES}
        exec("def make(r):\n"
             "    o = _new(cls)\n"
             f"    _set(o, '__dict__', {_row_items(d, m, m.rel_keys, env)})\n"
             "    _set_fields_set(o, fields_set)\n"
             "    _set_extra(o, None)\n"
             "    _set_private(o, None)\n"
             "    return o\n", env)
        make = m.cache[key] = env["make"]
    return make


_consume: Any = deque(maxlen=0).extend  # runs an iterator to its end at C speed, keeping nothing
_PAUSE_GC_FROM = 2000  # models


def models_of(m: ModelMeta, recs: list[dict[str, Any]]) -> list[Any]:
    """Full models holding `recs` (records of every scalar field, from `record_maker`): the state
    pydantic's `model_construct` leaves (every field in `__pydantic_fields_set__`, one set shared
    by all; no extra, no private), without validating what the database returned. Each step runs
    over all objects as one C-level `starmap`, no bytecode per object (faster than one call per row).

    The objects are the only containers the cyclic garbage collector tracks here, and they cannot
    form cycles; for a large result its collection is paused while they are made (else it would
    walk the growing list of new objects again and again: a third of the time at 100,000 rows)."""
    n = len(recs)
    if n >= _PAUSE_GC_FROM:
        with _gc_paused():
            return _models_of(m, recs, n)
    return _models_of(m, recs, n)


def _models_of(m: ModelMeta, recs: list[dict[str, Any]], n: int) -> list[Any]:
    # starmap over zip, not map: the setters are called with zip's argument tuple, which zip then
    # reuses, where map builds a new tuple per call for them (a quarter of the cost of each step)
    objs = list(starmap(_new, repeat((m.cls,), n)))
    _consume(starmap(_set_dict, zip(objs, recs)))
    _consume(starmap(_set_fields_set, zip(objs, repeat(m.all_fields_set, n))))
    _consume(starmap(_set_extra, zip(objs, repeat(None, n))))
    _consume(starmap(_set_private, zip(objs, repeat(None, n))))
    return objs


_gc_lock = threading.Lock()
_gc_pauses = 0  # threads inside _gc_paused
_gc_was_enabled = False


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """The cyclic garbage collector off for the block, back on after it if it was on before the
    first of the threads that paused it. (Only a `gc.disable()` made by other code during the
    block is undone: the collector is back on at its end.)"""
    global _gc_pauses, _gc_was_enabled
    with _gc_lock:
        if _gc_pauses == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_pauses += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pauses -= 1
            if _gc_pauses == 0 and _gc_was_enabled:
                gc.enable()


def build_all(m: ModelMeta, recs: list[dict[str, Any]], cls: Any = None) -> list[Any]:
    """`build` over many records in one loop (no call per record)."""
    if cls is not None and cls is not m.cls:
        return [as_partial(rec, cls) for rec in recs]
    cls = cls or m.cls
    n_fields = m.n_fields
    fields_set = m.all_fields_set
    out: list[Any] = []
    append = out.append
    for rec in recs:
        obj = _new(cls)
        _set(obj, "__dict__", rec)
        _set_fields_set(obj, fields_set if len(rec) == n_fields else set(rec))
        _set_extra(obj, None)
        _set_private(obj, None)
        append(obj)
    return out


def models_from_rows(d: Dialect, m: ModelMeta, names: list[str], rows: list[Any], cls: Any = None) -> list[Any]:
    """`decode` and `build` in one pass: the hot path of every read without includes."""
    if cls is not None and cls is not m.cls:
        return [as_partial(rec, cls) for rec in decode(d, m, names, rows)]
    if names is m.scalar_names:
        return models_of(m, list(map(record_maker(d, m), rows)))
    if len(names) + len(m.relation_names) != m.n_fields:
        return [build(m, rec, cls) for rec in decode(d, m, names, rows)]
    cls = cls or m.cls
    pkey = ("pairs", d.name, tuple(names))  # e.g. a partial model's class that has every field
    pairs: list[tuple[str, Any]] | None = m.cache.get(pkey)
    if pairs is None:
        decs = decoders(d, m, names)
        pairs = m.cache[pkey] = list(zip(names, decs)) if any(decs) else []
    rel_none = m.rel_none
    fields_set = m.all_fields_set
    out: list[Any] = []
    append = out.append
    if not pairs:
        for r in rows:
            rec = dict(zip(names, r))
            rec.update(rel_none)
            obj = _new(cls)
            _set(obj, "__dict__", rec)
            _set_fields_set(obj, fields_set)
            _set_extra(obj, None)
            _set_private(obj, None)
            append(obj)
        return out
    for r in rows:
        rec = {}
        for (n, dec), v in zip(pairs, r):
            rec[n] = dec(v) if dec is not None and v is not None else v
        rec.update(rel_none)
        obj = _new(cls)
        _set(obj, "__dict__", rec)
        _set_fields_set(obj, fields_set)
        _set_extra(obj, None)
        _set_private(obj, None)
        append(obj)
    return out


def partial_names(m: ModelMeta, cls: Any) -> list[str]:
    """The columns a model class reads: all of them, or a partial model's own fields."""
    if cls is None or cls is m.cls:
        return m.scalar_names
    key = ("partial", cls)
    names: list[str] | None = m.cache.get(key)
    if names is None:
        fields = cls.model_fields
        for f in fields:
            if f not in m.fields and f not in m.relations:
                raise FieldNotFoundError(f"Field '{f}' not found in enclosing type '{m.name}'", code="P2009")
        names = [n for n in m.scalar_names if n in fields]
        m.cache[key] = names
    return names


def select_names(m: ModelMeta, select: Any) -> tuple[list[str], dict[str, Any]]:
    """(scalar fields to read, relations to load) for a `select` argument."""
    if not isinstance(select, dict):
        raise FieldNotFoundError(f"Argument `select` of {m.name}: expected an object, provided {select!r}.", code="P2009")
    for key in select:
        if key not in m.fields and key not in m.relations:
            raise FieldNotFoundError(f"Unknown field `{key}` for select statement on model `{m.name}`.", code="P2009",
                                     meta={"kind": "UnknownSelectionField"})
    names = [n for n in m.scalar_names if select.get(n)]
    if not names and not any(select.get(k) for k in select if k in m.relations):
        raise FieldNotFoundError(f"The `select` statement for type {m.name} needs at least one truthy value.", code="P2009")
    rels = {k: v for k, v in select.items() if k in m.relations and v}
    for rel_name in rels:  # the join columns must be read to attach related rows
        for n in m.relations[rel_name].local:
            if n not in names:
                names.append(n)
    return names, rels


def select_sql(
    ctx: Ctx, m: ModelMeta, names: list[str], *, where: Any = None, take: int | None = None, skip: int | None = None,
    cursor: Any = None, order: Any = None, paginate: bool = True, extra: list[str] | None = None,
    lateral: list[str] | None = None,
) -> tuple[str, bool]:
    """(SELECT statement, whether rows come in reverse order: a negative `take`). `extra` columns
    follow the model's, `lateral` joins follow the FROM (compiled before this call: their parameters come
    first)."""
    check_pagination(take, skip)
    items = order_items(m, order)
    if items or take is not None or skip:
        # As Prisma's engine: the primary key ends every order, so rows that tie on the asked
        # order come in a stable order (the same on every database and every page)
        items = with_pk(m, items)
    reverse = take is not None and take < 0
    if reverse:
        take = -take  # type: ignore[operator]
        items = [(f, not desc, nulls) for f, desc, nulls in with_pk(m, items)]
    sql = f"SELECT {columns(ctx, m, 't0', names)}{''.join(', ' + e for e in extra or ())} FROM {ctx.table(m)} AS t0"
    sql += "".join(" " + j for j in lateral or ())
    conds = where_sql(ctx, m, "t0", where)
    if cursor:
        items = with_pk(m, items)
        c = cursor_sql(ctx, m, "t0", cursor, items)
        conds = f"{conds} AND {c}" if conds else c
    if conds:
        sql += " WHERE " + conds
    if items:
        sql += " ORDER BY " + order_sql(ctx, "t0", items)
    if paginate:
        sql += ctx.d.limit_offset(take, skip)
    return sql, reverse


def find_many(
    ctx: Ctx, m: ModelMeta, *, where: Any = None, take: int | None = None, skip: int | None = None,
    cursor: Any = None, order: Any = None, distinct: Any = None, include: Any = None, select: Any = None,
    cls: Any = None, relation_load_strategy: Any = None,
) -> Op:
    join = joins.strategy(ctx.schema, relation_load_strategy) == "join"
    names = partial_names(m, cls)
    if select:
        names, include = select_names(m, select)
    elif include and names is not m.scalar_names:  # a partial model still needs the join columns
        names = names + [n for r in include if r in m.relations for n in m.relations[r].local if n not in names]
    if include:
        check_include(ctx.schema, m, include)
        if cls is not None and cls is not m.cls:
            for rel_name, spec in include.items():
                if spec and rel_name not in cls.model_fields:
                    from .errors import UnknownRelationalFieldError

                    raise UnknownRelationalFieldError(cls.__name__, rel_name)
    for name in distinct or ():
        m.field_or_error(name)
    plain = names is m.scalar_names and not select and (cls is None or cls is m.cls)
    if include and join and plain and not distinct and ctx.d.name in ("postgresql", "mysql"):
        mariadb = (yield from _is_mariadb(ctx)) if ctx.d.name == "mysql" else None
        if joins.joinable(ctx.schema, m, include, mariadb):
            return (yield from _find_many_joined(ctx, m, include, where=where, take=take, skip=skip, cursor=cursor,
                                                 order=order))
    native = None  # `distinct` as DISTINCT ON (nativeDistinct), else it is applied to the rows below
    if distinct and ctx.schema.native_distinct and ctx.d.name == "postgresql" and not (take is not None and take < 0):
        native = distinct_on_sql(ctx, m, names, distinct, where=where, take=take, skip=skip, cursor=cursor, order=order)
    if native is not None:
        rows, _ = yield native, ctx.params
        reverse = False
    else:
        sql, reverse = select_sql(ctx, m, names, where=where, take=take, skip=skip, cursor=cursor, order=order,
                                  paginate=not distinct)
        if plain and not distinct:
            # the usual read: the driver makes the records as it reads the rows; includes fill them
            recs, _ = yield sql, ctx.params, include_record_maker(ctx.d, m, include)
            objs = models_of(m, recs)
            if reverse:
                objs.reverse()
            if include and recs:
                yield from load_includes(ctx.d, ctx.schema, m, recs, include)
            return objs
        rows, _ = yield sql, ctx.params
    recs = decode(ctx.d, m, names, rows)
    if distinct and native is None:
        seen: set[Any] = set()
        kept = []
        for rec in recs:
            key = tuple(repr(rec[k]) for k in distinct)
            if key not in seen:
                seen.add(key)
                kept.append(rec)
        recs = kept[skip or 0:]
        if take is not None:
            recs = recs[:abs(take)]
    if reverse:
        recs.reverse()
    if include and recs:
        yield from load_includes(ctx.d, ctx.schema, m, recs, include)
    if select:
        for rec in recs:
            for n in m.scalar_names:
                rec.setdefault(n, None)
    return build_all(m, recs, cls)


def _is_mariadb(ctx: Ctx) -> Generator[Stmt, Result, bool]:
    """Whether the MySQL server is MariaDB (asked once per client schema): only MariaDB's
    JSON_ARRAYAGG orders and limits, which the join strategy needs there."""
    found: bool | None = ctx.schema.server_is_mariadb
    if found is None:
        rows, _ = yield "SELECT VERSION()", []
        found = ctx.schema.server_is_mariadb = "mariadb" in str(rows[0][0]).lower()
    return found


def _find_many_joined(ctx: Ctx, m: ModelMeta, include: Any, **args: Any) -> Op:
    """find_many with its includes in the same statement (see joins.py)."""
    exprs, lateral, compiled = joins.relation_values(ctx, m, "t0", include)
    sql, reverse = select_sql(ctx, m, m.scalar_names, extra=exprs, lateral=lateral, **args)
    rows, _ = yield sql, ctx.params
    recs = list(map(include_record_maker(ctx.d, m, include), rows))
    objs = models_of(m, recs)
    width = len(m.scalar_names)
    for i, rc in enumerate(compiled):
        joins.fill(ctx.d, rc, recs, [row[width + i] for row in rows])
    if reverse:
        objs.reverse()
    return objs


def distinct_on_sql(ctx: Ctx, m: ModelMeta, names: list[str], distinct: Any, *, where: Any, take: int | None,
                    skip: int | None, cursor: Any, order: Any) -> str | None:
    """`distinct` as PostgreSQL's DISTINCT ON (the nativeDistinct preview feature): the first row of
    each distinct value in the asked order, then that order, `skip` and `take` over the kept rows
    (Prisma applies distinct before pagination). None for an order by `_relevance` (the in-memory
    distinct handles it)."""
    check_pagination(take, skip)
    items = with_pk(m, order_items(m, order))
    if any(isinstance(f, Relevance) for f, _, _ in items):
        return None
    kept = {m.fields[n].db_name for n in names}
    if any(f.db_name not in kept for f, _, _ in items):
        return None  # the outer order needs a column the read does not select
    q = ctx.d.q
    fields = [m.field_or_error(n) for n in distinct]
    cols = ", ".join(f"{column_expr(ctx.col('t0', m.fields[n]), m.fields[n].is_list)} AS {q(m.fields[n].db_name)}"
                     for n in names)
    key = ", ".join(ctx.col("t0", f) for f in fields)
    inner = f"SELECT DISTINCT ON ({key}) {cols} FROM {ctx.table(m)} AS t0"
    conds = where_sql(ctx, m, "t0", where)
    if cursor:
        c = cursor_sql(ctx, m, "t0", cursor, items)
        conds = f"{conds} AND {c}" if conds else c
    if conds:
        inner += " WHERE " + conds
    inner += f" ORDER BY {key}, {order_sql(ctx, 't0', items)}"
    return f"SELECT * FROM ({inner}) AS t0 ORDER BY {order_sql(ctx, 't0', items)}{ctx.d.limit_offset(take, skip)}"


def _relation(m: ModelMeta, rel_name: str) -> Any:
    rel = m.relations.get(rel_name)
    if rel is None:
        raise FieldNotFoundError(f"Field '{rel_name}' is not a relation of model {m.name}", code="P2009")
    return rel


def check_include(schema: Schema, m: ModelMeta, include: Any) -> None:
    """An include tree's relation names, selects, orders and pagination are valid: checked before
    the first statement, since a nested include's own statement runs only after its parents'."""
    for rel_name, spec in include.items():
        if not spec:
            continue
        rel = _relation(m, rel_name)
        if not isinstance(spec, dict):
            continue
        r = schema.models[rel.related]
        check_pagination(spec.get("take"), spec.get("skip"))
        items = order_items(r, spec.get("order_by") or spec.get("order"))
        if (spec.get("take") is not None or spec.get("skip")) and any(isinstance(f, Relevance) for f, _, _ in items):
            # per-parent pagination numbers rows in the SELECT list, before the WHERE's parameters
            raise FieldNotFoundError("An include with `take`/`skip` cannot be ordered by `_relevance` yet.", code="P2009")
        for name in spec.get("distinct") or ():
            r.field_or_error(name)
        nested = spec.get("include")
        if spec.get("select"):
            _, nested = select_names(r, spec["select"])
        if nested:
            check_include(schema, r, nested)


def load_includes(d: Dialect, schema: Schema, m: ModelMeta, recs: list[dict[str, Any]], include: Any) -> Op:
    for rel_name, spec in include.items():
        if not spec:
            continue
        rel = _relation(m, rel_name)
        args = spec if isinstance(spec, dict) else {}
        yield from _load_relation(d, schema, rel, recs, args)


def _load_relation(d: Dialect, schema: Schema, rel: RelationMeta, recs: list[dict[str, Any]], args: dict[str, Any]) -> Op:
    r = schema.models[rel.related]
    single = len(rel.local) == 1  # the common case, without building key tuples
    col = rel.local[0]
    keys: dict[Any, None] = {}
    if single:
        keys = dict.fromkeys([rec[col] for rec in recs])
        keys.pop(None, None)
    else:
        for rec in recs:
            k = tuple([rec[n] for n in rel.local])
            if None not in k:
                keys[k] = None
    groups: dict[Any, list[Any]] = {}
    key_list = [(k,) for k in keys] if single else list(keys)
    for start in range(0, len(key_list), CHUNK):
        chunk = key_list[start:start + CHUNK]
        children, child_keys = yield from _select_related(d, schema, rel, r, chunk, args)
        for k, child in zip(child_keys, children):
            k = k[0] if single else k
            found = groups.get(k)
            if found is None:
                groups[k] = [child]
            else:
                found.append(child)
    name = rel.name
    get = groups.get
    if single and not rel.to_many:  # to-one by one column: the first (only) child of each key
        first = {k: found[0] for k, found in groups.items()}
        get_first = first.get
        for rec in recs:
            rec[name] = get_first(rec[col])
    elif rel.to_many:
        for rec in recs:
            rec[name] = get(rec[col] if single else tuple([rec[n] for n in rel.local])) or []
    else:
        for rec in recs:
            found = get(rec[col] if single else tuple([rec[n] for n in rel.local]))
            rec[name] = found[0] if found else None


def _related_query(
    d: Dialect, schema: Schema, rel: RelationMeta, r: ModelMeta, keys: list[tuple[Any, ...]], args: dict[str, Any]
) -> tuple[str, list[Any], list[str], Any, list[Any], bool]:
    """The SELECT of the related rows of `keys`: (sql, params, names, nested include, key fields, reverse)."""
    ctx = Ctx(d, schema)
    m = schema.models[rel.model]
    names = r.scalar_names
    include = args.get("include")
    if args.get("select"):
        names, include = select_names(r, args["select"])
    q = d.q
    if rel.join:
        j = "t0j"
        frm = (f"{d.table(rel.join, m.db_schema)} AS {j} JOIN {ctx.table(r)} AS t0 "
               f"ON t0.{q(r.fields[rel.remote[0]].db_name)} = {j}.{q(rel.join_other or 'B')}")
        key_cols = [f"{j}.{q(rel.join_self or 'A')}"]
        key_fields = [m.fields[rel.local[0]]]
    else:
        frm = f"{ctx.table(r)} AS t0"
        key_cols = [f"t0.{q(r.fields[n].db_name)}" for n in rel.remote]
        key_fields = [r.fields[n] for n in rel.remote]
    if len(key_cols) == 1:
        ph = ", ".join(ctx.p(key_fields[0], k[0]) for k in keys)
        cond = f"{key_cols[0]} IN ({ph})"
    else:
        cond = " OR ".join(
            "(" + " AND ".join(f"{c} = {ctx.p(f, v)}" for c, f, v in zip(key_cols, key_fields, k)) + ")" for k in keys
        )
        cond = f"({cond})"
    extra = where_sql(ctx, r, "t0", args.get("where"))
    if extra:
        cond += " AND " + extra
    # Related rows come in the order asked, else by primary key (stable for pagination, as Prisma).
    items = with_pk(r, order_items(r, args.get("order_by") or args.get("order")))
    take: int | None = args.get("take")
    skip: int | None = args.get("skip")
    check_pagination(take, skip)
    if args.get("distinct"):  # distinct comes before pagination: both applied to the rows (_distinct_children)
        take = skip = None
    reverse = take is not None and take < 0
    if take is not None and take < 0:  # the last rows before the cursor: walk the order backwards, then flip
        take = -take
        items = [(f, not desc, nulls) for f, desc, nulls in items]
    if args.get("cursor"):
        cond += " AND " + cursor_sql(ctx, r, "t0", args["cursor"], items)
    # The model's columns first, the parent key after them: rows build models without slicing.
    select_list = columns(ctx, r, "t0", names) + ", " + ", ".join(f"{c} AS lamina_k{i}" for i, c in enumerate(key_cols))
    if take is not None or skip:
        # Per-parent pagination: number each parent's children and keep a window of them.
        over = f"PARTITION BY {', '.join(key_cols)} ORDER BY " + order_sql(ctx, "t0", items)
        inner = f"SELECT {select_list}, ROW_NUMBER() OVER ({over}) AS lamina_rn FROM {frm} WHERE {cond}"
        lo = skip or 0
        bound = f"lamina_rn > {int(lo)}" + (f" AND lamina_rn <= {int(lo) + int(take)}" if take is not None else "")
        sql = f"SELECT * FROM ({inner}) AS w WHERE {bound} ORDER BY lamina_rn"
    else:
        sql = f"SELECT {select_list} FROM {frm} WHERE {cond} ORDER BY " + order_sql(ctx, "t0", items)
    return sql, ctx.params, names, include, key_fields, reverse


def _select_related(
    d: Dialect, schema: Schema, rel: RelationMeta, r: ModelMeta, keys: list[tuple[Any, ...]], args: dict[str, Any]
) -> Generator[Stmt, Result, tuple[list[Any], list[tuple[Any, ...]]]]:
    if not args and len(rel.local) == 1:
        # A plain include (`{'author': True}`): the statement is cached around its IN list.
        plan = r.cache.get(("rel", rel.model, rel.name, d.name))
        if plan is None:
            sql1, _, names, include, key_fields, reverse = _related_query(d, schema, rel, r, [(None,)], args)
            cut = sql1.index(f" IN ({d.param})") + 5
            plan = r.cache[("rel", rel.model, rel.name, d.name)] = (sql1[:cut], sql1[cut + len(d.param):], key_fields)
        head, tail, key_fields = plan
        f = key_fields[0]
        if f.enum_db is None:
            enc = d.encoders.get(f.type)
            params = [k[0] for k in keys] if enc is None else [enc(k[0]) if k[0] is not None else None for k in keys]
        else:
            ctx = Ctx(d, schema)
            for k in keys:
                ctx.p(f, k[0])
            params = ctx.params
        sql = head + ", ".join([d.param] * len(keys)) + tail
        names, include, reverse = r.scalar_names, None, False
    else:
        sql, params, names, include, key_fields, reverse = _related_query(d, schema, rel, r, keys, args)
    rows, _ = yield sql, params
    nk = len(key_fields)
    nn = len(names)
    key_decs = [d.decoders.get(f.type) for f in key_fields]
    if nk == 1 and key_decs[0] is None:  # the common case: one plain key column
        child_keys = [(row[nn],) for row in rows]
    else:
        child_keys = [
            tuple(dec(v) if dec is not None and v is not None else v for dec, v in zip(key_decs, row[nn:nn + nk]))
            for row in rows
        ]
    if names is r.scalar_names:  # full models: built now, includes fill their (shared) dicts
        recs = list(map(include_record_maker(d, r, include), rows))  # the parent key columns are left out
        built = models_of(r, recs)
        if include and recs:
            yield from load_includes(d, schema, r, recs, include)
    else:
        recs = decode(d, r, names, rows)
        if include and recs:
            yield from load_includes(d, schema, r, recs, include)
        if args.get("select"):
            for rec in recs:
                for n in r.scalar_names:
                    rec.setdefault(n, None)
        built = build_all(r, recs)
    if args.get("distinct"):
        built, child_keys = _distinct_children(built, child_keys, args)
    if reverse:  # rows of each parent keep their relative order when the whole list flips
        built.reverse()
        child_keys.reverse()
    return built, child_keys


def _distinct_children(built: list[Any], child_keys: list[Any], args: dict[str, Any]) -> tuple[list[Any], list[Any]]:
    """An include's `distinct`: the first child of each parent per distinct value, then that
    parent's `skip`/`take` window (Prisma applies distinct before pagination)."""
    fields = list(args["distinct"])
    skip = args.get("skip") or 0
    take = args.get("take")
    seen: set[Any] = set()
    per_parent: dict[Any, int] = {}
    kept, kept_keys = [], []
    for obj, key in zip(built, child_keys):
        dk = (key, tuple(repr(obj.__dict__.get(f)) for f in fields))
        if dk in seen:
            continue
        seen.add(dk)
        i = per_parent.get(key, 0)
        per_parent[key] = i + 1
        if i < skip or (take is not None and i - skip >= abs(take)):
            continue
        kept.append(obj)
        kept_keys.append(key)
    return kept, kept_keys
