"""The PSL parser: the AST it builds (spans, docs, comments) and Prisma's syntax errors,
reported all at once (texts and spans checked against Prisma 7.10.1)."""

from __future__ import annotations

from lamina.psl.ast import (
    ArrayValue,
    Arity,
    BlockAttributeItem,
    BlockKind,
    CommentLine,
    ConstantValue,
    EmptyLine,
    FunctionCall,
    NumericValue,
    StringValue,
)
from lamina.psl.parser import parse_schema
from lamina.psl.render import render_diagnostics

VALID = '''\
// header comment
datasource db {
  provider = "postgresql" // trailing
  url      = env("DATABASE_URL")
}

/// A user.
/// Second line.
model User {
  id    Int     @id @default(autoincrement())
  /// The address.
  email String? @unique @db.VarChar(255)
  tags  String[]
  geo   Unsupported("geometry(Point, 4326)")?
  posts Post[]  @relation("UserPosts")

  @@index([email(sort: Desc), id], map: "user_idx") // why
  @@map("users")
}

enum Role {
  ADMIN @map("admin")
  USER
}

view V {
  id Int @unique
}

type Address {
  street String
}

generator client {
  provider        = "lamina"
  previewFeatures = ["views", "a.b"]
}
'''


def _text(source: str, span) -> str:
    return source[span.start : span.end]


def test_valid_schema_builds_the_tree_without_diagnostics():
    ast, diagnostics = parse_schema([("schema.prisma", VALID)])
    assert diagnostics.errors == [] and diagnostics.warnings == []
    kinds = [b.kind for b in ast.blocks]
    assert kinds == [BlockKind.DATASOURCE, BlockKind.MODEL, BlockKind.ENUM, BlockKind.VIEW, BlockKind.TYPE, BlockKind.GENERATOR]
    ds, user, role, view, _type, gen = ast.blocks

    provider, url = ds.properties
    assert isinstance(provider.value, StringValue) and provider.value.value == "postgresql"
    assert provider.trailing_comment == " trailing"
    assert isinstance(url.value, FunctionCall) and url.value.name == "env"
    assert url.value.arguments.arguments[0].value.value == "DATABASE_URL"

    assert user.documentation == "A user.\nSecond line."
    assert user.name.name == "User" and _text(VALID, user.name.span) == "User"
    assert _text(VALID, user.span).startswith("model User {") and _text(VALID, user.span).endswith("}")
    id_, email, tags, geo, posts = user.fields
    assert (id_.type.name, id_.type.arity) == ("Int", Arity.REQUIRED)
    default = id_.attributes[1]
    assert default.name == "default" and isinstance(default.arguments.arguments[0].value, FunctionCall)
    assert email.documentation == "The address."
    assert email.type.arity is Arity.OPTIONAL and _text(VALID, email.type.span) == "String?"
    native = email.attributes[1]
    assert native.name == "db.VarChar" and _text(VALID, native.name_span) == "db.VarChar"
    assert isinstance(native.arguments.arguments[0].value, NumericValue)
    assert _text(VALID, native.span) == "@db.VarChar(255)"
    assert tags.type.arity is Arity.LIST
    assert geo.type.name == "Unsupported" and geo.type.unsupported.value == "geometry(Point, 4326)"
    assert geo.type.arity is Arity.OPTIONAL
    # Prisma's field span runs through the newline (its diagnostics show the next line).
    assert _text(VALID, email.span) == "email String? @unique @db.VarChar(255)\n"

    index, map_ = user.block_attributes
    assert index.is_block and index.name == "index"
    fields_arg, map_arg = index.arguments.arguments
    assert isinstance(fields_arg.value, ArrayValue)
    sort_call = fields_arg.value.items[0]
    assert isinstance(sort_call, FunctionCall) and sort_call.name == "email"
    assert sort_call.arguments.arguments[0].name.name == "sort"
    assert isinstance(sort_call.arguments.arguments[0].value, ConstantValue)
    assert map_arg.name.name == "map" and map_arg.value.value == "user_idx"
    items = [i for i in user.items if isinstance(i, BlockAttributeItem)]
    assert items[0].trailing_comment == " why"
    assert any(isinstance(i, EmptyLine) for i in user.items)
    assert any(isinstance(i, CommentLine) and i.text == "/ The address." for i in user.items)

    assert [v.name.name for v in role.values] == ["ADMIN", "USER"]
    assert role.values[0].attributes[0].name == "map"
    assert view.fields[0].name.name == "id"
    assert gen.properties[1].value.items[1].value == "a.b"
    assert isinstance(ast.files[0].items[0], CommentLine)


