"""Single schema changes whose script Prisma 7.10.1 prints in a way worth pinning down.

Each expected text was printed by the real CLI (`prisma migrate diff --from-schema A
--to-schema B --script`). Scenarios (tests/engine/scenarios/) also apply their scripts on a
database; these cases cannot be scenarios because Prisma's script does not reach the target
schema (the column ends without its new default), and Lamina prints what Prisma prints.
"""

from __future__ import annotations

import pytest

from tests.engine.helpers import script

PG = 'datasource db {\n  provider = "postgresql"\n}\n\n'


def _model(fields: str) -> str:
    return PG + "model T {\n  id Int @id\n" + fields + "}\n"


@pytest.mark.parametrize(
    "before,after,expected",
    [
        pytest.param(
            "  c Int @default(autoincrement()) @unique\n",
            "  c Int @default(3) @unique\n",
            '-- AlterTable\nALTER TABLE "T" ALTER COLUMN "c" SET DEFAULT 3,\nALTER COLUMN "c" DROP DEFAULT;\nDROP SEQUENCE "";\n',
            id="autoincrement-to-default",
        ),
        pytest.param(
            "  c BigInt @default(autoincrement()) @unique\n",
            "  c Int @default(3) @unique\n",
            '-- AlterTable\nALTER TABLE "T" ALTER COLUMN "c" SET DEFAULT 3,\nALTER COLUMN "c" DROP DEFAULT,\n'
            'ALTER COLUMN "c" SET DATA TYPE INTEGER;\nDROP SEQUENCE "";\n',
            id="autoincrement-to-default-and-type",
        ),
        pytest.param(
            "  c Int @unique\n  d Int @default(autoincrement()) @unique\n",
            "  c Int @default(autoincrement()) @unique\n  d Int @unique\n",
            "-- AlterTable\nCREATE SEQUENCE t_c_seq;\n"
            "ALTER TABLE \"T\" ALTER COLUMN \"c\" SET DEFAULT nextval('t_c_seq'),\nALTER COLUMN \"d\" DROP DEFAULT;\n"
            'ALTER SEQUENCE t_c_seq OWNED BY "T"."c";\n',
            id="no-drop-sequence-beside-a-created-one",
        ),
    ],
)
def test_postgres_alter_column_text(before: str, after: str, expected: str) -> None:
    assert script(_model(before), _model(after), "postgresql") == expected
