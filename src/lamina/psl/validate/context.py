"""The state shared by the validation passes, and the small helpers they all use.

Passes read the AST and fill the `ModelInfo`/`FieldInfo` records below (which keep the
AST nodes, for spans); the last pass turns them into `lamina.datamodel` objects, dropping
each model's records once its objects are made. The records are internal: nothing outside
`psl/validate/` sees them.

Memory and time go with the number of fields (110,000 at 10,000 models): a record keeps what
the later passes read and a reference to the node for the rest (a span is made from a node
only for a message), and what many fields repeat (a default, a native type, an index field)
is one object that the datamodel keeps.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lamina import datamodel as dm
from lamina.psl import ast as syntax  # (`ast` is also a field name of Context)
from lamina.psl.diagnostics import Diagnostics

SCALAR_TYPES = {t.value: t for t in dm.ScalarType}


@dataclass(slots=True)
class RelationAttr:
    """What `@relation(...)` says. Each value keeps the expression it was read from (a node of
    the tree), whose span is made only for a message: `fields_span` and the like."""

    attribute: syntax.Attribute
    name: str | None = None
    name_expr: syntax.Expression | None = None
    fields: list[str] | None = None
    fields_expr: syntax.Expression | None = None
    references: list[str] | None = None
    references_expr: syntax.Expression | None = None
    on_delete: dm.ReferentialAction | None = None
    on_delete_expr: syntax.Expression | None = None
    on_update: dm.ReferentialAction | None = None
    on_update_expr: syntax.Expression | None = None
    map: str | None = None

    @property
    def name_span(self) -> syntax.Span | None:
        return self.name_expr.span if self.name_expr is not None else None

    @property
    def fields_span(self) -> syntax.Span | None:
        return self.fields_expr.span if self.fields_expr is not None else None

    @property
    def references_span(self) -> syntax.Span | None:
        return self.references_expr.span if self.references_expr is not None else None

    @property
    def on_delete_span(self) -> syntax.Span | None:
        return self.on_delete_expr.span if self.on_delete_expr is not None else None

    @property
    def on_update_span(self) -> syntax.Span | None:
        return self.on_update_expr.span if self.on_update_expr is not None else None


@dataclass(slots=True)
class FieldInfo:
    """One field of a model or view, its type resolved when it is made (names_types). There is
    one per field (110,000 at 10,000 models): made with positional arguments, and no slot for
    what can be read from the node when needed (`unsupported`, spans)."""

    node: syntax.Field
    model: str
    name: str
    arity: dm.Arity
    db_name: str
    kind: str = "scalar"  # scalar | enum | relation | unsupported | composite | unknown (a type that names nothing)
    scalar: dm.ScalarType | None = None
    enum: str | None = None
    related: str | None = None
    # The accepted `@default`: one shared object per distinct default (see defaults.py).
    default: dm.DefaultValue | None = None
    native: dm.NativeType | None = None
    native_attr: syntax.Attribute | None = None
    updated_at: bool = False
    ignored: bool = False
    relation: RelationAttr | None = None
    relation_name: str | None = None  # cache of relations.relation_name()'s name
    is_relation: bool = False  # kind == "relation" (read very often)

    @property
    def span(self) -> syntax.Span:
        return self.node.span

    @property
    def type_name(self) -> str:
        return self.node.type.name if self.node.type else ""

    @property
    def unsupported(self) -> str | None:
        """The text of `Unsupported("...")`."""
        ftype = self.node.type
        if self.kind != "unsupported" or ftype is None or ftype.unsupported is None:
            return None
        return ftype.unsupported.value


# The validator reads index fields straight into the datamodel's objects (they have the same
# four values), which the datamodel then keeps: no copy per index field.
IndexFieldInfo = dm.IndexField


@dataclass(slots=True)
class IndexInfo:
    kind: dm.IndexKind
    fields: list[IndexFieldInfo]
    attribute: syntax.Attribute
    on_field: FieldInfo | None = None
    map: str | None = None
    name: str | None = None
    algorithm: str | None = None
    clustered: bool | None = None
    db_name: str = ""
    where: str | None = None  # partial index predicate, as SQL without outer parentheses


@dataclass(slots=True)
class PkInfo:
    fields: list[IndexFieldInfo]
    attribute: syntax.Attribute
    on_field: FieldInfo | None = None
    map: str | None = None
    name: str | None = None
    clustered: bool | None = None
    db_name: str | None = None


@dataclass(slots=True)
class ModelInfo:
    block: syntax.Block
    name: str
    is_view: bool
    fields: dict[str, FieldInfo] = field(default_factory=dict)
    db_name: str = ""
    map_attr: syntax.Attribute | None = None
    schema: str | None = None
    schema_attr: syntax.Attribute | None = None
    ignored: bool = False
    pk: PkInfo | None = None
    indexes: list[IndexInfo] = field(default_factory=list)
    shard_key: list[str] | None = None  # `@shardKey` / `@@shardKey` field names
    shard_key_source: syntax.Attribute | None = None  # the attribute that gave it (shard_keys.py)
    # The relation fields, in field order (filled by names_types.resolve_names).
    relations: list[FieldInfo] = field(default_factory=list)
    # The block's `@@` attributes (read once; `Block.block_attributes` makes a new list per call).
    block_attributes: list[syntax.Attribute] = field(default_factory=list)
    # Whether a scalar field has an `@map` (else no two fields can share a database name).
    field_maps: bool = False
    # Relation fields by the model they point to, built by relations.ambiguity on first use
    # (after the types are resolved; the fields do not change afterwards).
    relation_fields_by_target: dict[str | None, list[FieldInfo]] | None = None
    # Fields whose name an earlier field of the model has (an error), None when there is none.
    duplicate_fields: list[FieldInfo] | None = None

    @property
    def kind(self) -> str:
        return "view" if self.is_view else "model"


@dataclass(slots=True)
class EnumInfo:
    block: syntax.Block
    name: str
    db_name: str
    values: list[dm.EnumValueDef] = field(default_factory=list)
    map_attr: syntax.Attribute | None = None
    schema: str | None = None
    schema_attr: syntax.Attribute | None = None
    value_names: set[str] | None = None  # the values' names, made on first use (defaults.py)


@dataclass
class Context:
    ast: syntax.SchemaAst
    diags: Diagnostics
    datasource: dm.Datasource | None = None
    datasource_block: syntax.Block | None = None
    generators: list[dm.Generator] = field(default_factory=list)
    preview_features: set[str] = field(default_factory=set)
    pending_wheres: list = field(default_factory=list)  # partial_index.PendingWhere, checked after attributes
    models: dict[str, ModelInfo] = field(default_factory=dict)
    enums: dict[str, EnumInfo] = field(default_factory=dict)
    composite_types: dict[str, syntax.Block] = field(default_factory=dict)
    relations: list[dm.Relation] = field(default_factory=list)
    # Spans kept for checks that run after the config blocks are read.
    feature_spans: list[tuple[list[str], syntax.Span]] = field(default_factory=list)
    schemas_span: syntax.Span | None = None
    extensions_span: syntax.Span | None = None
    _unknown_defaults: list[syntax.FunctionCall] = field(default_factory=list)
    # Errors found while reading attributes that Prisma reports only in its last pass (so only
    # when nothing else is wrong), with the checks of their field there: a default literal that
    # does not parse (defaults.py). By id() of the field's record; empty as a rule.
    late_errors: dict[int, list[tuple[str, syntax.Span]]] = field(default_factory=dict)
    # The datasource's provider ("postgresql"...), None without one; a plain attribute
    # because the passes read it for every field. Set by config.load_datasource.
    provider: str | None = None
    # Type name -> "relation" | "enum" | "composite" (names_types._type_kinds), and the field
    # types that name nothing, reported by names_types.resolve_types.
    type_kinds: dict[str, str] = field(default_factory=dict)
    unknown_types: list[syntax.FieldType] = field(default_factory=list)
    # (file, start) of the field types that make Prisma's parser drop their field (names_types).
    dropped_field_types: set[tuple[int, int]] | None = None
    # Models (and views) replaced by a later one of the same name (an error; names_types).
    hidden_models: list[ModelInfo] = field(default_factory=list)
    hidden_enums: list[EnumInfo] = field(default_factory=list)  # (the same for enums)
    # Whether any `@shardKey`/`@@shardKey` was read (checks skip shard_keys.validate otherwise).
    shard_keys_seen: bool = False
    # id(FieldInfo of the FK side) -> the foreign key's name (relations.foreign_key_names).
    fk_names: dict[int, str] | None = None
    # `@default(...)` outcomes by what decides them (defaults.visit_default) and native types
    # by name and arguments: one object for every field that has the same.
    default_cache: dict[tuple, dm.DefaultValue] = field(default_factory=dict)
    native_cache: dict[tuple, dm.NativeType] = field(default_factory=dict)

    @property
    def relation_mode(self) -> str:
        if self.datasource is None:
            return "foreignKeys"
        return self.datasource.relation_mode

    def text(self, span: syntax.Span) -> str:
        return self.ast.files[span.file].text[span.start : span.end]

    def error(self, message: str, span: syntax.Span) -> None:
        self.diags.error(message, span)

    def late_error(self, info: FieldInfo, message: str, span: syntax.Span) -> None:
        """An error Prisma reports in its last pass: kept until that pass checks the field."""
        self.late_errors.setdefault(id(info), []).append((message, span))

    def warning(self, message: str, span: syntax.Span) -> None:
        self.diags.warning(message, span)

    def through_line_end(self, span: syntax.Span) -> syntax.Span:
        """`span` run on to the end of its last line, the newline included: Prisma's span of some
        field-attribute errors (an `@ignore` in an ignored model, a clashing foreign key name)."""
        text = self.ast.files[span.file].text
        end = text.find("\n", span.end)
        return syntax.Span(span.start, len(text) if end < 0 else end + 1, span.file)

    def aspan(self, attr: syntax.Attribute) -> syntax.Span:
        """Prisma's span of an attribute: a field attribute without parentheses followed by
        another token on its line includes the blanks after it (`@id ` in `@id @default(...)`)."""
        if attr.is_block or attr.arguments is not None:
            return attr.span
        text = self.ast.files[attr.span.file].text
        end = attr.span.end
        while end < len(text) and text[end] in " \t":
            end += 1
        if end < len(text) and text[end] not in "\r\n/":
            return syntax.Span(attr.span.start, end, attr.span.file)
        return attr.span

    def attribute_error(self, attr: syntax.Attribute, message: str, span: syntax.Span | None = None) -> None:
        prefix = "@@" if attr.is_block else "@"
        self.error(f'Error parsing attribute "{prefix}{attr.name}": {message}', span or self.aspan(attr))

    def argument_span(self, attr: syntax.Attribute, name: str) -> syntax.Span:
        """The span of argument `name` (or the first unnamed one), else the attribute's."""
        if attr.arguments is not None:
            for arg in attr.arguments.arguments:
                if arg.name is not None and arg.name.name == name:
                    return arg.span
            for arg in attr.arguments.arguments:
                if arg.name is None and arg.value is not None:
                    return arg.value.span
        return attr.span

    def model_error(self, model: ModelInfo, message: str, span: syntax.Span) -> None:
        self.error(f'Error validating model "{model.name}": {message}', span)

    def field_error(self, model: ModelInfo, field_name: str, message: str, span: syntax.Span) -> None:
        self.error(f"Error validating field `{field_name}` in {model.kind} `{model.name}`: {message}", span)

    def plain_error(self, message: str, span: syntax.Span) -> None:
        self.error(f"Error validating: {message}", span)

    @property
    def has_errors(self) -> bool:
        return self.diags.has_errors
