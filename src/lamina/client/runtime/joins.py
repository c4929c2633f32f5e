"""Includes loaded in the same statement as their parents (Prisma's `relationJoins` preview feature,
`relation_load_strategy="join"`).

Each included relation becomes one JSON value per parent row, built by the database:

- PostgreSQL: a `LEFT JOIN LATERAL` subquery per relation whose rows are `JSON_BUILD_OBJECT`s,
  aggregated with `JSON_AGG(... ORDER BY ...)` for a to-many relation; with `take`/`skip` the rows
  are numbered and limited in a subquery first. (JSON, not JSONB: nothing is converted to the
  binary form only to be printed again; objects of more than 50 fields are JSONB concatenations.)
- MariaDB: a correlated subquery per relation in the SELECT list, `JSON_ARRAYAGG(JSON_OBJECT(...)
  ORDER BY ... LIMIT ...)`. MariaDB has no LATERAL and no correlated derived tables, but its
  JSON_ARRAYAGG orders and limits by itself. MySQL 8's JSON_ARRAYAGG cannot order, so on MySQL
  proper the query strategy is used (same results, one statement per relation and level).

Values whose JSON form would lose something are converted by the database first (Decimal as text,
Bytes as hex, MySQL Json as its text) and decoded here into what the query strategy returns, so
both strategies give equal models. Include shapes this module does not compile (`select`,
`distinct` or `cursor` inside an include, `_relevance` orders, partial models) are loaded with the
query strategy: `joinable()` says which.
"""

from __future__ import annotations

import json
from typing import Any, Callable

from .dialect import Dialect, _datetime_text, _decimal_out
from .fields import Base64
from .meta import FieldMeta, ModelMeta, RelationMeta, Schema
from .where import Ctx, Relevance, check_pagination, link, order_items, order_sql, where_sql, with_pk

STRATEGIES = ("join", "query")
_PG_PAIRS = 50  # JSON_BUILD_OBJECT takes at most 100 arguments: larger objects are JSONB, concatenated with ||


def strategy(schema: Schema, asked: Any) -> str:
    """The strategy a read uses: the one asked, else Prisma's default (join once the preview
    feature is on). Asking without the preview feature is refused, as Prisma's client has no
    such argument then."""
    from .errors import FieldNotFoundError

    if asked is not None:
        if not schema.relation_joins:
            raise FieldNotFoundError("Argument `relation_load_strategy` needs the `relationJoins` preview feature "
                                     "(previewFeatures = [\"relationJoins\"] in the generator block).", code="P2009")
        if asked not in STRATEGIES:
            raise FieldNotFoundError(f"Argument `relation_load_strategy`: expected \"join\" or \"query\", "
                                     f"provided {asked!r}.", code="P2009")
        return str(asked)
    return "join" if schema.relation_joins else "query"


def joinable(schema: Schema, m: ModelMeta, include: Any, mariadb: bool | None) -> bool:
    """Whether this include tree is loaded in one statement on this database (`mariadb`: None on
    PostgreSQL, else whether the MySQL server is MariaDB)."""
    if mariadb is False:
        return False
    for rel_name, spec in include.items():
        if not spec:
            continue
        rel = m.relations[rel_name]
        r = schema.models[rel.related]
        if any(f.type == "Bytes" and f.is_list for f in r.scalars):
            return False
        if isinstance(spec, dict):
            if spec.get("select") or spec.get("distinct") or spec.get("cursor"):
                return False
            items = order_items(r, spec.get("order_by") or spec.get("order"))
            if any(isinstance(f, Relevance) for f, _, _ in items):
                return False
            if spec.get("include") and not joinable(schema, r, spec["include"], mariadb):
                return False
    return True


# ---------------------------------------------------------------- SQL


def _value_expr(d: Dialect, f: FieldMeta, col: str) -> str:
    """A column as a JSON object member: converted where JSON would lose precision or bytes."""
    if d.name == "postgresql":
        if f.type == "Decimal":
            return f"COALESCE({col}::text[], '{{}}')" if f.is_list else f"{col}::text"
        if f.type == "Bytes":
            return f"encode({col}, 'hex')"
        return f"COALESCE({col}, '{{}}')" if f.is_list else col
    if f.type == "Decimal" or f.type == "Json":
        return f"CAST({col} AS CHAR)"
    if f.type == "Bytes":
        return f"HEX({col})"
    return col


