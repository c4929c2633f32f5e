"""Shard keys (`shardKeys` preview feature, MySQL only): `@shardKey` on one field or
`@@shardKey([a, b])` on the model. They change no SQL; the fields go to `Model.shard_key`
and from there into the client's metadata.

Prisma 7.10.1 checks them in two phases, as its parser database does (messages recorded from
its CLI in tests/psl/prisma_cli_validate/shard_*):
- with the attributes (pass 3), whether or not the feature is enabled: a field's `@shardKey`
  (`field`, read with the field's attributes; a second one: "At most one field..."), then the
  model's `@@shardKey` (`block_level`: unknown, relation and optional fields; "Each model must
  have at most one shard key" when a field has one too, and the model's wins), then an optional
  `@shardKey` field (`field_arity`). A relation field takes no `@shardKey` ("Attribute not
  known"); `@@shardKey` twice is "can only be defined once" and neither is read.
- in validation (pass 5, `validate`), which runs only when pass 3 found nothing: the
  preview feature, the provider, and an empty `@@shardKey([])`.
"""

from __future__ import annotations

from lamina import datamodel as dm
from lamina.psl import ast
from lamina.psl.validate.args import Arguments, as_constant
from lamina.psl.validate.context import Context, FieldInfo, ModelInfo

FEATURE = "shardKeys"
PROVIDERS = ("mysql",)


def _field_attributes(model: ModelInfo) -> list[tuple[str, ast.Attribute]]:
    return [(f.name, a) for f in model.fields.values() if not f.is_relation
            for a in f.node.read_attributes() if a.name == "shardKey"]


def field(ctx: Context, model: ModelInfo, info: FieldInfo, attr: ast.Attribute) -> None:
    """A scalar field's `@shardKey`."""
    ctx.shard_keys_seen = True
    if model.shard_key_source is not None:
        ctx.model_error(model, "At most one field must be marked as the shard key with the `@shardKey` attribute.",
                        model.block.span)
    else:
        model.shard_key, model.shard_key_source = [info.name], attr
    Arguments(ctx, attr).finish()


def block_level(ctx: Context, model: ModelInfo, attr: ast.Attribute) -> None:
    """`@@shardKey([...])`: the fields it names must exist, be scalar and required."""
    ctx.shard_keys_seen = True
    args = Arguments(ctx, attr)
    _block_fields(ctx, model, attr, args.required("fields"))
    args.finish()


def _block_fields(ctx: Context, model: ModelInfo, attr: ast.Attribute, value: ast.Value | None) -> None:
    if value is None:
        return
    items = value.items if isinstance(value, ast.ArrayValue) else [value]
    names = [as_constant(ctx, item) for item in items]
    if any(n is None for n in names):
        return
    fields = [n for n in names if n is not None]
    unknown = [n for n in fields if n not in model.fields]
    if unknown:
        noun = "field" if len(unknown) == 1 else "fields"
        ctx.model_error(
            model,
            f"The multi field shard key declaration refers to the unknown {noun} {', '.join(f'`{u}`' for u in unknown)}.",
            value.span,
        )
        return
    for n in fields:
        if model.fields[n].is_relation:
            ctx.model_error(
                model,
                f"The shard key definition refers to the relation field `{n}`. Shard key definitions must reference only scalar fields.",
                attr.span,
            )
            return
    optional = [n for n in fields if model.fields[n].arity is not dm.Arity.REQUIRED]
    if optional and not model.ignored:
        noun = "field" if len(optional) == 1 else "fields"
        ctx.model_error(
            model,
            f"The shard key definition refers to the optional {noun} {', '.join(f'`{n}`' for n in optional)}. "
            "Shard key definitions must reference only required fields.",
            attr.span,
        )
    if model.shard_key_source is not None:
        ctx.model_error(
            model,
            "Each model must have at most one shard key. You can't have `@shardKey` and `@@shardKey` at the same time.",
            model.block.span,
        )
    model.shard_key, model.shard_key_source = fields, attr


def field_arity(ctx: Context, model: ModelInfo) -> None:
    """After the model's attributes: a `@shardKey` field must be required (not on an ignored model)."""
    attr = model.shard_key_source
    if model.ignored or attr is None or attr.is_block:
        return
    assert model.shard_key is not None  # (set with shard_key_source)
    if model.fields[model.shard_key[0]].arity is not dm.Arity.REQUIRED:
        ctx.attribute_error(attr, "Fields that are marked as shard keys must be required.")


def validate(ctx: Context, model: ModelInfo) -> None:
    """Pass 5: the preview feature and the provider, per attribute (fields first), then `@@shardKey([])`."""
    attrs = [a for _n, a in _field_attributes(model)]
    attrs += [a for a in model.block_attributes if a.name == "shardKey"]
    for attr in attrs:
        if FEATURE not in ctx.preview_features:
            ctx.attribute_error(attr, "Defining shard keys requires enabling the `shardKeys` preview feature")
        if ctx.provider not in PROVIDERS:
            ctx.attribute_error(attr, f"Shard keys are not currently supported for provider {ctx.provider}")
    for attr in model.block_attributes:
        if attr.name == "shardKey" and _is_empty_list(attr):
            ctx.attribute_error(
                attr,
                "The list of fields in a `@@shardKey()` attribute cannot be empty. Please specify at least one field.",
            )


def _is_empty_list(attr: ast.Attribute) -> bool:
    args = attr.arguments.arguments if attr.arguments else []
    return len(args) == 1 and isinstance(args[0].value, ast.ArrayValue) and not args[0].value.items
