"""Writing records, with nested writes (`create`, `connect`, `connect_or_create`,
`disconnect`, `set`, `delete` inside `data`), atomic number updates and `@updatedAt`.

Order inside one write, as Prisma does it: relations whose foreign key this row holds
are resolved first (their key goes into this row), then the row is written, then the
relations whose key lives on the other side (or in an m:n join table) are written with
this row's key. The engine runs a write with nested parts in one transaction.
"""

from __future__ import annotations

from typing import Any

from . import ids
from .dialect import Dialect
from .errors import FieldNotFoundError, InputError, MissingRequiredValueError, RecordNotFoundError
from .meta import FieldMeta, ModelMeta, RelationMeta, Schema
from .reads import Op, column_expr, columns, decode
from .where import Ctx, as_items, unique_check, where_sql

_ATOMIC = {"increment": "+", "decrement": "-", "multiply": "*", "divide": "/"}
_NUMERIC = {"Int", "BigInt", "Float", "Decimal"}


def split(m: ModelMeta, data: Any, path: str = "data") -> tuple[dict[str, Any], dict[str, Any]]:
    scalars: dict[str, Any] = {}
    rels: dict[str, Any] = {}
    for k, v in data.items():
        if k in m.fields:
            scalars[k] = v
        elif k in m.relations:
            if v is None:  # a relation is written through create/connect/...; null is no such operation
                raise MissingRequiredValueError(
                    f"Argument `{k}` must not be null: `{path}.{k}`", code="P2012", meta={"path": f"{path}.{k}"}
                )
            rels[k] = v
        else:
            raise FieldNotFoundError(
                f"Field does not exist in enclosing type `{m.name}`: `{path}.{k}` ('{k}')", code="P2009",
                meta={"path": f"{path}.{k}"},
            )
    return scalars, rels


def returning(ctx: Ctx, m: ModelMeta) -> str:
    if not ctx.d.returning:
        return ""
    q = ctx.d.q
    return " RETURNING " + ", ".join(column_expr(q(f.db_name), f.is_list) for f in m.scalars)


def fill_create_defaults(m: ModelMeta, values: dict[str, Any]) -> None:
    for f in m.scalars:
        if f.name in values:
            _required_not_null(m, f.name, values[f.name])
            continue
        if f.default in ids.CLIENT_SIDE:
            values[f.name] = ids.generate(f.default, f.default_args)
        elif f.updated_at:
            values[f.name] = ids.now()
        elif f.required and not f.is_list and f.default is None:
            raise MissingRequiredValueError(f"Argument `{f.name}` is missing.", code="P2012", meta={"path": f.name})


def insert_sql(ctx: Ctx, m: ModelMeta, values: dict[str, Any]) -> str:
    """INSERT of `values`; the text is compiled once per dialect and set of columns."""
    for n, v in values.items():
        ctx.p(m.fields[n], v)
    key = ("ins", ctx.d.name, tuple(values))
    sql: str | None = m.cache.get(key)
    if sql is None:
        q = ctx.d.q
        if values:
            cols = ", ".join(q(m.fields[n].db_name) for n in values)
            ph = ", ".join([ctx.d.param] * len(values))
            sql = f"INSERT INTO {ctx.table(m)} ({cols}) VALUES ({ph})"
        else:
            sql = f"INSERT INTO {ctx.table(m)}{ctx.d.default_values()}"
        sql += returning(ctx, m)
        if len(m.cache) < 10_000:
            m.cache[key] = sql
    return sql


def insert(ctx: Ctx, m: ModelMeta, values: dict[str, Any]) -> Op:
    rows, _ = yield insert_sql(ctx, m, values), ctx.params
    if ctx.d.returning:
        return decode(ctx.d, m, m.scalar_names, rows)[0]
    # No RETURNING (MySQL): read the row back by its key, generated or given.
    key = {n: values[n] for n in m.pk if n in values}
    if len(key) < len(m.pk):
        (last,), = (yield "SELECT LAST_INSERT_ID()", [])[0]
        key[next(n for n in m.pk if n not in key)] = int(last)
    return (yield from find_rec(ctx.d, ctx.schema, m, key))


def _pks(d: Dialect, schema: Schema, m: ModelMeta, where: Any) -> Op:
    """Primary keys of the rows matching `where` (for databases without RETURNING)."""
    ctx = Ctx(d, schema)
    cond = where_sql(ctx, m, "t0", where)
    sql = f"SELECT {columns(ctx, m, 't0', m.pk)} FROM {ctx.table(m)} AS t0" + (f" WHERE {cond}" if cond else "")
    rows, _ = yield sql, ctx.params
    return [dict(zip(m.pk, r)) for r in rows]


