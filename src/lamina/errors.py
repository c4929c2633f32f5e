"""The one exception type the CLI turns into a clean message.

Everything a user can cause (a bad schema, a bad URL, a failing migration) is raised
as a `LaminaError`. The CLI prints it without a traceback and exits with `exit_code`.
`code` is Prisma's error code (P3009, P1001...) where Prisma has one, so that scripts
grepping for Prisma's codes keep working.
"""

from __future__ import annotations


# Exit code 3: the database could not be reached or logged into (wrong host or port, server
# down, authentication, a database that does not exist, TLS). Prisma exits 1 for these as
# for everything else; a CI step or a health check needs to tell "cannot connect" from
# "pending migrations" (`migrate status` exits 1) without parsing text. docs/workflow.md
# lists every exit code.
CONNECTION_EXIT_CODE = 3
CONNECTION_CODES = frozenset({"P1000", "P1001", "P1003", "P1010", "P1011"})


class LaminaError(Exception):
    def __init__(self, message: str, *, code: str | None = None, exit_code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        if exit_code is None:
            exit_code = CONNECTION_EXIT_CODE if code in CONNECTION_CODES else 1
        self.exit_code = exit_code

    def render(self) -> str:
        if self.code:
            return f"Error: {self.code}\n\n{self.message}"
        return f"Error: {self.message}"
