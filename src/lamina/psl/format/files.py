"""`lamina format` on a project's files: which files change, and writing them all or none.

Used by `lamina.api.format_schema` (and so by the CLI). Like Prisma, a schema that does not
parse, or whose formatted text is invalid, is refused; the diagnostics are shown against the
text they were found in. A repeat run on the same files is answered from `lamina.cache`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from lamina.errors import LaminaError
from lamina.project import SchemaLocation


def unformatted(location: SchemaLocation, color: bool) -> tuple[list[tuple[Path, str]], str]:
    """(file, its formatted text) for every file of the schema that is not formatted, and the
    formatted schema's warnings as Prisma lists them ("" when there are none)."""
    sources = location.read_sources()
    cached = _from_cache(sources)
    formatted, warnings_text = cached if cached is not None else _format_valid(sources, color)
    if cached is None:
        _to_cache(sources, formatted, warnings_text)
    changed = [(path, new) for path, (_, old), (_, new) in zip(location.files, sources, formatted) if old != new]
    return changed, warnings_text


def _format_valid(sources: list[tuple[str, str]], color: bool) -> tuple[list[tuple[str, str]], str]:
    """The formatted files and their warnings text, or SchemaValidationError when the input does
    not parse or the formatted schema is invalid.

    The formatted text is validated through the tree it was laid out from (the input's, with
    relations completed) rather than by parsing it again: re-parsing was a fifth of the command
    at 10,000 models. Both give the same verdict (checked on every conformance schema and
    thousands of mutated ones, see tests/psl/test_format_validation.py). Only an invalid schema
    is parsed again, so that its diagnostics point into the formatted text as Prisma's do,
    unless the text did not change and nothing was completed: then the tree is exactly the
    formatted text's."""
    from lamina.psl.format import format_parsed
    from lamina.psl.load import SchemaValidationError, parse_and_validate, validation_error_message, warnings_block
    from lamina.psl.parser import parse_schema
    from lamina.psl.validate import validate

    ast, diagnostics = parse_schema(sources)
    if diagnostics.has_errors:
        # Prisma 7.10.1 formats what it could parse and validates that text in full (every
        # pass), so its diagnostics point into the formatted text, which it does not write.
        # It completes no relation then (nor when any pass before its last one found an error).
        formatted, _ = format_parsed(ast, parse_errors=True, complete=False)
        del ast
        ast, diagnostics, _ = parse_and_validate(formatted)
        raise SchemaValidationError(validation_error_message(ast, diagnostics, color), diagnostics)
    formatted, completed = format_parsed(ast, parse_errors=False)
    validate(ast, diagnostics)
    if diagnostics.has_errors and completed and diagnostics.early_errors:
        del ast  # one tree in memory at a time
        formatted, _ = format_parsed(parse_schema(sources)[0], parse_errors=False, complete=False)
        ast, diagnostics, _ = parse_and_validate(formatted)
    elif diagnostics.has_errors and (completed or formatted != sources):
        del ast
        ast, diagnostics, _ = parse_and_validate(formatted)
    if diagnostics.has_errors:
        raise SchemaValidationError(validation_error_message(ast, diagnostics, color), diagnostics)
    return formatted, warnings_block(diagnostics)


def write_all(changed: list[tuple[Path, str]]) -> None:
    """Write every file or none: temporary files first, then renames."""
    temporaries = []
    try:
        for path, text in changed:
            temporary = path.with_name(f".{path.name}.lamina-format.tmp")
            temporary.write_bytes(text.encode("utf-8"))
            temporaries.append((temporary, path))
    except OSError as exc:
        for temporary, _ in temporaries:
            temporary.unlink(missing_ok=True)
        raise LaminaError(f"Could not write the formatted schema: {exc}") from None
    for temporary, path in temporaries:
        os.replace(temporary, path)


def _cache_key(sources: list[tuple[str, str]]) -> str:
    from lamina import cache

    return cache.key(*(part for source in sources for part in source))


def _from_cache(sources: list[tuple[str, str]]) -> tuple[list[tuple[str, str]], str] | None:
    """The formatted files and warnings of a repeat run on the same files; only schemas that
    formatted into a valid schema are stored, so errors are always found afresh."""
    from lamina import cache

    hit = cache.get("format", _cache_key(sources))
    if hit is None:
        return None
    entry = json.loads(hit)
    if not isinstance(entry, dict):  # written before the warnings were stored: recompute
        return None
    files = [(name, text if text is not None else old) for (name, old), text in zip(sources, entry["texts"])]
    return files, entry["warnings"]


def _to_cache(sources: list[tuple[str, str]], formatted: list[tuple[str, str]], warnings_text: str) -> None:
    from lamina import cache

    # null for a file that was already formatted: the usual case stores almost nothing
    texts = [None if new == old else new for (_, old), (_, new) in zip(sources, formatted)]
    cache.put("format", _cache_key(sources), json.dumps({"texts": texts, "warnings": warnings_text}).encode("utf-8"))
    if any(text is not None for text in texts):  # the formatted files are formatted: the next run's input
        unchanged = {"texts": [None] * len(formatted), "warnings": warnings_text}
        cache.put("format", _cache_key(formatted), json.dumps(unchanged).encode("utf-8"))
