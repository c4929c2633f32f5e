"""A human summary of the difference between two SqlSchemas, in Prisma's drift format:

    [+] Added tables
      - T1

    [*] Changed the `User` table
      [+] Added column `avatar`
      [+] Added unique index on columns (email)

Used for the drift report of `migrate dev` (and reusable by `migrate diff` without --script).
"""

from __future__ import annotations

from lamina.sql.schema import SqlSchema, Table


def _qual(t) -> str:
    return f"{t.namespace}.{t.name}" if getattr(t, "namespace", None) else t.name


def _cols(ix) -> str:
    return ", ".join(getattr(c, "name", c) for c in ix.columns)


def summarize(before: SqlSchema, after: SqlSchema) -> str:
    """'' when the two schemas have no visible difference."""
    sections: list[list[str]] = []
    b_enums = {(e.namespace if hasattr(e, "namespace") else None, e.name): e for e in before.enums}
    a_enums = {(e.namespace if hasattr(e, "namespace") else None, e.name): e for e in after.enums}
    added = [e for k, e in a_enums.items() if k not in b_enums]
    removed = [e for k, e in b_enums.items() if k not in a_enums]
    if added:
        sections.append(["[+] Added enums", *[f"  - {e.name}" for e in added]])
    if removed:
        sections.append(["[-] Removed enums", *[f"  - {e.name}" for e in removed]])
    for k, e in a_enums.items():
        old = b_enums.get(k)
        if old is not None and tuple(old.values) != tuple(e.values):
            lines = [f"[*] Changed the `{e.name}` enum"]
            lines += [f"  [+] Added variant `{v}`" for v in e.values if v not in old.values]
            lines += [f"  [-] Removed variant `{v}`" for v in old.values if v not in e.values]
            sections.append(lines)
    b_tables = {(t.namespace, t.name): t for t in before.tables}
    a_tables = {(t.namespace, t.name): t for t in after.tables}
    new = [t for k, t in a_tables.items() if k not in b_tables]
    gone = [t for k, t in b_tables.items() if k not in a_tables]
    if new:
        sections.append(["[+] Added tables", *[f"  - {_qual(t)}" for t in new]])
    if gone:
        sections.append(["[-] Removed tables", *[f"  - {_qual(t)}" for t in gone]])
    for k, t in a_tables.items():
        old = b_tables.get(k)
        if old is not None:
            lines = _table_changes(old, t)
            if lines:
                sections.append([f"[*] Changed the `{_qual(t)}` table", *lines])
    return "\n\n".join("\n".join(s) for s in sections)


def _table_changes(old: Table, new: Table) -> list[str]:
    lines: list[str] = []
    old_cols = {c.name: c for c in old.columns}
    new_cols = {c.name: c for c in new.columns}
    lines += [f"  [+] Added column `{c}`" for c in new_cols if c not in old_cols]
    lines += [f"  [-] Removed column `{c}`" for c in old_cols if c not in new_cols]
    for name, c in new_cols.items():
        o = old_cols.get(name)
        if o is None:
            continue
        what = []
        if o.arity != c.arity:
            what.append(f"changed from {_arity(o)} to {_arity(c)}")
        if o.type != c.type:
            what.append("changed type")
        if o.default != c.default:
            what.append("default changed")
        if o.autoincrement != c.autoincrement:
            what.append("autoincrement changed")
        if what:
            lines.append(f"  [*] Altered column `{name}` ({', '.join(what)})")
    if (old.primary_key and tuple(old.primary_key.columns)) != (new.primary_key and tuple(new.primary_key.columns)):
        lines.append("  [*] Changed the primary key")
    old_ix = {(ix.kind, tuple(_cols(ix).split(", "))): ix for ix in old.indexes}
    new_ix = {(ix.kind, tuple(_cols(ix).split(", "))): ix for ix in new.indexes}
    for key, ix in new_ix.items():
        if key not in old_ix:
            lines.append(f"  [+] Added {_kind(ix)} on columns ({_cols(ix)})")
    for key, ix in old_ix.items():
        if key not in new_ix:
            lines.append(f"  [-] Removed {_kind(ix)} on columns ({_cols(ix)})")
    old_fk = {(fk.columns, fk.referenced_table, fk.referenced_columns, fk.on_delete, fk.on_update) for fk in old.foreign_keys}
    new_fk = {(fk.columns, fk.referenced_table, fk.referenced_columns, fk.on_delete, fk.on_update) for fk in new.foreign_keys}
    for fk in new.foreign_keys:
        if (fk.columns, fk.referenced_table, fk.referenced_columns, fk.on_delete, fk.on_update) not in old_fk:
            lines.append(f"  [+] Added foreign key on columns ({', '.join(fk.columns)})")
    for fk in old.foreign_keys:
        if (fk.columns, fk.referenced_table, fk.referenced_columns, fk.on_delete, fk.on_update) not in new_fk:
            lines.append(f"  [-] Removed foreign key on columns ({', '.join(fk.columns)})")
    return lines


def _arity(c) -> str:
    return {"REQUIRED": "Required", "NULLABLE": "Optional", "LIST": "List"}.get(c.arity.name, c.arity.name.title())


def _kind(ix) -> str:
    kind = getattr(ix.kind, "value", str(ix.kind))
    return {"unique": "unique index", "fulltext": "fulltext index"}.get(kind, "index")
