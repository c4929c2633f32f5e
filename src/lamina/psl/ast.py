"""The Prisma Schema Language syntax tree: lossless enough to format, with spans for diagnostics.

Conventions (read these before touching the parser, validator or formatter):

- A `Span` is a half-open range of *character* offsets `[start, end)` into the text of one
  source file, identified by `file` (the index in `SchemaAst.files`). Every node has one.
- Names keep their own span (`Identifier`) because diagnostics point at names.
- `documentation` holds the text of `///` comments directly above a node, joined with
  "\n", without the `///` prefix and with one leading space removed; None if there is none.
- Blocks keep their body in source order in `items`, including `CommentLine` and
  `EmptyLine` entries, so that the formatter can reproduce comments and blank lines.
  The typed views (`Model.fields`, `Model.attributes`...) are filtered from `items`.
- Spans follow Prisma's: a `Field`/`EnumValue` span runs from its name through the end of its
  line *including the newline* (Prisma highlights it so); a `Block` span from the keyword
  through `}`; a `Property` span from its name through its value.
- A trailing `// comment` on the same line as a field/value/property is stored on that node
  in `trailing_comment` (the text after `//`, stripped of the leading `//`).
- Nodes are plain mutable dataclasses (the formatter's relation completion adds fields);
  the validator never mutates the tree.
- Memory: below the block level a node keeps its span packed into one int, `at` (see `at()`),
  and `node.span` makes the `Span` when asked. A schema of 10,000 models has about 800,000 of
  these spans; as objects (a `Span` and two ints each, 112 bytes) they were half of the tree's
  memory, packed they take 32 bytes. Diagnostics and the formatter ask for few of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Callable, Union


# Not frozen: a frozen dataclass's __init__ goes through object.__setattr__, which made building
# the ~80 spans of each model a fifth of the parser's time. Spans are still values (compared and
# hashed by their fields): nothing may change one after it is made.
@dataclass(slots=True, unsafe_hash=True)
class Span:
    start: int
    end: int
    file: int = 0

    def __len__(self) -> int:
        return self.end - self.start



SPAN_BITS = 31  # at = start | end << SPAN_BITS | file << 2 * SPAN_BITS
SPAN_MASK = (1 << SPAN_BITS) - 1
MAX_OFFSET = SPAN_MASK  # the parser refuses a larger file (a real schema is a few MB at most)


def at(start: int, end: int, file: int = 0) -> int:
    """The packed form of `Span(start, end, file)` that nodes keep in their `at` slot."""
    return start | end << SPAN_BITS | file << (2 * SPAN_BITS)


def at_of(span: Span) -> int:
    return span.start | span.end << SPAN_BITS | span.file << (2 * SPAN_BITS)


def unpack(packed: int) -> Span:
    return Span(packed & SPAN_MASK, packed >> SPAN_BITS & SPAN_MASK, packed >> (2 * SPAN_BITS))


class Spanned:
    """A node whose span is packed in `at` (each subclass declares the slot)."""

    __slots__ = ()

    @property
    def span(self) -> Span:
        return unpack(self.at)  # type: ignore[attr-defined]

    @span.setter
    def span(self, value: Span) -> None:
        setattr(self, "at", at_of(value))  # (the slot is the subclass's: mypyc refuses `self.at =` here)

    @property
    def start(self) -> int:
        return self.at & SPAN_MASK  # type: ignore[attr-defined]

    @property
    def end(self) -> int:
        return self.at >> SPAN_BITS & SPAN_MASK  # type: ignore[attr-defined]


@dataclass(slots=True)
class Identifier(Spanned):
    name: str
    at: int


# ---------------------------------------------------------------- expressions


@dataclass(slots=True)
class StringValue(Spanned):
    value: str  # unescaped
    raw: str  # as written, with quotes and escapes
    at: int


@dataclass(slots=True)
class NumericValue(Spanned):
    raw: str  # "1", "-2.5", "1e10"
    at: int


@dataclass(slots=True)
class ConstantValue(Spanned):
    """A bare word: `true`, `Cascade`, `Asc`, an enum value, or a field name as in `fields: [a]`.

    Dotted paths (`a.b`) are kept whole in `value`.
    """

    value: str
    at: int


@dataclass(slots=True)
class FunctionCall(Spanned):
    """`now()`, `env("DATABASE_URL")`, `dbgenerated("...")`, `sort(Desc)`, `uuid(7)`."""

    name: str
    name_at: int
    arguments: ArgumentList
    at: int

    @property
    def name_span(self) -> Span:
        return unpack(self.name_at)


@dataclass(slots=True)
class ArrayValue(Spanned):
    items: list[Expression]
    at: int


@dataclass(slots=True)
class ObjectEntry(Spanned):
    key: Identifier
    value: Expression
    at: int


@dataclass(slots=True)
class ObjectValue(Spanned):
    """`{ published: true, deletedAt: null }`: the object form of a partial index's `where:`."""

    entries: list[ObjectEntry]
    at: int


Expression = Union[StringValue, NumericValue, ConstantValue, FunctionCall, ArrayValue, ObjectValue]


@dataclass(slots=True)
class Argument(Spanned):
    name: Identifier | None  # None for positional arguments
    value: Expression | None  # None only for an empty named argument `name: ` (an error)
    at: int


@dataclass(slots=True)
class ArgumentList(Spanned):
    arguments: list[Argument]
    at: int  # includes the parentheses
    trailing_comma: bool = False


# ---------------------------------------------------------------- attributes


