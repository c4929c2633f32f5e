"""Lamina's commands as Python functions: keyword arguments in, result objects out.

    from lamina import api

    result = api.migrate_deploy(schema="prisma/schema.prisma")      # DeployResult
    print(result.applied)                                            # ["20251026090416_init"]
    status = api.migrate_status()                                    # MigrationStatus
    if not status.up_to_date: ...

The commands: validate, format_schema, generate; migrate_dev, migrate_deploy, migrate_status,
migrate_reset, migrate_resolve, migrate_rollback, migrate_lint, migrate_diff, migrate_check;
db_push, db_pull, db_seed; and for fleets and replicas migrate_deploy_targets,
migrate_status_targets, migrate_wait_replicas.

Nothing here prints, and nothing asks: where the CLI would prompt on a terminal, the function
takes the answer as an argument (`accept_data_loss`, `force`, `name`, `renames`, `reset`) and
without it raises an error naming that argument. The CLI is a thin layer over these functions,
which renders their result objects and the events they report while they work as text and an
exit code, so the API and the CLI cannot disagree. A function that reports progress takes
`on_event` (a callable given each `lamina.migrate.events.Event`); without it, the lines the CLI
would print for those events are kept in the result's `log`.

Errors are `LaminaError`s, as in the CLI, but of a subclass per kind of failure
(`MigrationFailedError` for P3018, `FailedMigrationsError` for P3009, `DatabaseNotEmptyError`
for P3005, `SchemaError` for P1012, `DatabaseConnectionError` for P1000/P1001/P1003,
`DataLossError`, `ResetNeededError`, `MigrationNotFoundError` for P3017/P3011,
`RollbackError`, `EmptyDatabaseError` for P4001, `SeedError`...), each with Prisma's code in
`.code` and the CLI's exit code in `.exit_code`: catch the one you can handle, or `LaminaError`
for all.

The functions call the same code as the CLI (`lamina.migrate.*`); `migrate_deploy` takes the
same advisory lock, so running it at application start-up in several replicas at once is safe
(docs/guides/production.md has the FastAPI, Django and container entrypoint recipes).
"""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lamina.api_errors import (  # the typed errors (lamina/api_errors.py), part of this API
    ConfirmationRequiredError, DatabaseConnectionError, DatabaseNotEmptyError, DataLossError, EditedMigrationsError,
    EmptyDatabaseError, FailedMigrationsError, LockTimeoutError, MigrationFailedError, MigrationNotFoundError,
    MigrationStateError, MissingMigrationFileError, NoSeedCommandError, ProviderMismatchError, ResetNeededError,
    RollbackError, SchemaError, SeedError, ShadowDatabaseError, typed_error,
)
from lamina.errors import LaminaError

if TYPE_CHECKING:
    from lamina.migrate.context import Context
    from lamina.migrate.events import Event
    from lamina.project import SchemaLocation

__all__ = [
    "CheckProblem", "CheckResult", "DeployResult", "DevResult", "DiffResult", "FormatResult", "GenerateResult",
    "GeneratedClient", "LintResult", "MigrationStatus", "PullResult", "PushResult", "ResetResult", "ResolveResult",
    "RollbackResult", "SeedResult", "ValidateResult",
    "db_pull", "db_push", "db_seed", "format_schema", "generate", "migrate_check", "migrate_deploy",
    "migrate_deploy_targets", "migrate_dev", "migrate_diff", "migrate_lint", "migrate_reset", "migrate_resolve",
    "migrate_rollback", "migrate_status", "migrate_status_targets", "migrate_wait_replicas", "validate",
    "LaminaError", "SchemaError", "DatabaseConnectionError", "DatabaseNotEmptyError", "FailedMigrationsError",
    "MigrationFailedError", "EditedMigrationsError", "LockTimeoutError", "ShadowDatabaseError",
    "ProviderMismatchError", "MissingMigrationFileError", "DataLossError", "ResetNeededError",
    "ConfirmationRequiredError", "MigrationNotFoundError", "MigrationStateError", "RollbackError",
    "EmptyDatabaseError", "SeedError", "NoSeedCommandError",
]

PathLike = str | os.PathLike[str]
OnEvent = Callable[["Event"], None]