def test_string_escapes_and_numbers():
    source = 'model A {\n  a String @default("q\\"uote\\\\ \\u0041\\n")\n  b Float @default(-1.5)\n}\n'
    ast, diagnostics = parse_schema([("schema.prisma", source)])
    assert not diagnostics.errors
    a, b = ast.blocks[0].fields
    value = a.attributes[0].arguments.arguments[0].value
    assert value.value == 'q"uote\\ A\n' and value.raw == '"q\\"uote\\\\ \\u0041\\n"'
    assert b.attributes[0].arguments.arguments[0].value.raw == "-1.5"


def test_empty_named_argument_and_trailing_comma_are_kept_for_the_validator():
    source = "model A {\n  id Int @id\n  a Int @default(1, 2,)\n  b Int @default(foo(x: ))\n}\n"
    ast, diagnostics = parse_schema([("schema.prisma", source)])
    assert not diagnostics.errors
    a, b = ast.blocks[0].fields[1:]
    assert a.attributes[0].arguments.trailing_comma
    assert b.attributes[0].arguments.arguments[0].value.arguments.arguments[0].value is None


ERRORS = '''\
model A {
  id Int @id
  name
  x: String
  y String!
  z [String]
  w String[]?
  v String?[]
  u Int @default(1e10)
}

enum E {
  A
  C D
}

generator g {
  provider = "x"
  foo
}

blah

foo {
}

type T = String

model B {
  id Int @id
'''


def test_every_syntax_error_is_reported_in_one_run():
    ast, diagnostics = parse_schema([("schema.prisma", ERRORS)])
    found = [(d.message, _text(ERRORS, d.span)) for d in diagnostics.errors]
    assert found == [
        ('Error validating model "A": This field declaration is invalid. It is either missing a name or a type.', "name\n"),
        ("Field declarations don't require a `:`.", ":"),
        ("Fields are required by default, `!` is no longer required.", "String!"),
        ("To specify a list, please use `Type[]` instead of `[Type]`.", "[String]"),
        ("Optional lists are not supported. Use either `Type[]` or `Type?`.", "String[]?"),
        ("Error validating: This line is not a valid field or attribute definition.", "v String?[]\n"),
        ("Error validating: This line is not a valid field or attribute definition.", "u Int @default(1e10)\n"),
        ("Error validating: This line is not an enum value definition.", "C D\n"),
        ("Error validating: This line is not a valid definition within a generator.", "foo\n"),
        ("Error validating: This line is invalid. It does not start with any known Prisma schema keyword.", "blah\n"),
        (
            "Error validating: This block is invalid. It does not start with any known Prisma schema keyword. "
            "Valid keywords include 'model', 'enum', 'type', 'datasource' and 'generator'.",
            "foo {\n}",
        ),
        (
            "Error validating: Invalid type definition. Please check the documentation in https://pris.ly/d/composite-types",
            "type T = String",
        ),
        # An unclosed block is no block: each of its lines is an unknown top-level line.
        ("Error validating: This line is invalid. It does not start with any known Prisma schema keyword.", "model B {\n"),
        ("Error validating: This line is invalid. It does not start with any known Prisma schema keyword.", "id Int @id\n"),
    ]
    # The lines that did parse are still in the tree.
    model_a = ast.blocks[0]
    assert [f.name.name for f in model_a.fields] == ["id", "name", "x", "y", "z", "w"]


def test_rest_of_the_opening_line_is_ignored_and_closing_line_reparsed():
    source = "model A { ignored text\n  id Int @id\n} trailing\n"
    ast, diagnostics = parse_schema([("schema.prisma", source)])
    assert [f.name.name for f in ast.blocks[0].fields] == ["id"]
    [error] = diagnostics.errors
    assert _text(source, error.span) == "trailing\n"


def test_multi_file_spans_name_their_file():
    ast, diagnostics = parse_schema([("a.prisma", "model A {\n  id Int @id\n}\n"), ("b.prisma", "oops\n")])
    assert [f.name for f in ast.files] == ["a.prisma", "b.prisma"]
    [error] = diagnostics.errors
    assert error.span.file == 1
    assert "b.prisma:1" in render_diagnostics(diagnostics, ast, color=False)


