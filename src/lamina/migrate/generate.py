"""Run the client generator after dev/reset/push when one exists (the client helper's
`lamina.client`), and only when the schema has a `generator` block."""

from __future__ import annotations

import importlib
import re

from lamina.migrate.context import Context
from lamina.migrate.output import err


def maybe_generate(ctx: Context) -> None:
    if not any(re.search(r"^\s*generator\s+\w+\s*\{", text, re.M) for _, text in ctx.location.read_sources()):
        return
    try:
        module = importlib.import_module("lamina.cli.generate_cmd")
        run = getattr(module, "run_generate", None)
    except ImportError:
        run = None
    if run is None:
        return
    try:
        run(ctx.location)
    except Exception as exc:  # noqa: BLE001 - generation failing must not undo a migration
        err(f"Warning: generating the client failed: {getattr(exc, 'message', exc)}")
