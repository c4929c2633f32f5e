"""Generate `types.py`: the TypedDicts of every query argument, named as prisma-client-py names them."""

from __future__ import annotations

from lamina.datamodel import Arity, Datamodel, DefaultKind, Model, RelationField, ScalarField, ScalarType

from .common import FILTERS, HEADER, base_type, field_type, group_by_output, wrap_type
from .meta import client_models, relation_fields, scalar_fields, unique_keys

_NUMERIC = {ScalarType.INT: "AtomicIntInput", ScalarType.BIGINT: "AtomicBigIntInput", ScalarType.FLOAT: "AtomicFloatInput",
            ScalarType.DECIMAL: "AtomicDecimalInput"}

_PRELUDE = '''
SortOrder = Literal["asc", "desc"]
QueryMode = Literal["default", "insensitive"]
SortMode = QueryMode
JsonInput = Union[fields.Json, Dict[str, Any], List[Any], str, int, float, bool]
BytesInput = Union[fields.Base64, bytes]


class DatasourceOverride(TypedDict, total=False):
    url: str
    env: str
    name: str


class SortOrderInput(TypedDict, total=False):
    sort: SortOrder
    nulls: Literal["first", "last"]


'''


def _filter(name: str, py: str, ops: list[str], textual: bool = False) -> str:
    keys = [f'        "equals": Optional[{py}],']
    if "in" in ops:
        keys += [f'        "in": List[{py}],', f'        "not_in": List[{py}],']
    if "cmp" in ops:
        keys += [f'        "{op}": {py},' for op in ("lt", "lte", "gt", "gte")]
    if textual:
        keys += [f'        "{op}": str,' for op in ("contains", "startswith", "endswith")]
        keys.append('        "mode": QueryMode,')
    keys.append(f'        "not": Union[None, {py}, "{name}"],')
    return f'{name} = TypedDict(\n    "{name}",\n    {{\n' + "\n".join(keys) + "\n    },\n    total=False,\n)\n\n"


def _atomic(name: str, py: str) -> str:
    out = []
    parts = []
    for op in ("set", "increment", "decrement", "multiply", "divide"):
        cls = f"_{name}{op.capitalize()}"
        out.append(f"class {cls}(TypedDict):\n    {op}: {py}\n\n\n")
        parts.append(cls)
    out.append(wrap_type(f"{name}Input = ", f"Union[{', '.join(parts)}]", "") + "\n\n")
    return "".join(out)


def _prelude() -> str:
    out = [_PRELUDE]
    out.append(_filter("StringFilter", "str", ["in", "cmp"], textual=True))
    out.append(_filter("IntFilter", "int", ["in", "cmp"]))
    out.append("BigIntFilter = IntFilter\n\n")
    out.append(_filter("FloatFilter", "float", ["in", "cmp"]))
    out.append(_filter("DecimalFilter", "decimal.Decimal", ["in", "cmp"]))
    out.append(_filter("DateTimeFilter", "datetime.datetime", ["in", "cmp"]))
    out.append(_filter("BooleanFilter", "bool", []))
    out.append(_filter("BytesFilter", "BytesInput", []))
    # prisma-client-py types only equals/not; Prisma's path filters are accepted at run time (runtime/jsonfilter.py)
    out.append('JsonFilter = TypedDict("JsonFilter", {\n'
               '    "equals": JsonInput, "not": JsonInput, "path": Union[List[str], str], "mode": QueryMode,\n'
               '    "string_contains": str, "string_starts_with": str, "string_ends_with": str,\n'
               '    "array_contains": JsonInput, "array_starts_with": JsonInput, "array_ends_with": JsonInput,\n'
               '    "lt": JsonInput, "lte": JsonInput, "gt": JsonInput, "gte": JsonInput,\n'
               '}, total=False)\n\n\n')
    out.append(_atomic("AtomicInt", "int"))
    out.append("AtomicBigIntInput = AtomicIntInput\n\n\n")
    out.append(_atomic("AtomicFloat", "float"))
    out.append(_atomic("AtomicDecimal", "decimal.Decimal"))
    return "".join(out)


