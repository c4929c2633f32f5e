"""What a command reports while it works, before its result exists.

The work never prints these: it hands each `Event` to a reporter. `lamina.api` passes them to
the caller's `on_event` (or keeps their text in the result's `log`); the CLI prints them with
`print_event`.

    kind        text                                              the CLI prints it
    loaded      (event.data: the schema and its datasource)       the header: stderr + stdout
    created     "PostgreSQL database x created at ..."            stdout, after a blank line
    found       "3 migrations found in prisma/migrations"         stdout, after a blank line
    cluster     "... is a node of a Galera cluster ..."           stdout
    note        MySQL's "no transactional DDL" note               stdout, after a blank line
    warning     "Warning (Galera): ..."                           stdout
    applying    "Applying migration 1/3 `name`"                   a transient line on a terminal's stderr
    applied     "Applied migration 1/3 `name` in 12ms"            stderr, when it is not a terminal
                (once committed: on SQLite, after the group of short migrations sharing its commit)
    applied_all (no text: every pending migration is applied)     clears the transient line
    waiting_replicas  (no text: `--wait-replicas` starts)         a blank line on stdout
    replica     a line of `--wait-replicas`                       stdout

`db push` reports loaded and created as above, then, each after a blank line: `reset` (the
schema was reset), `unexecutable` or `data_loss` (the warnings block, before it fails or asks),
and `in_sync` or `pushed` (its last line).

`generate` reports `warnings` (the schema's warnings) and `generated` (event.data: an
`api.GeneratedClient`, one per generator block); the CLI's generate command prints those.

`migrate dev` reports loaded, created, then `settled` (a failed migration marked rolled back),
`rename_warning` (stderr: a rename candidate it does not guess), the pending migrations
(`applying_pending` per migration, then deploy's events, then `applied_pending`: the tree),
`unexecutable` / `data_loss` (blocks on stdout), `lost_trigger`, `lint` (stderr: the new
migration's findings, event.data the `Finding`s), and its last lines: `created_only`,
`in_sync`, or `created_applied`; `python_added` after `--create-only --python`.
`migrate reset` reports loaded, created, `sessions_ended`, deploy's events, `reset_done`
(event.data: the applied migrations, printed as deploy prints them); `migrate rollback`
reports loaded, `rolling_back_all` (a blank line), then `rolling_back` per migration;
`migrate resolve` and `db pull` report loaded (pull also `introspecting`).
The seed step (`db seed`, and `migrate dev` / `migrate reset`) reports `seeding` (the
command it runs), `seed_output` (what the command printed, when it was captured), `seeded`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Event:
    kind: str
    text: str = ""
    migration: str | None = None  # the migration it is about (applying, applied)
    data: Any = None  # loaded: the command's lamina.migrate.context.Context; generated: an api.GeneratedClient


Reporter = Callable[[Event], None]

_BLANK_BEFORE = {"created", "found", "note", "reset", "unexecutable", "data_loss", "in_sync", "pushed",
                 "sessions_ended", "lost_trigger", "seeded", "applied_pending", "created_only"}
_STDERR = {"rename_warning", "lint"}  # what Prisma and Lamina print on stderr


def print_event(event: Event) -> None:
    """Show an event as `lamina` does (stdout and stderr split as Prisma splits them)."""
    from lamina.migrate.output import err, out, progress, progress_done, step_done

    kind = event.kind
    if kind == "loaded":
        event.data.header()
    elif kind == "applying":
        progress(event.text)
    elif kind == "applied":
        step_done(event.text)
    elif kind == "applied_all":
        progress_done()
    elif kind == "reset_done":
        _print_reset_done(event.data)
    elif kind in _STDERR:
        err(event.text)
    else:
        if kind in _BLANK_BEFORE:
            out()
        out(event.text)


def _print_reset_done(applied) -> None:
    """`migrate reset`'s end, before generate and seed: the applied migrations as deploy prints them."""
    from lamina.migrate.deploy import print_applied
    from lamina.migrate.output import out

    out()
    out()
    out("Database reset successful")
    out()
    if applied:
        print_applied(applied)
        out()
