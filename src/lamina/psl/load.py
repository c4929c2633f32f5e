"""The one way every command loads a schema: read the files, parse, validate.

`load_datamodel(location)` returns a `LoadedSchema` or raises `LaminaError` with Prisma's
P1012 text ("Prisma schema validation", the rendered diagnostics, "Validation Error Count").
Warnings do not fail the load; they are in `warnings_text` for the command to print.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

from lamina.datamodel import Datamodel
from lamina.errors import LaminaError
from lamina.gc_pause import gc_paused
from lamina.project import SchemaLocation
from lamina.psl.ast import SchemaAst
from lamina.psl.diagnostics import Diagnostics


@dataclass
class LoadedSchema:
    datamodel: Datamodel
    ast: SchemaAst
    location: SchemaLocation
    warnings_text: str  # Prisma's "Prisma schema warnings:\n- ...\n" block, "" when there are none
    diagnostics: Diagnostics | None = None


class SchemaValidationError(LaminaError):
    """P1012, printed as Prisma's CLI prints it: the warnings list (if any), a blank line, then
    `Error: Prisma schema validation - ...` with the rendered errors."""

    def __init__(self, message: str, diagnostics: Diagnostics, context: str = "validate") -> None:
        super().__init__(message, code="P1012", exit_code=1)
        self.diagnostics = diagnostics
        self.context = context
        # Only validate/format list the warnings as a block, and generate as `warn` lines; the
        # schema engine's P1012 and migrate dev's come without them.
        self.warnings_text = warnings_block(diagnostics) if context in ("validate", "generate") else ""

    def render(self) -> str:
        if self.context == "generate":
            return "".join(generate_warning_lines(self.diagnostics)) + f"Error: {self.message}"
        if self.context == "migrate dev":  # after the header, as Prisma's migrate dev
            return f"\nError: {self.message}"
        head = f"{self.warnings_text}\n" if self.warnings_text else ""
        return f"{head}Error: {self.message}"


def use_color(stream=None) -> bool:
    """Diagnostics go to stderr: colour as `migrate.output.color_enabled` decides for it."""
    from lamina.migrate.output import color_enabled

    return color_enabled(stream or sys.stderr)


@gc_paused()  # millions of long-lived nodes at 10,000 models: see lamina.gc_pause
def parse_and_validate(sources: list[tuple[str, str]]) -> tuple[SchemaAst, Diagnostics, Datamodel | None]:
    from lamina.psl.parser import parse_schema
    from lamina.psl.validate import validate

    ast, diagnostics = parse_schema(sources)
    datamodel = validate(ast, diagnostics)
    return ast, diagnostics, datamodel


# Prisma prints P1012 in two shapes, depending on who validated the schema (both seen with
# Prisma 7.10.1):
# - the schema engine (`migrate diff`): the code, a blank line, the diagnostics, a blank line;
# - the CLI's WebAssembly schema module (validate, format, migrate dev, generate): a header that
#   names the module's call, the diagnostics, their count, the context, then the CLI's version.
ENGINE_CONTEXTS = frozenset({"migrate diff", "db push"})
_WASM_CALLS = {"validate": ("validate wasm", "validate"), "migrate dev": ("validate wasm", "validate"),
               "generate": ("get-dmmf wasm", "getDmmf"), "getConfig": ("get-config wasm", "getConfig")}
PRISMA_CLI_VERSION = "7.10.1"  # the version whose texts Lamina reproduces


def validation_error_message(ast: SchemaAst, diagnostics: Diagnostics, color: bool, context: str = "validate") -> str:
    """Prisma's P1012 text for `context` (see above). Only errors are rendered here; the CLI
    lists warnings before it."""
    from lamina.psl.render import render_diagnostics

    errors_only = render_diagnostics(Diagnostics(errors=list(diagnostics.errors)), ast, color=color)
    if context in ENGINE_CONTEXTS:
        return f"P1012\n\n{errors_only}\n"
    call, context = _WASM_CALLS.get(context, (context, context))
    return (
        f"Prisma schema validation - ({call})\n"
        "Error code: P1012\n"
        f"{errors_only}\n"
        f"Validation Error Count: {len(diagnostics.errors)}\n"
        f"[Context: {context}]\n"
        f"\nPrisma CLI Version : {PRISMA_CLI_VERSION}"
    )


def load_datamodel(location: SchemaLocation, *, color: bool | None = None, context: str = "validate",
                   sources: list[tuple[str, str]] | None = None) -> LoadedSchema:
    """`sources`: the files' `diagnostic_sources`, when the caller has read them already (a
    repeat-run cache key must describe exactly the text that was loaded)."""
    return _load(location, sources if sources is not None else diagnostic_sources(location), color, context)


def validate_location(location: SchemaLocation) -> str:
    """`validate`'s work: the warnings text of a valid schema, or SchemaValidationError (P1012).
    A repeat run on the same files is answered from the repeat-run cache (lamina.cache): only
    valid schemas are stored, so an error is always found and rendered afresh."""
    from lamina import cache

    sources = diagnostic_sources(location)
    entry = cache.key(*(part for source in sources for part in source))
    hit = cache.get("validate", entry)
    if hit is not None:
        return hit.decode("utf-8")
    warnings_text = _load(location, sources, None, "validate").warnings_text
    cache.put("validate", entry, warnings_text.encode("utf-8"))
    return warnings_text


def _load(location: SchemaLocation, sources: list[tuple[str, str]], color: bool | None, context: str) -> LoadedSchema:
    ast, diagnostics, datamodel = parse_and_validate(sources)
    if color is None:
        color = use_color()
    if datamodel is None:
        raise SchemaValidationError(validation_error_message(ast, diagnostics, color, context), diagnostics, context)
    return LoadedSchema(datamodel, ast, location, warnings_block(diagnostics), diagnostics)


def diagnostic_sources(location: SchemaLocation) -> list[tuple[str, str]]:
    """The schema's files named as Prisma names them in diagnostics: the path from the current
    folder (`prisma/schema/user.prisma` for a folder schema, not just `user.prisma`)."""
    from pathlib import Path

    cwd = Path.cwd().resolve()
    out = []
    for path, (name, text) in zip(location.files, location.read_sources()):
        try:
            name = str(path.resolve().relative_to(cwd))
        except ValueError:
            name = str(path) if location.is_folder else name
        out.append((name, text))
    return out


def generate_warning_lines(diagnostics: Diagnostics) -> list[str]:
    """The schema's warnings as Prisma's `generate` prints them: `warn <message>` lines."""
    return [f"warn {w.message}\n" for w in diagnostics.warnings]


def warnings_block(diagnostics: Diagnostics) -> str:
    """Warnings of a valid schema as Prisma's CLI lists them (on stderr)."""
    if not diagnostics.warnings:
        return ""
    title = "Prisma schema warning:" if len(diagnostics.warnings) == 1 else "Prisma schema warnings:"
    return title + "\n" + "".join(f"- {w.message}\n" for w in diagnostics.warnings)
