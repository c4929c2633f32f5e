"""Prisma's getConfig: what every migrate and db command checks of the schema first.

Before `migrate deploy`, `status`, `resolve`, `reset`, `dev`, `db push`, `db pull` and the
others touch a database, Prisma 7.10.1's CLI reads the schema's configuration with its
WebAssembly module (`get-config wasm`): a syntax error anywhere in the files, or an error in a
datasource or generator block (an unknown property, an unknown preview feature), stops the
command with P1012 in the module's shape, context `getConfig` (seen with its CLI). Errors inside
models (an unknown type, a bad attribute) do not: `migrate deploy` applies the migrations of a
schema whose models do not validate, and so does Lamina.

The configuration is all a deploy reads of a schema, but the check parses every file (0.6 s at
10,000 models): a schema that passed is remembered in the repeat-run cache (kind "config"), so
an unchanged schema is parsed once.
"""

from __future__ import annotations

from lamina.errors import LaminaError
from lamina.project import SchemaLocation


class ConfigurationError(LaminaError):
    """P1012 from getConfig, which Prisma prints after the "Prisma schema loaded from" line of
    the commands that print one (not `db pull`)."""

    def __init__(self, message: str, diagnostics, location: SchemaLocation, announced: bool) -> None:
        super().__init__(message, code="P1012", exit_code=1)
        self.diagnostics = diagnostics
        self.location = location
        self.announced = announced

    def render(self) -> str:
        loaded = f"Prisma schema loaded from {self.location.display()}.\n" if self.announced else ""
        return f"{loaded}Error: {self.message}"


def check_configuration(location: SchemaLocation, *, announced: bool = True) -> None:
    """Raise ConfigurationError when the schema does not parse or its configuration blocks
    are invalid, as Prisma's getConfig does; nothing else of the schema is validated.
    `announced`: the command says which schema it loaded (its error repeats that line).
    A schema that passed costs a cache lookup: the parser is imported only to check a new one."""
    from lamina import cache

    entry = cache.key("getConfig", *(part for source in location.read_sources() for part in source))
    if cache.get("config", entry) is not None:
        return
    from lamina.psl.diagnostics import Diagnostics
    from lamina.psl.load import diagnostic_sources, use_color, validation_error_message
    from lamina.psl.parser import parse_schema
    from lamina.psl.validate import config
    from lamina.psl.validate.context import Context

    ast, diagnostics = parse_schema(diagnostic_sources(location))
    ctx = Context(ast=ast, diags=Diagnostics())
    config.check_configuration(ctx)
    diagnostics.extend(ctx.diags)
    if diagnostics.has_errors:
        message = validation_error_message(ast, diagnostics, use_color(), "getConfig")
        raise ConfigurationError(message, diagnostics, location, announced)
    cache.put("config", entry, b"")