def _object(d: Dialect, pairs: list[tuple[str, str]]) -> str:
    if d.name == "postgresql":
        if len(pairs) <= _PG_PAIRS:
            return "JSON_BUILD_OBJECT(" + ", ".join(f"{k}, {v}" for k, v in pairs) + ")"
        chunks = [pairs[i:i + _PG_PAIRS] for i in range(0, len(pairs), _PG_PAIRS)]
        return "(" + " || ".join("JSONB_BUILD_OBJECT(" + ", ".join(f"{k}, {v}" for k, v in chunk) + ")"
                                 for chunk in chunks) + ")::json"
    return "JSON_OBJECT(" + ", ".join(f"{k}, {v}" for k, v in pairs) + ")"


def _key(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


class _Relation:
    """One included relation as compiled: where its JSON value is, and how to read it back."""

    __slots__ = ("rel", "model", "nested", "backwards")

    def __init__(self, rel: RelationMeta, model: ModelMeta, nested: list["_Relation"]) -> None:
        self.rel = rel
        self.model = model
        self.nested = nested
        self.backwards = False  # the JSON array holds the rows in reverse order (negative `take` on MariaDB)


def relation_values(ctx: Ctx, m: ModelMeta, alias: str, include: Any) -> tuple[list[str], list[str], list[_Relation]]:
    """(expressions of the included relations' JSON values for the SELECT list, LATERAL joins to
    add after the FROM (PostgreSQL), the compiled relations) for rows of `m` named `alias`."""
    exprs: list[str] = []
    joins: list[str] = []
    compiled: list[_Relation] = []
    for rel_name, spec in include.items():
        if not spec:
            continue
        rel = m.relations[rel_name]
        args = spec if isinstance(spec, dict) else {}
        expr, join, rc = _relation_sql(ctx, rel, alias, args)
        exprs.append(expr)
        if join:
            joins.append(join)
        compiled.append(rc)
    return exprs, joins, compiled


def _relation_sql(ctx: Ctx, rel: RelationMeta, outer: str, args: dict[str, Any]) -> tuple[str, str, _Relation]:
    d = ctx.d
    r = ctx.schema.models[rel.related]
    inner = ctx.alias()
    frm, cond = link(ctx, rel, outer, inner)
    # Nested relations first: their parameters come before this level's WHERE in the text.
    nested_exprs, nested_joins, nested = relation_values(ctx, r, inner, args.get("include") or {})
    pairs = [(_key(f.name), _value_expr(d, f, ctx.col(inner, f))) for f in r.scalars]
    nested_names = [x.rel.name for x in nested]
    pairs += [(_key(n), e) for n, e in zip(nested_names, nested_exprs)]
    obj = _object(d, pairs)
    extra = where_sql(ctx, r, inner, args.get("where"))
    if extra:
        cond += " AND " + extra
    compiled = _Relation(rel, r, nested)
    take: int | None = args.get("take")
    skip: int | None = args.get("skip")
    check_pagination(take, skip)
    items = with_pk(r, order_items(r, args.get("order_by") or args.get("order")))
    backwards = take is not None and take < 0
    if backwards:  # the last rows: walk the order backwards, keep `take`, then flip them back
        take = -take  # type: ignore[operator]
        items = [(f, not desc, nulls) for f, desc, nulls in items]
    order = order_sql(ctx, inner, items)
    lateral_joins = "".join(" " + j for j in nested_joins)
    if d.name == "postgresql":
        out = ctx.alias()
        if not rel.to_many:
            sub = f"SELECT {obj} AS v FROM {frm}{lateral_joins} WHERE {cond} LIMIT 1"
        elif take is None and not skip:
            sub = f"SELECT COALESCE(JSON_AGG({obj} ORDER BY {order}), '[]'::json) AS v FROM {frm}{lateral_joins} WHERE {cond}"
        else:
            window = f"SELECT {obj} AS d, ROW_NUMBER() OVER (ORDER BY {order}) AS o FROM {frm}{lateral_joins} WHERE {cond}"
            window += f" ORDER BY {order}{d.limit_offset(take, skip)}"
            agg_order = "o DESC" if backwards else "o"
            sub = f"SELECT COALESCE(JSON_AGG(s.d ORDER BY s.{agg_order}), '[]'::json) AS v FROM ({window}) AS s"
        return f"{out}.v", f"LEFT JOIN LATERAL ({sub}) AS {out} ON true", compiled
    if not rel.to_many:
        return f"(SELECT {obj} FROM {frm} WHERE {cond} LIMIT 1)", "", compiled
    limit = ""
    if take is not None or skip:
        limit = f" LIMIT {int(skip or 0)}, {int(take) if take is not None else 18446744073709551615}"
    agg = f"JSON_ARRAYAGG({obj} ORDER BY {order}{limit})"
    compiled.backwards = backwards  # MariaDB's aggregated array is not reversed here: flipped when read
    return f"(SELECT COALESCE({agg}, JSON_ARRAY()) FROM {frm} WHERE {cond})", "", compiled


# ---------------------------------------------------------------- reading


def _json_decoder(d: Dialect, m: ModelMeta, f: FieldMeta) -> Callable[[Any], Any] | None:
    from .reads import _each, _enum_decoder

    dec: Callable[[Any], Any] | None
    if f.type == "Enum":
        dec = _enum_decoder(m, f)
    elif f.type == "DateTime":
        dec = _datetime_text
    elif f.type == "Decimal":
        dec = _decimal_out
    elif f.type == "Bytes":
        dec = lambda v: Base64.encode(bytes.fromhex(v))  # noqa: E731
    elif f.type == "Float":
        dec = float
    elif f.type == "Boolean":
        dec = bool
    elif f.type == "Json" and d.name != "postgresql":
        dec = json.loads
    else:
        dec = None
    if dec is not None and f.is_list:
        dec = _each(dec)
    return dec


def _record_maker(d: Dialect, m: ModelMeta) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """A function making a record (field name -> value) from one JSON object of `m`'s row, compiled
    once per model and dialect as `reads.record_maker` is (every field is a key of the object)."""
    key = ("json-maker", d.name)
    make: Callable[[dict[str, Any]], dict[str, Any]] | None = m.cache.get(key)
    if make is None:
        env: dict[str, Any] = {}
        items = []
        for i, f in enumerate(m.scalars):
            dec = _json_decoder(d, m, f)
            if dec is None:
                items.append(f"{f.name!r}: o[{f.name!r}]")
            else:
                env[f"dec{i}"] = dec
                items.append(f"{f.name!r}: None if o[{f.name!r}] is None else dec{i}(o[{f.name!r}])")
        items += [f"{n!r}: None" for n in m.relation_names]
        exec("def make(o):\n    return {" + ", ".join(items) + "}\n", env)  # names are repr()-quoted
        make = m.cache[key] = env["make"]
    return make


def _models(d: Dialect, rc: _Relation, objs: list[dict[str, Any]]) -> list[Any]:
    from .reads import models_of

    recs = list(map(_record_maker(d, rc.model), objs))
    for nested in rc.nested:
        name = nested.rel.name
        fill(d, nested, recs, [o[name] for o in objs])
    return models_of(rc.model, recs)


def fill(d: Dialect, rc: _Relation, recs: list[dict[str, Any]], values: list[Any]) -> None:
    """Set relation `rc` on each record from its JSON value (text on MySQL, parsed on PostgreSQL)."""
    name = rc.rel.name
    parsed = [json.loads(v) if isinstance(v, (str, bytes)) else v for v in values]
    if rc.rel.to_many:
        counts = [len(v) if v else 0 for v in parsed]
        flat = [o for v in parsed if v for o in v]
        built = _models(d, rc, flat)
        if rc.backwards:
            at = 0
            for n in counts:
                built[at:at + n] = built[at:at + n][::-1]
                at += n
        at = 0
        for rec, n in zip(recs, counts):
            rec[name] = built[at:at + n]
            at += n
    else:
        present = [v for v in parsed if v is not None]
        one = iter(_models(d, rc, present))
        for rec, v in zip(recs, parsed):
            rec[name] = next(one) if v is not None else None
