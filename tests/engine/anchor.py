"""Snapshots made by the real Prisma CLI (../shared/anchors/prisma/prisma.sh).

Used only when regenerating expectations (`LAMINA_UPDATE_SNAPSHOTS=1`, or
`python tests/engine/anchor.py [NAME...]`). Schema-to-schema `migrate diff` never opens
a database, so the script is Prisma's renderer output byte for byte; we only normalise
the CLI's extra trailing blank lines back to the single final newline of `migration.sql`.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCENARIOS = HERE / "scenarios"
PRISMA_SH = HERE.parents[1].parent / "shared" / "anchors" / "prisma" / "prisma.sh"
PROVIDERS = ("sqlite", "postgresql")
EMPTY = "-- This is an empty migration.\n"
# The real CLI runs here: Node, ../shared/anchors (absent from a user's clone) and its installed folder.
ANCHOR_DIR = Path(os.environ.get("PRISMA_ANCHOR_DIR", "/tmp/anchors/prisma"))
PRISMA_CLI_HERE = shutil.which("node") is not None and PRISMA_SH.is_file() and (ANCHOR_DIR / "node_modules" / "prisma").is_dir()


def for_provider(schema_text: str, provider: str) -> str:
    """A scenario schema (written for postgresql) retargeted at `provider`, without `url`."""
    text = re.sub(r'provider\s*=\s*"postgresql"', f'provider = "{provider}"', schema_text, count=1)
    return re.sub(r"^\s*url\s*=.*\n", "", text, flags=re.M)


def prisma_diff(provider: str, before: str | None, after: str | None, script: bool = True) -> str | None:
    """Prisma's script (or human summary) from `before` to `after` (None = empty); None when
    Prisma rejects a schema."""
    with tempfile.TemporaryDirectory(prefix="anchor-") as tmp:
        args = []
        for side, text in (("from", before), ("to", after)):
            if text is None:
                args.append(f"--{side}-empty")
            else:
                path = Path(tmp) / f"{side}.prisma"
                path.write_text(for_provider(text, provider))
                args += [f"--{side}-schema", str(path)]
        env = dict(os.environ, PRISMA_ANCHOR_SKIP_SETUP="1")
        proc = subprocess.run(
            [str(PRISMA_SH), "-C", tmp, provider, "migrate", "diff", *args, *(["--script"] if script else [])],
            capture_output=True, text=True, env=env, timeout=120,
        )
        if proc.returncode != 0:
            return None
        # The CLI prints the engine's text, then an empty line of its own.
        return proc.stdout.rstrip("\n") + "\n" if script else proc.stdout.removesuffix("\n")


def regenerate(case: Path) -> list[str]:
    """Rewrite expected.<provider>.sql for one scenario; returns what was written."""
    before = (case / "before.prisma").read_text()
    after = (case / "after.prisma").read_text()
    written = []
    for provider in PROVIDERS:
        target = case / f"expected.{provider}.sql"
        script = prisma_diff(provider, before, after)
        if script is None:
            target.unlink(missing_ok=True)
            continue
        target.write_text(script)
        written.append(target.name)
        summary = prisma_diff(provider, before, after, script=False)
        if summary is not None:
            (case / f"summary.{provider}.txt").write_text(summary)
            written.append(f"summary.{provider}.txt")
    return written


def main(names: list[str]) -> None:
    cases = [SCENARIOS / n for n in names] if names else sorted(p for p in SCENARIOS.iterdir() if p.is_dir())
    with ThreadPoolExecutor(max_workers=6) as pool:
        for case, written in zip(cases, pool.map(regenerate, cases)):
            print(f"{case.name}: {', '.join(written) or 'rejected by Prisma for every provider'}")


if __name__ == "__main__":
    main(sys.argv[1:])