# Prisma 7.10.1's output for the same input (`prisma validate`), file name aside.
PRISMA_RENDERED = (
    "\x1b[1;91merror\x1b[0m: \x1b[1mError validating: This line is not a valid field or attribute definition.\x1b[0m\n"
    "  \x1b[1;94m-->\x1b[0m  \x1b[4mschema.prisma:3\x1b[0m\n"
    "\x1b[1;94m   | \x1b[0m\n"
    "\x1b[1;94m 2 | \x1b[0m  id Int @id\n"
    "\x1b[1;94m 3 | \x1b[0m  \x1b[1;91mfoo bar baz qux\x1b[0m\n"
    "\x1b[1;94m 4 | \x1b[0m}\n"
    "\x1b[1;94m   | \x1b[0m\n"
)


def test_render_matches_prisma_coloured_and_plain():
    source = "model A {\n  id Int @id\n  foo bar baz qux\n}\n"
    ast, diagnostics = parse_schema([("schema.prisma", source)])
    assert render_diagnostics(diagnostics, ast, color=True) == PRISMA_RENDERED
    import re

    assert render_diagnostics(diagnostics, ast, color=False) == re.sub(r"\x1b\[[0-9;]*m", "", PRISMA_RENDERED)


def test_render_first_line_has_blank_previous_gutter_and_warnings_come_first():
    source = "oops\n"
    ast, diagnostics = parse_schema([("schema.prisma", source)])
    diagnostics.warning("a warning", diagnostics.errors[0].span)
    text = render_diagnostics(diagnostics, ast, color=False)
    assert text.startswith("warning: a warning\n  -->  schema.prisma:1\n   | \n   | \n 1 | oops\n")
    assert text.index("warning:") < text.index("error:")


def test_parser_is_fast_enough_for_a_thousand_models():
    import time

    models = "".join(
        f"model M{i} {{\n  id Int @id @default(autoincrement())\n  name String? @db.VarChar(20)\n  @@index([name])\n}}\n\n"
        for i in range(1000)
    )
    started = time.perf_counter()
    _, diagnostics = parse_schema([("schema.prisma", models)])
    assert not diagnostics.errors
    assert time.perf_counter() - started < 2.0  # ~0.1 s here; generous for slow CI machines


def test_block_comments_whole_line_or_trailing_only():
    # Prisma 7.10.1: `/* */` may stand on its own lines or end a line; inside a line it is an error.
    source = 'model A {\n  /* own\n     lines */\n  id Int @id /* trailing */\n  b Int /* x */ @unique\n}\n'
    ast, diagnostics = parse_schema([("schema.prisma", source)])
    [error] = diagnostics.errors
    assert error.message == "Error validating: This line is not a valid field or attribute definition."
    assert _text(source, error.span) == "b Int /* x */ @unique\n"
    assert [f.trailing_comment for f in ast.blocks[0].fields] == ["/* trailing */"]
    assert isinstance(ast.blocks[0].items[0], CommentLine)


def test_missing_type_message_names_the_container():
    source = "view V {\n  name\n}\ntype T {\n  street\n}\n"
    _, diagnostics = parse_schema([("schema.prisma", source)])
    assert [d.message.split(":")[0] for d in diagnostics.errors] == ['Error validating view "V"', 'Error validating type "T"']


def test_trailing_doc_comment_joins_the_documentation():
    source = "model A {\n  /// above\n  id Int @id /// beside\n  b Int // plain\n}\n"
    ast, _ = parse_schema([("schema.prisma", source)])
    id_, b = ast.blocks[0].fields
    assert id_.documentation == "above\nbeside" and id_.trailing_comment == "/ beside"
    assert b.documentation is None and b.trailing_comment == " plain"


def test_unclosed_blocks_each_get_their_error_and_recovery_is_linear():
    """`model A {` on every line and no `}`: one error per line, and the closing line is looked up
    once per file (a table), not once per block (that was quadratic: 10,000 lines took over 5 s)."""
    from lamina.psl.parser import parse_schema

    n = 2000
    text = "model A {\n" * n
    _, diagnostics = parse_schema([("schema.prisma", text)])
    assert len(diagnostics.errors) == n
    assert [e.span.start for e in diagnostics.errors] == [i * len("model A {\n") for i in range(n)]
    # with a `}` further down, the first block reaches it (Prisma's reading): the inner line is the error
    _, diagnostics = parse_schema([("schema.prisma", "model A {\nmodel B {\n  id Int @id\n}\n")])
    assert [e.message for e in diagnostics.errors] == [
        "Error validating: This line is not a valid field or attribute definition."]


