"""The typed Python client: `lamina generate` writes a package (a drop-in for prisma-client-py)
that talks to the database through its driver.

- `generator/`: datamodel -> package text (models, enums, TypedDict inputs, actions, client).
- `runtime/`: what the generated code imports (query compiler, drivers, errors).
- `generate.py`: which generator blocks, where to write, write-if-changed.
"""

from __future__ import annotations

from typing import Any


def generate_all(loaded_schema: Any) -> list[Any]:
    """Generate every client generator block of a loaded schema; returns the package folders."""
    from lamina.client.generate import generate_all as _generate_all

    return _generate_all(loaded_schema)
