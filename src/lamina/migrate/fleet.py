"""A fleet of databases with the same migrations (one database per tenant): `migrate deploy
--targets FILE` and `migrate status --targets FILE`.

Each target runs the one deploy function (`deploy.apply_pending`, with its lock and checks)
or the one diagnosis (`diagnose`) on its own connection, in a pool of `concurrency` threads:
the work is waiting on databases, so threads overlap it well and share the parsed migrations.
One target's failure is recorded and the others go on, unless `fail_fast`: then the targets
not yet started are reported as skipped (the ones running finish what they do).

The targets are all read and checked before any database is touched: a bad line (an unknown
`env:` variable, an unreadable URL, another provider than the schema's) applies nothing.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from lamina.db.url import DatabaseUrl, mask, parse_url
from lamina.errors import LaminaError

DEFAULT_CONCURRENCY = 8


# ---------------------------------------------------------------- the targets


@dataclass(frozen=True)
class Target:
    url: DatabaseUrl
    source: str  # where it came from: "targets.txt:3" (for errors)

    @property
    def display(self) -> str:
        """The URL with its password masked (what every report shows)."""
        return self.url.masked


def parse_targets(text: str, origin: str, provider: str, base_dir: Path | None = None) -> list[Target]:
    """One database URL or `env:NAME` per line; `#` starts a comment; blank lines are skipped.
    Every problem in the file is reported at once, and nothing is returned then."""
    targets: list[Target] = []
    problems: list[str] = []
    seen: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), 1):
        body = line.split("#", 1)[0].strip() if not line.lstrip().startswith("#") else ""
        if not body:
            continue
        where = f"{origin}:{number}"
        if body.startswith("env:"):
            name = body[4:].strip()
            value = os.environ.get(name)
            if not name or value is None:
                problems.append(f"{where}: the environment variable `{name}` is not set")
                continue
            body = value.strip()
        try:
            url = parse_url(body, base_dir)
        except LaminaError as exc:
            problems.append(f"{where}: {mask(exc.message.splitlines()[0])}")
            continue
        if url.provider != provider:
            problems.append(f"{where}: a {url.provider} URL, but the schema's provider is {provider}")
            continue
        key = url.masked if url.provider != "sqlite" else str(url.path)
        if key in seen:
            problems.append(f"{where}: the same database as {seen[key]}")
            continue
        seen[key] = where
        targets.append(Target(url, where))
    if problems:
        raise LaminaError("The targets cannot be used; nothing was applied:\n" + "\n".join(f"  {p}" for p in problems))
    if not targets:
        raise LaminaError(f"{origin} lists no database (one URL or env:NAME per line).")
    return targets


def read_targets(path: str, provider: str, stdin_text: Callable[[], str] | None = None) -> list[Target]:
    """`--targets FILE` (`-` reads standard input)."""
    if path == "-":
        import sys

        text = stdin_text() if stdin_text else sys.stdin.read()
        return parse_targets(text, "<stdin>", provider, Path.cwd())
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise LaminaError(f"The targets file `{path}` does not exist.") from None
    except (IsADirectoryError, PermissionError, UnicodeDecodeError) as exc:
        raise LaminaError(f"The targets file `{path}` cannot be read: {exc}.") from None
    return parse_targets(text, path, provider, Path.cwd())


def as_targets(urls: Iterable[str | DatabaseUrl], provider: str) -> list[Target]:
    """The Python call's list of URLs, checked as a file's lines are."""
    texts = [u.raw if isinstance(u, DatabaseUrl) else str(u) for u in urls]
    if any("\n" in t for t in texts):
        raise LaminaError("A target URL contains a line break.")
    return parse_targets("\n".join(texts), "targets", provider, Path.cwd())


# ---------------------------------------------------------------- one result per target


@dataclass
class TargetResult:
    target: str  # masked URL
    state: str  # deploy: applied | up_to_date | failed | skipped; status: up_to_date | pending | failed | ...
    applied: list[str] = field(default_factory=list)  # deploy: the migrations this run applied
    pending: list[str] = field(default_factory=list)  # status
    failed: list[str] = field(default_factory=list)  # status: failed migrations in the history
    drifted: list[str] = field(default_factory=list)  # status: edited after applied, or missing locally
    applying: str | None = None  # status: who applies a migration there right now
    error: str | None = None  # the error's first line
    code: str | None = None  # Prisma's code of the error
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.state not in ("failed", "skipped", "error")

    def to_json(self) -> dict:
        data: dict = {"target": self.target, "state": self.state, "seconds": round(self.seconds, 3)}
        for key in ("applied", "pending", "failed", "drifted"):
            if getattr(self, key):
                data[key] = getattr(self, key)
        if self.applying:
            data["applying"] = self.applying
        if self.error:
            data["error"] = self.error
            data["code"] = self.code
        return data


def first_line(exc: BaseException) -> str:
    """The error in one line for the summary table. Prisma's P3018 starts with a generic
    sentence: the migration's name and the database's error say more."""
    text = exc.message if isinstance(exc, LaminaError) else f"{type(exc).__name__}: {exc}"
    if isinstance(exc, LaminaError) and exc.code == "P3018":
        lines = [line.strip() for line in text.splitlines()]
        name = next((line.split(":", 1)[1].strip() for line in lines if line.startswith("Migration name:")), "?")
        after = lines[lines.index("Database error:") + 1:] if "Database error:" in lines else []
        detail = next((line for line in after if line), "")
        return mask(f"P3018 migration `{name}` failed: {detail}".rstrip(": "))
    for line in text.splitlines():
        if line.strip():
            return mask(line.strip())
    return type(exc).__name__


@dataclass
class FleetReport:
    results: list[TargetResult]
    seconds: float

    def count(self, state: str) -> int:
        return sum(1 for r in self.results if r.state == state)

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.results)

    def to_json(self) -> dict:
        states: dict[str, int] = {}
        for r in self.results:
            states[r.state] = states.get(r.state, 0) + 1
        return {"ok": self.ok, "targets": len(self.results), "states": states, "seconds": round(self.seconds, 3),
                "results": [r.to_json() for r in self.results]}


# ---------------------------------------------------------------- running


def run_each(targets: list[Target], work: Callable[[Target], TargetResult], *, concurrency: int = DEFAULT_CONCURRENCY,
             fail_fast: bool = False, on_result: Callable[[TargetResult], None] | None = None,
             error_state: str = "failed") -> FleetReport:
    """`work` on every target, `concurrency` at a time; results in the targets' order. A target
    whose work raises gets `error_state` and the error's first line."""
    if concurrency < 1:
        raise LaminaError(f"--concurrency must be at least 1 (got {concurrency}).")
    started = time.perf_counter()
    stop = threading.Event()
    report_lock = threading.Lock()

    def one(target: Target) -> TargetResult:
        if stop.is_set():
            result = TargetResult(target.display, "skipped", error="not started: an earlier target failed (--fail-fast)")
        else:
            t0 = time.perf_counter()
            try:
                result = work(target)
            except LaminaError as exc:
                result = TargetResult(target.display, error_state, error=first_line(exc), code=exc.code)
            except Exception as exc:  # noqa: BLE001 - one target's surprise must not stop the fleet
                result = TargetResult(target.display, error_state, error=first_line(exc))
            result.seconds = time.perf_counter() - t0
            if fail_fast and not result.ok:
                stop.set()
        if on_result is not None:
            with report_lock:
                on_result(result)
        return result

    with ThreadPoolExecutor(max_workers=min(concurrency, len(targets)), thread_name_prefix="lamina-fleet") as pool:
        results = list(pool.map(one, targets))
    return FleetReport(results, time.perf_counter() - started)


