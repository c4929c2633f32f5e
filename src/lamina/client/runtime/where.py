"""Compile `where`, `order` and `cursor` arguments to SQL with bound parameters only.

Every value goes through `Ctx.p()` (a placeholder plus the encoded value); identifiers
come from the schema, never from the user. Relation filters become correlated
`EXISTS` subqueries, so a filter never multiplies rows.
"""

from __future__ import annotations

from typing import Any

from .dialect import Dialect
from .errors import FieldNotFoundError, InputError
from .jsonfilter import is_json_filter, json_filter
from .meta import FieldMeta, ModelMeta, RelationMeta, Schema

_TEXTUAL = {"String", "Enum"}
_CMP = {"lt": "<", "lte": "<=", "gt": ">", "gte": ">="}
_ALIASES = {"notIn": "not_in", "startsWith": "startswith", "endsWith": "endswith", "isNot": "is_not"}


# prisma-client-py takes a tuple or a set wherever it takes a list
LISTS = (list, tuple, set, frozenset)


def as_items(value: Any) -> list[Any]:
    """A list argument (`OR`, `order`, nested writes...) as a list: one value becomes `[value]`."""
    return value if isinstance(value, list) else list(value) if isinstance(value, LISTS) else [value]


def _db_enum(f: FieldMeta, value: Any) -> Any:
    """A `@map`ped enum value as the database stores it."""
    if isinstance(value, LISTS):
        return [_db_enum(f, v) for v in value]
    name = getattr(value, "value", value)
    return f.enum_db.get(name, name) if f.enum_db and isinstance(name, str) else value


class Ctx:
    """One statement being compiled: its parameters and a counter for table aliases."""

    __slots__ = ("d", "schema", "params", "n")

    def __init__(self, d: Dialect, schema: Schema) -> None:
        self.d = d
        self.schema = schema
        self.params: list[Any] = []
        self.n = 0

    def alias(self) -> str:
        self.n += 1
        return f"t{self.n}"

    def p(self, f: FieldMeta, value: Any) -> str:
        if f.enum_db is not None:
            value = _db_enum(f, value)
        if f.is_list and isinstance(value, LISTS):
            self.params.append([self.d.encode(f.type, v) for v in value])
        else:
            self.params.append(self.d.encode(f.type, value))
        return self.d.param

    def col(self, alias: str, f: FieldMeta) -> str:
        return f"{alias}.{self.d.q(f.db_name)}"

    def table(self, m: ModelMeta) -> str:
        return self.d.table(m.db_name, m.db_schema)


def where_sql(ctx: Ctx, m: ModelMeta, alias: str, where: Any, path: str = "where") -> str:
    """The condition for `where` on rows of `m` named `alias`; '' when it is empty."""
    if not where:
        return ""
    parts: list[str] = []
    for key, value in where.items():
        if key == "AND":
            items = as_items(value)
            parts.extend(s for s in (where_sql(ctx, m, alias, w, f"{path}.AND") for w in items) if s)
        elif key == "OR":
            items = as_items(value)
            ors = [where_sql(ctx, m, alias, w, f"{path}.OR") or "1=1" for w in items]
            parts.append("(" + " OR ".join(ors) + ")" if ors else "1=0")
        elif key == "NOT":
            items = as_items(value)
            for w in items:
                s = where_sql(ctx, m, alias, w, f"{path}.NOT")
                if s:
                    parts.append(f"NOT ({s})")
        elif key in m.fields:
            parts.append(scalar_filter(ctx, m.fields[key], ctx.col(alias, m.fields[key]), value))
        elif key in m.relations:
            parts.append(relation_filter(ctx, m, alias, m.relations[key], value, f"{path}.{key}"))
        elif key in m.compounds:
            if value is None:
                continue
            for name in m.compounds[key]:
                f = m.fields[name]
                parts.append(scalar_filter(ctx, f, ctx.col(alias, f), value[name]))
        else:
            raise FieldNotFoundError(
                f"Field does not exist in enclosing type `{m.name}`: `{path}.{key}` ('{key}')", code="P2009",
                meta={"path": f"{path}.{key}"},
            )
    return " AND ".join(parts)


