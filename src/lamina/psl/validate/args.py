"""Reading attribute arguments and coercing values, with Prisma's messages.

`Arguments(ctx, attr)` takes the arguments of one attribute. `take(name)` returns the named
argument, or (for the attribute's default argument) the first unnamed one; `finish()`
reports every argument nobody took ("No such argument."). Coercions report
"Expected a string value, but received numeric value `2`." and return None.
"""

from __future__ import annotations

from lamina.psl import ast
from lamina.psl.validate.context import Context


def describe(expr: ast.Expression) -> str:
    """Prisma's word for the kind of a value in type-mismatch messages."""
    if isinstance(expr, ast.StringValue):
        return "string"
    if isinstance(expr, ast.NumericValue):
        return "numeric"
    if isinstance(expr, ast.ConstantValue):
        return "literal"
    if isinstance(expr, ast.FunctionCall):
        return "functional"
    return "array"


def mismatch(ctx: Context, expected: str, expr: ast.Expression) -> None:
    ctx.error(
        f"Expected a {expected} value, but received {describe(expr)} value `{ctx.text(expr.span)}`.",
        expr.span,
    )


def as_str(ctx: Context, expr: ast.Expression) -> str | None:
    if isinstance(expr, ast.StringValue):
        return expr.value
    mismatch(ctx, "string", expr)
    return None


def as_bool(ctx: Context, expr: ast.Expression) -> bool | None:
    if isinstance(expr, ast.ConstantValue) and expr.value in ("true", "false"):
        return expr.value == "true"
    if isinstance(expr, ast.ConstantValue):
        ctx.error(f'"{expr.value}" is not a valid value for boolean.', expr.span)
        return None
    mismatch(ctx, "boolean", expr)
    return None


def as_int(ctx: Context, expr: ast.Expression) -> int | None:
    if isinstance(expr, ast.NumericValue):
        try:
            return int(expr.raw)
        except ValueError:
            ctx.error(f'"{expr.raw}" is not a valid value for integer.', expr.span)
            return None
    mismatch(ctx, "numeric", expr)
    return None


def as_constant(ctx: Context, expr: ast.Expression, expected: str = "constant") -> str | None:
    if isinstance(expr, ast.ConstantValue):
        return expr.value
    mismatch(ctx, expected, expr)
    return None


def as_array(expr: ast.Expression) -> list[ast.Expression]:
    """A single value counts as a one-element list, as in Prisma (`fields: id`)."""
    if isinstance(expr, ast.ArrayValue):
        return list(expr.items)
    return [expr]


def plain_names(expr: ast.Expression) -> list[str] | None:
    """`[a, b]` (or a single `a`) -> ["a", "b"]; None if an item is not a bare name."""
    if isinstance(expr, ast.ArrayValue):
        out: list[str] = []
        for item in expr.items:
            if not isinstance(item, ast.ConstantValue):
                return None
            out.append(item.value)
        return out
    if isinstance(expr, ast.ConstantValue):
        return [expr.value]
    return None


def single_string_argument(ctx: Context, attr: ast.Attribute, name: str) -> str | None:
    """The one string argument of `@map("x")`, `@@map("x")` or `@@schema("x")`: anything
    else given is reported, and None comes back after any error."""
    args = Arguments(ctx, attr)
    value = args.required(name)
    args.finish()
    return as_str(ctx, value) if value is not None else None


class Arguments:
    """The arguments of one attribute (or function call), consumed by name.

    One is made for every attribute of the schema (about 9 per model): slotted, and it reads
    the attribute's own list of arguments, which it never changes."""

    __slots__ = ("ctx", "attr", "args", "used", "ok")

    def __init__(self, ctx: Context, attr: ast.Attribute | None, arglist: ast.ArgumentList | None = None):
        self.ctx = ctx
        self.attr = attr
        arglist = arglist if arglist is not None else (attr.arguments if attr else None)
        self.args: list[ast.Argument] = arglist.arguments if arglist else []
        self.used: set[int] = set()
        self.ok = True
        if len(self.args) > 1:  # a duplicate needs two
            self._check_duplicates()
            if attr is not None:
                self._check_unnamed()

    def _check_duplicates(self) -> None:
        """A named argument given twice is reported at the later one, which is the one read
        (Prisma 7.10.1 goes on with the last value: `onDelete: NoAction, onDelete: Foo` is
        also an invalid referential action)."""
        seen: dict[str, int] = {}
        for i, arg in enumerate(self.args):
            if arg.name is None:
                continue
            earlier = seen.get(arg.name.name)
            if earlier is not None:
                self.ctx.error(f'Argument "{arg.name.name}" is already specified.', arg.span)
                self.used.add(earlier)
            seen[arg.name.name] = i

    def _check_unnamed(self) -> None:
        """An attribute has one unnamed argument: Prisma 7.10.1 keeps the last of several (the
        others are neither read nor reported as unknown) and says so, naming the attribute with
        a single `@` even for `@@index`."""
        unnamed = [i for i, arg in enumerate(self.args) if arg.name is None]
        if len(unnamed) < 2:
            return
        # (an unnamed argument always has a value: only `name: ` has none)
        values = ", ".join(self.ctx.text(value.span) for i in unnamed if (value := self.args[i].value) is not None)
        self.ctx.error(
            f'Error parsing attribute "@{self.attr.name}": You provided multiple unnamed arguments. This is not '  # type: ignore[union-attr]
            f"possible. Did you forget the brackets? Did you mean `[{values}]`?",
            self.ctx.aspan(self.attr),  # type: ignore[arg-type]
        )
        self.used.update(unnamed[:-1])

    def unnamed(self) -> list[ast.Argument]:
        return [a for a in self.args if a.name is None]

    def take(self, name: str, default_arg: bool = False) -> ast.Expression | None:
        """The value of `name:`; with `default_arg`, the first unnamed argument stands in for it."""
        used = self.used
        i = 0
        for arg in self.args:
            ident = arg.name
            if ident is not None and ident.name == name and i not in used:
                used.add(i)
                if default_arg:
                    j = 0
                    for other in self.args:
                        if other.name is None and j not in used:
                            self.ctx.error(f'Argument "{name}" is already specified as unnamed argument.', other.span)
                            used.add(j)
                            self.ok = False
                        j += 1
                return arg.value
            i += 1
        if default_arg:
            i = 0
            for arg in self.args:
                if arg.name is None and i not in used:
                    used.add(i)
                    return arg.value
                i += 1
        return None

    def required(self, name: str, default_arg: bool = True) -> ast.Expression | None:
        value = self.take(name, default_arg=default_arg)
        if value is None:
            span = self.attr.span if self.attr else self.ctx.datasource_block.span  # type: ignore[union-attr]
            self.ctx.error(f'Argument "{name}" is missing.', span)
            self.ok = False
        return value

    def finish(self) -> None:
        if not self.ok:  # an argument was bad: Prisma stops reading this attribute
            return
        if len(self.used) == len(self.args):  # (every one taken: the usual case)
            return
        for i, arg in enumerate(self.args):
            if i not in self.used:
                self.ctx.error("No such argument.", arg.span)
                self.ok = False
