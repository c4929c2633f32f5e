"""`datasource` and `generator` blocks -> `Datasource`, `Generator`, preview features.

Lamina accepts `url`, `shadowDatabaseUrl` and `directUrl` in the datasource (Prisma 5/6
style) and does not require `url` (Prisma 7 moved it to prisma.config.ts).
"""

from __future__ import annotations

from lamina import datamodel as dm
from lamina.psl import ast
from lamina.psl.validate.args import as_array, describe
from lamina.psl.validate.context import Context

PROVIDER_ALIASES = {"postgres": "postgresql"}

# Preview features as Prisma 7.10.1 knows them (its CLI lists these, sorted, when one is
# unknown). `metrics` was dropped by 7.10.1, which rejects it as unknown (P1012); so does Lamina.
ACTIVE_FEATURES = [
    "nativeDistinct",
    "partialIndexes",
    "postgresqlExtensions",
    "relationJoins",
    "schemaEngineDriverAdapters",
    "shardKeys",
    "strictUndefinedChecks",
    "typedSql",
    "views",
]
NATIVE_FEATURES = {"postgresql": ["fullTextSearchPostgres"]}
HIDDEN_FEATURES = ["reactNative"]
DEPRECATED_FEATURES = [
    "atomicNumberOperations", "aggregateApi", "clientExtensions", "cockroachdb", "connectOrCreate",
    "createMany", "dataProxy", "deno", "distinct", "driverAdapters", "esm", "extendedIndexes",
    "extendedWhereUnique", "fieldReference", "filteredRelationCount", "filterJson", "fullTextIndex",
    "fullTextSearch", "groupBy", "improvedQueryRaw", "interactiveTransactions", "jsonProtocol",
    "microsoftSqlServer", "middlewares", "mongoDb", "multiSchema", "namedConstraints", "nApi",
    "nativeTypes", "omitApi", "orderByAggregateGroup", "orderByNulls", "orderByRelation",
    "prismaSchemaFolder", "referentialActions", "referentialIntegrity", "selectRelationCount",
    "tracing", "transactionApi", "uncheckedScalarInputs",
]  # fmt: skip
RENAMED_FEATURES = {("fullTextSearch", "postgresql"): ("fullTextSearchPostgres", "fts-postgres")}

DATASOURCE_PROPERTIES = {
    "provider", "url", "shadowDatabaseUrl", "directUrl", "relationMode", "referentialIntegrity", "schemas", "extensions",
}  # fmt: skip


def _env_value(ctx: Context, expr: ast.Expression) -> dm.EnvValue | None:
    """A string literal or `env("NAME")`."""
    if isinstance(expr, ast.StringValue):
        return dm.EnvValue(value=expr.value)
    if isinstance(expr, ast.FunctionCall) and expr.name == "env":
        args = expr.arguments.arguments
        if len(args) != 1 or args[0].value is None or not isinstance(args[0].value, ast.StringValue):
            ctx.error("The env function expects a singular, unnamed, string argument.", expr.span)
            return None
        if args[0].name is not None:
            ctx.warning("The env function doesn't expect named arguments", args[0].span)
        return dm.EnvValue(env_var=args[0].value.value)
    ctx.error(
        f"Expected a String value, but received {describe(expr)} value `{ctx.text(expr.span)}`.",
        expr.span,
    )
    return None


def _props(ctx: Context, block: ast.Block, kind: str) -> dict[str, ast.Property]:
    out: dict[str, ast.Property] = {}
    for prop in block.properties:
        name = prop.name.name
        if name in out:
            continue  # (reported with the names: names_types._duplicate_keys)
        if prop.value is None:
            ctx.error(f"Property {name} in {kind} {block.name.name} needs to be assigned a value", block.span)
            continue
        out[name] = prop
    return out


