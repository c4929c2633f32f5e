"""Referential actions that cascade in a circle or reach a model twice (Prisma 7.10.1's
`relations::cycles` and `relations::multiple_cascading_paths`).

Both walk the complete one-to-one and one-to-many relations (both sides written) from the side
that holds the foreign key. An action *cascades* unless it is `NoAction` or `Restrict`; a
relation cascades if its `onDelete` or `onUpdate` does (the defaults count: `onUpdate:
Cascade`, `onDelete: SetNull` for an optional relation). Where they apply, as in Prisma:

- cycles: with `relationMode = "prisma"` (any provider: the emulation cannot break a circle),
  and on SQL Server, whose foreign keys refuse them;
- several paths from one model to another: on SQL Server with foreign keys only.

The error goes on the relation field the walk started from, its message ends with the
actions that were left implicit.
"""

from __future__ import annotations

from lamina import datamodel as dm
from lamina.psl.validate.context import Context, FieldInfo
from lamina.psl.validate.relations import Pair, default_on_delete, default_on_update

RA = dm.ReferentialAction
_SAFE = (RA.NO_ACTION, RA.RESTRICT)


def applies(ctx: Context) -> bool:
    return ctx.relation_mode == "prisma" or ctx.provider == "sqlserver"


def _complete(pair: Pair) -> FieldInfo | None:
    """The foreign-key side of a complete one-to-one or one-to-many relation (both sides written)."""
    link = pair.forward
    if pair.kind is dm.RelationKind.IMPLICIT_MANY_TO_MANY or pair.back is None or link is None or link.relation is None:
        return None
    return link


def outgoing_links(ctx: Context, pairs: list[Pair]) -> dict[str, list[FieldInfo]]:
    """Model name -> the foreign-key sides of its complete inline relations, ordered as Prisma's
    `complete_inline_relations_from` lists them: by the referenced model's place in the schema,
    then in relation order (`pairs` is)."""
    place = {name: i for i, name in enumerate(ctx.models)}
    out: dict[str, list[FieldInfo]] = {}
    for pair in pairs:
        link = _complete(pair)
        if link is not None:
            out.setdefault(link.model, []).append(link)
    for links in out.values():
        links.sort(key=lambda link: place.get(link.related or "", 0))  # stable: relation order within
    return out


def check(ctx: Context, pair: Pair, outgoing: dict[str, list[FieldInfo]]) -> None:
    """Both checks for one relation (Prisma runs them first among a relation's checks)."""
    link = _complete(pair)
    if link is None or not applies(ctx):
        return
    _cycles(ctx, link, outgoing)
    if ctx.provider == "sqlserver" and ctx.relation_mode != "prisma":
        _multiple_paths(ctx, link, outgoing)


def _actions(ctx: Context, link: FieldInfo) -> tuple[RA, RA]:
    rel = link.relation
    assert rel is not None
    return (rel.on_delete or default_on_delete(ctx, link), rel.on_update or default_on_update(ctx))


def _cascades(ctx: Context, link: FieldInfo) -> bool:
    return any(action not in _SAFE for action in _actions(ctx, link))


def _path(links: list[FieldInfo]) -> str:
    return " → ".join(f"{link.model}.{link.name}" for link in links)


def _error(ctx: Context, link: FieldInfo, message: str) -> None:
    """Prisma's `cascade_error_with_default_values`: the implicit actions that cascade are named."""
    rel = link.relation
    assert rel is not None
    on_delete, on_update = _actions(ctx, link)
    implicit_delete = on_delete if rel.on_delete is None and on_delete not in _SAFE else None
    implicit_update = on_update if rel.on_update is None and on_update not in _SAFE else None
    if implicit_delete and implicit_update:
        message += f" (Implicit default `onDelete`: `{implicit_delete.value}`, and `onUpdate`: `{implicit_update.value}`)"
    elif implicit_delete:
        message += f" (Implicit default `onDelete`: `{implicit_delete.value}`)"
    elif implicit_update:
        message += f" (Implicit default `onUpdate`: `{implicit_update.value}`)"
    ctx.plain_error(message + " Read more at https://pris.ly/d/cyclic-referential-actions", link.span)


def _cycles(ctx: Context, root: FieldInfo, outgoing: dict[str, list[FieldInfo]]) -> None:
    visited: set[int] = set()
    stack = [(root, [root])]
    while stack:  # depth first, last pushed first, as Prisma's loop
        link, path = stack.pop()
        visited.add(id(link))
        if not _cascades(ctx, link):
            continue
        if link.model == link.related:
            _error(ctx, root, "A self-relation must have `onDelete` and `onUpdate` referential actions set to "
                              "`NoAction` in one of the @relation attributes.")
            return
        if link.related == root.model:
            _error(ctx, root, "Reference causes a cycle. One of the @relation attributes in this cycle must have "
                              f"`onDelete` and `onUpdate` referential actions set to `NoAction`. Cycle path: {_path(path)}.")
            return
        stack += [(nxt, [*path, nxt]) for nxt in outgoing.get(link.related or "", []) if id(nxt) not in visited]


def _multiple_paths(ctx: Context, root: FieldInfo, outgoing: dict[str, list[FieldInfo]]) -> None:
    if not _cascades(ctx, root):
        return
    parent = root.model
    paths: list[list[FieldInfo]] = []
    stack = [(link, [link], set[int]()) for link in outgoing.get(parent, []) if _cascades(ctx, link)]
    while stack:
        link, path, seen = stack.pop()
        seen.add(id(link))
        if link.model == link.related or link.related == parent:  # self-relations and cycles: see _cycles
            continue
        onward = [(nxt, [*path, nxt], set(seen)) for nxt in outgoing.get(link.related or "", [])
                  if _cascades(ctx, nxt) and id(nxt) not in seen]
        if not onward:
            paths.append(path)
            continue
        stack += onward
    reached: dict[str, set[str]] = {}  # the models each relation field of `parent` cascades to
    for path in paths:
        reached.setdefault(path[0].name, set()).update(link.related or "" for link in path)
    mine = reached.pop(root.name, None)
    if mine is None:
        return
    twice = sorted({name for other in reached.values() for name in mine & other})
    models = ", ".join(f"`{name}`" for name in twice)
    if len(twice) == 1:
        _error(ctx, root, f"When any of the records in model {models} is updated or deleted, the referential actions "
                          f"on the relations cascade to model `{parent}` through multiple paths. Please break one of "
                          "these paths by setting the `onUpdate` and `onDelete` to `NoAction`.")
    elif twice:
        _error(ctx, root, f"When any of the records in models {models} are updated or deleted, the referential "
                          f"actions on the relations cascade to model `{parent}` through multiple paths. Please break "
                          "one of these paths by setting the `onUpdate` and `onDelete` to `NoAction`.")
