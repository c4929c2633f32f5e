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


# Exit code 5: a file Lamina reads is not what it must be (not UTF-8 text, a NUL byte, a folder
# where a file belongs): nothing was done.
BAD_FILE_EXIT_CODE = 5


def bad_file(path, problem: str, context: str = "") -> "LaminaError":
    """A file that cannot be used as it is: named (with `context`, e.g. the migration), with what
    is wrong, exit code 5."""
    return LaminaError(f"`{path}`{context} {problem}", exit_code=BAD_FILE_EXIT_CODE)


def decode_text(data: bytes, path, context: str = "") -> str:
    """`data` as UTF-8 text, or a clear error naming `path` and the byte offset: never text with
    U+FFFD in place of what was there (a string literal would change silently)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or (b"\x00" in data[:64] and data.count(b"\x00") * 4 >= len(data[:64])):
        raise bad_file(path, "looks like UTF-16 text; save it as UTF-8.", context)
    nul = data.find(b"\x00")
    if nul >= 0:
        raise bad_file(path, f"contains a NUL byte at byte offset {nul}; it must be UTF-8 text.", context)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise bad_file(path, f"is not valid UTF-8 (byte offset {exc.start}: {data[exc.start:exc.start + 1]!r}); "
                             "save it as UTF-8.", context) from None
    return text.removeprefix("\ufeff")  # a UTF-8 byte order mark (Windows editors) is not SQL


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