def _like_pattern(text: str, kind: str) -> str:
    text = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return {"contains": f"%{text}%", "startswith": f"{text}%", "endswith": f"%{text}"}[kind]


# Array parameters typed as the column's array type (psycopg sends [1, 2] as smallint[]).
_ARRAY_CASTS = {"Int": "::int4[]", "BigInt": "::int8[]", "Float": "::float8[]", "String": "::text[]",
                "Boolean": "::bool[]", "DateTime": "::timestamp(3)[]", "Decimal": "::numeric[]"}


def list_filter(ctx: Ctx, f: FieldMeta, col: str, value: Any) -> str:
    """Filters on a scalar list (PostgreSQL arrays): equals, has, has_every, has_some, is_empty."""
    cast = _ARRAY_CASTS.get(f.type, "")
    if not isinstance(value, dict):
        return f"{col} = {ctx.p(f, value)}{cast}" if value is not None else f"{col} IS NULL"
    parts = []
    for op, v in value.items():
        if op == "equals":
            parts.append(f"{col} = {ctx.p(f, v)}{cast}" if v is not None else f"{col} IS NULL")
        elif op == "has":
            ctx.params.append(ctx.d.encode(f.type, v))
            parts.append(f"{ctx.d.param} = ANY({col})")
        elif op in ("has_every", "hasEvery"):
            parts.append(f"{col} @> {ctx.p(f, list(v))}{_ARRAY_CASTS.get(f.type, '')}")
        elif op in ("has_some", "hasSome"):
            parts.append(f"{col} && {ctx.p(f, list(v))}{_ARRAY_CASTS.get(f.type, '')}")
        elif op in ("is_empty", "isEmpty"):
            # NULL (never set) is neither empty nor non-empty, as Prisma compares it
            parts.append(f"cardinality({col}) {'=' if v else '<>'} 0")
        else:
            raise InputError(f"Unknown list filter `{op}` on field {f.name}", code="P2009")
    return " AND ".join(parts) or "1=1"


def scalar_filter(ctx: Ctx, f: FieldMeta, col: str, value: Any, insensitive: bool = False) -> str:
    if f.is_list:
        return list_filter(ctx, f, col, value)
    if f.type == "Json" and is_json_filter(value):
        return json_filter(ctx, f, col, value)
    if not isinstance(value, dict) or f.type == "Json" and not (value.keys() & {"equals", "not"}):
        if value is None:
            return f"{col} IS NULL"
        return f"{col} = {ctx.p(f, value)}"
    mode = value.get("mode")
    if mode is not None:
        if mode not in ("default", "insensitive"):
            raise FieldNotFoundError(
                f"Argument `mode` of {f.name}: Invalid value provided. Expected QueryMode ('default' or 'insensitive'), "
                f"provided {mode!r}.", code="P2009")
        if mode == "insensitive" and ctx.d.name == "sqlite":
            # SQLite's LOWER()/LIKE fold ASCII letters only ('ü' would not match 'Ü'): Prisma has no
            # insensitive mode on SQLite rather than a partly wrong one, and neither has Lamina.
            raise FieldNotFoundError(
                f"Unknown argument `mode` on {f.name}: `mode: 'insensitive'` is not supported on SQLite (as in Prisma); "
                "SQLite compares non-ASCII letters case-sensitively. Use PostgreSQL or MySQL, or store a "
                "lower-cased copy of the column.", code="P2009", meta={"kind": "UnknownArgument"})
        if mode == "insensitive" and f.type in _TEXTUAL:
            insensitive = True
    lower = insensitive and f.type in _TEXTUAL
    parts: list[str] = []
    for op, v in value.items():
        op = _ALIASES.get(op, op)
        if op == "mode":
            continue
        if op == "equals":
            if v is None:
                parts.append(f"{col} IS NULL")
            elif lower:
                parts.append(f"LOWER({col}) = LOWER({ctx.p(f, v)})")
            else:
                parts.append(f"{col} = {ctx.p(f, v)}")
        elif op == "not":
            if isinstance(v, dict) and f.type != "Json":
                parts.append(f"NOT ({scalar_filter(ctx, f, col, v, insensitive)})")
            elif v is None:
                parts.append(f"{col} IS NOT NULL")
            elif lower:
                parts.append(f"LOWER({col}) <> LOWER({ctx.p(f, v)})")
            else:
                parts.append(f"{col} <> {ctx.p(f, v)}")
        elif op in ("in", "not_in"):
            if not isinstance(v, LISTS):
                raise InputError(f"`{op}` on {f.name} takes a list", code="P2009")
            if not v:
                parts.append("1=0" if op == "in" else "1=1")
                continue
            target = f"LOWER({col})" if lower else col
            ph = ", ".join((f"LOWER({ctx.p(f, x)})" if lower else ctx.p(f, x)) for x in v)
            parts.append(f"{target} {'IN' if op == 'in' else 'NOT IN'} ({ph})")
        elif op in _CMP:
            parts.append(f"{col} {_CMP[op]} {ctx.p(f, v)}")
        elif op == "search":
            parts.append(_search_match(ctx, [col], v))
        elif op in ("contains", "startswith", "endswith"):
            pattern = _like_pattern(str(v), op)
            ctx.params.append(pattern)
            esc = ctx.d.like_escape
            if lower and ctx.d.insensitive_like:
                parts.append(f"{col} {ctx.d.insensitive_like} {ctx.d.param}{esc}")
            elif lower:
                parts.append(f"LOWER({col}) LIKE LOWER({ctx.d.param}){esc}")
            else:
                parts.append(f"{col} LIKE {ctx.d.param}{esc}")
        else:
            raise InputError(f"Unknown filter `{op}` on field {f.name}", code="P2009")
    return "(" + " AND ".join(parts) + ")" if len(parts) > 1 else (parts[0] if parts else "1=1")


