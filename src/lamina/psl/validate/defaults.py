"""`@default(...)`: which values and functions fit which field types, with Prisma's messages."""

from __future__ import annotations

import re

from lamina import datamodel as dm
from lamina.psl import ast
from lamina.psl.validate.args import Arguments, as_str
from lamina.psl.validate.context import Context, FieldInfo, ModelInfo

KNOWN_FUNCTIONS = {"now", "autoincrement", "sequence", "cuid", "uuid", "nanoid", "ulid", "dbgenerated", "auto"}
ST = dm.ScalarType
NUMERIC_LITERAL = {ST.INT: "Int", ST.BIGINT: "BigInt", ST.FLOAT: "Float", ST.DECIMAL: "Decimal"}


def visit_default(ctx: Context, model: ModelInfo, info: FieldInfo, attr: ast.Attribute) -> None:
    arglist = attr.arguments
    if arglist is not None and len(arglist.arguments) == 1 and info.arity is not dm.Arity.LIST:
        # `@default(x)`: what it gives depends only on the field's type and on `x`, and most
        # schemas repeat a few defaults (`now()`, `autoincrement()`, `0`...) on many fields.
        # Each distinct one is worked out once; the fields that repeat it share its
        # DefaultValue. Only an outcome without any diagnostic or side effect is remembered.
        arg = arglist.arguments[0]
        value = arg.value
        if arg.name is None and value is not None:
            key = _cache_key(info.node, value)
            if key is not None:
                cached = ctx.default_cache.get(key)
                if cached is not None:
                    info.default = cached
                    return
                diags = ctx.diags
                before = (len(diags.errors), len(diags.warnings), len(ctx._unknown_defaults))
                _visit(ctx, info, attr, value, None)
                after = (len(diags.errors), len(diags.warnings), len(ctx._unknown_defaults))
                if info.default is not None and after == before:
                    ctx.default_cache[key] = info.default
                return
    args = Arguments(ctx, attr)
    value = args.required("value")
    map_expr = args.take("map")
    args.finish()
    if value is None:
        return
    mapped: str | None = None
    if map_expr is not None:
        mapped = as_str(ctx, map_expr)
        if mapped == "":
            ctx.attribute_error(attr, "The `map` argument cannot be an empty string.")
            mapped = None
    _visit(ctx, info, attr, value, mapped)


def _cache_key(node: ast.Field, value: ast.Expression) -> tuple | None:
    """What decides the outcome of `@default(value)` on this field (not a list field, no
    `map:`): the value, and the field's type name (which gives its kind, scalar type or enum;
    a name, unlike an Enum member, hashes in C). None when it is not worth remembering."""
    if isinstance(value, ast.FunctionCall):
        if value.arguments.arguments:
            return None
        token = value.name
    elif isinstance(value, ast.ConstantValue):
        token = value.value
    elif isinstance(value, ast.StringValue):
        token = value.value
    elif isinstance(value, ast.NumericValue):
        token = value.raw
    else:
        return None
    assert node.type is not None
    return (node.type.name, type(value), token)


def _accept(info: FieldInfo, default: dm.DefaultValue, mapped: str | None) -> None:
    default.db_name = mapped
    info.default = default


def _visit(ctx: Context, info: FieldInfo, attr: ast.Attribute, value: ast.Expression, mapped: str | None) -> None:
    if isinstance(value, ast.FunctionCall) and value.name == "dbgenerated":
        fargs = value.arguments.arguments
        if len(fargs) > 1:
            ctx.attribute_error(attr, "`dbgenerated()` takes a single String argument")
        first = fargs[0].value if fargs else None
        if isinstance(first, ast.StringValue) and first.value == "":
            ctx.attribute_error(attr, "dbgenerated() takes either no argument, or a single nonempty string argument.")
        elif first is None or isinstance(first, ast.StringValue):
            _accept(info, dm.DefaultValue(dm.DefaultKind.DBGENERATED, args=(first.value,) if first else ()), mapped)
        else:
            ctx.attribute_error(attr, "`dbgenerated()` takes a single String argument")
        return

    kind = info.kind
    if kind == "enum":
        _enum_default(ctx, info, attr, value, mapped)
        return
    if kind == "unsupported":
        ctx.attribute_error(attr, 'Only @default(dbgenerated("...")) can be used for Unsupported types.')
        return
    if kind == "composite":
        return
    scalar = info.scalar
    assert scalar is not None
    if isinstance(value, ast.FunctionCall):
        _function_default(ctx, info, attr, scalar, value, mapped)
        return
    if info.arity is dm.Arity.LIST:
        items = value.items if isinstance(value, ast.ArrayValue) else None
        if items is None:
            ctx.attribute_error(attr, "The default value of a list field must be a list.")
            return
        out = []
        for item in items:
            literal = _literal(ctx, info, attr, scalar, item)
            if literal is _BAD:
                return
            out.append(literal)
        _accept(info, dm.DefaultValue(dm.DefaultKind.VALUE, out), mapped)
        return
    if isinstance(value, ast.ArrayValue):
        ctx.attribute_error(attr, "The default value of a non-list field cannot be a list.")
        return
    literal = _literal(ctx, info, attr, scalar, value)
    if literal is not _BAD:
        _accept(info, dm.DefaultValue(dm.DefaultKind.VALUE, literal), mapped)


