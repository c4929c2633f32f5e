"""The parser's fast path: common model lines built from one regex match, without tokens.

Names (field, type, attribute, argument and constant names) are interned: a schema repeats
the same few (`id`, `String`, `default`, `fields`...) on every line, and one string object each
saves about a tenth of the tree's memory at 10,000 models.

Most lines of a real schema are `name Type[?|[]] @attr @attr(args)...` or `@@attr(args)`, with
arguments that are strings, numbers, constants, `call()`s or arrays of constants, positional or
named. Such a line is matched whole by a regex and its nodes are built from the match. The
result must be exactly what the general path (parser.py) builds: tests parse every conformance
schema, mutations and truncations of them both ways and compare. Any other line (comments,
nested calls like `sort(Desc)`, dotted constants, trailing commas, odd spacing, errors) returns
None and takes the general path.

Spans are packed here inline (`start | end << _B | fs`, with `fs` the file index already
shifted: see `ast.at`) rather than through `ast.at`: a call per span was a tenth of this path.
"""

from __future__ import annotations

import re
from dataclasses import fields
from sys import intern
from typing import Any, Callable

from lamina.psl.ast import (
    Argument,
    ArgumentList,
    AttributeTemplate,
    ArrayValue,
    Arity,
    Attribute,
    BlockAttributeItem,
    ConstantValue,
    Expression,
    Field,
    FieldType,
    FunctionCall,
    Identifier,
    NumericValue,
    StringValue,
    SPAN_BITS as _B,
    SPAN_MASK as _MASK,
)
from lamina.psl.lexer import Line, unescape_string

_N = r"[^\W_][\w-]*"  # a name (the lexer's WORD; digits-only names included)
_WS = r"[^\S\r\n]"
_STR = r'"(?:[^"\\\r\n]|\\[^\r\n])*"'  # the lexer's STRING
_NUM = r"-?\d+(?:\.\d+)?(?![\w.-])"  # the lexer's NUMBER
_CONST = r"[^\W\d_][\w-]*"  # a constant value: a name not starting with a digit
_PATH = rf"{_N}(?:\.{_N})?"
# Regexes without groups, to validate a whole line.
_VALUE = rf"(?:{_STR}|{_NUM}|{_CONST}(?:{_WS}*\({_WS}*\))?|\[{_WS}*(?:{_CONST}(?:{_WS}*,{_WS}*{_CONST})*)?{_WS}*\])"
_ARG = rf"(?:{_N}{_WS}*:{_WS}*)?{_VALUE}"
_ARGS = rf"\({_WS}*(?:{_ARG}(?:{_WS}*,{_WS}*{_ARG})*)?{_WS}*\)"
_ATTRIBUTE = rf"{_WS}*@{_PATH}(?:{_WS}*{_ARGS})?"

FIELD_RE = re.compile(rf"{_WS}*({_N}){_WS}+({_N})(\?|\[\])?((?:{_ATTRIBUTE})*){_WS}*")
BLOCK_ATTRIBUTE_RE = re.compile(rf"{_WS}*(@@({_PATH})(?:{_WS}*({_ARGS}))?){_WS}*")
# Regexes with groups, to walk the parts of a validated line.
_ATTRIBUTE_RE = re.compile(rf"{_WS}*@({_PATH})(?:{_WS}*({_ARGS}))?")
_ARG_RE = re.compile(
    rf"{_WS}*,?{_WS}*(?:({_N}){_WS}*:{_WS}*)?"
    rf"(?:({_STR})|({_NUM})|({_CONST})(?:{_WS}*(\({_WS}*\)))?|(\[[^\]]*\]))"
)
_CONST_RE = re.compile(_CONST)
_ARITY = {"": Arity.REQUIRED, "?": Arity.OPTIONAL, "[]": Arity.LIST}


