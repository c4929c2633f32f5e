"""`lamina generate --sql`: `prisma/sql/*.sql` -> the generated client's `sql.py` (Prisma's typedSql).

The folder is `sql/` in the schema's folder, or prisma.config.ts's `typedSql.path`
(`lamina.project.project_paths`).

Each file holds one statement. Its parameters are `$1`, `$2`... on PostgreSQL and `?` on MySQL
(SQLite takes both); the annotations Prisma documents name and type them:

    -- @param {Int} $1:minAge The youngest age to list
    -- @param {String} $2:name? (the `?`: the argument may be None)

The file `users_older_than.sql` becomes `sql.users_older_than(min_age, name)` (a camelCase alias
is written in snake_case), returning a `TypedQuery[UsersOlderThanRow]`; `db.query_typed(...)` runs
it. Parameter and column types come from the database (see `sql_describe`), so the database must
be reachable and migrated when generating.
"""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lamina.datamodel import Datamodel
from lamina.errors import LaminaError

from .common import HEADER
from .sql_describe import Column, PrepareError, describe, strip_comments

PRISMA_TYPES = ("Int", "BigInt", "Float", "Decimal", "String", "Boolean", "DateTime", "Json", "Bytes")
_PY = {
    "Int": "int", "BigInt": "int", "Float": "float", "Decimal": "decimal.Decimal", "String": "str",
    "Boolean": "bool", "DateTime": "datetime.datetime", "Json": "Any", "Bytes": "bytes", "Unknown": "Any",
}
_ANNOTATION = re.compile(
    r"^\s*--\s*@param\s+(?:\{(?P<type>[A-Za-z_]\w*(?:\[\])?)\}\s+)?\$(?P<pos>\d+)"
    r"(?::(?P<alias>[A-Za-z_]\w*)(?P<optional>\?)?)?(?:\s+(?P<doc>.*?))?\s*$"
)


@dataclass
class Param:
    position: int
    name: str
    type: str = "Unknown"
    enum: str | None = None  # a schema enum's name, for type "Enum"
    nullable: bool = False
    doc: str = ""


@dataclass
class Query:
    name: str
    path: Path
    text: str
    params: list[Param] = field(default_factory=list)
    columns: list[Column] = field(default_factory=list)


def snake(name: str) -> str:
    out = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()
    return out + "_" if keyword.iskeyword(out) else out


def _fail(path: Path, line: int | None, message: str) -> LaminaError:
    where = f"{path}:{line}" if line else str(path)
    return LaminaError(f"Typed SQL: {where}: {message}")


def read_queries(folder: Path, dm: Datamodel) -> list[Query]:
    """The SQL files of `folder` with their annotations parsed (in name order)."""
    enums = {e.name for e in dm.enums}
    queries = []
    for path in sorted(folder.glob("*.sql")):
        name = path.stem
        if not name.isidentifier() or keyword.iskeyword(name) or name.startswith("_"):
            raise _fail(path, None, f"`{name}` cannot be a Python function name: name the file as a Python "
                                    "identifier (letters, digits and `_`, not starting with a digit or `_`).")
        text = path.read_text(encoding="utf-8")
        params: dict[int, Param] = {}
        for n, line in enumerate(text.splitlines(), start=1):
            if "@param" not in line or not line.lstrip().startswith("--"):
                continue
            m = _ANNOTATION.match(line)
            if m is None:
                raise _fail(path, n, "invalid @param annotation; write it as `-- @param {Int} $1:alias` "
                                     "(the type, the `:alias` and a `?` after it are optional).")
            pos = int(m["pos"])
            if pos in params:
                raise _fail(path, n, f"${pos} is annotated twice.")
            p = Param(pos, snake(m["alias"]) if m["alias"] else f"arg{pos}", nullable=bool(m["optional"]),
                      doc=m["doc"] or "")
            if m["type"]:
                base = m["type"].removesuffix("[]")
                if base in enums:
                    p.type, p.enum = "Enum" + m["type"][len(base):], base
                elif base in PRISMA_TYPES:
                    p.type = m["type"]
                else:
                    allowed = ", ".join(PRISMA_TYPES)
                    raise _fail(path, n, f"unknown type `{m['type']}` in @param; use one of {allowed}, an enum "
                                         "of the schema, or a list of them (`Int[]`).")
            params[pos] = p
        queries.append(Query(name, path, text, [params[k] for k in sorted(params)]))
    return queries


