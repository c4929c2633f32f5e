"""Prisma's Json filters beyond `equals`/`not` on the whole value: `path` (a list of keys on
PostgreSQL, a JSON path text like `$.a.b` on MySQL and SQLite; a list is taken there too), and
`equals`, `not`, `string_contains`, `string_starts_with`, `string_ends_with`, `array_contains`,
`array_starts_with`, `array_ends_with`, `lt`, `lte`, `gt`, `gte`, `mode` on the value found there.
A row whose path does not exist matches none of them (as Prisma's engine compares).
"""

from __future__ import annotations

import json
from typing import Any

from .dialect import _json_data
from .errors import InputError

OPS = {"path", "equals", "not", "string_contains", "string_starts_with", "string_ends_with", "array_contains",
       "array_starts_with", "array_ends_with", "lt", "lte", "gt", "gte", "mode"}
_CMP = {"lt": "<", "lte": "<=", "gt": ">", "gte": ">="}
_LIKE = {"string_contains": "contains", "string_starts_with": "startswith", "string_ends_with": "endswith"}


def is_json_filter(value: Any) -> bool:
    """Whether a Json field's filter needs this module (a path or an operation on the value)."""
    return isinstance(value, dict) and bool(value.keys() & (OPS - {"equals", "not", "mode"}))


def _text_path(path: Any) -> str:
    """A JSON path text (`$.a[0]."b c"`) for MySQL and SQLite."""
    if isinstance(path, str):
        return path
    out = "$"
    for key in path:
        out += f"[{key}]" if isinstance(key, int) or str(key).isdigit() else "." + json.dumps(str(key))
    return out


class _At:
    """SQL for the value at the path. Every method appends its parameters as it renders, so callers
    compose the SQL left to right (placeholders are positional)."""

    def __init__(self, ctx: Any, col: str, path: Any) -> None:
        self.ctx, self.col, self.d = ctx, col, ctx.d
        self.path = self._path(path)

    def _path(self, path: Any) -> Any:
        return _text_path(path) if path is not None else "$"

    def p(self, value: Any) -> str:
        self.ctx.params.append(value)
        return self.d.param

    def value(self, v: Any) -> str:
        return self.p(self.d.encode("Json", v))

    def equals(self, v: Any) -> str:
        return f"{self.x()} = {self.value(v)}"

    # per database:
    def x(self, suffix: str = "") -> str:
        """The JSON value at the path (`suffix`: `[0]` or `[last]` for an array's first or last element)."""
        raise NotImplementedError

    def text(self) -> str:
        """The string at the path, as text."""
        raise NotImplementedError

    def typed(self, kind: str) -> str:
        """The value at the path is a `string`, an `array` or a `number`."""
        raise NotImplementedError

    def element_equals(self, index: int, v: Any) -> str:
        raise NotImplementedError

    def contains(self, v: Any) -> str:
        raise NotImplementedError

    def compare(self, sym: str, v: Any) -> str:
        raise NotImplementedError


class _Pg(_At):
    def _path(self, path: Any) -> Any:
        if isinstance(path, str):
            raise InputError("A Json filter's `path` on PostgreSQL is a list of keys (`['a', 'b']`), as in Prisma.",
                             code="P2009")
        return None if path is None else [str(k) for k in path]

    def x(self, suffix: str = "") -> str:
        return f"{self.col}::jsonb" if self.path is None else f"({self.col}::jsonb #> {self.p(self.path)}::text[])"

    def text(self) -> str:
        if self.path is None:
            return f"({self.col}::jsonb #>> '{{}}')"
        return f"({self.col}::jsonb #>> {self.p(self.path)}::text[])"

    def value(self, v: Any) -> str:
        return f"{self.p(self.d.encode('Json', v))}::jsonb"

    def typed(self, kind: str) -> str:
        return f"jsonb_typeof({self.x()}) = '{kind}'"

    def element_equals(self, index: int, v: Any) -> str:
        return f"({self.x()} -> {index}) = {self.value(v)}"

    def contains(self, v: Any) -> str:
        return f"{self.x()} @> {self.value(v)}"

    def compare(self, sym: str, v: Any) -> str:
        return f"{self.typed('number')} AND {self.x()} {sym} {self.value(v)}"


