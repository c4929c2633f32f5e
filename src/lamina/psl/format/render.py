"""Text of single AST nodes in Prisma's canonical spelling (used by the formatter).

Expressions are re-spelled canonically (`@unique( map:"u" ,sort:Desc)` becomes
`@unique(map: "u", sort: Desc)`); string and number literals keep their source spelling.
"""

from __future__ import annotations

from lamina.psl.ast import (
    SPAN_BITS,
    SPAN_MASK,
    Argument,
    ArgumentList,
    ArrayValue,
    Arity,
    Attribute,
    ConstantValue,
    Expression,
    Field,
    FunctionCall,
    NumericValue,
    ObjectValue,
    StringValue,
)

# Prisma's canonical order of field attributes; all others, native types (`@db.VarChar(10)`)
# and unknown attributes alike, keep their written order after these (Prisma 7.10.1, seen).
_FIELD_ATTRIBUTE_ORDER = {
    name: i for i, name in enumerate(["id", "unique", "default", "updatedAt", "index", "fulltext", "map", "relation", "ignore"])
}
_BLOCK_ATTRIBUTE_ORDER = {name: i for i, name in enumerate(["id", "unique", "index", "fulltext", "map"])}


def field_attribute_rank(attribute: Attribute) -> int:
    return _FIELD_ATTRIBUTE_ORDER.get(attribute.name, len(_FIELD_ATTRIBUTE_ORDER))


def block_attribute_rank(attribute: Attribute) -> int:
    return _BLOCK_ATTRIBUTE_ORDER.get(attribute.name, len(_BLOCK_ATTRIBUTE_ORDER))


def expression(expr: Expression | None) -> str:
    # the most frequent kinds first: field names in lists, `true`, `now()`, `[a, b]`
    if isinstance(expr, ConstantValue):
        return expr.value
    if isinstance(expr, FunctionCall):
        return expr.name + arguments(expr.arguments)
    if isinstance(expr, ArrayValue):
        return "[" + ", ".join([expression(item) for item in expr.items]) + "]"
    if isinstance(expr, StringValue):
        return expr.raw
    if isinstance(expr, NumericValue):
        return expr.raw
    if isinstance(expr, ObjectValue):
        return "{ " + ", ".join([f"{e.key.name}: {expression(e.value)}" for e in expr.entries]) + " }" if expr.entries else "{}"
    return ""


def argument(arg: Argument) -> str:
    if arg.name is None:
        return expression(arg.value)
    if arg.value is None:
        return f"{arg.name.name}: "
    return f"{arg.name.name}: {expression(arg.value)}"


def arguments(args: ArgumentList) -> str:
    return "(" + ", ".join([argument(a) for a in args.arguments]) + ")" if args.arguments else "()"


def attribute(attr: Attribute) -> str:
    prefix = "@@" if attr.is_block else "@"
    return prefix + attr.name if attr.arguments is None else prefix + attr.name + arguments(attr.arguments)


def attributes(attrs: list[Attribute]) -> str:
    return " ".join([attribute(a) for a in attrs])


def field_attributes(field: Field) -> str:
    attrs = field.attributes
    return attributes(sorted(attrs, key=field_attribute_rank) if len(attrs) > 1 else attrs)


def field_type(field: Field, text: str) -> str:
    ftype = field.type
    if ftype is None:
        return ""
    at = ftype.at  # unpacked here: a call per field to `.start` and `.end` showed in the profile
    start, end = at & SPAN_MASK, at >> SPAN_BITS & SPAN_MASK
    if end > start:  # as written (keeps `String[]?`, which Prisma reports but keeps)
        raw = text[start:end]
        return raw if ftype.unsupported is not None else "".join(raw.split())
    suffix = {Arity.REQUIRED: "", Arity.OPTIONAL: "?", Arity.LIST: "[]"}[ftype.arity]
    return ftype.name + suffix


def trailing_comment(comment: str | None) -> str:
    """The stored trailing comment as written: text after `//`, or a whole `/* */` comment."""
    if comment is None:
        return ""
    if comment.startswith("/*") and comment.endswith("*/"):
        return comment
    return ("//" + comment).rstrip("\r\n")  # trailing spaces kept, as Prisma


def block_comment_lines(raw: str) -> list[str]:
    """A `/* ... */` comment on its own lines, re-spelled as Prisma does: `/**`, ` * line`, ` */`."""
    inner = raw[2:-2]
    if inner.startswith("*"):
        inner = inner[1:]
    lines = []
    for line in inner.split("\n"):
        line = line.strip()
        if line.startswith("*"):
            line = line[1:].strip()
        lines.append(line)
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return ["/**", *(f" * {line}" if line else " *" for line in lines), " */"]
