"""Prisma's human summary of a migration (`migrate diff` without `--script`, drift reports).

Built from the steps, as Prisma builds it: each step adds lines to an item keyed by
(kind, name); items print in kind order, changed/redefined tables by name, and lines
within an item in step order. Texts, including Prisma's oddities (the `)` line after an
added primary key, Rust-style default values), are Prisma 7.10.1's:

    [+] Added tables
      - User

    [*] Changed the `User` table
      [+] Added unique index on columns (email)
"""

from __future__ import annotations

from enum import IntEnum

from lamina.sql import steps as s
from lamina.sql.schema import Column, ColumnArity, DefaultKind
from lamina.sql.steps import ColumnChange

NO_DIFFERENCE = "No difference detected.\n"


class _Kind(IntEnum):
    REMOVED_EXTENSIONS = -3  # Prisma lists extensions first, each added one in a section of its own
    ADDED_EXTENSION = -2
    ADDED_SCHEMAS = -1
    ADDED_ENUMS = 0
    ADDED_TABLES = 1
    REMOVED_ENUMS = 2
    REMOVED_TABLES = 3
    REDEFINED_TABLE = 4
    CHANGED_ENUM = 5
    CHANGED_TABLE = 6


_LISTS = {
    _Kind.ADDED_SCHEMAS: "[+] Added Schemas",  # (sic: Prisma 7.10.1's capital S)
    _Kind.ADDED_ENUMS: "[+] Added enums",
    _Kind.ADDED_TABLES: "[+] Added tables",
    _Kind.REMOVED_ENUMS: "[-] Removed enums",
    _Kind.REMOVED_TABLES: "[-] Removed tables",
}


def _cols(names) -> str:
    return ", ".join(getattr(n, "name", n) for n in names)


def _index_line(sign: str, verb: str, index) -> str:
    what = "unique index" if index.kind.value == "unique" else "index"
    return f"[{sign}] {verb} {what} on columns ({_cols(index.columns)})"