_BAD = object()


def _parse_error(ctx: Context, info: FieldInfo, attr: ast.Attribute, value: ast.Expression, message: str) -> None:
    """A literal of the right kind that does not parse as the field's type: Prisma 7.10.1 reports
    it in its last pass only (so not beside an error of the earlier ones), with the field's
    other checks there, and points at the literal (all seen with its CLI)."""
    ctx.late_error(info, f'Error parsing attribute "@{attr.name}": {message}', value.span)


def _literal(ctx: Context, info: FieldInfo, attr: ast.Attribute, scalar: dm.ScalarType, value: ast.Expression) -> object:
    if scalar in (ST.STRING, ST.JSON, ST.BYTES, ST.DATETIME) and isinstance(value, ast.StringValue):
        if scalar is ST.JSON:
            problem = json_problem(value.value)
            if problem:
                _parse_error(ctx, info, attr, value, f'Parse error: "{value.value}" is not a valid JSON string. ({problem})')
                return _BAD
        if scalar is ST.BYTES and not _is_base64(value.value):
            _parse_error(
                ctx,
                info,
                attr,
                value,
                f'Parse error: "{value.value}" is not a valid base64 string. '
                "(Could not convert from `base64 encoded bytes` to `PrismaValue::Bytes`)",
            )
            return _BAD
        return value.value  # (Prisma does not parse date literals when validating)
    if scalar in NUMERIC_LITERAL and isinstance(value, ast.NumericValue):
        raw = value.raw
        if scalar in (ST.INT, ST.BIGINT):
            # Prisma parses the literal as a 64-bit integer, and says why it cannot.
            problem = None
            if not raw.lstrip("-").isdigit():
                problem = "invalid digit found in string"
            elif not -(2**63) <= int(raw) < 2**63:
                problem = "number too large to fit in target type" if int(raw) > 0 else "number too small to fit in target type"
            if problem is not None:
                _parse_error(ctx, info, attr, value, f'Parse error: "{raw}" is not a valid integer. ({problem})')
                return _BAD
            return int(raw)
        if scalar is ST.FLOAT:
            return float(raw)
        return raw  # Decimal keeps its text
    if scalar is ST.DECIMAL and isinstance(value, ast.StringValue):
        if value.value and _DECIMAL.fullmatch(value.value) is None:
            # (sic: Prisma 7.10.1 names the attribute without its `@` here)
            ctx.late_error(
                info,
                f'Error parsing attribute "default": Parse error: "{value.value}" is not a valid decimal. '
                "(invalid digit found in string)",
                value.span,
            )
            return _BAD
        return value.value
    if scalar is ST.BOOLEAN and isinstance(value, ast.ConstantValue):
        if value.value in ("true", "false"):
            return value.value == "true"
        ctx.error(
            'Error parsing attribute "@default": A boolean literal must be `true` or `false`.', value.span
        )
        return _BAD
    ctx.attribute_error(attr, f"Expected a {scalar.value} value, but found `{ctx.text(value.span)}`.")
    return _BAD


def _function_default(
    ctx: Context, info: FieldInfo, attr: ast.Attribute, scalar: dm.ScalarType, call: ast.FunctionCall, mapped: str | None
) -> None:
    name = call.name
    fargs = call.arguments.arguments
    if name == "autoincrement" and mapped is not None:
        ctx.attribute_error(attr, "Naming an autoincrement default value is not allowed.")
        return
    if name == "autoincrement" and scalar in (ST.INT, ST.BIGINT):
        if _no_args(ctx, attr, name, fargs):
            _accept(info, dm.DefaultValue(dm.DefaultKind.AUTOINCREMENT), mapped)
        return
    if name == "now" and scalar is ST.DATETIME:
        if _no_args(ctx, attr, name, fargs):
            _accept(info, dm.DefaultValue(dm.DefaultKind.NOW), mapped)
        return
    if scalar is ST.STRING and name in ("cuid", "uuid", "nanoid", "ulid"):
        _id_function(ctx, info, attr, name, fargs, mapped)
        return
    if name == "sequence" and scalar in (ST.INT, ST.BIGINT):
        _accept(info, dm.DefaultValue(dm.DefaultKind.SEQUENCE), mapped)
        return
    if name == "auto":
        if fargs:
            ctx.attribute_error(attr, "`auto()` takes no arguments")
        else:
            _accept(info, dm.DefaultValue(dm.DefaultKind.AUTO), mapped)
        return
    if name not in KNOWN_FUNCTIONS:
        ctx._unknown_defaults.append(call)  # reported in the validation pass, as Prisma does
        return
    ctx.attribute_error(attr, f"The function `{name}()` cannot be used on fields of type `{scalar.value}`.")


