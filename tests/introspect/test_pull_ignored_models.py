"""Re-introspection of models Prisma ignores (no primary key, no unique of required columns) and
of PostgreSQL's one-byte `"char"`. The expected text and warnings are Prisma 7.10.1's
`db pull --print` on the same database and previous schema (../shared/anchors), byte for byte:

- a model that was `@@ignore`d in the previous schema is not listed again in the "ignored" warning;
- its previous comment stands as written, instead of the note (a fresh table gets the note);
- `"char"` is `String @db.Char`, lists too.

Before, Lamina listed the ignored models again, replaced their comments with the note and wrote
`Unsupported("\\"char\\"")` (warning about a type `"\\"`)."""

from __future__ import annotations

from lamina.dialects.postgres.describe import describe as describe_pg
from lamina.introspect import introspect

SETUP = """
CREATE TABLE log_entry (at timestamptz NOT NULL DEFAULT now(), message text, c "char", cs "char"[]);
CREATE TABLE with_nullable_unique (code text UNIQUE, label text);
CREATE TABLE fresh_one (a int);
"""

NOTE = ("/// The underlying table does not contain a valid unique identifier and can therefore currently not be "
        "handled by Prisma Client.\n")
DATASOURCE = 'datasource db {\n  provider = "postgresql"\n}\n'

PREVIOUS = DATASOURCE + "\n" + NOTE + '''/// Written by the audit job.
model Log {
  at      DateTime @default(now()) @db.Timestamptz(6)
  message String?

  @@map("log_entry")
  @@ignore
}

/// Kept by hand
model with_nullable_unique {
  code  String? @unique
  label String?

  @@ignore
}
'''

PULLED = DATASOURCE + "\n" + NOTE + '''/// Written by the audit job.
model Log {
  at      DateTime @default(now()) @db.Timestamptz(6)
  message String?
  c       String?  @db.Char
  cs      String[] @db.Char

  @@map("log_entry")
  @@ignore
}

/// Kept by hand
model with_nullable_unique {
  code  String? @unique
  label String?

  @@ignore
}

''' + NOTE + '''model fresh_one {
  a Int?

  @@ignore
}
'''

WARNING = '''
// *** WARNING ***
// 
// The following models were ignored as they do not have a valid unique identifier or id. This is currently not supported by Prisma Client:
//   - "fresh_one"
// 
// These models were enriched with `@@map` information taken from the previous Prisma schema:
//   - "Log"
// '''


def test_models_ignored_before_keep_their_comments_and_are_not_warned_about_again(pg_db):
    conn = pg_db(SETUP)
    result = introspect(describe_pg(conn), "postgresql", [("schema.prisma", PREVIOUS)])
    assert result.text == PULLED
    assert result.warning_comment() == WARNING
