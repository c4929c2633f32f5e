"""Exceptions of the generated client, with prisma-client-py's names (`prisma.errors`).

Driver errors are mapped onto these by the dialects (`dialect.map_error`), so user code
catches `UniqueViolationError` whatever the database is.
"""

from __future__ import annotations

from typing import Any


class PrismaError(Exception):
    """Catch-all for every error raised by the client."""


class ClientNotConnectedError(PrismaError):
    def __init__(self) -> None:
        super().__init__("Client is not connected to the query engine, you must call `connect()` before attempting to query data.")


class ClientAlreadyRegisteredError(PrismaError):
    def __init__(self) -> None:
        super().__init__("A client has already been registered.")


class ClientNotRegisteredError(PrismaError):
    def __init__(self) -> None:
        super().__init__("No client instance registered; You must call register() or pass auto_register=True.")


class HTTPClientClosedError(PrismaError):
    """prisma-client-py's error for a request on its closed HTTP client; Lamina has no HTTP client and
    never raises it (defined so that `except` clauses naming it keep working)."""

    def __init__(self) -> None:
        super().__init__("Cannot make a request from a closed client.")


class EngineError(PrismaError):
    """Errors of prisma-client-py's query engine process (`prisma.engine.errors`). Lamina runs no
    engine: of these only `EngineConnectionError` is raised (the database cannot be reached)."""


class BinaryNotFoundError(EngineError):
    pass


class AlreadyConnectedError(EngineError):
    pass


class NotConnectedError(EngineError):
    pass


class MismatchedVersionsError(EngineError):
    def __init__(self, *, expected: str, got: str) -> None:
        super().__init__(f"Expected query engine version `{expected}` but got `{got}`.")
        self.expected = expected
        self.got = got


class EngineConnectionError(EngineError):
    pass


class ConnectionLostError(EngineConnectionError):
    """The server ended the connection during a query (Prisma's P1017): the query may or may not have
    been applied, so it is not retried; the client's next query opens a new connection."""

    code = "P1017"


class EngineRequestError(EngineError):
    def __init__(self, response: Any, body: str) -> None:
        super().__init__(f"{getattr(response, 'status', '?')}: {body}")
        self.response = response


class UnprocessableEntityError(EngineRequestError):
    def __init__(self, response: Any) -> None:
        super().__init__(response, "The query engine could not process the request.")


class UnsupportedDatabaseError(PrismaError):
    """`UnsupportedDatabaseError(database, context)` as prisma-client-py ("<context> is not
    supported by <database>"), or with one message."""

    def __init__(self, database: str, context: str | None = None) -> None:
        super().__init__(database if context is None else f"{context} is not supported by {database}")
        self.database = database if context is not None else ""
        self.context = context or ""


class TransactionError(PrismaError):
    pass


class TransactionExpiredError(TransactionError):
    pass


class TransactionNotFoundError(TransactionError):
    pass


class TransactionNotStartedError(TransactionError):
    def __init__(self) -> None:
        super().__init__("Transaction has not been started yet.\nTransactions must be used within a context manager or started manually.")


class DataError(PrismaError):
    """An error caused by the data of a query; `code` is Prisma's error code (P2002...)."""

    def __init__(self, message: str, *, code: str | None = None, meta: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.meta: dict[str, Any] = meta or {}
        self.data: dict[str, Any] = {"user_facing_error": {"message": message, "error_code": code, "meta": self.meta}}


class UniqueViolationError(DataError):
    pass


class ForeignKeyViolationError(DataError):
    pass


class MissingRequiredValueError(DataError):
    pass


class RawQueryError(DataError):
    pass


class TableNotFoundError(DataError):
    pass


class FieldNotFoundError(DataError):
    pass


class RecordNotFoundError(DataError):
    pass


class InputError(DataError):
    pass


class BuilderError(PrismaError):
    pass


class InvalidModelError(BuilderError):
    def __init__(self, model: type) -> None:
        super().__init__(f"Expected the {model} type to be a generated model or a subclass of its base")


class UnknownModelError(BuilderError):
    def __init__(self, model: str) -> None:
        super().__init__(f'Model: "{model}" does not exist.')


class UnknownRelationalFieldError(BuilderError):
    def __init__(self, model: str, field: str) -> None:
        super().__init__(f'Field: "{field}" either does not exist or is not a relational field on the {model} model')


class GeneratorError(PrismaError):
    pass


class UnsupportedListTypeError(GeneratorError):
    def __init__(self, typ: str) -> None:
        super().__init__(f"Cannot use {typ} as a list yet.")
        self.type = typ


class PrismaWarning(Warning):
    pass


class UnsupportedSubclassWarning(PrismaWarning):
    pass


class PartialTypeGeneratorError(GeneratorError):
    def __init__(self) -> None:
        super().__init__("Something went wrong when running the partial type generator; see the error above.")


__all__ = [
    "PrismaError", "ClientNotConnectedError", "ClientAlreadyRegisteredError", "ClientNotRegisteredError",
    "EngineConnectionError", "ConnectionLostError", "UnsupportedDatabaseError", "TransactionError", "TransactionExpiredError",
    "TransactionNotFoundError", "TransactionNotStartedError", "DataError", "UniqueViolationError", "ForeignKeyViolationError",
    "MissingRequiredValueError", "RawQueryError", "TableNotFoundError", "FieldNotFoundError",
    "RecordNotFoundError", "InputError", "BuilderError", "InvalidModelError", "UnknownModelError",
    "UnknownRelationalFieldError", "GeneratorError", "PartialTypeGeneratorError", "HTTPClientClosedError",
    "UnsupportedListTypeError", "PrismaWarning", "UnsupportedSubclassWarning",
]

# prisma-client-py's `prisma.engine.errors` (the generated package's `engine/errors.py`)
ENGINE_ERRORS = [
    "EngineError", "BinaryNotFoundError", "MismatchedVersionsError", "EngineConnectionError", "EngineRequestError",
    "AlreadyConnectedError", "NotConnectedError", "UnprocessableEntityError",
]
