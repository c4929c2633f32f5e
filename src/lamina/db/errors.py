"""Driver errors mapped to Prisma's connection error codes and texts (URLs always masked).

P1000 authentication failed, P1001 server unreachable, P1002 timed out, P1003 database missing.
"""

from __future__ import annotations

from lamina.db.url import DatabaseUrl, mask
from lamina.errors import LaminaError


class ConnectionFailed(LaminaError):
    """Prisma prints connection errors on one line: `Error: P1001: Can't reach ...`."""

    def render(self) -> str:
        return f"Error: {self.code}: {self.message}"


def auth_failed(url: DatabaseUrl) -> LaminaError:
    return ConnectionFailed(
        f"Authentication failed against database server at `{url.host}`, the provided database credentials "
        f"for `{url.user or '(not available)'}` are not valid.\n\n"
        f"Please make sure to provide valid database credentials for the database server at `{url.host}`.",
        code="P1000",
    )


def unreachable(url: DatabaseUrl) -> LaminaError:
    return ConnectionFailed(
        f"Can't reach database server at `{url.host}`:`{url.port}`\n\n"
        f"Please make sure your database server is running at `{url.host}`:`{url.port}`.",
        code="P1001",
    )


def timed_out(url: DatabaseUrl) -> LaminaError:
    return ConnectionFailed(
        f"The database server at `{url.host}`:`{url.port}` was reached but timed out.\n\n"
        f"Please try again.\n\nPlease make sure your database server is running at `{url.host}`:`{url.port}`.",
        code="P1002",
    )


def database_missing(url: DatabaseUrl) -> LaminaError:
    if url.provider == "sqlite":
        return ConnectionFailed(f"Database `{url.database}` does not exist at `{url.path}`.", code="P1003")
    return ConnectionFailed(
        f"Database `{url.database}` does not exist on the database server at `{url.host_port}`.", code="P1003"
    )


def other(url: DatabaseUrl, exc: BaseException) -> LaminaError:
    text = str(exc).strip() or type(exc).__name__
    if url.password:
        text = text.replace(url.password, "****")
    return ConnectionFailed(f"Could not connect to the database at `{url.masked}`: {mask(text)}", code="P1001")


def map_connect_error(url: DatabaseUrl, exc: BaseException) -> LaminaError:
    """The Prisma error for a failed connection attempt with any driver."""
    text = str(exc).lower()
    errno = exc.args[0] if exc.args and isinstance(exc.args[0], int) else None
    if errno == 1045 or "password authentication failed" in text or "no password supplied" in text \
            or "authentication failed" in text or "access denied" in text \
            or ("role" in text and "does not exist" in text):
        return auth_failed(url)
    if errno == 1049 or ("database" in text and "does not exist" in text) or "unknown database" in text:
        return database_missing(url)
    if "timeout expired" in text or "timed out" in text:
        return timed_out(url)
    if errno in (2002, 2003, 2005) or any(
        s in text for s in ("connection refused", "could not translate host name", "name or service not known",
                            "no route to host", "network is unreachable", "can't connect", "could not connect",
                            "nodename nor servname", "temporary failure in name resolution")
    ):
        return unreachable(url)
    return other(url, exc)
