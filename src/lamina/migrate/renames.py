"""Deciding renames for `migrate dev` and `migrate diff`: `--rename` flags, the terminal
question, and the warning when a likely rename is left a drop and an add.

The user speaks in schema names (`User.fullName`, `Role.ADMIN`); `lamina.sql.diff.renames`
works in database names. A flag names the *new* model (or enum) on the left of the dot:

    --rename User.fullName=name      field `fullName` of model User is now `name`
    --rename Customer=Client         model (or enum) Customer is now Client
    --rename Role.ADMIN=OWNER        value ADMIN of enum Role is now OWNER

The old names are the names in the previous schema: the database names when they had
`@map`/`@@map` (the previous schema is only known from the database).

Never guessed: a candidate becomes a rename by a flag or a "y" in a terminal. Without a
terminal the migration drops and adds, as Prisma's does, and a warning says which flag
would have made it a rename.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, cast

import click

from lamina.errors import LaminaError
from lamina.migrate.output import err, interactive
from lamina.sql.diff.join_tables import join_table_renames
from lamina.sql.diff.renames import Rename, RenameError, apply, candidates, check, enum_columns, kinds
from lamina.sql.schema import SqlSchema

_FLAG = re.compile(r"^\s*([^.=\s]+)(?:\.([^.=\s]+))?\s*=\s*([^.=\s]+)\s*$")


@dataclass
class Names:
    """Schema names <-> database names, from the target datamodel. Only the names that differ
    (`@map`, `@@map`) are kept, every lookup defaulting to the name itself: at 10,000 models the
    full maps were 100,000 entries each, for the handful a schema maps."""

    tables: dict[str, str] = field(default_factory=dict)  # model name -> table
    models: dict[str, str] = field(default_factory=dict)  # table -> model name
    columns: dict[tuple[str, str], str] = field(default_factory=dict)  # (table, field) -> column
    fields: dict[tuple[str, str], str] = field(default_factory=dict)  # (table, column) -> field
    enums: dict[str, str] = field(default_factory=dict)  # enum name -> db name
    enum_names: dict[str, str] = field(default_factory=dict)  # db name -> enum name
    values: dict[tuple[str, str], str] = field(default_factory=dict)  # (enum db, value) -> value db
    value_names: dict[tuple[str, str], str] = field(default_factory=dict)

    @classmethod
    def of(cls, datamodel: Any) -> Names:
        n = cls()
        if datamodel is None:
            return n
        for m in getattr(datamodel, "models", []):
            if m.name != m.db_name:
                n.tables[m.name] = m.db_name
                n.models[m.db_name] = m.name
            for f in m.scalar_fields:
                if f.name != f.db_name:
                    n.columns[(m.db_name, f.name)] = f.db_name
                    n.fields[(m.db_name, f.db_name)] = f.name
        for e in getattr(datamodel, "enums", []):
            if e.name != e.db_name:
                n.enums[e.name] = e.db_name
                n.enum_names[e.db_name] = e.name
            for v in e.values:
                if v.name != v.db_name:
                    n.values[(e.db_name, v.name)] = v.db_name
                    n.value_names[(e.db_name, v.db_name)] = v.name
        return n

    def label(self, r: Rename) -> tuple[str, str]:
        """(old, new) as the question and the warning print them."""
        if r.kind == "table":
            return r.old, self.models.get(r.new, r.new)
        if r.kind == "enum":
            return r.old, self.enum_names.get(r.new, r.new)
        parent = r.parent or ""
        if r.kind == "column":
            owner = self.models.get(parent, parent)
            return f"{owner}.{r.old}", f"{owner}.{self.fields.get((parent, r.new), r.new)}"
        owner = self.enum_names.get(parent, parent)
        return f"{owner}.{r.old}", f"{owner}.{self.value_names.get((parent, r.new), r.new)}"

    def flag(self, r: Rename) -> str:
        old, new = self.label(r)
        return f"--rename {old}={new.rsplit('.', 1)[-1]}"


class _LazyNames:
    """`Names.of(datamodel)`, built on first use: a diff without flags or candidates (every
    `migrate diff --from-empty`) needs no name of its 10,000 models' fields."""

    def __init__(self, datamodel: Any) -> None:
        self._datamodel = datamodel
        self._names: Names | None = None

    def __getattr__(self, name: str) -> Any:
        if self._names is None:
            # a datamodel the repeat-run cache answered for has its names stored beside it
            cached = getattr(self._datamodel, "cached_names", None)
            self._names = (cached() if callable(cached) else None) or Names.of(self._datamodel)
        return getattr(self._names, name)


