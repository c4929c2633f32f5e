"""What `db pull` keeps from the schema file it rewrites, read from the parsed PSL tree.

Only syntax is needed (names, `@map`/`@@map`, relation names and fields, documentation,
`@updatedAt`, `@ignore`, client-side defaults), so this reads the AST directly and works
even when the previous schema does not fully validate against the new database.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lamina.psl import ast

_CLIENT_DEFAULTS = {"cuid", "uuid", "nanoid", "ulid"}


@dataclass
class PrevField:
    name: str
    db_name: str
    type_name: str
    documentation: str | None = None
    updated_at: bool = False
    ignored: bool = False
    client_default: str | None = None  # "@default(cuid())" as written
    relation_name: str | None = None
    relation_fields: list[str] | None = None  # `fields:` of the referencing side
    has_map: bool = False  # `@map` written, even one naming the field's own name
    suffix: str = ""  # "?" or "[]": the arity as written
    relation_attribute: str | None = None  # `@relation(...)` rebuilt in Prisma's argument order


@dataclass
class PrevModel:
    name: str
    db_name: str
    documentation: str | None
    fields: list[PrevField] = field(default_factory=list)
    block_attributes: list[str] = field(default_factory=list)  # "@@index([a, b])" keys, in order
    compound_names: dict[str, str] = field(default_factory=dict)  # "unique:x,y", "id:x,y" -> its `name:` (the client's)
    has_map: bool = False  # `@@map` written, even one naming the model's own name
    fine_keys: list[str] = field(default_factory=list)  # `_fine_key` of each block attribute, in order
    schema: str | None = None  # its `@@schema`: tables of one name in two PostgreSQL schemas are two models

    def field_for_column(self, column: str) -> PrevField | None:
        return next((f for f in self.fields if f.relation_fields is None and f.db_name == column), None)


@dataclass
class PrevRelation:
    relation_name: str | None
    forward_name: str


class PreviousSchema:
    def __init__(self, tree: ast.SchemaAst | None = None) -> None:
        self.models: list[PrevModel] = []
        self.enums: list[tuple[str, str, str | None]] = []  # (name, db_name, documentation)
        self.enum_values: dict[str, list[str]] = {}
        self.enum_value_names: dict[tuple[str, str], str] = {}  # (enum, database value) -> name
        self.enum_schemas: dict[str, str | None] = {}  # enum -> its @@schema
        self.mapped_enums: set[str] = set()  # enums written with @@map (Prisma warns when it keeps one)
        self.mapped_enum_values: set[tuple[str, str]] = set()  # (enum, value) written with @map
        self.config_blocks: list[str] = []  # generator/datasource blocks, as written
        self.config_files: list[str] = []  # the source file of each config block
        self.block_files: dict[tuple[str, str], str] = {}  # ("model"|"enum", name) -> source file
        self.file_names: list[str] = []
        self.relation_mode_prisma = False  # datasource `relationMode = "prisma"`: no foreign keys
        if tree is not None:
            self._read(tree)

    # ------------------------------------------------------------ reading

    def _read(self, tree: ast.SchemaAst) -> None:
        model_names = {b.name.name for b in tree.blocks if b.kind is ast.BlockKind.MODEL}
        for source in tree.files:
            self.file_names.append(source.name)
            for block in source.blocks:
                if block.kind in (ast.BlockKind.MODEL, ast.BlockKind.ENUM):
                    self.block_files.setdefault((block.kind.value, block.name.name), source.name)
                if block.kind is ast.BlockKind.DATASOURCE:
                    self.relation_mode_prisma = any(
                        p.name.name == "relationMode" and isinstance(p.value, ast.StringValue) and p.value.value == "prisma"
                        for p in block.properties)
                if block.kind in (ast.BlockKind.GENERATOR, ast.BlockKind.DATASOURCE):
                    self.config_blocks.append(_config_text(source.text, block))
                    self.config_files.append(source.name)
                elif block.kind is ast.BlockKind.ENUM:
                    self.enums.append((block.name.name, _map_of(block.block_attributes) or block.name.name, block.documentation))
                    self.enum_schemas[block.name.name] = _map_of(block.block_attributes, "schema")
                    self.enum_values[block.name.name] = [v.name.name for v in block.values]
                    if _map_of(block.block_attributes) is not None:
                        self.mapped_enums.add(block.name.name)
                    for v in block.values:
                        self.enum_value_names[(block.name.name, _map_of(v.attributes) or v.name.name)] = v.name.name
                        if _map_of(v.attributes) is not None:
                            self.mapped_enum_values.add((block.name.name, v.name.name))
                elif block.kind is ast.BlockKind.MODEL:
                    self.models.append(self._read_model(block, model_names, source.text))
        # Prisma writes the generators first, then the datasource, wherever they were
        order = sorted(range(len(self.config_blocks)), key=lambda i: not self.config_blocks[i].startswith("generator"))
        self.config_blocks = [self.config_blocks[i] for i in order]
        self.config_files = [self.config_files[i] for i in order]

    def _read_model(self, block: ast.Block, model_names: set[str], text: str) -> PrevModel:
        model = PrevModel(block.name.name, _map_of(block.block_attributes) or block.name.name, block.documentation)
        model.has_map = _map_of(block.block_attributes) is not None
        model.schema = _map_of([a for a in block.block_attributes if a.name == "schema"], "schema")
        model.block_attributes = [_attribute_key(a.name, a) for a in block.block_attributes]
        model.fine_keys = [_fine_key("@@" + text[a.span.start:a.span.end].lstrip("@")) for a in block.block_attributes]
        for a in block.block_attributes:
            if a.name in ("unique", "id") and a.arguments:
                named = next((x.value for x in a.arguments.arguments if x.name is not None and x.name.name == "name"), None)
                if isinstance(named, ast.StringValue):
                    model.compound_names[_attribute_key(a.name, a)] = named.value
        for f in block.fields:
            if f.type is None:
                continue
            attrs = {a.name: a for a in f.attributes}
            prev = PrevField(
                name=f.name.name,
                db_name=_map_of(list(attrs.values())) or f.name.name,
                type_name=f.type.name,
                documentation=f.documentation,
                updated_at="updatedAt" in attrs,
                ignored="ignore" in attrs,
                has_map=_map_of(list(attrs.values())) is not None,
                suffix={ast.Arity.OPTIONAL: "?", ast.Arity.LIST: "[]"}.get(f.type.arity, ""),
            )
            default = attrs.get("default")
            if default is not None and default.arguments and default.arguments.arguments:
                value = default.arguments.arguments[0].value
                if isinstance(value, ast.FunctionCall) and value.name in _CLIENT_DEFAULTS:
                    prev.client_default = "@" + _text_of(block, default)
            if f.type.name in model_names:
                relation = attrs.get("relation")
                prev.relation_fields = []
                prev.relation_attribute = _relation_text(relation, text)
                if relation is not None and relation.arguments is not None:
                    for arg in relation.arguments.arguments:
                        if arg.name is None and isinstance(arg.value, ast.StringValue):
                            prev.relation_name = arg.value.value
                        elif arg.name is not None and arg.name.name == "name" and isinstance(arg.value, ast.StringValue):
                            prev.relation_name = arg.value.value
                        elif arg.name is not None and arg.name.name == "fields" and isinstance(arg.value, ast.ArrayValue):
                            prev.relation_fields = [getattr(i, "value", "") for i in arg.value.items]
            model.fields.append(prev)
        return model

    # ------------------------------------------------------------ lookups

    def model_for_table(self, table: str, namespace: str | None = None) -> PrevModel | None:
        """The previous model of a table; with a namespace, one whose @@schema names another
        namespace does not count."""
        return next((m for m in self.models if m.db_name == table
                     and (namespace is None or m.schema is None or m.schema == namespace)), None)

    def _model(self, name: str) -> PrevModel | None:
        return next((m for m in self.models if m.name == name), None)

    def file_of(self, kind: str, name: str) -> str | None:
        """The file a model or enum was written in (multi-file schemas)."""
        return self.block_files.get((kind, name))

    def model_ignored(self, model: str) -> bool:
        m = self._model(model)
        return bool(m and "ignore:" in m.block_attributes)

    def enum_name(self, db_name: str, namespace: str | None = None) -> str | None:
        """The previous enum of a database enum; with a namespace, one whose @@schema names
        another namespace does not count."""
        return next((n for n, d, _doc in self.enums if d == db_name
                     and (namespace is None or self.enum_schemas.get(n) in (None, namespace))), None)

    def enum_doc(self, db_name: str) -> str | None:
        return next((doc for _n, d, doc in self.enums if d == db_name), None)

    def is_enum(self, name: str) -> bool:
        return name in self.enum_values

    def enum_value_name(self, enum: str, db_value: str) -> str | None:
        return self.enum_value_names.get((enum, db_value))

    def enum_blocks(self) -> list[tuple[str, str, str | None, list[tuple[str, str | None]]]]:
        """(name, db name, documentation, [(value, @map value or None)]) of each previous enum."""
        maps = {(e, name): db for (e, db), name in self.enum_value_names.items()}
        return [
            (n, d, doc, [(v, None if maps.get((n, v), v) == v else maps[(n, v)]) for v in self.enum_values[n]])
            for n, d, doc in self.enums
        ]

    def relation_for_fk(self, model: str, field_names: list[str]) -> PrevRelation | None:
        m = self._model(model)
        if m is None:
            return None
        for f in m.fields:
            if f.relation_fields and f.relation_fields == field_names:
                return PrevRelation(f.relation_name, f.name)
        return None

    def back_field_name(self, model: str, other: str, relation_name: str | None) -> str | None:
        m = self._model(model)
        if m is None:
            return None
        for f in m.fields:
            if f.relation_fields == [] and f.type_name == other and f.relation_name == relation_name:
                return f.name
        return None

    def m2m_field_name(self, model: str, other: str, relation_name: str) -> str | None:
        m = self._model(model)
        if m is None:
            return None
        candidates = [f for f in m.fields if f.relation_fields == [] and f.type_name == other]
        named = [f for f in candidates if f.relation_name == relation_name]
        # an unnamed field is the relation's when it is the only unnamed one (fields named for
        # other relations, as the back side of a 1:n, do not count)
        unnamed = [f for f in candidates if f.relation_name is None]
        if named:
            return named[0].name
        return unnamed[0].name if len(unnamed) == 1 else None

    def self_m2m_field_names(self, model: str, relation_name: str) -> list[str] | None:
        """The two list fields of a self many-to-many relation in the previous schema."""
        m = self._model(model)
        if m is None:
            return None
        names = [f.name for f in m.fields
                 if f.relation_fields == [] and f.type_name == model and f.relation_name == relation_name]
        return names if len(names) == 2 else None

    def copied_relation_fields(self, model: str, present_models: set[str]) -> list[PrevField]:
        """relationMode = "prisma": the relation fields of `model` as written, those whose
        other model is still there (Prisma copies them; there are no foreign keys to read)."""
        m = self._model(model)
        if m is None:
            return []
        return [f for f in m.fields if f.relation_fields is not None and f.type_name in present_models]

    def relation_doc(self, model: str, field_name: str) -> str | None:
        m = self._model(model)
        f = next((f for f in m.fields if f.name == field_name), None) if m else None
        return f.documentation if f else None

    # ------------------------------------------------------------ ordering

    def order_models(self, models: list) -> list:
        """Models that were in the previous schema keep its order; new ones follow, by name.

        Fields are not reordered: Prisma 7.10.1 prints scalar fields in the database's column
        order, kept ones too (a column added by a later migration moves to the end)."""
        position = {m.name: i for i, m in enumerate(self.models)}
        kept = sorted((m for m in models if m.name in position), key=lambda m: position[m.name])
        new = [m for m in models if m.name not in position]
        return kept + new

    def order_block_attributes(self, model: str, attributes: list[str]) -> list[str]:
        """`@@unique`/`@@index` lines that were in the previous model keep its order (uniques first)."""
        m = self._model(model)
        if m is None:
            return attributes
        position = {key: i for i, key in enumerate(m.block_attributes)}
        # two indexes on the same fields (`[email]` and `[email(ops: raw("gin_trgm_ops"))]`, type: Gin)
        # are told apart by their field arguments and type first
        fine = {key: i for i, key in enumerate(m.fine_keys)}
        keyed = [(fine.get(_fine_key(a), position.get(_printed_key(a), len(position) + n)), a)
                 for n, a in enumerate(attributes)]
        # Only the index-like lines move; @@id, @@map, @@schema, @@ignore keep their place.
        movable = [k for k in keyed if k[1].startswith(("@@unique", "@@index"))]
        # @@unique lines stay before @@index lines, as Prisma 7.10.1 writes them, each kind in the
        # previous schema's order.
        ordered = iter(a for _k, a in sorted(movable, key=lambda k: (not k[1].startswith("@@unique"), k[0])))
        return [next(ordered) if a.startswith(("@@unique", "@@index")) else a for a in attributes]

    def order_enums(self, enums: list) -> list:
        position = {name: i for i, (name, _d, _doc) in enumerate(self.enums)}
        kept = sorted((e for e in enums if e.name in position), key=lambda e: position[e.name])
        return kept + [e for e in enums if e.name not in position]


_RELATION_ARGUMENTS = ("fields", "references", "onDelete", "onUpdate", "map")


def _relation_text(relation: ast.Attribute | None, text: str) -> str | None:
    """`@relation(...)` as Prisma renders a copied one: the name, then fields, references,
    onDelete, onUpdate and map, each value as written."""
    if relation is None or relation.arguments is None:
        return None
    name, named = None, {}
    for arg in relation.arguments.arguments:
        if arg.value is None:
            continue
        value = text[arg.value.span.start:arg.value.span.end]
        if arg.name is None or arg.name.name == "name":
            name = value
        else:
            named[arg.name.name] = value
    parts = ([name] if name is not None else []) + [f"{k}: {named[k]}" for k in _RELATION_ARGUMENTS if k in named]
    return f"@relation({', '.join(parts)})" if parts else None


_GENERATOR_FIRST = ("provider", "output", "previewFeatures", "binaryTargets")
_DATASOURCE_ORDER = ("provider", "url", "directUrl", "shadowDatabaseUrl", "relationMode", "schemas", "extensions")


def _config_text(text: str, block: ast.Block) -> str:
    """A config block as Prisma 7.10.1's db pull writes it back: re-rendered, not as written.

    Comments and blank lines go; keys are aligned anew. A generator lists provider, output,
    previewFeatures (sorted) and binaryTargets first, then its other options sorted by name,
    each as a string (`createInputTypes = false` comes back as `"false"`). A datasource lists
    provider, url, directUrl, shadowDatabaseUrl, relationMode, schemas (sorted) and
    extensions, then anything else as written."""
    values: dict[str, str] = {}
    for prop in block.properties:
        if prop.value is None:
            continue
        raw = text[prop.value.span.start:prop.value.span.end]
        if prop.name.name in ("previewFeatures", "schemas") and isinstance(prop.value, ast.ArrayValue) \
                and all(isinstance(i, ast.StringValue) for i in prop.value.items):
            raw = "[" + ", ".join(i.raw for i in sorted(prop.value.items, key=lambda i: i.value)) + "]"
        elif block.kind is ast.BlockKind.GENERATOR and isinstance(prop.value, (ast.ConstantValue, ast.NumericValue)):
            raw = '"' + (prop.value.value if isinstance(prop.value, ast.ConstantValue) else prop.value.raw) + '"'
        values[prop.name.name] = raw
    if block.kind is ast.BlockKind.GENERATOR:
        first = [k for k in _GENERATOR_FIRST if k in values]
        keys = first + sorted(k for k in values if k not in first)
    else:
        first = [k for k in _DATASOURCE_ORDER if k in values]
        keys = first + [k for k in values if k not in first]
    width = max((len(k) for k in keys), default=0)
    lines = [f"{block.kind.value} {block.name.name} {{"]
    lines += [f"  {k.ljust(width)} = {values[k]}" for k in keys]
    lines.append("}")
    return "\n".join(lines)


def with_compound_name(prev: PrevModel | None, line: str) -> str:
    """A printed `@@unique([x, y], …)` or `@@id([x, y], …)` with the `name:` the previous schema
    gave it (db pull keeps it)."""
    named = prev and line.startswith(("@@unique([", "@@id(["))
    name = prev.compound_names.get(_printed_key(line)) if named else None
    if name is None:
        return line
    from lamina.introspect.psl_values import psl_string

    end = line.index("]") + 1
    return f"{line[:end]}, name: {psl_string(name)}{line[end:]}"


def _attribute_key(name: str, attribute: ast.Attribute) -> str:
    """`@@index([a, b(sort: Desc)])` -> "index:a,b" (the kind and field names)."""
    fields: list[str] = []
    if attribute.arguments and attribute.arguments.arguments:
        # the field list is the unnamed argument or `fields:`, wherever it stands
        # (`@@id(name: "likeId", [a, b])` is valid PSL)
        field_list = next((x.value for x in attribute.arguments.arguments
                      if x.name is None or x.name.name == "fields"), None)
        if isinstance(field_list, ast.ArrayValue):
            for item in field_list.items:
                fields.append(item.name if isinstance(item, ast.FunctionCall) else getattr(item, "value", ""))
    return f"{name}:{','.join(fields)}"


def _fine_key(line: str) -> str:
    """`@@index([a(sort: Desc)], map: "x", type: Gin)` -> "index[a(sort:Desc)]Gin": the kind,
    the field list with its arguments, and the index type (spacing ignored)."""
    import re

    m = re.match(r"^@@(\w+)\(\s*(\[.*?\])\s*(?:,|\))", line, re.S)
    if not m:
        return line
    kind_type = re.search(r"type:\s*(\w+)", line[m.end():])
    return m.group(1) + "".join(m.group(2).split()) + (kind_type.group(1) if kind_type else "")


def _printed_key(line: str) -> str:
    """The same key for a line `build` printed: `@@index([a, b(sort: Desc)], map: "x")`."""
    import re

    m = re.match(r"^@@(\w+)\(\[(.*?)\]", line)
    if not m:
        return line
    names = [re.sub(r"\(.*", "", part).strip() for part in re.split(r",(?![^(]*\))", m.group(2))]
    return f"{m.group(1)}:{','.join(names)}"


def _map_of(attributes: list[ast.Attribute], name: str = "map") -> str | None:
    """The string argument of the `@map`/`@@map` (or another `name`) among the attributes."""
    for a in attributes:
        if a.name == name and a.arguments and a.arguments.arguments:
            value = a.arguments.arguments[0].value
            if isinstance(value, ast.StringValue):
                return value.value
    return None


def _text_of(block: ast.Block, attribute: ast.Attribute) -> str:
    # Rebuilt from the tree (the source text is not at hand here): `default(cuid())`.
    value = attribute.arguments.arguments[0].value
    args = ", ".join(getattr(a.value, "raw", getattr(a.value, "value", "")) for a in value.arguments.arguments)
    return f"default({value.name}({args}))"
