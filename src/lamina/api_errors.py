"""The errors of `lamina.api`: one `LaminaError` subclass per kind of failure, each with
Prisma's code in `.code` and the CLI's exit code in `.exit_code` (re-exported by lamina.api,
where they are documented), and `typed_error`, which turns the `LaminaError` the commands raise
into its subclass."""

from __future__ import annotations

from lamina.errors import LaminaError


class SchemaError(LaminaError):
    """P1012: the schema does not validate (or its datasource cannot be read)."""


class DatabaseConnectionError(LaminaError):
    """P1000 (authentication), P1001 (unreachable), P1003 (no such database), P1010, P1011 (TLS). Exit code 3."""


class LockTimeoutError(LaminaError):
    """P1002: the migration lock, or a lock a statement needed, was not granted in time."""


class DatabaseNotEmptyError(LaminaError):
    """P3005: deploy on a database that has tables but no migration history (baseline it first)."""


class FailedMigrationsError(LaminaError):
    """P3009: the history holds a failed migration; settle it with `migrate resolve`."""


class MigrationFailedError(LaminaError):
    """P3018: a migration failed while being applied (on PostgreSQL and SQLite nothing of it stays)."""


class ShadowDatabaseError(LaminaError):
    """P3006 (a migration does not replay on the shadow database) or P3014 (no shadow database)."""


class ProviderMismatchError(LaminaError):
    """P3019: migration_lock.toml names another provider than the schema."""


class MissingMigrationFileError(LaminaError):
    """P3015: a migration folder without its migration.sql."""


class EditedMigrationsError(LaminaError):
    """Applied migrations whose files changed since (Lamina refuses them unless `ignore_checksums`)."""


class DataLossError(LaminaError):
    """`db_push` would lose data or cannot run the change on the data there (`accept_data_loss`, `force_reset`)."""


_BY_CODE: dict[str, type[LaminaError]] = {
    "P1012": SchemaError, "P1000": DatabaseConnectionError, "P1001": DatabaseConnectionError,
    "P1003": DatabaseConnectionError, "P1010": DatabaseConnectionError, "P1011": DatabaseConnectionError,
    "P1002": LockTimeoutError, "P3005": DatabaseNotEmptyError, "P3009": FailedMigrationsError,
    "P3018": MigrationFailedError, "P3006": ShadowDatabaseError, "P3014": ShadowDatabaseError,
    "P3019": ProviderMismatchError, "P3015": MissingMigrationFileError,
}
# Errors Prisma has no code for, known by how their text starts (the texts live in lamina.migrate).
_BY_PREFIX: tuple[tuple[str, type[LaminaError]], ...] = (
    ("These migrations were modified after they were applied", EditedMigrationsError),
    ("Use the --accept-data-loss flag", DataLossError),
    ("You may use the --force-reset flag", DataLossError),
)


def typed_error(exc: LaminaError) -> LaminaError:
    """The same error as an instance of its typed subclass: message, code, exit code, attributes
    and behaviour kept (a `SchemaValidationError` stays one, with its `render()` and diagnostics,
    and becomes a `SchemaError` too)."""
    cls = _BY_CODE.get(exc.code or "")
    if cls is None:
        cls = next((c for prefix, c in _BY_PREFIX if exc.message.startswith(prefix)), None)
    if cls is None or isinstance(exc, cls):
        return exc
    klass = cls if type(exc) is LaminaError else _both(cls, type(exc))
    typed = klass.__new__(klass)
    typed.args = exc.args
    typed.__dict__.update(vars(exc))
    return typed


_COMBINED: dict[tuple[type, type], type] = {}


def _both(typed: type[LaminaError], original: type[LaminaError]) -> type[LaminaError]:
    """A class that is both the typed error and the error's own class (e.g. DatabaseError)."""
    key = (typed, original)
    if key not in _COMBINED:
        _COMBINED[key] = type(typed.__name__, (typed, original), {"__module__": __name__})
    return _COMBINED[key]
