"""PostgreSQL: the views and triggers a column type change cannot run under.

PostgreSQL refuses `ALTER COLUMN ... TYPE` while a view reads the column (`cannot alter type
of a column used by a view or rule`) or a trigger's definition names it (`UPDATE OF`, `WHEN`:
`... used in a trigger definition`). Renames need nothing there: views and triggers refer to
tables by identity, and their definitions read back under the new names. Not so a function's
body (plpgsql, or SQL as a string): PostgreSQL keeps it as written, and a trigger function naming
a renamed column fails at the next write that fires it. `renamed_functions` writes those
functions again (`CREATE OR REPLACE`) with the names rewritten where the body tells
(`lamina.dialects.postgres.function_rewrite`), and says where it cannot.

`column_dependents` finds those objects through `pg_depend`: the views and materialized views
reading the columns, the views reading those views (DROP VIEW refuses while one does), the
triggers naming the columns and the triggers on the views (dropped with them), the indexes of
the materialized views (dropped with them too). Each comes with its definition as
`pg_get_viewdef`, `pg_get_triggerdef` and `pg_get_indexdef` give it; a materialized view is
filled again when it is created (`WITH DATA`) unless it was never filled. What a definition
does not carry comes with it (`Dependent.after`): the grants on a view and on its columns, the
comments of the views, their columns, the triggers and the indexes (options such as
security_barrier or check_option are in the CREATE). Not kept: column defaults set on a view, an
owner other than the migrating user.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from lamina.db.connection import Connection
from lamina.dialects.common import double_quote as q
from lamina.dialects.postgres.function_rewrite import Renames, rewrite
from lamina.dialects.postgres.render import qualified, string_literal
from lamina.sql.steps import FUNCTION, MATERIALIZED_VIEW, VIEW_FUNCTION, Dependent

# (kind, name, schema, table it is on, depth, relkind, populated, options, definition, comment,
# column comments, grants) of the views of a CTE `views(oid, depth)` (depth: after the views of
# lower depth), of the triggers that `{triggers}` selects and of the indexes of the materialized
# views: views first, indexes last; the connection's schema is the last two parameters.
_SELECT = """
SELECT 'view', c.relname, n.nspname, NULL, v.depth, c.relkind::text, c.relispopulated,
       array_to_string(c.reloptions, ', '), pg_get_viewdef(c.oid), obj_description(c.oid, 'pg_class'),
       ARRAY(SELECT ARRAY[a.attname::text, d.description] FROM pg_description d
               JOIN pg_attribute a ON a.attrelid = d.objoid AND a.attnum = d.objsubid
             WHERE d.objoid = c.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid > 0 ORDER BY a.attnum),
       -- (grantee, '' for PUBLIC; privilege; column or ''; grantable) but the owner's own
       ARRAY(SELECT ARRAY[coalesce(r.rolname::text, ''), x.privilege_type, '', x.is_grantable::text]
             FROM aclexplode(c.relacl) x LEFT JOIN pg_roles r ON r.oid = x.grantee WHERE x.grantee <> c.relowner
             UNION ALL
             SELECT ARRAY[coalesce(r.rolname::text, ''), x.privilege_type, a.attname::text, x.is_grantable::text]
             FROM pg_attribute a CROSS JOIN aclexplode(a.attacl) x LEFT JOIN pg_roles r ON r.oid = x.grantee
             WHERE a.attrelid = c.oid AND a.attacl IS NOT NULL AND x.grantee <> c.relowner)
FROM (SELECT oid, max(depth) AS depth FROM views GROUP BY oid) v JOIN pg_class c ON c.oid = v.oid
  JOIN pg_namespace n ON n.oid = c.relnamespace