def simple_field(text: str, line: Line, fs: int) -> Field | None:
    start = line.start
    key = text[start : line.end_nl]
    make = _LINE_TEMPLATES.get(key)
    if make is not None:
        return make(start, fs)
    m = FIELD_RE.fullmatch(text, start, line.end)
    if m is None:
        return None
    name_start, name_end = m.span(1)
    type_start, type_end = m.span(2)
    modifier = m.group(3) or ""
    ftype = FieldType(intern(m.group(2)), type_start | (type_end + len(modifier)) << _B | fs, _ARITY[modifier])
    a_start, a_end = m.span(4)
    attrs = _field_attributes(text, text.find("@", a_start, a_end), a_end, fs, name_start) if a_start != a_end else []
    name = Identifier(intern(m.group(1)), name_start | name_end << _B | fs)
    field = Field(name, ftype, attrs, name_start | line.end_nl << _B | fs)
    _remember(_LINE_TEMPLATES, key, field, start)
    return field


def simple_block_attribute(text: str, line: Line, fs: int) -> BlockAttributeItem | None:
    m = BLOCK_ATTRIBUTE_RE.fullmatch(text, line.start, line.end)
    if m is None:
        return None
    start, end = m.span(1)
    key = text[start:end]
    make = _ATTRIBUTE_TEMPLATES.get(key)
    if make is not None:
        attribute = make(start, fs)
    else:
        path_start, path_end = m.span(2)
        args = _arguments(text, m.start(3), m.end(3), fs) if m.group(3) is not None else None
        attribute = Attribute(m.group(2), path_start | path_end << _B | fs, args, start | end << _B | fs, True)
        _remember(_ATTRIBUTE_TEMPLATES, key, attribute, start)
    return BlockAttributeItem(attribute, attribute.at)


def _field_attributes(text: str, start: int, end: int, fs: int, field_start: int) -> list[Attribute] | AttributeTemplate:
    """The attributes text[start:end] of a field line (from its first `@`), or, once the text
    has a template, the template for them that the field keeps (see ast.Field)."""
    key = text[start:end]
    make = _ATTRIBUTE_TEMPLATES.get(key)
    if make is not None:
        return _anchored(key, make, start, field_start, fs) or make(start, fs)
    attrs = []
    for a in _ATTRIBUTE_RE.finditer(text, start, end):
        path_start, path_end = a.span(1)
        args = _arguments(text, a.start(2), a.end(2), fs) if a.group(2) is not None else None
        attrs.append(Attribute(intern(a.group(1)), path_start | path_end << _B | fs, args, path_start - 1 | a.end() << _B | fs, False))
    make = _remember(_ATTRIBUTE_TEMPLATES, key, attrs, start)
    return (make and _anchored(key, make, start, field_start, fs)) or attrs


def _anchored(key: str, make: Template, start: int, field_start: int, fs: int) -> AttributeTemplate | None:
    """The template of attribute text `key` (at `start`) for a field that starts at
    `field_start`: its offsets relative to the field's start, so one per text and distance from
    the field's start, shared by all such fields; None once the table is full."""
    anchored = _ANCHORED.get((key, start - field_start))
    if anchored is None and len(_ANCHORED) < _MAX_TEMPLATES:
        anchored = _ANCHORED[(key, start - field_start)] = _template(make(start, fs), field_start)
    return anchored


def _arguments(text: str, start: int, end: int, fs: int) -> ArgumentList:
    """The argument list text[start:end], `(` to `)`, already validated by the line regex."""
    arguments = []
    for a in _ARG_RE.finditer(text, start + 1, end - 1):
        value = _value(a, text, fs)
        if a.group(1) is not None:
            n_start, n_end = a.span(1)
            arguments.append(Argument(Identifier(intern(a.group(1)), n_start | n_end << _B | fs), value, n_start | a.end() << _B | fs))
        else:
            arguments.append(Argument(None, value, value.at))
    return ArgumentList(arguments, start | end << _B | fs, False)


