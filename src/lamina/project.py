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
    root: Path = field(default_factory=Path.cwd)  # the project folder it was found from (settings, prisma.config.ts)

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
    # Folders (relative to `root`); unset: prisma.config.ts's, else Prisma's default (`project_paths`)
    migrations: str | None = None
    views: str | None = None  # where `db pull` writes view SQL (views preview)
    typed_sql: str | None = None  # the SQL files of `generate --sql` (typedSql preview)
    lint_small_table_rows: object = None  # `migrate lint`: below it a locking finding is info (lint/sizes.py)


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
        settings.migrations = tool.get("migrations")
        settings.views = tool.get("views")
        settings.typed_sql = tool.get("typed_sql")
        settings.lint_small_table_rows = tool.get("lint_small_table_rows")
    package_json = cwd / "package.json"
    if package_json.is_file() and (settings.schema is None or settings.seed is None):
        try:
            prisma = json.loads(package_json.read_text(encoding="utf-8")).get("prisma", {})
        except (ValueError, UnicodeDecodeError):
            prisma = {}
        if isinstance(prisma, dict):
            settings.schema = settings.schema or prisma.get("schema")
            settings.seed = settings.seed or prisma.get("seed")
    return settings


# ---------------------------------------------------------------- Prisma 7's prisma.config.ts
#
# Lamina does not run TypeScript: it reads the paths a config writes as plain string literals
# (`typedSql: { path: "db/sql" }`; `path.join(...)` or `process.env.X ?? "..."` are not read).
# The file names and their order are @prisma/config 7.10.1's (`findPrismaConfigFile`, then c12's
# `prisma.config` / `.config/prisma` search); its paths are relative to the file's folder.

_CONFIG_EXTENSIONS = (".js", ".ts", ".mjs", ".cjs", ".mts", ".cts")
CONFIG_FILE_NAMES = tuple(
    [f"prisma7.config{e}" for e in _CONFIG_EXTENSIONS]
    + [f".config/prisma7{e}" for e in _CONFIG_EXTENSIONS]
    + [f"{base}{e}" for base in ("prisma.config", ".config/prisma", ".config/prisma.config") for e in _CONFIG_EXTENSIONS]
    + [f"{base}/index{e}" for base in ("prisma.config", ".config/prisma", ".config/prisma.config") for e in _CONFIG_EXTENSIONS]
)
_JS_TOKEN = re.compile(r"""("(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'|`(?:\\.|[^`\\])*`)|//[^\n]*|/\*.*?\*/""", re.S)
_JS_STRING = r"""(?:"(?P<dq>[^"\\\n]*)"|'(?P<sq>[^'\\\n]*)'|`(?P<bq>[^`\\$]*)`)"""


@dataclass(frozen=True)
class PrismaConfig:
    """A `prisma.config.ts` found in the project folder, its comments removed."""

    path: Path
    text: str

    def display(self, cwd: Path | None = None) -> str:
        try:
            return os.path.relpath(self.path, cwd or Path.cwd())
        except ValueError:  # another drive on Windows
            return str(self.path)

    def _setting(self, key: str, nested: str | None, value: str) -> re.Match[str] | None:
        name = rf"""(?:\b{key}\b|"{key}"|'{key}')\s*:\s*"""
        if nested is not None:
            name += rf"""\{{[^{{}}]*?(?:\b{nested}\b|"{nested}"|'{nested}')\s*:\s*"""
        return re.search(name + value, self.text)

    def string_setting(self, key: str, nested: str | None = None) -> str | None:
        """`key: "..."` (or `key: { nested: "..." }`) when it is a string literal."""
        found = self._setting(key, nested, _JS_STRING)
        return _string_of(found) if found is not None else None

    def path_setting(self, key: str, nested: str | None = None) -> Path | None:
        """`key: "..."` (or `key: { nested: "..." }`) as a path relative to the config's folder."""
        value = self.string_setting(key, nested)
        return Path(os.path.normpath(self.path.parent / value)) if value else None

    def datasource_setting(self, key: str, required: bool = True) -> str | None:
        """`datasource: { url | shadowDatabaseUrl: ... }` evaluated as Prisma's config would be:
        a string, `env("NAME")` (a missing variable is Prisma's PrismaConfigEnvError) or
        `process.env.NAME` (with `!`, or `?? "default"` / `|| undefined`); None when the key is
        absent or undefined. Any other expression is code Lamina does not run: a clear error, or
        None when the setting is not `required` (a shadow URL only some commands use)."""
        found = self._setting("datasource", key, r"(?P<expr>[^,}\n]+)")
        if found is None:
            return None
        expr = found["expr"].strip()
        literal = re.fullmatch(_JS_STRING, expr)
        if literal is not None:
            return _string_of(literal)
        call = re.fullmatch(r"env\s*(?:<[^>]*>)?\(\s*" + _JS_STRING + r"\s*\)", expr)
        if call is not None:
            name = _string_of(call)
            if name not in os.environ:
                raise LaminaError(
                    f'Failed to load config file "{self.path.parent}" as a TypeScript/JavaScript module. '
                    f"Error: PrismaConfigEnvError: Cannot resolve environment variable: {name}."
                )
            return os.environ[name]
        read = re.fullmatch(
            r"process\.env(?:\.(?P<dot>\w+)|\[\s*[\"'](?P<index>\w+)[\"']\s*\])\s*!?"
            r"(?:\s*(?:\?\?|\|\|)\s*(?:" + _JS_STRING + r"|undefined|null))?",
            expr,
        )
        if read is not None:
            return os.environ.get(read["dot"] or read["index"]) or _string_of(read)  # the default, or None
        if not required:
            return None
        raise LaminaError(
            f"Lamina cannot evaluate `datasource.{key}` in {self.display()} (`{expr}`): it reads a string, "
            f'env("NAME") or process.env.NAME there. Write it in one of those forms, or give the URL in the '
            f"schema's datasource block."
        )


