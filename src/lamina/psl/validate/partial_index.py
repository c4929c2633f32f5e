"""The `where:` argument of `@@index`, `@@unique` and `@unique` (preview feature `partialIndexes`).

Two spellings, as in Prisma 7.10.1:
- `where: raw("status = 'active'")`: SQL kept verbatim;
- `where: { published: true, deletedAt: null, score: { not: 5 } }`: conditions on scalar fields
  of the model, joined with AND; a value is true, false, null, a string or a number, or
  `{ not: <value> }`.

Both become the predicate's SQL without outer parentheses (`"published" = true AND "deletedAt"
IS NULL`); each dialect's renderer decides how to wrap it (PostgreSQL in parentheses, SQLite bare).

Checked in two steps, as Prisma reports them: the argument's shape while the attribute is read
(`read_where`), the fields and their types once every attribute of the schema has been read
(`check_fields`). Messages and spans are Prisma's.
"""

from __future__ import annotations

from dataclasses import dataclass

from lamina.psl import ast
from lamina.psl.validate.context import Context, IndexInfo, ModelInfo

FEATURE = "partialIndexes"
# Providers whose databases have partial indexes (Prisma: PostgreSQL, SQLite, SQL Server, CockroachDB).
PROVIDERS = {"postgresql", "postgres", "sqlite", "sqlserver", "cockroachdb"}

_VALUES = "Expected true, false, null, a string, a number, or an object like { not: null }."
_EITHER = (
    "The `where` argument must be either a raw() function call or an object literal, e.g. "
    "`where: raw(\"status = 'active'\")` or `where: { active: true }`."
)
_RAW_STRING = "The `where` argument must be a raw() function with a string argument, e.g. `where: raw(\"status = 'active'\")`."
_NESTED_ONE = "Nested object in where clause must have exactly one key. Use `{ not: null }` or `{ not: \"value\" }`."

# Scalar types a value of each kind may be compared with.
_ACCEPTS = {
    "string": {"String", "DateTime"},
    "number": {"Int", "BigInt", "Float", "Decimal"},
    "bool": {"Boolean"},
}
_KIND_TEXT = {"string": "a String", "number": "a Number", "bool": "Boolean"}


@dataclass
class _Condition:
    field: str
    negated: bool
    kind: str  # "null" | "bool" | "string" | "number"
    sql: str  # the value as SQL ("true", "'it''s'", "1.5"); "" for null


@dataclass
class PendingWhere:
    """An object-form `where:` read from an attribute, its fields checked later."""

    model: ModelInfo
    attr: ast.Attribute
    conditions: list[_Condition]
    target: IndexInfo  # its `where` is set once the fields check out


def _value_error(ctx: Context, attr: ast.Attribute, message: str) -> None:
    # Prisma names the attribute with one `@` here, also for `@@index`/`@@unique`.
    ctx.error(f'Error parsing attribute "@{attr.name}": {message}', ctx.aspan(attr))


def _literal(ctx: Context, attr: ast.Attribute, expr: ast.Expression) -> tuple[str, str] | None:
    """(kind, sql) of a plain value; None after reporting an invalid one."""
    if isinstance(expr, ast.ConstantValue):
        if expr.value in ("true", "false"):
            return "bool", expr.value
        if expr.value == "null":
            return "null", ""
        _value_error(ctx, attr, f"Invalid value '{expr.value}' in where clause. {_VALUES}")
        return None
    if isinstance(expr, ast.StringValue):
        return "string", "'" + expr.value.replace("'", "''") + "'"
    if isinstance(expr, ast.NumericValue):
        return "number", expr.raw
    _value_error(ctx, attr, f"Invalid value in where clause. {_VALUES}")
    return None