def link(ctx: Ctx, rel: RelationMeta, outer: str, inner: str) -> tuple[str, str]:
    """(FROM clause naming the related rows `inner`, condition tying them to `outer`)."""
    m = ctx.schema.models[rel.model]
    r = ctx.schema.models[rel.related]
    q = ctx.d.q
    if rel.join:
        j = inner + "j"
        frm = (
            f"{ctx.d.table(rel.join, m.db_schema)} AS {j} JOIN {ctx.table(r)} AS {inner} "
            f"ON {inner}.{q(r.fields[rel.remote[0]].db_name)} = {j}.{q(rel.join_other or 'B')}"
        )
        cond = f"{j}.{q(rel.join_self or 'A')} = {outer}.{q(m.fields[rel.local[0]].db_name)}"
        return frm, cond
    conds = [
        f"{inner}.{q(r.fields[rc].db_name)} = {outer}.{q(m.fields[lc].db_name)}"
        for lc, rc in zip(rel.local, rel.remote)
    ]
    return f"{ctx.table(r)} AS {inner}", " AND ".join(conds)


def _exists(ctx: Ctx, rel: RelationMeta, outer: str, sub: Any, negate_inner: bool = False, path: str = "where") -> str:
    inner = ctx.alias()
    frm, cond = link(ctx, rel, outer, inner)
    cond_inner = where_sql(ctx, ctx.schema.models[rel.related], inner, sub, path)
    if cond_inner:
        cond += f" AND NOT ({cond_inner})" if negate_inner else f" AND {cond_inner}"
    elif negate_inner:
        cond += " AND 1=0"
    return f"EXISTS (SELECT 1 FROM {frm} WHERE {cond})"


