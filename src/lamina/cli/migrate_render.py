"""The texts and exit codes of `migrate deploy`, `status`, `rollback` and `lint`, rendered from
the result objects of `lamina.api` (the CLI calls the API and prints; it decides nothing else).

Prisma's texts: DESIGN.md's compatibility contract fixes `migrate status`'s words and exit codes
(0 up to date, 1 otherwise); PRISMA-FACTS.md records them.
"""

from __future__ import annotations

import json

from lamina.api import DeployResult, LintResult, MigrationStatus, RollbackResult
from lamina.migrate.output import bold, err, out, plural, tree
from lamina.migrate.status import failed_text, found_line


def print_deployed(result: DeployResult) -> int:
    """What `migrate deploy` prints once its events (the header, the progress) are printed."""
    from lamina.migrate.deploy import print_applied

    out()
    if not result.applied:
        out()
        out("No pending migrations to apply.")
        return 0
    out()
    print_applied(result.details)
    out()
    out("All migrations have been successfully applied.")
    return 0


def print_status(st: MigrationStatus) -> int:
    out()
    out(found_line(len(st.local), st.migrations_directory))
    if st.state == "diverged":
        out("Your local migration history and the migrations table from your database are different:")
        out()
        out(f"The last common migration is: {st.last_common}" if st.last_common else "There is no common migration.")
        out()
        out(f"The {plural(len(st.pending), 'migration')} have not yet been applied:")
        out("\n".join(st.pending))
        out()
        out(f"The {plural(len(st.missing_locally), 'migration')} from the database are not found locally in "
            f"{st.migrations_directory}:")
        out("\n".join(st.missing_locally))
        return 1
    if st.state == "pending":
        out(f"Following {plural(len(st.pending), 'migration')} have not yet been applied:")
        out("\n".join(st.pending))
        out()
        out(f"To apply migrations in development run {bold('lamina migrate dev')}.")
        out(f"To apply migrations in production run {bold('lamina migrate deploy')}.")
        return 1
    if st.state == "unmanaged":
        err("The current database is not managed by Lamina (it has no _prisma_migrations table).")
        err()
        err("Read more about how to baseline an existing production database:")
        err("https://pris.ly/d/migrate-baseline")
        return 1
    names = [f.name for f in st.failed]
    if names and st.applying:
        err(f"{plural(len(names), 'Migration')} being applied right now by {st.applying}: " + ", ".join(names)
            + "\nRun `lamina migrate status` again when it has finished.")
        return 1
    if names:
        err(failed_text(names))
        return 1
    out()
    out("Database schema is up to date!")
    for name in st.edited:
        err(f"Warning: the migration `{name}` was modified after it was applied (its checksum differs from the "
            "database's).")
    if st.missing_locally:
        err(f"Warning: {plural(len(st.missing_locally), 'migration')} applied to the database but missing from "
            f"{st.migrations_directory}: " + ", ".join(st.missing_locally))
    return 0


def print_status_json(st: MigrationStatus) -> int:
    data = {
        "status": st.state,
        "upToDate": st.up_to_date,
        "datasource": {"provider": st.provider, "url": st.url},
        "migrationsDirectory": st.migrations_directory,
        "managed": st.managed,
        "local": st.local,
        "applied": st.applied,
        "pending": st.pending,
        "failed": [{"name": f.name, "startedAt": f.started_at.isoformat(), "logs": f.logs} for f in st.failed],
        "edited": st.edited,
        "missingLocally": st.missing_locally,
        "lastCommon": st.last_common,
    }
    out(json.dumps(data, indent=2))
    return 0 if st.up_to_date else 1


def print_rolled_back(result: RollbackResult, to: str | None) -> int:
    """What `migrate rollback` prints once its events (the header, each migration) are printed."""
    out()
    if not result.rolled_back:
        out(f"Nothing to roll back: `{to}` is the last applied migration.")
        return 0
    out(f"The following {plural(len(result.rolled_back), 'migration')} have been rolled back:")
    out()
    out(tree(result.migrations_directory.rstrip("/") + "/", result.rolled_back))
    out()
    out("They are recorded as rolled back in _prisma_migrations; `lamina migrate status` shows them as not yet "
        "applied, and `lamina migrate deploy` applies them again.")
    return 0


def print_lint(result: LintResult, fmt: str) -> int:
    """`migrate lint`'s report (text or JSON); exit 1 when a finding is at or above --fail-on."""
    from lamina.migrate.lint import format_text
    from lamina.migrate.lint.command import summary

    if fmt == "json":
        out(json.dumps({"migrations": result.migrations, "findings": [f.as_dict() for f in result.findings],
                        "failOn": result.fail_on, "failed": not result.ok}, indent=2))
        return 0 if result.ok else 1
    if not result.migrations:
        out("No migration to lint (no pending migration).")
        return 0
    if result.findings:
        out(format_text(result.findings))
        out()
    count = len(result.migrations)
    out(summary(result.findings, count) if result.findings else f"No finding in {count} {plural(count, 'migration')}.")
    return 0 if result.ok else 1
