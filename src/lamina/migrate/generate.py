"""Run `lamina generate` after dev/reset/push (Prisma runs its generators there too),
only when the schema has a `generator` block and the client generator is installed."""

from __future__ import annotations

import re

from lamina.errors import LaminaError
from lamina.migrate.context import Context
from lamina.migrate.output import err, out


def maybe_generate(ctx: Context) -> None:
    if not any(re.search(r"^\s*generator\s+\w+\s*\{", text, re.M) for _, text in ctx.location.read_sources()):
        return
    try:
        from lamina.cli.generate_cmd import generate
    except ImportError:
        return
    out()
    try:
        # The generate command itself, so its output and rules stay in one place. Without
        # standalone mode click returns the code of a `ctx.exit(code)` instead of raising.
        code = generate.main(args=["--schema", str(ctx.location.path)], prog_name="lamina generate",
                             standalone_mode=False)
    except LaminaError as exc:
        err(f"Warning: generating the client failed:\n{exc.render()}")
        return
    except SystemExit as exc:  # a plain sys.exit() inside the command
        code = exc.code
    if code:
        err("Warning: generating the client failed.")
