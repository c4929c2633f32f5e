"""Small helpers every dialect's renderer and calculator share.

Kept apart from `base.py` (the `Dialect` class, imported by everything) so that the
renderers can import them without pulling each other in.
"""

from __future__ import annotations

from lamina.sql.schema import Column, DefaultKind, ForeignKeyAction

# Prisma's own bookkeeping table: never part of a described schema.
IGNORED_TABLES = frozenset({"_prisma_migrations", "_lamina_migrate_lock"})  # history; the cluster lease (migrate/lease.py)


def double_quote(name: str) -> str:
    """An identifier quoted the standard way (PostgreSQL, SQLite): `"a""b"`."""
    if '"' in name:
        return '"' + name.replace('"', '""') + '"'
    return '"' + name + '"'


def backtick_quote(name: str) -> str:
    """An identifier quoted the MySQL way: `` `a``b` ``."""
    return "`" + name.replace("`", "``") + "`"


def default_sql(column: Column) -> str | None:
    """The `DEFAULT` expression a renderer writes for `column`, or None for none.

    Sequence defaults (PostgreSQL SERIAL) are left out: the column type carries them."""
    d = column.default
    if d is None or d.kind is DefaultKind.SEQUENCE or not d.sql:
        return None
    return d.sql


# `ForeignKeyAction.value` is a descriptor call; the renderers write thousands of them.
ACTIONS = {action: action.value for action in ForeignKeyAction}


def joiner(render, separator: str):
    """`join(items)`: `separator.join(render(x) for x in items)`."""

    def join(items) -> str:
        return separator.join([render(x) for x in items])

    return join


def memo_joiner(render, separator: str):
    """`joiner` remembering `render(x)` per object for the life of the returned function (one
    script): a calculated schema shares its equal columns between tables, each written once.
    The object is kept with its text, so that its id cannot be reused meanwhile."""
    memo: dict[int, tuple[object, str]] = {}

    def join(items) -> str:
        out = []
        for x in items:
            hit = memo.get(id(x))
            if hit is None:
                hit = memo[id(x)] = (x, render(x))
            out.append(hit[1])
        return separator.join(out)

    return join


def dispatcher(rules, display_name: str):
    """`render(step)` from `rules`, (step class, render) pairs tried in order with `isinstance`
    (a subclass takes its first match), resolved once per step class."""
    by_type: dict[type, object] = {}

    def for_step(step):
        """The render function of `step`'s class."""
        fn = by_type.get(step.__class__)
        if fn is None:
            fn = next((f for cls, f in rules if isinstance(step, cls)), None)
            if fn is None:
                raise NotImplementedError(f"{display_name} cannot render {type(step).__name__}")
            by_type[step.__class__] = fn
        return fn

    def render(step):
        return for_step(step)(step)

    render.for_step = for_step  # type: ignore[attr-defined]  # a caller rendering many steps
    return render