@dataclass(slots=True)
class Attribute(Spanned):
    """`@id`, `@default(now())`, `@db.VarChar(255)`, `@@index([a, b], map: "x")`.

    `name` is without the `@`/`@@` prefix and may be dotted (`db.VarChar`).
    `arguments` is None when no parentheses were written.
    """

    name: str
    name_at: int
    arguments: ArgumentList | None
    at: int
    is_block: bool = False  # True for `@@...`

    @property
    def name_span(self) -> Span:
        return unpack(self.name_at)


# ---------------------------------------------------------------- fields and values


class Arity(Enum):
    REQUIRED = "required"
    OPTIONAL = "optional"  # Type?
    LIST = "list"  # Type[]


@dataclass(slots=True)
class FieldType(Spanned):
    name: str  # "String", "User", "Unsupported"
    at: int  # the whole type expression, including ?/[] and Unsupported("...")
    arity: Arity
    unsupported: StringValue | None = None  # the argument of Unsupported("...")
    # `Type[]?` and `Type?[]` are parse errors in Prisma; the parser reports them and keeps the best guess.


@dataclass(slots=True)
class CommentLine(Spanned):
    """A comment line on its own (in a block or at top level). `text` excludes the first two
    slashes, so a `///` line has text starting with "/". `///` lines are kept here too (besides
    the `documentation` of the node below them) so that formatting is lossless."""

    text: str
    at: int


@dataclass(slots=True)
class EmptyLine(Spanned):
    at: int


# A field's attributes not built yet (see `Field`): called with the field's start and its file
# index shifted as in `at`, it builds them.
AttributeTemplate = Callable[[int, int], "list[Attribute]"]


@dataclass(slots=True, eq=False)
class Field(Spanned):
    """A field line. Its attributes are read through `attributes` (or `read_attributes()`):
    `stored_attributes` is the list, or, for a line whose attribute text the parser has seen
    before, a template that builds them (parser_fast), shared by every field with that text at
    that distance from the field's start. Such a field holds no attribute nodes (8 nodes and
    lists per field on average at 10,000 models): validation builds them for itself and keeps
    only those it points diagnostics at, so the whole tree never holds them."""

    name: Identifier
    type: FieldType | None  # None when the type is missing (an error was reported)
    stored_attributes: list[Attribute] | AttributeTemplate
    at: int
    documentation: str | None = None
    trailing_comment: str | None = None

    @property
    def attributes(self) -> list[Attribute]:
        """The attribute nodes, built and kept on first use (the formatter edits this list)."""
        attrs = self.stored_attributes
        if not isinstance(attrs, list):
            attrs = self.stored_attributes = self.read_attributes()
        return attrs

    def read_attributes(self) -> list[Attribute]:
        """The attribute nodes without keeping them on the field (a template builds them anew on
        each call): the validator's way, so that the tree stays small while it runs."""
        attrs = self.stored_attributes
        if isinstance(attrs, list):
            return attrs
        packed = self.at
        return attrs(packed & SPAN_MASK, packed >> (2 * SPAN_BITS) << (2 * SPAN_BITS))

    def __eq__(self, other: object) -> bool:  # (built attributes or not: the same field)
        if not isinstance(other, Field):
            return NotImplemented
        return (self.name, self.type, self.read_attributes(), self.at, self.documentation, self.trailing_comment) == (
            other.name, other.type, other.read_attributes(), other.at, other.documentation, other.trailing_comment)


@dataclass(slots=True)
class BlockAttributeItem(Spanned):
    """A `@@...` line inside a model/view/enum body, with its comments."""

    attribute: Attribute
    at: int
    documentation: str | None = None
    trailing_comment: str | None = None


@dataclass(slots=True)
class EnumValue(Spanned):
    name: Identifier
    attributes: list[Attribute]
    at: int
    documentation: str | None = None
    trailing_comment: str | None = None


@dataclass(slots=True)
class Property(Spanned):
    """`key = value` inside a `datasource` or `generator` block."""

    name: Identifier
    value: Expression | None
    at: int
    documentation: str | None = None
    trailing_comment: str | None = None


BlockItem = Union[Field, BlockAttributeItem, EnumValue, Property, CommentLine, EmptyLine]


# ---------------------------------------------------------------- top-level blocks


class BlockKind(Enum):
    MODEL = "model"
    VIEW = "view"
    TYPE = "type"  # composite type (MongoDB); parsed everywhere, rejected by relational providers
    ENUM = "enum"
    DATASOURCE = "datasource"
    GENERATOR = "generator"


@dataclass(slots=True)
class Block:
    kind: BlockKind
    keyword_span: Span
    name: Identifier
    items: list[BlockItem]
    span: Span  # from the keyword to the closing brace
    documentation: str | None = None
    # Span of the opening `{` and the closing `}` (end-exclusive), for formatting and diagnostics.
    body_span: Span | None = None

    @property
    def fields(self) -> list[Field]:
        return [i for i in self.items if isinstance(i, Field)]

    @property
    def block_attributes(self) -> list[Attribute]:
        return [i.attribute for i in self.items if isinstance(i, BlockAttributeItem)]

    @property
    def values(self) -> list[EnumValue]:
        return [i for i in self.items if isinstance(i, EnumValue)]

    @property
    def properties(self) -> list[Property]:
        return [i for i in self.items if isinstance(i, Property)]


TopItem = Union[Block, CommentLine, EmptyLine]


@dataclass(slots=True)
class SourceFile:
    name: str  # as shown in diagnostics: "schema.prisma", or the file's name in a folder
    text: str
    items: list[TopItem] = field(default_factory=list)

    @property
    def blocks(self) -> list[Block]:
        return [i for i in self.items if isinstance(i, Block)]


@dataclass(slots=True)
class SchemaAst:
    files: list[SourceFile]

    @property
    def blocks(self) -> list[Block]:
        return [b for f in self.files for b in f.blocks]