@contextlib.contextmanager
def _command(log: list[str] | None = None, capture: bool = True) -> Iterator[None]:
    """Run one command's code: its printed text goes to `log` (not to the program's terminal),
    and its errors come out typed. `capture=False` when the caller shows progress itself
    (`on_event`: what lower layers print, such as a lock wait's notice, reaches the terminal, as
    in the CLI), or for code that prints nothing (the colour of its diagnostics is then decided
    by the real stderr, as in the CLI)."""
    buffer = io.StringIO()
    try:
        with (contextlib.redirect_stdout(buffer) if capture else contextlib.nullcontext()), \
                (contextlib.redirect_stderr(buffer) if capture else contextlib.nullcontext()):
            yield
    except LaminaError as exc:
        raise typed_error(exc) from None
    finally:
        if log is not None:
            log.append(buffer.getvalue())


# ---------------------------------------------------------------- the project


def _location(schema: PathLike | SchemaLocation | None, cwd: PathLike | None) -> SchemaLocation:
    """The schema named (a path, or the CLI's already located `SchemaLocation`), its `.env` loaded."""
    from lamina.project import SchemaLocation, load_dotenv_files, locate_schema

    if isinstance(schema, SchemaLocation):
        return schema
    location = locate_schema(schema, Path(cwd) if cwd is not None else None)
    load_dotenv_files(location.directory, Path(cwd) if cwd is not None else None)
    return location


def _context(schema: PathLike | None, url: str | None, cwd: PathLike | None) -> Context:
    from lamina.migrate.context import load_context

    return load_context(_location(schema, cwd), url)


# ---------------------------------------------------------------- schema commands


@dataclass
class ValidateResult:
    schema_path: Path
    warnings: str  # Prisma's warning block, "" when none


def validate(*, schema: PathLike | None = None, cwd: PathLike | None = None) -> ValidateResult:
    """`lamina validate`: raises `SchemaError` (P1012) with the rendered diagnostics."""
    from lamina.psl.load import validate_location

    with _command(capture=False):  # prints nothing; diagnostics coloured for a terminal as the CLI's
        location = _location(schema, cwd)
        warnings_text = validate_location(location)
    return ValidateResult(location.path, warnings_text or "")


@dataclass
class FormatResult:
    changed: list[Path]  # files whose text is (check) or was (write) not formatted
    written: bool  # False with check=True: nothing was written
    warnings: str = ""  # the schema's warnings, as Prisma prints them

    @property
    def formatted(self) -> bool:
        return not self.changed


def format_schema(*, schema: PathLike | None = None, check: bool = False, cwd: PathLike | None = None,
                  color: bool = False) -> FormatResult:
    """`lamina format [--check]`: the files that are not formatted; written unless `check`.
    `color`: render the diagnostics of an invalid schema with ANSI colours (the CLI's terminal)."""
    from lamina.psl.format.files import unformatted, write_all

    with _command():
        changed, warnings_text = unformatted(_location(schema, cwd), color)
        if not check:
            write_all(changed)
    return FormatResult([p for p, _ in changed], written=not check, warnings=warnings_text)


@dataclass
class GeneratedClient:
    name: str  # the generator block
    output: Path | None  # the package folder written; None when skipped
    skipped_provider: str | None = None  # the provider of a generator block that is not Lamina's
    ms: int = 0  # how long writing it took
    installed: bool = False  # written as the package `prisma` of this Python environment


@dataclass
class GenerateResult:
    outputs: list[Path]  # the package folders written
    skipped: list[str] = field(default_factory=list)  # generator blocks of other providers
    warnings: str = ""  # the schema's warnings as Prisma's generate prints them (`warn <message>` lines)
    clients: list[GeneratedClient] = field(default_factory=list)  # every generator block, in order


