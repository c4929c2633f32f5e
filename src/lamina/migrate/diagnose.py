"""Compare the migrations folder with `_prisma_migrations`, as Prisma's diagnosis does.

- failed: rows neither finished nor rolled back;
- edited: applied rows whose checksum no longer matches the file (CRLF/LF tolerant);
- pending (database is behind): local migrations with no row (rolled-back rows don't count);
- missing locally: rows (not rolled back) with no folder;
- diverged: both of the last two, with the last migration the two share.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lamina.migrate.directory import LocalMigration
from lamina.migrate.history import HistoryRow


@dataclass
class Diagnosis:
    managed: bool  # the history table exists
    local: list[LocalMigration]
    rows: list[HistoryRow]
    failed: list[HistoryRow] = field(default_factory=list)
    edited: list[str] = field(default_factory=list)
    pending: list[LocalMigration] = field(default_factory=list)
    missing_locally: list[str] = field(default_factory=list)
    last_common: str | None = None

    @property
    def diverged(self) -> bool:
        return bool(self.pending and self.missing_locally)

    @property
    def state(self) -> str:
        """`migrate status --json`'s status: diverged | pending | unmanaged | failed | up_to_date."""
        if self.diverged:
            return "diverged"
        if self.pending:
            return "pending"
        if not self.managed:
            return "unmanaged"
        return "failed" if self.failed else "up_to_date"

    @property
    def applied_names(self) -> list[str]:
        seen: dict[str, None] = {}
        for r in self.rows:
            if r.is_applied:
                seen.setdefault(r.migration_name)
        return list(seen)


def diagnose(local: list[LocalMigration], rows: list[HistoryRow] | None, check_checksums: bool = True) -> Diagnosis:
    d = Diagnosis(managed=rows is not None, local=local, rows=rows or [])
    live = [r for r in d.rows if not r.is_rolled_back]
    in_db = {r.migration_name for r in live}
    local_names = {m.name for m in local}
    d.failed = [r for r in live if r.is_failed]
    d.pending = [m for m in local if m.name not in in_db]
    seen: set[str] = set()
    for r in live:
        if r.migration_name not in local_names and r.migration_name not in seen:
            d.missing_locally.append(r.migration_name)
            seen.add(r.migration_name)
    common = [m.name for m in local if m.name in in_db]
    d.last_common = common[-1] if common else None
    if check_checksums:
        by_name = {m.name: m for m in local}
        edited: dict[str, None] = {}
        for r in live:
            m = by_name.get(r.migration_name)
            if (r.is_applied and m is not None and (m.script_path.is_file() or m.has_python)
                    and not m.matches(r.checksum)):
                edited.setdefault(r.migration_name)
        d.edited = list(edited)
    return d
