"""`migrate check`: do the schema and the migrations folder agree? For CI and pre-commit.

Needs no database server of the project's:
- the migrations are replayed on a shadow database: SQLite in memory; PostgreSQL on
  `--shadow-database-url` (or SHADOW_DATABASE_URL), else on a throw-away server started from
  the `pgserver` wheel; MySQL on `--shadow-database-url` (there is no embedded MySQL);
- the replayed schema is diffed against the schema file: any difference is drift (a schema
  change without its migration, or a migration edited by hand into something else);
- inside a git work tree, the migration files are compared with a base revision (`HEAD`, or
  `--base origin/main` in a pull request): a migration that is in the base but whose file
  changed was edited after it was committed (its checksum would differ in every database that
  applied it), and a migration that is new but sorts before the base's last one was created
  on a branch that was merged out of order (Prisma applies it last everywhere except on
  fresh databases, so the environments' histories diverge).
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from lamina.errors import LaminaError
from lamina.migrate.directory import MIGRATION_FILE, PYTHON_FILE, check_lock, checksum_matches, list_migrations, migrations_dir


def run_check(location: Any, *, shadow_url: str | None = None, base: str | None = "HEAD") -> Any:
    from lamina.api import CheckProblem, CheckResult
    from lamina.migrate import engine
    from lamina.sql.diff import diff
    from lamina.sql.diff.summary import summarize

    target = engine.load_target(location)  # P1012 first: nothing to compare against an invalid schema
    provider = target.provider or "sqlite"
    folder = migrations_dir(location)
    problems: list[CheckProblem] = []
    notes: list[str] = []
    try:
        check_lock(folder, provider)
    except LaminaError as exc:
        problems.append(CheckProblem("provider", f"{exc.code}: {exc.message}"))
    local = list_migrations(folder)
    for migration in local:
        migration.script  # every file readable (P3015, bad bytes) before replaying

    with _shadow(provider, shadow_url or os.environ.get("SHADOW_DATABASE_URL") or None) as conn:
        engine.replay(conn, local)
        replayed = engine.describe(conn, target)
    drift = diff(replayed, target.schema, target.dialect)  # type: ignore[arg-type]
    if not drift.is_empty:
        problems.append(CheckProblem(
            "drift",
            "The migrations do not produce the schema: these changes to the schema have no migration "
            "(or a migration was changed by hand):\n\n" + summarize(drift).rstrip("\n") + "\n\n"
            "Create the migration with `lamina migrate dev --name <name>` (or `--create-only` to review it first)."))

    compared_with = None
    if base:
        git = _GitBase.open(folder, base)
        if git is None:
            notes.append(f"The migration files were not compared with version control (not a git work tree, or no "
                         f"revision `{base}`).")
        else:
            compared_with = base
            problems += git.problems(local)
    return CheckResult(problems, len(local), compared_with, notes)


@contextlib.contextmanager
def _shadow(provider: str, shadow_url: str | None) -> Iterator[Any]:
    from lamina.db import connect, parse_url
    from lamina.db.admin import reset_schema

    if provider == "sqlite":
        with connect(parse_url("file::memory:")) as conn:
            yield conn
        return
    if shadow_url is None and provider == "postgresql":
        with embedded_postgres() as url:
            with connect(parse_url(url)) as conn:
                yield conn
        return
    if shadow_url is None:
        raise LaminaError(
            "`lamina migrate check` on MySQL needs a database to replay the migrations on: pass "
            "`--shadow-database-url mysql://...` (or set SHADOW_DATABASE_URL). Everything in it is dropped.")
    with connect(parse_url(shadow_url), create=True) as conn:
        reset_schema(conn)
        yield conn


@contextlib.contextmanager
def embedded_postgres() -> Iterator[str]:
    """A PostgreSQL server of its own in a temporary folder (the `pgserver` wheel), deleted after."""
    try:
        import pgserver
    except ImportError:
        raise LaminaError(
            "`lamina migrate check` on PostgreSQL needs a database to replay the migrations on: pass "
            "`--shadow-database-url postgresql://...` (or set SHADOW_DATABASE_URL), or install the `pgserver` "
            "wheel (`pip install pgserver`) and Lamina starts a private server for the check.") from None
    import warnings

    folder = tempfile.mkdtemp(prefix="lamina-check-pg-")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs' XDG_RUNTIME_DIR warning in containers
        server = pgserver.get_server(folder, cleanup_mode="delete")  # type: ignore[attr-defined]
    try:
        yield server.get_uri("postgres").replace("postgres:@", "postgres@")
    finally:
        with contextlib.suppress(Exception):
            server.cleanup()


class _GitBase:
    """The migrations folder as committed in `base`, read with the git command."""

    def __init__(self, top: Path, rel: str, base: str, files: list[str]) -> None:
        self.top, self.rel, self.base = top, rel, base
        # migration folder name -> path of its migration.sql in the base revision
        self.committed: dict[str, str] = {}
        self.committed_python: dict[str, str] = {}  # the same for migration.py (data migrations)
        for path in files:
            parts = path[len(rel):].strip("/").split("/")
            if len(parts) == 2 and parts[1] == MIGRATION_FILE:
                self.committed[parts[0]] = path
            elif len(parts) == 2 and parts[1] == PYTHON_FILE:
                self.committed_python[parts[0]] = path

    @classmethod
    def open(cls, folder: Path, base: str) -> _GitBase | None:
        anchor = folder if folder.is_dir() else folder.parent
        top = _git(anchor, "rev-parse", "--show-toplevel")
        if top is None or _git(anchor, "rev-parse", "--verify", "--quiet", f"{base}^{{commit}}") is None:
            return None
        top_path = Path(top.decode().strip())
        try:
            rel = folder.resolve().relative_to(top_path.resolve()).as_posix()
        except ValueError:
            return None
        listing = _git(top_path, "ls-tree", "-r", "--name-only", base, "--", rel)
        if listing is None:
            return None
        return cls(top_path, rel, base, listing.decode().splitlines())

    def problems(self, local: list[Any]) -> list[Any]:
        from lamina.api import CheckProblem

        out = []
        names = {m.name for m in local}
        for m in local:
            for committed_paths, current in ((self.committed, m.script_path), (self.committed_python, m.python_path)):
                path = committed_paths.get(m.name)
                if path is None or not current.is_file():
                    continue
                committed = _git(self.top, "show", f"{self.base}:{path}")
                if committed is not None and not checksum_matches(_sha(committed), current.read_bytes()):
                    out.append(CheckProblem(
                        "edited",
                        f"The migration `{m.name}` was edited after it was committed ({self.base} has another "
                        f"{current.name}): every database that applied it has the old checksum, and `migrate deploy` "
                        "refuses it there. Restore the file (`git checkout "
                        f"{self.base} -- {path}`) and put the change in a new migration."))
        if self.committed:
            last = max(self.committed)
            for m in local:
                if m.name not in self.committed and m.name < last:
                    out.append(CheckProblem(
                        "out_of_order",
                        f"The migration `{m.name}` is new but sorts before `{last}`, which {self.base} already has: "
                        "it was created on a branch before the other was merged. Databases that applied "
                        f"`{last}` would apply it after it, fresh ones before it. Re-create it after the latest "
                        "migration: move its folder away, run `lamina migrate dev --create-only --name <name>`, "
                        "and copy any hand-written SQL over."))
        gone = sorted(set(self.committed) - names)
        if gone:
            out.append(CheckProblem(
                "removed",
                f"{len(gone)} migration(s) in {self.base} are gone from the folder: " + ", ".join(gone)
                + ". Databases that applied them report them as missing locally; restore them unless the "
                "history was squashed on purpose (docs/guides/squashing.md)."))
        return out


def _sha(data: bytes) -> str:
    from lamina.migrate.directory import sha256_hex

    return sha256_hex(data)


def _git(cwd: Path, *args: str) -> bytes | None:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except (OSError, ValueError):
        return None
    return done.stdout if done.returncode == 0 else None
