"""Datamodel -> the text of every file of the generated client package.

`render_package` is pure (no I/O): the same datamodel and options always give the same
text, so regenerating an unchanged schema rewrites nothing (see `lamina.client.generate`).
"""

from __future__ import annotations

import pprint

from lamina.datamodel import Datamodel

from .client import render_actions, render_client
from .common import HEADER
from .meta import schema_spec
from .models import render_bases, render_enums, render_models
from .types import render_types

_INIT = '''{header}"""Lamina client generated from the Prisma schema: `from {package} import Prisma`."""

from lamina.client.runtime.fields import Base64, Json
from lamina.client.runtime.metrics import Metric, MetricHistogram, Metrics

from . import actions, bases, engine, enums, errors, fields, models, partials, types
from .client import Batch, Lamina, Prisma, TransactionManager, get_client, register

Client = Prisma  # prisma-client-py's other name of the client class

__all__ = [
    "Prisma", "Client", "Lamina", "Batch", "TransactionManager", "register", "get_client", "Json", "Base64",
    "Metric", "Metrics", "MetricHistogram",
    "actions", "bases", "engine", "enums", "errors", "fields", "models", "partials", "types",
]
'''

_ERRORS = '''{header}"""The client's exceptions (prisma-client-py's `prisma.errors`)."""

{imports}
__all__ = [{names}]
'''

_FIELDS = '''{header}"""Value wrappers for Json and Bytes fields."""

from lamina.client.runtime.fields import Base64, Json

__all__ = ["Base64", "Json"]
'''


_COMPAT = '''{header}"""pydantic helpers under prisma-client-py's names (`prisma._compat`)."""

from lamina.client.runtime.compat import PYDANTIC_V2 as PYDANTIC_V2
from lamina.client.runtime.compat import cached_property as cached_property
from lamina.client.runtime.compat import model_copy as model_copy
from lamina.client.runtime.compat import model_dict as model_dict
from lamina.client.runtime.compat import model_json as model_json
from lamina.client.runtime.compat import model_json_schema as model_json_schema
from lamina.client.runtime.compat import model_parse as model_parse
from lamina.client.runtime.compat import model_parse_json as model_parse_json
from lamina.client.runtime.compat import model_rebuild as model_rebuild
'''

_UTILS = '''{header}"""prisma-client-py's `prisma.utils` helpers."""

from lamina.client.runtime.compat import get_or_create_event_loop as get_or_create_event_loop

__all__ = ["get_or_create_event_loop"]
'''

_TESTING = '''{header}"""Test helpers (prisma-client-py's `prisma.testing`)."""

from __future__ import annotations

from typing import Any, ContextManager

from lamina.client.runtime import compat as _compat

__all__ = ["reset_client", "unregister_client"]


def reset_client(new_client: Any = None) -> ContextManager[None]:
    """Unregister the client (or register `new_client`) inside a `with` block; restored after it."""
    return _compat.reset_client({package!r}, new_client)


def unregister_client() -> None:
    _compat.unregister_client({package!r})
'''


_ENGINE = '''{header}"""prisma-client-py's `prisma.engine` (Lamina runs no query engine: only its error classes)."""

from .errors import *  # noqa: F403
from .errors import __all__ as __all__
'''

_MAIN = '''{header}"""`python -m {package} <command>`: Lamina's CLI (as prisma-client-py forwarded to Prisma's)."""

from lamina.client.runtime.prisma_cli import main

main(package={package!r})
'''


def _render_engine_errors() -> str:
    from lamina.client.runtime import errors

    imports = "".join(f"from lamina.client.runtime.errors import {n} as {n}\n" for n in errors.ENGINE_ERRORS)
    names = ", ".join(f'"{n}"' for n in errors.ENGINE_ERRORS)
    return _ERRORS.format(header=HEADER, imports=imports, names=names).replace(
        "(prisma-client-py's `prisma.errors`)", "(prisma-client-py's `prisma.engine.errors`)")


def _render_errors() -> str:
    """Each runtime exception re-exported by name (`X as X`): type checkers treat a star import from
    another package as private (pyright strict: reportWildcardImportFromLibrary)."""
    from lamina.client.runtime import errors

    imports = "".join(f"from lamina.client.runtime.errors import {n} as {n}\n" for n in errors.__all__)
    names = ", ".join(f'"{n}"' for n in errors.__all__)
    return _ERRORS.format(header=HEADER, imports=imports, names=names)


