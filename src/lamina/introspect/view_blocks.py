"""Introspected views -> `view` blocks and their warnings (`db pull` with the views preview feature).

The fields are built by the models' own code (`build._scalar_model`: names, `@map`, types,
native types); what differs for views is here: what the previous `view` block keeps (see
`views.py`), the `view` keyword, and the warning sections Prisma prints for views, each in
its place among the models' sections (Prisma 7.10.1's order).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from lamina.introspect.views import DbView, keeps_previous_arity, with_previous_arity
from lamina.psl import ast

_COMMENTS_DOC = (
    "This view or at least one of its fields has comments in the database, and requires an additional setup "
    "for migrations: Read more: https://pris.ly/d/database-comments"
)
_MAP_FIELDS = "These fields were enriched with `@map` information taken from the previous Prisma schema:"
_UNSUPPORTED = "These fields are not supported by Prisma Client, because Prisma currently does not support their types:"
_MAP_MODELS = "These models were enriched with `@@map` information taken from the previous Prisma schema:"
_MAP_VIEWS = "These views were enriched with `@@map` information taken from the previous Prisma schema:"
_COMMENTS = ("These objects have comments defined in the database, which is not yet fully supported. "
             "Read more: https://pris.ly/d/database-comments")
_COPIED = ("Relations were copied from the previous data model due to not using foreign keys in the database. "
           "If any of the relation columns changed in the database, the relations might not be correct anymore:")


@dataclass
class _PrevViewField:
    """What `_scalar_model` reads of a previous field (the shape of `previous.PrevField`)."""

    name: str
    db_name: str
    type_name: str
    optional: bool
    unique: bool
    documentation: str | None = None
    has_map: bool = False
    ignored: bool = False
    updated_at: bool = False
    client_default: str | None = None
    relation_fields: list[str] | None = None
    text: str = ""  # the field line as written, for relation fields


@dataclass
class _PrevView:
    name: str
    db_name: str
    documentation: str | None
    has_map: bool
    ignored: bool
    fields: list[_PrevViewField] = field(default_factory=list)
    block_attributes: list[str] = field(default_factory=list)  # `@@unique(...)` as written

    def field_for_column(self, column: str) -> _PrevViewField | None:
        return next((f for f in self.fields if f.relation_fields is None and f.db_name == column), None)


def _map_value(attributes: list[ast.Attribute]) -> str | None:
    for a in attributes:
        if a.name == "map" and a.arguments and a.arguments.arguments:
            value = a.arguments.arguments[0].value
            if isinstance(value, ast.StringValue):
                return value.value
    return None


def previous_views(tree: ast.SchemaAst | None) -> list[_PrevView]:
    """The `view` blocks of the schema `db pull` rewrites."""
    if tree is None:
        return []
    names = {b.name.name for b in tree.blocks if b.kind in (ast.BlockKind.MODEL, ast.BlockKind.VIEW)}
    out = []
    for source in tree.files:
        for block in source.blocks:
            if block.kind is not ast.BlockKind.VIEW:
                continue
            mapped = _map_value(block.block_attributes)
            view = _PrevView(block.name.name, mapped or block.name.name, block.documentation, mapped is not None,
                             any(a.name == "ignore" for a in block.block_attributes))
            view.block_attributes = [source.text[a.span.start:a.span.end] for a in block.block_attributes
                                     if a.name == "unique"]
            for f in block.fields:
                if f.type is None:
                    continue
                attrs = {a.name for a in f.attributes}
                fmap = _map_value(list(f.attributes))
                view.fields.append(_PrevViewField(
                    name=f.name.name, db_name=fmap or f.name.name, type_name=f.type.name,
                    optional=f.type.arity is ast.Arity.OPTIONAL, unique="unique" in attrs,
                    documentation=f.documentation, has_map=fmap is not None, ignored="ignore" in attrs,
                    relation_fields=[] if f.type.name in names else None,
                    text=source.text[f.span.start:f.span.end],
                ))
            out.append(view)
    return out


class _Previous:
    """The previous schema as `_scalar_model` asks it, answering for views."""

    def __init__(self, previous: Any, views: list[_PrevView]) -> None:
        self._previous = previous
        self._views = views

    def model_for_table(self, table: str, namespace: str | None = None) -> _PrevView | None:
        return next((v for v in self._views if v.db_name == table), None)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._previous, name)


def build_views(views: list[DbView], provider: str, previous: Any, tree: ast.SchemaAst | None, enums: list[Any],
                model_names: set[str], models_by_name: dict[str, Any] | None = None,
                ) -> tuple[list[Any], list[tuple[str, str, list[str]]]]:
    """(view models in Prisma's order, warning sections [(title, kind, lines)])."""
    from lamina.introspect.build import PslField, _scalar_model

    prev_views = previous_views(tree)
    lookup = _Previous(previous, prev_views)
    enum_names = {e.db_name: e.name for e in enums}
    if provider == "mysql":
        _add_inline_enums(views, enums, enum_names)
    present = {v.table.name for v in views}
    built: list[tuple[_PrevView | None, Any]] = []
    copied: list[str] = []  # the types of the relation fields kept from the previous view blocks
    for view in views:
        prev = lookup.model_for_table(view.table.name)
        if prev is not None and keeps_previous_arity(provider):
            view = with_previous_arity(view, {f.db_name for f in prev.fields if f.relation_fields is None and not f.optional})
        model: Any = _scalar_model(view.table, provider, lookup, enum_names)  # type: ignore[arg-type]
        model.is_view = True
        if prev is not None:
            by_name = {f.name: f for f in prev.fields}
            for f in model.fields:
                p = by_name.get(f.name)
                if p is not None and p.unique and "@unique" not in f.attributes:
                    f.attributes.insert(0, "@unique")
            prev_names = {v.name for v in prev_views if v.db_name in present}
            for p in prev.fields:
                if p.relation_fields is not None and (p.type_name in prev_names or p.type_name in model_names):
                    model.fields.append(PslField(p.name, p.text.split(None, 2)[1], _relation_attrs(p.text),
                                                 documentation=p.documentation))
                    copied.append(p.type_name)
        attrs = list(prev.block_attributes) if prev is not None else []
        if model.name != view.table.name or model.enriched_map:
            attrs.append(f'@@map("{view.table.name}")')
        if view.table.namespace:
            attrs.append(f'@@schema("{view.table.namespace}")')
        if prev is not None and prev.ignored:
            attrs.append("@@ignore")
        model.block_attributes = attrs
        if prev is None and (view.table.description or any(c.description for c in view.table.columns)):
            model.documentation = f"{model.documentation}\n{_COMMENTS_DOC}" if model.documentation else _COMMENTS_DOC
        built.append((prev, model))
    # Views of the previous schema keep their place; new ones follow in the database's order.
    order = {v.name: i for i, v in enumerate(prev_views)}
    built.sort(key=lambda pm: (pm[0] is None, order.get(pm[0].name, 0) if pm[0] else 0))
    models = [m for _p, m in built]
    kept = {m.name for m in models}
    model_side = _model_relations_to_views(tree, kept, models_by_name or {})
    return models, _warnings(models) + [(_COPIED, "model", [f'  - "{n}"' for n in model_side + copied])]


def _model_relations_to_views(tree: ast.SchemaAst | None, views: set[str], models: dict[str, Any]) -> list[str]:
    """A model's relation fields to a view have no foreign key to be read from: they are kept
    from the previous schema, as written, after the model's other fields (Prisma 7.10.1)."""
    from lamina.introspect.build import PslField

    copied: list[str] = []
    if tree is None:
        return copied
    for source in tree.files:
        for block in source.blocks:
            model = models.get(block.name.name) if block.kind is ast.BlockKind.MODEL else None
            if model is None:
                continue
            for f in block.fields:
                if f.type is None or f.type.name not in views or any(x.name == f.name.name for x in model.fields):
                    continue
                text = source.text[f.span.start:f.span.end]
                model.fields.append(PslField(f.name.name, text.split(None, 2)[1], _relation_attrs(text),
                                             documentation=f.documentation))
                copied.append(f.type.name)
    return copied


def _add_inline_enums(views: list[DbView], enums: list[Any], enum_names: dict[str, str]) -> None:
    """MySQL keeps enum values in the column type: a view's enum column gets its own enum
    (`<view>_<column>`, as a table's does), added to `enums` in name order."""
    from lamina.dialects.mysql.describe import enum_values
    from lamina.introspect.build import PslEnum
    from lamina.introspect.psl_values import sanitise

    for view in views:
        for c in view.table.columns:
            family = c.family or ""
            if family.startswith("Enum:") and family[5:] not in enum_names and c.type.startswith("ENUM("):
                name = sanitise(family[5:])
                enum_names[family[5:]] = name
                values = [(sanitise(v) or "EMPTY_ENUM_VALUE", None if sanitise(v) == v else v) for v in enum_values(c.type)]
                enums.append(PslEnum(name, values, name))
                enums.sort(key=lambda e: e.name)


def _relation_attrs(field_line: str) -> list[str]:
    parts = field_line.split(None, 2)
    return [parts[2].strip()] if len(parts) > 2 else []


def _warnings(models: list[Any]) -> list[tuple[str, str, list[str]]]:
    remapped_fields = [f'  - View: "{m.name}", field: "{f.name}"' for m in models for f in m.fields if f.enriched_map]
    unsupported = [f'  - View: "{m.name}", field: "{f.name}", original data type: "{f.type[13:].split(chr(34))[0]}"'
                   for m in models for f in m.fields if f.db_name is not None and f.type.startswith("Unsupported(")]
    remapped = [f'  - "{m.name}"' for m in models if m.enriched_map]
    commented = []
    for m in models:
        if m.table.description:
            commented.append(f'  - Type: "view", name: "{m.name}"')
        commented += [f'  - Type: "field", name: "{m.name}.{f.name}"'
                      for f, c in zip((f for f in m.fields if f.db_name is not None), m.table.columns) if c.description]
    return [(_MAP_FIELDS, "view", remapped_fields), (_UNSUPPORTED, "view", unsupported), (_MAP_VIEWS, "view", remapped),
            (_COMMENTS, "view", commented)]


# Prisma's order of its warning sections (its `Warnings` display order), by title and kind.
_ORDER = [
    ("These fields were commented out", "model"), ("These fields were commented out", "view"),
    (_MAP_FIELDS, "model"), (_MAP_FIELDS, "view"), ("These enum values were commented out", "model"),
    ("The following models were commented out", "model"), ("The following models were ignored", "model"),
    ("These models were enriched with custom compound", "model"), (_UNSUPPORTED, "model"), (_UNSUPPORTED, "view"),
    (_MAP_MODELS, "model"), (_MAP_VIEWS, "view"), ("These enum values were enriched", "model"),
    ("These enums were enriched", "model"), ("Relations were copied", "model"), ("These items were renamed", "model"),
    ("These tables are partition", "model"), ("These tables are inherited", "model"),
    ("These index columns", "model"), ("These tables contain row level", "model"),
    ("These constraints are not supported by Prisma Client, because Prisma currently does not fully support check", "model"),
    ("These constraints are not supported by Prisma Client, because Prisma currently does not fully support exclusion", "model"),
    ("These models are using a row level TTL", "model"), ("These primary key, foreign key", "model"), (_COMMENTS, "model"),
]


def _rank(title: str, kind: str) -> int | None:
    return next((i for i, (prefix, k) in enumerate(_ORDER) if title.startswith(prefix) and k == kind), None)


def merge_warnings(model_lines: list[str], view_sections: list[tuple[str, str, list[str]]]) -> list[str]:
    """The models' warning lines (sections ending with "") with the views' sections in place."""
    sections: list[tuple[str, str, list[str]]] = []
    current: list[str] = []
    for line in model_lines + [""]:
        if line == "":
            if current:
                sections.append((current[0], "model", current[1:]))
            current = []
        else:
            current.append(line)
    for title, kind, lines in view_sections:
        if not lines:
            continue
        if title in (_COMMENTS, _COPIED):  # one list for models and views
            existing = next((s for s in sections if s[0] == title), None)
            if existing is not None:
                existing[2].extend(lines)
                continue
            kind = "model"
        sections.append((title, kind, list(lines)))
    ranked = []
    last = -1
    for position, (title, kind, lines) in enumerate(sections):
        rank = _rank(title, kind)
        last = rank if rank is not None else last  # a section Lamina does not rank keeps its place
        ranked.append(((last, position), (title, lines)))
    out: list[str] = []
    for _key, (title, lines) in sorted(ranked, key=lambda r: r[0]):
        out += [title, *lines, ""]
    return out


def render_view(model: Any) -> str:
    from lamina.introspect.render import render_model

    text = render_model(model)
    head = "" if not model.documentation else "\n".join(f"///{(' ' + l) if l else ''}" for l in model.documentation.split("\n")) + "\n"
    return head + "view " + text[len(head) + len("model "):]


_FIRST_ENUM = re.compile(r"^(?:///.*\n)*enum \w+ \{", re.M)


def place_in_files(files: list[tuple[str, str]], models: list[Any], blocks: list[str], tree: ast.SchemaAst | None,
                   new_file: str) -> list[tuple[str, str]]:
    """A multi-file schema: each view block goes back to the file it was in (new ones to the file
    new models go to), after that file's models and before its enums. Files stay sorted by name."""
    origin = {b.name.name: s.name for s in (tree.files if tree else []) for b in s.blocks if b.kind is ast.BlockKind.VIEW}
    texts = dict(files)
    for model, block in zip(models, blocks):
        name = origin.get(model.name, new_file)
        text = texts.setdefault(name, "")
        enum = _FIRST_ENUM.search(text)
        if enum is not None:
            texts[name] = text[:enum.start()] + block + "\n\n" + text[enum.start():]
        else:
            texts[name] = (text.rstrip("\n") + "\n\n" if text.strip() else "") + block + "\n"
    return sorted(texts.items())