def relation_filter(ctx: Ctx, m: ModelMeta, alias: str, rel: RelationMeta, value: Any, path: str = "where") -> str:
    parts: list[str] = []
    if rel.to_many:
        for op, sub in (value or {}).items():
            if op == "some":
                parts.append(_exists(ctx, rel, alias, sub, path=f"{path}.some"))
            elif op == "none":
                parts.append("NOT " + _exists(ctx, rel, alias, sub, path=f"{path}.none"))
            elif op == "every":
                parts.append("NOT " + _exists(ctx, rel, alias, sub, negate_inner=True, path=f"{path}.every"))
            else:
                raise InputError(f"Unknown relation filter `{op}` on {m.name}.{rel.name}", code="P2009")
    else:
        if value is None:
            value = {"is": None}
        elif not value.keys() <= {"is", "is_not", "isNot"}:
            value = {"is": value}
        for op, sub in value.items():
            op = _ALIASES.get(op, op)
            if sub is None:
                if rel.holds_fk:
                    cols = [ctx.col(alias, m.fields[c]) for c in rel.local]
                    null = " AND ".join(f"{c} IS NULL" for c in cols)
                    parts.append(null if op == "is" else f"NOT ({null})")
                else:
                    e = _exists(ctx, rel, alias, None)
                    parts.append(f"NOT {e}" if op == "is" else e)
            elif op == "is":
                parts.append(_exists(ctx, rel, alias, sub, path=f"{path}.is"))
            else:
                parts.append("NOT " + _exists(ctx, rel, alias, sub, path=f"{path}.is_not"))
    return " AND ".join(parts) if parts else "1=1"


def _search_match(ctx: Ctx, cols: list[str], query: Any) -> str:
    """Full-text search (`search` filter; Prisma's fullTextSearch preview): PostgreSQL's tsquery
    syntax (`cats & dogs`), MySQL's boolean mode (`+cats +dogs`, needs a @@fulltext index)."""
    ctx.params.append(str(query))
    if ctx.d.name == "postgresql":
        return f"to_tsvector(concat_ws(' ', {', '.join(cols)})) @@ to_tsquery({ctx.d.param})"
    if ctx.d.name == "mysql":
        return f"MATCH ({', '.join(cols)}) AGAINST ({ctx.d.param} IN BOOLEAN MODE)"
    from .errors import UnsupportedDatabaseError

    raise UnsupportedDatabaseError(ctx.d.name, "full-text search")


class Relevance:
    """`order={'_relevance': {'fields': [...], 'search': '...', 'sort': 'asc'|'desc'}}`: an order
    item by full-text relevance (PostgreSQL ts_rank, MySQL MATCH ... AGAINST)."""

    __slots__ = ("name", "fields", "search")

    def __init__(self, m: ModelMeta, spec: Any) -> None:
        if not isinstance(spec, dict) or not spec.get("fields") or "search" not in spec:
            raise FieldNotFoundError("Argument `_relevance` needs `fields`, `search` and `sort`.", code="P2009")
        fields = as_items(spec["fields"])
        self.name = "_relevance"
        self.fields = [m.field_or_error(f) for f in fields]
        self.search = str(spec["search"])

    def sql(self, ctx: Ctx, alias: str) -> str:
        cols = [ctx.col(alias, f) for f in self.fields]
        ctx.params.append(self.search)
        if ctx.d.name == "postgresql":
            return f"ts_rank(to_tsvector(concat_ws(' ', {', '.join(cols)})), to_tsquery({ctx.d.param}))"
        if ctx.d.name == "mysql":
            return f"MATCH ({', '.join(cols)}) AGAINST ({ctx.d.param} IN BOOLEAN MODE)"
        from .errors import UnsupportedDatabaseError

        raise UnsupportedDatabaseError(ctx.d.name, "ordering by _relevance")


def order_items(m: ModelMeta, order: Any) -> list[tuple[Any, bool, str | None]]:
    """[(field, descending, nulls)] from `{'f': 'asc'}`, `{'f': {'sort': 'desc', 'nulls': 'last'}}` or a list of those."""
    if not order:
        return []
    items = as_items(order)
    out: list[tuple[Any, bool, str | None]] = []
    for item in items:
        if len(item) > 1:  # as Prisma: `[{'a': 'asc'}, {'b': 'desc'}]` says which comes first
            from .errors import DataError

            raise DataError(
                f"Argument `order`: Expected a minimum of 0 and at most 1 fields to be present, got {len(item)}.",
                code="P2009",
            )
        for name, direction in item.items():
            if name == "_relevance":
                rel = Relevance(m, direction)
                direction = direction.get("sort", "asc")
                if direction not in ("asc", "desc"):
                    raise FieldNotFoundError(
                        f"Argument `_relevance.sort`: Invalid value provided. Expected SortOrder ('asc' or 'desc'), "
                        f"provided {direction!r}.", code="P2009")
                out.append((rel, direction == "desc", None))
                continue
            f = m.fields.get(name)
            if f is None:  # prisma-client-py names the argument path of the unknown field
                raise FieldNotFoundError(f"Could not find field at `orderBy.{name}` on model {m.name}", code="P2009",
                                         meta={"path": f"orderBy.{name}"})
            nulls = None
            if isinstance(direction, dict):
                nulls = direction.get("nulls")
                direction = direction.get("sort", "asc")
                if nulls not in (None, "first", "last"):
                    raise FieldNotFoundError(
                        f"Argument `{name}.nulls`: Invalid value provided. Expected 'first' or 'last', provided {nulls!r}.",
                        code="P2009")
            if direction not in ("asc", "desc"):  # Prisma's SortOrder enum: exactly these two
                raise FieldNotFoundError(
                    f"Argument `{name}`: Invalid value provided. Expected SortOrder ('asc' or 'desc'), provided {direction!r}.",
                    code="P2009")
            out.append((f, direction == "desc", nulls))
    return out