def _by_pks(keys: list[dict[str, Any]]) -> Any:
    return {"OR": keys} if keys else {"OR": []}


def find_rec(d: Dialect, schema: Schema, m: ModelMeta, where: Any) -> Op:
    ctx = Ctx(d, schema)
    cond = where_sql(ctx, m, "t0", where)
    sql = f"SELECT {columns(ctx, m, 't0', m.scalar_names)} FROM {ctx.table(m)} AS t0"
    if cond:
        sql += " WHERE " + cond
    rows, _ = yield sql + d.limit_offset(1, None), ctx.params
    recs = decode(d, m, m.scalar_names, rows)
    return recs[0] if recs else None


def pk_where(m: ModelMeta, rec: dict[str, Any]) -> dict[str, Any]:
    return {n: rec[n] for n in m.pk}


def _many(spec: Any) -> list[Any]:
    return as_items(spec)


# ---------------------------------------------------------------- create


def create(d: Dialect, schema: Schema, m: ModelMeta, data: Any, extra: dict[str, Any] | None = None) -> Op:
    scalars, rels = split(m, data)
    if extra:
        scalars.update(extra)
    later = []
    for name, spec in rels.items():
        rel = m.relations[name]
        if rel.holds_fk:
            target = yield from resolve_one(d, schema, rel, spec)
            if target is not None:
                for lc, rc in zip(rel.local, rel.remote):
                    scalars[lc] = target[rc]
        else:
            later.append((rel, spec))
    fill_create_defaults(m, scalars)
    rec = yield from insert(Ctx(d, schema), m, scalars)
    for rel, spec in later:
        yield from write_other_side(d, schema, rel, rec, spec, creating=True)
    return rec


def resolve_one(d: Dialect, schema: Schema, rel: RelationMeta, spec: Any) -> Op:
    """The related row a to-one relation (FK on this side) should point at."""
    r = schema.models[rel.related]
    for op, arg in spec.items():
        if op == "create":
            return (yield from create(d, schema, r, arg))
        if op == "connect":
            found = yield from find_rec(d, schema, r, _unique(r, arg))
            if found is None:
                raise RecordNotFoundError(
                    f"No '{r.name}' record was found for a nested connect on relation '{rel.name}'.", code="P2025"
                )
            return found
        if op in ("connect_or_create", "connectOrCreate"):
            found = yield from find_rec(d, schema, r, _unique(r, arg["where"]))
            return found if found is not None else (yield from create(d, schema, r, arg["create"]))
    if spec:
        raise InputError(f"Unsupported nested write {list(spec)} on relation '{rel.name}' in create", code="P2009")
    return None


def _unique(m: ModelMeta, where: Any) -> Any:
    unique_check(m, where)
    return where


def _fk_values(rel: RelationMeta, parent: dict[str, Any]) -> dict[str, Any]:
    return {rc: parent[lc] for lc, rc in zip(rel.local, rel.remote)}


def _join_insert(ctx: Ctx, rel: RelationMeta, m: ModelMeta, r: ModelMeta, parent: dict[str, Any], child: dict[str, Any]) -> str:
    q = ctx.d.q
    self_col, other_col = q(rel.join_self or "A"), q(rel.join_other or "B")
    a = ctx.p(m.fields[rel.local[0]], parent[rel.local[0]])
    b = ctx.p(r.fields[rel.remote[0]], child[rel.remote[0]])
    head = ctx.d.insert_head(ctx.d.table(rel.join or "", m.db_schema), True)
    return f"{head} ({self_col}, {other_col}) VALUES ({a}, {b}){ctx.d.conflict_tail(True)}"


def _set_fk(d: Dialect, schema: Schema, rel: RelationMeta, values: dict[str, Any], where: Any) -> Op:
    """UPDATE the related rows matching `where` so that their FK columns hold `values`; returns the count."""
    r = schema.models[rel.related]
    ctx = Ctx(d, schema)
    q = d.q
    sets = ", ".join(f"{q(r.fields[n].db_name)} = {ctx.p(r.fields[n], v)}" for n, v in values.items())
    cond = where_sql(ctx, r, "t0", where)
    sql = f"UPDATE {ctx.table(r)} AS t0 SET {sets}" + (f" WHERE {cond}" if cond else "")
    _, count = yield sql, ctx.params
    return count


