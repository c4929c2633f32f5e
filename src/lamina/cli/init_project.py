"""`lamina init`: a new project's `prisma/schema.prisma`, `.env` and `.gitignore` entry.

Nothing is overwritten: an existing schema stops the command before anything is written, an
existing `DATABASE_URL` in `.env` is kept, and `.env` is added to `.gitignore` only once.
"""

from __future__ import annotations

from pathlib import Path

from lamina.errors import LaminaError

EXAMPLE_URLS = {
    "sqlite": "file:./dev.db",
    "postgresql": "postgresql://johndoe:randompassword@localhost:5432/mydb?schema=public",
    "mysql": "mysql://johndoe:randompassword@localhost:3306/mydb",
}

SCHEMA_TEMPLATE = """\
// This is your Prisma schema file,
// learn more about it in the docs: https://pris.ly/d/prisma-schema

generator client {{
  provider = "lamina"
}}

datasource db {{
  provider = "{provider}"
  url      = env("DATABASE_URL")
}}
"""

ENV_HEADER = """\
# Environment variables declared in this file are loaded automatically by Lamina
# (variables already set in the environment win).
# See the documentation for all the connection string options: https://pris.ly/d/connection-strings

"""


def init_project(root: Path, provider: str) -> str:
    """Create the files; return the message for the user. Raises LaminaError if a schema exists."""
    if provider not in EXAMPLE_URLS:
        raise LaminaError(f"Unknown datasource provider `{provider}`. Use one of: sqlite, postgresql, mysql.")
    for existing in (root / "prisma" / "schema.prisma", root / "schema.prisma"):
        if existing.exists():
            shown = existing.relative_to(root).as_posix()
            raise LaminaError(
                f"File {shown} already exists in your project.\n"
                "Please try again in a project that is not yet using Lamina (nothing was changed)."
            )
    schema_path = root / "prisma" / "schema.prisma"
    url = EXAMPLE_URLS[provider]
    notes: list[str] = []
    try:
        schema_path.parent.mkdir(parents=True, exist_ok=True)
        schema_path.write_text(SCHEMA_TEMPLATE.format(provider=provider), encoding="utf-8")
        notes.extend(_write_env(root / ".env", url))
        _add_to_gitignore(root / ".gitignore")
    except OSError as exc:
        raise LaminaError(f"Could not create the project files: {exc}") from None

    lines = [
        "",
        "\u2714 Your Lamina schema was created at prisma/schema.prisma",
        "  You can now open it in your favorite editor.",
        *notes,
        "",
        "Next steps:",
        "1. Set the DATABASE_URL in the .env file to point to your database.",
        "2. Run lamina db pull to turn your database schema into a Lamina schema,"
        " or add models to prisma/schema.prisma and run lamina migrate dev.",
        "3. Run lamina generate to generate the Lamina client.",
        "",
        "More information: `lamina --help`, and \"Getting started\" in Lamina's documentation",
        "(docs/getting-started.md; pris.ly's getting-started page is about Prisma's Node.js client).",
    ]
    return "\n".join(lines)


def _write_env(env_path: Path, url: str) -> list[str]:
    if not env_path.exists():
        env_path.write_text(f'{ENV_HEADER}DATABASE_URL="{url}"\n', encoding="utf-8")
        return []
    text = env_path.read_text(encoding="utf-8", errors="replace")
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("export "):
            stripped = stripped[len("export ") :].lstrip()
        if stripped.split("=", 1)[0].strip() == "DATABASE_URL" and "=" in stripped:
            return ["warn Lamina would have added DATABASE_URL but it already exists in .env"]
    separator = "" if not text or text.endswith("\n") else "\n"
    env_path.write_text(f'{text}{separator}DATABASE_URL="{url}"\n', encoding="utf-8")
    return []


def _add_to_gitignore(path: Path) -> None:
    if not path.exists():
        path.write_text(".env\n", encoding="utf-8")
        return
    text = path.read_text(encoding="utf-8", errors="replace")
    if any(line.strip() in (".env", "/.env") for line in text.splitlines()):
        return
    separator = "" if not text or text.endswith("\n") else "\n"
    path.write_text(f"{text}{separator}.env\n", encoding="utf-8")