def check_pagination(take: Any, skip: Any) -> None:
    """`take` and `skip` are integers (`skip` not negative), as Prisma validates them before any SQL."""
    for name, value in (("take", take), ("skip", skip)):
        if value is not None and (type(value) is not int or name == "skip" and value < 0):
            expected = "a non-negative Int" if name == "skip" else "Int"
            raise FieldNotFoundError(
                f"Argument `{name}`: Invalid value provided. Expected {expected}, provided {value!r}.", code="P2009")


def order_sql(ctx: Ctx, alias: str, items: list[tuple[FieldMeta, bool, str | None]]) -> str:
    parts = []
    for f, desc, nulls in items:
        expr = f.sql(ctx, alias) if isinstance(f, Relevance) else ctx.col(alias, f)
        s = expr + (" DESC" if desc else " ASC")
        if nulls and ctx.d.nulls_order:
            s += " NULLS FIRST" if nulls == "first" else " NULLS LAST"
        parts.append(s)
    return ", ".join(parts)


def with_pk(m: ModelMeta, items: list[tuple[FieldMeta, bool, str | None]]) -> list[tuple[FieldMeta, bool, str | None]]:
    """The order made total by appending the primary key (as Prisma does for cursors)."""
    have = {f.name for f, _, _ in items}
    return items + [(m.fields[n], False, None) for n in m.pk if n not in have]


def cursor_sql(ctx: Ctx, m: ModelMeta, alias: str, cursor: Any, items: list[tuple[FieldMeta, bool, str | None]]) -> str:
    """Rows at or after the cursor row in the (total) order `items`."""
    if any(isinstance(f, Relevance) for f, _, _ in items):
        raise FieldNotFoundError("A `cursor` cannot be combined with ordering by `_relevance` yet.", code="P2009")
    sub_alias = ctx.alias()

    def value_of(f: FieldMeta) -> str:
        cond = where_sql(ctx, m, sub_alias, cursor)
        return f"(SELECT {ctx.col(sub_alias, f)} FROM {ctx.table(m)} AS {sub_alias} WHERE {cond})"

    ors = []
    for i, (f, desc, _) in enumerate(items):
        ands = [f"{ctx.col(alias, g)} = {value_of(g)}" for g, _, _ in items[:i]]
        ands.append(f"{ctx.col(alias, f)} {'<' if desc else '>'} {value_of(f)}")
        ors.append("(" + " AND ".join(ands) + ")")
    ors.append("(" + " AND ".join(f"{ctx.col(alias, g)} = {value_of(g)}" for g, _, _ in items) + ")")
    return "(" + " OR ".join(ors) + ")"


def unique_check(m: ModelMeta, where: Any) -> None:
    """Prisma requires a unique criterion in `find_unique`, `update`, `delete`, `upsert`, `connect`."""
    if not isinstance(where, dict) or not any(k in m.uniques for k in where):
        raise InputError(
            f"Argument `where` of type {m.name}WhereUniqueInput needs at least one of "
            + ", ".join(f"`{k}`" for k in m.uniques) + " arguments.",
            code="P2009",
        )