def generate(*, schema: PathLike | None = None, typed_sql: bool = False, cwd: PathLike | None = None,
             on_event: OnEvent | None = None) -> GenerateResult:
    """`lamina generate [--sql]`: write the client of every Lamina generator block. `on_event`
    gets a `warnings` event (the schema's warnings, before anything is written) and a `generated`
    event per generator block as it is done (`event.data`: its `GeneratedClient`)."""
    import time

    from lamina.client import generate_cache
    from lamina.client.generate import generate_one, installed_package_dir, plan
    from lamina.migrate.events import Event
    from lamina.psl.load import diagnostic_sources, generate_warning_lines, load_datamodel

    result = GenerateResult([])
    report = on_event or (lambda event: None)
    with _command(capture=on_event is None):
        location = _location(schema, cwd)
        sources = diagnostic_sources(location)
        entry = generate_cache.entry_key(sources, location.directory, installed_package_dir())
        start = time.perf_counter()
        recorded = None if typed_sql else generate_cache.lookup(entry)
        if recorded is not None:  # unchanged schema, client folders as the last run left them
            return _report_generated(result, recorded, report, int((time.perf_counter() - start) * 1000))
        loaded = load_datamodel(location, context="generate", sources=sources)
        result.warnings = "".join(generate_warning_lines(loaded.diagnostics))
        if result.warnings:
            report(Event("warnings", result.warnings))
        runs = plan(loaded)
        done = generate_cache.CachedGenerate(result.warnings, [])
        for run in runs:
            if run.skipped is not None:
                client = GeneratedClient(run.name, None, run.skipped)
                result.skipped.append(run.name)
                done.runs.append(generate_cache.CachedRun(run.name, None, run.skipped, {}))
            else:
                start = time.perf_counter()
                out = generate_one(loaded, run, typed_sql)
                client = GeneratedClient(run.name, out, ms=int((time.perf_counter() - start) * 1000),
                                         installed=out == installed_package_dir())
                result.outputs.append(out)
                done.runs.append(generate_cache.CachedRun(run.name, out, None, generate_cache.folder_manifest(out)))
            result.clients.append(client)
            report(Event("generated", data=client))
        if not typed_sql and not any(run.partial_type_generator for run in runs):  # both read what the key does not cover
            generate_cache.remember(entry, done)
    return result


def _report_generated(result: GenerateResult, recorded: Any, report: OnEvent, ms: int) -> GenerateResult:
    """`generate`'s result and events for a run served from the repeat-run cache."""
    from lamina.client.generate import installed_package_dir
    from lamina.migrate.events import Event

    result.warnings = recorded.warnings
    if result.warnings:
        report(Event("warnings", result.warnings))
    for run in recorded.runs:
        if run.output is None:
            client = GeneratedClient(run.name, None, run.skipped)
            result.skipped.append(run.name)
        else:
            client = GeneratedClient(run.name, run.output, ms=ms, installed=run.output == installed_package_dir())
            result.outputs.append(run.output)
        result.clients.append(client)
        report(Event("generated", data=client))
    return result


# ---------------------------------------------------------------- migrate deploy / status


@dataclass
class DeployResult:
    applied: list[str]  # migrations applied by this call, in order
    found: int  # migrations in the folder
    database_created: bool
    not_transactional: dict[str, str] = field(default_factory=dict)  # name -> why it ran statement by statement
    log: str = ""  # without on_event: the lines `lamina migrate deploy` printed while it worked
    details: list[Any] = field(default_factory=list, repr=False)  # lamina.migrate.apply.Applied, per applied migration

    @property
    def changed(self) -> bool:
        return bool(self.applied)


def migrate_deploy(*, schema: PathLike | None = None, url: str | None = None, ignore_checksums: bool = False,
                   no_python: bool = False, wait_replicas: Sequence[str] = (), replica_timeout_ms: int | None = None,
                   wait_timeout_ms: int | None = None, cwd: PathLike | None = None,
                   on_event: OnEvent | None = None) -> DeployResult:
    """`lamina migrate deploy`: apply the pending migrations under the migration lock.

    `url` overrides the schema's datasource URL. `no_python`: refuse pending migrations that hold
    a migration.py. `wait_replicas`: PostgreSQL replica URLs that must have replayed the
    migrations before this returns (`replica_timeout_ms`, default 60 s). `wait_timeout_ms`: how
    long to wait while another deployer holds the migration lock (`--wait-timeout`; None:
    LAMINA_DEPLOY_WAIT, else Prisma's 10 s, a Galera cluster's lease 10 min; 0 = forever). `on_event`: called with
    each `Event` as the deploy works (the header, each migration applying and applied...).
    Raises `FailedMigrationsError` (P3009), `MigrationFailedError` (P3018),
    `DatabaseNotEmptyError` (P3005), `EditedMigrationsError`, `LockTimeoutError` (P1002),
    `DatabaseConnectionError`."""
    from lamina.migrate.deploy import deploy
    from lamina.migrate.events import print_event
    from lamina.migrate.lock import lock_wait
    from lamina.migrate.python_migration import python_allowed

    log: list[str] = []
    with _command(log, capture=on_event is None), python_allowed(not no_python), lock_wait(wait_timeout_ms):
        done = deploy(_context(schema, url, cwd), ignore_checksums=ignore_checksums, wait_replicas=tuple(wait_replicas),
                      replica_timeout_ms=replica_timeout_ms, report=on_event or print_event)
    return DeployResult([a.name for a in done.applied], len(done.local), done.database_created,
                        {a.name: a.reason for a in done.applied if not a.transactional and a.reason},
                        "".join(log), list(done.applied))


