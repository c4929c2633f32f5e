"""The schema's entity-relationship diagram, for `lamina erd` and the studio's schema page.

`diagram(datamodel)` reduces the schema to what a diagram shows: entities (models and views
with their scalar fields, types, `?`/`[]`, primary, unique and foreign keys) and relations
(with cardinality 1:1, 1:n or m:n, the fields on both sides and `onDelete`). The renderers
beside this file turn it into Mermaid (`mermaid.py`), Graphviz DOT (`dot.py`, and SVG through
Graphviz's `dot`), and the studio's own SVG (`svg.py`, no Graphviz needed).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lamina.datamodel import Arity, Datamodel, RelationKind, ScalarField


@dataclass
class Column:
    name: str
    type: str  # "String", "Role", "Unsupported(\"tsvector\")"
    optional: bool = False
    is_list: bool = False
    keys: list[str] = field(default_factory=list)  # "PK", "FK", "UK"

    @property
    def type_text(self) -> str:
        """The type as the schema writes it: `String?`, `Tag[]`."""
        return self.type + ("[]" if self.is_list else "?" if self.optional else "")


@dataclass
class Entity:
    name: str
    columns: list[Column]
    is_view: bool = False


@dataclass
class Link:
    """One relation: `many` holds the foreign key (or either side of an m:n), `one` is referenced."""

    kind: str  # "1:1", "1:n", "m:n"
    many: str  # the referencing entity (FK side; for m:n the first model)
    one: str  # the referenced entity
    many_field: str  # the relation field on `many`
    one_field: str | None  # the back-relation field on `one`
    required: bool  # the FK side must point at a row (its relation field is not optional)
    on_delete: str | None = None

    @property
    def label(self) -> str:
        names = self.many_field + (f" / {self.one_field}" if self.one_field else "")
        return names + (f" (onDelete: {self.on_delete})" if self.on_delete and self.kind != "m:n" else "")


@dataclass
class Diagram:
    entities: list[Entity]
    links: list[Link]


def diagram(dm: Datamodel, db_names: bool = False) -> Diagram:
    """The diagram of `dm`; `db_names`: tables and columns as the database names them (`@@map`, `@map`)."""
    models = [m for m in dm.models if not m.ignored]
    entity_name = {m.name: (m.db_name if db_names else m.name) for m in models}
    entities = []
    for m in models:
        pk = {f.name for f in m.primary_key.fields} if m.primary_key else set()
        unique = {ix.fields[0].name for ix in m.indexes if ix.kind.value == "unique" and len(ix.fields) == 1}
        fk = {name for r in dm.relations if r.referencing_model == m.name for name in r.fields}
        columns = []
        for f in m.fields:
            if not isinstance(f, ScalarField) or f.ignored:
                continue
            type_name = f.enum or (f.type.value if f.type else f'Unsupported("{f.unsupported}")')
            keys = [k for k, member in (("PK", pk), ("FK", fk), ("UK", unique)) if f.name in member]
            columns.append(Column(f.db_name if db_names else f.name, type_name, f.arity == Arity.OPTIONAL,
                                  f.arity == Arity.LIST, keys))
        entities.append(Entity(entity_name[m.name], columns, m.is_view))
    links = []
    for r in dm.relations:
        if r.referencing_model not in entity_name or r.referenced_model not in entity_name:
            continue
        referencing = dm.model(r.referencing_model)
        rel_field = next((f for f in referencing.fields if f.name == r.referencing_field), None) if referencing else None
        required = rel_field is not None and rel_field.arity == Arity.REQUIRED
        links.append(Link(
            kind=r.kind.value, many=entity_name[r.referencing_model], one=entity_name[r.referenced_model],
            many_field=r.referencing_field, one_field=r.back_field, required=required,
            on_delete=r.on_delete.value if r.on_delete is not None and r.kind != RelationKind.IMPLICIT_MANY_TO_MANY else None,
        ))
    return Diagram(entities, links)
