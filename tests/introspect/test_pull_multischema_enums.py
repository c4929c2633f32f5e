"""Enums of one name in two PostgreSQL schemas (`billing.currency`, `public.currency`) in `db pull`:
Prisma 7.10.1 writes `billing_currency` and `public_currency`, each mapped to `currency`, types
each column by its own, and warns about the renaming; on re-introspection the previous schema's
names stay. The expected texts are its `db pull --print` on the same database (../shared/anchors),
byte for byte, stdout and stderr. Before, Lamina wrote one enum `currency` for both (and the
describer typed both columns with public's)."""

from __future__ import annotations

from lamina.introspect import introspect
from lamina.introspect.pg_enum_schemas import with_enum_schemas
from lamina.migrate.diff_sources import describe_connection

SETUP = '''
CREATE SCHEMA billing;
CREATE SCHEMA audit;
CREATE TYPE billing.currency AS ENUM ('EUR', 'USD');
CREATE TYPE public.currency AS ENUM ('GBP');
CREATE TABLE public.customer (id serial PRIMARY KEY, name text NOT NULL);
CREATE TABLE billing.invoice (id serial PRIMARY KEY, customer_id int NOT NULL REFERENCES public.customer(id),
  cur billing.currency NOT NULL DEFAULT 'EUR', local public.currency);
CREATE TABLE billing.customer (id serial PRIMARY KEY, ref text);
CREATE TABLE audit.event (id bigserial PRIMARY KEY, invoice_id int REFERENCES billing.invoice(id) ON DELETE SET NULL);
CREATE VIEW billing.totals AS SELECT customer_id, count(*) AS n FROM billing.invoice GROUP BY customer_id;
'''

FRESH_SCHEMA = '''generator client {
  provider = "prisma-client-js"
}

datasource db {
  provider = "postgresql"
  schemas  = ["public", "billing"]
}
'''

FRESH = '''generator client {
  provider = "prisma-client-js"
}

datasource db {
  provider = "postgresql"
  schemas  = ["billing", "public"]
}

model billing_customer {
  id  Int     @id @default(autoincrement())
  ref String?

  @@map("customer")
  @@schema("billing")
}

model invoice {
  id          Int              @id @default(autoincrement())
  customer_id Int
  cur         billing_currency @default(EUR)
  local       public_currency?
  customer    public_customer  @relation(fields: [customer_id], references: [id], onDelete: NoAction, onUpdate: NoAction)

  @@schema("billing")
}

model public_customer {
  id      Int       @id @default(autoincrement())
  name    String
  invoice invoice[]

  @@map("customer")
  @@schema("public")
}

enum billing_currency {
  EUR
  USD

  @@map("currency")
  @@schema("billing")
}

enum public_currency {
  GBP

  @@map("currency")
  @@schema("public")
}


'''

FRESH_STDERR = '''
// *** WARNING ***
// 
// These items were renamed due to their names being duplicates in the Prisma schema:
//   - Type: "enum", name: "billing_currency"
//   - Type: "enum", name: "public_currency"
//   - Type: "model", name: "billing_customer"
//   - Type: "model", name: "public_customer"
// 
'''

RE = '''generator client {
  provider = "prisma-client-js"
}

datasource db {
  provider = "postgresql"
  schemas  = ["billing", "public"]
}

/// A model renamed by hand
model RenamedBilling_customer {
  id         Int     @id @default(autoincrement())
  refRenamed String? @map("ref")

  @@map("customer")
  @@schema("billing")
}

model invoice {
  id          Int              @id @default(autoincrement())
  customer_id Int
  cur         billing_currency @default(EUR)
  local       public_currency?
  customer    public_customer  @relation(fields: [customer_id], references: [id], onDelete: NoAction, onUpdate: NoAction)

  @@schema("billing")
}

model public_customer {
  id      Int       @id @default(autoincrement())
  name    String
  invoice invoice[]

  @@map("customer")
  @@schema("public")
}

enum billing_currency {
  EUR
  USD

  @@map("currency")
  @@schema("billing")
}

enum public_currency {
  GBP

  @@map("currency")
  @@schema("public")
}


'''