@dataclass
class FailedMigration:
    name: str
    started_at: Any  # datetime
    logs: str | None


@dataclass
class MigrationStatus:
    state: str  # up_to_date | pending | failed | diverged | unmanaged (as `migrate status --json`)
    managed: bool  # the database has the history table
    local: list[str]
    applied: list[str]
    pending: list[str]
    failed: list[FailedMigration]
    edited: list[str]  # applied, but the file changed since
    missing_locally: list[str]  # applied, but no folder
    last_common: str | None
    applying: str | None = None  # state "failed" because being applied right now: who holds the migration lock
    provider: str = ""
    url: str = ""  # the database's URL, password masked
    migrations_directory: str = ""  # as the CLI shows it

    @property
    def up_to_date(self) -> bool:
        return self.state == "up_to_date"


def migrate_status(*, schema: PathLike | None = None, url: str | None = None, cwd: PathLike | None = None,
                   on_event: OnEvent | None = None) -> MigrationStatus:
    """`lamina migrate status` as data (the fields of `migrate status --json`). `on_event` gets
    the `loaded` event, and a `cluster` event when the database is a node of a Galera cluster."""
    from lamina.migrate.status import read_status

    with _command(capture=on_event is None):
        ctx = _context(schema, url, cwd)
        read = read_status(ctx, report=on_event or (lambda event: None))
    d = read.diagnosis
    return MigrationStatus(
        state=d.state, managed=d.managed, local=[m.name for m in d.local], applied=d.applied_names,
        pending=[m.name for m in d.pending],
        failed=[FailedMigration(r.migration_name, r.started_at, r.logs) for r in d.failed],
        edited=list(d.edited), missing_locally=list(d.missing_locally), last_common=d.last_common,
        applying=read.applying, provider=ctx.provider, url=ctx.url.masked, migrations_directory=ctx.migrations_display)


# ---------------------------------------------------------------- migrate diff, db push


@dataclass
class DiffResult:
    text: str  # the SQL script (script=True) or Prisma's summary
    changed: bool  # the two sides differ


def migrate_diff(*, from_empty: bool = False, from_schema: PathLike | None = None, from_url: str | None = None,
                 from_migrations: PathLike | None = None, from_datasource: PathLike | None = None,
                 to_empty: bool = False, to_schema: PathLike | None = None, to_url: str | None = None,
                 to_migrations: PathLike | None = None, to_datasource: PathLike | None = None, script: bool = True,
                 shadow_url: str | None = None, schema: PathLike | None = None, renames: Sequence[str] = (),
                 down: bool = False) -> DiffResult:
    """`lamina migrate diff`: exactly one `from_*` and one `to_*` side. A schema side is a
    schema file or folder; a datasource side is the database a schema's datasource points to;
    a migrations side is replayed on `shadow_url` (SQLite: in memory). `schema`: the project's
    schema, whose datasource says the provider when no side does. `renames`: as `--rename`
    ("User.fullName=name"). `down`: the script from the `to` side back to the `from` side."""
    from lamina.migrate.diff_sources import Side, run_diff

    def side(direction: str, **values: Any) -> Side:
        given = [Side(kind, None if value is True else str(value)) for kind, value in values.items() if value]
        if len(given) != 1:
            raise LaminaError(f"Give exactly one of {direction}_empty, {direction}_schema, {direction}_url, "
                              f"{direction}_migrations, {direction}_datasource.")
        return given[0]

    source = side("from", empty=from_empty, schema=from_schema, url=from_url, migrations=from_migrations,
                  datasource=from_datasource)
    target = side("to", empty=to_empty, schema=to_schema, url=to_url, migrations=to_migrations,
                  datasource=to_datasource)
    schema_path = str(schema) if schema is not None else next((str(p) for p in (to_schema, from_schema) if p), None)
    with _command(capture=False):  # prints nothing
        text, changed = run_diff(source, target, script=script, shadow_url=shadow_url, schema_path=schema_path,
                                 renames=tuple(renames), down=down)
    return DiffResult(text, changed)


@dataclass
class PushResult:
    changed: bool  # False: the database was already in sync
    log: str = ""  # without on_event: the lines `lamina db push` printed
    duration_ms: int = 0