def _conditions(ctx: Context, attr: ast.Attribute, obj: ast.ObjectValue) -> list[_Condition] | None:
    out: list[_Condition] = []
    for entry in obj.entries:
        value = entry.value
        negated = False
        if isinstance(value, ast.ObjectValue):
            if len(value.entries) != 1:
                _value_error(ctx, attr, _NESTED_ONE)
                return None
            inner = value.entries[0]
            if inner.key.name != "not":
                _value_error(ctx, attr, f"Unknown key '{inner.key.name}' in nested where clause object. Only 'not' is supported.")
                return None
            negated, value = True, inner.value
        literal = _literal(ctx, attr, value)
        if literal is None:
            return None
        out.append(_Condition(entry.key.name, negated, literal[0], literal[1]))
    return out


def read_where(
    ctx: Context, model: ModelInfo, attr: ast.Attribute, arg_span: ast.Span, value: ast.Expression, target: IndexInfo
) -> None:
    """Reads `where:` of one attribute into `target.where` (raw form) or a pending check (object
    form). `arg_span` is the whole `where: ...` argument, where Prisma reports the feature errors."""
    if FEATURE not in ctx.preview_features:
        ctx.attribute_error(
            attr, 'Partial indexes are a preview feature. Add "partialIndexes" to previewFeatures in your generator block.', arg_span
        )
        return
    if ctx.provider is not None and ctx.provider not in PROVIDERS:
        ctx.attribute_error(attr, "Partial indexes (with a `where` clause) are not supported by the current connector.", arg_span)
        return
    if isinstance(value, ast.FunctionCall) and value.name == "raw":
        args = value.arguments.arguments
        first = args[0].value if args else None
        if not isinstance(first, ast.StringValue):
            if isinstance(first, ast.NumericValue):
                ctx.error(f"Expected a string value, but received numeric value `{first.raw}`.", first.span)
            _value_error(ctx, attr, _RAW_STRING)
            return
        if first.value == "":
            _value_error(ctx, attr, "The `where` argument cannot contain an empty string.")
            return
        target.where = first.value
        return
    if isinstance(value, ast.ObjectValue):
        if not value.entries:
            _value_error(ctx, attr, "The `where` argument cannot be an empty object.")
            return
        conditions = _conditions(ctx, attr, value)
        if conditions is not None:
            ctx.pending_wheres.append(PendingWhere(model, attr, conditions, target))
        return
    if isinstance(value, ast.StringValue):
        ctx.error(f"Expected a function value, but received string value `{value.raw}`.", value.span)
    elif isinstance(value, ast.NumericValue):
        ctx.error(f"Expected a function value, but received numeric value `{value.raw}`.", value.span)
    _value_error(ctx, attr, _EITHER)


def check_fields(ctx: Context) -> None:
    """The fields named by object-form `where:`s exist, are scalar and take the values given."""
    for pending in ctx.pending_wheres:
        parts: list[str] = []
        ok = True
        for cond in pending.conditions:
            info = pending.model.fields.get(cond.field)
            if info is None:
                _value_error(ctx, pending.attr, f"Field '{cond.field}' does not exist in model '{pending.model.name}'.")
                ok = False
                break
            if info.is_relation:
                _value_error(
                    ctx, pending.attr, f"Field '{cond.field}' is a relation field. Only scalar fields can be used in the where clause."
                )
                ok = False
                break
            if cond.kind != "null":
                if info.kind == "enum":
                    if cond.kind != "string":
                        _value_error(
                            ctx,
                            pending.attr,
                            f"Type mismatch: field '{cond.field}' is an Enum and only accepts String values in the where clause.",
                        )
                        ok = False
                        break
                elif info.scalar is not None and info.scalar.value not in _ACCEPTS[cond.kind]:
                    _value_error(
                        ctx,
                        pending.attr,
                        f"Type mismatch: field '{cond.field}' is of type {info.scalar.value}, but the value is {_KIND_TEXT[cond.kind]}.",
                    )
                    ok = False
                    break
            column = '"' + (info.db_name or info.name).replace('"', '""') + '"'
            if cond.kind == "null":
                parts.append(f"{column} IS NOT NULL" if cond.negated else f"{column} IS NULL")
            else:
                parts.append(f"{column} {'!=' if cond.negated else '='} {cond.sql}")
        if ok:
            pending.target.where = " AND ".join(parts)
    ctx.pending_wheres.clear()