def _debug(text: str) -> str:
    """A string as Rust's Debug prints it, which is how Prisma shows default values."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _unquote(sql: str) -> str:
    return sql[1:-1].replace("''", "'") if len(sql) >= 2 and sql[0] == sql[-1] == "'" else sql


def _array_items(sql: str) -> list[str] | None:
    """The element literals of `ARRAY[...]::T[]` (or none of `'{}'`), else None."""
    if sql == "'{}'":
        return []
    if not sql.startswith("ARRAY["):
        return None
    end = sql.rindex("]::") if "]::" in sql else sql.rindex("]")
    body, items, current, quoted = sql[len("ARRAY["):end], [], "", False
    for ch in body:
        if ch == "'":
            quoted = not quoted
        if ch == "," and not quoted:
            items.append(current.strip())
            current = ""
        else:
            current += ch
    if current.strip():
        items.append(current.strip())
    return items


def _value(family: str, sql: str) -> str:
    text = _unquote(sql)
    if family.startswith("Enum:"):
        return f"Enum({_debug(text)})"
    if family in ("Int", "BigInt"):
        return f"{family}({text})"
    if family in ("Float", "Decimal"):
        return f"Float(BigDecimal({_debug(text)}))"
    if family == "Boolean":
        return f"Boolean({text})"
    if family == "Json":
        return f"Json({_debug(text)})"
    if family == "DateTime":
        # `2020-01-01 00:00:00 +00:00` as RFC 3339, as Prisma prints a DateTime value
        day, _, rest = text.partition(" ")
        return f"DateTime({day}T{rest.replace(' ', '')})"
    if family == "Bytes" and text.startswith("\\x"):
        return f"Bytes([{', '.join(str(int(text[i:i + 2], 16)) for i in range(2, len(text), 2))}])"
    return f"String({_debug(text)})"


def _default(column: Column) -> str:
    d = column.default
    if d is None or (d.kind is DefaultKind.DBGENERATED and not d.sql):
        return "None"
    if d.kind is DefaultKind.DBGENERATED:
        return f"Some(DbGenerated(Some({_debug(d.sql)})))"
    if d.kind is DefaultKind.SEQUENCE:
        return f'Some(Sequence("{d.sql}"))'
    if d.sql.upper().startswith("CURRENT_TIMESTAMP"):
        return "Some(Now)"
    family = column.family or ""
    items = _array_items(d.sql) if column.arity is ColumnArity.LIST else None
    if items is not None:
        return f"Some(Value(List([{', '.join(_value(family, item) for item in items)}])))"
    return f"Some(Value({_value(family, d.sql)}))"


def _arity(column: Column) -> str:
    return {ColumnArity.REQUIRED: "Required", ColumnArity.NULLABLE: "Nullable", ColumnArity.LIST: "List"}[column.arity]


def _column_changes(before: Column, after: Column, changes: ColumnChange) -> str:
    parts = []
    if changes & ColumnChange.ARITY:
        parts.append(f"changed from {_arity(before)} to {_arity(after)}")
    if changes & ColumnChange.DEFAULT:
        parts.append(f"default changed from `{_default(before)}` to `{_default(after)}`")
    if changes & ColumnChange.TYPE:
        parts.append("type changed")
    if changes & ColumnChange.AUTOINCREMENT:
        parts.append("column became autoincrementing" if after.autoincrement else "column is no longer autoincrementing")
    return ", ".join(parts)


def _alter_table_lines(step: s.AlterTable) -> list[str]:
    lines = []
    for ch in step.changes:
        if isinstance(ch, s.DropPrimaryKey):
            lines.append(f"[-] Dropped the primary key on columns ({_cols(ch.primary_key.columns)})")
        elif isinstance(ch, s.AddPrimaryKey):
            lines.append(f"[+] Added primary key on columns ({_cols(ch.primary_key.columns)})\n)")
        elif isinstance(ch, s.RenamePrimaryKey):
            lines.append(f"[*] Renamed the primary key on columns ({_cols(ch.after.columns)})")
        elif isinstance(ch, s.DropColumn):
            lines.append(f"[-] Removed column `{ch.column.name}`")
        elif isinstance(ch, s.AddColumn):
            lines.append(f"[+] Added column `{ch.column.name}`")
        elif isinstance(ch, s.AlterColumn):
            lines.append(f"[*] Altered column `{ch.after.name}` ({_column_changes(ch.before, ch.after, ch.changes)})")
        elif isinstance(ch, s.DropAndRecreateColumn):
            lines.append(
                f"[*] Column `{ch.after.name}` would be dropped and recreated "
                f"({_column_changes(ch.before, ch.after, ch.changes)})"
            )
    return lines


def summarize(migration) -> str:
    """Prisma's summary text of `migration` ("No difference detected.\\n" when empty)."""
    items: dict[tuple[_Kind, str], list[str]] = {}

    def add(kind: _Kind, name: str, *lines: str) -> None:
        items.setdefault((kind, name), []).extend(lines)

    for step in migration.steps:
        if isinstance(step, s.RemoveExtension):  # drift, down migrations (Prisma never removes one)
            add(_Kind.REMOVED_EXTENSIONS, "", f"  - {step.extension.name}")
        elif isinstance(step, s.DropExtension):
            # Prisma 7.10.1 prints a dropped (to be re-created) extension as a lone backtick
            add(_Kind.REMOVED_EXTENSIONS, "", "`")
        elif isinstance(step, s.CreateExtension):
            add(_Kind.ADDED_EXTENSION, step.extension.name, f"  - {step.extension.name}")
        elif isinstance(step, s.CreateSchema):
            add(_Kind.ADDED_SCHEMAS, "", step.namespace)
        elif isinstance(step, s.CreateEnum):
            add(_Kind.ADDED_ENUMS, "", step.enum.name)
        elif isinstance(step, s.DropEnum):
            add(_Kind.REMOVED_ENUMS, "", step.enum.name)
        elif isinstance(step, s.AlterEnum):
            add(_Kind.CHANGED_ENUM, step.after.name,
                *[f"[+] Added variant `{v}`" for v in step.added], *[f"[-] Removed variant `{v}`" for v in step.removed])
        elif isinstance(step, s.CreateTable):
            add(_Kind.ADDED_TABLES, "", step.table.name)
        elif isinstance(step, s.DropTable):
            add(_Kind.REMOVED_TABLES, "", step.table.name)
        elif isinstance(step, s.RedefineTables):
            for r in step.tables:
                add(_Kind.REDEFINED_TABLE, r.after.name)
        elif isinstance(step, s.AlterTable):
            add(_Kind.CHANGED_TABLE, step.after.name, *_alter_table_lines(step))
        elif isinstance(step, s.CreateIndex):
            add(_Kind.CHANGED_TABLE, step.table.name, _index_line("+", "Added", step.index))
        elif isinstance(step, s.DropIndex):
            add(_Kind.CHANGED_TABLE, step.table.name, _index_line("-", "Removed", step.index))
        elif isinstance(step, s.RenameIndex):
            add(_Kind.CHANGED_TABLE, step.table.name, f"[*] Renamed index `{step.before.name}` to `{step.after.name}`")
        elif isinstance(step, s.RedefineIndex):
            add(_Kind.CHANGED_TABLE, step.table.name, f"[*] Redefined index `{step.before.name}`")
        elif isinstance(step, s.AddForeignKey):
            add(_Kind.CHANGED_TABLE, step.table.name, f"[+] Added foreign key on columns ({_cols(step.foreign_key.columns)})")
        elif isinstance(step, s.DropForeignKey):
            add(_Kind.CHANGED_TABLE, step.table.name,
                f"[-] Removed foreign key on columns ({_cols(step.foreign_key.columns)})")
        elif isinstance(step, s.RenameForeignKey):
            add(_Kind.CHANGED_TABLE, step.table.name,
                f'[*] Renamed the foreign key "{step.before.name}" to "{step.after.name}"')
    if not items:
        return NO_DIFFERENCE
    sections = []
    for (kind, name), lines in sorted(items.items(), key=lambda kv: (kv[0][0], kv[0][1])):
        if kind is _Kind.REMOVED_EXTENSIONS:
            listed = [line for line in lines if line != "`"]
            # Prisma's re-created extension: a backtick line and no blank line before the next section
            sections.append("[-] Removed extensions\n" + "".join(f"{line}\n" for line in listed)
                            + ("`" if len(listed) < len(lines) else ""))
        elif kind is _Kind.ADDED_EXTENSION:
            sections.append("[+] Added extensions\n" + "".join(f"{line}\n" for line in lines))
        elif kind in _LISTS:
            sections.append(_LISTS[kind] + "\n" + "".join(f"  - {n}\n" for n in lines))
        elif kind is _Kind.REDEFINED_TABLE:
            sections.append(f"[*] Redefined table `{name}`\n")
        elif kind is _Kind.CHANGED_ENUM:
            sections.append(f"[*] Changed the `{name}` enum\n" + "".join(f"  {line}\n" for line in lines))
        elif lines:
            sections.append(f"[*] Changed the `{name}` table\n" + "".join(f"  {line}\n" for line in lines))
    return "\n" + "\n".join(sections)
