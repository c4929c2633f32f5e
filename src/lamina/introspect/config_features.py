"""What db pull changes in the config blocks for partial indexes and PostgreSQL extensions.

As Prisma 7.10.1's db pull:
- a database with a partial index adds "partialIndexes" to the generator's `previewFeatures`
  (the `where: raw("…")` it prints needs it);
- with "postgresqlExtensions" enabled, the datasource gets `extensions = [...]`: every extension
  of the database but plpgsql, by name, each with the schema it lives in
  (`citext(schema: "public")`); a name that is not a PSL identifier is written with `map:`
  (`uuid_ossp(map: "uuid-ossp", schema: "public")`).

The blocks come re-rendered by `previous._config_text` (one `key = value` a line, aligned);
this module edits those lines and aligns them again.
"""

from __future__ import annotations

import re

from lamina.introspect.psl_values import psl_string
from lamina.sql.schema import SqlSchema

_PROP = re.compile(r"^  (\w+)\s*= (.*)$")
_IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")


def _props(block: str) -> tuple[str, list[tuple[str, str]], str]:
    lines = block.split("\n")
    props = []
    for line in lines[1:-1]:
        m = _PROP.match(line)
        if m:
            props.append((m.group(1), m.group(2)))
    return lines[0], props, lines[-1]


def _render(head: str, props: list[tuple[str, str]], tail: str) -> str:
    width = max((len(k) for k, _v in props), default=0)
    return "\n".join([head, *(f"  {k.ljust(width)} = {v}" for k, v in props), tail])


def _features(value: str) -> list[str]:
    return re.findall(r'"((?:[^"\\]|\\.)*)"', value)


def extensions_value(schema: SqlSchema) -> str:
    items = []
    for ext in sorted(schema.extensions, key=lambda e: e.name):
        if ext.name == "plpgsql":
            continue
        args = []
        name = ext.name
        if not _IDENTIFIER.match(name):
            name = re.sub(r"[^A-Za-z0-9_]", "_", name)
            args.append(f"map: {psl_string(ext.name)}")
        if ext.schema:
            args.append(f"schema: {psl_string(ext.schema)}")
        items.append(f"{name}({', '.join(args)})" if args else name)
    return "[" + ", ".join(items) + "]"


def adjust_config(blocks: list[str], schema: SqlSchema) -> list[str]:
    partial = any(ix.predicate is not None for t in schema.tables for ix in t.indexes)
    features: set[str] = set()
    for block in blocks:
        if block.startswith("generator"):
            for key, value in _props(block)[1]:
                if key == "previewFeatures":
                    features.update(_features(value))
    out = []
    added = False
    for block in blocks:
        head, props, tail = _props(block)
        if block.startswith("generator") and partial and "partialIndexes" not in features and not added:
            added = True
            keys = [k for k, _v in props]
            if "previewFeatures" in keys:
                props = [
                    (k, "[" + ", ".join(f'"{f}"' for f in [*_features(v), "partialIndexes"]) + "]")  # appended, as Prisma does
                    if k == "previewFeatures" else (k, v)
                    for k, v in props
                ]
            else:
                at = next((i + 1 for i, (k, _v) in enumerate(props) if k in ("provider", "output")), 0)
                at = max([i + 1 for i, (k, _v) in enumerate(props) if k in ("provider", "output")] or [at])
                props.insert(at, ("previewFeatures", '["partialIndexes"]'))
            block = _render(head, props, tail)
        elif block.startswith("datasource") and "postgresqlExtensions" in features and schema.extensions:
            value = extensions_value(schema)
            if value != "[]":
                props = [(k, v) for k, v in props if k != "extensions"]
                order = ("provider", "url", "directUrl", "shadowDatabaseUrl", "relationMode", "schemas")
                at = max([i + 1 for i, (k, _v) in enumerate(props) if k in order] or [len(props)])
                props.insert(at, ("extensions", value))
                block = _render(head, props, tail)
        out.append(block)
    return out