def _no_args(ctx: Context, attr: ast.Attribute, name: str, fargs: list[ast.Argument]) -> bool:
    if not fargs:
        return True
    ctx.attribute_error(attr, f"The `{name}` function does not take any argument. Consider changing this default to `{name}()`.")
    return False


_ID_FUNCTION_ARGS: dict[str, tuple[str, set[int]]] = {
    "cuid": ("either no argument, or a single integer argument which is either 1 or 2", {1, 2}),
    "uuid": ("either no argument, or a single integer argument which is either 4 or 7", {4, 7}),
    "nanoid": ("either no argument, or a single integer argument between 2 and 255", set(range(2, 256))),
}


def _id_function(
    ctx: Context, info: FieldInfo, attr: ast.Attribute, name: str, fargs: list[ast.Argument], mapped: str | None
) -> None:
    kind = dm.DefaultKind(name)
    if name == "ulid":
        if _no_args(ctx, attr, name, fargs):
            _accept(info, dm.DefaultValue(kind), mapped)
        return
    allowed = _ID_FUNCTION_ARGS[name]
    if len(fargs) > 1:
        ctx.attribute_error(attr, f"`{name}()` takes a single Int argument.")
        return
    if not fargs:
        _accept(info, dm.DefaultValue(kind), mapped)
        return
    value = fargs[0].value
    if not isinstance(value, ast.NumericValue):
        ctx.attribute_error(attr, f"`{name}()` takes a single Int argument.")
        return
    try:
        number = int(value.raw)
    except ValueError:
        number = -1
    if number not in allowed[1]:
        ctx.attribute_error(attr, f"`{name}()` takes {allowed[0]}.")
        return
    _accept(info, dm.DefaultValue(kind, args=(number,)), mapped)


def _enum_default(ctx: Context, info: FieldInfo, attr: ast.Attribute, value: ast.Expression, mapped: str | None) -> None:
    enum = ctx.enums[info.enum]  # type: ignore[index]
    names = enum.value_names
    if names is None:  # (once per enum, not per field)
        names = enum.value_names = {v.name for v in enum.values}
    if info.arity is dm.Arity.LIST and not isinstance(value, ast.ArrayValue):
        # Prisma reads a list field's default as a list, whatever the single value is.
        ctx.attribute_error(attr, f"Expected an enum value, but found `{ctx.text(value.span)}`.")
        return
    items = value.items if isinstance(value, ast.ArrayValue) and info.arity is dm.Arity.LIST else [value]
    out = []
    for item in items:
        if isinstance(item, ast.ConstantValue):
            if item.value not in names:
                ctx.attribute_error(attr, f"The defined default value `{item.value}` is not a valid value of the enum specified for the field.")
                return
            out.append(item.value)
        elif isinstance(item, ast.FunctionCall) and item.name not in KNOWN_FUNCTIONS:
            ctx._unknown_defaults.append(item)
            return
        else:
            ctx.attribute_error(attr, f"Expected an enum value, but found `{ctx.text(item.span)}`.")
            return
    _accept(info, dm.DefaultValue(dm.DefaultKind.VALUE, out if info.arity is dm.Arity.LIST else out[0]), mapped)


def report_unknown_functions(ctx: Context) -> None:
    for call in ctx._unknown_defaults:
        ctx.error(
            f"Unknown function in @default(): `{call.name}` is not known. You can read about the available functions here: https://pris.ly/d/attribute-functions",
            call.span,
        )


_DECIMAL = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def _is_base64(text: str) -> bool:
    import base64
    import binascii

    try:
        base64.b64decode(text, validate=True)
        return True
    except (binascii.Error, ValueError):
        return False


def json_problem(text: str) -> str | None:
    """None for valid JSON, else a description in the words of serde_json (Prisma's parser)."""
    import json

    try:
        json.loads(text)
        return None
    except ValueError as exc:
        pos = getattr(exc, "pos", 0) or 0
        message = getattr(exc, "msg", "")
    if message.startswith("Unterminated string"):
        return f"EOF while parsing a string at {_line_col(text, max(len(text) - 1, 0))}"
    if message.startswith("Extra data"):
        return f"trailing characters at {_line_col(text, pos)}"
    if text[pos:].strip() == "":
        what = _open_container(text)
        return f"EOF while parsing {what} at {_line_col(text, max(len(text.rstrip()) - 1, 0))}"
    if message.startswith("Expecting property name"):
        return f"key must be a string at {_line_col(text, pos)}"
    if message.startswith("Expecting ':'"):
        return f"expected `:` at {_line_col(text, pos)}"
    if message.startswith("Expecting ','"):
        closer = "}" if _open_container(text[:pos]) == "an object" else "]"
        return f"expected `,` or `{closer}` at {_line_col(text, pos)}"
    return f"expected value at {_line_col(text, pos)}"


def _open_container(text: str) -> str:
    stack: list[str] = []
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            stack.append(ch)
        elif ch in "]}" and stack:
            stack.pop()
    if in_string:
        return "a string"
    if not stack:
        return "a value"
    return "an object" if stack[-1] == "{" else "a list"


def _line_col(text: str, index: int) -> str:
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return f"line {line} column {column}"