def db_push(*, schema: PathLike | None = None, url: str | None = None, accept_data_loss: bool = False,
            force_reset: bool = False, skip_generate: bool = True, cwd: PathLike | None = None,
            on_event: OnEvent | None = None, confirm: Callable[[str], bool] | None = None) -> PushResult:
    """`lamina db push`: the schema straight to the database (no migration files). Raises
    `DataLossError` when the change would lose data, unless `accept_data_loss` or
    `confirm(question)` returns True. `on_event` gets what the CLI prints as it goes."""
    from lamina.migrate.events import print_event
    from lamina.migrate.push import push

    log: list[str] = []
    with _command(log, capture=on_event is None):
        pushed = push(_context(schema, url, cwd), accept_data_loss=accept_data_loss, force_reset=force_reset,
                      skip_generate=skip_generate, report=on_event or print_event, confirm=confirm)
    return PushResult(pushed.changed, "".join(log), pushed.duration_ms)


# ---------------------------------------------------------------- migrate check


@dataclass
class CheckProblem:
    kind: str  # drift | edited | out_of_order | provider
    message: str


@dataclass
class CheckResult:
    problems: list[CheckProblem]
    migrations: int  # migrations in the folder
    compared_with: str | None  # the git revision the migration files were compared with, None outside git
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def migrate_check(*, schema: PathLike | None = None, shadow_url: str | None = None, base: str | None = "HEAD",
                  cwd: PathLike | None = None) -> CheckResult:
    """`lamina migrate check`: whether the schema and the migrations folder agree, with no
    database server needed (lamina/migrate/check.py says what is compared)."""
    from lamina.migrate.check import run_check

    with _command():
        result: CheckResult = run_check(_location(schema, cwd), shadow_url=shadow_url, base=base)
    return result


# ---------------------------------------------------------------- a fleet of databases (one per tenant)


def migrate_deploy_targets(targets, *, schema: PathLike | None = None, concurrency: int = 8, fail_fast: bool = False,
                           ignore_checksums: bool = False, cwd: PathLike | None = None, on_result=None):
    """`lamina migrate deploy --targets`: the migrations applied to every database in `targets`
    (URLs, e.g. read from a catalogue table), `concurrency` at a time. Returns a
    `lamina.migrate.fleet.FleetReport` (`.results`: one `TargetResult` per target, in order,
    with `state` applied | up_to_date | failed | skipped, `applied`, `error`; `.ok`). One
    target's failure does not stop the others unless `fail_fast`. `on_result(result)` is
    called as each target finishes (from a worker thread, one call at a time). Raises only for
    the project or a bad target list, before any database is touched."""
    from lamina.migrate.fleet import as_targets, deploy_one, load_project, run_each

    with _command():
        project = load_project(_location(schema, cwd))
        checked = as_targets(targets, project.provider)
    return run_each(checked, deploy_one(project.local, ignore_checksums), concurrency=concurrency,
                    fail_fast=fail_fast, on_result=on_result)


def migrate_status_targets(targets, *, schema: PathLike | None = None, concurrency: int = 8,
                           cwd: PathLike | None = None):
    """`lamina migrate status --targets`: a `FleetReport` whose results have `state` up_to_date |
    pending | failed | applying | drifted | diverged | unmanaged | error, with `pending`,
    `failed`, `drifted` (edited after applied, or missing locally) and `error`."""
    from lamina.migrate.fleet import as_targets, load_project, run_each, status_one

    with _command():
        project = load_project(_location(schema, cwd))
        checked = as_targets(targets, project.provider)
    return run_each(checked, status_one(project.local), concurrency=concurrency, error_state="error")


def migrate_wait_replicas(replicas, *, schema: PathLike | None = None, url: str | None = None,
                          timeout_ms: int = 60_000, cwd: PathLike | None = None):
    """`lamina migrate deploy --wait-replicas` after a `migrate_deploy`: wait until every
    PostgreSQL streaming replica in `replicas` (URLs) has replayed the primary's current WAL
    position (the schema's datasource, or `url`). Returns one
    `lamina.migrate.replicas.ReplicaState` per replica; raises `LaminaError` naming each replica
    that is behind (and why, e.g. replay paused) after `timeout_ms` (0 = forever)."""
    from lamina.db.connection import connect
    from lamina.migrate.replicas import replica_urls, wait_for_replicas

    with _command():
        ctx = _context(schema, url, cwd)
        urls = replica_urls(list(replicas))
        with connect(ctx.url) as conn:
            return wait_for_replicas(conn, urls, timeout_ms)


