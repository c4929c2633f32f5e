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
"""

from __future__ import annotations

import re
from sys import intern

from lamina.psl.ast import (
    Argument,
    ArgumentList,
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
    at,
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


def simple_field(text: str, line: Line, file: int) -> Field | None:
    m = FIELD_RE.fullmatch(text, line.start, line.end)
    if m is None:
        return None
    name_start, name_end = m.span(1)
    type_start, type_end = m.span(2)
    modifier = m.group(3) or ""
    ftype = FieldType(intern(m.group(2)), at(type_start, type_end + len(modifier), file), _ARITY[modifier])
    attrs = []
    a_start, a_end = m.span(4)
    if a_start != a_end:
        for a in _ATTRIBUTE_RE.finditer(text, a_start, a_end):
            path_start, path_end = a.span(1)
            args = _arguments(text, a.start(2), a.end(2), file) if a.group(2) is not None else None
            attrs.append(
                Attribute(intern(a.group(1)), at(path_start, path_end, file), args, at(path_start - 1, a.end(), file), False)
            )
    name = Identifier(intern(m.group(1)), at(name_start, name_end, file))
    return Field(name, ftype, attrs, at(name_start, line.end_nl, file))


def simple_block_attribute(text: str, line: Line, file: int) -> BlockAttributeItem | None:
    m = BLOCK_ATTRIBUTE_RE.fullmatch(text, line.start, line.end)
    if m is None:
        return None
    path_start, path_end = m.span(2)
    args = _arguments(text, m.start(3), m.end(3), file) if m.group(3) is not None else None
    packed = at(m.start(1), m.end(1), file)
    return BlockAttributeItem(Attribute(m.group(2), at(path_start, path_end, file), args, packed, True), packed)


def _arguments(text: str, start: int, end: int, file: int) -> ArgumentList:
    """The argument list text[start:end], `(` to `)`, already validated by the line regex."""
    arguments = []
    for a in _ARG_RE.finditer(text, start + 1, end - 1):
        value = _value(a, text, file)
        if a.group(1) is not None:
            n_start, n_end = a.span(1)
            arguments.append(Argument(Identifier(intern(a.group(1)), at(n_start, n_end, file)), value, at(n_start, value.end, file)))
        else:
            arguments.append(Argument(None, value, value.at))
    return ArgumentList(arguments, at(start, end, file), False)


def _value(a: re.Match, text: str, file: int) -> Expression:
    if a.group(2) is not None:
        raw = a.group(2)
        return StringValue(unescape_string(raw), raw, at(a.start(2), a.end(2), file))
    if a.group(3) is not None:
        return NumericValue(a.group(3), at(a.start(3), a.end(3), file))
    if a.group(4) is not None:
        w_start, w_end = a.span(4)
        if a.group(5) is not None:
            p_start, p_end = a.span(5)
            call_args = ArgumentList([], at(p_start, p_end, file), False)
            return FunctionCall(intern(a.group(4)), at(w_start, w_end, file), call_args, at(w_start, p_end, file))
        return ConstantValue(intern(a.group(4)), at(w_start, w_end, file))
    o_start, o_end = a.span(6)
    items: list[Expression] = [
        ConstantValue(intern(c.group()), at(c.start(), c.end(), file)) for c in _CONST_RE.finditer(text, o_start + 1, o_end - 1)
    ]
    return ArrayValue(items, at(o_start, o_end, file))
