"""The helper modules prisma-client-py programs and test suites import from the package:
`prisma._compat` (pydantic helpers), `prisma.utils.get_or_create_event_loop` and
`prisma.testing.reset_client`. The generated package re-exports these under those names."""

from __future__ import annotations

import asyncio
import contextlib
import warnings
from functools import cached_property as cached_property
from typing import Any, Iterator, TypeVar

from pydantic import BaseModel

_ModelT = TypeVar("_ModelT", bound=BaseModel)

PYDANTIC_V2 = True  # Lamina's client is built on pydantic 2


def model_copy(model: _ModelT, deep: bool = False) -> _ModelT:
    return model.model_copy(deep=deep)


def model_json(model: BaseModel, **kwargs: Any) -> str:
    return model.model_dump_json(**kwargs)


def model_dict(model: BaseModel, **kwargs: Any) -> dict[str, Any]:
    return model.model_dump(**kwargs)


def model_parse(model: type[_ModelT], obj: Any) -> _ModelT:
    return model.model_validate(obj)


def model_parse_json(model: type[_ModelT], obj: str) -> _ModelT:
    return model.model_validate_json(obj)


def model_json_schema(model: type[BaseModel]) -> dict[str, Any]:
    return model.model_json_schema()


def model_rebuild(model: type[BaseModel]) -> None:
    model.model_rebuild()


def get_or_create_event_loop() -> asyncio.AbstractEventLoop:
    """The current event loop, or a new one set as current (asyncio.get_event_loop's old behaviour)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=DeprecationWarning)
        try:
            return asyncio.get_event_loop()
        except RuntimeError:
            loop = asyncio.new_event_loop()
            asyncio.set_event_loop(loop)
            return loop


@contextlib.contextmanager
def reset_client(package: str, new_client: Any = None) -> Iterator[None]:
    """Unregister the package's client (or register `new_client`, a client or a function that
    returns one) for the duration of the block; the original comes back after it."""
    from .client import _REGISTRY
    from .errors import ClientNotRegisteredError

    if package not in _REGISTRY:
        raise ClientNotRegisteredError()
    client = _REGISTRY[package]
    try:
        if new_client is None:
            del _REGISTRY[package]
        else:
            _REGISTRY[package] = new_client
        yield
    finally:
        _REGISTRY[package] = client


def unregister_client(package: str) -> None:
    from .client import _REGISTRY
    from .errors import ClientNotRegisteredError

    if _REGISTRY.pop(package, None) is None:
        raise ClientNotRegisteredError()
