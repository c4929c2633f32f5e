"""The datasource block, read without the full schema parser (start-up time matters).

`migrate status` and `migrate deploy` need only `provider` and `url` (plus
`shadowDatabaseUrl`): a small scanner finds the `datasource` block, resolves `env("X")`
and, when the block has no `url`, takes Prisma 7's `datasource.url` (and `shadowDatabaseUrl`)
from prisma.config.ts, else the `DATABASE_URL` environment variable.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from lamina.db.url import DatabaseUrl, parse_url
from lamina.errors import LaminaError
from lamina.project import SchemaLocation, find_prisma_config

_BLOCK = re.compile(r"^[ \t]*datasource[ \t]+(\w+)[ \t]*\{", re.M)
_PROVIDERS = {"postgresql": "postgresql", "postgres": "postgresql", "sqlite": "sqlite", "mysql": "mysql",
              "cockroachdb": "postgresql"}
_SCHEMES = {"postgresql": ("postgresql://", "postgres://"), "sqlite": ("file:", "sqlite:"),
            "mysql": ("mysql://", "mariadb://")}


@dataclass(frozen=True)
class Datasource:
    name: str
    provider: str  # normalised: "postgresql" | "sqlite" | "mysql"
    declared_provider: str  # as written ("postgres", "cockroachdb"...)
    url: DatabaseUrl
    shadow_url: str | None
    file: str

    def describe(self) -> str:
        if self.declared_provider == "postgres":
            # Prisma 7.10.1 names the PostgreSQL schema only under `provider = "postgresql"`;
            # its `postgres` alias prints no `, schema "..."` (whatever the URL's ?schema=)
            return f'Datasource "{self.name}": PostgreSQL database "{self.url.database}" at "{self.url.host_port}"'
        return f'Datasource "{self.name}": {self.url.describe()}'


def _strip_comment(line: str) -> str:
    out, quote = [], False
    i = 0
    while i < len(line):
        c = line[i]
        if c == '"' and (i == 0 or line[i - 1] != "\\"):
            quote = not quote
        if not quote and line.startswith("//", i):
            break
        out.append(c)
        i += 1
    return "".join(out)


def read_block(location: SchemaLocation) -> tuple[str, dict[str, tuple[str, int]], str] | None:
    """(name, {key: (raw value, line number)}, file display name) of the first datasource block."""
    for display, text in location.read_sources():
        m = _BLOCK.search(text)
        if not m:
            continue
        fields: dict[str, tuple[str, int]] = {}
        line_no = text.count("\n", 0, m.end())  # the first piece below is the rest of the block line
        for line in text[m.end():].splitlines():
            line_no += 1
            body = _strip_comment(line).strip()
            if body.startswith("}"):
                break
            if "=" in body:
                key, _, value = body.partition("=")
                fields[key.strip()] = (value.strip(), line_no)
        return m.group(1), fields, display
    return None


def _value(raw: str, key: str, file: str, line: int) -> str | None:
    env = re.fullmatch(r'env\(\s*"([^"]*)"\s*\)', raw)
    if env:
        name = env.group(1)
        value = os.environ.get(name)
        if value is None:
            raise LaminaError(
                f"Prisma schema validation\nError code: P1012\n"
                f"error: Environment variable not found: {name}.\n  -->  {file}:{line}\n\nValidation Error Count: 1",
                code="P1012",
            )
        return value
    if raw.startswith('"') and raw.endswith('"') and len(raw) >= 2:
        return raw[1:-1].encode().decode("unicode_escape")
    return None


def load_datasource(location: SchemaLocation, url_override: str | None = None) -> Datasource:
    found = read_block(location)
    if found is None:
        raise LaminaError(
            "The schema has no datasource block. Add one, e.g.\n\ndatasource db {\n  provider = \"postgresql\"\n  url      = env(\"DATABASE_URL\")\n}",
            code="P1012",
        )
    name, fields, file = found
    raw_provider, pline = fields.get("provider", ('""', 0))
    declared = (_value(raw_provider, "provider", file, pline) or "").strip()
    provider = _PROVIDERS.get(declared)
    if provider is None:
        raise LaminaError(f'Datasource provider not known: "{declared}".', code="P1012")
    base_dir = location.directory  # Prisma <= 6: a relative SQLite path is relative to the schema
    config = find_prisma_config(location.root)
    direct = _value(fields["directUrl"][0], "directUrl", file, fields["directUrl"][1]) if "directUrl" in fields else None
    if url_override:
        url_text = url_override
    elif direct:
        # `directUrl` (Prisma 5/6): the migrate and db commands bypass the connection pooler
        # (PgBouncer, Supavisor...) that `url` goes through; the client keeps `url`.
        url_text = direct
    elif "url" in fields:
        url_text = _value(fields["url"][0], "url", file, fields["url"][1]) or ""
    else:
        # Prisma 7: the URL is prisma.config.ts's `datasource.url`, relative to the project root.
        url_text = (config.datasource_setting("url") if config is not None else None) or os.environ.get("DATABASE_URL", "")
        base_dir = config.path.parent if config is not None else Path.cwd()
        if not url_text and config is not None:
            raise LaminaError(
                f"The datasource `{name}` has no `url`, {config.display()} has no `datasource.url` and DATABASE_URL is "
                f"not set.\nAdd `datasource: {{ url: env(\"DATABASE_URL\") }}` to {config.display()} and set DATABASE_URL "
                f"(e.g. in .env).",
                code="P1012",
            )
        if not url_text:
            raise LaminaError(
                f"The datasource `{name}` has no `url` and DATABASE_URL is not set.\n"
                f"Add `url = env(\"DATABASE_URL\")` to the datasource block or set DATABASE_URL (e.g. in .env).",
                code="P1012",
            )
    if not url_text.lower().startswith(_SCHEMES[provider]):
        expected = " or ".join(f"`{s}`" for s in _SCHEMES[provider])
        raise LaminaError(
            f"Error validating datasource `{name}`: the URL must start with the protocol {expected}.",
            code="P1012",
        )
    shadow = None
    if "shadowDatabaseUrl" in fields:
        shadow = _value(fields["shadowDatabaseUrl"][0], "shadowDatabaseUrl", file, fields["shadowDatabaseUrl"][1])
    if not shadow and config is not None:
        shadow = config.datasource_setting("shadowDatabaseUrl", required=False)
    if not shadow:
        shadow = os.environ.get("SHADOW_DATABASE_URL") or None
    return Datasource(name, provider, declared, parse_url(url_text, base_dir), shadow, file)