def _string_of(found: re.Match[str]) -> str:
    """The text of the one `_JS_STRING` in a match."""
    return found["dq"] if found["dq"] is not None else found["sq"] if found["sq"] is not None else found["bq"]


_config_file: Path | None = None  # `--config PATH`: the file every lookup of this process reads


def use_config_file(path: str | os.PathLike[str]) -> None:
    """`--config PATH` (relative to the current folder), checked as Prisma checks it."""
    global _config_file
    candidate = Path(os.path.abspath(path))
    if not candidate.is_file():
        raise LaminaError(f'Config file not found at "{candidate}"')
    _config_file = candidate


def find_prisma_config(cwd: Path | None = None) -> PrismaConfig | None:
    cwd = cwd or Path.cwd()
    for path in [_config_file] if _config_file is not None else (cwd / name for name in CONFIG_FILE_NAMES):
        if path.is_file():
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                return None
            return PrismaConfig(path, _JS_TOKEN.sub(lambda m: m.group(1) or " ", text))
    return None


@dataclass(frozen=True)
class ProjectPaths:
    """The project's folders, each as Prisma 7.10.1 finds it: the prisma.config.ts setting
    (`migrations.path`, `views.path`, `typedSql.path`), else `migrations/`, `views/` and `sql/` in
    the schema's folder (the schema folder itself for a folder of `.prisma` files). A
    `[tool.lamina]` setting of pyproject.toml (`migrations`, `views`, `typed_sql`, relative to the
    project folder) comes first."""

    migrations: Path
    views: Path
    typed_sql: Path


def project_paths(location: SchemaLocation) -> ProjectPaths:
    settings = load_settings(location.root)
    config = find_prisma_config(settings.root)

    def pick(own: str | None, key: str, default: str) -> Path:
        if own:
            return settings.root / own
        found = config.path_setting(key, "path") if config is not None else None
        return found or location.directory / default

    return ProjectPaths(
        migrations=pick(settings.migrations, "migrations", "migrations"),
        views=pick(settings.views, "views", "views"),
        typed_sql=pick(settings.typed_sql, "typedSql", "sql"),
    )


def locate_schema(explicit: str | os.PathLike[str] | None, cwd: Path | None = None) -> SchemaLocation:
    cwd = cwd or Path.cwd()
    if explicit is not None:
        candidate = Path(explicit)
        if not candidate.is_absolute():
            candidate = cwd / candidate
        if not candidate.exists():
            raise LaminaError(f"Could not load `--schema` from provided path `{explicit}`: file or directory not found")
        return _location(candidate, cwd)
    settings = load_settings(cwd)
    if settings.schema:
        candidate = cwd / settings.schema
        if not candidate.exists():
            raise LaminaError(
                f"Could not load schema from `{settings.schema}` provided by \"[tool.lamina] schema\" in pyproject.toml: file or directory not found"
            )
        return _location(candidate, cwd)
    config = find_prisma_config(cwd)
    configured = config.path_setting("schema") if config is not None else None
    if configured is not None:
        if not configured.exists():
            raise LaminaError(f"Could not load schema from `{configured}` provided by the Prisma config file: file or directory not found")
        return _location(configured, cwd)
    for rel in DEFAULT_CANDIDATES:
        candidate = cwd / rel
        if candidate.is_file():
            return _location(candidate, cwd)
    raise LaminaError(
        "Could not find a schema.prisma file that is required for this command.\n"
        "You can either provide it with `--schema`, set it in `[tool.lamina] schema` in pyproject.toml, "
        "or put it into the default location (`./prisma/schema.prisma` or `./schema.prisma`)."
    )


def _location(path: Path, root: Path) -> SchemaLocation:
    if path.is_dir():
        files = tuple(sorted(p for p in path.rglob("*.prisma") if p.is_file()))
        if not files:
            raise LaminaError(f"The folder {path} contains no .prisma files.")
        return SchemaLocation(path, files, root)
    return SchemaLocation(path, (path,), root)


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
