"""Diagnostics: what the parser and validator report, and how they are printed.

Contract: the parser and validator never raise for bad input; they append to a
`Diagnostics` collection. Printing (Prisma's format with a gutter and highlighted span,
ANSI colours on a TTY) lives in `render.py` beside this module.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from lamina.psl.ast import Span


class Severity(Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    severity: Severity
    message: str
    span: Span


@dataclass
class Diagnostics:
    errors: list[Diagnostic] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)
    # Set by the validator: whether the parser or a pass before the last one found an error (the
    # schema is then not one Prisma's formatter completes relations of).
    early_errors: bool = False

    def error(self, message: str, span: Span) -> None:
        self.errors.append(Diagnostic(Severity.ERROR, message, span))

    def warning(self, message: str, span: Span) -> None:
        self.warnings.append(Diagnostic(Severity.WARNING, message, span))

    @property
    def has_errors(self) -> bool:
        return bool(self.errors)

    def extend(self, other: Diagnostics) -> None:
        self.errors.extend(other.errors)
        self.warnings.extend(other.warnings)
