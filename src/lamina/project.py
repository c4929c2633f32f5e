"""Where the project is: the schema file or folder, `.env`, and `[tool.lamina]` settings.

Discovery follows Prisma: an explicit `--schema`, then `[tool.lamina] schema = ...` in
`pyproject.toml` (Prisma reads `package.json` `prisma.schema`), then
`./prisma/schema.prisma`, then `./schema.prisma`. A folder of `.prisma` files is one schema.
"""

from __future__ import annotations

import io
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from lamina.errors import LaminaError

DEFAULT_CANDIDATES = ("prisma/schema.prisma", "schema.prisma")


@dataclass(frozen=True)
class SchemaLocation:
    """The schema as the user named it: one file, or a folder of `.prisma` files."""

    path: Path  # the file, or the folder
    files: tuple[Path, ...]  # every .prisma file, sorted

    @property
    def is_folder(self) -> bool:
        return self.path.is_dir()

    @property
    def directory(self) -> Path:
        """The folder the schema lives in; `migrations/` sits beside the schema."""
        return self.path if self.path.is_dir() else self.path.parent

    def display(self, cwd: Path | None = None) -> str:
        cwd = cwd or Path.cwd()
        try:
            return str(self.path.resolve().relative_to(cwd.resolve()))
        except ValueError:
            return str(self.path)

    def read_sources(self) -> list[tuple[str, str]]:
        """(display name, text) for every file of the schema."""
        out = []
        for f in self.files:
            try:
                text = f.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                raise LaminaError(f"The schema file {f} is not valid UTF-8.") from None
            name = f.name if self.is_folder else self.display()
            out.append((name, text))
        return out


@dataclass
class ProjectSettings:
    """`[tool.lamina]` from pyproject.toml (and `prisma` from package.json as a fallback)."""

    schema: str | None = None
    seed: str | None = None
    root: Path = field(default_factory=Path.cwd)
    views: str | None = None  # where `db pull` writes view SQL (views preview); default `views/` beside the schema


def load_settings(cwd: Path | None = None) -> ProjectSettings:
    cwd = cwd or Path.cwd()
    settings = ProjectSettings(root=cwd)
    pyproject = cwd / "pyproject.toml"
    if pyproject.is_file():
        import tomllib

        try:
            data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise LaminaError(f"Could not read {pyproject}: {exc}") from None
        tool = data.get("tool", {}).get("lamina", {})
        settings.schema = tool.get("schema")
        settings.seed = tool.get("seed")
        settings.views = tool.get("views")
    package_json = cwd / "package.json"
    if package_json.is_file() and (settings.schema is None or settings.seed is None):
        try:
            prisma = json.loads(package_json.read_text(encoding="utf-8")).get("prisma", {})
        except (ValueError, UnicodeDecodeError):
            prisma = {}
        if isinstance(prisma, dict):
            settings.schema = settings.schema or prisma.get("schema")
            settings.seed = settings.seed or prisma.get("seed")
    if settings.views is None:
        settings.views = _prisma_config_views_path(cwd)
    return settings


_CONFIG_VIEWS = re.compile(r"""\bviews\s*:\s*\{[^{}]*?\bpath\s*:\s*(["'`])([^"'`]+)\1""")


def _prisma_config_views_path(cwd: Path) -> str | None:
    """`views: { path: "..." }` of a Prisma 7 `prisma.config.ts` (a literal path only), so that a
    Prisma project's views folder is found unchanged."""
    config = cwd / "prisma.config.ts"
    if not config.is_file():
        return None
    try:
        found = _CONFIG_VIEWS.search(config.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        return None
    return found.group(2) if found else None


def locate_schema(explicit: str | os.PathLike[str] | None, cwd: Path | None = None) -> SchemaLocation:
    cwd = cwd or Path.cwd()
    if explicit is not None:
        candidate = Path(explicit)
        if not candidate.is_absolute():
            candidate = cwd / candidate
        if not candidate.exists():
            raise LaminaError(f"Could not load `--schema` from provided path `{explicit}`: file or directory not found")
        return _location(candidate)
    settings = load_settings(cwd)
    if settings.schema:
        candidate = cwd / settings.schema
        if not candidate.exists():
            raise LaminaError(
                f"Could not load schema from `{settings.schema}` provided by \"[tool.lamina] schema\" in pyproject.toml: file or directory not found"
            )
        return _location(candidate)
    for rel in DEFAULT_CANDIDATES:
        candidate = cwd / rel
        if candidate.is_file():
            return _location(candidate)
    raise LaminaError(
        "Could not find a schema.prisma file that is required for this command.\n"
        "You can either provide it with `--schema`, set it in `[tool.lamina] schema` in pyproject.toml, "
        "or put it into the default location (`./prisma/schema.prisma` or `./schema.prisma`)."
    )


def _location(path: Path) -> SchemaLocation:
    if path.is_dir():
        files = tuple(sorted(p for p in path.rglob("*.prisma") if p.is_file()))
        if not files:
            raise LaminaError(f"The folder {path} contains no .prisma files.")
        return SchemaLocation(path, files)
    return SchemaLocation(path, (path,))


def load_dotenv_files(schema_dir: Path | None, cwd: Path | None = None) -> None:
    """Load `.env` from the project root and the schema's folder, never overriding the environment."""
    cwd = cwd or Path.cwd()
    candidates = [cwd / ".env"]
    if schema_dir is not None:
        candidates.append(schema_dir / ".env")
    seen: set[Path] = set()
    for path in candidates:
        try:
            resolved = path.resolve()
        except OSError:
            continue
        if resolved in seen or not path.is_file():
            continue
        seen.add(resolved)
        from dotenv import dotenv_values

        from lamina.errors import decode_text

        try:
            text = decode_text(path.read_bytes(), path)  # a clear error, not a UnicodeDecodeError in every command
        except OSError:
            continue
        for key, value in dotenv_values(stream=io.StringIO(text)).items():
            if value is not None and key not in os.environ:
                os.environ[key] = value
