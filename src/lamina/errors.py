"""The one exception type the CLI turns into a clean message.

Everything a user can cause (a bad schema, a bad URL, a failing migration) is raised
as a `LaminaError`. The CLI prints it without a traceback and exits with `exit_code`.
`code` is Prisma's error code (P3009, P1001...) where Prisma has one, so that scripts
grepping for Prisma's codes keep working.
"""

from __future__ import annotations


class LaminaError(Exception):
    def __init__(self, message: str, *, code: str | None = None, exit_code: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.exit_code = exit_code

    def render(self) -> str:
        if self.code:
            return f"Error: {self.code}\n\n{self.message}"
        return f"Error: {self.message}"
