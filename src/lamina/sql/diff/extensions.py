"""PostgreSQL extensions (`extensions = [...]`, preview feature postgresqlExtensions), as
Prisma 7.10.1 diffs them:
- an extension in the target and not in the source is created (`CREATE EXTENSION IF NOT EXISTS`);
- one in both whose schema or version differs, where both sides name one, is dropped and
  created again;
- one no longer listed is left in the database (Prisma never drops it), except where the
  target is a described database (`manages_extensions`, set for drift): an extension the
  migrations create and the database lacks is then a difference (DropExtension in the drift);
- nothing at all unless one side manages its extensions (see `SqlSchema.manages_extensions`);
- steps come in the order of the extensions' names.
"""

from __future__ import annotations

from lamina.sql.schema import SqlSchema
from lamina.sql.steps import CreateExtension, DropExtension, RemoveExtension, Step


def _differs(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and a != b


def extension_steps(before: SqlSchema, after: SqlSchema) -> list[Step]:
    if not (before.manages_extensions or after.manages_extensions):
        return []
    previous = {e.name: e for e in before.extensions}
    steps: list[Step] = []
    if after.manages_extensions and after.extensions_described:
        wanted = {e.name for e in after.extensions}
        steps += [RemoveExtension(extension=e, order=(0,)) for e in sorted(before.extensions, key=lambda e: e.name)
                  if e.name not in wanted]
    for i, ext in enumerate(sorted(after.extensions, key=lambda e: e.name)):
        old = previous.get(ext.name)
        if old is None:
            steps.append(CreateExtension(extension=ext, order=(i,)))
        elif _differs(old.schema, ext.schema) or _differs(old.version, ext.version):
            steps.append(DropExtension(extension=old, order=(i,)))
            steps.append(CreateExtension(extension=ext, order=(i,)))
    return steps

