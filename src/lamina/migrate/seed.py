"""`db seed` (and the seed step of `migrate reset` / `migrate dev`).

The command is `[tool.lamina] seed = "..."` in pyproject.toml, else Prisma's
`package.json` `prisma.seed`, else prisma.config.ts's `migrations.seed` (Prisma 7); it runs through the shell in the project root with the
project's environment (.env loaded), extra arguments appended after `--`.

The folder of the interpreter running Lamina comes first on PATH (as `uv run` and `poetry
run` do), so `python seed.py` means the environment Lamina is installed in, with the
project's packages, even when that venv is not activated or Lamina runs from pipx.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

from lamina.errors import LaminaError
from lamina.migrate.output import err, out
from lamina.project import find_prisma_config, load_settings


def seed_command(root: Path | None = None) -> str | None:
    root = root or Path.cwd()
    own = load_settings(root).seed
    if own:
        return own
    config = find_prisma_config(root)  # Prisma 7: `migrations: { seed: "..." }`
    return config.string_setting("migrations", "seed") if config is not None else None


def seed_environment() -> dict[str, str]:
    env = os.environ.copy()
    here = os.path.dirname(sys.executable)
    if here:
        env["PATH"] = here + os.pathsep + env.get("PATH", "")
    return env


def run_seed(extra_args: tuple[str, ...] = (), *, required: bool = True, root: Path | None = None) -> int:
    root = root or Path.cwd()
    command = seed_command(root)
    if not command:
        if required:
            err(
                "No seed command configured. Add one to pyproject.toml, e.g.\n\n"
                '[tool.lamina]\nseed = "python seed.py"'
            )
            return 1
        return 0
    full = command + ("" if not extra_args else " " + " ".join(shlex.quote(a) for a in extra_args))
    out(f"Running seed command `{full}` ...")
    try:
        rc = subprocess.call(full, shell=True, cwd=str(root), env=seed_environment())
    except OSError as exc:
        raise LaminaError(f"Could not run the seed command `{full}`: {exc}") from None
    if rc != 0:
        raise LaminaError(f"An error occurred while running the seed command:\nCommand failed with exit code {rc}: {full}",
                          exit_code=1)
    out()
    out("🌱  The seed command has been executed.")
    return 0