def describe_queries(queries: list[Query], url: Any, dm: Datamodel) -> None:
    """Fill in each query's parameters and columns from the database."""
    by_db = {e.db_name: e.name for e in dm.enums}
    for q in queries:
        try:
            shape = describe(url, q.text)
        except PrepareError as exc:
            raise _fail(q.path, exc.line, f"the statement does not prepare: {exc.message}") from None
        annotated = {p.position: p for p in q.params}
        too_far = [p for p in q.params if p.position > len(shape.params)]
        if too_far:
            raise _fail(q.path, None, f"@param ${too_far[0].position} is annotated, but the statement has "
                                      f"{len(shape.params)} parameter(s).")
        params = []
        for i, (type_, enum) in enumerate(shape.params, start=1):
            p = annotated.get(i) or Param(i, f"arg{i}")
            if p.type == "Unknown":
                p.type = type_
                if enum is not None:
                    p.enum = by_db.get(enum)
                    if p.enum is None:
                        p.type = "String" + ("[]" if type_.endswith("[]") else "")
            params.append(p)
        names = [p.name for p in params]
        dup = next((n for n in names if names.count(n) > 1), None)
        if dup:
            raise _fail(q.path, None, f"two parameters are named `{dup}`.")
        for c in shape.columns:
            if c.enum is not None:
                schema_enum = by_db.get(c.enum)
                if schema_enum is None:
                    c.type, c.enum = c.type.replace("Enum", "String"), None
                else:
                    c.enum = schema_enum
        keys = [c.name for c in shape.columns]
        dup = next((k for k in keys if keys.count(k) > 1), None)
        if dup:
            raise _fail(q.path, None, f"the result has two columns named `{dup}`; give them different aliases.")
        q.params, q.columns = params, shape.columns


def _py_type(type_: str, enum: str | None) -> str:
    base = type_.removesuffix("[]")
    py = f"enums.{enum}" if base == "Enum" and enum else _PY.get(base, "Any")
    return f"List[{py}]" if type_.endswith("[]") else py


def _camel(name: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in name.split("_") if part)


def _tuple(names: list[str]) -> str:
    return f"({names[0]},)" if len(names) == 1 else f"({', '.join(names)})"


def render_sql_module(queries: list[Query], folder: str = "prisma/sql") -> str:
    uses_enums = any(c.enum for q in queries for c in q.columns) or any(p.enum for q in queries for p in q.params)
    out = [
        HEADER,
        f'"""Typed SQL: one function per file of {folder} (`lamina generate --sql`); run one with\n'
        '`db.query_typed(sql.<file name>(...))`."""\n\n',
        "from __future__ import annotations\n\n",
        "import datetime\nimport decimal\n",
        "from typing import Any, List, Optional, TypedDict\n\n",
        "from lamina.client.runtime.typed import TypedQuery, TypedSql\n",
        "\nfrom . import enums\n" if uses_enums else "",
        f"\n__all__ = [{', '.join(repr(n) for q in queries for n in (q.name, _camel(q.name) + 'Row'))}]\n",
    ]
    for q in queries:
        row = _camel(q.name) + "Row"
        fields = ", ".join(
            f"{c.name!r}: {'Optional[' + _py_type(c.type, c.enum) + ']' if c.nullable else _py_type(c.type, c.enum)}"
            for c in q.columns)
        columns = ", ".join(f"({c.name!r}, {c.type.replace('Enum', 'String')!r}, {'enums.' + c.enum if c.enum else 'None'})"
                            for c in q.columns)
        args = ", ".join(
            f"{p.name}: {'Optional[' + _py_type(p.type, p.enum) + ']' if p.nullable else _py_type(p.type, p.enum)}"
            for p in q.params)
        types = ", ".join(repr(p.type.replace("Enum", "String")) for p in q.params)
        doc = "\n".join(f"    {p.name}: {p.doc}" for p in q.params if p.doc)
        rel = f"{folder}/{q.path.name}"
        out.append(
            f"\n\n{row} = TypedDict({row!r}, {{{fields}}})\n"
            f"_{q.name} = TypedSql({q.name!r}, {strip_comments(q.text).strip()!r}, [{types}], [{columns}])\n\n\n"
            f"def {q.name}({args}) -> TypedQuery[{row}]:\n"
            f'    """{rel}{chr(10) * 2 + doc + chr(10) + "    " if doc else ""}"""\n'
            f"    return TypedQuery(_{q.name}, {_tuple([p.name for p in q.params])})\n"
        )
    return "".join(out)


def generate_sql_module(loaded: Any) -> str:
    """The text of `sql.py` for a loaded schema: its SQL files described by its database."""
    from lamina.migrate.datasource import load_datasource
    from lamina.project import project_paths

    dm = loaded.datamodel
    if not any("typedSql" in g.preview_features for g in dm.generators):
        raise LaminaError('`generate --sql` needs the typedSql preview feature: add previewFeatures = ["typedSql"] '
                          "to the generator block.")
    folder = project_paths(loaded.location).typed_sql
    queries = read_queries(folder, dm) if folder.is_dir() else []
    if queries:
        describe_queries(queries, load_datasource(loaded.location).url, dm)
    return render_sql_module(queries, _display(folder))


def _display(path: Path) -> str:
    """A folder as the generated module names it: relative to the project folder, `/`-separated."""
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()