# Names the generated modules use themselves; a model or enum by one of them would shadow it.
RESERVED = {
    "Any", "Dict", "Generic", "List", "Literal", "Mapping", "Optional", "Type", "TypeVar", "TypedDict", "Union",
    "BaseModel", "ConfigDict", "LaminaModel", "StrEnum", "Enum", "Base64", "Json", "SCHEMA", "Schema", "Prisma",
    "Lamina", "Batch", "BatchActions", "TransactionManager", "Path", "TYPE_CHECKING", "cast", "overload",
    "datetime", "decimal", "enums", "fields", "types", "models", "actions", "errors", "bases", "Self",
}


def _model_attributes() -> frozenset[str]:
    """Attribute names a field of a generated model would shadow: pydantic's BaseModel (`model_dump`,
    `json`...) and the generated bases' own (`prisma`, `create_partial`). Other `model_*` names are fine
    (`model_name`: the models disable pydantic's protected namespaces, as prisma-client-py's do)."""
    from pydantic import BaseModel

    return frozenset(dir(BaseModel)) | {"prisma", "create_partial"}


_MODEL_ATTRIBUTES = _model_attributes()


def check_names(dm: Datamodel) -> None:
    """Names that cannot become Python identifiers in the generated package, as clear errors."""
    import keyword

    from lamina.errors import LaminaError

    from .meta import client_models, relation_fields, scalar_fields

    problems = []
    for name in [*(m.name for m in client_models(dm)), *(e.name for e in dm.enums)]:
        if name in RESERVED or keyword.iskeyword(name):
            problems.append(f"`{name}` is reserved in the generated client; rename it and keep the table with @@map(\"{name}\").")
    for m in client_models(dm):
        for fname in [*(f.name for f in scalar_fields(m)), *(f.name for f in relation_fields(dm, m))]:
            if keyword.iskeyword(fname) or fname.startswith("__") or fname in _MODEL_ATTRIBUTES:
                problems.append(f"The field `{m.name}.{fname}` cannot be a Python attribute; rename it and keep the column with @map(\"{fname}\").")
    for e in dm.enums:
        for v in e.values:
            if keyword.iskeyword(v.name) or v.name.startswith("_"):
                problems.append(f"The enum value `{e.name}.{v.name}` cannot be a Python attribute; rename it and keep the value with @map(\"{v.name}\").")
    if problems:
        raise LaminaError("The client cannot be generated:\n" + "\n".join(f"  - {p}" for p in problems))


def render_package(dm: Datamodel, *, interface: str = "sync", package: str = "lamina_client",
                   schema_dir: str | None = None, sqlite_timestamp_format: str = "unixepoch-ms") -> dict[str, str]:
    check_names(dm)
    is_async = interface == "asyncio"
    spec = schema_spec(dm, schema_dir)
    if sqlite_timestamp_format != "unixepoch-ms":
        spec["sqlite_timestamp_format"] = sqlite_timestamp_format
    meta = (
        f"{HEADER}from lamina.client.runtime.meta import Schema\n\n"
        f"SCHEMA = Schema(\n{pprint.pformat(spec, indent=4, width=110, sort_dicts=False)}\n)\n"
    )
    return {
        "__init__.py": _INIT.format(header=HEADER, package=package),
        "_meta.py": meta,
        "enums.py": render_enums(dm),
        "bases.py": render_bases(dm),
        "models.py": render_models(dm, interface),
        "types.py": render_types(dm),
        "actions.py": render_actions(dm, is_async),
        "client.py": render_client(dm, is_async),
        "errors.py": _render_errors(),
        "engine/__init__.py": _ENGINE.format(header=HEADER),
        "engine/errors.py": _render_engine_errors(),
        "__main__.py": _MAIN.format(header=HEADER, package=package),
        "fields.py": _FIELDS.format(header=HEADER),
        "_compat.py": _COMPAT.format(header=HEADER),
        "utils.py": _UTILS.format(header=HEADER),
        "testing.py": _TESTING.format(header=HEADER, package=package),
        "py.typed": "",
    }