def load_generators(ctx: Context) -> None:
    for block in ctx.ast.blocks:
        if block.kind is not ast.BlockKind.GENERATOR:
            continue
        props = _props(ctx, block, "generator")
        provider_prop = props.pop("provider", None)
        provider = _env_value(ctx, provider_prop.value) if provider_prop else None  # type: ignore[arg-type]
        if provider_prop is None:
            ctx.error(f'Argument "provider" is missing in generator block "{block.name.name}".', block.span)
        output_prop = props.pop("output", None)
        output = _env_value(ctx, output_prop.value) if output_prop else None  # type: ignore[arg-type]
        features_prop = props.pop("previewFeatures", None)
        features: list[str] = []
        if features_prop is not None and features_prop.value is not None:
            for item in as_array(features_prop.value):
                if isinstance(item, ast.StringValue):
                    features.append(item.value)
                else:
                    ctx.error(
                        f"Expected a string value, but received {describe(item)} value `{ctx.text(item.span)}`.",
                        item.span,
                    )
        config: dict[str, object] = {}
        for name, prop in props.items():
            config[name] = _python_value(ctx, prop.value)  # type: ignore[arg-type]
        gen = dm.Generator(
            name=block.name.name,
            provider=provider or dm.EnvValue(),
            output=output,
            config=config,
            preview_features=features,
        )
        gen_span = features_prop.value.span if features_prop and features_prop.value else block.span
        ctx.generators.append(gen)
        ctx.feature_spans.append((features, gen_span))


def _python_value(ctx: Context, expr: ast.Expression) -> object:
    if isinstance(expr, ast.StringValue):
        return expr.value
    if isinstance(expr, ast.NumericValue):
        try:
            return int(expr.raw)
        except ValueError:
            return float(expr.raw)
    if isinstance(expr, ast.ConstantValue):
        return {"true": True, "false": False}.get(expr.value, expr.value)
    if isinstance(expr, ast.ArrayValue):
        return [_python_value(ctx, i) for i in expr.items]
    if isinstance(expr, ast.FunctionCall) and expr.name == "env":
        value = _env_value(ctx, expr)
        return value
    return ctx.text(expr.span)


def check_preview_features(ctx: Context) -> None:
    """Known, deprecated and renamed preview features (needs the provider, so runs after the datasource)."""
    provider = ctx.provider
    active = sorted(ACTIVE_FEATURES + NATIVE_FEATURES.get(provider or "", []))
    valid = {f.lower(): f for f in active + HIDDEN_FEATURES}
    deprecated = {f.lower(): f for f in DEPRECATED_FEATURES}
    for features, span in ctx.feature_spans:
        for feature in features:
            key = feature.lower()
            renamed = RENAMED_FEATURES.get((_canonical(feature), provider or ""))
            if renamed:
                ctx.warning(
                    f'On `provider = "{provider}"`, preview feature "{_canonical(feature)}" has been renamed to '
                    f'"{renamed[0]}". Learn more at https://pris.ly/d/{renamed[1]}.',
                    span,
                )
            elif key in valid:
                ctx.preview_features.add(valid[key])
            elif key in deprecated:
                ctx.warning(
                    f'Preview feature "{deprecated[key]}" is deprecated. The functionality can be used without '
                    "specifying it as a preview feature.",
                    span,
                )
            else:
                ctx.error(
                    f'The preview feature "{feature}" is not known. Expected one of: {", ".join(active)}',
                    span,
                )


def _canonical(feature: str) -> str:
    for f in ACTIVE_FEATURES + DEPRECATED_FEATURES + HIDDEN_FEATURES + ["fullTextSearchPostgres", "metrics"]:
        if f.lower() == feature.lower():
            return f
    return feature


def load_datasource(ctx: Context) -> None:
    loaded: list[ast.Block] = []
    for block in ctx.ast.blocks:
        if block.kind is ast.BlockKind.DATASOURCE and _load_datasource(ctx, block, first=not loaded):
            loaded.append(block)
    for extra in loaded[1:]:  # only datasources that load count, as in Prisma
        ctx.error(
            "You defined more than one datasource. This is not allowed yet because support for multiple databases has not been implemented yet.",
            extra.span,
        )


