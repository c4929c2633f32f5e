"""SQLite column defaults in `db pull`, against Prisma 7.10.1's `db pull --print` on the same
database (../shared/anchors): PRISMA below is its output byte for byte; Lamina's differs only in
its three deliberate places (lamina.introspect.sqlite_defaults: `datetime('now')`, a String
expression, a Json default). Before, Lamina read quoted timestamps as DateTime values, `''` as
bytes, `"dq"` as an expression, `'true'` as true, `-1.5e3` as written, and upper-cased unknown
type names."""

from __future__ import annotations

from lamina.dialects.sqlite.describe import describe as describe_sqlite
from lamina.introspect import introspect
from tests.introspect.test_pull import _sqlite_db

SETUP = """
CREATE TABLE d (id INTEGER PRIMARY KEY,
 t1 DATETIME DEFAULT '2024-01-02 03:04:05 +00:00',
 t2 DATETIME DEFAULT '2024-01-02T03:04:05.000Z',
 t3 DATETIME DEFAULT '2024-01-02 03:04:05',
 t4 DATETIME DEFAULT '2024-01-02T03:04:05+02:00',
 t5 DATETIME DEFAULT (datetime('now')),
 t6 DATETIME DEFAULT CURRENT_TIMESTAMP,
 t7 DATE DEFAULT CURRENT_DATE,
 b1 BLOB DEFAULT '',
 b2 BLOB DEFAULT x'0102',
 s1 TEXT DEFAULT (lower('A')),
 s2 TEXT DEFAULT "dq",
 s3 TEXT DEFAULT 12,
 i1 INT DEFAULT (1 + 2),
 i2 INT DEFAULT '7',
 f1 REAL DEFAULT -1.5e3,
 bo BOOLEAN DEFAULT 1,
 bo2 BOOLEAN DEFAULT 'true',
 dec DECIMAL DEFAULT 2.50,
 w "Weird Type",
 j JSONB DEFAULT '{}'
);
"""

DATASOURCE = 'datasource db {\n  provider = "sqlite"\n}\n'

PRISMA = DATASOURCE + '''
model d {
  id  Int                        @id @default(autoincrement())
  t1  DateTime?                  @default(dbgenerated("'2024-01-02 03:04:05 +00:00'"))
  t2  DateTime?                  @default(dbgenerated("'2024-01-02T03:04:05.000Z'"))
  t3  DateTime?                  @default(dbgenerated("'2024-01-02 03:04:05'"))
  t4  DateTime?                  @default(dbgenerated("'2024-01-02T03:04:05+02:00'"))
  t5  DateTime?                  @default(now())
  t6  DateTime?                  @default(now())
  t7  DateTime?                  @default(dbgenerated("CURRENT_DATE"))
  b1  Bytes?                     @default(dbgenerated("''"))
  b2  Bytes?                     @default(dbgenerated("x'0102'"))
  s1  String?                    @default("lower('A')")
  s2  String?                    @default("dq")
  s3  String?                    @default("12")
  i1  Int?                       @default(dbgenerated("1 + 2"))
  i2  Int?                       @default(7)
  f1  Float?                     @default(-1500)
  bo  Boolean?                   @default(true)
  bo2 Boolean?                   @default(dbgenerated("'true'"))
  dec Decimal?                   @default(2.50)
  w   Unsupported("weird type")?
  j   Json?                      @default("'{}'")
}
'''

DELIBERATE = {  # field -> (Prisma's default, Lamina's)
    "t5": ('@default(now())', '@default(dbgenerated("datetime(\'now\')"))'),
    "s1": ('@default("lower(\'A\')")', '@default(dbgenerated("lower(\'A\')"))'),
    "j": ('@default("\'{}\'")', '@default("{}")'),
}

WARNING = '''
// *** WARNING ***
// 
// These fields are not supported by Prisma Client, because Prisma currently does not support their types:
//   - Model: "d", field: "w", original data type: "weird type"
// '''


def test_sqlite_defaults_read_as_prisma_reads_them(tmp_path):
    conn = _sqlite_db(tmp_path, SETUP)
    result = introspect(describe_sqlite(conn), "sqlite", [("schema.prisma", DATASOURCE)])
    lines = PRISMA.split("\n")
    for i, line in enumerate(lines):
        name = line.split()[0] if line.startswith("  ") else None
        if name in DELIBERATE:
            prisma, lamina = DELIBERATE[name]
            assert line.endswith(prisma)
            lines[i] = line[: -len(prisma)] + lamina
    expected = "\n".join(lines)
    assert result.text == expected
    assert result.warning_comment() == WARNING