def _required_on_create(f: ScalarField, fk_fields: set[str]) -> bool:
    if f.arity is not Arity.REQUIRED or f.is_updated_at or f.name in fk_fields:
        return False
    return f.default is None


def _typeddict(name: str, fields: list[tuple[str, str]], total: bool = False, base: str = "TypedDict", doc: str = "") -> str:
    head = f"class {name}({base}{'' if total or base != 'TypedDict' else ', total=False'}):\n"
    body = f'    """{doc}"""\n' if doc else ""
    if fields:
        body += "".join(wrap_type(f"{k}: ", t, "    ") for k, t in fields)
    elif not doc:
        body += "    pass\n"
    return head + body + "\n\n"


def _model_types(dm: Datamodel, m: Model) -> str:
    n = m.name
    scalars = scalar_fields(m)
    rels = relation_fields(dm, m)
    fk_fields = {x for rf in rels for x in rf.fields}
    out: list[str] = []
    # ---- create
    optional: list[tuple[str, str]] = []
    required: list[tuple[str, str]] = []
    for f in scalars:
        t = base_type(f, input_=True)
        if f.arity is Arity.LIST:
            t = f"List[{t}]"
        elif f.arity is Arity.OPTIONAL:
            t = f"Optional[{t}]"
        (required if _required_on_create(f, fk_fields) else optional).append((f.name, t))
    rel_create = []
    for rf in rels:
        kind = "CreateManyNestedWithoutRelationsInput" if rf.arity is Arity.LIST else "CreateNestedWithoutRelationsInput"
        rel_create.append((rf.name, f'"{rf.related_model}{kind}"'))
    out.append(_typeddict(f"{n}OptionalCreateInput", optional + rel_create, doc=f"Optional arguments to the {n} create method"))
    out.append(_typeddict(f"{n}CreateInput", required, base=f"{n}OptionalCreateInput", doc=f"Required arguments to the {n} create method"))
    out.append(_typeddict(f"{n}OptionalCreateWithoutRelationsInput", optional))
    out.append(_typeddict(f"{n}CreateWithoutRelationsInput", required, base=f"{n}OptionalCreateWithoutRelationsInput"))
    out.append(_typeddict(f"{n}ConnectOrCreateWithoutRelationsInput", [("where", f'"{n}WhereUniqueInput"'), ("create", f'"{n}CreateWithoutRelationsInput"')], total=True))
    nested = f'"{n}CreateWithoutRelationsInput"'
    unique = f'"{n}WhereUniqueInput"'
    coc = f'"{n}ConnectOrCreateWithoutRelationsInput"'
    out.append(_typeddict(f"{n}CreateNestedWithoutRelationsInput", [("create", nested), ("connect", unique), ("connect_or_create", coc)]))
    out.append(_typeddict(f"{n}CreateManyNestedWithoutRelationsInput", [
        ("create", f"Union[{nested}, List[{nested}]]"), ("connect", f"Union[{unique}, List[{unique}]]"),
        ("connect_or_create", f"Union[{coc}, List[{coc}]]")]))
    # ---- unique
    keys = unique_keys(m)
    fields_by_name = {f.name: f for f in scalars}
    uniq = []
    for key, names in keys.items():
        if len(names) == 1 and key == names[0]:
            uniq.append((key, base_type(fields_by_name[key], input_=True)))
        else:
            inner = f"_{n}Compound{''.join(x[0].upper() + x[1:] for x in key.split('_'))}KeyInner"
            out.append(_typeddict(inner, [(x, base_type(fields_by_name[x], input_=True)) for x in names], total=True))
            uniq.append((key, f'"{inner}"'))
    out.append(_typeddict(f"{n}WhereUniqueInput", uniq, doc=f"Unique criteria of a {n} record"))
    # ---- update
    upd = []
    for f in scalars:
        t = base_type(f, input_=True)
        if f.arity is Arity.LIST:
            t = f"Union[List[{t}], Dict[str, Any]]"  # a new list, or {"set": [...]} / {"push": ...}
        elif f.type in _NUMERIC:
            t = f"Union[{t}, {_NUMERIC[f.type]}]"
        upd.append((f.name, f"Optional[{t}]" if f.arity is Arity.OPTIONAL else t))
    rel_upd = []
    for rf in rels:
        kind = "UpdateManyWithoutRelationsInput" if rf.arity is Arity.LIST else "UpdateOneWithoutRelationsInput"
        rel_upd.append((rf.name, f'"{rf.related_model}{kind}"'))
    out.append(_typeddict(f"{n}UpdateInput", upd + rel_upd, doc="Optional arguments for updating a record"))
    out.append(_typeddict(f"{n}UpdateManyMutationInput", upd, doc="Arguments for updating many records"))

    def lst(t: str) -> str:
        return f"List[{t}]"

    out.append(_typeddict(f"{n}UpdateManyWithoutRelationsInput", [
        ("create", lst(nested)), ("connect", lst(unique)), ("connect_or_create", lst(coc)), ("set", lst(unique)),
        ("disconnect", lst(unique)), ("delete", lst(unique))]))
    out.append(_typeddict(f"{n}UpdateOneWithoutRelationsInput", [
        ("create", nested), ("connect", unique), ("connect_or_create", coc), ("disconnect", "bool"), ("delete", "bool")]))
    out.append(_typeddict(f"{n}UpsertInput", [("create", f'"{n}CreateInput"'), ("update", f'"{n}UpdateInput"')], total=True))
    # ---- order, where
    out.append(_typeddict(f"{n}OrderByInput", [(f.name, "Union[SortOrder, SortOrderInput]") for f in scalars if f.arity is not Arity.LIST]))
    where = []
    for f in scalars:
        t = base_type(f, input_=True)
        filt = FILTERS[f.type] if f.type is not None else f'"_{f.enum}EnumFilter"'
        if f.arity is Arity.LIST:
            where.append((f.name, "Dict[str, Any]"))
            continue
        where.append((f.name, f"Union[None, {t}, {filt}]" if f.arity is Arity.OPTIONAL else f"Union[{t}, {filt}]"))
    for rf in rels:
        kind = "ListRelationFilter" if rf.arity is Arity.LIST else "RelationFilter"
        t = f'"{rf.related_model}{kind}"'
        if rf.arity is not Arity.LIST:
            t = f'Union[None, {t}, "{rf.related_model}WhereInput"]'
        where.append((rf.name, t))
    me = f'"{n}WhereInput"'
    where += [("AND", f"Union[{me}, List[{me}]]"), ("OR", f"List[{me}]"), ("NOT", f"Union[{me}, List[{me}]]")]
    out.append(_typeddict(f"{n}WhereInput", where, doc=f"Filters on {n} records"))
    out.append(f'{n}RelationFilter = TypedDict(\n    "{n}RelationFilter",\n    {{"is": Optional[{me}], "is_not": Optional[{me}]}},\n    total=False,\n)\n\n\n')
    out.append(_typeddict(f"{n}ListRelationFilter", [("some", me), ("none", me), ("every", me)]))
    # ---- include / select
    inc, sel = [], []
    for rf in rels:
        args = f"FindMany{rf.related_model}ArgsFrom{n}" if rf.arity is Arity.LIST else f"{rf.related_model}ArgsFrom{n}"
        inc.append((rf.name, f'Union[bool, "{args}"]'))
    out.append(_typeddict(f"{n}Include", inc, doc=f"{n} relations to load"))
    sel = [(f.name, "bool") for f in scalars] + inc
    out.append(_typeddict(f"{n}Select", sel, doc=f"{n} fields to return"))
    seen = set()
    for rf in rels:
        r = rf.related_model
        if rf.arity is Arity.LIST and (f"FindMany{r}ArgsFrom{n}") not in seen:
            seen.add(f"FindMany{r}ArgsFrom{n}")
            out.append(_typeddict(f"FindMany{r}ArgsFrom{n}", [
                ("take", "int"), ("skip", "int"), ("order_by", f'Union["{r}OrderByInput", List["{r}OrderByInput"]]'),
                ("where", f'"{r}WhereInput"'), ("cursor", f'"{r}WhereUniqueInput"'), ("include", f'"{r}Include"'),
                ("select", f'"{r}Select"')]))
        elif rf.arity is not Arity.LIST and f"{r}ArgsFrom{n}" not in seen:
            seen.add(f"{r}ArgsFrom{n}")
            out.append(_typeddict(f"{r}ArgsFrom{n}", [("include", f'"{r}Include"'), ("select", f'"{r}Select"')]))
    # ---- aggregates
    keys_lit = ", ".join(f'"{f.name}"' for f in scalars)
    out.append(f"{n}ScalarFieldKeys = Literal[{keys_lit}]\n{n}ScalarFieldKeysT = {n}ScalarFieldKeys\n\n\n")
    out.append(_typeddict(f"{n}CountAggregateInput", [("_all", "bool")] + [(f.name, "bool") for f in scalars]))
    out.append(_typeddict(f"{n}CountAggregateOutput", [("_all", "int")] + [(f.name, "int") for f in scalars]))
    numeric = [f for f in scalars if f.type in _NUMERIC]
    out.append(_typeddict(f"{n}SumAggregateInput", [(f.name, "bool") for f in numeric]))
    out.append(_typeddict(f"{n}AvgAggregateInput", [(f.name, "bool") for f in numeric]))
    out.append(_typeddict(f"{n}MinAggregateInput", [(f.name, "bool") for f in scalars]))
    out.append(_typeddict(f"{n}MaxAggregateInput", [(f.name, "bool") for f in scalars]))
    aggregates = [("_count", f"{n}CountAggregateOutput"), ("_sum", "Dict[str, Any]"), ("_avg", "Dict[str, Any]"),
                  ("_min", "Dict[str, Any]"), ("_max", "Dict[str, Any]")]
    out.append(_typeddict(f"{n}GroupByAggregates", aggregates))
    # Any `by`: no grouped key is known, so every field may be absent.
    out.append(_typeddict(f"{n}GroupByOutput", [(f.name, field_type(f)) for f in scalars], base=f"{n}GroupByAggregates, total=False"))
    # `by=["x"]` (an overload of group_by picks it): `x` is a required key, the other fields are not in a row.
    for f in scalars:
        out.append(_typeddict(group_by_output(n, f.name), [(f.name, field_type(f))], base=f"{n}GroupByAggregates"))
    out.append(f"{n}ScalarWhereWithAggregatesInput = Dict[str, Any]\n")
    out.append(f"{n}GroupByOrderInput = Union[\n    Mapping[{n}ScalarFieldKeys, SortOrder], List[Mapping[{n}ScalarFieldKeys, SortOrder]]\n]\n\n\n")
    return "".join(out)


def render_types(dm: Datamodel) -> str:
    out = [
        HEADER,
        "from __future__ import annotations\n\n",
        "import datetime\nimport decimal\n",
        "from typing import Any, Dict, List, Literal, Mapping, Optional, TypedDict, Union\n\n",
        "from lamina.client.runtime import fields\n",
        "from lamina.client.runtime.fields import Base64\n\n",
        "from . import enums\n",
    ]
    for e in dm.enums:
        out.append(f"from .enums import {e.name}Literal\n")
    out.append(_prelude())
    for e in dm.enums:
        t = f"Union[enums.{e.name}, {e.name}Literal]"
        out.append(f'_{e.name}EnumFilter = TypedDict(\n    "_{e.name}EnumFilter",\n    {{\n'
                   f'        "equals": Optional[{t}],\n        "in": List[{t}],\n        "not_in": List[{t}],\n'
                   f'        "not": Union[None, {t}, "_{e.name}EnumFilter"],\n    }},\n    total=False,\n)\n\n\n')
    for m in client_models(dm):
        out.append(f"# ---------------------------------------------------------------- {m.name}\n\n\n")
        out.append(_model_types(dm, m))
    return "".join(out).rstrip("\n") + "\n"
