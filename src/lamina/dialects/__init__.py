"""One folder per SQL dialect (sqlite/, postgres/, mysql/) behind `base.Dialect`."""

from __future__ import annotations

import importlib

from lamina.errors import LaminaError

_PACKAGES = {"sqlite": "sqlite", "postgresql": "postgres", "postgres": "postgres", "mysql": "mysql"}


def get_dialect(provider: str):
    """The `Dialect` for a Prisma provider name ("sqlite", "postgresql", "mysql")."""
    package = _PACKAGES.get(str(getattr(provider, "value", provider)))
    if package is None:
        raise LaminaError(f"The provider `{provider}` is not supported by Lamina's migration engine.")
    try:
        return importlib.import_module(f"lamina.dialects.{package}").DIALECT
    except (ImportError, AttributeError):
        raise LaminaError(f"The provider `{provider}` is not supported yet by Lamina's migration engine.") from None