def _value(a: re.Match, text: str, fs: int) -> Expression:
    if a.group(2) is not None:
        raw = a.group(2)
        return StringValue(unescape_string(raw), raw, a.start(2) | a.end(2) << _B | fs)
    if a.group(3) is not None:
        return NumericValue(a.group(3), a.start(3) | a.end(3) << _B | fs)
    if a.group(4) is not None:
        w_start, w_end = a.span(4)
        if a.group(5) is not None:
            p_start, p_end = a.span(5)
            call_args = ArgumentList([], p_start | p_end << _B | fs, False)
            return FunctionCall(intern(a.group(4)), w_start | w_end << _B | fs, call_args, w_start | p_end << _B | fs)
        return ConstantValue(intern(a.group(4)), w_start | w_end << _B | fs)
    o_start, o_end = a.span(6)
    items: list[Expression] = [
        ConstantValue(intern(c.group()), c.start() | c.end() << _B | fs) for c in _CONST_RE.finditer(text, o_start + 1, o_end - 1)
    ]
    return ArrayValue(items, o_start | o_end << _B | fs)


# ---------------------------------------------------------------- templates
#
# A schema repeats the same lines (`  createdAt DateTime @default(now())`) and, more often, the
# same attribute texts (`@id @default(autoincrement())`, `@relation(fields: [authorId],
# references: [id])`, `@@index([name])`). The nodes of such a text depend only on the text and
# where it starts, so the second time a whole field line or an attribute text is seen, its
# nodes are turned into a function that builds them again at any offset, without regexes:
# the third and later occurrences use it (a line about 4x cheaper). Bounded, so that a schema
# of distinct texts pays only for counting them.

Template = Callable[[int, int], Any]  # (where the text starts, the file index shifted) -> nodes
_LINE_TEMPLATES: dict[str, Template] = {}  # a field line, its newline included
_ATTRIBUTE_TEMPLATES: dict[str, Template] = {}  # from a line's first `@` to its end
_ANCHORED: dict[tuple[str, int], AttributeTemplate] = {}  # (attribute text, its offset in the field)
_SIGHTINGS: dict[str, int] = {}
_MAX_TEMPLATES = 2048  # per table
_MAX_SIGHTINGS = 50_000
_NAMESPACE = {cls.__name__: cls for cls in (
    Argument, ArgumentList, ArrayValue, Arity, Attribute, ConstantValue, Field, FieldType, FunctionCall, Identifier,
    NumericValue, StringValue,
)}


def _remember(table: dict[str, Template], key: str, nodes: Any, start: int) -> Template | None:
    """Count a sighting of `key`; on the second, make its template (returned) from `nodes`."""
    if key not in _SIGHTINGS:
        if len(_SIGHTINGS) >= _MAX_SIGHTINGS:
            _SIGHTINGS.clear()
        _SIGHTINGS[key] = 1
        return None
    if len(table) >= _MAX_TEMPLATES:
        return None
    make = table[key] = _template(nodes, start)
    return make


def _template(nodes: Any, base: int) -> Template:
    """A function (b, fs) that builds `nodes` again with their offsets moved by `b - base`."""
    namespace: dict[str, Any] = dict(_NAMESPACE)
    return eval(f"lambda b, fs: {_source(nodes, base, namespace)}", namespace)  # noqa: S307 - our own node source


def _source(node: Any, base: int, namespace: dict[str, Any]) -> str:
    """Python source that builds `node` again, its offsets relative to `b` (its `base`). A
    field's attribute template stays one: it goes into `namespace`."""
    if isinstance(node, list):
        return "[" + ", ".join(_source(item, base, namespace) for item in node) + "]"
    if isinstance(node, Arity):
        return f"Arity.{node.name}"
    if callable(node):  # a field's attribute template (relative to the field: see ast.Field)
        namespace["attributes_template"] = node
        return "attributes_template"
    if type(node).__name__ not in _NAMESPACE:
        return repr(node)  # str, bool, None
    parts = []
    for f in fields(node):
        value = getattr(node, f.name)
        if f.name in ("at", "name_at"):
            start, end = value & _MASK, value >> _B & _MASK
            parts.append(f"b + {start - base} | b + {end - base} << {_B} | fs")
        else:
            parts.append(_source(value, base, namespace))
    return f"{type(node).__name__}({', '.join(parts)})"