# ---------------------------------------------------------------- migrate dev, reset, resolve, rollback


@dataclass
class DevResult:
    migration: str | None  # the migration created (None: the schema had no change)
    path: Path | None  # its folder
    applied: list[str]  # applied by this call: the pending migrations, then the new one unless create_only
    database_created: bool
    reset: bool = False  # the database was reset first (reset=True)
    warnings: list[str] = field(default_factory=list)  # data-loss warnings accepted, lost triggers, rename candidates
    findings: list[Any] = field(default_factory=list)  # lamina.migrate.lint.Finding: the lint of the new migration
    seed_output: str | None = None  # without on_event: what the seed command printed, when it ran
    log: str = ""  # without on_event: what `lamina migrate dev` printed


def migrate_dev(*, schema: PathLike | None = None, url: str | None = None, name: str | None = None,
                create_only: bool = False, renames: Sequence[str] = (), accept_data_loss: bool = False,
                reset: bool = False, online: bool = False, python: bool = False, skip_generate: bool = True,
                skip_seed: bool = False, cwd: PathLike | None = None, on_event: OnEvent | None = None,
                confirm: Callable[[str], bool] | None = None, ask_name: Callable[[str], str] | None = None,
                ask_renames: bool = False) -> DevResult:
    """`lamina migrate dev`: apply the pending migrations, then create a migration for the
    schema's changes and apply it (`create_only`: write it, apply nothing of it). It never asks:
    `name` (default: made from the change, as the CLI suggests it), `renames` as `--rename`
    ("User.fullName=name"; a candidate not declared is dropped and added, with a warning),
    `accept_data_loss` (else `DataLossError`, `.warnings`), `reset` (else `ResetNeededError`
    when failed/edited migrations or drift need the database reset; True resets it, all data
    lost, and goes on). `python` (with `create_only`): add a migration.py. The seed runs when the
    database was created or reset (`skip_seed`); the client is generated unless `skip_generate`.
    `confirm(question)` / `ask_name(suggested)` / `ask_renames`: let a person answer instead
    (the CLI's terminal prompts). Raises `SchemaError`, `DataLossError`, `ResetNeededError`,
    `MigrationFailedError`, `ShadowDatabaseError`, `DatabaseConnectionError`..."""
    from lamina.migrate.dev import dev
    from lamina.migrate.events import Event, print_event
    from lamina.migrate.python_migration import scaffold
    from lamina.migrate.reset import reset as reset_database
    from lamina.migrate.seed import seed

    seeding = _seeding(cwd, on_event)
    if python and not create_only:
        raise LaminaError("python=True needs create_only=True: write upgrade(db), then call migrate_dev again to "
                          "apply it.")
    log: list[str] = []
    report = on_event or print_event
    was_reset = False
    with _command(log, capture=on_event is None):
        ctx = _context(schema, url, cwd)

        def run():
            return dev(ctx, name=name, create_only=create_only, skip_generate=skip_generate, skip_seed=skip_seed,
                       accept_data_loss=accept_data_loss, renames=tuple(renames), online=online,
                       may_ask_renames=ask_renames, confirm=confirm, ask_name=ask_name, report=report,
                       seeding=seeding)

        try:
            done = run()
        except ResetNeededError:
            if not reset:
                raise
            reset_database(ctx, force=True, skip_seed=True, skip_generate=True, report=report)
            was_reset = True
            done = run()
            if not skip_seed and done.seeded is None:  # as after a reset
                done.seeded = seed(required=False, root=seeding.root, report=report, capture=seeding.capture)
        new = done.migration
        if python and new is not None:
            path = scaffold(new.folder)
            report(Event("python_added", f"Added {new.folder.name}/{path.name}: write its upgrade(db), then run "
                         "`lamina migrate dev` to apply it.", new.name))
    return DevResult(new.name if new else None, new.folder if new else None, done.applied, done.database_created,
                     was_reset, done.warnings, done.findings, done.seeded.output if done.seeded else None, "".join(log))


def _seeding(cwd: PathLike | None, on_event: OnEvent | None) -> Any:
    """The seed step of dev and reset: in `cwd`, its output kept unless the caller shows progress."""
    from lamina.migrate.seed import SeedRun

    return SeedRun(Path(cwd) if cwd is not None else None, capture=on_event is None)


