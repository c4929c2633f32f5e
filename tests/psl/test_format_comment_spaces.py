"""Issue 19: `format` keeps the spaces a `//` or `///` comment ends with, as Prisma 7.10.1 does
(this input formatted by its CLI gives exactly EXPECTED)."""

from __future__ import annotations

from tests.psl.test_validate_cli import lamina, write

SOURCE = (
    'datasource db {\n  provider = "postgresql" // ds  \n}\n/// doc  \nmodel U {\n  /// fdoc  \n'
    '  id Int @id // trailing   \n  // inside  \n  @@map("u") // blk  \n}\nenum E {\n  A // ea  \n  // own  \n}\n'
)
EXPECTED = (
    'datasource db {\n  provider = "postgresql" // ds  \n}\n\n/// doc  \nmodel U {\n  /// fdoc  \n'
    '  id Int @id // trailing   \n\n  // inside  \n  @@map("u") // blk  \n}\n\nenum E {\n  A // ea  \n  // own  \n}\n'
)


def test_comment_trailing_spaces_are_kept(tmp_path):
    path = write(tmp_path, SOURCE)
    done = lamina(tmp_path, "format")
    assert done.returncode == 0, done.stderr
    assert path.read_text() == EXPECTED
