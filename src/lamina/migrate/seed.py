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
from dataclasses import dataclass
from pathlib import Path

from lamina.api_errors import NoSeedCommandError, SeedError
from lamina.migrate.events import Event, Reporter, print_event
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


NO_SEED_COMMAND = ('No seed command configured. Add one to pyproject.toml, e.g.\n\n'
                   '[tool.lamina]\nseed = "python seed.py"')


@dataclass(frozen=True)
class SeedRun:
    """How `migrate dev` and `migrate reset` run their seed step: in `root` (None: the working
    directory), its output kept (`capture`, lamina.api without on_event) or on the terminal."""

    root: Path | None = None
    capture: bool = False


@dataclass
class Seeded:
    command: str | None  # the command run; None when none is configured (and none was required)
    output: str | None = None  # what it printed (stdout and stderr together), when captured


def seed(extra_args: tuple[str, ...] = (), *, required: bool = True, root: Path | None = None,
         report: Reporter = print_event, capture: bool = False) -> Seeded:
    """Run the seed command. `capture`: keep what it prints (and give it no stdin) instead of
    letting it write to this process's terminal, as the CLI does. `required`: no seed command
    configured is a `NoSeedCommandError` (`db seed`), not a quiet no-op (reset and dev)."""
    root = root or Path.cwd()
    command = seed_command(root)
    if not command:
        if required:
            raise NoSeedCommandError(NO_SEED_COMMAND)
        return Seeded(None)
    full = command + ("" if not extra_args else " " + " ".join(shlex.quote(a) for a in extra_args))
    report(Event("seeding", f"Running seed command `{full}` ..."))
    output = None
    try:
        if capture:
            done = subprocess.run(full, shell=True, cwd=str(root), env=seed_environment(), stdin=subprocess.DEVNULL,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace")
            rc, output = done.returncode, done.stdout
            if output:
                report(Event("seed_output", output.rstrip("\n")))
        else:
            rc = subprocess.call(full, shell=True, cwd=str(root), env=seed_environment())
    except OSError as exc:
        raise SeedError(f"Could not run the seed command `{full}`: {exc}") from None
    if rc != 0:
        failed = SeedError(f"An error occurred while running the seed command:\nCommand failed with exit code {rc}: "
                           f"{full}", exit_code=1)
        failed.returncode = rc
        raise failed
    report(Event("seeded", "🌱  The seed command has been executed."))
    return Seeded(full, output)
