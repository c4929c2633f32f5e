"""`count` (plain or with `select`) and `group_by` with `_count/_avg/_sum/_min/_max` and `having`."""

from __future__ import annotations

from typing import Any

from .errors import InputError
from .meta import ModelMeta
from .reads import Op, decoders
from .where import Ctx, as_items, check_pagination, cursor_sql, order_items, order_sql, scalar_filter, where_sql, with_pk

_AGGS = {"_avg": "AVG", "_sum": "SUM", "_min": "MIN", "_max": "MAX", "_count": "COUNT"}


def count(ctx: Ctx, m: ModelMeta, *, select: Any = None, take: int | None = None, skip: int | None = None,
          where: Any = None, cursor: Any = None) -> Op:
    check_pagination(take, skip)
    q = ctx.d.q
    cond = where_sql(ctx, m, "t0", where)
    if cursor:
        c = cursor_sql(ctx, m, "t0", cursor, with_pk(m, []))
        cond = f"{cond} AND {c}" if cond else c
    keys = [k for k, v in (select or {}).items() if v] if select else ["_all"]
    exprs = []
    for k in keys:
        if k == "_all":
            exprs.append("COUNT(*)")
        else:
            exprs.append(f"COUNT(t0.{q(m.field_or_error(k).db_name)})")
    base = f"FROM {ctx.table(m)} AS t0" + (f" WHERE {cond}" if cond else "")
    if take is not None or skip:
        inner_cols = ", ".join(["1 AS lamina_one"] + [f"t0.{q(m.fields[k].db_name)}" for k in keys if k != "_all"])
        sub = f"SELECT {inner_cols} {base}{ctx.d.limit_offset(take, skip)}"
        outer = [("COUNT(*)" if k == "_all" else f"COUNT(s.{q(m.fields[k].db_name)})") for k in keys]
        sql = f"SELECT {', '.join(outer)} FROM ({sub}) AS s"
    else:
        sql = f"SELECT {', '.join(exprs)} {base}"
    rows, _ = yield sql, ctx.params
    values = [int(v) for v in rows[0]]
    if select is None:
        return values[0]
    return dict(zip(keys, values))


def _agg_spec(arg: Any, m: ModelMeta) -> list[str]:
    if arg is True:
        return ["_all"]
    return [k for k, v in (arg or {}).items() if v]


def group_by(ctx: Ctx, m: ModelMeta, *, by: list[str], where: Any = None, take: int | None = None,
             skip: int | None = None, avg: Any = None, sum: Any = None, min: Any = None, max: Any = None,
             having: Any = None, count: Any = None, order: Any = None) -> Op:
    if not by:
        raise InputError("group_by needs at least one field in `by`", code="P2009")
    check_pagination(take, skip)
    for arg_name, value in (("take", take), ("skip", skip)):
        if value is not None and order is None:  # prisma-client-py checks this before the query
            raise TypeError(f"Missing argument: 'order' which is required when '{arg_name}' is present")
    _check_group_fields(by, order, having)
    q = ctx.d.q
    by_fields = [m.field_or_error(n) for n in by]
    select = [f"t0.{q(f.db_name)}" for f in by_fields]
    outputs: list[tuple[str | None, str, Any]] = []  # (aggregate key, field name, field)
    for key, arg in (("_count", count), ("_avg", avg), ("_sum", sum), ("_min", min), ("_max", max)):
        for name in _agg_spec(arg, m) if arg else []:
            if name == "_all":
                select.append("COUNT(*)")
                outputs.append((key, "_all", None))
                continue
            f = m.field_or_error(name)
            select.append(f"{_AGGS[key]}(t0.{q(f.db_name)})")
            outputs.append((key, name, f))
    sql = f"SELECT {', '.join(select)} FROM {ctx.table(m)} AS t0"
    cond = where_sql(ctx, m, "t0", where)
    if cond:
        sql += " WHERE " + cond
    sql += " GROUP BY " + ", ".join(f"t0.{q(f.db_name)}" for f in by_fields)
    if having:
        sql += " HAVING " + _having(ctx, m, having)
    items = order_items(m, order)
    if items:
        sql += " ORDER BY " + order_sql(ctx, "t0", items)
    sql += ctx.d.limit_offset(take, skip)
    rows, _ = yield sql, ctx.params
    decs = ctx.d.decoders
    out = []
    for row in rows:
        rec: dict[str, Any] = {}
        for f, v in zip(by_fields, row):
            dec = decoders(ctx.d, m, [f.name])[0]
            rec[f.name] = dec(v) if dec is not None and v is not None else v
        for (agg, name, f), v in zip(outputs, row[len(by_fields):]):
            key = agg or ""
            if v is not None:
                if key == "_count":
                    v = int(v)
                elif key == "_avg":
                    v = float(v)
                elif key == "_sum" and f is not None and f.type in ("Int", "BigInt"):
                    v = int(v)  # MySQL sums integers as DECIMAL
                elif key == "_sum" and f is not None and f.type == "Float":
                    v = float(v)
                elif f is not None and decs.get(f.type):
                    v = decs[f.type](v)
            rec.setdefault(key, {})[name] = v
        out.append(rec)
    return out


def _check_group_fields(by: list[str], order: Any, having: Any) -> None:
    """Prisma's rules: order only by grouped fields; `having` on a field not grouped only
    through an aggregate."""
    ordered = [n for item in (as_items(order) if order else []) for n in item]
    missing = [n for n in ordered if n not in by]
    if missing:
        raise InputError(
            "Every field used for orderBy must be included in the by-arguments of the query. "
            f"Missing fields: {', '.join(missing)}", code="P2019",
        )
    plain = [n for n in _having_plain_fields(having) if n not in by]
    if plain:
        raise InputError(
            "Input error. Every field used in `having` filters must either be an aggregation filter "
            f"or be included in the selection of the query. Missing fields: {', '.join(dict.fromkeys(plain))}",
            code="P2019",
        )


def _having_plain_fields(having: Any) -> list[str]:
    out: list[str] = []
    for name, spec in (having or {}).items():
        if name in ("AND", "OR", "NOT"):
            for sub in as_items(spec):
                out += _having_plain_fields(sub)
        elif not isinstance(spec, dict) or any(k not in _AGGS for k in spec):
            out.append(name)
    return out


def _having(ctx: Ctx, m: ModelMeta, having: Any) -> str:
    parts = []
    for name, spec in having.items():
        if name in ("AND", "OR", "NOT"):
            items = as_items(spec)
            subs = [_having(ctx, m, s) for s in items]
            joined = (" OR " if name == "OR" else " AND ").join(f"({s})" for s in subs)
            parts.append(f"NOT ({joined})" if name == "NOT" else f"({joined})")
            continue
        f = m.field_or_error(name)
        col = f"t0.{ctx.d.q(f.db_name)}"
        if isinstance(spec, dict):
            plain = {k: v for k, v in spec.items() if k not in _AGGS}
            for key, filt in spec.items():
                if key in _AGGS:
                    parts.append(scalar_filter(ctx, f, f"{_AGGS[key]}({col})", filt))
            if plain:
                parts.append(scalar_filter(ctx, f, col, plain))
        else:
            parts.append(scalar_filter(ctx, f, col, spec))
    return " AND ".join(parts) or "1=1"