def parse_flags(flags: Iterable[str], after: SqlSchema, names: Names, datamodel: Any = None) -> list[Rename]:
    """`--rename` values as database-name renames of the right kind (LaminaError if malformed)."""
    out = []
    for text in flags:
        m = _FLAG.match(text)
        if m is None:
            raise LaminaError(f"`--rename {text}`: expected `Model.oldField=newField` or `OldModel=NewModel`.")
        left, old_member, new = m.groups()
        if old_member is None:  # Old=New: a model or an enum
            table = names.tables.get(new, new)
            enum = names.enums.get(new, new)
            if any(t.name == table for t in after.tables):
                ns = next(t.namespace for t in after.tables if t.name == table)
                out.append(Rename("table", left, table, None, ns))
            elif any(e.name == enum for e in after.enums):
                ns = next(e.namespace for e in after.enums if e.name == enum)
                out.append(Rename("enum", left, enum, None, ns))
            elif not after.enums and any(e.name == new for e in getattr(datamodel, "enums", [])):
                pass  # MySQL, SQLite: no database object bears an enum's name, nothing to rename
            else:
                raise LaminaError(f"`--rename {text}`: the new schema has no model or enum `{new}`.")
            continue
        table = names.tables.get(left, left)
        enum = names.enums.get(left, left)
        if any(t.name == table for t in after.tables):
            ns = next(t.namespace for t in after.tables if t.name == table)
            out.append(Rename("column", old_member, names.columns.get((table, new), new), table, ns))
        elif any(e.name == enum for e in after.enums):
            ns = next(e.namespace for e in after.enums if e.name == enum)
            out.append(Rename("value", old_member, names.values.get((enum, new), new), enum, ns))
        elif (inline := _inline_enum_value(text, left, old_member, new, after, names, datamodel)) is not None:
            out.append(inline)
        else:
            raise LaminaError(f"`--rename {text}`: the new schema has no model or enum `{left}`.")
    return out


def _inline_enum_value(text: str, enum: str, old: str, new: str, after: SqlSchema, names: Names,
                       datamodel: Any) -> Rename | None:
    """`--rename Role.OLD=NEW` where enums are not types (MySQL, SQLite): the rename names the
    columns that use the enum, whose rows are rewritten. None when `enum` is no enum."""
    declared = next((e for e in getattr(datamodel, "enums", []) if e.name == enum), None)
    if declared is None or after.enums:
        return None
    values = [v.db_name for v in declared.values]
    new_db = names.values.get((declared.db_name, new), new)
    if new_db not in values:
        raise LaminaError(f"`--rename {text}`: the enum `{enum}` has no value `{new}` in the new schema.")
    if old in values:
        raise LaminaError(f"`--rename {text}`: the new schema still has the value `{enum}.{old}`.")
    return Rename("value", old, new_db, enum, None, enum_columns(after, enum))


def question(names: Names, r: Rename) -> str:
    old, new = names.label(r)
    return f"Did you rename {old} to {new}? (y/N)"


def ask_in_terminal(text: str) -> bool:
    answer = click.prompt(text, default="", show_default=False, prompt_suffix=" ")
    return answer.strip().lower() in ("y", "yes")


def decide(before: SqlSchema, after: SqlSchema, dialect: Any, flags: Iterable[str] = (), datamodel: Any = None,
           may_ask: bool = True, warn: Callable[[str], None] = err) -> list[Rename]:
    """The renames for the migration from `before` to `after`: the declared ones (checked),
    and the candidates a person confirmed in a terminal. Without a terminal (or `may_ask`
    False) nothing is guessed: each candidate is a warning naming its flag. Kinds are decided
    in order (`kinds`: enums, values, tables, columns; values last where enums are inline) on
    the schema as renamed so far. The implicit many-to-many tables of renamed models follow
    them (`join_table_renames`) without a question; a join table renamed otherwise (its
    model renamed, its table not) is a candidate as the others."""
    names = cast(Names, _LazyNames(datamodel))  # read only for a flag or a candidate
    declared = parse_flags(flags, after, names, datamodel)
    ask: Callable[[str], bool] | None = ask_in_terminal if may_ask and interactive() else None

    def confirm(c: Rename) -> bool:
        """The terminal's answer; without a terminal, no, with a warning naming the flag."""
        if ask is not None:
            return ask(question(names, c))
        old, new = names.label(c)
        warn(f"⚠️  `{old}` is gone and `{new}` is new, with the same definition. Lamina does not guess "
             f"renames without a terminal: it drops `{old}` and adds `{new}` (as Prisma does), and the "
             f"data of `{old}` is lost. If it is a rename, run again with `{names.flag(c)}`.")
        return False

    decided: list[Rename] = []
    for kind in kinds(dialect):
        if kind == "column":
            decided += join_table_renames(before, after, decided, dialect, confirm)
        current, _ = apply(before, decided, dialect)
        mine = [r for r in declared if r.kind == kind]
        for r in mine:
            if r.kind == "value" and r.columns:
                continue  # an inline enum's value: checked against the datamodel (parse_flags)
            try:
                check(current, after, r)
            except RenameError as exc:
                raise LaminaError(f"`{names.flag(r)}`: {exc}.") from None
        decided += mine
        taken = {(r.parent, r.old) for r in mine} | {(r.parent, r.new) for r in mine}
        for c in candidates(current, after, kind, dialect):
            if (c.parent, c.old) in taken or (c.parent, c.new) in taken:
                continue
            if confirm(c):
                decided.append(c)
    return decided