def _load_datasource(ctx: Context, block: ast.Block, first: bool) -> bool:
    """Read one datasource block (into `ctx.datasource` if it is the first that loads)."""
    saved = (ctx.datasource, ctx.datasource_block, ctx.schemas_span, ctx.extensions_span, ctx.provider)
    props = _props(ctx, block, "datasource")
    provider_prop = props.get("provider")
    if provider_prop is None:
        ctx.error(f'Argument "provider" is missing in data source block "{block.name.name}".', block.span)
        return False
    provider_value = _env_value(ctx, provider_prop.value)  # type: ignore[arg-type]
    if provider_value is None:
        return False
    if provider_value.env_var is not None:
        ctx.error("A datasource must not use the env() function in the provider argument.", block.span)
        return False
    name = PROVIDER_ALIASES.get(provider_value.value or "", provider_value.value or "")
    try:
        provider = dm.Provider(name)
    except ValueError:
        ctx.error(f'Datasource provider not known: "{provider_value.value}".', provider_prop.value.span)  # type: ignore[union-attr]
        return False
    ds = dm.Datasource(name=block.name.name, provider=provider)
    ctx.datasource = ds
    ctx.provider = ds.provider.value
    ctx.datasource_block = block

    urls: dict[str, tuple[dm.EnvValue, ast.Property]] = {}
    for key in ("url", "shadowDatabaseUrl", "directUrl"):
        prop = props.get(key)
        if prop is None:
            continue
        value = _env_value(ctx, prop.value)  # type: ignore[arg-type]
        if value is not None:
            urls[key] = (value, prop)
    ds.url = urls.get("url", (None, None))[0]
    ds.shadow_database_url = urls.get("shadowDatabaseUrl", (None, None))[0]
    ds.direct_url = urls.get("directUrl", (None, None))[0]
    shadow = ds.shadow_database_url
    if shadow is not None and shadow.value is not None:
        for key, label in (("directUrl", "directUrl"), ("url", "url")):
            other = urls.get(key)
            if other and other[0].value is not None and other[0].value == shadow.value:
                ctx.error(
                    f'shadowDatabaseUrl is the same as {label} for datasource "{block.name.name}". '
                    "Please specify a different database as shadow database to avoid data loss.",
                    other[1].value.span,  # type: ignore[union-attr]
                )

    relation_mode_prop = props.get("relationMode")
    integrity_prop = props.get("referentialIntegrity")
    if integrity_prop is not None:
        ctx.warning(
            "The `referentialIntegrity` attribute is deprecated. Please use `relationMode` instead. Learn more at https://pris.ly/d/relation-mode",
            integrity_prop.span,
        )
    if relation_mode_prop is not None and integrity_prop is not None:
        ctx.error(
            "The `referentialIntegrity` and `relationMode` attributes cannot be used together. Please use only `relationMode` instead.",
            integrity_prop.span,
        )
    mode_prop = relation_mode_prop or integrity_prop
    if mode_prop is not None and mode_prop.value is not None:
        if isinstance(mode_prop.value, ast.StringValue) and mode_prop.value.value in ("prisma", "foreignKeys"):
            ds.relation_mode = mode_prop.value.value
        elif isinstance(mode_prop.value, ast.StringValue):
            ctx.error(
                f'Error validating datasource `relationMode`: Invalid relation mode setting: "{mode_prop.value.value}". Supported values: "prisma", "foreignKeys"',
                block.span,
            )
        else:
            ctx.error(
                f"Expected a string value, but received {describe(mode_prop.value)} value `{ctx.text(mode_prop.value.span)}`.",
                mode_prop.value.span,
            )
    if provider is dm.Provider.MONGODB:
        ds.relation_mode = "prisma"

    schemas_prop = props.get("schemas")
    if schemas_prop is not None and schemas_prop.value is not None:
        first_seen: dict[str, ast.Span] = {}
        duplicated: set[str] = set()
        for item in as_array(schemas_prop.value):
            if not isinstance(item, ast.StringValue):
                ctx.error(
                    f"Expected a string value, but received {describe(item)} value `{ctx.text(item.span)}`.",
                    item.span,
                )
                continue
            if item.value in first_seen:
                duplicated.add(item.value)
            else:
                first_seen[item.value] = item.span
                ds.schemas.append(item.value)
        for name in sorted(duplicated):  # Prisma reports them sorted, at the first occurrence
            ctx.error("Duplicated schema names are not allowed", first_seen[name])
        if isinstance(schemas_prop.value, ast.ArrayValue) and not schemas_prop.value.items:
            ctx.error("If provided, the schemas array can not be empty.", schemas_prop.value.span)
        ctx.schemas_span = schemas_prop.value.span

    ext_prop = props.get("extensions")
    if ext_prop is not None and ext_prop.value is not None:
        if provider is not dm.Provider.POSTGRESQL:
            ctx.error('Property not known: "extensions".', ext_prop.span)
        else:
            _extensions(ctx, ds, ext_prop)

    for key, prop in props.items():
        if key not in DATASOURCE_PROPERTIES:
            ctx.error(f'Property not known: "{key}".', prop.span)
    if not first:
        ctx.datasource, ctx.datasource_block, ctx.schemas_span, ctx.extensions_span, ctx.provider = saved
    return True


