"""PostgreSQL index types (`type: Gin`...) and operator classes (`ops:`), as Prisma checks them."""

from __future__ import annotations

from lamina import datamodel as dm
from lamina.psl.validate.context import Context, IndexInfo, ModelInfo

S = dm.ScalarType

# Brin operator classes: family -> (native types the column may have, scalar type for which no native type is fine)
_BRIN_FAMILIES: dict[str, tuple[set[str], dm.ScalarType | None]] = {
    "Bit": ({"Bit"}, None),
    "VarBit": ({"VarBit"}, None),
    "Bpchar": ({"Char"}, None),
    "Bytea": ({"ByteA"}, S.BYTES),
    "Date": ({"Date"}, None),
    "Float4": ({"Real"}, None),
    "Float8": ({"DoublePrecision"}, S.FLOAT),
    "Inet": ({"Inet"}, None),
    "Int2": ({"SmallInt"}, None),
    "Int4": ({"Integer"}, S.INT),
    "Int8": ({"BigInt"}, S.BIGINT),
    "Numeric": ({"Decimal"}, S.DECIMAL),
    "Oid": ({"Oid"}, None),
    "Text": ({"Text", "VarChar"}, S.STRING),
    "Timestamp": ({"Timestamp"}, S.DATETIME),
    "TimestampTz": ({"Timestamptz"}, None),
    "Time": ({"Time"}, None),
    "TimeTz": ({"Timetz"}, None),
    "Uuid": ({"Uuid"}, None),
}
_BRIN_KINDS = ("BloomOps", "MinMaxOps", "MinMaxMultiOps", "InclusionOps")


def _brin_family(op: str) -> str | None:
    for kind in _BRIN_KINDS:
        if op.endswith(kind) and op[: -len(kind)] in _BRIN_FAMILIES:
            return op[: -len(kind)]
    return None


# Non-Brin operator classes: name -> (index types, native types allowed, scalar type without native type is fine)
_OTHER_OPS: dict[str, tuple[set[str], set[str], dm.ScalarType | None]] = {
    "InetOps": ({"Gist", "SpGist"}, {"Inet"}, None),
    "JsonbOps": ({"Gin"}, {"JsonB"}, S.JSON),
    "JsonbPathOps": ({"Gin"}, {"JsonB"}, S.JSON),
    "ArrayOps": ({"Gin"}, set(), None),
    "TextOps": ({"SpGist"}, {"Text", "VarChar"}, S.STRING),
}

ALGORITHMS = {"BTree", "Hash", "Gist", "Gin", "SpGist", "Brin"}


def validate_index(ctx: Context, model: ModelInfo, idx: IndexInfo) -> None:
    algorithm = idx.algorithm or "BTree"
    err = lambda message: ctx.attribute_error(idx.attribute, message)  # noqa: E731
    if algorithm == "SpGist" and len(idx.fields) > 1:
        err("SpGist does not support multi-column indices.")
        return
    for f in idx.fields:
        info = model.fields.get(f.name)
        if info is None:
            continue
        native = info.native.name if info.native else None
        if f.ops is None:
            if not _default_ops_ok(algorithm, info, native):
                err(f"The {algorithm} index type does not support the type of the field `{f.name}`.")
            continue
        if f.ops.startswith("raw("):
            continue
        family = _brin_family(f.ops)
        if family is not None:
            if algorithm != "Brin":
                err(f"The given operator class `{f.ops}` is not supported with the `{algorithm}` index type.")
                continue
            natives, plain = _BRIN_FAMILIES[family]
            label = "BitMinMaxOps" if f.ops == "UuidMinMaxMultiOps" else f.ops  # Prisma names the wrong class here
            _check_native(err, label, f.name, info, native, natives, plain)
            continue
        spec = _OTHER_OPS.get(f.ops)
        if spec is None:
            continue
        algorithms, natives, plain = spec
        if algorithm not in algorithms:
            err(f"The given operator class `{f.ops}` is not supported with the `{algorithm}` index type.")
            continue
        if f.ops == "ArrayOps":
            if info.arity is not dm.Arity.LIST:
                err(f"The given operator class `ArrayOps` expects the type of the field `{f.name}` to be a list.")
            continue
        if f.ops == "TextOps" and info.scalar is not S.STRING:
            err(f"The given operator class `TextOps` points to the field `{f.name}` that is not of String type.")
            continue
        _check_native(err, f.ops, f.name, info, native, natives, plain)


def _check_native(err, op, field_name, info, native, natives, plain) -> None:
    if native is None:
        if plain is None or info.scalar is not plain:
            err(f"The given operator class `{op}` expects the field `{field_name}` to define a valid native type.")
        return
    if native not in natives:
        err(f"The given operator class `{op}` does not support native type `{native}` of field `{field_name}`.")


def _default_ops_ok(algorithm: str, info, native: str | None) -> bool:
    if info.kind == "unsupported" or algorithm in ("BTree", "Hash", "Brin"):
        return True
    if algorithm == "Gin":
        return info.arity is dm.Arity.LIST or info.scalar is S.JSON
    if algorithm == "Gist":
        return native == "Inet"
    if algorithm == "SpGist":
        return native == "Inet" or (info.scalar is S.STRING and native in (None, "Text", "VarChar"))
    return True
