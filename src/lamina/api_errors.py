"""The errors of `lamina.api`: one `LaminaError` subclass per kind of failure, each with
Prisma's code in `.code` and the CLI's exit code in `.exit_code` (re-exported by lamina.api,
where they are documented), and `typed_error`, which turns the `LaminaError` the commands raise
into its subclass."""

from __future__ import annotations

from collections.abc import Sequence

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
    """`db_push` or `migrate_dev` would lose data (pass `accept_data_loss=True`), or cannot run the change on the
    data there (`db_push`: `force_reset`; `migrate_dev`: `create_only=True`, then edit the migration).
    `.warnings`: the data-loss warnings, when that is why."""

    warnings: Sequence[str] = ()  # set on the instance that raises


class ResetNeededError(LaminaError):
    """`migrate_dev`: the development database must be reset (a failed or edited migration, a migration
    missing locally, drift). `.reasons`: why, one line each; `.explanation`: the text `lamina migrate dev`
    prints. Pass `reset=True` to let `migrate_dev` reset it (all data is lost). Exit code 4."""

    reasons: Sequence[str] = ()  # set on the instance that raises
    explanation: str = ""


class ConfirmationRequiredError(LaminaError):
    """A command that drops data was not confirmed (`migrate_reset` without `force=True`)."""


class MigrationNotFoundError(LaminaError):
    """P3017 (`migrate_resolve(applied=)`: no such migration folder) or P3011 (`rolled_back=`: never applied)."""


class MigrationStateError(LaminaError):
    """P3008 (`migrate_resolve(applied=)`: already applied) or P3012 (`rolled_back=`: not failed)."""


class RollbackError(LaminaError):
    """`migrate_rollback` refused before running anything (no down.sql, no `downgrade(db)`, an irreversible down
    without `force`, nothing to roll back) or a down migration failed (its message says what stays applied)."""


class EmptyDatabaseError(LaminaError):
    """P4001: `db_pull` found no table (nor view) in the database; the schema file is left as it was."""


class SeedError(LaminaError):
    """The seed command failed (`.returncode`) or could not be started."""

    returncode: int | None = None


class NoSeedCommandError(SeedError):
    """`db_seed`: no seed command is configured (`[tool.lamina] seed` in pyproject.toml, or Prisma's places)."""


_BY_CODE: dict[str, type[LaminaError]] = {
    "P1012": SchemaError, "P1000": DatabaseConnectionError, "P1001": DatabaseConnectionError,
    "P1003": DatabaseConnectionError, "P1010": DatabaseConnectionError, "P1011": DatabaseConnectionError,
    "P1002": LockTimeoutError, "P3005": DatabaseNotEmptyError, "P3009": FailedMigrationsError,
    "P3018": MigrationFailedError, "P3006": ShadowDatabaseError, "P3014": ShadowDatabaseError,
    "P3019": ProviderMismatchError, "P3015": MissingMigrationFileError,
    "P3017": MigrationNotFoundError, "P3011": MigrationNotFoundError, "P3008": MigrationStateError,
    "P3012": MigrationStateError, "P4001": EmptyDatabaseError,
}
# Errors Prisma has no code for, known by how their text starts (the texts live in lamina.migrate).
_BY_PREFIX: tuple[tuple[str, type[LaminaError]], ...] = (
    ("These migrations were modified after they were applied", EditedMigrationsError),
    ("Use the --accept-data-loss flag", DataLossError),
    ("You may use the --force-reset flag", DataLossError),
    ("You can use lamina migrate dev --create-only", DataLossError),  # changes that cannot run on the data there
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
