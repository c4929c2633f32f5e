"""PostgreSQL enums read from a database come in name order, as Prisma 7.10.1's describer gives
them: its AlterEnum and DropEnum steps follow that order (found on civitai's history, 14 enums
altered in one diff; Lamina wrote them in creation order before).
"""

from __future__ import annotations

from lamina.dialects import get_dialect
from lamina.sql.diff import diff
from tests.engine.helpers import described_after, schema_of

CREATED = 'CREATE TYPE "Zeta" AS ENUM (\'A\');\nCREATE TYPE "Alpha" AS ENUM (\'A\');\nCREATE TYPE "Mid" AS ENUM (\'A\');\nCREATE TYPE "Gone2" AS ENUM (\'A\');\nCREATE TYPE "Gone1" AS ENUM (\'A\');\n'

SCHEMA = 'datasource db {\n  provider = "postgresql"\n}\n\nenum Mid {\n  A\n  B\n}\n\nenum Zeta {\n  A\n  B\n}\n\nenum Alpha {\n  A\n  B\n}\n'

# Recorded from the anchor: Prisma 7.10.1 migrate diff --from-migrations (CREATED) --to-schema
# SCHEMA --script (the blank lines the CLI prints after the script left out)
EXPECTED = '-- AlterEnum\nALTER TYPE "Alpha" ADD VALUE \'B\';\n\n-- AlterEnum\nALTER TYPE "Mid" ADD VALUE \'B\';\n\n-- AlterEnum\nALTER TYPE "Zeta" ADD VALUE \'B\';\n\n-- DropEnum\nDROP TYPE "Gone1";\n\n-- DropEnum\nDROP TYPE "Gone2";\n'


def test_enum_steps_from_a_database_in_name_order(postgres_url):
    dialect = get_dialect("postgresql")
    described = described_after(postgres_url, CREATED)
    assert dialect.render_script(diff(described, schema_of(SCHEMA, "postgresql"), dialect)) == EXPECTED
