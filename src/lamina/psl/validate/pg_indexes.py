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
            problem = _default_ops_problem(algorithm, info, native)
            if problem == "type":
                err(f"The {algorithm} index type does not support the type of the field `{f.name}`.")
            elif problem == "native":
                err(f"The {algorithm} index field type `{native}` has no default operator class.")
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


# Without `ops:`, the column types each index type has a default operator class for, as
# Prisma 7.10.1 decides it: by native type when the field has one, else by scalar type (which
# gives a different message). Gist takes a String without native type but no native type at all.
_DEFAULT_OPS_NATIVE: dict[str, set[str]] = {
    "Gin": {"JsonB"},
    "Gist": set(),
    "SpGist": {"Text", "VarChar", "Char", "Inet"},
}
_DEFAULT_OPS_SCALAR: dict[str, set[dm.ScalarType]] = {"Gin": {S.JSON}, "Gist": {S.STRING}, "SpGist": {S.STRING}}
_BRIN_WITHOUT_DEFAULT_NATIVE = {"Citext", "Money", "Boolean", "Json", "JsonB"}
_BRIN_WITHOUT_DEFAULT_SCALAR = {S.BOOLEAN, S.JSON}


def _default_ops_problem(algorithm: str, info, native: str | None) -> str | None:
    """None when the index type has a default operator class for the field, else "native"
    (none for its native type) or "type" (none for its scalar type)."""
    if info.kind == "unsupported" or algorithm in ("BTree", "Hash"):
        return None
    if algorithm == "Gin" and info.arity is dm.Arity.LIST:
        return None
    if algorithm == "Brin":
        if native is not None:
            return "native" if native in _BRIN_WITHOUT_DEFAULT_NATIVE else None
        return "type" if info.scalar in _BRIN_WITHOUT_DEFAULT_SCALAR else None
    if algorithm not in _DEFAULT_OPS_SCALAR:
        return None
    if native is not None:
        return None if native in _DEFAULT_OPS_NATIVE[algorithm] else "native"
    return None if info.scalar in _DEFAULT_OPS_SCALAR[algorithm] else "type"