UNION ALL
SELECT 'trigger', tg.tgname, n.nspname, c.relname, 0, NULL, NULL, NULL,
       -- pg_get_triggerdef qualifies the table always: not in the connection's schema
       CASE WHEN n.nspname = ? THEN replace(pg_get_triggerdef(tg.oid), ' ON ' || quote_ident(n.nspname) || '.', ' ON ')
            ELSE pg_get_triggerdef(tg.oid) END, obj_description(tg.oid, 'pg_trigger'), NULL, NULL
FROM pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE NOT tg.tgisinternal AND ({triggers})
UNION ALL
SELECT 'index', i.relname, n.nspname, c.relname, 0, NULL, NULL, NULL,
       -- pg_get_indexdef too
       CASE WHEN n.nspname = ? THEN replace(pg_get_indexdef(x.indexrelid), ' ON ' || quote_ident(n.nspname) || '.', ' ON ')
            ELSE pg_get_indexdef(x.indexrelid) END, obj_description(i.oid, 'pg_class'), NULL, NULL
FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class c ON c.oid = x.indrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind = 'm' AND x.indrelid IN (SELECT oid FROM views)
ORDER BY 1 DESC, 5, 2
"""

# The views and triggers depending on columns: the tables (qualified, quoted: `to_regclass`
# input) and the column of each are the first two parameters.
_COLUMN_DEPENDENTS = """
WITH RECURSIVE
  targets(rel, col) AS (SELECT to_regclass(t), c FROM unnest(?::text[], ?::text[]) AS x(t, c)),
  views(oid, depth) AS (
    SELECT r.ev_class, 1 FROM pg_depend d
      JOIN pg_rewrite r ON r.oid = d.objid
      JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
      JOIN targets t ON t.rel = d.refobjid AND t.col = a.attname
    WHERE d.classid = 'pg_rewrite'::regclass AND d.refclassid = 'pg_class'::regclass AND r.ev_class <> d.refobjid
    UNION ALL
    SELECT r.ev_class, v.depth + 1 FROM views v
      JOIN pg_depend d ON d.refobjid = v.oid AND d.refclassid = 'pg_class'::regclass
      JOIN pg_rewrite r ON r.oid = d.objid
    WHERE d.classid = 'pg_rewrite'::regclass AND r.ev_class <> v.oid
  )""" + _SELECT.format(triggers="""tg.tgrelid IN (SELECT oid FROM views) OR EXISTS (
  SELECT 1 FROM pg_depend d
    JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
    JOIN targets t ON t.rel = d.refobjid AND t.col = a.attname
  WHERE d.classid = 'pg_trigger'::regclass AND d.objid = tg.oid)""")

# Every view and trigger outside the system schemas and the extensions, views in creation order.
_ALL = """
WITH views(oid, depth) AS (
  SELECT c.oid, row_number() OVER (ORDER BY c.oid) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('v', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
    AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.objid = c.oid AND e.deptype = 'e')
)""" + _SELECT.format(triggers="NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.objid = tg.oid AND e.deptype = 'e')")


def _dependents(conn: Connection, rows: list[tuple]) -> tuple[Dependent, ...]:
    out = []
    for kind, name, nspname, on, _, relkind, populated, options, definition, comment, column_comments, grants in rows:
        # The connection's schema unwritten, as Prisma writes its migrations: they may run in another.
        namespace = None if nspname == conn.schema else nspname
        if kind == "view":
            with_options = f" WITH ({options})" if options else ""
            query = definition.strip().rstrip(";")
            if relkind == "m":
                kind = MATERIALIZED_VIEW
                data = "DATA" if populated else "NO DATA"
                create = f"CREATE MATERIALIZED VIEW {qualified(name, namespace)}{with_options} AS\n{query}\nWITH {data}"
            else:
                create = f"CREATE VIEW {qualified(name, namespace)}{with_options} AS\n{query}"
        else:
            create = definition
        dependent = Dependent(kind, name, namespace, on, create)
        out.append(replace(dependent, after=_comments(dependent, comment, column_comments or ())
                           + _grants(dependent, grants or ())))
    return tuple(out)


def _comments(d: Dependent, comment: str | None, column_comments: Sequence[Sequence[str]]) -> tuple[str, ...]:
    """The COMMENT statements of `d` and of its columns: a DROP loses them."""
    target = (f"TRIGGER {q(d.name)} ON {qualified(d.on or '', d.namespace)}" if d.kind == "trigger"
              else f"{d.kind.upper()} {qualified(d.name, d.namespace)}")
    out = [f"COMMENT ON {target} IS {string_literal(comment)}"] if comment is not None else []
    return tuple(out + [f"COMMENT ON COLUMN {qualified(d.name, d.namespace)}.{q(column)} IS {string_literal(text)}"
                        for column, text in column_comments])


def _grants(d: Dependent, grants: Sequence[Sequence[str]]) -> tuple[str, ...]:
    """The GRANT statements giving back the privileges on a view (but its owner's, which the
    CREATE gives): one per grantee, column and grant option."""
    privileges: dict[tuple[str, str, str], list[str]] = {}
    for grantee, privilege, column, grantable in grants:
        privileges.setdefault((grantee, column, grantable), []).append(privilege)
    return tuple(f"GRANT {', '.join(sorted(privs))}{f' ({q(column)})' if column else ''} ON "
                 f"{qualified(d.name, d.namespace)} TO {q(grantee) if grantee else 'PUBLIC'}"
                 + (" WITH GRANT OPTION" if grantable == "true" else "")
                 for (grantee, column, grantable), privs in sorted(privileges.items()))


def column_dependents(conn: Connection, columns: Sequence[tuple[str | None, str, str]]) -> tuple[Dependent, ...]:
    """The views and triggers that depend on the (namespace, table, column) `columns`, in
    creation order: views before the views reading them, then the functions holding those
    views, then the triggers."""
    if not columns:
        return ()
    tables = [f"{q(ns or conn.schema)}.{q(table)}" for ns, table, _ in columns]
    found = _dependents(conn, conn.query(_COLUMN_DEPENDENTS, ([*tables], [c for *_, c in columns], conn.schema,
                                                                conn.schema)))
    views = tuple(d for d in found if d.kind in ("view", MATERIALIZED_VIEW))
    rest = tuple(d for d in found if d.kind not in ("view", MATERIALIZED_VIEW))
    return views + _view_functions(conn, views) + rest


# The functions PostgreSQL ties to views (`?`: the views, qualified and quoted): by an argument or
# result of the view's row type (or an array of it), or by a parsed body (SQL BEGIN ATOMIC) reading
# the view. Not of an extension; in creation order.
_VIEW_FUNCTIONS = """
WITH views(oid, type) AS (SELECT c.oid, c.reltype FROM pg_class c
                          WHERE c.oid IN (SELECT to_regclass(v) FROM unnest(?::text[]) AS v))