def write_other_side(d: Dialect, schema: Schema, rel: RelationMeta, parent: dict[str, Any], spec: Any, creating: bool) -> Op:
    """Nested writes on a relation whose key lives on the related rows or in a join table."""
    m, r = schema.models[rel.model], schema.models[rel.related]
    fk = _fk_values(rel, parent) if not rel.join else {}
    mine = {n: parent[l] for l, n in zip(rel.local, rel.remote)}  # related rows pointing at parent
    for op, arg in spec.items():
        if op == "set" and rel.to_many:
            yield from _disconnect_all(d, schema, rel, m, r, parent, mine)
            op = "connect"
        if op == "create":
            for item in _many(arg):
                if rel.join:
                    child = yield from create(d, schema, r, item)
                    ctx = Ctx(d, schema)
                    yield _join_insert(ctx, rel, m, r, parent, child), ctx.params
                else:
                    if not rel.to_many and not creating:
                        yield from _set_fk(d, schema, rel, {n: None for n in rel.remote}, mine)
                    yield from create(d, schema, r, item, extra=fk)
        elif op == "connect":
            for where in _many(arg):
                unique_check(r, where)
                if rel.join:
                    child = yield from find_rec(d, schema, r, where)
                    if child is None:
                        raise RecordNotFoundError(f"No '{r.name}' record was found for a nested connect on relation '{rel.name}'.", code="P2025")
                    ctx = Ctx(d, schema)
                    yield _join_insert(ctx, rel, m, r, parent, child), ctx.params
                else:
                    if not rel.to_many and not creating:
                        yield from _set_fk(d, schema, rel, {n: None for n in rel.remote}, {"AND": [mine, {"NOT": where}]})
                    count = yield from _set_fk(d, schema, rel, fk, where)
                    if not count:
                        raise RecordNotFoundError(f"No '{r.name}' record was found for a nested connect on relation '{rel.name}'.", code="P2025")
        elif op in ("connect_or_create", "connectOrCreate"):
            for item in _many(arg):
                found = yield from find_rec(d, schema, r, _unique(r, item["where"]))
                if found is None:
                    yield from write_other_side(d, schema, rel, parent, {"create": item["create"]}, creating)
                else:
                    yield from write_other_side(d, schema, rel, parent, {"connect": item["where"]}, creating)
        elif op == "disconnect":
            if rel.to_many:
                wheres = _many(arg)
            elif arg is True:
                wheres = [{}]
            elif isinstance(arg, dict):
                wheres = [arg]
            else:
                continue
            for where in wheres:
                if rel.join:
                    yield from _join_delete(d, schema, rel, m, r, parent, where)
                else:
                    yield from _set_fk(d, schema, rel, {n: None for n in rel.remote}, {"AND": [mine, where]})
        elif op == "delete":
            if rel.to_many:
                wheres = _many(arg)
            elif arg is True:
                wheres = [{}]
            elif isinstance(arg, dict):
                wheres = [arg]
            else:
                continue
            for where in wheres:
                if rel.join:  # keys first: MySQL cannot DELETE from a table its WHERE reads again
                    cond: Any = {"AND": [where, {_back_name(schema, rel): {"some": pk_where(m, parent)}}]}
                    cond = _by_pks((yield from _pks(d, schema, r, cond)))
                else:
                    cond = {"AND": [mine, where]}
                yield from delete_where(d, schema, r, cond)
        else:
            raise InputError(f"Unsupported nested write `{op}` on relation '{rel.name}'", code="P2009")


def _back_name(schema: Schema, rel: RelationMeta) -> str:
    r = schema.models[rel.related]
    for other in r.relations.values():
        if other.join == rel.join and other.related == rel.model and (other.name != rel.name or rel.model != rel.related):
            if other.join_self == rel.join_other:
                return other.name
    raise InputError(f"No back relation for {rel.model}.{rel.name}")


def _disconnect_all(d: Dialect, schema: Schema, rel: RelationMeta, m: ModelMeta, r: ModelMeta, parent: dict[str, Any], mine: dict[str, Any]) -> Op:
    if rel.join:
        ctx = Ctx(d, schema)
        q = d.q
        sql = f"DELETE FROM {d.table(rel.join, m.db_schema)} WHERE {q(rel.join_self or 'A')} = {ctx.p(m.fields[rel.local[0]], parent[rel.local[0]])}"
        yield sql, ctx.params
    else:
        yield from _set_fk(d, schema, rel, {n: None for n in rel.remote}, mine)