@dataclass
class ResetResult:
    applied: list[str]  # every migration, applied again in order
    database_created: bool
    sessions_ended: list[str] = field(default_factory=list)  # end_sessions=True: the sessions ended first
    seed_output: str | None = None  # without on_event: what the seed command printed, when it ran
    cancelled: bool = False  # `confirm` said no: nothing was done
    log: str = ""  # without on_event: what `lamina migrate reset` printed


def migrate_reset(*, force: bool = False, schema: PathLike | None = None, url: str | None = None,
                  skip_seed: bool = False, skip_generate: bool = True, end_sessions: bool = False,
                  cwd: PathLike | None = None, on_event: OnEvent | None = None,
                  confirm: Callable[[str], bool] | None = None) -> ResetResult:
    """`lamina migrate reset`: drop everything in the database's schema, apply every migration
    again, generate the client (unless `skip_generate`) and run the seed (unless `skip_seed`).
    `force=True` is required (or `confirm(question)` answering True); without it
    `ConfirmationRequiredError`, before anything is dropped. `end_sessions`: end the other
    sessions that block the drop (PostgreSQL, MySQL). Raises `LockTimeoutError`,
    `MigrationFailedError`, `SeedError`..."""
    from lamina.migrate.events import print_event
    from lamina.migrate.reset import reset

    log: list[str] = []
    with _command(log, capture=on_event is None):
        done = reset(_context(schema, url, cwd), force=force, skip_seed=skip_seed, skip_generate=skip_generate,
                     end_sessions=end_sessions, confirm=confirm, report=on_event or print_event,
                     seeding=_seeding(cwd, on_event))
    if done is None:
        return ResetResult([], False, cancelled=True, log="".join(log))
    return ResetResult([a.name for a in done.applied], done.database_created, done.sessions_ended,
                       done.seeded.output if done.seeded else None, log="".join(log))


@dataclass
class ResolveResult:
    name: str
    state: str  # "applied" | "rolled_back": how `_prisma_migrations` now records it
    log: str = ""


def migrate_resolve(*, applied: str | None = None, rolled_back: str | None = None, schema: PathLike | None = None,
                    url: str | None = None, cwd: PathLike | None = None,
                    on_event: OnEvent | None = None) -> ResolveResult:
    """`lamina migrate resolve`: record one migration (its folder name) as `applied` (without
    running it: e.g. a failed migration finished by hand, or a baseline) or `rolled_back` (a
    failed migration undone by hand). Give exactly one. Raises `MigrationNotFoundError` (P3017:
    no such folder; P3011: never applied), `MigrationStateError` (P3008: already applied;
    P3012: not failed)."""
    from lamina.migrate.events import print_event
    from lamina.migrate.resolve import APPLIED, ROLLED_BACK, resolve

    if bool(applied) == bool(rolled_back):
        raise LaminaError("Give migrate_resolve one of applied=NAME or rolled_back=NAME.")
    log: list[str] = []
    with _command(log, capture=on_event is None):
        done = resolve(_context(schema, url, cwd), applied or rolled_back or "", APPLIED if applied else ROLLED_BACK,
                       report=on_event or print_event)
    return ResolveResult(done.name, done.state, "".join(log))


@dataclass
class RollbackResult:
    rolled_back: list[str]  # newest first; [] when `to` is the last applied migration
    migrations_directory: str = ""  # as the CLI shows it
    log: str = ""


def migrate_rollback(*, to: str | None = None, steps: int | None = None, force: bool = False,
                     schema: PathLike | None = None, url: str | None = None, cwd: PathLike | None = None,
                     on_event: OnEvent | None = None) -> RollbackResult:
    """`lamina migrate rollback`: run the down.sql of the last applied migration (`steps`: the
    last N; `to`: every one applied after it), newest first, and record each as rolled back
    (pending again). `force`: even a down marked irreversible. Raises `RollbackError` (nothing
    to roll back, no down.sql, irreversible, or a down that failed: its message says what stays
    applied), `FailedMigrationsError` (P3009)."""
    from lamina.migrate.events import print_event
    from lamina.migrate.rollback import rollback

    log: list[str] = []
    with _command(log, capture=on_event is None):
        ctx = _context(schema, url, cwd)
        done = rollback(ctx, to=to, steps=steps, force=force, report=on_event or print_event)
    return RollbackResult(done, ctx.migrations_display, "".join(log))


# ---------------------------------------------------------------- migrate lint