SELECT p.proname, pg_get_function_identity_arguments(p.oid), n.nspname, quote_ident(n.nspname), p.prosrc,
       pg_get_functiondef(p.oid), obj_description(p.oid, 'pg_proc')
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND (
        (d.refclassid = 'pg_type'::regclass AND d.refobjid IN (
            SELECT type FROM views UNION ALL SELECT t.typarray FROM pg_type t JOIN views ON t.oid = views.type))
        OR (d.refclassid = 'pg_class'::regclass AND d.refobjid IN (SELECT oid FROM views))))
  AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.objid = p.oid AND e.deptype = 'e')
ORDER BY p.oid
"""


def _view_functions(conn: Connection, views: Sequence[Dependent]) -> tuple[Dependent, ...]:
    """The functions holding `views` (DROP VIEW refuses under them), to drop before and create
    after, with their comments. Not kept: grants on them other than the default."""
    if not views:
        return ()
    names = [f"{q(v.namespace or conn.schema)}.{q(v.name)}" for v in views]
    out = []
    for name, arguments, nspname, quoted_nspname, body, definition, comment in conn.query(_VIEW_FUNCTIONS, (names,)):
        created = _function(conn, name, nspname, quoted_nspname, body, definition)
        after = (f"COMMENT ON FUNCTION {qualified(name, created.namespace)}({arguments}) IS {string_literal(comment)}",
                 ) if comment is not None else ()
        out.append(replace(created, kind=VIEW_FUNCTION, on=arguments, after=after))
    return tuple(out)


def views_and_triggers(conn: Connection) -> tuple[Dependent, ...]:
    """Every view and trigger of the database (not of an extension), in creation order, and
    the functions whose body is text (a rename may have rewritten them)."""
    return _dependents(conn, conn.query(_ALL, (conn.schema, conn.schema))) + functions(conn)


# The functions whose body is text PostgreSQL reads at each call (plpgsql, SQL without BEGIN
# ATOMIC: that one is parsed and follows renames; procedures too), not of an extension, in creation order:
# (name with its arguments, schema, quoted schema, body, CREATE OR REPLACE, parameter names,
# tables of the triggers running it).
_FUNCTIONS = """
SELECT p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')', n.nspname, quote_ident(n.nspname),
       p.prosrc, pg_get_functiondef(p.oid), p.proargnames,
       ARRAY(SELECT DISTINCT c.relname::text FROM pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid
             WHERE tg.tgfoid = p.oid ORDER BY 1)
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace JOIN pg_language l ON l.oid = p.prolang
WHERE l.lanname IN ('plpgsql', 'sql') AND p.prosrc <> ''  -- a BEGIN ATOMIC body (PostgreSQL 14) has no text
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.objid = p.oid AND e.deptype = 'e')
ORDER BY p.oid
"""


def _function(conn: Connection, name: str, nspname: str, quoted_nspname: str, body: str, definition: str,
              new_body: str | None = None) -> Dependent:
    """The function's CREATE OR REPLACE (with `new_body`), unqualified in the connection's schema."""
    namespace = None if nspname == conn.schema else nspname
    if namespace is None:  # pg_get_functiondef qualifies the name always
        head, rest = definition.split("\n", 1)
        definition = head.replace(f" {quoted_nspname}.", " ", 1) + "\n" + rest
    if new_body is not None:
        at = definition.rindex(body)
        definition = definition[:at] + new_body + definition[at + len(body):]
    return Dependent(FUNCTION, name, namespace, None, definition.strip().rstrip(";"))


def renamed_functions(conn: Connection, tables: Mapping[str, str],
                      columns: Mapping[tuple[str, str], str]) -> tuple[Dependent, ...]:
    """The functions of `conn` (a database where the renames have run) whose body names a table
    of `tables` (old -> new name) or a column of `columns` ((new table, old column) -> new
    column), with the names rewritten, and where a name is left as written
    (`Dependent.left_as_written`)."""
    renames = Renames(tables, columns)
    old_names = [n.lower() for n in tables] + [c.lower() for _, c in columns]
    out = []
    for name, nspname, quoted_nspname, body, definition, parameters, trigger_tables in conn.query(_FUNCTIONS):
        if not any(n in body.lower() for n in old_names):
            continue
        rewritten = rewrite(body, renames, [p for p in parameters or () if p], trigger_tables)
        if rewritten.body != body or rewritten.unsure:
            out.append(replace(_function(conn, name, nspname, quoted_nspname, body, definition, rewritten.body),
                               left_as_written=rewritten.unsure))
    return tuple(out)


def functions(conn: Connection) -> tuple[Dependent, ...]:
    """Every function of the database whose body is text (for a down's verification)."""
    return tuple(_function(conn, name, nspname, quoted_nspname, body, definition)
                 for name, nspname, quoted_nspname, body, definition, *_ in conn.query(_FUNCTIONS))
