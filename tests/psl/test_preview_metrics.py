"""Issue 19: `previewFeatures = ["metrics"]` is rejected as Prisma 7.10.1 rejects it (checked with its CLI)."""

from __future__ import annotations

from tests.psl.test_validate_cli import lamina, write

SCHEMA = """generator client {
  provider        = "prisma-client-js"
  previewFeatures = ["metrics"]
}

datasource db {
  provider = "postgresql"
}

model U {
  id Int @id
}
"""


def test_metrics_preview_feature_is_p1012(tmp_path):
    write(tmp_path, SCHEMA)
    done = lamina(tmp_path, "validate")
    assert done.returncode == 1
    assert "Error code: P1012\n" in done.stderr
    assert (
        'error: The preview feature "metrics" is not known. Expected one of: fullTextSearchPostgres, nativeDistinct, '
        "partialIndexes, postgresqlExtensions, relationJoins, schemaEngineDriverAdapters, shardKeys, "
        "strictUndefinedChecks, typedSql, views\n"
    ) in done.stderr