def test_packed_spans_are_the_spans_of_the_text():
    """Nodes keep their span packed in one int (`at`); `span` unpacks it, assigning packs it."""
    from lamina.psl.ast import Span

    text = 'model A {\n  id Int @id @default(autoincrement())\n}\n'
    sources = [("a.prisma", "// first file\n"), ("b.prisma", text)]
    ast, diagnostics = parse_schema(sources)
    assert not diagnostics.errors
    field = ast.files[1].blocks[0].fields[0]
    default = field.attributes[1]
    call = default.arguments.arguments[0].value
    assert field.name.span == Span(12, 14, 1)
    assert (text[default.span.start : default.span.end], default.span.file) == ("@default(autoincrement())", 1)
    assert text[default.name_span.start : default.name_span.end] == "default"
    assert text[call.name_span.start : call.name_span.end] == "autoincrement"
    assert (field.start, field.end) == (field.span.start, field.span.end) == (12, text.index("}"))
    field.span = Span(3, 1_000_000, 7)
    assert field.span == Span(3, 1_000_000, 7)


def test_a_file_beyond_the_packed_offsets_is_refused(monkeypatch):
    from lamina.psl import parser

    monkeypatch.setattr(parser, "MAX_FILE_CHARS", 20)
    ast, diagnostics = parse_schema([("schema.prisma", "model A {\n  id Int @id\n}\n")])
    assert [d.message for d in diagnostics.errors] == [parser.MSG_TOO_LARGE]
    assert ast.files[0].items == []


def test_repeated_attribute_texts_build_the_same_nodes_as_the_general_path():
    """From the third occurrence, a field line's or an attribute text's nodes come from a
    template made of the second (parser_fast); they must be what reading the text gives, at
    every offset and file, with either newline."""
    from lamina.psl import parser

    line = '  {name} {pad}Int @id @default(autoincrement()) @map("x\\"y") @db.Decimal(10, 2)\n'
    models = "".join(
        f"model M{i} {{\n" + line.format(name=f"f{i}", pad=" " * i) + f"  @@index([f{i}], map: \"m{i}\")\n"
        "  @@index([a(sort: Desc)])\n}\n"
        for i in range(4)
    )
    models = models.replace("  @@index([a", "  createdAt DateTime? @default(now()) @db.Timestamptz(3)\n  @@index([a")
    sources = [("a.prisma", "// nothing\n"), ("b.prisma", models), ("c.prisma", models),
               ("d.prisma", models.replace("\n", "\r\n"))]
    fast = parse_schema(sources)
    parser._USE_FAST_PATH = False
    try:
        assert parse_schema(sources) == fast
    finally:
        parser._USE_FAST_PATH = True
    last = fast[0].files[2].blocks[3]
    default = last.fields[0].attributes[1]
    assert default.span.file == 2
    assert models[default.span.start : default.span.end] == "@default(autoincrement())"
    created = last.fields[1]
    assert models[created.span.start : created.span.end] == "createdAt DateTime? @default(now()) @db.Timestamptz(3)\n"


def test_validation_leaves_repeated_attribute_texts_unbuilt_on_the_tree():
    """A field whose attribute text has a template keeps the template instead of the nodes
    (ast.Field): validation builds those nodes for itself without storing them on the tree, and
    asking the field for its attributes builds the same nodes as reading the text."""
    from lamina.psl import parser
    from lamina.psl.validate import validate

    text = 'datasource db {\n  provider = "postgresql"\n}\n' + "".join(
        f"model M{i} {{\n  id Int @id @default(autoincrement()) @map(\"deferred_id\")\n  n{i} String @map(\"n{i}\")\n}}\n"
        for i in range(5)
    )
    ast, diagnostics = parse_schema([("schema.prisma", text)])
    assert validate(ast, diagnostics) is not None
    fields = [f for block in ast.blocks for f in block.fields]
    # A text seen twice has a template (parser_fast), used from its second occurrence on.
    assert [callable(f.stored_attributes) for f in fields[::2]] == [False, True, True, True, True]
    assert fields[2].stored_attributes is fields[8].stored_attributes  # one template for the text
    assert not any(callable(f.stored_attributes) for f in fields[1::2])  # each text once
    last = fields[-2]
    built = last.attributes
    assert last.stored_attributes is built  # kept once asked for (the formatter edits the list)
    assert text[built[1].span.start : built[1].span.end] == "@default(autoincrement())"
    parser._USE_FAST_PATH = False
    try:
        assert parse_schema([("schema.prisma", text)])[0].blocks[-1].fields[0].attributes == built
    finally:
        parser._USE_FAST_PATH = True
