"""A migration's name from what it changes, for `migrate dev` without `--name` and without a
terminal to ask in (as Django names its migrations): `create_post`, `add_user_avatar`,
`drop_comment`, `alter_deal_amount`, joined by `_and_`; `_and_more` past three parts.
Never empty: a change with nothing nameable is `auto`."""

from __future__ import annotations

from lamina.sql import steps as s

MAX_PARTS = 3


def name_from_steps(migration) -> str:
    parts: list[str] = []
    for step in migration.steps:
        for part in _parts(step):
            if part not in parts:
                parts.append(part)
    if not parts:
        return "auto"
    # Names keep their case: the folder name's slugify turns `add_User_avatarUrl` into
    # `add_user_avatar_url`, as it does for a name typed at the prompt.
    return "_and_".join(parts[:MAX_PARTS]) + ("_and_more" if len(parts) > MAX_PARTS else "")


def _parts(step) -> list[str]:
    if isinstance(step, s.CreateTable):
        return [f"create_{step.table.name}"]
    if isinstance(step, s.DropTable):
        return [f"drop_{step.table.name}"]
    if isinstance(step, s.CreateEnum):
        return [f"create_{step.enum.name}"]
    if isinstance(step, s.DropEnum):
        return [f"drop_{step.enum.name}"]
    if isinstance(step, s.AlterEnum):
        return [f"alter_{step.after.name}"]
    if isinstance(step, s.AlterTable):
        return [_column_part(step.after.name, change) for change in step.changes if _column_part(step.after.name, change)]
    if isinstance(step, s.RedefineTables):  # SQLite's rebuilds say what changed per column
        out = []
        for t in step.tables:
            out += [f"add_{t.after.name}_{c.name}" for c in t.added]
            out += [f"remove_{t.before.name}_{c.name}" for c in t.dropped]
            out += [f"alter_{t.after.name}_{a.after.name}" for a in t.altered]
        return out
    if isinstance(step, (s.CreateIndex, s.DropIndex, s.RedefineIndex)):
        index = step.after if isinstance(step, s.RedefineIndex) else step.index
        verb = "drop" if isinstance(step, s.DropIndex) else "index"
        return [f"{verb}_{step.table.name}_{'_'.join(c.name for c in index.columns)}"]
    if isinstance(step, (s.AddForeignKey, s.DropForeignKey)):
        return [f"{'link' if isinstance(step, s.AddForeignKey) else 'unlink'}_{step.table.name}"]
    return []


def _column_part(table: str, change) -> str:
    if isinstance(change, s.AddColumn):
        return f"add_{table}_{change.column.name}"
    if isinstance(change, s.DropColumn):
        return f"remove_{table}_{change.column.name}"
    if isinstance(change, (s.AlterColumn, s.DropAndRecreateColumn)):
        return f"alter_{table}_{change.after.name}"
    return ""
