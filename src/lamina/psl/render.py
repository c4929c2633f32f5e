"""Print diagnostics exactly as Prisma does (its `pretty_print`), coloured or plain.

Layout of one diagnostic (colours shown as <code>...<0>):

    <1;91>error<0>: <1>message<0>
      <1;94>--><0>  <4>schema.prisma:LINE<0>
    <1;94>   | <0>
    <1;94>NN | <0>previous line              (blank gutter when the span starts on line 1)
    <1;94>NN | <0>prefix<1;91>span text on its first line<0>suffix
    <1;94>NN | <0>each further line the span reaches, unhighlighted
    <1;94>   | <0>

Warnings come first, then errors. The plain variant is the coloured text without escapes.
"""

from __future__ import annotations

import bisect

from lamina.psl.ast import SchemaAst, Span
from lamina.psl.diagnostics import Diagnostic, Diagnostics, Severity

_RESET = "\x1b[0m"


def _style(text: str, code: str, color: bool) -> str:
    return f"\x1b[{code}m{text}{_RESET}" if color else text


def _gutter(number: int, color: bool) -> str:
    return _style(f"{number:2} | " if number > 0 else "   | ", "1;94", color)


class _SourceLines:
    """A file's lines and where each starts, computed once for all its diagnostics."""

    def __init__(self, name: str, text: str) -> None:
        self.name = name
        self.text = text
        self.lines = text.split("\n")
        self.starts = [0]
        for line in self.lines[:-1]:
            self.starts.append(self.starts[-1] + len(line) + 1)

    def line_of(self, offset: int) -> int:
        """0-based number of the line holding `offset` (Prisma counts `\n` before it)."""
        return bisect.bisect_right(self.starts, offset) - 1


def _render(diagnostic: Diagnostic, source: _SourceLines, color: bool) -> str:
    span: Span = diagnostic.span
    text, lines = source.text, source.lines
    start = max(0, min(span.start, len(text)))
    end = max(start, min(span.end, len(text)))
    start_line = source.line_of(start)
    end_line = source.line_of(end)
    line = lines[start_line]
    start_in_line = start - source.starts[start_line]
    end_in_line = min(start_in_line + (end - start), len(line))
    prefix = line[:start_in_line]
    offending = line[start_in_line:end_in_line]
    suffix = line[end_in_line:]
    primary = "1;91" if diagnostic.severity is Severity.ERROR else "1;93"
    title = "error" if diagnostic.severity is Severity.ERROR else "warning"

    out = [
        f"{_style(title, primary, color)}: {_style(diagnostic.message, '1', color)}",
        f"  {_style('-->', '1;94', color)}  {_style(f'{source.name}:{start_line + 1}', '4', color)}",
        _gutter(0, color),
        _gutter(start_line, color) + (lines[start_line - 1] if start_line > 0 else ""),
        f"{_gutter(start_line + 1, color)}{prefix}{_style(offending, primary, color)}{suffix}",
    ]
    for number in range(start_line + 2, end_line + 2):
        out.append(_gutter(number, color) + lines[number - 1])
    out.append(_gutter(0, color))
    return "\n".join(out) + "\n"


def render_diagnostics(diagnostics: Diagnostics, ast: SchemaAst, color: bool = False) -> str:
    """All warnings, then all errors, each in the order they were reported."""
    sources: dict[int, _SourceLines] = {}
    parts = []
    for diagnostic in [*diagnostics.warnings, *diagnostics.errors]:
        index = diagnostic.span.file
        source = sources.get(index)
        if source is None:
            if 0 <= index < len(ast.files):
                source = _SourceLines(ast.files[index].name, ast.files[index].text)
            else:  # a diagnostic without a file: render against an empty text rather than fail
                source = _SourceLines("schema.prisma", "")
            sources[index] = source
        parts.append(_render(diagnostic, source, color))
    return "".join(parts)