def _extensions(ctx: Context, ds: dm.Datasource, prop: ast.Property) -> None:
    """`extensions = [...]`, read as Prisma 7.10.1 reads it: items that are not a name or a call
    are reported alone; then each item's name and arguments. Only a list read without an error
    counts as given (the preview-feature check looks at `ctx.extensions_span`)."""
    items = as_array(prop.value)  # type: ignore[arg-type]
    wrong = [item for item in items if not isinstance(item, (ast.ConstantValue, ast.FunctionCall))]
    for item in wrong:
        ctx.error(
            f"Expected a constant or function value, but received {describe(item)} value `{ctx.text(item.span)}`.",
            item.span,
        )
    if wrong:
        return
    errors = len(ctx.diags.errors)
    for item in items:
        if isinstance(item, ast.ConstantValue):
            if "-" in item.value:
                ctx.error("Error validating: The character `-` is not allowed in extension names.", item.span)
                continue
            ds.extensions.append(item.value)
            ds.extension_specs.append(dm.ExtensionSpec(item.value, item.value))
            continue
        assert isinstance(item, ast.FunctionCall)
        seen: set[str] = set()
        for arg in item.arguments.arguments:
            if arg.name is None:
                ctx.error("Error validating: The argument must have a name", arg.span)
                continue
            if arg.name.name not in ("map", "schema", "version"):
                ctx.error(f'Argument not known: "{arg.name.name}".', arg.span)
                continue
            if arg.name.name in seen:
                ctx.error(f"Error validating: The argument `{arg.name.name}` can only be defined once", arg.span)
                continue
            seen.add(arg.name.name)
            if not isinstance(arg.value, ast.StringValue):
                if arg.value is not None:
                    ctx.error(
                        f"Expected a string value, but received {describe(arg.value)} value `{ctx.text(arg.value.span)}`.",
                        arg.value.span,
                    )
                ctx.error(f"Error validating: The `{arg.name.name}` argument must be a string literal", arg.span)
        ds.extensions.append(item.name)
        given = {
            a.name.name: a.value.value
            for a in item.arguments.arguments
            if a.name is not None and isinstance(a.value, ast.StringValue)
        }
        ds.extension_specs.append(
            dm.ExtensionSpec(item.name, given.get("map", item.name), given.get("schema"), given.get("version"))
        )
    if len(ctx.diags.errors) == errors:
        ctx.extensions_span = prop.span


def check_extensions_feature(ctx: Context) -> None:
    span = ctx.extensions_span
    if span is not None and "postgresqlExtensions" not in ctx.preview_features:
        ctx.error("The `extensions` property is only available with the `postgresqlExtensions` preview feature.", span)


def check_configuration(ctx: Context) -> None:
    """Every check of the datasource and generator blocks, in Prisma's order: the first stage of
    validation, and all that getConfig checks (lamina.psl.get_config)."""
    load_datasource(ctx)
    load_generators(ctx)
    check_preview_features(ctx)
    check_extensions_feature(ctx)
