"""Generate `enums.py` and `models.py`: one str-Enum per enum, one Pydantic v2 model per model."""

from __future__ import annotations

from typing import Any

from lamina.datamodel import Arity, Datamodel, ScalarType

from .common import HEADER, base_type, docstring, field_type, py_list
from .meta import client_models, relation_fields, scalar_fields


def render_enums(dm: Datamodel) -> str:
    out = [HEADER, "from __future__ import annotations\n\nfrom enum import StrEnum\nfrom typing import Literal\n"]
    for e in dm.enums:
        out.append(f"\n\nclass {e.name}(StrEnum):\n")
        out.append(docstring(e.documentation, "    "))
        for v in e.values:
            out.append(docstring(v.documentation, "    "))
            out.append(f"    {v.name} = {v.name!r}\n")
        if not e.values:
            out.append("    pass\n")
    out.append("\n")
    for e in dm.enums:
        values = ", ".join(repr(v.name) for v in e.values)
        out.append(f"\n{e.name}Literal = Literal[{values}]\n")
    names = [e.name for e in dm.enums] + [f"{e.name}Literal" for e in dm.enums]
    out.append("\n" + py_list("__all__ = ", [repr(n) for n in names]))
    return "".join(out)


def render_bases(dm: Datamodel) -> str:
    """`bases.py`: `BaseUser`... to subclass for partial models, as in prisma-client-py:
    `class UserName(BaseUser): name: str` then `UserName.prisma().find_many()` reads only `name`."""
    models = client_models(dm)
    out = [
        HEADER,
        "from __future__ import annotations\n\n",
        "from typing import TYPE_CHECKING, Iterable, Mapping, Optional\n\n",
        "from pydantic import BaseModel, ConfigDict\n",
        "if TYPE_CHECKING:\n    from typing import Self\n\n",
        "    from .actions import (\n" + "".join(f"        {m.name}Actions,\n" for m in models) + "    )\n" if models else "",
        "    from .client import Prisma\n\n" if models else "    pass\n\n",
        "\nclass LaminaModel(BaseModel):\n",
        '    """Base of the generated models: instances are built from database rows as they are."""\n\n',
        "    model_config = ConfigDict(arbitrary_types_allowed=True, protected_namespaces=())\n",
    ]
    for m in models:
        out.append(
            f"\n\nclass Base{m.name}(LaminaModel):\n"
            f'    """Base of `models.{m.name}` and of partial {m.name} models (their fields are the ones read)."""\n\n'
            "    @classmethod\n"
            f"    def prisma(cls, client: Optional[Prisma] = None) -> {m.name}Actions[Self]:\n"
            '        """The query actions of this model on `client` (default: the registered client)."""\n'
            f"        from .actions import {m.name}Actions\n"
            "        from .client import get_client\n\n"
            f"        return {m.name}Actions(client or get_client(), cls)\n\n"
            "    @staticmethod\n"
            "    def create_partial(\n"
            "        name: str,\n"
            "        include: Optional[Iterable[str]] = None,\n"
            "        exclude: Optional[Iterable[str]] = None,\n"
            "        required: Optional[Iterable[str]] = None,\n"
            "        optional: Optional[Iterable[str]] = None,\n"
            "        relations: Optional[Mapping[str, str]] = None,\n"
            "        exclude_relational_fields: bool = False,\n"
            "    ) -> None:\n"
            f'        """A partial {m.name} model for `partials.py`, from a `partial_type_generator` script."""\n'
            "        from lamina.client.runtime.partials import create_partial\n\n"
            "        from ._meta import SCHEMA\n\n"
            f"        create_partial(SCHEMA.models[{m.name!r}], name, include, exclude, required, optional, relations,\n"
            "                       exclude_relational_fields)\n"
        )
    names = ["LaminaModel"] + [f"Base{m.name}" for m in models]
    out.append("\n\n" + py_list("__all__ = ", [repr(n) for n in names]))
    return "".join(out)


# The opening of models.py and partials.py: both declare pydantic models of the same field types.
_MODULE_HEAD = (
    HEADER,
    "from __future__ import annotations\n\n",
    "import datetime\nimport decimal\n",
    "from typing import Any, List, Optional\n\n",
    "from lamina.client.runtime.fields import Base64, JsonValue\n\n",
)


def render_models(dm: Datamodel, interface: str) -> str:
    models = client_models(dm)
    out = [
        *_MODULE_HEAD,
        "from . import enums\n",
        "from ._meta import SCHEMA\n",
        "from .bases import (\n" + "".join(f"    {n},\n" for n in ["LaminaModel"] + [f"Base{m.name}" for m in models]) + ")\n",
    ]
    for m in models:
        out.append(f"\n\nclass {m.name}(Base{m.name}):\n")
        out.append(docstring(m.documentation or f"Represents a {m.name} record", "    "))
        out.append("\n")
        for f in scalar_fields(m):
            t = field_type(f)
            if f.type is ScalarType.JSON:  # Any, described in JSON Schema as prisma-client-py's Json
                t = t.replace("Any", "JsonValue")
            default = " = None" if f.arity is Arity.OPTIONAL else ""
            out.append(f"    {f.name}: {t}{default}\n")
            out.append(docstring(f.documentation, "    "))
        for rf in relation_fields(dm, m):
            t = f"List[{rf.related_model}]" if rf.arity is Arity.LIST else rf.related_model
            out.append(f"    {rf.name}: Optional[{t}] = None\n")
            out.append(docstring(rf.documentation, "    "))
    out.append("\n\n")
    for m in models:
        out.append(f"{m.name}.model_rebuild()\n")
    out.append("SCHEMA.bind(\n    {\n" + "".join(f"        {m.name!r}: {m.name},\n" for m in models) + "    },\n    enums,\n)\n")
    out.append("\n" + py_list("__all__ = ", [repr(n) for n in ["LaminaModel", *(m.name for m in models)]]))
    return "".join(out)


def render_partials(dm: Datamodel, partials: list[dict[str, Any]]) -> str:
    """`partials.py`: the partial models a `partial_type_generator` script created (runtime/partials.py),
    each a `Base<Model>` subclass with the chosen fields; relations typed as the full related model
    or as another partial (`relations={'author': 'UserOnlyName'}`)."""
    models = {m.name: m for m in client_models(dm)}
    out = [
        *_MODULE_HEAD,
        "from . import bases, enums, models\n",
    ]
    for p in partials:
        m = models[p["model"]]
        scalars = {f.name: f for f in scalar_fields(m)}
        rels = {rf.name: rf for rf in relation_fields(dm, m)}
        out.append(f"\n\nclass {p['name']}(bases.Base{m.name}):\n")
        out.append(f'    """A partial {m.name}: {", ".join(p["fields"]) or "no fields"}."""\n\n')
        for name, info in p["fields"].items():
            if name in scalars:
                f = scalars[name]
                t = base_type(f)
                if f.type is ScalarType.JSON:
                    t = "JsonValue"
                if f.arity is Arity.LIST:
                    t = f"List[{t}]"
            else:
                rf = rels[name]
                target = f"{info['relation']}" if info["relation"] else f"models.{rf.related_model}"
                t = f"List[{target}]" if rf.arity is Arity.LIST else target
            out.append(f"    {name}: Optional[{t}] = None\n" if info["optional"] else f"    {name}: {t}\n")
        if not p["fields"]:
            out.append("    pass\n")
    out.append("\n\n")
    for p in partials:
        out.append(f"{p['name']}.model_rebuild()\n")
    out.append("\n" + py_list("__all__ = ", [repr(p["name"]) for p in partials]))
    return "".join(out)
