"""Partial models (prisma-client-py's `partial_type_generator`).

The generator block names a script, `partial_type_generator = "scripts/partials.py"`, that calls
`Model.create_partial("Name", include=...|exclude=..., required=, optional=, relations=,
exclude_relational_fields=)`. `lamina generate` writes the package, runs the script in a
subprocess with `PRISMA_GENERATOR_INVOCATION` set (`run_script`), and writes `partials.py` with
one `Base<Model>` subclass per partial, so `PartialName.prisma().find_many()` reads only its
fields. Here: recording and validating the calls, as prisma-client-py does.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any, Iterable, Mapping

from .meta import ModelMeta

MARK = "\n--lamina-partials--\n"
_created: list[dict[str, Any]] = []


def create_partial(
    m: ModelMeta, name: str, include: Iterable[str] | None = None, exclude: Iterable[str] | None = None,
    required: Iterable[str] | None = None, optional: Iterable[str] | None = None,
    relations: Mapping[str, str] | None = None, exclude_relational_fields: bool = False,
) -> None:
    if not os.environ.get("PRISMA_GENERATOR_INVOCATION"):
        raise RuntimeError("Attempted to create a partial type outside of client generation.")
    if any(p["name"] == name for p in _created):
        raise ValueError(f'Partial type "{name}" has already been created.')
    if include is not None:
        if exclude is not None:
            raise TypeError("Exclude and include are mutually exclusive.")
        if exclude_relational_fields:
            raise TypeError("Include and exclude_relational_fields=True are mutually exclusive.")
    if required and optional:
        shared = set(required) & set(optional)
        if shared:
            raise ValueError(f"Cannot make the same field(s) required and optional {shared}")
    if exclude_relational_fields and relations:
        raise ValueError("exclude_relational_fields and relations are mutually exclusive")

    # every field of the model in the generated model's order, and whether it may be None
    every: dict[str, dict[str, Any]] = {
        f.name: {"optional": not f.required and not f.is_list, "relation": None} for f in m.scalars}
    every.update({r: {"optional": True, "relation": None} for r in m.relations})

    def known(field: str) -> str:
        if field not in every:
            raise ValueError(f"{field} is not a valid {m.name} / {name} field.")
        return field

    if include:
        fields = {known(f): dict(every[f]) for f in include}
    elif exclude:
        skip = {known(f) for f in exclude}
        fields = {k: dict(v) for k, v in every.items() if k not in skip}
    else:
        fields = {k: dict(v) for k, v in every.items()}
    for f in required or ():
        fields[known(f)]["optional"] = False
    for f in optional or ():
        fields[known(f)]["optional"] = True
    if exclude_relational_fields:
        fields = {k: v for k, v in fields.items() if k not in m.relations}
    for field, type_ in (relations or {}).items():
        if field not in m.relations:
            from .errors import UnknownRelationalFieldError

            raise UnknownRelationalFieldError(m.name, field)
        if not any(p["name"] == type_ for p in _created):
            raise ValueError(f'Unknown partial type: "{type_}". Did you remember to generate the {type_} type before this one?')
        if field in fields:
            fields[field]["relation"] = type_
    _created.append({"name": name, "model": m.name, "fields": fields})


def run_script(script: str, is_path: bool) -> None:
    """Run a partial-types script (a file, or a module name) and print what it created after MARK:
    `python -c` entry point of the generator's subprocess."""
    import runpy

    if is_path:
        runpy.run_path(script, run_name="__main__")
    else:
        runpy.run_module(script, run_name="__main__")
    sys.stdout.write(MARK + json.dumps(_created))
