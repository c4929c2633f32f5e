"""The views and triggers a migration cannot run under, or would leave broken: dropped before
the steps that need it and created again after, in what `migrate dev` writes (the migration and
its down). Prisma's schema models neither, and Prisma's migrations leave them alone:

- SQLite re-creates a table to change it (below).
- PostgreSQL refuses a column type change under a view or trigger naming the column, and keeps
  the body of a function naming a renamed table or column as written: the function is
  replaced with the names rewritten (`lamina.dialects.postgres.dependents`).
- MySQL/MariaDB rename tables and columns under views and trigger bodies that keep the old
  names (`lamina.dialects.mysql.dependents`).

One rule for all three: the objects are read as they stand when the step that needs them gone
runs, on a database where the migration is about to run (the shadow database), after the
migration's renames. `views_and_triggers` lists them all, for the down's verification.

SQLite changes a column by re-creating its table (create `new_T`, copy, drop `T`, rename).
Two things go wrong there that Prisma's migrations do not handle:

- `DROP TABLE` drops the table's triggers, silently: hand-made audit or `updated_at`
  triggers disappear at the next schema change of their table.
- `ALTER TABLE ... RENAME` checks every view and trigger of the database, and refuses while
  one reads the table being renamed (`error in view V: no such table`, `error in trigger T:
  no such table: main.T`) — a view, or a trigger on ANOTHER table whose body names it
  (measured on SQLite 3.40: such a trigger does not survive by itself).

SQLite's documented procedure for table changes drops those objects first and creates them
again after. `with_dependents` does so with their SQL as a database where the migration is
about to run stores it (sqlite_master of the shadow database): `migrate dev` for the
migration it writes and for the down it verifies. The differ knows no views nor triggers
(Prisma neither), so `migrate diff`, which has no such database, writes the rebuild alone.

The SQL is read as it stands when the redefinition runs, not before the migration: the steps
before it (a table or column renamed in the same migration) rewrite the views and triggers
that name what they rename, and the redefinition must drop and create them under the new
names. So the earlier steps are run on that database inside a savepoint, the objects read,
and the savepoint rolled back: SQLite's own rewriting, rather than a second one here.

A trigger whose SQL names a column the redefinition drops is dropped and NOT created again:
SQLite would accept `CREATE TRIGGER` and fail every write that fires it (`no such column`).
The migration says so in its `/* Warnings: */` header (and `migrate dev` prints it). The
match is by name, so a trigger naming an unrelated column of the same name is left out too;
the warning names it, and `--create-only` lets the user write it back. The down written
with the migration creates it again after bringing the column back (`with_lost_created`: every
view and trigger the up lost, as it was before the up).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace

from lamina.db.connection import Connection
from lamina.sql import steps as s
from lamina.sql.diff import Migration

_IDENTIFIER = re.compile(r'"((?:[^"]|"")*)"|`((?:[^`]|``)*)`|\[([^\]]*)\]|([A-Za-z_][\w$]*)')


def _names_in(sql: str) -> set[str]:
    """The identifiers (and keywords) of a statement, unquoted, lower-case."""
    return {next(g for g in m.groups() if g is not None).lower() for m in _IDENTIFIER.finditer(sql)}


def _objects(conn: Connection, kind: str) -> list[tuple[str, str, str]]:
    """(name, table it is on, CREATE text) of the views or triggers, in creation order."""
    rows = conn.query("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = ? AND sql IS NOT NULL "
                      "ORDER BY rowid", (kind,))
    return [(str(n), str(t), str(sql)) for n, t, sql in rows]


def _dependent_views(views: list[tuple[str, str, str]], reached: set[str]) -> list[tuple[str, str]]:
    """The views that read a name of `reached`, directly or through another view (which
    `reached` then holds too), in creation order."""
    dependent: set[str] = set()
    changed = True
    while changed:  # a view on a view: until no view is added
        changed = False
        for name, _, sql in views:
            if name not in dependent and _names_in(sql) & reached:
                dependent.add(name)
                reached.add(name.lower())
                changed = True
    return [(name, sql) for name, _, sql in views if name in dependent]


def _lost(step: s.RedefineTables, sql: str) -> str | None:
    """Why a trigger cannot be created again after `step`: it names a column dropped from a
    table it names. None: it can."""
    names = _names_in(sql)
    for r in step.tables:
        gone = sorted(c.name for c in r.dropped if c.name.lower() in names)
        if gone and r.before.name.lower() in names:
            return ", ".join(f"`{c}`" for c in gone) + f" of `{r.before.name}`"
    return None


def dependents_warnings(migration: Migration) -> list[str]:
    """The warnings of the views and triggers around a migration's steps: those a SQLite
    redefinition drops and does not create again, those (and PostgreSQL functions) that may
    still name a table or column a rename changes."""
    lost = [f"The trigger `{name}` names {reason}, which this migration drops: the trigger is dropped and not "
            "created again (it would fail every write that fires it). Write it again by hand if it should stay."
            for st in migration.steps if isinstance(st, s.RedefineTables)
            for name, _, reason in st.lost_triggers]
    created = [d for st in migration.steps if isinstance(st, s.CreateViewsAndTriggers) for d in st.objects]
    return lost + _left_as_written_warnings(created)


def _left_as_written_warnings(objects: Sequence[s.Dependent]) -> list[str]:
    return [f"The {d.kind} `{d.name}` may name a {'table or ' if d.kind == s.FUNCTION else ''}column this migration "
            "renames where Lamina cannot tell: " + "; ".join(d.left_as_written) + ". It is "
            + ("replaced with its body" if d.kind == s.FUNCTION else "created again")
            + f" as written there: if it means that {'name' if d.kind == s.FUNCTION else 'column'}, the {d.kind} "
            "fails once this migration has run. Edit it in the migration (`migrate dev --create-only`)."
            for d in objects if d.left_as_written]


@contextmanager
def _after_steps(conn: Connection, steps: Sequence[s.Step]) -> Iterator[None]:
    """`conn` with `steps` run on it for the duration of the block, then undone: a rolled-back
    savepoint (SQLite and PostgreSQL change their catalogs transactionally)."""
    from lamina.dialects import get_dialect

    render = get_dialect(conn.provider).render_step
    with conn.transaction():
        conn.execute("SAVEPOINT lamina_dependents")
        try:
            for st in steps:
                for statement in render(st):
                    conn.execute(statement)
            yield
        finally:
            conn.execute("ROLLBACK TO SAVEPOINT lamina_dependents")
            conn.execute("RELEASE SAVEPOINT lamina_dependents")


def with_dependents(migration: Migration, conn: Connection) -> Migration:
    """The migration with the views and triggers of `conn` (a database where the migration is
    about to run) that it cannot run under, or would break, dropped before and created after:
    those of a table SQLite re-creates, of a column whose type PostgreSQL changes, naming a
    table or column MySQL renames. Nothing to keep: `migration` itself."""
    if conn.provider == "sqlite":
        return _around_redefinition(migration, conn)
    if conn.provider == "postgresql":
        return _around_type_changes(migration, conn)
    return _around_renames(migration, conn)


def _around_redefinition(migration: Migration, conn: Connection) -> Migration:
    """SQLite: the views and triggers of the tables the migration re-creates, kept in its step."""
    step = next((st for st in migration.steps if isinstance(st, s.RedefineTables)), None)
    if step is None:  # SQLite's differ writes one such step
        return migration
    if not _objects(conn, "trigger") and not _objects(conn, "view"):
        return migration
    with _after_steps(conn, migration.steps[:migration.steps.index(step)]):  # the renames before it
        all_views, all_triggers = _objects(conn, "view"), _objects(conn, "trigger")
    reached = {r.before.name.lower() for r in step.tables}
    views = _dependent_views(all_views, reached)
    # A trigger goes with its table or view (on a redefined table, or on a view dropped above),
    # and blocks the rename while its body names one (a trigger on another table).
    triggers = [(name, sql) for name, table, sql in all_triggers
                if table.lower() in reached or _names_in(sql) & reached]
    if not views and not triggers:
        return migration
    lost = tuple((name, sql, why) for name, sql in triggers if (why := _lost(step, sql)) is not None)
    kept = tuple((name, sql) for name, sql in triggers if name not in {n for n, *_ in lost})
    rebuilt = replace(step, views=tuple(views), triggers=kept, lost_triggers=lost)
    done = Migration([rebuilt if st is step else st for st in migration.steps], migration.before,
                     migration.after, migration.warnings, migration.unexecutable)
    done.warnings = done.warnings + dependents_warnings(done)
    return done


def _retyped_columns(migration: Migration) -> list[tuple[str | None, str, str]]:
    """(namespace, table, column) of each column whose type the migration changes in place, by
    the names it has when that runs (after the renames)."""
    out: list[tuple[str | None, str, str]] = []
    for st in migration.steps:
        if isinstance(st, s.AlterTable):
            out += [(st.after.namespace, st.after.name, ch.after.name) for ch in st.changes
                    if isinstance(ch, s.DropAndRecreateColumn)
                    or (isinstance(ch, s.AlterColumn) and ch.changes & s.ColumnChange.TYPE)]
        elif isinstance(st, s.AlterEnum) and st.removed:  # the columns move to a new enum type
            out += [(u.namespace, u.table, u.column.name) for u in st.uses]
    return out


def _around_type_changes(migration: Migration, conn: Connection) -> Migration:
    """PostgreSQL: the views and triggers of the columns whose type changes, dropped and
    created; the functions naming what the migration renames, replaced."""
    from lamina.dialects.postgres.dependents import column_dependents, renamed_functions

    columns = _retyped_columns(migration)
    tables, renamed_columns = _renames(migration)
    if not columns and not tables and not renamed_columns:
        return migration
    earlier = [st for st in migration.steps if st.sort_key()[0] < s.StepKind.DROP_VIEWS_AND_TRIGGERS]
    with _after_steps(conn, earlier):  # the renames: the objects as they are named when dropped
        objects = column_dependents(conn, columns)
        if tables or renamed_columns:
            objects += renamed_functions(conn, tables, renamed_columns)
    return _dropped_and_created(migration, objects)


def _renames(migration: Migration) -> tuple[dict[str, str], dict[tuple[str, str], str]]:
    """The tables (old -> new name) and the columns ((new table, old column) -> new column)
    the migration renames."""
    tables = {st.before.name: st.after.name for st in migration.steps if isinstance(st, s.RenameTable)}
    columns = {(st.table.name, st.before.name): st.after.name for st in migration.steps
               if isinstance(st, s.RenameColumn)}
    return tables, columns


def _around_renames(migration: Migration, conn: Connection) -> Migration:
    """MySQL: the views and triggers naming what the migration renames, written anew."""
    from lamina.dialects.mysql.dependents import renamed_dependents

    tables, columns = _renames(migration)
    if not tables and not columns:
        return migration
    return _dropped_and_created(migration, renamed_dependents(conn, tables, columns))


def _dropped_and_created(migration: Migration, objects: tuple[s.Dependent, ...]) -> Migration:
    """`migration` with `objects` dropped (DropViewsAndTriggers) and created again
    (CreateViewsAndTriggers), each step at the place its kind runs."""
    if not objects:
        return migration
    steps = list(migration.steps)
    dropped = tuple(d for d in objects if d.kind != s.FUNCTION)  # a function is replaced in place
    for added in (s.DropViewsAndTriggers(objects=dropped), s.CreateViewsAndTriggers(objects=objects)):
        if not added.objects:
            continue
        at = next((i for i, st in enumerate(steps) if st.sort_key()[0] > added.kind), len(steps))
        steps.insert(at, added)
    return Migration(steps, migration.before, migration.after, migration.warnings + _left_as_written_warnings(objects),
                     migration.unexecutable)


_TOKEN = re.compile(r'"((?:[^"]|"")*)"|`((?:[^`]|``)*)`|(\w+)|(\S)')


def _shape(sql: str) -> tuple[str, ...]:
    """A definition's tokens, identifiers unquoted and lower-case: SQLite stores a view or a
    trigger as written, and writes the names a rename rewrites quoted (`User` comes back from a
    rename and its inverse as `"User"`)."""
    return tuple(next(g for g in m.groups() if g is not None).lower() for m in _TOKEN.finditer(sql))


def views_and_triggers(conn: Connection) -> dict[tuple[str, str], s.Dependent]:
    """(kind, name) -> every view and trigger of `conn` with its CREATE statement, in creation
    order: what a down migration must bring back as it was, which the described schema does
    not hold."""
    if conn.provider == "sqlite":
        found = tuple(s.Dependent(kind, name, None, on, sql.strip().rstrip(";"))
                      for kind in ("view", "trigger") for name, on, sql in _objects(conn, kind))
    elif conn.provider == "postgresql":
        from lamina.dialects.postgres.dependents import views_and_triggers as found_in
        found = found_in(conn)
    else:
        from lamina.dialects.mysql.dependents import views_and_triggers as found_in
        found = found_in(conn)
    return {(d.kind, d.name): d for d in found}


def views_and_triggers_changes(before: dict[tuple[str, str], s.Dependent],
                               after: dict[tuple[str, str], s.Dependent]) -> list[str]:
    """What differs between two `views_and_triggers` of a database, one line each."""
    out = [f"the {kind} `{name}` is missing" for kind, name in sorted(before.keys() - after.keys())]
    out += [f"the {kind} `{name}` is new" for kind, name in sorted(after.keys() - before.keys())]
    return out + [f"the {kind} `{name}` has another definition" for kind, name in sorted(before.keys() & after.keys())
                  if _same(before[(kind, name)]) != _same(after[(kind, name)])]


def _same(d: s.Dependent) -> tuple:
    """What must come back of `d`: its table, its definition, its grants and comments."""
    return d.on, _shape(d.create), sorted(_shape(statement) for statement in d.after)


def with_lost_created(down: Migration, before_up: dict[tuple[str, str], s.Dependent],
                      after_up: dict[tuple[str, str], s.Dependent]) -> Migration:
    """`down` ending with the views and triggers the up lost (a trigger on a table it dropped,
    or naming a column a SQLite re-creation dropped) created again, as they were before it, once
    their tables and columns are back."""
    lost = tuple(d for key, d in before_up.items() if key not in after_up)
    if not lost:
        return down
    return Migration([*down.steps, s.CreateViewsAndTriggers(objects=lost)], down.before, down.after, down.warnings,
                     down.unexecutable)