@dataclass
class LintResult:
    migrations: list[str]  # the migrations linted ("name/migration.sql", or the path given)
    findings: list[Any]  # lamina.migrate.lint.Finding: rule (= code), severity, message, migration, line, statement
    fail_on: str  # the severity from which a finding fails the lint

    @property
    def failing(self) -> list[Any]:
        """The findings at or above `fail_on` (what makes `lamina migrate lint` exit 1)."""
        from lamina.migrate.lint import at_or_above

        return at_or_above(self.findings, self.fail_on)

    @property
    def ok(self) -> bool:
        return not self.failing


def migrate_lint(*, migrations: Sequence[str] = (), schema: PathLike | None = None, url: str | None = None,
                 fail_on: str = "error", galera: bool = False, small_table_rows: int | None = None,
                 cwd: PathLike | None = None) -> LintResult:
    """`lamina migrate lint`: the findings of the migration linter. `migrations`: folder names,
    or paths to a folder or a .sql file; none: the migrations the database has not applied
    (read from `url`, else the datasource). `url` with named migrations: that database's table
    sizes weigh the locking findings (`small_table_rows`). `fail_on`: error | warning | info.
    `galera`: the MySQL/MariaDB target is a Galera cluster."""
    from lamina.migrate.lint import SEVERITIES
    from lamina.migrate.lint.command import lint

    if fail_on not in SEVERITIES:
        raise LaminaError(f"fail_on must be one of {', '.join(SEVERITIES)}, not {fail_on!r}.")
    with _command():
        done = lint(_context(schema, url, cwd), tuple(str(m) for m in migrations), galera=galera,
                    url_given=url is not None, small_table_rows=small_table_rows)
    return LintResult(done.migrations, done.findings, fail_on)


# ---------------------------------------------------------------- db pull, db seed


@dataclass
class PullResult:
    schema: str  # the introspected schema (a folder: each file after a `// path` line)
    files: list[tuple[str, str]]  # a schema folder: (file name, text) per file; [] for one file
    written: list[Path]  # the schema files written; [] with print_only
    models: int
    warnings: list[str]  # Prisma's introspection warnings
    seconds: float
    warning_comment: str = ""  # the warnings as the comment `db pull --print` shows on stderr
    log: str = ""


def db_pull(*, schema: PathLike | None = None, url: str | None = None, print_only: bool = False, force: bool = False,
            cwd: PathLike | None = None, on_event: OnEvent | None = None) -> PullResult:
    """`lamina db pull`: introspect the datasource's database (or `url`'s) into a schema, written over the
    schema file(s) unless `print_only`; names and attributes of the current schema are kept
    unless `force`. Raises `EmptyDatabaseError` (P4001) and leaves the schema as it was when the
    database has no table."""
    from lamina.introspect.pull import pull
    from lamina.migrate.events import print_event

    log: list[str] = []
    with _command(log, capture=on_event is None):
        done = pull(_location(schema, cwd), print_only=print_only, force=force, url=url,
                    report=on_event or print_event)
    return PullResult(done.text, done.files, done.written, done.models, done.warnings, done.seconds,
                      done.warning_comment, "".join(log))


@dataclass
class SeedResult:
    command: str  # the command that ran
    output: str | None  # without on_event: what it printed (stdout and stderr together)
    log: str = ""


def db_seed(*, args: Sequence[str] = (), schema: PathLike | None = None, cwd: PathLike | None = None,
            on_event: OnEvent | None = None) -> SeedResult:
    """`lamina db seed`: run the project's seed command (`[tool.lamina] seed` in pyproject.toml,
    else Prisma's places) in `cwd` with the project's .env loaded, `args` appended. Without
    `on_event` its output is captured (and it gets no stdin); with it, it writes to this
    process's terminal, as in the CLI. Raises `NoSeedCommandError`, `SeedError` (it failed:
    `.returncode`)."""
    from lamina.migrate.events import print_event
    from lamina.migrate.seed import seed
    from lamina.project import load_dotenv_files

    log: list[str] = []
    with _command(log, capture=on_event is None):
        load_dotenv_files(None, Path(cwd) if cwd is not None else Path.cwd())
        if schema is not None:
            _location(schema, cwd)  # its folder's .env too
        done = seed(tuple(args), root=Path(cwd) if cwd is not None else None, report=on_event or print_event,
                    capture=on_event is None)
    return SeedResult(done.command or "", done.output, "".join(log))
