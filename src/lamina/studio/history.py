"""The Migrations page's data: `migrate status` as the studio shows it, one row per migration.

Each migration known to the folder or to `_prisma_migrations` gets a state: applied, pending,
failed, rolled back, edited (applied, then its file changed: the checksums differ), or
missing locally (applied, no folder); with its times, logs and SQL. Drift (the database
against what the migrations produce) is computed on request: it needs a shadow database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any


@dataclass
class MigrationRow:
    name: str
    state: str
    started_at: datetime | None = None
    finished_at: datetime | None = None
    steps: int | None = None
    logs: str | None = None
    sql: str | None = None


@dataclass
class History:
    rows: list[MigrationRow]
    summary: str
    drift: str | None = None  # the SQL that would bring the migrations' schema to the database's; "" = none
    notes: list[str] = field(default_factory=list)


def read_history(migrations_dir: Path, url: str, provider: str, drift: bool = False) -> History:
    from lamina.db.connection import connect
    from lamina.db.url import parse_url
    from lamina.migrate import history
    from lamina.migrate.diagnose import diagnose
    from lamina.migrate.directory import list_migrations

    local = list_migrations(migrations_dir)
    with connect(parse_url(url, base_dir=migrations_dir.parent)) as conn:
        rows = history.read(conn)
    d = diagnose(local, rows)
    by_name = {m.name: m for m in local}
    out: list[MigrationRow] = []
    seen: set[str] = set()
    for r in d.rows:  # the history table's order: when each was started
        state = ("rolled back" if r.is_rolled_back else "failed" if r.is_failed
                 else "edited" if r.migration_name in d.edited
                 else "missing locally" if r.migration_name in d.missing_locally else "applied")
        folder = by_name.get(r.migration_name)
        out.append(MigrationRow(r.migration_name, state, r.started_at, r.finished_at, r.applied_steps_count, r.logs,
                                _sql(folder)))
        seen.add(r.migration_name)
    for m in local:
        if m.name not in seen:
            out.append(MigrationRow(m.name, "pending", sql=_sql(m)))
    pending = sum(1 for r in out if r.state == "pending")
    failed = sum(1 for r in out if r.state == "failed")
    summary = (f"{len(local)} migration{'s' if len(local) != 1 else ''} in the folder; "
               + ("the database has no migration history table yet. " if not d.managed else "")
               + f"{pending} pending, {failed} failed, {len(d.edited)} edited after being applied.")
    result = History(out, summary)
    if drift:
        result.drift = _drift(migrations_dir, url)
    return result


def _sql(folder: Any) -> str | None:
    if folder is None:
        return None
    try:
        return folder.script_path.read_text(encoding="utf-8", errors="replace")  # type: ignore[no-any-return]
    except OSError:
        return None


def _drift(migrations_dir: Path, url: str) -> str:
    from lamina.api import migrate_diff

    return migrate_diff(from_migrations=migrations_dir, to_url=url, script=True).text