# The previous schema: the pulled one but for a field line a hand did not align.
PREVIOUS = RE.replace('  id         Int     @id @default(autoincrement())', '  id  Int     @id @default(autoincrement())', 1)


RE_STDERR = '''
// *** WARNING ***
// 
// These fields were enriched with `@map` information taken from the previous Prisma schema:
//   - Model: "RenamedBilling_customer", field: "refRenamed"
// 
// These models were enriched with `@@map` information taken from the previous Prisma schema:
//   - "RenamedBilling_customer"
//   - "public_customer"
// 
// These enums were enriched with `@@map` information taken from the previous Prisma schema:
//   - "billing_currency"
//   - "public_currency"
// 
'''


def test_enums_of_one_name_in_two_schemas(pg_db):
    conn = pg_db(SETUP)
    described = with_enum_schemas(describe_connection(conn, "postgresql", ["public", "billing"]), conn)
    fresh = introspect(described, "postgresql", [("schema.prisma", FRESH_SCHEMA)])
    # `--print` writes the schema and two newlines on stdout, the warning comment on stderr
    assert (fresh.printed() + "\n", fresh.warning_comment() + "\n") == (FRESH, FRESH_STDERR)
    again = introspect(described, "postgresql", [("schema.prisma", PREVIOUS)])
    assert (again.printed() + "\n", again.warning_comment() + "\n") == (RE, RE_STDERR)


ENUMS_IN_TWO_SCHEMAS = """
CREATE SCHEMA billing;
CREATE TYPE public."Abc" AS ENUM ('x_v', 'y');
CREATE TYPE billing."Zed" AS ENUM ('z_v');
CREATE TABLE public.t (id int PRIMARY KEY, a "Abc");
CREATE TABLE billing.u (id int PRIMARY KEY, z billing."Zed");
"""

ENUMS_FRESH = '''datasource db {
  provider = "postgresql"
  schemas  = ["billing", "public"]
}

model u {
  id Int  @id
  z  Zed?

  @@schema("billing")
}

model t {
  id Int  @id
  a  Abc?

  @@schema("public")
}

enum Zed {
  z_v

  @@schema("billing")
}

enum Abc {
  x_v
  y

  @@schema("public")
}


'''

ENUMS_PREVIOUS = '''datasource db {
  provider = "postgresql"
  schemas  = ["public", "billing"]
}

model t {
  id Int  @id
  a  Abc?

  @@schema("public")
}

model u {
  id Int  @id
  z  Zed?

  @@schema("billing")
}

enum Abc {
  x @map("x_v")
  y

  @@schema("public")
}

enum Zed {
  z @map("z_v")

  @@schema("billing")
}
'''

ENUMS_RE = '''datasource db {
  provider = "postgresql"
  schemas  = ["billing", "public"]
}

model t {
  id Int  @id
  a  Abc?

  @@schema("public")
}

model u {
  id Int  @id
  z  Zed?

  @@schema("billing")
}

enum Abc {
  x @map("x_v")
  y

  @@schema("public")
}

enum Zed {
  z @map("z_v")

  @@schema("billing")
}


'''

ENUMS_RE_STDERR = '''
// *** WARNING ***
// 
// These enum values were enriched with `@map` information taken from the previous Prisma schema:
//   - Enum: "Zed", value: "z"
//   - Enum: "Abc", value: "x"
// 
'''


def test_enums_come_in_schema_order(pg_db):
    # Recorded from Prisma 7.10.1's `db pull --print` (../shared/anchors): new enums, and the enum
    # warnings, follow (schema, name) order (billing.Zed before public.Abc), as models do; kept
    # enums keep the previous schema's order. Before, Lamina ordered them by name alone.
    conn = pg_db(ENUMS_IN_TWO_SCHEMAS)
    described = describe_connection(conn, "postgresql", ["public", "billing"])
    head = ENUMS_PREVIOUS[:ENUMS_PREVIOUS.index("}") + 2]
    assert introspect(described, "postgresql", [("schema.prisma", head)]).printed() + "\n" == ENUMS_FRESH
    again = introspect(described, "postgresql", [("schema.prisma", ENUMS_PREVIOUS)])
    assert (again.printed() + "\n", again.warning_comment() + "\n") == (ENUMS_RE, ENUMS_RE_STDERR)