class _Mysql(_At):
    def x(self, suffix: str = "") -> str:
        if suffix == "[last]":  # MariaDB 10.11 gives NULL for `$.a[last]` of a one-element array
            return (f"JSON_EXTRACT({self.col}, CONCAT({self.p(self.path)}, '[', "
                    f"JSON_LENGTH({self.col}, {self.p(self.path)}) - 1, ']'))")
        return f"JSON_EXTRACT({self.col}, {self.p(self.path + suffix)})"

    def text(self) -> str:
        return f"JSON_UNQUOTE({self.x()})"

    def equals(self, v: Any, suffix: str = "") -> str:
        # contained both ways: equal JSON values (on MySQL and on MariaDB, whose JSON is text, alike)
        return (f"(JSON_CONTAINS({self.x(suffix)}, {self.value(v)}) AND "
                f"JSON_CONTAINS({self.value(v)}, {self.x(suffix)}))")

    def typed(self, kind: str) -> str:
        return f"JSON_TYPE({self.x()}) = '{kind.upper()}'"

    def element_equals(self, index: int, v: Any) -> str:
        return self.equals(v, "[0]" if index == 0 else "[last]")

    def contains(self, v: Any) -> str:
        return f"JSON_CONTAINS({self.x()}, {self.value(v)})"

    def compare(self, sym: str, v: Any) -> str:
        return f"JSON_TYPE({self.x()}) IN ('INTEGER', 'DOUBLE', 'DECIMAL') AND {self.x()} + 0 {sym} {self.p(v)}"


class _Sqlite(_At):
    def x(self, suffix: str = "") -> str:
        return f"({self.col} -> {self.p(self.path + suffix)})"

    def text(self) -> str:
        return f"({self.col} ->> {self.p(self.path)})"

    def value(self, v: Any) -> str:
        return f"json({self.p(self.d.encode('Json', v))})"

    def typed(self, kind: str) -> str:
        kinds = {"string": "'text'", "array": "'array'", "number": "'integer', 'real'"}[kind]
        return f"json_type({self.col}, {self.p(self.path)}) IN ({kinds})"

    def element_equals(self, index: int, v: Any) -> str:
        return f"{self.x('[0]' if index == 0 else '[#-1]')} = {self.value(v)}"

    def contains(self, v: Any) -> str:
        raise InputError("`array_contains` on a Json field is not supported on SQLite (as in Prisma).", code="P2009")

    def compare(self, sym: str, v: Any) -> str:
        return f"{self.typed('number')} AND {self.text()} {sym} {self.p(v)}"


def json_filter(ctx: Any, f: Any, col: str, value: dict[str, Any]) -> str:
    """The condition of a Json filter with a `path` or an operation on the value (see the module)."""
    unknown = sorted(value.keys() - OPS)
    if unknown:
        raise InputError(f"Unknown Json filter `{unknown[0]}` on field {f.name}", code="P2009")
    x = {"postgresql": _Pg, "mysql": _Mysql}.get(ctx.d.name, _Sqlite)(ctx, col, value.get("path"))
    insensitive = value.get("mode") == "insensitive"
    parts: list[str] = []
    for op, v in value.items():
        if op in ("path", "mode"):
            continue
        if op in ("equals", "not"):
            if v is None:
                parts.append(f"{x.x()} IS {'' if op == 'equals' else 'NOT '}NULL")
            else:
                cond = x.equals(v)
                parts.append(cond if op == "equals" else f"NOT ({cond})")
        elif op in _LIKE:
            from .where import _like_pattern

            if not isinstance(v, str):
                raise InputError(f"`{op}` on {f.name} takes a string", code="P2009")
            typed, text = x.typed("string"), x.text()
            p = x.p(_like_pattern(v, _LIKE[op]))
            like = f"LOWER({text}) LIKE LOWER({p})" if insensitive else f"{text} LIKE {p}"
            parts.append(f"{typed} AND {like}{ctx.d.like_escape}")
        elif op == "array_contains":
            data = _json_data(v)
            parts.append(f"{x.typed('array')} AND {x.contains(data if isinstance(data, list) else [data])}")
        elif op in ("array_starts_with", "array_ends_with"):
            from .fields import Json

            parts.append(f"{x.typed('array')} AND {x.element_equals(0 if op == 'array_starts_with' else -1, Json(_json_data(v)))}")
        else:
            parts.append(x.compare(_CMP[op], v))
    return "(" + " AND ".join(parts) + ")" if parts else "1=1"