def _join_delete(d: Dialect, schema: Schema, rel: RelationMeta, m: ModelMeta, r: ModelMeta, parent: dict[str, Any], where: Any) -> Op:
    ctx = Ctx(d, schema)
    q = d.q
    self_col, other_col = q(rel.join_self or "A"), q(rel.join_other or "B")
    a = ctx.p(m.fields[rel.local[0]], parent[rel.local[0]])
    cond = where_sql(ctx, r, "t0", where)
    idcol = q(r.fields[rel.remote[0]].db_name)
    sub = f"SELECT t0.{idcol} FROM {ctx.table(r)} AS t0" + (f" WHERE {cond}" if cond else "")
    sql = f"DELETE FROM {d.table(rel.join or '', m.db_schema)} WHERE {self_col} = {a} AND {other_col} IN ({sub})"
    yield sql, ctx.params


def delete_where(d: Dialect, schema: Schema, m: ModelMeta, where: Any) -> Op:
    ctx = Ctx(d, schema)
    cond = where_sql(ctx, m, "t0", where)
    sql = d.delete_from(ctx.table(m), "t0") + (f" WHERE {cond}" if cond else "")
    _, count = yield sql, ctx.params
    return count


# ---------------------------------------------------------------- update


def _new_value(change: Any, old: Any) -> Any:
    """What a SET of `change` makes of `old` (for reading a row back by a key it changed)."""
    if not isinstance(change, dict):
        return change
    (op, arg), = change.items()
    return {"set": lambda: arg, "increment": lambda: old + arg, "decrement": lambda: old - arg,
            "multiply": lambda: old * arg, "divide": lambda: old // arg if isinstance(old, int) else old / arg}[op]()


def _required_not_null(m: ModelMeta, name: str, value: Any) -> None:
    f = m.fields[name]
    if value is None and f.required and not f.is_list:
        raise MissingRequiredValueError(
            f"Argument `{name}` must not be null: the field {m.name}.{name} is required.", code="P2012", meta={"path": name}
        )


def check_set(m: ModelMeta, scalars: dict[str, Any]) -> None:
    """An update's values are valid (one operation per field, a known one), checked before any
    statement runs: an invalid update of a row that does not exist is an error too."""
    for name, v in scalars.items():
        _required_not_null(m, name, v)
        f: FieldMeta = m.fields[name]
        if isinstance(v, dict) and f.type != "Json":
            if len(v) != 1:
                raise InputError(f"Argument `{name}`: Expected exactly one field to be present, got {len(v)}.",
                                 code="P2009")
            (op, _), = v.items()
            if f.is_list:
                if op not in ("set", "push"):
                    raise InputError(f"Unknown update operation `{op}` on field `{name}`", code="P2009")
            elif not (op == "set" or op in _ATOMIC and f.type in _NUMERIC):
                raise InputError(f"Unknown update operation `{op}` on field `{name}`", code="P2009")


def set_clause(ctx: Ctx, m: ModelMeta, scalars: dict[str, Any]) -> str:
    check_set(m, scalars)
    q = ctx.d.q
    parts = []
    for name, v in scalars.items():
        f: FieldMeta = m.fields[name]
        col = q(f.db_name)
        if f.is_list and isinstance(v, dict):
            (op, arg), = v.items()
            if op == "push":  # append one value or a list of values
                parts.append(f"{col} = array_cat({col}, {ctx.p(f, as_items(arg))})")
            else:
                parts.append(f"{col} = {ctx.p(f, arg)}")
        elif isinstance(v, dict) and f.type != "Json":
            (op, arg), = v.items()
            if op == "set":
                parts.append(f"{col} = {ctx.p(f, arg)}")
            elif op in _ATOMIC and f.type in _NUMERIC:
                sym = _ATOMIC[op]
                if sym == "/" and f.type in ("Int", "BigInt") and ctx.d.name == "mysql":
                    sym = "DIV"  # integer division, as on the other databases
                parts.append(f"{col} = {col} {sym} {ctx.p(f, arg)}")
            else:
                raise InputError(f"Unknown update operation `{op}` on field `{name}`", code="P2009")
        else:
            parts.append(f"{col} = {ctx.p(f, v)}")
    for f in m.scalars:
        if f.updated_at and f.name not in scalars:
            parts.append(f"{q(f.db_name)} = {ctx.p(f, ids.now())}")
    return ", ".join(parts)


def update_where(d: Dialect, schema: Schema, m: ModelMeta, where: Any, scalars: dict[str, Any], want_rows: bool) -> Op:
    check_set(m, scalars)
    if want_rows and not d.returning:
        keys = yield from _pks(d, schema, m, where)
        if not keys:
            return []
        yield from update_where(d, schema, m, _by_pks(keys), scalars, False)
        recs = []
        for key in keys:  # read back by the key the row has now (an update may change it)
            rec = yield from find_rec(d, schema, m, {n: _new_value(scalars[n], v) if n in scalars else v for n, v in key.items()})
            if rec is not None:
                recs.append(rec)
        return recs
    ctx = Ctx(d, schema)
    sets = set_clause(ctx, m, scalars)
    cond = where_sql(ctx, m, "t0", where)
    sql = f"UPDATE {ctx.table(m)} AS t0 SET {sets}" + (f" WHERE {cond}" if cond else "")
    if want_rows:
        sql += returning(ctx, m)
    rows, count = yield sql, ctx.params
    if want_rows:
        return decode(d, m, m.scalar_names, rows)
    return count


def update(d: Dialect, schema: Schema, m: ModelMeta, where: Any, data: Any) -> Op:
    """Update one record found by a unique `where`; returns the record, or None when none matched."""
    unique_check(m, where)
    scalars, rels = split(m, data)
    check_set(m, scalars)
    if not rels:
        if not scalars and not any(f.updated_at for f in m.scalars):
            return (yield from find_rec(d, schema, m, where))
        recs = yield from update_where(d, schema, m, where, scalars, True)
        return recs[0] if recs else None
    current = yield from find_rec(d, schema, m, where)
    if current is None:
        return None
    later, deletes = [], []
    for name, spec in rels.items():
        rel = m.relations[name]
        if not rel.holds_fk:
            later.append((rel, spec))
            continue
        for op, arg in spec.items():
            if op == "disconnect" and arg:
                for lc in rel.local:
                    scalars[lc] = None
            elif op == "delete" and arg:
                deletes.append((rel, {rc: current[lc] for lc, rc in zip(rel.local, rel.remote)}))
                for lc in rel.local:
                    scalars[lc] = None
            else:
                target = yield from resolve_one(d, schema, rel, {op: arg})
                if target is not None:
                    for lc, rc in zip(rel.local, rel.remote):
                        scalars[lc] = target[rc]
    if scalars or any(f.updated_at for f in m.scalars):
        recs = yield from update_where(d, schema, m, pk_where(m, current), scalars, True)
        rec = recs[0]
    else:
        rec = current
    for rel, spec in later:
        yield from write_other_side(d, schema, rel, rec, spec, creating=False)
    for rel, where in deletes:
        yield from delete_where(d, schema, schema.models[rel.related], where)
    return rec


def delete(d: Dialect, schema: Schema, m: ModelMeta, where: Any) -> Op:
    unique_check(m, where)
    if not d.returning:
        rec = yield from find_rec(d, schema, m, where)
        if rec is not None:
            yield from delete_where(d, schema, m, pk_where(m, rec))
        return rec
    ctx = Ctx(d, schema)
    cond = where_sql(ctx, m, "t0", where)
    rows, _ = yield f"{d.delete_from(ctx.table(m), 't0')} WHERE {cond}" + returning(ctx, m), ctx.params
    recs = decode(d, m, m.scalar_names, rows)
    return recs[0] if recs else None


def create_many(d: Dialect, schema: Schema, m: ModelMeta, data: list[Any], skip_duplicates: bool,
                want_rows: bool = False) -> Op:
    """Rows grouped by their set of columns, one multi-row INSERT per group; returns the count,
    or with `want_rows` the created records (`create_many_and_return`: needs RETURNING)."""
    if want_rows and not d.returning:
        from .errors import UnsupportedDatabaseError

        raise UnsupportedDatabaseError(f"create_many_and_return() is not available on {d.name}.")
    if skip_duplicates and d.name == "sqlite":  # as Prisma: SQLite has no skipDuplicates
        from .errors import UnsupportedDatabaseError

        raise UnsupportedDatabaseError("sqlite", "create_many_skip_duplicates")
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for item in data:
        scalars, rels = split(m, item)
        if rels:
            raise InputError("create_many does not take relation fields", code="P2009")
        fill_create_defaults(m, scalars)
        groups.setdefault(tuple(scalars), []).append(scalars)
    total = 0
    created: list[dict[str, Any]] = []
    q = d.q
    for names, rows in groups.items():
        ctx = Ctx(d, schema)
        fields = [m.fields[n] for n in names]
        cols = ", ".join(q(f.db_name) for f in fields)
        values = ", ".join("(" + ", ".join(ctx.p(f, row[f.name]) for f in fields) + ")" for row in rows)
        head = d.insert_head(ctx.table(m), skip_duplicates)
        sql = f"{head} ({cols}) VALUES {values}" if names else f"{head}{d.default_values()}"
        sql += d.conflict_tail(skip_duplicates)
        if want_rows:
            sql += returning(ctx, m)
        result, count = yield sql, ctx.params
        total += count if count > 0 else 0
        if want_rows:
            created.extend(decode(d, m, m.scalar_names, result))
    return created if want_rows else total