def deploy_one(local, ignore_checksums: bool = False) -> Callable[[Target], TargetResult]:
    """The work for `deploy --targets`: the one deploy (database created if missing, lock, checks)."""
    from lamina.db.admin import ensure_database
    from lamina.db.connection import connect
    from lamina.migrate.deploy import apply_pending
    from lamina.migrate.output import captured

    def work(target: Target) -> TargetResult:
        with captured():  # the per-database texts stay out of the fleet's output
            ensure_database(target.url)
            with connect(target.url, create=True) as conn:
                done = apply_pending(conn, local, ignore_checksums=ignore_checksums)
        return TargetResult(target.display, "applied" if done else "up_to_date", applied=[a.name for a in done])

    return work


def status_one(local) -> Callable[[Target], TargetResult]:
    """The work for `status --targets`: the history compared with the migrations folder."""
    from lamina.db.connection import connect
    from lamina.migrate import history
    from lamina.migrate.diagnose import diagnose
    from lamina.migrate.lock import migration_lock_holder

    def work(target: Target) -> TargetResult:
        with connect(target.url) as conn:
            rows = history.read(conn)
            d = diagnose(local, rows)
            applying = migration_lock_holder(conn) if d.failed else None
        if d.diverged:
            state = "diverged"
        elif not d.managed:
            state = "unmanaged"
        elif d.failed:
            state = "applying" if applying else "failed"
        elif d.pending:
            state = "pending"
        elif d.edited or d.missing_locally:
            state = "drifted"
        else:
            state = "up_to_date"
        return TargetResult(target.display, state, pending=[m.name for m in d.pending],
                            failed=[r.migration_name for r in d.failed],
                            drifted=list(d.edited) + [f"{n} (missing locally)" for n in d.missing_locally],
                            applying=applying)

    return work


STATUS_OK = frozenset({"up_to_date"})


# ---------------------------------------------------------------- the project side


@dataclass
class FleetProject:
    """What a fleet run needs from the project: the provider and the migrations, not a URL
    (the schema's own `url` may be unset on the machine that deploys the fleet)."""
    provider: str
    migrations_display: str
    local: list


def load_project(location) -> FleetProject:
    from lamina.migrate.datasource import _PROVIDERS, _value, read_block
    from lamina.migrate.directory import check_lock, list_migrations, migrations_dir

    found = read_block(location)
    if found is None:
        raise LaminaError("The schema has no datasource block (its provider decides how to read the targets).",
                          code="P1012")
    _, fields, file = found
    raw, line = fields.get("provider", ('""', 0))
    declared = (_value(raw, "provider", file, line) or "").strip()
    provider = _PROVIDERS.get(declared)
    if provider is None:
        raise LaminaError(f'Datasource provider not known: "{declared}".', code="P1012")
    folder = migrations_dir(location)
    check_lock(folder, provider)
    local = list_migrations(folder)
    for migration in local:  # every file readable as UTF-8 text before any database is touched
        migration.script
    try:
        display = os.path.relpath(folder, Path.cwd())
    except ValueError:
        display = str(folder)
    return FleetProject(provider, display, local)
