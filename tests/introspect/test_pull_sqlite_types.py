"""SQLite declared types in `db pull`: Prisma 7.10.1 reads them by name, not by SQLite's affinity
rules (lamina.introspect.psl_values.sqlite_family). The expected text and warnings are its
`db pull --print` on the same database (../shared/anchors), byte for byte. Before, Lamina read
`tinyint`, `bool`, `double precision`, `json`, `clob`... by affinity, and `serial`/`binary` not."""

from __future__ import annotations

from lamina.dialects.sqlite.describe import describe as describe_sqlite
from lamina.introspect import introspect
from tests.introspect.test_pull import _sqlite_db

TYPES = ["tinyint", "smallint", "mediumint", "int2", "int8", "bool", "double precision", "json", "jsonb", "nvarchar(10)",
         "character(5)", "clob", "unsigned big int", "varchar", "numeric(5)", "decimal", "timestamp", "time", "real",
         "float", "serial", "binary", "blob", "BIGINT", "Text", "INTEGER", "datetime2", "money", "uuid", "string",
         "number", "long", "bit", "char"]

DATASOURCE = 'datasource db {\n  provider = "sqlite"\n}\n'

PULLED = DATASOURCE + """
model t {
  id  Int                              @id @default(autoincrement())
  c0  Unsupported("tinyint")?
  c1  Unsupported("smallint")?
  c2  Unsupported("mediumint")?
  c3  Unsupported("int2")?
  c4  Unsupported("int8")?
  c5  Unsupported("bool")?
  c6  Unsupported("double precision")?
  c7  Unsupported("json")?
  c8  Json?
  c9  String?
  c10 String?
  c11 Unsupported("clob")?
  c12 Unsupported("unsigned big int")?
  c13 String?
  c14 Decimal?
  c15 Decimal?
  c16 DateTime?
  c17 Unsupported("time")?
  c18 Float?
  c19 Float?
  c20 Int?
  c21 Bytes?
  c22 Bytes?
  c23 BigInt?
  c24 String?
  c25 Int?
  c26 Unsupported("datetime2")?
  c27 Unsupported("money")?
  c28 Unsupported("uuid")?
  c29 Unsupported("string")?
  c30 Unsupported("number")?
  c31 Unsupported("long")?
  c32 Unsupported("bit")?
  c33 String?
}
"""

WARNING = """
// *** WARNING ***
// 
// These fields are not supported by Prisma Client, because Prisma currently does not support their types:
//   - Model: "t", field: "c0", original data type: "tinyint"
//   - Model: "t", field: "c1", original data type: "smallint"
//   - Model: "t", field: "c2", original data type: "mediumint"
//   - Model: "t", field: "c3", original data type: "int2"
//   - Model: "t", field: "c4", original data type: "int8"
//   - Model: "t", field: "c5", original data type: "bool"
//   - Model: "t", field: "c6", original data type: "double precision"
//   - Model: "t", field: "c7", original data type: "json"
//   - Model: "t", field: "c11", original data type: "clob"
//   - Model: "t", field: "c12", original data type: "unsigned big int"
//   - Model: "t", field: "c17", original data type: "time"
//   - Model: "t", field: "c26", original data type: "datetime2"
//   - Model: "t", field: "c27", original data type: "money"
//   - Model: "t", field: "c28", original data type: "uuid"
//   - Model: "t", field: "c29", original data type: "string"
//   - Model: "t", field: "c30", original data type: "number"
//   - Model: "t", field: "c31", original data type: "long"
//   - Model: "t", field: "c32", original data type: "bit"
// """


def test_sqlite_types_read_by_name_as_prisma_does(tmp_path):
    columns = ", ".join(f"c{i} {t}" for i, t in enumerate(TYPES))
    conn = _sqlite_db(tmp_path, f"CREATE TABLE t (id INTEGER PRIMARY KEY, {columns});")
    result = introspect(describe_sqlite(conn), "sqlite", [("schema.prisma", DATASOURCE)])
    assert result.text == PULLED
    assert result.warning_comment() == WARNING
